"""The meaning scorer's runtime: loading and verifying a bundle, batching, truncation, calibration.

The bundle is the tiny random scorer exported by the real export code (``tests/tiny_scorer.py``);
PyTorch, where a test compares with it, is the fp32 model that bundle came from.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import warnings
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from models.errors import BundleError
from models.scorer import DEFAULT_SCORER, MeaningScorer, calibrate
from models.scorer_bundle import Calibration, CandidateCalibration, ScorerBundleError
from models.scorer_recipes import resolve_scorer_bundle, scorer_rebuild_command

REPO = Path(__file__).resolve().parents[2]

PAIRS = [
    ("The cat sat on the mat.", "A cat was sitting on the mat."),
    ("Prices rose by 3.2 percent in October.", "In October, prices went up 3.2 percent."),
    ("He left.", "She stayed at home all evening because she was tired."),
    ("Why does the moon look larger near the horizon?", "The moon is larger than the sun."),
    ("Yes.", "No."),
    ("The committee postponed its decision until more evidence could be gathered, which annoyed everyone.",
     "The decision was delayed."),
    ("Anna sent the report to Mark on Tuesday.", "Mark sent the report to Anna on Tuesday."),
]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201 - tiny_scorer.TinyScorer
    from tiny_scorer import tiny_scorer

    return tiny_scorer(tmp_path_factory)


@pytest.fixture(scope="module")
def scorer(tiny) -> MeaningScorer:  # noqa: ANN001
    return MeaningScorer.load(tiny.bundle, threads=1)


@pytest.fixture(scope="module")
def torch_model(tiny):  # noqa: ANN001, ANN201
    from export.scorer_source import load_torch_scorer, read_committed_scorer

    return load_torch_scorer(read_committed_scorer(tiny.source), tiny.base)


@pytest.fixture(scope="module")
def fp32_folder(tiny, torch_model, tmp_path_factory: pytest.TempPathFactory) -> Path:  # noqa: ANN001
    """The same model as an fp32 graph beside the bundle's tokenizer: batching changes nothing in it."""
    from export.scorer_export import export_onnx

    folder = tmp_path_factory.mktemp("fp32-scorer")
    export_onnx(torch_model, folder / "model.onnx")
    shutil.copyfile(tiny.bundle / "tokenizer.json", folder / "tokenizer.json")
    return folder


def fp32_scorer(folder: Path, scorer: MeaningScorer, batch_size: int) -> MeaningScorer:
    return MeaningScorer(folder, replace(scorer.manifest, model_file="model.onnx"), threads=1, batch_size=batch_size)


def torch_probabilities(model, scorer: MeaningScorer, pairs: list[tuple[str, str]]) -> np.ndarray:  # noqa: ANN001
    import torch

    logits = []
    with torch.no_grad():
        for encoding in scorer.tokenizer.encode_batch(pairs):
            ids = torch.tensor([encoding.ids])
            out = model(input_ids=ids, attention_mask=torch.ones_like(ids),
                        token_type_ids=torch.tensor([encoding.type_ids])).logits
            logits.append(float(out.reshape(-1)[0]))
    scale, bias = scorer.calibration.scale, scorer.calibration.bias
    return 1.0 / (1.0 + np.exp(-(scale * np.array(logits) + bias)))


def split(pairs: list[tuple[str, str]]) -> tuple[list[str], list[str]]:
    return [s for s, _ in pairs], [c for _, c in pairs]


# -- the numbers ------------------------------------------------------------------------


