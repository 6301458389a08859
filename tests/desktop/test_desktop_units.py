"""The app's non-widget parts: sentence sessions, quality hints, rebuild parsing, storage."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from desktop.offsets import py_offset, qt_offset
from desktop.quality import quality_hint
from desktop.rebuild import parse_progress, readable_line, rebuild_command_for
from desktop.session import SentenceSession
from desktop.storage import HistoryStore, Storage, atomic_write_text
from models.text import join_segments


def test_session_composes_back_to_the_text_and_replaces_in_place() -> None:
    text = "  The train was late.  We missed the first act.\n\nNobody minded — we laughed.\n"
    session = SentenceSession(text)
    assert session.compose() == text
    assert [session.sentence(i) for i in session.wordy] == [
        "The train was late.", "We missed the first act.", "Nobody minded — we laughed."]
    first = session.wordy[0]
    replacement = session.replace(first, "The train ran behind schedule.")
    assert text[replacement.start:replacement.end] == "  The train was late."
    assert replacement.text == "  The train ran behind schedule."  # leading space kept
    expected = join_segments(session.texts, session.segments)
    assert session.compose() == expected
    assert session.compose() == "  The train ran behind schedule.  We missed the first act.\n\nNobody minded — we laughed.\n"


def test_session_cursor_lookup_and_neighbours() -> None:
    text = "One sentence here. Another one there.\n—\nA third line."
    session = SentenceSession(text)
    wordy = session.wordy
    assert len(wordy) == 3  # the lone dash is kept but never paraphrased
    assert session.index_at(0) == wordy[0]
    assert session.index_at(text.index("Another")) == wordy[1]
    assert session.index_at(len(text)) == wordy[2]
    assert session.neighbour(wordy[0], -1) is None
    assert session.neighbour(wordy[0], 1) == wordy[1]
    assert session.neighbour(wordy[1], 1) == wordy[2]
    assert session.neighbour(wordy[2], 1) is None


def test_editor_offsets_count_emoji_as_two_qt_units() -> None:
    text = "Hi 🙂 there. Next."
    index = text.index("there")
    assert qt_offset(text, index) == index + 1
    assert py_offset(text, qt_offset(text, index)) == index


@pytest.mark.parametrize(("score", "level"), [(-0.4, 3), (-0.65, 3), (-0.7, 2), (-1.0, 2), (-1.05, 1), (-99.0, 1)])
def test_quality_hint_has_three_quiet_levels(score: float, level: int) -> None:
    hint = quality_hint(score)
    assert hint.level == level
    assert hint.dots.count("●") == level and len(hint.dots) == 3
    assert f"{score:.2f}" in hint.tooltip


def test_rebuild_progress_is_read_from_the_exporters_stage_bar() -> None:
    chunk = ("export smollm2-135m-fewshot:  17%|█▋        | 1/6 [00:02<00:10,  2.1s/stage]\r"
             "export smollm2-135m-fewshot:  50%|█████     | 3/6 [00:09<00:09,  3.0s/stage]\r"
             "parity vs PyTorch fp32:  25%|██▌       | 4/16 [00:01<00:03]\r")
    assert parse_progress(chunk) == (3, 6)  # the parity sub-bar is not the overall progress
    assert parse_progress("INFO loading weights\n") is None
    assert readable_line(chunk).startswith("parity vs PyTorch fp32:")
    assert "█" not in readable_line(chunk)


def test_rebuild_command_runs_paraphrase_studio_export() -> None:
    command = rebuild_command_for(None)
    assert command.arguments[-2:] == ["export", "--force"]
    named = rebuild_command_for("my-student")
    assert named.arguments[-4:] == ["export", "--name", "my-student", "--force"]
    assert named.display() == "paraphrase-studio export --name my-student --force"  # what the dialog shows


def test_atomic_write_keeps_the_old_file_when_a_save_dies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "history.json"
    atomic_write_text(target, '{"old": true}')

    def crash(*_args: object) -> None:
        raise OSError("disk yanked out mid-save")

    monkeypatch.setattr(os, "fsync", crash)
    with pytest.raises(OSError):
        atomic_write_text(target, '{"new": true}' * 1000)
    assert json.loads(target.read_text()) == {"old": True}
    assert [p.name for p in tmp_path.iterdir()] == ["history.json"]  # no temporary left behind


def test_history_store_round_trip_limit_and_damaged_file(tmp_path: Path) -> None:
    path = tmp_path / "history.json"
    store = HistoryStore(path, limit=3)
    for i in range(5):
        store.add(f"Sentence number {i}.", model="m", candidates=5)
    store.choose("Sentence number 4.", "The fourth sentence, rewritten.")
    again = HistoryStore(path, limit=3)
    assert [e.input for e in again.entries] == ["Sentence number 4.", "Sentence number 3.", "Sentence number 2."]
    assert again.entries[0].chosen == "The fourth sentence, rewritten."

    path.write_text('{"format": 1, "entries": [{"inp')  # what a crash WITHOUT atomic saves would leave
    damaged = HistoryStore(path)
    assert damaged.entries == []
    assert any(p.name.startswith("history.json.damaged-") for p in tmp_path.iterdir())
    damaged.add("Fresh start.", model="m", candidates=1)
    assert HistoryStore(path).entries[0].input == "Fresh start."


def test_settings_are_typed_and_clamped(tmp_path: Path) -> None:
    storage = Storage(tmp_path)
    settings = storage.settings
    assert (settings.candidates, settings.diversity, settings.theme) == (5, 0.5, "system")
    settings.candidates = 42
    settings.diversity = 0.25
    settings.theme = "neon"
    settings.sync()
    reread = Storage(tmp_path).settings
    assert (reread.candidates, reread.diversity, reread.theme) == (10, 0.25, "system")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_stylesheet_has_every_colour_filled_in(scheme: str) -> None:
    import re

    from desktop.theme import colors, stylesheet

    sheet = stylesheet(scheme)
    assert "$" not in sheet
    known = {value.lower() for value in colors(scheme).values()}
    assert set(re.findall(r"#[0-9a-fA-F]{6}\w*", sheet)) <= known  # no "#c9c9c6light"-style leftovers
