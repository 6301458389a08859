"""Fit the confidence a student candidate is shown with, on candidates read by eye.

The meaning scorer's probability is calibrated on human-labelled pairs (MRPC, PAWS, QQP,
APTY): their idea of "same meaning" is looser than a writer's, and the pairs are not the
student's. Read by eye, 73 of 250 shown candidates of student v2 kept every detail and
relation of their source while the scorer's mean probability for them was 0.74, and 94
of them were shown at 80 % or more, 38 of which were faithful. So the card's number is
fitted again, here, on the student's own candidates: a logistic fit of the same logit and of
the source's logit against itself (``sigmoid(scale * logit + source_scale * source_logit +
bias)``). The second term is there because the scorer's scale sags for some sentences (a
45-word news sentence scores under 0.5 against itself), and every candidate of such a
sentence with it: on the labels, the quarter of sources that score lowest against themselves
had 33 % faithful candidates, which the logit alone put at 18 %. The scorer's pair probability stays what the pipeline's
threshold, the phrase ranking, the data critic and ``paraphrase-studio score`` use, so the
same candidates are shown as before; only the confidence they carry changes.

Labels are JSON lines: ``{"set", "faithful": bool}`` with either ``"source"`` and
``"candidate"`` (text: scored with the runtime's scorer bundle, the int8 graph whose logits the
calibration maps) or ``"logit"`` and ``"source_logit"``. What is committed beside the scorer
(:data:`LABELS_FILE`) holds hashes of the texts and their logits, never the texts: the
sources come from ``../shared/data``, which stays out of the repository, and the logits are
all the fit needs, so ``python -m distill.confidence_fit --labels <that file>`` refits it
without the data.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import zlib
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .scorer_eval import fit_logistic, reliability, roc_auc, sigmoid

log = logging.getLogger(__name__)

#: The committed labels, beside the scorer's ``scorer.json``.
LABELS_FILE = "candidate_labels.jsonl"
#: The fit's report (per set, cross-validated, reliability), beside it too.
REPORT_FILE = "candidate_calibration.json"
#: Folds of the cross-validated figures; candidates of one source stay in one fold.
FOLDS = 5

#: (sources, candidates) -> raw logits of the runtime scorer.
LogitFn = Callable[[Sequence[str], Sequence[str]], np.ndarray]


@dataclass(frozen=True)
class LabelledCandidate:
    """One shown candidate, read by eye: did it keep every detail of its source?"""

    set: str
    source_sha256: str
    candidate_sha256: str
    logit: float
    source_logit: float
    faithful: bool
    criterion: str = ""


def text_digest(text: str) -> str:
    """A short sha256 of the text: enough to tell labels apart, nothing of the text itself."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def read_labels(path: Path, logits: LogitFn | None = None) -> list[LabelledCandidate]:
    """Read a labels file; rows with text are scored with ``logits`` (required for them).

    A row without ``faithful`` (true/false), or with neither a logit nor both texts, is a
    ValueError naming its line: a label silently dropped would move the fit.
    """
    raw = read_label_rows(path, ("logit", "source_logit"))
    texts = [row for row in raw if has_text(row)]
    scored: dict[int, tuple[float, float]] = {}
    if texts:
        if logits is None:
            raise ValueError(f"{path} has labels with text: a scorer is needed to score them")
        sources = [row["source"] for row in texts]
        values = logits(sources + sources, [row["candidate"] for row in texts] + sources)
        scored = {id(row): (float(values[i]), float(values[len(texts) + i])) for i, row in enumerate(texts)}
    out = []
    for row in raw:
        text = id(row) in scored
        logit, source_logit = scored[id(row)] if text else (float(row["logit"]), float(row["source_logit"]))
        out.append(LabelledCandidate(
            set=str(row.get("set", "")),
            source_sha256=text_digest(row["source"]) if text else str(row.get("source_sha256", "")),
            candidate_sha256=text_digest(row["candidate"]) if text else str(row.get("candidate_sha256", "")),
            logit=round(logit, 4), source_logit=round(source_logit, 4),
            faithful=bool(row["faithful"]),
            criterion=str(row.get("criterion", ""))))
    return out


