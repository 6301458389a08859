"""Keep unchanged (Ctrl+K) and the card's view of what changed, on a stand-in paraphraser.

The writer marks words in the editor; the marks follow the text as it is edited, and every
run passes the marked phrases inside its sentence as ``keep``. The stand-in records each
run's ``keep`` (``StandInParaphraser.keeps``), so these tests run in milliseconds without
the model bundle.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCharFormat, QTextCursor

from desktop.alternatives import Alternatives, JobRequest, phrases_within
from desktop.diff_view import KEPT, NEW
from desktop.storage import Storage
from desktop.widgets.main_window import MainWindow
from stand_in import QuietDialogs, StandInParaphraser

FIRST = "Revenue rose 12% to $4.3 million."
SECOND = "However, Dr. Chen warned that costs will not fall."
TEXT = f"{FIRST} {SECOND}"
TIMEOUT_MS = 10_000


@pytest.fixture
def paraphraser() -> StandInParaphraser:
    return StandInParaphraser()


@pytest.fixture
def window(qtbot, data_dir: Path, paraphraser: StandInParaphraser) -> Iterator[MainWindow]:  # noqa: ANN001
    window = MainWindow(Storage(data_dir), paraphraser=paraphraser,  # type: ignore[arg-type]
                        dialog_factory=QuietDialogs())
    qtbot.addWidget(window)
    with qtbot.waitExposed(window):
        window.show()
    with qtbot.waitActive(window):  # Ctrl+K only reaches the active window
        window.activateWindow()
    window.editor.setPlainText(TEXT)
    window.settings.write_ahead = False  # one run per paraphrase: ``keeps[-1]`` is the writer's
    yield window
    window.close()


def select(window: MainWindow, phrase: str, *, occurrence_from: int = 0) -> None:
    text = window.editor.toPlainText()
    start = text.index(phrase, occurrence_from)
    cursor = window.editor.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(start + len(phrase), QTextCursor.MoveMode.KeepAnchor)
    window.editor.setTextCursor(cursor)


def put_cursor(window: MainWindow, index: int) -> None:
    cursor = window.editor.textCursor()
    cursor.setPosition(index)
    window.editor.setTextCursor(cursor)


def _cursor_at(window: MainWindow, index: int) -> QTextCursor:
    cursor = QTextCursor(window.editor.document())
    cursor.setPosition(index)
    return cursor


def ctrl_k(qtbot, window: MainWindow) -> None:  # noqa: ANN001
    qtbot.keyClick(window.editor, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)


def run_at(qtbot, window: MainWindow, sentence: str) -> None:  # noqa: ANN001
    put_cursor(window, window.editor.toPlainText().index(sentence) + 1)
    with qtbot.waitSignal(window.run_finished, timeout=TIMEOUT_MS):
        window.paraphrase()


def type_at(window: MainWindow, index: int, words: str) -> None:
    cursor = window.editor.textCursor()
    cursor.setPosition(index)
    cursor.insertText(words)


def mark_selections(window: MainWindow) -> list[tuple[int, int]]:
    """The dashed-underlined extra selections the editor draws (the keep marks), as ranges."""
    return [(s.cursor.selectionStart(), s.cursor.selectionEnd()) for s in window.editor.extraSelections()
            if s.format.underlineStyle() == QTextCharFormat.UnderlineStyle.DashUnderline]


def test_ctrl_k_marks_the_selection_and_the_next_run_keeps_it(qtbot, window: MainWindow,  # noqa: ANN001
                                                             paraphraser: StandInParaphraser) -> None:
    select(window, "Dr. Chen")
    ctrl_k(qtbot, window)
    assert window.kept_phrases() == ["Dr. Chen"]
    start = TEXT.index("Dr. Chen")
    assert mark_selections(window) == [(start, start + len("Dr. Chen"))]
    assert "Dr. Chen" in window.statusBar().currentMessage()

    run_at(qtbot, window, SECOND)
    assert paraphraser.calls[-1] == ("sentence", SECOND) and paraphraser.keeps[-1] == ("Dr. Chen",)
    run_at(qtbot, window, FIRST)  # the mark is not in this sentence
    assert paraphraser.calls[-1] == ("sentence", FIRST) and paraphraser.keeps[-1] == ()


def test_ctrl_k_again_on_a_marked_phrase_stops_keeping_it(qtbot, window: MainWindow,  # noqa: ANN001
                                                         paraphraser: StandInParaphraser) -> None:
    select(window, "$4.3 million")
    ctrl_k(qtbot, window)
    assert window.kept_phrases() == ["$4.3 million"]
    put_cursor(window, TEXT.index("4.3"))  # the cursor inside the phrase, no selection
    ctrl_k(qtbot, window)
    assert window.kept_phrases() == [] and mark_selections(window) == []
    assert window.statusBar().currentMessage().startswith("No longer keeping")
    run_at(qtbot, window, FIRST)
    assert paraphraser.keeps[-1] == ()


def test_a_selection_of_sentences_keeps_the_phrases_marked_inside_it(qtbot, window: MainWindow,  # noqa: ANN001
                                                                     paraphraser: StandInParaphraser) -> None:
    select(window, "Dr. Chen")
    ctrl_k(qtbot, window)
    select(window, TEXT)
    with qtbot.waitSignal(window.run_finished, timeout=TIMEOUT_MS):
        window.paraphrase()
    assert paraphraser.calls[-1] == ("text", TEXT) and paraphraser.keeps[-1] == ("Dr. Chen",)


def test_a_mark_follows_its_words_as_the_writer_types_around_and_inside_them(qtbot, window: MainWindow,  # noqa: ANN001
                                                                            paraphraser: StandInParaphraser) -> None:
    select(window, "12%")
    ctrl_k(qtbot, window)
    type_at(window, 0, "Last year, ")  # before the sentence: the mark moves with its words
    assert window.kept_phrases() == ["12%"]
    text = window.editor.toPlainText()
    at = text.index("12%")
    assert mark_selections(window) == [(at, at + 3)]
    type_at(window, at + 3, " a year")  # right after the phrase: not part of it
    type_at(window, at, "about ")  # right before it: not part of it either
    assert window.kept_phrases() == ["12%"]
    type_at(window, window.editor.toPlainText().index("2%"), ".5")  # inside it: the phrase now reads so
    assert window.kept_phrases() == ["1.52%"]
    run_at(qtbot, window, "Last year")
    assert paraphraser.keeps[-1] == ("1.52%",)


def test_a_mark_whose_words_are_deleted_is_dropped(qtbot, window: MainWindow,  # noqa: ANN001
                                                  paraphraser: StandInParaphraser) -> None:
    select(window, "Dr. Chen")
    ctrl_k(qtbot, window)
    select(window, "However, Dr. Chen warned")
    window.editor.textCursor().removeSelectedText()
    assert window.kept_phrases() == [] and mark_selections(window) == []
    run_at(qtbot, window, "that costs")
    assert paraphraser.keeps[-1] == ()


def test_an_empty_or_blank_selection_marks_nothing_and_says_so(qtbot, window: MainWindow) -> None:  # noqa: ANN001
    put_cursor(window, 0)
    ctrl_k(qtbot, window)
    assert window.statusBar().currentMessage().startswith("Select the words to keep unchanged")
    select(window, " ", occurrence_from=TEXT.index("million."))  # the space between the sentences
    ctrl_k(qtbot, window)
    assert "only spaces" in window.statusBar().currentMessage()
    assert window.kept_phrases() == [] and mark_selections(window) == []


def test_a_selection_across_two_sentences_is_not_marked(qtbot, window: MainWindow) -> None:  # noqa: ANN001
    select(window, "million. However")
    ctrl_k(qtbot, window)
    assert window.kept_phrases() == []
    assert "within one sentence" in window.statusBar().currentMessage()


def test_the_context_menu_keeps_and_stops_keeping(qtbot, window: MainWindow) -> None:  # noqa: ANN001
    select(window, "Dr. Chen")
    rect = window.editor.cursorRect()
    menu = window.editor.context_menu(rect.center())
    action = next(a for a in menu.actions() if a.objectName() == "keepAction")
    assert action.text() == "&Keep unchanged" and action.isEnabled()
    action.trigger()
    assert window.kept_phrases() == ["Dr. Chen"]
    put_cursor(window, 0)  # the click, not the cursor, says which mark to stop keeping
    pos = window.editor.cursorRect(_cursor_at(window, TEXT.index("Chen"))).center()
    menu = window.editor.context_menu(pos)
    action = next(a for a in menu.actions() if a.objectName() == "keepAction")
    assert action.text().startswith("Stop")
    action.trigger()
    assert window.kept_phrases() == []
    assert window.menus.keep_action.shortcut().toString() == "Ctrl+K"


def test_use_this_keeps_the_mark_on_the_phrase_in_the_new_wording(qtbot, window: MainWindow) -> None:  # noqa: ANN001
    select(window, "Dr. Chen")
    ctrl_k(qtbot, window)
    run_at(qtbot, window, SECOND)
    card = window.cards.cards()[0]
    qtbot.mouseClick(card.use_button, Qt.MouseButton.LeftButton)
    assert window.editor.toPlainText() == f"{FIRST} {card.candidate.text}"  # the candidate text exactly
    assert window.kept_phrases() == ["Dr. Chen"]


def test_each_card_tints_new_wording_and_marks_the_facts_it_kept(qtbot, window: MainWindow) -> None:  # noqa: ANN001
    select(window, "Dr. Chen")
    ctrl_k(qtbot, window)
    run_at(qtbot, window, SECOND)
    card = window.cards.cards()[0]
    assert card.candidate.kept == ("Dr. Chen",)
    assert [s.text for s in card.segments if s.kind == NEW] == ["(variant 1)"]
    assert [s.text for s in card.segments if s.kind == KEPT] == ["Dr. Chen"]
    html = card.text_label.text()
    assert "<b>Dr. Chen</b>" in html and "background-color" in html
    assert "kept: Dr. Chen" in card.accessibleDescription()
    assert window.cards.candidates()[0].text == "However, Dr. Chen warned that costs will not fall (variant 1)."


def test_kept_phrases_are_part_of_the_work_and_found_per_sentence() -> None:
    assert JobRequest("A b.", keep=("b",)).key != JobRequest("A b.").key
    assert phrases_within(TEXT, [(0, 7), (30, 40), (13, 16), (13, 16)], 0, len(FIRST)) == ("Revenue", "12%")
    alternatives = Alternatives()
    session = alternatives.session_for(TEXT)
    spans = [(TEXT.index("Dr. Chen"), TEXT.index("Dr. Chen") + 8)]
    assert alternatives.sentence_request(session.wordy[1], 5, 0.5, spans).keep == ("Dr. Chen",)
    assert alternatives.sentence_request(session.wordy[0], 5, 0.5, spans).keep == ()
    ahead = alternatives.to_write_ahead(session.wordy[0], 5, 0.5, None, spans)
    assert ahead is not None and ahead.keep == ("Dr. Chen",)
