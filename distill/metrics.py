"""Evaluation metrics on plain lists of strings: BLEU, diversity, copy and good rates, length, facts.

Pure Python + numpy, so the numbers the distillation bar is judged on do not depend on
an NLP library's version (NLTK's BLEU changed its smoothing and short-sentence handling
more than once). BLEU follows NLTK's ``sentence_bleu`` with ``SmoothingFunction().method1``:

* lower-cased word tokens (``\\w+``): punctuation and case do not count as rewording, since
  the kinit seeds are lower-cased and unpunctuated while the outputs are not;
* modified n-gram precision for n = 1..4, clipped by the maximum count in any reference;
* method 1 smoothing: a zero n-gram count becomes ``epsilon`` (0.1) / number of n-grams;
* brevity penalty against the reference length closest to the candidate's (shorter on ties);
* no unigram in common (or an empty candidate) gives exactly 0.

As in NLTK, a text shorter than four words has no 4-gram, so even an exact copy of a
three-word sentence scores BLEU 0.56, not 1; ``copy`` (the runtime's rule) catches those.

Length and facts, per candidate: ``words_ratio`` (its words / the source's, :func:`word_count`),
and the runtime's own facts check (:func:`models.facts.check_candidate`): an *invented number*
is a ``new_number`` violation (a number the source does not have); the numbers are *kept* when
there is no ``missing_number`` nor ``changed_number`` violation, counted only where the source
has a number. SARI, for sets with references, is :mod:`distill.sari`.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from models import facts
from models.dedupe import is_copy as _runtime_is_copy
from models.text import word_count as _runtime_word_count

_WORD = re.compile(r"\w+", re.UNICODE)

MAX_N = 4
#: NLTK ``SmoothingFunction().method1`` default.
EPSILON = 0.1

#: A candidate is *good* when it keeps the meaning and rewords enough (the issue's bar).
MIN_ADEQUACY = 0.75
MIN_LEXICAL_DIVERSITY = 0.30


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens, the unit of every overlap metric here."""
    return _WORD.findall(text.lower())


def _ngrams(words: Sequence[str], n: int) -> Counter:
    return Counter(tuple(words[i:i + n]) for i in range(len(words) - n + 1))


def sentence_bleu(candidate: str, references: Sequence[str], max_n: int = MAX_N,
                  epsilon: float = EPSILON) -> float:
    """Smoothed sentence BLEU of ``candidate`` against one or more references, in [0, 1]."""
    hyp = tokens(candidate)
    refs = [tokens(r) for r in references]
    if not hyp or not refs:
        return 0.0
    log_sum = 0.0
    for n in range(1, max_n + 1):
        hyp_counts = _ngrams(hyp, n)
        max_ref: Counter = Counter()
        for ref in refs:
            for gram, count in _ngrams(ref, n).items():
                if count > max_ref[gram]:
                    max_ref[gram] = count
        matched = sum(min(count, max_ref[gram]) for gram, count in hyp_counts.items())
        total = max(1, sum(hyp_counts.values()))
        if n == 1 and matched == 0:
            return 0.0
        precision = matched / total if matched else epsilon / total
        log_sum += math.log(precision) / max_n
    return brevity_penalty(len(hyp), [len(r) for r in refs]) * math.exp(log_sum)


def brevity_penalty(hyp_len: int, ref_lens: Sequence[int]) -> float:
    """BLEU's penalty for candidates shorter than the closest reference."""
    if hyp_len == 0:
        return 0.0
    closest = min(ref_lens, key=lambda r: (abs(r - hyp_len), r))
    return 1.0 if hyp_len > closest else math.exp(1 - closest / hyp_len)


def lexical_diversity(candidate: str, source: str) -> float:
    """1 - BLEU(candidate, source): 0 for a copy, near 1 for entirely new wording."""
    return 1.0 - sentence_bleu(candidate, [source])


def self_bleu(candidates: Sequence[str]) -> float | None:
    """Mean BLEU of each candidate against all the others; ``None`` below two candidates."""
    if len(candidates) < 2:
        return None
    scores = [sentence_bleu(c, [o for j, o in enumerate(candidates) if j != i])
              for i, c in enumerate(candidates)]
    return sum(scores) / len(scores)


def set_diversity(candidates: Sequence[str]) -> float | None:
    """1 - self-BLEU: how different the N candidates for one input are from each other."""
    sb = self_bleu(candidates)
    return None if sb is None else 1.0 - sb


def is_copy(candidate: str, source: str) -> bool:
    """The runtime's own copy rule (``models.dedupe``): >= 90% of the words in order.

    Using the app's definition means "copy rate" counts exactly what the app would have
    to throw away.
    """
    return _runtime_is_copy(candidate, source)


def word_count(text: str) -> int:
    """Words as a writer counts them (:func:`models.text.word_count`, the rule the Shorter
    mode enforces): whitespace-separated, with a letter or digit."""
    return _runtime_word_count(text)


def words_ratio(candidate: str, source: str) -> float | None:
    """The candidate's words per source word (0.75: a quarter shorter); ``None`` for a wordless source."""
    n = word_count(source)
    return word_count(candidate) / n if n else None


@dataclass(frozen=True)
class FactsCheck:
    """What the runtime's facts check says of one candidate about numbers."""

    invented_number: bool          # a number the source does not have
    numbers_kept: bool | None      # every source number kept unchanged; None: the source has none


