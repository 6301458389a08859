"""Asking for alternatives: a run for the sentence under the cursor or the selection, or kept ones.

Part of :class:`desktop.widgets.main_window.MainWindow` (a mixin, so the window stays
readable): it turns Paraphrase, Cancel and the worker's job signals into what the
alternatives panel shows, and decides with :class:`desktop.alternatives.Alternatives`
when to show kept alternatives instead of a run and which sentence to write ahead.
Every request goes through :meth:`desktop.workers.ModelWorker.submit`; the job slots look
the request up by job id (:meth:`ModelWorker.request_of`).
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

from models import Candidate, InputError, ParaphraseResult

from ..alternatives import JobRequest, Spans, Target, phrases_within
from ..offsets import py_offset
from ..session import SentenceSession

if TYPE_CHECKING:
    from .main_window import MainWindow

log = logging.getLogger("desktop.widgets.main_window")


class RunFlow:
    """Paraphrase, Cancel, the job slots and writing ahead (see the module docstring)."""

    # -- paraphrasing --------------------------------------------------------------------

    def paraphrase(self: MainWindow) -> None:
        """Write fresh alternatives for the sentence under the cursor (or the selected sentences)."""
        if self.worker.paraphraser is None:
            if self.load_error is not None:
                self.show_bundle_dialog(self.load_error)
            else:
                self._pending = True
                self.cards_status.setText("Starting as soon as the model is loaded…")
            return
        session = self._current_session()
        if session is None:
            return
        selected = self._selected_sentences(session)
        if selected is not None:
            self._start_text(*selected)
            return
        index = session.index_at(self.editor.cursor_index())
        if index is None:
            self.banner.say("There is no text to paraphrase yet: type or paste a sentence first.", kind="input")
            return
        self._start(index, use_cache=False)

    def _selected_sentences(self: MainWindow, session: SentenceSession) -> tuple[int, int, int] | None:
        """The whole sentences a selection of two or more covers (see ``SentenceSession.selected``)."""
        cursor = self.editor.textCursor()
        if not cursor.hasSelection():
            return None
        text = self.editor.toPlainText()
        return session.selected(py_offset(text, cursor.selectionStart()), py_offset(text, cursor.selectionEnd()))

    def _begin(self: MainWindow, target: Target, title: str) -> None:
        """Alternatives for ``target`` come next: clear the old ones and any message."""
        self.alternatives.active = True
        self.alternatives.target = target
        self.banner.dismiss()
        self.panel.begin(title, source=target.original)

    def _submit(self: MainWindow, request: JobRequest) -> None:
        if self.worker.loading:  # another student is being switched in: write with it once it is ready
            self._pending = True
            self.cards_status.setText("Starting as soon as the model is loaded…")
            self._update_buttons()
            return
        self._clicked_at = time.perf_counter()
        self.first_candidate_ms = None
        self.worker.submit(request)
        self._update_buttons()

    def _start_text(self: MainWindow, start: int, end: int, count: int) -> None:
        """Paraphrase several sentences as one text; progress comes in sentences done of all."""
        text = self.editor.toPlainText()[start:end]
        self._begin(Target(index=-1, current=text, original=text, span=(start, end)),
                    f"Alternatives for the {count} selected sentences")
        self.panel.writing_text(count)
        keep = phrases_within(self.editor.toPlainText(), self.editor.keep_spans(), start, end)
        self._submit(JobRequest(sentence=text, n=self.controls.candidates(), diversity=self.controls.diversity(),
                                index=-1, whole=True, keep=keep, mode=self.controls.current_mode()))

    def _start(self: MainWindow, index: int, *, use_cache: bool) -> None:
        """Show sentence ``index``'s alternatives: kept ones if ``use_cache`` and there are some, else a run."""
        request = self.alternatives.sentence_request(index, self.controls.candidates(), self.controls.diversity(),
                                                     self._keep_spans(), mode=self.controls.current_mode())
        self._begin(Target(index=index, current=request.sentence, original=request.sentence),
                    self.alternatives.title(index))
        self._refresh_highlight()
        recalled = self.alternatives.recall(request) if use_cache else None
        if recalled is None:
            self.panel.writing(request.n)
            self._submit(request)
            return
        self.worker.cancel_current()  # a sentence being written ahead keeps going, unless it is this one
        ahead = self.worker.writing_ahead
        if ahead is not None and ahead.sentence == request.sentence:
            self.worker.cancel_write_ahead()
        self.panel.recalled(recalled.candidates, recalled.written_ahead)
        if recalled.written_ahead:  # first shown now: it counts as a run in the history
            self.history.add(request.sentence, model=self._model_name(), candidates=len(recalled.candidates))
            self._refresh_history()
        self._update_buttons()
        self._write_ahead_after(index)

    def cancel(self: MainWindow) -> None:
        """Stop the running job at once; the alternatives already shown stay."""
        if self.worker.cancel():
            self.panel.stopped()
        elif self._pending:
            self.cards_status.setText("")
        self._pending = False
        self._update_buttons()

    def _on_job_progress(self: MainWindow, job: int, done: int, total: int) -> None:
        self.panel.progress(done, total)

    def _on_candidate(self: MainWindow, job: int, candidate: Candidate) -> None:
        request = self.worker.request_of(job)
        self.panel.add(candidate, request.n if request else self.panel.shown + 1)
        if self.first_candidate_ms is None:
            self.first_candidate_ms = (time.perf_counter() - self._clicked_at) * 1000
        self.candidate_shown.emit(candidate)

    def _on_job_finished(self: MainWindow, job: int, result: ParaphraseResult) -> None:
        self.last_result = result
        total_ms = (time.perf_counter() - self._clicked_at) * 1000
        self.last_total_ms = total_ms
        count = len(result.candidates)
        self._update_buttons()
        request = self.worker.request_of(job)
        self.panel.settle(result.candidates)  # the runtime's final ranking (see AlternativesPanel.settle)
        self.panel.finished(count, getattr(result, "note", None))
        if count:
            first = f" · first after {self.first_candidate_ms / 1000:.2f} s" if self.first_candidate_ms else ""
            self.timing_label.setText(f"Last run: {count} alternative{'s' if count != 1 else ''} "
                                      f"in {total_ms / 1000:.2f} s{first}")
            if request is not None:
                self.alternatives.finished(request, result.candidates)
            self.history.add(result.input, model=result.model, candidates=count)
            self._refresh_history()
            if request is not None and not request.whole:
                self._write_ahead_after(request.index)
        self.run_finished.emit(result)

    def _on_job_failed(self: MainWindow, job: int, error: Exception) -> None:
        self._update_buttons()
        self.panel.failed()
        if isinstance(error, InputError):
            self.banner.say(str(error), kind="input")
        else:
            log.error("paraphrasing failed: %s", error)
            self.banner.say(f"Paraphrasing failed: {error}")
        target = self.alternatives.target
        self.run_finished.emit(ParaphraseResult(input=target.original if target else "", candidates=[],
                                                model=self._model_name(), elapsed_ms=0.0, cancelled=False))

    # -- writing ahead -------------------------------------------------------------------

    def set_write_ahead(self: MainWindow, enabled: bool) -> None:
        self.settings.write_ahead = bool(enabled)
        if not enabled:
            self.worker.cancel_write_ahead()

    def _write_ahead_after(self: MainWindow, index: int) -> None:
        """While the writer reads sentence ``index``'s alternatives, write the next sentence's.

        "Use this" moves on to the next sentence, so its alternatives then appear at once
        instead of after a run (see ``Alternatives.to_write_ahead`` and ``ModelWorker.submit``).
        """
        if not self.settings.write_ahead or self.worker.paraphraser is None or self.worker.loading:
            return
        request = self.alternatives.to_write_ahead(index, self.controls.candidates(), self.controls.diversity(),
                                                   self.worker.writing_ahead, self._keep_spans(),
                                                   mode=self.controls.current_mode())
        if request is not None:
            self.worker.write_ahead(request)

    def _keep_spans(self: MainWindow) -> Spans:
        """The kept phrases' spans, if the sentence session reads as the editor does (else none match)."""
        return self.editor.keep_spans() if self.alternatives.is_current(self.editor.toPlainText()) else ()

    def _on_written_ahead(self: MainWindow, request: JobRequest, result: ParaphraseResult) -> None:
        self.alternatives.written_ahead(request, result.candidates)
