"""The meaning scorer's own cost: milliseconds per candidate, and its load time.

The candidate pipeline scores one finished row at a time (:class:`models.pipeline.KeepsMeaning`),
so batch 1 is what a user pays for; batches of 5 and 10 show what scoring a sentence's rows
together would cost (the evaluator and ``paraphrase-studio score`` batch). The issue's target
is judged at batch 1 on :data:`TARGET_THREADS` threads.

Pairs are realistic: each bench sentence with the student's own candidates for it from the
product path, or, when the product path gave none, with its neighbour in length among the
bench sentences (a paraphrase is about as long as its source, and the scorer's cost depends
on the pair's token count, not its words).

Runs in a fresh worker process (``role: scoring``, :mod:`bench.worker`) like every other
measurement. When the default scorer bundle is not built the section is skipped, not failed:
the student works alone then, as the app does.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

#: Pairs per ``score`` call: 1 as the pipeline calls it, 5 and 10 as a batched caller would.
BATCH_SIZES = (1, 5, 10)
#: The issue's target machine: 2 cores.
TARGET_THREADS = 2
#: The issue's target: at most this many ms per candidate (batch 1, :data:`TARGET_THREADS`).
TARGET_MS_PER_CANDIDATE = 4.0
#: Timed calls per (threads, batch size) at least, so p90 means something even with 2 sentences.
MIN_CALLS = 30
#: ``--scorer`` value that runs the student alone (no scoring section, no scorer in the product path).
OFF = "none"


@dataclass(frozen=True)
class ScorerChoice:
    """Which scorer bundle the run uses, or why there is none (``folder`` None)."""

    folder: Path | None
    name: str | None
    reason: str = ""
    build_hint: str = ""

    def skipped(self) -> dict[str, Any]:
        return {"status": "skipped", "scorer": self.name, "reason": self.reason, "build_hint": self.build_hint}


def choose_scorer(option: str | None) -> ScorerChoice:
    """``--scorer`` -> the bundle folder; the default missing (or ``none``) is a skip, not an error.

    A scorer the user named that is not built raises :class:`FileNotFoundError` with the command
    that builds it: they asked for it, so a silent skip would hide a typo.
    """
    from models.catalog import MANIFEST_NAME
    from models.scorer_recipes import DEFAULT_SCORER, resolve_scorer_bundle, scorer_rebuild_command

    if option is not None and option.strip().casefold() == OFF:
        return ScorerChoice(None, None, "--scorer none: the student alone")
    folder = resolve_scorer_bundle(option).absolute()  # workers run in the checkout, not the caller's folder
    if (folder / MANIFEST_NAME).is_file():
        return ScorerChoice(folder, folder.name)
    hint = scorer_rebuild_command(folder.name, folder)
    if option is None:
        return ScorerChoice(None, DEFAULT_SCORER, f"the default scorer bundle {DEFAULT_SCORER} is not built "
                            f"({folder}): the product path ran the student alone", hint)
    raise FileNotFoundError(f"scorer bundle {folder.name} is not built ({folder}); build it with: {hint}")


def neighbour_pairs(sources: Sequence[str]) -> list[tuple[str, str]]:
    """Each sentence with the next one in length order (the longest with the one before it)."""
    if len(sources) < 2:
        return [(text, text) for text in sources]
    ordered = sorted(sources, key=lambda text: (len(text.split()), text))
    return [(text, ordered[i + 1] if i + 1 < len(ordered) else ordered[i - 1]) for i, text in enumerate(ordered)]


def scoring_pairs(sentences: Sequence[dict[str, Any]], samples: dict[str, list[str]] | None,
                  case_id: Callable[[int, int], str]) -> tuple[list[tuple[str, str]], str]:
    """``(pairs, origin)``: the student's candidates per sentence (``"student"``) or neighbours.

    ``sentences`` are the workload's (``index``, ``text``); ``samples`` the product path's
    candidate texts by case id; ``case_id(index, n)`` names a sentence's 5-candidate case.
    """
    pairs = [(s["text"], text) for s in sentences for text in (samples or {}).get(case_id(s["index"], 5), [])
             if text.strip()]
    if pairs:
        return pairs, "student"
    return neighbour_pairs([s["text"] for s in sentences]), "neighbours"


def scoring_threads(threads: int) -> list[int]:
    """The target's thread count, and the run's own when it differs (the product path uses it)."""
    return sorted({TARGET_THREADS, max(1, int(threads))})


def planned_ticks(threads: int) -> int:
    """Progress ticks one scoring worker sends: one per (threads, batch size)."""
    return len(scoring_threads(threads)) * len(BATCH_SIZES)


def calls_for(pairs: int, batch: int, repeat: int) -> tuple[int, int]:
    """``(calls per pass, passes)``: every pair once a pass; at least ``repeat`` passes and :data:`MIN_CALLS` calls."""
    per_pass = max(1, math.ceil(pairs / batch))
    return per_pass, max(repeat, math.ceil(MIN_CALLS / per_pass))


def measure_scoring(folder: Path, pairs: Sequence[tuple[str, str]], *, threads: Sequence[int],
                    batch_sizes: Sequence[int] = BATCH_SIZES, repeat: int, guard: Any,
                    tick: Callable[[], None] = lambda: None) -> dict[str, Any]:
    """Load the scorer once per thread count, then time ``score`` calls at each batch size.

    One guarded unit is a whole pass over the pairs (a single call, a few ms, is far shorter
    than the CPU meter's resolution); each call inside it is timed on its own. A batch takes
    the next ``batch`` pairs, wrapping round, so every batch size sees the same texts.
    """
    from models.scorer import MeaningScorer
    from models.scorer_bundle import load_scorer_manifest

    from .machine import CpuMeter

    if not pairs:
        raise ValueError("no pairs to score")
    sources = [s for s, _ in pairs]
    candidates = [c for _, c in pairs]
    out: dict[str, Any] = {"folder": str(folder), "pairs": len(pairs), "by_threads": {}}
    for count in threads:
        started = time.perf_counter()
        manifest = load_scorer_manifest(folder, verify=True)
        verified = time.perf_counter()
        scorer = MeaningScorer(folder, manifest, threads=int(count))
        loaded = time.perf_counter()
        scorer.score(sources[:1], candidates[:1])
        first_call_s = time.perf_counter() - loaded
        if "name" not in out:
            out.update(name=scorer.name, threshold=scorer.threshold, max_length=scorer.max_length,
                       pair_tokens=[len(e.ids) for e in scorer.tokenizer.encode_batch(list(zip(sources, candidates)))])
        entry: dict[str, Any] = {"verify_s": round(verified - started, 4), "session_s": round(loaded - verified, 4),
                                 "load_s": round(loaded - started, 4), "first_call_s": round(first_call_s, 4),
                                 "batches": {}}
        for batch in batch_sizes:
            per_pass, passes = calls_for(len(pairs), batch, repeat)
            chunks = [_wrapped(len(pairs), i * batch, batch) for i in range(per_pass)]

            def one_pass(chunks: list[list[int]] = chunks) -> list[float]:
                spent = []
                for rows in chunks:
                    src, cand = [sources[i] for i in rows], [candidates[i] for i in rows]
                    began = time.perf_counter()
                    scorer.score(src, cand)
                    spent.append(time.perf_counter() - began)
                return spent

            one_pass()  # warm-up: this batch shape's first run
            calls: list[float] = []
            redone = 0
            meter = CpuMeter()  # over all passes: one pass is too short for /proc/stat's 10 ms ticks
            for _ in range(passes):
                _, spent, _, attempts = guard.run(one_pass)
                calls += spent
                redone += attempts - 1
            entry["batches"][str(batch)] = {"calls_s": [round(c, 6) for c in calls],
                                            "others_cores_avg": meter.finish()["others_cores_avg"],
                                            "redone_passes": redone}
            tick()
        out["by_threads"][str(count)] = entry
    return out


def run_scoring_spec(spec: dict[str, Any], tick: Callable[[], None]) -> dict[str, Any]:
    """The worker's ``role: scoring``: :func:`measure_scoring` on the spec's pairs."""
    from .machine import NoiseGuard

    guard = NoiseGuard(threshold=float(spec.get("noise_threshold", 0.25)), retries=int(spec.get("noise_retries", 3)))
    result = measure_scoring(Path(spec["scorer"]), [tuple(p) for p in spec["pairs"]],  # type: ignore[misc]
                             threads=[int(t) for t in spec["threads_list"]],
                             batch_sizes=[int(b) for b in spec.get("batch_sizes", BATCH_SIZES)],
                             repeat=int(spec["repeat"]), guard=guard, tick=tick)
    return {**result, "origin": spec.get("origin"), "noise_wait_s": guard.waited_s}


def _wrapped(total: int, start: int, size: int) -> list[int]:
    """``size`` indices from ``start``, wrapping round ``total``."""
    return [(start + k) % total for k in range(size)]
