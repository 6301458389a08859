"""Facts about the machine a benchmark ran on, so numbers from different laptops compare.

Latency on a 135M model depends mostly on the CPU's vector instructions (AVX2, AVX-512,
VNNI for int8 dot products), the number of threads, and whether something else is
competing for the cores (the load average at start tells a reader to distrust a run).
"""

from __future__ import annotations

import logging
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")

#: Instruction-set flags that matter for int8/fp32 matmuls, as Linux names them.
INTERESTING_FLAGS = (
    "sse4_2", "avx", "f16c", "fma", "avx2", "avx_vnni",
    "avx512f", "avx512bw", "avx512vl", "avx512_vnni", "avx512_bf16", "avx512_fp16",
    "amx_tile", "amx_int8", "amx_bf16",
    "asimd", "asimddp", "i8mm", "sve",  # arm64
)
#: Packages whose versions change the numbers.
PACKAGES = ("numpy", "onnxruntime", "tokenizers", "torch", "transformers", "optimum", "optimum-onnx",
            "llama_cpp_python")


def machine_facts(threads: int) -> dict[str, Any]:
    """CPU, cores, ISA flags, OS, memory, package versions and the thread count used."""
    cpu = _cpu_info()
    return {
        "cpu_model": cpu.get("model") or platform.processor() or platform.machine(),
        "architecture": platform.machine(),
        "logical_cores": os.cpu_count(),
        "physical_cores": cpu.get("physical_cores"),
        "usable_cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "isa_flags": [flag for flag in INTERESTING_FLAGS if flag in cpu.get("flags", set())],
        "os": platform.platform(),
        "python": sys.version.split()[0],
        "memory_gb": _memory_gb(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None,
        "threads": threads,
        "onnxruntime": package_version("onnxruntime"),
        "packages": {name: package_version(name) for name in PACKAGES},
    }


def package_version(name: str) -> str | None:
    try:
        return version(name)
    except PackageNotFoundError:
        return None


def _cpu_info() -> dict[str, Any]:
    if sys.platform.startswith("linux"):
        return parse_proc_cpuinfo(Path("/proc/cpuinfo").read_text(errors="replace"))
    if sys.platform == "darwin":
        return _darwin_cpu_info()
    return {}


def parse_proc_cpuinfo(text: str) -> dict[str, Any]:
    """Model name, physical core count and flags from ``/proc/cpuinfo`` text (x86 or arm)."""
    model = None
    flags: set[str] = set()
    cores: set[tuple[str, str]] = set()
    physical_id = core_id = None
    for line in text.splitlines():
        key, _, value = line.partition(":")
        key, value = key.strip().lower(), value.strip()
        if key in ("model name", "hardware", "cpu model") and not model:
            model = value
        elif key in ("flags", "features") and not flags:
            flags = set(value.split())
        elif key == "physical id":
            physical_id = value
        elif key == "core id":
            core_id = value
        elif not line.strip() and core_id is not None:
            cores.add((physical_id or "0", core_id))
            physical_id = core_id = None
    if core_id is not None:
        cores.add((physical_id or "0", core_id))
    return {"model": model, "flags": flags, "physical_cores": len(cores) or None}


def _darwin_cpu_info() -> dict[str, Any]:
    def sysctl(name: str) -> str:
        try:
            return subprocess.run(["sysctl", "-n", name], capture_output=True, text=True, timeout=5).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return ""

    features = f"{sysctl('machdep.cpu.features')} {sysctl('machdep.cpu.leaf7_features')}".lower().split()
    flags = {f.replace(".", "_") for f in features}
    if "avx2_0" in flags:
        flags.add("avx2")
    cores = sysctl("hw.physicalcpu")
    return {"model": sysctl("machdep.cpu.brand_string") or None, "flags": flags,
            "physical_cores": int(cores) if cores.isdigit() else None}


def _memory_gb() -> float | None:
    try:
        pages, page_size = os.sysconf("SC_PHYS_PAGES"), os.sysconf("SC_PAGE_SIZE")
        return round(pages * page_size / 1024**3, 1)
    except (ValueError, OSError, AttributeError):
        return None


class CpuMeter:
    """How much CPU *other* processes used while we measured (Linux; ``None`` elsewhere).

    On a shared machine a number is only as good as the quiet it was taken in: a second
    busy process on 2 cores can triple llama.cpp's per-token time (its threads wait for
    each other at every op). ``others_cores_avg`` near 0 means the run had the machine to
    itself; above ~0.2 the numbers are suspect.
    """

    def __init__(self) -> None:
        self._start = self._sample()

    @staticmethod
    def _sample() -> tuple[float, float, float | None, float | None]:
        times = os.times()
        ours = times.user + times.system + times.children_user + times.children_system
        busy = steal = None
        try:
            with open("/proc/stat", encoding="ascii") as handle:
                fields = [int(x) for x in handle.readline().split()[1:]]
            tick = os.sysconf("SC_CLK_TCK")
            # user nice system idle iowait irq softirq steal ...
            busy = (fields[0] + fields[1] + fields[2] + fields[5] + fields[6]) / tick
            steal = fields[7] / tick if len(fields) > 7 else 0.0
        except (OSError, ValueError, IndexError):
            pass
        return time.monotonic(), ours, busy, steal

    def finish(self) -> dict[str, Any]:
        """CPU seconds used by us and by everything else since the meter started."""
        end = self._sample()
        wall = end[0] - self._start[0]
        ours = end[1] - self._start[1]
        result: dict[str, Any] = {"wall_s": round(wall, 2), "ours_cpu_s": round(ours, 2)}
        if end[2] is not None and self._start[2] is not None:
            others = max(0.0, (end[2] - self._start[2]) - ours)
            result.update(others_cpu_s=round(others, 2),
                          others_cores_avg=round(others / wall, 3) if wall > 0 else None,
                          steal_s=round((end[3] or 0) - (self._start[3] or 0), 2))
        else:
            result.update(others_cpu_s=None, others_cores_avg=None, steal_s=None)
        return result


class NoiseGuard:
    """Re-run a timed call that other processes disturbed, once they have gone quiet.

    The benchmark measures engines, not the neighbours: a run during which other
    processes used more than ``threshold`` cores on average is thrown away, the guard
    waits (in ``window_s`` steps) until the others are quiet again, and the run is redone,
    up to ``retries`` times. Waiting is capped at ``max_wait_s`` for the guard's whole life,
    so a machine that never goes quiet still finishes: then the last attempt is kept.
    Every run records how busy the others were, so the JSON shows how clean it is.
    """

    def __init__(self, threshold: float = 0.25, retries: int = 3, *, max_wait_s: float = 120.0,
                 window_s: float = 1.0) -> None:
        self.threshold = threshold
        self.retries = retries
        self.max_wait_s = max_wait_s
        self.window_s = window_s
        self.waited_s = 0.0

    def run(self, call: Callable[[], T]) -> tuple[float, T, float | None, int]:
        """``(seconds, call's result, others' cores during the kept attempt, attempts)``."""
        attempt = 0
        while True:
            attempt += 1
            meter = CpuMeter()
            started = time.perf_counter()
            result = call()
            seconds = time.perf_counter() - started
            others = meter.finish()["others_cores_avg"]
            if others is None or others <= self.threshold or attempt > self.retries:
                return seconds, result, others, attempt
            log.debug("run disturbed (others used %.2f cores); waiting for quiet", others)
            if not self.wait_for_quiet():
                return seconds, result, others, attempt

    def wait_for_quiet(self) -> bool:
        """Sleep until one window passes with the others under the threshold (within budget)."""
        while self.waited_s < self.max_wait_s:
            meter = CpuMeter()
            time.sleep(self.window_s)
            self.waited_s += self.window_s
            others = meter.finish()["others_cores_avg"]
            if others is None or others <= self.threshold:
                return True
        return False
