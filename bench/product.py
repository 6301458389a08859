"""The product path: ``Paraphraser.paraphrase`` exactly as the app and CLI call it.

Unlike the engine comparison, this includes everything a user waits for: the prefix KV
cache of the fixed few-shot text, the spare rows, early stopping at newline tokens,
the candidate checks, the meaning scorer and its oversampling, de-duplication and any
extra sampling round. Three things are wrapped on this instance only, so the report can
say where the time goes and give PyTorch the same number of decode steps:

* the decoder's ``forward`` (prefill vs decode steps),
* the meaning scorer's ``score`` (one call per finished row that passed the cheap checks),
* the candidate pipeline's ``judge`` and ``rank`` (every check, the scorer's call included,
  and the final ranking); checks = judge - score.

Each wrapper costs about a microsecond per call. No pipeline field is needed for this; a
pipeline that reports ``stats["score_ms"]`` itself is read when the scorer could not be
wrapped (a scorer object the paraphraser does not expose as ``.scorer``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)

#: Candidate texts kept per case (first repeat only), as student outputs for the scoring section.
SAMPLE_REPEAT = 0


@dataclass
class ForwardMeter:
    """Counts and times the decoder, scorer and pipeline calls of one paraphrase call."""

    prefill_calls: int = 0
    prefill_tokens: int = 0
    prefill_s: float = 0.0
    decode_steps: int = 0
    row_steps: int = 0
    decode_s: float = 0.0
    score_calls: int = 0
    scored_rows: int = 0
    score_s: float = 0.0
    judge_calls: int = 0
    judge_s: float = 0.0
    rank_s: float = 0.0

    def reset(self) -> None:
        self.__init__()  # type: ignore[misc]

    def snapshot(self) -> dict[str, float]:
        return {"prefill_calls": self.prefill_calls, "prefill_tokens": self.prefill_tokens,
                "forward_prefill_s": self.prefill_s, "decode_steps": self.decode_steps,
                "row_steps": self.row_steps, "forward_decode_s": self.decode_s,
                "score_calls": self.score_calls, "scored_rows": self.scored_rows, "score_s": self.score_s,
                "judged_rows": self.judge_calls, "judge_s": self.judge_s, "rank_s": self.rank_s}


class MeteredPipeline:
    """A candidate pipeline that times ``judge`` and ``rank``; everything else is the wrapped one's.

    The paraphraser's pipeline is a frozen dataclass, so it is wrapped rather than patched.
    """

    def __init__(self, inner: Any, meter: ForwardMeter) -> None:
        self._inner = inner
        self._meter = meter

    def judge(self, *args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return self._inner.judge(*args, **kwargs)
        finally:
            self._meter.judge_calls += 1
            self._meter.judge_s += time.perf_counter() - started

    def rank(self, *args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return self._inner.rank(*args, **kwargs)
        finally:
            self._meter.rank_s += time.perf_counter() - started

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def instrument(paraphraser: Any) -> ForwardMeter:
    """Wrap the decoder's ``forward``, the scorer's ``score`` and the pipeline with one meter."""
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
    scorer = getattr(paraphraser, "scorer", None)
    if scorer is not None:
        score = scorer.score  # the pipeline's check holds this same object, so it sees the wrapper

        def metered_score(sources: Any, candidates: Any) -> Any:
            started = time.perf_counter()
            try:
                return score(sources, candidates)
            finally:
                meter.score_calls += 1
                meter.scored_rows += len(candidates)
                meter.score_s += time.perf_counter() - started

        scorer.score = metered_score
    if getattr(paraphraser, "pipeline", None) is not None:
        paraphraser.pipeline = MeteredPipeline(paraphraser.pipeline, meter)
    return meter


def scorer_name(paraphraser: Any) -> str | None:
    """The meaning scorer the paraphraser runs, or None (the student alone)."""
    scorer = getattr(paraphraser, "scorer", None)
    return getattr(scorer, "name", type(scorer).__name__) if scorer is not None else None


def run_record(meter: ForwardMeter, result: Any, elapsed: float, others: float | None,
               attempts: int) -> dict[str, Any]:
    """One timed call as the report reads it (see ``bench.report._bundle_entry``)."""
    stats = result.stats or {}
    record: dict[str, Any] = {"total_s": elapsed, "others_cores": others, "attempts": attempts,
                              **meter.snapshot(),
                              "first_candidate_s": (result.first_candidate_ms or result.elapsed_ms) / 1000,
                              "candidates": len(result.candidates),
                              "rounds": stats.get("rounds"),
                              "rejected": stats.get("rejected"),
                              "rejected_meaning": stats.get("rejected_meaning", 0),
                              "ranked_out": stats.get("ranked_out", 0)}
    if not meter.score_calls and stats.get("score_ms"):  # a scorer the meter could not reach
        record["score_s"] = float(stats["score_ms"]) / 1000
        record["scored_rows"] = int(stats.get("scored", 0))
    return record


def run_product_cases(paraphraser: Any, cases: list[dict[str, Any]], repeat: int, diversity: float,
                      warmup_text: str, guard: Any, tick: Callable[[], None]) -> dict[str, Any]:
    """Time every case ``repeat`` times (repeats outermost, so background noise spreads evenly).

    Each case is ``{"id", "text", "n"}``; one warm-up call with the largest ``n`` comes first
    (it also builds the prefix cache, which a running app holds after its first request, and
    runs the scorer's first call). ``guard`` (a :class:`bench.machine.NoiseGuard`) redoes runs
    that other processes disturbed. ``samples`` keeps each case's candidate texts from the first
    repeat: real student outputs for the scorer's own measurement (:mod:`bench.scoring`).
    """
    meter = instrument(paraphraser)
    paraphraser.paraphrase(warmup_text, n=max(int(c["n"]) for c in cases), diversity=diversity, seed=10_000)
    runs: dict[str, list[dict[str, Any]]] = {c["id"]: [] for c in cases}
    samples: dict[str, list[str]] = {}
    for r in range(repeat):
        for case in cases:

            def call(case: dict[str, Any] = case, r: int = r) -> Any:
                meter.reset()  # a retried attempt starts counting afresh
                return paraphraser.paraphrase(case["text"], n=int(case["n"]), diversity=diversity, seed=r)

            elapsed, result, others, attempts = guard.run(call)
            runs[case["id"]].append(run_record(meter, result, elapsed, others, attempts))
            if r == SAMPLE_REPEAT:
                samples[case["id"]] = [c.text for c in result.candidates]
            tick()
    return {"runs": runs, "samples": samples, "scorer": scorer_name(paraphraser)}