def read_label_rows(path: Path, figures: Sequence[str]) -> list[dict[str, Any]]:
    """The JSON rows of a labels file, each with ``faithful`` and either both texts or every
    one of ``figures`` finite; anything else is a ValueError naming its line."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError as exc:
            raise ValueError(f"{path}:{number}: not JSON ({exc})") from exc
        if not isinstance(row, dict) or not isinstance(row.get("faithful"), bool):
            raise ValueError(f"{path}:{number}: needs \"faithful\": true or false")
        if not has_text(row) and not all(_finite(row.get(key)) for key in figures):
            wanted = " and ".join(f'"{key}"' for key in figures)
            raise ValueError(f"{path}:{number}: needs a finite {wanted}, or both \"source\" and \"candidate\"")
        rows.append(row)
    return rows


def has_text(row: dict[str, Any]) -> bool:
    """True for a label row that carries its source and candidate as text."""
    return isinstance(row.get("source"), str) and isinstance(row.get("candidate"), str)


def _finite(value: object) -> bool:
    return not isinstance(value, bool) and isinstance(value, (int, float)) and bool(np.isfinite(value))


def _log_loss(p: np.ndarray, y: np.ndarray) -> float:
    p = np.clip(p, 1e-7, 1 - 1e-7)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def folds_of(labels: Sequence[Any]) -> np.ndarray:
    """A fold per label (anything with a ``source_sha256``); all candidates of one source share
    one (by its hash, so stable)."""
    return np.array([zlib.crc32(label.source_sha256.encode("utf-8")) % FOLDS for label in labels])


def require_both_kinds(labels: Sequence[Any]) -> None:
    """A fit needs at least 20 labels (anything with ``faithful``), faithful and changed ones both."""
    if len(labels) < 20 or not 0 < sum(label.faithful for label in labels) < len(labels):
        raise ValueError(f"{len(labels)} labels: at least 20, with both faithful and changed ones, are needed")


def held_out_figures(held_out: np.ndarray, y: np.ndarray) -> dict[str, Any]:
    """A report's ``cross_validated`` block: the figures of the left-out probabilities and their reliability."""
    return {"folds": FOLDS, **figures(held_out, y), "reliability": reliability(held_out, y, bins=5)}


def per_set_figures(sets: Sequence[str], y: np.ndarray, held_out: np.ndarray,
                    **means: np.ndarray) -> dict[str, dict[str, Any]]:
    """Per set of labels: how many, the share read faithful, the mean of each of ``means`` (other
    probabilities to compare, by name), the cross-validated mean and AUC."""
    out = {}
    for name in sorted(set(sets)):
        inside = np.array([s == name for s in sets])
        out[name] = {"labels": int(inside.sum()), "faithful": round(float(y[inside].mean()), 3),
                     **{key: round(float(p[inside].mean()), 3) for key, p in means.items()},
                     "cross_validated_mean": round(float(held_out[inside].mean()), 3),
                     "auc": rounded(roc_auc(y[inside], held_out[inside]))}
    return out


def fit_report(labels: Sequence[LabelledCandidate], pair_calibration: dict[str, float]) -> dict[str, Any]:
    """The fit on every label, and how it and the pair calibration do on labels left out.

    ``pair``: the scorer's own probability (``pair_calibration``), what cards showed before;
    ``cross_validated``: each fold scored by a fit on the other folds; ``logit_only``: the same
    without the source's term, for comparison.
    """
    require_both_kinds(labels)
    x = np.array([label.logit for label in labels])
    features = np.c_[x, [label.source_logit for label in labels]]
    y = np.array([label.faithful for label in labels], dtype=float)
    scale, source_scale, bias = (float(w) for w in fit_logistic(features, y))
    if scale <= 0:
        raise ValueError(f"the fit gives a scale of {scale:.3f}: on these labels a higher score does not mean "
                         "a likelier faithful candidate, so it would invert the confidence")
    held_out = cross_validated(features, y, folds_of(labels))
    logit_only = cross_validated(features[:, :1], y, folds_of(labels))
    pair = sigmoid(pair_calibration["scale"] * x + pair_calibration["bias"])
    fitted = sigmoid(scale * features[:, 0] + source_scale * features[:, 1] + bias)
    return {
        "labels": len(labels), "faithful": int(y.sum()),
        "scale": round(scale, 6), "source_scale": round(source_scale, 6), "bias": round(bias, 6),
        "auc_logit": rounded(roc_auc(y, x)),
        "pair": figures(pair, y),
        "cross_validated": held_out_figures(held_out, y),
        "logit_only": {"folds": FOLDS, **figures(logit_only, y)},
        "range": [round(float(fitted.min()), 3), round(float(fitted.max()), 3)],
        "per_set": per_set_figures([label.set for label in labels], y, held_out, pair_mean=pair),
    }


