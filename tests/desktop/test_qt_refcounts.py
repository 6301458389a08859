"""The installed PySide6 keeps Python's reference counts straight over a long session.

PySide6 6.12.0's ``Signal.emit()`` dropped a reference to ``True`` on every call and
``QCoreApplication.processEvents()`` one to ``None``: the app emits ~18 signals per
paraphrase run, so after ~180 runs in one session the interpreter aborted ("deallocating
True or False") and took the writer's unsaved text with it. pyproject.toml keeps that
release out; this test fails on any release that brings the bug back.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication, QObject, Signal

CALLS = 1000


class _Emitter(QObject):
    happened = Signal(int, object)


def test_emitting_a_signal_leaves_true_none_and_false_alone(qapp) -> None:  # noqa: ANN001
    emitter = _Emitter()
    received: list[int] = []
    emitter.happened.connect(lambda number, _payload: received.append(number))
    before = {name: sys.getrefcount(value) for name, value in (("True", True), ("False", False), ("None", None))}
    for number in range(CALLS):
        emitter.happened.emit(number, None)
    after = {name: sys.getrefcount(value) for name, value in (("True", True), ("False", False), ("None", None))}
    assert len(received) == CALLS
    for name in before:
        lost = before[name] - after[name]
        assert lost < CALLS // 10, f"{CALLS} emits took {lost} references to {name}"


def test_processing_events_leaves_none_alone(qapp) -> None:  # noqa: ANN001
    before = sys.getrefcount(None)
    for _ in range(CALLS):
        QCoreApplication.processEvents()
    assert sys.getrefcount(None) - before > -CALLS // 10
