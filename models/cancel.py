"""A cancellation token shared between a caller (GUI thread) and a generation job."""

from __future__ import annotations

import threading


class CancelToken:
    """Set from any thread; the decoding loop checks it between steps (a few ms apart)."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()
