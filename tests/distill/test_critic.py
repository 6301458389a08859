"""Each critic rule removes what it should, and only that."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from distill.critic import (RULES, CriticThresholds, filter_pairs, lexical_diversity, ngram_overlap,
                            words)
from distill.pairs import Pair

GOOD = Pair("the cat sat on the mat near the house", "Near the house, a cat was sitting on a rug.",
            "g1", "seed", "gpt-3.5", "kinit_llm_vs_aug", "seed")


def pair(source: str, target: str, group: str = "g1") -> Pair:
    return Pair(source, target, group, "para", "gpt-3.5", "kinit_llm_vs_aug", "gpt-3.5")


def run(pairs: list[Pair], adequacy=None, **overrides):  # noqa: ANN001, ANN202
    return filter_pairs(pairs, CriticThresholds(**overrides), adequacy)


@pytest.mark.parametrize("bad, rule", [
    (pair("the cat sat", "!"), "empty"),
    (pair("the cat sat on the mat", "The cat sat on the mat."), "copy"),
    (pair("the cat sat on the mat near the house", "A cat."), "length_ratio"),
    (pair("the cat sat", "In the morning, after a long and tiring day, the cat finally sat down."), "length_ratio"),
    (pair("the cat sat on the mat near the house today", "The cat sat on the mat near the home today."),
     "low_diversity"),
    (pair("the cat sat on the mat", "Stock markets fell sharply overnight."), "low_diversity"),
])
def test_cheap_rules(bad: Pair, rule: str) -> None:
    kept, report = run([GOOD, bad])
    assert kept == [GOOD]
    assert report.removed[rule] == 1 and sum(report.removed.values()) == 1
    assert report.as_dict()["removed"].keys() == set(RULES)


def test_adequacy_rule_uses_the_scores() -> None:
    drift = pair("the cat sat on the mat near the house", "Near a big house, dogs were running happily.")

    def fake(sources: Sequence[str], targets: Sequence[str]) -> np.ndarray:
        return np.array([0.2 if "dogs" in t else 0.9 for t in targets])

    kept, report = run([GOOD, drift], adequacy=fake)
    assert kept == [GOOD]
    assert report.removed["adequacy"] == 1
    assert set(report.adequacy_quantiles) == {"p5", "p25", "p50", "p75", "p95"}


def test_near_duplicates_only_within_a_group() -> None:
    twin = pair("a cat sat on a mat by the house", "Near the house, a cat was sitting on the rug.")
    other_group = pair("a cat sat on a mat by the house", "Near the house, a cat was sitting on the rug.", "g2")
    kept, report = run([GOOD, twin, other_group])
    assert kept == [GOOD, other_group]
    assert report.removed["near_duplicate"] == 1


def test_report_adds_up_and_keeps_order() -> None:
    pairs = [GOOD, pair("x y", "x y"), pair("the dog ran home", "Home is where the dog went running.", "g3")]
    kept, report = run(pairs)
    assert report.total == 3 and report.kept == len(kept) == 2
    assert report.total == report.kept + sum(report.removed.values())
    assert kept == [pairs[0], pairs[2]]


def test_overlap_measures() -> None:
    assert ngram_overlap(words("a b c d"), words("a b c d")) == 1.0
    assert ngram_overlap(words("a b c d"), words("e f g h")) == 0.0
    assert 0.0 < lexical_diversity("the cat sat on the mat", "the cat was sitting on a rug") < 1.0
    assert words("It's the Cat's mat!") == ["its", "the", "cats", "mat"]


def test_the_sense_rule_drops_targets_the_app_would_refuse_only_with_facts_on() -> None:
    asked = pair("Where did the museum move its famous old paintings last year?",
                 "The museum moved its famous old paintings to a new wing last year.")
    contrast = pair("The wings were crispy, however they were very skimpy on the sauce.",
                    "The chicken wings came out crunchy and were served with plenty of sauce on top.", "g2")
    turned = pair("The bill was defeated in the House by a wide bipartisan margin.",
                  "The House passed the bill by a broad margin supported by both parties.", "g3")
    caused = pair("In recent days, Italy's borrowing costs have soared and the prime ministers of Italy and Greece "
                  "have resigned.", "Italy's borrowing costs have soared, causing the prime ministers of Italy and "
                  "Greece to resign.", "g4")
    flat = pair("The section of the highway leading up to the lookout may be steeped in history.",
                "The stretch of road up to the lookout is steeped in history.", "g5")  # a kinit teacher pair
    everything = [GOOD, asked, contrast, turned, caused, flat]
    kept, report = filter_pairs(everything, CriticThresholds(min_diversity=0.0), facts=True)
    assert kept == [GOOD]
    assert report.removed["sense"] == 5 and report.removed["facts"] == 0
    kept, report = filter_pairs(everything, CriticThresholds(min_diversity=0.0))
    assert report.removed["sense"] == 0 and len(kept) == 6  # off with the facts rule


def test_details_rule_removes_targets_that_leave_words_out() -> None:
    from models.details import DetailMatcher

    alternatives = {"quietly": ["discreetly"], "famous": ["renowned"], "sold": ["auctioned off"]}
    missing = DetailMatcher(lambda word: alternatives.get(word, [])).missing
    source = "The museum quietly sold its famous paintings to pay the rising heating bills."
    kept_all = pair(source, "The museum discreetly auctioned off its renowned paintings to pay rising heating bills.")
    one_left = pair(source, "The museum discreetly auctioned off its renowned paintings to cover rising heating bills.", "g3")
    two_left = pair(source, "The museum auctioned off paintings to cover its heating bills.", "g2")
    kept, report = filter_pairs([kept_all, one_left, two_left], CriticThresholds(min_diversity=0.0), None,
                                missing=missing, max_missing_details=1)
    assert kept == [kept_all, one_left]
    assert report.removed["details"] == 1 and sum(report.removed.values()) == 1
    assert report.as_dict()["thresholds"]["max_missing_details"] == 1
    strict, strict_report = filter_pairs([kept_all, one_left], CriticThresholds(min_diversity=0.0), None,
                                         missing=missing, max_missing_details=0)
    assert strict == [kept_all] and strict_report.removed["details"] == 1
    # off unless asked for
    assert filter_pairs([two_left], CriticThresholds(min_diversity=0.0), None)[0] == [two_left]
