"""Pairs that reorder the same words, and the order companion that judges them.

The gate (:mod:`models.word_order`) is checked on sentences; the companion's loading and
hand-over on copies of the tiny random scorer bundle (``tests/tiny_scorer.py``) put where the
catalog's two names are, the companion's calibration shifted so its probabilities differ
visibly from the meaning scorer's.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np
import pytest

from models.scorer import MeaningScorer
from models.scorer_bundle import ScorerBundleError
from models.scorer_recipes import DEFAULT_SCORER, ORDER_SCORER, ORDER_SCORER_ENV, get_scorer, order_scorer_for
from models.word_order import common_subsequence, is_reordering, reorder_measure, words

# (source, candidate, reordering?)
GATE_CASES = [
    ("The union sued the city in 2019.", "The city sued the union in 2019.", True),  # roles swapped
    ("In 2019 the union sued the city.", "The union sued the city in 2019.", True),  # a phrase moved, same meaning
    ("The union sued the city in 2019.", "The union sued the town in 2019.", False),  # one word replaced in place
    ("The union sued the city in 2019.", "The union sued the city in 2019.", False),  # itself
    ("The union sued the city in 2019.", "Workers took legal action against the council.", False),  # new words
    ("Anna sent the report to Mark on Tuesday.", "Mark sent the report to Anna on Tuesday.", True),
    ("Prices rose by 3.2 percent in October.", "In October, prices went up 3.2 percent.", False),  # Dice < 0.8
    ("", "The city sued the union.", False),
    ("...", "!!!", False),
]


@pytest.mark.parametrize(("source", "candidate", "expected"), GATE_CASES)
def test_the_gate_takes_pairs_that_move_the_same_words(source: str, candidate: str, expected: bool) -> None:
    assert is_reordering(source, candidate) is expected


def test_the_reorder_measure_counts_shared_words_out_of_their_order() -> None:
    assert words("The City's 2 parks, re-opened!") == ["the", "city", "s", "2", "parks", "re", "opened"]
    assert common_subsequence("a b c d".split(), "b a c d".split()) == 3
    assert common_subsequence([], "a b".split()) == 0
    share, moved = reorder_measure("Anna sent the report to Mark.", "Mark sent the report to Anna.")
    assert share == 1.0 and moved == 2  # every word shared; Anna and Mark left the common run
    assert reorder_measure("a b c", "x y z") == (0.0, 0)


# -- the companion --------------------------------------------------------------------------

PAIRS = [
    ("The union sued the city in 2019.", "The city sued the union in 2019."),
    ("The union sued the city in 2019.", "The union sued the town in 2019."),
    ("Anna sent the report to Mark on Tuesday.", "Mark sent the report to Anna on Tuesday."),
    ("He left.", "She stayed at home all evening because she was tired."),
]
REORDERED = [0, 2]
KEPT = [1, 3]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201 - tiny_scorer.TinyScorer
    from tiny_scorer import tiny_scorer

    return tiny_scorer(tmp_path_factory)


@pytest.fixture()
def pair_of_bundles(tiny, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:  # noqa: ANN001
    """The tiny bundle as the default scorer and, with its calibration's bias raised by 3, as
    its order companion, in a bundles folder of their own."""
    from tiny_scorer import copy_bundle

    monkeypatch.delenv(ORDER_SCORER_ENV, raising=False)
    root = tmp_path / "bundles"
    copy_bundle(tiny.bundle, root / "x").rename(root / DEFAULT_SCORER)
    order = copy_bundle(tiny.bundle, root / "y").rename(root / ORDER_SCORER)
    manifest = json.loads((order / "manifest.json").read_text(encoding="utf-8"))
    manifest["calibration"]["bias"] += 3.0
    (order / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return root


def split(pairs: list[tuple[str, str]]) -> tuple[list[str], list[str]]:
    return [s for s, _ in pairs], [c for _, c in pairs]


def test_the_catalog_pairs_the_default_scorer_with_the_order_scorer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ORDER_SCORER_ENV, raising=False)
    assert get_scorer(DEFAULT_SCORER).order_scorer == ORDER_SCORER
    assert order_scorer_for(Path("anywhere") / DEFAULT_SCORER) == ORDER_SCORER
    assert order_scorer_for(Path(ORDER_SCORER)) is None  # the companion has none of its own
    assert order_scorer_for(Path("my-scorer")) is None  # a folder outside the catalog
    monkeypatch.setenv(ORDER_SCORER_ENV, "none")
    assert order_scorer_for(Path(DEFAULT_SCORER)) is None


def test_reordered_pairs_get_the_companions_probability(pair_of_bundles: Path) -> None:
    assert [is_reordering(s, c) for s, c in PAIRS] == [i in REORDERED for i in range(len(PAIRS))]
    scorer = MeaningScorer.load(pair_of_bundles / DEFAULT_SCORER, threads=1)
    assert scorer.order is not None and scorer.order.folder.name == ORDER_SCORER
    alone = MeaningScorer(scorer.folder, scorer.manifest, threads=1)  # the same bundle without a companion
    order = MeaningScorer.load(pair_of_bundles / ORDER_SCORER, threads=1)
    assert order.order is None
    sources, candidates = split(PAIRS)
    scores, meaning = scorer.score(sources, candidates), alone.score(sources, candidates)
    # each model scores its rows as one batch of their own (int8 activation scales are per batch)
    kept = alone.score([sources[i] for i in KEPT], [candidates[i] for i in KEPT])
    reordered = order.score([sources[i] for i in REORDERED], [candidates[i] for i in REORDERED])
    np.testing.assert_allclose(scores[KEPT], kept, atol=1e-7)
    np.testing.assert_allclose(scores[REORDERED], reordered, atol=1e-7)
    assert np.all(reordered > meaning[REORDERED])  # its raised bias shows: the hand-over happened
    own = scorer.score(sources, sources)  # a source against itself moves nothing: the meaning scorer's
    np.testing.assert_allclose(own, alone.score(sources, sources), atol=1e-7)


def test_switched_off_the_meaning_scorer_judges_every_pair(pair_of_bundles: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ORDER_SCORER_ENV, "none")
    scorer = MeaningScorer.load(pair_of_bundles / DEFAULT_SCORER, threads=1)
    assert scorer.order is None
    alone = MeaningScorer(scorer.folder, scorer.manifest, threads=1)
    np.testing.assert_allclose(scorer.score(*split(PAIRS)), alone.score(*split(PAIRS)), atol=1e-7)


def test_a_companion_that_is_not_built_is_left_out_with_a_log_line(pair_of_bundles: Path,
                                                                  caplog: pytest.LogCaptureFixture) -> None:
    import shutil

    shutil.rmtree(pair_of_bundles / ORDER_SCORER)  # the installer's case: it does not ship the companion
    with caplog.at_level(logging.INFO, logger="models.scorer"):
        scorer = MeaningScorer.load(pair_of_bundles / DEFAULT_SCORER, threads=1)
    assert scorer.order is None
    assert f"order scorer {ORDER_SCORER} is not built" in caplog.text
    assert scorer.score(*split(PAIRS)).shape == (len(PAIRS),)


def test_the_variable_can_name_another_companion_by_name_or_folder(pair_of_bundles: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    other = pair_of_bundles / "order-candidate"
    shutil.copytree(pair_of_bundles / ORDER_SCORER, other)
    monkeypatch.setenv(ORDER_SCORER_ENV, "order-candidate")
    assert order_scorer_for(pair_of_bundles / DEFAULT_SCORER) == "order-candidate"
    scorer = MeaningScorer.load(pair_of_bundles / DEFAULT_SCORER, threads=1)
    assert scorer.order is not None and scorer.order.folder == other
    elsewhere = shutil.move(other, pair_of_bundles.parent / "elsewhere")
    monkeypatch.setenv(ORDER_SCORER_ENV, str(elsewhere))
    scorer = MeaningScorer.load(pair_of_bundles / DEFAULT_SCORER, threads=1)
    assert scorer.order is not None and scorer.order.folder == Path(elsewhere)
    alone = MeaningScorer(scorer.folder, scorer.manifest, threads=1)
    sources, candidates = split(PAIRS)
    assert np.all(scorer.score(sources, candidates)[REORDERED] > alone.score(sources, candidates)[REORDERED])


def test_a_named_companion_that_is_missing_is_an_error_not_a_quiet_fallback(pair_of_bundles: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ORDER_SCORER_ENV, "order-typo")
    with pytest.raises(ScorerBundleError, match=f"order-typo.*{ORDER_SCORER_ENV}"):
        MeaningScorer.load(pair_of_bundles / DEFAULT_SCORER, threads=1)


def test_a_damaged_companion_is_an_error_that_names_it(pair_of_bundles: Path) -> None:
    model = pair_of_bundles / ORDER_SCORER / "model.onnx"
    model.write_bytes(model.read_bytes()[:1000])
    with pytest.raises(ScorerBundleError, match=ORDER_SCORER):
        MeaningScorer.load(pair_of_bundles / DEFAULT_SCORER, threads=1)
