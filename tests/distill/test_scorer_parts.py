"""The meaning scorer's training parts: hard negatives, the labelled data, the metrics, the loss."""

from __future__ import annotations

import itertools
import json
import random
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from distill import perturb
from distill.scorer_data import build, in_holdout, read_pairs, read_sets, swap_pairs
from distill.scorer_eval import expected_calibration_error, fit_platt, reliability, roc_auc
from distill.scorer_train import teacher_score
from distill.word_swaps import BREAKING, KEEPING
from models.dedupe import words


@pytest.mark.parametrize(("kind", "text", "must_change"), [
    ("number", "Revenue rose 12% to $4.3 million in 2024.", ("12", "4.3", "2024")),
    ("name", "The report was written by Dr. Chen in Berlin.", ("Chen", "Berlin")),
    ("negation", "The museum was closed for renovations.", ("not",)),
    ("negation", "She did not agree with the plan.", ("not",)),
    ("flip", "Prices rose before the election.", ("rose", "before")),
    ("roles", "Smith met Jones in London.", ("Smith", "Jones", "London")),
    ("drop", "The plant closed in May, and three hundred workers lost their jobs.", ("workers",)),
])
def test_each_edit_changes_what_it_says(kind: str, text: str, must_change: tuple[str, ...]) -> None:
    changed = perturb.PERTURBATIONS[kind](text, random.Random(3))
    assert changed is not None and changed != text
    # The edit lands on one of the words it is about (not somewhere else in the sentence).
    assert any(changed.count(word) != text.count(word) or changed.find(word) != text.find(word)
               for word in must_change)


def test_edits_return_none_when_there_is_nothing_to_change() -> None:
    rng = random.Random(0)
    plain = "we walked home slowly"
    assert perturb.change_number(plain, rng) is None
    assert perturb.swap_name(plain, rng) is None
    assert perturb.swap_roles(plain, rng) is None
    assert perturb.drop_clause("It rained.", rng) is None


def test_flip_keeps_the_capital_and_negation_round_trips() -> None:
    rng = random.Random(0)
    assert perturb.flip_direction("Before noon it rained.", rng) == "After noon it rained."
    assert perturb.toggle_negation("He is not here.", rng) == "He is here."


def test_perturb_is_deterministic_and_never_returns_the_input() -> None:
    text = "In 1998 Smith sold the company to Jones for $2 million because sales fell."
    first = [perturb.perturb(text, random.Random(s)) for s in range(20)]
    again = [perturb.perturb(text, random.Random(s)) for s in range(20)]
    assert first == again
    assert all(result and result[1] != text for result in first)
    assert len({kind for kind, _ in first}) >= 4


def _fixture_data(root: Path) -> None:
    """A miniature of ../shared/data with every file the builder reads."""
    (root / "eval" / "paws_wiki").mkdir(parents=True)
    (root / "eval" / "paws_wiki" / "dev.tsv").write_text("".join(
        f"{i}\tSentence number {i} about Smith and Jones .\tSentence {i} about Jones and Smith .\t{i % 2}\n"
        for i in range(40)), encoding="utf-8")
    (root / "eval" / "mrpc").mkdir(parents=True)
    (root / "eval" / "mrpc" / "msr_paraphrase_train.txt").write_text(
        "\ufeffQuality\t#1 ID\t#2 ID\t#1 String\t#2 String\n" + "".join(
            f"{i % 2}\t{i}\t{i + 1000}\tThe firm earned {i} million dollars last year.\tLast year the firm made {i} million.\n"
            for i in range(30)), encoding="utf-8")
    (root / "eval" / "quora_qqp").mkdir(parents=True)
    (root / "eval" / "quora_qqp" / "eval.csv").write_text(
        "id,qid1,qid2,question1,question2,is_duplicate\n" + "".join(
            f'{i},{i},{i + 1},How do I learn topic {i} fast?,What is the fastest way to learn topic {i}?,1\n'
            for i in range(30)), encoding="utf-8")
    (root / "teacher" / "apty").mkdir(parents=True)
    (root / "teacher" / "apty" / "apty_base.csv").write_text(
        "original;paraphrase-text;paraphrase\n" + "".join(
            f"The council met on day {i}.;On day {i} the council held a meeting.;{'True' if i % 3 else 'False'}\n"
            for i in range(20)), encoding="utf-8")
    (root / "teacher" / "kinit_llm_vs_aug").mkdir(parents=True)
    rows = ["teacher\tdataset\tlabel\tseed\tparaphrase"]
    for i, k in itertools.product(range(30), range(6)):
        rows.append(f"gpt-3.5-turbo-0125\tnews\t0\tthe mayor of springfield opened bridge {i}\t"
                    f"Mayor Quimby of Springfield opened bridge number {i} version {k} before the vote.")
    (root / "teacher" / "kinit_llm_vs_aug" / "pairs_all.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")


