"""Fewer alternatives than asked: the window says why instead of leaving the writer to wonder.

The runtime returns fewer candidates rather than one that changed a number or dropped a name
(``ParaphraseResult.note``); a stand-in paraphraser returns 2 of 5 here, so this runs without
the model.
"""

from __future__ import annotations

from pathlib import Path

from desktop.storage import Storage
from desktop.widgets.main_window import MainWindow
from stand_in import QuietDialogs, StandInParaphraser


def _run(qtbot, data_dir: Path, passing: int,  # noqa: ANN001
         text: str = "Revenue rose 12% to $4.3 million in 2027.") -> MainWindow:
    window = MainWindow(Storage(data_dir), paraphraser=StandInParaphraser(passing=passing),  # type: ignore[arg-type]
                        dialog_factory=QuietDialogs())
    qtbot.addWidget(window)
    window.show()
    window.editor.setPlainText(text)
    with qtbot.waitSignal(window.run_finished, timeout=10_000):
        window.paraphrase()
    return window


def test_fewer_alternatives_than_asked_are_explained_in_the_status(qtbot, data_dir: Path) -> None:  # noqa: ANN001
    window = _run(qtbot, data_dir, passing=2)
    assert len(window.cards.candidates()) == 2
    assert window.cards_status.text() == window.last_result.note
    assert window.cards_status.text().startswith("2 of 5 paraphrases")


def test_no_alternative_that_kept_the_facts_says_so(qtbot, data_dir: Path) -> None:  # noqa: ANN001
    window = _run(qtbot, data_dir, passing=0)
    assert window.cards.candidates() == []
    assert "0 of 5" in window.cards_status.text()


def test_all_alternatives_leave_the_status_empty(qtbot, data_dir: Path) -> None:  # noqa: ANN001
    window = _run(qtbot, data_dir, passing=5)
    assert len(window.cards.candidates()) == 5
    assert window.cards_status.text() == ""


def test_a_long_sentence_with_few_alternatives_is_told_that_splitting_it_helps(qtbot, data_dir: Path) -> None:  # noqa: ANN001
    long_sentence = ("Because the delivery company had lost two of the boxes on the way, the new restaurant opened a "
                     "week late, and the chef spent the extra days training the staff and testing every dish twice.")
    window = _run(qtbot, data_dir, passing=1, text=long_sentence)
    status = window.cards_status
    assert status.text() == window.last_result.note
    assert "splitting this sentence (35 words) in two usually helps" in status.text()
    assert status.wordWrap()  # two lines rather than a window as wide as the note
    assert status.minimumSizeHint().width() < status.fontMetrics().horizontalAdvance(status.text())
