"""How many, and how often: "all", "most", "many", "some", "few"; "always", "usually", "often",
"sometimes", "rarely". A paraphrase keeps them.

"All the students passed." -> "Most of the students passed.", "Some analysts expect a cut."
-> "Many analysts expect a cut." and "She rarely drives." -> "She often drives." passed every
check: no number, name or date changes, and the meaning scorer reads the two sentences as
near copies. To a reader they are different claims.

Each quantifier has a strength, on one scale for amounts and frequencies alike, because a
paraphrase may turn one into the other ("usually" -> "most of the time", "often" -> "many
times"):

* *all*: all, every, each, everyone, always, invariably; "not all" / "not always" are *some*;
* *most*: most (not "the most" or "most" before an adjective: a superlative), mostly, the
  majority of, almost/nearly all or every, usually, generally, typically, normally, "most
  often";
* *many*: many, numerous, countless, a lot of, lots of, plenty of, quite a few, often,
  frequently, regularly, repeatedly, routinely ("commonly" is none: "commonly called" is
  "generally called");
* *some*: some (not "some 300": that is "about"), several, a few, a number of, a handful of,
  sometimes, occasionally, at times, from time to time;
* *few*: few (without "a" or another determiner: "the next few days" are *some*), only/very
  few, a small number of, rarely, seldom, hardly ever, "usually not", "not often", "often
  overlooked".

"none"/"never"/"no" are left to :mod:`models.negation`; a number is the numbers check's.

:func:`changed_amounts` compares a candidate with its source: a strength the candidate gives
in place of one the source gave (one new, one gone) is a change. A quantifier dropped is not
("Most analysts expect" -> "Analysts expect" is vaguer, not false), nor one added beside the
source's ("most of whom" kept, "engineers" -> "numerous engineers": another noun's amount,
which MRPC's human paraphrases do), nor one added to a sentence without any. The phrase
look-up applies the same test to the sentence with the alternative in place.

:func:`made_the_top` reads one more amount: a member of a top group made the top itself ("some
of the best pizza in Vegas" -> "the best pizza in Vegas", "one of the hottest places" -> "the
hottest place"). Measured (``runs/s40/partitive.py``, ``runs/s40/facts_diff.py``, not committed):
MRPC paraphrases 1 of 5,506 directions ("Among the most recent additions" -> "The most recent
addition", refused for its numbers already), PAWS-Wiki and GPT teacher cased pairs none, teacher
seed pairs 15 of 115,963 (10 that no other rule refused; mostly real: "one of the best rock
documentaries" -> "the best in its genre"), student v2's shown cards 2 of 2,488, both real.

Measured (``runs/s39/scan_quant.py``, not committed): MRPC paraphrases flag 6 of 5,506
directions ("Some conservative groups" <-> "Many conservatives", "sometimes" <-> "often"),
PAWS-Wiki paraphrases 0 of 3,539, GPT teacher cased pairs 250 of 36,503, most of them real
("occasionally humorous" -> "frequently funny", "several attractions" -> "numerous
attractions", "The majority of the plots" -> "Many of the storylines").
"""

from __future__ import annotations

import re

ALL, MOST, MANY, SOME, FEW = "all", "most", "many", "some", "few"

#: Words after which "few" means "a few": "the next few days", "his few friends".
_DETERMINERS = "a|the|these|those|his|her|its|their|my|our|your|next|last|past|first|every|each|coming"
#: Words that say "not" after a frequency: "often overlooked", "usually fails" are "rarely" (the
#: student wrote "Battlefield achievements are often overlooked" for "are rarely singled out for
#: praise", a faithful paraphrase).
_NEGATIVE_VERBS = (r"fail\w*|lack\w*|overlook\w*|ignor\w*|neglect\w*|miss\w*|avoid\w*|refus\w*|den(?:y|ies|ied)"
                   r"|reject\w*|unrecogni[sz]ed|unnoticed|unmentioned")
