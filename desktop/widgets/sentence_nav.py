"""Previous / next sentence, for stepping through a long text one sentence at a time."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget


class SentenceNavigator(QWidget):
    """Shows "Sentence 2 of 7" and the sentence being worked on; emits ``step(-1|+1)``."""

    step = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.prev_button = QToolButton()
        self.prev_button.setText("◀ Previous")
        self.prev_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.prev_button.setAccessibleName("Previous sentence")
        self.prev_button.setToolTip("Previous sentence (Ctrl+[)")
        self.prev_button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.next_button = QToolButton()
        self.next_button.setText("Next ▶")
        self.next_button.setAccessibleName("Next sentence")
        self.next_button.setToolTip("Next sentence (Ctrl+])")
        self.next_button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.position_label = QLabel("")
        self.position_label.setObjectName("sectionTitle")
        self.position_label.setAccessibleName("Sentence position")
        self.sentence_label = QLabel("")
        self.sentence_label.setObjectName("mutedLabel")
        self.sentence_label.setAccessibleName("Sentence being paraphrased")
        self.sentence_label.setTextFormat(Qt.TextFormat.PlainText)
        self.sentence_label.setMinimumWidth(50)
        self.prev_button.clicked.connect(lambda: self.step.emit(-1))
        self.next_button.clicked.connect(lambda: self.step.emit(1))

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.position_label)
        layout.addWidget(self.sentence_label, 1)
        layout.addWidget(self.prev_button)
        layout.addWidget(self.next_button)
        self.set_position(None, 0, "")

    def set_position(self, number: int | None, total: int, sentence: str) -> None:
        """``number`` is 1-based among paraphrasable sentences; None hides the navigator's text."""
        if number is None or total == 0:
            self.position_label.setText("")
            self.sentence_label.setText("")
            self.prev_button.setEnabled(False)
            self.next_button.setEnabled(False)
            return
        self.position_label.setText(f"Sentence {number} of {total}")
        shown = sentence if len(sentence) <= 90 else sentence[:89] + "…"
        self.sentence_label.setText(f"“{shown}”")
        self.sentence_label.setToolTip(sentence)
        self.prev_button.setEnabled(number > 1)
        self.next_button.setEnabled(number < total)
