"""Where the shared data lives: outside the repository, never copied into it."""

from __future__ import annotations

import os
from pathlib import Path

#: Overrides the data root (the folder that holds ``teacher/``, ``eval/``, ``sources/``).
DATA_ENV = "PARAPHRASE_STUDIO_DATA"

REPO_ROOT = Path(__file__).resolve().parent.parent


def data_root(repo_root: str | Path | None = None) -> Path:
    """``$PARAPHRASE_STUDIO_DATA`` or ``<repo>/../shared/data`` (the project's shared data)."""
    env = os.environ.get(DATA_ENV)
    if env:
        return Path(env).expanduser()
    return Path(repo_root or REPO_ROOT).resolve().parent / "shared" / "data"


def cache_root(repo_root: str | Path | None = None) -> Path:
    """The git-ignored ``.cache/`` folder in the repository (embeddings, base weights)."""
    return Path(repo_root or REPO_ROOT) / ".cache"
