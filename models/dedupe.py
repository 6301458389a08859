"""Deciding when a candidate is a copy of the input or of another candidate.

Comparison is on normalised words (case and punctuation ignored): "It rained." and
"it rained" are the same paraphrase to a writer.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

_WORD = re.compile(r"\w+", re.UNICODE)

#: Word-sequence similarity at or above which two texts count as the same wording.
DUPLICATE_SIMILARITY = 0.9


def words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def similarity(a: str, b: str) -> float:
    """Ratio of matching words in order (0 = nothing shared, 1 = same words)."""
    wa, wb = words(a), words(b)
    if not wa and not wb:
        return 1.0
    return SequenceMatcher(None, wa, wb, autojunk=False).ratio()


def is_copy(candidate: str, source: str) -> bool:
    return similarity(candidate, source) >= DUPLICATE_SIMILARITY


def is_near_duplicate(candidate: str, accepted: list[str]) -> bool:
    return any(similarity(candidate, other) >= DUPLICATE_SIMILARITY for other in accepted)
