"""Which content words of a source a candidate leaves without any counterpart.

Why: the commonest way a shown card fails a writer is a detail left out ("drops songs and
drawings", "drops 'most recently'": 183 of the 353 unfaithful reasons of the 2026-12-01 blind
read), and neither the facts check (names, numbers) nor the meaning scorer sees it reliably.
A word-level count does: on 282 blind-read Standard cards of student v2 and its continuation,
two or more source content words without a counterpart came up on 7 of 49 faithful cards and
152 of 233 unfaithful ones (19 of 49 faithful without the phrase index). The confidence shown
weighs the count (:attr:`models.student_calibration.StudentCalibration.detail_scale`) and a
card names the words (:func:`detail_reason`).

A counterpart is the same word (any case, apostrophes and hyphens ignored), a word sharing its
first five letters, or the whole of a shorter word of at least four ("rent" / "rental",
"announced" / "announcement"), or one of the phrase index's alternatives for it
(:class:`models.phrases.PhraseIndex`, what the teachers wrote in its place: "sort" is kept by
"kind", "purchase" by "buy"). A hyphenated word counts as its parts ("six-hour" keeps "hours").
Since 2026-12-02 a word is also kept by its other spelling ("favourable" / "favorable"), by a
possessive ("NYC's" keeps "nyc"), by a regular inflection of a short form ("use": "used"), and
by an alternative of a 2-4-word phrase it stands in ("what time" -> "when"). On the 833
blind-read cards of sessions 40-41 that removed 41 of 2,042 counted words and added none;
the ROC AUC of the count against the readers' verdicts rose 0.739 -> 0.755 (session 41's
readers, both faithful), 0.773 -> 0.782 (either) and 0.809 -> 0.820 (session 40's), and the
faithful cards with a word counted fell 20 -> 16, 33 -> 28, 27 -> 24 (``runs/s42/count_eval.py``).
"Only" and "very" are counted though they are function words, each kept by a short list of
its rewordings ("just", "merely"; "really", "extremely"): a dropped "only" changes a claim, a
dropped "very" its strength. On the blind-read cards of sessions 40-41 it is newly counted
on 17 (all a dropped "only"): none was faithful, and a reader's own reason names "only" on 12.
Words that carry no detail of their own are not counted: function words, particles, number
words (the facts check owns numbers), negations ("without", "failed": the negation check owns
them), the words of a cause the source states when the candidate still says something causal
("driven by" → "as a result of": the cause check owns them), words under three letters, and
capitalised words (names, which the facts check owns; a sentence's first word too, at the price
of missing a dropped first word).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Literal

from .connectives import cause_words, keeps_a_cause
from .errors import ParaphraseStudioError
from .near_miss import NEAR_MISS_WORDS
from .phrase_words import FUNCTION_WORDS, MAX_PHRASE_WORDS, NEGATIONS, NUMBER_WORDS, PARTICLES, inflect, match_key, \
    norm_word, phrase_key, spelling_variants, words

log = logging.getLogger(__name__)

#: Looks up the alternatives of one (normalised) word: the phrase index's, or none.
Alternatives = Callable[[str], Sequence[str]]

#: Function words that carry a detail all the same, with what keeps them (the phrase index has
#: no alternatives for function words).
_FUNCTION_DETAILS = {"only": ("just", "merely", "solely", "sole", "alone", "exclusively", "single", "lone", "but"),
                     "very": ("really", "extremely", "highly", "truly", "incredibly", "so", "quite", "most",
                              "exceptionally", "remarkably", "deeply", "greatly", "particularly", "immensely"),
                     # a near miss said another way (models.near_miss): "almost died" -> "came close to dying"
                     **dict.fromkeys(("almost", "nearly"), (*NEAR_MISS_WORDS, "verge", "brink", "cusp"))}
#: Words never counted as a detail (see the module docstring).
_NOT_DETAILS = (FUNCTION_WORDS | PARTICLES | NUMBER_WORDS | NEGATIONS) - set(_FUNCTION_DETAILS)
#: Two words count as one when they share this many first letters, or when the shorter one,
#: of at least :data:`_MIN_STEM` letters, is the start of the other ("rental" keeps "rent").
_STEM = 5
#: A shorter word than this needs its exact form (or an alternative) in the candidate.
_MIN_STEM = 4
#: A card names at most this many of the words it may leave out.
REASON_WORDS = 3
#: A card's reason names the words from this many on. Why one: on 350 shown (10 % floor) cards of
#: students v2 and v4 read blind by two AI readers each (2026-12-02), of the 160 that leave out
#: exactly one counted word a reader's own reason names that same word for 98 ("'sorely' lost",
#: "drops 'female'", "hospital lost"), and both readers call only 16 faithful; with two or more
#: words left out, 26 of 32 and 0. Naming the single word points the writer at what to check
#: (session 40's lenient readers: 42 of 74). Until then the note began at two words.
REASON_FROM = 1


#: ``details=`` of :func:`models.pipeline.default_pipeline`: count with the app's phrase index.
DEFAULT_DETAILS: Literal["default"] = "default"


class _IndexAlternatives:
    """The app's phrase index (the one the phrase look-up reads too), loaded on first use
    (0.1 s); unavailable, said once in the log, when it is not built or damaged: a count
    without it would read every synonym as a word left out, so then nothing is counted."""

    def __init__(self, folder: str | Path | None = None) -> None:
        self._folder = folder
        self._lookup: Callable[[str], list[tuple[str, float]]] | None = None
        self._failed = False

    def ready(self) -> bool:
        if self._lookup is None and not self._failed:
            from .phrases import shared_index  # not at import: the runtime without a scorer never needs it

            try:
                self._lookup = shared_index(self._folder).lookup
            except (ParaphraseStudioError, OSError) as exc:
                self._failed = True
                log.warning("the phrase index is unavailable, so no card is checked for words left out: %s", exc)
        return self._lookup is not None

    def __call__(self, word: str) -> list[str]:
        return [alternative for alternative, _ in self._lookup(word)] if self.ready() else []  # type: ignore[misc]


class DetailMatcher:
    """Counts the source's content words a candidate leaves without a counterpart.

    ``alternatives``: the phrase index's look-up (:meth:`default`, :meth:`from_index`); without
    it only the word's own forms count, and a synonym reads as a word left out.
    """

    def __init__(self, alternatives: Alternatives | None = None) -> None:
        self._alternatives = alternatives
        #: Per source: its content words with their alternatives' forms, worked out once for
        #: all of its rows (a sentence's rows come together; the last few sources are kept).
        self._plans: dict[str, list[_Word]] = {}

    @classmethod
    def default(cls, folder: str | Path | None = None) -> DetailMatcher:
        """A matcher on the app's phrase index (or the one in ``folder``), loaded on first use."""
        return cls(_IndexAlternatives(folder))

    @classmethod
    def required(cls, folder: str | Path | None = None) -> DetailMatcher:
        """A matcher on the app's phrase index (or the one in ``folder``), loaded now, for offline
        jobs (the data critic, the confidence fit) where a count without the index would read
        every synonym as a word left out: a missing or damaged index raises
        :class:`models.phrases.PhraseIndexError`, with the command that builds it."""
        from .phrases import PhraseIndex

        return cls.from_index(PhraseIndex.load(folder))

    @classmethod
    def from_index(cls, index: object) -> DetailMatcher:
        """A matcher that asks a loaded :class:`models.phrases.PhraseIndex` for each word's alternatives."""
        lookup = index.lookup  # type: ignore[attr-defined]
        return cls(lambda word: [alternative for alternative, _ in lookup(word)])

    def ready(self) -> bool:
        """Whether counts can be trusted now (loads the index the first time; see :meth:`default`)."""
        ready = getattr(self._alternatives, "ready", None)
        return bool(ready()) if callable(ready) else True

    def missing(self, source: str, candidate: str) -> list[str]:
        """The source's content words (lower case, in source order, each once) that ``candidate``
        leaves without a counterpart."""
        tokens = words(candidate)
        written = [match_key(w) for w in tokens]
        present = (set(written) | {match_key(part) for w in tokens if "-" in w for part in w.split("-")}
                   | {match_key(w)[:-1] for w in tokens if norm_word(w).endswith("'s")})  # "NYC's" keeps "nyc"
        seen = _Seen(present, f" {' '.join(written)} ")
        missed = [word for word in self._plan(source) if not word.kept_in(seen)]
        if missed and keeps_a_cause(candidate):  # "driven by" said as "as a result of": the cause check's
            missed = [word for word in missed if not word.in_cause]
        return [word.key for word in missed]

    def _plan(self, source: str) -> list[_Word]:
        plan = self._plans.get(source)
        if plan is None:
            plan, seen = [], set()
            parts_of_source = [part for w in words(source) for part in w.split("-") if part]  # "six-hour": "six", "hour"
            in_cause = cause_words(source)
            keys = [match_key(part) for part in parts_of_source]
            in_phrases = self._phrase_alternatives(parts_of_source, keys)
            for position, (written, key) in enumerate(zip(parts_of_source, keys)):
                if (key in _NOT_DETAILS or len(key) < 3 or not key.isalpha() or written[:1].isupper()
                        or key in seen):
                    continue
                seen.add(key)
                forms, phrases = {key, *(match_key(v) for v in spelling_variants(key))}, list(in_phrases[position])
                for alternative in (_FUNCTION_DETAILS[key] if key in _FUNCTION_DETAILS
                                    else self._alternatives(key) if self._alternatives is not None else ()):
                    parts = [match_key(w) for w in words(alternative)]
                    if len(parts) == 1:
                        forms.add(parts[0])
                    elif parts:
                        phrases.append(f" {' '.join(parts)} ")
                # a short form only matches whole: give it its regular inflections ("use": "used"),
                # matched whole too ("new" -> "news" must not match "Newsweek" by its first letters)
                inflected = {inflect(form, suffix) for form in forms if len(form) <= _MIN_STEM
                             for suffix in _SUFFIXES} - forms
                plan.append(_Word(key, frozenset(forms), tuple(phrases), frozenset(inflected), key in in_cause))
            if len(self._plans) >= _PLANS_KEPT:
                self._plans.pop(next(iter(self._plans)))
            self._plans[source] = plan
        return plan

    def _phrase_alternatives(self, parts: list[str], keys: list[str]) -> list[list[str]]:
        """Per source word, the alternatives the index has for the phrases of 2 to
        :data:`MAX_PHRASE_WORDS` words it stands in ("what time" -> "when", "is it possible" ->
        "can"), written as :class:`_Seen` joins a candidate: a word reworded with its
        neighbours has a counterpart when the whole phrase's alternative is there. An
        alternative made only of the source's own words is left out: in the candidate it is
        as likely the source's word kept elsewhere ("the armed forces" -> "the military" in a
        sentence that says "military" too). ``keys``: each part's :func:`match_key`."""
        found: list[list[str]] = [[] for _ in parts]
        if self._alternatives is None:
            return found
        own = set(keys)
        for start in range(len(parts)):
            for length in range(2, MAX_PHRASE_WORDS + 1):
                if start + length > len(parts):
                    break
                span = keys[start:start + length]
                if all(key in _NOT_DETAILS for key in span):
                    continue
                for alternative in self._alternatives(phrase_key(parts[start:start + length])):
                    alternative_keys = [match_key(w) for w in words(alternative)]
                    written = " ".join(alternative_keys)
                    if written and not own.issuperset(alternative_keys):
                        for position in range(start, start + length):
                            found[position].append(f" {written} ")
        return found


