"""What happens to a finished sample before it becomes a candidate: checks, then ranking.

Each finished row's text goes through an ordered list of small checks; the first that
refuses it rejects the row, which is then replaced by another sample from the cached
prompt (:mod:`models.batch_decode`). Once a sentence has its candidates, one ranking step
orders them. Each check is one class with one method, so a new rule (facts, a scorer) is one
more class in the list, and a caller that measures the filter (``distill/evaluate.py``)
builds its own pipeline instead of overriding the paraphraser::

    pipeline = CandidatePipeline(checks=(NonEmpty(), NotACopy()), ranking=ByMeanLogProb())
    paraphraser.pipeline = pipeline

A check sees the row's text, the :class:`Source` it paraphrases and the candidates already
accepted for that sentence (in the order they finished).

The app's checks, in order: :class:`NonEmpty`, :class:`NotACopy`, :class:`KeepsFacts` (every
protected span of the source kept, no number it does not have: :mod:`models.facts`),
:class:`NotANearDuplicate`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Protocol

import numpy as np

from . import dedupe
from .facts import SourceFacts

#: Score of a row that finished without a single scored token (its stop came first).
EMPTY_SCORE = -99.0


@dataclass(frozen=True)
class Candidate:
    """One paraphrase; ``score`` is its mean token log-probability (closer to 0 = surer).

    ``kept``: the protected spans of the source it keeps, as the source writes them (every
    one of them: a candidate that loses one is never returned), for the app to mark.
    """

    text: str
    score: float
    kept: tuple[str, ...] = ()


@dataclass(frozen=True)
class Source:
    """The sentence a row paraphrases, as the checks see it; ``keep``: phrases the writer froze."""

    text: str
    keep: tuple[str, ...] = ()

    @cached_property
    def facts(self) -> SourceFacts:
        """Its protected spans, parsed once for all of its rows."""
        return SourceFacts(self.text, self.keep)

    @cached_property
    def protected(self) -> tuple[str, ...]:
        """The texts of the spans a candidate must keep, in text order, each once; a span
        inside another ("2027" in "March 2027") is shown by the larger one."""
        spans = [span for span in self.facts.spans if not span.weak]
        shown = [span for span in spans
                 if not any(o.start <= span.start and span.end <= o.end and (o.start, o.end) != (span.start, span.end)
                            for o in spans)]
        return tuple(dict.fromkeys(span.text for span in shown))


class Check(Protocol):
    """One acceptance rule. ``name`` keys its count of rejected rows in the stats."""

    name: str

    def accepts(self, text: str, source: Source, accepted: Sequence[Candidate]) -> bool:
        """True when ``text`` may become a candidate of ``source``."""
        ...


class Ranking(Protocol):
    """Orders a sentence's accepted candidates, best first."""

    def rank(self, candidates: Sequence[Candidate], source: Source) -> list[Candidate]:
        ...


class NonEmpty:
    """A row with no words (only punctuation, or nothing) is no paraphrase."""

    name = "empty"

    def accepts(self, text: str, source: Source, accepted: Sequence[Candidate]) -> bool:
        return bool(dedupe.words(text))


class NotACopy:
    """The input again, up to case, punctuation and a word or so (:func:`dedupe.is_copy`)."""

    name = "copy"

    def accepts(self, text: str, source: Source, accepted: Sequence[Candidate]) -> bool:
        return not dedupe.is_copy(text, source.text)


class KeepsFacts:
    """Every protected span kept and no number invented (:meth:`SourceFacts.check`).

    A changed fact is not a paraphrase: "$4.3 million" → "$4.3 billion", "Dr. Chen" → "Chen".
    """

    name = "facts"

    def accepts(self, text: str, source: Source, accepted: Sequence[Candidate]) -> bool:
        return not source.facts.check(text)


class NotANearDuplicate:
    """Nearly the wording of a candidate already accepted: the writer would see it twice."""

    name = "duplicate"

    def accepts(self, text: str, source: Source, accepted: Sequence[Candidate]) -> bool:
        return not dedupe.is_near_duplicate(text, [c.text for c in accepted])


class ByMeanLogProb:
    """Surest first: the model's mean token log-probability (ties keep finishing order)."""

    def rank(self, candidates: Sequence[Candidate], source: Source) -> list[Candidate]:
        return sorted(candidates, key=lambda c: c.score, reverse=True)


def mean_log_prob(log_probs: Sequence[float]) -> float:
    """A row's score: the mean of its tokens' log-probabilities (the stop token's included)."""
    return float(np.mean(log_probs)) if log_probs else EMPTY_SCORE


@dataclass(frozen=True)
class CandidatePipeline:
    """The ordered checks and the ranking step one sentence's rows go through."""

    checks: tuple[Check, ...] = field(
        default_factory=lambda: (NonEmpty(), NotACopy(), KeepsFacts(), NotANearDuplicate()))
    ranking: Ranking = field(default_factory=ByMeanLogProb)

    def __post_init__(self) -> None:
        object.__setattr__(self, "checks", tuple(self.checks))

    def refusal(self, text: str, source: Source, accepted: Sequence[Candidate]) -> Check | None:
        """The first check that refuses ``text``, or None when every check accepts it."""
        for check in self.checks:
            if not check.accepts(text, source, accepted):
                return check
        return None

    def rank(self, candidates: Sequence[Candidate], source: Source) -> list[Candidate]:
        return self.ranking.rank(candidates, source)


def default_pipeline() -> CandidatePipeline:
    """The app's pipeline: non-empty, not a copy, facts kept, not a near-duplicate; surest first."""
    return CandidatePipeline()
