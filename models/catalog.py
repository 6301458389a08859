"""Where bundles live and which one is the default.

Bundles are large generated files, so they are git-ignored and built by ``./studio``;
an installed (or frozen) app may keep them elsewhere, hence the environment override.
"""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path

from .recipes import RECIPES

#: The file that makes a folder a bundle (its contract: see models/bundle.py).
MANIFEST_NAME = "manifest.json"

#: The bundle the app and CLI use when none is named: student v2, which beat v1 on dev (good
#: rate 0.710 vs 0.643, top-1 0.837 vs 0.818: issue 17's bar); v1 stays in the catalog.
DEFAULT_BUNDLE = "smollm2-135m-student-v2"

#: Environment variable that points at a folder of bundles (installers, tests).
BUNDLES_ENV = "PARAPHRASE_STUDIO_BUNDLES"

#: What a writer with the packaged app does about a missing or damaged bundle: there is no
#: export tool chain inside the installer, so the only fix is a fresh copy of the app.
FROZEN_FIX = "unpack the Paraphrase Studio download again (the model ships inside it)"


def is_frozen() -> bool:
    """True inside the packaged (PyInstaller) app, which carries its bundles but cannot build any."""
    return bool(getattr(sys, "frozen", False))


def user_cache_dir() -> Path:
    """The per-user cache folder: base weights, bench artefacts, the verified-files record.

    ``PARAPHRASE_STUDIO_CACHE`` overrides it; else XDG on Linux, ``%LOCALAPPDATA%`` on
    Windows, ``~/Library/Caches`` on macOS."""
    override = os.environ.get("PARAPHRASE_STUDIO_CACHE")
    if override:
        return Path(override)
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "paraphrase-studio"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "paraphrase-studio"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "paraphrase-studio"


def bundles_dir() -> Path:
    """The folder holding one sub-folder per bundle.

    The environment override wins; the packaged app keeps its bundles in a ``bundles``
    folder inside the unpacked app (``sys._MEIPASS``), because there is no source tree there.
    """
    override = os.environ.get(BUNDLES_ENV)
    if override:
        return Path(override).expanduser()
    if is_frozen():
        return Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent)) / "bundles"
    return Path(__file__).resolve().parent / "bundles"


def rebuild_arguments(name: str, folder: Path | None = None) -> list[str]:
    """The ``paraphrase-studio`` arguments that rebuild bundle ``name`` (kept in ``folder``).

    The one source of every rebuild command: the message a user reads and the process the
    app's dialog starts are both made from this list, so they cannot disagree. A catalog
    recipe is rebuilt from its recipe (``--name`` alone would build the default recipe under
    that name); a bundle kept outside :func:`bundles_dir` is written back where it is.
    """
    arguments = ["export"]
    if folder is not None:
        name = Path(folder).name or name
    if name in RECIPES:
        if name != DEFAULT_BUNDLE:
            arguments += ["--recipe", name]
    else:
        arguments += ["--name", name]
    if folder is not None and not _is_catalog_folder(Path(folder)):
        arguments += ["--out", str(Path(folder).expanduser().absolute().parent)]
    return [*arguments, "--force"]


def rebuild_command(name: str, folder: Path | None = None) -> str:
    """The command a user runs to (re)build a bundle; shown in every bundle error.

    ``folder`` is where the bundle was looked for; without it the bundle is taken to live in
    :func:`bundles_dir`, as before.
    """
    if is_frozen():
        return FROZEN_FIX
    arguments = rebuild_arguments(name, folder)
    command = shlex.join(["paraphrase-studio", *arguments])
    if arguments == ["export", "--force"]:  # the default bundle in its usual place
        return f"./studio build   (or: {command})"
    return command


def _is_catalog_folder(folder: Path) -> bool:
    """True when ``folder`` is a direct sub-folder of :func:`bundles_dir` (where export writes)."""
    try:
        return folder.expanduser().resolve().parent == bundles_dir().resolve()
    except (OSError, RuntimeError):  # an unreadable path or a symlink loop: say --out explicitly
        return False


def resolve_bundle(name_or_path: str | os.PathLike[str] | None) -> Path:
    """Turn a bundle name, a folder path or ``None`` (the default) into a folder path."""
    if name_or_path is None:
        return bundles_dir() / DEFAULT_BUNDLE
    candidate = Path(name_or_path).expanduser()
    if candidate.is_dir() or os.sep in str(name_or_path) or str(name_or_path).startswith("."):
        return candidate
    return bundles_dir() / str(name_or_path)


def installed_bundles() -> list[str]:
    """Names of the bundle folders that carry a manifest (not verified)."""
    root = bundles_dir()
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if (p / MANIFEST_NAME).is_file())
