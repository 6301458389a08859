"""Phrase alternatives in the window: double-click or Ctrl+J, the popup, one-step replacement.

A stand-in index (tests/desktop/phrase_stand_in.py) answers from a small table in
microseconds and records every query, and a stand-in paraphraser stands in for the model,
so these tests need neither the model bundle nor the phrase index. Waits are for signals
and conditions, never for a time.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication

from desktop.phrase_request import PhraseRequest
from desktop.phrase_worker import PhraseWorker
from desktop.storage import Storage
from desktop.widgets.main_window import MainWindow
from desktop.widgets.phrase_popup import LOOKING
from phrase_stand_in import MissingIndexError, StandInPhraseIndex
from stand_in import QuietDialogs, StandInParaphraser

FIRST = "The quick fox jumped over the fence."
SECOND = "Revenue rose 12% to $4.3 million."
THIRD = "However, Dr. Chen warned that costs will not fall."
TEXT = f"{FIRST} {SECOND}\n{THIRD}"
TIMEOUT_MS = 10_000


@pytest.fixture
def index() -> StandInPhraseIndex:
    return StandInPhraseIndex()


@pytest.fixture
def window(qtbot, data_dir: Path, index: StandInPhraseIndex) -> Iterator[MainWindow]:  # noqa: ANN001
    window = MainWindow(Storage(data_dir), paraphraser=StandInParaphraser(),  # type: ignore[arg-type]
                        dialog_factory=QuietDialogs())
    window.phrase_worker.set_index(index)
    qtbot.addWidget(window)
    with qtbot.waitExposed(window):
        window.show()
    with qtbot.waitActive(window):  # Ctrl+J only reaches the active window
        window.activateWindow()
    window.settings.write_ahead = False
    window.editor.setPlainText(TEXT)
    window.editor.setFocus()
    yield window
    window.phrase_popup.hide()
    window.close()


def word_point(window: MainWindow, word: str) -> QPoint:
    """A point inside ``word`` (its first occurrence), in the editor viewport's coordinates."""
    cursor = QTextCursor(window.editor.document())
    cursor.setPosition(TEXT.index(word) + 1)
    return window.editor.cursorRect(cursor).center()


def double_click(qtbot, window: MainWindow, word: str) -> None:  # noqa: ANN001
    """A double-click as a mouse makes it: the second press comes as a double-click, then the release."""
    point = word_point(window, word)
    qtbot.mouseDClick(window.editor.viewport(), Qt.MouseButton.LeftButton, pos=point)
    qtbot.mouseRelease(window.editor.viewport(), Qt.MouseButton.LeftButton, pos=point)


def select(window: MainWindow, phrase: str) -> None:
    text = window.editor.toPlainText()
    cursor = window.editor.textCursor()
    cursor.setPosition(text.index(phrase))
    cursor.setPosition(text.index(phrase) + len(phrase), QTextCursor.MoveMode.KeepAnchor)
    window.editor.setTextCursor(cursor)


def ctrl_j(qtbot, window: MainWindow) -> None:  # noqa: ANN001
    qtbot.keyClick(window.editor, Qt.Key.Key_J, Qt.KeyboardModifier.ControlModifier)


def wait_alternatives(qtbot, window: MainWindow) -> list[str]:  # noqa: ANN001
    qtbot.waitUntil(lambda: window.phrase_popup.alternatives() != [], timeout=TIMEOUT_MS)
    return window.phrase_popup.alternatives()


def test_double_click_selects_the_word_and_opens_its_alternatives_below_it(qtbot, window: MainWindow,  # noqa: ANN001
                                                                            index: StandInPhraseIndex) -> None:
    double_click(qtbot, window, "quick")
    assert window.editor.textCursor().selectedText() == "quick"  # Qt's own double-click still happens
    qtbot.waitUntil(window.phrase_popup.isVisible, timeout=TIMEOUT_MS)
    assert wait_alternatives(qtbot, window) == ["fast", "rapid", "speedy", "swift"]
    assert index.calls == [(FIRST, FIRST.index("quick"), FIRST.index("quick") + 5, ())]
    cursor = QTextCursor(window.editor.document())
    cursor.setPosition(TEXT.index("quick"))
    word_bottom = window.editor.viewport().mapToGlobal(window.editor.cursorRect(cursor).bottomLeft())
    assert window.phrase_popup.y() >= word_bottom.y()
    assert abs(window.phrase_popup.x() - word_bottom.x()) <= 2
    hints = [window.phrase_popup.list.item(row).toolTip() for row in range(4)]
    assert hints[0].startswith("Strong match") and hints[-1].startswith("Weaker match")


