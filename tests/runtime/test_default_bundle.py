"""The real default bundle, as the README set-up builds it.

The default is student v2 (``models.catalog.DEFAULT_BUNDLE``). It copies short, plain
sentences more often than v1, and the runtime drops copies; a later round after copies
samples further from the source (``models.paraphraser.RETRY_WARMER``). Without that round
the short-sentence and Faithful cases below failed with v2 ("The last line is here.": 0 of
40 candidates over seeds 0-7 at n=5; the museum sentence at Faithful: 0 of 5, every row a
copy), so they guard it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from models import Paraphraser
from models.connectives import dropped_link
from models.dedupe import similarity
from models.paraphraser import ParaphraseResult

MUSEUM = "The museum was closed for renovations, so we visited the park instead."
SENTENCES = [
    MUSEUM,
    "Our team will present the results at the conference next spring.",
    "She forgot her umbrella and got soaked on the way home.",
]
#: Short sentences a writer types (the CLI contract tests used them as ordinary input).
SHORT = ["The river was frozen.", "The last line is here."]


def test_manifest_passes_its_own_parity_gate(default_bundle: Path) -> None:
    manifest = json.loads((default_bundle / "manifest.json").read_text())
    parity = manifest["parity"]
    assert parity["prompts"] >= 16
    assert parity["next_token_agreement"] >= parity["threshold"] >= 0.9
    assert manifest["base_model"]["name"] == "SmolLM2-135M-Instruct"


@pytest.fixture(scope="module")
def five_each(default_paraphraser: Paraphraser) -> dict[str, ParaphraseResult]:
    """Five candidates asked for each sentence, seed 7, once for the tests below."""
    return {s: default_paraphraser.paraphrase(s, n=5, seed=7) for s in SENTENCES}


@pytest.mark.parametrize("sentence", SENTENCES)
def test_candidates_are_distinct_clean_and_not_copies(five_each: dict[str, ParaphraseResult], sentence: str) -> None:
    texts = [c.text for c in five_each[sentence].candidates]
    assert texts, "no candidate at all"
    assert len({t.casefold() for t in texts}) == len(texts)
    assert all(similarity(t, sentence) < 0.9 for t in texts)
    assert all("\n" not in t and t.strip() == t for t in texts)


@pytest.mark.parametrize("sentence", [
    *SENTENCES,  # the museum one: 4 of 5 at seed 7 before the later round after copies
])
def test_five_candidates_for_an_ordinary_sentence(five_each: dict[str, ParaphraseResult], sentence: str) -> None:
    assert len(five_each[sentence].candidates) == 5


@pytest.mark.parametrize("sentence", SHORT)
def test_a_short_plain_sentence_gets_a_paraphrase(default_paraphraser: Paraphraser, sentence: str) -> None:
    assert len(default_paraphraser.paraphrase(sentence, n=1, seed=1).candidates) == 1


def test_multi_sentence_text_is_paraphrased_sentence_by_sentence(default_paraphraser: Paraphraser) -> None:
    text = "The train was late. We missed the first act of the play.\nNobody minded."
    result = default_paraphraser.paraphrase(text, n=2, seed=3)
    assert len(result.candidates) == 2
    assert all(c.text.count("\n") == 1 for c in result.candidates)


@pytest.fixture(scope="module")
def slider_ends(default_paraphraser: Paraphraser) -> dict[float, list[ParaphraseResult]]:
    """Each sentence at Faithful (0) and Creative (1), five asked for, seed = its index."""
    return {d: [default_paraphraser.paraphrase(s, n=5, diversity=d, seed=i) for i, s in enumerate(SENTENCES)]
            for d in (0.0, 1.0)}


def _lexical_diversity(result: ParaphraseResult) -> float:
    """Mean 1 - similarity to the input over the result's candidates (it must have some)."""
    return sum(1 - similarity(c.text, result.input) for c in result.candidates) / len(result.candidates)


def _set_diversity(result: ParaphraseResult) -> float:
    """Mean 1 - similarity between the result's candidates, pair by pair (it must have two)."""
    texts = [c.text for c in result.candidates]
    pairs = [(a, b) for i, a in enumerate(texts) for b in texts[i + 1:]]
    return sum(1 - similarity(a, b) for a, b in pairs) / len(pairs)


def test_diversity_setting_measurably_changes_the_cards(
        default_paraphraser: Paraphraser, slider_ends: dict[float, list[ParaphraseResult]]) -> None:
    """Sentence by sentence and seed by seed (two seeds each), over the runs with candidates at
    both ends of the slider: Creative's cards differ more from one another, and not less from
    the source.

    Why these two and not "further from the source by 0.05" (the test until 2026-12-04): student
    v2's bundle moves the sampler only a fifth of the way right of the default
    (``creative_sampling_scale`` 0.2: at full speed most Creative cards dropped a detail), so
    what the slider changes most is how alike the cards are. Measured on an AVX2 host, six
    sentences, n=5 (``runs/s50/slider2.py``): distance from the source 0.300 -> 0.315 over three
    seeds, between the cards 0.372 -> 0.425 over two; the three sentences here with one seed gave
    0.421 -> 0.463 from the source on that host and more than 0.05 on an AVX-512 one.
    A sentence with none at one end is the next test's.
    """
    second = {d: [default_paraphraser.paraphrase(s, n=5, diversity=d, seed=i + 7) for i, s in enumerate(SENTENCES)]
              for d in (0.0, 1.0)}
    runs = [(faithful, creative) for ends in (slider_ends, second) for faithful, creative in zip(ends[0.0], ends[1.0])]
    both = [(f, c) for f, c in runs if len(f.candidates) >= 2 and len(c.candidates) >= 2]
    assert len(both) >= 4, f"only {len(both)} of {len(runs)} runs had two candidates at both ends"
    faithful_apart = sum(_set_diversity(f) for f, _ in both) / len(both)
    creative_apart = sum(_set_diversity(c) for _, c in both) / len(both)
    assert creative_apart > faithful_apart + 0.03
    faithful_from_source = sum(_lexical_diversity(f) for f, _ in both) / len(both)
    creative_from_source = sum(_lexical_diversity(c) for _, c in both) / len(both)
    assert creative_from_source >= faithful_from_source


@pytest.mark.parametrize("index", [0, 1, 2])
def test_faithful_still_gives_a_candidate(slider_ends: dict[float, list[ParaphraseResult]], index: int) -> None:
    result = slider_ends[0.0][index]
    assert result.candidates, result.note


def test_every_standard_candidate_keeps_the_link_to_the_sentence_before(default_paraphraser: Paraphraser) -> None:
    # The student drops "However," from 5 of 5 rows of this sentence at seed 1 (runs/s34): each is
    # given the writer's link back rather than refused, so the sentence still gets its cards.
    source = "However, scientists led by physicist Frank McDonald of the University of Maryland disagree."
    result = default_paraphraser.paraphrase(source, n=5, seed=1)
    assert len(result.candidates) >= 3
    assert all(dropped_link(source, c.text) == "" for c in result.candidates)
    assert any(c.text.startswith("However, ") for c in result.candidates)
