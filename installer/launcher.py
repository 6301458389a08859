"""Entry script of the packaged app: what ``dist/ParaphraseStudio/ParaphraseStudio`` runs.

It is the desktop app's own ``main`` with three things only a frozen build needs: the
window icon (Linux executables carry none), the version in ``QApplication``, and a start
time counted from the process start, so ``--self-test``'s ``window_ms`` includes the
bootloader and the interpreter start-up a writer waits through, not just our imports.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

# onnxruntime's telemetry off before the app can load it (models/offline.py): the frozen app's first import.
from models.offline import disable_onnxruntime_telemetry

disable_onnxruntime_telemetry()

#: Written by build.spec next to this script's bytecode in the frozen app (``_version.txt``).
VERSION_FILE = "_version.txt"


def process_age_s() -> float:
    """Seconds since this process started (Linux ``/proc``; 0.0 where that is unavailable)."""
    try:
        stat = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
        started_ticks = int(stat[19])  # field 22 of stat(5), counted after "pid (comm)"
        uptime_s = float(Path("/proc/uptime").read_text().split()[0])
        return max(0.0, uptime_s - started_ticks / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError):
        return 0.0


def app_version() -> str:
    root = Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parent))
    try:
        return (root / VERSION_FILE).read_text(encoding="utf-8").strip()
    except OSError:
        return ""


def main() -> int:
    started = time.perf_counter() - process_age_s()
    import desktop.app as desktop_app  # after the clock read: PySide6 is imported here
    from PySide6.QtGui import QIcon

    desktop_app._STARTED = min(started, desktop_app._STARTED)  # noqa: SLF001 - count from process start
    app = desktop_app.ensure_application()
    app.setApplicationVersion(app_version())
    icon = Path(getattr(sys, "_MEIPASS", "")) / "icon.png"
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))
    return desktop_app.main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