def test_the_popup_waits_for_the_button_to_come_up_and_asks_once(qtbot, window: MainWindow,  # noqa: ANN001
                                                                  index: StandInPhraseIndex) -> None:
    point = word_point(window, "quick")
    qtbot.mouseDClick(window.editor.viewport(), Qt.MouseButton.LeftButton, pos=point)
    QApplication.processEvents()
    assert not window.phrase_popup.isVisible() and index.calls == []  # still held: it may become a drag
    qtbot.mouseRelease(window.editor.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert wait_alternatives(qtbot, window)[0] == "fast"
    QApplication.processEvents()
    assert len(index.calls) == 1


def test_the_popup_says_looking_while_the_query_runs(qtbot, window: MainWindow,  # noqa: ANN001
                                                     index: StandInPhraseIndex) -> None:
    index.gate = threading.Event()
    try:
        double_click(qtbot, window, "quick")
        qtbot.waitUntil(lambda: len(index.calls) == 1, timeout=TIMEOUT_MS)
        assert window.phrase_popup.isVisible() and window.phrase_popup.header.text() == LOOKING
        assert window.phrase_popup.alternatives() == []
    finally:
        index.gate.set()
    assert wait_alternatives(qtbot, window)[0] == "fast"


def test_enter_replaces_the_word_as_one_undo_step(qtbot, window: MainWindow) -> None:  # noqa: ANN001
    double_click(qtbot, window, "quick")
    wait_alternatives(qtbot, window)
    popup = window.phrase_popup
    qtbot.keyClick(popup.list, Qt.Key.Key_Down)
    qtbot.keyClick(popup.list, Qt.Key.Key_Return)
    assert not popup.isVisible()
    assert window.editor.toPlainText() == TEXT.replace("quick", "rapid", 1)
    assert "Ctrl+Z" in window.statusBar().currentMessage()
    window.editor.undo()
    assert window.editor.toPlainText() == TEXT
    assert not window.editor.document().isUndoAvailable()  # the replacement was one step


def test_a_click_on_an_alternative_replaces_the_word(qtbot, window: MainWindow) -> None:  # noqa: ANN001
    double_click(qtbot, window, "rose")
    wait_alternatives(qtbot, window)
    popup = window.phrase_popup
    item = popup.list.item(2)
    qtbot.mouseClick(popup.list.viewport(), Qt.MouseButton.LeftButton, pos=popup.list.visualItemRect(item).center())
    assert window.editor.toPlainText() == TEXT.replace("rose", "went up", 1)


def test_esc_closes_the_popup_and_gives_the_editor_the_keyboard_back(qtbot, window: MainWindow) -> None:  # noqa: ANN001
    double_click(qtbot, window, "quick")
    wait_alternatives(qtbot, window)
    qtbot.keyClick(window.phrase_popup.list, Qt.Key.Key_Escape)
    assert not window.phrase_popup.isVisible()
    assert window.editor.toPlainText() == TEXT
    assert window.phrase_worker.pending is None and window.phrase_request is None
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.editor, timeout=TIMEOUT_MS)


def test_typing_while_the_popup_is_open_goes_to_the_editor(qtbot, window: MainWindow) -> None:  # noqa: ANN001
    double_click(qtbot, window, "quick")
    wait_alternatives(qtbot, window)
    qtbot.keyClicks(window.phrase_popup.list, "s")
    assert not window.phrase_popup.isVisible()
    assert window.editor.toPlainText() == TEXT.replace("quick", "s", 1)  # typed over the selected word


def test_ctrl_j_on_a_selection_in_a_later_sentence_asks_with_that_sentence(qtbot, window: MainWindow,  # noqa: ANN001
                                                                          index: StandInPhraseIndex) -> None:
    select(window, "costs will")
    ctrl_j(qtbot, window)
    assert wait_alternatives(qtbot, window) == ["expenses will"]
    assert index.calls == [(THIRD, THIRD.index("costs"), THIRD.index("costs") + len("costs will"), ())]
    qtbot.keyClick(window.phrase_popup.list, Qt.Key.Key_Enter)
    assert window.editor.toPlainText() == TEXT.replace("costs will", "expenses will")


