"""Protected spans: the facts a paraphrase must keep, and a check that it kept them.

A paraphrase may change wording, never facts. This module finds, in a source sentence, the
spans a candidate must keep (:func:`protected_spans`), and checks a finished candidate
against them (:func:`check_candidate`, or :class:`SourceFacts` to parse the source once and
check many candidates: ~0.3 ms a check). It is pure Python (standard library only) and
reads no file: the word list it needs is the module :mod:`models.facts_words`.

The rules err on the strict side: a false alarm costs one more sample, a changed fact
costs the writer's trust. Work per sentence: a paragraph's facts are not pooled.

Numbers (kind ``number``)
-------------------------
Every number is reduced to canonical *keys*. A source number is kept when the candidate has
a number with a common key; a candidate number is *new* when no source number shares a key
with it. Matching is by set, not by count or order ("10 to 10" needs one 10).

* Literals: ``1234``, ``4.3``, ``.5``, ``1,000`` and ``1,234.5`` (comma thousands),
  ``1.000.000`` and ``1.000,5`` (dot thousands only where unambiguous: two or more 3-digit
  groups, or a decimal comma after them; ``1.000`` alone is the decimal 1), ``1 000``
  (space, no-break or thin space before exactly three digits), ``1,2 million``, ``0,6``,
  ``1,4%`` and ``0,125`` (a decimal comma: one or two digits after it, or a leading ``0,``;
  "0,6" was read as 0 and 6, so a student's "0.six" kept both and a right "0.6" was refused).
  A comma inside a list of digits separates them ("1,2,3"). Values compare as decimals:
  ``4.30`` = ``4.3``, ``0,6`` = ``0.6``, ``007`` = ``7``,
  ``1,000`` = ``1 000`` = ``1000``.
* The sign is shown but not compared: ``-5%`` is kept by "fell 5%".
* Scale words multiply: ``4.3 million`` = ``4,300,000`` = ``$4.3m``; ``bn``/``mn``/``tn`` and
  ``k`` always scale, a bare ``m``/``b`` only after a currency sign (``5m`` may be metres);
  ``hundred`` and "millions" too.
* Units that are part of the fact: percent (``12%`` = ``12 percent`` = ``12 per cent`` =
  ``12 pct`` = ``12 percentage points``) and money by currency (``$``, ``US$``, ``USD``,
  "dollars", "bucks" are ``$``; ``€``/``EUR``/"euros"; ``£``/``GBP``/"pounds"; ``¥``/"yen"/
  "yuan" (also "yens", "yuans", as the student writes them); ``₹``/``Rs``/"rupees"; ``A$``, ``C$``, "Canadian dollars", ``HK$``... are their own;
  "cents" and ``¢`` are hundredths of ``$``, "pence" of ``£``). A number written with
  another unit, or none, is a *changed* number: ``12%`` → ``12`` and ``3 percent`` → ``$3``
  are violations. "pounds" may be weight: "30 pounds" is kept by ``£30`` or by a bare 30.
  Other units (km, °C, x, an emoji beside it) are not compared: ``5km`` is kept by "5 miles".
* A range shares its unit and scale: ``10-20%`` is 10% and 20%; ``$4 to 5 million`` is
  $4,000,000 and $5,000,000 (``-``, ``–``, "to"; "and"/"or" carry the second number's unit
  back to the first). ``12% to $4.3 million`` is no range (two units).
* Ordinals are their number (``22nd`` = 22); ``1990s``, and "the 1990's", are a decade and
  differ from 1990 ("Russell 2000's" is a possessive).
* Times: ``15:30``, ``3:30 p.m.``, ``3pm``, ``3 PM``, "8 in the morning", "3 in the
  afternoon", "noon"/"midday" (12:00), "midnight" (0:00) are clock times: ``3 p.m.`` =
  ``15:00``. ``3:30`` and "3 o'clock" without a half of the day in the source are kept by
  either; a candidate that drops the source's half of the day ("9:00 a.m." → "9:00", "15:30" →
  "3:30") changed the time. Tokenized ``9 : 00`` is a time too. A bare ``3`` is not a time, so
  "3 p.m." → "3" is a violation.
* Versions: ``v2.1.3``, ``V2.1``, and ``2.1.3`` (two dots or more, not dot thousands) compare
  as written. ``Python 3.11`` is the decimal 3.11 (so ``3.10`` = ``3.1``).
* Dates: ``2024-05-22`` gives the numbers 2024 and 22 (its month is a month, not the
  number 5), so it is kept by "May 22, 2024". In "May 22", "22nd of May", "Dec. 10",
  "March 2027" the day and year are numbers like any other: "May 22" → "May 21" is a
  missing 22 and a new 21. ``5/22/2024`` is three numbers. A weekday or month in lower case
  ("flights on wednesday", "until july seventh") is kept like a capitalised one; "may" and
  "march" only next to a day ("arriving may seventh", "the 7th of may"), verbs elsewhere.
* Spelled numbers count: "three" = ``3``, "twenty-five" = ``25``, "two hundred" = ``200``,
  "a million" = ``1000000``, "three percent" = ``3%``, "ten dollars" = ``$10``, "third" =
  ``3rd``. Fractions: "one-third" = "a third of" (1/3), "two-thirds" (2/3); "a third time"
  is the ordinal 3. "zero", "one", "first" and "second" alone are *weak*: in a candidate they keep a
  source 0, 1 or 2 but are never new ("one of the", "for the first time"); in the source they
  are not required, but a candidate may write them as digits. A "first" or "second" the source
  states after a determiner or possessive ("the first driver to win", "her second album") is
  required all the same (or "initial", "inaugural"… for "first": ``ORDINAL_SYNONYMS``). A capitalised number word
  inside a sentence or hyphen-joined to a word is part of a name ("Take-Two", "Big Three").
* Digits inside URLs, e-mails, handles, hashtags and code belong to those spans (kept
  verbatim), not to the number check. ``G7``, ``COVID-19``, ``🍕3``, ``3x`` hold numbers.
* A plural scale word without a number ("billions", "thousands of people", "dozens") is an
  order of magnitude, kept only by the same word: "invest billions" → "invest millions" is a
  changed number, and so is dropping it. A multiple of one is part of it: "tens of
  millions" is kept only by "tens of millions" (or "tens-of-millions"), not by "hundreds of
  millions" nor by "millions".
* A multiplier is a number: "doubled", "twice", "two-fold" and "two times" keep one another
  (and "double"/"triple"/"quadruple" before what they multiply: "double its workforce"), not
  "quadrupled"; "a double room", "double-check", "doubles as", "think twice" are no
  multipliers. A bound applies to it too ("more than doubled"). "twice" is also kept by a count
  ("two attempts", "on two occasions"); a verb ("doubled") only by a multiplier or "two times",
  so "Prices doubled in two years" → "Prices rose in two years" loses it.
* "and a half" is part of the number before it: "two and a half years" is 2.5 (kept by
  "2.5 years", not by "two years"), "two and a half million" 2,500,000; "a year and a half",
  "an hour and a half" (a unit of time or distance) are 1.5. "half a million" is 500,000 and
  "half a dozen" 6; "half" alone is no number. "dozen" is a scale: "a dozen" = 12, "two
  dozen" = 24 ("dozens" alone is an order of magnitude, below).
* A bound is part of the number: "more than 600", "at least 19", "above", "600 or more"
  (more) and "less than", "fewer than", "under", "below", "up to", "at most", "600 or less"
  (less). A kept number must keep its bound's direction in any of those words, and may not
  gain one: "more than 600" → "600" or "fewer than 600" is a changed number. "over" may be
  a bound or a span of time ("rose 10% over 5 years"), so it matches either. Approximations
  ("about", "nearly") are not compared.
* A number written as one character that is no decimal digit counts too: vulgar fractions
  (``⅔`` = "two-thirds"), super- and subscripts (``H₂O`` = ``H2O``, ``m²``), circled numbers
  and Roman numeral signs (``③`` = ``3``).
* Each number span also has ``forms``: its digits as written and with or without thousands
  separators ("36,350,000", "36350000"), for a decoder that writes only source numbers.

Dates (kind ``date``)
---------------------
A date written with a month name ("May 22", "22 May 2024", "Dec. 10", "March 2027", or a
capitalised month alone: "in March"), or ISO ``2024-05-22``. Its day and year are numbers
(above); the candidate must also name the same month, in any form ("Dec." = "December", an
ISO date). "May" opening a sentence without a number after it, or after a name ("Theresa
May"), is not a month. Months are dates, not names. The part of a period a date names ("the
end of March", "early 2027", "the mid-1990s") is kept too, and a relative date ("last year",
"today") is new where the source places nothing in time: :mod:`models.period_parts`. A time
said in words keeps its value: "yesterday" does not become "today", "in the evening" "in the
afternoon", "winter" "spring" or "weekly" "yearly" (:mod:`models.time_words`). A person's
office is kept the same way: "chairman" does not become "president", nor "CEO" "founder"
(:mod:`models.titles`; "head" or "leader" may stand for any). A number keeps its unit of
measure: "5 miles" is not "5 kilometres", nor "3 hours" "3 days" (:mod:`models.units`), and an
amount or frequency said in words keeps its strength: "all" does not become "most", "some"
"many" or "rarely" "often" (:mod:`models.quantifiers`).

Names (kind ``name``)
---------------------
* Inside a sentence, a capitalised word (Unicode upper-case first letter, or of any
  hyphen/apostrophe part: ``al-Assad``, ``O'Brien``) is a name; so is an acronym (``NASA``,
  ``U.S.``; ``AT&T`` gives AT and T). Never: "I" and its contractions, "OK", and
  closed-class words ("The", "However", "This") on their own. Weekdays are names.
* At a sentence start (the text's start, after ``.!?:``, a line break, a bullet or an
  opening quote; not after an abbreviation such as "Dr." or "U.S.") a capitalised word is a
  name unless it is a common lower-case English word (:mod:`models.facts_words`: seen mostly
  in lower case mid-sentence in ~2.6M words of English, or derived from such a word by
  -ly/-ness/-ment/-ed/-ing/-ity), unless the same word is capitalised elsewhere in the text.
  So "Apple rose 3%." protects Apple, "Yesterday we left." nothing, and "Will Smith acted."
  only Smith (a known gap). A common word often capitalised in names ("New", "General",
  "South") joins a name that follows it: "New York", but "New rules" is nothing.
* A title before a name joins it: Dr., Mr., Mrs., Ms., Prof., St., Sen., Rep., Gov., Gen.,
  Lt., Col., Capt., Sgt., Rev., Sir, Lord... Adjacent name words form one name, also across
  "of", "de", "van", "von", "bin", "la", "&"... ("Bank of America"); a possessive ends a name.
* Headlines (almost every word capitalised, no lower-case word but function words) and
  shouting (mostly upper case) are read with the sentence-start rule for every word.
* Kept when every required word of the name is a word of the candidate: case-sensitive
  (``US`` is not "us", "Apple" not "apple"), in any order ("New York City" needs New,
  York and City), possessives stripped ("Chen's" keeps Chen), dots ignored (``U.S.`` = US),
  a title in short or long form (Dr. = Dr = Doctor, St. = Saint, Sen. = Senator). A title of
  rank or profession is required: "Dr. Chen" → "Chen" or "Mr. Chen" is a violation; a
  courtesy title is not ("Mr. Feith" → "Douglas Feith"). Accents may go (Jiménez =
  Jimenez), and a final s may come or go (Albertson's = Albertsons). Not required: connectors,
  company forms when other words remain ("Yahoo Inc." → "Yahoo"), the lower-case parts of a
  hyphenated word ("non-BBQ" needs BBQ). Also kept: an alias (U.S. = US = United States =
  America(n); U.K. = Britain = British; U.N.; E.U.), an acronym spelled out or the other way
  round (GBI = Georgia Bureau of Investigation, LA = Los Angeles), and a place for its people
  or the other way round (Iraq = Iraqi, Italy = Italian, Germany = German, Paris =
  Parisian, Sweden = Swedish, Poland = Polish; not Spain/Spanish, France/French).
* **A name the source does not have is a violation** (kind ``new_name``, "new name Los
  Angeles"): the candidate's names are found by the rules above, and one is new when none of
  its words (titles aside) is kept by the source as above, nor is, in any case, a source
  word or the start of one or the other way round ("Congress" for "congressional", "War"
  for "war", "American" for "America" pass), nor names the people of a source place or the
  other way round ("Swiss" for "Switzerland", "Spanish" for "Spain"). Read by eye in held-out output: "a US gymnast
  from South Korea", "Deputy Chief John Kagan", "tasked by the Global Fund", "the
  Communist bloc". A misspelt source name ("Damianović" for "Damjanovic") is new too. So is
  a name the candidate kept in part but gave a word that is in no form in the source and is no
  common English word, company form or alias: "Tenzin Yagyu" for "Tenzin Gyatso", "World WShrSt
  Entertainment", "Rick Perry" for "Perry" (a first name or title the writer never gave);
  "Kent State University" for "Kent State" passes.
* **A name numbered by the number right after it stays numbered** (kind ``numbered_name``):
  in "Apollo 11", "P.S. 36", "Windows 10" or "Star Fox 64" (a name, one space, a whole
  number with no unit, not a year) the number is part of the name, so the candidate must
  write the name with that number right after it (a possessive, "No." or "#" between them
  may come or go): "P.S. 36's budget" → "P.S., 36, the budget" keeps both the name and the
  number, and is still a violation (held-out news). Weekdays and months are dates.

Verbatim spans
--------------
* ``quote``: text between ``"…"``, ``“…”``, ``„…“``, ``«…»``, ``'…'`` and ``‘…’`` where the
  marks are quotation marks: an opening mark not inside a word, a closing mark not before a
  letter ("don't", "O'Brien", "the boss's car", "the players' union", "the '90s" are no
  quotes), on one line, at most 300 characters. Kept when the quote's words appear in the
  candidate in order and adjacent, case-sensitive except the first letter; punctuation and
  hyphens between them may differ ("media rich" = "media-rich"). A quote of (nearly) the
  whole text is not protected: the writer quoted the sentence itself.
* ``url`` (``https://…``, ``www.…``), ``email``, ``handle`` (``@name``), ``hashtag``
  (``#word``; ``#1`` is a number), ``code``: text in backticks, ``snake_case``,
  ``camelCase``/``iPhone``, dotted names and calls (``foo.bar()``, ``file.txt``,
  ``os.path``; not "e.g.", "a.m.", "U.S."), paths (``/usr/bin``). Kept when the candidate
  contains the exact text as a whole ("@bob" is not kept by "@bobby").
* ``keep``: the phrases the writer froze. Kept when the candidate contains the phrase
  exactly, case-sensitive and as whole words (runs of whitespace compare equal). A phrase
  that is not in the source is not protected there (per sentence, it may be in another
  one); :func:`missing_keeps` lists empty or absent phrases so a caller can refuse them.

Violations
----------
:func:`check_candidate` returns one :class:`Violation` per broken rule, with a kind (a span
kind, or ``missing_number`` / ``changed_number`` / ``new_number`` / ``new_name``) and a short
reason for the app: "number $4.3 million missing", "new number 30", "number 12% changed to 12",
"new name Los Angeles",
"date March 2027: month March missing", "name Dr. Chen missing (Dr)",
"quote “the witness” missing", "kept phrase “Q3 plan” missing".
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from .facts_words import COMMON_WORDS, NAME_PART_WORDS
from .number_roles import changed_readings, number_readings
from .period_parts import MONTH_ABBREVIATIONS, MONTH_NAMES, changed_parts, period_parts, places_in_time, relative_date
from .quantifiers import amounts, changed_amounts, made_none, made_the_top, top_groups
from .time_words import changed_times, dropped_relative_date, time_values
from .titles import changed_titles, made_current, title_offices
from .units import changed_units, unit_after

log = logging.getLogger(__name__)

__all__ = [
    "CHANGED_NUMBER", "CODE", "DATE", "EMAIL", "HANDLE", "HASHTAG", "KEEP", "MISSING_NUMBER", "NAME",
    "NEW_NAME", "NEW_NUMBER", "NUMBER", "NUMBERED_NAME", "QUOTE", "URL", "SourceFacts", "Span", "Violation",
    "check_candidate", "extract_numbers", "missing_keeps", "protected_spans", "stems",
]

NUMBER = "number"
DATE = "date"
NAME = "name"
QUOTE = "quote"
URL = "url"
EMAIL = "email"
HANDLE = "handle"
HASHTAG = "hashtag"
CODE = "code"
KEEP = "keep"

#: Violation kinds (besides the span kinds above, which mean "missing").
MISSING_NUMBER = "missing_number"
CHANGED_NUMBER = "changed_number"
NEW_NUMBER = "new_number"
NEW_NAME = "new_name"
NUMBERED_NAME = "numbered_name"


@dataclass(frozen=True)
class Span:
    """One protected span of a source text.

    ``value`` is canonical: for numbers a unit-prefixed decimal (``$4300000``, ``%12``,
    ``15:00``, ``1990s``, ``v2.1.3``, ``22``), for dates ``YYYY-MM-DD`` with ``?`` for unknown
    parts, for names the required words joined by spaces. ``keys`` are what a candidate is
    matched on (numbers: every canonical form that keeps it; names: the required words;
    dates: the month). ``weak`` numbers ("one", "first") are not required.
    """

    kind: str
    text: str
    start: int
    end: int
    value: str | None = None
    keys: frozenset[str] = frozenset()
    weak: bool = False
    #: A weak ordinal the source states as a fact ("the first driver to win", "her first
    #: television interview", "the second half"): required of a candidate like any number (also
    #: kept by "initial", "inaugural"... for "first"), but still never new in a candidate.
    claim: bool = False
    #: Numbers only: the digits as written and the equivalent spellings of them (for a
    #: decoder that must write a source number digit by digit), e.g. ("36,350,000", "36350000").
    forms: tuple[str, ...] = ()
    #: Numbers only: the value without its unit (to tell a changed unit from a new number).
    bare: str = ""
    #: Numbers only: "more" or "less" when a bound is written with it ("more than 600",
    #: "at least 19", "600 or more"; "under 5%", "up to 10"), "either" after "over" (a
    #: bound or a span of time), "near" after "nearly"/"almost", "approx" after "about", else "".
    bound: str = ""


@dataclass(frozen=True)
class Violation:
    """A fact a candidate lost or invented; ``reason`` is short and meant for the writer."""

    kind: str
    text: str
    reason: str

    def __str__(self) -> str:
        return self.reason


# --------------------------------------------------------------------------- shared helpers

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})
_MASK = "\x00"


def _mask(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """Replace the given ranges by NUL characters, keeping every offset."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = _MASK * (end - start)
    return "".join(chars)


