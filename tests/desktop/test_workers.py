"""The model worker on its own: one job table, reports only for the current job.

A stand-in paraphraser (tests/desktop/stand_in.py) answers at once, or one candidate per
permit of a semaphore, so each test decides when candidates come and runs in milliseconds
without the model bundle.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication

from desktop.workers import JobRequest, ModelWorker
from models import InputError
from stand_in import StandInParaphraser

TIMEOUT_MS = 10_000
FIRST = "The museum was closed."
SECOND = "We went to the park."


class Recorder:
    """Every public job signal of a worker, in the order they came."""

    def __init__(self, worker: ModelWorker) -> None:
        self.events: list[tuple[str, object, object]] = []
        worker.candidate_ready.connect(lambda job, candidate: self.events.append(("candidate", job, candidate.text)))
        worker.job_finished.connect(lambda job, result: self.events.append(("finished", job, result)))
        worker.job_failed.connect(lambda job, error: self.events.append(("failed", job, error)))
        worker.job_cancelled.connect(lambda job, result: self.events.append(("cancelled", job, result)))
        worker.job_progress.connect(lambda job, done, total: self.events.append(("progress", job, (done, total))))
        worker.written_ahead.connect(lambda request, result: self.events.append(("ahead", request, result)))

    def of(self, kind: str) -> list[tuple[str, object, object]]:
        return [event for event in self.events if event[0] == kind]


@pytest.fixture
def steps() -> Iterator[threading.Semaphore]:
    """Permits for the stand-in's candidates; plenty are released at the end so no task is left waiting."""
    semaphore = threading.Semaphore(0)
    yield semaphore
    semaphore.release(1000)


def make_worker(qtbot, paraphraser: StandInParaphraser) -> ModelWorker:  # noqa: ANN001
    worker = ModelWorker()
    worker.set_paraphraser(paraphraser)  # type: ignore[arg-type]
    return worker


def wait_started(paraphraser: StandInParaphraser, count: int, qtbot) -> None:  # noqa: ANN001
    """Until ``count`` runs have started on the pool thread (a queued job cancelled does no work)."""
    qtbot.waitUntil(lambda: len(paraphraser.calls) >= count, timeout=TIMEOUT_MS)


def wait_written(paraphraser: StandInParaphraser, count: int, qtbot) -> None:  # noqa: ANN001
    """Until the stand-in has reported ``count`` candidates and their signals were delivered."""
    qtbot.waitUntil(lambda: paraphraser.written >= count, timeout=TIMEOUT_MS)
    QCoreApplication.processEvents()


def test_one_key_for_the_same_work_wherever_the_sentence_stands() -> None:
    request = JobRequest(FIRST, n=3, diversity=0.5, index=0)
    assert request.key == JobRequest(FIRST, n=3, diversity=0.5, index=4).key  # the index is where, not what
    assert request.same_work(JobRequest(FIRST, n=3, diversity=0.5, index=4))
    for other in (JobRequest(SECOND, n=3), JobRequest(FIRST, n=4), JobRequest(FIRST, n=3, diversity=0.6),
                  JobRequest(FIRST, n=3, seed=7), JobRequest(FIRST, n=3, whole=True)):
        assert other.key != request.key and not other.same_work(request)


def test_a_submitted_job_streams_its_candidates_then_finishes(qtbot) -> None:  # noqa: ANN001
    worker = make_worker(qtbot, StandInParaphraser())
    seen = Recorder(worker)
    request = JobRequest(FIRST, n=3)
    with qtbot.waitSignal(worker.job_finished, timeout=TIMEOUT_MS):
        job = worker.submit(request)
        assert worker.busy and worker.current_job == job and worker.last_request == request
    assert [e[0] for e in seen.events] == ["candidate", "candidate", "candidate", "finished"]
    assert {e[1] for e in seen.events} == {job}
    assert [e[2] for e in seen.of("candidate")] == [f"The museum was closed (variant {k})." for k in (1, 2, 3)]
    assert not worker.busy and worker.last_request == request  # what the last job was for, still
    assert worker.shutdown(TIMEOUT_MS)


def test_nothing_can_be_submitted_before_the_model_is_loaded() -> None:
    worker = ModelWorker()
    with pytest.raises(RuntimeError, match="not loaded"):
        worker.submit(JobRequest(FIRST))
    assert not worker.write_ahead(JobRequest(FIRST))


