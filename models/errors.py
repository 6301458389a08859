"""Errors the runtime raises: each carries a message a user can act on."""

from __future__ import annotations


class ParaphraseStudioError(Exception):
    """Base class, so callers (CLI, desktop) can catch everything we raise on purpose."""


class BundleError(ParaphraseStudioError):
    """A model bundle is missing, truncated, altered or unreadable.

    ``rebuild_command`` is the exact shell command that rebuilds it, so every surface
    (CLI, dialog) can tell the user how to recover instead of showing a traceback.
    """

    def __init__(self, message: str, *, bundle: str = "", rebuild_command: str = "") -> None:
        self.bundle = bundle
        self.rebuild_command = rebuild_command
        full = message if not rebuild_command else f"{message}\nRebuild it with: {rebuild_command}"
        super().__init__(full)


class InputError(ParaphraseStudioError, ValueError):
    """The text cannot be paraphrased as given (empty, binary, too long)."""
