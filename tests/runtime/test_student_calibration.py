"""A student's own confidence fit: its format, the manifest, the pipeline and the default bundle.

The fit weighs the scorer's logit and the row's mean token log-probability; it applies only
with the scorer it names, and a row without a score (or another scorer) shows the scorer's
own confidence as before. A row the scorer's threshold refuses passes when the fit is sure
enough of it (:data:`models.pipeline.RESCUE_AT`).
"""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import numpy as np
import pytest
from scorer_stand_in import StandInScorer

from models import Paraphraser
from models.bundle import read_manifest
from models.confidence import student_confidence
from models.errors import BundleError
from models.pipeline import (EMPTY_SCORE, MIN_CONFIDENCE, RESCUE_AT, ByConfidence, Candidate, KeepsMeaning, Source,
                             default_pipeline)
from models.recipes import get_recipe
from models.student_calibration import CALIBRATION_FILE, MANIFEST_KEY, StudentCalibration

SOURCE = Source("The train left without us.")
FIT = {"scorer": "stand-in-scorer", "scale": 0.5, "row_scale": 3.0, "bias": 1.0}


class LogitScorer(StandInScorer):
    """The stand-in with the raw-logit inverse a real scorer has (here: the plain logit)."""

    def logits_of(self, probabilities: np.ndarray) -> np.ndarray:
        p = np.clip(np.asarray(probabilities, dtype=np.float64), 1e-7, 1 - 1e-7)
        return np.log(p / (1 - p))


def expected(probability: float, row: float, fit: dict = FIT) -> float:
    z = fit["scale"] * math.log(probability / (1 - probability)) + fit["row_scale"] * row + fit["bias"]
    return 1 / (1 + math.exp(-z))


def test_the_fit_reads_back_and_refuses_what_would_invert_or_break_it() -> None:
    fit = StudentCalibration.from_dict({**FIT, "labels": 330, "fitted_on": "x.jsonl"})  # extra keys are notes
    assert fit == StudentCalibration("stand-in-scorer", 0.5, 3.0, 1.0) and fit.source_scale == 0.0
    assert StudentCalibration.from_dict(fit.to_dict()) == fit
    assert fit.confidence(2.0, -0.5) == pytest.approx(1 / (1 + math.exp(-(1.0 - 1.5 + 1.0))))
    assert fit.confidence(-800.0, -99.0) == pytest.approx(0.0) and fit.confidence(800.0, 0.0) == pytest.approx(1.0)
    for bad, message in [({**FIT, "scale": 0.0}, "'scale'"), ({**FIT, "row_scale": -1.0}, "'row_scale'"),
                         ({**FIT, "bias": float("nan")}, "'bias'"), ({**FIT, "bias": True}, "'bias'"),
                         ({k: v for k, v in FIT.items() if k != "scorer"}, "'scorer'"), ([], "not an object")]:
        with pytest.raises(ValueError, match=message):
            StudentCalibration.from_dict(bad)


def test_the_confidence_weighs_the_row_only_with_the_scorer_it_was_fitted_with() -> None:
    fit = StudentCalibration.from_dict(FIT)
    scorer = LogitScorer()
    sure, unsure = (student_confidence(scorer, 0.9, SOURCE.text, row, fit) for row in (-0.6, -1.2))
    assert sure == pytest.approx(expected(0.9, -0.6)) and unsure == pytest.approx(expected(0.9, -1.2))
    assert sure > unsure  # the same scorer probability, a row the student wrote less surely
    # no fit, another scorer, no row score, an empty row, or a scorer without raw logits: none
    other = LogitScorer()
    other.name = "another-scorer"
    assert student_confidence(scorer, 0.9, SOURCE.text, -0.6, None) is None
    assert student_confidence(other, 0.9, SOURCE.text, -0.6, fit) is None
    assert student_confidence(scorer, 0.9, SOURCE.text, None, fit) is None
    assert student_confidence(scorer, 0.9, SOURCE.text, EMPTY_SCORE, fit) is None
    assert student_confidence(StandInScorer(), 0.9, SOURCE.text, -0.6, fit) is None
    # ... and the check then shows the scorer's own figure
    assert KeepsMeaning(other, calibration=fit).assess("We missed the train.", SOURCE, -0.6).confidence == \
        pytest.approx(0.9)


