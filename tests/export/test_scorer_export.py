"""Committed scorer -> int8 ONNX scorer bundle: manifest, graph, parity gate, staleness, strict weights, CLI."""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("torch")

from export.scorer_source import ScorerSourceError, load_torch_scorer, read_committed_scorer  # noqa: E402
from models.catalog import DEFAULT_BUNDLE  # noqa: E402

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201 - tiny_scorer.TinyScorer
    from tiny_scorer import tiny_scorer

    return tiny_scorer(tmp_path_factory)


def copy_source(source: Path, root: Path) -> Path:
    target = root / "scorers" / source.name
    shutil.copytree(source, target)
    return target


# -- the bundle -----------------------------------------------------------------------------


def test_manifest_lists_every_file_with_its_sha256(tiny) -> None:  # noqa: ANN001
    manifest = json.loads((tiny.bundle / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["kind"] == "scorer" and manifest["format_version"] == 1
    assert sorted(manifest["files"]) == ["model.onnx", "tokenizer.json"]
    assert sorted(p.name for p in tiny.bundle.iterdir()) == ["manifest.json", "model.onnx", "tokenizer.json"]
    for name, record in manifest["files"].items():
        data = (tiny.bundle / name).read_bytes()
        assert record == {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}


def test_manifest_carries_the_committed_calibration_and_threshold(tiny) -> None:  # noqa: ANN001
    from tiny_scorer import CALIBRATION, MAX_LENGTH, NAME, THRESHOLD

    manifest = json.loads((tiny.bundle / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["name"] == NAME
    assert manifest["calibration"] == CALIBRATION
    assert manifest["threshold"] == THRESHOLD
    assert manifest["max_length"] == MAX_LENGTH
    assert manifest["model"]["num_hidden_layers"] == 2
    assert manifest["quantization"]["weight_type"] == "QInt8"
    assert manifest["quantization"]["variant"] == "int8+ffn-folded"  # the fast one passes the tiny scorer
    assert list(manifest["quantization"]["tried"]) == ["int8+ffn-folded"]
    assert manifest["scorer"]["weights_sha256"] == hashlib.sha256(
        (tiny.source / "weights.safetensors").read_bytes()).hexdigest()
    # the base's own tokenizer, byte for byte
    assert (tiny.bundle / "tokenizer.json").read_bytes() == (tiny.base / "tokenizer.json").read_bytes()


def test_parity_figures_are_recorded(tiny) -> None:  # noqa: ANN001
    from export.scorer_parity import MAX_PROBABILITY_DIFF, PARITY_PAIRS

    parity = json.loads((tiny.bundle / "manifest.json").read_text(encoding="utf-8"))["parity"]
    assert parity["pairs"] == len(PARITY_PAIRS) == 32
    assert 0.0 < parity["max_abs_diff"] <= MAX_PROBABILITY_DIFF  # int8 is not bit-exact, and within the gate
    assert parity["mean_abs_diff"] <= parity["max_abs_diff"]
    assert parity["max_allowed_diff"] == MAX_PROBABILITY_DIFF
    assert 0.0 <= parity["rank_agreement"] <= 1.0 and -1.0 <= parity["spearman"] <= 1.0
    assert 0.0 <= parity["decision_agreement"] <= 1.0
    assert parity["onnx_fp32_max_abs_diff"] < 1e-4  # the fp32 graph is the PyTorch model


def test_the_graph_has_the_contracted_inputs_and_is_int8(tiny) -> None:  # noqa: ANN001
    import onnx

    model = onnx.load(str(tiny.bundle / "model.onnx"))
    inputs = {i.name: i.type.tensor_type for i in model.graph.input}
    assert list(inputs) == ["input_ids", "attention_mask", "token_type_ids"]
    for tensor_type in inputs.values():
        assert tensor_type.elem_type == onnx.TensorProto.INT64
        assert [d.dim_param for d in tensor_type.shape.dim] == ["batch", "sequence"]
    output, states = model.graph.output
    assert output.name == "logits"
    assert [d.dim_param or d.dim_value for d in output.type.tensor_type.shape.dim] == ["batch", 1]
    assert states.name == "token_states"  # [batch, layers, sequence, hidden]: the phrase ranking's fit in context
    assert [d.dim_param or d.dim_value for d in states.type.tensor_type.shape.dim][:3] == ["batch", 2, "sequence"]
    ops = [node.op_type for node in model.graph.node]
    # q, k, v, o per layer, pooler and classifier in int8 with dynamic activation scales; each
    # layer's feed-forward up and down are 8-bit blocks made float32 at load (see
    # scorer_export.QUANTIZATIONS), no MatMulNBits
    assert ops.count("MatMulInteger") == 2 * 4 + 2
    assert "DynamicQuantizeLinear" in ops and "DequantizeLinear" in ops  # int8 embedding tables too
    assert "MatMulNBits" not in ops
    made_by = {output: node for node in model.graph.node for output in node.output}
    arrays = {t.name: t for t in model.graph.initializer}
    ffn = [n for n in model.graph.node if n.op_type == "MatMul" and n.input[1] in made_by
           and made_by[n.input[1]].op_type == "Reshape"]
    assert len(ffn) == 2 * 2 and all("/intermediate/" in n.name or "/output/dense/" in n.name for n in ffn)
    for node in ffn:
        chain = []
        tensor = node.input[1]
        while tensor in made_by:
            chain.append(made_by[tensor].op_type)
            tensor = made_by[tensor].input[0]
        assert chain == ["Reshape", "Mul", "Sub", "Cast"]
        assert arrays[tensor].data_type == onnx.TensorProto.UINT8 and arrays[tensor].dims[1] == 32
    weights = {tensor.name for tensor in model.graph.initializer}
    float_weights = [n.name for n in model.graph.node if n.op_type in ("MatMul", "Gemm") and set(n.input) & weights]
    assert float_weights == []  # what is left multiplies activations (attention scores) only
    assert not any(t.data_type == onnx.TensorProto.FLOAT and len(t.dims) == 2 and min(t.dims) > 16
                   for t in model.graph.initializer)  # no float matrix was left behind unused


def test_feed_forward_blocks_match_their_float_weights(tiny, tmp_path: Path) -> None:  # noqa: ANN001
    """The 8-bit blocks hold the float weights to within half a step of each block's scale."""
    import numpy as np
    import onnx

    from export.blockwise import BlockQuantized
    from export.scorer_export import export_onnx, feed_forward_matmuls, matmuls_to_nbits

    fp32 = export_onnx(load_torch_scorer(read_committed_scorer(tiny.source), tiny.base), tmp_path / "fp32.onnx")
    floats = {t.name: onnx.numpy_helper.to_array(t) for t in onnx.load(str(fp32)).graph.initializer}
    before = {n.name: floats[n.input[1]] for n in onnx.load(str(fp32)).graph.node
              if n.op_type == "MatMul" and n.input[1] in floats}
    assert matmuls_to_nbits(fp32, feed_forward_matmuls(fp32)) == 2 * 2
    model = onnx.load(str(fp32))
    arrays = {t.name: onnx.numpy_helper.to_array(t) for t in model.graph.initializer}
    for node in (n for n in model.graph.node if n.op_type == "MatMulNBits"):
        q = BlockQuantized(arrays[node.input[1]], arrays[node.input[2]], 8, 32)
        weight = before[node.name]
        assert q.dequantize().shape == weight.shape
        step = np.repeat(q.scales.T, 32, axis=0)  # [K, N]: each weight's own block scale
        assert np.all(np.abs(q.dequantize() - weight) <= step / 2 + 1e-7)


def test_folded_blocks_hold_the_same_levels_and_onnxruntime_folds_them(tiny, tmp_path: Path) -> None:  # noqa: ANN001
    """The folded feed-forward weights are the blocks' dequantized values, and onnxruntime turns
    them into plain float32 weights when the session starts (the speed depends on it)."""
    import numpy as np
    import onnx
    import onnxruntime as ort

    from export.blockwise import quantize_blockwise
    from export.scorer_export import export_onnx, feed_forward_matmuls, matmuls_to_folded_blocks

    fp32 = export_onnx(load_torch_scorer(read_committed_scorer(tiny.source), tiny.base), tmp_path / "fp32.onnx")
    floats = {t.name: onnx.numpy_helper.to_array(t) for t in onnx.load(str(fp32)).graph.initializer}
    before = {n.name: floats[n.input[1]] for n in onnx.load(str(fp32)).graph.node
              if n.op_type == "MatMul" and n.input[1] in floats}
    names = feed_forward_matmuls(fp32)
    assert matmuls_to_folded_blocks(fp32, names) == 2 * 2
    arrays = {t.name: onnx.numpy_helper.to_array(t) for t in onnx.load(str(fp32)).graph.initializer}
    for name in names:
        levels, scales = arrays[f"{name}.levels"], arrays[f"{name}.scales"]
        weight = ((levels.astype(np.float32) - 128.0) * scales).reshape(before[name].shape)  # the chain, by hand
        assert np.array_equal(weight, quantize_blockwise(before[name], 8, 32).dequantize())

    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_BASIC
    options.optimized_model_filepath = str(tmp_path / "optimized.onnx")
    ort.InferenceSession(str(fp32), options, providers=["CPUExecutionProvider"])
    optimized = onnx.load(str(tmp_path / "optimized.onnx"))
    assert not [n.name for n in optimized.graph.node if n.name.startswith(tuple(names)) and n.op_type != "MatMul"]
    folded = {t.name: t for t in optimized.graph.initializer}
    for node in (n for n in optimized.graph.node if n.name in names):
        assert folded[node.input[1]].data_type == onnx.TensorProto.FLOAT  # a constant weight now


# -- the parity gate --------------------------------------------------------------------------


def test_a_bundle_over_the_parity_limit_is_refused_and_nothing_is_left(tiny, tmp_path: Path) -> None:  # noqa: ANN001
    from export.scorer_export import ScorerParityError
    from tiny_scorer import export_tiny_scorer

    with pytest.raises(ScorerParityError, match="refused: its probabilities differ from PyTorch fp32 by up to") as error:
        export_tiny_scorer(tiny.source, tiny.base, tmp_path, max_diff=1e-9)
    assert all(name in str(error.value) for name in ("int8+ffn-folded", "int8+ffn-blocks", "all-blocks"))  # all tried
    assert list(tmp_path.iterdir()) == []  # no bundle, no temporary folder


def test_a_variant_over_the_gate_falls_back_to_the_next(tiny, tmp_path: Path,  # noqa: ANN001
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """The fast graphs moved a probability too far: the more exact one ships, and says so."""
    import onnx

    import export.scorer_export as scorer_export
    from tiny_scorer import export_tiny_scorer

    real = scorer_export.scorer_parity_report
    calls: list[float] = []

    def first_fails(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        report = real(*args, **kwargs)
        if len(calls) < 2:
            report["max_abs_diff"] = 0.5
        calls.append(report["max_abs_diff"])
        return report

    monkeypatch.setattr(scorer_export, "scorer_parity_report", first_fails)
    bundle = export_tiny_scorer(tiny.source, tiny.base, tmp_path)
    manifest = json.loads((bundle / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["quantization"]["variant"] == "all-blocks"
    assert manifest["quantization"]["tried"] == {"int8+ffn-folded": 0.5, "int8+ffn-blocks": 0.5, "all-blocks": calls[2]}
    assert manifest["parity"]["max_abs_diff"] == calls[2] <= 0.05
    model = onnx.load(str(bundle / "model.onnx"))
    ops = [node.op_type for node in model.graph.node]
    assert ops.count("MatMulNBits") >= 2 * 6 and "MatMulInteger" not in ops  # q, k, v, o, up, down per layer
    shapes = {t.name: list(t.dims) for t in model.graph.initializer}
    float_weights = [(n.op_type, shapes[n.input[1]]) for n in model.graph.node
                     if n.op_type in ("MatMul", "Gemm") and len(n.input) > 1 and n.input[1] in shapes]
    assert all(1 in shape for _, shape in float_weights), float_weights  # only the one-logit classifier stays float


# -- staleness ---------------------------------------------------------------------------------


def test_an_up_to_date_bundle_is_reused_and_a_changed_scorer_rebuilt(tiny, tmp_path: Path) -> None:  # noqa: ANN001
    from export.scorer_export import ScorerExportRequest, build_scorer_bundle
    from tiny_scorer import write_scorer_json

    source = copy_source(tiny.source, tmp_path)
    out = tmp_path / "bundles"
    shutil.copytree(tiny.bundle, out / tiny.bundle.name)  # built from the same scorer and base
    request = ScorerExportRequest(source=source, out_root=out, base=tiny.base)
    before = (out / tiny.bundle.name / "manifest.json").read_text(encoding="utf-8")
    assert build_scorer_bundle(request, if_stale=True) == out / tiny.bundle.name
    assert (out / tiny.bundle.name / "manifest.json").read_text(encoding="utf-8") == before  # not rebuilt

    assert json.loads(before)["candidate_calibration"] is None  # none fitted for the tiny scorer
    fitted = {"scale": 0.6, "bias": -2.0, "labels": 250, "faithful": 73, "fitted_on": "candidate_labels.jsonl"}
    write_scorer_json(source, threshold=0.7, candidate_calibration=fitted)  # what retraining or re-calibrating does
    build_scorer_bundle(request, if_stale=True)
    manifest = json.loads((out / tiny.bundle.name / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["threshold"] == 0.7
    assert manifest["candidate_calibration"] == fitted  # provenance travels with it
    assert manifest["fingerprint"] != json.loads(before)["fingerprint"]
    assert json.loads(before)["symmetric"] is False and manifest["symmetric"] is False

    write_scorer_json(source, threshold=0.7, candidate_calibration=fitted, symmetric=True)  # trained both ways
    build_scorer_bundle(request, if_stale=True)
    manifest = json.loads((out / tiny.bundle.name / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["symmetric"] is True


def test_a_damaged_bundle_is_not_up_to_date(tiny, tmp_path: Path) -> None:  # noqa: ANN001
    from export.scorer_export import fingerprint, is_current
    from export.scorer_source import base_digest

    folder = shutil.copytree(tiny.bundle, tmp_path / tiny.bundle.name)
    expected = fingerprint(read_committed_scorer(tiny.source), base_digest(tiny.base), 0.05)
    assert is_current(folder, expected)
    assert not is_current(folder, "0" * 64)  # another scorer, base or export version
    (folder / "tokenizer.json").write_text("{}", encoding="utf-8")
    assert not is_current(folder, expected)


# -- the committed scorer, read strictly ----------------------------------------------------------


def rewrite_weights(source: Path, change) -> None:  # noqa: ANN001
    from safetensors.torch import load_file, save_file

    weights = load_file(str(source / "weights.safetensors"))
    change(weights)
    save_file(weights, str(source / "weights.safetensors"))


def test_a_missing_tensor_is_refused_with_the_file(tiny, tmp_path: Path) -> None:  # noqa: ANN001
    source = copy_source(tiny.source, tmp_path)
    rewrite_weights(source, lambda w: w.pop("classifier.weight"))
    with pytest.raises(ScorerSourceError, match=r"weights\.safetensors does not fit .* 1 tensors are missing "
                                                r"from the file: classifier\.weight"):
        load_torch_scorer(read_committed_scorer(source), tiny.base)


def test_an_unexpected_or_misshapen_tensor_is_refused(tiny, tmp_path: Path) -> None:  # noqa: ANN001
    import torch

    source = copy_source(tiny.source, tmp_path)
    rewrite_weights(source, lambda w: w.update({"bert.encoder.layer.5.output.dense.weight": torch.zeros(2, 2)}))
    with pytest.raises(ScorerSourceError, match="1 tensors are not in the model: bert.encoder.layer.5"):
        load_torch_scorer(read_committed_scorer(source), tiny.base)
    source = copy_source(tiny.source, tmp_path / "b")
    rewrite_weights(source, lambda w: w.update({"classifier.weight": torch.zeros(1, 7, dtype=torch.float16)}))
    with pytest.raises(ScorerSourceError, match=r"another shape than the model's, e.g. classifier.weight \(1, 7\)"):
        load_torch_scorer(read_committed_scorer(source), tiny.base)


def test_a_scorer_for_more_layers_than_the_file_holds_is_refused(tiny, tmp_path: Path) -> None:  # noqa: ANN001
    from tiny_scorer import write_scorer_json

    source = copy_source(tiny.source, tmp_path)
    write_scorer_json(source, num_hidden_layers=3)
    with pytest.raises(ScorerSourceError, match=r"tensors are missing from the file: bert\.encoder\.layer\.2"):
        load_torch_scorer(read_committed_scorer(source), tiny.base)


def test_the_loaded_model_holds_the_committed_weights(tiny) -> None:  # noqa: ANN001
    import torch
    from safetensors.torch import load_file

    model = load_torch_scorer(read_committed_scorer(tiny.source), tiny.base)
    state = model.state_dict()
    for key, value in load_file(str(tiny.source / "weights.safetensors")).items():
        assert torch.equal(state[key], value.float()), key
    base = load_file(str(tiny.base / "model.safetensors"))
    base_key = next(k for k in base if k.endswith("embeddings.word_embeddings.weight"))
    assert torch.equal(state["bert.embeddings.word_embeddings.weight"], base[base_key])  # frozen: from the base


def test_a_scorer_committed_as_8_bit_rows_loads_their_values_and_exports(tiny, tmp_path: Path) -> None:  # noqa: ANN001
    import torch
    from safetensors.numpy import load_file, save_file

    from export.scorer_export import ScorerExportRequest, build_scorer_bundle
    from models.scorer_weights import SCALE_SUFFIX, dequantize_rows, quantize_rows

    source = copy_source(tiny.source, tmp_path)
    stored = quantize_rows(load_file(str(source / "weights.safetensors")))
    assert any(key.endswith(SCALE_SUFFIX) for key in stored)
    save_file(stored, str(source / "weights.safetensors"))
    state = load_torch_scorer(read_committed_scorer(source), tiny.base).state_dict()
    for key, value in dequantize_rows(stored).items():
        assert torch.equal(state[key], torch.from_numpy(value)), key
    bundle = build_scorer_bundle(ScorerExportRequest(source=source, out_root=tmp_path / "out", base=tiny.base))
    assert (bundle / "model.onnx").is_file()
    stored.pop(next(key for key in stored if key.endswith(SCALE_SUFFIX)))
    save_file(stored, str(source / "weights.safetensors"))
    with pytest.raises(ScorerSourceError, match=r"weights\.safetensors: .* stored in 8 bits without"):
        load_torch_scorer(read_committed_scorer(source), tiny.base)


@pytest.mark.parametrize(("changes", "message"), [
    ({"calibration": {"scale": "big", "bias": 0}}, "'calibration.scale' is 'big'"),
    ({"threshold": 1.5}, "'threshold' is 1.5, outside 0..1"),
    ({"num_hidden_layers": "4"}, "'num_hidden_layers' is '4', expected a whole number"),
    ({"weights": "../elsewhere.safetensors"}, "must be a file name inside"),
    ({"frozen": [3]}, "'frozen' must be a list of tensor names"),
    ({"candidate_calibration": [0.6, -2]}, "'candidate_calibration' is [0.6, -2], expected an object"),
    ({"candidate_calibration": {"scale": 0.6}}, "'candidate_calibration.bias' is None"),
    ({"candidate_calibration": {"scale": -0.6, "bias": 0}}, "both calibration scales must be positive"),
    ({"candidate_calibration": {"scale": 0.6, "bias": 0, "source_scale": "low"}},
     "'candidate_calibration.source_scale' is 'low'"),
    ({"symmetric": 1}, "'symmetric' is 1, expected true or false"),
])
def test_a_bad_scorer_json_names_the_field(tiny, tmp_path: Path, changes: dict, message: str) -> None:  # noqa: ANN001
    from tiny_scorer import write_scorer_json

    source = copy_source(tiny.source, tmp_path)
    write_scorer_json(source, **changes)
    with pytest.raises(ScorerSourceError, match=re.escape(message)) as info:
        read_committed_scorer(source)
    assert "scorer.json" in str(info.value)


def test_missing_files_are_named(tiny, tmp_path: Path) -> None:  # noqa: ANN001
    with pytest.raises(FileNotFoundError, match="scorer.json is missing"):
        read_committed_scorer(tmp_path)
    source = copy_source(tiny.source, tmp_path)
    (source / "weights.safetensors").unlink()
    with pytest.raises(FileNotFoundError, match=r"weights\.safetensors is missing \(named by"):
        read_committed_scorer(source)


# -- base weights --------------------------------------------------------------------------------


def test_the_minilm_lookup_is_shared_and_export_never_imports_distill() -> None:
    from export.base_weights import minilm_dir

    try:
        folder = minilm_dir()
    except FileNotFoundError as exc:
        pytest.skip(str(exc))
    from distill.embedder import minilm_dir as distill_minilm_dir

    assert folder == distill_minilm_dir()
    code = ("import sys, export.scorer_export, export.scorer_cli, export.cli; "
            "print(sorted(m for m in sys.modules if m == 'distill' or m.startswith('distill.')))")
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=180,
                          check=True)
    assert done.stdout.strip() == "[]"  # data flows distill -> export, never back


# -- the CLI ---------------------------------------------------------------------------------------


def test_export_scorer_builds_or_reuses_a_bundle(tiny, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: ANN001
    from paraphrase_studio.cli import main

    shutil.copytree(tiny.bundle, tmp_path / tiny.bundle.name)
    source = copy_source(tiny.source, tmp_path / "src")
    # scorer.json names the real base; point it at the tiny one as the tests' base
    data = json.loads((source / "scorer.json").read_text(encoding="utf-8"))
    (source / "scorer.json").write_text(json.dumps({**data, "base": str(tiny.base)}), encoding="utf-8")
    assert main(["export", "--scorer", str(source), "--out", str(tmp_path)]) == 0
    assert f"scorer bundle ready: {tmp_path / tiny.bundle.name}" in capsys.readouterr().out
    manifest = json.loads((tmp_path / tiny.bundle.name / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["scorer"]["scorer_json_sha256"] == hashlib.sha256((source / "scorer.json").read_bytes()).hexdigest()


@pytest.mark.parametrize(("argv", "message"), [
    (["--scorer", "no-such-scorer"], "unknown scorer 'no-such-scorer' (known: minilm-l4-meaning-v1, minilm-l6-order-v4)"),
    (["--scorer", "minilm-l4-meaning-v1", "--recipe", "smollm2-135m-fewshot"], "--recipe describe a paraphrase"),
    (["--scorer", "minilm-l4-meaning-v1", "--adapter", "x"], "--adapter describe a paraphrase bundle"),
])
def test_export_scorer_usage_errors(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    from paraphrase_studio.cli import main

    with pytest.raises(SystemExit) as info:
        main(["export", *argv])
    assert info.value.code == 2
    assert message in capsys.readouterr().err


def export_args(**changes: object) -> argparse.Namespace:
    values = {"recipe": DEFAULT_BUNDLE, "name": None, "base": None, "adapter": None, "template": None,
              "min_agreement": None, "out": None, "force": True, "scorer": None, **changes}
    return argparse.Namespace(**values)


def test_plain_export_skips_a_scorer_not_committed_yet(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                      caplog: pytest.LogCaptureFixture) -> None:
    from export import scorer_cli
    from models.scorer_recipes import DEFAULT_SCORER, ORDER_SCORER, ScorerRecipe

    monkeypatch.setattr(scorer_cli, "get_scorer", lambda name: ScorerRecipe(name, tmp_path / name))
    with caplog.at_level(logging.INFO, logger="export.scorer"):
        assert scorer_cli.build_default_scorer(export_args(out=tmp_path / "bundles")) == 0
    assert [r.getMessage() for r in caplog.records] == [
        f"scorer {name} is not committed yet (no {tmp_path / name / 'scorer.json'}): skipped"
        for name in (DEFAULT_SCORER, ORDER_SCORER)]
    assert not (tmp_path / "bundles").exists()


def test_plain_export_builds_the_committed_default_scorer_when_stale(tiny, monkeypatch: pytest.MonkeyPatch,  # noqa: ANN001
                                                                    tmp_path: Path) -> None:
    from export import scorer_cli, scorer_export
    from models.scorer_recipes import DEFAULT_SCORERS, ScorerRecipe

    built: list[tuple[Path, Path | None, bool]] = []

    def fake_build(request, *, if_stale: bool) -> Path:  # noqa: ANN001
        built.append((request.source, request.out_root, if_stale))
        return tmp_path / "bundle"

    monkeypatch.setattr(scorer_cli, "get_scorer", lambda name: ScorerRecipe(name, tiny.source))
    monkeypatch.setattr(scorer_export, "build_scorer_bundle", fake_build)
    assert scorer_cli.build_default_scorer(export_args(out=tmp_path)) == 0
    # the meaning scorer and its order companion; --force is the student's: each scorer only when stale
    assert built == [(tiny.source, tmp_path, True)] * len(DEFAULT_SCORERS)
    assert scorer_cli.build_default_scorer(export_args(out=tmp_path, recipe="smollm2-135m-fewshot")) == 0
    assert scorer_cli.build_default_scorer(export_args(out=tmp_path, name="mine")) == 0
    assert len(built) == len(DEFAULT_SCORERS)  # a custom paraphrase build brings no scorer


def test_a_failed_scorer_build_fails_the_export(tiny, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,  # noqa: ANN001
                                                capsys: pytest.CaptureFixture[str]) -> None:
    from export import scorer_cli, scorer_export
    from models.scorer_recipes import ScorerRecipe

    def refuse(request, *, if_stale: bool) -> Path:  # noqa: ANN001
        raise scorer_export.ScorerParityError("scorer bundle x refused: its probabilities differ")

    monkeypatch.setattr(scorer_cli, "get_scorer", lambda name: ScorerRecipe(name, tiny.source))
    monkeypatch.setattr(scorer_export, "build_scorer_bundle", refuse)
    assert scorer_cli.build_default_scorer(export_args(out=tmp_path)) == 1
    assert "paraphrase-studio: scorer bundle x refused" in capsys.readouterr().err
