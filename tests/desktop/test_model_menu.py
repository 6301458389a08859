"""The Mode selector and the Model menu, with stand-in students (no model is loaded).

A :class:`Shelf` plays the part of :meth:`models.Paraphraser.load`: it hands out
:class:`StandInParaphraser` students by name, on the worker's thread, optionally held at a
gate (so a test sees the window while a student loads) or damaged (a :class:`BundleError`).
The installed students come from a stand-in ``models.students_list`` module put in
``sys.modules``, so these tests do not depend on which bundles this machine has built. They
mirror the catalog: the default student (v2) has three modes, student v1 only Standard.
"""

from __future__ import annotations

import sys
import threading
import types
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop import students
from desktop.alternatives import JobRequest
from desktop.storage import Storage
from desktop.widgets.main_window import MainWindow
from models.catalog import BUNDLES_ENV, DEFAULT_BUNDLE
from models.errors import BundleError

from stand_in import QuietDialogs, StandInParaphraser

#: The other catalog student: uncontrolled, Standard only (the default, v2, is controlled).
V1 = "smollm2-135m-student-v1"
CONTROLLED = ("standard", "simpler", "shorter")
SENTENCE = "The committee postponed the vote until next week."
LATER = "Nobody was surprised by the delay."
TIMEOUT_MS = 10_000


@dataclass(frozen=True)
class Info:
    """The fields of ``models.students_list.StudentInfo`` the app reads."""

    name: str
    default: bool = False
    installed: bool = True
    folder: Path | None = None
    size_mb: float | None = None
    modes: tuple[str, ...] = ("standard",)
    description: str = ""
    quality: dict | None = None
    speed: dict | None = None


class Shelf:
    """A loader (``loader(bundle, threads=...)``) of stand-in students; records where and what it loaded."""

    def __init__(self, modes: dict[str, Sequence[str]], *, damaged: Sequence[str] = ()) -> None:
        self.modes = modes
        self.damaged = set(damaged)
        self.asked: list[str | None] = []
        self.threads: list[threading.Thread] = []
        self.gate = threading.Event()
        self.gate.set()
        self.made: dict[str, StandInParaphraser] = {}

    def __call__(self, bundle: str | None, threads: int | None = None) -> StandInParaphraser:
        self.asked.append(bundle)
        self.threads.append(threading.current_thread())
        self.gate.wait(10)
        name = bundle or DEFAULT_BUNDLE
        if name in self.damaged:
            raise BundleError(f"Model bundle '{name}': file model.onnx is corrupt (sha256 mismatch).", bundle=name,
                              rebuild_command=f"paraphrase-studio export --recipe {name} --force")
        self.made[name] = StandInParaphraser(modes=self.modes[name], name=name)
        return self.made[name]


@pytest.fixture
def catalog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., list[Info]]:
    """Install made-up students: a bundles folder with their manifests and a stand-in listing."""
    root = tmp_path / "bundles"
    monkeypatch.setenv(BUNDLES_ENV, str(root))
    listed: list[Info] = []
    module = types.ModuleType("models.students_list")
    module.list_students = lambda include_missing=False: list(listed)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "models.students_list", module)

    def install(*infos: Info) -> list[Info]:
        listed[:] = infos
        for info in infos:
            (root / info.name).mkdir(parents=True, exist_ok=True)
            (root / info.name / "manifest.json").write_text("{}", encoding="utf-8")
        return listed

    return install


TWO_STUDENTS = (Info(DEFAULT_BUNDLE, default=True, size_mb=125.6, modes=CONTROLLED,
                     description="The controlled student.", quality={"set": "dev", "good_rate": 0.71}),
                Info(V1, size_mb=125.6, quality={"set": "dev", "good_rate": 0.643}))
#: Each student's modes, as the stand-in loader hands them out.
SHELF = {DEFAULT_BUNDLE: CONTROLLED, V1: ("standard",)}


