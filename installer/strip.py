"""Strip debug symbols from the collected libraries, except those ``strip`` would break.

PyInstaller's own ``strip=True`` strips everything, and that corrupts libraries that
auditwheel rewrote with patchelf (numpy's OpenBLAS fails with "ELF load command
address/offset not page-aligned"). Stripping matters mostly for libpython and the
stdlib extensions (built with debug info: 23 MB → 6 MB for libpython alone), so this
strips every library except the vendored ones in an auditwheel ``<name>.libs/`` folder, whose
SONAME and dependencies patchelf rewrote. The package's own extension modules (where
auditwheel only set an RPATH) are stripped: numpy's lose 0.8 MB and still load (the frozen
``--self-test`` imports numpy, numpy.random and numpy.linalg).
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

log = logging.getLogger(__name__)

#: PyInstaller TOC typecodes of native code.
BINARY_KINDS = ("BINARY", "EXTENSION")


def patched_by_auditwheel(src: Path) -> bool:
    """True for a library vendored by auditwheel, i.e. a file inside a ``X.libs/`` folder."""
    return any(parent.name.endswith(".libs") for parent in src.parents)


def strip_collected(dist: Path, entries: Iterable[tuple[str, str, str]], *, strip: str = "strip") -> int:
    """Strip the collected copies of ``entries`` (a PyInstaller TOC) in ``dist``; returns the bytes saved.

    Linux only: on macOS stripping invalidates signatures, and Windows DLLs carry no symbols.
    """
    tool = shutil.which(strip)
    if not sys.platform.startswith("linux") or tool is None:
        log.info("not stripping (platform %s, strip %s)", sys.platform, tool or "missing")
        return 0
    saved = 0
    for dest, src, kind in entries:
        target = dist / dest
        if kind not in BINARY_KINDS or target.is_symlink() or not target.is_file():
            continue
        if patched_by_auditwheel(Path(src)):
            log.debug("not stripping %s (auditwheel-patched)", dest)
            continue
        before = target.stat().st_size
        result = subprocess.run([tool, str(target)], capture_output=True, text=True, check=False)
        if result.returncode != 0:
            log.warning("strip failed on %s: %s", dest, result.stderr.strip())
            continue
        saved += before - target.stat().st_size
    log.info("stripped %.1f MB of symbols", saved / 1e6)
    return saved
