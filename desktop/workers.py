"""Model loading and generation off the GUI thread.

Loading verifies ~126 MB of checksums and builds an ONNX Runtime session (seconds), and a
paraphrase takes one to a few seconds, so both run as :class:`QRunnable` tasks on a
private one-thread pool: jobs never overlap (one decoder, one prefix cache) and a new
request simply queues behind a cancelled one, which stops within one decoding step.

Tasks report through a :class:`QObject` living on the GUI thread; Qt queues signals
emitted from the pool thread, so every slot runs on the GUI thread. Every job, whatever
its kind, has an entry in one table (:class:`_Job`: id, request, cancel token, kind) until
its task reports back; a report is forwarded only if it belongs to the current job, so a
late candidate from a cancelled or superseded job can never land under a newer sentence.

A request with ``whole=True`` is a text of several sentences (the writer's selection): it
runs through :meth:`models.Paraphraser.paraphrase`, which decodes every sentence in one
batch and composes whole-text alternatives at the end, so it can take a minute on a long
text; its ``on_progress(done, total)`` (sentences) is forwarded as ``job_progress``. Either
kind passes the request's ``keep`` (the phrases the writer marked Keep unchanged) and its
``mode`` (one of the student's :attr:`models.Paraphraser.modes`).

Loading another model (the Model menu) goes through the same pool: :meth:`ModelWorker.load`
cancels what runs (its output belongs to the model being replaced), and the model in use
stays in :attr:`ModelWorker.paraphraser` until the new one is ready, or for good if the
new one fails to load.

While the model is idle the window may ask for a sentence ahead (:meth:`ModelWorker.write_ahead`):
a job of kind :attr:`JobKind.AHEAD`, on the same thread, that reports only through
``written_ahead``. A request for the same work (:attr:`JobRequest.key`) adopts it: the job
becomes the current one, the candidates written so far arrive at once and the rest as they
come; any other request cancels it, so it costs the writer at most one decoding step
(~12 ms) of waiting.
"""

from __future__ import annotations

import enum
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from models import Candidate, CancelToken, Paraphraser, ParaphraseResult

from .alternatives import JobRequest

__all__ = ["JobKind", "JobRequest", "Loader", "ModelWorker", "warm_up"]

log = logging.getLogger(__name__)

Loader = Callable[..., Paraphraser]


class JobKind(enum.Enum):
    """Why a job runs: the writer asked (its output goes on screen), or it is written ahead."""

    CURRENT = "current"
    AHEAD = "write-ahead"


@dataclass
class _Job:
    """One job whose task has not reported back yet."""

    id: int
    request: JobRequest
    token: CancelToken
    kind: JobKind
    written: list[Candidate] = field(default_factory=list)  # a write-ahead job's candidates so far


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
    hook = getattr(paraphraser, "warm_up", None)  # a stand-in paraphraser may have none
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
                    keep=request.keep, on_candidate=on_candidate, cancel=self._token, on_progress=on_progress,
                    mode=request.mode)
            else:
                result = self._paraphraser.paraphrase_sentence(
                    request.sentence, n=request.n, diversity=request.diversity, seed=request.seed,
                    keep=request.keep, on_candidate=on_candidate, cancel=self._token, mode=request.mode)
        except Exception as exc:  # noqa: BLE001 - InputError and ORT errors alike go to the GUI
            log.info("paraphrase job %d failed: %s", self._job, exc)
            self._signals.failed.emit(self._job, exc)
            return
        self._signals.finished.emit(self._job, result)


