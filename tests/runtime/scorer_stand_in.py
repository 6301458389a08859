"""A stand-in meaning scorer: the :class:`models.confidence.Scorer` protocol, no model needed.

It gives every candidate a fixed confidence, except a candidate holding one of the ``doubted``
words, which gets ``low`` (below the threshold: the pipeline refuses it). ``per_text`` pins the
confidence of exact candidate texts, and ``spread`` varies the rest deterministically (a CRC of
the text), for the tiny model's rows, whose words are no English. Every call is recorded.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Sequence

import numpy as np


class StandInScorer:
    name = "stand-in-scorer"

    def __init__(self, *, threshold: float = 0.5, high: float = 0.9, low: float = 0.1,
                 doubted: Iterable[str] = ("MARKER",), per_text: dict[str, float] | None = None,
                 spread: bool = False, refuse_every: int = 0) -> None:
        self.threshold = threshold
        self.high, self.low = high, low
        self.doubted = tuple(word.casefold() for word in doubted)
        self.per_text = dict(per_text or {})
        self.spread = spread  # vary confidences from the text: 0.55..0.99
        self.refuse_every = refuse_every  # also refuse about one text in this many (by its CRC)
        self.calls: list[tuple[list[str], list[str]]] = []

    def confidence(self, candidate: str) -> float:
        if candidate in self.per_text:
            return self.per_text[candidate]
        crc = zlib.crc32(candidate.encode("utf-8"))
        if any(word in candidate.casefold() for word in self.doubted):
            return self.low
        if self.refuse_every and crc % self.refuse_every == 0:
            return self.low
        return 0.55 + (crc % 45) / 100 if self.spread else self.high

    def score(self, sources: Sequence[str], candidates: Sequence[str]) -> np.ndarray:
        assert len(sources) == len(candidates) and all(s.strip() for s in sources)
        self.calls.append((list(sources), list(candidates)))
        return np.array([self.confidence(c) for c in candidates], dtype=np.float32)
