"""A quiet, three-level hint from a candidate's score.

The score is the mean token log-probability: how sure the model was of its own words. It
is not a quality grade, so the card shows a small dot meter and the word "confidence"
rather than a number; the number is in the tooltip for the curious.
Thresholds are the tertiles of the default bundle's scores on everyday sentences (the first
10 of bench/data/sentences.txt x diversity 0.2/0.5/0.8, 5 candidates each, seed 7: 146
candidates of smollm2-135m-student-v1; 10th-90th percentile -1.58 to -0.56, tertiles -1.07
and -0.78): the top third usually reads fluently, the bottom third often drifts. (The
few-shot base scored lower, tertiles -1.66 and -1.05; the thresholds follow the default.)
"""

from __future__ import annotations

from dataclasses import dataclass

HIGH_AT = -0.8
MEDIUM_AT = -1.1


@dataclass(frozen=True)
class QualityHint:
    level: int  # 3 high, 2 medium, 1 low
    label: str
    dots: str
    tooltip: str


def quality_hint(score: float) -> QualityHint:
    """Map a mean log-probability (<= 0) to a hint a writer can glance at."""
    if score >= HIGH_AT:
        level, label = 3, "High confidence"
    elif score >= MEDIUM_AT:
        level, label = 2, "Medium confidence"
    else:
        level, label = 1, "Low confidence"
    dots = "●" * level + "○" * (3 - level)
    tooltip = (f"{label}: how sure the model was of its wording "
               f"(mean token log-probability {score:.2f}; closer to 0 is surer). "
               "Check the meaning yourself either way.")
    return QualityHint(level, label, dots, tooltip)
