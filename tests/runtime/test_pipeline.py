"""The candidate pipeline: each check alone, their order, the ranking step, and the
pipeline a caller swaps in (``distill/evaluate.py``'s copy counter). No model needed."""

from __future__ import annotations

import pytest

from models.paraphraser import ParaphraseResult
from models.pipeline import (ByMeanLogProb, Candidate, CandidatePipeline, FitsLength, KeepsCause, KeepsCertainty,
                             KeepsContrast, KeepsFacts, KeepsLink,
                             KeepsQuestion, NonEmpty, NoPromptEcho, NotACopy, NotANearDuplicate, Source,
                             default_pipeline, mean_log_prob)
from models.text import sentence_kind

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
    assert [check.name for check in pipeline.checks] == ["empty", "copy", "prompt", "length", "facts", "question",
                                                         "contrast", "cause", "link", "reversal", "negation",
                                                         "certainty", "roles", "duplicate"]
    assert pipeline.refusal("", SOURCE, []).name == "empty"  # type: ignore[union-attr]
    assert pipeline.refusal("The train left without us!", SOURCE, []).name == "copy"  # type: ignore[union-attr]
    accepted = [Candidate("We missed the train.", -0.5)]
    assert pipeline.refusal("We missed the train", SOURCE, accepted).name == "duplicate"  # type: ignore[union-attr]
    assert pipeline.refusal("The train departed before we arrived.", SOURCE, accepted) is None


@pytest.mark.parametrize(("source", "row", "kept"), [
    ("b02", "Controls: B02.", False),  # student v2's row for this source
    ("b02", "Control: B02.", False),
    ("The sky is blue.", "Paraphrase: The sky looks blue.", False),
    ("The sky is blue.", "The sky is blue; change: high", False),
    ("The sky is blue.", "Sentence: the sky is blue", False),
    ("The sky is blue.", "TASK : paraphrase", False),
    ("The sky is blue.", "The sky looks blue.", True),
    ("The sky is blue.", "The sky is blue: a change of colour.", True),  # a word, not a label
    ("Change: the meeting is at noon.", "Change: the meeting starts at noon.", True),  # the writer's own label
    ("Changes: the meeting is at noon.", "Change: the meeting starts at noon.", True),
    ("Change: the meeting is at noon.", "Controls: the meeting starts at noon.", False),
])
def test_a_row_that_writes_the_prompts_field_names_is_refused(source: str, row: str, kept: bool) -> None:
    assert NoPromptEcho().accepts(row, Source(source), []) is kept


def test_the_prompt_labels_cover_every_students_template_and_code() -> None:
    """A new field in a recipe's prompt must be added to the check's labels, or its echo would pass."""
    import re

    from models.pipeline import PROMPT_LABELS
    from models.recipes import CHANGE_CODES, CONTROLLED_TEMPLATE, LENGTH_CODES, STUDENT_TEMPLATE, TASK_CODES

    written = [CONTROLLED_TEMPLATE, STUDENT_TEMPLATE, *CHANGE_CODES, *LENGTH_CODES.values(), *TASK_CODES.values()]
    labels = {label for text in written for label in re.findall(r"([A-Za-z]+):", text)}
    assert labels == {"Sentence", "Controls", "Paraphrase", "change", "length", "task"}
    for label in labels:
        assert PROMPT_LABELS.search(f"{label}: x")


@pytest.mark.parametrize(("text", "kind"), [
    ("Where is the museum?", "question"), ('She asked, "Why now?"', "question"), ("Really?!", "question"),
    ("Is it open? ", "question"), ("(Is it open?)", "question"), ("The museum is closed.", "statement"),
    ("We won!", "statement"), ("And then…", "statement"), ("Closed for renovations", None),
    ("what time should i leave to make it to my meeting", None), ("", None),
])
def test_sentence_kind_reads_the_final_mark(text: str, kind: str | None) -> None:
    assert sentence_kind(text) == kind