def _free(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    return all(end <= s or start >= e for s, e in taken)


def _dec(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except (InvalidOperation, ValueError):
        return None


def _fmt(value: Decimal) -> str:
    """Canonical decimal text: no exponent, no trailing zeros (4.30 -> 4.3, 4.3E6 -> 4300000)."""
    value = value.normalize()
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


# --------------------------------------------------------------------------- verbatim spans

_URL_RE = re.compile(r"(?:\b(?:https?|ftp)://|\bwww\.)[^\s<>\"'“”‘’]+", re.I)
_EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_HANDLE_RE = re.compile(r"(?<![\w@./])@[A-Za-z0-9_]{1,30}(?![\w@])")
_HASHTAG_RE = re.compile(r"(?<![\w&#/])#\d*[^\W\d_]\w*")
_BACKTICK_RE = re.compile(r"`([^`\n]+)`")
_SNAKE_RE = re.compile(r"(?<![\w.])[A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+(?![\w])")
_CAMEL_RE = re.compile(r"(?<![\w.])[a-z]+[A-Z][A-Za-z0-9]*(?:\(\))?(?![\w])")
_DOTTED_RE = re.compile(r"(?<![\w.@])[A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)+(?:\([^()\s]*\))?(?![\w@])")
_CALL_RE = re.compile(r"(?<![\w.])[A-Za-z_]\w*\([^()\s]*\)")
_PATH_RE = re.compile(r"(?<![\w/])(?:~|\.{1,2})?/[\w.\-]+(?:/[\w.\-]+)+/?")
_TRAILING_PUNCT = ".,;:!?)]}'\"”’"

#: Dotted words that are abbreviations, not code.
_DOTTED_ABBREVIATIONS = {
    "e.g", "i.e", "a.m", "p.m", "etc", "vs", "al", "approx", "no", "ph.d", "st", "jr", "sr",
    "mr", "mrs", "ms", "dr", "prof", "inc", "ltd", "co", "corp", "u.s", "u.k", "u.n", "e.u",
}


def _strip_trailing(text: str, start: int, end: int) -> tuple[int, int]:
    while end > start and text[end - 1] in _TRAILING_PUNCT:
        if text[end - 1] == ")" and text[start:end].count("(") >= text[start:end].count(")"):
            break
        end -= 1
    return start, end


def _is_code_dotted(token: str) -> bool:
    core = token.split("(")[0]
    parts = core.split(".")
    if core.lower() in _DOTTED_ABBREVIATIONS or all(len(p) <= 1 for p in parts):
        return False
    # "Inc.The": a capitalised word on both sides of one dot is prose with a space missing.
    return not (len(parts) == 2 and parts[0][:1].isupper() and parts[1][:1].isupper() and "(" not in token)


def _verbatim_spans(text: str) -> list[Span]:
    """URLs, e-mails, handles, hashtags and code tokens, earliest and longest first."""
    found: list[Span] = []
    taken: list[tuple[int, int]] = []

    def add(kind: str, start: int, end: int, shown: str | None = None) -> None:
        if end > start and _free(taken, start, end):
            taken.append((start, end))
            value = shown if shown is not None else text[start:end]
            found.append(Span(kind, value, start, end, value=value))

    for m in _BACKTICK_RE.finditer(text):
        if m.group(1).strip():  # "` `" holds no code (and no candidate could keep it)
            add(CODE, m.start(), m.end(), m.group(1))
    for m in _URL_RE.finditer(text):
        add(URL, *_strip_trailing(text, m.start(), m.end()))
    for m in _EMAIL_RE.finditer(text):
        add(EMAIL, *_strip_trailing(text, m.start(), m.end()))
    for m in _HANDLE_RE.finditer(text):
        add(HANDLE, m.start(), m.end())
    for m in _HASHTAG_RE.finditer(text):
        add(HASHTAG, m.start(), m.end())
    for m in _PATH_RE.finditer(text):
        add(CODE, *_strip_trailing(text, m.start(), m.end()))
    for m in _SNAKE_RE.finditer(text):
        add(CODE, m.start(), m.end())
    for m in _DOTTED_RE.finditer(text):
        start, end = _strip_trailing(text, m.start(), m.end())
        if "." in text[start:end] and _is_code_dotted(text[start:end]):
            add(CODE, start, end)
    for m in _CALL_RE.finditer(text):
        add(CODE, m.start(), m.end())
    for m in _CAMEL_RE.finditer(text):
        add(CODE, m.start(), m.end())
    return found


# --------------------------------------------------------------------------- quotes

_QUOTE_PAIRS = (("\"", "\""), ("“", "”"), ("„", "“"), ("«", "»"), ("‘", "’"), ("'", "'"))


def _quote_spans(text: str) -> list[Span]:
    """Quoted passages whose marks are quotation marks, not apostrophes."""
    found: list[Span] = []
    taken: list[tuple[int, int]] = []
    words = len(re.findall(r"\w+", text))
    for opener, closer in _QUOTE_PAIRS:
        single = opener in "'‘"
        pos = 0
        while True:
            start = text.find(opener, pos)
            if start < 0:
                break
            pos = start + 1
            before = text[start - 1] if start else " "
            if single and (before.isalnum() or before in "'’"):
                continue  # an apostrophe inside a word: "don't", "O'Brien"
            if start + 1 >= len(text) or text[start + 1].isspace():
                continue
            end = _find_closer(text, start + 1, closer, single)
            if end is None or not _free(taken, start, end + 1):
                continue
            inner = text[start + 1:end]
            if len(inner.strip()) < 2 or not re.search(r"[^\W\d_]", inner):
                continue
            if words and len(re.findall(r"\w+", inner)) >= 0.8 * words:
                continue  # the writer quoted the whole sentence: paraphrase it
            taken.append((start, end + 1))
            shown = _normalise_quote(inner)
            found.append(Span(QUOTE, shown, start, end + 1, value=shown))
            pos = end + 1
    return found


def _find_closer(text: str, begin: int, closer: str, single: bool) -> int | None:
    limit = min(len(text), begin + 300)
    i = begin
    while i < limit:
        j = text.find(closer, i, limit)
        if j < 0 or text[j - 1] == "\n":
            return None
        if "\n" in text[begin:j]:
            return None
        after = text[j + 1] if j + 1 < len(text) else " "
        if text[j - 1].isspace() or (single and (after.isalnum())):
            i = j + 1
            continue  # "the boss's car": an apostrophe, keep looking
        return j
    return None


def _normalise_quote(text: str) -> str:
    text = " ".join(text.translate(_APOSTROPHES).split())
    return text.rstrip(",.;:!?").strip()


_QUOTE_WORD_RE = re.compile(r"[^\W_]+(?:'[^\W_]+)*")


def _quote_kept(quote: str, candidate: str) -> bool:
    """The quote's words, in order and adjacent, are in the candidate.

    Punctuation and hyphens inside the quote may differ ("media rich" = "media-rich",
    "--" = "-"), and so may the case of its first letter (a quote that opens a sentence
    in one text may continue one in the other); every other letter is compared exactly.
    """
    words = _QUOTE_WORD_RE.findall(quote.translate(_APOSTROPHES))
    if not words:
        return True
    cand = _QUOTE_WORD_RE.findall(candidate.translate(_APOSTROPHES))
    first, rest = words[0], words[1:]
    n = len(words)
    for i in range(len(cand) - n + 1):
        head = cand[i]
        if (head == first or (head[1:] == first[1:] and head[:1].lower() == first[:1].lower())) \
                and cand[i + 1:i + n] == rest:
            return True
    return False


# --------------------------------------------------------------------------- numbers

_LITERAL_RE = re.compile(r"""
    (?<![\d])(?<!\d\.)
    (?:
        (?P<comma>(?!0,)\d{1,3}(?:,\d{3})+(?:\.\d+)?)(?![\d])
      | (?P<dots>\d{1,3}(?:\.\d{3})+,\d+|\d{1,3}(?:\.\d{3}){2,})(?![\d.])
      | (?P<ver>\d+(?:\.\d+){2,})(?![\d])
      | (?P<euro>(?<!\d,)(?:\d{1,3},\d{1,2}|0,\d+)(?![\d])(?!,\d))
      | (?P<space>\d{1,3}(?:[\u00a0\u202f\u2009 ]\d{3})+)(?![\d])(?!\.\d)
      | (?P<plain>\d+(?:\.\d+)?|(?<![\w.])\.\d+)(?![\d])
    )""", re.X)
_AMPM = (r"\s?(?:[ap]\.m\.?|[ap]m\b|[AP]\.M\.?|[AP]M\b)|\s(?:in\sthe\s(?:morning|afternoon|evening)|at\snight"
         r"|o['’]clock|noon|midnight)\b")
_TIME_RE = re.compile(rf"""
    (?<![\d.:,])
    (?:
        (?P<h>\d{{1,2}})\s?:\s?(?P<m>\d{{2}})(?::\d{{2}})?(?P<ampm1>{_AMPM})?
      | (?P<h2>\d{{1,2}})(?P<ampm2>{_AMPM})
      | (?P<word>\b(?:noon|midday|midnight)\b)
    )(?![\d:])""", re.X | re.I)
_ISO_DATE_RE = re.compile(r"(?<![\d-])(\d{4})-(\d{1,2})-(\d{1,2})(?![\d-])")
_CURRENCY_RE = re.compile(
    r"(?:(?<![A-Za-z])(?P<pre>US|USD|AU|A|C|CA|NZ|HK|S|NT|R|Z)?\$|(?P<sym>[€£¥₹₩₽₺₪])"
    r"|(?P<code>USD|EUR|GBP|JPY|CHF|CNY|INR|AUD|CAD|Rs\.?)\s?)\s?$")
_SIGN_RE = re.compile(r"(?:^|(?<=[\s(\[]))[-+\u2212]$")
_ORDINAL_RE = re.compile(r"(?:st|nd|rd|th)(?![^\W\d_])")
_DEGREE_RE = re.compile(r"\s?°\s?[CFK]?(?![^\W\d_])")
_DECADE_RE = re.compile(r"['’]?s(?![^\W\d_])")
#: "the 1990's" is a decade, "Russell 2000's" a possessive.
_DECADE_BEFORE_RE = re.compile(r"\b(?:the|early|late|mid|mid-)\s*$", re.I)
_PERCENT_RE = re.compile(r"\s?%|\s(?:percent|per\s?cent|pct|percentage\s+points?)\b", re.I)
_SCALE_WORD_RE = re.compile(r"[\s-](hundred|thousand|million|billion|trillion)s?\b", re.I)
_SCALE_GLUE_RE = re.compile(r"\s?(bn|tn|mn|trn|mln|bln)(?![^\W\d_])|(k|K)(?![^\W\d_])|(m|M|b|B)(?![^\W\d_])")
_MONEY_WORD_RE = re.compile(
    r"\s(?:(?P<country>US|U\.S\.|American|Canadian|Australian|New\s+Zealand|Hong\s+Kong|Singapore|Swiss"
    r"|Japanese|Chinese|Indian|Mexican)\s)?(?P<word>dollars?|cents?|euros?|pounds?(?:\s+sterling)?|pence|yens?"
    r"|yuans?|rupees?|pesos?|francs?|bucks)\b", re.I)
#: Dollars of other countries are other currencies: "Canadian cents" are hundredths of C$.
_COUNTRY_DOLLARS = {"canadian": "C$", "australian": "A$", "new zealand": "NZ$", "hong kong": "HK$",
                    "singapore": "S$"}
_NO_RANGE = ("t", "s", "v", "f", "c", "mag", "x")
_TIGHT_RANGE_RE = re.compile(r"^\s*(?:-|–|—|to)\s*$", re.I)
_NEXT_WORD_RE = re.compile(r"\s+([^\W\d_]+)")
#: A bound written before a number ("more than 600") or after it ("600 or more").
_BOUND_BEFORE_RE = {
    "more": re.compile(r"(?<![\w-])(?:more\s+than|above|at\s+least|in\s+excess\s+of|upwards\s+of|no\s+fewer\s+than|"
                       r"no\s+less\s+than|a\s+minimum\s+of|greater\s+than|exceeding)\s+$", re.I),
    "less": re.compile(r"(?<![\w-])(?:less\s+than|fewer\s+than|under|below|at\s+most|up\s+to|no\s+more\s+than|"
                       r"a\s+maximum\s+of|lower\s+than)\s+$", re.I),
}
#: A number just short of the value: its own kind of bound, kept by "about" or "less than" too.
_NEAR_BEFORE_RE = re.compile(r"(?<![\w-])(?:nearly|almost|close\s+to|just\s+under|just\s+shy\s+of|approaching|nearing|"
                             r"not\s+quite)\s+$", re.I)
#: An approximate number: as good as the exact one both ways, and as good as a "nearly".
_APPROX_BEFORE_RE = re.compile(r"(?<![\w-])(?:about|around|approximately|roughly|some|an\s+estimated|estimated|"
                               r"circa|approx\.?)\s+$", re.I)
_BOUND_AFTER_RE = {
    "more": re.compile(r"^\s+or\s+(?:more|above|over|higher|greater)\b", re.I),
    "less": re.compile(r"^\s+or\s+(?:less|fewer|below|under|lower)\b", re.I),
}
#: Words that may follow the end of a range without being its measure ("$4 to 5 a share").
_RANGE_FOLLOWERS = frozenset("a an per each apiece and or but on in at by for from to of the this that "
                             "last next since after before until over under during with".split())
_RANGE_GAP_RE = re.compile(r"^\s*(?:-|–|—|to|and|or)\s*(?:[$€£¥₹]|US\$)?\s*$", re.I)

_SCALES = {"hundred": 100, "thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12,
           "k": 10**3, "m": 10**6, "mn": 10**6, "mln": 10**6, "b": 10**9, "bn": 10**9, "bln": 10**9,
           "tn": 10**12, "trn": 10**12}
_MONEY_WORDS = {"dollar": ("$", 1), "cent": ("$", Decimal("0.01")), "euro": ("€", 1),
                "pound": ("£", 1), "pence": ("£", Decimal("0.01")), "yen": ("¥", 1), "yuan": ("¥", 1),
                "rupee": ("₹", 1), "peso": ("peso", 1), "franc": ("CHF", 1), "buck": ("$", 1)}
_MONEY_CODES = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "CNY": "¥", "INR": "₹", "RS": "₹",
                "RS.": "₹", "CHF": "CHF", "AUD": "A$", "CAD": "C$"}
_MONEY_SYMBOLS = {"€": "€", "£": "£", "¥": "¥", "₹": "₹", "₩": "₩", "₽": "₽", "₺": "₺", "₪": "₪"}

_UNIT_WORDS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
               "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
               "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
               "eighteen": 18, "nineteen": 19}
