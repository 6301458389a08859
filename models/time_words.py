"""When a sentence says something happens, in words rather than dates: "yesterday", "last
week", "in the evening", "this winter", "weekly". A paraphrase keeps them.

The facts check reads calendar dates (months, years, weekdays) and the part of a period
(:mod:`models.period_parts`), but until this rule "She told reporters yesterday that the talks
had failed." -> "… today …", "The council will vote in the evening." -> "… in the afternoon.",
"Sales rose in the winter." -> "… in the spring." and "The newsletter is published weekly."
-> "… yearly." passed every check. The phrase index offers exactly these swaps (teachers wrote
"today" for "yesterday" in other sentences' contexts), so the word look-up showed them too.

Four kinds of time word, each with the values a sentence can give it:

* *relative day or period*: yesterday (and "last night"), today (and "tonight", "this
  morning"), tomorrow; last/this/next + a period ("last week", "the coming year", "the past
  month"; not "the last week of March", which is a week of March);
* *part of the day*: morning, afternoon, evening (with night, tonight, overnight), noon,
  midnight, dawn, dusk;
* *season*: spring, summer, autumn or fall, winter ("spring" and "fall" only where a
  determiner or preposition shows the season: "in the fall", "this spring", "fall 2010");
* *frequency*: hourly, daily, weekly, monthly, quarterly, yearly, written as "daily", "every
  day", "each day" or "per day" ("annual", "annually" and "per annum" are yearly).

:func:`changed_times` compares a candidate with its source kind by kind: a value the candidate
gives that the source does not, where the source gave that kind another value, is a change
("yesterday" -> "today"). A value reworded is not reported there (a paraphrase may say "last
week" as "recently": less precise, not false), and nor is one added to a kind the source left
empty (:func:`models.period_parts.invented_relative_date` covers a source with no time at all).
A relative date left out with nothing in its place is :func:`dropped_relative_date`'s.
"""

from __future__ import annotations

import re

RELATIVE, DAY_PART, SEASON, FREQUENCY = "relative date", "time of day", "season", "frequency"

_PERIOD = r"week|weekend|month|year|decade|season|quarter|century|semester|term|summer|winter|spring|autumn|fall"
_SEASON_CUE = (r"(?:in|the|this|that|last|next|past|coming|early|late|mid|of|during|since|until|till|by|every|each|"
               r"through|throughout|before|after|for)")


