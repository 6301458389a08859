"""The input editor: plain text, a placeholder, the current sentence highlighted, kept phrases marked."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QAction, QColor, QContextMenuEvent, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QMenu, QPlainTextEdit, QTextEdit, QWidget

from ..offsets import py_offset, qt_offset
from .keep_marks import KeepMarks

#: The Keep unchanged shortcut (the menu bar's action has it; the context menu shows it).
KEEP_SHORTCUT = "Ctrl+K"

#: Says why a selection ``[start, end)`` (Python indices) cannot be kept, or None when it can.
KeepCheck = Callable[[int, int], "str | None"]


class InputEditor(QPlainTextEdit):
    """Where the writer types or pastes; Tab moves focus on, so the keyboard never gets stuck."""

    #: What a Keep unchanged request did, in the writer's words (the window shows it).
    keep_message = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("inputEditor")
        self.setPlaceholderText("Type or paste a sentence or a paragraph, then press Paraphrase "
                                "(Ctrl+Enter). Long text is worked through one sentence at a time; "
                                "select several sentences to paraphrase them together.")
        self.setAccessibleName("Text to paraphrase")
        self.setAccessibleDescription("Type or paste text; the highlighted sentence is the one being paraphrased; "
                                      f"select words and press {KEEP_SHORTCUT} to keep them unchanged")
        self.setTabChangesFocus(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self._highlight_color = QColor("#fff1b8")
        self._sentence: list[QTextEdit.ExtraSelection] = []
        self.marks = KeepMarks(self.document())
        self._marks_drawn = 0
        self.keep_check: KeepCheck | None = None  # the window's sentence rule for a new mark
        self.textChanged.connect(self._marks_moved)

    def set_highlight_color(self, color: QColor) -> None:
        self._highlight_color = color

    def cursor_index(self) -> int:
        """The cursor position as a Python index into ``toPlainText()``."""
        return py_offset(self.toPlainText(), self.textCursor().position())

    def highlight(self, start: int | None, end: int | None, text: str | None = None) -> None:
        """Shade ``[start, end)`` (Python indices) as the sentence being worked on; None clears."""
        self._sentence = []
        if start is not None and end is not None and end > start:
            text = self.toPlainText() if text is None else text
            selection = QTextEdit.ExtraSelection()
            fmt = QTextCharFormat()
            fmt.setBackground(self._highlight_color)
            selection.format = fmt
            cursor = QTextCursor(self.document())
            cursor.setPosition(qt_offset(text, start))
            cursor.setPosition(qt_offset(text, end), QTextCursor.MoveMode.KeepAnchor)
            selection.cursor = cursor
            self._sentence = [selection]
        self._draw()

    def _draw(self) -> None:
        """The sentence highlight, then the kept phrases over it."""
        marks = self.marks.selections()
        self._marks_drawn = len(marks)
        self.setExtraSelections(self._sentence + marks)

    def _marks_moved(self) -> None:
        """Redraw the marks as they follow an edit (nothing to do in a text without marks)."""
        if self._marks_drawn or len(self.marks):
            self._draw()

    # -- Keep unchanged ------------------------------------------------------------------

    def keep_spans(self) -> list[tuple[int, int]]:
        """Where the kept phrases are: Python ``[start, end)`` into ``toPlainText()``, in text order."""
        text = self.toPlainText()
        return [(py_offset(text, s), py_offset(text, e)) for s, e in self.marks.ranges()]

    def kept_phrases(self) -> list[str]:
        text = self.toPlainText()
        return [text[s:e] for s, e in self.keep_spans()]

    def toggle_keep(self, at: int | None = None) -> str:
        """Ctrl+K: keep the selected words unchanged, or stop keeping the marked phrase here.

        Without a selection, ``at`` (a Qt position, the context menu's click) or the cursor
        says which mark to remove. Returns, and emits as ``keep_message``, what happened.
        """
        cursor = self.textCursor()
        if cursor.hasSelection():
            start, end = cursor.selectionStart(), cursor.selectionEnd()
        else:
            start = end = cursor.position() if at is None else at
        text = self.toPlainText()
        touched = self.marks.touching(start, end)
        if touched:
            phrases = ", ".join(f"\u201c{text[py_offset(text, s):py_offset(text, e)]}\u201d" for s, e in touched)
            self.marks.remove(touched)
            message = f"No longer keeping {phrases} unchanged."
        elif end == start:
            message = f"Select the words to keep unchanged, then press {KEEP_SHORTCUT}."
        else:
            message = self._add_mark(text, py_offset(text, start), py_offset(text, end))
        self._draw()
        self.keep_message.emit(message)
        return message

    def _add_mark(self, text: str, start: int, end: int) -> str:
        """Mark the selection (Python indices) without its surrounding spaces."""
        phrase = text[start:end]
        if not phrase.strip():
            return "The selection is only spaces: select the words to keep unchanged."
        start += len(phrase) - len(phrase.lstrip())
        end -= len(phrase) - len(phrase.rstrip())
        problem = self.keep_check(start, end) if self.keep_check is not None else None
        if problem:
            return problem
        self.marks.add(qt_offset(text, start), qt_offset(text, end))
        return (f"Keeping \u201c{text[start:end]}\u201d unchanged in every alternative "
                f"({KEEP_SHORTCUT} on it again stops).")

    def context_menu(self, pos: QPoint) -> QMenu:
        """The standard menu plus Keep unchanged, or Stop keeping on a marked phrase."""
        menu = self.createStandardContextMenu(pos)
        cursor = self.textCursor()
        at = self.cursorForPosition(pos).position()
        start, end = (cursor.selectionStart(), cursor.selectionEnd()) if cursor.hasSelection() else (at, at)
        menu.addSeparator()
        if self.marks.touching(start, end):
            action = QAction("Stop &keeping unchanged", menu)
        else:
            action = QAction("&Keep unchanged", menu)
            action.setEnabled(cursor.hasSelection())
        action.setShortcut(KEEP_SHORTCUT)
        action.setShortcutVisibleInContextMenu(True)
        action.setObjectName("keepAction")
        action.triggered.connect(lambda: self.toggle_keep(at))
        menu.addAction(action)
        return menu

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 - Qt override
        menu = self.context_menu(event.pos())
        menu.exec(event.globalPos())
        menu.deleteLater()

    # -- edits -----------------------------------------------------------------------------

    def replace_range(self, start: int, end: int, new_text: str, text: str | None = None) -> None:
        """Replace ``[start, end)`` as one undoable edit (Ctrl+Z brings the old wording back).

        Phrases kept inside the range are marked again where the new text has them (an
        alternative keeps them verbatim), so "Use this" does not drop the writer's marks.
        """
        text = self.toPlainText() if text is None else text
        qt_start, qt_end = qt_offset(text, start), qt_offset(text, end)
        inside = [text[py_offset(text, s):py_offset(text, e)]
                  for s, e in self.marks.ranges() if qt_start <= s and e <= qt_end]
        cursor = QTextCursor(self.document())
        cursor.beginEditBlock()
        cursor.setPosition(qt_start)
        cursor.setPosition(qt_end, QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(new_text)
        cursor.endEditBlock()
        self._mark_again(inside, new_text, qt_start)

    def _mark_again(self, phrases: list[str], new_text: str, qt_start: int) -> None:
        taken: list[tuple[int, int]] = []
        for phrase in phrases:
            found = new_text.find(phrase)
            while found >= 0 and (found, found + len(phrase)) in taken:
                found = new_text.find(phrase, found + 1)
            if found >= 0:
                taken.append((found, found + len(phrase)))
                self.marks.add(qt_start + qt_offset(new_text, found),
                               qt_start + qt_offset(new_text, found + len(phrase)))
        if phrases:
            self._draw()

    def move_cursor_to(self, index: int, text: str | None = None) -> None:
        text = self.toPlainText() if text is None else text
        cursor = self.textCursor()
        cursor.setPosition(qt_offset(text, index))
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    def replace_all(self, new_text: str) -> None:
        """Swap the whole text, undoably (history "Restore"); its kept phrases go with it."""
        cursor = QTextCursor(self.document())
        cursor.beginEditBlock()
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.insertText(new_text)
        cursor.endEditBlock()
        self.marks.clear()
        self._draw()
        self.setFocus(Qt.FocusReason.OtherFocusReason)
