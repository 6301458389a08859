"""The meaning scorer in the candidate pipeline: the check, the confidence a candidate carries,
oversampling, the MMR ranking, the paraphraser's default scorer and the CLI's output.

A stand-in scorer (``scorer_stand_in.py``) stands for :class:`models.scorer.MeaningScorer`;
the runtime tests decode with the tiny exported model.
"""

from __future__ import annotations

import json
import logging
import zlib
from pathlib import Path

import numpy as np
import pytest
from scorer_stand_in import StandInScorer

from models import Paraphraser, confidence
from models.cli import _print_plain, json_line
from models.confidence import SCORER_ENV, default_scorer, doubt, percent
from models.batch_decode import MAX_EXTRA_ROUNDS
from models.paraphraser import LONG_SENTENCE_WORDS, ROUNDS_WITH_A_CARD, ParaphraseResult
from models.pipeline import (DEFAULT_OVERSAMPLE, ByConfidence, ByMeanLogProb, Candidate, CandidatePipeline,
                             KeepsMeaning, NonEmpty, Source, Verdict, default_pipeline)

SOURCE = Source("The train left without us.")


# -- the check and the pipeline ------------------------------------------------------------


def test_keeps_meaning_refuses_below_the_threshold_and_the_verdict_keeps_the_confidence() -> None:
    scorer = StandInScorer(threshold=0.5, per_text={"At the edge.": 0.5, "Just under.": 0.499})
    check = KeepsMeaning(scorer)
    assert check.name == "meaning" and check.threshold == 0.5
    assert check.accepts("We missed the train.", SOURCE, [])
    assert not check.accepts("We missed the marker.", SOURCE, [])
    assert check.accepts("At the edge.", SOURCE, []) and not check.accepts("Just under.", SOURCE, [])
    assert scorer.calls[0] == (["The train left without us."], ["We missed the train."])  # one pair, source first
    verdict = check.assess("We missed the marker.", SOURCE)
    assert verdict.refused_by is check and verdict.confidence == pytest.approx(0.1)
    assert KeepsMeaning(scorer, threshold=0.05).accepts("We missed the marker.", SOURCE, [])  # the evaluator's sweep


def test_the_default_pipeline_scores_last_and_only_with_a_scorer() -> None:
    alone = default_pipeline()
    assert [c.name for c in alone.checks] == ["empty", "copy", "prompt", "length", "facts", "question", "contrast", "cause",
                                              "link", "reversal", "negation", "certainty", "roles", "duplicate"]
    assert isinstance(alone.ranking, ByMeanLogProb) and alone.oversample == 0 and alone.scorer is None
    scorer = StandInScorer()
    scored = default_pipeline(scorer)
    assert [c.name for c in scored.checks] == ["empty", "copy", "prompt", "length", "facts", "question", "contrast", "cause",
                                               "link", "reversal", "negation", "certainty", "roles", "duplicate",
                                               "meaning"]
    assert isinstance(scored.ranking, ByConfidence) and scored.scorer is scorer
    assert scored.oversample == DEFAULT_OVERSAMPLE and default_pipeline(scorer, oversample=0).extra(5) == 0
    # cheap checks first: a copy or a fact lost never costs a scorer call
    assert scored.judge("The train left without us!", SOURCE, []).refused_by.name == "copy"  # type: ignore[union-attr]
    assert scored.judge("", SOURCE, []).refused_by.name == "empty"  # type: ignore[union-attr]
    assert scorer.calls == []
    accepted = scored.judge("We missed the train.", SOURCE, [])
    # the card names the one word it leaves without a counterpart ("missed" rewords "left without")
    assert (accepted.refused_by, accepted.confidence, accepted.reason) == (None, pytest.approx(0.9),
                                                                          "may leave out \u201cleft\u201d")
    refused = scored.judge("We missed the marker.", SOURCE, [])
    assert refused.refused_by is scored.checks[-1] and not refused.accepted
    assert scored.refusal("We missed the marker.", SOURCE, []) is scored.checks[-1]


