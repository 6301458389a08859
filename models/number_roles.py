"""What a number in a change says: by how much ("rose by 5%") or to what level ("rose to 5%").

"Sales rose by 5% last quarter." -> "Sales rose to 5% last quarter." keeps every number, so
the facts check passed it, and the meaning scorer gave it 0.51; "Unemployment fell to 4%" ->
"fell by 4%" and "The price rose 10% to $50." -> "The price rose to 10% at $50." passed the
same way. For a writer of reports the two readings are different facts.

A number is read as the *amount* of a change when a change word (rose, fell, increase, cut …)
stands right before it, bare or with "by", or the noun of a change with "of" ("a rise of 5%"),
or "up"/"down" ("up 5%"); as the *level* when "to" (or "at", "above", "reached", "hit") stands
between the change word and it; "over 5%" is either, and read as neither. Anything else (a number with no change near it, "from 3%") has no
role and is never compared. :func:`changed_roles` reports a number both texts give with a
role each, the other one in the candidate.

Two more readings need no change word: a share ("30% of the staff") is not an amount ("30% more
staff", 0.48 before), and how long ("has lived in Berlin for 10 years") is not how long ago
("lived in Berlin 10 years ago", 0.21 before). None of them flags a PAWS-Wiki, MRPC, APTY or
teacher paraphrase (``runs/s52/roles_flags.py``: 40,000 cased teacher pairs, 236 with a reading).
"""

from __future__ import annotations

import re

AMOUNT, LEVEL = "by", "to"

#: Verbs of a change by direction; "cut", "lost", "dropped" have other senses ("dropped the
#: charges"), but not with a number right after them, which is all this module reads.
_UP_VERBS = ("rose", "rise", "rises", "rising", "risen", "increased", "increase", "increases", "increasing", "grew",
             "grow", "grows", "growing", "grown", "climbed", "climb", "climbs", "climbing", "jumped", "jump", "jumps",
             "jumping", "surged", "surge", "surges", "surging", "soared", "soar", "soars", "soaring", "gained", "gain",
             "gains", "gaining", "raised", "raise", "raises", "raising", "boosted", "boost", "boosts", "boosting",
             "expanded", "expand", "expands", "expanding", "advanced", "advance", "advances", "rebounded",
             "recovered", "rallied", "spiked", "went up", "go up", "goes up", "edged up", "edged higher",
             "moved up", "moved higher")
_DOWN_VERBS = ("fell", "fall", "falls", "falling", "fallen", "dropped", "drop", "drops", "dropping", "declined",
               "decline", "declines", "declining", "plunged", "plunge", "plunges", "plunging", "plummeted",
               "plummet", "plummets", "tumbled", "tumble", "tumbles", "tumbling", "slipped", "slip", "slips",
               "slipping", "slumped", "slump", "slumps", "lost", "lose", "loses", "losing", "cut", "cuts", "cutting",
               "reduced", "reduce", "reduces", "reducing", "lowered", "lower", "lowers", "lowering", "shrank",
               "shrunk", "shrink", "shrinks", "shrinking", "decreased", "decrease", "decreases", "decreasing",
               "slid", "slide", "slides", "sliding", "sank", "sink", "sinks", "sinking", "dipped", "dip", "dips",
               "dipping", "retreated", "slashed", "eased", "went down", "go down", "goes down", "edged down",
               "edged lower", "moved down", "moved lower")
_DIRECTION_OF = {**{verb: "up" for verb in _UP_VERBS}, **{verb: "down" for verb in _DOWN_VERBS},
                 "up": "up", "higher": "up", "down": "down", "lower": "down"}
_CHANGE_VERB = "(?:" + "|".join(v.replace(" ", r"\s+") for v in sorted(_UP_VERBS + _DOWN_VERBS, key=len, reverse=True)) + ")"
_CHANGE_NOUN = (r"(?:rise|increase|fall|drop|decline|gain|loss|cut|jump|growth|decrease|reduction|surge|plunge"
                r"|slump|dip|hike|boost|contraction|expansion)s?")
