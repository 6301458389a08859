"""Instant alternatives for a word or a short phrase, from what paraphrase writers substituted.

The index (:mod:`models.phrase_store`, mined by ``distill/phrase_mining.py``) maps a
normalised phrase of 1-4 words to the phrases teachers and people wrote in its place, with
PPDB-style counts and probabilities. A query takes a text and a character span and:

1. checks the span (inside the text, has a word, overlaps no protected span) and widens it
   to whole words: a selection that starts or ends inside a word means that word;
2. looks the phrase up; a short list (a word the index lacks, or knows few alternatives
   for) is topped up from the other spelling ("neighbourhood" -> "neighborhood"), from the
   base form ("rising" -> "rise", its alternatives inflected back: "climb" -> "climbing") and,
   under three, from the alternatives' own alternatives (PPDB's pivot), each discounted;
3. drops what does not fit: the index's antonym pairs and any negation change (never an
   antonym), a number or date the sentence would lose or gain (the paraphrases' facts check,
   :class:`models.facts.SourceFacts`, on the sentence with the alternative in place: "the
   first stage" may become "the initial stage", "three" "3", never "several"), another form
   of the same word, a word the sentence already has on either side,
   "a"/"an" that would no longer agree, and a suffix that does not match ("-ing" for "-ing"
   where the word is a verb form: a noun such as "morning", whose alternatives are not
   "-ing" words, takes any);
4. ranks by the index's score (PPDB's count and two probabilities, and the phrases'
   embedding similarity, combined at mining time) or, given a meaning scorer, by the scorer
   on (sentence, sentence with the alternative in place) in one batch, combined with the
   index's score, and by how alike the word and the alternative are in context (their
   contextual vectors in the same pass, where the scorer's graph has them: the sense that
   fits this sentence rises); alternatives the scorer puts under its threshold are dropped
   (when that leaves fewer than three, the threshold is eased to just under the sentence's
   score against itself, which the scorer puts under 0.5 for some long sentences);
5. writes each alternative in the source's casing (capitalised at a sentence start, ALL CAPS).

Runtime only (numpy; the scorer brings onnxruntime and tokenizers), never torch. A query
for a word in a 25-word sentence takes well under a millisecond without a scorer.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from .catalog import is_frozen
from .certainty import Sureness
from .facts import DATE, NUMBER, SourceFacts
from .phrase_store import PhraseIndexError, PhraseManifest, PhraseTable, read_arrays, read_manifest
from .phrase_words import EXTRA_ANTONYMS, MAX_PHRASE_WORDS, WORD, case_like, degree, has_number, inflect, \
    is_function_phrase, lemma_variants, looks_like_same_word, negation_count, new_relation, norm_word, other_sex, \
    phrase_key, prefix_antonyms, same_lemma, spelling_variants, suffix_of, wants_an, words
from .quantifiers import amounts, changed_amounts
from .reversals import TEACHER_KEPT_ANTONYMS
from .time_words import new_times, time_values
from .titles import title_offices
from .word_forms import changes_number as changes_grammatical_number
from .word_forms import changes_tense

log = logging.getLogger(__name__)

__all__ = ["DEFAULT_INDEX", "PHRASES_DIR", "Alternative", "PhraseAlternatives", "PhraseIndex", "PhraseIndexError",
           "PhraseSpanError"]

#: The index the app and ``paraphrase-studio phrases`` use when none is named.
DEFAULT_INDEX = "teacher-phrases-v1"
#: Where indexes are committed in the source tree, one folder each.
PHRASES_DIR = Path(__file__).resolve().parent / "phrases"
#: Default number of alternatives a query returns.
DEFAULT_K = 8
#: Weight of the meaning scorer's probability against the index's score when a scorer ranks.
SCORER_WEIGHT = 0.6
#: Weight of how alike the word and the alternative are in context (:meth:`MeaningScorer.span_similarity`,
#: rescaled to 0..1 among the alternatives kept) against the scorer-and-index score above. With
#: 0.6, 53.1 % of the top-3 one-word alternatives of 178 news words are one WordNet step from the
#: word (50.4 % without), and 54.9 % of 157 MRPC words' (50.4 %). Chosen on those two sets in a
#: replay of the ranking, where 0.4-0.7 were all within a point (``runs/s27``, not committed).
CONTEXT_WEIGHT = 0.6
#: Alternatives found through the base form ("rise" for "rising") count this much of a direct hit.
LEMMA_DISCOUNT = 0.8
#: Fewer alternatives than this, and the best ones' own alternatives are offered too (pivoting).
MIN_DIRECT = 3
#: A pivoted alternative ("asylum" -> "refuge" -> "sanctuary") counts this much of the product of both scores.
PIVOT_DISCOUNT = 0.5
#: Both steps of a pivot must have been seen this many times: two hops of a one-off are noise twice.
PIVOT_MIN_COUNT = 2
#: The scorer's threshold is lowered to this share of the sentence's score against itself where
#: that is lower: the scorer gives a long sentence compared with itself 0.47-0.48 (a 45-word news
#: sentence), under its 0.5 threshold, so the threshold alone dropped every alternative there.
SELF_RATIO = 0.9
#: A one-word phrase ending in "-ing" is taken for a verb form (its alternatives must end in
#: "-ing" too) when at least this share of its one-word candidates, by score, do: "looking" 0.85,
#: "working" 0.76, but "morning" 0.00, "restructuring" 0.13 and "neighboring" 0.14 are nouns or
#: adjectives whose alternatives ("overhaul", "nearby") are not "-ing" words.
ING_SHARE = 0.3
#: The scorer sees at most this many words either side of the span (within its sentence). Why:
#: its cost grows with the pair's length, and a word's fit is decided near it. Measured on three
#: held-out word sets of 175-179 words (60 newstest2012 or MRPC sentences each, none in the
#: mined text; ``runs/s29/ph16``), 2 threads on an AVX2 host: query p50 48-51 ms -> 32-38 ms
#: with 10 words, while the WordNet-related share of the top-3 one-word alternatives stayed
#: 47.7 -> 48.0 % (mean of the sets) and words with 3 or more alternatives lost 2 of 529.
#: 6 words: 27-29 ms, 4 more words under 3; 14 words: 44-47 ms. Measured again on 2026-12-04
#: (five sets: the three above plus news sets drawn with seeds 5 and 6, 896 words; today's host
#: runs the scorer half again slower, and the bench's p50 was 50.0-50.7 ms with 10 words):
#: 10 / 8 / 6 words give p50 48.4 / 42.6 / 37.6 ms (mean of the sets), covered 85.4 / 85.0 /
#: 85.2 %, WordNet-related 49.5 / 49.6 / 49.5 %; of the 249 top-3 lists 6 words change, nearly
#: all are reorders ("plans" -> "strategy" first instead of "intends"; ``runs/s54/ctx_ab.py``).
CONTEXT_WORDS = 6
#: Words after which a word starts a sentence (a capital there is the sentence's, not the word's).
_SENTENCE_BREAK = re.compile(r"[.!?…]+[\"'”’)\]]*\s+|\n")
_ANTONYMS = EXTRA_ANTONYMS + TEACHER_KEPT_ANTONYMS
_BOTH_WAYS = frozenset(_ANTONYMS) | frozenset((b, a) for a, b in _ANTONYMS)
_DETERMINERS = frozenset({"a", "an", "the", "this", "that", "these", "those", "my", "your", "his", "her", "its",
                          "our", "their"})


class PhraseSpanError(ValueError):
    """The span asked for cannot be replaced (empty, outside the text, no word, protected)."""


class Scorer(Protocol):
    """What the query needs of :class:`models.scorer.MeaningScorer`; one whose ``has_token_states``
    is true also gives the fit in context (``span_similarity``), used when present."""

    threshold: float

    def score(self, sources: Sequence[str], candidates: Sequence[str]) -> np.ndarray: ...


@dataclass(frozen=True)
class Alternative:
    """One replacement for the span, written in the source's casing; ``score`` in 0..1, higher is better."""

    text: str
    score: float


