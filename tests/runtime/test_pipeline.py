"""The candidate pipeline: each check alone, their order, the ranking step, and the
pipeline a caller swaps in (``distill/evaluate.py``'s copy counter). No model needed."""

from __future__ import annotations

from models.pipeline import (ByMeanLogProb, Candidate, CandidatePipeline, NonEmpty, NotACopy,
                             NotANearDuplicate, Source, default_pipeline, mean_log_prob)

SOURCE = Source("The train left without us.")


def test_each_check_refuses_what_it_names() -> None:
    assert not NonEmpty().accepts(" ... !", SOURCE, [])
    assert NonEmpty().accepts("Gone.", SOURCE, [])
    assert not NotACopy().accepts("the train left without us", SOURCE, [])  # case and punctuation ignored
    assert NotACopy().accepts("We missed the train.", SOURCE, [])
    accepted = [Candidate("We missed the train.", -0.5)]
    assert not NotANearDuplicate().accepts("we missed the train!", SOURCE, accepted)
    assert NotANearDuplicate().accepts("The train went off without us.", SOURCE, accepted)


def test_the_first_refusing_check_is_reported_in_order() -> None:
    pipeline = default_pipeline()
    assert [check.name for check in pipeline.checks] == ["empty", "copy", "duplicate"]
    assert pipeline.refusal("", SOURCE, []).name == "empty"  # type: ignore[union-attr]
    assert pipeline.refusal("The train left without us!", SOURCE, []).name == "copy"  # type: ignore[union-attr]
    accepted = [Candidate("We missed the train.", -0.5)]
    assert pipeline.refusal("We missed the train", SOURCE, accepted).name == "duplicate"  # type: ignore[union-attr]
    assert pipeline.refusal("The train departed before we arrived.", SOURCE, accepted) is None


def test_ranking_is_surest_first_and_replaceable() -> None:
    candidates = [Candidate("a b", -1.0), Candidate("c d", -0.2), Candidate("e f", -1.0)]
    assert [c.text for c in ByMeanLogProb().rank(candidates, SOURCE)] == ["c d", "a b", "e f"]  # ties: stable

    class Shortest:
        def rank(self, candidates, source):  # noqa: ANN001, ANN201
            return sorted(candidates, key=lambda c: len(c.text))

    pipeline = CandidatePipeline(ranking=Shortest())
    assert pipeline.rank([Candidate("longer one", -0.1), Candidate("short", -2.0)], SOURCE)[0].text == "short"
    assert mean_log_prob([-1.0, -3.0]) == -2.0 and mean_log_prob([]) == -99.0


def test_evaluate_counts_copies_through_a_public_pipeline() -> None:
    from distill.evaluate import CopyCounter, counting_pipeline

    counter = CopyCounter()
    app = counting_pipeline(counter, "app")
    assert [c.name for c in app.checks] == ["empty", "copy-counter", "copy", "duplicate"]
    assert app.refusal("", SOURCE, []) is not None and counter.rows_checked == 0  # empty rows are not counted
    assert app.refusal("The train left without us.", SOURCE, []).name == "copy"  # type: ignore[union-attr]
    assert app.refusal("We missed the train.", SOURCE, []) is None
    assert (counter.rows_checked, counter.copies) == (2, 1)
    raw = counting_pipeline(CopyCounter(), "raw")
    assert raw.refusal("The train left without us.", SOURCE, []) is None  # raw keeps copies
