"""A number keeps its unit of measure: "5 miles" is not "5 kilometres"."""

from __future__ import annotations

import re

import pytest

from models.facts import SourceFacts
from models.units import unit_after


@pytest.mark.parametrize("text, unit", [
    ("The road is 5 miles long.", "mile"),
    ("a 5-mile walk", "mile"),
    ("He weighs 80kg now.", "kilogram"),
    ("It covers 300 square feet.", "square foot"),
    ("It took 3 hours.", "hour"),
    ("a 10m wall", "metre"),
    ("40 mph winds", "mph"),
    ("2 metric tons of grain", "tonne"),
    ("speeds of 20 km/h", "km/h"),
    ("128M bytes of memory", "megabyte"),
    ("at 5 in the morning", None),       # "in" is a unit only written onto the digit
    ("in the 1990s", None),
    ("a 10 m wall", None),               # a lone letter after a space is no unit
    ("3 more hours", None),              # only "square", "cubic", "metric" may stand between
])
def test_units_are_read_right_after_a_number(text: str, unit: str | None) -> None:
    number = re.search(r"\d+", text)
    assert number is not None
    assert unit_after(text, number.end()) == unit


@pytest.mark.parametrize("source, candidate", [
    ("The road is 5 miles long.", "The road is 5 kilometres long."),
    ("He weighs 80 kilograms.", "He weighs 80 pounds."),
    ("The tower is 300 feet tall.", "The tower is 300 metres tall."),
    ("The talks lasted 3 hours.", "The talks lasted 3 days."),
    ("The fire burned 2,000 acres.", "The fire burned 2,000 hectares."),
])
def test_another_unit_is_a_changed_number(source: str, candidate: str) -> None:
    reasons = [v.reason for v in SourceFacts(source).check(candidate)]
    assert any(r.startswith("unit changed") for r in reasons), reasons


@pytest.mark.parametrize("source, candidate", [
    ("The road is 5 miles long.", "The road is five miles in length."),
    ("He weighs 80 kilograms.", "He weighs 80kg."),
    ("They announced a 5-year plan.", "They announced a plan lasting five years."),
    ("Rents rose 2 percent on two-year leases.", "On two-year leases, rents went up by 2 percent."),
    ("A 40GB hard drive is included.", "It includes a 40 gigabyte hard drive."),
])
def test_the_same_unit_however_written_passes(source: str, candidate: str) -> None:
    assert not [v for v in SourceFacts(source).check(candidate) if v.reason.startswith("unit changed")]


def test_a_number_with_a_sign_takes_no_unit_after_it() -> None:
    source = "Revenue increased 1.5 percent year over year in the third quarter."
    assert not SourceFacts(source).check(source.replace("percent year over year", "percent from a season earlier"))
