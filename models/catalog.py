"""Where bundles live and which one is the default.

Bundles are large generated files, so they are git-ignored and built by ``./studio``;
an installed (or frozen) app may keep them elsewhere, hence the environment override.
"""

from __future__ import annotations

import os
from pathlib import Path

#: The bundle the app and CLI use when none is named.
DEFAULT_BUNDLE = "smollm2-135m-fewshot"

#: Environment variable that points at a folder of bundles (installers, tests).
BUNDLES_ENV = "PARAPHRASE_STUDIO_BUNDLES"


def bundles_dir() -> Path:
    """The folder holding one sub-folder per bundle."""
    override = os.environ.get(BUNDLES_ENV)
    if override:
        return Path(override).expanduser()
    return Path(__file__).resolve().parent / "bundles"


def rebuild_command(name: str) -> str:
    """The command a user runs to (re)build a bundle; shown in every bundle error."""
    if name == DEFAULT_BUNDLE:
        return "./studio build   (or: paraphrase-studio export --force)"
    return f"paraphrase-studio export --name {name} --force"


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
    return sorted(p.name for p in root.iterdir() if (p / "manifest.json").is_file())
