"""What changed on a card, word by word (desktop/diff_view.py): plain Python, no Qt."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from desktop.diff_view import KEPT, NEW, SAME, Segment, describe, new_share, to_html, word_diff

ROOT = Path(__file__).resolve().parents[2]
SOURCE = "Our quarterly revenue rose 12% to $4.3 million, driven by strong sales in Germany."
CANDIDATE = "Quarterly revenue climbed 12% to $4.3 million, thanks to strong German sales."
KEPT_FACTS = ("12%", "$4.3 million")


def runs(segments: list[Segment], kind: str) -> list[str]:
    return [s.text for s in segments if s.kind == kind]


def test_the_module_needs_no_qt() -> None:
    code = "import sys, desktop.diff_view; print([m for m in sys.modules if m.startswith('PySide6')])"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_new_wording_is_its_own_run_and_the_segments_join_back_to_the_candidate() -> None:
    segments = word_diff(SOURCE, CANDIDATE, KEPT_FACTS)
    assert "".join(s.text for s in segments) == CANDIDATE
    assert runs(segments, NEW) == ["climbed", "thanks to", "German"]
    assert runs(segments, KEPT) == ["12%", "$4.3 million"]
    assert "strong " in "".join(runs(segments, SAME))


def test_words_compare_without_case_and_an_unchanged_sentence_has_nothing_new() -> None:
    assert runs(word_diff("However, costs rose.", "Costs rose, however."), NEW) == []  # moved, not new
    same = word_diff("The train was late.", "the train was late.")
    assert [s.kind for s in same] == [SAME]


def test_a_kept_fact_is_marked_wherever_it_moved_and_ignoring_case_if_need_be() -> None:
    segments = word_diff("Dr. Chen spoke in March 2027.", "In March 2027, dr. chen spoke.", ["Dr. Chen", "March 2027"])
    assert runs(segments, KEPT) == ["March 2027", "dr. chen"]


def test_without_a_source_the_text_is_plain_and_an_empty_candidate_has_no_segments() -> None:
    assert word_diff("", "Anything at all.") == [Segment("Anything at all.", SAME)]
    assert word_diff("Source.", "") == []


def test_html_escapes_the_text_tints_new_words_and_bolds_kept_facts() -> None:
    segments = word_diff("Tom & Ann paid $5.", "Tom & Ann paid <b>$5</b> twice.", ["$5"])
    page = to_html(segments, new_background="rgba(1, 2, 3, 0.5)")
    assert "&lt;b&gt;" in page and "&amp;" in page and "<b>$5</b>" in page
    assert '<span style="background-color: rgba(1, 2, 3, 0.5);">' in page
    assert "white-space: pre-wrap" in page


def test_the_description_says_how_much_is_new_and_which_facts_stayed() -> None:
    segments = word_diff(SOURCE, CANDIDATE, KEPT_FACTS)
    assert 0 < new_share(segments) < 0.5
    assert describe(segments, [*KEPT_FACTS, "12%"]).endswith("kept: 12%, $4.3 million")
    assert describe(word_diff("Same.", "Same."), []) == "no new wording"
