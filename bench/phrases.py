"""Phrase alternatives (issue 16): how long a query takes in-process, and how often it finds enough.

A writer double-clicks a word and waits for the list, so the figure that matters is
:attr:`models.phrases.PhraseAlternatives.elapsed_ms`, the query's own time inside the
process (span check, look-up, fitting checks and, with a meaning scorer, one ``score``
call over the sentence with each alternative in place). It is measured on every content
word (:func:`content_spans`: 4+ letters, not a function word) of every committed bench
sentence, whatever ``--sentences``/``--quick`` chose for the slow sections: a query takes
milliseconds, and the more words, the more p50/p90 mean. Twice: ranked by the index's own
scores, and ranked in context by the run's meaning scorer (the app's setting when the
scorer is built), on the run's ``--threads``. The issue's case is a word in a ~25-word
sentence (:data:`CASE_WORDS`); the target (:data:`TARGET_P50_MS`) is judged on every word
pooled, with the scorer.

Coverage: the share of those words given at least :data:`MIN_ALTERNATIVES` alternatives
(the issue's held-out bar is 85% of news words; bench sentences are everyday prose).

Runs in a fresh worker process (``role: phrases``, :mod:`bench.worker`), so the index's
load time is a first load. A missing default index skips the section with the command
that restores it; an index named with ``--phrases`` that is missing stops the run.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

#: The issue's target: p50 ``elapsed_ms`` at most this, in-process.
TARGET_P50_MS = 50.0
#: A word is covered when it gets at least this many alternatives.
MIN_ALTERNATIVES = 3
#: Alternatives asked for per query (the app's and the CLI's default).
K = 8
#: Content words have at least this many letters.
MIN_LETTERS = 4
#: The issue's case: a word in a sentence of about this many words.
CASE_WORDS = 25
#: ``--phrases`` value that leaves the section out.
OFF = "none"
#: The two rankings measured: the index's scores alone, and the meaning scorer in context.
INDEX, SCORER = "index", "scorer"
#: Words of the case sentence whose top alternatives the JSON keeps as a sample.
EXAMPLES = 3


@dataclass(frozen=True)
class IndexChoice:
    """Which phrase index the run measures, or why none (``folder`` None)."""

    folder: Path | None
    name: str | None
    reason: str = ""
    rebuild_hint: str = ""

    def skipped(self) -> dict[str, Any]:
        return {"status": "skipped", "index": self.name, "reason": self.reason, "rebuild_hint": self.rebuild_hint}


def choose_index(option: str | None) -> IndexChoice:
    """``--phrases`` -> the index folder; the default missing (or ``none``) is a skip, not an error.

    An index the user named that is missing raises :class:`FileNotFoundError` with the command
    that restores it: they asked for it, so a silent skip would hide a typo.
    """
    from models.catalog import MANIFEST_NAME
    from models.phrase_store import phrases_rebuild_command
    from models.phrases import DEFAULT_INDEX, resolve_index

    if option is not None and option.strip().casefold() == OFF:
        return IndexChoice(None, None, "--phrases none: not measured")
    folder = resolve_index(option).absolute()  # workers run in the checkout, not the caller's folder
    if (folder / MANIFEST_NAME).is_file():
        return IndexChoice(folder, folder.name)
    hint = phrases_rebuild_command(folder)
    if option is None:
        return IndexChoice(None, DEFAULT_INDEX, f"the phrase index {DEFAULT_INDEX} is missing ({folder})", hint)
    raise FileNotFoundError(f"phrase index {folder.name} is missing ({folder}); restore it with: {hint}")


def content_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the words a writer would ask alternatives for: 4+ letters, not a function word."""
    from models.phrase_words import FUNCTION_WORDS, WORD, norm_word

    return [m.span() for m in WORD.finditer(text)
            if sum(ch.isalpha() for ch in m.group()) >= MIN_LETTERS and norm_word(m.group()) not in FUNCTION_WORDS]


def case_sentence(sentences: Sequence[dict[str, Any]]) -> int | None:
    """Index of the sentence closest to :data:`CASE_WORDS` words (the shorter on a tie)."""
    if not sentences:
        return None
    return min(sentences, key=lambda s: (abs(int(s["words"]) - CASE_WORDS), int(s["words"])))["index"]


def planned_ticks(with_scorer: bool, repeat: int) -> int:
    """Progress ticks one phrases worker sends: one per timed pass over the words."""
    return (2 if with_scorer else 1) * max(1, int(repeat))


