"""Friendly errors for the heavy optional dependencies of ``export`` and ``distill``."""

from __future__ import annotations

import importlib
from types import ModuleType

INSTALL_HINT = "pip install 'paraphrase-studio[export]'  (or run ./studio build, which installs it)"


class MissingDependencyError(ImportError):
    """Raised when a heavy extra (torch, transformers, optimum…) is not installed."""


def require(module: str) -> ModuleType:
    """Import ``module`` or raise an error that says what to install."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingDependencyError(
            f"'{module}' is needed for this step but is not installed ({exc}). Install it with: {INSTALL_HINT}"
        ) from exc