def test_ctrl_j_without_a_selection_takes_the_word_at_the_cursor(  # noqa: ANN001
        qtbot, window: MainWindow, index: StandInPhraseIndex) -> None:
    index.table["however"] = [("still", 0.9)]
    cursor = window.editor.textCursor()
    cursor.setPosition(TEXT.index("However") + 3)
    window.editor.setTextCursor(cursor)
    ctrl_j(qtbot, window)
    assert wait_alternatives(qtbot, window) == ["Still"]  # the index writes it in the word's casing
    qtbot.keyClick(window.phrase_popup.list, Qt.Key.Key_Return)
    assert window.editor.toPlainText() == TEXT.replace("However", "Still")


def test_a_selection_inside_a_word_replaces_the_whole_word_the_index_answered_for(  # noqa: ANN001
        qtbot, window: MainWindow, index: StandInPhraseIndex) -> None:
    select(window, "uic")
    ctrl_j(qtbot, window)
    assert wait_alternatives(qtbot, window)[0] == "fast"
    assert window.phrase_popup.header.text() == "Instead of \u201cquick\u201d"
    qtbot.keyClick(window.phrase_popup.list, Qt.Key.Key_Return)
    assert window.editor.toPlainText() == TEXT.replace("quick", "fast", 1)


def test_the_model_s_meaning_scorer_ranks_the_alternatives_when_there_is_one(qtbot, window: MainWindow,  # noqa: ANN001
                                                                              index: StandInPhraseIndex) -> None:
    double_click(qtbot, window, "quick")
    wait_alternatives(qtbot, window)
    qtbot.keyClick(window.phrase_popup.list, Qt.Key.Key_Escape)
    scorer = object()
    window.worker.paraphraser.scorer = scorer  # type: ignore[union-attr]
    double_click(qtbot, window, "rose")
    wait_alternatives(qtbot, window)
    assert index.scorers == [None, scorer]


def test_the_edit_menu_and_the_editor_menu_offer_it(qtbot, window: MainWindow,  # noqa: ANN001
                                                    index: StandInPhraseIndex) -> None:
    assert window.menus.phrase_action.shortcut().toString() == "Ctrl+J"
    assert window.menus.phrase_action.text() == "&Alternatives for this phrase"
    menu = window.phrase_context_menu(word_point(window, "rose"))
    assert any(a.objectName() == "keepAction" for a in menu.actions())  # the editor's own entries stay
    action = next(a for a in menu.actions() if a.objectName() == "phraseAction")
    assert action.isEnabled()
    action.trigger()
    assert wait_alternatives(qtbot, window) == ["climbed", "increased", "went up"]
    assert index.calls[-1][0] == SECOND


