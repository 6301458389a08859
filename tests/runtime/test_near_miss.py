"""What almost happened stays almost (models.near_miss, read through models.certainty.Sureness)."""

from __future__ import annotations

import pytest

from models.certainty import Sureness
from models.near_miss import dropped_near_miss, near_misses


@pytest.mark.parametrize(("text", "found"), [
    ("He almost died in the crash.", ["almost died"]),
    ("The home team nearly won the title.", ["nearly won"]),
    ("He stabbed a boy, nearly killing him.", ["nearly killing"]),
    ("Koizumi has all but popped the champagne.", ["all but popped"]),
    ("The subsidy almost got eliminated.", ["almost got eliminated"]),
    # owned by other checks, or a degree rather than an event
    ("Almost all the students passed.", []), ("It is almost certainly true.", []),
    ("Nearly 500 people came.", []), ("It took nearly two hours.", []),
    ("The drinks were almost revolting.", []), ("It was nearly perfect.", []),
])
def test_near_misses_are_events(text: str, found: list[str]) -> None:
    assert near_misses(text) == found


@pytest.mark.parametrize(("source", "candidate", "dropped"), [
    ("He almost died in the crash last night.", "He lost his life in last night's crash.", True),
    ("The home team nearly won the title this season.", "This season, the home team claimed the title.", True),
    ("Rescuers almost reached the trapped miners before dawn.", "Before dawn, rescuers got to the trapped miners.", True),
    ("He almost died in the crash last night.", "He was on the verge of dying in last night's crash.", False),
    ("He almost died in the crash last night.", "Last night's crash came close to killing him.", False),
    ("He almost died in the crash last night.", "He narrowly survived last night's crash.", False),
    ("The home team nearly won the title.", "The home team was close to winning the title.", False),
])
def test_a_near_miss_made_to_happen_is_refused(source: str, candidate: str, dropped: bool) -> None:
    assert (dropped_near_miss(source, candidate) is not None) is dropped
    assert Sureness.of(source).changed_by(candidate) is dropped


def test_a_near_miss_does_not_state_what_happened() -> None:
    """The realis check must not refuse "on the verge of" for a source that says "almost": the
    source never stated that it happened."""
    assert not Sureness.of("He almost died in the crash.").states_what_is
    assert Sureness.of("He died in the crash.").states_what_is
    assert not Sureness.of("He almost died in the crash.").changed_by("He was on the verge of dying in the crash.")


@pytest.mark.parametrize(("source", "candidate", "changed"), [
    ("I can hardly hear you.", "I can hear you clearly.", True),          # passed every check at 0.18 before
    ("The company barely made a profit.", "The company made a profit.", True),
    ("I can hardly hear you.", "I can barely hear you.", False),
    ("I can hardly hear you.", "I'm struggling to hear you.", False),
    ("We can barely stand.", "We find it challenging to stay on our feet.", False),
    ("There is hardly any milk left.", "There is little milk left.", False),   # an amount: the quantifier check's
    ("I can hardly wait for them to reopen.", "I'm counting the days until they reopen.", False),  # eager
])
def test_what_was_only_just_so_is_not_stated_plainly(source: str, candidate: str, changed: bool) -> None:
    assert Sureness.of(source).changed_by(candidate) is changed
