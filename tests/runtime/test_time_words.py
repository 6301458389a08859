"""Times said in words ("yesterday", "in the evening", "this winter", "weekly") are kept."""

from __future__ import annotations

import pytest

from models.facts import SourceFacts
from models.time_words import DAY_PART, FREQUENCY, RELATIVE, SEASON, changed_times, dropped_relative_date, \
    new_times, time_values


@pytest.mark.parametrize("text, kind, value", [
    ("She told reporters yesterday that the talks failed.", RELATIVE, "yesterday"),
    ("Protesters gathered last night outside.", RELATIVE, "yesterday"),
    ("The vote is tonight.", RELATIVE, "today"),
    ("The vote is tonight.", DAY_PART, "evening"),
    ("The firm opened a plant in the past year.", RELATIVE, "last year"),
    ("Talks resume in the coming weeks.", RELATIVE, "next week"),
    ("Sales rose in the fall.", SEASON, "autumn"),
    ("This spring was dry.", SEASON, "spring"),
    ("The bulletin appears each week.", FREQUENCY, "weekly"),
    ("Membership is renewed annually.", FREQUENCY, "yearly"),
    ("We arrive by 12 pm.", DAY_PART, "noon"),
])
def test_time_words_are_read(text: str, kind: str, value: str) -> None:
    assert value in time_values(text).get(kind, set())


@pytest.mark.parametrize("text", [
    "Prices fall when supply grows.",          # "fall" the verb is no season
    "Water bubbled from a spring in the hills.",
    "It was the last week of March.",          # a week of March, not last week
    "He lives near the station.",
])
def test_words_that_are_no_time_here(text: str) -> None:
    values = time_values(text)
    assert SEASON not in values and RELATIVE not in values


@pytest.mark.parametrize("source, candidate", [
    ("She told reporters yesterday that the talks had failed.", "She told reporters today that the talks had failed."),
    ("The council will vote in the evening.", "The council will vote in the afternoon."),
    ("Sales of boots rose sharply in the winter.", "Sales of boots rose sharply in the spring."),
    ("The newsletter is published weekly.", "The newsletter is published yearly."),
    ("The bridge opened last year.", "The bridge opened last summer."),   # more precise than said: invented
    ("The vote is next week.", "The vote is this week."),
])
def test_a_changed_time_is_a_date_violation(source: str, candidate: str) -> None:
    violations = SourceFacts(source).check(candidate)
    assert [v.kind for v in violations] == ["date"], violations
    assert "changed" in violations[0].reason


@pytest.mark.parametrize("source, candidate", [
    ("The vote is tonight.", "The vote is this evening."),
    ("Protesters gathered last night.", "Protesters gathered yesterday evening."),
    ("The plant closed last summer.", "The plant closed last year."),        # wider, still true
    ("Coulthard may join the team next year.", "Coulthard may join the team next season."),
    ("The bulletin appears each week.", "The bulletin is weekly."),
    ("Membership is renewed annually.", "Membership is renewed every year."),
    ("Sales rose last week.", "Sales rose recently."),                       # less precise, not false
    ("From what we know today, it fails.", "From what we know now, it fails."),
])
def test_a_kept_or_widened_time_passes(source: str, candidate: str) -> None:
    assert changed_times(time_values(source), candidate) == []
    assert not [v for v in SourceFacts(source).check(candidate) if "changed" in v.reason]


def test_a_swapped_word_may_not_bring_in_a_time() -> None:
    said = time_values("The shop is open every day.")
    assert new_times(said, "The shop is open every morning.")     # a time of day the sentence never gave
    assert changed_times(said, "The shop is open every morning.") == []  # a paraphrase may add detail elsewhere
    assert new_times(said, "The shop is open each day.") == []


@pytest.mark.parametrize("source, candidate, lost", [
    # held-out news: six cards of one sentence, and two of another, passed every check
    ("Casillas will play today against the Tricolor and will set a record.",
     "Casillas will face the Tricolor and set a record.", "today"),
    ("Donald Trump claimed last week that thousands celebrated.", "The claim was made by Donald Trump that thousands "
     "celebrated.", "last week"),
    ("The sentencing of the soldier is scheduled for tomorrow.", "The soldier will be sentenced.", "tomorrow"),
    ("Shares rose more than 8 per cent yesterday.", "Shares rose by more than 8 per cent.", "yesterday"),
])
def test_a_relative_date_left_out_is_a_date_violation(source: str, candidate: str, lost: str) -> None:
    assert dropped_relative_date(time_values(source), candidate) == lost
    violations = SourceFacts(source).check(candidate)
    assert [v.reason for v in violations if v.kind == "date"] == [f"{lost} missing"], violations


@pytest.mark.parametrize("source, candidate", [
    ("Today, many people work from home.", "Nowadays, a lot of people work remotely."),
    ("What is the traffic like on my street today?", "Could you tell me about the current traffic on my street?"),
    ("Sales rose last week.", "Sales went up recently."),
    ("The minister resigned yesterday.", "The minister stepped down on Monday."),   # the dates check's to judge
    ("The shop opens tomorrow.", "The shop opens the next day."),
    ("The plant closed last year.", "The plant shut down in 2011."),
    ("The vote is tonight.", "The vote takes place this evening."),
    ("It was the last week of March.", "It was the final week of March."),    # no relative date to keep
])
def test_a_relative_date_reworded_or_absent_passes(source: str, candidate: str) -> None:
    assert dropped_relative_date(time_values(source), candidate) == ""


def test_may_the_modal_is_no_month_that_keeps_the_time() -> None:
    assert dropped_relative_date(time_values("Prices rose last year."), "Prices may have risen.") == "last year"
