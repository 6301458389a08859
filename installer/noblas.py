"""numpy without OpenBLAS: a 40 kB stand-in for ``numpy.libs/libscipy_openblas64_*.so``.

numpy's wheels link OpenBLAS (25.4 MB, plus libgfortran 2.8 MB and libquadmath 0.25 MB) for
``dot``/``matmul`` and ``numpy.linalg``. The app's numpy work is sampling (softmax, sorting,
``numpy.random``) and ONNX Runtime has its own kernels, so no BLAS routine ever runs; but
``numpy._core`` cannot load without the library. ``installer/noblas.c`` provides the 58
symbols numpy imports: reference CBLAS loops (correct, compared with OpenBLAS by
``tests/installer/test_noblas.py``, just not fast) and LAPACK entry points that stop with a
message (``numpy.linalg`` is not available in the installer).

:func:`replace_in_toc` swaps it in during ``build.spec`` (same SONAME and path), drops
gfortran/quadmath when nothing else links them, and refuses to build if numpy imports a
symbol the stand-in lacks. Linux only; ``PARAPHRASE_STUDIO_FULL_BLAS=1`` ships OpenBLAS.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

log = logging.getLogger(__name__)

SOURCE = Path(__file__).with_name("noblas.c")
#: Set to 1 to ship numpy's own OpenBLAS (28.5 MB with its Fortran runtime).
FULL_BLAS_ENV = "PARAPHRASE_STUDIO_FULL_BLAS"
_OPENBLAS = re.compile(r"^libscipy_openblas.*\.so")
_FORTRAN_RUNTIME = re.compile(r"^lib(gfortran|quadmath)")


def available(cc: str = "gcc") -> bool:
    return sys.platform.startswith("linux") and all(shutil.which(tool) for tool in (cc, "nm", "readelf"))


def build(out: Path, soname: str, *, cc: str = "gcc") -> Path:
    """Compile ``noblas.c`` into ``out`` with the given SONAME."""
    out.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([cc, "-O2", "-shared", "-fPIC", "-fvisibility=hidden", "-Wl,-soname," + soname,
                    "-Wl,-z,noexecstack", "-o", str(out), str(SOURCE), "-lm"], check=True)
    return out


def _symbols(library: Path, *, defined: bool) -> set[str]:
    flag = "--defined-only" if defined else "--undefined-only"
    result = subprocess.run(["nm", "-D", flag, str(library)], capture_output=True, text=True, check=True)
    return {line.split()[-1] for line in result.stdout.splitlines() if line.strip()}


def _needed(library: Path) -> set[str]:
    result = subprocess.run(["readelf", "-d", str(library)], capture_output=True, text=True, check=False)
    return set(re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", result.stdout))


def missing_symbols(stub: Path, importers: list[Path], prefix: str = "scipy_") -> set[str]:
    """BLAS/LAPACK symbols (``scipy_*``) that ``importers`` need and ``stub`` does not define."""
    wanted = set().union(*(_symbols(path, defined=False) for path in importers))
    return {name for name in wanted if name.startswith(prefix)} - _symbols(stub, defined=True)


def replace_in_toc(entries: list[tuple[str, str, str]], work: Path) -> list[tuple[str, str, str]]:
    """PyInstaller TOC with OpenBLAS swapped for the stand-in and its Fortran runtime left out."""
    if not sys.platform.startswith("linux") or os.environ.get(FULL_BLAS_ENV) == "1":
        return entries
    openblas = [entry for entry in entries if entry[2] != "SYMLINK" and _OPENBLAS.match(Path(entry[0]).name)]
    if not openblas:
        return entries
    if not available():
        raise RuntimeError(f"building the OpenBLAS stand-in needs gcc, nm and readelf "
                           f"(or set {FULL_BLAS_ENV}=1 to ship OpenBLAS)")
    dest, src, _kind = openblas[0]
    result = subprocess.run(["readelf", "-d", src], capture_output=True, text=True, check=True)
    soname = re.search(r"\(SONAME\)\s+Library soname: \[([^\]]+)\]", result.stdout)
    stub = build(work / "noblas" / Path(dest).name, soname.group(1) if soname else Path(dest).name)
    importers = [Path(s) for d, s, kind in entries
                 if kind in ("BINARY", "EXTENSION") and Path(dest).name in _needed(Path(s))]
    missing = missing_symbols(stub, importers)
    if missing:
        raise RuntimeError(f"numpy needs BLAS/LAPACK symbols that installer/noblas.c lacks: {sorted(missing)} "
                           f"(add them there, or set {FULL_BLAS_ENV}=1)")
    others = [Path(s) for d, s, kind in entries if kind in ("BINARY", "EXTENSION") and (d, s) != (dest, src)
              and not _FORTRAN_RUNTIME.match(Path(d).name)]
    still_needed = set().union(*(_needed(path) for path in others)) if others else set()
    replaced = []
    for entry in entries:
        name = Path(entry[0]).name
        if entry[0] == dest:
            replaced.append((dest, str(stub), entry[2]))
        elif _FORTRAN_RUNTIME.match(name) and name not in still_needed:
            log.info("left out %s (only OpenBLAS linked it)", name)
        else:
            replaced.append(entry)
    log.info("%s: OpenBLAS (%.1f MB) replaced by the stand-in (%.0f kB) for %d numpy extensions",
             Path(dest).name, Path(src).stat().st_size / 1e6, stub.stat().st_size / 1e3, len(importers))
    return replaced
