"""The tense and number readings the phrase look-up's agreement checks use (models.word_forms)."""

from __future__ import annotations

import pytest

from models.word_forms import changes_number, changes_tense, is_irregular_plural, is_past_form, is_present_form

VOCABULARY = frozenset({"jump", "jumped", "jumping", "jumps", "hour", "hours", "detail", "details", "persons",
                        "person", "complete", "completed", "completing", "completes", "new", "sometime"})


def test_irregular_forms_are_read_from_the_table() -> None:
    assert is_past_form("said") and is_past_form("took") and is_past_form("known")
    assert is_present_form("say") and is_present_form("takes")
    # a form that is also its verb's base ("become", "come", "beat") is neither: the table cannot tell
    assert not is_present_form("become") and not is_past_form("become")
    assert is_irregular_plural("people") and is_irregular_plural("teeth") and not is_irregular_plural("person")


@pytest.mark.parametrize(("word", "alternative", "previous", "changed"), [
    ("said", "says", "", True), ("said", "stated", "", False), ("said", "saying", "", True),
    ("took", "takes", "", True), ("took", "take", "", True), ("took", "needed", "", False),
    ("think", "thought", "", True), ("think", "believe", "", False), ("says", "said", "", True),
    ("says", "claimed", "", True), ("says", "claims", "", False),
    ("rose", "jump", "", True), ("rose", "climbed", "", False),
    ("finished", "complete", "is", False), ("finished", "complete", "they", True),
    ("happy", "pleased", "", False),  # neither side is a verb form the check knows
])
def test_changes_tense(word: str, alternative: str, previous: str, changed: bool) -> None:
    assert changes_tense(word, alternative, previous, VOCABULARY) is changed


@pytest.mark.parametrize(("word", "alternative", "previous", "following", "changed"), [
    ("time", "hours", "this", "", True), ("time", "hours", "the", "of", False),
    ("information", "details", "the", "is", True), ("information", "details", "more", "about", False),
    ("teeth", "tooths", "two", "in", True), ("people", "persons", "21", "early", False),
    ("staff", "employees", "the", "is", False),  # a noun of either number
    ("time", "news", "this", "", False), ("time", "sometimes", "this", "", False),  # their "-s" is not a plural
    ("difference", "distinctions", "a", "", False),  # "distinction" unknown to this vocabulary: not read as a plural
])
def test_changes_number(word: str, alternative: str, previous: str, following: str, changed: bool) -> None:
    assert changes_number(word, alternative, previous, following, VOCABULARY) is changed
