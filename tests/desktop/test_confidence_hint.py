"""The card's confidence hint from the meaning scorer, and the cards settling on the final ranking.

No model: hints are plain functions, cards are built from hand-made candidates, and the window
runs a stand-in paraphraser whose final order differs from the order it streamed in.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from stand_in import QuietDialogs, StandInParaphraser

from desktop.quality import candidate_hint, confidence_hint, quality_hint
from desktop.storage import Storage
from desktop.widgets.alternatives_panel import AlternativesPanel
from desktop.widgets.candidate_card import CandidateCard, CandidateList
from desktop.widgets.main_window import MainWindow
from models import Candidate, CancelToken, ParaphraseResult


@pytest.mark.parametrize(("confidence", "level", "label"), [
    (0.97, 3, "Meaning: fair chance"), (0.4, 3, "Meaning: fair chance"), (0.39, 2, "Meaning: check closely"),
    (0.2, 2, "Meaning: check closely"), (0.19, 1, "Meaning: doubtful"), (0.05, 1, "Meaning: doubtful"),
])
def test_the_hint_reads_the_scorers_confidence(confidence: float, level: int, label: str) -> None:
    hint = confidence_hint(confidence)
    assert (hint.level, hint.label) == (level, label)
    assert hint.dots.count("●") == level and len(hint.dots) == 3
    assert f"{round(confidence * 100)}%" in hint.tooltip
    assert "log-probability" not in hint.tooltip and "Worth a look" not in hint.tooltip


def test_the_tooltip_names_the_reason_when_one_is_known() -> None:
    hint = candidate_hint(Candidate("We caught it.", -2.5, confidence=0.32, reason="a negation may be missing"))
    assert hint.label == "Meaning: check closely"  # the confidence decides, not the low score
    assert "32%" in hint.tooltip and "Worth a look: a negation may be missing." in hint.tooltip


def test_without_a_confidence_the_hint_is_the_old_one() -> None:
    candidate = Candidate("We caught it.", -0.95)
    assert candidate_hint(candidate) == quality_hint(-0.95)
    assert "-0.95" in candidate_hint(candidate).tooltip


def test_a_card_shows_the_confidence_hint(qtbot) -> None:  # noqa: ANN001
    card = CandidateCard(Candidate("The train left early.", -2.0, confidence=0.91), 1, source="The train went early.")
    qtbot.addWidget(card)
    assert card.quality_label.text() == "●●●  Meaning: fair chance"
    assert "91%" in card.quality_label.toolTip()
    assert "Meaning: fair chance" in card.accessibleDescription()


def test_a_card_shows_what_is_worth_checking_under_its_text(qtbot) -> None:  # noqa: ANN001
    source = "The team was sorely missed."
    card = CandidateCard(Candidate("People missed the team.", -2.0, confidence=0.12,
                                   reason="may leave out \u201csorely\u201d", left_out=("sorely",)), 1, source=source)
    quiet = CandidateCard(Candidate("The team was badly missed.", -2.0, confidence=0.45), 2, source=source)
    qtbot.addWidget(card)
    qtbot.addWidget(quiet)
    assert card.note_label.text() == "Worth a look: may leave out \u201csorely\u201d"
    assert not card.note_label.isHidden() and quiet.note_label.isHidden()
    assert "Worth a look: may leave out \u201csorely\u201d." in card.quality_label.toolTip()
    assert "may leave out \u201csorely\u201d" in card.accessibleDescription()
    assert "Worth a look" not in quiet.accessibleDescription()


def _texts(cards: CandidateList) -> list[str]:
    return [c.text for c in cards.candidates()]


def test_cards_stream_in_confidence_order_then_settle_on_the_final_ranking(qtbot) -> None:  # noqa: ANN001
    cards = CandidateList()
    qtbot.addWidget(cards)
    a = Candidate("Alpha wording.", -2.0, confidence=0.95)
    b = Candidate("Beta wording.", -0.1, confidence=0.60)
    c = Candidate("Gamma wording.", -1.0, confidence=0.80)
    for candidate in (b, a, c):
        cards.add_candidate(candidate)
    assert _texts(cards) == ["Alpha wording.", "Gamma wording.", "Beta wording."]  # not by score
    kept_card = cards.cards()[0]
    late = Candidate("Delta wording.", -1.5, confidence=0.9)  # accepted after the first n, chosen by the ranking
    cards.settle([a, late, c])
    assert _texts(cards) == ["Alpha wording.", "Delta wording.", "Gamma wording."]
    assert cards.cards()[0] is kept_card  # a card already shown stays (its Copy state, its focus)
    assert [card.number for card in cards.cards()] == [1, 2, 3]
    assert not cards.empty_label.isVisibleTo(cards)
    cards.settle([])
    assert cards.candidates() == [] and cards.empty_label.isVisibleTo(cards)


def test_the_panel_explains_an_empty_result_the_meaning_check_caused(qtbot) -> None:  # noqa: ANN001
    panel = AlternativesPanel()
    qtbot.addWidget(panel)
    panel.finished(0, "0 of 5 paraphrases: the other samples did not keep the meaning closely enough")
    assert "kept the meaning" in panel.cards.empty_label.text()
    panel.finished(0, "0 of 5 paraphrases: the other samples changed or dropped a protected fact")
    assert "every fact" in panel.cards.empty_label.text()


class RerankingParaphraser(StandInParaphraser):
    """Streams three candidates, then returns the runtime's final choice: a re-ranked list
    with a fourth candidate (accepted after the first three) in place of the weakest."""

    STREAMED = [("Version one.", 0.31), ("Version two.", 0.52), ("Version three.", 0.22)]
    FINAL = [("Version two.", 0.52), ("Version four.", 0.45), ("Version one.", 0.31)]

    def paraphrase_sentence(self, sentence: str, *, n: int = 5, diversity: float = 0.5, seed: int | None = None,
                            keep: Sequence[str] = (), on_candidate: Callable[[Candidate], None] | None = None,
                            cancel: CancelToken | None = None, mode: str = "standard") -> ParaphraseResult:
        self._record("sentence", sentence, keep, mode)
        for text, confidence in self.STREAMED:
            if on_candidate is not None:
                on_candidate(Candidate(text, -1.0, confidence=confidence))
        final = [Candidate(text, -1.0, confidence=confidence) for text, confidence in self.FINAL]
        return ParaphraseResult(input=sentence, candidates=final, model=self.name, elapsed_ms=0.1, requested=3)


def test_the_window_shows_the_final_ranking_when_the_run_ends(qtbot, data_dir: Path) -> None:  # noqa: ANN001
    window = MainWindow(Storage(data_dir), paraphraser=RerankingParaphraser(),  # type: ignore[arg-type]
                        dialog_factory=QuietDialogs())
    qtbot.addWidget(window)
    window.show()
    window.controls.set_candidates(3)
    window.editor.setPlainText("The first version was fine.")
    streamed: list[str] = []
    window.candidate_shown.connect(lambda candidate: streamed.append(candidate.text))
    with qtbot.waitSignal(window.run_finished, timeout=10_000):
        window.paraphrase()
    assert streamed == ["Version one.", "Version two.", "Version three."]
    assert _texts(window.cards) == ["Version two.", "Version four.", "Version one."]
    assert [card.number for card in window.cards.cards()] == [1, 2, 3]
    labels = [card.quality_label.text() for card in window.cards.cards()]
    assert labels == ["●●●  Meaning: fair chance", "●●●  Meaning: fair chance", "●●○  Meaning: check closely"]