#: (kind, value, regular expression, as text: :func:`_by_kind` joins each kind's into one
#: case-blind pattern). Order matters only for reading; every match counts.
_TIME_WORDS: list[tuple[str, str, str]] = [
    (RELATIVE, "yesterday", r"\byesterday\b|\blast\s+night\b"),
    (RELATIVE, "today", r"\btoday\b|\btonight\b|\bthis\s+(?:morning|afternoon|evening)\b"),
    (RELATIVE, "tomorrow", r"\btomorrow\b"),
    (RELATIVE, "last", rf"\b(?:last|past|previous)\s+(?P<period>{_PERIOD})s?\b(?!\s+of\b)"),
    (RELATIVE, "this", rf"\b(?:this|current)\s+(?P<period>{_PERIOD})\b(?!\s+of\b)"),
    (RELATIVE, "next", rf"\b(?:next|coming|upcoming|following)\s+(?P<period>{_PERIOD})s?\b(?!\s+of\b)"),
    (DAY_PART, "morning", r"\bmornings?\b"),
    (DAY_PART, "afternoon", r"\bafternoons?\b"),
    (DAY_PART, "evening", r"\bevenings?\b|\bnights?\b|\btonight\b|\bovernight\b|\bnighttime\b"),
    (DAY_PART, "noon", r"\bnoon\b|\bmidday\b|\blunchtime\b|\b12(?::00)?\s*(?:p\.?m\b\.?|o'clock)"),
    (DAY_PART, "midnight", r"\bmidnight\b"),
    (DAY_PART, "dawn", r"\bdawn\b|\bdaybreak\b|\bsunrise\b"),
    (DAY_PART, "dusk", r"\bdusk\b|\bsunset\b|\bnightfall\b"),
    (SEASON, "spring", rf"\b{_SEASON_CUE}\s+spring\b|\bspring\s+(?:of|semester|term|season|\d{{4}})\b"
                       rf"|\bspringtime\b"),
    (SEASON, "summer", r"\bsummers?\b|\bsummertime\b"),
    (SEASON, "autumn", rf"\bautumns?\b|\b{_SEASON_CUE}\s+fall\b|\bfall\s+(?:of|semester|term|season|\d{{4}})\b"),
    (SEASON, "winter", r"\bwinters?\b|\bwintertime\b"),
    (FREQUENCY, "hourly", r"\bhourly\b|\b(?:every|each|per)\s+hour\b"),
    (FREQUENCY, "daily", r"\bdaily\b|\b(?:every|each|per)\s+day\b"),
    (FREQUENCY, "weekly", r"\bweekly\b|\b(?:every|each|per)\s+week\b"),
    (FREQUENCY, "monthly", r"\bmonthly\b|\b(?:every|each|per)\s+month\b"),
    (FREQUENCY, "quarterly", r"\bquarterly\b|\b(?:every|each|per)\s+quarter\b"),
    (FREQUENCY, "yearly", r"\byearly\b|\bannual(?:ly)?\b|\bper\s+annum\b|\b(?:every|each|per)\s+year\b"),
]
_SEASON_OF = {"fall": "autumn"}
#: Words one of which a text must hold (as a substring, lower-cased) before its kind's pattern
#: runs: most sentences have none of a kind's words, and a substring test costs far less than a
#: case-blind regular expression (the phrase look-up checks every alternative it offers).
_KEYWORDS = {
    RELATIVE: ("yesterday", "today", "tonight", "tomorrow", "last", "past", "previous", "this", "current", "next",
               "coming", "following"),
    DAY_PART: ("morning", "afternoon", "evening", "night", "noon", "midday", "lunchtime", "dawn", "daybreak",
               "sunrise", "dusk", "sunset", "12"),
    SEASON: ("spring", "summer", "autumn", "fall", "winter"),
    FREQUENCY: ("hourly", "daily", "weekly", "monthly", "quarterly", "yearly", "annual", "annum", "every", "each",
                "per "),
}


def _by_kind() -> dict[str, re.Pattern[str]]:
    """One pattern per kind, each value a named group (``v0``, ``v1``...): four scans of a text, not 24."""
    out: dict[str, list[str]] = {}
    for number, (kind, _, pattern) in enumerate(_TIME_WORDS):
        body = pattern.replace("(?P<period>", f"(?P<p{number}>")
        out.setdefault(kind, []).append(f"(?P<v{number}>{body})")
    return {kind: re.compile("|".join(parts), re.IGNORECASE) for kind, parts in out.items()}


_KIND_PATTERNS = _by_kind()


def time_values(text: str) -> dict[str, set[str]]:
    """The time words ``text`` gives, by kind: ``{"relative date": {"yesterday"}, "season": {"winter"}}``.

    A relative period's value names the period ("last week", "next year"); "fall" is "autumn".
    """
    lower = text.lower()
    out: dict[str, set[str]] = {}
    for kind, pattern in _KIND_PATTERNS.items():
        if not any(word in lower for word in _KEYWORDS[kind]):
            continue
        for match in pattern.finditer(text):
            number = int(match.lastgroup[1:])  # type: ignore[index]  # the value's group closes last
            value = _TIME_WORDS[number][1]
            period = match.group(f"p{number}") if f"p{number}" in pattern.groupindex else None
            if period:
                period = period.lower()
                value = f"{value} {_SEASON_OF.get(period, period)}"
            out.setdefault(kind, set()).add(value)
    return out


