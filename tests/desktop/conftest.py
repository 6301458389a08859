"""Desktop-app fixtures: offscreen Qt, one real model per session, throw-away storage.

QT_QPA_PLATFORM must be set before anything imports Qt, so it is set at the top of this
file. The real default bundle is loaded once per session with ``threads=1``: on a shared
two-core machine one ONNX Runtime thread is both faster (no thread contention) and leaves
a core for the GUI thread, which the event-loop responsiveness test measures.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Callable, Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

pytest.importorskip("PySide6", reason="the desktop app needs PySide6: pip install -e '.[app]'")
pytest.importorskip("pytestqt", reason="the desktop tests need pytest-qt: pip install -e '.[dev]'")

from PySide6.QtWidgets import QDialog, QWidget  # noqa: E402

#: The model's thread count in these tests (see the module docstring).
TEST_THREADS = 1


@pytest.fixture(scope="session")
def desktop_paraphraser(default_bundle: Path):  # noqa: ANN201 - models.Paraphraser
    """The real default bundle, loaded once (skips with the build command if it is missing)."""
    from desktop.workers import warm_up
    from models import Paraphraser

    paraphraser = Paraphraser.load(default_bundle, threads=TEST_THREADS)
    warm_up(paraphraser)
    return paraphraser


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """Settings and history for one test: never the real user's."""
    return tmp_path / "data"


class DialogRecorder:
    """A dialog factory that records what the window asked for and shows nothing modal."""

    def __init__(self) -> None:
        self.calls: list[tuple[Exception, object, bool]] = []

    def __call__(self, error: Exception, command: object, missing: bool, parent: QWidget) -> QDialog:
        self.calls.append((error, command, missing))
        return QDialog(parent)


@pytest.fixture
def make_window(qtbot, data_dir: Path, desktop_paraphraser) -> Iterator[Callable[..., object]]:  # noqa: ANN001
    """Build main windows on the session's model; closes them (stopping their worker) after the test."""
    from desktop.storage import Storage
    from desktop.widgets.main_window import MainWindow

    windows: list[MainWindow] = []

    def make(**kwargs: object) -> MainWindow:
        kwargs.setdefault("paraphraser", desktop_paraphraser)
        kwargs.setdefault("dialog_factory", DialogRecorder())
        storage = kwargs.pop("storage", None) or Storage(data_dir)
        window = MainWindow(storage, **kwargs)  # type: ignore[arg-type]
        qtbot.addWidget(window)
        with qtbot.waitExposed(window):
            window.show()
        with qtbot.waitActive(window):  # keyboard shortcuts only reach the active window
            window.activateWindow()
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.close()


#: Qt messages that say nothing about the app (the offscreen platform's own limits).
_IGNORED_QT_MESSAGES = ("propagateSizeHints", "This plugin does not support")


@pytest.fixture(autouse=True)
def no_qt_warnings(qtlog) -> Iterator[None]:  # noqa: ANN001
    """Fail on Qt warnings (a bad stylesheet colour, a cursor out of range) instead of ignoring them."""
    from PySide6.QtCore import QtMsgType

    yield
    bad = [r.message for r in qtlog.records
           if r.type in (QtMsgType.QtWarningMsg, QtMsgType.QtCriticalMsg)
           and not any(part in r.message for part in _IGNORED_QT_MESSAGES)]
    assert bad == [], f"Qt warnings: {bad[:5]}"