#: A number as the facts check reads an amount: currency, digits, a percent or a scale word.
_NUMBER = (r"(?P<number>[$€£¥]?\s?\d[\d,]*(?:\.\d+)?(?:\s?(?:%|per\s?cent|percent|percentage\s+points?|points?))?"
           r"(?:\s?(?:million|billion|trillion|bn|m)\b)?)")
#: Up to three words between the change and its number ("rose sharply by", "fell a further").
_GAP = r"(?:\s+(?!(?:to|at|by|from|over|above|below|beyond|past|under)\b)[\w'-]+){0,3}?"
_QUALIFIER = r"(?:nearly\s+|almost\s+|about\s+|some\s+|more\s+than\s+|around\s+|roughly\s+)?"
_LEVEL_NOUN = r"(?:a\s+(?:new\s+|record\s+)?(?:high|low|level|total)\s+of\s+)?"
#: (pattern, role): each has a ``number`` group and, where the change is a verb, a ``verb`` group.
_FORMS = tuple((re.compile(pattern, re.IGNORECASE), role) for pattern, role in (
    (rf"\b(?P<verb>{_CHANGE_VERB}){_GAP}\s+(?:by\s+)?{_QUALIFIER}{_NUMBER}", AMOUNT),
    (rf"\b{_CHANGE_NOUN}\s+of\s+{_QUALIFIER}{_NUMBER}", AMOUNT),
    (rf"\b(?P<verb>up|down|higher|lower)\s+(?:by\s+)?{_QUALIFIER}{_NUMBER}", AMOUNT),
    (rf"\b(?P<verb>{_CHANGE_VERB})(?:{_GAP}\s+(?:by\s+)?[$€£¥]?\s?\d[\d,.]*\s?(?:%|per\s?cent|percent)?)?{_GAP}\s+"
     rf"(?:to|at|above|below|beyond|past)\s+{_LEVEL_NOUN}(?:over\s+|under\s+|just\s+)?{_QUALIFIER}{_NUMBER}", LEVEL),
    (rf"\b(?:reach(?:ed|es|ing)?|hit|hitting|stood\s+at|stands\s+at|settled\s+at|closed\s+at|ended\s+at)\s+"
     rf"{_LEVEL_NOUN}{_NUMBER}", LEVEL),
))


SHARE, DURATION, AGO = "of", "for", "ago"
_TIME_UNIT = r"(?:years?|months?|weeks?|days?|hours?|decades?|centuries|minutes?)"
#: Readings that need no change word: a share ("30% of the staff") against an amount ("30% more
#: staff"), and how long ("for 10 years") against how long ago ("10 years ago").
_OTHER_FORMS = tuple((re.compile(pattern, re.IGNORECASE), role, cue) for pattern, role, cue in (
    (rf"{_NUMBER}\s+of\b", SHARE, "%"),
    (rf"{_NUMBER}\s+(?:more|less|fewer|higher|lower|greater|bigger|smaller|larger|cheaper|faster|slower)\b", AMOUNT,
     "%"),
    (rf"\bfor\s+(?:the\s+(?:past|last)\s+|about\s+|nearly\s+|almost\s+|over\s+|some\s+)?{_NUMBER}\s+{_TIME_UNIT}\b",
     DURATION, "for"),
    (rf"{_NUMBER}\s+{_TIME_UNIT}\s+ago\b", AGO, "ago"),
))


def _key(number: str) -> str:
    """The number as compared: digits and decimals, with "%" for any way of writing a percentage."""
    text = number.lower().replace(",", "")
    digits = re.search(r"\d+(?:\.\d+)?", text)
    if digits is None:
        return text
    percent = "%" in text or "cent" in text or "percent" in text
    return digits.group(0) + ("%" if percent else "")