def test_the_check_shows_the_students_confidence_and_rescues_only_rows_it_is_sure_of() -> None:
    fit = StudentCalibration.from_dict(FIT)
    scorer = LogitScorer(per_text={"We missed the train.": 0.8, "Just under.": 0.49})
    check = KeepsMeaning(scorer, calibration=fit)
    assert check.rescue_at == RESCUE_AT == 0.4
    verdict = check.assess("We missed the train.", SOURCE, -0.9)
    assert verdict.accepted and verdict.confidence == pytest.approx(expected(0.8, -0.9))
    # under the scorer's threshold: a row the student wrote surely passes, a drifting one does not
    assert expected(0.49, -0.1) >= RESCUE_AT > expected(0.49, -0.6)
    assert check.assess("Just under.", SOURCE, -0.1).accepted
    refused = check.assess("Just under.", SOURCE, -0.6)
    assert refused.refused_by is check and refused.confidence == pytest.approx(expected(0.49, -0.6))
    # no rescue without the student's fit, without a row score, or when switched off
    assert not KeepsMeaning(scorer).assess("Just under.", SOURCE, -0.1).accepted
    assert not check.assess("Just under.", SOURCE).accepted
    assert not KeepsMeaning(scorer, calibration=fit, rescue_at=None).assess("Just under.", SOURCE, -0.1).accepted
    pipeline = default_pipeline(scorer, calibration=fit)
    judged = pipeline.judge("We missed the train.", SOURCE, [], -0.9)
    assert judged.accepted and judged.confidence == pytest.approx(expected(0.8, -0.9))
    assert default_pipeline(scorer).judge("We missed the train.", SOURCE, [], -0.9).confidence == pytest.approx(0.8)


def test_a_stricter_reading_moves_the_number_shown_but_not_which_rows_pass_or_their_order() -> None:
    plain = StudentCalibration.from_dict(FIT)
    strict = StudentCalibration.from_dict({**FIT, "reading_shift": -1.4})
    assert plain.to_dict() == FIT | {"source_scale": 0.0}  # no shift: the manifest (and fingerprint) as before
    assert StudentCalibration.from_dict(strict.to_dict()) == strict
    assert strict.confidence(2.0, -0.5) == pytest.approx(1 / (1 + math.exp(-(1.0 - 1.5 + 1.0 - 1.4))))
    assert strict.confidence(2.0, -0.5) < plain.confidence(2.0, -0.5)
    for p in (0.05, 0.4, 0.93):
        assert strict.on_fit_scale(strict.on_shown_scale(p)) == pytest.approx(p)
    assert strict.on_fit_scale(strict.confidence(1.0, -0.7)) == pytest.approx(plain.confidence(1.0, -0.7))
    with pytest.raises(ValueError, match="'reading_shift'"):
        StudentCalibration.from_dict({**FIT, "reading_shift": "strict"})
    scorer = LogitScorer(per_text={"Just under.": 0.49, "We missed the train.": 0.7,
                                   "We just missed the train.": 0.7, "The train left us behind.": 0.7})
    # the same rows rescued: the threshold is read on the fit's own scale
    for row in (-0.1, -0.3, -0.45, -0.6):
        assert (KeepsMeaning(scorer, calibration=strict).assess("Just under.", SOURCE, row).accepted
                == KeepsMeaning(scorer, calibration=plain).assess("Just under.", SOURCE, row).accepted)
    # the same order: the ranking weighs the fit's own scale against variety (weighing the lower
    # numbers shown, variety would win here: the third card would come second)
    rows = {"We missed the train.": -0.3, "We just missed the train.": -0.3, "The train left us behind.": -0.7}

    def ranked(fit: StudentCalibration, ranking: ByConfidence | None = None) -> list[str]:
        pipeline = default_pipeline(scorer, calibration=fit)
        accepted = [Candidate(text, score, (), pipeline.judge(text, SOURCE, [], score).confidence)
                    for text, score in rows.items()]
        return [c.text for c in (ranking or pipeline.ranking).rank(accepted, SOURCE)]

    assert ranked(strict) == ranked(plain) == list(rows)
    assert ranked(strict, ByConfidence()) != ranked(plain)


