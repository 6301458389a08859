"""Candidate cards: one alternative each, with Copy, Use this and a quiet confidence hint.

Under the text, a card says what is worth checking when the runtime knows it (a word it may
leave out, a negation that may be missing: :attr:`desktop.quality.QualityHint.note`).

The hint reads the meaning scorer's ``Candidate.confidence`` when the runtime has one, else
the model's own score (:func:`desktop.quality.candidate_hint`); the list keeps the cards in
that order as they stream in, and takes the runtime's final order once the run is done
(:meth:`CandidateList.settle`: the ranking may also swap in a candidate it chose over one
already shown).

Each card shows what changed against the source sentence (:mod:`desktop.diff_view`): new
wording tinted, words taken over plain, the protected facts it kept (``Candidate.kept``) in
bold; its accessible description says the same in words. Copy and "Use this" always take
``Candidate.text`` itself, never the shown rich text.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (QFrame, QHBoxLayout, QLabel, QPushButton, QScrollArea, QSizePolicy,
                               QVBoxLayout, QWidget)

from models import Candidate

from .. import theme
from ..diff_view import Segment, describe, to_html, word_diff
from ..quality import candidate_hint

#: The text label's tooltip when it shows a diff.
DIFF_TOOLTIP = "Tinted: new wording · plain: words from your sentence · bold: facts it kept"


class CandidateCard(QFrame):
    """Shows one candidate; emits the text when the writer copies or uses it."""

    copy_requested = Signal(object)  # Candidate
    use_requested = Signal(object)  # Candidate

    def __init__(self, candidate: Candidate, number: int, parent: QWidget | None = None, *,
                 source: str = "") -> None:
        super().__init__(parent)
        self.candidate = candidate
        self.source = source
        #: The alternative as runs of source wording, new wording and kept facts (empty without a source).
        self.segments: list[Segment] = word_diff(source, candidate.text, candidate.kept) if source.strip() else []
        self.setObjectName("candidateCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)

        self.text_label = QLabel(candidate.text)
        self.text_label.setObjectName("candidateText")
        self.text_label.setWordWrap(True)
        # Selectable so a writer can take half a sentence; keyboard-selectable for accessibility.
        self.text_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                                | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.text_label.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        if self.segments:
            self.text_label.setTextFormat(Qt.TextFormat.RichText)
            self.text_label.setText(to_html(self.segments, new_background=theme.NEW_WORDING_BACKGROUND))
            self.text_label.setToolTip(DIFF_TOOLTIP)
        else:
            self.text_label.setTextFormat(Qt.TextFormat.PlainText)

        hint = candidate_hint(candidate)
        self.hint = hint
        self.quality_label = QLabel(f"{hint.dots}  {hint.label}")
        self.quality_label.setObjectName("qualityHint")
        self.quality_label.setToolTip(hint.tooltip)
        #: The change worth checking ("Worth a look: may leave out “sorely”"), hidden when none is known.
        self.note_label = QLabel(hint.note)
        self.note_label.setObjectName("candidateNote")
        self.note_label.setTextFormat(Qt.TextFormat.PlainText)
        self.note_label.setWordWrap(True)
        self.note_label.setVisible(bool(hint.note))

        self.copy_button = QPushButton("Copy")
        self.use_button = QPushButton("Use this")
        self.copy_button.setMinimumWidth(self.copy_button.fontMetrics().horizontalAdvance("Copied ✓") + 28)
        for button in (self.copy_button, self.use_button):
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.setAutoDefault(False)
        self.copy_button.clicked.connect(self._copy_clicked)
        self.use_button.clicked.connect(lambda: self.use_requested.emit(self.candidate))

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.quality_label)
        row.addStretch(1)
        row.addWidget(self.copy_button)
        row.addWidget(self.use_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 8)
        layout.setSpacing(6)
        layout.addWidget(self.text_label)
        layout.addWidget(self.note_label)
        layout.addLayout(row)
        self.set_number(number)

    def _copy_clicked(self) -> None:
        self.copy_requested.emit(self.candidate)
        self.copy_button.setText("Copied ✓")
        # The button is the timer's context, so a card removed meanwhile is simply skipped.
        QTimer.singleShot(1500, self.copy_button, lambda: self.copy_button.setText("Copy"))

    def set_number(self, number: int) -> None:
        """Position in the ranked list: names for screen readers and the Ctrl+N shortcut hint."""
        self.number = number
        self.setAccessibleName(f"Alternative {number}")
        changes = f"; {describe(self.segments, self.candidate.kept)}" if self.segments else ""
        note = f"; {self.hint.note}" if self.hint.note else ""
        self.setAccessibleDescription(f"{self.candidate.text} ({self.hint.label}{note}{changes})")
        self.text_label.setAccessibleName(f"Alternative {number} text")
        self.quality_label.setAccessibleName(f"Alternative {number} confidence: {self.hint.label}")
        self.note_label.setAccessibleName(f"Alternative {number} note")
        self.copy_button.setAccessibleName(f"Copy alternative {number}")
        self.use_button.setAccessibleName(f"Use alternative {number}")
        shortcut = f" (Ctrl+{number})" if number <= 9 else ""
        self.use_button.setToolTip(f"Replace the highlighted sentence with this alternative{shortcut}")
        self.copy_button.setToolTip("Copy this alternative to the clipboard")

    def set_chosen(self, chosen: bool) -> None:
        self.setProperty("chosen", "true" if chosen else "false")
        self.style().unpolish(self)
        self.style().polish(self)


def rank_key(candidate: Candidate) -> tuple[bool, float]:
    """Streaming order, best first: confidence when the runtime has it, else the score."""
    if candidate.confidence is not None:
        return True, candidate.confidence
    return False, candidate.score


class CandidateList(QScrollArea):
    """A scrolling column of cards kept in rank order as candidates stream in."""

    copy_requested = Signal(object)
    use_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setAccessibleName("Alternatives")
        self._container = QWidget()
        self._container.setObjectName("cardContainer")
        self._layout = QVBoxLayout(self._container)
        self._layout.setContentsMargins(0, 0, 4, 0)
        self._layout.setSpacing(8)
        self.empty_label = QLabel("Alternatives appear here, one by one, as the model writes them.")
        self.empty_label.setObjectName("sectionHint")
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setAccessibleName("No alternatives yet")
        self._layout.addWidget(self.empty_label)
        self._layout.addStretch(1)
        self.setWidget(self._container)
        self._cards: list[CandidateCard] = []
        self._source = ""  # the sentence(s) the coming cards were written for (their diff's source)

    def set_source(self, source: str) -> None:
        """The text the next cards are alternatives for: each shows what changed against it."""
        self._source = source

    def cards(self) -> list[CandidateCard]:
        return list(self._cards)

    def candidates(self) -> list[Candidate]:
        return [card.candidate for card in self._cards]

    def set_empty_text(self, text: str) -> None:
        self.empty_label.setText(text)

    def clear(self) -> None:
        for card in self._cards:
            self._layout.removeWidget(card)
            card.deleteLater()
        self._cards = []
        self.empty_label.show()

    def add_candidate(self, candidate: Candidate) -> CandidateCard:
        """Insert a card at its rank (:func:`rank_key`, best first), so the list is always in order."""
        key = rank_key(candidate)
        position = next((i for i, c in enumerate(self._cards) if key > rank_key(c.candidate)), len(self._cards))
        card = self._new_card(candidate, position)
        self._cards.insert(position, card)
        self._renumber()
        return card

    def settle(self, candidates: list[Candidate]) -> None:
        """Show exactly ``candidates``, in their order: the run's final ranking.

        Cards already shown for one of them stay (their Copy state, the chosen mark, focus);
        a card the ranking left out goes, and one it chose but never streamed is added.
        """
        shown: dict[Candidate, list[CandidateCard]] = {}
        for card in self._cards:
            shown.setdefault(card.candidate, []).append(card)
        settled: list[CandidateCard] = []
        for position, candidate in enumerate(candidates):
            same = shown.get(candidate)
            if same:
                card = same.pop(0)
                self._layout.removeWidget(card)
                self._layout.insertWidget(position, card)
            else:
                card = self._new_card(candidate, position)
            settled.append(card)
        for left_over in (card for cards in shown.values() for card in cards):
            self._layout.removeWidget(left_over)
            left_over.deleteLater()
        self._cards = settled
        self.empty_label.setVisible(not settled)
        self._renumber()

    def _new_card(self, candidate: Candidate, position: int) -> CandidateCard:
        card = CandidateCard(candidate, position + 1, self._container, source=self._source)
        card.copy_requested.connect(self.copy_requested)
        card.use_requested.connect(self.use_requested)
        self.empty_label.hide()
        self._layout.insertWidget(position, card)
        card.show()  # a layout would only show it from a queued call; be visible (and focusable) now
        return card

    def _renumber(self) -> None:
        for number, existing in enumerate(self._cards, start=1):
            if existing.number != number:
                existing.set_number(number)
        self._fix_tab_order()

    def mark_chosen(self, text: str | None) -> None:
        for card in self._cards:
            card.set_chosen(text is not None and card.candidate.text == text)

    def _fix_tab_order(self) -> None:
        """Tab walks the cards top to bottom: text, Copy, Use this, then the next card."""
        chain: list[QWidget] = []
        for card in self._cards:
            chain += [card.text_label, card.copy_button, card.use_button]
        for first, second in zip(chain, chain[1:]):
            QWidget.setTabOrder(first, second)
