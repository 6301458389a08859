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
accepted for that sentence (in the order they finished). A check that also *scores* the row
(:class:`Assessing`: the meaning scorer) gives the pipeline a :class:`Verdict` with its
confidence, which the accepted :class:`Candidate` carries.

The app's checks, in order: :class:`NonEmpty`, :class:`NotACopy`, :class:`FitsLength` (a
mode's length limit), :class:`KeepsFacts` (every protected span of the source kept, no
number it does not have: :mod:`models.facts`), :class:`KeepsQuestion` (a question stays
one), :class:`KeepsContrast` (a "but" or "although" inside the sentence keeps a contrast word),
:class:`KeepsCause` (no "…, causing …" between things the source only sets side by side, and in
Standard no "driven by" or "because" left without any causal word),
:class:`KeepsLink` (in Standard, a leading "However," or "As a result," still said),
:class:`KeepsDirection` (no "defeated" turned "passed"), :class:`KeepsNegation` (no
negation lost or added: "we aren't overprotective" → "we have been overprotective"),
:class:`KeepsCertainty` ("unlikely" not made "expected"), :class:`KeepsRoles` (no two names, numbers or words
that changed places), :class:`NotANearDuplicate`, and, when
a meaning scorer is loaded, :class:`KeepsMeaning` (the scorer's probability at least its
threshold). The scorer runs last because it is the
only check that costs a model call (2-4 ms a row): a copy or a near-duplicate is refused
for free first.

With a scorer the pipeline also *oversamples* (:attr:`CandidatePipeline.oversample`): a
sentence accepts a few more candidates than it shows and the ranking, :class:`ByConfidence`
(likeliest to keep the meaning first, spread out by wording), keeps the best n.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal, Protocol, runtime_checkable

import numpy as np

from . import dedupe
from .certainty import Sureness
from .confidence import EXPLAIN_BELOW, Scorer, candidate_confidence, doubt, student_confidence
from .details import DEFAULT_DETAILS, DetailMatcher, detail_reason
from .connectives import dropped_cause, dropped_link, invented_cause, keeps_contrast
from .facts import SourceFacts
from .negation import changed_negation
from .reversals import reversed_words
from .roles import swapped
from .student_calibration import StudentCalibration
from .text import STATEMENT, sentence_kind, word_count

#: Score of a row that finished without a single scored token (its stop came first).
EMPTY_SCORE = -99.0
#: With a scorer, candidates accepted beyond the n shown, as a share of n (rounded up: n=5
#: accepts 7, n=1 accepts 2); the ranking keeps the best n. Fewer is not faster: the extra
#: rows also stand in for refused ones, which otherwise cost a second round. Measured
#: 2026-12-01 (student v2, 2 threads, AVX2; interleaved, 2 sentences x 8 seeds, n=5;
#: ``runs/s28/oversample_ab.py``, not committed): p50 1.21 s at 0.4, 1.31 s at 0.2, 1.39 s
#: at 0; held-out news at 0.5 (100 inputs) 4.73 / 4.66 / 4.70 candidates per input, good
#: rate 0.831 / 0.818 / 0.804, top-1 0.837 / 0.867 / 0.808 (within noise).
DEFAULT_OVERSAMPLE = 0.4
#: A row the scorer's threshold refuses still passes when the student's own confidence
#: (:func:`models.confidence.student_confidence`) is at least this: the scorer's scale sags for
#: some sentences (it gives "Rollins retired in 1962 and opted to become a coach." 0.45 against
#: itself), so it refused faithful rewrites the student wrote surely. On held-out ASSET in
#: Simpler mode this let 44 rows through (no candidate: 18 inputs -> 8; 19 of 25 read by eye kept
#: the main content and said nothing false, against 16 of 40 shown cards before); on held-out
#: news at 0.5 and at Creative it let none through.
RESCUE_AT = 0.4
#: No card is shown with a confidence under this (the number on the card, :class:`KeepsMeaning`'s
#: verdict): the row is refused like one the scorer doubts, and a later round may replace it
#: (up to :data:`models.paraphraser.ROUNDS_WITH_A_CARD` rounds once the sentence has a card).
#: A wrong card does more harm than none, and under 10 % the student's fit is right that it
#: almost always is wrong. Measured twice on fresh held-out inputs, every card read blind
#: against "every detail and relation kept":
#:
#: - 2026-12-02 (``runs/s36``): of 45 cards under 3 % on 80 unseen newstest2012 sentences none
#:   was faithful, against 7 of 45 at 3 % or more; the floor was set at 3 %. On 100 held-out
#:   news inputs (``evaluate``, 5 candidates, 0.5) the evaluator's good rate went 0.828 -> 0.885
#:   with 3.8 cards an input instead of 4.7; on dev 0.721 -> 0.846.
#: - 2026-12-02 again (``runs/s40``, session 40): the floor off, 226 cards on 48 unseen news
#:   sentences and 188 on 40 unseen dev seeds, each read by two AI helper readers (agreeing on
#:   403 of 414). Both called faithful: under 3 % 2 of 160; 3-10 % 5 of 85 (news 5 of 65, dev 0
#:   of 20: "drops 'by a car'", "'planned' -> 'goals'", an invented "of Trinidad"); 10 % or more
#:   52 of 169. Raising the floor from 3 % to 10 % drops 80 of the 197 wrong cards shown and 5 of
#:   the 57 faithful ones: faithful among shown cards 22 % -> 31 %.
MIN_CONFIDENCE = 0.10
#: :class:`ByConfidence`'s weight on confidence against the similarity to candidates ranked above.
MMR_LAMBDA = 0.7