def test_scores_are_calibrated_probabilities_of_the_pytorch_model(scorer: MeaningScorer, torch_model) -> None:  # noqa: ANN001
    scores = scorer.score(*split(PAIRS))
    assert scores.dtype == np.float32 and scores.shape == (len(PAIRS),)
    assert np.all((scores >= 0.0) & (scores <= 1.0))
    reference = torch_probabilities(torch_model, scorer, PAIRS)
    assert np.abs(scores - reference).max() < 0.05  # the export's parity gate
    # and it is the calibrated logit, not the raw sigmoid
    logits = scorer.logits(*split(PAIRS))
    raw = 1.0 / (1.0 + np.exp(-logits))
    np.testing.assert_allclose(scores, calibrate(logits, scorer.calibration), rtol=0, atol=1e-6)
    assert not np.allclose(scores, raw, atol=1e-3)


def test_span_similarity_is_the_cosine_of_the_pytorch_states_in_the_same_pass(scorer: MeaningScorer,  # noqa: ANN001
                                                                              torch_model) -> None:
    import torch

    from export.scorer_export import state_layers

    source = "The team made significant gains this year."
    span = (14, 25)
    words = ["substantial", "major", "big"]
    candidates = [source[:14] + w + source[25:] for w in words]
    spans = [(14, 14 + len(w)) for w in words]
    probabilities, similarity = scorer.span_similarity(source, span, candidates, spans)
    np.testing.assert_allclose(probabilities, scorer.score([source] * 3, candidates), atol=1e-6)
    layers = state_layers(torch_model.config.num_hidden_layers)
    for encoding, (a, b), found in zip(scorer.tokenizer.encode_batch([(source, c) for c in candidates]), spans,
                                       similarity):
        ids = torch.tensor([encoding.ids])
        with torch.no_grad():
            states = torch_model(input_ids=ids, attention_mask=torch.ones_like(ids), output_hidden_states=True,
                                 token_type_ids=torch.tensor([encoding.type_ids])).hidden_states
        pieces = list(zip(encoding.sequence_ids, encoding.offsets))
        mine = [i for i, (s, (x, y)) in enumerate(pieces) if s == 0 and x < 25 and y > 14]
        theirs = [i for i, (s, (x, y)) in enumerate(pieces) if s == 1 and x < b and y > a]
        assert mine and theirs
        expected = np.mean([float(torch.nn.functional.cosine_similarity(states[layer][0, mine].mean(0),
                                                                      states[layer][0, theirs].mean(0), dim=0))
                            for layer in layers])
        assert abs(float(found) - expected) < 0.05  # int8 against fp32
    assert scorer.manifest.raw["model"]["state_layers"] == layers


def test_span_similarity_is_nan_for_a_span_outside_the_window(scorer: MeaningScorer) -> None:
    source = "word " * 200 + "end."
    _, similarity = scorer.span_similarity(source, (len(source) - 4, len(source) - 1), ["short one."], [(0, 5)])
    assert np.isnan(similarity[0])
    with pytest.raises(ValueError, match="2 candidates but 1 spans"):
        scorer.span_similarity("a b", (0, 1), ["c", "d"], [(0, 1)])
    probabilities, similarity = scorer.span_similarity("a b", (0, 1), [], [])
    assert probabilities.shape == similarity.shape == (0,)


def test_a_graph_without_token_states_scores_but_gives_no_similarity(scorer: MeaningScorer, torch_model,  # noqa: ANN001
                                                                     tmp_path: Path) -> None:
    """Bundles exported before the states output still score; span_similarity says to rebuild."""
    import torch

    ids = torch.tensor([[101, 7592, 102, 2088, 102]])
    axes = {name: {0: "batch", 1: "sequence"} for name in ("input_ids", "attention_mask", "token_type_ids")}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # the TorchScript exporter, as the export uses
        torch.onnx.export(torch_model, (ids, torch.ones_like(ids), torch.tensor([[0, 0, 0, 1, 1]])),
                          str(tmp_path / "model.onnx"), input_names=list(axes), output_names=["logits"],
                          dynamic_axes={**axes, "logits": {0: "batch"}}, opset_version=17, dynamo=False)
    shutil.copyfile(scorer.folder / "tokenizer.json", tmp_path / "tokenizer.json")
    old = fp32_scorer(tmp_path, scorer, batch_size=4)
    assert not old.has_token_states
    assert old.score(*split(PAIRS)).shape == (len(PAIRS),)
    with pytest.raises(ValueError, match="rebuild its bundle"):
        old.span_similarity("a b", (0, 1), ["c b"], [(0, 1)])