@pytest.fixture
def open_window(qtbot, data_dir: Path) -> Iterator[Callable[..., MainWindow]]:  # noqa: ANN001
    windows: list[MainWindow] = []

    def make(shelf: Shelf | None = None, *, wait: bool = True, **kwargs: object) -> MainWindow:
        kwargs.setdefault("dialog_factory", QuietDialogs())
        if shelf is None:
            kwargs.setdefault("paraphraser", StandInParaphraser())
        window = MainWindow(Storage(data_dir), loader=shelf, **kwargs)  # type: ignore[arg-type]
        qtbot.addWidget(window)
        windows.append(window)
        with qtbot.waitExposed(window):
            window.show()
        with qtbot.waitActive(window):  # keyboard focus only moves in the active window
            window.activateWindow()
        if shelf is not None and wait:
            qtbot.waitUntil(lambda: window.worker.paraphraser is not None and not window.worker.loading,
                            timeout=TIMEOUT_MS)
        return window

    yield make
    for window in windows:
        window.close()


def paraphrase(qtbot, window: MainWindow, text: str = SENTENCE) -> None:  # noqa: ANN001
    window.editor.setPlainText(text)
    with qtbot.waitSignal(window.run_finished, timeout=TIMEOUT_MS):
        window.paraphrase()


def combo_items(window: MainWindow) -> list[str]:
    box = window.controls.mode_box
    return [box.itemText(i) for i in range(box.count())]


# -- the Mode selector ---------------------------------------------------------------------


