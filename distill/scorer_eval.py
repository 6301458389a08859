"""How good the meaning scorer is, on pairs it never trained on; and its calibration.

Figures: ROC AUC per origin of the held-out pairs (PAWS-Wiki, MRPC, APTY, QQP, teacher
pairs with hard negatives), AUC per kind of hard negative, ranking of the held-out
candidate sets (does the best-scored candidate keep the meaning?), and a reliability table
(predicted probability against the observed share of meaning-kept pairs, per bin).

Calibration: the raw logit is mapped to a probability by ``sigmoid(scale * logit + bias)``,
fitted (Platt scaling, by Newton's method on the log-loss) on one half of the held-out
pairs (a salted hash decides the half) and reported on the other half, so the reliability
table is not measured on the pairs it was fitted to.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .scorer_data import ScorerPair, read_pairs, read_sets

log = logging.getLogger(__name__)

CALIBRATION_SALT = "paraphrase-studio-calibration-v1"

#: (sources, candidates) -> raw logits.
LogitFn = Callable[[Sequence[str], Sequence[str]], np.ndarray]


def roc_auc(labels: Sequence[int], scores: Sequence[float]) -> float | None:
    """Area under the ROC curve by the rank statistic (ties share their average rank)."""
    y = np.asarray(labels, dtype=float)
    s = np.asarray(scores, dtype=float)
    positives, negatives = int(y.sum()), int(len(y) - y.sum())
    if positives == 0 or negatives == 0:
        return None
    order = np.argsort(s, kind="mergesort")
    ranks = np.empty(len(s))
    sorted_scores = s[order]
    i = 0
    while i < len(s):
        j = i
        while j + 1 < len(s) and sorted_scores[j + 1] == sorted_scores[i]:
            j += 1
        ranks[order[i:j + 1]] = (i + j) / 2 + 1
        i = j + 1
    return float((ranks[y == 1].sum() - positives * (positives + 1) / 2) / (positives * negatives))


def sigmoid(z: np.ndarray) -> np.ndarray:
    """The logistic function, without overflow for large ``|z|``."""
    return 0.5 * (1 + np.tanh(0.5 * np.asarray(z, dtype=float)))


def fit_logistic(features: np.ndarray, labels: np.ndarray, iterations: int = 100,
                 start: Sequence[float] | None = None) -> np.ndarray:
    """Weights (one per feature column, then the bias) minimising the log-loss of
    ``sigmoid(features @ w[:-1] + w[-1])``; ``start``: the first weights (default zeros).

    Newton's method with step halving: a full Newton step on this loss can overshoot and
    oscillate when the logits are far from calibrated, so a step is halved until the loss
    falls; a whisker of ridge keeps the Hessian invertible when features agree.
    """
    x = np.c_[np.asarray(features, dtype=float), np.ones(len(features))]
    y = np.asarray(labels, dtype=float)

    def loss(w: np.ndarray) -> float:
        z = x @ w
        return float(np.mean(np.logaddexp(0, z) - y * z))

    w = np.zeros(x.shape[1]) if start is None else np.asarray(start, dtype=float)
    current = loss(w)
    for _ in range(iterations):
        p = sigmoid(x @ w)
        gradient = x.T @ (p - y)
        hessian = (x * (p * (1 - p) + 1e-9)[:, None]).T @ x + 1e-6 * np.eye(len(w))
        step = np.linalg.solve(hessian, gradient)
        factor = 1.0
        while factor > 1e-4 and loss(w - factor * step) > current:
            factor /= 2
        w = w - factor * step
        previous, current = current, loss(w)
        if previous - current < 1e-12:
            break
    return w


def fit_platt(logits: np.ndarray, labels: np.ndarray, iterations: int = 100) -> tuple[float, float]:
    """(scale, bias) minimising the log-loss of sigmoid(scale * logit + bias): the one-feature
    :func:`fit_logistic`, started from the identity (1, 0)."""
    scale, bias = fit_logistic(np.asarray(logits, dtype=float)[:, None], labels, iterations, start=(1.0, 0.0))
    return float(scale), float(bias)


def reliability(probabilities: np.ndarray, labels: np.ndarray, bins: int = 10) -> list[dict[str, Any]]:
    """Per probability bin: pairs, mean predicted probability, observed share kept."""
    rows = []
    edges = np.linspace(0, 1, bins + 1)
    for k in range(bins):
        inside = (probabilities >= edges[k]) & ((probabilities < edges[k + 1]) | (k == bins - 1))
        if inside.any():
            rows.append({"bin": f"{edges[k]:.1f}-{edges[k + 1]:.1f}", "pairs": int(inside.sum()),
                         "predicted": round(float(probabilities[inside].mean()), 3),
                         "observed": round(float(labels[inside].mean()), 3)})
    return rows


def expected_calibration_error(probabilities: np.ndarray, labels: np.ndarray, bins: int = 10) -> float:
    table = reliability(probabilities, labels, bins)
    return float(sum(r["pairs"] * abs(r["predicted"] - r["observed"]) for r in table) / max(1, len(labels)))


def calibration_half(pair: ScorerPair) -> bool:
    """True for the half of the held-out pairs the calibration is fitted on."""
    digest = hashlib.sha1(f"{CALIBRATION_SALT}\0{pair.source}\0{pair.candidate}".encode()).digest()
    return digest[0] < 128


def evaluate(logit_fn: LogitFn, data_dir: Path, threshold: float = 0.5) -> dict[str, Any]:
    """All figures for one scorer; ``calibration`` holds the fitted (scale, bias)."""
    pairs = read_pairs(data_dir / "holdout.jsonl")
    logits = np.asarray(logit_fn([p.source for p in pairs], [p.candidate for p in pairs]), dtype=float)
    labels = np.array([p.label for p in pairs], dtype=float)
    fit = np.array([calibration_half(p) for p in pairs])
    scale, bias = fit_platt(logits[fit], labels[fit])
    probabilities = 1 / (1 + np.exp(-(scale * logits + bias)))
    report: dict[str, Any] = {"pairs": len(pairs), "calibration": {"scale": scale, "bias": bias,
                                                                  "fitted_on": int(fit.sum())}}
    report["auc"] = {"all": roc_auc(labels, logits)}
    for origin in sorted({p.origin for p in pairs}):
        mask = np.array([p.origin == origin for p in pairs])
        report["auc"][origin] = roc_auc(labels[mask], logits[mask])
    # Per kind of hard negative: its negatives against every positive of the same origins.
    kinds: dict[str, Any] = {}
    for kind in sorted({p.kind for p in pairs if p.kind}):
        origins = {p.origin for p in pairs if p.kind == kind}
        mask = np.array([(p.kind == kind) or (p.label == 1 and p.origin in origins) for p in pairs])
        kinds[kind] = {"negatives": int(sum(p.kind == kind for p in pairs)),
                       "auc": roc_auc(labels[mask], logits[mask])}
    report["auc_by_negative_kind"] = kinds
    held = ~fit
    report["reliability"] = reliability(probabilities[held], labels[held])
    report["ece"] = round(expected_calibration_error(probabilities[held], labels[held]), 4)
    predicted = probabilities[held] >= threshold
    truth = labels[held] == 1
    report["at_threshold"] = {
        "threshold": threshold,
        "accuracy": round(float((predicted == truth).mean()), 4),
        "kept_share_of_good": round(float(predicted[truth].mean()), 4) if truth.any() else None,
        "dropped_share_of_bad": round(float((~predicted[~truth]).mean()), 4) if (~truth).any() else None,
    }
    report["sets"] = _set_figures(logit_fn, data_dir)
    return report


def _set_figures(logit_fn: LogitFn, data_dir: Path) -> dict[str, Any]:
    """On held-out candidate sets: is the top-scored candidate a kept-meaning one?"""
    path = data_dir / "kd_holdout.jsonl"
    if not path.is_file():
        return {}
    sets = read_sets(path)
    top_good, aucs = [], []
    for candidate_set in sets:
        scores = logit_fn([candidate_set.source] * len(candidate_set.candidates), candidate_set.candidates)
        top_good.append(candidate_set.labels[int(np.argmax(scores))])
        auc = roc_auc(candidate_set.labels, scores)
        if auc is not None:
            aucs.append(auc)
    return {"sets": len(sets), "top1_kept_meaning": round(float(np.mean(top_good)), 4) if sets else None,
            "mean_set_auc": round(float(np.mean(aucs)), 4) if aucs else None}


def student_figures(logit_fn: LogitFn, files: Sequence[Path]) -> dict[str, Any]:
    """On the student's own candidates: does the scorer rank the broken ones low?

    Two kinds of file: ``paraphrase --json`` output (``input``, ``paraphrases``) and the
    evaluate command's dump (``source``, ``candidates`` with ``good``). Two labels, neither
    of them a human's: a candidate that breaks a :mod:`models.facts` rule (a number changed or
    invented, a name dropped) is one whose meaning certainly changed; the evaluate command's
    ``good`` (embedding adequacy and lexical diversity) is a weak, blind-to-swaps label.
    """
    from models.facts import SourceFacts

    sources: list[str] = []
    candidates: list[str] = []
    good: list[int | None] = []
    for path in files:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            item = json.loads(line)
            source = item.get("input") or item.get("source")
            for c in item.get("paraphrases") or item.get("candidates") or []:
                sources.append(source)
                candidates.append(c["text"])
                good.append(int(c["good"]) if "good" in c else None)
    if not sources:
        return {}
    logits = np.asarray(logit_fn(sources, candidates), dtype=float)
    facts_ok = np.array([0 if SourceFacts(s).check(c) else 1 for s, c in zip(sources, candidates)])
    report: dict[str, Any] = {"candidates": len(sources), "facts_broken": int((facts_ok == 0).sum()),
                              "auc_facts": roc_auc(facts_ok, logits)}
    rated = [i for i, g in enumerate(good) if g is not None]
    if rated:
        report["auc_evaluate_good"] = roc_auc([good[i] for i in rated], logits[rated])
        report["rated"] = len(rated)
    return report


def both_ways(logit_fn: LogitFn) -> LogitFn:
    """``logit_fn`` read both ways, (source, candidate) and (candidate, source), the two logits
    averaged: what a ``symmetric`` scorer gives at run time (:meth:`models.scorer.MeaningScorer.logits`),
    so its calibration must be fitted on the same."""

    def logits(sources: Sequence[str], candidates: Sequence[str]) -> np.ndarray:
        forward = np.asarray(logit_fn(sources, candidates), dtype=float)
        return (forward + np.asarray(logit_fn(candidates, sources), dtype=float)) / 2

    return logits


def torch_logits(run_dir: Path, num_hidden_layers: int = 4, max_length: int = 128,
                 batch_size: int = 64, threads: int = 2) -> LogitFn:
    """A LogitFn over a training run's weights (PyTorch; for evaluating before export)."""
    from export.deps import require

    torch = require("torch")
    from .scorer_train import build_model, encode, read_weights

    torch.set_num_threads(threads)
    model, tokenizer = build_model(num_hidden_layers)
    missing, unexpected = model.load_state_dict(read_weights(run_dir / "weights.safetensors"), strict=False)
    if unexpected or [m for m in missing if "word_embeddings" not in m]:
        raise ValueError(f"weights do not fit the model: missing {missing}, unexpected {unexpected}")
    model.eval()

    def logits(sources: Sequence[str], candidates: Sequence[str]) -> np.ndarray:
        order = sorted(range(len(sources)), key=lambda i: len(sources[i]) + len(candidates[i]))
        out = np.zeros(len(sources))
        with torch.inference_mode():
            for k in range(0, len(order), batch_size):
                chunk = order[k:k + batch_size]
                enc = encode(tokenizer, [sources[i] for i in chunk], [candidates[i] for i in chunk], max_length)
                out[chunk] = model(**enc).logits.squeeze(-1).numpy()
        return out

    return logits


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="evaluate a trained meaning scorer on held-out pairs")
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--run", type=Path, required=True, help="a distill.scorer_train run folder")
    parser.add_argument("--layers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--out", type=Path, default=None, help="write the report here (JSON)")
    parser.add_argument("--candidates", type=Path, nargs="*", default=[],
                        help="student outputs (paraphrase --json lines or evaluate dumps) to score too")
    parser.add_argument("--symmetric", action="store_true",
                        help="read each pair both ways and average the logits (a scorer trained with --both-sides)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logit_fn = torch_logits(args.run, args.layers, threads=args.threads)
    if args.symmetric:
        logit_fn = both_ways(logit_fn)
    report = {"symmetric": args.symmetric, **evaluate(logit_fn, args.data)}
    if args.candidates:
        report["student_candidates"] = student_figures(logit_fn, args.candidates)
    text = json.dumps(report, indent=2)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
