"""Fit one student's confidence on its candidates read by eye: the scorer's logit and the row's log-prob.

:mod:`distill.confidence_fit` maps the meaning scorer's logit alone to the share of the
student's candidates read as faithful, which is all a scorer bundle can know. The student
knows more about its own rows: a row's mean token log-probability under the prompt that
wrote it (what the runtime keeps as :attr:`models.pipeline.Candidate.score`) is lower where
the row drifted from its source. On 330 shown candidates of student v2 read by eye the two
together rank faithful candidates with a cross-validated ROC AUC of 0.81 against 0.68 for the
scorer's terms alone, and 0.85 against 0.69 on 80 Creative cards left out of a fit on the
other 250.

The fit, ``sigmoid(scale * logit + row_scale * mean_log_prob + bias)``, is written beside the
student's adapter (``confidence.json``, :mod:`models.student_calibration`) with the labels
as text hashes, logits and log-probs (``confidence_labels.jsonl``: the sources are
``../shared`` data, so no text) and the report (``confidence_report.json``). Export copies it
into the student's bundle manifest; the runtime applies it with the scorer it names.

Labels are JSON lines ``{"set", "faithful"}`` with either ``"source"`` and ``"candidate"`` text
(and the ``"mode"`` and ``"diversity"`` the candidate was written at, default standard and
0.5: the log-prob is taken under that prompt through the student's bundle, exactly the
runtime's figure) or ``"logit"`` and ``"mean_log_prob"``::

    python -m distill.student_confidence_fit --student smollm2-135m-student-v2 --labels FILE \
        [--reading-labels FILE]

``--reading-labels``: cards read by a stricter reading, on which only the fit's level is moved
(``reading_shift``: the slopes keep ranking as the main labels taught them; see
:mod:`models.student_calibration`); they are committed beside it too
(``confidence_labels_reading.jsonl``) and the report says how the level changed on them.
With them the fit also weighs how many content words a Standard card leaves without a
counterpart (``detail_scale``, :mod:`models.details`, counted on the app's phrase index and
committed with each reading label as ``details``), fitted together with the level; the report
compares the two on reading labels left out (folds by source).
"""

from __future__ import annotations

import argparse
import json
import logging
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from models.controls import STANDARD_MODE
from models.details import DetailMatcher
from models.student_calibration import CALIBRATION_FILE, DETAIL_CAP, StudentCalibration

from .confidence_fit import (FOLDS, LogitFn, cross_validated, figures, folds_of, has_text, held_out_figures,
                             per_set_figures, read_label_rows, reliability, require_both_kinds, scorer_logits,
                             text_digest)
from .scorer_eval import fit_logistic, sigmoid

log = logging.getLogger(__name__)

#: The committed labels and the fit's report, beside the student's adapter.
LABELS_FILE = "confidence_labels.jsonl"
READING_LABELS_FILE = "confidence_labels_reading.jsonl"
REPORT_FILE = "confidence_report.json"
DEFAULT_DIVERSITY = 0.5

#: (rows with "source", "candidate", "mode", "diversity") -> each row's mean token log-prob.
RowScoreFn = Callable[[Sequence[dict[str, Any]]], list[float]]


@dataclass(frozen=True)
class StudentLabel:
    """One shown candidate read by eye, with the two figures the fit weighs."""

    set: str
    source_sha256: str
    candidate_sha256: str
    logit: float
    mean_log_prob: float
    faithful: bool
    criterion: str = ""
    #: Content words the card leaves without a counterpart; None when not counted (a mode
    #: that may drop them, or a label without the count).
    details: int | None = None


