"""The input editor: plain text, a placeholder, and the current sentence highlighted."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QWidget

from ..offsets import py_offset, qt_offset


class InputEditor(QPlainTextEdit):
    """Where the writer types or pastes; Tab moves focus on, so the keyboard never gets stuck."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("inputEditor")
        self.setPlaceholderText("Type or paste a sentence or a paragraph, then press Paraphrase "
                                "(Ctrl+Enter). Long text is worked through one sentence at a time; "
                                "select several sentences to paraphrase them together.")
        self.setAccessibleName("Text to paraphrase")
        self.setAccessibleDescription("Type or paste text; the highlighted sentence is the one being paraphrased")
        self.setTabChangesFocus(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self._highlight_color = QColor("#fff1b8")

    def set_highlight_color(self, color: QColor) -> None:
        self._highlight_color = color

    def cursor_index(self) -> int:
        """The cursor position as a Python index into ``toPlainText()``."""
        return py_offset(self.toPlainText(), self.textCursor().position())

    def highlight(self, start: int | None, end: int | None, text: str | None = None) -> None:
        """Shade ``[start, end)`` (Python indices) as the sentence being worked on; None clears."""
        if start is None or end is None or end <= start:
            self.setExtraSelections([])
            return
        text = self.toPlainText() if text is None else text
        selection = QTextEdit.ExtraSelection()
        fmt = QTextCharFormat()
        fmt.setBackground(self._highlight_color)
        selection.format = fmt
        cursor = QTextCursor(self.document())
        cursor.setPosition(qt_offset(text, start))
        cursor.setPosition(qt_offset(text, end), QTextCursor.MoveMode.KeepAnchor)
        selection.cursor = cursor
        self.setExtraSelections([selection])

    def replace_range(self, start: int, end: int, new_text: str, text: str | None = None) -> None:
        """Replace ``[start, end)`` as one undoable edit (Ctrl+Z brings the old wording back)."""
        text = self.toPlainText() if text is None else text
        cursor = QTextCursor(self.document())
        cursor.beginEditBlock()
        cursor.setPosition(qt_offset(text, start))
        cursor.setPosition(qt_offset(text, end), QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(new_text)
        cursor.endEditBlock()

    def move_cursor_to(self, index: int, text: str | None = None) -> None:
        text = self.toPlainText() if text is None else text
        cursor = self.textCursor()
        cursor.setPosition(qt_offset(text, index))
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    def replace_all(self, new_text: str) -> None:
        """Swap the whole text, undoably (history "Restore")."""
        cursor = QTextCursor(self.document())
        cursor.beginEditBlock()
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.insertText(new_text)
        cursor.endEditBlock()
        self.setFocus(Qt.FocusReason.OtherFocusReason)