def test_a_question_stays_a_question_and_a_statement_a_statement() -> None:
    """Both refusals are the student's, from held-out news at 0.5 and 1.0; the meaning scorer passed them."""
    check = KeepsQuestion()
    asked = Source("What did the candidate of Valley lack to be the new Miss Colombia?")
    assert not check.accepts("The candidate of Valley failed to showcase Miss Colombia.", asked, [])
    assert check.accepts("what was the Valley candidate missing to become Miss Colombia", asked, [])  # no mark
    assert check.accepts("What was the Valley candidate missing to become Miss Colombia?", asked, [])
    stated = Source("We were curious to see the sections where the main character gets out of the car and runs.")
    assert not check.accepts("Have you been wondering about the passage where the main character runs?", stated, [])
    assert check.accepts("We wanted to see the scenes where the hero leaves the car and runs.", stated, [])
    assert check.accepts("We wanted to see the scenes where the hero leaves the car and runs", stated, [])
    # a request may become a polite question (the GPT teachers' own rewording)
    request = Source("If I leave home now, tell me the fastest way to drive to Savannah.")
    assert check.accepts("If I leave now, could you tell me the quickest route to Savannah?", request, [])
    assert check.accepts("Can you tell me the quickest route to Savannah?", Source("Tell me the way to Savannah."), [])
    assert not check.accepts("Did they tell me the way?", Source("They told me the way."), [])
    assert check.accepts("Please tell me the fastest way to Savannah.", Source("Please, tell me the way."), [])
    # and a question a request: 1,213 of 40,000 cased teacher pairs were refused, nearly all of them these
    fare = Source("Could you show me the fare code again?")
    assert check.accepts("Please let me see the fare code once more.", fare, [])
    assert check.accepts("I'm looking for the fare code again.", fare, [])
    assert check.accepts("What is the traffic like on the 290?", Source("I'm curious about the traffic on the 290."), [])
    assert check.accepts("How do I get to the station?", Source("I would like to know the way to the station."), [])
    assert not check.accepts("Please note that the museum is open on Mondays.", Source("Is the museum open on Mondays?"),
                             [])  # an answer, however polite
    untold = Source("what time should i leave to make it to my meeting")  # no final mark: either way
    assert check.accepts("What time should I set off to reach my meeting?", untold, [])
    assert check.accepts("Tell me when to leave for my meeting.", untold, [])
    assert default_pipeline().refusal("The candidate of Valley failed to showcase Miss Colombia.", asked,
                                      []).name == "question"  # type: ignore[union-attr]


def test_a_cause_the_source_does_not_draw_is_refused() -> None:
    italy = Source("In recent days, Italy's borrowing costs have soared dangerously and the prime ministers of "
                   "both Italy and Greece have resigned.")
    caused = ("Italy's borrowing costs have soared dramatically, causing the Prime Ministers of both Italy and "
              "Greece to resign.")
    assert not KeepsCause().accepts(caused, italy, [])
    assert default_pipeline().refusal(caused, italy, []).name == "cause"  # type: ignore[union-attr]
    assert KeepsCause().accepts("Italy's borrowing costs have soared and the prime ministers of Italy and Greece have "
                                "resigned.", italy, [])


def test_a_cause_the_source_states_is_not_left_out_in_standard() -> None:
    """The app's own demo sentence: "indicating" was its first card before the rule."""
    revenue = "Our quarterly revenue rose 12% to $4.3 million, driven by strong sales in Germany."
    indicating = "Our quarterly revenue increased 12% to $4.3 million, indicating strong sales in Germany."
    assert not KeepsCause().accepts(indicating, Source(revenue), [])
    assert default_pipeline().refusal(indicating, Source(revenue), []).name == "cause"  # type: ignore[union-attr]
    assert KeepsCause().accepts("Our quarterly revenue rose 12% to $4.3 million as a result of strong sales in "
                                "Germany.", Source(revenue), [])
    # Simpler and Shorter may drop the clause that gives the cause
    assert KeepsCause().accepts(indicating, Source(revenue, omission_allowed=True), [])