def source_has_numbers(parsed: facts.SourceFacts) -> bool:
    """Whether a source has a number a candidate must keep (weak ones such as "one" are not required)."""
    return any(not span.weak for span in parsed.of_kind(facts.NUMBER))


def check_facts(candidate: str, parsed: facts.SourceFacts, has_numbers: bool | None = None) -> FactsCheck:
    """Numbers of ``candidate`` against its parsed source (parse once with ``facts.SourceFacts``)."""
    kinds = {v.kind for v in parsed.check(candidate)}
    if has_numbers is None:
        has_numbers = source_has_numbers(parsed)
    kept = not kinds & {facts.MISSING_NUMBER, facts.CHANGED_NUMBER} if has_numbers else None
    return FactsCheck(invented_number=facts.NEW_NUMBER in kinds, numbers_kept=kept)


def is_good(adequacy: float, lex_diversity: float, min_adequacy: float = MIN_ADEQUACY,
            min_lexical_diversity: float = MIN_LEXICAL_DIVERSITY) -> bool:
    return adequacy >= min_adequacy and lex_diversity >= min_lexical_diversity


@dataclass
class ScoredCandidate:
    text: str
    adequacy: float
    lexical_diversity: float
    copy: bool
    good: bool
    words_ratio: float | None = None
    invented_number: bool = False
    #: ``None`` where the source has no number to keep.
    numbers_kept: bool | None = None


@dataclass
class ScoredInput:
    """One input's candidates with their per-candidate scores and the set diversity."""

    source: str
    candidates: list[ScoredCandidate]
    set_diversity: float | None
    requested: int = 0


def score_input(source: str, candidates: Sequence[str], adequacies: Sequence[float],
                requested: int = 0, min_adequacy: float = MIN_ADEQUACY,
                min_lexical_diversity: float = MIN_LEXICAL_DIVERSITY) -> ScoredInput:
    """Score one input's candidates given their adequacy (cosine to the source)."""
    if len(candidates) != len(adequacies):
        raise ValueError("one adequacy per candidate is needed")
    scored = []
    parsed = facts.SourceFacts(source) if candidates else None
    has_numbers = source_has_numbers(parsed) if parsed is not None else False
    for text, adequacy in zip(candidates, adequacies):
        lex = lexical_diversity(text, source)
        checked = check_facts(text, parsed, has_numbers)
        scored.append(ScoredCandidate(text, float(adequacy), lex, is_copy(text, source),
                                      is_good(float(adequacy), lex, min_adequacy, min_lexical_diversity),
                                      words_ratio(text, source), checked.invented_number, checked.numbers_kept))
    return ScoredInput(source, scored, set_diversity(list(candidates)), requested)


@dataclass
class SystemMetrics:
    """Aggregates over all candidates of one system on one set (micro-averaged)."""

    n_inputs: int
    n_candidates: int
    adequacy_mean: float | None
    lexical_diversity_mean: float | None
    set_diversity: float | None
    copy_rate: float | None
    good_rate: float | None
    shortfall: int = 0
    #: Share of inputs (with at least one candidate) whose first-ranked candidate is good:
    #: what a writer who takes the top suggestion gets.
    top1_good_rate: float | None = None
    #: Mean of each candidate's words / its source's words (Shorter's bar: <= 0.75).
    words_ratio: float | None = None
    #: The same for the first-ranked candidate of each input.
    top1_words_ratio: float | None = None
    #: Share of candidates with a number the source does not have (``new_number``).
    invented_number_rate: float | None = None
    #: Share of candidates that keep every number of their source, over the candidates whose
    #: source has a number (``number_candidates`` of them).
    numbers_kept_rate: float | None = None
    number_candidates: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        extra = data.pop("extra")
        return {**data, **extra}   # unrounded: the bar is checked on these numbers


def _mean(values: Iterable[float]) -> float | None:
    values = list(values)
    return sum(values) / len(values) if values else None


def aggregate(inputs: Sequence[ScoredInput], copy_rate: float | None = None) -> SystemMetrics:
    """Micro-averages over candidates; set diversity averages inputs with >= 2 candidates.

    ``copy_rate`` overrides the rate over returned candidates, for systems (the app's
    filter) that drop copies before returning: there it is measured on the sampled rows.
    ``shortfall`` counts candidates asked for but not returned.
    """
    cands = [c for item in inputs for c in item.candidates]
    own_copy = _mean(float(c.copy) for c in cands)
    with_numbers = [c for c in cands if c.numbers_kept is not None]
    return SystemMetrics(
        n_inputs=len(inputs),
        n_candidates=len(cands),
        adequacy_mean=_mean(c.adequacy for c in cands),
        lexical_diversity_mean=_mean(c.lexical_diversity for c in cands),
        set_diversity=_mean(i.set_diversity for i in inputs if i.set_diversity is not None),
        copy_rate=own_copy if copy_rate is None else copy_rate,
        good_rate=_mean(float(c.good) for c in cands),
        shortfall=sum(max(0, i.requested - len(i.candidates)) for i in inputs),
        top1_good_rate=_mean(float(i.candidates[0].good) for i in inputs if i.candidates),
        words_ratio=_mean(c.words_ratio for c in cands if c.words_ratio is not None),
        top1_words_ratio=_mean(i.candidates[0].words_ratio for i in inputs
                               if i.candidates and i.candidates[0].words_ratio is not None),
        invented_number_rate=_mean(float(c.invented_number) for c in cands),
        numbers_kept_rate=_mean(float(bool(c.numbers_kept)) for c in with_numbers),
        number_candidates=len(with_numbers),
    )
