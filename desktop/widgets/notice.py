"""Standing messages: the message banner, and the notice about saving.

The save notice (a non-modal line: history not saved, or no data folder at all) is separate
from the message banner on purpose: the banner is cleared by every
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


class MessageBanner(QLabel):
    """One message line above the sentences; its ``kind`` says what clears it.

    Kinds in use: ``"input"`` (the text was refused; goes once the writer fixes it),
    ``"too_long"`` (pinned while the text is over the limit), ``"model"`` (the model did not
    load; goes when it does) and ``"info"``. A new run hides whatever is shown.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageBanner")
        self.setWordWrap(True)
        self.setAccessibleName("Message")
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.kind = ""
        self.pinned = False  # the text is too long: the message stays until it is not
        self.hide()

    def say(self, message: str, *, kind: str = "info") -> None:
        self.kind = kind
        self.setText(message)
        self.show()

    def dismiss(self) -> None:
        """Hide the message, unless it is pinned."""
        if self.pinned:
            return
        self.kind = ""
        self.hide()
