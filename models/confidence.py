"""How sure the runtime is that a candidate keeps its source's meaning.

The candidate pipeline (:mod:`models.pipeline`) asks a meaning scorer for a calibrated
probability per finished row and drops the rows below the scorer's threshold; the kept
row's :attr:`Candidate.confidence` is that probability mapped to what it means for the
student's own candidates (:func:`candidate_confidence`). The pipeline depends only on the small
:class:`Scorer` protocol here, so tests and the evaluator can pass a stand-in, and the
student keeps working alone when no scorer bundle is built (:func:`default_scorer` then
says so once and returns None).

:func:`doubt` names, in a few words, a change a writer should look at (a negation lost, a
contrast turned into a cause): the scorer gives a number but never a reason, and the facts
check (:mod:`models.facts`) already refuses every lost number, name or date outright.
"""

from __future__ import annotations

import functools
import logging
import os
import re
from collections.abc import Sequence
from typing import Protocol

import numpy as np

from .errors import ParaphraseStudioError
from .student_calibration import StudentCalibration
from .text import STRAIGHT_APOSTROPHES

log = logging.getLogger(__name__)

#: A candidate's reason (:func:`doubt`) is kept only below this pair probability (the scorer's
#: :meth:`~Scorer.score`, not the confidence shown): a change the scorer is sure about ("not
#: open" -> "closed") needs no note, and a note on every card is ignored.
EXPLAIN_BELOW = 0.8

#: A row's mean log-probability at or below this is no score (a row that stopped before any
#: token: :data:`models.pipeline.EMPTY_SCORE`); its confidence is the scorer's alone.
NO_ROW_SCORE = -50.0

#: Names the scorer to load instead of the default (a name or a bundle folder), or ``none``
#: to run the student alone (the test suite, a quick comparison).
SCORER_ENV = "PARAPHRASE_STUDIO_SCORER"
_OFF = frozenset({"none", "off", "0", "false", "no"})


class Scorer(Protocol):
    """What the pipeline needs of a meaning scorer (:class:`models.scorer.MeaningScorer` is one)."""

    name: str
    #: Probability below which a candidate is dropped.
    threshold: float

    def score(self, sources: Sequence[str], candidates: Sequence[str]) -> np.ndarray:
        """Calibrated probabilities in [0, 1] that ``candidates[i]`` keeps ``sources[i]``'s meaning."""
        ...


def candidate_confidence(scorer: Scorer, probability: float, source: str) -> float:
    """The confidence a candidate of ``source`` is shown with, from the scorer's pair probability,
    where the student has no fit of its own for this scorer (:func:`student_confidence`).

    A scorer may map its probability to one fitted on the student's own candidates
    (:meth:`models.scorer.MeaningScorer.candidate_confidence`), which may also need the
    source scored against itself: that is one scorer call per sentence, remembered for the
    sentence's other rows. A scorer without the map (a test's stand-in, an older bundle)
    shows its probability as it is.
    """
    recalibrate = getattr(scorer, "candidate_confidence", None)
    if recalibrate is None:
        return float(probability)
    source_probability = None
    if getattr(scorer, "needs_source_score", False):
        source_probability = np.array([_source_score(scorer, source)])
    shown = recalibrate(np.array([probability], dtype=np.float64), source_probability)
    return float(np.asarray(shown).reshape(-1)[0])


def student_confidence(scorer: Scorer, probability: float, source: str, mean_log_prob: float | None,
                       calibration: StudentCalibration | None) -> float | None:
    """The student's own fit (:mod:`models.student_calibration`) of the scorer's logit and the
    row's mean token log-prob, or None where it does not apply: no fit, a fit for another
    scorer, a scorer without raw logits (a test's stand-in), or a row without a score."""
    logits_of = getattr(scorer, "logits_of", None)
    if (calibration is None or not calibration.applies_to(scorer) or logits_of is None
            or mean_log_prob is None or not mean_log_prob > NO_ROW_SCORE):
        return None
    logit = float(np.asarray(logits_of(np.array([probability], dtype=np.float64))).reshape(-1)[0])
    source_logit = 0.0
    if calibration.needs_source_score:
        source_logit = float(np.asarray(logits_of(np.array([_source_score(scorer, source)]))).reshape(-1)[0])
    return calibration.confidence(logit, float(mean_log_prob), source_logit)


