"""A stand-in for :class:`models.Paraphraser`: answers in microseconds, no model needed.

It has the two methods the worker calls, with the runtime's keywords, so window and worker
tests run without the bundle and do not wait on a model. ``paraphrase`` reports progress
as the runtime does: ``on_progress(0, total)`` first, then once per finished sentence.
With ``steps`` (a semaphore), ``paraphrase_sentence`` writes one candidate per permit, so a
test decides exactly when each candidate comes; like the runtime, a candidate finished just
as a cancel comes is still reported, and the run then stops with ``cancelled=True``.
Both methods take ``keep`` as the runtime does: a phrase not in the text raises
:class:`InputError` naming it, each run's ``keep`` is recorded in ``keeps`` (beside ``calls``),
and every candidate lists the phrases as ``Candidate.kept`` (its text keeps them all).
They take ``mode`` too: ``modes`` (``("standard",)`` unless given) are the ones it has, any
other raises :class:`InputError` as the runtime does, and each run's mode goes in ``asked_modes``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from types import SimpleNamespace

from PySide6.QtWidgets import QDialog, QWidget

from models import Candidate, CancelToken, InputError, ParaphraseResult
from models.controls import STANDARD_MODE
from models.text import split_sentences


class StandInParaphraser:
    """Deterministic alternatives ("… (variant k)"); ``error`` makes every run raise it."""

    name = "stand-in"
    folder = Path("stand-in")

    def __init__(self, *, error: Exception | None = None, gate: threading.Event | None = None,
                 steps: threading.Semaphore | None = None, passing: int | None = None,
                 modes: Sequence[str] = (STANDARD_MODE,), name: str | None = None) -> None:
        self.error = error
        self.gate = gate  # when set, each sentence of ``paraphrase`` waits for it (a slow model)
        self.steps = steps  # when set, each candidate of ``paraphrase_sentence`` waits for one permit
        self.passing = passing  # when set, only this many candidates keep the facts (the runtime returns fewer)
        self.written = 0  # candidates ``paraphrase_sentence`` has reported, all runs together
        self.manifest = SimpleNamespace(raw={})
        self.calls: list[tuple[str, str]] = []
        self.keeps: list[tuple[str, ...]] = []  # each run's ``keep``, in the order of ``calls``
        self.modes = tuple(modes)
        self.asked_modes: list[str] = []  # each run's ``mode``, in the order of ``calls``
        if name is not None:
            self.name = name

    def _record(self, kind: str, text: str, keep: Sequence[str], mode: str = STANDARD_MODE) -> tuple[str, ...]:
        self.calls.append((kind, text))
        self.keeps.append(tuple(keep))
        self.asked_modes.append(mode)
        if mode not in self.modes:
            raise InputError(f"The model {self.name} has no mode \u201c{mode}\u201d; "
                             f"its modes: {', '.join(self.modes)}.")
        for phrase in keep:
            if not phrase.strip() or phrase not in text:
                raise InputError(f"The phrase to keep \u201c{phrase}\u201d is not in the text.")
        return tuple(keep)

    def paraphrase_sentence(self, sentence: str, *, n: int = 5, diversity: float = 0.5, seed: int | None = None,
                            keep: Sequence[str] = (), on_candidate: Callable[[Candidate], None] | None = None,
                            cancel: CancelToken | None = None, mode: str = STANDARD_MODE) -> ParaphraseResult:
        kept = self._record("sentence", sentence, keep, mode)
        if self.error is not None:
            raise self.error
        candidates = [Candidate(f"{sentence.rstrip('.')} (variant {k}).", -0.1 * k, kept) for k in range(1, n + 1)]
        if self.passing is not None:
            candidates = candidates[: self.passing]
        for number, candidate in enumerate(candidates, start=1):
            if self.steps is not None:
                self.steps.acquire(timeout=10)
            if on_candidate is not None:
                on_candidate(candidate)
            self.written += 1
            if cancel is not None and cancel.cancelled:
                return ParaphraseResult(input=sentence, candidates=candidates[:number], model=self.name,
                                        elapsed_ms=0.1, cancelled=True)
        refused = {"rejected_facts": n - len(candidates)} if self.passing is not None else {}
        return ParaphraseResult(input=sentence, candidates=candidates, model=self.name, elapsed_ms=0.1,
                                requested=n, stats=refused)

    def paraphrase(self, text: str, *, n: int = 5, diversity: float = 0.5, seed: int | None = None,
                   keep: Sequence[str] = (), on_candidate: Callable[[Candidate], None] | None = None,
                   cancel: CancelToken | None = None,
                   on_progress: Callable[[int, int], None] | None = None,
                   mode: str = STANDARD_MODE) -> ParaphraseResult:
        kept = self._record("text", text, keep, mode)
        if self.error is not None:
            raise self.error
        sentences = [s.text.strip() for s in split_sentences(text) if s.has_words]
        total = len(sentences)
        if on_progress is not None:
            on_progress(0, total)
        for done in range(1, total + 1):
            if self.gate is not None:
                self.gate.wait(10)
            if cancel is not None and cancel.cancelled:
                return ParaphraseResult(input=text, candidates=[], model=self.name, elapsed_ms=0.1, cancelled=True)
            if on_progress is not None:
                on_progress(done, total)
        candidates = [Candidate(" ".join(f"{s.rstrip('.')} (variant {k})." for s in sentences), -0.1 * k, kept)
                      for k in range(1, n + 1)]
        for candidate in candidates:
            if on_candidate is not None:
                on_candidate(candidate)
        return ParaphraseResult(input=text, candidates=candidates, model=self.name, elapsed_ms=0.1)


class QuietDialogs:
    """A dialog factory that records what the window asked for and shows nothing modal."""

    def __init__(self) -> None:
        self.calls: list[tuple[Exception, object, bool]] = []

    def __call__(self, error: Exception, command: object, missing: bool, parent: QWidget) -> QDialog:
        self.calls.append((error, command, missing))
        return QDialog(parent)
