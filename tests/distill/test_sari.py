"""SARI: the 13a tokenizer, hand-computed scores, and values EASSE itself gives.

The pinned values were computed with EASSE's ``easse.sari.corpus_sari`` (feralvam/easse at
6a4352e, defaults: lowercase, ``13a``, non-legacy) and sacreBLEU's ``Tokenizer13a``; the same
EASSE code reproduces its own test values on TurkCorpus (legacy Dress-Ls 37.266058818588216).
"""

from __future__ import annotations

import pytest

from distill import sari

# The example of Xu et al. (2016) / EASSE's sentence test.
SOURCE = "About 95 species are currently accepted ."
REFERENCES = ["About 95 species are currently known .", "About 95 species are now accepted .",
              "95 species are now accepted ."]


def test_13a_tokenizer_matches_sacrebleu() -> None:
    # Outputs of sacrebleu.tokenizers.tokenizer_13a.Tokenizer13a on the same lines.
    assert " ".join(sari.tokenize_13a("The U.S. economy grew 1,000.5% in 2024-05.")) == \
        "The U . S . economy grew 1,000.5 % in 2024 - 05 ."
    assert " ".join(sari.tokenize_13a("He said \"no\" (twice) & left: it's A/B $4.3m.")) == \
        "He said \" no \" ( twice ) & left : it's A / B $ 4.3m ."
    assert " ".join(sari.tokenize_13a("&quot;Hi&quot; &amp; bye-bye 3-4")) == "\" Hi \" & bye-bye 3 - 4"
    assert sari.normalize("Hello, World.") == ["hello", ",", "world", "."]
    assert sari.normalize("Hello", lowercase=False) == ["Hello"]


def test_hand_computed_two_word_sentence() -> None:
    # 1-grams: add {c} right (F1 1), keep {a} right (1), delete {b} right (1).
    # 2-grams: add (a c) right (1), nothing kept (0), delete (a b) right (1).
    # 3- and 4-grams: none at all, so every F1 is 0 (EASSE averages over the 4 orders anyway).
    score = sari.corpus_sari(["a b"], ["a c"], [["a c"]])
    assert score.add == pytest.approx(100 * (1 + 1) / 4)
    assert score.keep == pytest.approx(100 * 1 / 4)
    assert score.delete == pytest.approx(100 * (1 + 1) / 4)
    assert score.sari == pytest.approx((50 + 25 + 50) / 3)
    assert score.sentences == 1


def test_hand_computed_reference_weighting() -> None:
    # Source "x y", references "x" and "x y", output "x". Source counts weigh x2 (two references).
    # 1-grams: kept x: 2 correct of 2 kept, of 2 + 1 the references kept -> P 1, R 2/3, F1 0.8;
    #          deleted y: weight 2, the references deleted 1 of it -> P 1/2, R 1, F1 2/3; nothing added.
    # 2-grams: (x y) deleted, weight 2, the references deleted 1 -> F1 2/3; nothing kept or added.
    score = sari.corpus_sari(["x y"], ["x"], [["x", "x y"]])
    assert score.add == 0.0
    assert score.keep == pytest.approx(100 * 0.8 / 4)
    assert score.delete == pytest.approx(100 * (2 / 3 + 2 / 3) / 4)
    assert score.sari == pytest.approx((0 + 20 + 100 / 3) / 3)


@pytest.mark.parametrize(("output", "expected"), [
    ("About 95 you now get in .", 31.350246975246975),
    ("About 95 species are now agreed .", 63.23743386243385),
    ("About 95 species are currently agreed .", 46.72930933800499),
    (SOURCE, 21.873217526575058),                        # copying the source
    (REFERENCES[1], 76.96351152872892),                  # a reference as the output
])
def test_matches_easse_corpus_sari(output: str, expected: float) -> None:
    assert sari.corpus_sari([SOURCE], [output], [REFERENCES]).sari == pytest.approx(expected, abs=1e-9)


def test_easse_operation_scores() -> None:
    # easse.sari.get_corpus_sari_operation_scores: (add, keep, delete).
    score = sari.corpus_sari([SOURCE], ["About 95 species are now agreed ."], [REFERENCES])
    assert (score.add, score.keep, score.delete) == pytest.approx((32.142857142857146, 79.375, 78.19444444444444))


def test_case_and_tokenization_do_not_count() -> None:
    plain = sari.corpus_sari([SOURCE], ["About 95 species are now agreed ."], [REFERENCES]).sari
    typed = sari.corpus_sari(["About 95 species are currently accepted."], ["about 95 Species are now agreed."],
                             [[r.replace(" .", ".") for r in REFERENCES]]).sari
    assert typed == pytest.approx(plain)


def test_corpus_level_sums_counts_instead_of_averaging_sentences() -> None:
    sources = [SOURCE, "The cat sat on the mat near the old house ."]
    outputs = ["About 95 species are now accepted .", "The cat sat on the mat ."]
    references = [REFERENCES, ["The cat sat on the mat .", "A cat sat on the mat by the house ."]]
    stats = sari.SariStats()
    for s, o, r in zip(sources, outputs, references):
        stats.add_sentence(sari.normalize(s), sari.normalize(o), [sari.normalize(x) for x in r])
    corpus = sari.corpus_sari(sources, outputs, references)
    assert corpus.sari == pytest.approx(sari.score(stats).sari)
    mean = sum(sari.corpus_sari([s], [o], [r]).sari for s, o, r in zip(sources, outputs, references)) / 2
    assert corpus.sari != pytest.approx(mean)
    assert corpus.sentences == 2


def test_copy_scores_low_and_references_high() -> None:
    sources = [SOURCE, "The committee postponed the vote because several members were absent ."]
    references = [REFERENCES, ["The vote was delayed because some members were missing .",
                               "The committee delayed the vote as members were away .",
                               "The vote was put off because members were absent ."]]
    copy = sari.corpus_sari(sources, sources, references)
    best = sari.corpus_sari(sources, [refs[1] for refs in references], references)
    assert copy.add == 0.0 and copy.delete == 0.0       # a copy adds and deletes nothing
    assert copy.sari < 30 < best.sari


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="one output"):
        sari.corpus_sari([SOURCE], [], [REFERENCES])
    with pytest.raises(ValueError, match="at least one reference"):
        sari.corpus_sari([SOURCE], [SOURCE], [[]])