@dataclass(frozen=True)
class PhraseAlternatives:
    """The answer to one query: the phrase as it stands in the text, where, and what may replace it.

    ``start``/``end`` are the span actually replaced: the request's, trimmed of surrounding
    spaces and punctuation and widened to whole words.
    """

    phrase: str
    start: int
    end: int
    alternatives: tuple[Alternative, ...]
    elapsed_ms: float


def phrases_dir() -> Path:
    """Where indexes live: ``models/phrases/``, or ``phrases/`` inside the packaged app."""
    if is_frozen():
        return Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent)) / "phrases"
    return PHRASES_DIR


def resolve_index(folder: str | os.PathLike[str] | None) -> Path:
    """``None`` (the default index), an index name, or a folder -> the index folder."""
    if folder is None:
        return phrases_dir() / DEFAULT_INDEX
    path = Path(folder).expanduser()
    text = os.fspath(folder)
    if path.is_dir() or os.sep in text or "/" in text or text.startswith("."):
        return path
    return phrases_dir() / text


class PhraseIndex:
    """A loaded phrase index; :meth:`alternatives` answers one span of a text."""

    def __init__(self, folder: Path, manifest: PhraseManifest, table: PhraseTable) -> None:
        self.folder = folder
        self.manifest = manifest
        self.name = manifest.name
        self._strings = table.strings
        self._offsets = table.offsets
        self._alt_ids = table.alt_ids
        self._scores = table.score
        self._counts = table.counts
        self._rows = {table.strings[int(i)]: row for row, i in enumerate(table.phrase_ids)}
        self._blocked = frozenset(table.blocked) | _BOTH_WAYS
        self._vocabulary = frozenset(table.vocabulary)

    @classmethod
    def load(cls, folder: str | os.PathLike[str] | None = None) -> PhraseIndex:
        """Load and verify an index (``None``: :data:`DEFAULT_INDEX`); :class:`PhraseIndexError` if it is
        missing or damaged, with the command that rebuilds it."""
        path = resolve_index(folder)
        manifest = read_manifest(path)
        return cls(path, manifest, read_arrays(path, manifest))

    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, phrase: object) -> bool:
        return isinstance(phrase, str) and phrase_key(phrase) in self._rows

    def lookup(self, phrase: str, *, min_count: int = 1) -> list[tuple[str, float]]:
        """The index's alternatives for ``phrase`` as stored (normalised, best first), with the mining's scores.

        ``min_count``: only those seen that many times (votes) or more.
        """
        row = self._rows.get(phrase_key(phrase))
        if row is None:
            return []
        lo, hi = int(self._offsets[row]), int(self._offsets[row + 1])
        return [(self._strings[int(self._alt_ids[i])], float(self._scores[i])) for i in range(lo, hi)
                if self._counts[i] >= min_count]

    def alternatives(self, text: str, start: int, end: int, k: int = DEFAULT_K, *, scorer: Scorer | None = None,
                     protected: Sequence[tuple[int, int]] = ()) -> PhraseAlternatives:
        """Up to ``k`` alternatives for ``text[start:end]`` that fit where it stands.

        :class:`PhraseSpanError` for a span that is empty, outside the text, has no word or
        overlaps a ``protected`` span (words the writer froze); a phrase the index does not
        know gets an empty tuple, not an error.
        """
        started = time.perf_counter()
        start, end = check_span(text, start, end, protected)
        phrase = text[start:end]
        tokens = words(phrase)
        found: list[tuple[str, float]] = []
        if len(tokens) <= MAX_PHRASE_WORDS and not is_function_phrase(tokens):
            found = self._candidates(tokens)
        context = _Context.around(text, start, end)
        kept = _same_modal(tokens, _keeping_facts(
            tokens, _fitting(tokens, found, context, self._blocked, self._vocabulary), context))
        written = [(case_like(phrase, alt), score) for alt, score in kept[:max(k, 0)]]
        if scorer is not None and written:
            written = _rerank(scorer, context, written)
        result = tuple(Alternative(alt, round(score, 4)) for alt, score in written[:max(k, 0)])
        return PhraseAlternatives(phrase, start, end, result, (time.perf_counter() - started) * 1000.0)

    def _candidates(self, tokens: list[str]) -> list[tuple[str, float]]:
        """Direct alternatives; for a short list, those of the other spelling and of a base form
        (inflected back), then those of the best alternatives themselves (PPDB's pivot), discounted."""
        found = self.lookup(" ".join(tokens))
        if len(found) >= DEFAULT_K:
            return found
        seen = {" ".join(norm_word(t) for t in tokens), *(alt for alt, _ in found)}

        def add(items: list[tuple[str, float]], factor: float) -> None:
            for alt, score in items:
                if alt and alt not in seen:
                    seen.add(alt)
                    found.append((alt, score * factor))

        for variant in spelling_variants(tokens[-1]):
            add(self.lookup(" ".join([*tokens[:-1], variant])), 1.0)
        for position in _inflected_positions(tokens):
            word, before = tokens[position], len(found)
            suffix = suffix_of(word)
            if suffix == "ing" and found and not _suffix_is_inflection(word, found, ""):
                continue  # a noun ("training": fitness, workout): "train"'s alternatives plus "-ing" are other words ("railing")
            for base in lemma_variants(word):
                variant = [*tokens[:position], base, *tokens[position + 1:]]
                add([(_inflect_phrase(alt, suffix, self._vocabulary) or "", score)
                     for alt, score in self.lookup(" ".join(variant))], LEMMA_DISCOUNT)
            if len(found) > before:
                break
        if len(found) < MIN_DIRECT and not suffix_of(tokens[-1]):  # "island": what "islands" had, made singular
            plural = [*tokens[:-1], inflect(norm_word(tokens[-1]), "s")]
            add([(_singular(alt, self._vocabulary) or "", score) for alt, score in self.lookup(" ".join(plural))],
                LEMMA_DISCOUNT)
        if len(found) < MIN_DIRECT and not has_number(tokens):  # "second" -> "first" -> "initial" is two changes
            pivots = {alt for alt, _ in self.lookup(" ".join(tokens), min_count=PIVOT_MIN_COUNT)}
            for alt, score in sorted(found, key=lambda item: -item[1])[:MIN_DIRECT]:
                if alt in pivots:
                    add([(pivot, score * pivot_score) for pivot, pivot_score in
                         self.lookup(alt, min_count=PIVOT_MIN_COUNT)], PIVOT_DISCOUNT)
        return sorted(found, key=lambda item: -item[1])


