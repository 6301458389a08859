"""The sampler and the diversity mapping."""

from __future__ import annotations

import numpy as np
import pytest

from models.dedupe import is_copy, is_near_duplicate
from models.sampling import DecodingSettings, Sampler, _ngram_bans, settings_for_diversity


def test_diversity_mapping_is_monotonic_and_bounded() -> None:
    low, mid, high = (settings_for_diversity(d) for d in (0.0, 0.5, 1.0))
    assert low.temperature < mid.temperature < high.temperature
    assert low.top_p < mid.top_p < high.top_p
    assert low.top_k < mid.top_k < high.top_k
    assert low.copy_penalty == 0 < high.copy_penalty
    for bad in (-0.1, 1.5):
        with pytest.raises(ValueError):
            settings_for_diversity(bad)


def test_a_creative_scale_slows_only_the_right_of_the_default() -> None:
    for d in (0.0, 0.3, 0.5):
        assert settings_for_diversity(d, creative_scale=0.2) == settings_for_diversity(d)
    assert settings_for_diversity(1.0, creative_scale=0.2) == settings_for_diversity(0.6)
    assert settings_for_diversity(0.75, creative_scale=0.2) == settings_for_diversity(0.55)
    assert settings_for_diversity(1.0, creative_scale=7.0) == settings_for_diversity(1.0)  # clamped to [0, 1]
    assert settings_for_diversity(1.0, creative_scale=-1.0) == settings_for_diversity(0.5)
    gentle = [settings_for_diversity(d, creative_scale=0.2).temperature for d in (0.5, 0.75, 1.0)]
    assert gentle == sorted(gentle) and gentle[0] < gentle[2]  # still monotonic


def _settings(**overrides: float) -> DecodingSettings:
    base = dict(temperature=1.0, top_k=50, top_p=1.0, repetition_penalty=1.0, copy_penalty=0.0, no_repeat_ngram=0)
    base.update(overrides)
    return DecodingSettings(**base)  # type: ignore[arg-type]


def test_bundle_scale_switches_the_copy_penalty_off_but_keeps_the_slider() -> None:
    student = [settings_for_diversity(d, copy_penalty_scale=0.0) for d in (0.0, 0.5, 1.0)]
    base = [settings_for_diversity(d) for d in (0.0, 0.5, 1.0)]
    assert all(s.copy_penalty == 0.0 for s in student)
    assert base[2].copy_penalty == pytest.approx(1.5)
    assert [s.temperature for s in student] == [s.temperature for s in base]
    assert student[0].temperature < student[2].temperature


def test_top_k_one_is_greedy_and_scores_are_true_log_probs() -> None:
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(3, 1000)).astype(np.float32)
    tokens, scores = Sampler(_settings(top_k=1), rng).sample(logits, [[], [], []])
    assert tokens.tolist() == logits.argmax(axis=1).tolist()
    expected = logits[np.arange(3), tokens] - np.log(np.exp(logits).sum(axis=1))
    np.testing.assert_allclose(scores, expected, rtol=1e-5)


def test_top_p_never_samples_outside_the_nucleus() -> None:
    logits = np.full((1, 100), -10.0, dtype=np.float32)
    logits[0, [7, 8]] = [5.0, 4.9]
    sampler = Sampler(_settings(top_p=0.5), np.random.default_rng(1))
    picks = {int(sampler.sample(logits, [[]])[0][0]) for _ in range(50)}
    assert picks == {7}


def test_copy_penalty_lowers_source_tokens() -> None:
    logits = np.zeros((1, 10), dtype=np.float32)
    logits[0, 3] = 1.0
    sampler = Sampler(_settings(top_k=1, copy_penalty=2.0), np.random.default_rng(0), np.array([3]))
    assert int(sampler.sample(logits, [[]])[0][0]) != 3


def test_no_repeat_ngram_bans_the_token_that_would_repeat() -> None:
    assert _ngram_bans([1, 2, 3, 1, 2], 3) == [3]
    assert _ngram_bans([1, 2, 3], 3) == []
    logits = np.zeros((1, 10), dtype=np.float32)
    logits[0, 3] = 5.0
    sampler = Sampler(_settings(top_k=1, no_repeat_ngram=3), np.random.default_rng(0))
    assert int(sampler.sample(logits, [[1, 2, 3, 1, 2]])[0][0]) != 3


def test_exempt_tokens_may_repeat_an_ngram() -> None:
    """Digits are exempt: " 1 9 5 3" after " 1 9 5 2" repeats the trigram " 1 9" (one digit a token)."""
    logits = np.zeros((1, 10), dtype=np.float32)
    logits[0, 3] = 5.0
    history = [[1, 2, 3, 1, 2]]
    exempt = Sampler(_settings(top_k=1, no_repeat_ngram=3), np.random.default_rng(0), ngram_exempt_ids=np.array([3]))
    assert int(exempt.sample(logits, history)[0][0]) == 3
    other = Sampler(_settings(top_k=1, no_repeat_ngram=3), np.random.default_rng(0), ngram_exempt_ids=np.array([4]))
    assert int(other.sample(logits, history)[0][0]) != 3


def test_same_seed_same_samples() -> None:
    logits = np.random.default_rng(3).normal(size=(4, 500)).astype(np.float32)
    a = Sampler(settings_for_diversity(0.8), np.random.default_rng(42)).sample(logits, [[]] * 4)[0]
    b = Sampler(settings_for_diversity(0.8), np.random.default_rng(42)).sample(logits, [[]] * 4)[0]
    assert a.tolist() == b.tolist()


def test_copies_and_near_duplicates_ignore_case_and_punctuation() -> None:
    assert is_copy("the cat sat on the mat", "The cat sat on the mat.")
    assert not is_copy("A cat was sitting on the rug.", "The cat sat on the mat.")
    assert is_near_duplicate("It rained all day long!", ["it rained all day long", "something else"])
    assert not is_near_duplicate("It poured the whole day.", ["It rained all day long."])


def test_thresholded_top_k_equals_a_full_partition() -> None:
    """The sampler's fast top-k must pick exactly the k largest values, whatever the spread."""
    from models.sampling import _top_k_indices

    rng = np.random.default_rng(1)
    for trial in range(200):
        x = (rng.standard_normal((4, 3000)) * rng.uniform(0.1, 20)).astype(np.float32)
        if trial % 7 == 0:
            x[:, rng.integers(0, 3000, 2500)] = -np.inf  # banned tokens
        if trial % 11 == 0:
            x[0] = 1.0  # a flat row
        k = int(rng.integers(1, 80))
        got = np.sort(np.take_along_axis(x, _top_k_indices(x, k), axis=1), axis=1)
        want = np.sort(np.take_along_axis(x, np.argpartition(-x, k - 1, axis=1)[:, :k], axis=1), axis=1)
        assert np.array_equal(got, want), (trial, k)