class ModelWorker(QObject):
    """GUI-side handle on the model: load it, submit jobs, cancel them.

    Public signals fire on the GUI thread; the job signals only for the current job.
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
        self._jobs: dict[int, _Job] = {}  # every job whose task has not reported back
        self._last_id = 0
        self._current = 0  # id of the latest job the writer asked for (0: none yet)
        self._current_request: JobRequest | None = None
        self._ahead: int | None = None  # id of the write-ahead job whose output is still wanted

    # -- model ---------------------------------------------------------------------------

    def load(self, bundle: str | None = None) -> None:
        """Start loading ``bundle`` (None = default); ``model_loaded`` or ``model_failed`` follows.

        Any job under way is cancelled first; the model in use (if any) serves nothing more
        until the new one is ready, and stays in use if it fails to load.
        """
        self.cancel()
        self.loading = True
        self._pool.start(_LoadTask(self._signals, self._loader, bundle, self.threads))

    def set_paraphraser(self, paraphraser: Paraphraser) -> None:
        """Use an already loaded model (tests load one per session; the self-test could too)."""
        self.paraphraser = paraphraser
        self.loading = False
        self.model_loaded.emit(paraphraser.name, 0.0)

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
        return self._live(self._current)

    @property
    def current_job(self) -> int:
        """The id of the latest job the writer asked for (it may have finished since)."""
        return self._current

    @property
    def last_request(self) -> JobRequest | None:
        """What the current job (see :attr:`current_job`) was asked for."""
        return self._current_request

    def request_of(self, job_id: int) -> JobRequest | None:
        """What job ``job_id`` was asked for: any job still running, and the current one even after it ended.

        The job signals fire only for the current job, so a slot can always look up the
        request of the job it was told about, however many jobs were submitted since.
        """
        job = self._jobs.get(job_id)
        if job is not None:
            return job.request
        return self._current_request if job_id == self._current else None

    @property
    def writing_ahead(self) -> JobRequest | None:
        """The request a write-ahead job is working on, if one is."""
        return self._jobs[self._ahead].request if self._ahead is not None else None

    def submit(self, request: JobRequest) -> int:
        """Queue a paraphrase; cancels the previous job first. Returns the job's id.

        If the write-ahead job is doing this very work (:attr:`JobRequest.key`), it becomes
        the current job, under its own id, instead of being cancelled and started again:
        what it has written so far is reported now.
        """
        if self.paraphraser is None:
            raise RuntimeError("the model is not loaded yet")
        ahead = self._jobs[self._ahead] if self._ahead is not None else None
        if ahead is not None and ahead.request.key == request.key:
            return self._adopt(ahead, request)
        self.cancel()
        return self._start(request, JobKind.CURRENT).id

    def write_ahead(self, request: JobRequest) -> bool:
        """Write ``request``'s alternatives in the background; False when busy or not loaded.

        The result arrives through ``written_ahead`` only if nothing cancelled it first.
        Refused while another model loads (what it wrote would be the outgoing model's).
        """
        if self.paraphraser is None or self.busy or self.loading:
            return False
        self.cancel_write_ahead()
        self._ahead = self._start(request, JobKind.AHEAD).id
        return True

    def cancel(self) -> bool:
        """Stop the current job (and any write-ahead) now; output still to come is ignored.

        True if a job was running.
        """
        self.cancel_write_ahead()
        return self.cancel_current()

    def cancel_current(self) -> bool:
        """Stop the current job only; True if one was running."""
        was_running = self.busy
        job = self._jobs.get(self._current)
        if job is not None:
            job.token.cancel()
        return was_running

    def cancel_write_ahead(self) -> None:
        """Stop the write-ahead job, if any; its output is no longer wanted."""
        if self._ahead is not None:
            self._jobs[self._ahead].token.cancel()
            self._ahead = None

    def shutdown(self, timeout_ms: int = 5000) -> bool:
        """Cancel and wait for the pool thread, so no task outlives the window."""
        self.cancel()
        return self._pool.waitForDone(timeout_ms)

    def _start(self, request: JobRequest, kind: JobKind) -> _Job:
        assert self.paraphraser is not None
        self._last_id += 1
        job = _Job(self._last_id, request, CancelToken(), kind)
        self._jobs[job.id] = job
        if kind is JobKind.CURRENT:
            self._current, self._current_request = job.id, request
        self._pool.start(_ParaphraseTask(self._signals, self.paraphraser, job.id, request, job.token))
        return job

    def _adopt(self, job: _Job, request: JobRequest) -> int:
        """Make the write-ahead ``job`` the current one, for ``request`` (same work, maybe another index)."""
        self._ahead = None
        self.cancel_current()
        job.kind, job.request = JobKind.CURRENT, request
        self._current, self._current_request = job.id, request
        written, job.written = job.written, []
        for candidate in written:
            self.candidate_ready.emit(job.id, candidate)
        return job.id

    def _live(self, job_id: int) -> bool:
        """True for the current job while it runs and nobody cancelled it."""
        job = self._jobs.get(job_id)
        return (job is not None and job_id == self._current and job.kind is JobKind.CURRENT
                and not job.token.cancelled)

    # -- reports from the pool thread ----------------------------------------------------

    def _on_candidate(self, job_id: int, candidate: Candidate) -> None:
        if self._live(job_id):
            self.candidate_ready.emit(job_id, candidate)
        elif job_id == self._ahead:
            self._jobs[job_id].written.append(candidate)

    def _on_progress(self, job_id: int, done: int, total: int) -> None:
        if self._live(job_id):
            self.job_progress.emit(job_id, done, total)

    def _retire(self, job_id: int) -> tuple[_Job, bool] | None:
        """Remove a job that has ended: ``(job, wanted)``, or None for a job no longer in the table.

        ``wanted``: for a current job, the writer still waits for it (:meth:`_live`); for a
        write-ahead job, it is still the one written ahead (and stops being so here).
        """
        live = self._live(job_id)
        job = self._jobs.pop(job_id, None)
        if job is None:
            return None
        if job.kind is JobKind.AHEAD:
            wanted = job_id == self._ahead
            if wanted:
                self._ahead = None
            return job, wanted
        return job, live

    def _on_finished(self, job_id: int, result: ParaphraseResult) -> None:
        ended = self._retire(job_id)
        if ended is None:
            return
        job, wanted = ended
        if job.kind is JobKind.AHEAD:
            if wanted and not result.cancelled:
                self.written_ahead.emit(job.request, result)
        elif wanted:
            self.job_finished.emit(job_id, result)
        elif result.cancelled:
            self.job_cancelled.emit(job_id, result)

    def _on_failed(self, job_id: int, exc: Exception) -> None:
        ended = self._retire(job_id)
        if ended is None:
            return
        job, wanted = ended
        if job.kind is JobKind.AHEAD:
            log.info("writing ahead failed (the sentence will be written when asked): %s", exc)
        elif wanted:
            self.job_failed.emit(job_id, exc)
