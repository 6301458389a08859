"""The bench's meaning-scorer section: choosing the scorer, the pairs, the measurement's shape,
the product path's cost split, the skip path and the report (no timing is asserted).

The scorer is the tiny random one exported by the real export code (``tests/tiny_scorer.py``);
the product path runs the tiny exported student (``tiny_bundle`` in ``tests/conftest.py``).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from bench.machine import NoiseGuard
from bench.product import run_product_cases
from bench.report import build_document, markdown
from bench.runner import BenchOptions, product_case_id, run_worker, worker_env
from bench.scoring import (BATCH_SIZES, MIN_CALLS, TARGET_THREADS, calls_for, choose_scorer, measure_scoring,
                           neighbour_pairs, planned_ticks, scoring_pairs, scoring_threads)
from bench.scoring_report import scoring_entry, scoring_markdown
from bench.targets import TARGETS, evaluate_targets, targets_markdown
from models.catalog import BUNDLES_ENV
from models.confidence import SCORER_ENV

SENTENCES = [{"index": 0, "text": "It rained."},
             {"index": 1, "text": "The committee met on Tuesday to discuss the budget for next year."},
             {"index": 2, "text": "She sold the old car to her neighbour last spring."}]
TINY_SENTENCE = "the dog ran under the red house ."


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201 - tiny_scorer.TinyScorer
    from tiny_scorer import tiny_scorer

    return tiny_scorer(tmp_path_factory)


class CountingProgress:
    """What :func:`bench.runner.run_worker` needs of a progress bar, counting ticks."""

    def __init__(self) -> None:
        self.ticks = 0

    def tick(self, count: int = 1) -> None:
        self.ticks += count

    def status(self, text: str) -> None:
        pass


def quiet_guard() -> NoiseGuard:
    """Never waits or redoes a run: the tests check shapes, not timings."""
    return NoiseGuard(threshold=1e9, retries=0)


@pytest.fixture(scope="module")
def measured(tiny) -> dict[str, Any]:  # noqa: ANN001
    ticks: list[int] = []
    pairs = neighbour_pairs([s["text"] for s in SENTENCES])
    out = measure_scoring(tiny.bundle, pairs, threads=scoring_threads(1), repeat=1, guard=quiet_guard(),
                          tick=lambda: ticks.append(1))
    return {"out": {**out, "origin": "neighbours"}, "ticks": len(ticks)}


# -- which scorer, which pairs ------------------------------------------------------------------


def test_choose_scorer_skips_a_missing_default_and_refuses_a_missing_named_one(
        tiny, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    monkeypatch.setenv(BUNDLES_ENV, str(tmp_path))  # no scorer bundle built here
    default = choose_scorer(None)
    assert default.folder is None and default.name == "minilm-l4-meaning-v1"
    skipped = default.skipped()
    assert skipped["status"] == "skipped" and "not built" in skipped["reason"] and skipped["build_hint"]
    off = choose_scorer("none")
    assert off.folder is None and "student alone" in off.reason
    with pytest.raises(FileNotFoundError, match="build it with"):
        choose_scorer("no-such-scorer")
    chosen = choose_scorer(str(tiny.bundle))
    assert chosen.folder == tiny.bundle and chosen.name == tiny.bundle.name


def test_neighbour_pairs_give_each_sentence_one_of_similar_length() -> None:
    pairs = neighbour_pairs([s["text"] for s in SENTENCES])
    assert sorted(source for source, _ in pairs) == sorted(s["text"] for s in SENTENCES)
    assert all(source != candidate for source, candidate in pairs)
    assert dict(pairs)["It rained."] == SENTENCES[2]["text"]  # the next longer one
    assert neighbour_pairs(["Alone."]) == [("Alone.", "Alone.")]


def test_scoring_pairs_prefer_the_students_own_candidates() -> None:
    samples = {product_case_id(1, 5): ["The committee met on Tuesday about next year's budget.", "  "],
               product_case_id(1, 1): ["never used: only the 5-candidate case"]}
    pairs, origin = scoring_pairs(SENTENCES, samples, product_case_id)
    assert origin == "student"
    assert pairs == [(SENTENCES[1]["text"], "The committee met on Tuesday about next year's budget.")]
    pairs, origin = scoring_pairs(SENTENCES, None, product_case_id)
    assert origin == "neighbours" and len(pairs) == len(SENTENCES)


def test_every_batch_size_gets_enough_calls() -> None:
    for pairs in (1, 2, 10, 55):
        for batch in BATCH_SIZES:
            per_pass, passes = calls_for(pairs, batch, repeat=3)
            assert per_pass * batch >= pairs and passes >= 3 and per_pass * passes >= MIN_CALLS
    assert scoring_threads(2) == [TARGET_THREADS] and scoring_threads(4) == [2, 4]
    assert planned_ticks(4) == 2 * len(BATCH_SIZES)


# -- the measurement and its section --------------------------------------------------------------


def test_measurement_has_every_thread_count_and_batch_size(measured: dict[str, Any], tiny) -> None:  # noqa: ANN001
    out = measured["out"]
    assert measured["ticks"] == planned_ticks(1)
    assert out["name"] == tiny.bundle.name and out["pairs"] == len(SENTENCES)
    assert len(out["pair_tokens"]) == len(SENTENCES)
    assert list(out["by_threads"]) == ["1", "2"]
    for entry in out["by_threads"].values():
        assert entry["load_s"] == pytest.approx(entry["verify_s"] + entry["session_s"], abs=1e-3)
        assert list(entry["batches"]) == [str(b) for b in BATCH_SIZES]
        for batch, timing in entry["batches"].items():
            per_pass, passes = calls_for(len(SENTENCES), int(batch), repeat=1)
            assert len(timing["calls_s"]) == per_pass * passes
            assert timing["redone_passes"] == 0
    json.dumps(out)


def test_section_summarizes_ms_per_candidate_and_judges_the_target(measured: dict[str, Any]) -> None:
    entry = scoring_entry({"status": "ok", "scorer": "tiny-scorer", "outcome": {"ok": True, **measured["out"]}})
    assert entry["status"] == "ok" and entry["origin"] == "neighbours" and entry["load_threads"] == 1
    assert [(c["threads"], c["batch"]) for c in entry["cases"]] == [(t, b) for t in (1, 2) for b in BATCH_SIZES]
    for case in entry["cases"]:
        assert case["ms_per_candidate_p50"] <= case["ms_per_candidate_p90"]
        assert case["ms_per_call_p50"] == pytest.approx(case["ms_per_candidate_p50"] * case["batch"], rel=1e-2)
    target = entry["target"]
    two_one = next(c for c in entry["cases"] if c["threads"] == 2 and c["batch"] == 1)
    assert target["ms_per_candidate_p50"] == two_one["ms_per_candidate_p50"]
    assert target["pass"] == (two_one["ms_per_candidate_p50"] <= target["limit_ms"])
    text = "\n".join(scoring_markdown(entry))
    assert "### Meaning scorer (`tiny-scorer`" in text and "Target: ≤ 4.0 ms per candidate" in text
    assert ("**pass**" in text) == target["pass"] and ("**FAIL**" in text) != target["pass"]
    table = [line for line in text.splitlines() if line.startswith("| ")]
    assert len(table) == 1 + len(entry["cases"]) and len({line.count("|") for line in table}) == 1


def test_a_missing_scorer_is_a_skipped_section_not_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(BUNDLES_ENV, str(tmp_path))
    entry = scoring_entry(choose_scorer(None).skipped())
    assert entry["status"] == "skipped"
    text = "\n".join(scoring_markdown(entry))
    assert "Skipped: the default scorer bundle minilm-l4-meaning-v1 is not built" in text and "build it with" in text
    assert scoring_entry(None)["status"] == "skipped"  # a raw document from before the section existed
    failed = scoring_entry({"status": "ok", "scorer": "x", "outcome": {"ok": False, "error": "RuntimeError: boom"}})
    assert failed["status"] == "failed" and "boom" in "\n".join(scoring_markdown(failed))


def test_the_scoring_worker_runs_in_its_own_process(tiny) -> None:  # noqa: ANN001
    spec = {"role": "scoring", "scorer": str(tiny.bundle), "pairs": neighbour_pairs([s["text"] for s in SENTENCES]),
            "origin": "neighbours", "threads_list": [1], "batch_sizes": [1, 5], "repeat": 1,
            "noise_threshold": 1e9, "noise_retries": 0}
    progress = CountingProgress()
    outcome = run_worker(spec, progress, "scorer", worker_env(1, tiny.bundle))  # type: ignore[arg-type]
    assert outcome["ok"], outcome.get("stderr_tail")
    assert list(outcome["by_threads"]["1"]["batches"]) == ["1", "5"] and outcome["origin"] == "neighbours"
    assert outcome["peak_rss_mb"] and progress.ticks == 2  # one per batch size


def test_worker_env_names_the_scorer_or_switches_it_off(tiny) -> None:  # noqa: ANN001
    assert worker_env(2, tiny.bundle)[SCORER_ENV] == str(tiny.bundle)
    assert worker_env(2)[SCORER_ENV] == "none"
    assert BenchOptions(scorer="none").to_dict()["scorer"] == "none"


# -- the product path's cost split and the report -------------------------------------------------


@pytest.fixture(scope="module")
def product_outcome(tiny, tiny_bundle: Path) -> dict[str, Any]:  # noqa: ANN001
    from models import Paraphraser
    from models.scorer import MeaningScorer

    scorer = MeaningScorer.load(tiny.bundle, threads=1)
    scorer.threshold = 0.0  # the random scorer would refuse most of the tiny student's rows
    paraphraser = Paraphraser.load(tiny_bundle, threads=1, scorer=scorer)
    cases = [{"id": product_case_id(0, n), "sentence": 0, "text": TINY_SENTENCE, "n": n} for n in (1, 5)]
    result = run_product_cases(paraphraser, cases, repeat=1, diversity=0.5, warmup_text=TINY_SENTENCE,
                               guard=quiet_guard(), tick=lambda: None)
    return {"ok": True, "load_s": 0.1, "scorer_load_s": 0.05, "peak_rss_mb": 100.0, "noise_wait_s": 0.0, **result}


def test_product_runs_split_scoring_from_the_other_checks(product_outcome: dict[str, Any],
                                                         tiny) -> None:  # noqa: ANN001
    assert product_outcome["scorer"] == tiny.bundle.name
    run = product_outcome["runs"][product_case_id(0, 5)][0]
    assert run["score_calls"] == run["scored_rows"] >= run["candidates"] > 0  # one row per call
    assert run["judged_rows"] >= run["scored_rows"]  # the cheap checks see every finished row first
    assert run["judge_s"] >= run["score_s"] > 0 and run["rank_s"] >= 0
    assert run["ranked_out"] >= 0 and run["rejected_meaning"] >= 0
    assert product_outcome["samples"][product_case_id(0, 5)]  # the student's own candidates, for the scorer


def synthetic_raw(tiny_bundle: Path, product: dict[str, Any], scoring: dict[str, Any]) -> dict[str, Any]:
    """A raw result as :func:`bench.runner.run_benchmark` returns it: the product path only."""
    from bench.machine import machine_facts

    folder = str(tiny_bundle)
    work = {"reference": 0, "sentences": [{"index": 0, "text": TINY_SENTENCE, "words": 8, "prompt_tokens": 30,
                                           "source_tokens": 9, "reference": True, "backends": True}]}
    machine = machine_facts(1)
    machine["contention"] = {"others_cores_avg": 0.0}
    return {"options": BenchOptions(threads=1, repeat=1, quick=True, command="pytest").to_dict(),
            "command": "pytest", "created": "2026-01-01T00:00:00+00:00", "machine": machine, "code": {},
            "workloads": {folder: work}, "product": {folder: product}, "backends": {}, "skipped": {},
            "matched_new_tokens": None, "scoring": scoring, "wall_s": 1.0}


def test_report_shows_the_cost_split_the_scorer_section_and_the_targets(
        product_outcome: dict[str, Any], measured: dict[str, Any], tiny_bundle: Path) -> None:
    scoring = {"status": "ok", "scorer": "tiny-scorer", "outcome": {"ok": True, **measured["out"]}}
    doc = build_document(synthetic_raw(tiny_bundle, product_outcome, scoring))
    json.dumps(doc)
    bundle = doc["bundles"][tiny_bundle.name]
    assert bundle["scorer"] == product_outcome["scorer"] and bundle["scorer_load_s"] == 0.05
    row = bundle["n5"]["per_sentence"][0]
    for key in ("score_p50_s", "scored_rows_p50", "score_ms_per_row", "checks_p50_s", "rank_p50_s",
                "sampling_other_p50_s", "rejected_meaning_p50", "ranked_out_p50"):
        assert row[key] is not None
    assert doc["headline"]["scorer"] == product_outcome["scorer"]
    assert [t["key"] for t in doc["targets"]] == [t.key for t in TARGETS]
    assert doc["scoring"]["status"] == "ok"
    text = markdown(doc)
    for section in ("### Targets (issue 15)", "### What each part costs", "### Meaning scorer (`tiny-scorer`",
                    "meaning scorer tiny-scorer, oversampling and scoring included", "rows scored"):
        assert section in text
    cost = [line for line in text.splitlines() if line.startswith("| words | total |")]
    assert len(cost) == 1


def test_targets_are_judged_only_in_the_issues_setting() -> None:
    doc = {"headline": {"scorer": "s", "n5_p50_s": 0.45, "n5_first_candidate_p50_s": 0.31, "speedup_vs_pytorch": 6.0},
           "scoring": {"target": {"ms_per_candidate_p50": 3.2}}}
    judged = {t["key"]: t["pass"] for t in evaluate_targets(doc)}
    assert judged == {"scoring_ms_per_candidate": True, "n5_p50_s": True, "n5_first_candidate_p50_s": False,
                      "speedup_vs_pytorch": True}
    alone = copy.deepcopy(doc)
    alone["headline"]["scorer"] = None
    alone["scoring"] = {"status": "skipped"}
    targets = evaluate_targets(alone)
    assert all(t["pass"] is None for t in targets)
    assert targets[0]["note"] == "not measured in this run"
    assert targets[1]["note"] == "the product path ran without a meaning scorer" and targets[1]["value"] == 0.45
    text = "\n".join(targets_markdown(evaluate_targets(doc)))
    assert text.count("**pass**") == 3 and text.count("**FAIL**") == 1 and "6.00×" in text and "≥ 5×" in text