_TENS_WORDS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
               "eighty": 80, "ninety": 90}
_ORDINAL_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
                  "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11,
                  "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15,
                  "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
                  "twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50,
                  "sixtieth": 60, "seventieth": 70, "eightieth": 80, "ninetieth": 90,
                  "hundredth": 100}
_WORD_SCALES = {"hundred": 100, "thousand": 10**3, "million": 10**6, "billion": 10**9,
                "trillion": 10**12, "dozen": 12}
_WEAK_WORDS = {"zero", "one", "first", "second"}
_ALPHA_RUN_RE = re.compile(r"[A-Za-z]+")


@dataclass
class _Num:
    """A number being parsed: its span, value and unit."""

    start: int
    end: int
    value: Decimal | None
    unit: str = ""          # "", "%", a currency family, "t" (time), "s" (decade), "v" (version)
    scaled: bool = False
    literal: str = ""
    time_keys: tuple[str, ...] = ()
    version: str = ""
    weak: bool = False
    claim: bool = False     # a weak ordinal stated as a fact: see Span.claim
    fraction: str = ""      # "1/3" for "a third", "2/3" for "two-thirds"
    also_plain: bool = False  # "30 pounds": money or weight, so the bare value matches too


def _currency_before(text: str, start: int) -> tuple[str, int]:
    """The currency family written just before ``start`` and where it begins."""
    window = text[max(0, start - 6):start]
    m = _CURRENCY_RE.search(window)
    if not m:
        return "", start
    begin = start - (len(window) - m.start())
    if m.group("sym"):
        return _MONEY_SYMBOLS.get(m.group("sym"), m.group("sym")), begin
    if m.group("code"):
        return _MONEY_CODES.get(m.group("code").upper().strip(), m.group("code")), begin
    pre = (m.group("pre") or "").upper()
    if pre in ("", "US", "USD"):
        return "$", begin
    return {"AU": "A$", "CA": "C$"}.get(pre, pre + "$"), begin


def _literal_value(m: re.Match[str]) -> tuple[Decimal | None, str, str]:
    """(value, literal as written, version string if it is a version)."""
    lit = m.group(0)
    if m.group("comma"):
        return _dec(lit.replace(",", "")), lit, ""
    if m.group("dots"):
        whole, _, frac = lit.partition(",")
        return _dec(whole.replace(".", "") + ("." + frac if frac else "")), lit, ""
    if m.group("ver"):
        return None, lit, lit
    if m.group("euro"):
        return _dec(lit.replace(",", ".")), lit, ""
    if m.group("space"):
        return _dec(re.sub(r"\s", "", lit)), lit, ""
    return _dec(lit if not lit.startswith(".") else "0" + lit), lit, ""


def _parse_suffix(text: str, num: _Num, currency: str) -> None:
    """Extend ``num`` over an ordinal/decade ending, a scale, percent or money word after it."""
    pos = num.end
    tail = text[pos:pos + 40]
    if num.version:
        return
    if m := _ORDINAL_RE.match(tail) or _DEGREE_RE.match(tail):
        num.end = pos + m.end()
        return
    if num.value is not None and len(num.literal) == 4 and num.literal.endswith("0") and (
            m := _DECADE_RE.match(tail)) and (
            m.group(0) == "s" or _DECADE_BEFORE_RE.search(text[:num.start])):
        num.end = pos + m.end()
        num.unit = "s"
        return
    scale = 1
    if m := _SCALE_WORD_RE.match(tail):
        scale = _SCALES[m.group(1).lower()]
        pos += m.end()
    elif m := _SCALE_GLUE_RE.match(tail):
        word = (m.group(1) or m.group(2) or m.group(3) or "").lower()
        if m.group(3) and not currency:
            word = ""
        if word:
            scale = _SCALES[word]
            pos += m.end()
    if scale != 1 and num.value is not None:
        num.value *= scale
        num.scaled = True
    tail = text[pos:pos + 40]
    if not currency and (m := _PERCENT_RE.match(tail)):
        num.unit = "%"
        pos += m.end()
    elif m := _MONEY_WORD_RE.match(tail):
        word = m.group("word").lower().split()[0]
        word = word if word == "pence" else word.rstrip("s")
        family, factor = _MONEY_WORDS.get(word, ("$", 1))
        country = " ".join((m.group("country") or "").lower().split())
        if family == "$" and country in _COUNTRY_DOLLARS:
            family = _COUNTRY_DOLLARS[country]
        num.also_plain = word == "pound" and not m.group("word").lower().endswith("sterling")
        if not currency and num.value is not None:
            num.unit = family
            num.value *= Decimal(factor)
            pos += m.end()
        elif currency:
            pos += m.end()
    elif tail.startswith("¢") and not currency and num.value is not None:
        num.unit, num.value = "$", num.value * Decimal("0.01")
        pos += 1
    if currency and not num.unit:
        num.unit = currency
    num.end = pos


def _am_pm(suffix: str) -> str:
    """"am", "pm" or "" (o'clock, or nothing: either half of the day) for a time's suffix."""
    suffix = suffix.strip().lower().replace(".", "")
    if suffix in ("am", "in the morning", "midnight"):
        return "am"
    if suffix in ("pm", "in the afternoon", "in the evening", "at night", "noon"):
        return "pm"
    return ""


def _time_numbers(text: str) -> list[_Num]:
    out = []
    for m in _TIME_RE.finditer(text):
        if m.group("word"):
            hour = 0 if m.group("word").lower() == "midnight" else 12
            out.append(_Num(m.start(), m.end(), None, unit="t", literal=m.group(0),
                            time_keys=(f"{hour}:00",)))
            continue
        hour = int(m.group("h") or m.group("h2"))
        minute = int(m.group("m") or 0)
        ampm = _am_pm(m.group("ampm1") or m.group("ampm2") or "")
        if hour > 24 or minute > 59 or (ampm and not 1 <= hour <= 12):
            continue
        if ampm == "pm" and hour != 12:
            hour += 12
        elif ampm == "am" and hour == 12:
            hour = 0
        keys = (f"{hour}:{minute:02d}",)
        if not ampm and 1 <= hour <= 12:
            keys = (f"{hour}:{minute:02d}", f"{(hour % 12) + 12 if hour != 12 else 0}:{minute:02d}")
        out.append(_Num(m.start(), m.end(), None, unit="t", literal=m.group(0), time_keys=keys))
    return out


def _digit_numbers(text: str) -> list[_Num]:
    out = []
    for m in _LITERAL_RE.finditer(text):
        value, literal, version = _literal_value(m)
        start, end = m.start(), m.end()
        if start and text[start - 1] in "vV" and (start < 2 or not text[start - 2].isalnum()):
            version, start = literal, start - 1  # v2.1 is a version however many dots
        if version:
            out.append(_Num(start, end, None, unit="v", literal=literal, version=version))
            continue
        currency, cur_start = _currency_before(text, start)
        num = _Num(cur_start, end, value, literal=literal)
        _parse_suffix(text, num, currency)
        if sign := _SIGN_RE.search(text[max(0, num.start - 2):num.start]):
            num.start -= len(sign.group(0))
        out.append(num)
    return out


#: Words before "first"/"second" that make it an ordinal of the noun after it ("the first dean").
_CLAIM_BEFORE = frozenset({"the", "its", "his", "her", "their", "our", "my", "your", "this", "that"})
#: Words after it that do not: idioms and "the first to admit", "in the first place", "first-hand".
_CLAIM_NOT_BEFORE = frozenset({"of", "and", "or", "to", "time", "times", "place", "hand", "thing", "things", "one",
                               "ones", "person", "sight", "glance"})
#: What keeps a stated "first" besides the number itself.
ORDINAL_SYNONYMS = {"first": ("initial", "inaugural", "maiden", "earliest", "debut", "premiere", "opening", "original"),
                    "second": ("latter", "secondary", "subsequent")}
_ORDINAL_SYNONYM_RE = {word: re.compile(r"\b(?:" + "|".join(words) + r")\b", re.IGNORECASE)
                       for word, words in ORDINAL_SYNONYMS.items()}


def _ordinal_claim(text: str, start: int, end: int, word: str) -> bool:
    """Whether a weak "first"/"second" at ``text[start:end]`` is an ordinal the sentence states:
    a determiner or possessive before it and a lower-case word after it that is not an idiom's.

    Why: "The first driver to win multiple Championships was Alberto Ascari" → "Alberto Ascari
    won multiple Championships", "In her first television interview" → "The most recent
    television interview" and "holding the first democratic elections" → "holding new
    elections" were shown by student v2 (ASSET, held-out news). The rule refuses 12 of the 4,756
    distinct candidates shown in sessions 25-27's runs, each of which lost the ordinal, and 23 of
    the 13,321 filtered GPT-3.5 pairs student v2 trained on, mostly a clause the teacher dropped
    ("than the first installment") or a changed claim ("the first member" → "the leading
    individual"); "their first look at Pluto's surface" → "The surface of Pluto was unveiled" is
    a faithful one it refuses.
    """
    if word not in ORDINAL_SYNONYMS:
        return False
    before = re.search(r"([A-Za-z]+)\s+$", text[max(0, start - 20):start])
    after = re.match(r"\s+([a-z][a-z-]*)", text[end:end + 30])
    return bool(before and after and before.group(1).lower() in _CLAIM_BEFORE
                and after.group(1) not in _CLAIM_NOT_BEFORE)


