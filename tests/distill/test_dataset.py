"""Tokenized pairs: loss on the target only, in the one prompt format; batches by length."""

from __future__ import annotations

from pathlib import Path

import pytest

from distill.dataset import IGNORE_INDEX, bucket_batches, encode_pair
from distill.prompt_format import STUDENT_TEMPLATE, render_prompt, render_target


def test_prompt_format_is_the_documented_one() -> None:
    assert render_prompt("a {b} c") == "Sentence: a {b} c\nParaphrase:"
    assert render_target("The cat sat.") == " The cat sat.\n"
    assert STUDENT_TEMPLATE.count("{text}") == 1


def test_training_uses_the_template_the_recipe_exports() -> None:
    from models.recipes import STUDENT_TEMPLATE as RECIPE_TEMPLATE

    assert STUDENT_TEMPLATE is RECIPE_TEMPLATE  # one definition: training and the bundle cannot drift


def test_encode_pair_masks_the_prompt(tiny_checkpoint: Path) -> None:
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(tiny_checkpoint)
    ex = encode_pair(tok, "the cat sat", "a dog ran .", max_tokens=64)
    assert ex is not None and len(ex.input_ids) == len(ex.labels)
    prompt = tok(render_prompt("the cat sat"), add_special_tokens=False)["input_ids"]
    assert list(ex.input_ids[:len(prompt)]) == prompt
    assert all(t == IGNORE_INDEX for t in ex.labels[:len(prompt)])
    target = list(ex.labels[len(prompt):])
    assert target == list(ex.input_ids[len(prompt):]) and ex.target_tokens == len(target)
    assert tok.decode(target).strip() == "a dog ran ."
    assert tok.convert_ids_to_tokens(target[-1]) == "\n"  # the newline ends a paraphrase
    assert tok.eos_token_id not in ex.input_ids
    assert encode_pair(tok, "the cat sat", "a dog ran .", max_tokens=5) is None


@pytest.mark.parametrize("batch_size", [1, 3, 8])
def test_bucket_batches_cover_every_row_once(batch_size: int) -> None:
    lengths = [(i * 37) % 50 + 1 for i in range(101)]
    batches = bucket_batches(lengths, batch_size, seed=1, window=4)
    flat = [i for b in batches for i in b]
    assert sorted(flat) == list(range(101))
    assert all(len(b) <= batch_size for b in batches)
    assert batches == bucket_batches(lengths, batch_size, seed=1, window=4)
    assert batches != bucket_batches(lengths, batch_size, seed=1, epoch=1, window=4) or batch_size > 50


def test_bucketing_reduces_padding() -> None:
    lengths = [(i * 37) % 50 + 1 for i in range(400)]
    padded = sum(max(lengths[i] for i in b) * len(b) for b in bucket_batches(lengths, 8, seed=0))
    unsorted = sum(max(lengths[i] for i in lengths[s:s + 8]) * 8 for s in range(0, 400, 8))
    assert padded < 0.8 * unsorted
