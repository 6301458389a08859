"""How sure a sentence is: "likely" is not "possibly", nor "almost certain"."""

from __future__ import annotations

import pytest

from models.certainty import certainty, changed_certainty


@pytest.mark.parametrize("text, degrees", [
    ("The vote is likely to pass.", {"probable"}),
    ("It will probably pass.", {"probable"}),
    ("It is almost certain to pass.", {"certain"}),
    ("She is certainly right.", {"certain"}),
    ("It may rain tonight.", {"possible"}),
    ("Perhaps he left early.", {"possible"}),
    ("This is probably not true.", {"unlikely"}),
    ("An appeal is unlikely.", {"unlikely"}),
    ("Prices are expected to rise.", {"probable"}),
    ("Skeptics are not expected to come.", {"unlikely"}),
    ("As expected, prices rose.", set()),  # it happened
    ("They met in May.", set()),  # the month
    ("Certain groups opposed it.", set()),  # a determiner
    ("It applies to certain types of cars.", set()),
    ("The results were published.", set()),
])
def test_degrees_are_read(text: str, degrees: set[str]) -> None:
    assert certainty(text) == degrees


@pytest.mark.parametrize("source, text, changed", [
    ("An appeal is likely soon.", "An appeal is possibly coming soon.", True),
    ("An appeal is likely soon.", "An appeal is almost certain soon.", True),
    ("It will probably pass.", "It is unlikely to pass.", True),
    ("An appeal is likely soon.", "An appeal will probably come soon.", False),
    ("An appeal is likely soon.", "An appeal is expected soon.", False),
    ("But this is thought to be unlikely.", "But this is the expected outcome.", True),
    ("An appeal is likely soon.", "An appeal will come soon.", False),  # dropped: vaguer or firmer, not turned
    ("The appeal was filed in May.", "The appeal was filed in May, perhaps late.", False),  # nothing said before
])
def test_a_degree_given_in_place_of_another_is_a_change(source: str, text: str, changed: bool) -> None:
    assert (changed_certainty(certainty(source), text) is not None) == changed
