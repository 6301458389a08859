"""Phrase alternatives: the index format and its checks, the query's span rules, fit and ranking."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from models.errors import BundleError
from models.phrase_store import ARRAYS_FILE, PhraseIndexError
from models.phrases import DEFAULT_INDEX, PHRASES_DIR, Alternative, PhraseAlternatives, PhraseIndex, \
    PhraseSpanError


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tiny_phrases import write_tiny_index

    return write_tiny_index(tmp_path_factory.mktemp("phrases") / "tiny-phrases")


@pytest.fixture(scope="module")
def index(index_dir: Path) -> PhraseIndex:
    return PhraseIndex.load(index_dir)


def ask(index: PhraseIndex, text: str, word: str, **kwargs: object) -> PhraseAlternatives:
    start = text.index(word)
    return index.alternatives(text, start, start + len(word), **kwargs)  # type: ignore[arg-type]


def texts(result: PhraseAlternatives) -> list[str]:
    return [a.text for a in result.alternatives]


# -- the index file --------------------------------------------------------------------------------

def test_load_reads_what_was_written(index: PhraseIndex) -> None:
    assert index.name == "tiny-phrases"
    assert "significant" in index and "Look  into" in index and "nothing" not in index
    stored = index.lookup("significant")
    assert [alt for alt, _ in stored] == ["considerable", "substantial", "major", "important"]
    from tiny_phrases import score

    assert stored[0][1] == pytest.approx(score(9, 0.30, 0.40), rel=1e-5)


def test_a_missing_index_names_the_folder_and_the_rebuild(tmp_path: Path) -> None:
    with pytest.raises(PhraseIndexError) as info:
        PhraseIndex.load(tmp_path / "no-such-index")
    assert isinstance(info.value, BundleError)
    assert "no-such-index" in str(info.value) and "distill.phrase_mining" in str(info.value)


def test_an_altered_file_is_refused(index_dir: Path, tmp_path: Path) -> None:
    import shutil

    copy = Path(shutil.copytree(index_dir, tmp_path / "copy"))
    data = bytearray((copy / ARRAYS_FILE).read_bytes())
    data[len(data) // 2] ^= 0xFF
    (copy / ARRAYS_FILE).write_bytes(bytes(data))
    with pytest.raises(PhraseIndexError, match=f"{ARRAYS_FILE} is corrupt"):
        PhraseIndex.load(copy)
    (copy / ARRAYS_FILE).unlink()
    with pytest.raises(PhraseIndexError, match=f"{ARRAYS_FILE} is missing"):
        PhraseIndex.load(copy)


@pytest.mark.parametrize("change", [
    lambda m: m.update(kind="scorer"),
    lambda m: m.update(format_version=99),
    lambda m: m.pop("files"),
    lambda m: m["files"][ARRAYS_FILE].update(sha256="xyz"),
])
def test_a_damaged_manifest_is_refused(index_dir: Path, tmp_path: Path, change) -> None:  # noqa: ANN001
    import shutil

    copy = Path(shutil.copytree(index_dir, tmp_path / "copy"))
    manifest = json.loads((copy / "manifest.json").read_text(encoding="utf-8"))
    change(manifest)
    (copy / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(PhraseIndexError, match="damaged manifest.json"):
        PhraseIndex.load(copy)


def test_a_manifest_that_is_not_json_is_refused(index_dir: Path, tmp_path: Path) -> None:
    import shutil

    copy = Path(shutil.copytree(index_dir, tmp_path / "copy"))
    (copy / "manifest.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(PhraseIndexError, match="not valid JSON"):
        PhraseIndex.load(copy)


def test_arrays_that_disagree_are_refused_on_write(tmp_path: Path) -> None:
    from models.phrase_store import PhraseTable, write_index

    one = np.array([0.5], np.float32)
    table = PhraseTable(strings=["a", "b"], phrase_ids=np.array([0], np.int32), offsets=np.array([0, 2], np.int64),
                        alt_ids=np.array([1], np.int32), counts=np.array([1], np.int32),
                        p_alt=one, p_phrase=one, similarity=one, score=one)
    with pytest.raises(ValueError, match="offsets"):
        write_index(tmp_path / "bad", table, {})


# -- spans ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("start", "end", "message"), [
    (5, 5, "empty"),
    (-1, 3, "outside the text"),
    (3, 99, "outside the text"),
    (8, 4, "outside the text"),
    (17, 19, "no word"),
])
def test_bad_spans_are_clear_errors(index: PhraseIndex, start: int, end: int, message: str) -> None:
    text = "The big house  ,   stood there."
    with pytest.raises(PhraseSpanError, match=message) as info:
        index.alternatives(text, start, end)
    assert isinstance(info.value, ValueError)


def test_a_span_that_touches_protected_text_is_refused(index: PhraseIndex) -> None:
    text = "Prices rose 3 percent in May."
    with pytest.raises(PhraseSpanError, match="protected"):
        ask(index, text, "rose 3", protected=[(12, 13)])
    assert texts(ask(index, text, "rose", protected=[(12, 13)]))  # beside it is fine


def test_a_span_is_trimmed_and_widened_to_whole_words(index: PhraseIndex) -> None:
    text = "They will look into it."
    result = index.alternatives(text, text.index("ook"), text.index("int") + 2)
    assert (result.start, result.end, result.phrase) == (10, 19, "look into")
    padded = index.alternatives(text, 9, 20)  # " look into "
    assert (padded.start, padded.end) == (10, 19)
    assert texts(result)[0] == "investigate"


def test_an_unknown_or_long_phrase_has_no_alternatives(index: PhraseIndex) -> None:
    text = "A purple elephant walked across the big wide open field."
    assert ask(index, text, "elephant").alternatives == ()
    assert ask(index, text, "across the big wide open").alternatives == ()
    assert ask(index, text, "the").alternatives == ()  # function words are never offered


# -- fit ---------------------------------------------------------------------------------------------

def test_casing_follows_the_source(index: PhraseIndex) -> None:
    assert texts(ask(index, "Significant gains were made.", "Significant"))[:2] == ["Considerable", "Substantial"]
    assert texts(ask(index, "The gains were significant.", "significant"))[0] == "considerable"
    assert texts(ask(index, "THE GAINS WERE SIGNIFICANT.", "SIGNIFICANT"))[0] == "CONSIDERABLE"


def test_antonyms_and_negations_are_never_offered(index: PhraseIndex) -> None:
    rose = texts(ask(index, "Prices rose in May.", "rose"))
    assert "fell" not in rose and rose == ["increased", "climbed"]
    allowed = texts(ask(index, "Dogs are allowed here.", "allowed"))
    assert allowed == ["permitted"]  # neither "not allowed" nor "disallowed"


def test_the_committed_index_offers_no_antonym_read_by_eye() -> None:
    """Read by eye on held-out news: "acquitted" was offered "convicted" (now a FLIPS pair)."""
    committed = PhraseIndex.load(None)
    for text, word, antonym in [("The jury acquitted the two men.", "acquitted", "convicted"),
                                ("Prices rose in May.", "rose", "fell")]:
        assert antonym not in texts(ask(committed, text, word))


def test_the_committed_index_offers_none_of_the_extra_antonyms() -> None:
    """Pairs the index has but its blocked list lacked ("right" -> "wrong" was offered on held-out
    news): blocked both ways, whatever the index holds."""
    from models.phrase_words import EXTRA_ANTONYMS

    committed = PhraseIndex.load(None)
    stored = [(a, b) for a, b in EXTRA_ANTONYMS if b in dict(committed.lookup(a))]
    stored += [(b, a) for a, b in EXTRA_ANTONYMS if a in dict(committed.lookup(b))]
    assert len(stored) >= 10  # the index does hold them: the block is what keeps them out
    for word, antonym in stored:
        assert antonym not in texts(ask(committed, f"They said {word} again.", word))
    assert "wrong" not in texts(ask(committed, "Press the right buttons at the right time.", "right"))


def test_a_base_form_is_inflected_back_only_into_real_words(index: PhraseIndex) -> None:
    rising = texts(ask(index, "Prices are rising fast.", "rising"))
    assert sorted(rising) == ["climbing", "increasing"]  # "seniorring" is not a word the mining saw


def test_a_word_the_index_lacks_borrows_its_plural_alternatives(index: PhraseIndex) -> None:
    assert texts(ask(index, "A small island nation.", "island")) == ["isle", "atoll"]  # "archipelago" has no -s


def test_the_other_spelling_is_looked_up(index: PhraseIndex) -> None:
    assert texts(ask(index, "A quiet neighbourhood.", "neighbourhood")) == ["district", "area", "community"]


def test_a_short_list_is_topped_up_from_its_alternatives_own(index: PhraseIndex) -> None:
    result = ask(index, "They sought asylum abroad.", "asylum")
    assert texts(result) == ["refuge", "sanctuary", "shelter"]  # never the word itself
    scores = [a.score for a in result.alternatives]
    assert scores[0] > scores[1] >= scores[2]


def test_word_rules() -> None:
    from models.phrase_words import case_like, inflect, lemma_variants, looks_like_same_word, same_lemma, \
        shares_stem, spelling_variants, wants_an

    assert lemma_variants("rising")[0] == "rise" and "try" in lemma_variants("tried")
    assert inflect("climb", "ing") == "climbing" and inflect("carry", "ed") == "carried"
    assert inflect("box", "s") == "boxes" and inflect("rise", "ing") == "rising"
    assert same_lemma("deaths", "death") and not same_lemma("death", "dearth")
    assert looks_like_same_word("rose", "rising") and looks_like_same_word("grey", "gray")
    assert not looks_like_same_word("rose", "climbed")
    assert shares_stem("approve", "reapproved") and not shares_stem("man", "mankind")
    assert spelling_variants("colour") == ["color"] and "travelled" in spelling_variants("traveled")
    assert wants_an("hour") and wants_an("apple") and not wants_an("university") and not wants_an("big")
    assert case_like("Big", "very large") == "Very large" and case_like("BIG", "large") == "LARGE"
    assert case_like("New York", "big apple") == "Big Apple" and case_like("big", "i think") == "I think"


def test_other_forms_of_the_word_and_mismatched_suffixes_are_dropped(index: PhraseIndex) -> None:
    assert texts(ask(index, "The machine is running.", "running")) == ["operating", "managing"]  # not "ran"
    assert "rising" not in texts(ask(index, "Prices rose in May.", "rose"))


def test_a_and_an_keep_agreeing(index: PhraseIndex) -> None:
    assert "enormous" not in texts(ask(index, "They own a big house.", "big"))
    assert "enormous" in texts(ask(index, "They own the big house.", "big"))


def test_an_ing_word_used_as_a_noun_takes_any_alternative(tmp_path: Path) -> None:
    from tiny_phrases import write_tiny_index

    index = PhraseIndex.load(write_tiny_index(tmp_path / "ing", {
        "building": [("structure", 5, 0.4, 0.4), ("edifice", 3, 0.3, 0.3), ("premises", 2, 0.1, 0.1)],
        "looking": [("searching", 6, 0.4, 0.4), ("seeking", 4, 0.3, 0.3), ("eager", 3, 0.2, 0.2)],
    }))
    assert texts(ask(index, "They left the old building early.", "building")) == ["structure", "edifice", "premises"]
    assert texts(ask(index, "They are looking for work.", "looking")) == ["searching", "seeking"]  # not "eager"
    assert "eager" in texts(ask(index, "It was the looking that mattered.", "looking"))  # a noun after "the"


def test_an_ing_noun_does_not_borrow_its_verbs_alternatives(tmp_path: Path) -> None:
    """"training" used as a noun (its own alternatives are not "-ing" words) gets no "-ing" form
    of "train"'s alternatives (in the real index "rail" made "railing", another word); a verb
    form whose alternatives are "-ing" words still does."""
    from tiny_phrases import write_tiny_index

    index = PhraseIndex.load(write_tiny_index(tmp_path / "ing-noun", {
        "training": [("fitness", 5, 0.4, 0.4), ("exercise", 3, 0.3, 0.3)],
        "train": [("climb", 9, 0.6, 0.6), ("rise", 4, 0.3, 0.3)],
        "lifting": [("hoisting", 5, 0.4, 0.4)],
        "lift": [("climb", 9, 0.6, 0.6), ("rise", 4, 0.3, 0.3)],
    }))
    assert texts(ask(index, "Staff need better training for this.", "training")) == ["fitness", "exercise"]
    assert sorted(texts(ask(index, "They were lifting boxes.", "lifting"))) == ["climbing", "hoisting", "rising"]


def test_an_alternative_that_changes_a_number_of_the_sentence_is_dropped(tmp_path: Path) -> None:
    """The facts check the paraphrases pass decides, in the sentence at hand: "initial" keeps a
    stated "first", "primary" does not; "3" keeps "three", "dozens" does not; a weak number word
    the sentence does not state as a number gets nothing."""
    from tiny_phrases import write_tiny_index

    index = PhraseIndex.load(write_tiny_index(tmp_path / "numbers", {
        "first": [("primary", 6, 0.4, 0.4), ("initial", 5, 0.3, 0.3), ("earliest", 3, 0.2, 0.2)],
        "three": [("dozens", 5, 0.4, 0.4), ("3", 4, 0.3, 0.3)],
        "big": [("large", 9, 0.5, 0.4), ("twelve", 2, 0.1, 0.1)],
        "second": [("first", 6, 0.4, 0.4), ("next", 5, 0.3, 0.3), ("subsequent", 4, 0.2, 0.2), ("2nd", 3, 0.1, 0.1)],
        "doubled": [("increased", 6, 0.4, 0.4), ("tripled", 3, 0.2, 0.2)],
        "fifth": [("5th", 4, 0.4, 0.4)],
    }))
    assert texts(ask(index, "He won the second round.", "second")) == ["subsequent", "2nd"]  # stated: kept as the 2nd
    # no number here: its alternatives are the number's
    assert texts(ask(index, "Wait a second, please.", "second")) == []
    assert texts(ask(index, "At first nobody came.", "first")) == []
    assert texts(ask(index, "Sales doubled last year.", "doubled")) == []  # a multiplier is a number
    assert texts(ask(index, "About one fifth of them came.", "fifth")) == []  # a word of a longer number
    assert texts(ask(index, "The first stage was hard.", "first")) == ["initial", "earliest"]
    assert texts(ask(index, "They won three games.", "three")) == ["3"]
    assert texts(ask(index, "A big crowd came.", "big")) == ["large"]  # no number may come in either


def test_k_limits_the_answer_and_the_result_is_frozen(index: PhraseIndex) -> None:
    result = ask(index, "A significant gain.", "significant", k=2)
    assert len(result.alternatives) == 2 and result.elapsed_ms >= 0
    assert isinstance(result.alternatives[0], Alternative)
    with pytest.raises(AttributeError):
        result.phrase = "x"  # type: ignore[misc]


# -- ranking with a scorer -----------------------------------------------------------------------------

class RecordingScorer:
    """Prefers "substantial"; everything under the threshold is dropped."""

    threshold = 0.3

    def __init__(self) -> None:
        self.calls: list[tuple[list[str], list[str]]] = []

    def score(self, sources: list[str], candidates: list[str]) -> np.ndarray:
        self.calls.append((list(sources), list(candidates)))
        return np.array([0.95 if "substantial" in c else 0.1 if "important" in c else 0.5 for c in candidates],
                        dtype=np.float32)


def test_a_scorer_ranks_in_one_call_on_the_sentence(index: PhraseIndex) -> None:
    scorer = RecordingScorer()
    text = "Nothing changed. The team made significant gains this year! Then it rained."
    result = ask(index, text, "significant", scorer=scorer)
    assert len(scorer.calls) == 1  # three of four reach the threshold: the sentence itself is not scored
    sources, candidates = scorer.calls[0]
    assert set(sources) == {"The team made significant gains this year!"} and len(candidates) == 4
    assert "The team made substantial gains this year!" in candidates
    assert texts(result)[0] == "substantial"
    assert "important" not in texts(result)  # under the scorer's threshold
    assert all(0.0 <= a.score <= 1.0 for a in result.alternatives)


def test_the_scorer_sees_a_window_of_the_sentence_around_the_word(index: PhraseIndex) -> None:
    """At most CONTEXT_WORDS words either side reach the scorer (its cost grows with length)."""
    from models.phrases import CONTEXT_WORDS

    scorer = RecordingScorer()
    left = " ".join(f"left{i}" for i in range(CONTEXT_WORDS + 5))
    right = " ".join(f"right{i}" for i in range(CONTEXT_WORDS + 5))
    text = f"Intro. {left} made significant gains, {right} end."
    ask(index, text, "significant", scorer=scorer)
    sources, candidates = scorer.calls[0]
    kept_left = " ".join(f"left{i}" for i in range(5, CONTEXT_WORDS + 5))
    assert set(sources) == {f"{' '.join(kept_left.split()[1:])} made significant gains, "
                            f"{' '.join(f'right{i}' for i in range(CONTEXT_WORDS - 1))}"}
    assert f"{' '.join(kept_left.split()[1:])} made substantial gains, " \
           f"{' '.join(f'right{i}' for i in range(CONTEXT_WORDS - 1))}" in candidates
    short = "The team made significant gains this year!"  # shorter than the window: whole sentence
    scorer.calls.clear()
    ask(index, short, "significant", scorer=scorer)
    assert set(scorer.calls[0][0]) == {short}


class FlatScorer:
    """Scores every pair ``level``, the sentence against itself ``itself``: a long sentence's sag."""

    threshold = 0.5

    def __init__(self, level: float, itself: float) -> None:
        self.level, self.itself, self.calls = level, itself, 0

    def score(self, sources: list[str], candidates: list[str]) -> np.ndarray:
        self.calls += 1
        return np.array([self.itself if s == c else self.level for s, c in zip(sources, candidates)], np.float32)


