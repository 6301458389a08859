"""Saving that fails is said in the window, never silent; nothing the writer typed or chose is lost.

Tests run as root, where a chmod'ed folder is still writable, so the failures are made
the way they come on any machine: a write that raises ENOSPC, and a data folder whose
parent is a regular file (it can never be created).
"""

from __future__ import annotations

import errno
import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

import desktop.storage as storage_module
from desktop.storage import DATA_ENV, HISTORY_FILE, HistoryStore, Storage
from desktop.widgets.main_window import MainWindow
from stand_in import QuietDialogs, StandInParaphraser

SENTENCE = "The library will stay open late during exam week."


class _Disk:
    """``atomic_write_text`` that fails with a full disk while ``full`` is set."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.full = True
        real = storage_module.atomic_write_text

        def write(path: Path, text: str) -> None:
            if self.full:
                raise OSError(errno.ENOSPC, "No space left on device", str(path))
            real(path, text)

        monkeypatch.setattr(storage_module, "atomic_write_text", write)


def _window(qtbot, storage: Storage) -> MainWindow:  # noqa: ANN001
    window = MainWindow(storage, paraphraser=StandInParaphraser(), dialog_factory=QuietDialogs())
    qtbot.addWidget(window)
    window.show()
    return window


def _paraphrase(qtbot, window: MainWindow, text: str) -> None:  # noqa: ANN001
    window.editor.setPlainText(text)
    with qtbot.waitSignal(window.run_finished, timeout=10_000):
        window.paraphrase()


def test_a_history_that_cannot_be_saved_is_kept_and_saved_after_the_next_change(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    disk = _Disk(monkeypatch)
    store = HistoryStore(tmp_path / HISTORY_FILE)
    store.add("First sentence.", model="m", candidates=3)
    assert store.save_error is not None and "No space left on device" in store.save_error
    assert [e.input for e in store.entries] == ["First sentence."]  # kept in memory
    assert not (tmp_path / HISTORY_FILE).exists()

    disk.full = False
    store.choose("First sentence.", "The first sentence, rewritten.")
    assert store.save_error is None
    saved = json.loads((tmp_path / HISTORY_FILE).read_text(encoding="utf-8"))
    assert saved["entries"][0]["chosen"] == "The first sentence, rewritten."  # nothing from the full-disk time lost


def test_the_window_says_the_history_is_not_saved_and_clears_it_once_a_save_works(
        qtbot, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    disk = _Disk(monkeypatch)
    window = _window(qtbot, Storage(data_dir))
    assert not window.save_notice.isVisible()
    text = f"{SENTENCE}\n\nA second paragraph the writer is still typing."
    _paraphrase(qtbot, window, text)

    assert window.save_notice.isVisible()
    assert "could not be saved" in window.save_notice.text() and "No space left" in window.save_notice.text()
    assert window.editor.toPlainText() == text  # the writer's text is untouched
    assert window.history.entries[0].input == SENTENCE
    assert window.history_panel.list.count() == 1  # still listed, from memory

    disk.full = False
    qtbot.mouseClick(window.cards.cards()[0].use_button, Qt.MouseButton.LeftButton)  # the next change saves
    assert not window.save_notice.isVisible()
    saved = json.loads((data_dir / HISTORY_FILE).read_text(encoding="utf-8"))
    assert saved["entries"][0]["input"] == SENTENCE and saved["entries"][0]["chosen"]
    window.close()


def _unusable_folder(tmp_path: Path) -> Path:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a regular file where the data folder's parent should be", encoding="utf-8")
    return blocker / "data"


def test_a_data_folder_that_cannot_be_created_runs_without_saving(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _unusable_folder(tmp_path)
    monkeypatch.setenv(DATA_ENV, str(folder))
    storage = Storage()  # crashed here before: NotADirectoryError from mkdir
    assert storage.problem is not None and str(folder) in storage.problem and not storage.saving
    storage.settings.candidates = 7
    storage.settings.theme = "dark"
    storage.settings.sync()
    assert storage.settings.candidates == 7 and storage.settings.theme == "dark"  # kept in memory
    storage.history.add(SENTENCE, model="m", candidates=7)
    assert storage.history.entries[0].input == SENTENCE
    assert storage.history.save_error is None  # the folder's problem is said once, not per change
    assert sorted(p.name for p in tmp_path.iterdir()) == ["not-a-folder"]  # nothing written anywhere


def test_the_window_opens_and_says_nothing_is_saved(qtbot, tmp_path: Path,  # noqa: ANN001
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DATA_ENV, str(_unusable_folder(tmp_path)))
    window = _window(qtbot, Storage())
    assert window.save_notice.isVisible() and "nothing is saved" in window.save_notice.text()
    _paraphrase(qtbot, window, SENTENCE)  # works, and the notice stays (a run clears the other banner)
    assert window.cards.cards() and window.save_notice.isVisible()
    window.close()  # saving the window layout on close must not fail either


def test_two_damaged_histories_in_the_same_second_keep_both_backups(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(storage_module.time, "time", lambda: 1_700_000_000.25)
    path = tmp_path / HISTORY_FILE
    contents = ["{first damaged", "[second damaged"]
    for text in contents:
        path.write_text(text, encoding="utf-8")
        assert HistoryStore(path).entries == []
    backups = sorted(tmp_path.glob(f"{HISTORY_FILE}.damaged-*"))
    assert len(backups) == 2
    assert sorted(p.read_text(encoding="utf-8") for p in backups) == sorted(contents)
    assert all("1700000000" in p.name for p in backups)


def test_a_data_folder_that_cannot_be_written_keeps_its_settings_and_history_readable(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "read-only"
    first = Storage(folder)
    first.settings.candidates = 7
    first.settings.sync()
    first.history.add(SENTENCE, model="m", candidates=7)
    before = (folder / HISTORY_FILE).read_bytes()

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise PermissionError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(storage_module.tempfile, "TemporaryFile", refuse)  # root ignores chmod; a mount would not
    again = Storage(folder)
    assert again.problem is not None and "cannot write to" in again.problem and "Read-only" in again.problem
    assert again.settings.candidates == 7 and again.history.entries[0].input == SENTENCE  # still read
    again.history.add("Another sentence.", model="m", candidates=3)
    assert again.history.entries[0].input == "Another sentence." and again.history.save_error is None
    assert (folder / HISTORY_FILE).read_bytes() == before  # not written (and not half-written)
