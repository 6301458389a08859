"""Which part of a period a sentence dates something to: "the end of March", "early 2027",
"the late 1990s", "mid-year". A paraphrase keeps the part along with the period, and dates
nothing the source leaves undated (:func:`invented_relative_date`).

The facts check keeps the month and the year, but until this rule "The library will close at
the end of March." → "… will shut in early March." and "The plant opens at the end of 2027."
→ "… at the start of 2027." passed every check, and student v2 showed "… will be closed by
March" and "… will close on March" for the first. A part moved, dropped or added changes the
date a writer states, as much as another month would.

Three parts, each with the ways writers name it: *early* ("early", "the beginning of", "the
start of", "the dawn of"), *mid* ("mid", "mid-", "the middle of", "halfway through") and
*late* ("late", "the end of", "the close of", "the tail end of", "year-end"). "The end of
March" and "late March" are the same part; "at the end of the day" dates nothing ("day" is
no period here). The periods: a month, a year (1500-2099), a decade ("1990s", "'90s"), and the
words "year", "month", "week", "decade", "century", "quarter", "season", "semester", "term"
and the four seasons.

For each period both texts name, the set of parts the candidate gives it must be the source's:
a part changed, dropped ("at the end of March" → "by March") or added ("in March" → "in late
March") is a violation; a month with its day ("May 30" for "the end of May") keeps any part.
A period the candidate no longer names is the other date and number rules' to report.
"""

from __future__ import annotations

import re

_PERIOD_WORDS = ("year|month|week|decade|century|quarter|season|semester|term|"
                 "spring|summer|autumn|fall|winter")
#: The months' names and their dotless abbreviations, as regex alternatives (the facts check's
#: dates are read with the same: :mod:`models.facts`).
MONTH_NAMES = "January|February|March|April|May|June|July|August|September|October|November|December"
MONTH_ABBREVIATIONS = "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec"
_PERIOD = (rf"(?P<period>(?:{MONTH_NAMES})\b|(?:1[5-9]|20)\d\d(?:['’]?s)?(?!\d)|['’]\d0s\b|"
           rf"(?i:{_PERIOD_WORDS})s?\b)")
#: Each part and the words that name it (a regex alternative).
_PART_WORDS = {
    "early": r"early|beginning|start|dawn|outset",
    "mid": r"mid|middle|halfway\s+through",
    "late": r"late|end|close|tail\s+end",
}
_ADJECTIVE = re.compile(rf"\b(?P<part>(?i:early|mid|late))(?:\s+in)?(?:\s+|-)(?:(?i:the|this|that|next|last)\s+)?"
                        rf"{_PERIOD}")
_OF = re.compile(rf"\b(?P<part>(?i:beginning|start|dawn|outset|middle|end|close|tail\s+end))"
                 rf"\s+of\s+(?:(?i:the|this|that|next|last)\s+)?(?:(?i:month|year)\s+of\s+)?{_PERIOD}")
_HALFWAY = re.compile(rf"\b(?P<part>(?i:halfway\s+through))\s+(?:(?i:the|this|that|next|last)\s+)?{_PERIOD}")
_POSSESSIVE = re.compile(rf"{_PERIOD}(?:['’]s)?[\s-](?P<part>(?i:end|close|beginning|start))\b")
_BARE = re.compile(_PERIOD)
#: A month with its day ("May 30", "30 May", "the 30th of May"): more precise than any part.
_DAY_AFTER = re.compile(r"\s+\d{1,2}(?:st|nd|rd|th)?\b")
_DAY_BEFORE = re.compile(r"\b\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?$")
#: The part of a month mention that gives its day: it keeps whatever part the source gave.
DAY = "day"


def _part(word: str) -> str:
    word = re.sub(r"\s+", " ", word.lower())
    for part, words in _PART_WORDS.items():
        if re.fullmatch(words, word):
            return part
    return ""


def _period_key(text: str) -> str:
    """One key per period however written: "March", "2027", "the 1990s" / "1990's" / "'90s"
    as "90s", the period words singular and lower case."""
    text = text.replace("’", "'").lower()
    decade = re.fullmatch(r"(?:1[5-9]|20)?'?(\d0)'?s", text)
    if decade:
        return f"{decade.group(1)}s"
    return text[:-1] if text.endswith("s") and not text[:1].isdigit() else text


