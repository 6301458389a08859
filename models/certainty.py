"""How sure a sentence is: "certainly", "likely", "possibly", "unlikely". A paraphrase keeps it.

"The vote is likely to pass." -> "The vote is possibly going to pass." weakens the claim and
"-> almost certain to pass" strengthens it; the meaning scorer reads both as near copies. The
phrase index offers exactly these swaps: the teachers wrote "possibly", "perhaps" and "almost
certain" for "likely" in other sentences.

Four degrees, each with the words that say it:

* *certain*: certainly, definitely, surely, undoubtedly, inevitably, without (a) doubt, for
  sure, (almost) certain;
* *probable*: likely, probably, probable, presumably, in all likelihood, expected (not "as
  expected", which says it happened);
* *possible*: possibly, perhaps, maybe, possible, potentially, conceivably, might, "may" (not
  "May", read as the month);
* *unlikely*: unlikely, improbable, doubtful, "probably not", "not expected".

:func:`changed_certainty` compares a text with another the way
:func:`models.quantifiers.changed_amounts` does: a degree given in place of one the first text
gave (one new, one gone) is a change; a degree dropped or added beside the first's is not.
"""

from __future__ import annotations

import re

from .quantifiers import replaced_values

CERTAIN, PROBABLE, POSSIBLE, UNLIKELY = "certain", "probable", "possible", "unlikely"

#: (degree, expression), the first listed winning where two start at one place ("probably not"
#: before "probably", "almost certain" before "certain").
_DEGREES: list[tuple[str, str]] = [
    (UNLIKELY, r"\bunlikely\b|\bimprobabl[ey]\b|\bdoubtful\b|\bprobably\s+not\b"
               r"|\bnot\s+(?:be\s+)?(?:likely|expected)\b"),
    # "certain" alone is a determiner as often ("certain groups", "a certain man"): it counts after a
    # verb of being or a hedge ("is certain to", "almost certain")
    (CERTAIN, r"\b(?:(?:is|are|was|were|be|been|seems?|seemed|appears?|looks?)\s+(?:almost\s+|nearly\s+|virtually\s+"
              r"|quite\s+|all\s+but\s+)?|(?:almost|nearly|virtually|all\s+but)\s+)certain\b|\bcertainly\b"
              r"|\bdefinitely\b|\bsurely\b|\bundoubtedly\b|\binevitabl[ey]\b|\bwithout\s+(?:a\s+)?doubt\b"
              r"|\bfor\s+sure\b"),
    (PROBABLE, r"\blikely\b|\bprobabl[ey]\b|\bpresumably\b|\bin\s+all\s+likelihood\b|(?<!\bas\s)\bexpected\b"),
    (POSSIBLE, r"\bpossibl[ey]\b|\bperhaps\b|\bmaybe\b|\bpotentially\b|\bconceivabl[ey]\b|\bmight\b|\bmay\b"),
]
_PATTERN = re.compile("|".join(f"(?P<d{n}>{pattern})" for n, (_, pattern) in enumerate(_DEGREES)))
#: A text without one of these (lower-cased) names no degree and skips the pattern.
_KEYWORDS = ("likel", "probab", "presum", "expect", "certain", "definite", "sure", "doubt", "inevitab", "possib",
             "perhaps", "maybe", "potential", "conceivab", "might", "may")


def certainty(text: str) -> set[str]:
    """The degrees of certainty ``text`` states: ``{"probable"}`` for "The vote is likely to pass."."""
    lower = text.lower()
    if not any(word in lower for word in _KEYWORDS):
        return set()
    return {_DEGREES[int(m.lastgroup[1:])][0] for m in _PATTERN.finditer(_cased_may(text))}  # type: ignore[index]


def _cased_may(text: str) -> str:
    """``text`` lower-cased except "May", which is read as the month (a sentence opening with the
    verb, "May I ask", is rare in the prose this reads)."""
    return "".join(piece if piece == "May" else piece.lower() for piece in re.split(r"(\bMay\b)", text))


def changed_certainty(said: set[str], text: str) -> tuple[str, str] | None:
    """(the degrees first said, the new ones) when ``text`` gives a degree in place of one ``said``
    gave ("likely" -> "possibly"); None otherwise. ``said``: :func:`certainty` of the first text."""
    return replaced_values(said, certainty(text)) if said else None
