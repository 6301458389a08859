"""The confidence one student's candidates are shown with, fitted on its candidates read by eye.

The meaning scorer alone separates the student's faithful candidates from changed ones only
modestly: on 330 shown candidates of student v2 read by eye, a logistic fit of its logit
(and of the source's logit against itself) reaches a cross-validated ROC AUC of 0.68. The
student knows more than that about its own rows. A row's mean token log-probability under
the prompt that wrote it (:attr:`models.pipeline.Candidate.score`, free: the decoding loop
already has it) is lower where the row drifted ("The House vote was narrowly defeated, with a
wide majority of bipartisan support": -1.01 against -0.70 for a faithful row of the same
source); the two together reach 0.81 cross-validated, and 0.85 on 80 Creative cards that a fit
on the other 250 never saw (:mod:`distill.student_confidence_fit`).

That log-probability is the student's own scale, so the fit belongs to one student and one
scorer: it is committed beside the student's adapter (``confidence.json``), export copies
it into the student's bundle manifest (``confidence``), and the runtime applies it only
when the loaded scorer is the one it names. Any other pairing (student v1, a scorer built
later) shows the scorer's own candidate confidence, as before.

How strict a reading the number follows is a choice of its own (``reading_shift``): 263 fresh
cards of student v2 read blind by stricter readers (a second reader matched 97 of 100) were
faithful far less often than the fit said (0.163 against 0.390). The fit's slopes ranked them
well (AUC 0.76), so only its level moves: the shift is added to the fit's sum for the number
a card shows, while the fit's own scale still decides which rows the student rescues
(:meth:`StudentCalibration.on_shown_scale`) and in which order they are shown
(:meth:`StudentCalibration.on_fit_scale`), so the same cards come in the same order. The one
rule that reads the number shown is the floor under which no card is shown
(:data:`models.pipeline.MIN_CONFIDENCE`): there the stricter reading is the point.

What the scorer and the row score both miss most is a detail left out, so the number shown
also weighs how many of the source's content words a Standard card leaves without any
counterpart (``detail_scale``, per word up to :data:`DETAIL_CAP`; :mod:`models.details`),
fitted with the reading's level on the same blind-read cards. It moves the number shown, the
card's note and the order of the cards (the ranking weighs it: read blind, the first cards it
chose kept more of their source); which rows pass only through the floor above.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

#: The file beside a student's adapter, and the bundle manifest's key, that hold the fit.
CALIBRATION_FILE = "confidence.json"
MANIFEST_KEY = "confidence"
#: Words left out beyond this many move the number no further (the fit's feature is capped too).
DETAIL_CAP = 5


@dataclass(frozen=True)
class StudentCalibration:
    """``confidence = sigmoid(scale * logit + source_scale * source_logit + row_scale *
    mean_log_prob + bias)`` for candidates of one student judged by the scorer ``scorer``;
    ``logit`` is the scorer's raw logit for the pair, ``source_logit`` for the source against
    itself (0 weight: not needed), ``mean_log_prob`` the row's mean token log-probability;
    ``reading_shift`` moves the level to a stricter reading (module docstring), 0 for none;
    ``detail_scale`` (at most 0) is added per content word a Standard card leaves out beyond
    ``detail_center`` (the usual count: the other modes' cards keep the shared level)."""

    scorer: str
    scale: float
    row_scale: float
    bias: float
    source_scale: float = 0.0
    reading_shift: float = 0.0
    detail_scale: float = 0.0
    detail_center: float = 0.0

    @classmethod
    def from_dict(cls, data: object, where: str = "'confidence'") -> StudentCalibration:
        """Check the shape; a ValueError names the field. A non-positive ``scale`` or
        ``row_scale`` would rank a surer row lower, so it is refused rather than shown."""
        if not isinstance(data, dict):
            raise ValueError(f"{where} is {type(data).__name__}, not an object")
        scorer = data.get("scorer")
        if not isinstance(scorer, str) or not scorer.strip():
            raise ValueError(f"{where} has no 'scorer' name")
        numbers = {}
        optional = ("source_scale", "reading_shift", "detail_scale", "detail_center")
        for key in ("scale", "row_scale", "bias", *optional):
            value = data.get(key, 0.0 if key in optional else None)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                raise ValueError(f"{where}[{key!r}] is {value!r}, not a finite number")
            numbers[key] = float(value)
        for key in ("scale", "row_scale"):
            if numbers[key] <= 0:
                raise ValueError(f"{where}[{key!r}] is {numbers[key]}: a surer row would be shown as less sure")
        if numbers["detail_scale"] > 0:
            raise ValueError(f"{where}['detail_scale'] is {numbers['detail_scale']}: a card leaving words out "
                             "would be shown as surer")
        return cls(scorer=scorer, **numbers)

    def to_dict(self) -> dict[str, Any]:
        """The fields; ``reading_shift`` and ``detail_scale`` only when set, so a fit without
        them keeps its bundle's fingerprint."""
        data = asdict(self)
        for key in ("reading_shift", "detail_scale", "detail_center"):
            if not data[key]:
                del data[key]
        return data

    def applies_to(self, scorer: object) -> bool:
        """True for the scorer it was fitted with (by name)."""
        return getattr(scorer, "name", None) == self.scorer

    @property
    def needs_source_score(self) -> bool:
        return self.source_scale != 0.0

    def confidence(self, logit: float, mean_log_prob: float, source_logit: float = 0.0) -> float:
        """The calibrated probability that the row keeps every detail of its source (the number shown)."""
        z = self.scale * logit + self.row_scale * mean_log_prob + self.source_scale * source_logit + self.bias
        return _sigmoid(z + self.reading_shift)

    def with_details(self, shown: float, left_out: int) -> float:
        """The number shown for a card that leaves ``left_out`` content words without a
        counterpart (:mod:`models.details`, a Standard card); ``shown`` is :meth:`confidence`'s."""
        return self._moved(shown, self.detail_scale * (min(left_out, DETAIL_CAP) - self.detail_center))

    def on_shown_scale(self, probability: float) -> float:
        """``probability`` on the fit's own scale (before ``reading_shift``) as the number shown
        for the same row: what a threshold set on the fit's scale (:data:`models.pipeline.RESCUE_AT`)
        becomes, so moving the level changes no decision."""
        return self._moved(probability, self.reading_shift)

    def on_fit_scale(self, shown: float) -> float:
        """The number shown for a row, back on the fit's own scale: what the ranking weighs
        against variety (:class:`models.pipeline.ByConfidence`), as it did before the move."""
        return self._moved(shown, -self.reading_shift)

    @staticmethod
    def _moved(probability: float, shift: float) -> float:
        if not shift or not 0.0 < probability < 1.0:
            return probability
        return _sigmoid(math.log(probability / (1.0 - probability)) + shift)


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))
