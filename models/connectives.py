"""Contrast a sentence draws, which a paraphrase must keep drawing.

A writer's "X, but Y" or "although X, Y" is part of what they say: a candidate that keeps
both halves and drops the contrast ("the wings were crispy, however skimpy on the sauce" →
"the wings were cooked nice and crispy on the sauce") or keeps one half says something
else, and the meaning scorer passed such candidates. The rule is deliberately narrow:

* only a contrast *inside* the sentence counts: a leading "But", "Yet" or "However," links
  it to the sentence before, and a paraphrase of the sentence alone may drop it;
* uses of the words that draw no contrast are ignored: "all but", "nothing but", "can't help
  but", "not only … but also", "not yet", "yet to", "as yet", "yet another", and "yet"
  anywhere but at a clause's start ("we haven't eaten yet");
* any contrast word in the candidate keeps it ("but" for "although", "while", "despite",
  "unlike", "instead", "only"...), so the check refuses a lost contrast, not a reworded one.

On the student's shown candidates (held-out news at 0.5 and 1.0, the dev split at 0.5: 90
candidates of sources with such a contrast) it refused 10, of which 9 read by eye had lost
the meaning ("The most risk-taking bank in Europe is not in Italy or France, but in
Switzerland." → "… is not situated on Italy, France or Switzerland.").
"""

from __future__ import annotations

import re

from .text import STRAIGHT_APOSTROPHES

#: Words that draw a contrast inside a sentence ("yet" only where it opens a clause: "it was
#: late, yet we stayed"; "we haven't eaten yet" is time).
_SOURCE_CONTRAST = re.compile(
    r"\b(?:but|however|although|though|despite|in spite of|whereas|nevertheless|nonetheless|even so|"
    r"notwithstanding|albeit)\b|(?:^|[,;:]\s*|\band\s+)yet\b", re.IGNORECASE)
#: Uses of those words that draw none, blanked before the search: "all but", "can't help but",
#: "not only … but also".
_NOT_CONTRAST = re.compile(
    r"\b(?:all|nothing|anything|none|everything|everyone|anyone|no one|cannot|can't|couldn't|could not|help) "
    r"but\b|\bnot only\b[^.;]*?\bbut(?: also| as well)?\b|\b(?:not|as|has|have|had|is|are|was|were) yet\b|"
    r"\byet (?:to|another|again|more)\b", re.IGNORECASE)
#: A sentence-initial link to the sentence before ("But", "Yet", "However,", "Still,").
_LEADING_LINK = re.compile(r"^\W*(?:but|yet|however|still|nevertheless|nonetheless|even so)\b[\s,]*", re.IGNORECASE)
#: Words with which a candidate keeps a contrast (a wider set: rewording it is fine).
_CANDIDATE_CONTRAST = re.compile(
    r"\b(?:but|however|although|though|despite|in spite of|yet|whereas|while|whilst|nevertheless|nonetheless|"
    r"even so|even if|even as|even with|even when|still|instead|rather|unlike|contrast|contrary|notwithstanding|"
    r"albeit|only|except|regardless|conversely|other hand|whereby)\b", re.IGNORECASE)


def draws_contrast(sentence: str) -> bool:
    """True when the sentence sets two things against each other inside itself."""
    text = _NOT_CONTRAST.sub(" ", sentence.translate(STRAIGHT_APOSTROPHES))
    return bool(_SOURCE_CONTRAST.search(_LEADING_LINK.sub("", text, count=1)))


def keeps_contrast(source: str, candidate: str) -> bool:
    """False when ``source`` draws a contrast (:func:`draws_contrast`) and ``candidate`` has no
    contrast word at all."""
    if not draws_contrast(source):
        return True
    return bool(_CANDIDATE_CONTRAST.search(_NOT_CONTRAST.sub(" ", candidate.translate(STRAIGHT_APOSTROPHES))))