@dataclass(frozen=True)
class Candidate:
    """One paraphrase; ``score`` is its mean token log-probability (closer to 0 = surer).

    ``kept``: the protected spans of the source it keeps, as the source writes them (every
    one of them: a candidate that loses one is never returned), for the app to mark.
    ``confidence``: the calibrated probability that it keeps every detail of the source's
    meaning, as read on the student's own candidates (None when no scorer is loaded; see
    :func:`models.confidence.candidate_confidence`); ``reason``: a short note on a change worth
    checking ("a negation may be missing"), "" when none is seen or the scorer is sure of it
    (:func:`models.confidence.doubt`, :data:`models.confidence.EXPLAIN_BELOW`).
    """

    text: str
    score: float
    kept: tuple[str, ...] = ()
    confidence: float | None = None
    reason: str = ""
    #: The source's content words it leaves without any counterpart (:mod:`models.details`;
    #: Standard only), which its confidence weighs and its reason names; None when
    #: not counted.
    left_out: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Source:
    """The sentence a row paraphrases, as the checks see it; ``keep``: phrases the writer froze;
    ``max_words``: the most words a candidate may have (the Shorter mode's limit), None for any;
    ``omission_allowed``: the mode may drop a detail (Simpler, Shorter), so a check that
    refuses a lost detail refuses only what the candidate turned round."""

    text: str
    keep: tuple[str, ...] = ()
    max_words: int | None = None
    omission_allowed: bool = False

    @cached_property
    def facts(self) -> SourceFacts:
        """Its protected spans, parsed once for all of its rows."""
        return SourceFacts(self.text, self.keep)

    @cached_property
    def sureness(self) -> Sureness:
        """How sure it is and whether it states what happened (:class:`models.certainty.Sureness`),
        read once for all of its rows."""
        return Sureness.of(self.text)

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


@dataclass(frozen=True)
class Verdict:
    """What the pipeline made of one row: the check that refused it (None: accepted) and,
    once a scoring check judged it, its confidence and reason."""

    refused_by: Check | None = None
    confidence: float | None = None
    reason: str = ""
    #: The source's content words the row leaves without a counterpart (:mod:`models.details`);
    #: None when not counted (another mode, no scorer, no phrase index).
    left_out: tuple[str, ...] | None = None

    @property
    def accepted(self) -> bool:
        return self.refused_by is None


@runtime_checkable
class Assessing(Protocol):
    """A check that scores the row as it judges it; the pipeline keeps the score."""

    name: str

    def assess(self, text: str, source: Source, row_score: float | None = None) -> Verdict:
        """The verdict with this check's confidence (``refused_by`` is the check itself, or None);
        ``row_score``: the row's mean token log-probability when the caller has it."""
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


#: The field names of the students' prompts and codes (``models.recipes``: "Sentence: …\nControls:
#: task: paraphrase; length: same; change: mid\nParaphrase:"), singular or plural, before a colon.
PROMPT_LABELS = re.compile(r"\b(sentences?|controls?|paraphrases?|tasks?|changes?|lengths?)\s*:", re.IGNORECASE)


