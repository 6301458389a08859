"""Entry point: ``main(argv)`` starts the window, or runs the self-test the installer uses.

``--self-test`` opens the real window (works with ``QT_QPA_PLATFORM=offscreen``), loads
the model and runs one paraphrase through the same worker thread as a click would, then
prints ONE JSON line on stdout and exits 0, or prints a reason and exits non-zero. It
uses a throw-away settings folder so it never touches the writer's history.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import tempfile
import time

_STARTED = time.perf_counter()

from PySide6.QtCore import QTimer  # noqa: E402 - after the start-time stamp on purpose
from PySide6.QtWidgets import QApplication, QDialog, QWidget  # noqa: E402

from . import APP_NAME, ORG_DOMAIN, ORG_NAME, options  # noqa: E402

log = logging.getLogger(__name__)

SELF_TEST_SENTENCE = "The museum was closed for renovations, so we spent the afternoon in the park instead."
#: Generous: a cold model load plus one paraphrase takes well under 30 s on two cores.
SELF_TEST_TIMEOUT_S = 180


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="paraphrase-studio app", description=f"Start {APP_NAME}.")
    options.add_arguments(parser)
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress details")
    return parser


def ensure_application() -> QApplication:
    """The one QApplication, named so QSettings and AppDataLocation land in our own folders."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
    app.setOrganizationName(ORG_NAME)
    app.setOrganizationDomain(ORG_DOMAIN)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    return app  # type: ignore[return-value]


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    options.check(args, parser)  # a usage error (exit 2) before a window opens
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    app = ensure_application()
    if args.self_test:
        return run_self_test(app, bundle=args.bundle, threads=args.threads)

    from .storage import Storage
    from .widgets.main_window import MainWindow

    window = MainWindow(Storage(), bundle=args.bundle, threads=args.threads)
    window.model_ready.connect(
        lambda name: log.info("model %s ready %.0f ms after start", name, (time.perf_counter() - _STARTED) * 1000))
    window.show()
    log.info("window shown %.0f ms after start", (time.perf_counter() - _STARTED) * 1000)
    return int(app.exec())


def run_self_test(app: QApplication, *, bundle: str | None = None, threads: int | None = None,
                  timeout_s: float = SELF_TEST_TIMEOUT_S) -> int:
    """Open the window, paraphrase one sentence through the worker, print one JSON line."""
    from models import BundleError

    from .storage import Storage
    from .widgets.main_window import MainWindow

    report: dict[str, object] = {}
    outcome: dict[str, object] = {"code": None}
    data = tempfile.TemporaryDirectory(prefix="paraphrase-studio-selftest-")

    def quiet_dialog(error: Exception, command: object, missing: bool, parent: QWidget) -> QDialog:
        return QDialog(parent)  # the failure is reported on stdout instead

    window = MainWindow(Storage(data.name), bundle=bundle, threads=threads, dialog_factory=quiet_dialog)
    window.show()
    window_ms = (time.perf_counter() - _STARTED) * 1000

    def finish(code: int, payload: dict[str, object], message: str = "") -> None:
        if outcome["code"] is not None:
            return
        outcome["code"] = code
        print(json.dumps(payload, ensure_ascii=False), flush=True)
        if message:
            print(f"paraphrase-studio self-test: {message}", file=sys.stderr, flush=True)
        app.exit(code)

    def on_ready(name: str) -> None:
        report["ready_ms"] = round((time.perf_counter() - _STARTED) * 1000, 1)
        window.editor.setPlainText(SELF_TEST_SENTENCE)
        window.paraphrase()

    def on_failed(error: Exception) -> None:
        kind = "bundle" if isinstance(error, BundleError) else type(error).__name__
        finish(1, {"ok": False, "error": str(error), "kind": kind}, str(error))

    def on_finished(result: object) -> None:
        candidates = [{"text": c.text, "score": round(c.score, 4)} for c in window.cards.candidates()]
        if not candidates:
            finish(1, {"ok": False, "error": "the model returned no paraphrase"}, "no paraphrase came back")
            return
        finish(0, {
            "ok": True,
            "model": window.worker.paraphraser.name if window.worker.paraphraser else None,
            "candidates": candidates,
            "load_ms": round(window.load_ms or 0.0, 1),
            "first_candidate_ms": round(window.first_candidate_ms or 0.0, 1),
            "total_ms": round(window.last_total_ms or 0.0, 1),
            "window_ms": round(window_ms, 1),
            "ready_ms": report.get("ready_ms"),
        })

    def on_timeout() -> None:
        finish(2, {"ok": False, "error": f"no result within {timeout_s:.0f} s"}, "timed out")

    window.model_ready.connect(on_ready)
    window.model_failed.connect(on_failed)
    window.run_finished.connect(on_finished)
    QTimer.singleShot(int(timeout_s * 1000), on_timeout)
    code = app.exec()
    window.close()
    data.cleanup()
    return int(outcome["code"] if outcome["code"] is not None else code)
