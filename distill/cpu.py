"""Adapt torch's thread count to a CPU shared with other work.

On a 2-core machine a training run at ``nice 19`` next to one busy process gets one core:
with two torch threads every parallel region then waits for the starved thread, and
steps got 3-15x slower in practice. Measuring what *other* processes use (from
``/proc/stat`` minus this process's CPU time) and dropping to fewer threads avoids that;
when the machine frees up, the threads come back.
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

log = logging.getLogger(__name__)

_PROC_STAT = Path("/proc/stat")


def _busy_seconds() -> float | None:
    """CPU seconds spent busy by the whole machine since boot (None off Linux)."""
    try:
        fields = _PROC_STAT.read_text().splitlines()[0].split()
    except OSError:
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(v) for v in fields[1:9])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


class ThreadGovernor:
    """Suggest a thread count: the cores other processes leave free, at least 1."""

    def __init__(self, max_threads: int, cpus: int | None = None) -> None:
        self.max_threads = max(1, max_threads)
        self.cpus = cpus or os.cpu_count() or 1
        self._last: tuple[float, float, float] | None = None

    def _sample(self) -> tuple[float, float, float] | None:
        busy = _busy_seconds()
        if busy is None:
            return None
        return time.monotonic(), busy, time.process_time()

    def others_load(self) -> float | None:
        """Cores used by other processes since the previous call (None on the first call)."""
        now = self._sample()
        last, self._last = self._last, now
        if now is None or last is None or now[0] - last[0] < 1.0:
            return None
        wall = now[0] - last[0]
        return max(0.0, ((now[1] - last[1]) - (now[2] - last[2])) / wall)

    def suggest(self) -> int | None:
        """Threads to use now, or None when there is no measurement yet."""
        others = self.others_load()
        if others is None:
            return None
        return max(1, min(self.max_threads, round(self.cpus - others)))
