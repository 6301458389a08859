"""Python string indices vs Qt document positions.

Python counts code points; Qt counts UTF-16 units, so every character outside the Basic
Multilingual Plane (most emoji) is two positions in the editor. Sentence spans come from
Python, so every cursor operation converts through here.
"""

from __future__ import annotations


def qt_offset(text: str, index: int) -> int:
    """Python (code point) index -> Qt document position (UTF-16 units: emoji count twice)."""
    head = text[:index]
    return index + sum(1 for ch in head if ord(ch) > 0xFFFF)


def py_offset(text: str, position: int) -> int:
    """Qt document position -> Python index in ``text``."""
    units = 0
    for index, ch in enumerate(text):
        if units >= position:
            return index
        units += 2 if ord(ch) > 0xFFFF else 1
    return len(text)
