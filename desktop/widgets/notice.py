"""A standing, non-modal line about saving: history not saved, or no data folder at all.

It is separate from the window's message banner on purpose: the banner is cleared by every
new run and by a loaded model, and a problem with saving must stay in view until a save
succeeds (or, with no usable data folder, for the whole session).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget


class SaveNotice(QLabel):
    """Shows the current saving problem, or hides itself when there is none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageBanner")  # the banner's look: it is a message of the same kind
        self.setWordWrap(True)
        self.setAccessibleName("Saving problem")
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()

    def set_problem(self, text: str | None) -> None:
        """``text`` is what went wrong and what happens now; None (all saved) hides the line."""
        if text:
            self.setText(text)
            self.show()
        else:
            self.clear()
            self.hide()