def with_candidate_calibration(bundle: Path, destination: Path, calibration: object) -> Path:
    """A copy of ``bundle`` whose manifest adds ``candidate_calibration`` (the manifest is not hashed)."""
    from tiny_scorer import copy_bundle

    folder = copy_bundle(bundle, destination)
    data = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    data["candidate_calibration"] = calibration
    (folder / "manifest.json").write_text(json.dumps(data), encoding="utf-8")
    return folder


def with_manifest_field(bundle: Path, destination: Path, key: str, value: object) -> Path:
    """A copy of ``bundle`` whose manifest sets ``key`` (the manifest is not hashed)."""
    from tiny_scorer import copy_bundle

    folder = copy_bundle(bundle, destination)
    data = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    data[key] = value
    (folder / "manifest.json").write_text(json.dumps(data), encoding="utf-8")
    return folder


def test_a_symmetric_scorer_averages_both_readings_of_each_pair(tiny, scorer: MeaningScorer,  # noqa: ANN001
                                                                fp32_folder: Path, tmp_path: Path) -> None:
    assert not scorer.symmetric  # older manifests have no field: one way
    assert MeaningScorer.load(with_manifest_field(tiny.bundle, tmp_path, "symmetric", True)).symmetric
    # the fp32 graph: int8 activation scales depend on the batch, and both ways make batches twice as large
    one_way = fp32_scorer(fp32_folder, scorer, batch_size=4)
    both = MeaningScorer(fp32_folder, replace(one_way.manifest, symmetric=True), threads=1, batch_size=4)
    sources, candidates = split(PAIRS)
    forward, backward = one_way.logits(sources, candidates), one_way.logits(candidates, sources)
    assert np.abs(forward - backward).max() > 1e-3  # the graph reads the two ways differently
    np.testing.assert_allclose(both.logits(sources, candidates), (forward + backward) / 2, atol=2e-5)
    np.testing.assert_allclose(both.logits(candidates, sources), both.logits(sources, candidates), atol=2e-5)
    np.testing.assert_allclose(both.score(sources, candidates),
                               calibrate((forward + backward) / 2, both.calibration), atol=2e-5)
    assert both.score([], []).shape == (0,)


def test_a_symmetric_field_that_is_not_true_or_false_is_refused(tiny, tmp_path: Path) -> None:  # noqa: ANN001
    with pytest.raises(ScorerBundleError, match="'symmetric' is 'yes', expected true or false"):
        MeaningScorer.load(with_manifest_field(tiny.bundle, tmp_path, "symmetric", "yes"))


def test_a_candidate_is_shown_with_the_candidate_calibration_of_the_same_logit(tiny, scorer: MeaningScorer,  # noqa: ANN001
                                                                              tmp_path: Path) -> None:
    assert scorer.candidate_calibration is None  # none fitted: the pair probability is shown
    probabilities = scorer.score(*split(PAIRS))
    np.testing.assert_allclose(scorer.candidate_confidence(probabilities), probabilities, atol=1e-7)

    fitted = with_candidate_calibration(tiny.bundle, tmp_path, {"scale": 0.5, "bias": -2.0, "labels": 250})
    recalibrated = MeaningScorer.load(fitted, threads=1)
    assert recalibrated.candidate_calibration == CandidateCalibration(0.5, -2.0, 0.0)
    assert not recalibrated.needs_source_score
    scores = recalibrated.score(*split(PAIRS))
    np.testing.assert_allclose(scores, probabilities, atol=1e-7)  # the pair probability is unchanged
    shown = recalibrated.candidate_confidence(scores)
    expected = calibrate(recalibrated.logits(*split(PAIRS)), Calibration(0.5, -2.0))
    np.testing.assert_allclose(shown, expected, atol=2e-5)
    assert np.all(shown < scores)  # this fit reads every pair as less sure
    assert list(np.argsort(shown)) == list(np.argsort(scores))  # and keeps their order