def test_a_verdict_carries_the_reason_a_change_is_worth_checking_when_the_scorer_doubts_it() -> None:
    source = Source("We did not catch the train.")
    unsure = default_pipeline(StandInScorer(high=0.7)).judge("We failed to catch the train.", source, [])
    assert unsure.accepted and unsure.reason == "a negation may be missing"
    turned = default_pipeline(StandInScorer(high=0.7)).judge("We caught the train.", source, [])
    assert turned.refused_by is not None and turned.refused_by.name == "negation"  # refused, not just noted
    sure = default_pipeline(StandInScorer(high=0.95)).judge("We did not manage to catch the train.", source, [])
    assert sure.accepted and sure.confidence == pytest.approx(0.95) and sure.reason == ""  # no note on a sure card
    assert doubt("The game went ahead despite the rain.", "Despite the rain, the game went ahead.") == ""
    assert doubt("The game went ahead due to the rain.", "Despite the rain, the game went ahead.") \
        == "a contrast may have become a cause"
    assert doubt("She never called.", "She called.") == "a negation may have been added"
    assert doubt("He didn\u2019t go.", "He did not go.") == ""  # curly apostrophe, still a negation
    assert [percent(p) for p in (0.0, 0.004, 0.5, 0.874, 0.996, 1.0)] == ["1%", "1%", "50%", "87%", "99%", "99%"]


class RecalibratingScorer(StandInScorer):
    """A stand-in whose candidates are shown at a third of its pair probability."""

    def candidate_confidence(self, probabilities: np.ndarray, source_probabilities: object = None) -> np.ndarray:
        assert source_probabilities is None  # it does not ask for the source's own score
        return np.asarray(probabilities) / 3


class SourceWeighingScorer(StandInScorer):
    """A stand-in whose shown confidence also depends on the source scored against itself."""

    needs_source_score = True

    def candidate_confidence(self, probabilities: np.ndarray, source_probabilities: np.ndarray) -> np.ndarray:
        return np.asarray(probabilities) - np.asarray(source_probabilities) / 2


def test_the_threshold_and_the_reason_judge_the_pair_probability_the_card_shows_the_candidates() -> None:
    source = Source("We did not catch the train.")
    scorer = RecalibratingScorer(threshold=0.5, high=0.7, per_text={"We missed it.": 0.49})
    verdict = KeepsMeaning(scorer).assess("We caught the train.", source)
    assert verdict.accepted and verdict.confidence == pytest.approx(0.7 / 3)  # shown at 23 %, passed at 70 %
    assert verdict.reason == "a negation may be missing"  # the pair probability (0.7) is under EXPLAIN_BELOW
    refused = KeepsMeaning(scorer).assess("We missed it.", source)
    assert not refused.accepted and refused.confidence == pytest.approx(0.49 / 3)
    assert confidence.candidate_confidence(StandInScorer(), 0.42, "Any.") == 0.42  # no map: its own probability


def test_the_source_is_scored_against_itself_once_per_sentence() -> None:
    source = Source("The train left without us again.")
    scorer = SourceWeighingScorer(threshold=0.5, high=0.9, per_text={source.text: 0.6})
    check = KeepsMeaning(scorer)
    shown = [check.assess(text, source).confidence for text in ("We missed the train.", "The train went.")]
    assert shown == [pytest.approx(0.9 - 0.3)] * 2
    own = [call for call in scorer.calls if call == ([source.text], [source.text])]
    assert len(own) == 1  # remembered for the sentence's other rows


def test_oversample_is_a_share_of_n_rounded_up() -> None:
    pipeline = CandidatePipeline(oversample=0.4)
    assert [pipeline.extra(n) for n in (1, 2, 5, 10)] == [1, 1, 2, 4]
    assert CandidatePipeline(oversample=0.6).extra(5) == 3  # 0.6 * 5 is 3.0000000000000004 in floats
    assert CandidatePipeline().extra(5) == 0
    with pytest.raises(ValueError, match="oversample"):
        CandidatePipeline(oversample=-0.1)


