"""A stand-in for :class:`models.phrases.PhraseIndex`: a small table, answers in microseconds.

It has the runtime's query API (``alternatives(text, start, end, k=8, *, scorer=None,
protected=())`` -> ``PhraseAlternatives``) and behaves as the runtime does where the app
relies on it: spans are refused with ``PhraseSpanError`` (a ``ValueError``: empty, out of
range, no word, or overlapping a protected span), the span answered is widened to whole
words (a selection inside a word means that word), an alternative is capitalised like a
capitalised phrase, and an unknown phrase gets no alternatives. Every query is
recorded in ``calls`` (text, start, end, protected) and its scorer in ``scorers``. With ``gate`` (an event), a query waits
for it, so a test decides when the answer comes (the stale-answer test edits the text first).

The result and error types are the runtime's own (``models.phrases``).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping, Sequence

from models.errors import ParaphraseStudioError
from models.phrases import Alternative, PhraseAlternatives, PhraseSpanError

_WORD = re.compile(r"[^\W_]+(?:['\u2019\-][^\W_]+)*")


class MissingIndexError(ParaphraseStudioError):
    """What a missing index raises in these tests: a runtime error without a command of its own."""


#: The stand-in's table: lower-cased phrase -> (alternative, score), best first.
TABLE: dict[str, list[tuple[str, float]]] = {
    "quick": [("fast", 0.92), ("rapid", 0.81), ("speedy", 0.40), ("swift", 0.22)],
    "rose": [("climbed", 0.88), ("increased", 0.85), ("went up", 0.61)],
    "warned": [("cautioned", 0.9), ("said", 0.3)],
    "costs will": [("expenses will", 0.7)],
}


class StandInPhraseIndex:
    """Deterministic alternatives from :data:`TABLE` (or the table given)."""

    def __init__(self, table: Mapping[str, Sequence[tuple[str, float]]] | None = None, *,
                 gate: threading.Event | None = None) -> None:
        self.table = dict(TABLE if table is None else table)
        self.gate = gate
        self.calls: list[tuple[str, int, int, tuple[tuple[int, int], ...]]] = []
        self.scorers: list[object] = []  # each query's ``scorer``, in the order of ``calls``

    def alternatives(self, text: str, start: int, end: int, k: int = 8, *, scorer: object = None,
                     protected: Sequence[tuple[int, int]] = ()) -> PhraseAlternatives:
        self.calls.append((text, start, end, tuple(protected)))
        self.scorers.append(scorer)
        if self.gate is not None:
            self.gate.wait(10)
        if not 0 <= start < end <= len(text):
            raise PhraseSpanError(f"the span {start}:{end} is empty or outside the text (0:{len(text)})")
        inside = [m for m in _WORD.finditer(text) if m.start() < end and start < m.end()]
        if not inside:
            raise PhraseSpanError(f"the span {start}:{end} ({text[start:end]!r}) has no word in it")
        start, end = inside[0].start(), inside[-1].end()  # whole words, as the runtime widens them
        for first, last in protected:
            if first < end and start < last:
                raise PhraseSpanError(f"the span {start}:{end} overlaps the protected text {text[first:last]!r}")
        phrase = text[start:end]
        found = self.table.get(phrase.lower(), [])[:k]
        if phrase[:1].isupper():
            found = [(t[:1].upper() + t[1:], s) for t, s in found]
        return PhraseAlternatives(phrase=phrase, start=start, end=end,
                                  alternatives=tuple(Alternative(t, s) for t, s in found), elapsed_ms=0.1)
