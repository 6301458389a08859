"""The guard that keeps the training stack out of the installer.

torch, transformers, optimum and peft are hundreds of megabytes and must never reach a
writer's download; an accidental import anywhere in the app would pull them in silently.
The spec excludes them, and these checks make the build fail loudly if one slips through,
both in PyInstaller's analysis (before anything is copied) and in the finished folder,
including the Python modules hidden inside the executable's embedded archive.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable
from pathlib import Path

log = logging.getLogger(__name__)

#: Top-level packages that must never be inside the installer (torch's helpers included).
FORBIDDEN_PACKAGES = ("torch", "torchgen", "functorch", "transformers", "optimum", "peft")
#: Native libraries that only torch ships.
FORBIDDEN_LIB_PREFIXES = ("libtorch", "libc10")

_COMPONENT = re.compile(r"^(%s)([.\-_].*)?$" % "|".join(FORBIDDEN_PACKAGES), re.IGNORECASE)


class ForbiddenContentError(RuntimeError):
    """The build contains torch, transformers, optimum or peft; the message lists what and where."""


def is_forbidden_module(name: str) -> bool:
    """A dotted module name whose top-level package is forbidden (``torch.nn`` yes, ``onnxruntime.transformers`` no)."""
    return name.split(".", 1)[0].lower() in FORBIDDEN_PACKAGES


def is_forbidden_path(relative: str | os.PathLike[str]) -> bool:
    """A path with any component named like a forbidden package (``torch/``, ``peft-0.13.dist-info``, ``libtorch_cpu.so``)."""
    for part in Path(relative).parts:
        lower = part.lower()
        if _COMPONENT.match(lower) or lower.startswith(FORBIDDEN_LIB_PREFIXES):
            return True
    return False


def forbidden_in_toc(entries: Iterable[tuple[str, ...]], *, modules: bool) -> list[str]:
    """Forbidden entries of a PyInstaller TOC: module names (``a.pure``) or destination paths (binaries, datas)."""
    check = is_forbidden_module if modules else is_forbidden_path
    return sorted({entry[0] for entry in entries if check(entry[0])})


def forbidden_in_folder(root: Path) -> list[str]:
    """Every file or folder under ``root`` whose relative path names a forbidden package."""
    hits = []
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if is_forbidden_path(relative):
            hits.append(relative.as_posix())
    return hits


def frozen_modules(executable: Path) -> list[str]:
    """Module names inside the executable's embedded PYZ archive (where pure-Python code lives)."""
    from PyInstaller.archive.readers import CArchiveReader, NotAnArchiveError

    names: list[str] = []
    archive = CArchiveReader(str(executable))
    for entry_name in archive.toc:
        try:
            names.extend(archive.open_embedded_archive(entry_name).toc.keys())
        except NotAnArchiveError:
            continue
    return names


def check_dist(root: Path, executable: Path | None = None) -> None:
    """Raise :class:`ForbiddenContentError` if the finished folder (or its executable's archive) holds a forbidden package."""
    hits = forbidden_in_folder(root)
    if executable is not None and executable.is_file():
        modules = frozen_modules(executable)
        if not modules:
            raise ForbiddenContentError(f"{executable} has no embedded module archive to check")
        hits += [f"{executable.name}:{name}" for name in sorted(set(modules)) if is_forbidden_module(name)]
    if hits:
        listing = "\n  ".join(hits[:40]) + ("\n  …" if len(hits) > 40 else "")
        raise ForbiddenContentError(
            f"the installer must not contain {', '.join(FORBIDDEN_PACKAGES)}; found {len(hits)} in {root}:\n  {listing}")
    log.info("checked %s: no %s inside", root, "/".join(FORBIDDEN_PACKAGES))
