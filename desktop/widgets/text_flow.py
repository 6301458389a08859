"""Using alternatives: put one in place of its sentence(s), step between sentences, follow the text.

Part of :class:`desktop.widgets.main_window.MainWindow` (a mixin, so the window stays
readable): "Use this" replaces the sentence in the editor as one undo step, records the
choice and moves on to the next sentence; the text's sentence split (the session in
:class:`desktop.alternatives.Alternatives`) follows the writer's edits, debounced, with
the character count, the too-long message and the highlight of the sentence at the cursor.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtGui import QGuiApplication

from models import Candidate, InputError
from models.text import MAX_INPUT_CHARS, check_input

from ..alternatives import Target
from ..session import SentenceSession

if TYPE_CHECKING:
    from .main_window import MainWindow

log = logging.getLogger("desktop.widgets.main_window")


class TextFlow:
    """Use this, Ctrl+1…9, previous/next sentence, and the text's state (see the module docstring)."""

    # -- choosing ------------------------------------------------------------------------

    def copy_candidate(self: MainWindow, candidate: Candidate) -> None:
        QGuiApplication.clipboard().setText(candidate.text)
        self.statusBar().showMessage("Copied to the clipboard", 2500)

    def use_number(self: MainWindow, number: int) -> None:
        cards = self.cards.cards()
        if 1 <= number <= len(cards):
            self.use_candidate(cards[number - 1].candidate)

    def use_candidate(self: MainWindow, candidate: Candidate) -> None:
        """Swap the alternative in for its sentence, record the choice, move to the next sentence."""
        target = self.alternatives.target
        if target is None:
            return
        if target.span is not None:
            self._use_for_selection(candidate, target)
            return
        session = self._current_session(validate=False)
        if session is None:
            return
        index = self.alternatives.locate_target(session)
        if index is None:
            self.banner.say("That sentence has changed since these alternatives were written. "
                            "Press Paraphrase to write new ones.")
            return
        before = session.compose()
        replacement = session.replace(index, candidate.text)
        self.editor.replace_range(replacement.start, replacement.end, replacement.text, text=before)
        self.alternatives.session_text = text = session.compose()
        if self.editor.toPlainText() != text:  # defensive: never trust a stale session
            log.warning("editor and sentence session disagree after a replacement; re-reading the text")
            self.alternatives.forget_session()
        self._chosen(target.original, candidate.text)
        self.alternatives.target = Target(index=index, current=session.sentence(index), original=target.original)
        following = session.neighbour(index, 1) if self.alternatives.session is not None else None
        if following is not None:
            self.editor.move_cursor_to(session.span(following)[0], text=text)
            self._start(following, use_cache=True)
        else:
            self.editor.move_cursor_to(replacement.start + len(replacement.text), text=text)
            self.worker.cancel()
            self._update_buttons()
            self.cards_status.setText("Done: the last sentence is updated.")
            self._refresh_highlight()
        self.statusBar().showMessage("Replaced the sentence (Ctrl+Z undoes it)", 3000)

    def _use_for_selection(self: MainWindow, candidate: Candidate, target: Target) -> None:
        """Put a whole-text alternative in place of the selected sentences (one undo step)."""
        text = self.editor.toPlainText()
        span = self.alternatives.locate_selection(text)
        if span is None:
            self.banner.say("Those sentences have changed since these alternatives were written. "
                            "Select them and press Paraphrase to write new ones.")
            return
        start, end = span
        self.editor.replace_range(start, end, candidate.text, text=text)
        self.alternatives.forget_session()  # the sentences changed: split again on the next look
        self.alternatives.target = Target(index=-1, current=candidate.text, original=target.original,
                                          span=(start, start + len(candidate.text)))
        self._chosen(target.original, candidate.text)
        self.editor.move_cursor_to(start + len(candidate.text))
        self.cards_status.setText("Done: the selected sentences are updated.")
        self.statusBar().showMessage("Replaced the selected sentences (Ctrl+Z undoes it)", 3000)

    def _chosen(self: MainWindow, original: str, text: str) -> None:
        """Record the writer's choice in the history and mark its card."""
        self.history.choose(original, text, model=self._model_name())
        self._refresh_history()
        self.cards.mark_chosen(text)

    def step_sentence(self: MainWindow, step: int) -> None:
        """Previous/next sentence: move there and show (or write) its alternatives."""
        session = self._current_session()
        if session is None:
            return
        here = session.index_at(self.editor.cursor_index())
        target = session.neighbour(here, step) if here is not None else None
        if target is None:
            return
        self.editor.move_cursor_to(session.span(target)[0], text=self.alternatives.session_text)
        self._refresh_highlight()
        if self.alternatives.active and self.worker.paraphraser is not None:
            self._start(target, use_cache=True)

    # -- text state ----------------------------------------------------------------------

    def _current_session(self: MainWindow, *, validate: bool = True) -> SentenceSession | None:
        """The session for the editor's current text, rebuilt if the writer edited it."""
        text = self.editor.toPlainText()
        if validate or not self.alternatives.is_current(text):
            try:
                check_input(text)
            except InputError as error:
                self.banner.say(str(error), kind="input")
                return None
        return self.alternatives.session_for(text)

    def _refresh_text_state(self: MainWindow) -> None:
        """Debounced: character count, the too-long message and the sentence highlight."""
        length = len(self.editor.toPlainText())
        self.char_count.setText(f"{length:,} / {MAX_INPUT_CHARS:,} characters")
        self._too_long = self.banner.pinned = length > MAX_INPUT_CHARS
        if self._too_long:
            self.alternatives.forget_session()
            self.editor.highlight(None, None)
            self.navigator.set_position(None, 0, "")
            self.banner.say(f"This text is {length:,} characters long; Paraphrase Studio works on up to "
                            f"{MAX_INPUT_CHARS:,} characters at a time (about 3,000 words). "
                            "Keep the part you are working on and paste the rest later.", kind="too_long")
        elif self.banner.kind in ("input", "too_long"):  # the writer fixed the text
            self.banner.dismiss()
        self._update_buttons()
        if not self._too_long:
            self._refresh_highlight()

    def _refresh_highlight(self: MainWindow) -> None:
        text = self.editor.toPlainText()
        session = self.alternatives.session_for(text) if text.strip() and len(text) <= MAX_INPUT_CHARS else None
        index = session.index_at(self.editor.cursor_index()) if session is not None else None
        if session is None or index is None:
            self.editor.highlight(None, None)
            self.navigator.set_position(None, 0, "")
            return
        start, end = session.span(index)
        leading = len(session.texts[index]) - len(session.texts[index].lstrip())
        wordy = session.wordy
        if len(wordy) > 1 or self.alternatives.active:
            self.editor.highlight(start + leading, end, text)
        else:
            self.editor.highlight(None, None)
        self.navigator.set_position(wordy.index(index) + 1, len(wordy), session.sentence(index))
        self.prev_action.setEnabled(self.navigator.prev_button.isEnabled())
        self.next_action.setEnabled(self.navigator.next_button.isEnabled())
