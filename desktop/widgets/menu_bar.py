"""The window's menus and keyboard shortcuts; they only emit signals, the window decides.

Keeping the actions here (and out of the window's logic) puts every shortcut in one place:
the "Keyboard shortcuts" box is written from the same table the actions are built from.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenuBar, QMessageBox, QWidget

from ..students import StudentItem

#: The View ▸ Theme choices: settings value, menu label.
THEMES = (("system", "Follow &system"), ("light", "&Light"), ("dark", "&Dark"))


class MenuBar(QMenuBar):
    """File, Edit, View, Model and Help; every action is a signal (see the class attributes)."""

    quit_requested = Signal()
    paraphrase_requested = Signal()
    cancel_requested = Signal()
    step_requested = Signal(int)  # -1 previous sentence, +1 next
    use_requested = Signal(int)  # alternative number 1..9
    keep_requested = Signal()  # Keep unchanged: mark the selected words, or unmark the phrase at the cursor
    phrase_requested = Signal()  # alternatives for the selected words, or the word at the cursor
    write_ahead_toggled = Signal(bool)
    theme_chosen = Signal(str)  # a key of THEMES
    student_chosen = Signal(str)  # a student's bundle name (Model menu)
    students_wanted = Signal()  # the Model menu is about to open: time to list the students again
    model_info_requested = Signal()
    shortcuts_requested = Signal()

    def __init__(self, history_toggle: QAction, *, write_ahead: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        file_menu = self.addMenu("&File")
        file_menu.addAction(self._action("&Quit", self.quit_requested, QKeySequence.StandardKey.Quit))

        edit_menu = self.addMenu("&Edit")
        self.paraphrase_action = self._action("&Paraphrase", self.paraphrase_requested)
        # Qt maps Ctrl to Cmd on macOS, so this is Cmd+Enter there.
        self.paraphrase_action.setShortcuts([QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_Return),
                                             QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_Enter)])
        self.paraphrase_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.cancel_action = self._action("&Cancel", self.cancel_requested, QKeySequence(Qt.Key.Key_Escape))
        self.cancel_action.setEnabled(False)
        self.prev_action = self._action("Pre&vious sentence", lambda: self.step_requested.emit(-1),
                                        QKeySequence("Ctrl+["))
        self.next_action = self._action("&Next sentence", lambda: self.step_requested.emit(1), QKeySequence("Ctrl+]"))
        self.keep_action = self._action("&Keep unchanged", self.keep_requested, QKeySequence("Ctrl+K"))
        self.keep_action.setStatusTip("Every alternative keeps the selected words as they are; "
                                      "again on a kept phrase stops keeping it")
        self.phrase_action = self._action("&Alternatives for this phrase", self.phrase_requested,
                                          QKeySequence("Ctrl+J"))
        self.phrase_action.setStatusTip("Other wordings for the selected words or the word at the cursor "
                                        "(or double-click a word)")
        for action in (self.paraphrase_action, self.cancel_action, self.prev_action, self.next_action):
            edit_menu.addAction(action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.keep_action)
        edit_menu.addAction(self.phrase_action)
        edit_menu.addSeparator()
        #: Ctrl+1…9: the window adds these to itself (active without cluttering the menu).
        self.use_actions = [self._action(f"Use alternative {k}", lambda _checked=False, k=k: self.use_requested.emit(k),
                                         QKeySequence(f"Ctrl+{k}")) for k in range(1, 10)]
        use_hint = QAction("Use alternative 1–9\tCtrl+1…9", self)
        use_hint.setEnabled(False)
        edit_menu.addAction(use_hint)

        view_menu = self.addMenu("&View")
        history_toggle.setText("&History panel")
        history_toggle.setShortcut(QKeySequence("Ctrl+H"))
        view_menu.addAction(history_toggle)
        self.write_ahead_action = QAction("Write &ahead for the next sentence", self, checkable=True)
        self.write_ahead_action.setChecked(write_ahead)
        self.write_ahead_action.setStatusTip("While you read, write the next sentence's alternatives, "
                                             "so Use this shows them at once")
        self.write_ahead_action.toggled.connect(self.write_ahead_toggled)
        view_menu.addAction(self.write_ahead_action)
        theme_menu = view_menu.addMenu("&Theme")
        self.theme_group = QActionGroup(self)
        self.theme_actions: dict[str, QAction] = {}
        for key, label in THEMES:
            action = QAction(label, self, checkable=True)
            action.triggered.connect(lambda _checked=False, k=key: self.theme_chosen.emit(k))
            self.theme_group.addAction(action)
            theme_menu.addAction(action)
            self.theme_actions[key] = action

        #: Model: the installed students, one checked (filled by :meth:`set_students`).
        self.model_menu = self.addMenu("&Model")
        self.model_menu.setToolTipsVisible(True)
        self.model_menu.aboutToShow.connect(self.students_wanted)
        self.student_group = QActionGroup(self)
        self.student_group.setExclusive(True)
        self.student_actions: dict[str, QAction] = {}
        self.set_students([], None)

        help_menu = self.addMenu("&Help")
        help_menu.addAction(self._action("About the &model", self.model_info_requested))
        help_menu.addAction(self._action("&Keyboard shortcuts", self.shortcuts_requested))

    def set_students(self, items: Sequence[StudentItem], current: str | None, *, enabled: bool = True) -> None:
        """List ``items`` in the Model menu, ``current`` checked; ``enabled`` False while a model loads."""
        for action in self.student_actions.values():
            self.student_group.removeAction(action)
            action.deleteLater()
        self.model_menu.clear()
        self.student_actions = {}
        for item in items:
            action = QAction(item.label, self, checkable=True)
            action.setToolTip(item.tooltip or item.name)
            action.setStatusTip(item.tooltip.replace("\n", " — ") if item.tooltip else item.name)
            action.setChecked(item.name == current)
            action.setEnabled(enabled)
            action.triggered.connect(lambda _checked=False, name=item.name: self.student_chosen.emit(name))
            self.student_group.addAction(action)
            self.model_menu.addAction(action)
            self.student_actions[item.name] = action
        if not items:
            none = QAction("No model installed", self.model_menu)
            none.setEnabled(False)
            self.model_menu.addAction(none)

    def check_student(self, name: str | None) -> None:
        """Put the check mark on ``name`` (the model in use), e.g. back after a failed switch."""
        for key, action in self.student_actions.items():
            action.setChecked(key == name)

    def set_students_enabled(self, enabled: bool) -> None:
        for action in self.student_actions.values():
            action.setEnabled(enabled)

    def _action(self, text: str, slot: object, shortcut: QKeySequence | QKeySequence.StandardKey | None = None
                ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        return action

    def paraphrase_shortcut(self) -> str:
        """The Paraphrase shortcut as this platform writes it (Ctrl+Return, ⌘↩)."""
        return self.paraphrase_action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)

    def show_shortcuts(self, parent: QWidget) -> None:
        """A non-modal box listing the shortcuts."""
        rows = [(self.paraphrase_shortcut(), "Paraphrase the highlighted sentence"), ("Esc", "Cancel"),
                ("Ctrl+[ / Ctrl+]", "Previous / next sentence"), ("Ctrl+1 … Ctrl+9", "Use alternative 1–9"),
                ("Ctrl+K", "Keep the selected words unchanged (again: stop keeping them)"),
                ("Ctrl+J / double-click", "Alternatives for the selected words or the word at the cursor"),
                ("Ctrl+H", "Show or hide the history"), ("Tab / Shift+Tab", "Move between controls")]
        html = "<table>" + "".join(f"<tr><td><b>{k}</b>&nbsp;&nbsp;</td><td>{v}</td></tr>" for k, v in rows) + "</table>"
        QMessageBox(QMessageBox.Icon.NoIcon, "Keyboard shortcuts", html, parent=parent).open()
