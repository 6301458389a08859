"""Regenerate docs/main-window.png: the real model, real candidates, a three-sentence text mid-way.

    apt-get install -y xvfb   # once
    xvfb-run -a -s "-screen 0 1400x1000x24" .venv/bin/python docs/screenshot.py docs/main-window.png [light|dark]
    # where Qt's xcb plugin cannot load (Qt 6.5+ needs libxcb-cursor0), the same image offscreen:
    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/screenshot.py docs/main-window.png

Runs the same steps a writer would: paraphrase sentence 1, use the best alternative (the
app moves on to sentence 2 by itself), then paraphrase the last sentence. The window is
grabbed with ``QWidget.grab()``, so no window manager is needed.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402

from desktop.app import ensure_application  # noqa: E402
from desktop.storage import Storage  # noqa: E402
from desktop.widgets.main_window import MainWindow  # noqa: E402

TEXT = ("The museum was closed for renovations, so we spent the afternoon in the park instead. "
        "Nobody complained.\nOur quarterly revenue rose 12% to $4.3 million, driven by strong sales in Germany.")
#: Marked with Keep unchanged (Ctrl+K) before the last run, as a writer would.
KEPT = "strong sales"


def main(out: str, scheme: str = "light") -> int:
    app = ensure_application()  # noqa: F841 - keeps the QApplication alive
    storage = Storage(tempfile.mkdtemp(prefix="paraphrase-studio-shot-"))
    storage.settings.theme = scheme
    window = MainWindow(storage, threads=1)
    window.resize(1180, 800)
    window.show()
    loop = QEventLoop()
    window.model_ready.connect(lambda _name: loop.quit())
    loop.exec()

    window.editor.setPlainText(TEXT)
    window.editor.move_cursor_to(0)
    window.controls.set_candidates(4)
    window.controls.set_diversity(0.45)
    window.run_finished.connect(lambda _result: loop.quit())
    window.paraphrase()
    loop.exec()
    window.use_number(1)  # take the best one; the app moves on to sentence 2 and writes its alternatives
    loop.exec()
    cursor = window.editor.textCursor()
    start = window.editor.toPlainText().index(KEPT)
    cursor.setPosition(start)
    cursor.setPosition(start + len(KEPT), cursor.MoveMode.KeepAnchor)
    window.editor.setTextCursor(cursor)
    window.toggle_keep()
    window.editor.move_cursor_to(len(window.editor.toPlainText()) - 5)
    window.paraphrase()
    loop.exec()
    window.statusBar().clearMessage()  # show the timing line, not the transient "Replaced…" note
    QTimer.singleShot(400, loop.quit)
    loop.exec()
    window.grab().save(out)
    print("saved", out, [c.text for c in window.cards.candidates()])
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