class NoPromptEcho:
    """A row that writes one of the prompt's field names ("Controls: B02.") the source does not have.

    Why: on a source with little to reword (a code such as "b02") student v2 writes the prompt's
    next line instead of a paraphrase, and the meaning scorer passed "Controls: B02." at 13 %.
    A writer's own "Change: …" in the source lets a row keep it.
    """

    name = "prompt"

    def accepts(self, text: str, source: Source, accepted: Sequence[Candidate]) -> bool:
        written = {m.group(1).lower().rstrip("s") for m in PROMPT_LABELS.finditer(text)}
        if not written:
            return True
        return written <= {m.group(1).lower().rstrip("s") for m in PROMPT_LABELS.finditer(source.text)}


class NotACopy:
    """The input again, up to case, punctuation and a word or so (:func:`dedupe.is_copy`)."""

    name = "copy"

    def accepts(self, text: str, source: Source, accepted: Sequence[Candidate]) -> bool:
        return not dedupe.is_copy(text, source.text)


class FitsLength:
    """No more words than the source's limit (:attr:`Source.max_words`, set by a mode such as
    Shorter from the bundle's ``max_words_ratio``); any length when the source has none."""

    name = "length"

    def accepts(self, text: str, source: Source, accepted: Sequence[Candidate]) -> bool:
        return source.max_words is None or word_count(text) <= source.max_words


class KeepsFacts:
    """Every protected span kept and no number invented (:meth:`SourceFacts.check`).

    A changed fact is not a paraphrase: "$4.3 million" → "$4.3 billion", "Dr. Chen" → "Chen".
    """

    name = "facts"

    def accepts(self, text: str, source: Source, accepted: Sequence[Candidate]) -> bool:
        return not source.facts.check(text)


#: A sentence that asks for something: it may be paraphrased as a polite question, and a question
#: as it ("Could you show me the fare code?" -> "Please let me see the fare code."). Besides
#: "please" and "tell me", the ways of asking without a question mark that the GPT teachers write
#: for a question and back: "I'm curious about …", "I would like to know …", "I'm looking for …",
#: "Seeking details on …", "I need information on …".
_REQUEST = re.compile(
    r"(?:^\W*|[,;:]\s+)(?:(?:please|kindly)(?!\s+(?:note|be\s+aware|remember|keep\s+in\s+mind|know|understand"
    r"|be\s+advised)\b)|(?:tell|show|give|send|find|help|remind|let|get|provide|list) me|let us"
    r"|let's|(?:list|name|identify|describe|explain|provide|share|give|find|show|display|clarify|suggest|recommend)\b"
    r"|(?:i|we)(?:'m|'re|\s+am|\s+are)\s+(?:really\s+|just\s+|also\s+)?(?:curious|wondering|interested"
    r"|seeking|searching|looking\s+for|hoping\s+to\s+(?:find|learn|know|get))"
    r"|(?:i|we)\s+(?:would|'d)\s+(?:like|love|appreciate)|(?:i|we)'d\s+(?:like|love|appreciate)"
    r"|(?:i|we)\s+(?:want|need|wish|hope)\s+to\s+(?:know|find|learn|see|get|ask|understand|check|confirm|book|go)"
    r"|(?:i|we)\s+(?:need|want|require|seek)\b|(?:i|we)\s+wonder|(?:seeking|searching|looking\s+for|requesting"
    r"|inquiring|wondering|curious)\b|(?:any|some)\s+(?:info|information|details|suggestions|ideas|recommendations)"
    r"|(?:info|information|details|directions|guidance|help|assistance)\s+(?:on|about|regarding|for|to|needed))",
    re.IGNORECASE)


