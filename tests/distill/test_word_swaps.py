"""PAWS-style swaps for the order scorer: kept-meaning reorders and broken ones, same words."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from distill import word_swaps
from distill.perturb import first_change
from models.word_order import is_reordering


def _same_words(a: str, b: str) -> bool:
    return Counter(a.lower().split()) == Counter(b.lower().split())


@pytest.mark.parametrize(("text", "expected"), [
    ("The lake is deeper than Lake Michigan and Lake Huron .",
     "The lake is deeper than Lake Huron and Lake Michigan ."),
    ("It is found in the coastal areas of Chile , Peru and Bolivia .",
     "It is found in the coastal areas of Chile , Bolivia and Peru ."),
    ("The line-up is focused on indie music and alternative music .",
     "The line-up is focused on alternative music and indie music ."),
    ("She sold apples, pears and plums at the market.", "She sold apples, plums and pears at the market."),
])
def test_conjuncts_trade_places(text: str, expected: str) -> None:
    assert word_swaps.swap_conjuncts(text, random.Random(0)) == expected


@pytest.mark.parametrize("text", [
    # a verb phrase after "to", a noun then a verb after a determiner, one name with "and" in it
    "The PKK began to establish bases and training camps in northern Iraq .",
    "He moved to New York City with his family and became the cantor of a synagogue .",
    "He was Professor of History and Professor of Government at Harvard .",
    "The show was renamed '' The Matt and Jo Show '' in 2004 .",
    "He and she went home early that night .",
])
def test_conjuncts_leave_what_is_not_a_list_alone(text: str) -> None:
    assert word_swaps.swap_conjuncts(text, random.Random(0)) is None


def test_a_leading_phrase_moves_to_the_end() -> None:
    rng = random.Random(0)
    assert (word_swaps.move_leading_phrase("In 1990 , he moved to Paris with his wife .", rng)
            == "He moved to Paris with his wife in 1990 .")
    assert (word_swaps.move_leading_phrase("After the war, the Smiths returned to their farm.", rng)
            == "The Smiths returned to their farm after the war.")
    # no comma close to the start, or a name that cannot take a capital back
    assert word_swaps.move_leading_phrase("In the long history of the town nothing happened at all .", rng) is None


@pytest.mark.parametrize(("edit", "text", "traded"), [
    ("names", "Iselin died in Falmouth and was buried in Vineyard Haven .", {"Falmouth", "Vineyard", "Haven"}),
    ("nouns", "The union sued the city over the contract .", {"union", "city", "contract"}),
    ("verbs", "The club was founded in 1901 and renamed in 1920 .", {"founded", "renamed"}),
])
def test_breaking_edits_trade_two_words_of_a_kind(edit: str, text: str, traded: set[str]) -> None:
    edited = word_swaps.BREAKING[edit](text, random.Random(1))
    assert edited is not None and edited != text and _same_words(text, edited)
    left = [w for w in text.split() if w in traded]
    assert [w for w in edited.split() if w in traded] != left  # the traded words changed order
    assert [w for w in edited.split() if w not in traded] == [w for w in text.split() if w not in traded]
    assert is_reordering(text, edited)


def test_listed_items_are_never_traded_as_a_broken_pair() -> None:
    rng = random.Random(0)
    # "Paris and London" is a list: swapping it keeps the meaning, so it is no negative
    assert word_swaps.swap_names("They toured Paris and London last year .", rng) is None
    assert word_swaps.swap_nouns("He fed the cat and the dog .", rng) is None


def test_untokenized_text_keeps_its_punctuation() -> None:
    rng = random.Random(0)
    edited = word_swaps.swap_names("Smith, the mayor, thanked Jones in Springfield.", rng)
    assert edited is not None and edited.endswith(".") and ", the mayor," in edited
    # text whose tokens would not join back the same is left alone rather than mangled
    assert word_swaps.swap_names('She said "Paris" to Jones .', rng) in (None, 'She said "Jones" to Paris .')


def test_first_change_over_the_swaps_is_deterministic() -> None:
    text = "In 1990 , Smith and Jones founded the firm in Boston and sold the shop in Denver ."
    first = [first_change(text, word_swaps.BREAKING, random.Random(s)) for s in range(10)]
    assert first == [first_change(text, word_swaps.BREAKING, random.Random(s)) for s in range(10)]
    assert all(result and _same_words(text, result[1]) for result in first)