def test_build_writes_disjoint_train_and_holdout(tmp_path: Path) -> None:
    _fixture_data(tmp_path / "data")
    counts = build(tmp_path / "data", tmp_path / "out", kd_sets=5, teacher_pairs=10, qqp_limit=30)
    train = read_pairs(tmp_path / "out" / "train.jsonl")
    holdout = read_pairs(tmp_path / "out" / "holdout.jsonl")
    assert train and holdout
    assert not {(p.source, p.candidate) for p in train} & {(p.source, p.candidate) for p in holdout}
    assert {p.origin for p in train} >= {"paws", "apty", "teacher"}
    # The evaluate command's first MRPC/QQP inputs (all of this fixture's QQP) are never trained on.
    assert {p.origin for p in holdout} >= {"paws", "mrpc", "qqp"}
    assert not any(p.origin == "qqp" for p in train)
    assert all(p.kind for p in train if p.origin in ("qqp", "teacher") and p.label == 0)
    sets = read_sets(tmp_path / "out" / "kd_train.jsonl")
    assert sets and all(len(s.candidates) == len(s.labels) == len(s.kinds) for s in sets)
    assert all(0 in s.labels and 1 in s.labels for s in sets)
    assert json.loads((tmp_path / "out" / "counts.json").read_text())["kd"]["train"] == counts["kd"]["train"]


def test_holdout_assignment_is_stable() -> None:
    assert [in_holdout(str(i), "paws") for i in range(50)] == [in_holdout(str(i), "paws") for i in range(50)]
    share = np.mean([in_holdout(str(i), "paws") for i in range(4000)])
    assert 0.2 < share < 0.3


def test_roc_auc_matches_the_pairwise_definition() -> None:
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 2, 60)
    scores = np.round(rng.normal(size=60) + labels, 1)  # rounding makes ties
    pos, neg = scores[labels == 1], scores[labels == 0]
    brute = np.mean([(p > n) + 0.5 * (p == n) for p in pos for n in neg])
    assert roc_auc(labels, scores) == pytest.approx(brute)
    assert roc_auc([1, 1], [0.2, 0.3]) is None


def test_platt_recovers_a_known_calibration() -> None:
    rng = np.random.default_rng(1)
    logits = rng.normal(scale=3, size=20000)
    labels = (rng.random(20000) < 1 / (1 + np.exp(-(0.5 * logits - 1.0)))).astype(float)
    scale, bias = fit_platt(logits, labels)
    assert scale == pytest.approx(0.5, abs=0.05) and bias == pytest.approx(-1.0, abs=0.08)
    probabilities = 1 / (1 + np.exp(-(scale * logits + bias)))
    assert expected_calibration_error(probabilities, labels) < 0.02
    assert sum(row["pairs"] for row in reliability(probabilities, labels)) == 20000


def test_teacher_score_forms() -> None:
    mi = {"fwd_sum": -10.0, "fwd_tokens": 10, "rev_sum": -6.0, "rev_tokens": 12, "prior_sum": -30.0,
          "prior_tokens": 12}
    assert teacher_score(mi, "mi_sum") == pytest.approx(14.0)
    assert teacher_score(mi, "mi_mean") == pytest.approx(-1.0 - 0.5 + 2.5)
    with pytest.raises(ValueError):
        teacher_score(mi, "other")


def test_student_figures_read_both_file_kinds(tmp_path: Path) -> None:
    from distill.scorer_eval import student_figures

    (tmp_path / "cli.jsonl").write_text(json.dumps({"input": "Sales rose 12% in May.", "paraphrases": [
        {"text": "In May, sales went up 12%.", "score": -0.5},
        {"text": "In May, sales went up 21%.", "score": -0.6}]}) + "\n", encoding="utf-8")
    (tmp_path / "dump.jsonl").write_text(json.dumps({"source": "The cat sat on the mat.", "candidates": [
        {"text": "A cat was sitting on the mat.", "good": True},
        {"text": "The dog ran away.", "good": False}]}) + "\n", encoding="utf-8")

    def logits(sources, candidates):  # noqa: ANN001, ANN202 - a scorer that dislikes "21%" and dogs
        return np.array([-1.0 if ("21%" in c or "dog" in c) else 1.0 for c in candidates])

    report = student_figures(logits, [tmp_path / "cli.jsonl", tmp_path / "dump.jsonl"])
    assert report["candidates"] == 4 and report["facts_broken"] == 1
    # facts: only the "21%" row is broken; the disliked dog row ties it (facts fine, meaning not)
    assert report["auc_facts"] == pytest.approx(2.5 / 3)
    assert report["auc_evaluate_good"] == 1.0 and report["rated"] == 2


