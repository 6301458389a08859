"""A person's office is kept: "chairman" is not "president", "CEO" not "founder"."""

from __future__ import annotations

import pytest

from models.facts import SourceFacts, check_candidate
from models.titles import changed_titles, made_current, title_offices


@pytest.mark.parametrize("text, offices", [
    ("The company's chairman said profits would rise.", {"chairman"}),
    ("PeopleSoft CEO Craig Conway said so.", {"chief executive"}),
    ("Joe Tucci, president and chief executive of EMC, spoke.", {"president", "chief executive"}),
    ("Paul Flessner, senior vice president of Microsoft, spoke.", {"vice president"}),  # not also "president"
    ("The prime minister resigned.", {"prime minister"}),
    ("The Vice-Chairman stepped down.", {"vice chairman"}),
    ("Two senators and three governors signed it.", {"senator", "governor"}),
    ("A spokeswoman declined to comment.", {"spokesman"}),
    ("Steve Wozniak, a co-founder of Apple, spoke.", {"founder"}),  # was read as nothing: "co founder"
    ("The company's co founder and its CEO met.", {"founder", "chief executive"}),
    ("Both vice chairmen and two spokesmen attended.", {"vice chairman", "spokesman"}),
    ("The leadership met on Monday.", set()),
    ("Discover the premier vape destination in the valley.", set()),  # the adjective (a GPT teacher's)
    ("He joined a Premier League club.", set()),
    ("The Chinese premier said so; Premier Wen Jiabao agreed.", {"prime minister"}),
])
def test_offices_are_read_however_written(text: str, offices: set[str]) -> None:
    assert title_offices(text) == offices


@pytest.mark.parametrize("source, candidate", [
    ("The company's chairman said profits would rise.", "The company's president said profits would rise."),
    ("PeopleSoft's new CEO, Dave Duffield, could unite the staff.",
     "PeopleSoft's founder, Dave Duffield, could unite the staff."),
    ("Senior vice president Paul Flessner spoke.", "Senior vice chairman Paul Flessner spoke."),
    ("Steve Wozniak, a co-founder of Apple, spoke.", "Steve Wozniak, a director of Apple, spoke."),
])
def test_another_office_is_a_violation(source: str, candidate: str) -> None:
    reasons = [v.reason for v in SourceFacts(source).check(candidate)]
    assert any(r.startswith("title changed") for r in reasons), reasons


@pytest.mark.parametrize("source, candidate", [
    ("PeopleSoft CEO Craig Conway said so.", "PeopleSoft chief executive Craig Conway said so."),
    ("The committee's chairman spoke first.", "The committee's chair spoke first."),
    ("The prime minister resigned on Monday.", "The premier resigned on Monday."),
    ("The company's chairman said profits would rise.", "The head of the company said profits would rise."),
    ("A spokeswoman declined to comment.", "A spokesperson declined to comment."),
    ("The board met on Monday.", "The company's president met the board on Monday."),  # the names check's job
])
def test_the_same_office_or_a_wider_word_passes(source: str, candidate: str) -> None:
    assert changed_titles(title_offices(source), candidate) is None


@pytest.mark.parametrize(("source", "candidate", "past"), [
    ("Former chief executive John Smith spoke at the annual meeting.",
     "At the yearly gathering, chief executive John Smith gave a speech.", "Former chief"),
    ("He was inspired after his former Australian boss revealed it.", "He was inspired after his Australian boss "
     "said so.", "former Australian boss"),
    ("Congress passed the bill, but then-President Clinton vetoed it.", "President Clinton vetoed the bill.",
     "then-President"),
    # the role still past, or not named at all
    ("Former chief executive John Smith spoke at the meeting.", "John Smith, the ex-CEO, spoke at the meeting.", None),
    ("Former chief executive John Smith spoke at the meeting.", "John Smith, who used to run the firm, spoke.", None),
    ("Gregory Parseghian, a former investment banker, was appointed chief executive.",
     "Greg Parseghian was appointed the new chief executive.", None),
    ("A former candidate for governor, he spoke.", "He, who once ran for governor, spoke.", None),
    ("Oil is important in the former Texas oilman's plans.", "Oil matters in U.S. plans.", None),
])
def test_a_former_role_is_not_made_current(source: str, candidate: str, past: str | None) -> None:
    assert made_current(source, candidate) == past
    assert any("no longer said to be past" in v.reason for v in check_candidate(source, candidate)) is (past is not None)
