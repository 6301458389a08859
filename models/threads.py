"""How many CPU threads the model may use: one bound shared by the CLI and the app.

onnxruntime accepts any thread count and starts that many threads: ``--threads 999`` ran
1,001 threads and took 34 s for a sentence that takes 0.23 s on the default. More threads
than cores never helps, so the bound is this machine's cores.
"""

from __future__ import annotations

import os


def max_threads() -> int:
    """The most threads worth asking for: the machine's logical cores (1 if unknown)."""
    return os.cpu_count() or 1


def threads_error(threads: int | None) -> str | None:
    """The usage message for a bad ``--threads`` value, or None when it is fine.

    ``None`` means "the default (all cores)" and is always fine. The wording names the flag
    because the CLI and the desktop app's ``--threads`` print it as is.
    """
    if threads is None:
        return None
    limit = max_threads()
    if isinstance(threads, bool) or not isinstance(threads, int) or not 1 <= threads <= limit:
        return f"--threads must be between 1 and {limit} (this machine's cores)"
    return None


def check_threads(threads: int | None) -> int | None:
    """Return ``threads`` unchanged, or raise :class:`ValueError` with :func:`threads_error`'s message."""
    message = threads_error(threads)
    if message is not None:
        raise ValueError(message)
    return threads
