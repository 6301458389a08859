"""Several sentences at once show "Paraphrasing… k / N sentences"; a rejected text is a plain message.

A stand-in paraphraser (tests/desktop/stand_in.py) answers at once, so these run in
milliseconds and do not depend on the model.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from desktop.storage import Storage
from desktop.widgets.main_window import MainWindow
from desktop.workers import JobRequest, ModelWorker
from models import InputError
from stand_in import QuietDialogs, StandInParaphraser

TEXT = "The museum was closed. We went to the park. It rained all afternoon."


def test_the_worker_forwards_sentence_progress_of_a_whole_text_job(qtbot) -> None:  # noqa: ANN001
    worker = ModelWorker()
    worker.set_paraphraser(StandInParaphraser())  # type: ignore[arg-type]
    progress: list[tuple[int, int]] = []
    worker.job_progress.connect(lambda _job, done, total: progress.append((done, total)))
    with qtbot.waitSignal(worker.job_finished, timeout=10_000) as blocker:
        worker.submit(JobRequest(sentence=TEXT, n=2, whole=True))
    assert progress == [(0, 3), (1, 3), (2, 3), (3, 3)]
    assert len(blocker.args[1].candidates) == 2
    assert worker.shutdown(5000)


def _window(qtbot, data_dir: Path, paraphraser: StandInParaphraser, dialogs: QuietDialogs) -> MainWindow:  # noqa: ANN001
    window = MainWindow(Storage(data_dir), paraphraser=paraphraser, dialog_factory=dialogs)  # type: ignore[arg-type]
    qtbot.addWidget(window)
    window.show()
    return window


def test_a_selection_of_sentences_shows_progress_and_use_this_replaces_it(qtbot, data_dir: Path) -> None:  # noqa: ANN001
    gate = threading.Event()
    paraphraser = StandInParaphraser(gate=gate)
    window = _window(qtbot, data_dir, paraphraser, QuietDialogs())
    text = f"Title line\n\n{TEXT}\n\nA last sentence after the selection."
    window.editor.setPlainText(text)
    cursor = window.editor.textCursor()
    start = text.index("seum")  # mid-sentence to mid-sentence: widened to whole sentences
    cursor.setPosition(start)
    cursor.setPosition(text.index("all afternoon"), QTextCursor.MoveMode.KeepAnchor)
    window.editor.setTextCursor(cursor)

    seen: list[tuple[str, int, int]] = []
    window.worker.job_progress.connect(  # after the window's own slot: what the writer sees now
        lambda _job, done, total: seen.append((window.cards_status.text(), window.busy_bar.value(),
                                               window.busy_bar.maximum())))
    with qtbot.waitSignal(window.run_finished, timeout=10_000):
        window.paraphrase()
        assert window.cards_status.text() == "Paraphrasing… 0 / 3 sentences" and window.busy_bar.isVisible()
        gate.set()
    assert paraphraser.calls == [("text", TEXT)]
    assert seen[-1] == ("Paraphrasing… 3 / 3 sentences", 3, 3)
    assert ("Paraphrasing… 1 / 3 sentences", 1, 3) in seen
    assert window.cards_title.text() == "Alternatives for the 3 selected sentences"

    cards = window.cards.cards()
    assert len(cards) == window.controls.candidates()
    qtbot.mouseClick(cards[0].use_button, Qt.MouseButton.LeftButton)
    expected = text.replace(TEXT, cards[0].candidate.text)
    assert window.editor.toPlainText() == expected  # only the selected sentences changed
    assert window.history.entries[0].input == TEXT and window.history.entries[0].chosen == cards[0].candidate.text
    window.editor.undo()
    assert window.editor.toPlainText() == text  # one undo step
    window.close()


def test_without_a_selection_one_sentence_is_written_as_before(qtbot, data_dir: Path) -> None:  # noqa: ANN001
    paraphraser = StandInParaphraser()
    window = _window(qtbot, data_dir, paraphraser, QuietDialogs())
    window.editor.setPlainText(TEXT)
    with qtbot.waitSignal(window.run_finished, timeout=10_000):
        window.paraphrase()
    assert paraphraser.calls[0] == ("sentence", "The museum was closed.")
    window.close()


def test_an_input_error_from_a_run_is_a_message_in_the_window_not_a_dialog(qtbot, data_dir: Path) -> None:  # noqa: ANN001
    message = "This looks like French text; Paraphrase Studio paraphrases English."
    dialogs = QuietDialogs()
    window = _window(qtbot, data_dir, StandInParaphraser(error=InputError(message)), dialogs)
    text = "The runtime refuses this one while it runs."
    window.editor.setPlainText(text)
    with qtbot.waitSignal(window.run_finished, timeout=10_000):
        window.paraphrase()
    assert window.banner.isVisible() and window.banner.text() == message
    assert dialogs.calls == [] and window.editor.toPlainText() == text
    assert not window.worker.busy and window.paraphrase_button.isEnabled()
    window.editor.setPlainText("The museum was closed, so we went to the park.")  # the writer fixes the text
    qtbot.waitUntil(lambda: not window.banner.isVisible(), timeout=5_000)
    window.close()


def test_clearly_non_english_text_is_refused_with_a_message_before_any_run(qtbot, data_dir: Path) -> None:  # noqa: ANN001
    paraphraser = StandInParaphraser()
    dialogs = QuietDialogs()
    window = _window(qtbot, data_dir, paraphraser, dialogs)
    window.editor.setPlainText("我们去了公园，因为博物馆关门了。")
    window.paraphrase()
    assert window.banner.isVisible() and "English" in window.banner.text()
    assert paraphraser.calls == [] and dialogs.calls == []
    window.close()
