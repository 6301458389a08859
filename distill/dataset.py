"""Pairs -> token ids with a target-only loss mask, and length-bucketed batches.

The prompt and the target are tokenized separately and concatenated, exactly as the
runtime sees them: it tokenizes the prompt and then generates the target token by token.
No special tokens are added (the GGUF tokenizer would prepend a BOS the runtime never sends).
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .pairs import Pair
from .prompt_format import STUDENT_TEMPLATE, render_prompt, render_target

IGNORE_INDEX = -100


@dataclass(frozen=True)
class Example:
    """One tokenized pair; ``labels`` is ``IGNORE_INDEX`` over the prompt."""

    input_ids: tuple[int, ...]
    labels: tuple[int, ...]

    @property
    def target_tokens(self) -> int:
        return sum(1 for t in self.labels if t != IGNORE_INDEX)


def encode_pair(tokenizer: Any, source: str, target: str, max_tokens: int,
                template: str = STUDENT_TEMPLATE, controls: str = "") -> Example | None:
    """Tokenize one pair; None when it is longer than ``max_tokens`` (dropped, not truncated:
    a truncated target would teach the student to stop mid-sentence)."""
    prompt = tokenizer(render_prompt(source, template, controls), add_special_tokens=False)["input_ids"]
    answer = tokenizer(render_target(target), add_special_tokens=False)["input_ids"]
    if not answer or len(prompt) + len(answer) > max_tokens:
        return None
    return Example(tuple(prompt) + tuple(answer), (IGNORE_INDEX,) * len(prompt) + tuple(answer))


def encode_pairs(tokenizer: Any, pairs: Iterable[Pair], max_tokens: int,
                 template: str = STUDENT_TEMPLATE) -> tuple[list[Example], int]:
    """(examples, number of pairs dropped for length)."""
    examples, dropped = [], 0
    for pair in pairs:
        ex = encode_pair(tokenizer, pair.source, pair.target, max_tokens, template, pair.controls)
        if ex is None:
            dropped += 1
        else:
            examples.append(ex)
    return examples, dropped


def bucket_batches(lengths: Sequence[int], batch_size: int, seed: int, epoch: int = 0,
                   window: int = 64) -> list[list[int]]:
    """Shuffle, sort within windows of ``window`` batches by length, shuffle the batches.

    Similar lengths share a batch (little padding), while the order stays random across the
    run. Deterministic in (seed, epoch) so a resumed run replays the same order.
    """
    rng = random.Random(f"{seed}:{epoch}")
    order = list(range(len(lengths)))
    rng.shuffle(order)
    span = batch_size * window
    batches: list[list[int]] = []
    for start in range(0, len(order), span):
        chunk = sorted(order[start:start + span], key=lambda i: lengths[i])
        batches.extend(chunk[i:i + batch_size] for i in range(0, len(chunk), batch_size))
    rng.shuffle(batches)
    return batches


def collate(examples: Sequence[Example], pad_id: int) -> dict[str, Any]:
    """Right-padded tensors: input_ids, attention_mask, labels."""
    import torch

    width = max(len(ex.input_ids) for ex in examples)
    ids = torch.full((len(examples), width), pad_id, dtype=torch.long)
    labels = torch.full((len(examples), width), IGNORE_INDEX, dtype=torch.long)
    mask = torch.zeros((len(examples), width), dtype=torch.long)
    for row, ex in enumerate(examples):
        n = len(ex.input_ids)
        ids[row, :n] = torch.tensor(ex.input_ids)
        labels[row, :n] = torch.tensor(ex.labels)
        mask[row, :n] = 1
    return {"input_ids": ids, "attention_mask": mask, "labels": labels}


def write_jsonl(path: str | Path, pairs: Iterable[Pair]) -> int:
    """One pair per line; returns the count."""
    n = 0
    with open(path, "w", encoding="utf-8") as fh:
        for pair in pairs:
            fh.write(json.dumps(pair.to_dict(), ensure_ascii=False) + "\n")
            n += 1
    return n


def read_jsonl(path: str | Path) -> list[Pair]:
    with open(path, encoding="utf-8") as fh:
        return [Pair.from_dict(json.loads(line)) for line in fh if line.strip()]