def cross_validated(features: np.ndarray, y: np.ndarray, folds: np.ndarray) -> np.ndarray:
    """Each fold's probabilities from a fit on the other folds."""
    held_out = np.zeros(len(y))
    for fold in range(FOLDS):
        inside = folds == fold
        if inside.any():
            if not 0 < y[~inside].sum() < (~inside).sum():
                raise ValueError(f"fold {fold} leaves too few other labels to fit on: label more sources")
            w = fit_logistic(features[~inside], y[~inside])
            held_out[inside] = sigmoid(features[inside] @ w[:-1] + w[-1])
    return held_out


def figures(p: np.ndarray, y: np.ndarray) -> dict[str, float | None]:
    return {"mean": round(float(p.mean()), 3), "log_loss": round(_log_loss(p, y), 4),
            "brier": round(float(np.mean((p - y) ** 2)), 4), "auc": rounded(roc_auc(y, p))}


def rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def write_fit(folder: Path, labels: Sequence[LabelledCandidate], report: dict[str, Any]) -> Path:
    """Commit the labels (hashes and logits), the report, and ``candidate_calibration`` in ``scorer.json``."""
    config_path = folder / "scorer.json"
    config = json.loads(config_path.read_text(encoding="utf-8"))
    with (folder / LABELS_FILE).open("w", encoding="utf-8") as out:
        for label in labels:
            out.write(json.dumps(asdict(label), ensure_ascii=False) + "\n")
    (folder / REPORT_FILE).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    config["candidate_calibration"] = {"scale": report["scale"], "source_scale": report["source_scale"],
                                       "bias": report["bias"],
                                       "labels": report["labels"], "faithful": report["faithful"],
                                       "fitted_on": LABELS_FILE}
    config_path.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    log.info("candidate calibration of %s: scale %.4f, source scale %.4f, bias %.4f on %d labels", folder.name,
             report["scale"], report["source_scale"], report["bias"], report["labels"])
    return config_path


def scorer_logits(parser: argparse.ArgumentParser, scorer: str | None,
                  threads: int | None) -> tuple[str, LogitFn]:
    """The committed scorer's name (the app's by default; an unknown one is a usage error) and
    its raw logits, loading the built bundle only when called: labels with logits need none.
    Both fit commands (this one and :mod:`distill.student_confidence_fit`) read labels so."""
    from models.scorer import MeaningScorer
    from models.scorer_recipes import DEFAULT_SCORER, SCORERS

    name = scorer or DEFAULT_SCORER
    if name not in SCORERS:
        parser.error(f"unknown scorer {name!r} (known: {', '.join(SCORERS)})")
    loaded: list[MeaningScorer] = []

    def logits(sources: Sequence[str], candidates: Sequence[str]) -> np.ndarray:
        if not loaded:
            loaded.append(MeaningScorer.load(name, threads=threads))
        return loaded[0].logits(sources, candidates)

    return name, logits


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m distill.confidence_fit",
        description="fit the confidence student candidates are shown with, on candidates read by eye")
    parser.add_argument("--labels", type=Path, required=True,
                        help="JSON lines: faithful, set, and source+candidate text or logit+source_logit")
    parser.add_argument("--scorer", default=None, help="committed scorer name (default: the app's)")
    parser.add_argument("--threads", type=int, default=None)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    from models.scorer_recipes import SCORERS

    name, logits = scorer_logits(parser, args.scorer, args.threads)
    folder = SCORERS[name].folder
    config = json.loads((folder / "scorer.json").read_text(encoding="utf-8"))
    try:
        labels = read_labels(args.labels, logits)
        report = fit_report(labels, config["calibration"])
    except (OSError, ValueError) as exc:
        parser.error(str(exc))
    write_fit(folder, labels, report)
    print(json.dumps({key: report[key] for key in ("labels", "faithful", "scale", "source_scale", "bias", "pair",
                                                    "cross_validated", "logit_only", "range")}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