#: (strength, expression). Order matters where two start at one place: the first listed wins
#: ("a large number of" before "a number of", "not all" before "all").
_QUANTIFIERS: list[tuple[str, str]] = [
    (SOME, r"\bnot\s+(?:all|always|every|everyone|everybody|everything)\b"),
    (FEW, r"\bnot\s+(?:many|much|often|usually|generally|typically|normally)\b|n't\s+(?:often|usually|generally)\b"
          r"|\b(?:usually|generally|typically|normally|often|frequently|regularly)\s+"
          r"(?:(?:do|does|did|is|are|was|were|will|would|can|could|be|been|get|gets|got|go|goes|went)\s+)?"
          rf"(?:not|never|{_NEGATIVE_VERBS})\b"),
    (MOST, r"\b(?:almost|nearly|virtually|practically)\s+(?:all|every|everyone|everybody|everything|always)\b"),
    (FEW, r"\b(?:almost|nearly|virtually|practically)\s+never\b|\bhardly\s+ever\b|\bscarcely\s+ever\b"),
    (ALL, r"\ball\b(?![\s-]+(?:but|over|along|right|the\s+same|the\s+more|the\s+way|too|time|out|star|in\s+all"
          r"|of\s+a\s+sudden)\b)"
          r"|\bevery(?:one|body|thing)?\b(?!\s+(?:other|so\s+often|now\s+and\s+then|once\s+in\s+a\s+while)\b)"
          r"|\beach\b(?!\s+other\b)|\balways\b|\binvariably\b"),
    (MOST, r"(?<!\bthe\s)\bmost\s+(?:of\b|(?!(?:was|has|does|its|this|his|as)\b|\w*(?:ous|ss|less|ness|is|us)\b)"
           r"[a-z]\w*s\b)|\bmostly\b"
           r"|\b(?:the|a)\s+majority\s+of\b|\busually\b|\bgenerally\b|\btypically\b|\bnormally\b"
           r"|\bmost\s+of\s+the\s+time\b|\bin\s+most\s+cases\b|\bmost\s+often\b|\bmore\s+often\s+than\s+not\b"),
    (MANY, r"\bmany\b|\bnumerous\b|\bcountless\b|\ba\s+lot\s+of\b|\blots\s+of\b|\bplenty\s+of\b|\bquite\s+a\s+few\b"
           r"|\ba\s+(?:large|great|huge|high)\s+number\s+of\b|\boften\b|\bfrequently\b|\bregularly\b"
           r"|\brepeatedly\b|\broutinely\b"),
    (SOME, r"\bsome\b(?!\s+(?:\d|(?:one|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|forty|fifty|sixty"
           r"|seventy|eighty|ninety|hundred|thousand|million|billion|dozen|\w+teen)\b"
           r"|(?:time|point|day|kind|sort|other)\b))"
           r"|\bseveral\b|\ba\s+few\b|\ba\s+number\s+of\b|\ba\s+handful\s+of\b|\bsometimes\b"
           r"|\boccasionally\b|\bat\s+times\b|\bfrom\s+time\s+to\s+time\b|\bevery\s+(?:so\s+often|now\s+and\s+then"
           r"|once\s+in\s+a\s+while)\b|\bnow\s+and\s+then\b"),
    (FEW, r"\b(?:only|very|too|so)\s+few\b|\bonly\s+a\s+(?:few|handful\s+of)\b|\ba\s+small\s+number\s+of\b"
          rf"|(?<!\w)(?!(?:{_DETERMINERS})\s)\w+\s+few\b|^few\b|\brarely\b|\bseldom\b"),
]
#: Phrases that hold a quantifier word but quantify nothing: removed before reading.
_IDIOMS = re.compile(r"\b(?:at|after|above|first\s+of|once\s+and\s+for)\s+all\b|\bit\s+all\b"
                     r"|\ball\s+(?:day|night|week|weekend|month|year|season|summer|winter|morning|afternoon|evening"
                     r"|long)\b|\ball\s+(?:that|this)\b(?!\s+\w+s\b)|\bat\s+(?:the\s+)?most\b"
                     r"|\b(?:as|how|so|too)\s+(?:many|much|few)\b|\ball\s+in\s+all\b|\beach\s+and\s+every\b",
                     re.IGNORECASE)
#: A text without one of these (lower-cased, as a substring) has no quantifier and skips the pattern.
_KEYWORDS = ("all", "every", "each", "always", "invariabl", "most", "major", "usual", "general", "typical",
             "normal", "many", "numerous", "countless", "lot", "plenty", "few", "number", "often", "frequent",
             "regular", "repeated", "routine", "some", "several", "handful", "occasional", "times", "now and then",
             "rare", "seldom", "ever")
_PATTERN = re.compile("|".join(f"(?P<q{n}>{pattern})" for n, (_, pattern) in enumerate(_QUANTIFIERS)),
                      re.IGNORECASE)


def amounts(text: str) -> set[str]:
    """The strengths of the quantifiers ``text`` uses: ``{"all"}`` for "All the students passed."."""
    lower = text.lower()
    if not any(word in lower for word in _KEYWORDS):
        return set()
    text = _IDIOMS.sub(lambda m: " " * len(m.group()), text)
    return {_QUANTIFIERS[int(m.lastgroup[1:])][0] for m in _PATTERN.finditer(text)}  # type: ignore[index]