def test_the_candidate_calibration_can_weigh_the_source_scored_against_itself(tiny, tmp_path: Path) -> None:  # noqa: ANN001
    fitted = with_candidate_calibration(tiny.bundle, tmp_path, {"scale": 1.1, "source_scale": -0.6, "bias": -1.2})
    scorer = MeaningScorer.load(fitted, threads=1)
    assert scorer.needs_source_score
    sources, candidates = split(PAIRS)
    scores, own = scorer.score(sources, candidates), scorer.score(sources, sources)
    logits, own_logits = scorer.logits(sources, candidates), scorer.logits(sources, sources)
    expected = 1 / (1 + np.exp(-(1.1 * logits - 0.6 * own_logits - 1.2)))
    np.testing.assert_allclose(scorer.candidate_confidence(scores, own), expected, atol=2e-5)
    with pytest.raises(ValueError, match="needs the source scored against itself"):
        scorer.candidate_confidence(scores)


def test_a_candidate_calibration_that_would_invert_the_confidence_is_refused(tiny, tmp_path: Path) -> None:  # noqa: ANN001
    fitted = with_candidate_calibration(tiny.bundle, tmp_path, {"scale": -0.5, "bias": 1.0})
    with pytest.raises(ScorerBundleError, match="a calibration scale is not positive"):
        MeaningScorer.load(fitted)


def test_calibrate_is_a_stable_sigmoid() -> None:
    calibration = Calibration(scale=2.0, bias=-1.0)
    logits = np.array([-1e6, -3.0, 0.0, 0.5, 3.0, 1e6], dtype=np.float32)
    with np.errstate(over="ignore"):  # the naive formula overflows to inf, which still gives 0.0
        expected = 1.0 / (1.0 + np.exp(-(2.0 * logits.astype(np.float64) - 1.0)))
    with np.errstate(over="raise"):  # calibrate never overflows, even for huge logits
        got = calibrate(logits, calibration)
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, expected, atol=1e-7)
    assert got[0] == 0.0 and got[-1] == 1.0


def test_order_is_kept_although_pairs_run_sorted_by_length(scorer: MeaningScorer, fp32_folder: Path) -> None:
    """Batches of 2 over pairs of very different lengths: each score is its own pair's.

    On the fp32 graph, where a pair's logit does not depend on its batch (dynamic int8
    picks activation scales per batch), so a mix-up of rows shows as a plain mismatch.
    """
    alone = fp32_scorer(fp32_folder, scorer, batch_size=1)
    batched = fp32_scorer(fp32_folder, scorer, batch_size=2)
    expected = np.array([alone.logits([s], [c])[0] for s, c in PAIRS])
    assert np.ptp(expected) > 1e-3  # the pairs differ, so a mix-up could not pass
    lengths = [len(e.ids) for e in batched.tokenizer.encode_batch(PAIRS)]
    assert lengths != sorted(lengths)  # the input is not already in length order
    np.testing.assert_allclose(batched.logits(*split(PAIRS)), expected, atol=1e-4)
    reordered = PAIRS[::-1]
    np.testing.assert_allclose(batched.logits(*split(reordered)), expected[::-1], atol=1e-4)


def test_one_batch_is_independent_of_the_input_order(scorer: MeaningScorer) -> None:
    permutation = [3, 0, 6, 1, 5, 2, 4]
    scores = scorer.score(*split(PAIRS))
    shuffled = scorer.score(*split([PAIRS[i] for i in permutation]))
    np.testing.assert_allclose(shuffled, scores[permutation], atol=1e-6)