def test_cancel_stops_at_once_and_the_rest_never_arrives(qtbot, steps: threading.Semaphore) -> None:  # noqa: ANN001
    paraphraser = StandInParaphraser(steps=steps)
    worker = make_worker(qtbot, paraphraser)
    seen = Recorder(worker)
    job = worker.submit(JobRequest(FIRST, n=5))
    steps.release()
    wait_written(paraphraser, 1, qtbot)
    assert worker.cancel() and not worker.busy
    assert not worker.cancel()  # nothing left to stop
    with qtbot.waitSignal(worker.job_cancelled, timeout=TIMEOUT_MS):
        steps.release()  # a candidate finished just as the cancel came: written, but dropped
    assert [e[0] for e in seen.events] == ["candidate", "cancelled"]
    assert seen.of("cancelled")[0][1] == job and seen.of("cancelled")[0][2].cancelled
    assert paraphraser.written == 2
    assert worker.shutdown(TIMEOUT_MS)


def test_a_newer_request_drops_the_late_results_of_the_old_one(qtbot, steps: threading.Semaphore) -> None:  # noqa: ANN001
    paraphraser = StandInParaphraser(steps=steps)
    worker = make_worker(qtbot, paraphraser)
    seen = Recorder(worker)
    old = worker.submit(JobRequest(FIRST, n=3))
    wait_started(paraphraser, 1, qtbot)
    new = worker.submit(JobRequest(SECOND, n=2))
    assert new != old and worker.current_job == new and worker.last_request.sentence == SECOND
    with qtbot.waitSignal(worker.job_finished, timeout=TIMEOUT_MS):
        steps.release(3)  # one late candidate of the old job, then the new job's two
    assert paraphraser.calls == [("sentence", FIRST), ("sentence", SECOND)]
    assert [(e[0], e[1]) for e in seen.events] == [("cancelled", old), ("candidate", new), ("candidate", new),
                                                   ("finished", new)]
    assert all(SECOND.rstrip(".") in text for _kind, _job, text in seen.of("candidate"))
    assert worker.shutdown(TIMEOUT_MS)


def test_a_job_cancelled_while_still_queued_does_no_work(qtbot, steps: threading.Semaphore) -> None:  # noqa: ANN001
    paraphraser = StandInParaphraser(steps=steps)
    worker = make_worker(qtbot, paraphraser)
    worker.submit(JobRequest(FIRST, n=1))  # holds the one pool thread until a permit comes
    wait_started(paraphraser, 1, qtbot)
    worker.submit(JobRequest(SECOND, n=1))  # queued behind it
    third = worker.submit(JobRequest("It rained all afternoon.", n=1))
    with qtbot.waitSignal(worker.job_finished, timeout=TIMEOUT_MS) as finished:
        steps.release(2)
    assert finished.args[0] == third
    assert [sentence for _kind, sentence in paraphraser.calls] == [FIRST, "It rained all afternoon."]
    assert worker.shutdown(TIMEOUT_MS)


def test_writing_ahead_reports_only_through_written_ahead(qtbot) -> None:  # noqa: ANN001
    worker = make_worker(qtbot, StandInParaphraser())
    seen = Recorder(worker)
    request = JobRequest(SECOND, n=2, index=1)
    with qtbot.waitSignal(worker.written_ahead, timeout=TIMEOUT_MS):
        assert worker.write_ahead(request)
        assert worker.writing_ahead == request and not worker.busy  # the writer is not kept waiting
    assert [e[0] for e in seen.events] == ["ahead"]
    assert seen.events[0][1] == request and len(seen.events[0][2].candidates) == 2
    assert worker.writing_ahead is None
    assert worker.shutdown(TIMEOUT_MS)


def test_writing_ahead_waits_for_the_writers_job(qtbot, steps: threading.Semaphore) -> None:  # noqa: ANN001
    worker = make_worker(qtbot, StandInParaphraser(steps=steps))
    worker.submit(JobRequest(FIRST, n=1))
    assert not worker.write_ahead(JobRequest(SECOND, n=1, index=1))  # busy: the writer's job comes first
    assert worker.writing_ahead is None
    with qtbot.waitSignal(worker.job_finished, timeout=TIMEOUT_MS):
        steps.release()
    assert worker.shutdown(TIMEOUT_MS)