def test_repeat_shows_an_origin_k_times_and_refuses_an_unknown_one() -> None:
    from distill.scorer_data import ScorerPair
    from distill.scorer_train import repeated

    pairs = [ScorerPair("a", "b", 1, "paws"), ScorerPair("c", "d", 0, "mrpc"), ScorerPair("e", "f", 0, "paws")]
    assert repeated(pairs, None) == pairs
    out = repeated(pairs, {"paws": 3})
    assert [p.origin for p in out].count("paws") == 6 and [p.origin for p in out].count("mrpc") == 1
    with pytest.raises(ValueError, match="qqp"):
        repeated(pairs, {"qqp": 2})


def test_both_sides_swaps_about_half_the_pairs_and_keeps_each_whole() -> None:
    from distill.scorer_data import ScorerPair
    from distill.scorer_train import sides

    batch = [ScorerPair(f"s{i}", f"c{i}", i % 2, "paws") for i in range(400)]
    assert sides(batch, None) == ([p.source for p in batch], [p.candidate for p in batch])
    sources, candidates = sides(batch, random.Random(3))
    swapped = [s.startswith("c") for s in sources]
    assert 150 < sum(swapped) < 250
    for pair, source, candidate in zip(batch, sources, candidates):
        assert {source, candidate} == {pair.source, pair.candidate}  # the two sides of the same pair
    assert sides(batch, random.Random(3)) == (sources, candidates)  # one draw per seed


def test_both_ways_averages_the_two_readings() -> None:
    from distill.scorer_eval import both_ways

    def one_way(sources: list[str], candidates: list[str]) -> np.ndarray:
        return np.array([len(s) - 0.5 * len(c) for s, c in zip(sources, candidates)], dtype=float)

    logits = both_ways(one_way)(["abcd", "x"], ["ab", "xyz"])
    np.testing.assert_allclose(logits, [(3 + 0) / 2, (-0.5 + 2.5) / 2])
    np.testing.assert_allclose(both_ways(one_way)(["ab", "xyz"], ["abcd", "x"]), logits)  # order does not matter


def test_publish_carries_the_symmetric_reading_into_scorer_json(tmp_path: Path) -> None:
    from distill.scorer_publish import publish

    run = tmp_path / "run"
    run.mkdir()
    (run / "weights.safetensors").write_bytes(b"w")
    (run / "training.json").write_text(json.dumps({"config": {"num_hidden_layers": 4, "max_length": 128}}))
    for symmetric in (False, True):
        report = tmp_path / f"eval-{symmetric}.json"
        report.write_text(json.dumps({"symmetric": symmetric, "calibration": {"scale": 0.7, "bias": -0.2}}))
        folder = publish(run, report, f"s-{symmetric}", 0.5, out_root=tmp_path / "scorers")
        written = json.loads((folder / "scorer.json").read_text())
        assert written["symmetric"] is symmetric and written["calibration"] == {"scale": 0.7, "bias": -0.2}


@pytest.mark.parametrize("argv, message", [(["--repeat", "paws"], "ORIGIN=K"), (["--repeat", "paws=0"], "ORIGIN=K"),
                                           (["--repeat", "=2"], "ORIGIN=K")])