def test_keeps_meaning_applies_the_threshold(scorer: MeaningScorer) -> None:
    from tiny_scorer import THRESHOLD

    assert scorer.threshold == THRESHOLD
    np.testing.assert_array_equal(scorer.keeps_meaning(*split(PAIRS)), scorer.score(*split(PAIRS)) >= THRESHOLD)


# -- truncation ---------------------------------------------------------------------------


def test_a_long_pair_keeps_both_sides(scorer: MeaningScorer) -> None:
    long_source = " ".join(["the committee met again on tuesday to discuss the budget"] * 20)
    short = "They talked about money."
    encoding = scorer.tokenizer.encode(long_source, short)
    assert len(encoding.ids) == scorer.max_length
    candidate_tokens = len(scorer.tokenizer.encode(short, add_special_tokens=False).ids)
    assert sum(encoding.type_ids) == candidate_tokens + 1  # the whole candidate and its [SEP]
    both_long = scorer.tokenizer.encode(long_source, long_source)
    assert len(both_long.ids) == scorer.max_length
    assert 0 < sum(both_long.type_ids) < scorer.max_length - 1  # each side keeps a share
    scores = scorer.score([long_source, short], [short, long_source])
    assert scores.shape == (2,) and np.all((scores >= 0) & (scores <= 1))


# -- bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize(("sources", "candidates", "message"), [
    (["a"], [""], "candidates[0] is empty"),
    (["   "], ["b"], "sources[0] is empty"),
    (["a", None], ["b", "c"], "sources[1] is NoneType, not a string"),
    (["a"], [b"b"], "candidates[0] is bytes, not a string"),
    ("a sentence", ["b"], "sources must be a list of strings, not str"),
    (["a"], 3, "candidates must be a list of strings, not int"),
    (["a", "b"], ["c"], "2 sources but 1 candidates"),
])
def test_bad_input_is_a_value_error_that_says_which(scorer: MeaningScorer, sources: object, candidates: object,
                                                      message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("]", r"\]")):
        scorer.score(sources, candidates)  # type: ignore[arg-type]


def test_no_pairs_give_an_empty_array(scorer: MeaningScorer) -> None:
    scores = scorer.score([], [])
    assert scores.shape == (0,) and scores.dtype == np.float32


@pytest.mark.parametrize("threads", [0, -1, True, 1.5])
def test_bad_thread_counts_are_refused(tiny, threads: object) -> None:  # noqa: ANN001
    with pytest.raises(ValueError, match="threads must be a whole number"):
        MeaningScorer.load(tiny.bundle, threads=threads)  # type: ignore[arg-type]


# -- damaged bundles ----------------------------------------------------------------------