# -- ranking -------------------------------------------------------------------------------


def test_by_confidence_spreads_near_identical_wordings_apart() -> None:
    a = Candidate("We missed the train this morning.", -1.2, confidence=0.95)
    b = Candidate("We missed the train this morning!", -0.3, confidence=0.93)  # a's words again
    c = Candidate("The train went off without us.", -0.9, confidence=0.85)
    ranked = ByConfidence().rank([b, a, c], SOURCE)
    assert ranked == [a, c, b]  # c beats b for second place: 0.7*0.85 > 0.7*0.93 - 0.3*1.0
    assert ByConfidence(lam=1.0).rank([b, a, c], SOURCE) == [a, b, c]  # confidence alone
    tie = [Candidate("One way.", -1.0, confidence=0.8), Candidate("Another road.", -0.5, confidence=0.8)]
    assert ByConfidence().rank(tie, SOURCE) == tie  # ties keep finishing order
    # no confidence (no scorer): the model's own score, as before
    plain = [Candidate("a b", -1.0), Candidate("c d", -0.2)]
    assert [x.text for x in ByConfidence().rank(plain, SOURCE)] == ["c d", "a b"]
    assert ByConfidence().rank([], SOURCE) == []


# -- the result and the CLI ----------------------------------------------------------------


def test_json_gives_each_paraphrase_its_confidence_or_null_and_its_reason_where_known() -> None:
    result = ParaphraseResult("x", [Candidate("y", -0.51234, confidence=0.87654, reason="may leave out \u201cw\u201d"),
                                    Candidate("z", -1.0)], "m", 1.0, requested=2)
    paraphrases = json.loads(json_line(result.to_json()))["paraphrases"]
    assert paraphrases == [{"text": "y", "score": -0.5123, "confidence": 0.877, "reason": "may leave out \u201cw\u201d"},
                           {"text": "z", "score": -1.0, "confidence": None}]


def test_a_short_result_names_the_meaning_check_when_it_refused_most() -> None:
    def note(**stats: int) -> str | None:
        return ParaphraseResult("x", [Candidate("c", -1.0)], "m", 1.0, stats=stats, requested=5).note

    assert note(rejected_meaning=4, rejected_facts=0) == "1 of 5 paraphrases: the other samples did not keep " \
        "the meaning closely enough"
    assert "protected fact" in (note(rejected_meaning=2, rejected_facts=3) or "")
    assert "protected fact" in (note(rejected_meaning=2, rejected_facts=2) or "")


def test_a_short_result_for_a_long_sentence_suggests_splitting_it() -> None:
    def note(text: str, **stats: int) -> str | None:
        return ParaphraseResult(text, [Candidate("c", -1.0)], "m", 1.0, stats=stats, requested=5).note

    long_sentence = "Every " + " ".join(["word"] * (LONG_SENTENCE_WORDS - 2)) + " ends."
    assert note(long_sentence, rejected_meaning=4) == (
        "1 of 5 paraphrases: the other samples did not keep the meaning closely enough. Long sentences often lose "
        f"a detail: splitting this sentence ({LONG_SENTENCE_WORDS} words) in two usually helps")
    assert note(f"Short one. {long_sentence} Another short one.", rejected_facts=3).endswith(
        f"splitting the longest sentence ({LONG_SENTENCE_WORDS} words) in two usually helps")
    shorter = "Every " + " ".join(["word"] * (LONG_SENTENCE_WORDS - 3)) + " ends."
    assert note(shorter, rejected_meaning=4) == "1 of 5 paraphrases: the other samples did not keep the meaning " \
        "closely enough"
    # copies and duplicates are not what a long sentence causes: no advice then
    assert note(long_sentence, rejected_copy=4) == "1 of 5 paraphrases: the other samples repeated the input or each other"