class KeepsQuestion:
    """A question stays a question and a statement a statement (:func:`models.text.sentence_kind`).

    The meaning scorer passed "What did the candidate of Valley lack to be the new Miss
    Colombia?" → "The candidate of Valley failed to showcase Miss Colombia." (held-out news)
    and "We were curious to see the sections where …" → "Have you been wondering about the
    passage where …": an answer where the writer asked, or a question where they stated. A
    source or a candidate without a final mark constrains nothing (the GPT teachers' "could
    you help me locate a way to the history museum" for "Can you get me a route …?"), and a
    request ("Tell me the fastest way to Savannah.", "Please …") may become a polite question
    ("Can you tell me …?"), as the GPT teachers often write it, and a question may become a
    request ("Please let me see …", "I'm looking for …"): 1,213 of 40,000 cased teacher pairs were
    refused before these two, nearly all of them such a request and question.
    """

    name = "question"

    def accepts(self, text: str, source: Source, accepted: Sequence[Candidate]) -> bool:
        wanted = sentence_kind(source.text)
        if wanted is None or (wanted == STATEMENT and _REQUEST.search(source.text)):
            return True
        kind = sentence_kind(text)
        return kind == wanted or kind is None or (kind == STATEMENT and _REQUEST.search(text) is not None)


class KeepsContrast:
    """A contrast the sentence draws inside itself is still drawn (:mod:`models.connectives`).

    "The most risk-taking bank in Europe is not in Italy or France, but in Switzerland." →
    "… is not situated on Italy, France or Switzerland." passed the meaning scorer; on the
    student's shown candidates 9 of the 10 this check refuses had lost the meaning.
    """

    name = "contrast"

    def accepts(self, text: str, source: Source, accepted: Sequence[Candidate]) -> bool:
        return keeps_contrast(source.text, text)


class KeepsCause:
    """No cause made up, and none left out (:mod:`models.connectives`).

    Made up (:func:`~models.connectives.invented_cause`, every mode): "Italy's borrowing costs
    have soared … and the prime ministers of both Italy and Greece have resigned." → "… have
    soared dramatically, causing the Prime Ministers … to resign." keeps every name and passed
    the meaning scorer. Of the 4,654 distinct cards student v2 showed in sessions 33-36's
    evaluation runs, that rule refuses 20: 17 read by eye claim a cause the source does not, 3
    are arguable ("Casillas will play today … and will impose a new record" → "…, resulting
    in a record"), none is faithful.

    Left out (:func:`~models.connectives.dropped_cause`, Standard only: Simpler and Shorter may
    drop the clause that gives the cause): "Our quarterly revenue rose 12% to $4.3 million,
    driven by strong sales in Germany." → "…, indicating strong sales in Germany." was the app's
    first card for its own demo sentence, "cancelled because of the heavy rain" → "cancelled
    during the heavy rain" passed at 0.34.
    """

    name = "cause"

    def accepts(self, text: str, source: Source, accepted: Sequence[Candidate]) -> bool:
        if invented_cause(source.text, text):
            return False
        return source.omission_allowed or not dropped_cause(source.text, text)


class KeepsLink:
    """In Standard, a sentence that opens with a link to the sentence before ("However,", "As
    a result,", "Moreover,") still says it (:func:`models.connectives.dropped_link`): the
    writer puts the candidate back into their paragraph. The student dropped it from 52 of
    the 107 shown candidates whose source had one; the paraphraser now puts the writer's link
    back in front of such a row (:func:`models.connectives.restore_link`) before the checks,
    so this refuses what other systems' rows drop (``evaluate``). Simpler and Shorter may
    drop it, as the people who wrote ASSET's simplifications mostly did."""

    name = "link"

    def accepts(self, text: str, source: Source, accepted: Sequence[Candidate]) -> bool:
        return source.omission_allowed or not dropped_link(source.text, text)


class KeepsDirection:
    """No word turned into its opposite (:func:`models.reversals.reversed_words`): "The bill
    was defeated in the House" → "The House passed the bill" and "Prior to the financial
    crisis" → "In the aftermath of the financial crisis" were shown at the default slider,
    with the meaning scorer's blessing."""

    name = "reversal"

    def accepts(self, text: str, source: Source, accepted: Sequence[Candidate]) -> bool:
        return not reversed_words(source.text, text)


class KeepsNegation:
    """No negation lost or added (:func:`models.negation.changed_negation`): "we arent
    overprotective" → "The people involved have been overprotective" and "Women experience less
    navel lint" → "Women don't experience less navel lint" were shown with the meaning
    scorer's blessing. Where the mode may drop a detail, a negation may go with the words it
    negated."""

    name = "negation"

    def accepts(self, text: str, source: Source, accepted: Sequence[Candidate]) -> bool:
        return not changed_negation(source.text, text, omission_allowed=source.omission_allowed)


