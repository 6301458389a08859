"""The small list of phrase alternatives that opens at a word in the editor.

It has three states: "Looking…" while the query runs, the alternatives (best first, each
with a quiet dot hint of how it compares with the best), or one line of text ("No
alternatives for ‘X’", a kept phrase, an error). It is a :attr:`Qt.WindowType.Popup`, like a
completer: it takes the keyboard while open and a click elsewhere closes it.

Keys: Up/Down (and Page Up/Down, Home/End) move, Enter chooses, Esc closes; any other key
closes it and goes on to the editor, so typing simply carries on (over the double-clicked
word, as it would without the popup). It emits ``chosen`` with the alternative's text, or
``dismissed`` when it closes without a choice; the window puts the focus back in the editor.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QEvent, QModelIndex, QObject, QPoint, QSize, Qt, Signal
from PySide6.QtGui import QFont, QGuiApplication, QHideEvent, QKeyEvent, QPainter, QPalette
from PySide6.QtWidgets import (QFrame, QLabel, QListWidget, QListWidgetItem, QStyle, QStyledItemDelegate,
                               QStyleOptionViewItem, QVBoxLayout, QWidget)

from ..phrase_request import fit_levels

#: Where an item keeps its dot hint (the delegate draws it at the right).
HINT_ROLE = Qt.ItemDataRole.UserRole + 1
#: The text the popup shows while the query runs.
LOOKING = "Looking\u2026"
#: Rows shown before the list scrolls.
MAX_ROWS = 8

_LABELS = {3: "strong match", 2: "fair match", 1: "weaker match"}
_NAVIGATION = {Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown,
               Qt.Key.Key_Home, Qt.Key.Key_End}
_CHOOSE = {Qt.Key.Key_Return, Qt.Key.Key_Enter}


class _HintDelegate(QStyledItemDelegate):
    """Draws an item's dots (●●○) small and muted at its right edge."""

    SPACE = 44  # pixels kept free for the dots

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        super().paint(painter, option, index)
        dots = index.data(HINT_ROLE)
        if not dots:
            return
        painter.save()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.PlaceholderText
        painter.setPen(option.palette.color(role))
        font = QFont(option.font)
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * 0.75)
        painter.setFont(font)
        painter.drawText(option.rect.adjusted(0, 0, -6, 0),
                         int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), dots)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:  # noqa: N802 - Qt override
        size = super().sizeHint(option, index)
        return QSize(size.width() + self.SPACE, max(size.height(), 22))


