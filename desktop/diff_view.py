"""What changed between a sentence and one alternative, word by word: plain Python, no Qt.

A card shows its alternative with the new wording tinted, the words taken over from the
source plain, and the protected facts it kept (``Candidate.kept``: numbers, names, dates,
frozen phrases) marked, so the writer sees at a glance what moved and that the facts did
not. :func:`word_diff` splits the alternative into :class:`Segment` runs that join back to
it exactly (the card's "Use this" and Copy use ``Candidate.text``, never this view);
:func:`to_html` and :func:`describe` render them for the card and for screen readers.

Words are compared case-insensitively ("However" opening a sentence and "however" inside
one are the same word) with :class:`difflib.SequenceMatcher` over word and punctuation
tokens, so a moved comma does not tint its neighbours; a source word the alignment could
not place (it moved) is not new wording either.
"""

from __future__ import annotations

import difflib
import html
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

#: A segment's kind: wording from the source, new wording, or a protected fact the alternative kept.
SAME, NEW, KEPT = "same", "new", "kept"

_TOKEN = re.compile(r"\w+|[^\w\s]", re.UNICODE)


@dataclass(frozen=True)
class Segment:
    """A run of the alternative's text of one kind (see :data:`SAME`, :data:`NEW`, :data:`KEPT`)."""

    text: str
    kind: str


def _tokens(text: str) -> list[re.Match[str]]:
    return list(_TOKEN.finditer(text))


def _kinds(source: str, candidate: str) -> list[str]:
    """Per character of ``candidate``: NEW where its words are not the source's.

    A word the diff could not align but that the source has (unused) elsewhere moved, it is
    not new wording ("However, costs rose." → "Costs rose, however."), so it stays plain.
    """
    kinds = [SAME] * len(candidate)
    src = [m.group().casefold() for m in _tokens(source)]
    cand = _tokens(candidate)
    keys = [m.group().casefold() for m in cand]
    matcher = difflib.SequenceMatcher(None, src, keys, autojunk=False)
    unaligned = Counter(src)
    changed: list[int] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            unaligned.subtract(src[i1:i2])
        else:
            changed += range(j1, j2)
    new = set()
    for j in changed:
        if unaligned[keys[j]] > 0:
            unaligned[keys[j]] -= 1  # moved
        else:
            new.add(j)
    for j in sorted(new):
        # The spaces between two new words are tinted too, so a rewritten phrase reads as one run.
        end = cand[j + 1].start() if j + 1 in new else cand[j].end()
        for k in range(cand[j].start(), end):
            kinds[k] = NEW
    return kinds


def _mark_kept(candidate: str, kinds: list[str], kept: Sequence[str]) -> None:
    """Mark every occurrence of each kept fact (as written; else ignoring case)."""
    folded = candidate.casefold()
    same_length = len(folded) == len(candidate)  # casefold may change lengths ("ß" → "ss")
    for phrase in kept:
        phrase = phrase.strip()
        if not phrase:
            continue
        hay, needle = (candidate, phrase)
        if phrase not in candidate and same_length:
            hay, needle = folded, phrase.casefold()
        start = hay.find(needle)
        while start >= 0:
            for k in range(start, start + len(needle)):
                kinds[k] = KEPT
            start = hay.find(needle, start + len(needle))


def word_diff(source: str, candidate: str, kept: Sequence[str] = ()) -> list[Segment]:
    """The alternative as runs of source wording, new wording and kept facts.

    The segments' texts join back to ``candidate`` exactly. Without a source there is
    nothing to compare against: the whole text is one SAME segment (kept facts still marked).
    """
    if not candidate:
        return []
    kinds = _kinds(source, candidate) if source.strip() else [SAME] * len(candidate)
    _mark_kept(candidate, kinds, kept)
    segments: list[Segment] = []
    start = 0
    for k in range(1, len(candidate) + 1):
        if k == len(candidate) or kinds[k] != kinds[start]:
            segments.append(Segment(candidate[start:k], kinds[start]))
            start = k
    return segments


def new_share(segments: Sequence[Segment]) -> float:
    """How much of the alternative is new wording (0 to 1, by non-space characters)."""
    total = sum(len(s.text.replace(" ", "")) for s in segments)
    new = sum(len(s.text.replace(" ", "")) for s in segments if s.kind == NEW)
    return new / total if total else 0.0


def to_html(segments: Sequence[Segment], *, new_background: str) -> str:
    """Rich text for a label: new wording on ``new_background`` (a CSS colour), kept facts bold.

    ``white-space: pre-wrap`` keeps the alternative's spaces and line breaks as they are.
    """
    parts = []
    for segment in segments:
        text = html.escape(segment.text, quote=False).replace("\n", "<br>")
        if segment.kind == NEW:
            text = f'<span style="background-color: {new_background};">{text}</span>'
        elif segment.kind == KEPT:
            text = f"<b>{text}</b>"
        parts.append(text)
    return f'<span style="white-space: pre-wrap;">{"".join(parts)}</span>'


def describe(segments: Sequence[Segment], kept: Sequence[str]) -> str:
    """For screen readers: how much is reworded and which facts stayed ("kept: 12%, Dr. Chen")."""
    share = new_share(segments)
    words = "no new wording" if share == 0 else f"about {max(1, round(share * 100))}% new wording"
    facts = [k for k in dict.fromkeys(p.strip() for p in kept) if k]
    return f"{words}; kept: {', '.join(facts)}" if facts else words
