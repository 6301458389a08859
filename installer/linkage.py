"""System libraries the installer leaves to the system, and what goes with them.

PyInstaller copies every shared library a collected binary links to, except a short list
(libc, libGL, Wayland…). For ``libdbus-1`` that means the build machine's D-Bus client and
its private dependencies: ``libsystemd``, ``libgcrypt``, ``libgpg-error``, ``liblz4`` and
``libcap`` (2.9 MB). Every Linux desktop that can show a window has ``libdbus-1.so.3`` (its
ABI has been stable since 2006; session buses, AT-SPI accessibility and input methods use
it), and loading the distribution's copy also keeps the build machine's libsystemd away
from the user's. So :data:`SYSTEM_PROVIDED` is not bundled, and :func:`drop_system_provided`
removes it together with every library reachable only through libraries that are not in the
folder (direct ``DT_NEEDED`` edges from the binaries that are loaded by path: extensions,
plugins, dlopened libraries). That also drops libXau, libXdmcp, libbsd and libmd: PyInstaller
collects them because the system's ``libxcb.so.1`` links them, but it does not bundle
``libxcb.so.1`` itself, and a system that has libxcb has its dependencies too.
"""

from __future__ import annotations

import logging
import re
import subprocess
import sys
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

log = logging.getLogger(__name__)

#: Libraries taken from the user's system rather than bundled (Linux): D-Bus (above), and the
#: ones AppImage's excludelist (github.com/AppImageCommunity/pkg2appimage, "excludelist") names
#: as present on every desktop system and better loaded from it: X11 (QtGui links libX11
#: directly; PyInstaller already leaves libxcb.so.1 out), fontconfig with the FreeType and
#: expat it needs (a bundled fontconfig older than the system's cannot read its fonts.conf),
#: zlib and libgcc_s. Then the C++ runtime and base libraries of every glibc desktop: the app
#: needs glibc 2.35 (libpython is built here), and every distribution with glibc 2.35 or newer
#: (Ubuntu 22.04, Debian 12, Fedora 36 on) has libstdc++ from GCC 12 (GLIBCXX_3.4.30), above the
#: GLIBCXX_3.4.29 the Qt wheels need (checked by :func:`symbol_versions` in the tests), and
#: glib, zstd, xz, bzip2 and libffi, which its init system and package manager need. A
#: bundled libstdc++ older than the system's also breaks the system's Mesa drivers.
SYSTEM_PROVIDED = ("libdbus-1.so.3", "libX11.so.6", "libX11-xcb.so.1", "libfontconfig.so.1", "libfreetype.so.6",
                   "libexpat.so.1", "libz.so.1", "libgcc_s.so.1",
                   "libstdc++.so.6", "libglib-2.0.so.0", "libgthread-2.0.so.0", "libzstd.so.1", "liblzma.so.5",
                   "libbz2.so.1.0", "libffi.so.8")
#: The newest symbol versions the bundled binaries may need from the system (see above).
SYSTEM_BASELINE = {"GLIBC": (2, 35), "GLIBCXX": (3, 4, 30), "CXXABI": (1, 3, 13)}

Entry = tuple[str, str, str]


@lru_cache(maxsize=None)
def needed(library: str) -> frozenset[str]:
    """Direct ``DT_NEEDED`` names of an ELF file (``readelf -d``); OSError if it cannot be read."""
    result = subprocess.run(["readelf", "-d", library], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise OSError(f"readelf cannot read {library}: {result.stderr.strip()}")
    return frozenset(re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", result.stdout))


def drop_system_provided(entries: Iterable[Entry], is_root: Callable[[Entry], bool], *,
                         provided: Iterable[str] = SYSTEM_PROVIDED,
                         needed_of: Callable[[str], Iterable[str]] = needed) -> list[Entry]:
    """``entries`` without ``provided`` and the libraries that only they link to (Linux only).

    A library stays when a root reaches it through ``DT_NEEDED`` edges that do not pass through
    a provided library; roots and symlinks always stay (dangling links are removed later).
    """
    entries = list(entries)
    if not sys.platform.startswith("linux"):
        return entries
    provided = set(provided)
    by_name = {Path(dest).name: src for dest, src, kind in entries if kind != "SYMLINK"}
    reached: set[str] = set()
    stack = [src for dest, src, kind in entries if kind != "SYMLINK" and is_root((dest, src, kind))]
    try:
        while stack:
            for name in needed_of(stack.pop()):
                if name in by_name and name not in provided and name not in reached:
                    reached.add(name)
                    stack.append(by_name[name])
    except OSError as exc:  # an unreadable binary: keep everything rather than guess
        log.warning("%s: not leaving anything to the system", exc)
        return entries
    kept = [entry for entry in entries
            if entry[2] == "SYMLINK" or is_root(entry) or Path(entry[0]).name in reached]
    dropped = sorted({Path(entry[0]).name for entry in entries} - {Path(entry[0]).name for entry in kept})
    log.info("left to the system: %s (with %s)", ", ".join(sorted(provided & set(by_name))) or "nothing",
             ", ".join(name for name in dropped if name not in provided) or "nothing else")
    return kept


def symbol_versions(folder: Path) -> dict[str, tuple[int, ...]]:
    """The newest ``GLIBC_``, ``GLIBCXX_`` and ``CXXABI_`` version any ELF file under ``folder`` needs."""
    newest: dict[str, tuple[int, ...]] = {}
    for path in folder.rglob("*"):
        if path.is_symlink() or not path.is_file() or path.stat().st_size < 1024:
            continue
        with open(path, "rb") as handle:
            if handle.read(4) != b"\x7fELF":
                continue
        result = subprocess.run(["readelf", "-V", "-W", str(path)], capture_output=True, text=True, check=False)
        needs = result.stdout.split("Version needs section", 1)[-1] if "Version needs section" in result.stdout else ""
        for family, version in re.findall(r"Name: (GLIBC|GLIBCXX|CXXABI)_([0-9.]+)", needs):
            parsed = tuple(int(part) for part in version.split("."))
            newest[family] = max(newest.get(family, parsed), parsed)
    return newest