def test_the_mode_selector_offers_the_students_modes_by_keyboard_and_the_choice_reaches_the_model(
        qtbot, open_window) -> None:  # noqa: ANN001
    paraphraser = StandInParaphraser(modes=CONTROLLED)
    window = open_window(paraphraser=paraphraser)
    box = window.controls.mode_box
    assert combo_items(window) == ["Standard", "Simpler", "Shorter"]
    assert box.isEnabled() and box.accessibleName() == "Mode"
    assert window.controls.mode_title.buddy() is box
    window.controls.slider.setFocus()
    qtbot.keyClick(window.controls.slider, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is box  # Tab goes from the Style slider to the Mode selector
    window.editor.setFocus()
    qtbot.keyClick(window.editor, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is box  # and its label's mnemonic, Alt+D, too
    qtbot.keyClick(box, Qt.Key.Key_Down)
    assert window.controls.current_mode() == "simpler"
    assert window.settings.mode == "simpler"  # remembered at once, like the slider

    paraphrase(qtbot, window)
    assert paraphraser.asked_modes == ["simpler"]
    assert window.worker.last_request.mode == "simpler"
    assert len(window.cards.cards()) == 5


def test_the_chosen_mode_is_remembered(qtbot, open_window) -> None:  # noqa: ANN001
    window = open_window(paraphraser=StandInParaphraser(modes=CONTROLLED))
    box = window.controls.mode_box
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Down)
    qtbot.keyClick(box, Qt.Key.Key_Down)
    assert window.controls.current_mode() == "shorter"
    window.close()

    again = open_window(paraphraser=StandInParaphraser(modes=CONTROLLED))
    assert again.controls.current_mode() == "shorter"


def test_alternatives_kept_for_one_mode_are_not_shown_for_another() -> None:
    assert JobRequest("A b.", mode="simpler").key != JobRequest("A b.").key
    assert JobRequest("A b.").mode == "standard"


def test_a_remembered_mode_the_student_lacks_falls_back_to_standard_without_an_error(
        qtbot, open_window, data_dir: Path) -> None:  # noqa: ANN001
    Storage(data_dir).settings.mode = "simpler"
    paraphraser = StandInParaphraser()  # an uncontrolled student: standard only
    window = open_window(paraphraser=paraphraser)
    box = window.controls.mode_box
    assert combo_items(window) == ["Standard"] and window.controls.current_mode() == "standard"
    assert not box.isEnabled() and box.toolTip() == "This model has only the Standard mode"
    paraphrase(qtbot, window)
    assert paraphraser.asked_modes == ["standard"]
    assert not window.banner.isVisible() and len(window.cards.cards()) == 5
    assert window.settings.mode == "simpler"  # kept for a student that has it


def test_mode_labels_are_title_cased() -> None:
    assert [students.mode_label(m) for m in ("standard", "simpler", "more_formal")] == [
        "Standard", "Simpler", "More formal"]


# -- the Model menu ------------------------------------------------------------------------


def test_the_model_menu_lists_the_installed_students_with_the_default_marked(
        qtbot, open_window, catalog) -> None:  # noqa: ANN001
    catalog(*TWO_STUDENTS)
    window = open_window(Shelf(SHELF))
    menu = window.menus.model_menu
    assert menu.title() == "&Model"
    window.refresh_students()  # as opening the menu does
    actions = menu.actions()
    assert [a.text() for a in actions] == [f"{DEFAULT_BUNDLE} (default)", V1]
    assert all(a.isCheckable() and a.isEnabled() for a in actions)
    assert window.menus.student_group.isExclusive()
    assert [a.isChecked() for a in actions] == [True, False]
    assert "126 MB" in actions[0].toolTip() and "dev good rate 71%" in actions[0].toolTip()
    assert "Modes: Standard, Simpler, Shorter" in actions[0].toolTip()
    assert "dev good rate 64%" in actions[1].toolTip() and "Modes" not in actions[1].toolTip()  # one mode


def test_choosing_a_student_loads_it_off_the_gui_thread_and_keeps_the_text_and_history(
        qtbot, open_window, catalog, data_dir: Path) -> None:  # noqa: ANN001
    catalog(*TWO_STUDENTS)
    shelf = Shelf(SHELF)
    window = open_window(shelf)
    window.write_ahead_action.setChecked(False)
    window.editor.setPlainText(f"{SENTENCE} {LATER}")
    window.editor.move_cursor_to(0)
    with qtbot.waitSignal(window.run_finished, timeout=TIMEOUT_MS):
        window.paraphrase()
    with qtbot.waitSignal(window.run_finished, timeout=TIMEOUT_MS):
        window.step_sentence(1)
    text, history = window.editor.toPlainText(), [e.input for e in window.history.entries]
    assert combo_items(window) == ["Standard", "Simpler", "Shorter"] and window.controls.mode_box.isEnabled()

    shelf.gate.clear()  # hold the load, to see the window while it runs
    window.menus.student_actions[V1].trigger()
    assert window.worker.loading and window.load_bar.isVisible()
    assert window.model_label.text() == f"Loading {V1}…"
    assert not window.paraphrase_button.isEnabled() and not window.paraphrase_action.isEnabled()
    assert not window.menus.student_actions[DEFAULT_BUNDLE].isEnabled()  # one switch at a time
    with qtbot.waitSignal(window.model_ready, timeout=TIMEOUT_MS):
        shelf.gate.set()
    assert shelf.asked == [None, V1]
    assert shelf.threads[-1] is not threading.main_thread()
    assert window.worker.paraphraser is shelf.made[V1]
    assert window.model_label.text() == f"Model: {V1}" and not window.load_bar.isVisible()
    assert window.paraphrase_button.isEnabled()
    assert window.editor.toPlainText() == text and [e.input for e in window.history.entries] == history
    assert len(window.cards.cards()) == 5  # the alternatives on screen stay
    assert window.menus.student_actions[V1].isChecked()
    assert combo_items(window) == ["Standard"] and not window.controls.mode_box.isEnabled()  # v1: one mode
    assert window.settings.student == V1

    # Back to the first sentence: the new student writes it (the old one's alternatives are not shown again).
    with qtbot.waitSignal(window.run_finished, timeout=TIMEOUT_MS):
        window.step_sentence(-1)
    assert shelf.made[V1].calls == [("sentence", SENTENCE)]
    window.close()

    shelf = Shelf(SHELF)
    again = open_window(shelf)
    assert again.worker.paraphraser.name == V1  # the choice is remembered
    assert again.menus.student_actions[V1].isChecked()

    # And back to the default: its modes return, and "" is remembered, so a new default is followed.
    with qtbot.waitSignal(again.model_ready, timeout=TIMEOUT_MS):
        again.menus.student_actions[DEFAULT_BUNDLE].trigger()
    assert again.worker.paraphraser is shelf.made[DEFAULT_BUNDLE]
    assert combo_items(again) == ["Standard", "Simpler", "Shorter"] and again.controls.mode_box.isEnabled()
    assert again.settings.student == ""


def test_a_request_made_while_a_student_loads_runs_with_it(qtbot, open_window, catalog) -> None:  # noqa: ANN001
    catalog(*TWO_STUDENTS)
    shelf = Shelf(SHELF)
    window = open_window(shelf)
    window.editor.setPlainText(SENTENCE)
    shelf.gate.clear()
    window.choose_student(V1)
    window.paraphrase()  # Ctrl+Enter is disabled too; a call that gets through waits for the new student
    assert "as soon as the model is loaded" in window.cards_status.text()
    assert shelf.made[DEFAULT_BUNDLE].calls == []
    with qtbot.waitSignal(window.run_finished, timeout=TIMEOUT_MS):
        shelf.gate.set()
    assert shelf.made[V1].calls == [("sentence", SENTENCE)]


def test_a_damaged_student_shows_the_dialog_and_the_previous_one_stays(
        qtbot, open_window, catalog) -> None:  # noqa: ANN001
    catalog(*TWO_STUDENTS)
    shelf = Shelf(SHELF, damaged=[V1])
    dialogs = QuietDialogs()
    window = open_window(shelf, dialog_factory=dialogs)
    previous = window.worker.paraphraser
    with qtbot.waitSignal(window.model_failed, timeout=TIMEOUT_MS):
        window.menus.student_actions[V1].trigger()
    (error, command, missing), = dialogs.calls
    assert isinstance(error, BundleError) and "corrupt" in str(error)
    assert not missing and V1 in command.display()  # the command that rebuilds the damaged one
    assert window.worker.paraphraser is previous
    assert window.model_label.text() == f"Model: {DEFAULT_BUNDLE}"
    assert window.menus.student_actions[DEFAULT_BUNDLE].isChecked()
    assert not window.menus.student_actions[V1].isChecked()
    assert combo_items(window) == ["Standard", "Simpler", "Shorter"]  # the default's modes stay
    assert "could not be loaded" in window.statusBar().currentMessage()
    assert not window.banner.isVisible()  # the previous student still writes: nothing to fix before Paraphrase
    assert window.settings.student == ""
    paraphrase(qtbot, window)
    assert previous.calls == [("sentence", SENTENCE)] and len(window.cards.cards()) == 5


def test_a_remembered_student_no_longer_installed_falls_back_to_the_default_said_once(
        qtbot, open_window, catalog, data_dir: Path) -> None:  # noqa: ANN001
    catalog(TWO_STUDENTS[0])  # v1 was removed since
    Storage(data_dir).settings.student = V1
    shelf = Shelf(SHELF)
    window = open_window(shelf)
    assert shelf.asked == [None]
    message = window.statusBar().currentMessage()
    assert V1 in message and "not installed" in message
    assert window.settings.student == ""
    window.close()

    again = open_window(Shelf(SHELF))
    assert again.statusBar().currentMessage() == ""  # said once


def test_without_a_student_listing_the_menu_shows_the_model_in_use(
        qtbot, open_window, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    monkeypatch.setitem(sys.modules, "models.students_list", None)  # the import fails
    assert students.installed_students() is None
    window = open_window(Shelf(SHELF))
    window.refresh_students()
    assert [a.text() for a in window.menus.model_menu.actions()] == [DEFAULT_BUNDLE]
    assert window.menus.student_actions[DEFAULT_BUNDLE].isChecked()


def test_start_student_choices() -> None:
    listed = [Info(DEFAULT_BUNDLE, default=True, modes=CONTROLLED), Info(V1)]
    assert DEFAULT_BUNDLE != V1  # the default changed to v2; v1 stays selectable
    assert students.start_student("", listed) == (None, None)
    assert students.start_student(DEFAULT_BUNDLE, listed) == (None, None)
    assert students.start_student(V1, listed) == (V1, None)
    bundle, message = students.start_student(V1, listed[:1])
    assert bundle is None and message and V1 in message
    assert students.remembered_name(DEFAULT_BUNDLE) == "" and students.remembered_name(V1) == V1
    assert students.usable_mode("simpler", ("standard",)) == "standard"