_shared: dict[Path, PhraseIndex] = {}
_shared_lock = threading.Lock()


def shared_index(folder: str | os.PathLike[str] | None = None) -> PhraseIndex:
    """One loaded index per folder for the whole process (:meth:`PhraseIndex.load` the first time).

    The app's phrase look-up (``desktop/phrase_worker.py``) and the detail count on every card
    (:mod:`models.details`) read the same arrays, which take 15 MB resident; look-ups only read
    them, so two threads may share one. An index rebuilt while the process runs is read by the
    next process.
    """
    path = resolve_index(folder)
    with _shared_lock:
        index = _shared.get(path)
        if index is None:
            index = _shared[path] = PhraseIndex.load(path)
        return index


def check_span(text: str, start: int, end: int, protected: Sequence[tuple[int, int]] = ()) -> tuple[int, int]:
    """The span to replace: ``[start, end)`` trimmed to its words and widened to whole words.

    Raises :class:`PhraseSpanError` with a message a writer can act on.
    """
    if not isinstance(text, str):
        raise PhraseSpanError("the text must be a string")
    for value, what in ((start, "start"), (end, "end")):
        if isinstance(value, bool) or not isinstance(value, int):
            raise PhraseSpanError(f"{what} must be a whole number of characters, not {value!r}")
    if start < 0 or end > len(text) or start > end:
        raise PhraseSpanError(f"the span {start}:{end} is outside the text (0:{len(text)})")
    if start == end:
        raise PhraseSpanError(f"the span {start}:{end} is empty: select a word or a phrase")
    inside = list(WORD.finditer(text, start, end))
    if not inside:
        raise PhraseSpanError(f"the span {start}:{end} ({text[start:end]!r}) has no word in it")
    new_start, new_end = inside[0].start(), inside[-1].end()
    for match in WORD.finditer(text, max(0, new_start - 64), min(len(text), new_end + 64)):
        if match.start() < new_start < match.end():
            new_start = match.start()
        if match.start() < new_end < match.end():
            new_end = match.end()
    for pair in protected:
        try:
            p_start, p_end = int(pair[0]), int(pair[1])
        except (TypeError, ValueError, IndexError):
            raise PhraseSpanError(f"a protected span must be (start, end), not {pair!r}") from None
        if p_start < new_end and new_start < p_end:
            raise PhraseSpanError(f"the span {new_start}:{new_end} ({text[new_start:new_end]!r}) overlaps the "
                                  f"protected text {text[p_start:p_end]!r}: it is kept as written")
    return new_start, new_end


