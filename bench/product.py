"""The product path: ``Paraphraser.paraphrase`` exactly as the app and CLI call it.

Unlike the engine comparison, this includes everything a user waits for: the prefix KV
cache of the fixed few-shot text, the spare rows, early stopping at newline tokens,
de-duplication and any extra sampling round. The decoder's ``forward`` is wrapped (on
this instance only) to count decode steps and time prefill vs decode, so the report can
say where the time goes and give PyTorch the same number of decode steps.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)


@dataclass
class ForwardMeter:
    """Counts and times the decoder calls of one paraphrase call."""

    prefill_calls: int = 0
    prefill_tokens: int = 0
    prefill_s: float = 0.0
    decode_steps: int = 0
    row_steps: int = 0
    decode_s: float = 0.0

    def reset(self) -> None:
        self.__init__()  # type: ignore[misc]

    def snapshot(self) -> dict[str, float]:
        return {"prefill_calls": self.prefill_calls, "prefill_tokens": self.prefill_tokens,
                "forward_prefill_s": self.prefill_s, "decode_steps": self.decode_steps,
                "row_steps": self.row_steps, "forward_decode_s": self.decode_s}


def instrument(paraphraser: Any) -> ForwardMeter:
    """Wrap ``paraphraser.decoder.forward`` with a meter (~1 µs per call)."""
    meter = ForwardMeter()
    forward = paraphraser.decoder.forward

    def metered(input_ids: Any, past: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        result = forward(input_ids, past, **kwargs)
        spent = time.perf_counter() - started
        batch, length = input_ids.shape
        if length == 1:
            meter.decode_steps += 1
            meter.row_steps += batch
            meter.decode_s += spent
        else:
            meter.prefill_calls += 1
            meter.prefill_tokens += batch * length
            meter.prefill_s += spent
        return result

    paraphraser.decoder.forward = metered
    return meter


def run_product_cases(paraphraser: Any, cases: list[dict[str, Any]], repeat: int, diversity: float,
                      warmup_text: str, guard: Any, tick: Callable[[], None]) -> dict[str, Any]:
    """Time every case ``repeat`` times (repeats outermost, so background noise spreads evenly).

    Each case is ``{"id", "text", "n"}``; one warm-up call with the largest ``n`` comes first
    (it also builds the prefix cache, which a running app holds after its first request).
    ``guard`` (a :class:`bench.machine.NoiseGuard`) redoes runs that other processes disturbed.
    """
    meter = instrument(paraphraser)
    paraphraser.paraphrase(warmup_text, n=max(int(c["n"]) for c in cases), diversity=diversity, seed=10_000)
    runs: dict[str, list[dict[str, Any]]] = {c["id"]: [] for c in cases}
    for r in range(repeat):
        for case in cases:

            def call(case: dict[str, Any] = case, r: int = r) -> Any:
                meter.reset()  # a retried attempt starts counting afresh
                return paraphraser.paraphrase(case["text"], n=int(case["n"]), diversity=diversity, seed=r)

            elapsed, result, others, attempts = guard.run(call)
            record: dict[str, Any] = {"total_s": elapsed, "others_cores": others, "attempts": attempts,
                                      **meter.snapshot(),
                                      "first_candidate_s": (result.first_candidate_ms or result.elapsed_ms) / 1000,
                                      "candidates": len(result.candidates),
                                      "rounds": result.stats.get("rounds"),
                                      "rejected": result.stats.get("rejected")}
            runs[case["id"]].append(record)
            tick()
    return {"runs": runs}
