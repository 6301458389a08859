"""Words a card leaves out (models.details), and how the card's number and note weigh them."""

from __future__ import annotations

import numpy as np
import pytest

from models.details import DetailMatcher, detail_reason
from models.pipeline import ByConfidence, Candidate, KeepsMeaning, Source, default_pipeline
from models.student_calibration import DETAIL_CAP, StudentCalibration

SOURCE = "The museum quietly sold its famous paintings to pay the rising heating bills."
ALTERNATIVES = {"quietly": ["discreetly"], "famous": ["well-known", "renowned"], "rising": ["increasing"],
                "bills": ["costs"], "pay": ["cover"], "sold": ["auctioned off"]}


def matcher() -> DetailMatcher:
    return DetailMatcher(lambda word: ALTERNATIVES.get(word, []))


def test_a_word_counts_as_kept_in_any_form_or_by_an_alternative() -> None:
    m = matcher()
    kept = "The museum discreetly auctioned off its renowned paintings to cover increasing heating costs."
    assert m.missing(SOURCE, kept) == []
    assert m.missing(SOURCE, "The museum sold paintings to pay heating bills.") == ["quietly", "famous", "rising"]
    # forms: "painting" and "bill" share the start of the word; names and numbers are not details
    assert m.missing(SOURCE, "The museum quietly sold a famous painting to pay the rising heating bill.") == []
    assert m.missing(SOURCE, "Quietly selling a famous painting paid the rising heating bill.") == ["museum", "sold",
                                                                                                   "pay"]
    assert m.missing("Chen sold 40 paintings without a fight.", "She sold paintings.") == ["fight"]
    # without an index a synonym reads as a word left out
    assert DetailMatcher().missing(SOURCE, kept) == ["quietly", "sold", "famous", "pay", "rising", "bills"]


def test_the_note_names_every_word_left_out_up_to_three() -> None:
    assert detail_reason([]) == ""
    assert detail_reason(["quietly"]) == "may leave out \u201cquietly\u201d"
    assert detail_reason(["quietly", "famous"]) == "may leave out \u201cquietly\u201d, \u201cfamous\u201d"
    assert detail_reason(["a1", "b1", "c1", "d1", "e1"]).endswith("\u201cc1\u201d and 2 more")


FIT = StudentCalibration(scorer="stand-in", scale=1.0, row_scale=1.0, bias=0.0, reading_shift=-0.5,
                         detail_scale=-1.0, detail_center=1.0)


class StandIn:
    name = "stand-in"
    threshold = 0.5

    def score(self, sources: list[str], candidates: list[str]):  # noqa: ANN201
        import numpy as np

        return np.full(len(candidates), 0.9)

    def logits_of(self, probabilities):  # noqa: ANN001, ANN201
        import numpy as np

        return np.log(probabilities / (1 - probabilities))


LOGIT = float(np.log(9.0))  # the stand-in's 0.9, as the fit reads it


def test_the_number_falls_per_word_left_out_and_nothing_else_changes() -> None:
    assert FIT.with_details(0.5, 1) == 0.5  # the usual count leaves the number where it was
    assert FIT.with_details(0.5, 3) < FIT.with_details(0.5, 2) < 0.5 < FIT.with_details(0.5, 0)
    assert FIT.with_details(0.5, DETAIL_CAP + 3) == FIT.with_details(0.5, DETAIL_CAP)
    assert StudentCalibration.from_dict(FIT.to_dict()) == FIT
    assert "detail_scale" not in StudentCalibration("s", 1.0, 1.0, 0.0).to_dict()  # older fits keep their bytes
    with pytest.raises(ValueError, match="detail_scale"):
        StudentCalibration.from_dict({**FIT.to_dict(), "detail_scale": 0.5})

    check = KeepsMeaning(StandIn(), calibration=FIT, details=matcher())
    whole = check.assess("The museum discreetly sold its renowned paintings to pay rising heating bills.",
                         Source(SOURCE), -0.5)
    short = check.assess("The museum sold paintings to pay heating bills.", Source(SOURCE), -0.5)
    assert whole.left_out == () and whole.reason == ""  # counted: none
    assert short.left_out == ("quietly", "famous", "rising")
    assert short.reason == "may leave out \u201cquietly\u201d, \u201cfamous\u201d, \u201crising\u201d"
    assert short.confidence < whole.confidence
    assert short.accepted and whole.accepted  # which rows pass is the fit's own scale's business
    # a mode that may drop details counts nothing
    simpler = check.assess("The museum sold paintings to pay heating bills.", Source(SOURCE, omission_allowed=True), -0.5)
    assert simpler.left_out is None and simpler.reason == ""  # not counted
    assert simpler.confidence == pytest.approx(FIT.confidence(LOGIT, -0.5))


def test_a_card_that_keeps_its_words_comes_before_a_surer_one_that_leaves_them_out() -> None:
    """The ranking weighs the count: which rows pass is the fit's own business, their order is not."""
    with_details = default_pipeline(StandIn(), calibration=FIT, details=matcher())
    without = default_pipeline(StandIn(), calibration=FIT, details=None)
    short = "The museum sold paintings to pay heating bills."  # surer (-0.2), three words left out
    whole = "The museum discreetly sold its renowned paintings to pay rising heating bills."

    def ranked(pipeline) -> list[str]:  # noqa: ANN001
        cards = []
        for text, score in ((short, -0.2), (whole, -0.6)):
            verdict = pipeline.judge(text, Source(SOURCE), [], score)
            assert verdict.accepted
            cards.append(Candidate(text, score, (), verdict.confidence, verdict.reason, verdict.left_out))
        return [c.text for c in pipeline.ranking.rank(cards, Source(SOURCE))]

    assert ranked(without) == [short, whole]
    assert ranked(with_details) == [whole, short]
    assert isinstance(with_details.ranking, ByConfidence)