@dataclass(frozen=True)
class _Context:
    """What the query needs to know about where the span stands."""

    sentence: str
    offset: int      # where the span starts inside ``sentence``
    length: int      # the span's length
    previous: str    # the word right before the span (normalised), "" at the start
    following: str   # the word right after the span (normalised), "" at the end

    @classmethod
    def around(cls, text: str, start: int, end: int) -> _Context:
        left = 0
        for match in _SENTENCE_BREAK.finditer(text, 0, start):
            left = match.end()
        stop = _SENTENCE_BREAK.search(text, end)
        right = stop.start() + len(stop.group().rstrip()) if stop else len(text)
        before = list(WORD.finditer(text, left, start))
        after = list(WORD.finditer(text, end, right))
        previous = norm_word(before[-1].group()) if before else ""
        following = norm_word(after[0].group()) if after else ""
        if len(before) > CONTEXT_WORDS:
            left = before[-CONTEXT_WORDS].start()
        if len(after) > CONTEXT_WORDS:
            right = after[CONTEXT_WORDS - 1].end()
        return cls(text[left:right], start - left, end - start, previous, following)

    def replaced(self, alternative: str) -> str:
        return self.sentence[:self.offset] + alternative + self.sentence[self.offset + self.length:]

    @functools.cached_property
    def words(self) -> list[str]:
        """The words around the span (within :data:`CONTEXT_WORDS`), the span's own left out
        (read once per query, not once per alternative)."""
        return words(self.sentence[:self.offset] + " " + self.sentence[self.offset + self.length:])


