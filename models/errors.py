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


class UnknownRecipeError(ParaphraseStudioError, ValueError):
    """No bundle recipe has this name; the message lists the known ones.

    A ``ValueError``, not a ``KeyError``: ``str()`` of a KeyError quotes its message, and a
    caller catching KeyError around a lookup would also swallow real bugs.
    """

    def __init__(self, name: str, known: list[str]) -> None:
        self.name = name
        self.known = known
        super().__init__(f"unknown bundle recipe '{name}' (known: {', '.join(known)})")