@functools.lru_cache(maxsize=64)
def _source_score(scorer: Scorer, source: str) -> float:
    """``source`` scored against itself (the sentences being paraphrased now; a few KB)."""
    return float(scorer.score([source], [source])[0])


_loaded: dict[tuple[str | None, int | None], Scorer] = {}
_warned: set[str] = set()


def default_scorer(threads: int | None = None) -> Scorer | None:
    """The app's meaning scorer, or None (with one warning per reason) when it cannot be loaded.

    :envvar:`PARAPHRASE_STUDIO_SCORER` names another scorer (a name or a bundle folder) or
    ``none``. A loaded scorer is shared by every paraphraser of the process (the desktop app
    reloads its paraphraser when the writer switches bundles); a missing one is looked for
    again next time, so a scorer built while the app runs is picked up by the next load.
    """
    choice = os.environ.get(SCORER_ENV, "").strip() or None
    if choice is not None and choice.casefold() in _OFF:
        return None
    key = (choice, threads)
    if key in _loaded:
        return _loaded[key]
    try:
        from .scorer import MeaningScorer
    except ImportError as exc:  # a runtime without the scorer module: the student works alone
        _warn_once(f"running without the meaning scorer (it cannot be imported: {exc})")
        return None
    try:
        scorer = MeaningScorer.load(choice, threads=threads)
    except (ParaphraseStudioError, OSError) as exc:
        _warn_once(f"running without the meaning scorer, so candidates carry no confidence: {exc}")
        return None
    _loaded[key] = scorer
    log.info("meaning scorer %s loaded (threshold %.2f)", scorer.name, scorer.threshold)
    return scorer


def _warn_once(message: str) -> None:
    if message not in _warned:
        _warned.add(message)
        log.warning("%s", message)


def percent(confidence: float) -> str:
    """A confidence as a writer reads it: "87%", never "0%" or "100%" (a scorer is never certain)."""
    return f"{min(99, max(1, round(confidence * 100)))}%"


# -- reasons ------------------------------------------------------------------------------

_NEGATION = re.compile(r"\b(?:not|no|never|nobody|nothing|none|neither|nor|nowhere|cannot)\b|n't\b",
                       re.IGNORECASE)
_CONTRAST = re.compile(r"\b(?:despite|in spite of|although|though|nevertheless|nonetheless|however|but|yet|"
                       r"whereas)\b", re.IGNORECASE)
_CAUSE = re.compile(r"\b(?:because|due to|owing to|thanks to|as a result|therefore|hence|so)\b", re.IGNORECASE)


def doubt(candidate: str, source: str) -> str:
    """A short note on a change worth checking, or "" when none is seen.

    Meant for the card's tooltip beside the confidence: "a negation may be missing" when
    the source negates and the candidate does not (or the other way round), "a contrast may
    have become a cause" for "despite" → "due to", which the 135M student does now and then.
    A hint, never a verdict: "did not like" → "disliked" is fine and still gets the note.
    """
    source, candidate = source.translate(STRAIGHT_APOSTROPHES), candidate.translate(STRAIGHT_APOSTROPHES)
    negated, negates = bool(_NEGATION.search(source)), bool(_NEGATION.search(candidate))
    if negated and not negates:
        return "a negation may be missing"
    if negates and not negated:
        return "a negation may have been added"
    if (_CONTRAST.search(source) and not _CONTRAST.search(candidate)
            and _CAUSE.search(candidate) and not _CAUSE.search(source)):
        return "a contrast may have become a cause"
    return ""
