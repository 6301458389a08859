"""Model loading and generation off the GUI thread.

Loading verifies ~170 MB of checksums and builds an ONNX Runtime session (seconds), and a
paraphrase takes one to a few seconds, so both run as :class:`QRunnable` tasks on a
private one-thread pool: jobs never overlap (one decoder, one prefix cache) and a new
request simply queues behind a cancelled one, which stops within one decoding step.

Tasks report through a :class:`QObject` living on the GUI thread; Qt queues signals
emitted from the pool thread, so every slot runs on the GUI thread. Each request gets a
job id and results of superseded jobs are dropped, so a late candidate from a cancelled
job can never land under a newer sentence.

A request with ``whole=True`` is a text of several sentences (the writer's selection): it
runs through :meth:`models.Paraphraser.paraphrase`, which decodes every sentence in one
batch and composes whole-text alternatives at the end, so it can take a minute on a long
text; its ``on_progress(done, total)`` (sentences) is forwarded as ``job_progress``.

While the model is idle the window may ask for a sentence ahead (:meth:`ModelWorker.write_ahead`):
the job runs on the same thread and reports only through ``written_ahead``. A request for
that same sentence adopts it (the candidates written so far arrive at once, the rest as
they come); any other request cancels it, so it costs the writer at most one decoding step
(~12 ms) of waiting.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from models import Candidate, CancelToken, Paraphraser, ParaphraseResult

log = logging.getLogger(__name__)

Loader = Callable[..., Paraphraser]


@dataclass(frozen=True)
class JobRequest:
    """What the GUI asks for; kept with the job so results can be matched to a sentence."""

    sentence: str
    n: int = 5
    diversity: float = 0.5
    seed: int | None = None
    index: int = 0  # sentence index in the editor's session (for "Use this")
    whole: bool = False  # several sentences at once (``Paraphraser.paraphrase``), with progress

    def same_work(self, other: JobRequest) -> bool:
        """The same sentence at the same settings, wherever it now stands in the text."""
        return self._work == other._work

    @property
    def _work(self) -> tuple[str, int, float, int | None, bool]:
        return (self.sentence, self.n, self.diversity, self.seed, self.whole)


@dataclass
class _WriteAhead:
    """The write-ahead job under way: its ids, and what it has written so far."""

    job: int
    request: JobRequest
    token: CancelToken
    written: list[Candidate] = field(default_factory=list)


class _TaskSignals(QObject):
    """Signals a pool task emits; lives on the GUI thread so deliveries are queued there."""

    loaded = Signal(object, float)  # Paraphraser, load_ms
    load_failed = Signal(object)  # Exception
    candidate = Signal(int, object)  # job id, Candidate
    finished = Signal(int, object)  # job id, ParaphraseResult
    failed = Signal(int, object)  # job id, Exception
    progress = Signal(int, int, int)  # job id, sentences done, sentences in all


class _LoadTask(QRunnable):
    def __init__(self, signals: _TaskSignals, loader: Loader, bundle: str | None, threads: int | None) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._signals, self._loader, self._bundle, self._threads = signals, loader, bundle, threads

    def run(self) -> None:
        started = time.perf_counter()
        try:
            paraphraser = self._loader(self._bundle, threads=self._threads)
        except Exception as exc:  # noqa: BLE001 - every failure must reach the GUI as a dialog
            log.warning("loading bundle %s failed: %s", self._bundle or "(default)", exc)
            self._signals.load_failed.emit(exc)
            return
        warm_up(paraphraser)
        self._signals.loaded.emit(paraphraser, (time.perf_counter() - started) * 1000)


def warm_up(paraphraser: Paraphraser) -> None:
    """Run the prompt's fixed prefix once now, so the first click is as quick as the rest.

    The runtime computes the few-shot prefix's KV cache lazily on the first request (about
    0.7 s on two cores); doing it while the window is still showing "Loading model…" moves
    that cost out of the writer's first wait. Failures are ignored: the first request then
    simply pays for it.
    """
    hook = getattr(paraphraser, "warm_up", None) or getattr(paraphraser, "_prefix_cache", None)
    if hook is None:
        return
    try:
        hook()
    except Exception as exc:  # noqa: BLE001 - an optimisation only
        log.debug("warm-up skipped: %s", exc)


class _ParaphraseTask(QRunnable):
    def __init__(self, signals: _TaskSignals, paraphraser: Paraphraser, job: int, request: JobRequest,
                 token: CancelToken) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._signals, self._paraphraser, self._job = signals, paraphraser, job
        self._request, self._token = request, token

    def run(self) -> None:
        if self._token.cancelled:  # cancelled while still queued: do no work at all
            self._signals.finished.emit(self._job, ParaphraseResult(
                input=self._request.sentence, candidates=[], model=self._paraphraser.name,
                elapsed_ms=0.0, cancelled=True))
            return
        request = self._request

        def on_candidate(candidate: Candidate) -> None:
            self._signals.candidate.emit(self._job, candidate)

        def on_progress(done: int, total: int) -> None:
            self._signals.progress.emit(self._job, done, total)

        try:
            if request.whole:
                result = self._paraphraser.paraphrase(
                    request.sentence, n=request.n, diversity=request.diversity, seed=request.seed,
                    on_candidate=on_candidate, cancel=self._token, on_progress=on_progress)
            else:
                result = self._paraphraser.paraphrase_sentence(
                    request.sentence, n=request.n, diversity=request.diversity, seed=request.seed,
                    on_candidate=on_candidate, cancel=self._token)
        except Exception as exc:  # noqa: BLE001 - InputError and ORT errors alike go to the GUI
            log.info("paraphrase job %d failed: %s", self._job, exc)
            self._signals.failed.emit(self._job, exc)
            return
        self._signals.finished.emit(self._job, result)


class ModelWorker(QObject):
    """GUI-side handle on the model: load it, submit jobs, cancel them.

    Public signals fire on the GUI thread and only for the current job.
    """

    model_loaded = Signal(str, float)  # model name, load_ms
    model_failed = Signal(object)  # Exception (BundleError for missing/corrupt bundles)
    candidate_ready = Signal(int, object)  # job id, Candidate
    job_finished = Signal(int, object)  # job id, ParaphraseResult
    job_failed = Signal(int, object)  # job id, Exception
    job_cancelled = Signal(int, object)  # job id, partial ParaphraseResult, when a cancelled job stops
    job_progress = Signal(int, int, int)  # job id, sentences done, sentences in all (whole-text jobs)
    written_ahead = Signal(object, object)  # JobRequest, ParaphraseResult of a completed write-ahead job

    def __init__(self, parent: QObject | None = None, *, threads: int | None = None,
                 loader: Loader | None = None) -> None:
        super().__init__(parent)
        self.threads = threads
        self._loader: Loader = loader or (lambda bundle, threads=None: Paraphraser.load(bundle, threads=threads))
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._signals = _TaskSignals(self)
        self._signals.loaded.connect(self._on_loaded)
        self._signals.load_failed.connect(self._on_load_failed)
        self._signals.candidate.connect(self._on_candidate)
        self._signals.finished.connect(self._on_finished)
        self._signals.failed.connect(self._on_failed)
        self._signals.progress.connect(self._on_progress)
        self.paraphraser: Paraphraser | None = None
        self.loading = False
        self._job = 0
        self._token: CancelToken | None = None
        self._running: set[int] = set()
        self._ahead_signals = _TaskSignals(self)
        self._ahead_signals.candidate.connect(self._on_ahead_candidate)
        self._ahead_signals.finished.connect(self._on_ahead_finished)
        self._ahead_signals.failed.connect(self._on_ahead_failed)
        self._adopted: dict[int, int] = {}  # write-ahead job id -> the job id it now serves
        self._ahead: _WriteAhead | None = None
        self._ahead_jobs = 0  # ids of write-ahead jobs: their own count, reported on their own signals
        self.last_request: JobRequest | None = None
        self.submitted_at: float = 0.0

    # -- model ---------------------------------------------------------------------------

    def load(self, bundle: str | None = None) -> None:
        """Start loading ``bundle`` (None = default); ``model_loaded`` or ``model_failed`` follows."""
        self.loading = True
        self._pool.start(_LoadTask(self._signals, self._loader, bundle, self.threads))

    def set_paraphraser(self, paraphraser: Paraphraser) -> None:
        """Use an already loaded model (tests load one per session; the self-test could too)."""
        self.paraphraser = paraphraser
        self.loading = False
        self.model_loaded.emit(paraphraser.name, 0.0)

    @property
    def ready(self) -> bool:
        return self.paraphraser is not None

    def _on_loaded(self, paraphraser: Paraphraser, load_ms: float) -> None:
        self.paraphraser = paraphraser
        self.loading = False
        self.model_loaded.emit(paraphraser.name, load_ms)

    def _on_load_failed(self, exc: Exception) -> None:
        self.loading = False
        self.model_failed.emit(exc)

    # -- jobs ----------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        """True while the current job has not reported back (cancelled jobs stop counting at once)."""
        return self._job in self._running

    @property
    def current_job(self) -> int:
        return self._job

    def submit(self, request: JobRequest) -> int:
        """Queue a paraphrase; cancels the previous job first. Returns the new job id.

        If the write-ahead job is working on this very request, it becomes the job instead
        of being cancelled and started again: what it has written so far is reported now.
        """
        if self.paraphraser is None:
            raise RuntimeError("the model is not loaded yet")
        if self._ahead is not None and self._ahead.request.same_work(request):
            return self._adopt(request)
        self.cancel()
        token = CancelToken()
        job = self._begin(request, token)
        self._pool.start(_ParaphraseTask(self._signals, self.paraphraser, job, request, token))
        return job

    def _begin(self, request: JobRequest, token: CancelToken) -> int:
        """Make ``request`` the current job, stopped by ``token``; returns its id."""
        self._job += 1
        self._token = token
        self._running.add(self._job)
        self.last_request = request
        self.submitted_at = time.perf_counter()
        return self._job

    def cancel(self) -> bool:
        """Stop the current job (and any write-ahead) now; output still to come is ignored.

        True if a job was running.
        """
        self.cancel_write_ahead()
        return self.cancel_current()

    def cancel_current(self) -> bool:
        """Stop the current job only; True if one was running."""
        was_running = self.busy
        if self._token is not None:
            self._token.cancel()
        self._running.discard(self._job)
        return was_running

    def write_ahead(self, request: JobRequest) -> bool:
        """Write ``request``'s alternatives in the background; False when busy or not loaded.

        The result arrives through ``written_ahead`` only if nothing cancelled it first.
        """
        if self.paraphraser is None or self.busy:
            return False
        self.cancel_write_ahead()
        self._ahead_jobs += 1
        self._ahead = _WriteAhead(self._ahead_jobs, request, CancelToken())
        self._pool.start(_ParaphraseTask(self._ahead_signals, self.paraphraser, self._ahead.job, request,
                                         self._ahead.token))
        return True

    @property
    def writing_ahead(self) -> JobRequest | None:
        """The request a write-ahead job is working on, if one is."""
        return self._ahead.request if self._ahead is not None else None

    def cancel_write_ahead(self) -> None:
        if self._ahead is not None:
            self._ahead.token.cancel()
            self._ahead = None

    def _adopt(self, request: JobRequest) -> int:
        assert self._ahead is not None
        ahead, self._ahead = self._ahead, None
        self.cancel_current()
        job = self._begin(request, ahead.token)
        self._adopted[ahead.job] = job
        for candidate in ahead.written:
            self._on_candidate(job, candidate)
        return job

    def wait_idle(self, timeout_ms: int) -> bool:
        """True once the pool thread has no task (a cancelled job has really stopped)."""
        return self._pool.waitForDone(timeout_ms)

    def shutdown(self, timeout_ms: int = 5000) -> bool:
        """Cancel and wait for the pool thread, so no task outlives the window."""
        self.cancel()
        return self._pool.waitForDone(timeout_ms)

    def _on_candidate(self, job: int, candidate: Candidate) -> None:
        if job == self._job and job in self._running:
            self.candidate_ready.emit(job, candidate)

    def _on_progress(self, job: int, done: int, total: int) -> None:
        if job == self._job and job in self._running:
            self.job_progress.emit(job, done, total)

    def _on_finished(self, job: int, result: ParaphraseResult) -> None:
        current = job == self._job and job in self._running
        self._running.discard(job)
        if current:
            self.job_finished.emit(job, result)
        elif result.cancelled:
            self.job_cancelled.emit(job, result)

    def _on_ahead_candidate(self, job: int, candidate: Candidate) -> None:
        if job in self._adopted:
            self._on_candidate(self._adopted[job], candidate)
        elif self._ahead is not None and self._ahead.job == job:
            self._ahead.written.append(candidate)

    def _on_ahead_finished(self, job: int, result: ParaphraseResult) -> None:
        if job in self._adopted:
            self._on_finished(self._adopted.pop(job), result)
            return
        if self._ahead is not None and self._ahead.job == job:
            request, self._ahead = self._ahead.request, None
            if not result.cancelled:
                self.written_ahead.emit(request, result)

    def _on_ahead_failed(self, job: int, exc: Exception) -> None:
        if job in self._adopted:
            self._on_failed(self._adopted.pop(job), exc)
            return
        if self._ahead is not None and self._ahead.job == job:
            self._ahead = None
        log.info("writing ahead failed (the sentence will be written when asked): %s", exc)

    def _on_failed(self, job: int, exc: Exception) -> None:
        current = job == self._job and job in self._running
        self._running.discard(job)
        if current:
            self.job_failed.emit(job, exc)
