"""Parity of a scorer bundle against the PyTorch fp32 model it came from.

The pipeline uses the scorer two ways: to drop candidates below a threshold and to rank
the rest. So the report has both: the largest difference of calibrated probabilities
(the gate, :data:`MAX_PROBABILITY_DIFF`), how often the keep/drop decision agrees, and how
well the order agrees (share of concordant pairs, Spearman's rho). The bundle side is
:class:`models.scorer.MeaningScorer` itself (tokenizer, length sorting, batching, padding),
so the check covers the runtime path, not just the graph.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import numpy as np

from models.scorer import MeaningScorer, calibrate

from .deps import require

log = logging.getLogger(__name__)

#: Refuse a bundle whose calibrated probability differs from PyTorch fp32 by more than this on any pair.
MAX_PROBABILITY_DIFF = 0.05

_LONG_SOURCE = (
    "The committee, which had met every month for nearly three years to review the proposal, finally decided "
    "on Tuesday evening that the new library would be built on the old market square, provided that the city "
    "council agreed to cover at least half of the construction costs and that the historic fountain in the "
    "middle of the square would be moved, restored and placed in front of the main entrance, where visitors "
    "arriving by bus or tram would see it first; several members nevertheless asked for a second public "
    "consultation before any contract is signed, because residents of the surrounding streets had complained "
    "about noise, traffic and the loss of the weekly farmers' market that has taken place there since 1952."
)

#: Fixed pairs: paraphrases, meaning changes (negation, numbers, names, dates, roles), unrelated
#: sentences, copies, very short ones, and one pair longer than 128 tokens (truncation).
PARITY_PAIRS: list[tuple[str, str]] = [
    ("The committee postponed its decision until more evidence could be gathered.",
     "The committee delayed its decision until it could collect more evidence."),
    ("The committee postponed its decision until more evidence could be gathered.",
     "The committee made its decision without waiting for more evidence."),
    ("She walked to the station in the rain because the buses were not running.",
     "Because there were no buses, she walked to the station in the rain."),
    ("She walked to the station in the rain because the buses were not running.",
     "She took the bus to the station because it was raining."),
    ("Prices rose by 3.2 percent in October, the fastest increase in a decade.",
     "In October prices went up 3.2 percent, the quickest rise in ten years."),
    ("Prices rose by 3.2 percent in October, the fastest increase in a decade.",
     "Prices rose by 2.3 percent in November, the fastest increase in a decade."),
    ("The meeting was moved to Friday because the manager was ill.",
     "Because the manager was sick, the meeting was pushed to Friday."),
    ("The meeting was moved to Friday because the manager was ill.",
     "The meeting was moved to Monday because the manager was on holiday."),
    ("He said he had never seen the sea before he turned twenty.",
     "He told us he first saw the sea at the age of twenty."),
    ("He said he had never seen the sea before he turned twenty.",
     "He said he had lived by the sea since he was a child."),
    ("Anna sent the report to Mark on Tuesday.", "Mark sent the report to Anna on Tuesday."),
    ("Anna sent the report to Mark on Tuesday.", "On Tuesday, Anna emailed the report to Mark."),
    ("I would rather stay at home tonight than go to a crowded restaurant.",
     "Tonight I'd prefer staying in to going out to a busy restaurant."),
    ("I would rather stay at home tonight than go to a crowded restaurant.",
     "I would love to go to a crowded restaurant tonight."),
    ("The software update fixes several bugs and makes the app start faster.",
     "The new version of the app repairs a number of bugs and launches more quickly."),
    ("The software update fixes several bugs and makes the app start faster.",
     "The software update introduces several bugs and makes the app slower."),
    ("Why does the moon look larger when it is close to the horizon?",
     "What makes the moon appear bigger near the horizon?"),
    ("Why does the moon look larger when it is close to the horizon?",
     "The moon is larger than the sun."),
    ("After the storm, volunteers helped clear fallen trees from the roads.",
     "Volunteers cleared the roads of fallen trees once the storm had passed."),
    ("After the storm, volunteers helped clear fallen trees from the roads.",
     "The recipe calls for two eggs, a cup of flour and a pinch of salt."),
    ("Please remember to turn off the lights when you leave the office.",
     "Don't forget to switch the lights off when you go out of the office."),
    ("Please remember to turn off the lights when you leave the office.",
     "Please leave the lights on when you leave the office."),
    ("The museum was closed for renovations, so we visited the park instead.",
     "The museum was closed for renovations, so we visited the park instead."),
    ("The museum was closed for renovations, so we visited the park instead.",
     "We went to the park."),
    ("Yes.", "Indeed."),
    ("Thanks!", "No thanks."),
    ("Our team will present the results at the conference next spring.",
     "Next spring, the results will be presented by our team at the conference."),
    ("Our team will present the results at the conference next spring.",
     "Our team presented the results at the conference last autumn."),
    ("Scientists believe the comet last passed near the Earth about 3,000 years ago.",
     "According to scientists, the comet's previous close approach to Earth was roughly 3,000 years ago."),
    ("The old lighthouse keeper lived alone with his dog for thirty years.",
     "For three decades the elderly lighthouse keeper lived by himself with his dog."),
    (_LONG_SOURCE,
     "After three years of monthly meetings, the committee decided on Tuesday evening to build the new "
     "library on the old market square, if the council pays half of the costs."),
    (_LONG_SOURCE, _LONG_SOURCE.replace("Tuesday", "Thursday").replace("half", "a third")),
]


def scorer_parity_report(torch_model: Any, scorer: MeaningScorer, *, fp32_model: Path | None = None,
                         pairs: list[tuple[str, str]] | None = None) -> dict[str, Any]:
    """Compare ``scorer`` (the int8 bundle) with ``torch_model`` (fp32) on ``pairs``.

    PyTorch reads each pair alone (no padding), with exactly the ids the runtime's tokenizer
    makes. ``fp32_model`` (the ONNX graph before quantization), when given, is measured
    too, so a failure says whether the export or the quantization lost the accuracy.
    """
    pairs = pairs or PARITY_PAIRS
    sources = [source for source, _ in pairs]
    candidates = [candidate for _, candidate in pairs]
    reference_logits = _torch_logits(torch_model, scorer, pairs)
    ours_logits = scorer.logits(sources, candidates)
    reference = calibrate(reference_logits, scorer.calibration).astype(np.float64)
    ours = calibrate(ours_logits, scorer.calibration).astype(np.float64)
    diff = np.abs(ours - reference)
    report: dict[str, Any] = {
        "reference": "PyTorch fp32, one pair at a time",
        "pairs": len(pairs),
        "max_abs_diff": round(float(diff.max()), 5),
        "mean_abs_diff": round(float(diff.mean()), 5),
        "max_abs_logit_diff": round(float(np.abs(ours_logits - reference_logits).max()), 5),
        "decision_agreement": round(float(np.mean((ours >= scorer.threshold) == (reference >= scorer.threshold))), 4),
        "rank_agreement": round(concordance(reference, ours), 4),
        "spearman": round(spearman(reference, ours), 4),
        # the spread the rank figures are measured against: near 0, any noise reorders pairs
        "reference_std": round(float(reference.std()), 5),
        "max_allowed_diff": MAX_PROBABILITY_DIFF,
    }
    if fp32_model is not None:
        fp32 = MeaningScorer(fp32_model.parent, _with_model_file(scorer, fp32_model.name), threads=1)
        fp32_probabilities = calibrate(fp32.logits(sources, candidates), scorer.calibration).astype(np.float64)
        report["onnx_fp32_max_abs_diff"] = round(float(np.abs(fp32_probabilities - reference).max()), 5)
    log.info("scorer parity on %d pairs: max |dp| %.4f, rank agreement %.3f", len(pairs), report["max_abs_diff"],
             report["rank_agreement"])
    return report


def _torch_logits(model: Any, scorer: MeaningScorer, pairs: list[tuple[str, str]]) -> np.ndarray:
    torch = require("torch")
    out = np.empty(len(pairs), dtype=np.float32)
    with torch.no_grad():
        for i, encoding in enumerate(scorer.tokenizer.encode_batch(pairs)):
            ids = torch.tensor([encoding.ids])
            result = model(input_ids=ids, attention_mask=torch.ones_like(ids),
                           token_type_ids=torch.tensor([encoding.type_ids]))
            out[i] = float(result.logits.reshape(-1)[0])
    return out


def _with_model_file(scorer: MeaningScorer, model_file: str) -> Any:
    """The scorer's manifest with another model file (the fp32 graph beside the int8 one)."""
    from dataclasses import replace

    return replace(scorer.manifest, model_file=model_file)


def concordance(reference: np.ndarray, ours: np.ndarray) -> float:
    """Share of pairs (i, j) ordered the same way by both (pairs tied in the reference are skipped)."""
    ref = np.sign(reference[:, None] - reference[None, :])
    new = np.sign(ours[:, None] - ours[None, :])
    upper = np.triu(np.ones_like(ref, dtype=bool), k=1) & (ref != 0)
    return float(np.mean(ref[upper] == new[upper])) if upper.any() else 1.0


def spearman(reference: np.ndarray, ours: np.ndarray) -> float:
    """Spearman's rank correlation (ranks by argsort; 1.0 when either side is constant)."""
    a = np.argsort(np.argsort(reference)).astype(np.float64)
    b = np.argsort(np.argsort(ours)).astype(np.float64)
    if a.std() == 0 or b.std() == 0:
        return 1.0
    return float(np.corrcoef(a, b)[0, 1])