class KeepsCertainty:
    """How sure the sentence is stays (:func:`models.certainty.changed_certainty`): "But this is
    thought to be unlikely by the constructors" → "But this is the expected outcome" was shown at
    Creative on held-out news, with the meaning scorer's blessing. A degree dropped or added
    beside the source's passes, but a hedge may not go altogether
    (:func:`models.certainty.dropped_hedge`): "Commodities trading may be reduced or stopped
    completely." → "Commodities trading will stop completely." was shown on held-out news.
    Where the mode may drop a detail, a hedge may go with the clause it hedged. Nor may what the
    source states as done become only imminent, meant or likely (:func:`models.certainty.unrealized`,
    in every mode): "the prime ministers … have resigned" → "… are now on the verge of resigning";
    nor what almost happened happen ("He almost died" → "He lost his life": :mod:`models.near_miss`),
    nor what is alleged or reported become fact ("the alleged killer" → "the killer":
    :func:`models.certainty.dropped_attribution`), nor what will happen be told as done ("will
    reopen" → "reopened", nor what was only tried or planned: "tried to escape" → "escaped",
    "plans to hire" → "has hired": :func:`models.certainty.future_made_past`), nor what holds
    under a condition be stated flat (:func:`models.certainty.dropped_condition`), nor "unless"
    become "if" (:func:`models.certainty.unless_made_if`), in every mode; "could" is a hedge like
    "may" (:func:`models.certainty.hedges`)."""

    name = "certainty"

    def accepts(self, text: str, source: Source, accepted: Sequence[Candidate]) -> bool:
        return not source.sureness.changed_by(text, hedge_may_go=source.omission_allowed)


class KeepsRoles:
    """No two names, numbers or content words changed places (:func:`models.roles.swapped`):
    "Maria sent the contract to Tom" → "Tom sent the contract to Maria" keeps every fact and
    every word, and the student showed it second at the default slider, at 66 %."""

    name = "roles"

    def accepts(self, text: str, source: Source, accepted: Sequence[Candidate]) -> bool:
        return not swapped(source.text, text, source.facts)


class NotANearDuplicate:
    """Nearly the wording of a candidate already accepted: the writer would see it twice."""

    name = "duplicate"

    def accepts(self, text: str, source: Source, accepted: Sequence[Candidate]) -> bool:
        return not dedupe.is_near_duplicate(text, [c.text for c in accepted])


class KeepsMeaning:
    """The meaning scorer's probability that the row keeps the source's meaning, at least
    ``threshold`` (the scorer's own unless given: the evaluator sweeps it). Below
    :data:`~models.confidence.EXPLAIN_BELOW` the verdict also names a change worth checking,
    when :func:`~models.confidence.doubt` sees one. Both judge the scorer's pair probability;
    the verdict's confidence is what the candidate is shown with
    (:func:`~models.confidence.candidate_confidence`: fitted on the student's own candidates
    read by eye, so much lower). With the student's own ``calibration``
    (:class:`~models.student_calibration.StudentCalibration`, from its bundle) and the row's
    score, the confidence also weighs how surely the student wrote the row, and a row under the
    threshold whose own confidence is at least ``rescue_at`` (:data:`RESCUE_AT`) passes too.
    Either way a row whose card would show less than ``floor`` (:data:`MIN_CONFIDENCE`; None:
    no floor) is refused.

    One row at a time, as rows finish. Batching the rows of a sentence that finish in the
    same decode step would save few calls (the student, n=5, first 10 bench sentences: 109
    finished rows in 78 distinct steps, ~3 calls saved per sentence, each worth less than
    its 2-4 ms since a batch of two costs more than one), and the rows must still be judged
    one by one after it (each accepted row is a near-duplicate candidate for the next, and
    the last one wanted ends the sentence), so :func:`models.batch_decode.decode` would need
    a two-phase offer for it.
    """

    name = "meaning"

    def __init__(self, scorer: Scorer, threshold: float | None = None, *,
                 calibration: StudentCalibration | None = None, rescue_at: float | None = RESCUE_AT,
                 details: DetailMatcher | None = None, floor: float | None = MIN_CONFIDENCE) -> None:
        self.scorer = scorer
        self.threshold = float(scorer.threshold if threshold is None else threshold)
        self.calibration = calibration
        self.rescue_at = rescue_at
        #: The least confidence a card may be shown with; None: no floor.
        self.floor = floor
        #: Counts the content words a Standard row leaves out; None: not counted.
        self.details = details

    def warm_up(self) -> None:
        """Load what the first row would otherwise wait for (the phrase index of the detail count)."""
        if self.details is not None:
            self.details.ready()

    def assess(self, text: str, source: Source, row_score: float | None = None) -> Verdict:
        if not text.strip():  # nothing to compare (a pipeline without NonEmpty): the scorer refuses ""
            return Verdict(self, 0.0)
        probability = float(self.scorer.score([source.text], [text])[0])
        reason = doubt(text, source.text) if probability < EXPLAIN_BELOW else ""
        own = student_confidence(self.scorer, probability, source.text, row_score, self.calibration)
        shown = own if own is not None else candidate_confidence(self.scorer, probability, source.text)
        rescued = (own is not None and self.rescue_at is not None and self.calibration is not None
                   and own >= self.calibration.on_shown_scale(self.rescue_at))
        left_out: tuple[str, ...] | None = None
        if self.details is not None and not source.omission_allowed and self.details.ready():
            left_out = tuple(self.details.missing(source.text, text))
            if own is not None and self.calibration is not None:  # own: the fit applies to this scorer
                shown = self.calibration.with_details(own, len(left_out))
            reason = reason or detail_reason(left_out)
        passes = (probability >= self.threshold or rescued) and (self.floor is None or shown >= self.floor)
        return Verdict(None if passes else self, shown, reason, left_out)

    def accepts(self, text: str, source: Source, accepted: Sequence[Candidate]) -> bool:
        return self.assess(text, source).accepted