def read_student_labels(path: Path, logits: LogitFn | None = None,
                        row_scores: RowScoreFn | None = None, details: DetailMatcher | None = None) -> list[StudentLabel]:
    """Read a labels file; rows with text are scored with ``logits`` and ``row_scores``, and
    with ``details`` their words left out are counted (rows of figures keep their ``details``).

    A row without ``faithful``, or with neither both figures nor both texts, is a ValueError
    naming its line: a label silently dropped would move the fit.
    """
    rows = read_label_rows(path, ("logit", "mean_log_prob"))
    texts = [row for row in rows if has_text(row)]
    scored: dict[int, tuple[float, float]] = {}
    if texts:
        if logits is None or row_scores is None:
            raise ValueError(f"{path} has labels with text: the scorer and the student are needed to score them")
        values = logits([row["source"] for row in texts], [row["candidate"] for row in texts])
        log_probs = row_scores(texts)
        scored = {id(row): (float(values[i]), float(log_probs[i])) for i, row in enumerate(texts)}
    out = []
    for row in rows:
        text = id(row) in scored
        logit, mean_log_prob = scored[id(row)] if text else (float(row["logit"]), float(row["mean_log_prob"]))
        count = row.get("details")
        if text and details is not None:
            standard = str(row.get("mode", STANDARD_MODE)) == STANDARD_MODE
            count = len(details.missing(row["source"], row["candidate"])) if standard else None
        if count is not None and (isinstance(count, bool) or not isinstance(count, int) or count < 0):
            raise ValueError(f"{path}: a label's 'details' is {count!r}, not a count")
        out.append(StudentLabel(
            set=str(row.get("set", "")),
            source_sha256=text_digest(row["source"]) if text else str(row.get("source_sha256", "")),
            candidate_sha256=text_digest(row["candidate"]) if text else str(row.get("candidate_sha256", "")),
            logit=round(logit, 4), mean_log_prob=round(mean_log_prob, 4), faithful=bool(row["faithful"]),
            criterion=str(row.get("criterion", "")), details=count))
    return out


def fit_student_report(labels: Sequence[StudentLabel]) -> dict[str, Any]:
    """The fit on every label, and, on labels left out (folds by source), how it does against
    the scorer's logit alone and the row's log-prob alone."""
    require_both_kinds(labels)
    features = np.array([[label.logit, label.mean_log_prob] for label in labels], dtype=np.float64)
    y = np.array([label.faithful for label in labels], dtype=float)
    scale, row_scale, bias = (float(w) for w in fit_logistic(features, y))
    if scale <= 0 or row_scale <= 0:
        raise ValueError(f"the fit gives scale {scale:.3f} and row scale {row_scale:.3f}: on these labels a "
                         "surer row does not mean a likelier faithful candidate, so it would invert the confidence")
    folds = folds_of(labels)
    held_out = cross_validated(features, y, folds)
    fitted = sigmoid(features @ np.array([scale, row_scale]) + bias)
    return {
        "labels": len(labels), "faithful": int(y.sum()),
        "scale": round(scale, 6), "row_scale": round(row_scale, 6), "bias": round(bias, 6),
        "cross_validated": held_out_figures(held_out, y),
        "logit_only": {"folds": FOLDS, **figures(cross_validated(features[:, :1], y, folds), y)},
        "row_only": {"folds": FOLDS, **figures(cross_validated(features[:, 1:], y, folds), y)},
        "range": [round(float(fitted.min()), 3), round(float(fitted.max()), 3)],
        "per_set": per_set_figures([label.set for label in labels], y, held_out),
    }