def test_repeat_usage_errors(argv: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from distill.scorer_train import main

    with pytest.raises(SystemExit) as exit_info:
        main(["--data", str(tmp_path), "--run", str(tmp_path / "run"), *argv])
    assert exit_info.value.code == 2 and message in capsys.readouterr().err


def tiny_bert(layers: int, seed: int, intermediate_size: int = 64):  # noqa: ANN201 - a BertForSequenceClassification
    """A random one-logit BERT small enough to train-load in milliseconds."""
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    torch.manual_seed(seed)
    return transformers.BertForSequenceClassification(transformers.BertConfig(
        vocab_size=50, hidden_size=32, num_hidden_layers=layers, num_attention_heads=2,
        intermediate_size=intermediate_size, num_labels=1))


def test_init_weights_load_a_trained_scorer_and_refuse_a_foreign_file(tmp_path: Path) -> None:
    torch = pytest.importorskip("torch")
    safetensors_torch = pytest.importorskip("safetensors.torch")
    from distill.scorer_train import FROZEN, load_init_weights, trainable_state

    trained = tiny_bert(1, 0)
    safetensors_torch.save_file(trainable_state(trained), str(tmp_path / "w.safetensors"))
    fresh = tiny_bert(1, 1)
    load_init_weights(fresh, tmp_path / "w.safetensors")
    for name, value in trained.state_dict().items():
        if name not in FROZEN:
            assert torch.allclose(fresh.state_dict()[name], value.half().float()), name
    safetensors_torch.save_file({"something.else": torch.zeros(2)}, str(tmp_path / "bad.safetensors"))
    with pytest.raises(ValueError, match="does not fit"):
        load_init_weights(fresh, tmp_path / "bad.safetensors")


def test_grow_starts_a_deeper_scorer_from_a_shallower_one_and_only_with_grow(tmp_path: Path) -> None:
    torch = pytest.importorskip("torch")
    safetensors_torch = pytest.importorskip("safetensors.torch")
    from distill.scorer_train import load_init_weights, trainable_state

    shallow = tiny_bert(1, 0)
    safetensors_torch.save_file(trainable_state(shallow), str(tmp_path / "w.safetensors"))
    deep = tiny_bert(2, 1)
    base_layer_1 = {k: v.clone() for k, v in deep.state_dict().items() if ".layer.1." in k}
    with pytest.raises(ValueError, match=r"missing \['bert\.encoder\.layer\.1\."):
        load_init_weights(deep, tmp_path / "w.safetensors")
    load_init_weights(deep, tmp_path / "w.safetensors", grow=True)
    state = deep.state_dict()
    for name, value in shallow.state_dict().items():
        if "word_embeddings" not in name:
            assert torch.equal(state[name], value.half().float()), name  # layer 0, embeddings, head: trained
    assert base_layer_1 and all(torch.equal(state[k], v) for k, v in base_layer_1.items())  # layer 1: as it was
    safetensors_torch.save_file({k: v for k, v in trainable_state(shallow).items() if "classifier" not in k},
                                str(tmp_path / "headless.safetensors"))
    with pytest.raises(ValueError, match="missing \\['classifier"):
        load_init_weights(tiny_bert(2, 1), tmp_path / "headless.safetensors", grow=True)  # grow adds layers only


def test_publish_can_store_8_bit_rows_that_init_weights_reads_back(tmp_path: Path) -> None:
    safetensors_torch = pytest.importorskip("safetensors.torch")
    from distill.scorer_publish import publish
    from distill.scorer_train import FROZEN, load_init_weights, trainable_state

    trained = tiny_bert(2, 0, intermediate_size=256)
    run = tmp_path / "run"
    run.mkdir()
    safetensors_torch.save_file(trainable_state(trained), str(run / "weights.safetensors"))
    (run / "training.json").write_text(json.dumps({"config": {"num_hidden_layers": 2, "max_length": 128}}))
    report = tmp_path / "eval.json"
    report.write_text(json.dumps({"calibration": {"scale": 0.7, "bias": -0.2}}))
    folder = publish(run, report, "rows", 0.5, out_root=tmp_path / "scorers", int8_rows=True)
    from safetensors.numpy import load_file

    stored = load_file(str(folder / "weights.safetensors"))
    matrices = [k for k in stored if ".encoder.layer." in k and k.endswith(".weight") and stored[k].ndim == 2]
    assert len(matrices) == 12 and all(stored[k].dtype == np.int8 for k in matrices)  # 6 per layer
    fresh = tiny_bert(2, 1, intermediate_size=256)
    load_init_weights(fresh, folder / "weights.safetensors")
    for name, value in trained.state_dict().items():
        if name in FROZEN:
            continue
        step = value.abs().max() / 127 if ".encoder.layer." in name and value.dim() == 2 else 1e-3 * value.abs().max()
        assert (fresh.state_dict()[name] - value).abs().max() <= step, name


def test_only_builds_the_order_scorers_reordered_pairs(tmp_path: Path) -> None:
    from models.word_order import is_reordering, words

    _fixture_data(tmp_path / "data")
    teacher = tmp_path / "data" / "teacher" / "kinit_llm_vs_aug" / "pairs_all.tsv"
    with open(teacher, "a", encoding="utf-8") as fh:  # seeds whose paraphrases move a phrase
        for i in range(40):
            for text in (f"After vote {i}, Smith thanked Jones in Springfield.",
                         f"Smith thanked Jones in Springfield after vote {i}."):
                fh.write(f"gpt-3.5-turbo-0125\tnews\t0\tsmith thanked jones after vote {i}\t{text}\n")
    counts = build(tmp_path / "data", tmp_path / "paws", only="paws")
    assert set(counts["train"]) | set(counts["holdout"]) == {"paws/pos", "paws/neg"}
    assert counts["kd"] == {"train": 0, "holdout": 0}

    build(tmp_path / "data", tmp_path / "order", only="order")
    train = read_pairs(tmp_path / "order" / "train.jsonl")
    holdout = read_pairs(tmp_path / "order" / "holdout.jsonl")
    assert {p.origin for p in train} == {"paws", "mrpc", "teacher_order"}
    assert not {(p.source, p.candidate) for p in train} & {(p.source, p.candidate) for p in holdout}
    made = [p for p in train + holdout if p.origin == "teacher_order"]
    assert all(is_reordering(p.source, p.candidate) for p in made if p.label == 1)
    assert all(is_reordering(p.source, p.candidate) for p in train + holdout if p.origin == "mrpc")
    negatives = [p for p in made if p.label == 0]
    positives = {p.candidate for p in made if p.label == 1}
    # two names traded places: the same words as the source, in an order no positive has
    assert negatives and all(p.kind == "roles" and sorted(words(p.candidate)) == sorted(words(p.source))
                             and p.candidate not in positives for p in negatives)
    with pytest.raises(ValueError, match="only must be one of"):
        build(tmp_path / "data", tmp_path / "x", only="qqp")


def _plain_sentences(root: Path) -> None:
    (root / "sources" / "wikisplit").mkdir(parents=True)
    lines = [f"In {1900 + i} , the mayor of Alton built a school for the town of Bexley .\tsplit\n" for i in range(60)]
    lines += [f"Sales rose in Carlow and fell in Dunmore in {1900 + i} .\tsplit\n" for i in range(60)]
    # PAWS-Wiki's own sentences are never used
    lines += [f"Sentence number {i} about Smith and Jones .\tsplit\n" for i in range(40)]
    (root / "sources" / "wikisplit" / "tune.tsv").write_text("".join(lines), encoding="utf-8")


def test_swap_pairs_balance_kept_and_broken_and_skip_paws(tmp_path: Path) -> None:
    _fixture_data(tmp_path / "data")
    _plain_sentences(tmp_path / "data")
    pairs = swap_pairs(tmp_path / "data", random.Random(0), positives=40)
    labels = Counter(p.label for _, p in pairs)
    assert labels[1] == 40 and labels[0] == 40
    assert all(p.origin == "swaps" and p.kind and Counter(map(str.lower, words(p.source))) == Counter(map(str.lower, words(p.candidate))) for _, p in pairs)
    assert {p.kind for _, p in pairs if p.label} <= set(KEEPING)
    assert {p.kind for _, p in pairs if not p.label} <= set(BREAKING)
    assert not any("Smith" in p.source for _, p in pairs)

    build(tmp_path / "data", tmp_path / "order", only="order", swaps=20)
    train = read_pairs(tmp_path / "order" / "train.jsonl") + read_pairs(tmp_path / "order" / "holdout.jsonl")
    assert Counter(p.label for p in train if p.origin == "swaps") == {1: 20, 0: 20}


def test_changed_pairs_are_reordered_negatives_on_their_positives_side() -> None:
    from distill.scorer_data import CHANGES, ScorerPair, changed_pairs
    from models.word_order import is_reordering

    moved = [(i % 3 == 0, ScorerPair(f"In {1990 + i} , Smith did not sell the 3 farms in Alton because of the rain .",
                                     f"Smith did not sell the 3 farms in Alton in {1990 + i} because of the rain .",
                                     1, "teacher_order"))
             for i in range(30)]
    negatives = [(False, ScorerPair("a b c", "c b a", 0, "paws"))]
    made = changed_pairs(moved + negatives, random.Random(0), limit=12)
    assert len(made) == 12
    sides = {(p.source, p.candidate): held for held, p in moved}
    for held, pair in made:
        assert pair.label == 0 and pair.origin == "changed" and pair.kind in CHANGES
        assert is_reordering(pair.source, pair.candidate)  # what reaches the order scorer
        original = next(p for h, p in moved if p.source == pair.source)
        assert pair.candidate != original.candidate and held == sides[(original.source, original.candidate)]
    assert len({p.kind for _, p in made}) >= 3
    assert changed_pairs(negatives, random.Random(0), limit=5) == []  # made from positives only
    assert changed_pairs(moved, random.Random(0), limit=0) == []