def test_plain_output_shows_the_confidence_and_reason(capsys: pytest.CaptureFixture[str]) -> None:
    _print_plain("It rained.", [Candidate("Rain fell.", -0.62, confidence=0.914),
                                Candidate("It did not rain.", -0.9, confidence=0.55,
                                          reason="a negation may have been added"),
                                Candidate("Rain came.", -1.234)], 1500.0)
    lines = capsys.readouterr().out.splitlines()
    assert lines[1:4] == ["  1. Rain fell.  [-0.62, meaning 91%]",
                          "  2. It did not rain.  [-0.90, meaning 55%: a negation may have been added]",
                          "  3. Rain came.  [-1.23]"]


# -- loading the default scorer ------------------------------------------------------------


@pytest.fixture
def fresh_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    """No scorer cached and no warning given yet in this process."""
    monkeypatch.setattr(confidence, "_loaded", {})
    monkeypatch.setattr(confidence, "_warned", set())
    monkeypatch.delenv(SCORER_ENV, raising=False)


def test_a_missing_scorer_bundle_is_one_warning_and_no_scorer(fresh_defaults: None, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch,
                                                               caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setenv(SCORER_ENV, str(tmp_path / "no-such-scorer"))
    with caplog.at_level(logging.WARNING, logger="models.confidence"):
        assert default_scorer() is None
        assert default_scorer() is None
    warnings = [r.getMessage() for r in caplog.records if r.name == "models.confidence"]
    assert len(warnings) == 1 and "running without the meaning scorer" in warnings[0]
    assert "no-such-scorer" in warnings[0]


def test_a_runtime_without_the_scorer_module_runs_alone(fresh_defaults: None, monkeypatch: pytest.MonkeyPatch,
                                                        caplog: pytest.LogCaptureFixture) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "models.scorer", None)  # import fails
    with caplog.at_level(logging.WARNING, logger="models.confidence"):
        assert default_scorer() is None
    assert "cannot be imported" in caplog.text