def _offset_fit(z: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Weights ``w`` minimising the log-loss of ``sigmoid(z + x @ w)`` (the fit's sum ``z`` held):
    Newton's method, convex, with a whisker of ridge for a column without spread."""
    w = np.zeros(x.shape[1])
    for _ in range(100):
        p = sigmoid(z + x @ w)
        hessian = (x.T * (p * (1 - p))) @ x + 1e-6 * np.eye(x.shape[1])
        step = np.linalg.solve(hessian, x.T @ (p - y))
        w -= step
        if float(np.abs(step).max()) < 1e-9:
            break
    return w


def _detail_columns(labels: Sequence[StudentLabel]) -> np.ndarray:
    """[1, words left out (capped), counted] per label: the level, the detail term, and the
    counted cards' own level (so the cards of a mode that may drop words keep theirs)."""
    return np.array([[1.0, float(min(label.details or 0, DETAIL_CAP)), float(label.details is not None)]
                     for label in labels])


def fit_reading_shift(report: dict[str, Any], labels: Sequence[StudentLabel]) -> dict[str, Any]:
    """The intercept move that makes the fit in ``report`` match ``labels`` (log-loss, the slopes
    held), with the detail term when every label has its count, and the fit's figures on them
    before and after."""
    require_both_kinds(labels)
    z = np.array([report["scale"] * label.logit + report["row_scale"] * label.mean_log_prob + report["bias"]
                  for label in labels])
    y = np.array([label.faithful for label in labels], dtype=float)
    counted = any(label.details is not None for label in labels)
    x = _detail_columns(labels) if counted else np.ones((len(labels), 1))
    if counted and x[:, 2].all():  # every card counted: their own level is the level
        x = x[:, :2]
    weights = _offset_fit(z, x, y)
    if counted and weights[1] >= 0:  # leaving words out must never raise the number: level only
        x, weights = x[:, :1], _offset_fit(z, x[:, :1], y)
    shift = float(weights[0])
    detail_scale = float(weights[1]) if len(weights) > 1 else 0.0
    # w1 * n + w2 on counted cards is w1 * (n - center): the number moves around the counted
    # cards' usual count, and the other modes' cards keep the shared level
    detail_center = -float(weights[2]) / detail_scale if len(weights) > 2 else 0.0
    after = sigmoid(z + x @ weights)
    extra: dict[str, Any] = {}
    if counted:
        folds = folds_of(labels)
        level, both = np.zeros_like(y), np.zeros_like(y)
        full = _detail_columns(labels)
        if full[:, 2].all():
            full = full[:, :2]
        for fold in np.unique(folds):
            train, test = folds != fold, folds == fold
            level[test] = sigmoid(z[test] + _offset_fit(z[train], x[train, :1], y[train])[0])
            both[test] = sigmoid(z[test] + full[test] @ _offset_fit(z[train], full[train], y[train]))
        mask = full[:, 2].astype(bool) if full.shape[1] > 2 else np.ones(len(y), bool)
        extra = {"detail_scale": round(detail_scale, 6), "detail_center": round(detail_center, 6),
                 "detail_cap": DETAIL_CAP, "counted": int(mask.sum()),
                 "details_mean": round(float(np.mean([label.details for label in labels if label.details is not None])), 3),
                 "held_out": {"folds": FOLDS, "level_only": figures(level, y), "with_details": figures(both, y),
                              "counted_level_only": figures(level[mask], y[mask]),
                              "counted_with_details": figures(both[mask], y[mask])}}
    return {"labels": len(labels), "faithful": int(y.sum()), "reading_shift": round(shift, 6), **extra,
            "before": figures(sigmoid(z), y), "after": figures(after, y),
            "reliability_after": reliability(after, y, bins=5),
            "per_set": {name: {"labels": int(sum(1 for label in labels if label.set == name)),
                               "faithful": round(float(np.mean([label.faithful for label in labels
                                                                if label.set == name])), 3)}
                        for name in sorted({label.set for label in labels})}}


def write_student_fit(folder: Path, scorer: str, labels: Sequence[StudentLabel], report: dict[str, Any],
                      reading_labels: Sequence[StudentLabel] = ()) -> Path:
    """Commit ``confidence.json``, the labels (hashes and figures) and the report beside the
    adapter; with ``reading_labels`` (and ``report["reading"]``) those labels and the level move too."""
    _write_labels(folder / LABELS_FILE, labels)
    if reading_labels:
        _write_labels(folder / READING_LABELS_FILE, reading_labels)
    (folder / REPORT_FILE).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    reading = report.get("reading") or {}
    calibration = StudentCalibration(scorer=scorer, scale=report["scale"], row_scale=report["row_scale"],
                                     bias=report["bias"], reading_shift=float(reading.get("reading_shift", 0.0)),
                                     detail_scale=float(reading.get("detail_scale", 0.0)),
                                     detail_center=float(reading.get("detail_center", 0.0)))
    extra = ({"reading_labels": reading["labels"], "reading_faithful": reading["faithful"],
              "reading_fitted_on": READING_LABELS_FILE} if reading else {})
    path = folder / CALIBRATION_FILE
    path.write_text(json.dumps({**calibration.to_dict(), "labels": report["labels"], "faithful": report["faithful"],
                                "fitted_on": LABELS_FILE, **extra}, indent=2) + "\n", encoding="utf-8")
    log.info("confidence of %s with %s: scale %.4f, row scale %.4f, bias %.4f on %d labels", folder.name, scorer,
             report["scale"], report["row_scale"], report["bias"], report["labels"])
    return path


def _write_labels(path: Path, labels: Sequence[StudentLabel]) -> None:
    with path.open("w", encoding="utf-8") as out:
        for label in labels:
            row = asdict(label)
            if row["details"] is None:  # not counted: the file stays as it was
                del row["details"]
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


def bundle_row_scores(bundle: str, threads: int | None = None) -> RowScoreFn:
    """Each labelled row's mean token log-prob under its own prompt (mode, slider codes), through
    the student's bundle: the figure the runtime keeps for a row it sampled (the same to the
    last digit where the sampled tokens are the text's own tokenization)."""
    from .mi_teacher import MITeacher

    base = MITeacher.load(bundle, threads=threads)

    def scores(rows: Sequence[dict[str, Any]]) -> list[float]:
        groups: dict[tuple[str, float, str], list[int]] = defaultdict(list)
        for i, row in enumerate(rows):
            groups[(str(row.get("mode", STANDARD_MODE)), float(row.get("diversity", DEFAULT_DIVERSITY)),
                    row["source"])].append(i)
        out = [0.0] * len(rows)
        for (mode, diversity, source), members in groups.items():
            teacher = MITeacher(base.decoder, base.tokenizer, base.prompt, mode=mode, diversity=diversity)
            for i, score in zip(members, teacher.score(source, [rows[i]["candidate"] for i in members])):
                out[i] = score.fwd_sum / score.fwd_tokens
        return out

    return scores


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m distill.student_confidence_fit",
        description="fit the confidence one student's candidates are shown with, on candidates read by eye")
    parser.add_argument("--student", required=True, help="a student recipe with an adapter folder")
    parser.add_argument("--labels", type=Path, required=True,
                        help="JSON lines: faithful, set, and source+candidate(+mode, diversity) or logit+mean_log_prob")
    parser.add_argument("--reading-labels", type=Path, default=None,
                        help="labels of a stricter reading: only the fit's level is moved to match them")
    parser.add_argument("--scorer", default=None, help="committed scorer name (default: the app's)")
    parser.add_argument("--threads", type=int, default=None)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    from models.errors import UnknownRecipeError
    from models.recipes import get_recipe

    scorer_name, logits = scorer_logits(parser, args.scorer, args.threads)
    try:
        recipe = get_recipe(args.student)
    except UnknownRecipeError as exc:
        parser.error(str(exc))
    if recipe.adapter_dir is None:
        parser.error(f"{args.student} has no adapter folder to write its confidence beside")

    def row_scores(rows: Sequence[dict[str, Any]]) -> list[float]:
        return bundle_row_scores(args.student, args.threads)(rows)

    try:
        labels = read_student_labels(args.labels, logits, row_scores)
        report = fit_student_report(labels)
        reading = (read_student_labels(args.reading_labels, logits, row_scores, DetailMatcher.required())
                   if args.reading_labels else [])
        if reading:
            report["reading"] = fit_reading_shift(report, reading)
    except (OSError, ValueError) as exc:
        parser.error(str(exc))
    write_student_fit(recipe.adapter_dir, scorer_name, labels, report, reading)
    print(json.dumps({key: report[key] for key in ("labels", "faithful", "scale", "row_scale", "bias",
                                                    "cross_validated", "logit_only", "row_only", "range", "reading")
                      if key in report}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