def _inflected_positions(tokens: list[str]) -> list[int]:
    """Which word of a phrase carries its inflection: the last for a plural "-s", else the first."""
    order = [len(tokens) - 1, 0] if suffix_of(tokens[-1]) == "s" else [0, len(tokens) - 1]
    return [i for i in dict.fromkeys(order) if suffix_of(tokens[i])]


def _inflect_phrase(alternative: str, suffix: str, vocabulary: frozenset[str]) -> str | None:
    """``alternative`` (a base-form phrase) with ``suffix`` on the word that carries it.

    None when unsure: the word already carries a suffix, or the inflected form is not a word
    the mining saw ("seniored", "finested"), which is how a noun's alternatives are kept
    from being conjugated like verbs.
    """
    parts = alternative.split(" ")
    position = len(parts) - 1 if suffix == "s" else 0
    if suffix_of(parts[position]):
        return None  # already inflected some other way: a guess would be wrong as often as right
    parts[position] = inflect(parts[position], suffix)
    if parts[position] not in vocabulary:
        return None
    return " ".join(parts)


def _singular(alternative: str, vocabulary: frozenset[str]) -> str | None:
    """``alternative`` with its last word's plural "-s" taken off, if that gives a word the mining saw."""
    parts = alternative.split(" ")
    if suffix_of(parts[-1]) != "s":
        return None
    for base in lemma_variants(parts[-1]):
        if base in vocabulary:
            return " ".join([*parts[:-1], base])
    return None


def _suffix_is_inflection(word: str, found: list[tuple[str, float]], previous: str) -> bool:
    """Whether ``word``'s suffix must be matched: always, except an "-ing" word used as a noun or an
    adjective (after a determiner, or its one-word candidates rarely end in "-ing": see :data:`ING_SHARE`)."""
    if suffix_of(word) != "ing":
        return True
    if previous in _DETERMINERS:
        return False
    others = [(alt, score) for alt, score in found
              if " " not in alt and not same_lemma(word, alt) and not looks_like_same_word(word, alt)]
    total = sum(score for _, score in others)
    if total <= 0:
        return True
    return sum(score for alt, score in others if suffix_of(alt) == "ing") / total >= ING_SHARE


