"""Phrase alternatives off the GUI thread, on a one-thread pool of their own.

A phrase query is an index lookup plus a little ranking (tens of milliseconds), but it must
never wait behind the model: :class:`desktop.workers.ModelWorker`'s single thread may be
busy for a minute with a selection of many sentences, and a word's alternatives would then
open a minute late. So phrase queries get their own one-thread :class:`QThreadPool`: queries
never overlap (one index, one connection), the index is loaded on that thread at the first
query (verifying its checksums costs some milliseconds the GUI must not pay), and only the
latest query is answered, so a late answer to a superseded double-click is dropped here.

If the index cannot be loaded (missing, damaged, or the runtime cannot read it), the query
reports ``unavailable`` with the error; the next query tries again, so an index built while
the app runs is found without a restart.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from .phrase_request import PhraseRequest

__all__ = ["IndexLoader", "PhraseWorker", "default_index_loader"]

log = logging.getLogger(__name__)

#: Loads the phrase index (``models.phrases.PhraseIndex.load()`` in the app, a stand-in in tests).
IndexLoader = Callable[[], Any]


def default_index_loader() -> Any:  # noqa: ANN401 - models.phrases.PhraseIndex
    """The default phrase index, the one the cards' detail count reads too (``shared_index``);
    imported here so the window opens even if the runtime cannot load it."""
    from models.phrases import shared_index

    return shared_index()


class _IndexSlot:
    """The loaded index, shared by the tasks; only the pool's one thread loads or reads it."""

    def __init__(self, loader: IndexLoader) -> None:
        self.loader = loader
        self.index: Any = None
        self.lock = threading.Lock()

    def get(self) -> Any:  # noqa: ANN401
        with self.lock:
            if self.index is None:
                self.index = self.loader()
            return self.index


class _PhraseSignals(QObject):
    """Lives on the GUI thread, so the pool thread's reports are queued there."""

    answered = Signal(int, object)  # query id, PhraseAlternatives
    failed = Signal(int, object)  # query id, Exception (a span the index refuses, or a bug)
    unavailable = Signal(int, object)  # query id, Exception (the index could not be loaded)


class _PhraseTask(QRunnable):
    def __init__(self, signals: _PhraseSignals, slot: _IndexSlot, query: int, request: PhraseRequest,
                 scorer: Any, wanted: Callable[[int], bool]) -> None:  # noqa: ANN401 - a models.confidence.Scorer
        super().__init__()
        self.setAutoDelete(True)
        self._signals, self._slot, self._query, self._request = signals, slot, query, request
        self._scorer, self._wanted = scorer, wanted

    def run(self) -> None:
        if not self._wanted(self._query):  # superseded while queued: no work at all
            return
        try:
            index = self._slot.get()
        except Exception as exc:  # noqa: BLE001 - missing, damaged or unreadable: a notice, never a crash
            log.warning("the phrase index could not be loaded: %s", exc)
            self._signals.unavailable.emit(self._query, exc)
            return
        request = self._request
        try:
            answer = index.alternatives(request.context, request.start, request.end, request.k,
                                        scorer=self._scorer, protected=request.protected)
        except Exception as exc:  # noqa: BLE001 - PhraseSpanError (a ValueError) and anything else go to the GUI
            log.info("phrase query for %r failed: %s", request.phrase, exc)
            self._signals.failed.emit(self._query, exc)
            return
        self._signals.answered.emit(self._query, answer)


class PhraseWorker(QObject):
    """GUI-side handle on the phrase index: ask, and hear back about the latest query only.

    Signals carry the :class:`PhraseRequest` they answer, so a slot never has to look it up.
    """

    answered = Signal(object, object)  # PhraseRequest, PhraseAlternatives
    failed = Signal(object, object)  # PhraseRequest, Exception
    unavailable = Signal(object, object)  # PhraseRequest, Exception (the index could not be loaded)

    def __init__(self, parent: QObject | None = None, *, loader: IndexLoader | None = None) -> None:
        super().__init__(parent)
        self._slot = _IndexSlot(loader or default_index_loader)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._signals = _PhraseSignals(self)
        self._signals.answered.connect(self._on_answered)
        self._signals.failed.connect(self._on_failed)
        self._signals.unavailable.connect(self._on_unavailable)
        self._last_id = 0
        self._current = 0  # the query whose answer is wanted (0: none)
        self._request: PhraseRequest | None = None  # what it asked

    def set_index(self, index: Any) -> None:  # noqa: ANN401
        """Use an already loaded index (tests, or a window that loaded one itself)."""
        with self._slot.lock:
            self._slot.index = index

    def set_loader(self, loader: IndexLoader) -> None:
        """Load the index with ``loader`` from now on (forgets an index already loaded)."""
        with self._slot.lock:
            self._slot.loader, self._slot.index = loader, None

    @property
    def pending(self) -> PhraseRequest | None:
        """The query whose answer is still wanted, if it has not come yet."""
        return self._request if self._current else None

    def ask(self, request: PhraseRequest, *, scorer: Any = None) -> int:  # noqa: ANN401
        """Queue a query; any earlier one's answer is no longer wanted. Returns its id.

        ``scorer``: the meaning scorer that ranks the alternatives in their sentence (the
        paraphraser's, when it has one; its ONNX session may be run from two threads at once).
        """
        self._last_id += 1
        self._current, self._request = self._last_id, request
        self._pool.start(_PhraseTask(self._signals, self._slot, self._current, request, scorer, self._is_current))
        return self._current

    def cancel(self) -> None:
        """The latest query's answer is no longer wanted (the popup closed)."""
        self._current, self._request = 0, None

    def shutdown(self, timeout_ms: int = 5000) -> bool:
        """Drop every answer and wait for the pool thread, so no task outlives the window."""
        self.cancel()
        return self._pool.waitForDone(timeout_ms)

    def _is_current(self, query: int) -> bool:
        return query == self._current  # read from the pool thread: a plain int, set on the GUI thread

    def _take(self, query: int) -> PhraseRequest | None:
        """The request of a query that reported back, if its answer is still wanted (once)."""
        if query != self._current:
            return None
        request = self._request
        self._current, self._request = 0, None
        return request

    def _on_answered(self, query: int, answer: object) -> None:
        request = self._take(query)
        if request is not None:
            self.answered.emit(request, answer)

    def _on_failed(self, query: int, error: Exception) -> None:
        request = self._take(query)
        if request is not None:
            self.failed.emit(request, error)

    def _on_unavailable(self, query: int, error: Exception) -> None:
        request = self._take(query)
        if request is not None:
            self.unavailable.emit(request, error)