class PhrasePopup(QFrame):
    """Alternatives for one phrase, at the phrase; keyboard first (see the module docstring)."""

    chosen = Signal(str)  # the alternative's text
    dismissed = Signal()  # closed without a choice (Esc, a click elsewhere, typing on)

    def __init__(self, editor: QWidget) -> None:
        super().__init__(editor, Qt.WindowType.Popup)
        self._editor = editor
        self.setObjectName("phrasePopup")
        self.setAccessibleName("Phrase alternatives")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.header = QLabel("")
        self.header.setObjectName("phraseHeader")
        self.header.setAccessibleName("Phrase alternatives status")
        self.header.setTextFormat(Qt.TextFormat.PlainText)
        self.header.setWordWrap(True)
        self.list = QListWidget()
        self.list.setObjectName("phraseList")
        self.list.setAccessibleName("Alternatives for the phrase")
        self.list.setItemDelegate(_HintDelegate(self.list))
        self.list.setUniformItemSizes(True)
        self.list.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.itemClicked.connect(self._choose)
        self.list.installEventFilter(self)
        self.footer = QLabel("")
        self.footer.setObjectName("mutedLabel")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(4)
        layout.addWidget(self.header)
        layout.addWidget(self.list)
        layout.addWidget(self.footer)
        self.phrase = ""
        self._choice_made = False
        self._anchor: tuple[QPoint, int] | None = None  # below the phrase (global), and its top

    # -- states --------------------------------------------------------------------------

    def looking(self, phrase: str) -> None:
        """The query for ``phrase`` runs: say so (Esc still closes)."""
        self._state(phrase, LOOKING, "Esc to close")

    def say(self, message: str, phrase: str = "") -> None:
        """One line instead of alternatives (none found, a kept phrase, an error)."""
        self._state(phrase or self.phrase, message, "Esc to close")

    def show_alternatives(self, phrase: str, alternatives: Sequence[tuple[str, float]]) -> None:
        """The alternatives, best first; none at all says so."""
        if not alternatives:
            self.say(f"No alternatives for \u2018{phrase}\u2019", phrase)
            return
        self.phrase = phrase
        self.header.setText(f"Instead of \u201c{phrase}\u201d")
        self.list.clear()
        for (text, score), level in zip(alternatives, fit_levels([s for _, s in alternatives])):
            item = QListWidgetItem(text)
            label = _LABELS[level]
            item.setData(HINT_ROLE, "\u25cf" * level + "\u25cb" * (3 - level))
            item.setToolTip(f"{label.capitalize()} compared with the best alternative here (score {score:.2f})")
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{text}, {label}")
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        rows = min(self.list.count(), MAX_ROWS)
        frame = 2 * self.list.frameWidth()
        width = max(self.list.sizeHintForColumn(0) + frame + self.list.verticalScrollBar().sizeHint().width(), 160)
        self.list.setFixedSize(min(width, 420), self.list.sizeHintForRow(0) * rows + frame)
        self.list.show()
        self.footer.setText("\u2191\u2193 choose \u00b7 Enter replace \u00b7 Esc close")
        self._place()
        if self.isVisible():
            self.list.setFocus(Qt.FocusReason.PopupFocusReason)

    def alternatives(self) -> list[str]:
        """The alternatives on show, in order (empty in the other states, and when closed)."""
        if not self.isVisible() or self.list.isHidden():
            return []
        return [self.list.item(row).text() for row in range(self.list.count())]

    def _state(self, phrase: str, message: str, footer: str) -> None:
        self.phrase = phrase
        self.header.setText(message)
        self.list.clear()
        self.list.hide()
        self.footer.setText(footer)
        self._place()
        if self.isVisible():
            self.setFocus(Qt.FocusReason.PopupFocusReason)

    # -- showing ---------------------------------------------------------------------------

    def open_at(self, below: QPoint, above_top: int) -> None:
        """Show just below ``below`` (global), or above ``above_top`` when there is no room below."""
        self._choice_made = False
        self._anchor = (QPoint(below), above_top)
        self._place()
        self.show()
        self.raise_()
        self.activateWindow()
        (self.list if self.list.isVisible() else self).setFocus(Qt.FocusReason.PopupFocusReason)

    def _place(self) -> None:
        """Size to the content and keep to the anchor, on screen (again after each change of state)."""
        self.adjustSize()
        if self._anchor is None:
            return
        below, above_top = self._anchor
        screen = QGuiApplication.screenAt(below) or self._editor.screen()
        area = screen.availableGeometry()
        x = max(area.left(), min(below.x(), area.right() - self.width() + 1))
        y = below.y() + 2
        if y + self.height() > area.bottom() + 1:
            y = max(area.top(), above_top - self.height() - 2)
        self.move(x, y)

    # -- keys and choices --------------------------------------------------------------------

    def choose_current(self) -> bool:
        """Enter: choose the highlighted alternative; False when there is none."""
        item = self.list.currentItem() if self.list.isVisible() else None
        if item is None:
            return False
        self._choose(item)
        return True

    def _choose(self, item: QListWidgetItem) -> None:
        self._choice_made = True
        self.hide()
        self.chosen.emit(item.text())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self.list and event.type() == QEvent.Type.KeyPress:
            return self._key(event)  # type: ignore[arg-type]
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if not self._key(event):
            super().keyPressEvent(event)

    def _key(self, event: QKeyEvent) -> bool:
        """Handle a key the popup answers; True when it did (the list does not see it then)."""
        key = event.key()
        if key in _NAVIGATION and self.list.isVisible():
            return False  # the list moves its highlight
        if key in _CHOOSE:
            if not self.choose_current():
                self.hide()
            return True
        if key == Qt.Key.Key_Escape:
            self.hide()
            return True
        if key in (Qt.Key.Key_Shift, Qt.Key.Key_Control, Qt.Key.Key_Alt, Qt.Key.Key_Meta):
            return True  # a modifier alone: wait for the key it goes with
        # Anything else: close, and let the editor have the key (typing carries on).
        self.hide()
        forwarded = QKeyEvent(event.type(), key, event.modifiers(), event.text(), event.isAutoRepeat(), event.count())
        QCoreApplication.sendEvent(self._editor, forwarded)
        return True

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt override
        super().hideEvent(event)
        if not self._choice_made:
            self.dismissed.emit()
        self._choice_made = True  # one signal per opening
