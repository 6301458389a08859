"""What the editor asks the phrase index for: span, context, kept phrases, refusals. No Qt."""

from __future__ import annotations

from desktop.phrase_request import (PHRASE_REBUILD_COMMAND, PhraseRequest, Refusal, fit_levels,
                                    plan_phrase, trim_span, unavailable_message)
from models.errors import BundleError

FIRST = "The quick fox jumped."
SECOND = "Dr. Chen warned that costs will not fall."
TEXT = f"{FIRST}  {SECOND}\nA new line, no sentence split."
SENTENCES = [(0, len(FIRST)), (len(FIRST) + 2, len(FIRST) + 2 + len(SECOND))]


def span(text: str, phrase: str) -> tuple[int, int]:
    return text.index(phrase), text.index(phrase) + len(phrase)


def test_a_span_loses_spaces_and_edge_punctuation_but_not_an_abbreviation() -> None:
    text = 'He said "quick," then U.S. and (don\'t).'
    assert text[slice(*trim_span(text, text.index('"'), text.index(",") + 2))] == "quick"
    assert text[slice(*trim_span(text, text.index("U.S."), text.index("U.S.") + 4))] == "U.S."
    assert text[slice(*trim_span(text, text.index("(") , text.index(")") + 2))] == "don't"
    start, end = trim_span(text, text.index(" then"), text.index(" then") + 1)
    assert start == end


def test_the_context_is_the_sentence_with_offsets_into_it() -> None:
    plan = plan_phrase(TEXT, *span(TEXT, "costs will"), sentences=SENTENCES)
    assert isinstance(plan, PhraseRequest)
    assert plan.context == SECOND and plan.phrase == "costs will"
    assert (plan.start, plan.end) == span(SECOND, "costs will")
    assert plan.editor_span == span(TEXT, "costs will") and plan.snapshot == TEXT
    assert not plan.is_stale(TEXT) and plan.is_stale(TEXT + " ")


def test_without_sentences_the_line_is_the_context() -> None:
    plan = plan_phrase(TEXT, *span(TEXT, "new line"))
    assert isinstance(plan, PhraseRequest)
    assert plan.context == "A new line, no sentence split." and plan.phrase == "new line"
    assert plan.editor_span == span(TEXT, "new line")


def test_kept_phrases_in_the_context_are_protected_and_a_kept_phrase_is_refused() -> None:
    kept = [span(TEXT, "Dr. Chen"), span(TEXT, "quick")]
    plan = plan_phrase(TEXT, *span(TEXT, "warned"), sentences=SENTENCES, kept=kept)
    assert isinstance(plan, PhraseRequest) and plan.protected == (span(SECOND, "Dr. Chen"),)
    refused = plan_phrase(TEXT, *span(TEXT, "Chen"), sentences=SENTENCES, kept=kept)
    assert isinstance(refused, Refusal) and not refused.quiet
    assert "\u201cDr. Chen\u201d is kept unchanged" in refused.message


def test_nothing_to_ask_a_long_selection_and_a_line_break_are_refused() -> None:
    blank = plan_phrase(TEXT, *span(TEXT, "  "), sentences=SENTENCES)
    assert isinstance(blank, Refusal) and blank.quiet
    long = plan_phrase(TEXT, *span(TEXT, "Chen warned that costs will"), sentences=SENTENCES)
    assert isinstance(long, Refusal) and "up to 4" in long.message
    four = plan_phrase(TEXT, *span(TEXT, "warned that costs will"), sentences=SENTENCES)
    assert isinstance(four, PhraseRequest) and four.phrase == "warned that costs will"
    across = plan_phrase(TEXT, TEXT.index("fall."), TEXT.index("A new") + 5, sentences=SENTENCES)
    assert isinstance(across, Refusal) and "one sentence" in across.message


def test_the_hint_compares_with_the_best_alternative() -> None:
    assert fit_levels([0.9, 0.8, 0.4, 0.2]) == [3, 3, 2, 1]
    assert fit_levels([-0.5, -1.5, -3.0]) == [3, 2, 1]
    assert fit_levels([0.0, 0.0]) == [3, 3] and fit_levels([]) == []


def test_the_unavailable_message_names_the_command_once() -> None:
    plain = unavailable_message(FileNotFoundError("no index at models/phrases"))
    assert "no index at models/phrases" in plain and plain.endswith(PHRASE_REBUILD_COMMAND)
    named = unavailable_message(BundleError("The phrase index is damaged.", rebuild_command="paraphrase-studio x"))
    assert named.count("paraphrase-studio x") == 1 and PHRASE_REBUILD_COMMAND not in named
