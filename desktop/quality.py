"""A quiet, three-level hint on a candidate card: how far to trust it at a glance.

With the meaning scorer loaded (``Candidate.confidence``), the hint is the calibrated
probability that the candidate keeps every detail of the writer's meaning, fitted on the
student's own paraphrases read by eye from the scorer's logit and how surely the student
wrote the row (the default student's ``confidence.json``; other students: the scorer's
``candidate_calibration.json``). It stays between about 0 % and 80 %: "Meaning: fair chance"
from 40 % (of such candidates of the default student 53 % were faithful, cross-validated),
"check closely" from 20 % (37 %), "doubtful" below (5.5 %). The words say how far to trust a
card, never that it is safe (the runtime already dropped what is below the scorer's
threshold). The tooltip gives the percentage; the change worth checking, when the runtime
knows one (``Candidate.reason``: "a negation may be missing", "may leave out “sorely”"), is
on the card itself too (:attr:`QualityHint.note`).

Without a scorer it falls back to the score, the mean token log-probability: how sure the
model was of its own words. That is not a quality grade, so the card shows a small dot
meter and the word "confidence" rather than a number; the number is in the tooltip for the
curious. Thresholds are the tertiles of the default bundle's scores on everyday sentences
(the first 10 of bench/data/sentences.txt x diversity 0.2/0.5/0.8, 5 candidates each, seed
7: 143 candidates of smollm2-135m-student-v2, tertiles -1.02 and -0.65): the top third
usually reads fluently, the bottom third often drifts. (Student v1 gave tertiles -1.07 and
-0.77, the few-shot base -1.66 and -1.05; the thresholds follow the default.)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from models.confidence import percent

if TYPE_CHECKING:
    from models import Candidate

HIGH_AT = -0.65
MEDIUM_AT = -1.0
#: Confidences from which a card says "Meaning: fair chance" / "Meaning: check closely".
HIGH_CONFIDENCE_AT = 0.4
MEDIUM_CONFIDENCE_AT = 0.2

#: Without a scorer: how sure the model was of its own words.
_LABELS = {3: "High confidence", 2: "Medium confidence", 1: "Low confidence"}
#: With a scorer: how likely every detail of the meaning was kept.
_MEANING_LABELS = {3: "Meaning: fair chance", 2: "Meaning: check closely", 1: "Meaning: doubtful"}


@dataclass(frozen=True)
class QualityHint:
    level: int  # 3 high, 2 medium, 1 low
    label: str
    dots: str
    tooltip: str
    #: The change worth checking, shown on the card itself under the text ("" when none is
    #: known): a writer scanning cards sees "Worth a look: may leave out “sorely”" without
    #: hovering, which the tooltip alone asked of them.
    note: str = ""


def candidate_hint(candidate: Candidate) -> QualityHint:
    """The card's hint: from the meaning scorer's confidence when there is one, else the score."""
    if candidate.confidence is None:
        return quality_hint(candidate.score)
    return confidence_hint(candidate.confidence, candidate.reason)


def confidence_hint(confidence: float, reason: str = "") -> QualityHint:
    """Map the scorer's probability that the meaning is kept (0..1) to a hint."""
    level = 3 if confidence >= HIGH_CONFIDENCE_AT else 2 if confidence >= MEDIUM_CONFIDENCE_AT else 1
    label = _MEANING_LABELS[level]
    note = f"Worth a look: {reason}" if reason else ""
    check = f" {note}." if note else ""
    tooltip = (f"{label}. The meaning check puts the chance that this keeps every detail of your meaning at "
               f"{percent(confidence)}.{check} Read it before you use it either way.")
    return QualityHint(level, label, _dots(level), tooltip, note)


def quality_hint(score: float) -> QualityHint:
    """Map a mean log-probability (<= 0) to a hint a writer can glance at."""
    level = 3 if score >= HIGH_AT else 2 if score >= MEDIUM_AT else 1
    label = _LABELS[level]
    tooltip = (f"{label}: how sure the model was of its wording "
               f"(mean token log-probability {score:.2f}; closer to 0 is surer). "
               "Check the meaning yourself either way.")
    return QualityHint(level, label, _dots(level), tooltip)


def _dots(level: int) -> str:
    return "●" * level + "○" * (3 - level)
