"""The thread governor leaves the cores other processes use."""

from __future__ import annotations

import pytest

from distill import cpu


def test_governor_counts_only_other_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = {"wall": 100.0, "busy": 1000.0, "own": 10.0}
    monkeypatch.setattr(cpu.time, "monotonic", lambda: clock["wall"])
    monkeypatch.setattr(cpu.time, "process_time", lambda: clock["own"])
    monkeypatch.setattr(cpu, "_busy_seconds", lambda: clock["busy"])
    gov = cpu.ThreadGovernor(max_threads=2, cpus=2)
    assert gov.suggest() is None  # no interval yet

    def advance(busy: float, own: float) -> int | None:
        clock["wall"] += 10
        clock["busy"] += busy
        clock["own"] += own
        return gov.suggest()

    assert advance(busy=19.0, own=18.0) == 2   # we use ~2 cores, others ~0.1
    assert advance(busy=20.0, own=10.0) == 1   # another process holds a core
    assert advance(busy=4.0, own=4.0) == 2     # machine free again


def test_busy_seconds_reads_proc_stat_or_none() -> None:
    value = cpu._busy_seconds()
    assert value is None or value > 0
