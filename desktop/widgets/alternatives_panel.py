"""The lower half of the window: which sentence, its alternatives as cards, and how the run goes.

The panel only shows what it is told: the window decides what to write and when; the
navigator's ``step`` and the cards' ``copy_requested`` / ``use_requested`` go back to it.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QVBoxLayout, QWidget

from models import Candidate

from .candidate_card import CandidateList
from .progress import progress_text, show_progress
from .sentence_nav import SentenceNavigator


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


class AlternativesPanel(QWidget):
    """Navigator, title, status line, busy bar and the candidate cards."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.navigator = SentenceNavigator()
        self.cards_title = QLabel("Alternatives")
        self.cards_title.setObjectName("sectionTitle")
        self.cards_status = QLabel("")
        self.cards_status.setObjectName("mutedLabel")
        self.cards_status.setAccessibleName("Generation status")
        # the runtime's note may run to two lines (a long sentence: why, and that splitting it helps);
        # unwrapped, it would set the window's minimum width
        self.cards_status.setWordWrap(True)
        self.busy_bar = QProgressBar()
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setMaximumWidth(120)
        self.busy_bar.setMaximumHeight(6)
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setAccessibleName("Writing alternatives")
        self.busy_bar.hide()
        header = QHBoxLayout()
        header.setContentsMargins(0, 0, 0, 0)
        header.addWidget(self.cards_title)
        header.addWidget(self.cards_status, 1)
        header.addWidget(self.busy_bar)
        self.cards = CandidateList()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 6, 14, 10)
        layout.setSpacing(8)
        layout.addWidget(self.navigator)
        layout.addLayout(header)
        layout.addWidget(self.cards, 1)
        self.shown = 0  # cards of the current run on screen

    def begin(self, title: str, source: str = "") -> None:
        """New alternatives are coming for ``title``'s sentence(s), ``source``: clear the old ones."""
        self.cards.clear()
        self.cards.set_source(source)
        self.shown = 0
        self.cards_title.setText(title)

    def writing(self, n: int) -> None:
        """A run for one sentence has started."""
        self.busy_bar.setRange(0, 0)
        self.cards.set_empty_text("Writing alternatives…")
        self.cards_status.setText(f"Writing {_plural(n, 'alternative')}…")

    def writing_text(self, count: int) -> None:
        """A run for ``count`` selected sentences has started; progress comes in sentences."""
        self.cards.set_empty_text("Writing alternatives for the selected sentences…")
        self.cards_status.setText(progress_text(0, count))
        self.busy_bar.setRange(0, 0)  # moving until the first sentence is done

    def progress(self, done: int, total: int) -> None:
        show_progress(self.cards_status, self.busy_bar, done, total)

    def add(self, candidate: Candidate, total: int) -> None:
        """One more card of a running job (``total`` asked for)."""
        self.cards.add_candidate(candidate)
        self.shown += 1
        self.cards_status.setText(f"Writing alternatives… {self.shown} of {total}")

    def recalled(self, candidates: list[Candidate], written_ahead: bool) -> None:
        """Show alternatives kept from earlier in the session (in their run's final order),
        saying where they come from."""
        self.cards.settle(candidates)
        self.cards_status.setText("Written ahead while you read; Paraphrase writes new ones." if written_ahead
                                  else "Shown again from this session; Paraphrase writes new ones.")

    def stopped(self) -> None:
        """The writer cancelled the run; the cards already shown stay."""
        self.cards_status.setText(f"Stopped after {_plural(self.shown, 'alternative')}.")
        self.cards.set_empty_text("Stopped before the first alternative was finished.")

    def settle(self, candidates: list[Candidate]) -> None:
        """The run's result: its candidates, in the runtime's final order, replace the streamed cards.

        With the meaning scorer the runtime ranks once every candidate is in (and may keep one
        it accepted after the first n were shown), so the streamed order is only provisional.
        """
        self.cards.settle(candidates)
        self.shown = len(candidates)

    def finished(self, count: int, note: str | None = None) -> None:
        """The run is done; ``note`` says why fewer alternatives than asked came back (the runtime's words).

        The runtime returns fewer rather than show a wording that changed a number, dropped a
        name or, by its meaning check, lost the meaning, so the writer is told that, not left
        to wonder where the other cards went.
        """
        self.cards_status.setText(note or "")
        if not count:
            if note and "fact" in note:
                empty = ("No wording kept every fact of this sentence (its numbers, names and kept words). "
                         "Try again, or move the slider towards Faithful.")
            elif note and "meaning" in note:
                empty = ("No wording kept the meaning of this sentence closely enough. "
                         "Try again, or move the slider towards Faithful.")
            else:
                empty = ("The model did not find a different wording for this sentence. "
                         "Try again, or move the slider towards Creative.")
            self.cards.set_empty_text(empty)

    def failed(self) -> None:
        self.cards_status.setText("")
        self.cards.set_empty_text("No alternatives.")

    def set_busy(self, busy: bool) -> None:
        self.busy_bar.setVisible(busy)