def test_how_sure_the_sentence_is_is_kept() -> None:
    """Student v2 at Creative on held-out news, shown before the check."""
    welds = Source("But this is thought to be unlikely by the constructors who provided welds to leak only every "
                   "100 000 years.")
    expected = "But this is the expected outcome by those who prepared welds to leak every 100,000 years."
    assert not KeepsCertainty().accepts(expected, welds, [])
    assert default_pipeline().refusal(expected, welds, []).name == "certainty"  # type: ignore[union-attr]
    assert KeepsCertainty().accepts("The constructors think this improbable: their welds leak only every 100,000 "
                                    "years.", welds, [])


def test_a_hedge_is_not_dropped_except_where_the_mode_may_drop_a_detail() -> None:
    """Student v2 on held-out news at the default slider, shown before the check."""
    commodities = Source("Commodities trading may be reduced or stopped completely.")
    flat = "Commodities trading will stop completely."
    assert not KeepsCertainty().accepts(flat, commodities, [])
    assert default_pipeline().refusal(flat, commodities, []).name == "certainty"  # type: ignore[union-attr]
    assert KeepsCertainty().accepts("Trading in commodities could be cut or halted entirely.", commodities, [])
    shorter = Source(commodities.text, omission_allowed=True)
    assert KeepsCertainty().accepts(flat, shorter, [])


def test_what_the_source_states_as_done_is_not_made_imminent_in_any_mode() -> None:
    """Student v2 at Creative on held-out news, shown before the check."""
    resigned = "In recent days, Italy's borrowing costs have soared and the prime ministers of Italy and Greece have resigned."
    imminent = "Italy's borrowing rates have risen and the Prime Ministers of Italy and Greece are on the verge of resigning."
    for source in (Source(resigned), Source(resigned, omission_allowed=True)):
        assert not KeepsCertainty().accepts(imminent, source, [])
    assert default_pipeline().refusal(imminent, Source(resigned), []).name == "certainty"  # type: ignore[union-attr]
    assert KeepsCertainty().accepts("Italy's borrowing costs have climbed and the prime ministers of Italy and Greece "
                                    "have stepped down.", Source(resigned), [])


def test_a_contrast_inside_the_sentence_is_kept() -> None:
    bank = Source("The most risk-taking bank in Europe is not in Italy or France, but in Switzerland.")
    lost = "The most risky bank in Europe is not situated on Italy, France or Switzerland."
    assert not KeepsContrast().accepts(lost, bank, [])
    assert default_pipeline().refusal(lost, bank, []).name == "contrast"  # type: ignore[union-attr]
    assert KeepsContrast().accepts("Europe's riskiest bank is in Switzerland rather than Italy or France.", bank, [])
    assert KeepsContrast().accepts("We missed it.", Source("But the train left without us."), [])


@pytest.mark.parametrize(("source", "dropped", "kept"), [
    # shown by student v2 on the dev split at the default slider
    ("However, the mineralogy of the X-type asteroids is not known well enough to constrain this further.",
     "The mineralogy of the X-type asteroids is not well known.",
     "The mineralogy of the X-type asteroids, however, is not known well enough to narrow this down."),
    ("In addition, many feel that they are being pathologized for simply being different.",
     "Many people feel pathologized just for being different.",
     "Many also feel that they are pathologized just for being different."),
    ("As a result, the vote was postponed.", "The vote was postponed.", "The vote was therefore postponed."),
])
def test_a_link_to_the_sentence_before_is_kept_in_standard(source: str, dropped: str, kept: str) -> None:
    assert default_pipeline().refusal(dropped, Source(source), []).name == "link"  # type: ignore[union-attr]
    assert KeepsLink().accepts(kept, Source(source), [])
    assert KeepsLink().accepts(dropped, Source(source, omission_allowed=True), [])  # Simpler, Shorter


@pytest.mark.parametrize("source", ["Still waters run deep.", "However hard he tried, he failed.",
                                    "Also known as the Big Apple, New York never sleeps.",
                                    "Instead of going out, we stayed home.", "In contrast to Paris, Lyon is quiet."])