def _fitting(tokens: list[str], found: list[tuple[str, float]], context: _Context,
             blocked: frozenset[tuple[str, str]], vocabulary: frozenset[str] = frozenset()) -> list[tuple[str, float]]:
    """The candidates that fit: no antonym, no negation change, no same word, agreement kept, no
    comparative made superlative or back ("best" for "better": :func:`~models.phrase_words.degree`)."""
    phrase = [norm_word(t) for t in tokens]
    grade = degree(phrase[0], vocabulary) if len(phrase) == 1 else ""
    key = " ".join(phrase)
    negations = negation_count(phrase)
    suffix = suffix_of(phrase[0]) if len(phrase) == 1 else ""
    if suffix and not _suffix_is_inflection(phrase[0], found, context.previous):
        suffix = ""
    kept: list[tuple[str, float]] = []
    seen = {key}
    singles = {alt for alt, _ in found if " " not in alt} if len(phrase) == 1 else set()
    for alt, score in found:
        alt_words = alt.split(" ")
        if alt in seen or not alt_words or is_function_phrase(alt_words):
            continue
        if singles and _adds_a_word(phrase[0], alt_words, singles):
            continue
        if (key, alt) in blocked or any((w, a) in blocked for w in phrase for a in alt_words if w != a):
            continue
        if negation_count(alt_words) != negations or any(prefix_antonyms(w, a) for w in phrase for a in alt_words):
            continue
        if other_sex(phrase, alt_words, context.words) or new_relation(phrase, alt_words):  # "boy" -> "lady"
            continue
        if len(phrase) == 1 and len(alt_words) == 1 and (same_lemma(phrase[0], alt)
                                                          or looks_like_same_word(phrase[0], alt)):
            continue
        if suffix and len(alt_words) == 1 and not _suffix_fits(suffix, alt):
            continue
        if len(phrase) == 1 and len(alt_words) == 1 and (
                changes_tense(phrase[0], alt, context.previous, vocabulary)
                or changes_grammatical_number(phrase[0], alt, context.previous, context.following, vocabulary)):
            continue  # "said" -> "says", "took" -> "takes", "this time" -> "this hours", "teeth" -> "tooths"
        if grade and len(alt_words) == 1 and degree(alt, vocabulary) not in ("", grade):
            continue  # "better" -> "best", "most" -> "more", "larger" -> "biggest"
        if context.previous in ("a", "an") and (context.previous == "an") != wants_an(alt_words[0]):
            continue
        if alt_words[0] == context.previous or alt_words[-1] == context.following:
            continue
        if context.previous in _DETERMINERS and alt_words[0] in _DETERMINERS:
            continue
        seen.add(alt)
        kept.append((alt, score))
    return kept


def _adds_a_word(word: str, alt_words: list[str], singles: set[str]) -> bool:
    """Whether a longer alternative for one word is that word, or one of its one-word alternatives,
    with a content word added: "usually incorrect" for "wrong" (beside "incorrect"), "surprising
    results" for "findings", "glamorous gathering" for "party", "even thinks" for "says". The
    teachers wrote the extra word about their sentence; in the writer's it is a detail made up.
    "thought about" or "pick up" add only a function word and pass."""
    if len(alt_words) < 2:
        return False
    for position, alt_word in enumerate(alt_words):
        if alt_word in singles or same_lemma(alt_word, word):
            rest = alt_words[:position] + alt_words[position + 1:]
            if not is_function_phrase(rest):
                return True
    return False


#: A negated modal or auxiliary and the one it negates: "cannot" says what is impossible,
#: "won't", "shouldn't" and "don't" say something else. The index offered all three for
#: "we cannot imagine" (held-out news) and the scorer passed them; a phrase here is offered
#: only the other spellings of its own modal ("can't", "can not", "unable to").
_NEGATED_MODALS = {
    "cannot": "can", "can't": "can", "can not": "can", "unable to": "can", "not able to": "can",
    "couldn't": "could", "could not": "could", "won't": "will", "will not": "will",
    "wouldn't": "would", "would not": "would", "shouldn't": "should", "should not": "should",
    "mustn't": "must", "must not": "must", "don't": "do", "do not": "do", "doesn't": "does", "does not": "does",
    "didn't": "did", "did not": "did", "mightn't": "might", "might not": "might", "may not": "may",
    "needn't": "need", "need not": "need", "shan't": "shall", "shall not": "shall",
}


