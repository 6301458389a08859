"""Friendly errors for the heavy optional dependencies of ``export``, ``distill`` and ``bench``.

Public (``export.deps``) because ``distill`` and the tests use it too. It lives in
``export``, not ``models``: the runtime never imports torch and has no optional extras.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from models.errors import ParaphraseStudioError

INSTALL_HINT = "pip install 'paraphrase-studio[export]'  (or run ./studio build, which installs it)"


class MissingDependencyError(ParaphraseStudioError, ImportError):
    """Raised when a heavy extra (torch, transformers, optimum…) is not installed.

    A :class:`~models.errors.ParaphraseStudioError`, so a surface that catches "everything
    we raise on purpose" shows its message; still an :class:`ImportError`, so code that
    treats any failed import as "this extra is missing" keeps working.
    """


def require(module: str) -> ModuleType:
    """Import ``module`` or raise an error that says what to install."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingDependencyError(
            f"'{module}' is needed for this step but is not installed ({exc}). Install it with: {INSTALL_HINT}"
        ) from exc