def test_words_that_open_a_sentence_without_linking_it_are_free(source: str) -> None:
    assert KeepsLink().accepts("Something else entirely.", Source(source), [])


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
    assert [c.name for c in app.checks] == ["empty", "copy-counter", "copy", "prompt", "length", "facts", "question", "contrast",
                                            "cause", "link", "reversal", "negation", "certainty", "roles", "duplicate"]
    assert app.refusal("", SOURCE, []) is not None and counter.rows_checked == 0  # empty rows are not counted
    assert app.refusal("The train left without us.", SOURCE, []).name == "copy"  # type: ignore[union-attr]
    assert app.refusal("We missed the train.", SOURCE, []) is None
    assert (counter.rows_checked, counter.copies) == (2, 1)
    raw = counting_pipeline(CopyCounter(), "raw")
    assert raw.refusal("The train left without us.", SOURCE, []) is None  # raw keeps copies


FACTS = Source("Our quarterly revenue rose 12% to $4.3 million, driven by strong sales in Germany.")


def test_a_candidate_that_loses_or_invents_a_fact_is_refused() -> None:
    pipeline = default_pipeline()
    violating = [
        "Quarterly revenue grew 12%, helped by strong German sales.",                 # $4.3 million dropped
        "Our revenue rose 12% to $4.3 billion on strong sales in Germany.",           # changed
        "Revenue rose 12% to $4.3 million in Q3 thanks to strong sales in Germany.",  # invented 3
        "Revenue climbed 21% to $4.3 million on strong sales in Germany.",            # 12% → 21%
        "Revenue rose 12% to $4.3 million, driven by strong sales in Europe.",        # name lost
    ]
    for text in violating:
        refused = pipeline.refusal(text, FACTS, [])
        assert refused is not None and refused.name == "facts", text
    kept = "Strong sales in Germany lifted our quarterly revenue by 12% to $4.3 million."
    assert pipeline.refusal(kept, FACTS, []) is None
    assert KeepsFacts().accepts("Germany's strong sales lifted revenue 12% to $4.3 million.", FACTS, [])


def test_frozen_phrases_are_facts_and_protected_spans_are_listed_once() -> None:
    source = Source("The Q3 plan was approved by Dr. Chen before March 2027.", keep=("Q3 plan",))
    assert source.protected == ("Q3 plan", "Dr. Chen", "March 2027")  # "3" and "2027" are inside others
    assert not KeepsFacts().accepts("Dr. Chen approved the third-quarter plan before March 2027.", source, [])
    assert KeepsFacts().accepts("Dr. Chen approved the Q3 plan before March 2027.", source, [])


def test_a_short_result_says_so() -> None:
    def result(count: int, **stats: int) -> ParaphraseResult:
        return ParaphraseResult("x", [Candidate(f"c{i}", -1.0) for i in range(count)], "m", 1.0,
                                stats=dict(stats), protected=["$4.3 million"], requested=5)

    assert result(5).note is None and "note" not in result(5).to_json()
    short = result(3, rejected_facts=4)
    assert short.note == "3 of 5 paraphrases: the other samples changed or dropped a protected fact"
    assert short.to_json()["note"] == short.note and short.to_json()["protected"] == ["$4.3 million"]
    assert "repeated the input" in (result(2, rejected_copy=3).note or "")
    assert "not short enough" in (result(1, rejected_length=9, rejected_facts=2).note or "")
    assert "protected fact" in (result(1, rejected_length=1, rejected_facts=2).note or "")
    # a question answered is a meaning lost: it counts with the scorer's refusals
    assert "meaning" in (result(1, rejected_question=2, rejected_meaning=1, rejected_facts=2).note or "")
    assert "meaning" in (result(1, rejected_contrast=2, rejected_question=1, rejected_facts=2).note or "")


def test_fits_length_counts_words_as_the_evaluator_does() -> None:
    limited = Source("One two three four five six seven eight nine ten.", max_words=8)
    assert FitsLength().accepts("One two three - four five six seven eight.", limited, [])  # a lone dash is no word
    assert not FitsLength().accepts("One two three four five six seven eight nine.", limited, [])
    assert FitsLength().accepts("One two three four five six seven eight nine ten eleven.", Source("x"), [])
    assert ParaphraseResult("x", [], "m", 1.0).note is None  # requested unknown: no claim