def _word_numbers(text: str) -> list[_Num]:
    """Spelled-out numbers: runs of number words ("twenty-five", "a million", "third", "two-thirds").

    A capitalised number word inside a sentence, or one hyphen-joined to a word before it,
    belongs to a name ("Take-Two", "the Big Three"), not to the number check.
    """
    out: list[_Num] = []
    tokens = [(m.start(), m.end(), m.group(0)) for m in _ALPHA_RUN_RE.finditer(text)]
    lowered = [(a, b, w.lower()) for a, b, w in tokens]
    i = 0
    while i < len(tokens):
        run = _number_run(text, lowered, i)
        if not run:
            i += 1
            continue
        j, words = run
        start, end = tokens[i][0], tokens[j - 1][1]
        first = tokens[i][2]
        glued = start >= 2 and text[start - 1] == "-" and text[start - 2].isalpha()
        named = first[0].isupper() and first.lower() not in ("a", "an") and not _at_sentence_start(text, start)
        if glued or named:
            i = j
            continue
        # "a third of", "one-third", "two-thirds" are fractions; "a third time" is an ordinal.
        fraction_ok = (words[-1].endswith("s") or "-" in text[start:end]
                       or re.match(r"\s+of\b", text[end:end + 4]) is not None)
        value, fraction = _words_value(words, fraction_ok)
        num = _Num(start, end, value, literal=text[start:end], fraction=fraction)
        if fraction:
            num.unit = "f"
        num.weak = len(words) == 1 and words[0] in _WEAK_WORDS
        num.claim = num.weak and _ordinal_claim(text, start, end, words[0])
        before = num.end
        if not fraction:
            _parse_suffix(text, num, "")
        if num.end != before:
            num.weak = False
        out.append(num)
        i = j
    return out


def _ordinal(word: str) -> int | None:
    """The number of an ordinal word, also plural as in fractions ("thirds")."""
    if word in _ORDINAL_WORDS:
        return _ORDINAL_WORDS[word]
    if word.endswith("s") and word[:-1] in _ORDINAL_WORDS and word[:-1] not in ("first", "second"):
        return _ORDINAL_WORDS[word[:-1]]
    return None


def _number_word(word: str) -> bool:
    return word in _UNIT_WORDS or word in _TENS_WORDS or word in _WORD_SCALES or _ordinal(word) is not None


#: "quarter(s)" counts as a denominator only after a number ("three-quarters", "a quarter
#: of"): alone it is a period ("this quarter", "the third quarter").
_QUARTERS = {"quarter": "fourth", "quarters": "fourths"}


def _number_run(text: str, tokens: list[tuple[int, int, str]], i: int) -> tuple[int, list[str]] | None:
    """(index after the run, its words) for a run of number words starting at ``i``."""
    words: list[str] = []
    j = i
    while j < len(tokens):
        word = tokens[j][2]
        if j > i:
            gap = text[tokens[j - 1][1]:tokens[j][0]]
            if gap not in (" ", "-"):
                break
        if word in _QUARTERS and words and _ordinal(words[-1]) is None:
            words.append(_QUARTERS[word])
            j += 1
            break
        if _number_word(word):
            if _ordinal(word) is not None and word.endswith("s") and not words:
                break  # "thirds" alone is not a number
            words.append(word)
            j += 1
            if _ordinal(word) is not None:
                break
            continue
        nxt = tokens[j + 1][2] if j + 1 < len(tokens) else ""
        counts = nxt in _WORD_SCALES or nxt in _QUARTERS or (_ordinal(nxt) is not None and nxt not in _WEAK_WORDS)
        if word in ("a", "an") and j == i and counts and text[tokens[j][1]:tokens[j + 1][0]] == " ":
            words.append("one")
            j += 1
            continue
        if word == "and" and words and words[-1] == "hundred" and _number_word(nxt) \
                and nxt not in _WORD_SCALES:
            j += 1
            continue
        break
    if not words or all(w in _WORD_SCALES for w in words):
        return None
    return j, words


def _words_value(words: list[str], fraction_ok: bool = True) -> tuple[Decimal, str]:
    """(value, "n/d" when the words are a fraction such as "two-thirds" or "a third of")."""
    last = _ordinal(words[-1])
    plural = words[-1] not in _ORDINAL_WORDS  # "thirds"
    if last is not None and len(words) > 1 and words[-1] not in ("first", "second") and (
            plural or (fraction_ok and words[:-1] == ["one"])):
        count, _ = _words_value(words[:-1])
        return count / Decimal(last), f"{_fmt(count)}/{last}"
    total, current = 0, 0
    for index, word in enumerate(words):
        if index and words[index - 1] == "one" and _ordinal(word) is not None and current == 1:
            current = 0  # "a third time": the ordinal, not 1 + 3
        if word in _UNIT_WORDS:
            current += _UNIT_WORDS[word]
        elif word in _TENS_WORDS:
            current += _TENS_WORDS[word]
        elif word == "hundredth":
            current = (current or 1) * 100
        elif _ordinal(word) is not None:
            current += _ordinal(word) or 0
        elif word == "hundred":
            current = (current or 1) * 100
        else:
            total += (current or 1) * _WORD_SCALES[word]
            current = 0
    return Decimal(total + current), ""


#: "and a half" right after a number: "two and a half years" is 2.5, not 2.
_AND_A_HALF_RE = re.compile(r"\s+and\s+a\s+half\b(?:\s+(thousand|million|billion|trillion)\b)?", re.IGNORECASE)
#: "half" right before "a million", "a dozen": half of it.
_HALF_BEFORE_RE = re.compile(r"\bhalf\s+", re.IGNORECASE)
#: "a year and a half", "an hour and a half": 1.5 of a unit with no number word before it.
_UNIT_AND_A_HALF_RE = re.compile(
    r"\b(?:a|an)\s+(?:year|hour|decade|week|month|day|minute|century|mile|season|term|lap|kilometre|kilometer)"
    r"\s+and\s+a\s+half\b", re.IGNORECASE)


def _add_halves(text: str, nums: list[_Num]) -> list[_Num]:
    """Count "and a half": a number right before it gains 0.5 (and its span the words), in
    place; "a year and a half" and the like are returned as new numbers of 1.5.

    Why: "It took two and a half years" → "It took two years" kept the "two" and so passed,
    and "a year and a half" had no number at all. 58 "two and a half", 74 "year and a half"
    and 68 "hour and a half" are in the shared corpora.
    """
    for num in nums:
        if num.value is None or num.unit or num.scaled or num.fraction or num.claim:
            continue
        words = num.literal.lower().split()
        scale = _WORD_SCALES.get(words[-1], 1) if words else 1
        half = _HALF_BEFORE_RE.search(text, max(0, num.start - 8), num.start)
        if scale > 1 and half and half.end() == num.start and words[0] in ("a", "an"):
            num.value /= 2  # "half a million" is 500,000, "half a dozen" 6
            num.start, num.weak = half.start(), False
            num.literal = text[num.start:num.end]
            continue
        m = _AND_A_HALF_RE.match(text, num.end)
        if not m:
            continue
        num.value += Decimal("0.5") * scale  # "a dozen and a half" is 18
        if m.group(1):
            num.value *= _WORD_SCALES[m.group(1).lower()]
            num.scaled = True
        num.end, num.weak = m.end(), False
        num.literal = text[num.start:num.end]
    return [_Num(m.start(), m.end(), Decimal("1.5"), literal=m.group(0)) for m in _UNIT_AND_A_HALF_RE.finditer(text)]


def _propagate_ranges(text: str, nums: list[_Num]) -> None:
    """A range shares its unit and scale: "10-20%" is 10% and 20%, "$4 to 5 million" is
    $4,000,000 and $5,000,000."""
    ordered = sorted(nums, key=lambda n: n.start)
    for first, second in zip(ordered, ordered[1:]):
        if first.value is None or second.value is None or first.unit in _NO_RANGE or second.unit in _NO_RANGE:
            continue
        gap = text[first.end:second.start]
        if not _RANGE_GAP_RE.match(gap) or (first.unit and second.unit and first.unit != second.unit):
            continue  # "12% to $4.3 million" is no range
        if _bare_year(first):
            continue  # "between 2001 and 2002 to $42,409": the year is no money
        if second.scaled and not first.scaled and (scale := _scale_of(second)) > 1:
            first.value *= scale
            first.scaled = True
        if not first.unit and second.unit:
            first.unit = second.unit
        elif first.unit and not second.unit and _TIGHT_RANGE_RE.match(gap) and not _own_measure(text, second, gap):
            second.unit = first.unit


def _bare_year(num: _Num) -> bool:
    """Four plain digits from 1000 to 2100 with no unit: a year, which a range never makes money."""
    lit = num.literal.strip()
    return not num.unit and re.fullmatch(r"\d{4}", lit) is not None and 1000 <= int(lit) <= 2100


def _own_measure(text: str, second: _Num, gap: str) -> bool:
    """After "to", a number followed by a word of its own ("fell $2,800 to 11.64 points") is
    a level in that measure, not the end of a money range; "$4 to 5 a share" still is one.
    A dash ("$4-5 points") always joins a range."""
    if gap.strip().lower() != "to":
        return False
    m = _NEXT_WORD_RE.match(text, second.end)
    return m is not None and m.group(1).lower() not in _RANGE_FOLLOWERS


def _scale_of(num: _Num) -> int:
    if num.value is None or not num.literal:
        return 1
    written = num.value
    if re.search(r"\d", num.literal):
        written = _dec(re.sub(r"[^\d.]", "", num.literal.replace(",", ""))) or num.value
    for scale in (10**12, 10**9, 10**6, 10**3, 100):
        if written and num.value == written * scale:
            return scale
    return 1


def _digit_forms(num: _Num) -> tuple[str, ...]:
    """The digits as written, and the same value with or without thousands separators."""
    lit = num.literal.strip()
    if not re.search(r"\d", lit):
        return ()
    forms = [lit]
    if re.fullmatch(r"\d{1,3}(?:[,\s]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?", lit):
        plain = re.sub(r"[,\s]", "", lit)
        whole, _, frac = plain.partition(".")
        if len(whole) > 30:
            return tuple(forms)  # a digit string, not a quantity anyone writes with separators
        grouped = f"{int(whole):,}" + ("." + frac if frac else "")
        is_year = num.unit in ("", "s") and len(whole) == 4 and 1000 <= int(whole) <= 2100
        for form in (plain, grouped):
            if form not in forms and (int(whole) >= 1000 and not is_year or form == plain):
                forms.append(form)
    return tuple(forms)


#: "over 600" is more than 600, but "rose 10% over 5 years" is a span of time: either reading
#: when a unit of time (or of play: "over two matches") or a year follows, else a floor.
_OVER_RE = re.compile(r"(?<![\w-])over\s+$", re.I)
_SPAN_AFTER_RE = re.compile(
    r"^(?:\s*[-–]\s*\w+)?\s+(?:\w+\s+)?(?:years?|months?|weeks?|days?|hours?|minutes?|seconds?|decades?|"
    r"centuries|century|nights?|seasons?|games?|matches|races?|rounds?|sessions?|periods?|terms?|quarters?|"
    r"generations?)\b", re.I)
#: A year as a bare number (fullmatch): "over 2012" is a span, "Apollo 2012" no numbered name.
_YEAR_RE = re.compile(r"1[89]\d\d|20\d\d")


def _bound(text: str, start: int, end: int) -> str:
    """"more" or "less" when a bound is written with the number at ``start``..``end`` ("more"
    after "over" too, unless a span of time may be meant: then "either"), "near" after
    "nearly", "almost"…, "approx" after "about", "approximately"…, else "" (see
    :func:`_bounds_agree`).

    Why "over" is a floor unless time follows: student v2 showed "the Euro over 160 yen" →
    "the Euro at 160 yens" and "Though over 40% of children" → "Despite the fact that 40% of
    children" on held-out news; of the 65,487 GPT teacher pairs none lost an "over" this way,
    and 254 whose source has "over N" all still pass."""
    before, after = text[max(0, start - 24):start], text[end:end + 16]
    if _OVER_RE.search(before):
        span = _SPAN_AFTER_RE.match(text[end:end + 40]) or _YEAR_RE.fullmatch(text[start:end].strip())
        return "either" if span else "more"
    for direction in ("more", "less"):
        if _BOUND_BEFORE_RE[direction].search(before) or _BOUND_AFTER_RE[direction].match(after):
            return direction
    if _NEAR_BEFORE_RE.search(before):
        return "near"
    if _APPROX_BEFORE_RE.search(before):
        return "approx"
    return ""


#: Words before a clock time that put it before or after the moment named, or make it a deadline.
_TIME_BOUND_RE = {
    "before": re.compile(r"(?<![\w-])(?:before|prior\s+to|earlier\s+than|ahead\s+of)\s+(?:the\s+)?$"
                         r"|(?<![\w-])pre-$", re.I),
    "after": re.compile(r"(?<![\w-])(?:after|later\s+than|past|post|beyond|no\s+earlier\s+than)\s+(?:the\s+)?$"
                        r"|(?<![\w-])post-$", re.I),
    "by": re.compile(r"(?<![\w-])(?:by|no\s+later\s+than|in\s+time\s+for)\s+(?:the\s+)?$", re.I),
    "until": re.compile(r"(?<![\w-])(?:until|till|up\s+until)\s+(?:the\s+)?$", re.I),
    "from": re.compile(r"(?<![\w-])(?:from|starting(?:\s+at)?|beginning(?:\s+at)?|as\s+of)\s+(?:the\s+)?$", re.I),
}
#: After a clock time: "7 pm or later" is "after 7 pm", "or earlier" "before".
_TIME_BOUND_AFTER_RE = {"after": re.compile(r"^\s+or\s+(?:later|after)\b", re.I),
                        "before": re.compile(r"^\s+or\s+(?:earlier|before|sooner)\b", re.I)}


def _time_bound(text: str, start: int, end: int) -> str:
    """"before", "after", "by" or "until" when the clock time at ``start``..``end`` is written
    with such a word ("7 pm or later" is "after"), "approx" after "about", "around"…, else "".

    Why: "if I leave home at 9 am" -> "… after 9 am" (student v2 on dev) kept the time's keys and
    passed, though it names another moment. Only "after" must stay "after" (and come from
    nowhere else): the teachers write "at", "by", "before" and "until" for one another around
    a deadline ("to be at work at 8 am" -> "at work by 8 am", "the buffet is available until
    2:30 pm" -> "grab the buffet before 2:30 pm"); reading those strictly flagged 3,800 of the
    66,950 GPT teacher pairs with a clock time, this reading 56 (0.08 %, all "around 7 pm" ->
    "later than 7 pm": ``runs/s50/time_fp.py``)."""
    before, after = text[max(0, start - 28):start], text[end:end + 16]
    for bound, pattern in _TIME_BOUND_RE.items():
        if pattern.search(before):
            return bound
    for bound, pattern in _TIME_BOUND_AFTER_RE.items():
        if pattern.match(after):
            return bound
    return "approx" if _APPROX_BEFORE_RE.search(before) else ""