def test_the_manifest_carries_the_fit_and_a_damaged_one_is_a_bundle_error(tiny_bundle: Path, tmp_path: Path) -> None:
    assert read_manifest(tiny_bundle).confidence is None  # a bundle without a fit
    folder = tmp_path / "tiny"
    shutil.copytree(tiny_bundle, folder)
    data = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    (folder / "manifest.json").write_text(json.dumps({**data, MANIFEST_KEY: FIT}), encoding="utf-8")
    assert read_manifest(folder).confidence == StudentCalibration.from_dict(FIT)
    (folder / "manifest.json").write_text(json.dumps({**data, MANIFEST_KEY: {**FIT, "row_scale": 0}}),
                                          encoding="utf-8")
    with pytest.raises(BundleError, match="row_scale"):
        read_manifest(folder)


def test_a_paraphrasers_candidates_carry_the_students_confidence(tiny_bundle: Path, tmp_path: Path) -> None:
    folder = tmp_path / "tiny"
    shutil.copytree(tiny_bundle, folder)
    data = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    # the tiny model's rows are far less sure than a real student's: a fit that weighs that less
    gentle = {**FIT, "row_scale": 0.2}
    (folder / "manifest.json").write_text(json.dumps({**data, MANIFEST_KEY: gentle}), encoding="utf-8")
    scorer = LogitScorer(spread=True)
    result = Paraphraser.load(folder, scorer=scorer).paraphrase("the cat sat on the mat", n=3, seed=0)
    assert result.candidates
    for candidate in result.candidates:
        probability = scorer.confidence(candidate.text)
        assert candidate.confidence == pytest.approx(expected(probability, candidate.score, gentle), abs=1e-6)
        assert candidate.confidence >= MIN_CONFIDENCE
    # with FIT those rows would all be shown under the floor: none is, and the note says why
    (folder / "manifest.json").write_text(json.dumps({**data, MANIFEST_KEY: FIT}), encoding="utf-8")
    strict = Paraphraser.load(folder, scorer=scorer).paraphrase("the cat sat on the mat", n=3, seed=0)
    assert strict.candidates == [] and strict.stats["rejected_meaning"] > 0
    assert strict.note == "0 of 3 paraphrases: the other samples did not keep the meaning closely enough"


def test_the_default_student_ships_its_committed_fit_for_the_default_scorer(default_bundle: Path) -> None:
    from models.scorer_recipes import DEFAULT_SCORER

    recipe = get_recipe(read_manifest(default_bundle).name)
    committed = json.loads((recipe.adapter_dir / CALIBRATION_FILE).read_text(encoding="utf-8"))
    shipped = read_manifest(default_bundle).confidence
    assert shipped == recipe.confidence == StudentCalibration.from_dict(committed)
    assert shipped is not None and shipped.scorer == DEFAULT_SCORER


def test_no_card_is_shown_under_the_confidence_floor() -> None:
    """A row the scorer passes is still refused when the number its card would show is under
    the floor (:data:`models.pipeline.MIN_CONFIDENCE`): there the student's fit says it almost
    surely lost a detail or a relation, and a wrong card does more harm than none."""
    fit = StudentCalibration.from_dict(FIT)
    scorer = LogitScorer(per_text={"We missed the train.": 0.8})
    assert 0.0 < MIN_CONFIDENCE <= 0.2
    check = KeepsMeaning(scorer, calibration=fit)
    assert check.floor == MIN_CONFIDENCE
    # the same pair probability: a row written surely passes, one the student drifted into does not
    sure, drifting = -0.9, -2.5
    assert expected(0.8, sure) >= MIN_CONFIDENCE > expected(0.8, drifting)
    assert check.assess("We missed the train.", SOURCE, sure).accepted
    refused = check.assess("We missed the train.", SOURCE, drifting)
    assert refused.refused_by is check and refused.confidence == pytest.approx(expected(0.8, drifting))
    assert KeepsMeaning(scorer, calibration=fit, floor=None).assess("We missed the train.", SOURCE, drifting).accepted
    # the default pipeline has it, and the floor reads the number shown (a stricter reading refuses more)
    assert not default_pipeline(scorer, calibration=fit).judge("We missed the train.", SOURCE, [], drifting).accepted
    strict = StudentCalibration.from_dict({**FIT, "reading_shift": -3.0})
    assert expected(0.8, sure) >= MIN_CONFIDENCE > strict.confidence(scorer.logits_of(np.array([0.8]))[0], sure)
    assert not KeepsMeaning(scorer, calibration=strict).assess("We missed the train.", SOURCE, sure).accepted