#: Regular suffixes given to a short form (:meth:`DetailMatcher._plan`).
_SUFFIXES = ("s", "ed", "ing")
#: Sources whose plans a matcher keeps (a paragraph's sentences decode together).
_PLANS_KEPT = 64


class _Seen:
    """A candidate's words as :class:`_Word` compares them: whole, by their first five letters,
    and by their first four (a four-letter word is matched by any word it starts)."""

    __slots__ = ("words", "stems", "heads", "short", "joined")

    def __init__(self, present: set[str], joined: str) -> None:
        self.words = present
        self.stems = {w[:_STEM] for w in present if len(w) >= _STEM}
        self.heads = {w[:_MIN_STEM] for w in present if len(w) >= _MIN_STEM}
        self.short = {w for w in present if len(w) == _MIN_STEM}
        self.joined = joined


class _Word:
    """A source's content word and the forms that keep it: its own and its alternatives'."""

    __slots__ = ("key", "forms", "phrases", "exact", "in_cause", "_stems", "_heads", "_short")

    def __init__(self, key: str, forms: frozenset[str], phrases: tuple[str, ...],
                 exact: frozenset[str] = frozenset(), in_cause: bool = False) -> None:
        self.key = key
        #: A word of a cause the source states (:func:`models.connectives.cause_words`).
        self.in_cause = in_cause
        self.forms = forms
        self.phrases = phrases
        #: Forms that keep the word only as a whole candidate word (a short form's inflections).
        self.exact = exact
        self._stems = {f[:_STEM] for f in forms if len(f) >= _STEM}
        self._heads = {f[:_MIN_STEM] for f in forms if len(f) >= _MIN_STEM}
        self._short = {f for f in forms if len(f) == _MIN_STEM}

    def kept_in(self, seen: _Seen) -> bool:
        """Any form the same as a candidate word or sharing its start (:data:`_STEM`), or a phrase in it."""
        return (not self.forms.isdisjoint(seen.words) or not self.exact.isdisjoint(seen.words)
                or not self._stems.isdisjoint(seen.stems)
                or not self._short.isdisjoint(seen.heads) or not self._heads.isdisjoint(seen.short)
                or any(phrase in seen.joined for phrase in self.phrases))


def detail_reason(missing: Sequence[str]) -> str:
    """The card's note for the words it may leave out ("may leave out “sorely”"), or "" below
    :data:`REASON_FROM` words."""
    if len(missing) < REASON_FROM:
        return ""
    named = ", ".join(f"\u201c{word}\u201d" for word in missing[:REASON_WORDS])
    more = f" and {len(missing) - REASON_WORDS} more" if len(missing) > REASON_WORDS else ""
    return f"may leave out {named}{more}"
