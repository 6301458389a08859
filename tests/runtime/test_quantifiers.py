"""How many and how often are kept: "all" is not "most", "some" not "many", "rarely" not "often"."""

from __future__ import annotations

import pytest

from models.facts import SourceFacts
from models.quantifiers import amounts, changed_amounts, made_none, made_the_top, top_groups


@pytest.mark.parametrize("text, strengths", [
    ("All the students passed.", {"all"}),
    ("Every member voted.", {"all"}),
    ("Most of the students passed.", {"most"}),
    ("Most analysts expect a cut.", {"most"}),
    ("The majority of voters agreed.", {"most"}),
    ("Almost all the tickets were sold.", {"most"}),
    ("Many analysts expect a cut.", {"many"}),
    ("Quite a few people came.", {"many"}),
    ("A large number of firms closed.", {"many"}),
    ("Some analysts expect a cut.", {"some"}),
    ("A few people came.", {"some"}),
    ("Several firms closed.", {"some"}),
    ("Not all students passed.", {"some"}),
    ("Few people came.", {"few"}),
    ("Only a few people came.", {"few"}),
    ("She rarely drives.", {"few"}),
    ("Operators typically do not keep full lists.", {"few"}),
    ("She always drives.", {"all"}),
    ("She usually drives.", {"most"}),
    ("She often drives.", {"many"}),
    ("She sometimes drives.", {"some"}),
])
def test_strengths_are_read(text: str, strengths: set[str]) -> None:
    assert amounts(text) == strengths


@pytest.mark.parametrize("text", [
    "It was the most important vote of the year.",  # a superlative
    "He won the most votes.",
    "Some 300 people came.",  # "about 300": the numbers check's
    "At most five people came.",
    "As many as 50 people came.",
    "After all, he won.",
    "It is not at all clear.",
    "They love each other.",
    "It was an all-time high.",
    "The talks will resume within the next few days.",  # "the next few" is "a few", not "few"
    "We waited for some time.",
    "It could be caused by stress or some other factor.",
    "The food makes it all worth it.",
    "I could talk all afternoon about the bassists I love.",  # a duration
    "Abies lasiocarpa, commonly called the subalpine fir, is a fir tree.",
])
def test_words_that_quantify_nothing_are_not_read(text: str) -> None:
    assert amounts(text) == set()


@pytest.mark.parametrize("source, candidate", [
    ("All the students passed the exam.", "Most of the students passed the exam."),
    ("Some conservative groups have opposed such programs.", "Many conservatives have opposed such programs."),
    ("She rarely drives to work.", "She often drives to work."),
    ("Critics often call the film too long.", "Critics usually call the film too long."),
    ("Costume designer Salvador Perez is responsible for all the outfits worn by Kaling.",
     "Salvador Perez is the designer responsible for most of the costumes worn by Kaling."),  # student v2's card
])
def test_another_strength_is_a_violation(source: str, candidate: str) -> None:
    reasons = [v.reason for v in SourceFacts(source).check(candidate)]
    assert any(r.startswith("amount changed") for r in reasons), reasons


@pytest.mark.parametrize("source, candidate", [
    ("All the students passed the exam.", "Every student passed the exam."),
    ("Many analysts expect a cut.", "Numerous analysts expect a cut."),
    ("Several firms closed their plants.", "A number of firms closed their plants."),
    ("She usually drives to work.", "She drives to work most of the time."),
    ("She often drives to work.", "She drives to work frequently."),
    ("Most analysts expect a cut.", "Analysts expect a cut."),  # dropped: vaguer, not false
    ("Analysts expect a cut.", "Many analysts expect a cut."),  # the source gave no amount
    # another noun's amount beside the source's, kept (an MRPC paraphrase)
    ("In interviews with engineers, most of whom have not spoken publicly, the discord is evident.",
     "In interviews with numerous engineers, most of whom have not spoken publicly, the discord is evident."),
])
def test_the_same_strength_or_none_passes(source: str, candidate: str) -> None:
    assert changed_amounts(amounts(source), candidate) is None
    assert not [v for v in SourceFacts(source).check(candidate) if v.reason.startswith("amount changed")]


@pytest.mark.parametrize("source, candidate", [
    # student v2 on held-out news: a frequency turned round by a negative verb is the same claim
    ("Battlefield achievements are rarely singled out for praise.", "Battlefield achievements are often overlooked."),
    ("It is only rarely analysed from the economic viewpoint.", "It is usually not analysed from that viewpoint."),
    ("Most often, Czechs spent their holiday at home.", "Czechs typically spent their holidays at home."),
])
def test_a_frequency_said_another_way_passes(source: str, candidate: str) -> None:
    assert changed_amounts(amounts(source), candidate) is None


@pytest.mark.parametrize("source, candidate, said, written", [
    # student v2 on held-out dev, passed by every check
    ("great pizza some of the best in vegas always have great beer specials",
     "The pizza is exceptional, and the best in Vegas.", "some of the best", "the best"),
    ("Djibouti, one of the hottest places on earth, bored me.", "Djibouti, the hottest place on earth, bored me.",
     "one of the hottest", "the hottest"),
    # an MRPC "paraphrase" that made a member of the group the top
    ("Among the most recent additions is Yandarbiev.", "The most recent addition is Yandarbiev.",
     "Among the most recent", "The most recent"),
])
def test_one_of_the_top_made_the_top_is_a_change(source: str, candidate: str, said: str, written: str) -> None:
    assert made_the_top(top_groups(source), candidate) == (said, written)
    assert f"amount changed: {said} -> {written}" in [v.reason for v in SourceFacts(source).check(candidate)]


@pytest.mark.parametrize("source, candidate", [
    ("Djibouti, one of the hottest places on earth, bored me.", "Djibouti, among the hottest places on earth, bored me."),
    ("He is one of the best players.", "He is a great player."),  # the claim left out, not changed
    ("He is one of the best players.", "He ranks among the best players."),
    ("It is one of the latest models.", "It is the latest model."),  # "latest" is no rank
    ("She is one of their most popular singers.", "She is one of the most popular singers they have."),
])
def test_the_top_group_kept_or_left_out_passes(source: str, candidate: str) -> None:
    assert made_the_top(top_groups(source), candidate) is None


@pytest.mark.parametrize(("source", "candidate", "made"), [
    ("Not every bank will survive the crisis.", "No bank will survive the crisis.", True),   # passed at 0.57
    ("Not all of the claims were checked.", "None of the claims were checked.", True),
    ("Not every bank will survive the crisis.", "Some banks will not survive the crisis.", False),
    ("Not every bank will survive the crisis.", "Not all banks will make it through the crisis.", False),
    ("No bank will survive the crisis.", "Not a single bank will survive.", False),     # no "not every" to keep
])
def test_some_not_is_not_made_none(source: str, candidate: str, made: bool) -> None:
    assert bool(made_none(source, candidate)) is made
