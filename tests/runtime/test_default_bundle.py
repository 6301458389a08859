"""The real default bundle, as the README set-up builds it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from models import Paraphraser
from models.dedupe import similarity
from models.paraphraser import ParaphraseResult

SENTENCES = [
    "The museum was closed for renovations, so we visited the park instead.",
    "Our team will present the results at the conference next spring.",
    "She forgot her umbrella and got soaked on the way home.",
]


def test_manifest_passes_its_own_parity_gate(default_bundle: Path) -> None:
    manifest = json.loads((default_bundle / "manifest.json").read_text())
    parity = manifest["parity"]
    assert parity["prompts"] >= 16
    assert parity["next_token_agreement"] >= parity["threshold"] >= 0.9
    assert manifest["base_model"]["name"] == "SmolLM2-135M-Instruct"


@pytest.mark.parametrize("sentence", SENTENCES)
def test_five_distinct_candidates_that_are_not_copies(default_paraphraser: Paraphraser, sentence: str) -> None:
    result = default_paraphraser.paraphrase(sentence, n=5, seed=7)
    texts = [c.text for c in result.candidates]
    assert len(texts) == 5
    assert len({t.casefold() for t in texts}) == 5
    assert all(similarity(t, sentence) < 0.9 for t in texts)
    assert all("\n" not in t and t.strip() == t for t in texts)


def test_multi_sentence_text_is_paraphrased_sentence_by_sentence(default_paraphraser: Paraphraser) -> None:
    text = "The train was late. We missed the first act of the play.\nNobody minded."
    result = default_paraphraser.paraphrase(text, n=2, seed=3)
    assert len(result.candidates) == 2
    assert all(c.text.count("\n") == 1 for c in result.candidates)


def _lexical_diversity(result: ParaphraseResult) -> float:
    return sum(1 - similarity(c.text, result.input) for c in result.candidates) / len(result.candidates)


def test_diversity_setting_measurably_changes_lexical_diversity(default_paraphraser: Paraphraser) -> None:
    faithful = [_lexical_diversity(default_paraphraser.paraphrase(s, n=5, diversity=0.0, seed=s_i))
                for s_i, s in enumerate(SENTENCES)]
    creative = [_lexical_diversity(default_paraphraser.paraphrase(s, n=5, diversity=1.0, seed=s_i))
                for s_i, s in enumerate(SENTENCES)]
    assert sum(creative) / len(creative) > sum(faithful) / len(faithful) + 0.05
