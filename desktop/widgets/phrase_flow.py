"""Phrase alternatives: double-click a word, or select words and press Ctrl+J, and pick another wording.

Part of :class:`desktop.widgets.main_window.MainWindow` (a mixin, so the window stays
readable). A double-click selects the word as Qt always does (a double-click and drag,
word by word), then the popup opens below it once the button is up; Ctrl+J, Edit ▸
Alternatives for this phrase and the editor's right-click menu do the same for the
selection (or the word at the cursor, or at the click). What to ask is
decided by :func:`desktop.phrase_request.plan_phrase`: the phrase's sentence (or line) is
the context, with the phrase's offsets and the Keep unchanged marks in it as ``protected``;
a kept phrase is refused with a message instead of a query. The query runs on
:class:`desktop.phrase_worker.PhraseWorker`'s own thread while the popup says "Looking…",
ranked in context by the paraphraser's meaning scorer when it has one.

An answer is used only if the editor's text is still the one asked about (else it is
dropped as stale), and choosing one replaces the phrase as one undo step
(:meth:`InputEditor.replace_range`). If the index cannot be loaded, the message banner
says so once, with the command that builds it; later requests say it in the status bar,
and a plain double-click then stays a plain double-click.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer
from PySide6.QtGui import QAction, QGuiApplication, QTextCursor
from PySide6.QtWidgets import QMenu

from models.text import MAX_INPUT_CHARS

from ..offsets import py_offset, qt_offset
from ..phrase_request import PhraseRequest, Refusal, plan_phrase, unavailable_message
from ..phrase_worker import PhraseWorker
from .phrase_popup import PhrasePopup

if TYPE_CHECKING:
    from collections.abc import Callable

    from models.phrases import PhraseAlternatives

    from .main_window import MainWindow

log = logging.getLogger("desktop.widgets.main_window")

#: The shortcut (the menu bar's action has it; the context menu shows it).
PHRASE_SHORTCUT = "Ctrl+J"
#: How long a phrase message stays in the status bar (ms).
MESSAGE_MS = 6000


class _DoubleClicks(QObject):
    """Hears double-clicks on the editor's viewport; the editor always gets them first.

    The popup opens once the button is up again: a Qt popup grabs the mouse, so opening it
    while the button is still held would take the release (and a double-click-and-drag,
    which selects word by word, from the editor). A double-click whose release is already
    past (or never comes, as with a synthetic one) opens it on the next turn of the loop.
    """

    def __init__(self, viewport: QObject, then: Callable[[], None]) -> None:
        super().__init__(viewport)
        self._then = then
        self._armed = False
        viewport.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        kind = event.type()
        if kind == QEvent.Type.MouseButtonDblClick and event.button() == Qt.MouseButton.LeftButton:
            self._armed = True
            QTimer.singleShot(0, self._if_released)  # after the editor has selected the word
        elif kind == QEvent.Type.MouseButtonRelease and self._armed:
            self._armed = False
            QTimer.singleShot(0, self._then)  # after the editor has finished the selection
        elif kind == QEvent.Type.MouseButtonPress:
            self._armed = False
        return False  # the editor always gets the event

    def _if_released(self) -> None:
        if self._armed and not QGuiApplication.mouseButtons() & Qt.MouseButton.LeftButton:
            self._armed = False
            self._then()


class PhraseFlow:
    """The phrase popup and its query (see the module docstring)."""

    def _wire_phrases(self: MainWindow) -> None:
        self.phrase_worker = PhraseWorker(self)
        self.phrase_worker.answered.connect(self._on_phrase_answer)
        self.phrase_worker.failed.connect(self._on_phrase_failed)
        self.phrase_worker.unavailable.connect(self._on_phrase_unavailable)
        self.phrase_popup = PhrasePopup(self.editor)
        self.phrase_popup.chosen.connect(self._use_phrase)
        self.phrase_popup.dismissed.connect(self._phrase_popup_closed)
        self.phrase_request: PhraseRequest | None = None  # what the popup on show was opened for
        self._phrase_span: tuple[int, int] | None = None  # what its alternatives replace (editor indices)
        self.phrase_error: Exception | None = None  # why the index could not be loaded, if it could not
        self._phrase_notice_shown = False
        self._double_clicks = _DoubleClicks(self.editor.viewport(), self._phrase_at_double_click)
        self.menus.phrase_requested.connect(self.phrase_alternatives)
        # The window adds its entry to the editor's own menu (Keep unchanged, Copy, Paste…).
        self.editor.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.editor.customContextMenuRequested.connect(self._show_editor_menu)

    # -- asking ------------------------------------------------------------------------------

    def phrase_alternatives(self: MainWindow) -> PhraseRequest | Refusal | None:
        """Ctrl+J: alternatives for the selected words, or for the word at the cursor."""
        start, end = self._phrase_target(self.editor.textCursor())
        return self.phrase_alternatives_for(start, end)

    def phrase_alternatives_for(self: MainWindow, start: int, end: int, *,
                                quiet: bool = False) -> PhraseRequest | Refusal | None:
        """Open the popup for the editor's ``[start, end)`` (Python indices) and ask the index.

        ``quiet`` (a double-click): a click on no word, or an index known to be missing,
        does nothing rather than talk. Returns the query asked, the refusal shown, or None.
        """
        if quiet and self.phrase_error is not None:
            return None
        text = self.editor.toPlainText()
        plan = plan_phrase(text, start, end, sentences=self._sentence_spans(text), kept=self.editor.keep_spans())
        if isinstance(plan, Refusal):
            self.phrase_request = self._phrase_span = None  # an answer still coming is not for this
            self.phrase_worker.cancel()
            if not (quiet and plan.quiet):
                self.statusBar().showMessage(plan.message, MESSAGE_MS)
                if not plan.quiet:  # a kept phrase, a selection too long: say it at the words too
                    self._open_popup(start, text)
                    self.phrase_popup.say(plan.message, text[start:end].strip())
            return plan
        self.phrase_request, self._phrase_span = plan, None
        self._open_popup(plan.editor_span[0], text)
        self.phrase_popup.looking(plan.phrase)
        # The model's meaning scorer, when it has one, ranks the alternatives in their sentence.
        self.phrase_worker.ask(plan, scorer=getattr(self.worker.paraphraser, "scorer", None))
        return plan

    def _phrase_at_double_click(self: MainWindow) -> None:
        cursor = self.editor.textCursor()
        if cursor.hasSelection():
            text = self.editor.toPlainText()
            self.phrase_alternatives_for(py_offset(text, cursor.selectionStart()),
                                         py_offset(text, cursor.selectionEnd()), quiet=True)

    def _phrase_target(self: MainWindow, cursor: QTextCursor) -> tuple[int, int]:
        """The selection, or the word at the cursor (Qt's word boundaries, as a double-click uses)."""
        if not cursor.hasSelection():
            cursor = QTextCursor(cursor)
            cursor.select(QTextCursor.SelectionType.WordUnderCursor)
        text = self.editor.toPlainText()
        return py_offset(text, cursor.selectionStart()), py_offset(text, cursor.selectionEnd())

    def _sentence_spans(self: MainWindow, text: str) -> list[tuple[int, int]]:
        """The sentences of the text, as the window splits them (none for a text too long to split)."""
        if not text.strip() or len(text) > MAX_INPUT_CHARS:
            return []
        session = self.alternatives.session_for(text)
        return [session.span(index) for index in session.wordy]

    def _open_popup(self: MainWindow, start: int, text: str) -> None:
        """Show the popup below the phrase's first character (above it when there is no room)."""
        cursor = QTextCursor(self.editor.document())
        cursor.setPosition(qt_offset(text, start))
        rect = self.editor.cursorRect(cursor)
        viewport = self.editor.viewport()
        self.phrase_popup.open_at(viewport.mapToGlobal(rect.bottomLeft()), viewport.mapToGlobal(rect.topLeft()).y())

    # -- answers -------------------------------------------------------------------------------

    def _on_phrase_answer(self: MainWindow, request: PhraseRequest, answer: PhraseAlternatives) -> None:
        if request is not self.phrase_request or not self.phrase_popup.isVisible():
            return
        if request.is_stale(self.editor.toPlainText()):
            log.info("dropped phrase alternatives for %r: the text changed while they were looked up", request.phrase)
            self.phrase_request = None
            self.phrase_popup.hide()
            self.statusBar().showMessage("The text changed while looking: ask again for alternatives.", MESSAGE_MS)
            return
        self.phrase_error = None
        # The index replaces the span it read (trimmed, widened to whole words), not always the selection.
        self._phrase_span = request.editor_span_of(answer.start, answer.end)
        alternatives = [(alternative.text, float(alternative.score)) for alternative in answer.alternatives]
        self.phrase_popup.show_alternatives(answer.phrase or request.phrase, alternatives)

    def _on_phrase_failed(self: MainWindow, request: PhraseRequest, error: Exception) -> None:
        if request is not self.phrase_request or not self.phrase_popup.isVisible():
            return
        self.phrase_error = None
        if not isinstance(error, ValueError):  # PhraseSpanError is a ValueError: the span, said plainly
            log.error("phrase alternatives failed: %s", error)
        self.phrase_popup.say(str(error) or "No alternatives for this phrase.")

    def _on_phrase_unavailable(self: MainWindow, request: PhraseRequest, error: Exception) -> None:
        if request is not self.phrase_request:
            return
        self.phrase_error = error
        self.phrase_request = None
        self.phrase_popup.hide()
        message = unavailable_message(error)
        if not self._phrase_notice_shown:
            self._phrase_notice_shown = True
            self.banner.say(message, kind="phrases")
        self.statusBar().showMessage(message.splitlines()[-1], MESSAGE_MS)

    # -- choosing ------------------------------------------------------------------------------

    def _use_phrase(self: MainWindow, alternative: str) -> None:
        """Put the chosen alternative in place of the phrase, as one undo step."""
        request, span = self.phrase_request, self._phrase_span
        self.phrase_request = self._phrase_span = None
        self.editor.setFocus(Qt.FocusReason.PopupFocusReason)
        if request is None or span is None:
            return
        text = self.editor.toPlainText()
        if request.is_stale(text):
            self.statusBar().showMessage("The text changed since the alternatives were looked up: "
                                         "ask again for alternatives.", MESSAGE_MS)
            return
        start, end = span
        self.editor.replace_range(start, end, alternative, text=text)  # one edit block: one undo step
        self.editor.move_cursor_to(start + len(alternative))
        self.statusBar().showMessage(f"Replaced \u201c{text[start:end]}\u201d with \u201c{alternative}\u201d "
                                     "(Ctrl+Z undoes it)", MESSAGE_MS)

    def _phrase_popup_closed(self: MainWindow) -> None:
        """Closed without a choice: forget the query and give the editor the keyboard back."""
        self.phrase_request = self._phrase_span = None
        self.phrase_worker.cancel()
        self.editor.setFocus(Qt.FocusReason.PopupFocusReason)

    # -- the editor's menu ---------------------------------------------------------------------

    def phrase_context_menu(self: MainWindow, pos: QPoint) -> QMenu:
        """The editor's menu plus "Alternatives for this phrase" (the selection, or the word clicked)."""
        menu = self.editor.context_menu(pos)
        cursor = self.editor.textCursor()
        if not cursor.hasSelection():
            cursor = self.editor.cursorForPosition(pos)
        start, end = self._phrase_target(cursor)
        action = QAction("&Alternatives for this phrase", menu)
        action.setObjectName("phraseAction")
        action.setShortcut(PHRASE_SHORTCUT)
        action.setShortcutVisibleInContextMenu(True)
        action.setEnabled(end > start)
        action.triggered.connect(lambda: self.phrase_alternatives_for(start, end))
        menu.addAction(action)
        return menu

    def _show_editor_menu(self: MainWindow, pos: QPoint) -> None:
        menu = self.phrase_context_menu(pos)
        menu.exec(self.editor.viewport().mapToGlobal(pos))
        menu.deleteLater()