def changed_times(source_values: dict[str, set[str]], candidate: str) -> list[tuple[str, str, str]]:
    """(kind, what the source said, what the candidate says instead) for each kind of time word
    the candidate gives another value of: "yesterday" -> "today", "weekly" -> "yearly".

    ``source_values``: :func:`time_values` of the source (parsed once per source).
    """
    if not source_values:
        return []
    return [found for found in _new_values(source_values, candidate) if found[1]]


def new_times(source_values: dict[str, set[str]], candidate: str) -> list[tuple[str, str, str]]:
    """Like :func:`changed_times`, and also a time the source gave none of that kind for
    ("every day" -> "every morning"): what one word swapped in place may not bring in."""
    return _new_values(source_values, candidate)


def _new_values(source_values: dict[str, set[str]], candidate: str) -> list[tuple[str, str, str]]:
    out = []
    for kind, written in time_values(candidate).items():
        said = source_values.get(kind, set())
        new = {value for value in written - said if not _same_or_wider(value, said)}
        if new:
            out.append((kind, ", ".join(sorted(said)), ", ".join(sorted(new))))
    return out


#: Periods a relative "year" covers: "last summer" may become "last year" (less precise, still
#: true), not the other way. A sports "season" and a "year" stand for each other both ways
#: ("next season" for "next year": the teachers write it, and so do sports reporters).
_WITHIN_YEAR = frozenset({"spring", "summer", "autumn", "winter", "season"})


def _same_or_wider(value: str, said: set[str]) -> bool:
    """Whether the relative ``value`` ("last year") only widens or restates one the source gave
    ("last summer", "last season")."""
    direction, _, period = value.partition(" ")
    if period == "year":
        return any(f"{direction} {within}" in said for within in _WITHIN_YEAR)
    return period == "season" and f"{direction} year" in said


#: What still places a statement in time when a paraphrase rewords its relative date: "now" or
#: "currently" for "today", "recently" or "ago" for "last week", "soon" for "next month", "the
#: day before" for "yesterday", or a calendar word, a year or a clock time instead. Lenient on
#: purpose: the rule below refuses only a time left out altogether.
_STILL_TIMED = re.compile(
    r"\b(?:now|nowadays|currently|current|presently|at\s+present|present[-\s]day|recent|recently|lately|soon|"
    r"shortly|ago|earlier|later|previously|previous|prior|(?:in|the)\s+past|upcoming|these\s+days|this\s+day|"
    r"modern|contemporary|so\s+far|to\s+date|(?:day|night)\s+(?:before|after)|"
    r"(?:next|previous|following|same)\s+(?:day|night|morning|evening)|at\s+the\s+moment|morrow|"
    r"(?:1[89]|20)\d\d|\d{1,2}(?::\d\d)?\s*[ap]\.?m\b|"
    r"(?-i:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|July|"
    r"August|September|October|November|December))",
    re.IGNORECASE)


def dropped_relative_date(source_values: dict[str, set[str]], candidate: str) -> str:
    """The source's relative date ("today", "last week") when ``candidate`` leaves it out with no
    time in its place (:data:`_STILL_TIMED`), else "".

    Why: a relative date says when, like the calendar date the facts check already keeps, and
    dropping it turns news into a timeless claim. Held-out news showed "Casillas will play today
    against the Tricolor" as "Casillas will face the Tricolor" (six cards of one sentence) and
    "donald trump claimed last week that ..." as "The claim was made by Donald Trump that ..."
    (two). GPT-3.5 leaves out 248 of the 1,236 relative dates of 40,000 cased teacher pairs
    ("The sentencing ... is scheduled for today" -> "The verdict ... was given"), and MRPC's
    human pairs 190 of 495: their writers drop "yesterday" as freely as "on Monday", which the
    facts check refuses too.

    ``source_values``: :func:`time_values` of the source (parsed once per source).
    """
    said = source_values.get(RELATIVE)
    if not said or time_values(candidate).get(RELATIVE) or _STILL_TIMED.search(candidate):
        return ""
    return ", ".join(sorted(said))