def period_parts(text: str) -> dict[str, set[str]]:
    """Each period ``text`` names (by :func:`_period_key`) with the parts it dates to there
    ("" for a mention without a part)."""
    parts: dict[str, set[str]] = {}
    taken: list[tuple[int, int]] = []
    for pattern in (_OF, _HALFWAY, _ADJECTIVE, _POSSESSIVE):
        for m in pattern.finditer(text):
            parts.setdefault(_period_key(m.group("period")), set()).add(_part(m.group("part")))
            taken.append(m.span("period"))
    for m in _BARE.finditer(text):
        if not any(start <= m.start() < end for start, end in taken):
            dated = _DAY_AFTER.match(text, m.end()) or _DAY_BEFORE.search(text, 0, m.start())
            parts.setdefault(_period_key(m.group("period")), set()).add(DAY if dated else "")
    return parts


def changed_parts(source_parts: dict[str, set[str]], candidate: str) -> list[tuple[str, str, str]]:
    """(period, source's part, candidate's part) for each period both name whose parts differ
    ("" where one gives none), with ``source_parts`` from :func:`period_parts` of the source."""
    out = []
    for period, written in period_parts(candidate).items():
        said = source_parts.get(period)
        if said is None:
            continue
        said_parts, written_parts = said - {""}, written - {""}
        if DAY in written_parts:  # "at the end of May" -> "May 30": the day says more than the part
            continue
        if said_parts - {DAY} != written_parts:
            out.append((period, "/".join(sorted(said_parts)), "/".join(sorted(written_parts))))
    return out


#: A date relative to when the text is read: "last year", "next week", "this season", "today".
_RELATIVE_DATE = re.compile(
    r"\b(?:(?:next|last|this|coming|past|previous)\s+(?:week|month|year|decade|weekend|season|summer|winter|spring|"
    r"autumn|fall|quarter|century)|tomorrow|yesterday|today|tonight)\b", re.IGNORECASE)
#: Anything in a source that places it in time, so that a candidate's relative date may be a
#: rewording of it: a period word, a date, a year, a weekday, "recently", "now", "daily"...
_TIME_ANCHOR = re.compile(
    rf"\b(?:(?:{_PERIOD_WORDS}|weekend)s?|centuries|tomorrow|yesterday|today|todays|tonight|morning|afternoon|evening|"
    r"night|days?|daily|ago|recent\w*|"
    r"now|nowadays|current\w*|soon|lately|latest|presently|upcoming|contemporary|modern|present|"
    rf"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)days?|{MONTH_NAMES}|(?:1[5-9]|20)\d\d)\b"
    rf"|\b(?:{MONTH_ABBREVIATIONS})\.",
    re.IGNORECASE)


def invented_relative_date(source: str, candidate: str) -> str:
    """The relative date ``candidate`` gives ("last year", "this year", "today") when
    ``source`` places nothing in time at all, else "".

    Student v2 showed "Hurricane Wilma was the most intense hurricane ever recorded in the
    Atlantic basin." → "… the most intense in the Atlantic this year." and "as highlighted in
    a newly published government report" → "… a government report released last year": 8 of
    the 10,836 distinct cards of earlier evaluation runs date something so, each a claim the
    writer never made. A source with any time word keeps the candidate's relative date free
    ("in the next few years" may become "next year"; the date checks see the rest).
    """
    return "" if places_in_time(source) else relative_date(candidate)


def places_in_time(text: str) -> bool:
    """True when ``text`` has any time word (:data:`_TIME_ANCHOR`): a relative date in a
    paraphrase of it may be a rewording. Read once per source by :class:`models.facts.SourceFacts`."""
    return bool(_TIME_ANCHOR.search(text))


def relative_date(text: str) -> str:
    """The first relative date ``text`` gives ("last year", "today"), else ""."""
    found = _RELATIVE_DATE.search(text)
    return found.group(0) if found else ""