def test_the_environment_can_switch_the_scorer_off(fresh_defaults: None, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError("no scorer is loaded when it is switched off")

    import models.scorer

    monkeypatch.setattr(models.scorer.MeaningScorer, "load", fail)
    for off in ("none", "OFF", " 0 "):
        monkeypatch.setenv(SCORER_ENV, off)
        assert default_scorer() is None


def test_a_loaded_scorer_is_shared_by_the_process(fresh_defaults: None, monkeypatch: pytest.MonkeyPatch) -> None:
    import models.scorer

    loads: list[tuple[object, object]] = []

    def load(name: object = None, *, threads: object = None) -> StandInScorer:
        loads.append((name, threads))
        return StandInScorer()

    monkeypatch.setattr(models.scorer.MeaningScorer, "load", load)
    first = default_scorer(threads=1)
    assert first is not None and default_scorer(threads=1) is first
    assert loads == [(None, 1)]


# -- the paraphraser, on the tiny model ----------------------------------------------------

SENTENCE = "the dog ran under the red house ."


def test_candidates_carry_the_scorers_confidence_and_doubted_rows_are_replaced(tiny_bundle: Path) -> None:
    scorer = StandInScorer(spread=True, refuse_every=3)
    paraphraser = Paraphraser.load(tiny_bundle, scorer=scorer)
    assert paraphraser.scorer is scorer and paraphraser.pipeline.checks[-1].name == "meaning"
    streamed: list[Candidate] = []
    result = paraphraser.paraphrase(SENTENCE, n=4, seed=5, on_candidate=streamed.append)
    assert result.candidates and all(c.confidence is not None and c.confidence >= scorer.threshold
                                     for c in result.candidates)
    assert [c.confidence for c in result.candidates] == [pytest.approx(scorer.confidence(c.text))
                                                         for c in result.candidates]
    assert result.stats["rejected_meaning"] > 0  # some rows were refused by the scorer ...
    scored = [c for _, texts in scorer.calls for c in texts]
    refused = [t for t in scored if scorer.confidence(t) < scorer.threshold]
    assert refused and not set(refused) & {c.text for c in result.candidates}  # ... and never returned
    assert len(streamed) <= 4 and all(c.confidence is not None for c in streamed)
    # oversampled: up to 4 + 2 accepted, the best 4 by the ranking returned
    extra = paraphraser.pipeline.extra(4)
    assert extra == 2 and result.stats["ranked_out"] <= extra
    accepted = {c.text for c in streamed} | {c.text for c in result.candidates}
    assert len(accepted) <= 4 + extra
    assert result.candidates == ByConfidence().rank(result.candidates, Source(SENTENCE))
    payload = result.to_json()["paraphrases"]
    assert [p["confidence"] for p in payload] == [round(c.confidence, 3)  # type: ignore[arg-type]
                                                  for c in result.candidates]


def test_the_first_n_stream_and_the_ranking_may_prefer_a_later_one(tiny_bundle: Path) -> None:
    """With oversampling the first n candidates stream as they pass; the result keeps the best
    n of all accepted, so a candidate accepted after them can replace a streamed one."""
    scorer = StandInScorer(spread=True)
    paraphraser = Paraphraser.load(tiny_bundle, scorer=scorer)
    paraphraser.pipeline = CandidatePipeline(paraphraser.pipeline.checks, ranking=ByConfidence(lam=1.0),
                                             oversample=2.0)  # 2 shown, 4 more to choose from
    for seed in range(1, 30):
        streamed: list[Candidate] = []
        result = paraphraser.paraphrase(SENTENCE, n=2, seed=seed, diversity=0.9, on_candidate=streamed.append)
        if result.stats["ranked_out"] and {c.text for c in result.candidates} != {c.text for c in streamed}:
            break
    else:
        pytest.fail("no seed accepted more than n candidates whose best differ from the first n")
    assert len(streamed) == 2 and len(result.candidates) == 2
    confidences = [c.confidence for c in result.candidates]
    assert confidences == sorted(confidences, reverse=True)  # type: ignore[type-var]
    dropped = [c for c in streamed if c not in result.candidates]
    assert dropped and all(c.confidence <= min(confidences) for c in dropped)  # type: ignore[operator, type-var]


def test_without_a_scorer_nothing_changes(tiny_bundle: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    alone = Paraphraser.load(tiny_bundle, scorer=None)
    assert alone.scorer is None
    assert [c.name for c in alone.pipeline.checks] == ["empty", "copy", "prompt", "length", "facts", "question", "contrast",
                                                       "cause", "link", "reversal", "negation", "certainty", "roles",
                                                       "duplicate"]
    streamed: list[Candidate] = []
    result = alone.paraphrase_sentence("the cat sat on the mat .", n=3, diversity=0.7, seed=11,
                                       on_candidate=streamed.append)
    assert len(result.candidates) == 3 and all(c.confidence is None and c.reason == "" for c in result.candidates)
    assert result.stats["ranked_out"] == 0 and sorted(streamed, key=lambda c: c.text) == sorted(
        result.candidates, key=lambda c: c.text)
    assert all(p["confidence"] is None for p in result.to_json()["paraphrases"])
    monkeypatch.setenv(SCORER_ENV, "none")
    assert Paraphraser.load(tiny_bundle).scorer is None  # the default, switched off
    with pytest.raises(ValueError, match="scorer must be"):
        Paraphraser.load(tiny_bundle, scorer="minilm")  # type: ignore[arg-type]


class Recording:
    """A ranking that remembers what it returned, sentence by sentence."""

    def __init__(self) -> None:
        self.ranked: list[list[Candidate]] = []

    def rank(self, candidates, source):  # noqa: ANN001, ANN201
        self.ranked.append(ByConfidence().rank(candidates, source))
        return self.ranked[-1]


def test_a_paragraph_is_as_confident_as_its_least_confident_sentence(tiny_bundle: Path) -> None:
    paraphraser = Paraphraser.load(tiny_bundle, scorer=StandInScorer(spread=True))
    recording = Recording()
    paraphraser.pipeline = CandidatePipeline(paraphraser.pipeline.checks, ranking=recording)
    result = paraphraser.paraphrase("the cat sat on the mat .\nthe dog ran under the red house .", n=2, seed=3)
    assert len(recording.ranked) == 2 and all(recording.ranked)
    assert len(result.candidates) == 2
    for k, paragraph in enumerate(result.candidates):
        picks = [ranked[k % len(ranked)] for ranked in recording.ranked]
        weakest = min(picks, key=lambda c: c.confidence)  # type: ignore[arg-type, return-value]
        assert paragraph.confidence == weakest.confidence and paragraph.reason == weakest.reason


def test_a_counting_pipeline_without_the_scorer_still_judges(tiny_bundle: Path) -> None:
    """``distill/evaluate.py`` swaps in its own pipeline; one built from ``default_pipeline()``
    has no meaning check, so its candidates carry no confidence (the evaluator passes the
    paraphraser's scorer to keep it)."""
    paraphraser = Paraphraser.load(tiny_bundle, scorer=StandInScorer())
    paraphraser.pipeline = CandidatePipeline(checks=(NonEmpty(),))
    result = paraphraser.paraphrase_sentence("the cat sat on the mat .", n=2, seed=2)
    assert result.candidates and all(c.confidence is None for c in result.candidates)
    paraphraser.pipeline = default_pipeline(paraphraser.scorer)
    again = paraphraser.paraphrase_sentence("the cat sat on the mat .", n=2, seed=2)
    assert again.candidates and all(c.confidence is not None for c in again.candidates)


def test_plain_output_says_why_nothing_was_found(capsys) -> None:  # noqa: ANN001
    """Read by eye: a sentence whose samples all failed the meaning check was reported as a facts failure."""
    from models.cli import _print_plain

    _print_plain("Because the bridge was closed, the trucks took the longer route.", [], 4378.0,
                 "0 of 5 paraphrases: the other samples did not keep the meaning closely enough")
    out = capsys.readouterr().out
    assert "(no paraphrase found: the samples did not keep the meaning closely enough)" in out
    assert "facts" not in out
    _print_plain("Hello there, friend.", [], 10.0, None)
    assert "copied the input or repeated another" in capsys.readouterr().out


class RareScorer(StandInScorer):
    """Passes about one row in ``every`` (by the text's CRC), so a sentence's cards trickle in."""

    def __init__(self, every: int) -> None:
        super().__init__()
        self.every = every

    def confidence(self, candidate: str) -> float:
        return self.high if self.every and zlib.crc32(candidate.encode("utf-8")) % self.every == 0 else self.low


def test_a_sentence_with_a_card_stops_after_a_few_rounds_one_without_keeps_trying(tiny_bundle: Path) -> None:
    """:data:`models.paraphraser.ROUNDS_WITH_A_CARD`: later rounds add few cards for their time,
    so a sentence that has one stops there; a sentence without any uses every round."""
    trickle = Paraphraser.load(tiny_bundle, scorer=RareScorer(every=6))
    stopped = 0
    for seed in range(1, 6):
        result = trickle.paraphrase(SENTENCE, n=8, seed=seed, diversity=0.9)
        assert result.stats["rounds"] <= (ROUNDS_WITH_A_CARD if result.candidates else 1 + MAX_EXTRA_ROUNDS)
        if result.candidates and len(result.candidates) < 8:
            assert result.stats["rounds"] == ROUNDS_WITH_A_CARD
            stopped += 1
    assert stopped  # the rule was exercised
    none = Paraphraser.load(tiny_bundle, scorer=RareScorer(every=0)).paraphrase(SENTENCE, n=3, seed=1)
    assert none.candidates == [] and none.stats["rounds"] == 1 + MAX_EXTRA_ROUNDS
    assert ROUNDS_WITH_A_CARD < 1 + MAX_EXTRA_ROUNDS