def test_a_kept_word_is_refused_without_a_query_and_kept_words_are_protected(qtbot, window: MainWindow,  # noqa: ANN001
                                                                             index: StandInPhraseIndex) -> None:
    select(window, "Dr. Chen")
    qtbot.keyClick(window.editor, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert window.kept_phrases() == ["Dr. Chen"]
    double_click(qtbot, window, "Chen")
    qtbot.waitUntil(window.phrase_popup.isVisible, timeout=TIMEOUT_MS)
    assert "kept unchanged" in window.phrase_popup.header.text()
    assert "kept unchanged" in window.statusBar().currentMessage()
    assert index.calls == []
    qtbot.keyClick(window.phrase_popup, Qt.Key.Key_Escape)
    double_click(qtbot, window, "warned")
    assert wait_alternatives(qtbot, window) == ["cautioned", "said"]
    kept = THIRD.index("Dr. Chen")
    assert index.calls == [(THIRD, THIRD.index("warned"), THIRD.index("warned") + 6, ((kept, kept + 8),))]


def test_an_unknown_word_says_there_are_no_alternatives(qtbot, window: MainWindow) -> None:  # noqa: ANN001
    double_click(qtbot, window, "fence")
    qtbot.waitUntil(lambda: window.phrase_popup.header.text() == "No alternatives for \u2018fence\u2019",
                    timeout=TIMEOUT_MS)
    qtbot.keyClick(window.phrase_popup, Qt.Key.Key_Return)  # nothing to choose: Enter just closes
    assert not window.phrase_popup.isVisible() and window.editor.toPlainText() == TEXT


def test_an_answer_for_text_that_changed_meanwhile_is_dropped(qtbot, window: MainWindow,  # noqa: ANN001
                                                              index: StandInPhraseIndex) -> None:
    index.gate = threading.Event()
    select(window, "quick")
    ctrl_j(qtbot, window)
    qtbot.waitUntil(lambda: len(index.calls) == 1, timeout=TIMEOUT_MS)
    cursor = QTextCursor(window.editor.document())
    cursor.setPosition(0)
    cursor.insertText("So ")  # the text moves under the pending query
    with qtbot.waitSignal(window.phrase_worker.answered, timeout=TIMEOUT_MS):
        index.gate.set()
    assert not window.phrase_popup.isVisible()
    assert window.phrase_popup.alternatives() == []
    assert window.editor.toPlainText() == "So " + TEXT
    assert "changed" in window.statusBar().currentMessage()


def test_a_missing_index_shows_one_notice_with_the_command_and_never_crashes(qtbot, window: MainWindow) -> None:  # noqa: ANN001
    loads: list[int] = []

    def missing() -> StandInPhraseIndex:
        loads.append(1)
        raise MissingIndexError("The phrase index is missing (models/phrases/index.sqlite).")

    window.phrase_worker.set_loader(missing)
    select(window, "quick")
    with qtbot.waitSignal(window.phrase_worker.unavailable, timeout=TIMEOUT_MS):
        ctrl_j(qtbot, window)
    assert not window.phrase_popup.isVisible()
    assert window.banner.isVisible() and window.banner.kind == "phrases"
    assert "phrase index is missing" in window.banner.text() and "./studio build" in window.banner.text()
    window.banner.dismiss()
    with qtbot.waitSignal(window.phrase_worker.unavailable, timeout=TIMEOUT_MS):
        ctrl_j(qtbot, window)  # asked again: tried again, said in the status bar, no second notice
    assert not window.banner.isVisible()
    assert "./studio build" in window.statusBar().currentMessage()
    assert len(loads) == 2
    double_click(qtbot, window, "rose")  # a plain double-click stays a plain double-click
    assert window.phrase_request is None and not window.phrase_popup.isVisible() and len(loads) == 2
    assert window.editor.textCursor().selectedText() == "rose"


def test_the_runtime_s_own_missing_index_error_names_its_rebuild_command(qtbot, window: MainWindow,  # noqa: ANN001
                                                                         tmp_path: Path) -> None:
    from models.phrases import PhraseIndex

    window.phrase_worker.set_loader(lambda: PhraseIndex.load(tmp_path / "no-index"))
    select(window, "quick")
    with qtbot.waitSignal(window.phrase_worker.unavailable, timeout=TIMEOUT_MS):
        ctrl_j(qtbot, window)
    assert "not installed" in window.banner.text() and "phrase_mining" in window.banner.text()
    assert window.banner.text().count("Rebuild it with") == 1


def test_the_worker_answers_only_the_latest_query(qtbot) -> None:  # noqa: ANN001
    gate = threading.Event()
    index = StandInPhraseIndex(gate=gate)
    worker = PhraseWorker(loader=lambda: index)
    answers: list[str] = []
    worker.answered.connect(lambda request, answer: answers.append(answer.phrase))
    first = PhraseRequest(context=FIRST, start=4, end=9, offset=0, snapshot=FIRST)
    second = PhraseRequest(context=SECOND, start=8, end=12, offset=0, snapshot=SECOND)
    try:
        worker.ask(first)
        qtbot.waitUntil(lambda: len(index.calls) == 1, timeout=TIMEOUT_MS)
        worker.ask(second)
        with qtbot.waitSignal(worker.answered, timeout=TIMEOUT_MS):
            gate.set()
    finally:
        gate.set()
        assert worker.shutdown(TIMEOUT_MS)
    QApplication.processEvents()
    assert answers == ["rose"] and worker.pending is None


def test_without_room_below_the_popup_opens_above_the_word(qtbot) -> None:  # noqa: ANN001
    from PySide6.QtWidgets import QPlainTextEdit

    from desktop.widgets.phrase_popup import PhrasePopup

    editor = QPlainTextEdit()
    qtbot.addWidget(editor)
    popup = PhrasePopup(editor)
    area = editor.screen().availableGeometry()
    word_top = area.bottom() - 10
    popup.show_alternatives("quick", [("fast", 0.9), ("rapid", 0.8), ("speedy", 0.4)])
    popup.open_at(QPoint(area.left() + 20, area.bottom() - 2), word_top)
    try:
        assert popup.geometry().bottom() < word_top and popup.y() >= area.top()
        assert popup.alternatives() == ["fast", "rapid", "speedy"]
    finally:
        popup.hide()
