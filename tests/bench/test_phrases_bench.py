"""The bench's phrase-alternatives section: which words, which index, the measurement's shape,
the worker, the section and the issue-16 target line (structure and rendering; no timing is asserted).

The index is the tiny one written by the real format code (``tests/tiny_phrases.py``); the
scorer is the tiny random one through the real export (``tests/tiny_scorer.py``).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import pytest

from bench.cli import add_arguments, options_from_args
from bench.machine import NoiseGuard
from bench.phrases import (CASE_WORDS, INDEX, MIN_ALTERNATIVES, SCORER, TARGET_P50_MS, case_sentence, choose_index,
                           content_spans, measure_phrases, planned_ticks)
from bench.phrases_report import NO_SCORER, phrases_entry, phrases_markdown
from bench.report import build_document, markdown
from bench.runner import BenchOptions, run_phrases, worker_env
from bench.targets import TARGETS, evaluate_targets, targets_markdown

SENTENCES = [
    {"index": 0, "text": "The significant rise in house prices worried the whole neighborhood last year.", "words": 12},
    {"index": 1, "text": "Several big islands were allowed to look into running their own refuge for birds.",
     "words": 14},
    {"index": 2, "text": "It rained.", "words": 2},
]
PASSES = 2


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201 - tiny_scorer.TinyScorer
    from tiny_scorer import tiny_scorer

    return tiny_scorer(tmp_path_factory)


@pytest.fixture(scope="module")
def tiny_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tiny_phrases import write_tiny_index

    return write_tiny_index(tmp_path_factory.mktemp("phrases") / "tiny-phrases")


def quiet_guard() -> NoiseGuard:
    """Never waits or redoes a run: the tests check shapes, not timings."""
    return NoiseGuard(threshold=1e9, retries=0)


def measure(index: Path, scorer: Path | None) -> tuple[dict[str, Any], int]:
    ticks: list[int] = []
    out = measure_phrases(index, SENTENCES, scorer_folder=scorer, threads=1, repeat=PASSES, guard=quiet_guard(),
                          tick=lambda: ticks.append(1))
    return out, len(ticks)


@pytest.fixture(scope="module")
def with_scorer(tiny_index: Path, tiny) -> tuple[dict[str, Any], int]:  # noqa: ANN001
    return measure(tiny_index, tiny.bundle)


@pytest.fixture(scope="module")
def index_only(tiny_index: Path) -> tuple[dict[str, Any], int]:
    return measure(tiny_index, None)


def ok_raw(outcome: dict[str, Any]) -> dict[str, Any]:
    return {"status": "ok", "index": outcome["index"], "outcome": {"ok": True, **outcome}}


# -- which words, which index ---------------------------------------------------------------------


def test_content_words_have_four_letters_and_are_no_function_words() -> None:
    text = "The big rise in 2024 was not their own doing, but Anna's neighbours' worry."
    assert [text[a:b] for a, b in content_spans(text)] == ["rise", "Anna's", "neighbours", "worry"]
    assert content_spans("It is what it was.") == []


def test_the_case_sentence_is_the_one_closest_to_the_issues_length() -> None:
    rows = [{"index": i, "words": w} for i, w in enumerate((5, 20, 24, 26, 40))]
    assert case_sentence(rows) == 2  # 24 and 26 tie around 25: the shorter
    assert case_sentence([{"index": 7, "words": 3}]) == 7 and case_sentence([]) is None
    assert CASE_WORDS == 25


def test_choose_index_skips_a_missing_default_and_refuses_a_missing_named_one(
        tiny_index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import models.phrases

    monkeypatch.setattr(models.phrases, "PHRASES_DIR", tmp_path)  # no index committed here
    default = choose_index(None)
    assert default.folder is None and default.name == "teacher-phrases-v1"
    skipped = default.skipped()
    assert skipped["status"] == "skipped" and "teacher-phrases-v1 is missing" in skipped["reason"]
    assert "distill.phrase_mining" in skipped["rebuild_hint"]
    off = choose_index("none")
    assert off.folder is None and "not measured" in off.reason
    with pytest.raises(FileNotFoundError, match="restore it with"):
        choose_index("no-such-index")
    chosen = choose_index(str(tiny_index))
    assert chosen.folder == tiny_index and chosen.name == "tiny-phrases"


def test_the_cli_passes_the_index_choice_on() -> None:
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    options = options_from_args(parser.parse_args(["--quick", "--phrases", "none"]), [])
    assert options.phrases == "none" and options.to_dict()["phrases"] == "none"  # type: ignore[attr-defined]
    assert options_from_args(parser.parse_args([]), []).phrases is None  # type: ignore[attr-defined]


# -- the measurement ------------------------------------------------------------------------------


def test_measurement_times_every_content_word_in_both_rankings(with_scorer: tuple[dict[str, Any], int],
                                                               tiny_index: Path, tiny) -> None:  # noqa: ANN001
    from models.phrases import PhraseIndex

    out, ticks = with_scorer
    assert ticks == planned_ticks(True, PASSES) == 2 * PASSES
    expected = [(s["index"], a, b) for s in SENTENCES for a, b in content_spans(s["text"])]
    assert [(w["sentence"], w["start"], w["end"]) for w in out["words"]] == expected
    assert out["index"] == "tiny-phrases" and out["phrases"] > 0 and out["size_bytes"] > 0
    assert out["scorer"] == tiny.bundle.name and out["threads"] == 1 and out["k"] == 8
    assert list(out["rankings"]) == [INDEX, SCORER]
    index = PhraseIndex.load(tiny_index)
    for name, measured in out["rankings"].items():
        assert len(measured["elapsed_ms"]) == len(expected)
        assert all(len(runs) == PASSES for runs in measured["elapsed_ms"])
        assert measured["redone_passes"] == 0
    direct = [len(index.alternatives(SENTENCES[i]["text"], a, b, 8).alternatives) for i, a, b in expected]
    assert out["rankings"][INDEX]["alternatives"] == direct
    assert max(direct) >= MIN_ALTERNATIVES and min(direct) < MIN_ALTERNATIVES  # the fixture covers both sides
    json.dumps(out)


def test_section_summarizes_each_ranking_and_judges_the_target_with_the_scorer(
        with_scorer: tuple[dict[str, Any], int]) -> None:
    out, _ = with_scorer
    entry = phrases_entry(ok_raw(out))
    words = len(out["words"])
    assert entry["status"] == "ok" and entry["words"] == words and entry["sentences"] == len(SENTENCES)
    assert entry["case"] == {"sentence": 1, "words": 14, "content_words": len(content_spans(SENTENCES[1]["text"]))}
    assert [r["ranking"] for r in entry["rankings"]] == [INDEX, SCORER]
    for ranking in entry["rankings"]:
        counts = out["rankings"][ranking["ranking"]]["alternatives"]
        assert ranking["queries"] == words * PASSES and ranking["passes"] == PASSES
        assert ranking["p50_ms"] <= ranking["p90_ms"] <= ranking["max_ms"]
        assert ranking["covered"] == sum(c >= MIN_ALTERNATIVES for c in counts)
        assert ranking["coverage"] == pytest.approx(ranking["covered"] / words, abs=1e-4)
        assert ranking["case_p50_ms"] is not None
    scored = entry["rankings"][1]
    assert scored["scorer"] == out["scorer"] and entry["rankings"][0]["scorer"] is None
    target = entry["target"]
    assert target["ranking"] == SCORER and target["p50_ms"] == scored["p50_ms"] and target["limit_ms"] == TARGET_P50_MS
    assert target["pass"] == (scored["p50_ms"] <= TARGET_P50_MS) and "note" not in target
    text = "\n".join(phrases_markdown(entry))
    assert "### Phrase alternatives (`tiny-phrases`)" in text and "p50 ms, 14-word sentence" in text
    assert f"in context: meaning scorer `{out['scorer']}`, 1 thread" in text and "index scores alone" in text
    assert "Target: p50 ≤ 50 ms in-process (issue 16)" in text
    assert ("**pass**" in text) == target["pass"] and ("**FAIL**" in text) != target["pass"]
    table = [line for line in text.splitlines() if line.startswith("| ")]
    assert len(table) == 1 + len(entry["rankings"]) and len({line.count("|") for line in table}) == 1
    if any(r["examples"] for r in entry["rankings"]):
        assert "Sample (14-word sentence" in text


def test_without_a_scorer_the_index_ranking_is_shown_but_not_judged(index_only: tuple[dict[str, Any], int]) -> None:
    out, ticks = index_only
    assert ticks == planned_ticks(False, PASSES) and list(out["rankings"]) == [INDEX] and "scorer" not in out
    entry = phrases_entry(ok_raw(out))
    target = entry["target"]
    assert target["ranking"] == INDEX and target["pass"] is None and target["note"] == NO_SCORER
    assert target["p50_ms"] == entry["rankings"][0]["p50_ms"]
    line = next(t for t in evaluate_targets({"phrases": entry}) if t["key"] == "phrases_p50_ms")
    assert line["pass"] is None and line["note"] == NO_SCORER and line["value"] == target["p50_ms"]
    assert "**not measured** (ranked by the index alone" in "\n".join(phrases_markdown(entry))


def test_a_missing_index_is_a_skipped_section_not_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import models.phrases

    monkeypatch.setattr(models.phrases, "PHRASES_DIR", tmp_path)
    entry = phrases_entry(choose_index(None).skipped())
    assert entry["status"] == "skipped"
    text = "\n".join(phrases_markdown(entry))
    assert "Skipped: the phrase index teacher-phrases-v1 is missing" in text and "restore it with" in text
    assert phrases_entry(None)["status"] == "skipped"  # a raw document from before the section existed
    failed = phrases_entry({"status": "ok", "index": "x", "outcome": {"ok": False, "error": "PhraseIndexError: bad"}})
    assert failed["status"] == "failed" and "bad" in "\n".join(phrases_markdown(failed))
    line = next(t for t in evaluate_targets({"phrases": entry}) if t["key"] == "phrases_p50_ms")
    assert line["pass"] is None and line["value"] is None


# -- the worker, the document, the targets table --------------------------------------------------


def test_the_phrases_worker_runs_in_its_own_process(tiny_index: Path, tiny, tmp_path: Path) -> None:  # noqa: ANN001
    sentences = tmp_path / "sentences.txt"
    sentences.write_text("# two sentences\n" + "\n".join(s["text"] for s in SENTENCES[:2]) + "\n", encoding="utf-8")

    class Counting:
        ticks = 0

        def tick(self, count: int = 1) -> None:
            self.ticks += count

        def status(self, text: str) -> None:
            pass

    progress = Counting()
    options = BenchOptions(threads=1, repeat=1, sentences_file=sentences, noise_threshold=1e9, noise_retries=0)
    raw = run_phrases(tiny_index, tiny.bundle, options, progress, worker_env(1, tiny.bundle))  # type: ignore[arg-type]
    outcome = raw["outcome"]
    assert raw["status"] == "ok" and raw["index"] == "tiny-phrases"
    assert outcome["ok"], outcome.get("stderr_tail")
    assert list(outcome["rankings"]) == [INDEX, SCORER] and outcome["peak_rss_mb"]
    assert {w["sentence"] for w in outcome["words"]} == {0, 1}
    assert progress.ticks == planned_ticks(True, 1)


def minimal_raw(phrases: dict[str, Any] | None) -> dict[str, Any]:
    """A raw result with no product path or backend: only what the phrases section needs."""
    from bench.machine import machine_facts

    machine = machine_facts(1)
    machine["contention"] = {"others_cores_avg": 0.0}
    raw = {"options": BenchOptions(threads=1, repeat=PASSES, quick=True, command="pytest").to_dict(),
           "command": "pytest", "created": "2026-01-01T00:00:00+00:00", "machine": machine, "code": {},
           "workloads": {}, "product": {}, "backends": {}, "skipped": {}, "matched_new_tokens": None,
           "scoring": {"status": "skipped", "reason": "--scorer none: the student alone"}, "wall_s": 1.0}
    if phrases is not None:
        raw["phrases"] = phrases
    return raw


def test_document_and_report_carry_the_section_and_its_target_line(with_scorer: tuple[dict[str, Any], int]) -> None:
    out, _ = with_scorer
    doc = build_document(minimal_raw(ok_raw(out)))
    json.dumps(doc)
    assert doc["phrases"]["status"] == "ok" and doc["config"]["phrases"] is None
    assert [t["key"] for t in doc["targets"]] == [t.key for t in TARGETS]
    line = doc["targets"][-1]
    assert line["key"] == "phrases_p50_ms" and line["value"] == doc["phrases"]["target"]["p50_ms"]
    assert line["pass"] == doc["phrases"]["target"]["pass"]
    text = markdown(doc)
    assert "### Targets (issue 15) and phrase alternatives (issue 16)" in text
    assert "### Phrase alternatives (`tiny-phrases`)" in text
    row = next(r for r in text.splitlines() if r.startswith("| phrase alternatives"))
    assert "(issue 16) | ≤ 50 ms |" in row and f"{line['value']:.2f} ms" in row
    # A raw result without the section (an older run) still renders, with a skipped section.
    older = build_document(minimal_raw(None))
    assert older["phrases"]["status"] == "skipped" and "Skipped: not part of this run" in markdown(older)


def test_documents_without_a_phrases_section_get_no_phrase_line() -> None:
    doc = {"headline": {"scorer": "s", "n5_p50_s": 0.45}, "scoring": {"target": {"ms_per_candidate_p50": 3.2}}}
    assert "phrases_p50_ms" not in {t["key"] for t in evaluate_targets(doc)}
    assert targets_markdown(evaluate_targets(doc))[0] == "### Targets (issue 15)"
    doc["phrases"] = {"scorer": "s", "target": {"ranking": SCORER, "p50_ms": 61.0}}
    line = next(t for t in evaluate_targets(doc) if t["key"] == "phrases_p50_ms")
    assert line["pass"] is False and line["value"] == 61.0
    doc["phrases"]["target"]["p50_ms"] = 12.0
    assert next(t for t in evaluate_targets(doc) if t["key"] == "phrases_p50_ms")["pass"] is True
