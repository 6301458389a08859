"""A student's confidence fit on candidates read by eye: the scorer's logit and the row's log-prob.

Synthetic labels check the fit; the committed v2 fit is checked against its committed labels,
so the number a card shows is the one those labels give.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from distill import student_confidence_fit
from distill.student_confidence_fit import (LABELS_FILE, READING_LABELS_FILE, REPORT_FILE, fit_reading_shift,
                                            fit_student_report, read_student_labels, text_digest)
from models.recipes import RECIPES, Recipe, get_recipe
from models.student_calibration import CALIBRATION_FILE, StudentCalibration


def synthetic(n: int, scale: float, row_scale: float, bias: float, seed: int = 0) -> list[dict]:
    rng = np.random.default_rng(seed)
    logits = rng.normal(2.0, 1.2, n)
    rows = rng.normal(-0.9, 0.3, n)
    faithful = rng.random(n) < 1 / (1 + np.exp(-(scale * logits + row_scale * rows + bias)))
    return [{"set": "s", "source_sha256": text_digest(str(i // 3)), "candidate_sha256": text_digest(f"c{i}"),
             "logit": float(x), "mean_log_prob": float(r), "faithful": bool(y)}
            for i, (x, r, y) in enumerate(zip(logits, rows, faithful))]


def write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def test_the_fit_recovers_known_weights_and_the_row_earns_its_place(tmp_path: Path) -> None:
    labels = read_student_labels(write(tmp_path / "l.jsonl", synthetic(4000, 0.6, 3.0, 1.0)))
    report = fit_student_report(labels)
    assert report["scale"] == pytest.approx(0.6, abs=0.15) and report["row_scale"] == pytest.approx(3.0, abs=0.6)
    assert report["bias"] == pytest.approx(1.0, abs=0.6)
    held_out = report["cross_validated"]
    assert held_out["log_loss"] < min(report["logit_only"]["log_loss"], report["row_only"]["log_loss"])
    assert held_out["auc"] > report["logit_only"]["auc"]
    assert abs(held_out["mean"] - report["faithful"] / 4000) < 0.02


def test_labels_with_text_are_scored_by_the_scorer_and_the_student_and_kept_as_hashes(tmp_path: Path) -> None:
    rows = [{"set": "news", "source": "The train left.", "candidate": "We missed the train.", "faithful": False,
             "mode": "simpler", "diversity": 1.0},
            {"set": "news", "logit": 1.5, "mean_log_prob": -0.8, "faithful": True, "source_sha256": "ab",
             "candidate_sha256": "cd"}]
    seen: list[list[dict]] = []

    def logits(sources: list[str], candidates: list[str]) -> np.ndarray:
        assert (sources, candidates) == (["The train left."], ["We missed the train."])
        return np.array([0.25])

    def row_scores(texts: list[dict]) -> list[float]:
        seen.append(list(texts))
        return [-1.25]

    labels = read_student_labels(write(tmp_path / "l.jsonl", rows), logits, row_scores)
    assert seen[0][0]["mode"] == "simpler" and seen[0][0]["diversity"] == 1.0  # the prompt the row was written at
    assert (labels[0].logit, labels[0].mean_log_prob, labels[0].faithful) == (0.25, -1.25, False)
    assert labels[0].source_sha256 == text_digest("The train left.") and "train" not in json.dumps(labels[0].__dict__)
    assert (labels[1].logit, labels[1].mean_log_prob, labels[1].source_sha256) == (1.5, -0.8, "ab")
    with pytest.raises(ValueError, match="scorer and the student"):
        read_student_labels(tmp_path / "l.jsonl")


@pytest.mark.parametrize("row, message", [({"set": "s", "logit": 1.0, "mean_log_prob": -1.0}, ":1: needs \"faithful\""),
                                          ({"faithful": True, "logit": 1.0}, ":1: needs a finite"),
                                          ({"faithful": True, "logit": 1.0, "mean_log_prob": "x"}, ":1: needs a finite")])
def test_a_bad_label_names_its_line(tmp_path: Path, row: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        read_student_labels(write(tmp_path / "l.jsonl", [row]))


def test_too_few_labels_or_an_inverted_fit_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least 20"):
        fit_student_report(read_student_labels(write(tmp_path / "a.jsonl", synthetic(10, 0.6, 3.0, 1.0))))
    inverted = synthetic(600, 0.6, -3.0, -4.0)
    with pytest.raises(ValueError, match="invert"):
        fit_student_report(read_student_labels(write(tmp_path / "b.jsonl", inverted)))


def test_the_command_writes_the_fit_beside_the_students_adapter(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    adapter = tmp_path / "student"
    adapter.mkdir()
    monkeypatch.setitem(RECIPES, "test-student", Recipe(name="test-student", base="b", template="{text}",
                                                        adapter_dir=adapter))
    labels = write(tmp_path / "labels.jsonl", synthetic(300, 0.6, 3.0, 1.0))
    assert student_confidence_fit.main(["--student", "test-student", "--labels", str(labels)]) == 0
    printed = json.loads(capsys.readouterr().out)
    written = json.loads((adapter / CALIBRATION_FILE).read_text(encoding="utf-8"))
    assert written["labels"] == 300 and written["fitted_on"] == LABELS_FILE
    assert get_recipe("test-student").confidence == StudentCalibration(
        scorer=written["scorer"], scale=printed["scale"], row_scale=printed["row_scale"], bias=printed["bias"])
    assert len((adapter / LABELS_FILE).read_text(encoding="utf-8").splitlines()) == 300
    assert json.loads((adapter / REPORT_FILE).read_text(encoding="utf-8"))["labels"] == 300
    with pytest.raises(SystemExit):
        student_confidence_fit.main(["--student", "no-such-student", "--labels", str(labels)])
    assert "no-such-student" in capsys.readouterr().err


def test_a_stricter_reading_moves_only_the_level(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    main = write(tmp_path / "labels.jsonl", synthetic(1500, 0.6, 3.0, 1.0))
    stricter = write(tmp_path / "strict.jsonl", synthetic(1500, 0.6, 3.0, 1.0 - 1.5, seed=1))  # same slopes, lower
    report = fit_student_report(read_student_labels(main))
    reading = fit_reading_shift(report, read_student_labels(stricter))
    assert reading["reading_shift"] == pytest.approx(-1.5, abs=0.3)
    assert reading["before"]["mean"] > reading["faithful"] / 1500 + 0.1
    assert reading["after"]["mean"] == pytest.approx(reading["faithful"] / 1500, abs=0.005)
    assert reading["after"]["auc"] == reading["before"]["auc"]  # the order of the rows is the fit's
    adapter = tmp_path / "student"
    adapter.mkdir()
    monkeypatch.setitem(RECIPES, "test-student", Recipe(name="test-student", base="b", template="{text}",
                                                        adapter_dir=adapter))
    assert student_confidence_fit.main(["--student", "test-student", "--labels", str(main),
                                        "--reading-labels", str(stricter)]) == 0
    printed = json.loads(capsys.readouterr().out)
    written = json.loads((adapter / CALIBRATION_FILE).read_text(encoding="utf-8"))
    assert written["reading_shift"] == printed["reading"]["reading_shift"] == pytest.approx(-1.5, abs=0.3)
    assert written["reading_fitted_on"] == READING_LABELS_FILE and written["reading_labels"] == 1500
    assert len((adapter / READING_LABELS_FILE).read_text(encoding="utf-8").splitlines()) == 1500
    assert get_recipe("test-student").confidence.reading_shift == written["reading_shift"]  # type: ignore[union-attr]


def test_the_committed_v2_fit_is_what_its_committed_labels_give() -> None:
    recipe = get_recipe("smollm2-135m-student-v2")
    committed = json.loads((recipe.adapter_dir / CALIBRATION_FILE).read_text(encoding="utf-8"))
    labels = read_student_labels(recipe.adapter_dir / committed["fitted_on"])
    report = fit_student_report(labels)
    assert (committed["scale"], committed["row_scale"], committed["bias"]) == pytest.approx(
        (report["scale"], report["row_scale"], report["bias"]), abs=1e-4)
    assert committed["labels"] == len(labels) >= 300 and committed["faithful"] == report["faithful"]
    assert json.loads((recipe.adapter_dir / REPORT_FILE).read_text(encoding="utf-8"))["cross_validated"] == \
        report["cross_validated"]
    # the row's log-prob is what makes the difference on the student's own candidates
    assert report["cross_validated"]["auc"] > report["logit_only"]["auc"] + 0.1
    assert report["cross_validated"]["log_loss"] < min(report["logit_only"]["log_loss"], report["row_only"]["log_loss"])
    assert abs(report["cross_validated"]["mean"] - report["faithful"] / report["labels"]) < 0.05
    # the level a card shows follows the stricter reading committed beside it
    reading = fit_reading_shift(report, read_student_labels(recipe.adapter_dir / committed["reading_fitted_on"]))
    assert committed["reading_shift"] == pytest.approx(reading["reading_shift"], abs=1e-4)
    assert committed["reading_shift"] < -0.5
    assert committed["reading_labels"] == reading["labels"] >= 250
    # ... and the words a Standard card leaves out, which rank those cards better held out
    assert (committed["detail_scale"], committed["detail_center"]) == pytest.approx(
        (reading["detail_scale"], reading["detail_center"]), abs=1e-4)
    assert committed["detail_scale"] < -0.5 and reading["counted"] >= 150
    held_out = reading["held_out"]
    assert held_out["counted_with_details"]["auc"] > held_out["counted_level_only"]["auc"] + 0.05
    assert held_out["with_details"]["log_loss"] < held_out["level_only"]["log_loss"]


def test_the_words_left_out_get_their_own_weight_and_other_modes_keep_the_level(tmp_path: Path) -> None:
    """Standard cards carry a count; the cards of a mode that may drop words (None) keep the level."""
    rng = np.random.default_rng(5)
    main = synthetic(1500, 0.6, 3.0, 1.0)
    rows = []
    for i, row in enumerate(synthetic(2400, 0.6, 3.0, 1.0, seed=2)):
        z = 0.6 * row["logit"] + 3.0 * row["mean_log_prob"] + 1.0
        if i % 3:  # a Standard card: -0.8 per word left out beyond 1.5, on a lower level
            count = int(rng.integers(0, 6))
            z += -1.0 - 0.8 * (count - 1.5)
        else:
            count = None
            z += -1.0
        rows.append({**row, "faithful": bool(rng.random() < 1 / (1 + np.exp(-z))), "details": count})
    report = fit_student_report(read_student_labels(write(tmp_path / "main.jsonl", main)))
    reading = fit_reading_shift(report, read_student_labels(write(tmp_path / "strict.jsonl", rows)))
    assert reading["detail_scale"] == pytest.approx(-0.8, abs=0.2)
    assert reading["detail_center"] == pytest.approx(1.5, abs=0.5)
    assert reading["reading_shift"] == pytest.approx(-1.0, abs=0.3)
    assert reading["counted"] == 1600
    assert reading["held_out"]["counted_with_details"]["auc"] > reading["held_out"]["counted_level_only"]["auc"]
    # a count that would raise the number is not taken: the level alone
    flipped = [{**row, "details": (5 - row["details"]) if row["details"] is not None else None} for row in rows]
    level_only = fit_reading_shift(report, read_student_labels(write(tmp_path / "flipped.jsonl", flipped)))
    assert level_only["detail_scale"] == 0.0
    with pytest.raises(ValueError, match="not a count"):
        read_student_labels(write(tmp_path / "bad.jsonl", [{**rows[1], "details": -1}]))
