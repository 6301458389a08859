"""Measure the packaged app's start: process start → window shown, cold and warm.

Runs ``ParaphraseStudio --self-test`` (offscreen) several times and reads its JSON:
``window_ms`` counts from the process start (the launcher rebases the clock), so it
includes the bootloader, the interpreter and every import; ``ready_ms`` adds the model
load. "Cold" runs first evict the app folder's files from the page cache
(``posix_fadvise(DONTNEED)``, only our files, nothing else on the machine), so the
libraries and the model are read from disk again as after a reboot. "First" runs are cold
runs that also hash every bundle file, as the first start after an install does (the
verified-files record, :mod:`models.verified_files`, is switched off for them; the other
runs keep the user's record, which the first of them fills).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

from . import APP_DIST_NAME


def evict_from_page_cache(folder: Path) -> int:
    """Ask the kernel to drop the cached pages of every file under ``folder``; returns how many files."""
    count = 0
    for path in folder.rglob("*"):
        if path.is_symlink() or not path.is_file():
            continue
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fdatasync(fd)
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            count += 1
        finally:
            os.close(fd)
    return count


def run_once(executable: Path, *, cold: bool, hash_all: bool = False) -> dict[str, object]:
    if cold:
        evict_from_page_cache(executable.parent)
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    if hash_all:
        env["PARAPHRASE_STUDIO_VERIFIED_FILES"] = "off"
    env.pop("PARAPHRASE_STUDIO_BUNDLES", None)  # the packaged bundle, not a source tree's
    result = subprocess.run([str(executable), "--self-test"], capture_output=True, text=True, env=env,
                            check=False, timeout=300)
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    if result.returncode != 0 or not lines:
        raise RuntimeError(f"self-test failed ({result.returncode}): {result.stdout[-500:]} {result.stderr[-500:]}")
    return json.loads(lines[-1])


def summary(label: str, runs: list[dict[str, object]]) -> str:
    def stats(key: str) -> str:
        values = [float(run[key]) for run in runs if run.get(key) is not None]  # type: ignore[arg-type]
        return (f"median {statistics.median(values):.0f} ms (min {min(values):.0f}, max {max(values):.0f})"
                if values else "n/a")
    return f"{label} ({len(runs)} runs): window {stats('window_ms')}; model ready {stats('ready_ms')}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m installer.coldstart", description=__doc__.split("\n\n")[0])
    parser.add_argument("app_dir", type=Path, nargs="?", default=Path("dist") / APP_DIST_NAME)
    parser.add_argument("-n", "--runs", type=int, default=5, help="runs of each kind (default 5)")
    args = parser.parse_args(argv)
    executable = args.app_dir / (f"{APP_DIST_NAME}.exe" if os.name == "nt" else APP_DIST_NAME)
    first = [run_once(executable, cold=True, hash_all=True) for _ in range(args.runs)]
    cold = [run_once(executable, cold=True) for _ in range(args.runs)]
    warm = [run_once(executable, cold=False) for _ in range(args.runs)]
    print(summary("first start (cold, every bundle file hashed)", first))
    print(summary("cold", cold))
    print(summary("warm", warm))
    return 0


if __name__ == "__main__":
    sys.exit(main())