#: Bounds a candidate may write for a source's: an approximation is as good as the exact value
#: (the teachers write "about 600" for "600" and back) and as a "nearly" (both ways: "about
#: 29 people" ↔ "nearly 29 people"); "nearly 500" is also kept by "less than 500", but not by
#: "500": of the 15 filtered GPT-3.5 pairs with a "nearly"/"almost" number none dropped it,
#: and of the 1,583 exact numbers in the pairs without a bound none gained one, while student
#: v2 showed "for thirty years" → "for nearly thirty years", "only 90 minutes" → "nearly 90
#: minutes" and "almost double its workforce" → "double its workforce".
_AGREEING_BOUNDS = frozenset({("", "approx"), ("approx", ""), ("near", "approx"), ("approx", "near"),
                              ("near", "less")})
#: A clock time's bounds (:func:`_time_bound`) other than "after": all agree with each other and
#: with none ("reach the concert at 6 pm" / "by 6 pm" / "before 6 pm" are one deadline).
_TIME_BOUNDS_NOT_AFTER = frozenset({"before", "by", "until"})


#: "over" may be a span of time ("rose 10% over 5 years"), so it agrees with any bound but these:
#: "up to 12 believed dead" → "over 12 individuals" (student v2, dev) turns a ceiling into a floor.
_NOT_OVER = frozenset({"less", "near"})


def _bounds_agree(source: str, candidate: str) -> bool:
    """Whether a candidate's number with bound ``candidate`` keeps a source's with bound ``source``.

    A clock time's "from" (a start: "open from 9 a.m.") agrees with "at", "after" or none, and not
    with the deadline words: "The store is open until 9 p.m." -> "… open from 9 p.m." passed every
    check at 0.43 (``runs/s52/misc_pairs.tsv``)."""
    if "from" in (source, candidate):
        return not {source, candidate} & _TIME_BOUNDS_NOT_AFTER
    if "either" in (source, candidate):
        return not {source, candidate} & _NOT_OVER
    if "after" in (source, candidate) or {source, candidate} & _TIME_BOUNDS_NOT_AFTER:
        return (source == "after") == (candidate == "after")
    return source == candidate or (source, candidate) in _AGREEING_BOUNDS


#: Multipliers written as a verb ("doubled", "triples", "halving"): kept only by a multiplier.
_MULTIPLIER_VERBS = ("doubl", "tripl", "quadrupl", "halv")
#: After a count, what makes it the count of a multiplier: "two times", "on two occasions".
_TIMES_AFTER_RE = re.compile(r"\s+(?:times|occasions)\b", re.IGNORECASE)


def _to_span(text: str, num: _Num) -> Span:
    shown = text[num.start:num.end].strip()
    if num.unit == "t":
        return Span(NUMBER, shown, num.start, num.end, value=num.time_keys[-1] if len(num.time_keys) == 1
                    else num.time_keys[0], keys=frozenset("t" + k for k in num.time_keys),
                    forms=(num.literal.strip(),), bare=num.time_keys[0], bound=_time_bound(text, num.start, num.end))
    if num.unit == "v":
        return Span(NUMBER, shown, num.start, num.end, value="v" + num.version,
                    keys=frozenset({"v" + num.version}), forms=(num.version,), bare=num.version)
    if num.unit == "f":
        return Span(NUMBER, shown, num.start, num.end, value=num.fraction,
                    keys=frozenset({"f" + num.fraction}), bare=num.fraction)
    if num.unit == "mag":
        return Span(NUMBER, shown, num.start, num.end, value=num.literal + "s", keys=frozenset({"~" + num.literal}))
    if num.unit == "x":  # "doubled" is kept by "twice" or "two times", never by "quadrupled" nor by "two years"
        factor = _fmt(num.value) if num.value is not None else ""
        # "twice" is also kept by a count ("two attempts", "on two specific occasions"); a verb is not
        keys = {"x" + factor} if num.literal.lower().startswith(_MULTIPLIER_VERBS) else {"x" + factor, factor}
        return Span(NUMBER, shown, num.start, num.end, value="x" + factor, keys=frozenset(keys),
                    bound=_bound(text, num.start, num.end))
    if num.unit == "c":
        plain = _fmt(num.value) if num.value is not None else ""
        return Span(NUMBER, shown, num.start, num.end, value=num.literal, keys=frozenset({"c" + num.literal, plain}))
    bare = _fmt(num.value) if num.value is not None else ""
    if num.unit == "s":
        value = bare + "s"
    else:
        value = num.unit + bare
    keys = {value, bare} if num.also_plain else {value}
    if not num.unit and _TIMES_AFTER_RE.match(text, num.end):
        keys.add("x" + bare)  # "two times", "on two occasions": a multiplier's count ("twice")
    return Span(NUMBER, shown, num.start, num.end, value=value, keys=frozenset(keys),
                weak=num.weak, claim=num.claim, forms=_digit_forms(num), bare=bare,
                bound=_bound(text, num.start, num.end))


def _numeral_characters(text: str) -> list[_Num]:
    """Numbers written as one character that is no decimal digit: vulgar fractions ("⅔"),
    super- and subscripts ("²", "₂"), circled numbers ("③"), Roman numeral signs ("Ⅻ").

    A fraction is its fraction ("⅔" = "two-thirds"); any other such character is kept by
    itself or by its value in digits ("H₂O" = "H2O", "Chapter ③" = "Chapter 3"). ``\\d`` matches none of them, so before this rule "by a ⅔ vote" passed as a
    paraphrase of a sentence without the number.
    """
    out: list[_Num] = []
    for i, ch in enumerate(text):
        if ch.isascii() or unicodedata.category(ch) not in ("No", "Nl"):
            continue
        value = unicodedata.numeric(ch, None)
        if value is None:
            continue
        if "FRACTION" in unicodedata.name(ch, ""):
            share = Fraction(value).limit_denominator(1000)
            out.append(_Num(i, i + 1, Decimal(str(value)), unit="f", literal=ch,
                            fraction=f"{share.numerator}/{share.denominator}"))
        else:
            out.append(_Num(i, i + 1, Decimal(str(value)), unit="c", literal=ch))
    return out


_MAGNITUDE_RE = re.compile(
    r"(?<![\w-])(?:(tens|dozens|hundreds|thousands)[\s-]+of[\s-]+(?=(?:thousands|millions|billions|trillions)\b))?"
    r"(hundreds|thousands|millions|billions|trillions|dozens)(?![\w-])"
    r"|(?<![\w-])(?:several|a\s+few|many|some)\s+(hundred|thousand|million|billion|trillion)"
    r"(?:\s+(thousand|million|billion|trillion))?(?![\w-])", re.I)


def _magnitude_words(text: str) -> list[_Num]:
    """A plural scale word with no number of its own ("invest billions", "thousands of
    people") is an order of magnitude the candidate must keep in the same words (read by eye
    on news output at Creative: "plans to invest billions" → "expects to invest millions"
    passed). A multiple of one ("tens of millions", "hundreds-of-thousands") is one order
    of magnitude with its multiple: "tens of millions" → "hundreds of millions" passed too.
    A vague count of a scale word is its order of magnitude: "several million" (= "millions"),
    "a few hundred", "many thousand"; "out of several million employees" → "out of a countable
    number of employees" passed at the default slider.
    ``text`` has its other numbers masked, so "2 millions" is not counted twice."""
    return [_Num(m.start(), m.end(), Decimal(0), unit="mag", literal=_magnitude_literal(m))
            for m in _MAGNITUDE_RE.finditer(text)]


#: Multiplier words and their factor. A bare "double"/"triple"/"quadruple" counts only before
#: what it multiplies ("double its workforce", "triple the price"): "a double room", "double
#: standard", "triple jump" are no multipliers.
_MULTIPLIERS = {"doubl": 2, "twice": 2, "twofold": 2, "tripl": 3, "thrice": 3, "threefold": 3,
                "quadrupl": 4, "fourfold": 4, "fivefold": 5, "tenfold": 10, "halv": Decimal("0.5")}
_MULTIPLIER_RE = re.compile(
    r"(?<!\bthink\s)(?<!\bthinks\s)(?<!\bthought\s)(?<!\bthinking\s)"  # "think twice" counts nothing
    r"(?<![\w-])(?:(doubl|tripl|quadrupl|halv)(?:ed|es|ing)(?!\s+as\b)"  # "doubles as a bar" is "serves as"
    r"|(twice|thrice|(?:two|three|four|five|ten)-?fold)"
    r"|(double|triple|quadruple|halve)(?=\s+(?:its|the|their|his|her|our|your|that|this|these|those|in|by|over|"
    r"every|each|what)\b))(?![\w-])", re.I)


def _multiplier_words(text: str) -> list[_Num]:
    """Multipliers are numbers: "plans to almost double its workforce" → "almost quadruple its
    workforce" was shown at the default slider on held-out news (read by eye). "doubled",
    "twice", "two-fold" and "two times" keep one another; a multiplier the source does not
    have is a new number ("rose" → "doubled")."""
    out = []
    for m in _MULTIPLIER_RE.finditer(text):
        # "doubled" and a bare "double" share the stem "doubl"; "twice", "two-fold" are their own keys
        stem = m.group(1) or m.group(2) or m.group(3)[:-1]
        stem = stem.lower().replace("-", "")
        out.append(_Num(m.start(), m.end(), Decimal(_MULTIPLIERS[stem]), unit="x", literal=m.group(0)))
    return out


def _magnitude_literal(m: re.Match[str]) -> str:
    if m.group(3):  # "several million" is "millions"; "several hundred thousand" is "hundreds of thousands"
        return f"{m.group(3).lower()} of {m.group(4).lower()}" if m.group(4) else m.group(3).lower()
    scale = m.group(2).lower().rstrip("s")
    return f"{m.group(1).lower().rstrip('s')} of {scale}" if m.group(1) else scale


def _numbers_and_dates(text: str) -> tuple[list[Span], list[Span]]:
    """Number spans and date spans of ``text`` (already masked for verbatim spans)."""
    numbers: list[_Num] = []
    dates: list[Span] = []
    consumed: list[tuple[int, int]] = []
    for m in _ISO_DATE_RE.finditer(text):
        year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if not (1 <= month <= 12 and 1 <= day <= 31):
            continue
        dates.append(Span(DATE, m.group(0), m.start(), m.end(), value=f"{year:04d}-{month:02d}-{day:02d}",
                          keys=frozenset({f"m{month}"})))
        numbers.append(_Num(m.start(1), m.end(1), Decimal(year), literal=m.group(1)))
        numbers.append(_Num(m.start(3), m.end(3), Decimal(day), literal=m.group(3)))
        consumed.append((m.start(), m.end()))
    masked = _mask(text, consumed)
    times = _time_numbers(masked)
    numbers.extend(times)
    masked = _mask(masked, [(n.start, n.end) for n in times])
    digits = _digit_numbers(masked)
    numbers.extend(digits)
    masked = _mask(masked, [(n.start, n.end) for n in digits])
    words = _word_numbers(masked)
    numbers.extend(words)
    numbers.extend(_numeral_characters(masked))
    numbers.extend(_magnitude_words(_mask(masked, [(n.start, n.end) for n in words])))
    numbers.extend(_multiplier_words(masked))
    numbers.extend(_add_halves(masked, numbers))
    _propagate_ranges(text, numbers)
    spans = [_to_span(text, n) for n in numbers if n.value is not None or n.unit in ("t", "v")]
    dates.extend(_month_dates(text))
    return sorted(spans, key=lambda s: s.start), sorted(dates, key=lambda s: s.start)


# --------------------------------------------------------------------------- dates (months)

_MONTHS = {"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
           "august": 8, "september": 9, "october": 10, "november": 11, "december": 12}
_MONTH_ABBR = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
               "sept": 9, "oct": 10, "nov": 11, "dec": 12}
_MONTH_NAME = rf"(?:{MONTH_NAMES}|(?:{MONTH_ABBREVIATIONS})\.?)"
_DATE_RES = (
    re.compile(rf"\b(?P<month>{_MONTH_NAME})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?![\d:])"
               rf"(?:,?\s+(?P<year>\d{{4}})(?!\d))?"),
    re.compile(rf"(?<![\d.,])(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>{_MONTH_NAME})"
               rf"(?:,?\s+(?P<year>\d{{4}})(?!\d))?"),
    re.compile(rf"\b(?P<month>{_MONTH_NAME})(?:\s+of)?,?\s+(?P<year>\d{{4}})(?!\d)"),
)
_FULL_MONTH_RE = re.compile(rf"\b(?:{MONTH_NAMES})\b")


def _month_number(word: str) -> int:
    word = word.lower().rstrip(".")
    return _MONTHS.get(word) or _MONTH_ABBR.get(word, 0)


def _month_dates(text: str) -> list[Span]:
    """Dates written with a month name ("May 22", "22 May 2024", "Dec. 10", "March 2027", "in May")."""
    found: list[Span] = []
    taken: list[tuple[int, int]] = []
    for pattern in _DATE_RES:
        for m in pattern.finditer(text):
            if not _free(taken, m.start(), m.end()):
                continue
            month = _month_number(m.group("month"))
            groups = m.groupdict()
            day = groups.get("day")
            if day is not None and not 1 <= int(day) <= 31:
                continue
            year = groups.get("year")
            taken.append((m.start(), m.end()))
            value = f"{year or '????'}-{month:02d}-{f'{int(day):02d}' if day else '??'}"
            found.append(Span(DATE, m.group(0), m.start(), m.end(), value=value,
                              keys=frozenset({f"m{month}"})))
    for m in _FULL_MONTH_RE.finditer(text):
        if not _free(taken, m.start(), m.end()) or _at_sentence_start(text, m.start()):
            continue
        if m.group(0) == "May" and _after_name(text, m.start()):
            continue  # Theresa May
        month = _month_number(m.group(0))
        found.append(Span(DATE, m.group(0), m.start(), m.end(), value=f"????-{month:02d}-??",
                          keys=frozenset({f"m{month}"})))
    return found


