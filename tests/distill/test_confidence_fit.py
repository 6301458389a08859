"""The confidence a student candidate is shown with: the fit on candidates read by eye.

Synthetic labels check the fit itself; the committed scorer's ``candidate_calibration`` is
checked against its committed labels, so the number a card shows is the one its labels give.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from distill import confidence_fit
from distill.confidence_fit import LABELS_FILE, REPORT_FILE, fit_report, read_labels, text_digest, write_fit
from models.scorer_recipes import DEFAULT_SCORER, SCORERS

PAIR = {"scale": 0.73, "bias": -0.03}


def synthetic(n: int, scale: float, bias: float, source_scale: float = 0.0, seed: int = 0) -> list[dict]:
    rng = np.random.default_rng(seed)
    logits = rng.normal(2.0, 1.2, n)
    source_logits = rng.normal(2.5, 1.0, n)
    faithful = rng.random(n) < 1 / (1 + np.exp(-(scale * logits + source_scale * source_logits + bias)))
    return [{"set": "s", "source_sha256": text_digest(str(i)), "candidate_sha256": text_digest(f"c{i}"),
             "logit": float(x), "source_logit": float(z), "faithful": bool(y)}
            for i, (x, z, y) in enumerate(zip(logits, source_logits, faithful))]


def write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def test_the_fit_recovers_a_known_calibration_and_is_checked_on_labels_it_left_out(tmp_path: Path) -> None:
    labels = read_labels(write(tmp_path / "l.jsonl", synthetic(4000, 1.0, -2.0, source_scale=-0.6)))
    report = fit_report(labels, PAIR)
    assert report["scale"] == pytest.approx(1.0, abs=0.15) and report["source_scale"] == pytest.approx(-0.6, abs=0.15)
    assert report["bias"] == pytest.approx(-2.0, abs=0.4)
    assert report["cross_validated"]["log_loss"] < report["logit_only"]["log_loss"]  # the source's term earns its place
    assert report["labels"] == 4000 and report["faithful"] == sum(label.faithful for label in labels)
    # the pair calibration overstates these labels; the cross-validated fit does not
    assert report["pair"]["mean"] > report["cross_validated"]["mean"] + 0.3
    assert report["cross_validated"]["log_loss"] < min(report["pair"]["log_loss"], report["logit_only"]["log_loss"])
    assert abs(report["cross_validated"]["mean"] - report["faithful"] / 4000) < 0.02
    assert report["range"][0] < report["range"][1] <= 1.0


def test_labels_with_text_are_scored_and_kept_as_hashes(tmp_path: Path) -> None:
    rows = [{"set": "news", "source": "The train left.", "candidate": "We missed the train.", "faithful": False},
            {"set": "news", "logit": 1.5, "source_logit": 2.5, "faithful": True, "source_sha256": "ab",
             "candidate_sha256": "cd"}]
    calls = []

    def logits(sources: list[str], candidates: list[str]) -> np.ndarray:
        calls.append((list(sources), list(candidates)))
        return np.array([0.25, 3.0], dtype=np.float32)

    labels = read_labels(write(tmp_path / "l.jsonl", rows), logits)
    # only the row with text is scored: against its candidate, and the source against itself
    assert calls == [(["The train left.", "The train left."], ["We missed the train.", "The train left."])]
    assert (labels[0].logit, labels[0].source_logit) == (0.25, 3.0)
    assert labels[0].source_sha256 == text_digest("The train left.")
    assert (labels[1].logit, labels[1].source_logit) == (1.5, 2.5) and labels[1].faithful
    assert "train" not in json.dumps([vars(label) for label in labels])  # no text is kept
    with pytest.raises(ValueError, match="a scorer is needed"):
        read_labels(tmp_path / "l.jsonl")


@pytest.mark.parametrize(("row", "message"), [
    ({"logit": 1.0}, ":1: needs \"faithful\": true or false"),
    ({"logit": 1.0, "faithful": "yes"}, ":1: needs \"faithful\""),
    ({"faithful": True, "source": "only a source"}, ":1: needs a finite \"logit\" and \"source_logit\""),
    ({"faithful": True, "logit": float("nan"), "source_logit": 1.0}, ":1: needs a finite \"logit\""),
    ({"faithful": True, "logit": 1.0}, ":1: needs a finite \"logit\" and \"source_logit\""),
])
def test_a_bad_label_names_its_line(tmp_path: Path, row: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        read_labels(write(tmp_path / "l.jsonl", [row]))


def test_too_few_labels_or_an_inverted_fit_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least 20"):
        fit_report(read_labels(write(tmp_path / "a.jsonl", synthetic(10, 0.7, -2.0))), PAIR)
    one_class = [dict(row, faithful=True) for row in synthetic(50, 0.7, -2.0)]
    with pytest.raises(ValueError, match="both faithful and changed"):
        fit_report(read_labels(write(tmp_path / "b.jsonl", one_class)), PAIR)
    with pytest.raises(ValueError, match="would invert the confidence"):
        fit_report(read_labels(write(tmp_path / "c.jsonl", synthetic(2000, -0.8, 1.0))), PAIR)


def test_the_command_commits_labels_report_and_calibration_beside_the_scorer(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / DEFAULT_SCORER
    folder.mkdir()
    shutil.copyfile(SCORERS[DEFAULT_SCORER].folder / "scorer.json", folder / "scorer.json")
    pair = json.loads((folder / "scorer.json").read_text(encoding="utf-8"))["calibration"]
    monkeypatch.setitem(SCORERS, DEFAULT_SCORER, SCORERS[DEFAULT_SCORER].__class__(DEFAULT_SCORER, folder))
    labels = write(tmp_path / "labels.jsonl", synthetic(300, 0.7, -2.0))
    assert confidence_fit.main(["--labels", str(labels)]) == 0
    printed = json.loads(capsys.readouterr().out)
    config = json.loads((folder / "scorer.json").read_text(encoding="utf-8"))
    assert config["candidate_calibration"] == {"scale": printed["scale"], "source_scale": printed["source_scale"],
                                               "bias": printed["bias"], "labels": 300,
                                               "faithful": printed["faithful"], "fitted_on": LABELS_FILE}
    assert config["calibration"] == pair  # the pair calibration is left as it was
    assert len((folder / LABELS_FILE).read_text(encoding="utf-8").splitlines()) == 300
    assert json.loads((folder / REPORT_FILE).read_text(encoding="utf-8"))["labels"] == 300


def test_the_committed_scorer_shows_what_its_committed_labels_give() -> None:
    folder = SCORERS[DEFAULT_SCORER].folder
    config = json.loads((folder / "scorer.json").read_text(encoding="utf-8"))
    fitted = config["candidate_calibration"]
    labels = read_labels(folder / fitted["fitted_on"])
    report = fit_report(labels, config["calibration"])
    assert (fitted["scale"], fitted["source_scale"], fitted["bias"]) == pytest.approx(
        (report["scale"], report["source_scale"], report["bias"]), abs=1e-4)
    assert fitted["labels"] == len(labels) >= 200 and fitted["faithful"] == report["faithful"]
    committed = json.loads((folder / REPORT_FILE).read_text(encoding="utf-8"))
    assert committed["cross_validated"] == report["cross_validated"]
    # what the card shows is no more sure than the candidates were: cross-validated mean vs share read faithful
    assert abs(report["cross_validated"]["mean"] - report["faithful"] / report["labels"]) < 0.05
    assert report["cross_validated"]["log_loss"] < min(report["pair"]["log_loss"], report["logit_only"]["log_loss"])
