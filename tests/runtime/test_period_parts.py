"""The part of a period a sentence dates to (models/period_parts.py), through the facts check:
cases read in the student's and the teachers' output, and the rewordings that keep the part."""

from __future__ import annotations

import pytest

from models.facts import DATE, check_candidate
from models.period_parts import invented_relative_date, period_parts


@pytest.mark.parametrize(("source", "candidate"), [
    # moved
    ("The plant opens at the end of 2027.", "The plant opens at the start of 2027."),
    ("The library will close at the end of March.", "The library will close in early March."),
    ("Cultivation had all but ceased by the mid-1990s.", "Cultivation had all but ceased by the late 1990s."),
    # dropped
    ("The library will close at the end of March.", "The library will close by March."),
    ("During the early 1960s, Love first met Jim Henson.", "In the 1960s, Love first met Jim Henson."),
    ("She trimmed her hair late last week.", "She trimmed her hair last week."),
    # added
    ("The library will close in March.", "The library will close in late March."),
    ("SAP plans to double its workforce in China in the next few years.",
     "SAP plans to double its workforce in China by the end of next year."),
    ("It grew around 1997.", "It grew in early 1997."),
])
def test_a_part_moved_dropped_or_added_is_a_changed_date(source: str, candidate: str) -> None:
    assert [v.kind for v in check_candidate(source, candidate)] == [DATE]


@pytest.mark.parametrize(("source", "candidate"), [
    ("The library will close at the end of March.", "The library will shut in late March."),
    ("The plant opens at the end of 2027.", "The plant opens in late 2027."),
    ("Sales will recover late next year.", "Sales will recover at the end of next year."),
    ("Sales will recover early in the year.", "Sales will recover at the start of the year."),
    ("Profits rose at year-end.", "Profits rose at the end of the year."),
    ("The verdict is due in mid-February.", "The verdict is due in the middle of February."),
    ("It was popular in the late 1990s.", "It was popular in the late 1990's."),
    ("It opened on June 26, 2007.", "It opened on 26 June 2007."),
    ("At the end of the day, it matters.", "Ultimately, it matters."),  # no period: "day" is none
    ("Prices fall in the summer.", "Prices drop in the summer."),
    ("In recent years, profits rose.", "Profits have risen in the past years."),
])
def test_the_same_part_in_other_words_passes(source: str, candidate: str) -> None:
    assert check_candidate(source, candidate) == []


def test_parts_are_read_per_period() -> None:
    assert period_parts("From early March to the end of April, and again in 2027.") == {
        "march": {"early"}, "april": {"late"}, "2027": {""}}
    assert period_parts("It opened on May 30 and closed in the middle of the year.") == {
        "may": {"day"}, "year": {"mid"}}


@pytest.mark.parametrize(("source", "candidate", "date"), [
    # student v2's cards: a relative date where the source places nothing in time
    ("Hurricane Wilma was the most intense hurricane ever recorded in the Atlantic basin.",
     "Hurricane Wilma was the most intense in the Atlantic this year.", "this year"),
    ("The emissions are highlighted in a newly published government report.",
     "The emissions are highlighted by a government report released last year.", "last year"),
    ("Coconuts from various parts of the world also differ in taste.",
     "Coconuts from all the places around today also differ in taste.", "today"),
    # a source with any time word leaves the candidate's relative date to the other checks
    ("Sales will grow in the next few years.", "Sales will grow next year.", ""),
    ("Veneman, who announced Tuesdays ban, also said it.", "Veneman, who announced yesterday's ban, said it.", ""),
    ("The report was found Oct. 23 in a binder.", "The report was found last week in a binder.", ""),
    ("Today's pick is Kim Cattrall.", "Kim Cattrall is today's pick.", ""),
])
def test_a_relative_date_the_source_does_not_give_is_new(source: str, candidate: str, date: str) -> None:
    assert invented_relative_date(source, candidate) == date
    new_dates = [str(v) for v in check_candidate(source, candidate) if str(v).startswith("new date")]
    assert new_dates == ([f"new date {date}"] if date else [])