def _after_name(text: str, start: int) -> bool:
    before = text[:start].rstrip()
    m = re.search(r"([^\W\d_]+)$", before)
    return bool(m) and text[start - 1] == " " and m.group(1)[:1].isupper() and \
        m.group(1).lower() not in _FUNCTION_WORDS and not _at_sentence_start(text, m.start(1))


def _months_in(text: str, dates: Sequence[Span]) -> set[str]:
    months = {key for d in dates for key in d.keys}
    months.update(f"m{_MONTHS[m.group(0).lower()]}" for m in _FULL_MONTH_RE.finditer(text))
    return months


# --------------------------------------------------------------------------- names

#: Closed-class words: never a name on their own, wherever they stand.
_FUNCTION_WORDS = frozenset("""
a an the this that these those some any each every no all both either neither such what which
who whom whose whatever whichever whoever when where why how there here then than thus hence
i me my mine myself you your yours yourself yourselves he him his himself she her hers herself
it its itself we us our ours ourselves they them their theirs themselves one ones
and or but nor so yet for if unless because although though while whereas whether since as
until till after before once however therefore moreover furthermore nevertheless meanwhile
also still even just only not never always often sometimes perhaps maybe indeed instead
of in on at by to from with without within into onto upon about above below over under
between among through across against during despite toward towards around near via per
be am is are was were been being do does did done have has had having would shall should
could might must ought let yes ok okay oh hi hello dear please thanks
i'm i've i'll i'd you're you've you'll you'd he's he'll he'd she's she'll she'd it's it'll
we're we've we'll we'd they're they've they'll they'd that's there's here's what's who's
let's don't doesn't didn't isn't aren't wasn't weren't can't couldn't won't wouldn't
shouldn't haven't hasn't hadn't mustn't
""".split())
_NEVER_NAMES = frozenset({"I", "I'm", "I've", "I'll", "I'd", "OK", "Ok", "A"})
#: Lower-case words inside a name: "Bank of America", "Charles de Saint-Étienne de la Tour".
NAME_CONNECTORS = frozenset({"of", "de", "du", "des", "da", "das", "do", "dos", "del", "della", "di",
                         "van", "von", "der", "den", "ter", "la", "le", "les", "bin", "ibn", "al",
                         "el", "y", "&"})
#: Company forms: part of a name, but a candidate may drop them ("Yahoo Inc." -> "Yahoo").
_COMPANY_FORMS = frozenset({"Inc", "Corp", "Corporation", "Co", "Ltd", "Limited", "LLC", "Plc", "PLC",
                            "plc", "AG", "SA", "NV", "GmbH", "LP", "LLP"})
#: Titles (without their dot) and their long forms.
_TITLES: dict[str, tuple[str, ...]] = {
    "Dr": ("Dr", "Doctor"), "Mr": ("Mr", "Mister"), "Mrs": ("Mrs",), "Ms": ("Ms",),
    "Mx": ("Mx",), "Prof": ("Prof", "Professor"), "St": ("St", "Saint"), "Sen": ("Sen", "Senator"),
    "Rep": ("Rep", "Representative"), "Gov": ("Gov", "Governor"), "Gen": ("Gen", "General"),
    "Lt": ("Lt", "Lieutenant"), "Col": ("Col", "Colonel"), "Capt": ("Capt", "Captain"),
    "Sgt": ("Sgt", "Sergeant"), "Cmdr": ("Cmdr", "Commander"), "Adm": ("Adm", "Admiral"),
    "Rev": ("Rev", "Reverend"), "Hon": ("Hon", "Honourable", "Honorable"),
    "Pres": ("Pres", "President"), "Supt": ("Supt", "Superintendent"), "Mt": ("Mt", "Mount"),
    "Ft": ("Ft", "Fort"), "Jr": ("Jr", "Junior"), "Sr": ("Sr", "Senior"), "Sir": ("Sir",),
    "Dame": ("Dame",), "Lord": ("Lord",), "Lady": ("Lady",), "Miss": ("Miss",),
}
#: Courtesy titles say nothing a paraphrase must keep: "Mr. Feith" -> "Douglas Feith" is fine.
_COURTESY_TITLES = frozenset({"Mr", "Mrs", "Ms", "Mx", "Miss", "Mister"})
#: Every form of a title -> all its forms ("Doctor" is kept by "Dr." and the other way round).
_TITLE_FORMS: dict[str, tuple[str, ...]] = {form: forms for forms in _TITLES.values() for form in forms}
_ABBREVIATIONS = frozenset({"Inc", "Co", "Corp", "Ltd", "No", "vs", "etc", "Fig", "approx", "Jan",
                            "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov",
                            "Dec", "Ave", "Blvd", "Rd", "Dept", "Univ", "Bros"}) | frozenset(_TITLES)
_ALIASES: tuple[tuple[str, ...], ...] = (
    ("US", "USA", "United States", "United States of America", "America", "American", "Americans"),
    ("UK", "United Kingdom", "Britain", "Great Britain", "British", "Briton", "Britons"),
    ("UN", "United Nations"),
    ("EU", "European Union"),
)
#: Peoples whose word is not their place's name plus an ending (``_demonym`` finds those).
#: Only for new names: "Swiss" for "Switzerland" brings no new fact, but "Spanish sales" is
#: not "sales in Spain", so a source's Spain is not kept by Spanish (above).
_IRREGULAR_PEOPLES: tuple[tuple[str, ...], ...] = (
    ("Switzerland", "Swiss"), ("France", "French"), ("Netherlands", "Holland", "Dutch"),
    ("Wales", "Welsh"), ("Denmark", "Danish", "Dane", "Danes"), ("Greece", "Greek", "Greeks"),
    ("Spain", "Spanish", "Spaniard", "Spaniards"), ("Ireland", "Irish"),
    ("Scotland", "Scottish", "Scot", "Scots"), ("Finland", "Finnish", "Finn", "Finns"),
    ("Philippines", "Filipino", "Filipinos"), ("Thailand", "Thai"),
)
_WORD_RE = re.compile(r"(?:[A-Z]\.){2,}|[^\W\d_]+(?:['’\-][^\W\d_]+)*(?:['’](?![^\W\d_]))?", re.UNICODE)
_OPEN_MARKS = "\"“„«‘'([{"


@dataclass
class _Tok:
    start: int
    end: int
    text: str
    initial: bool = False
    name: bool = False


def _word_tokens(text: str) -> list[_Tok]:
    return [_Tok(m.start(), m.end(), m.group(0)) for m in _WORD_RE.finditer(text)]


def _core(word: str) -> str:
    """The word without a possessive ending or abbreviation dots: Chen's -> Chen, U.S. -> US."""
    word = word.translate(_APOSTROPHES)
    if word.endswith("'s") or word.endswith("'S"):
        word = word[:-2]
    elif word.endswith("'") and len(word) > 1:
        word = word[:-1]
    if re.fullmatch(r"(?:[A-Z]\.)+", word):
        word = word.replace(".", "")
    return word


def _at_sentence_start(text: str, start: int) -> bool:
    """True when the word at ``start`` opens a sentence, a line, a quotation or follows a colon."""
    i = start - 1
    while i >= 0 and text[i] in " \t\u00a0":
        i -= 1
    if i < 0:
        return True
    ch = text[i]
    if ch == "\n":
        return True
    if ch in _OPEN_MARKS:
        # An opening mark (not a closing one or an apostrophe: "Nations' International").
        return i == 0 or text[i - 1].isspace() or text[i - 1] in _OPEN_MARKS or text[i - 1] in "-–—:"
    if ch in "!?…:":
        return True
    if ch == ".":
        m = re.search(r"([^\W\d_]+)\.$", text[:i + 1])
        if m and (m.group(1) in _ABBREVIATIONS or len(m.group(1)) == 1):
            return False  # Dr. Chen, George W. Bush, U.S. officials
        return True
    if ch in "•*-–—" and (i == 0 or text[i - 1] in "\n"):
        return True
    return False


def _is_capitalised(word: str) -> bool:
    return any(part[:1].isupper() for part in re.split(r"[-'’]", word) if part)


def _is_acronym(word: str) -> bool:
    core = word.replace(".", "")
    return len(core) >= 2 and core.isupper() and core.isalpha()


def is_common_word(word: str) -> bool:
    """A lower-case English word that may be capitalised only by its position: "moved",
    "Average-quality"; not "Spokane" (the names check's and :mod:`models.reversals`' test)."""
    return _common(word)


def _common(word: str) -> bool:
    """A lower-case English word that may be capitalised only by its position."""
    low = word.lower().translate(_APOSTROPHES)
    if low in _FUNCTION_WORDS or low in COMMON_WORDS:
        return True
    core = _core(word).lower()
    if core in COMMON_WORDS or core in _FUNCTION_WORDS:
        return True
    if "-" in core:  # "Average-quality", "Well-known"
        return all(_common(part) for part in core.split("-") if part)
    return any(stem in COMMON_WORDS for stem in stems(core))


#: Endings that make a rare word from a common one ("Serenely", "Sweetened", "Happiness").
#: Not -s, -er, -en: they also make surnames from common words (Woods, Baker, Warren).
_ENDINGS = (("ily", "y"), ("ly", ""), ("ly", "e"), ("ness", ""), ("iness", "y"), ("ment", ""),
            ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e"), ("ened", ""), ("ening", ""),
            ("ity", ""), ("ity", "e"))


def stems(word: str) -> Iterable[str]:
    """Common words ``word`` may be derived from (also used to keep the word list short)."""
    for ending, added in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            stem = word[:-len(ending)] + added
            yield stem
            if ending == "ed" and len(stem) > 3 and stem[-1] == stem[-2]:
                yield stem[:-1]  # "stopped" -> "stop"


def _name_spans(text: str, masked: str, dates: Sequence[Span]) -> list[Span]:
    tokens = _word_tokens(masked)
    if not tokens:
        return []
    month_ranges = [(d.start, d.end) for d in dates]
    alpha = [t for t in tokens if len(t.text) > 1]
    caps = sum(1 for t in alpha if _is_capitalised(t.text))
    upper = sum(1 for t in alpha if t.text.replace(".", "").isupper())
    shouting = len(alpha) >= 4 and upper >= 0.7 * len(alpha)
    # A headline capitalises (nearly) every word; a sentence full of names still has
    # lower-case words of its own ("asked").
    headline = len(alpha) >= 4 and caps >= 0.7 * len(alpha) and not any(
        t.text.islower() and t.text not in _FUNCTION_WORDS for t in alpha)
    for tok in tokens:
        tok.initial = headline or _at_sentence_start(masked, tok.start)
    mid_caps = {_core(t.text) for t in tokens if not t.initial and _is_capitalised(t.text)}
    for tok in tokens:
        tok.name = _is_name_word(tok, mid_caps, shouting) and _free(month_ranges, tok.start, tok.end)
    # A title or a name-part word ("New", "General") joins the name that follows it.
    for prev, tok in zip(tokens, tokens[1:]):
        gap = masked[prev.end:tok.start]
        if tok.name and not prev.name and _is_capitalised(prev.text) and \
                _free(month_ranges, prev.start, prev.end):
            title = _core(prev.text) in _TITLES and gap in (". ", " ")
            part = prev.text.lower() in NAME_PART_WORDS and gap == " "
            if title or part:
                prev.name = True
    return _group_names(text, masked, tokens)


def _is_name_word(tok: _Tok, mid_caps: set[str], shouting: bool) -> bool:
    word = tok.text
    core = _core(word)
    if not core or word in _NEVER_NAMES or core in _NEVER_NAMES:
        return False
    if _is_acronym(word) and not shouting:
        return True
    if core.lower() in _FUNCTION_WORDS:
        return False
    if not _is_capitalised(word):
        return False
    if not tok.initial:
        return True
    if not _common(word):
        return True
    return core in mid_caps and not shouting


def _group_names(text: str, masked: str, tokens: list[_Tok]) -> list[Span]:
    spans: list[Span] = []
    i = 0
    while i < len(tokens):
        if not tokens[i].name:
            i += 1
            continue
        j = i + 1
        while j < len(tokens):
            if _core(tokens[j - 1].text) != tokens[j - 1].text.replace(".", "") and \
                    not _is_acronym(tokens[j - 1].text):
                break  # a possessive ends a name: "the United Nations' International Atomic Energy Agency"
            gap = masked[tokens[j - 1].end:tokens[j].start]
            prev_dot = _core(tokens[j - 1].text) in _TITLES or len(_core(tokens[j - 1].text)) == 1
            if tokens[j].name and (gap == " " or (gap == ". " and prev_dot) or gap == "."):
                j += 1
                continue
            # one or two particles, then a name word: "Bank of America", "Mies van der Rohe"
            particles = 0
            while (particles < 2 and j + particles < len(tokens) and tokens[j + particles].text in NAME_CONNECTORS
                   and masked[tokens[j + particles - 1].end:tokens[j + particles].start] == " "):
                particles += 1
            after = j + particles
            if (particles and after < len(tokens) and tokens[after].name
                    and masked[tokens[after - 1].end:tokens[after].start] == " "):
                j = after + 1
                continue
            break
        group = tokens[i:j]
        start, end = group[0].start, group[-1].end
        if end < len(text) and text[end] == "." and (_core(group[-1].text) in _ABBREVIATIONS
                                                     or len(_core(group[-1].text)) == 1):
            end += 1
        words = tuple(dict.fromkeys(w for t in group if t.name and t.text not in NAME_CONNECTORS
                                    for w in _required_parts(_core(t.text))))
        if len(words) > 1:
            words = tuple(w for w in words if w not in _COMPANY_FORMS) or words
        shown = text[start:end]
        if words:
            spans.append(Span(NAME, _strip_possessive(shown), start, end, value=" ".join(words),
                              keys=frozenset(words)))
        i = j
    return spans


def _required_parts(word: str) -> list[str]:
    """What of a name word a candidate must keep: the whole word, or the capitalised parts of a
    hyphenated word with lower-case parts ("non-BBQ" -> BBQ, "Oprah-like" -> Oprah, "al-Assad" -> Assad)."""
    if not word:
        return []
    if "-" not in word:
        return [word]
    parts = [p for p in word.split("-") if p]
    if all(p[:1].isupper() for p in parts):
        return [word]
    return [p for p in parts if p[:1].isupper()]


def _strip_possessive(text: str) -> str:
    return re.sub(r"['’]s?$", "", text) if re.search(r"[^\W\d_]['’]s?$", text) else text


