"""Measure what writing ahead saves: "Use this" → the next sentence's first card on screen.

Not a test (timings are measured, never asserted): ``python tests/desktop/measure_write_ahead.py``
runs the real window offscreen on the default bundle, paraphrases the first of six bench
sentences, then four times waits a second (the writer reads) and presses "Use this",
with writing ahead on and off, alternating.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from bench.sentences import load_sentences  # noqa: E402
from desktop.storage import Storage  # noqa: E402
from desktop.widgets.main_window import MainWindow  # noqa: E402
from models import Paraphraser  # noqa: E402


def wait(app: QApplication, done: Callable[[], bool], timeout_s: float = 30.0) -> None:
    """Run the event loop until ``done()`` (or the timeout)."""
    if done():
        return
    loop, timer, deadline = QEventLoop(), QTimer(), time.perf_counter() + timeout_s

    def check() -> None:
        if done() or time.perf_counter() > deadline:
            loop.quit()

    timer.setInterval(1)
    timer.timeout.connect(check)
    timer.start()
    loop.exec()
    timer.stop()


def main() -> int:
    app = QApplication([])
    paraphraser = Paraphraser.load(None)
    text = " ".join(s.text for s in load_sentences()[2:8])
    for write_ahead in (True, False, True, False):
        window = MainWindow(Storage(tempfile.mkdtemp()), paraphraser=paraphraser)
        window.show()
        window.write_ahead_action.setChecked(write_ahead)
        window.controls.set_candidates(5)
        window.editor.setPlainText(text)
        window.editor.move_cursor_to(0)
        runs: list[object] = []
        window.run_finished.connect(runs.append)
        window.paraphrase()
        wait(app, lambda: bool(runs))
        delays = []
        for _ in range(4):
            reading = time.perf_counter()
            wait(app, lambda: time.perf_counter() - reading > 1.0)
            pressed = time.perf_counter()
            window.use_candidate(window.cards.cards()[0].candidate)
            wait(app, lambda: bool(window.cards.cards()))
            delays.append((time.perf_counter() - pressed) * 1000)
            wait(app, lambda: not window.worker.busy)
        print(f"write ahead {'on ' if write_ahead else 'off'}: Use this -> next sentence's first card, "
              f"p50 {statistics.median(delays):.0f} ms ({', '.join(f'{d:.0f}' for d in delays)})")
        window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