def number_roles(text: str) -> dict[str, set[str]]:
    """``{number: {"by"} or {"to"} or both}`` for each number ``text`` gives as the amount or the
    level of a change; a number with neither is left out."""
    return number_readings(text)[0]


def number_directions(text: str) -> dict[str, set[str]]:
    """``{number: {"up"} or {"down"} or both}`` for each number a change verb governs in ``text``
    ("jumped 8%": up, "fell to 4%": down)."""
    return number_readings(text)[1]


def number_readings(text: str) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """:func:`number_roles` and :func:`number_directions` of ``text`` in one reading."""
    roles: dict[str, set[str]] = {}
    directions: dict[str, set[str]] = {}
    for number, readings in _readings(text).items():
        roles[number] = {role for role, _ in readings}
        ways = {direction for _, direction in readings if direction}
        if ways:
            directions[number] = ways
    return roles, directions


#: A text without a digit, or without any word of a change, has nothing to read (the facts
#: check asks this of every row the student writes).
_ANY_CHANGE = re.compile(rf"\b(?:{_CHANGE_VERB}|{_CHANGE_NOUN}|up|down|higher|lower|reach\w*|hit\w*|stood|stands"
                         r"|settled|closed|ended)\b", re.IGNORECASE)


def _readings(text: str) -> dict[str, set[tuple[str, str]]]:
    """(role, direction or "") of each number a change reads, by number."""
    out: dict[str, set[tuple[str, str]]] = {}
    if not any(c.isdigit() for c in text):
        return out
    lower = text.lower()
    for pattern, role, cue in _OTHER_FORMS:
        if cue in lower or (cue == "%" and "cent" in lower):
            for match in pattern.finditer(text):
                out.setdefault(_key(match.group("number")), set()).add((role, ""))
    if _ANY_CHANGE.search(text) is None:
        return out
    for pattern, role in _FORMS:
        for match in pattern.finditer(text):
            verb = match.groupdict().get("verb")
            direction = _DIRECTION_OF.get(re.sub(r"\s+", " ", verb.lower()), "") if verb else ""
            out.setdefault(_key(match.group("number")), set()).add((role, direction))
    return out


def _one_each(said: dict[str, set[str]], written: dict[str, set[str]]) -> list[tuple[str, str, str]]:
    out = []
    for number, values in written.items():
        before = said.get(number)
        if before and len(before) == 1 and len(values) == 1 and before != values:
            out.append((number, next(iter(before)), next(iter(values))))
    return out


def changed_readings(source: tuple[dict[str, set[str]], dict[str, set[str]]],
                     candidate: str) -> list[tuple[str, str, str]]:
    """:func:`changed_roles` and then :func:`turned_directions`, the candidate read once;
    ``source``: :func:`number_readings` of the source."""
    if not source[0]:
        return []
    roles, directions = number_readings(candidate)
    return _one_each(source[0], roles) + _one_each(source[1], directions)


def changed_roles(source_roles: dict[str, set[str]], candidate: str) -> list[tuple[str, str, str]]:
    """(number, the source's role, the candidate's) for each number both give with one role
    each, and another: "rose by 5%" -> "rose to 5%" is ("5%", "by", "to").

    ``source_roles``: :func:`number_roles` of the source (read once per source)."""
    return _one_each(source_roles, number_roles(candidate)) if source_roles else []


def turned_directions(source_directions: dict[str, set[str]], candidate: str) -> list[tuple[str, str, str]]:
    """(number, the source's direction, the candidate's) for each number both say went one way
    each, and another: "Shares of the bank jumped 8% to 120 pence" -> "Shares of the bank dropped
    8% to 120 pence" (shown at 0.14 on the bench's kind of sentence; "dropped" is no reversal word
    alone, "dropped the charges") is ("8%", "up", "down") and ("120", "up", "down").

    ``source_directions``: :func:`number_directions` of the source (read once per source)."""
    return _one_each(source_directions, number_directions(candidate)) if source_directions else []
