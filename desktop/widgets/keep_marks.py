"""Phrases the writer marked "Keep unchanged" in the editor, following the text as it is edited.

Each mark is a pair of :class:`QTextCursor` on the editor's document; Qt moves cursors as
text is inserted or removed, so a mark stays on its words wherever they go. The start
cursor moves on when text is typed right at it, and the end cursor keeps its place
(``keepPositionOnInsert``), so words typed just before or just after a marked phrase stay
outside the mark; words typed inside it become part of it. A mark whose words were all
deleted has collapsed (start == end) and is dropped the next time the marks are read.

Positions here are Qt's (UTF-16 units, as :class:`QTextCursor` counts them); the editor
turns them into Python indices (:mod:`desktop.offsets`).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor, QTextDocument
from PySide6.QtWidgets import QTextEdit

from .. import theme


@dataclass
class _Mark:
    start: QTextCursor
    end: QTextCursor

    def range(self) -> tuple[int, int]:
        return self.start.position(), self.end.position()


class KeepMarks:
    """The marks on one document: add, find, remove, and draw them as extra selections."""

    def __init__(self, document: QTextDocument) -> None:
        self._document = document
        self._marks: list[_Mark] = []

    def __len__(self) -> int:
        return len(self.ranges())

    def add(self, start: int, end: int) -> None:
        """Mark ``[start, end)`` (Qt positions; the caller has trimmed spaces)."""
        first = QTextCursor(self._document)
        first.setPosition(start)
        last = QTextCursor(self._document)
        last.setPosition(end)
        last.setKeepPositionOnInsert(True)
        self._marks.append(_Mark(first, last))

    def ranges(self) -> list[tuple[int, int]]:
        """Every live mark's ``(start, end)``, in text order; collapsed marks are dropped here."""
        self._marks = [m for m in self._marks if m.range()[1] > m.range()[0]]
        self._marks.sort(key=lambda m: m.range())
        return [m.range() for m in self._marks]

    def touching(self, start: int, end: int) -> list[tuple[int, int]]:
        """The marks a selection ``[start, end)`` overlaps, or, for a bare cursor, the ones it is in or at."""
        if end > start:
            return [(s, e) for s, e in self.ranges() if s < end and start < e]
        return [(s, e) for s, e in self.ranges() if s <= start <= e]

    def remove(self, ranges: list[tuple[int, int]]) -> None:
        gone = set(ranges)
        self._marks = [m for m in self._marks if m.range() not in gone]

    def clear(self) -> None:
        self._marks = []

    def selections(self) -> list[QTextEdit.ExtraSelection]:
        """The marks as the editor draws them: a soft background and a dashed underline."""
        fmt = QTextCharFormat()
        fmt.setBackground(QColor(*theme.KEEP_MARK_RGBA))
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DashUnderline)
        fmt.setUnderlineColor(QColor(theme.KEEP_MARK_UNDERLINE))
        out = []
        for start, end in self.ranges():
            selection = QTextEdit.ExtraSelection()
            cursor = QTextCursor(self._document)
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            selection.cursor = cursor
            selection.format = fmt
            out.append(selection)
        return out
