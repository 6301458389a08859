"""Phrase mining: alignment, the filters that keep facts, PPDB-style counts, and the index end to end."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from distill import phrase_mining
from distill.pairs import is_dev_group
from distill.phrase_mining import Miner, MiningReport, Substitution, Vocabulary, align, build_table, mine, \
    rank_score, reject_reason
from distill.teacher_data import seed_key
from models.phrase_store import write_index
from models.phrase_words import words
from models.phrases import PhraseIndex

LLM_VS_AUG_HEADER = "teacher\tdataset\tlabel\tseed\tparaphrase"
DIV_HEADER = "teacher\tdataset\tfold\tfile_method\tlabel\tseed\tparaphrase"

#: seed (lower-cased, unpunctuated as kinit left it) -> cased GPT paraphrases
GROUPS = {
    "the company reported significant growth in sales this year": [
        "The company reported substantial growth in sales this year.",
        "The company reported considerable growth in sales this year.",
        "The company reported significant growth in revenue this year.",
    ],
    "officials said the damage was significant after the storm": [
        "Officials said the damage was substantial after the storm.",
        "Officials said the damage was considerable after the storm.",
    ],
    "prices rose sharply in the market on monday": [
        "Prices fell sharply in the market on Monday.",
        "Prices climbed sharply in the market on Monday.",
        "Prices climbed steeply in the market on Monday.",
    ],
    "the team won three games last week": ["The team won four games last week.", "The team won 3 games last week."],
    "yesterday john met the minister at the hotel": ["Yesterday Peter met the minister at the hotel.",
                                                     "Yesterday John met the minister in the hotel."],
    "the quick report number 40 was significant for everyone": [  # a dev group: never mined
        "The quick report number 40 was significant for everybody."],
}


def write_root(root: Path) -> Path:
    lines = [LLM_VS_AUG_HEADER]
    for seed, paraphrases in GROUPS.items():
        lines += [f"gpt-3.5-turbo-0125\tnews\t0\t{seed}\t{p}" for p in paraphrases]
    (root / "teacher" / "kinit_llm_vs_aug").mkdir(parents=True)
    (root / "teacher" / "kinit_llm_vs_aug" / "pairs_all.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (root / "teacher" / "kinit_div_incentives").mkdir(parents=True)
    (root / "teacher" / "kinit_div_incentives" / "pairs_seed_mapped.tsv").write_text(
        DIV_HEADER + "\ngpt-4\tnews\t0\tnews_0_seeds\t1\tofficials said the damage was significant after the "
                     "storm\tofficials said the damage was considerable after the storm\n", encoding="utf-8")
    (root / "eval" / "mrpc").mkdir(parents=True)
    (root / "eval" / "mrpc" / "msr_paraphrase_train.txt").write_text(
        "\ufeffQuality\t#1 ID\t#2 ID\t#1 String\t#2 String\n"
        "1\t1\t2\tThe storm caused severe damage on the coast.\tThe storm caused serious damage on the coast.\n"
        "1\t3\t4\tThe board approved a modest budget for the school.\tThe board approved a small budget for "
        "the school.\n", encoding="utf-8")
    (root / "eval" / "quora_qqp").mkdir(parents=True)
    with open(root / "eval" / "quora_qqp" / "eval.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "qid1", "qid2", "question1", "question2", "is_duplicate"])
        writer.writerow(["1", "1", "2", "What is the quickest way to learn Spanish?",
                         "What is the fastest way to learn Spanish?", "1"])
    return root


def test_the_fixture_groups_fall_where_the_tests_expect() -> None:
    dev = [seed for seed in GROUPS if is_dev_group(seed_key(seed), 0.05)]
    assert dev == ["the quick report number 40 was significant for everyone"]


# -- alignment ---------------------------------------------------------------------------------------

def test_align_finds_a_substitution_between_unchanged_words() -> None:
    subs = align(words("The results were significant today."), words("The results were considerable today."))
    assert subs == [Substitution(("significant",), ("considerable",), "were", "today")]


def test_align_compares_without_case_apostrophes_or_hyphens() -> None:
    subs = align(words("iraqs army was big in wellknown towns"), words("Iraq's army was large in well-known towns"))
    assert [(s.phrase, s.alternative) for s in subs] == [(("big",), ("large",))]


@pytest.mark.parametrize(("a", "b"), [
    ("Significant results came today.", "Considerable results came today."),   # no word before it
    ("The results were significant.", "The results were considerable."),        # no word after it
    ("He said it was a big house today.", "He said it was a remarkably large and very old home today."),  # 6 words
    ("The results were good today.", "The results were very good today."),      # an insertion, not a substitution
])
def test_align_skips_what_is_no_clean_substitution(a: str, b: str) -> None:
    assert align(words(a), words(b)) == []


# -- filters -------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def vocabulary() -> Vocabulary:
    vocab = Vocabulary()
    for text in ["The growth was significant and substantial, not considerable.", "Prices rose and fell and climbed.",
                 "They met Peter and John in Paris on Monday.", "It was likely, unlikely, big, bigger and large.",
                 "The team won three or four games and lost some.", "Deaths and death were recorded; it is allowed.",
                 "We will look into it and investigate the matter without delay.", "The death toll rose.",
                 "It was approved, then reapproved.", "The schools and the growth's end.",
                 "The first, initial and primary stage; a single, sole point; the percentage and share of it.",
                 "They saw 3 of them the next time, and a second time."]:
        vocab.add(text)
    return vocab


@pytest.mark.parametrize(("phrase", "alternative", "reason"), [
    ("significant", "substantial", None),
    ("look into", "investigate", None),
    ("rose", "fell", "antonym"),
    ("likely", "unlikely", "antonym"),
    ("allowed", "not allowed", "negation"),
    ("three", "four", "number"),
    ("three", "several", "number"),
    ("peter", "john", "name"),
    ("death", "deaths", "inflection"),
    ("the growth", "growth", "function word at one edge"),
    ("was", "is", "function words"),
    ("wellknown", "well-known", "spelling"),
    ("iraqs", "big", "not in cased text"),
    ("growth", "significant growth rose", "length"),
    ("look", "investigate the deaths", "length"),
    ("deaths", "death toll", "same word rebuilt"),
    ("approved", "reapproved", "same word rebuilt"),
    ("schools", "growth's", "possessive on one side"),
])
def test_reject_reasons(vocabulary: Vocabulary, phrase: str, alternative: str, reason: str | None) -> None:
    sub = Substitution(tuple(phrase.split()), tuple(alternative.split()), "", "")
    assert reject_reason(sub, vocabulary) == reason


@pytest.mark.parametrize(("left", "phrase", "alternative", "right", "reason"), [
    ("saw", "three", "3", "games", None),  # the same number, written another way
    ("the", "first", "initial", "stage", None),  # "first" stated, kept by a word that keeps it
    ("the", "first", "primary", "stage", "number"),  # "primary" does not say first
    ("at", "first", "initial", "glance", None),  # an idiom: no number there to keep
    ("a", "single", "sole", "point", None),
    ("the", "percentage", "share", "of", None),
    ("won", "three", "several", "games", "number"),
    ("of", "thousands", "many", "people", "number"),  # "thousands" is a magnitude the facts check keeps
    ("the", "second", "first", "time", "number"),  # weak ordinals, not required, but not to be swapped
    ("the", "second", "next", "time", None),
])
def test_a_number_substitution_is_kept_only_where_it_keeps_the_number(
        vocabulary: Vocabulary, left: str, phrase: str, alternative: str, right: str, reason: str | None) -> None:
    """Read by the candidate pipeline's facts check in the substitution's context, both ways."""
    sub = Substitution((phrase,), (alternative,), left, right)
    assert reject_reason(sub, vocabulary) == reason
    assert reject_reason(Substitution((alternative,), (phrase,), left, right), vocabulary) == reason


def test_names_are_words_capitalised_inside_sentences(vocabulary: Vocabulary) -> None:
    assert vocabulary.is_name("peter") and vocabulary.is_name("monday")
    assert not vocabulary.is_name("prices")  # capitalised only where a sentence starts
    assert not vocabulary.is_name("i")


# -- counting and scores ----------------------------------------------------------------------------------

def test_a_unit_votes_at_most_twice_and_both_directions_count(vocabulary: Vocabulary) -> None:
    miner = Miner(vocabulary)
    pair = (words("The growth was significant this year."), words("The growth was substantial this year."))
    miner.add_unit("teacher", [pair, pair, pair])
    miner.add_unit("mrpc", [pair])
    assert miner.counts[("significant", "substantial")] == 3
    assert miner.counts[("substantial", "significant")] == 3
    assert miner.report.pairs == Counter({"teacher": 3, "mrpc": 1})


def test_build_table_scores_like_ppdb() -> None:
    counts = Counter({("big", "large"): 6, ("large", "big"): 6, ("big", "huge"): 2, ("huge", "big"): 2,
                      ("big", "quite odd"): 1, ("quite odd", "big"): 1, ("large", "vast"): 2, ("vast", "large"): 2,
                      ("big", "grand"): 1, ("grand", "big"): 1})
    report = MiningReport()
    table = build_table(counts, blocked=[("rose", "fell")], min_count=2, report=report)
    row = [table.strings[i] for i in table.phrase_ids].index("big")
    lo, hi = table.offsets[row], table.offsets[row + 1]
    alternatives = [table.strings[i] for i in table.alt_ids[lo:hi]]
    assert alternatives == ["large", "huge", "grand"]  # "quite odd" was seen once, and is no single word
    assert table.p_alt[lo] == pytest.approx(6 / 10)     # c(big, large) / c(big)
    assert table.p_phrase[lo] == pytest.approx(6 / 8)   # c(big, large) / c(large)
    assert table.score[lo] == pytest.approx(rank_score(6, 6 / 10, 6 / 8))
    assert np.all(table.similarity == 1.0)
    assert ("fell", "rose") in table.blocked and ("rose", "fell") in table.blocked
    assert report.kept_phrases == 5 and report.kept_entries == 8


def test_similarity_drops_far_pairs_and_ranks_the_rest() -> None:
    counts = Counter({("big", "large"): 2, ("large", "big"): 2, ("big", "huge"): 2, ("huge", "big"): 2,
                      ("big", "policy"): 2, ("policy", "big"): 2})
    cosines = {frozenset({"big", "large"}): 0.3, frozenset({"big", "huge"}): 0.8, frozenset({"big", "policy"}): 0.1}

    def similarity(phrases: list[str], alternatives: list[str]) -> np.ndarray:
        return np.array([cosines[frozenset({f, e})] for f, e in zip(phrases, alternatives)])

    report = MiningReport()
    table = build_table(counts, min_count=2, report=report, similarity=similarity)
    index = {table.strings[i]: r for r, i in enumerate(table.phrase_ids)}
    lo, hi = table.offsets[index["big"]], table.offsets[index["big"] + 1]
    assert [table.strings[i] for i in table.alt_ids[lo:hi]] == ["huge", "large"]
    assert "policy" not in index and report.rejected["embeddings too far apart"] == 2
    assert rank_score(2, 0.5, 0.5, 0.8) > rank_score(2, 0.5, 0.5, 0.3) > 0


# -- end to end ---------------------------------------------------------------------------------------------

def test_mining_a_data_root_gives_an_index_that_answers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_root(tmp_path / "data")
    # Every MRPC and QQP sentence of a tiny file is among those evaluation draws first; protect only one.
    monkeypatch.setattr(phrase_mining, "protected_sources", lambda _root: {seed_key("What is the quickest way to "
                                                                                   "learn Spanish?")})
    miner, report = mine(root, progress=False)
    assert report.units["teacher"] == 5 and report.excluded["teacher dev groups"] == 1
    assert report.units["mrpc"] == 2 and report.excluded["qqp evaluation pairs"] == 1
    assert report.rejected["antonym"] >= 1 and report.rejected["number"] >= 1 and report.rejected["name"] >= 1
    table = miner.table()
    folder = write_index(tmp_path / "index" / "test-phrases", table, {"name": "test-phrases"})
    index = PhraseIndex.load(folder)
    stored = dict(index.lookup("significant"))
    assert set(stored) == {"substantial", "considerable"}
    assert "fell" not in dict(index.lookup("rose"))
    assert "everyone" not in index  # the dev group's substitution
    assert "three" not in index and "peter" not in index
    assert [alt for alt, _ in index.lookup("severe")] == ["serious"]  # MRPC, once: enough word for word
    assert "quickest" not in index  # the QQP pair evaluation uses
    text = "Significant progress was made."
    answer = index.alternatives(text, 0, 11)
    assert {a.text for a in answer.alternatives} == {"Substantial", "Considerable"}


def test_the_readme_reports_the_counts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_root(tmp_path / "data")
    out = tmp_path / "index" / "test-phrases"
    assert phrase_mining.main(["--data", str(root), "--out", str(out), "--no-similarity", "--no-student-pool"]) == 0
    readme = (out / "README.md").read_text(encoding="utf-8")
    assert "pairs aligned" in readme and "significant" in readme and "--out" in readme and "--no-similarity" in readme
    assert "not read (`--no-student-pool`)" in readme
    assert PhraseIndex.load(out).name == "test-phrases"


def test_the_students_pool_tops_up_thin_words_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_root(tmp_path / "data")
    monkeypatch.setattr(phrase_mining, "protected_sources", lambda _root: set())
    pool = tmp_path / "pool.tsv"
    pool.write_text("# {}\n"
                    "growth\trevenue\t3\t-2.0\t-0.1\n"  # no pair swaps "growth": taken with "sales"
                    "growth\tsales\t2\t-2.5\t-0.1\n"
                    "growth\tstorm\t1\t-2.5\t-0.1\n"  # one sentence: not enough
                    "damage\tsales\t2\t-2.2\t-0.2\n"  # one alternative alone: the list would stay thin
                    "rose\tfell\t3\t-3.0\t-0.5\n"  # an antonym stays out
                    "significant\trevenue\t4\t-1.0\t-0.1\n", encoding="utf-8")  # its list is long enough
    monkeypatch.setattr(phrase_mining, "THIN_BELOW", 2)  # "significant" has two teacher alternatives
    miner, report = mine(root, progress=False, student_pool=pool)
    assert report.student["kept"] == 2 and report.student["antonym"] == 1
    assert report.student["teachers gave enough"] == 1 and report.student["fewer votes than 2"] == 1
    assert report.student["the word would stay under 2"] == 1
    index = PhraseIndex.load(write_index(tmp_path / "index" / "t", miner.table(), {"name": "t"}))
    assert [alt for alt, _ in index.lookup("growth")] == ["revenue", "sales"]
    assert "damage" not in index
    assert "growth" not in dict(index.lookup("revenue")) and "growth" not in dict(index.lookup("sales"))  # one way
    assert "fell" not in dict(index.lookup("rose")) and "revenue" not in dict(index.lookup("significant"))
    plain, _ = mine(root, progress=False)
    before = PhraseIndex.load(write_index(tmp_path / "index" / "plain", plain.table(), {"name": "plain"}))
    for phrase in ("significant", "revenue", "sales", "considerable"):  # every other list scores as before
        assert index.lookup(phrase) == before.lookup(phrase)
    out = tmp_path / "index" / "pooled"
    assert phrase_mining.main(["--data", str(root), "--out", str(out), "--no-similarity",
                               "--student-pool", str(pool)]) == 0
    readme = (out / "README.md").read_text(encoding="utf-8")
    assert "kept 2" in readme and f"--student-pool {pool}" in readme
    assert phrase_mining.main(["--data", str(root), "--out", str(out), "--student-pool", str(tmp_path / "no")]) == 2


def test_main_without_data_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert phrase_mining.main(["--data", str(tmp_path), "--out", str(tmp_path / "x")]) == 2
    assert "no teacher/ folder" in capsys.readouterr().err


# -- more teacher data, and words only lower-cased text has ---------------------------------------------------

PLUMBER_SEED = "the plumber fixed the leaking pipe before noon"
PROFITS = "The firm said profits were {} this year."


def write_more(root: Path) -> Path:
    """APTY, MixSet, a lower-cased-only substitution (div-incentives) and a Brown file that knows its words."""
    import json

    with open(root / "teacher" / "kinit_div_incentives" / "pairs_seed_mapped.tsv", "a", encoding="utf-8") as fh:
        fh.write(f"gpt-4\tnews\t0\tnews_0_seeds\t1\t{PLUMBER_SEED}\t"
                 "the repairman fixed the leaking pipe before noon\n")
    apty = root / "teacher" / "apty"
    apty.mkdir(parents=True)
    with open(apty / "apty_base.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerow(["original", "paraphrase_fixed", "paraphrase"])
        writer.writerow([PROFITS.format("robust"), PROFITS.format("strong"), "True"])
        writer.writerow([PROFITS.format("robust"), PROFITS.format("weak"), "False"])
        writer.writerow(["Held back: a shy cat hid.", "Held back: a timid cat hid.", "True"])
    (apty / "apty_ranked.json").write_text(json.dumps([
        {"original": PROFITS.format("robust"), "chosen": {"text": PROFITS.format("solid")},
         "rejected": {"text": PROFITS.format("gone")}}]), encoding="utf-8")
    mixset = root / "teacher" / "mixset_gpt4"
    mixset.mkdir(parents=True)
    (mixset / "gpt4_polish_sentence.json").write_text(json.dumps([
        {"HWT_sentence": "We walked home. The road was quiet and the night was cold.",
         "gpt4_polish_sentence_output": "We walked home. The road was silent and the night was cold."}]),
        encoding="utf-8")
    brown = root / "sources" / "brown"
    brown.mkdir(parents=True)
    (brown / "brown_sentences.tsv").write_text(
        "doc_id\tgenre_code\tgenre\tsentence\n"
        "a01\ta\tpress\tThe plumber came at noon .\n"
        "a01\ta\tpress\tA repairman came too .\n", encoding="utf-8")
    return root


def test_the_fixture_plumber_group_is_mined() -> None:
    assert not is_dev_group(seed_key(PLUMBER_SEED), phrase_mining.DEFAULT_DEV_FRACTION)


def test_apty_mixset_and_plain_text_vocabulary_are_mined(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_more(write_root(tmp_path / "data"))
    monkeypatch.setattr(phrase_mining, "protected_sources", lambda _root: {seed_key("Held back: a shy cat hid.")})
    miner, report = mine(root, progress=False)
    assert report.units["apty"] == 1 and report.excluded["apty evaluation sentences"] == 1
    assert report.units["mixset"] == 1
    counts = miner.counts
    assert counts["robust", "strong"] == 1 and counts["robust", "solid"] == 1
    assert ("robust", "weak") not in counts  # the annotator said the meaning changed
    assert ("shy", "timid") not in counts  # its source is one evaluation uses
    assert counts["quiet", "silent"] == 1
    assert counts["plumber", "repairman"] == 1  # lower-cased only in the pairs, known from Brown


def test_a_word_only_lower_cased_text_has_stays_unknown_without_plain_text(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_more(write_root(tmp_path / "data"))
    (root / "sources" / "brown" / "brown_sentences.tsv").unlink()
    monkeypatch.setattr(phrase_mining, "protected_sources", lambda _root: set())
    miner, report = mine(root, progress=False)
    assert ("plumber", "repairman") not in miner.counts and report.rejected["not in cased text"] >= 1
