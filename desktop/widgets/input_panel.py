"""The upper half of the window: the editor, its character count, the controls and the messages."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from .controls import GenerationControls
from .editor import InputEditor
from .notice import MessageBanner, SaveNotice


class InputPanel(QWidget):
    """Editor, "n / 20,000 characters", style and count controls, Cancel and Paraphrase, banner, save notice.

    The window connects the buttons; this class only lays them out.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = InputEditor()
        self.char_count = QLabel("")
        self.char_count.setObjectName("mutedLabel")
        self.char_count.setAccessibleName("Character count")
        self.controls = GenerationControls()
        self.paraphrase_button = QPushButton("Paraphrase")
        self.paraphrase_button.setObjectName("primaryButton")
        self.paraphrase_button.setAccessibleName("Paraphrase")
        self.paraphrase_button.setDefault(False)
        self.paraphrase_button.setAutoDefault(False)
        self.paraphrase_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.shortcut_hint = QLabel("")
        self.shortcut_hint.setObjectName("mutedLabel")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAccessibleName("Cancel")
        self.cancel_button.setToolTip("Stop writing alternatives (Esc)")
        self.cancel_button.setEnabled(False)
        self.banner = MessageBanner()
        self.save_notice = SaveNotice()

        controls_row = QHBoxLayout()
        controls_row.setContentsMargins(0, 0, 0, 0)
        controls_row.addWidget(self.controls, 1)
        controls_row.addSpacing(12)
        controls_row.addWidget(self.cancel_button)
        controls_row.addWidget(self.paraphrase_button)
        controls_row.addWidget(self.shortcut_hint)
        count_row = QHBoxLayout()
        count_row.setContentsMargins(0, 0, 0, 0)
        count_row.addStretch(1)
        count_row.addWidget(self.char_count)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 6)
        layout.setSpacing(6)
        layout.addWidget(self.editor, 1)
        layout.addLayout(count_row)
        layout.addLayout(controls_row)
        layout.addWidget(self.banner)
        layout.addWidget(self.save_notice)

    def set_shortcut(self, native: str) -> None:
        """Show the Paraphrase shortcut (Ctrl+Return, ⌘↩) beside the button and in its tooltip."""
        self.paraphrase_button.setToolTip(f"Write alternatives for the highlighted sentence, "
                                          f"or for the selected sentences together ({native})")
        self.shortcut_hint.setText(native)