def test_the_threshold_follows_a_sentence_the_scorer_doubts_itself(index: PhraseIndex) -> None:
    text = "The team made significant gains this year."
    sagging = FlatScorer(level=0.47, itself=0.48)  # under 0.5, but as high as no change at all
    assert len(ask(index, text, "significant", scorer=sagging).alternatives) == 4 and sagging.calls == 2
    sentence = []

    class Recording(FlatScorer):
        def score(self, sources: list[str], candidates: list[str]) -> np.ndarray:
            sentence.append((list(sources), list(candidates)))
            return super().score(sources, candidates)

    ask(index, text, "significant", scorer=Recording(level=0.47, itself=0.48))
    assert sentence[1] == ([text], [text])  # the second call: the sentence against itself
    sure = FlatScorer(level=0.47, itself=0.95)  # the sentence itself is clear: 0.47 loses meaning
    assert ask(index, text, "significant", scorer=sure).alternatives == ()
    confident = FlatScorer(level=0.9, itself=0.95)  # nothing under the threshold: one call only
    assert len(ask(index, text, "significant", scorer=confident).alternatives) == 4 and confident.calls == 1


class ContextScorer(RecordingScorer):
    """Like :class:`RecordingScorer`, and its graph hands out token states: "major" fits best in context."""

    has_token_states = True

    def __init__(self, fit: dict[str, float]) -> None:
        super().__init__()
        self.fit = fit
        self.spans: list[tuple[tuple[int, int], list[tuple[int, int]]]] = []

    def span_similarity(self, source: str, span: tuple[int, int], candidates: list[str],
                        spans: list[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
        self.spans.append((span, list(spans)))
        probabilities = self.score([source] * len(candidates), candidates)
        words = [c[a:b] for c, (a, b) in zip(candidates, spans)]
        return probabilities, np.array([self.fit.get(w, np.nan) for w in words], dtype=np.float32)


def test_the_fit_in_context_reorders_what_the_scorer_keeps(index: PhraseIndex) -> None:
    text = "The team made significant gains this year!"
    plain = texts(ask(index, text, "significant", scorer=RecordingScorer()))
    assert plain[0] == "substantial"
    scorer = ContextScorer({"substantial": 0.2, "major": 0.7, "considerable": 0.4, "important": 0.9})
    result = ask(index, text, "significant", scorer=scorer)
    assert len(scorer.calls) == 1  # the same one pass gives the probabilities and the fit
    span, spans = scorer.spans[0]
    assert text[slice(*span)] == "significant"
    assert texts(result)[0] == "major"  # fits best of those the scorer keeps
    assert "important" not in texts(result)  # the best fit, but under the scorer's threshold
    assert all(0.0 <= a.score <= 1.0 for a in result.alternatives)
    unknown = ContextScorer({})  # every span outside the window: the fit says nothing, the order stays
    assert texts(ask(index, text, "significant", scorer=unknown)) == plain


def test_the_real_scorer_bundle_ranks(index: PhraseIndex, tmp_path_factory: pytest.TempPathFactory) -> None:
    pytest.importorskip("torch")
    from tiny_scorer import tiny_scorer

    from models.scorer import MeaningScorer

    scorer = MeaningScorer.load(tiny_scorer(tmp_path_factory).bundle, threads=1)
    assert scorer.has_token_states
    result = ask(index, "The team made significant gains.", "significant", scorer=scorer)
    assert set(texts(result)) <= {"considerable", "substantial", "major", "important"}
    assert all(0.0 <= a.score <= 1.0 for a in result.alternatives)


# -- the default index ---------------------------------------------------------------------------------

@pytest.mark.skipif(not (PHRASES_DIR / DEFAULT_INDEX / "manifest.json").is_file(), reason="default index not built")
def test_the_default_index_answers_common_words() -> None:
    index = PhraseIndex.load()
    assert index.name == DEFAULT_INDEX
    text = "The company reported a significant increase in profits and said demand remained strong."
    for word in ("significant", "reported", "company"):
        result = ask(index, text, word)
        assert len(result.alternatives) >= 3, word
    assert "weak" not in [t.lower() for t in texts(ask(index, text, "strong"))]


def test_no_alternative_moves_a_time(tmp_path: Path) -> None:
    """The index has "today" for "yesterday" and "afternoon" for "evening" (right in other
    sentences); swapped in here they would change when something happened."""
    from tiny_phrases import write_tiny_index

    index = PhraseIndex.load(write_tiny_index(tmp_path / "time", {
        "yesterday": [("today", 6, 0.4, 0.4), ("the day before", 3, 0.2, 0.3)],
        "evening": [("afternoon", 5, 0.4, 0.4), ("night", 4, 0.3, 0.3)],
        "day": [("morning", 5, 0.4, 0.4), ("date", 2, 0.2, 0.2)],
    }))
    assert texts(ask(index, "She said yesterday that the talks had failed.", "yesterday")) == ["the day before"]
    assert texts(ask(index, "The council meets in the evening.", "evening")) == ["night"]
    assert "morning" not in texts(ask(index, "The shop is open every day.", "day"))


def test_life_is_never_offered_as_death(tmp_path: Path) -> None:
    """Teachers wrote "deaths" for "lives" after "claimed"; elsewhere it says the opposite."""
    from tiny_phrases import write_tiny_index

    index = PhraseIndex.load(write_tiny_index(tmp_path / "life", {
        "lives": [("deaths", 26, 0.4, 0.4), ("fatalities", 10, 0.2, 0.2), ("people", 5, 0.1, 0.1)],
    }))
    assert texts(ask(index, "Their lives were changed by the flood.", "lives")) == ["people"]


def test_no_alternative_names_another_office(tmp_path: Path) -> None:
    """Teachers wrote "director" and "president" for "chairman" in other sentences."""
    from tiny_phrases import write_tiny_index

    index = PhraseIndex.load(write_tiny_index(tmp_path / "office", {
        "chairman": [("president", 6, 0.4, 0.4), ("director", 4, 0.3, 0.3), ("head", 3, 0.2, 0.2)],
    }))
    assert texts(ask(index, "The company's chairman said profits would rise.", "chairman")) == ["head"]


def test_no_alternative_names_a_person_of_the_other_sex_or_a_new_relation(tmp_path: Path) -> None:
    """The index had "lady" for "boy", "dad" for "mother" and "daughter" for "girl"."""
    from tiny_phrases import write_tiny_index

    index = PhraseIndex.load(write_tiny_index(tmp_path / "people", {
        "boy": [("lady", 5, 0.4, 0.4), ("lad", 3, 0.3, 0.3), ("male", 2, 0.2, 0.2)],
        "mother": [("dad", 5, 0.4, 0.4), ("mom", 4, 0.3, 0.3), ("parent", 3, 0.2, 0.2)],
        "girl": [("daughter", 5, 0.4, 0.4), ("young woman", 4, 0.3, 0.3), ("child", 3, 0.2, 0.2)],
    }))
    assert texts(ask(index, "The boy was found safe.", "boy")) == ["lad", "male"]
    assert texts(ask(index, "His mother called the police.", "mother")) == ["mom", "parent"]
    assert texts(ask(index, "The girl won the race.", "girl")) == ["young woman", "child"]


def test_a_word_for_anyone_gets_no_alternative_of_one_sex(tmp_path: Path) -> None:
    """The index had "girl" for "person" and "server", "man" for "human" and "guys" for "people";
    where the sentence already says who ("he"), a word of that sex may stand."""
    from tiny_phrases import write_tiny_index

    index = PhraseIndex.load(write_tiny_index(tmp_path / "anyone", {
        "person": [("girl", 5, 0.4, 0.4), ("man", 4, 0.3, 0.3), ("individual", 3, 0.2, 0.2)],
    }))
    assert texts(ask(index, "The value of this person lies elsewhere.", "person")) == ["individual"]
    assert texts(ask(index, "He was a kind person to everyone he met.", "person")) == ["man", "individual"]


def test_a_unit_after_a_number_keeps_its_measure(tmp_path: Path) -> None:
    """The index had "kilometers" for "miles" and "minutes" for "hours"."""
    from tiny_phrases import write_tiny_index

    index = PhraseIndex.load(write_tiny_index(tmp_path / "units", {
        "miles": [("kilometers", 6, 0.4, 0.4), ("mi", 3, 0.3, 0.3), ("distance", 2, 0.2, 0.2)],
    }))
    assert texts(ask(index, "The road is 5 miles long.", "miles")) == ["mi", "distance"]
    assert "kilometers" in texts(ask(index, "The road is many miles long.", "miles"))  # no number to keep


def test_another_thing_of_the_same_kind_is_not_offered(tmp_path: Path) -> None:
    """The index had "taxi" and "tram" for "train" and "kept" for "sold"."""
    from tiny_phrases import write_tiny_index

    index = PhraseIndex.load(write_tiny_index(tmp_path / "kinds", {
        "train": [("taxi", 5, 0.4, 0.4), ("tram", 4, 0.3, 0.3), ("railway", 3, 0.2, 0.2)],
        "sold": [("kept", 5, 0.4, 0.4), ("marketed", 3, 0.3, 0.3)],
    }))
    assert texts(ask(index, "She took the train to work.", "train")) == ["railway"]
    assert texts(ask(index, "The house was sold last year.", "sold")) == ["marketed"]


def test_no_alternative_changes_how_many_or_how_often(tmp_path: Path) -> None:
    """The index had "usually", "sometimes" and "always" for "often", and "most" for "many"."""
    from tiny_phrases import write_tiny_index

    index = PhraseIndex.load(write_tiny_index(tmp_path / "amounts", {
        "often": [("usually", 6, 0.4, 0.4), ("sometimes", 5, 0.3, 0.3), ("frequently", 4, 0.3, 0.3)],
        "many": [("most", 5, 0.4, 0.4), ("numerous", 4, 0.3, 0.3)],
        "multiple": [("several", 5, 0.4, 0.4), ("various", 4, 0.3, 0.3)],
    }))
    assert texts(ask(index, "Critics often call the film too long.", "often")) == ["frequently"]
    assert texts(ask(index, "Many analysts expect a cut.", "Many")) == ["Numerous"]
    assert "several" in texts(ask(index, "The study found multiple causes.", "multiple"))  # no amount to keep


def test_a_negation_written_without_its_apostrophe_is_never_offered(tmp_path: Path) -> None:
    """The teachers' lower-cased pairs write "dont": the index had "dont think" for "believe"."""
    from tiny_phrases import write_tiny_index

    index = PhraseIndex.load(write_tiny_index(tmp_path / "bare", {
        "believe": [("dont think", 5, 0.4, 0.4), ("think", 4, 0.3, 0.3), ("doesnt feel", 3, 0.2, 0.2)],
    }))
    assert texts(ask(index, "Analysts believe the deal will close.", "believe")) == ["think"]


def test_a_longer_alternative_that_only_adds_a_word_is_not_offered(tmp_path: Path) -> None:
    """The index had "usually incorrect" for "wrong" beside "incorrect", and "surprising results"
    for "findings" beside "results": the added word is a detail the writer never gave."""
    from tiny_phrases import write_tiny_index

    index = PhraseIndex.load(write_tiny_index(tmp_path / "added", {
        "wrong": [("incorrect", 6, 0.4, 0.4), ("usually incorrect", 4, 0.3, 0.3), ("mistaken", 3, 0.2, 0.2)],
        "findings": [("surprising results", 5, 0.4, 0.4), ("results", 4, 0.3, 0.3), ("discoveries", 3, 0.2, 0.2)],
        "considered": [("thought about", 5, 0.4, 0.4), ("thought", 3, 0.3, 0.3), ("weighed", 3, 0.2, 0.2)],
    }))
    assert texts(ask(index, "The answer was wrong.", "wrong")) == ["incorrect", "mistaken"]
    assert texts(ask(index, "The findings were published.", "findings")) == ["results", "discoveries"]
    assert "thought about" in texts(ask(index, "She considered the offer.", "considered"))  # adds only "about"


def test_a_comparative_is_not_made_superlative(tmp_path: Path) -> None:
    """The index had "best" for "better" (the teachers' "the best option" for "a better one")."""
    from tiny_phrases import write_tiny_index

    index = PhraseIndex.load(write_tiny_index(tmp_path / "degree", {
        "better": [("best", 6, 0.4, 0.4), ("superior", 4, 0.3, 0.3), ("nicer", 3, 0.2, 0.2)],
        "biggest": [("larger", 5, 0.4, 0.4), ("largest", 4, 0.3, 0.3), ("major", 3, 0.2, 0.2)],
    }))
    assert texts(ask(index, "This is a better option for us.", "better")) == ["superior", "nicer"]
    assert texts(ask(index, "It was the biggest show of the year.", "biggest")) == ["largest", "major"]


def test_no_alternative_changes_how_sure_the_sentence_is(tmp_path: Path) -> None:
    """The index had "possibly", "perhaps" and "almost certain" for "likely"."""
    from tiny_phrases import write_tiny_index

    index = PhraseIndex.load(write_tiny_index(tmp_path / "sure", {
        "likely": [("possibly", 6, 0.4, 0.4), ("almost certain", 5, 0.3, 0.3), ("probably", 4, 0.3, 0.3),
                   ("expected", 3, 0.2, 0.2)],
    }))
    assert texts(ask(index, "An appeal is likely soon.", "likely")) == ["probably", "expected"]


def test_a_hedge_is_not_taken_out_of_the_sentence(tmp_path: Path) -> None:
    """The index had "sure" and "almost guaranteed" for "likely", which leave no hedge at all."""
    from tiny_phrases import write_tiny_index

    index = PhraseIndex.load(write_tiny_index(tmp_path / "hedge", {
        "likely": [("sure", 6, 0.4, 0.4), ("probably", 4, 0.3, 0.3), ("set", 3, 0.2, 0.2)],
    }))
    assert texts(ask(index, "Results were likely to be in the spotlight.", "likely")) == ["probably", "set"]


def test_what_the_sentence_states_as_done_is_not_made_intended(tmp_path: Path) -> None:
    """The index had "expected" for "according" and "plan" for "conspiracy" (held-out sets): in a
    sentence that states what happened, "expected to" and "plan to" make it not yet real."""
    from tiny_phrases import write_tiny_index

    index = PhraseIndex.load(write_tiny_index(tmp_path / "realis", {
        "resigned": [("tried", 6, 0.4, 0.4), ("quit", 5, 0.3, 0.3), ("stepped down", 4, 0.3, 0.3)],
        "conspiracy": [("plan", 6, 0.4, 0.4), ("plot", 5, 0.3, 0.3)],
    }))
    assert texts(ask(index, "Both prime ministers resigned to avoid a vote.", "resigned")) == ["quit", "stepped down"]
    assert texts(ask(index, "They pleaded guilty to one count of conspiracy to commit fraud.", "conspiracy")) == ["plot"]
    # a sentence that already speaks of a plan may say it another way
    assert "plan" in texts(ask(index, "They will face a count of conspiracy to commit fraud.", "conspiracy"))


def test_a_negated_modal_is_offered_only_its_own_spellings(tmp_path: Path) -> None:
    """The index had "won't", "shouldn't" and "don't" for "cannot" ("an order we cannot imagine",
    held-out news): each says something else than that it is impossible."""
    from tiny_phrases import write_tiny_index

    index = PhraseIndex.load(write_tiny_index(tmp_path / "modal", {
        "cannot": [("can't", 8, 0.5, 0.5), ("won't", 6, 0.3, 0.3), ("shouldn't", 5, 0.2, 0.2),
                   ("don't", 4, 0.2, 0.2), ("unable to", 3, 0.1, 0.1)],
    }))
    assert texts(ask(index, "Libya will be in an order we cannot imagine.", "cannot")) == ["can't"]
    assert texts(ask(index, "Libya will be in an order we can't imagine.", "can't")) == []  # none listed for it


def test_steps_of_the_law_or_a_role_are_not_offered_for_each_other() -> None:
    """The committed index had "charged" for "arrested", "convicted" for "accused", "killing"
    for "death", "suspects" for "men" and "babies" for "children": each says something else."""
    committed = PhraseIndex.load(None)
    for text, word, other in [("Police arrested two men on Friday.", "arrested", "charged"),
                              ("The two men accused of fraud were released.", "accused", "convicted"),
                              ("His death shocked the town.", "death", "killing"),
                              ("The men were seen leaving the bank.", "men", "suspects"),
                              ("The children played in the park.", "children", "babies"),
                              ("Ten people lost their homes.", "lost", "killed")]:
        assert other not in texts(ask(committed, text, word))


def test_no_alternative_moves_the_tense(tmp_path: Path) -> None:
    """The committed index offered "says" for "said" (in 14 of 896 held-out words' top three),
    "takes" and "taking" for "took", "stands" for "stood" and "thought" for "think": the writer
    reported something past, or present, and the alternative says the other."""
    from tiny_phrases import write_tiny_index

    index = PhraseIndex.load(write_tiny_index(tmp_path / "tense", {
        "said": [("says", 9, 0.5, 0.5), ("stated", 6, 0.4, 0.4), ("saying", 4, 0.2, 0.2), ("told", 3, 0.2, 0.2)],
        "took": [("takes", 8, 0.5, 0.5), ("take", 6, 0.4, 0.4), ("needed", 5, 0.3, 0.3), ("required", 3, 0.2, 0.2)],
        "think": [("thought", 7, 0.5, 0.5), ("believe", 6, 0.4, 0.4), ("assumed", 3, 0.2, 0.2)],
        "rose": [("jump", 7, 0.5, 0.5), ("climbed", 5, 0.4, 0.4)],
        "finished": [("complete", 6, 0.5, 0.5), ("ended", 5, 0.4, 0.4)],
    }, vocabulary=["jumped", "jumping", "jumps", "completed", "completing", "completes"]))
    assert texts(ask(index, "Kerry said the talks would resume.", "said")) == ["stated", "told"]
    assert texts(ask(index, "It took us almost 21 years to get there.", "took")) == ["needed", "required"]
    assert texts(ask(index, "I think the plan is good.", "think")) == ["believe"]
    assert texts(ask(index, "Prices rose sharply last year.", "rose")) == ["climbed"]
    # after a copula a participle is an adjective, and an adjective may take its place
    assert texts(ask(index, "The work is finished now.", "finished")) == ["complete", "ended"]
    assert texts(ask(index, "They finished the work.", "finished")) == ["ended"]


def test_a_singular_is_not_made_plural_where_the_sentence_needs_one(tmp_path: Path) -> None:
    """The committed index offered "hours" in "During this time", "distinctions" in "make a
    difference" and "tooths" for "teeth"; a plural is fine where nothing asks for one number."""
    from tiny_phrases import write_tiny_index

    index = PhraseIndex.load(write_tiny_index(tmp_path / "number", {
        "time": [("hours", 8, 0.5, 0.5), ("period", 6, 0.4, 0.4), ("moment", 4, 0.3, 0.3)],
        "information": [("details", 8, 0.5, 0.5), ("data", 6, 0.4, 0.4), ("knowledge", 4, 0.3, 0.3)],
        "teeth": [("tooths", 5, 0.5, 0.5), ("incisors", 4, 0.4, 0.4), ("fangs", 3, 0.3, 0.3)],
        "staff": [("employees", 6, 0.5, 0.5), ("personnel", 4, 0.4, 0.4)],
    }, vocabulary=["hour", "detail", "incisor", "fang", "employee"]))
    assert texts(ask(index, "During this time, 16 civilians died.", "time")) == ["period", "moment"]
    assert texts(ask(index, "The information is on the website.", "information")) == ["data", "knowledge"]
    assert texts(ask(index, "They asked for more information about it.", "information")) == [
        "details", "data", "knowledge"]
    assert texts(ask(index, "He lost two teeth in the fight.", "teeth")) == ["incisors", "fangs"]
    assert texts(ask(index, "The staff kept discussing it.", "staff")) == ["employees", "personnel"]