def test_an_index_that_cannot_be_loaded_counts_nothing(tmp_path) -> None:  # noqa: ANN001
    missing = DetailMatcher.default(tmp_path / "no-index")
    assert not missing.ready()
    check = KeepsMeaning(StandIn(), calibration=FIT, details=missing)
    verdict = check.assess("The museum sold paintings.", Source(SOURCE), -0.5)
    assert verdict.left_out is None and verdict.confidence == pytest.approx(FIT.confidence(LOGIT, -0.5))


def test_a_hyphenated_word_counts_as_its_parts() -> None:
    m = matcher()
    assert m.missing("The committee sat for six hours on Tuesday.", "On Tuesday the committee sat for a six-hour stretch.") == []
    assert m.missing("A six-hour meeting of the committee.", "The committee met for six hours.") == ["meeting"]


def test_a_possessive_a_spelling_a_short_words_inflection_or_a_phrases_alternative_keeps_a_word() -> None:
    phrases = DetailMatcher(lambda key: {"employ": ["use"], "what time": ["when"], "rock": ["shake"]}.get(key, []))
    assert phrases.missing("the drug scene of nyc", "NYC's drug scene") == []  # possessive
    assert phrases.missing("taxation is favourable", "taxation is favorable") == []  # the other spelling
    assert phrases.missing("planes united airlines employ", "planes used by United Airlines") == []  # "use": "used"
    assert phrases.missing("what time should we leave", "When should we leave?") == []  # the phrase "what time"
    # none of them lets a word go that is really gone
    assert phrases.missing("what time should we leave", "Should we leave?") == ["time"]
    assert phrases.missing("it won't rock any boats", "It won't sink any boats.") == ["rock"]
    assert phrases.missing("the drug scene of nyc", "The drug scene.") == ["nyc"]


def test_a_short_forms_inflection_and_a_phrase_alternative_of_the_sources_own_words_keep_nothing_by_chance() -> None:
    alternatives = {"current": ["new"], "armed forces": ["military"]}
    m = DetailMatcher(lambda key: alternatives.get(key, []))
    source = "Papers obtained by Newsweek say the military cannot be sued by current soldiers for armed forces injuries."
    # "news" ("new" + "s") is whole words only: "Newsweek" does not keep "current"
    assert m.missing(source, "Papers obtained by Newsweek say the military cannot be sued for armed forces injuries.") \
        == ["current", "soldiers"]
    # "military" is the source's own word: the candidate's "military" does not keep "armed"
    assert m.missing(source, "Papers obtained by Newsweek say the military cannot be sued by current soldiers "
                             "for forces injuries.") == ["armed"]
    assert m.missing("Soldiers of the armed forces were hurt.", "Soldiers of the military were hurt.") == []


def test_a_dropped_only_or_very_counts_and_its_rewordings_keep_it() -> None:
    m = DetailMatcher(lambda key: [])
    source = "In the end only one of the players was very tired."
    assert m.missing(source, "In the end one of the players was tired.") == ["only", "very"]
    assert m.missing(source, "In the end just one of the players was extremely tired.") == []
    assert m.missing(source, "In the end a single player was really tired.") == []
    assert m.missing("They were too tired.", "They were tired.") == []  # other function words still are no details


def test_the_words_of_a_stated_cause_count_only_when_nothing_causal_is_left() -> None:
    """The cause check owns them: "driven by" said as "as a result of" leaves nothing out."""
    m = DetailMatcher(lambda key: [])
    source = "Revenue rose 12%, driven by strong sales in Germany."
    assert m.missing(source, "Revenue rose 12% as a result of strong sales in Germany.") == []
    assert m.missing(source, "Revenue rose 12%, indicating strong sales in Germany.") == ["driven"]
    # a word that is no part of the cause still counts
    assert m.missing(source, "Revenue went up 12% because of sales in Germany.") == ["rose", "strong"]


def test_the_detail_count_and_the_phrase_look_up_share_one_loaded_index(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    from models import phrases

    loads: list[object] = []

    class Loaded:
        def lookup(self, word: str) -> list[tuple[str, float]]:
            return [("costs", 1.0)] if word == "bills" else []

    def load(folder):  # noqa: ANN001, ANN202
        loads.append(folder)
        return Loaded()

    monkeypatch.setattr(phrases.PhraseIndex, "load", load)
    monkeypatch.setattr(phrases, "_shared", {})
    folder = tmp_path / "index"
    first, second = DetailMatcher.default(folder), DetailMatcher.default(folder)
    assert first.ready() and second.ready()
    assert phrases.shared_index(folder) is phrases.shared_index(folder)
    assert second.missing("They paid the bills.", "They paid the costs.") == []
    assert len(loads) == 1


def test_an_offline_job_gets_an_error_not_a_count_without_the_index(tmp_path) -> None:  # noqa: ANN001
    from models.phrases import PhraseIndexError

    with pytest.raises(PhraseIndexError):
        DetailMatcher.required(tmp_path / "no-index")