def _candidate_words(text: str) -> set[str]:
    """Every word of a candidate as a name check sees it (possessives and dots stripped)."""
    words: set[str] = set()
    for m in _WORD_RE.finditer(text):
        core = _core(m.group(0))
        words.add(core)
        words.add(_unaccent(core))
        if "-" in core:
            words.update(p for p in core.split("-") if p)
    return words


_DEMONYM_ENDINGS = frozenset({"", "n", "an", "ian", "ean", "ese", "i", "ish", "ic", "ite"})


def _demonym(a: str, b: str) -> bool:
    """One word is the other's place or people: Iraq/Iraqi, Italy/Italian, Germany/German,
    Paris/Parisian, Sweden/Swedish, Britain/British, Poland/Polish."""
    for x, y in ((a, b), (b, a)):
        for cut in ("", "a", "e", "y", "o", "en", "ain", "and"):
            if not x.endswith(cut):
                continue
            stem = x[:len(x) - len(cut)]
            ending = y[len(stem):]
            allowed = _DEMONYM_ENDINGS if len(cut) < 2 else ("ish",)  # Sweden/Swedish, not Allen/Allan
            if len(stem) >= (4 if len(cut) < 2 else 3) and y.startswith(stem) and y != x \
                    and ending in allowed and (cut or ending):
                return True
    return False


def _initialisms(text: str) -> set[str]:
    """Initials of every run of capitalised words ("Federal Bureau of Investigation" -> FBI, BI, FB)."""
    out: set[str] = set()
    run: list[str] = []
    tokens = _word_tokens(text) + [_Tok(len(text), len(text), "")]
    for tok in tokens:
        word = _core(tok.text)
        if word[:1].isupper():
            run.append(word[0])
            continue
        if word in NAME_CONNECTORS and run:
            continue
        initials = "".join(run)
        out.update(initials[i:j] for i in range(len(initials)) for j in range(i + 2, len(initials) + 1))
        run = []
    return out


def _word_kept(word: str, words: set[str]) -> bool:
    """``word`` (of a name) is in the candidate's ``words``: as written, without accents
    (Jiménez = Jimenez), with or without a final s (Albertson's = Albertsons), a title in any
    form, or as the place of a people or the other way round."""
    if word in _COURTESY_TITLES:
        return True
    if any(form in words for form in _TITLE_FORMS.get(word, (word,))):
        return True
    plain = _unaccent(word)
    if any(form in words for form in (plain, word + "s", plain + "s")) or (
            word.endswith("s") and word[:-1] in words):
        return True
    return word[:1].isupper() and any(w[:1].isupper() and _demonym(word, w) for w in words)


