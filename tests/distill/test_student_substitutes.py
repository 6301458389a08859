"""The student's in-context word choices: targets, contexts, the pool file, and the real student."""

from __future__ import annotations

from pathlib import Path

from distill import student_substitutes
from distill.student_substitutes import Choice, StudentChooser, collect, detokenize, pick_targets, read_pool, \
    write_pool


def test_brown_and_wikisplit_tokens_are_joined_back() -> None:
    assert detokenize("He said `` no evidence '' , did n't he ?") == 'He said "no evidence", didn\'t he?'
    assert detokenize("It cost $ 5 ( about 3 pounds ) .") == "It cost $5 (about 3 pounds)."


def test_targets_are_frequent_thin_content_words_written_lower_case_inside_a_sentence() -> None:
    sentences = [
        "Yesterday the porter carried the luggage to the waiting taxi outside.",
        "She lost her luggage at the station and never found it again.",
        "Luggage was piled high in the hall of the old hotel by noon.",  # a sentence start: not counted
        "The guests left their luggage with the porter for three hours.",
        "The porter asked three guests about the luggage in the hall.",
        "Too short for a context.",
    ]
    targets = pick_targets(sentences, covered={"porter"}, limit=10, per_word=2)
    words = [t[3] for t in targets]
    assert words.count("luggage") == 2  # seen four times inside sentences, two contexts asked
    assert "porter" not in words  # the index already offers enough
    assert "three" not in words and "the" not in words  # number and function words
    assert "hall" not in words and "guests" not in words  # seen only twice
    for sentence, start, end, word in targets:
        assert sentence[start:end] == word and sentence[start - 1] == " "


def test_the_pool_file_round_trips(tmp_path: Path) -> None:
    pool = {("luggage", "baggage"): [Choice("baggage", -2.6, -0.2), Choice("baggage", -2.4, -0.1)],
            ("rubble", "debris"): [Choice("debris", -2.0, -0.05)]}
    path = tmp_path / "pool.tsv"
    write_pool(path, pool, {"bundle": "x"})
    assert path.read_text(encoding="utf-8").startswith('# {"bundle": "x"}')
    assert list(read_pool(path)) == [("luggage", "baggage", 2), ("rubble", "debris", 1)]


class FakeChooser:
    def __init__(self, answers: dict[str, list[Choice]]) -> None:
        self.answers = answers

    def choices(self, sentence: str, start: int, end: int) -> list[Choice]:
        if "too long" in sentence:
            raise ValueError("the text is too long for this model")
        return self.answers[sentence[start:end]]


def test_collect_gives_one_vote_per_sentence_and_drops_the_same_word() -> None:
    chooser = FakeChooser({"luggage": [Choice("Baggage", -2.6, -0.2), Choice("baggage", -2.7, -0.2),
                                       Choice("luggages", -3.0, -0.1), Choice("bags", -2.5, -0.1)]})
    targets = [("Her luggage was lost.", 4, 11, "luggage"), ("Our luggage was late.", 4, 11, "luggage"),
               ("This is too long luggage x.", 17, 24, "luggage")]
    pool = collect(chooser, targets, per_target=2, progress=False)  # type: ignore[arg-type]
    assert sorted(pool) == [("luggage", "baggage"), ("luggage", "bags")]
    assert len(pool[("luggage", "baggage")]) == 2  # "Baggage" and "baggage" in one sentence: one vote


def test_the_real_student_offers_words_that_fit(default_bundle: Path) -> None:
    chooser = StudentChooser(str(default_bundle), threads=1)
    sentence = "She forgot her luggage at the station and had to buy new clothes."
    start = sentence.index("luggage")
    found = chooser.choices(sentence, start, start + len("luggage"))
    texts = [c.text.lower() for c in found]
    assert texts and "luggage" not in texts
    assert all(t.isalpha() for t in texts)
    assert all(c.logprob >= student_substitutes.MIN_LOGPROB and c.back_logprob >= student_substitutes.MIN_BACK_LOGPROB
               for c in found)
    assert {"baggage", "bags", "belongings"} & set(texts)
    assert chooser.choices(sentence, 0, 3) == []  # the first word: the copy's token has no space before it