def damage(folder: Path, how: str) -> None:
    manifest = folder / "manifest.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    if how == "flip a byte of model.onnx":
        raw = bytearray((folder / "model.onnx").read_bytes())
        raw[len(raw) // 2] ^= 0xFF
        (folder / "model.onnx").write_bytes(bytes(raw))
    elif how == "truncate tokenizer.json":
        (folder / "tokenizer.json").write_bytes((folder / "tokenizer.json").read_bytes()[:1000])
    elif how == "delete model.onnx":
        (folder / "model.onnx").unlink()
    elif how == "delete the manifest":
        manifest.unlink()
    elif how == "manifest is not JSON":
        manifest.write_text("{not json", encoding="utf-8")
    elif how == "threshold is a string":
        manifest.write_text(json.dumps({**data, "threshold": "high"}), encoding="utf-8")
    elif how == "calibration without scale":
        manifest.write_text(json.dumps({**data, "calibration": {"bias": 0.0}}), encoding="utf-8")
    elif how == "a paraphrase bundle":
        student = {key: value for key, value in data.items() if key != "kind"}
        manifest.write_text(json.dumps({**student, "format_version": 2, "prompt": {}}), encoding="utf-8")
    elif how == "a newer format":
        manifest.write_text(json.dumps({**data, "format_version": 99}), encoding="utf-8")
    elif how == "manifest leaves out the model":
        files = {k: v for k, v in data["files"].items() if k != "model.onnx"}
        manifest.write_text(json.dumps({**data, "files": files}), encoding="utf-8")
    else:
        raise AssertionError(how)


@pytest.mark.parametrize(("how", "message"), [
    ("flip a byte of model.onnx", "file model.onnx is corrupt (sha256 mismatch"),
    ("truncate tokenizer.json", "file tokenizer.json is 1000 bytes, expected"),
    ("delete model.onnx", "file model.onnx is missing"),
    ("delete the manifest", "manifest.json is missing"),
    ("manifest is not JSON", "damaged manifest.json"),
    ("threshold is a string", "'threshold' is 'high', not a finite number"),
    ("calibration without scale", "'calibration' has no 'scale'"),
    ("a paraphrase bundle", "is a paraphrase bundle, not a scorer bundle"),
    ("a newer format", "has format 99"),
    ("manifest leaves out the model", "manifest does not list model.onnx"),
])
def test_a_damaged_bundle_is_refused_with_the_file_and_the_fix(tiny, tmp_path: Path, how: str,  # noqa: ANN001
                                                                 message: str) -> None:
    from tiny_scorer import copy_bundle

    folder = copy_bundle(tiny.bundle, tmp_path)
    damage(folder, how)
    with pytest.raises(ScorerBundleError) as info:
        MeaningScorer.load(folder)
    assert isinstance(info.value, BundleError)  # every surface that reports bundle errors reports this one
    text = str(info.value)
    assert message in text
    assert info.value.rebuild_command == scorer_rebuild_command(folder.name, folder)
    assert f"Rebuild it with: paraphrase-studio export --scorer {folder.name} --out {tmp_path} --force" in text


def test_a_missing_bundle_names_the_folder_and_the_build(tmp_path: Path) -> None:
    with pytest.raises(ScorerBundleError, match="is not installed") as info:
        MeaningScorer.load(tmp_path / "nothing-here")
    assert "paraphrase-studio export --scorer nothing-here" in str(info.value)


def test_a_graph_that_is_not_a_scorer_is_refused(tiny, tmp_path: Path) -> None:  # noqa: ANN001
    from models.bundle import file_record
    from tiny_scorer import copy_bundle

    folder = copy_bundle(tiny.bundle, tmp_path)
    (folder / "model.onnx").write_bytes(b"this is not an onnx file")
    data = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    data["files"]["model.onnx"] = file_record(folder / "model.onnx")  # consistent hashes: the content is wrong
    (folder / "manifest.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ScorerBundleError, match="could not be loaded"):
        MeaningScorer.load(folder)


# -- names and commands -------------------------------------------------------------------


def test_the_default_scorer_lives_among_the_bundles(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert DEFAULT_SCORER == "minilm-l4-meaning-v1"
    monkeypatch.setenv("PARAPHRASE_STUDIO_BUNDLES", str(tmp_path))
    assert resolve_scorer_bundle(None) == tmp_path / DEFAULT_SCORER
    assert resolve_scorer_bundle("other") == tmp_path / "other"
    assert resolve_scorer_bundle(str(tmp_path / "x" / "y")) == tmp_path / "x" / "y"
    assert scorer_rebuild_command(DEFAULT_SCORER) == (
        f"./studio build   (or: paraphrase-studio export --scorer {DEFAULT_SCORER} --force)")
    with pytest.raises(ScorerBundleError, match=r"Rebuild it with: \./studio build"):
        MeaningScorer.load()


def test_the_runtime_never_imports_torch() -> None:
    code = "import sys, models.scorer, models.score_cli; print(sorted(m for m in ('torch', 'transformers') if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120,
                          check=True)
    assert done.stdout.strip() == "[]"