def measure_phrases(index_folder: Path, sentences: Sequence[dict[str, Any]], *, scorer_folder: Path | None,
                    threads: int, repeat: int, guard: Any, k: int = K,
                    tick: Callable[[], None] = lambda: None) -> dict[str, Any]:
    """Load the index (timed: a first load in this process), then time every content word's query.

    ``sentences``: ``{"index", "text", "words"}``. For each ranking (the index alone, then the
    scorer's when ``scorer_folder`` is given), one untimed warm-up pass, then ``repeat``
    guarded passes over all the words; each query's ``elapsed_ms`` is kept. The number of
    alternatives is the same in every pass (the query is deterministic): the first pass's counts.
    """
    from models.phrases import PhraseIndex

    from .machine import CpuMeter

    started = time.perf_counter()
    index = PhraseIndex.load(index_folder)
    load_s = time.perf_counter() - started
    size = sum((index_folder / rel).stat().st_size for rel in index.manifest.files if (index_folder / rel).is_file())
    queries = [(int(s["index"]), s["text"], span) for s in sentences for span in content_spans(s["text"])]
    if not queries:
        raise ValueError("the bench sentences have no content words to query")
    out: dict[str, Any] = {"index": index.name, "folder": str(index_folder), "load_s": round(load_s, 4),
                           "phrases": len(index), "size_bytes": size, "k": k, "threads": int(threads),
                           "sentences": [{"index": int(s["index"]), "words": int(s["words"]),
                                          "content_words": len(content_spans(s["text"]))} for s in sentences],
                           "words": [{"sentence": i, "start": a, "end": b, "text": text[a:b]}
                                     for i, text, (a, b) in queries],
                           "rankings": {}}
    rankings: list[tuple[str, Any]] = [(INDEX, None)]
    if scorer_folder is not None:
        from models.scorer import MeaningScorer

        started = time.perf_counter()
        scorer = MeaningScorer.load(scorer_folder, threads=int(threads))
        out.update(scorer=scorer.name, scorer_load_s=round(time.perf_counter() - started, 4))
        rankings.append((SCORER, scorer))
    for name, scorer in rankings:

        def one_pass(scorer: Any = scorer) -> list[Any]:
            return [index.alternatives(text, a, b, k, scorer=scorer) for _, text, (a, b) in queries]

        first = one_pass()  # warm-up: the first query of each word pays for cold caches and the session's first run
        elapsed: list[list[float]] = [[] for _ in queries]
        redone = 0
        meter = CpuMeter()
        for _ in range(max(1, int(repeat))):
            _, answers, _, attempts = guard.run(one_pass)
            for slot, answer in zip(elapsed, answers):
                slot.append(round(answer.elapsed_ms, 4))
            redone += attempts - 1
            tick()
        out["rankings"][name] = {
            "alternatives": [len(answer.alternatives) for answer in first],
            "elapsed_ms": elapsed,
            "examples": _examples(queries, first, case_sentence(sentences)),
            "others_cores_avg": meter.finish()["others_cores_avg"], "redone_passes": redone}
    return out


def run_phrases_spec(spec: dict[str, Any], tick: Callable[[], None]) -> dict[str, Any]:
    """The worker's ``role: phrases``: :func:`measure_phrases` on the spec's sentences."""
    from .machine import NoiseGuard

    guard = NoiseGuard(threshold=float(spec.get("noise_threshold", 0.25)), retries=int(spec.get("noise_retries", 3)))
    scorer = spec.get("scorer")
    result = measure_phrases(Path(spec["index"]), spec["sentences"], scorer_folder=Path(scorer) if scorer else None,
                             threads=int(spec["threads"]), repeat=int(spec["repeat"]), guard=guard,
                             k=int(spec.get("k", K)), tick=tick)
    return {**result, "noise_wait_s": guard.waited_s}


def _examples(queries: Sequence[tuple[int, str, tuple[int, int]]], answers: Sequence[Any],
              sentence: int | None) -> list[dict[str, Any]]:
    """The case sentence's first few words that got alternatives, with their top three (a reader's sanity check)."""
    out = []
    for (index, _, _), answer in zip(queries, answers):
        if index == sentence and answer.alternatives and len(out) < EXAMPLES:
            out.append({"phrase": answer.phrase, "alternatives": [a.text for a in answer.alternatives[:3]]})
    return out