def test_asking_for_the_work_being_written_ahead_adopts_that_job(qtbot, steps: threading.Semaphore) -> None:  # noqa: ANN001
    paraphraser = StandInParaphraser(steps=steps)
    worker = make_worker(qtbot, paraphraser)
    seen = Recorder(worker)
    assert worker.write_ahead(JobRequest(SECOND, n=3, index=1))
    steps.release(2)
    wait_written(paraphraser, 2, qtbot)
    assert seen.events == []  # written ahead: nothing on screen yet

    asked = JobRequest(SECOND, n=3, index=0)  # the same work; the sentence has moved
    job = worker.submit(asked)
    assert [(e[0], e[1]) for e in seen.events] == [("candidate", job), ("candidate", job)]  # at once
    assert worker.busy and worker.writing_ahead is None and worker.last_request == asked
    with qtbot.waitSignal(worker.job_finished, timeout=TIMEOUT_MS) as finished:
        steps.release()
    assert finished.args[0] == job and len(finished.args[1].candidates) == 3
    assert paraphraser.calls == [("sentence", SECOND)]  # written once
    assert [e[0] for e in seen.events] == ["candidate"] * 3 + ["finished"] and seen.of("ahead") == []
    assert worker.shutdown(TIMEOUT_MS)


def test_any_other_request_cancels_writing_ahead(qtbot, steps: threading.Semaphore) -> None:  # noqa: ANN001
    paraphraser = StandInParaphraser(steps=steps)
    worker = make_worker(qtbot, paraphraser)
    seen = Recorder(worker)
    assert worker.write_ahead(JobRequest(SECOND, n=3, index=1))
    wait_started(paraphraser, 1, qtbot)
    job = worker.submit(JobRequest(SECOND, n=2, index=1))  # other settings: other work
    assert worker.writing_ahead is None
    with qtbot.waitSignal(worker.job_finished, timeout=TIMEOUT_MS):
        steps.release(3)  # one (dropped) for the write-ahead, two for the job
    assert [(e[0], e[1]) for e in seen.events] == [("candidate", job), ("candidate", job), ("finished", job)]
    assert worker.shutdown(TIMEOUT_MS)


def test_a_failed_job_is_reported_and_a_failed_write_ahead_is_not(qtbot) -> None:  # noqa: ANN001
    error = InputError("This looks like French text.")
    worker = make_worker(qtbot, StandInParaphraser(error=error))
    seen = Recorder(worker)
    with qtbot.waitSignal(worker.job_failed, timeout=TIMEOUT_MS):
        job = worker.submit(JobRequest(FIRST))
    assert seen.events == [("failed", job, error)] and not worker.busy
    assert worker.write_ahead(JobRequest(SECOND, index=1))
    qtbot.waitUntil(lambda: worker.writing_ahead is None, timeout=TIMEOUT_MS)
    assert seen.events == [("failed", job, error)]  # the writer never asked for that one
    assert worker.shutdown(TIMEOUT_MS)


def test_progress_of_a_whole_text_job_carries_its_job_id(qtbot) -> None:  # noqa: ANN001
    gate = threading.Event()
    worker = make_worker(qtbot, StandInParaphraser(gate=gate))
    seen = Recorder(worker)
    text = f"{FIRST} {SECOND}"
    old = worker.submit(JobRequest(text, n=1, whole=True))
    qtbot.waitUntil(lambda: bool(seen.of("progress")), timeout=TIMEOUT_MS)  # (0, 2): it has started
    new = worker.submit(JobRequest(text, n=2, whole=True))
    with qtbot.waitSignal(worker.job_finished, timeout=TIMEOUT_MS):
        gate.set()
    assert seen.of("progress") == [("progress", old, (0, 2)), ("progress", new, (0, 2)),
                                   ("progress", new, (1, 2)), ("progress", new, (2, 2))]
    assert worker.shutdown(TIMEOUT_MS)


def test_warming_up_uses_only_the_paraphrasers_public_hook() -> None:
    from desktop.workers import warm_up

    calls: dict[str, int] = {"private": 0, "public": 0}

    class Private:
        def _prefix_cache(self) -> None:  # a private name: the worker must not reach for it
            calls["private"] += 1

    class Public(Private):
        def warm_up(self) -> None:
            calls["public"] += 1

    warm_up(Private())  # type: ignore[arg-type]
    assert calls == {"private": 0, "public": 0}
    warm_up(Public())  # type: ignore[arg-type]
    assert calls == {"private": 0, "public": 1}
