"""The window's alternatives state in plain Python: no Qt, no model (desktop/alternatives.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from desktop.alternatives import Alternatives, JobRequest, Target
from models import Candidate

TEXT = "The train was late. We missed the first act. Nobody minded."
ROOT = Path(__file__).resolve().parents[2]


def candidates(*texts: str) -> list[Candidate]:
    return [Candidate(text, -0.1 * k) for k, text in enumerate(texts, start=1)]


def with_session(text: str = TEXT) -> Alternatives:
    alternatives = Alternatives()
    alternatives.session_for(text)
    return alternatives


def test_the_module_needs_neither_qt_nor_a_model() -> None:
    code = ("import sys, desktop.alternatives; "
            "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'onnxruntime'))))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert "PySide6" not in out.stdout


def test_the_session_is_split_again_only_when_the_text_changes() -> None:
    alternatives = Alternatives()
    first = alternatives.session_for(TEXT)
    assert alternatives.session_for(TEXT) is first and alternatives.is_current(TEXT)
    assert alternatives.session_for(TEXT + " More.") is not first
    alternatives.forget_session()
    assert alternatives.session is None and not alternatives.is_current(TEXT + " More.")


def test_kept_alternatives_are_found_by_the_work_not_the_position() -> None:
    alternatives = with_session()
    written = candidates("The train ran late.", "The train was delayed.")
    alternatives.finished(JobRequest("The train was late.", n=2, diversity=0.5, index=0), written)
    recalled = alternatives.recall(JobRequest("The train was late.", n=2, diversity=0.5, index=3))
    assert recalled is not None and recalled.candidates == written and not recalled.written_ahead
    assert alternatives.recall(JobRequest("The train was late.", n=3, diversity=0.5)) is None  # other settings
    assert alternatives.recall(JobRequest("The train was late.", n=2, diversity=0.5, seed=1)) is None


def test_whole_text_runs_and_empty_runs_are_not_kept() -> None:
    alternatives = with_session()
    alternatives.finished(JobRequest(TEXT, n=1, whole=True, index=-1), candidates("All of it, rewritten."))
    alternatives.finished(JobRequest("Nobody minded.", n=1), [])
    assert not alternatives.has(JobRequest(TEXT, n=1, whole=True))
    assert alternatives.recall(JobRequest("Nobody minded.", n=1)) is None


def test_written_ahead_alternatives_say_so_the_first_time_they_are_shown() -> None:
    alternatives = with_session()
    request = JobRequest("We missed the first act.", n=2, index=1)
    alternatives.written_ahead(request, candidates("We missed act one.", "The first act was missed."))
    first = alternatives.recall(request)
    assert first is not None and first.written_ahead
    again = alternatives.recall(request)
    assert again is not None and not again.written_ahead


def test_the_next_sentence_is_written_ahead_unless_kept_or_under_way() -> None:
    alternatives = with_session()
    session = alternatives.session
    assert session is not None
    first, second, third = session.wordy
    wanted = alternatives.to_write_ahead(first, 2, 0.5, writing=None)
    assert wanted == JobRequest("We missed the first act.", n=2, diversity=0.5, index=second)
    assert alternatives.to_write_ahead(first, 2, 0.5, writing=wanted) is None  # that very work runs already
    assert alternatives.to_write_ahead(first, 2, 0.5, writing=JobRequest("Nobody minded.", n=2)) == wanted
    alternatives.finished(wanted, candidates("We missed act one."))
    assert alternatives.to_write_ahead(first, 2, 0.5, writing=None) is None  # kept already
    assert alternatives.to_write_ahead(first, 3, 0.5, writing=None) is not None  # kept, but for other settings
    assert alternatives.to_write_ahead(third, 2, 0.5, writing=None) is None  # the last sentence
    assert Alternatives().to_write_ahead(0, 2, 0.5, writing=None) is None  # no text yet


def test_titles_number_the_sentence_once_there_are_several() -> None:
    alternatives = with_session()
    assert alternatives.title(alternatives.session.wordy[1]) == "Alternatives for sentence 2"  # type: ignore[union-attr]
    assert with_session("Just one sentence.").title(0) == "Alternatives"


def test_the_target_sentence_is_found_where_it_moved_or_not_at_all() -> None:
    alternatives = with_session()
    alternatives.target = Target(index=0, current="The train was late.", original="The train was late.")
    assert alternatives.locate_target(alternatives.session) == 0  # type: ignore[arg-type]
    moved = alternatives.session_for("A new first line. " + TEXT)
    assert alternatives.locate_target(moved) == 1
    edited = alternatives.session_for("The train was very late. We missed the first act.")
    assert alternatives.locate_target(edited) is None


def test_the_selected_sentences_are_found_where_they_moved_or_not_at_all() -> None:
    selected = "We missed the first act. Nobody minded."
    start = TEXT.index(selected)
    alternatives = Alternatives()
    alternatives.target = Target(index=-1, current=selected, original=selected, span=(start, start + len(selected)))
    assert alternatives.locate_selection(TEXT) == (start, start + len(selected))
    assert alternatives.locate_selection("Hi. " + TEXT) == (start + 4, start + 4 + len(selected))
    assert alternatives.locate_selection("The train was late. We missed it.") is None
