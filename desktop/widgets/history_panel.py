"""Recent inputs and the alternative chosen for each, newest first."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QDockWidget, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton,
                               QVBoxLayout, QWidget)

from ..storage import HistoryEntry


def _one_line(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class HistoryPanel(QWidget):
    """Lists history entries; asks the window to restore or copy one, or to clear all."""

    restore_requested = Signal(object)  # HistoryEntry
    copy_requested = Signal(object)  # HistoryEntry
    clear_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("History")
        self.list = QListWidget()
        self.list.setAccessibleName("Recent paraphrases")
        self.list.setWordWrap(True)
        self.list.setObjectName("historyList")
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        self.list.itemActivated.connect(lambda item: self.restore_requested.emit(item.data(Qt.ItemDataRole.UserRole)))
        self.list.currentRowChanged.connect(self._update_buttons)

        self.empty_label = QLabel("Sentences you paraphrase, and the wording you pick, are listed here.")
        self.empty_label.setObjectName("sectionHint")
        self.empty_label.setWordWrap(True)

        self.restore_button = QPushButton("&Restore")
        self.restore_button.setToolTip("Put this input back in the editor (Ctrl+Z undoes it)")
        self.restore_button.setAccessibleName("Restore input from history")
        self.copy_button = QPushButton("C&opy result")
        self.copy_button.setToolTip("Copy the chosen alternative (or the input if none was chosen)")
        self.copy_button.setAccessibleName("Copy result from history")
        self.clear_button = QPushButton("Clear")
        self.clear_button.setAccessibleName("Clear history")
        self.restore_button.clicked.connect(lambda: self._emit_current(self.restore_requested))
        self.copy_button.clicked.connect(lambda: self._emit_current(self.copy_requested))
        self.clear_button.clicked.connect(self.clear_requested)

        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.copy_button)
        buttons.addStretch(1)
        buttons.addWidget(self.clear_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self.set_entries([])

    def set_entries(self, entries: list[HistoryEntry]) -> None:
        self.list.clear()
        for entry in entries:
            if entry.chosen:
                text = f"{_one_line(entry.input)}\n→ {_one_line(entry.chosen)}"
            else:
                text = f"{_one_line(entry.input)}\n   {entry.candidates} alternatives, none used"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, entry)
            item.setToolTip(entry.input + (f"\n\nChosen: {entry.chosen}" if entry.chosen else ""))
            self.list.addItem(item)
        self.empty_label.setVisible(not entries)
        self.clear_button.setEnabled(bool(entries))
        if entries:
            self.list.setCurrentRow(0)
        self._update_buttons()

    def entries(self) -> list[HistoryEntry]:
        return [self.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.list.count())]

    def _emit_current(self, signal: Signal) -> None:
        item = self.list.currentItem()
        if item is not None:
            signal.emit(item.data(Qt.ItemDataRole.UserRole))

    def _update_buttons(self, *_args: object) -> None:
        has = self.list.currentItem() is not None
        self.restore_button.setEnabled(has)
        self.copy_button.setEnabled(has)


class HistoryDock(QDockWidget):
    """The history panel as a dock at the window's side (closable, movable; View ▸ History panel)."""

    def __init__(self, panel: HistoryPanel, parent: QWidget | None = None) -> None:
        super().__init__("History", parent)
        self.setObjectName("historyDock")
        self.setAccessibleName("History panel")
        self.setWidget(panel)
        self.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetClosable
                         | QDockWidget.DockWidgetFeature.DockWidgetMovable)
