"""The phrase alternatives' held-out check: its WordNet reader and its word choice and figures."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from distill.phrase_eval import WordResult, content_spans, summary
from distill.wordnet import WordNet, WordNetMissing

# A WordNet in miniature, in the real files' format: offsets are byte positions in real
# WordNet but only keys to this reader. big/large share a synset; small is big's lexical
# antonym; "size" is one hypernym step above; "pull" shares a synset with "force", which is
# no antonym of "push" for it ("push" <-> "pull" is).
_INDEX_ADJ = """  1 licence header line
big a 1 1 ! 1 0 00000001
large a 1 0 1 0 00000001
small a 1 1 ! 1 0 00000002
"""
_DATA_ADJ = """  1 licence header line
00000001 00 a 02 big 0 large 0 002 ! 00000002 a 0101 @ 00000010 n 0000 | above average in size
00000002 00 a 01 small 0 001 ! 00000001 a 0101 | below average in size
"""
_INDEX_NOUN = """size n 1 0 1 0 00000010
"""
_DATA_NOUN = """00000010 00 n 01 size 0 000 | the physical magnitude
"""
_INDEX_VERB = """push v 1 1 ! 1 0 00000020
pull v 2 1 ! 2 0 00000021 00000022
force v 1 0 1 0 00000022
"""
_DATA_VERB = """00000020 00 v 01 push 0 001 ! 00000021 v 0101 | move away
00000021 00 v 01 pull 0 001 ! 00000020 v 0101 | move towards
00000022 00 v 02 force 0 pull 0 000 | move by force
"""


@pytest.fixture
def wordnet(tmp_path: Path) -> WordNet:
    for name, text in {"index.adj": _INDEX_ADJ, "data.adj": _DATA_ADJ, "index.noun": _INDEX_NOUN,
                       "data.noun": _DATA_NOUN, "index.verb": _INDEX_VERB, "data.verb": _DATA_VERB,
                       "index.adv": "", "data.adv": "", "verb.exc": "forced force\n"}.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return WordNet(tmp_path)


def test_synonyms_and_one_step_are_related(wordnet: WordNet) -> None:
    assert wordnet.related("big", "large")
    assert wordnet.related("big", "size") and wordnet.related("size", "large")
    assert not wordnet.related("big", "small")  # an antonym is no relation here
    assert not wordnet.related("big", "unknownword")


def test_morphy_finds_base_forms(wordnet: WordNet) -> None:
    assert ("push", "v") in wordnet.base_forms("pushed")
    assert ("force", "v") in wordnet.base_forms("forced")  # the exception list
    assert ("small", "a") in wordnet.base_forms("smaller")
    assert wordnet.related("pushing", "push")


def test_antonyms_are_lexical(wordnet: WordNet) -> None:
    assert wordnet.antonyms("big", "small") and wordnet.antonyms("small", "big")
    assert wordnet.antonyms("pushed", "pulling")
    assert not wordnet.antonyms("forced", "pushed")  # "force" shares a synset with "pull", not its antonymy
    assert not wordnet.antonyms("large", "small")  # only "big" is "small"'s direct antonym


def test_missing_dictionary_says_what_to_install(tmp_path: Path) -> None:
    with pytest.raises(WordNetMissing, match="wordnet-base"):
        WordNet(tmp_path)


def test_content_words_skip_names_short_and_function_words() -> None:
    sentence = "The Mayor of Boston said that the council would approve new housing plans quickly."
    spans = content_spans(sentence, random.Random(0), limit=10)
    chosen = [sentence[s:e] for s, e in spans]
    assert set(chosen) <= {"said", "council", "would", "approve", "housing", "plans", "quickly"}
    assert {"council", "approve", "housing", "plans", "quickly"} <= set(chosen)
    assert "Mayor" not in chosen and "Boston" not in chosen and "new" not in chosen and "that" not in chosen
    assert all(len(word) >= 4 and word.islower() for word in chosen)
    assert len(content_spans(sentence, random.Random(0))) == 3


def test_summary_counts_the_issue_figures() -> None:
    covered = WordResult("s", 0, 1, "big", ["large", "huge", "vast"], 10.0, ["large", "huge", "vast"],
                         [True, True, False], [False, False, False], [0.9, 0.95, 0.8])
    short = WordResult("s", 0, 1, "park", ["garden"], 30.0, ["garden"], [False], [False], [0.9])
    empty = WordResult("s", 0, 1, "gasduct", [], 20.0)
    figures = summary([covered, short, empty])
    assert figures["words"] == 3
    assert figures["covered_pct"] == pytest.approx(33.3)
    assert figures["none_pct"] == pytest.approx(33.3)
    assert figures["wordnet_related_pct"] == 50.0
    assert figures["antonyms_pct"] == 0.0
    assert figures["close_pct"] == 75.0
    assert figures["p50_ms"] == 20.0
