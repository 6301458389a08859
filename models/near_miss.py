"""A near miss stays a near miss: "He almost died" says he did not die.

Why: "He almost died in the crash on the highway last night." -> "He lost his life in last
night's highway crash." passed every check (the meaning scorer doubted it, 0.37, and the card
would have shown with "may leave out 'almost'"); so did "The home team nearly won the
championship title" -> "… claimed the championship title" and "almost reached the trapped
miners" -> "got to the trapped miners". Each turns what did not happen into what did, which
is worse than a detail left out: the writer's reader is told something false.

A near miss is "almost", "nearly" or "all but" before a word that is not a number, an amount
("almost all", :mod:`models.quantifiers`) or a degree of certainty ("almost certainly",
:mod:`models.certainty`), which their own checks read. A candidate keeps it with any word that
says the thing fell short or only just happened ("almost", "nearly", "close to", "came close",
"on the verge of", "virtually", "practically", "just about", "not quite", "narrowly",
"barely", "just short of", "short of", "within a whisker"), anywhere in the sentence: the
check finds what was dropped, it does not parse which word the new one modifies.
"""

from __future__ import annotations

import re

from .phrase_words import NUMBER_WORDS, suffix_of
from .word_forms import is_past

__all__ = ["NEAR_MISS_WORDS", "barely", "dropped_barely", "dropped_near_miss", "near_misses", "says_near_miss"]

_NEAR_MISS_RE = re.compile(r"\b(almost|nearly|all\s+but)\s+(?:(?:been|got|gotten|become|really|completely|entirely|"
                           r"totally|as)\s+)?([A-Za-z][\w'-]*)", re.I)
#: Words after "almost" that another check owns: amounts, frequencies, certainty, negation.
_OWNED = frozenset({"all", "every", "everyone", "everybody", "everything", "everywhere", "always", "never", "no",
                    "none", "nobody", "nothing", "nowhere", "any", "anything", "anyone", "certain", "certainly",
                    "sure", "surely", "definitely", "a", "an", "half", "double", "twice", "triple", "universally",
                    "exclusively", "entirely", "invariably", "unanimously"}) | NUMBER_WORDS
#: A copula right before the near miss: an "-ing" word after it is an adjective ("was almost boring").
_COPULA_BEFORE_RE = re.compile(r"\b(?:is|are|was|were|be|been|being|am|seems?|seemed|feels?|felt|looks?|looked|"
                               r"sounds?|sounded|becomes?|became|remains?|remained|gets?|got|it's|its|that's|thats)"
                               r"\s+$", re.I)
#: Words and phrases that say a thing fell short or only just happened; the details count
#: (:mod:`models.details`) takes them, with "verge", "brink" and "cusp", as keeping "almost".
NEAR_MISS_WORDS: tuple[str, ...] = ("almost", "nearly", "virtually", "practically", "narrowly", "barely", "close to",
                                    "came close", "come close", "comes close", "just about", "not quite", "short of")
#: Words in a candidate that keep a near miss: the above, and phrases read only here.
_KEPT_RE = re.compile(r"\b(?:" + "|".join(r"\s+".join(map(re.escape, w.split())) for w in NEAR_MISS_WORDS)
                      + r"|all\s+but|coming\s+close|on\s+the\s+verge|on\s+the\s+brink|verge\s+of|brink\s+of|cusp\s+of"
                      r"|just\s+short|within\s+a\s+whisker|very\s+nearly|near(?:ly)?\s+(?:total|complete|fatal))\b",
                      re.I)


def near_misses(text: str) -> list[str]:
    """The near misses ``text`` states about an event ("almost died", "nearly won", "all but
    ensured", "nearly killing him"), as written. Only verbs: "nearly perfect" -> "remarkable"
    is a degree softened or lost, which the teachers do all the time (1,900 of 4,155 flags in
    their pairs before this rule read verbs only), not a thing said to have happened."""
    out = []
    for m in _NEAR_MISS_RE.finditer(text):
        word = m.group(2).lower()
        if word in _OWNED or any(ch.isdigit() for ch in word) or not _is_verb_form(word):
            continue
        if suffix_of(word) == "ing" and _COPULA_BEFORE_RE.search(text, 0, m.start()):
            continue  # "the drinks were almost revolting": an adjective, a degree
        out.append(m.group(0))
    return out


def _is_verb_form(word: str) -> bool:
    """A past, participle or "-ing" form: regular by its ending, irregular by the table."""
    return suffix_of(word) == "ing" or is_past(word)


def says_near_miss(text: str) -> bool:
    """Whether ``text`` has any word that keeps a near miss (see the module docstring)."""
    return _KEPT_RE.search(text) is not None


def dropped_near_miss(source: str, candidate: str) -> str | None:
    """The source's first near miss when the candidate says nothing fell short, else None."""
    said = near_misses(source)
    if not said or says_near_miss(candidate):
        return None
    return said[0]


#: "hardly", "barely", "scarcely": a thing only just done, or almost not ("I can hardly hear you"),
#: not "hardly any" or "hardly ever" (an amount and a frequency, :mod:`models.quantifiers`), nor
#: "can hardly wait" (eager).
_BARELY_RE = re.compile(r"\b(?:hardly|barely|scarcely)\b(?!\s+(?:any|anyone|anybody|anything|ever|a|wait)\b)",
                        re.I)
#: What keeps it: the same words, a negation, a near miss, or a word of difficulty or smallness.
_BARELY_KEPT_RE = re.compile(
    r"\b(?:hardly|barely|scarcely|not|no|never|little|few|rarely|seldom|almost|nearly|only\s+just|just\s+about"
    r"|struggl\w*|difficult\w*|hard|faint\w*|slight\w*|minimal\w*|virtually|practically|marginal\w*|narrowly"
    r"|close\s+to|unable|cannot|strain\w*|effort|short|challeng\w*|tough|trouble\w*|un\w{4,})\b|n't\b", re.I)


def barely(text: str) -> bool:
    """Whether ``text`` says something was only just done, or almost not (:data:`_BARELY_RE`)."""
    return _BARELY_RE.search(text) is not None


def dropped_barely(says_barely: bool, candidate: str) -> bool:
    """Whether ``candidate`` states plainly what its source (``says_barely``: :func:`barely`)
    said was only just so: "I can hardly hear you." -> "I can hear you clearly." passed every
    check at 0.18 (``runs/s51/flip_probe.py``). Any negation, near miss or word of difficulty
    or smallness keeps it ("I can barely hear you" -> "I'm struggling to hear you")."""
    return says_barely and _BARELY_KEPT_RE.search(candidate) is None