def changed_amounts(source_amounts: set[str], candidate: str) -> tuple[str, str] | None:
    """(what the source said, what the candidate says instead) when the candidate gives a strength
    its source does not while the source gave one ("all" -> "most"); None otherwise.

    ``source_amounts``: :func:`amounts` of the source, read once per source.
    """
    return replaced_values(source_amounts, amounts(candidate)) if source_amounts else None


def replaced_values(said: set[str], written: set[str]) -> tuple[str, str] | None:
    """(the values said, the new ones) when ``written`` gives a value in place of one ``said`` gave:
    one new and one gone. A value only dropped, or only added beside the others, is no change.
    :func:`models.certainty.changed_certainty` compares its degrees the same way."""
    new, lost = written - said, said - written
    if not new or not lost:
        return None
    return ", ".join(sorted(said)), ", ".join(sorted(new))


#: Words ending in "-est" that are no superlative ("the latest" is a time, not a rank).
_NOT_SUPERLATIVE = frozenset({
    "interest", "forest", "honest", "modest", "request", "test", "rest", "west", "protest", "contest", "chest",
    "guest", "nest", "pest", "quest", "suggest", "arrest", "harvest", "manifest", "invest", "digest", "latest",
    "earnest", "priest", "midwest", "southwest", "northwest", "unrest", "conquest", "inquest", "tempest"})
_POSSESSOR = r"(?:the|its|his|her|their|our)"
_SUPERLATIVE = r"(?:most\s+[a-z]+|best|worst|top|leading|[a-z]{2,}est)"
#: A member of the top group: "one of the best", "some of the largest", "among its most popular".
_TOP_GROUP = re.compile(r"\b(?:(?:one|some|two|three|several|many|few)\s+of|among)\s+" + _POSSESSOR + r"\s+(?P<top>"
                        + _SUPERLATIVE + r")\b", re.IGNORECASE)


def top_groups(text: str) -> dict[str, str]:
    """The superlatives ``text`` names a group of, lower-cased, each with the phrase as written:
    ``{"best": "some of the best"}`` for "great pizza, some of the best in Vegas"."""
    out: dict[str, str] = {}
    for m in _TOP_GROUP.finditer(text):
        top = " ".join(m.group("top").lower().split())
        if top.split()[-1] not in _NOT_SUPERLATIVE:
            out.setdefault(top, " ".join(m.group(0).split()))
    return out


def made_the_top(source_groups: dict[str, str], candidate: str) -> tuple[str, str] | None:
    """(the source's phrase, the candidate's) when the candidate makes one of a top group the top
    itself: "some of the best in Vegas" -> "the best in Vegas", "one of the hottest places" ->
    "the hottest place", "Among the most recent additions" -> "The most recent addition".

    A member of the best is not the best; student v2 wrote it on held-out dev and every check
    passed it. The candidate's own group ("one of its best") or no superlative at all (the
    claim left out, not changed) passes. ``source_groups``: :func:`top_groups` of the source.
    """
    own_groups: dict[str, str] | None = None  # the candidate's, read once when first needed
    for top, said in source_groups.items():
        words = r"\s+".join(map(re.escape, top.split()))
        bare = re.search(r"\b" + _POSSESSOR + r"\s+" + words + r"\b", candidate, re.IGNORECASE)
        if bare is None:
            continue
        if own_groups is None:
            own_groups = top_groups(candidate)
        if top not in own_groups:
            return said, " ".join(bare.group(0).split())
    return None


#: "Not all", "not every": some do not. Made "none" by a candidate that says no one does.
_NOT_ALL = re.compile(r"\bnot\s+(?:all|every|everyone|everybody|everything|each)\b", re.IGNORECASE)
_NONE = re.compile(r"\b(?:none|nobody|no\s+one|nothing|neither)\b|(?:^|[,;:]\s*)\W*no\s+(?:\w+\s+){0,2}?(?:will|would|can"
                   r"|could|is|are|was|were|has|have|had|did|does|should|may|might)\b", re.IGNORECASE)


def made_none(source: str, candidate: str) -> tuple[str, str] | None:
    """(the source's "not every …", the candidate's "no …") when the candidate turns some not doing
    a thing into none doing it: "Not every bank will survive the crisis." -> "No bank will survive
    the crisis." passed every check (0.57): the negation check counts one negation each, and the
    amounts above leave "no" to it. A candidate that keeps "not all", "some" or another amount passes."""
    said = _NOT_ALL.search(source)
    if said is None or _NOT_ALL.search(candidate) or amounts(candidate):
        return None
    written = _NONE.search(candidate)
    return (said.group(0).lower(), written.group(0).strip(" ,;:").lower()) if written else None