class ByMeanLogProb:
    """Surest first: the model's mean token log-probability (ties keep finishing order)."""

    def rank(self, candidates: Sequence[Candidate], source: Source) -> list[Candidate]:
        return sorted(candidates, key=lambda c: c.score, reverse=True)


class ByConfidence:
    """Likeliest to keep the meaning first, each next one also unlike those above it (MMR).

    Each place goes to the candidate with the highest ``lam * confidence - (1 - lam) *
    similarity``, where similarity is its largest word-sequence similarity
    (:func:`dedupe.similarity`) to a candidate already placed: two near-identical wordings
    do not take the first two places when a third says it differently and almost as surely.
    Without a confidence on every candidate (no scorer loaded), :class:`ByMeanLogProb`.
    ``weighed``: the confidence as the ranking weighs it, when the number shown is on another
    scale (a student fit's stricter reading: :meth:`StudentCalibration.on_fit_scale`; the words a
    card leaves out stay in: read blind, the first cards chosen so kept more of their source).
    """

    def __init__(self, lam: float = MMR_LAMBDA, weighed: Callable[[float], float] | None = None) -> None:
        if not 0.0 <= lam <= 1.0:
            raise ValueError(f"lam must be between 0 and 1, got {lam!r}")
        self.lam = lam
        self.weighed = weighed

    def rank(self, candidates: Sequence[Candidate], source: Source) -> list[Candidate]:
        if any(c.confidence is None for c in candidates):
            return ByMeanLogProb().rank(candidates, source)
        left, placed = list(candidates), []
        weight = {id(c): self.weighed(c.confidence) if self.weighed else c.confidence  # type: ignore[arg-type]
                  for c in left}
        redundancy = [0.0] * len(left)  # each candidate's largest similarity to those placed
        while left:
            gains = [self.lam * weight[id(c)] - (1 - self.lam) * r for c, r in zip(left, redundancy)]
            best = int(np.argmax(gains))  # the first of equals: ties keep finishing order
            chosen = left.pop(best)
            del redundancy[best]
            placed.append(chosen)
            redundancy = [max(r, dedupe.similarity(c.text, chosen.text)) for c, r in zip(left, redundancy)]
        return placed


def mean_log_prob(log_probs: Sequence[float]) -> float:
    """A row's score: the mean of its tokens' log-probabilities (the stop token's included)."""
    return float(np.mean(log_probs)) if log_probs else EMPTY_SCORE