def _same_modal(tokens: list[str], kept: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """``kept`` without another modal for a negated one (:data:`_NEGATED_MODALS`)."""
    modal = _NEGATED_MODALS.get(" ".join(norm_word(t) for t in tokens))
    if modal is None:
        return kept
    return [(alt, score) for alt, score in kept if _NEGATED_MODALS.get(norm_word(alt)) == modal]


def _keeping_facts(tokens: list[str], kept: list[tuple[str, float]], context: _Context) -> list[tuple[str, float]]:
    """``kept`` without the alternatives that change a number or a date of the sentence
    (:func:`changes_number`), checked where the span holds a number as the facts check reads
    the sentence ("doubled" is one, though no number word) or an alternative has one, and
    without those that bring in a time the sentence did not give (:func:`models.time_words.new_times`:
    the index has "today" for "yesterday" and "afternoon" for "evening", right in other sentences)
    or an office ("president" for "chairman": :mod:`models.titles`), or that give an amount or a
    frequency another strength ("most" for "many", "usually" for "often": :mod:`models.quantifiers`;
    "several" for "multiple" is no change, the sentence having none), or how sure the sentence is
    ("possibly" or "almost certain" for "likely", or no hedge left at all: :mod:`models.certainty`),
    or whether it happened ("expected" for "according", "plan" for "conspiracy" in a sentence
    that states what was done: :func:`models.certainty.unrealized`). A span right after a number
    is its unit, checked the same way ("5 miles" never becomes "5 kilometers": :mod:`models.units`).

    A span that is only a weak number the sentence does not state ("At first", "wait a
    second", "one of them") gets nothing: the alternatives the index has for those words
    are for the number ("initial", "2nd"), the wrong sense there. Nor does one word of a
    longer number ("fifth" in "one fifth": "5th" would make it "one 5th").
    """
    if not kept:
        return kept  # nothing to check: no parse
    source = SourceFacts(context.sentence)
    start, end = context.offset, context.offset + context.length
    spans = [s for s in source.of_kind(NUMBER, DATE) if s.start < end and start < s.end]
    if spans and all(s.weak and not s.claim for s in spans):
        return []
    if any(s.start < start or end < s.end for s in spans):
        return []  # one word of "one fifth", "two and a half", "several hundred": the number is the unit
    phrase = " ".join(tokens)
    measured = any(s.end <= start and not context.sentence[s.end:start].strip(" -") for s in source.of_kind(NUMBER))
    said_times = time_values(context.sentence)
    said_offices = title_offices(context.sentence)
    said_amounts = amounts(context.sentence)
    said_sureness = Sureness.of(context.sentence)
    out = []
    for alt, score in kept:
        rewritten = context.replaced(alt)
        if new_times(said_times, rewritten):
            continue  # "yesterday" -> "today", "in the evening" -> "in the afternoon", "daily" -> "every morning"
        if title_offices(alt) - said_offices:
            continue  # "chairman" -> "president", "leadership" -> "president": another office
        if changed_amounts(said_amounts, rewritten):
            continue  # "many" -> "most", "often" -> "usually", "several" -> "few"
        if said_sureness.changed_by(rewritten):
            continue  # "likely" -> "possibly", "likely" -> "almost certain", "may be" -> "is", "left" -> "tried to leave"
        if (spans or measured or has_number(alt.split(" "))) and \
                changes_number(context.sentence, rewritten, phrase, alt, said_facts=source):
            continue
        out.append((alt, score))
    return out


def changes_number(said: str, written: str, phrase: str, alternative: str, *,
                   said_facts: SourceFacts | None = None) -> bool:
    """Whether writing ``alternative`` for ``phrase`` turned ``said`` into a ``written`` with a
    number or date lost, changed or gained, as the candidate pipeline's facts check reads it
    (:class:`models.facts.SourceFacts`, both ways), or another ordinal in the span itself.

    Why the facts check: the index keeps number substitutions that kept the value where a
    writer made them ("the first stage" -> "the initial stage", "three" -> "3"), but whether
    "first" is stated as a fact ("her first interview") or an idiom ("at first") depends on
    the sentence, exactly as it does for a paraphrase. Why the span too: "first" and "second"
    alone are weak numbers the facts check does not require, so "the second time" -> "the
    first time" passes it; here they must stay the number they are, if any.

    ``said_facts``: ``said`` already parsed (a query checks every alternative against one sentence).
    """
    if (said_facts or SourceFacts(said)).check(written) or SourceFacts(written).check(said):
        return True
    before, after = _weak_numbers(phrase), _weak_numbers(alternative)
    return bool(before and after and before != after)


@functools.lru_cache(maxsize=4096)  # a query asks it of the same span for every alternative
def _weak_numbers(text: str) -> frozenset[str]:
    return frozenset(span.value or "" for span in SourceFacts(text).of_kind(NUMBER) if span.weak)


def _suffix_fits(suffix: str, alternative: str) -> bool:
    """A one-word alternative agrees with a one-word phrase's inflection ("-ing" for "-ing")."""
    other = suffix_of(alternative)
    if suffix == "ing":
        return other == "ing"
    if suffix == "ed":
        return other not in ("ing", "s")
    if suffix == "s":
        return other not in ("ing", "ed")
    return True


def _rerank(scorer: Scorer, context: _Context, pool: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """Score every candidate sentence in one call; combine with the index's score and, where the
    scorer gives it, the fit in context; drop what loses the meaning.

    ``pool``: the alternatives as written in place. When fewer than :data:`MIN_DIRECT` of them
    reach the scorer's threshold, a second call scores the sentence against itself, and the
    threshold is lowered to :data:`SELF_RATIO` of that where it is lower: the scorer's
    probabilities sag on long sentences, and a word swap cannot keep the meaning better than
    no change at all. (Only then: the extra call costs a few milliseconds, and a list of three
    or more is useful as it is.)
    """
    candidates = [context.replaced(alt) for alt, _ in pool]
    similarity: np.ndarray | None = None
    if getattr(scorer, "has_token_states", False):
        span = (context.offset, context.offset + context.length)
        found, similarity = scorer.span_similarity(  # type: ignore[attr-defined]
            context.sentence, span, candidates, [(context.offset, context.offset + len(alt)) for alt, _ in pool])
        probabilities = np.asarray(found, dtype=np.float64)
    else:
        probabilities = np.asarray(scorer.score([context.sentence] * len(candidates), candidates), dtype=np.float64)
    best = max(score for _, score in pool) or 1.0
    threshold = float(getattr(scorer, "threshold", 0.0))
    if int((probabilities >= threshold).sum()) < min(MIN_DIRECT, len(probabilities)):
        itself = float(np.asarray(scorer.score([context.sentence], [context.sentence]), dtype=np.float64)[0])
        threshold = min(threshold, SELF_RATIO * itself)
    kept = [i for i, probability in enumerate(probabilities) if probability >= threshold]
    fit = _rescaled([float(similarity[i]) for i in kept]) if similarity is not None else None
    ranked = []
    for j, i in enumerate(kept):
        alt, score = pool[i]
        combined = SCORER_WEIGHT * float(probabilities[i]) + (1 - SCORER_WEIGHT) * score / best
        if fit is not None:
            combined = (1 - CONTEXT_WEIGHT) * combined + CONTEXT_WEIGHT * fit[j]
        ranked.append((alt, combined))
    return sorted(ranked, key=lambda item: -item[1])


def _rescaled(values: list[float]) -> list[float]:
    """``values`` mapped onto 0..1 by their range (all 1.0 when they are equal); NaN counts as the lowest.

    Why a range and not the raw cosine: its level differs from word to word (0.2-0.7), only
    the order among one word's alternatives says which sense fits.
    """
    finite = [v for v in values if np.isfinite(v)]
    if not finite:
        return [1.0] * len(values)
    low, high = min(finite), max(finite)
    if high - low < 1e-9:
        return [1.0 if np.isfinite(v) else 0.0 for v in values]
    return [(v - low) / (high - low) if np.isfinite(v) else 0.0 for v in values]