def _unaccent(word: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", word) if not unicodedata.combining(ch))


def _writes_alias(text: str, group: tuple[str, ...]) -> bool:
    """Whether ``text`` writes any name of an alias group, dots ignored (U.S. = US)."""
    dotless = text.replace(".", "")
    return any(_has_phrase(dotless, alias) for alias in group)


def _name_kept(name: Span, candidate: str, words: set[str], initials: dict[str, set[str]]) -> list[str]:
    """The required words of ``name`` that ``candidate`` lacks (empty when it is kept).

    Also kept: an alias (U.S. = United States), an acronym spelled out or the other way round
    (GBI = Georgia Bureau of Investigation), a demonym for a place (Iraq = Iraqi).
    """
    plain = name.text.replace(".", "")
    for group in _ALIASES:
        if plain in group:
            if _writes_alias(candidate, group):
                return []
            break
    required = name.value.split(" ") if name.value else []
    if len(required) == 1 and _is_acronym(required[0]):
        if "set" not in initials:
            initials["set"] = _initialisms(candidate)
        if required[0] in initials["set"]:
            return []
    capitals = [w for w in required if w[:1].isupper() and w not in _TITLES]
    if len(capitals) >= 2 and "".join(w[0] for w in capitals) in words:
        return []
    return [word for word in required if not _word_kept(word, words)]


# --------------------------------------------------------------------------- keep phrases

def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    parts = [re.escape(p) for p in phrase.split()]
    body = r"\s+".join(parts)
    left = r"(?<!\w)" if phrase[:1].isalnum() or phrase[:1] == "_" else ""
    right = r"(?!\w)" if phrase[-1:].isalnum() or phrase[-1:] == "_" else ""
    return re.compile(left + body + right)


def _has_phrase(text: str, phrase: str) -> bool:
    phrase = phrase.strip()
    return bool(phrase) and _phrase_pattern(phrase).search(text) is not None


def missing_keeps(text: str, keep: Iterable[str]) -> list[str]:
    """The frozen phrases that are empty or not in ``text`` (for a usage error that names them)."""
    return [p for p in keep if not p.strip() or not _has_phrase(text, p)]


def _keep_spans(text: str, keep: Iterable[str]) -> list[Span]:
    spans = []
    for phrase in dict.fromkeys(p.strip() for p in keep):
        if not phrase:
            continue
        m = _phrase_pattern(phrase).search(text)
        if m:
            spans.append(Span(KEEP, phrase, m.start(), m.end(), value=phrase))
        else:
            log.debug("kept phrase %r is not in this text; not protected here", phrase)
    return spans


def _changed_bounds(source: Sequence[Span], cand: Sequence[Span]) -> list[Violation]:
    """A kept number whose bound went or came: "more than 600" is not "600", nor "600"
    "more than 600" (read by eye on news output: "colonies with more than 600 breeding
    pairs" → "600 breeding pairs" passed). A bound is kept by any of the candidate's
    numbers with the same value, in either direction's words ("over" = "at least")."""
    out: list[Violation] = []
    seen: set[str] = set()
    for s in source:
        if s.weak or s.value in seen:
            continue
        matches = [c for c in cand if c.keys & s.keys]
        if not matches or any(_bounds_agree(s.bound, c.bound) for c in matches):
            continue
        seen.add(s.value or s.text)
        c = matches[0]
        was = f"{_BOUND_WORDS[s.bound]}{s.text}"
        now = f"{_BOUND_WORDS[c.bound]}{c.text}"
        out.append(Violation(CHANGED_NUMBER, c.text, f"number {was} changed to {now}"))
    return out


#: How each bound (:func:`_bound`, :func:`_time_bound`) is written in a violation's reason; every
#: bound those return needs one ("until" had none: "valid until 5 p.m." -> "valid after 5 p.m."
#: raised a KeyError inside the facts check, which ended the whole paraphrase job).
_BOUND_WORDS = {"": "", "more": "more than ", "less": "less than ", "either": "over ", "near": "nearly ",
                "approx": "about ", "before": "before ", "after": "after ", "by": "by ", "until": "until ",
                "from": "from "}


# --------------------------------------------------------------------------- public API

def _prepare(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def extract_numbers(text: str) -> list[Span]:
    """The number spans of ``text`` (digits inside URLs, handles and code are left out)."""
    text = _prepare(text)
    masked = _mask(text, [(s.start, s.end) for s in _verbatim_spans(text)])
    return _numbers_and_dates(masked)[0]


def protected_spans(text: str, keep: Iterable[str] = ()) -> list[Span]:
    """Every span of ``text`` a paraphrase must keep, in text order (see the module doc)."""
    return SourceFacts(text, keep).spans


@dataclass
class SourceFacts:
    """A source parsed once; :meth:`check` verifies any number of candidates against it."""

    source: str
    keep: Sequence[str] = ()
    spans: list[Span] = field(init=False)
    _words: set[str] = field(init=False, repr=False)
    _lower_words: set[str] = field(init=False, repr=False)
    _numbered: list[tuple[str, re.Pattern[str]]] = field(init=False, repr=False)
    _parts: dict[str, set[str]] = field(init=False, repr=False)
    _in_time: bool = field(init=False, repr=False)
    _times: dict[str, set[str]] = field(init=False, repr=False)
    _number_readings: tuple[dict[str, set[str]], dict[str, set[str]]] = field(init=False, repr=False)
    _offices: set[str] = field(init=False, repr=False)
    _units: list[tuple[str, str]] = field(init=False, repr=False)
    _amounts: set[str] = field(init=False, repr=False)
    _top_groups: dict[str, str] = field(init=False, repr=False)
    _lower_calendar: dict[str, str] = field(init=False, repr=False)
    _lower_months: set[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.source = _prepare(self.source)
        self.keep = tuple(self.keep)
        verbatim = _verbatim_spans(self.source)
        masked = _mask(self.source, [(s.start, s.end) for s in verbatim])
        numbers, dates = _numbers_and_dates(masked)
        quotes = _quote_spans(self.source)
        fully_masked = _mask(masked, [(n.start, n.end) for n in numbers])
        names = _name_spans(self.source, fully_masked, dates)
        spans = verbatim + numbers + dates + quotes + names + _keep_spans(self.source, self.keep)
        self.spans = sorted(spans, key=lambda s: (s.start, -s.end, s.kind))
        # the source's words as written and as its names were read, for the new-names check
        self._words = _candidate_words(self.source) | _candidate_words(masked) | _candidate_words(fully_masked)
        self._lower_words = {_unaccent(w).lower() for w in self._words}
        self._numbered = _numbered_names(self.source, self.spans)
        self._parts = period_parts(self.source)
        self._in_time = places_in_time(self.source)
        self._times = time_values(self.source)
        self._offices = title_offices(self.source)
        self._units = _number_units(self.source, numbers)
        self._number_readings = number_readings(self.source)
        self._amounts = amounts(self.source)
        self._top_groups = top_groups(self.source)
        # "on wednesday", "in july": the candidate may capitalise them and must keep them
        self._lower_calendar = _lower_calendar_words(self.source)
        self._lower_months = _lower_month_keys(self._lower_calendar) | {
            f"m{_MONTHS[m.group(0)]}" for m in _LOWER_MAY_MARCH_RE.finditer(self.source)}  # "go in march": no new month

    def of_kind(self, *kinds: str) -> list[Span]:
        return [s for s in self.spans if s.kind in kinds]

    @property
    def rewordable(self) -> bool:
        """Whether a word of two or more letters stands outside every protected span.

        Why: a heading, a label or a code ("Q3 2024", "42", "iPhone 15", "Paris", "b02") has
        nothing a paraphrase may change, so whatever the student writes around it is made up:
        student v2 turned "42" into "42 years." and the heading of "Q3 2024. Sales rose 5 % …"
        into "The quarter for Q3 2024." in all five cards. A quotation counts as protected (its
        words are kept verbatim); weak numbers ("one", "first") do not: a candidate may reword them.
        Of 3,003 newstest sentences 9 have nothing to reword ("Peru:", "Yoshihoko Noda", 'Mrs. Sofia:
        "They are instruments of progress and hope"'), of 15,000 WikiSplit sentences 2 (citations).
        """
        taken = [(span.start, span.end) for span in self.spans if not span.weak]
        return any(len(m.group()) >= 2 and not any(a <= m.start() and m.end() <= b for a, b in taken)
                   for m in _WORD_RE.finditer(self.source))

    def check(self, candidate: str) -> list[Violation]:
        """Every protected fact ``candidate`` lost or changed, and every number it invented."""
        candidate = _prepare(candidate)
        cand_verbatim = _verbatim_spans(candidate)
        cand_masked = _mask(candidate, [(s.start, s.end) for s in cand_verbatim])
        cand_numbers, cand_dates = _numbers_and_dates(cand_masked)
        out = self._check_numbers(cand_numbers, candidate)
        for _, said, written in changed_units(self._units, _number_units(candidate, cand_numbers, signs=True)):
            out.append(Violation(CHANGED_NUMBER, written, f"unit changed: {said} -> {written}"))  # "5 miles" -> "5 km"
        for number, said, written in changed_readings(self._number_readings, candidate):
            # "rose by 5%" -> "rose to 5%", "jumped 8%" -> "dropped 8%", "for 10 years" -> "10 years ago"
            how = "went {}" if said in ("up", "down") else "read as '{}'"
            out.append(Violation(CHANGED_NUMBER, number, f"{number}: {how.format(said)} -> {how.format(written)}"))
        amount = changed_amounts(self._amounts, candidate)  # "All the students" -> "Most of the students"
        if amount:
            out.append(Violation(CHANGED_NUMBER, amount[1], f"amount changed: {amount[0]} -> {amount[1]}"))
        nobody = made_none(self.source, candidate)  # "Not every bank will survive" -> "No bank will survive"
        if nobody:
            out.append(Violation(CHANGED_NUMBER, nobody[1], f"amount changed: {nobody[0]} -> {nobody[1]}"))
        top = made_the_top(self._top_groups, candidate)  # "some of the best in Vegas" -> "the best in Vegas"
        if top:
            out.append(Violation(CHANGED_NUMBER, top[1], f"amount changed: {top[0]} -> {top[1]}"))
        out += self._check_dates(candidate, cand_dates)
        # Words as the source's names were read (verbatim spans and numbers masked) and as written.
        fully_masked = _mask(cand_masked, [(n.start, n.end) for n in cand_numbers])
        words = _candidate_words(candidate) | _candidate_words(cand_masked) | _candidate_words(fully_masked)
        initials: dict[str, set[str]] = {}  # computed once, when a source name is an acronym
        for name in self.of_kind(NAME):
            missing = _name_kept(name, candidate, words, initials)
            if missing:
                detail = "" if len(missing) == len(name.keys) else f" ({', '.join(missing)})"
                out.append(Violation(NAME, name.text, f"name {name.text} missing{detail}"))
        office = changed_titles(self._offices, candidate)  # "the chairman said" -> "the president said"
        if office:
            out.append(Violation(NAME, office[0], f"title changed: {office[0]} -> {office[1]}"))
        past_role = made_current(self.source, candidate)  # "former chief executive" -> "chief executive"
        if past_role:
            out.append(Violation(NAME, past_role, f"{past_role}: no longer said to be past"))
        for span in self.of_kind(QUOTE):
            if not _quote_kept(span.text, candidate):
                out.append(Violation(QUOTE, span.text, f"quote \u201c{span.text}\u201d missing"))
        labels = {URL: "URL", EMAIL: "e-mail", HANDLE: "handle", HASHTAG: "hashtag", CODE: "code"}
        for span in self.of_kind(URL, EMAIL, HANDLE, HASHTAG, CODE):
            if not _has_phrase(candidate, span.text):  # whole: "@bob" is not kept by "@bobby"
                out.append(Violation(span.kind, span.text, f"{labels[span.kind]} {span.text} missing"))
        for span in self.of_kind(KEEP):
            if not _has_phrase(candidate, span.text):
                out.append(Violation(KEEP, span.text, f"kept phrase \u201c{span.text}\u201d missing"))
        for text, pattern in self._numbered:
            if not pattern.search(candidate):
                out.append(Violation(NUMBERED_NAME, text, f"{text} split"))
        return out + self._new_names(candidate, fully_masked, cand_dates)

    def _new_names(self, candidate: str, masked: str, cand_dates: Sequence[Span]) -> list[Violation]:
        """Names the candidate brings that the source has not: "a US gymnast from South Korea",
        "Deputy Chief John Kagan", "the Communist bloc" (read by eye in held-out output; each
        is a fact the writer never wrote). A candidate's name (found by the same rules as the
        source's) is new when none of its words is in the source in any form the names check
        accepts (aliases, acronyms, demonyms, accents, a final s), nor as the start of a
        source word or the other way round, in any case: "Congress" for "congressional",
        "Senate" for "senate" pass."""
        out: list[Violation] = []
        initials: dict[str, set[str]] = {}
        for name in _name_spans(candidate, masked, cand_dates):
            required = [w for w in (name.value or "").split(" ")
                        if len(w) > 1 and w not in _TITLE_FORMS and w not in _COURTESY_TITLES]
            if not required or any(_is_calendar_word(w) for w in required):
                continue  # a weekday or month is the dates check's ("new weekday" and the like)
            missing = [w for w in _name_kept(name, self.source, self._words, initials) if w in required]
            all_new = len(missing) == len(required) and not any(self._loosely_in_source(w) for w in missing)
            if all_new or any(self._new_name_word(w) for w in missing):
                out.append(Violation(NEW_NAME, name.text, f"new name {name.text}"))
        return out

    def _new_name_word(self, word: str) -> bool:
        """A word a candidate added to a name it otherwise kept that can only be a name's: not in
        the source in any form, not a common English word, not a company form. Read by eye in
        shown candidates: "Tenzin Gyatso" later written "Tenzin Yagyu", "World Wrestling
        Entertainment" as "World WShrSt Entertainment", "the Government of Yoshihiko Noda" as
        "the Government of Yoshiharu Yukawa"; a first name or title the source never gave ("Rick
        Perry" for "Perry") is invented too. Common words stay free ("Kent State University" for
        "Kent State", "Delta Airlines" for "Delta"): they complete a name, they do not make one up."""
        if self._loosely_in_source(word) or self._loosely_in_source(word.replace("-", "")):
            return False
        if any(_writes_alias(self.source, group) for group in _ALIASES
               if any(word in alias.split(" ") for alias in group)):
            return False  # "East Coast of America" for "the East Coast of the United States"
        return any(not (self._loosely_in_source(part) or _common(part) or part.rstrip(".") in _COMPANY_FORMS)
                   for part in word.split("-") if part)  # "US-North": each part on its own

    def _loosely_in_source(self, word: str) -> bool:
        low = _unaccent(word).lower()
        if low in self._lower_words:  # "War" for "war"
            return True
        if any(word in group and any(other.lower() in self._lower_words for other in group)
               for group in _IRREGULAR_PEOPLES):
            return True
        low = low.rstrip("s")
        return len(low) >= 4 and any(w.startswith(low) or (low.startswith(w) and len(w) >= 5)
                                     for w in self._lower_words)

    def _check_numbers(self, cand: list[Span], candidate: str) -> list[Violation]:
        source = self.of_kind(NUMBER)
        src_keys = set().union(*(s.keys for s in source)) if source else set()
        cand_keys = set().union(*(c.keys for c in cand)) if cand else set()
        out: list[Violation] = []
        changed: set[int] = set()
        seen_new: set[str] = set()
        for c in cand:
            if c.weak:
                continue
            if c.keys & src_keys:
                vaguer = _vaguer_time(c, source)
                if vaguer is not None and id(vaguer) not in changed:  # "9:00 a.m." -> "9:00"
                    changed.add(id(vaguer))
                    out.append(Violation(CHANGED_NUMBER, c.text,
                                         f"time {vaguer.text} changed to {c.text}: morning or evening no longer said"))
                continue
            twin = next((s for s in source if s.bare and s.bare == c.bare and not s.keys & cand_keys), None)
            if twin is not None:
                if id(twin) not in changed:
                    changed.add(id(twin))
                    out.append(Violation(CHANGED_NUMBER, c.text, f"number {twin.text} changed to {c.text}"))
                continue
            if c.value in seen_new:
                continue
            seen_new.add(c.value or c.text)
            out.append(Violation(NEW_NUMBER, c.text, f"new number {c.text}"))
        reported: set[str] = set()
        for s in source:
            if (s.weak and not s.claim) or id(s) in changed or s.keys & cand_keys or s.value in reported:
                continue
            if s.claim and _ORDINAL_SYNONYM_RE[s.text.lower()].search(candidate):
                continue
            reported.add(s.value or s.text)
            out.append(Violation(MISSING_NUMBER, s.text, f"number {s.text} missing"))
        return out + _changed_bounds(source, cand)

    def _check_dates(self, candidate: str, cand_dates: list[Span]) -> list[Violation]:
        months = _months_in(candidate, cand_dates)
        out = []
        for date in self.of_kind(DATE):
            if not date.keys & months:
                month = re.search(r"[A-Za-z]+\.?", date.text)
                shown = month.group(0) if month else date.value
                out.append(Violation(DATE, date.text, f"date {date.text}: month {shown} missing"))
        out += _lower_calendar_kept(self._lower_calendar, candidate)
        source_months = ({key for date in self.of_kind(DATE) for key in date.keys} | _months_in(self.source, [])
                         | self._lower_months)
        out += _new_calendar_words(self.source, candidate, source_months, set(self._lower_calendar),
                                   month_changed=bool(out))
        for period, said, written in changed_parts(self._parts, candidate):  # "the end of March" -> "early March"
            out.append(Violation(DATE, period, f"{period}: {said or 'no part'} -> {written or 'no part'}"))
        relative = "" if self._in_time else relative_date(candidate)  # "most intense ever" -> "… this year"
        if relative:
            out.append(Violation(DATE, relative, f"new date {relative}"))
        for kind, said, written in changed_times(self._times, candidate):  # "yesterday" -> "today"
            out.append(Violation(DATE, said, f"{kind} changed: {said} -> {written}"))
        lost = dropped_relative_date(self._times, candidate)  # "will play today" -> "will face"
        if lost:
            out.append(Violation(DATE, lost, f"{lost} missing"))
        return out


def _is_time(span: Span) -> bool:
    return bool(span.keys) and all(key.startswith("t") for key in span.keys)


def _vaguer_time(candidate: Span, source: Sequence[Span]) -> Span | None:
    """The source's clock time that ``candidate`` writes without its half of the day, or None.

    Why: "9:00" matches both "9:00 a.m." and "9:00 p.m.", so the keys alone call "my 9:00 a.m.
    meeting" -> "my 9:00 meeting" kept (the student wrote it on dev); the reader can no longer
    tell which nine o'clock. A candidate time with one key (a.m., p.m., "noon", 24-hour) is as
    exact as the source's."""
    if not _is_time(candidate) or len(candidate.keys) < 2:
        return None
    matches = [s for s in source if _is_time(s) and s.keys & candidate.keys]
    if matches and all(len(s.keys) == 1 for s in matches):
        return matches[0]
    return None


def _number_units(text: str, numbers: Sequence[Span], *, signs: bool = False) -> list[tuple[str, str]]:
    """(digits, unit) of each number in ``text`` written with a unit of measure right after it
    (:func:`models.units.unit_after`: "5 miles", "80kg", "a 3-hour wait").

    ``signs``: also a number's currency or percent sign as its unit ("80 pounds" is £80), so
    that "80 kilograms" -> "80 pounds" is a changed unit; a source's signs are left out, the
    number check already keeps them.
    """
    out = []
    for number in numbers:
        digits = number.bare or number.value or number.text
        sign = _SIGN_UNITS.get((number.value or "")[:1])
        if sign:  # "1.5 percent year over year": the sign is the number's unit, not the word after it
            if signs:
                out.append((digits, sign))
            continue
        unit = unit_after(text, number.end)
        if unit:
            out.append((digits, unit))
    return out


#: Signs a number's canonical value starts with, as the unit :func:`_number_units` reports.
_SIGN_UNITS = {"$": "dollars", "£": "pound", "€": "euros", "¥": "yen", "%": "percent"}


def _numbered_names(text: str, spans: Sequence[Span]) -> list[tuple[str, re.Pattern[str]]]:
    """Each name followed by one space and a whole number ("Apollo 11"), with the pattern a
    candidate must match to keep them together; see the module's Names section."""
    names = [s for s in spans if s.kind == NAME and not s.weak]
    numbers = {s.start: s for s in spans if s.kind == NUMBER and not s.weak}
    out: list[tuple[str, re.Pattern[str]]] = []
    for name in names:
        number = numbers.get(name.end + 1)
        if (number is None or text[name.end] != " " or not re.fullmatch(r"\d{1,6}", number.text)
                or _YEAR_RE.fullmatch(number.text)
                or any(_is_calendar_word(w) for w in name.text.split())):
            continue
        pattern = re.compile(r"\s+".join(re.escape(w) for w in name.text.split())
                             + r"(?:['\u2019]s?)?\s*(?:No\.?\s*|#\s*)?" + re.escape(number.text) + r"(?!\d)",
                             re.IGNORECASE)
        out.append((f"{name.text} {number.text}", pattern))
    return out


def _is_calendar_word(word: str) -> bool:
    return _month_number(word) > 0 or bool(_WEEKDAY_RE.fullmatch(word))


_WEEKDAY_RE = re.compile(r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)s?\b")
#: A weekday or month written in lower case ("flights on wednesday", "until july seventh"): what
#: a writer typing fast, or a lower-cased data set, writes. Read as the capitalised word, so the
#: candidate may capitalise it and may not drop it. "may" and "march" are left out: in lower case
#: they are a verb far more often than a month.
_LOWER_CALENDAR_RE = re.compile(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|"
                                r"april|june|july|august|september|october|november|december)s?\b")


#: Lower-case "may" and "march" never make a candidate's "May" or "March" a new month, though
#: they are not protected (:data:`_LOWER_CALENDAR_RE`).
_LOWER_MAY_MARCH_RE = re.compile(r"\b(?:may|march)\b")


#: Lower-case "may" and "march" next to a day ("arriving may seventh", "march 5th", "the 7th of
#: may", "the seventh day of may") are the month: no verb stands there. "first" and "second"
#: are left out ("we may first ask"). Student v2 showed "… arriving may seventh" -> "… arriving
#: on the seventh" on held-out dev. Public: :func:`models.certainty.hedges` reads no hedge there.
_DAY_NUMBER = (r"(?:\d{1,2}(?:st|nd|rd|th)?|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth"
               r"|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|twenty"
               r"|thirtieth|thirty)")
LOWER_MAY_MARCH_DAY_RE = re.compile(rf"\b(?P<before>may|march)(?=\s+{_DAY_NUMBER}\b)"
                                     rf"|\b(?:{_DAY_NUMBER}|first|second)(?:\s+day)?\s+of\s+(?P<after>may|march)\b")


def _lower_calendar_words(text: str) -> dict[str, str]:
    """The capitalised form of each lower-case weekday or month of ``text``, as written there."""
    found = {m.group(1).capitalize(): m.group(0) for m in _LOWER_CALENDAR_RE.finditer(text)}
    for m in LOWER_MAY_MARCH_DAY_RE.finditer(text):
        month = m.group("before") or m.group("after")
        found[month.capitalize()] = month
    return found


def _lower_month_keys(words: Iterable[str]) -> set[str]:
    """The month keys ("m7") of the capitalised calendar words that are months."""
    return {f"m{_MONTHS[w.lower()]}" for w in words if w.lower() in _MONTHS}


def _lower_calendar_kept(said: dict[str, str], candidate: str) -> list[Violation]:
    """A lower-case weekday or month of the source (``said``: :func:`_lower_calendar_words` of
    it) that the candidate does not name in any case or form ("show me flights on wednesday" ->
    "Show me the latest flights": the day dropped; "july" kept by "July", "Jul." or "july")."""
    if not said:
        return []
    lower = _lower_calendar_words(candidate)
    written = {m.group(1) for m in _WEEKDAY_RE.finditer(candidate)} | set(lower)
    months = _months_in(candidate, _month_dates(candidate)) | _lower_month_keys(lower)
    out = []
    for word, as_written in said.items():
        month = _MONTHS.get(word.lower())
        kept = f"m{month}" in months if month else word in written
        if not kept:
            out.append(Violation(DATE, as_written, f"{'month' if month else 'day'} {as_written} missing"))
    return out


def _new_calendar_words(source: str, candidate: str, source_months: set[str], lower_days: set[str], *,
                        month_changed: bool) -> list[Violation]:
    """A weekday or month the source never names is an invented date ("Yesterday" -> "On Friday").

    Read by eye on student candidates: the day was the one date fact numbers and names did not
    cover. ``lower_days``: the source's lower-case weekdays and months, capitalised (a candidate
    may capitalise them). Case-sensitive, so "may" the verb is no month; a month only counts mid-sentence
    ("May I" starts a sentence).
    """
    out = []
    have_days = {m.group(1) for m in _WEEKDAY_RE.finditer(source)} | lower_days  # "on wednesday" -> "on Wednesday"
    for day in dict.fromkeys(m.group(1) for m in _WEEKDAY_RE.finditer(candidate)):
        if day not in have_days:
            out.append(Violation(DATE, day, f"new day {day}"))
    if month_changed:  # "May 22" -> "June 22" is already reported as the source's month missing
        return out
    for m in _FULL_MONTH_RE.finditer(candidate):
        key = f"m{_month_number(m.group(0))}"
        if key not in source_months and not _at_sentence_start(candidate, m.start()) \
                and not (m.group(0) == "May" and _after_name(candidate, m.start())):
            out.append(Violation(DATE, m.group(0), f"new month {m.group(0)}"))
            source_months = source_months | {key}
    return out


def check_candidate(source: str, candidate: str, keep: Iterable[str] = ()) -> list[Violation]:
    """Violations of ``candidate`` against the protected spans of ``source`` (see the module doc)."""
    return SourceFacts(source, tuple(keep)).check(candidate)