@dataclass(frozen=True)
class CandidatePipeline:
    """The ordered checks and the ranking step one sentence's rows go through.

    ``oversample``: candidates a sentence accepts beyond the n it shows, as a share of n
    (:meth:`extra`), for the ranking to choose from; 0 shows the first n that pass.
    """

    checks: tuple[Check, ...] = field(default_factory=lambda: app_checks())
    ranking: Ranking = field(default_factory=ByMeanLogProb)
    oversample: float = 0.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "checks", tuple(self.checks))
        if not (isinstance(self.oversample, (int, float)) and 0.0 <= self.oversample <= 10.0):
            raise ValueError(f"oversample must be a share of n between 0 and 10, got {self.oversample!r}")

    @property
    def scorer(self) -> Scorer | None:
        """The meaning scorer of its :class:`KeepsMeaning` check, if it has one."""
        return next((c.scorer for c in self.checks if isinstance(c, KeepsMeaning)), None)

    def extra(self, n: int) -> int:
        """Candidates to accept beyond ``n`` before the ranking keeps the best ``n``."""
        return math.ceil(n * self.oversample - 1e-9) if self.oversample else 0

    def judge(self, text: str, source: Source, accepted: Sequence[Candidate],
              row_score: float | None = None) -> Verdict:
        """Every check in order until one refuses ``text``; the confidence of a scoring check
        that judged it is kept (:class:`Verdict`). ``row_score``: the row's mean token
        log-probability (:func:`mean_log_prob`), which a student's calibration weighs in."""
        confidence, reason, left_out = None, "", None
        for check in self.checks:
            if isinstance(check, Assessing):
                verdict = check.assess(text, source, row_score)
                if not verdict.accepted:
                    return verdict
                confidence, reason, left_out = verdict.confidence, verdict.reason, verdict.left_out
            elif not check.accepts(text, source, accepted):
                return Verdict(check, confidence, reason, left_out)
        return Verdict(None, confidence, reason, left_out)

    def refusal(self, text: str, source: Source, accepted: Sequence[Candidate]) -> Check | None:
        """The first check that refuses ``text``, or None when every check accepts it."""
        return self.judge(text, source, accepted).refused_by

    def rank(self, candidates: Sequence[Candidate], source: Source) -> list[Candidate]:
        return self.ranking.rank(candidates, source)


def app_checks() -> tuple[Check, ...]:
    """The app's checks without the meaning scorer, in order (cheapest and surest first); the
    pipeline's default and :func:`default_pipeline` both start from them."""
    return (NonEmpty(), NotACopy(), NoPromptEcho(), FitsLength(), KeepsFacts(), KeepsQuestion(), KeepsContrast(),
            KeepsCause(), KeepsLink(), KeepsDirection(), KeepsNegation(), KeepsCertainty(), KeepsRoles(),
            NotANearDuplicate())


def default_pipeline(scorer: Scorer | None = None, *, oversample: float = DEFAULT_OVERSAMPLE,
                     calibration: StudentCalibration | None = None,
                     details: DetailMatcher | None | Literal["default"] = DEFAULT_DETAILS) -> CandidatePipeline:
    """The app's pipeline: non-empty, not a copy, no line of the prompt, within the mode's length, facts kept, a
    question still a question, a contrast still drawn, no cause made up or (Standard) left out, a link to the
    sentence before still made (Standard), no word turned into its opposite, no
    negation lost or added, how sure it is kept, no two names, numbers or words that changed places, not a
    near-duplicate (:func:`app_checks`); surest first.

    With a ``scorer``: then the meaning kept (:class:`KeepsMeaning`), ``oversample`` more
    candidates accepted, and :class:`ByConfidence` keeps the best n. Without one the
    pipeline is the student's alone, as before the scorer existed (no oversampling).
    ``calibration``: the student's own (its bundle manifest's ``confidence``), used when it
    names this scorer. ``details``: what counts the content words a Standard card leaves out
    (:mod:`models.details`; by default on the app's phrase index, loaded on first use; None:
    not counted), which the card's number (with the fit's ``detail_scale``) and note weigh.
    """
    checks = app_checks()
    if scorer is None:
        return CandidatePipeline(checks)
    weighed = calibration.on_fit_scale if calibration is not None and calibration.applies_to(scorer) else None
    details = DetailMatcher.default() if details is DEFAULT_DETAILS else details
    return CandidatePipeline((*checks, KeepsMeaning(scorer, calibration=calibration, details=details)),
                             ranking=ByConfidence(weighed=weighed), oversample=oversample)
