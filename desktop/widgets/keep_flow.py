"""Keep unchanged: the writer marks words in the editor that every alternative must keep.

Part of :class:`desktop.widgets.main_window.MainWindow` (a mixin, so the window stays
readable). The marks themselves live in the editor (:class:`desktop.widgets.keep_marks.KeepMarks`,
following the text as it is edited); this part connects Ctrl+K and the Edit menu to them,
says what happened in the status bar, and refuses a mark that spans two sentences (the
runtime keeps phrases per sentence). Each run then passes the marked phrases that lie in
its sentence as ``keep`` (see ``RunFlow._start`` and :func:`desktop.alternatives.phrases_within`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from models.text import MAX_INPUT_CHARS

if TYPE_CHECKING:
    from .main_window import MainWindow

#: How long a Keep unchanged message stays in the status bar (ms).
MESSAGE_MS = 6000


class KeepFlow:
    """Ctrl+K / Edit ▸ Keep unchanged, and the rule that a kept phrase lies in one sentence."""

    def _wire_keep(self: MainWindow) -> None:
        self.editor.keep_check = self._keep_problem
        self.editor.keep_message.connect(self._keep_said)
        self.menus.keep_requested.connect(self.toggle_keep)

    def toggle_keep(self: MainWindow) -> str:
        """Keep the selected words unchanged, or stop keeping the marked phrase at the cursor."""
        return self.editor.toggle_keep()

    def kept_phrases(self: MainWindow) -> list[str]:
        """The phrases marked in the editor now, in text order."""
        return self.editor.kept_phrases()

    def _keep_said(self: MainWindow, message: str) -> None:
        self.statusBar().showMessage(message, MESSAGE_MS)

    def _keep_problem(self: MainWindow, start: int, end: int) -> str | None:
        """Why ``[start, end)`` of the editor's text cannot be kept, or None: it must lie in one sentence."""
        text = self.editor.toPlainText()
        if len(text) > MAX_INPUT_CHARS:
            return None  # no sentences are read in a text too long to paraphrase; the run will say so
        session = self.alternatives.session_for(text)
        for index in session.wordy:
            first, last = session.span(index)
            if first <= start and end <= last:
                return None
        return ("Keep unchanged works within one sentence: select words of a single sentence "
                "(mark each sentence's words on their own).")
