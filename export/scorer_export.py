"""Committed scorer -> verified int8 ONNX scorer bundle, one stage at a time.

Stages: read ``scorer.json`` -> load the base cut to N layers with the committed weights
on top (strict) -> ONNX fp32 (opset 17, dynamic batch and sequence) -> dynamic int8
(``onnxruntime.quantization.quantize_dynamic``: int8 MatMul weights and embedding tables,
activations quantized per call) -> the base's tokenizer -> parity against PyTorch fp32
-> manifest. Like the paraphrase bundle (:mod:`export.pipeline`), it is assembled in a
temporary folder beside its destination and renamed into place only after the parity gate
passes, and ``if_stale`` reuses a verified bundle built from the same scorer, base and
export code.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import tempfile
import time
import warnings
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np
from tqdm.auto import tqdm

from models.bundle import file_record
from models.catalog import MANIFEST_NAME, bundles_dir
from models.errors import ParaphraseStudioError
from models.scorer import MeaningScorer
from models.scorer_bundle import Calibration, ScorerBundleError, ScorerManifest, read_scorer_manifest, \
    verify_scorer_bundle, write_scorer_manifest
from models.scorer_recipes import SCORER_CONFIG, get_scorer

from .deps import require
from .pipeline import _replace_folder, _version
from .scorer_parity import MAX_PROBABILITY_DIFF, scorer_parity_report
from .scorer_source import CommittedScorer, base_digest, load_torch_scorer, read_committed_scorer, scorer_base_dir

log = logging.getLogger(__name__)

#: Bump when this code changes what it writes, so an up-to-date check rebuilds.
SCORER_EXPORT_VERSION = 3
MODEL_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"
ONNX_OPSET = 17
INPUT_NAMES = ["input_ids", "attention_mask", "token_type_ids"]
#: What ``quantize_dynamic`` is asked for; recorded in the manifest and the fingerprint.
#: Per-channel weight scales: measured on all-MiniLM-L6-v2 cut to 4 layers (random head,
#: 32 parity pairs), the logit error against fp32 fell from 0.094 to 0.034 (mean) and from
#: 0.148 to 0.097 (max) at the same size (19.4 MB) and speed. The error comes from the
#: MatMuls' dynamic activation scales: int8 embedding tables alone differ by 0.001.
#: The feed-forward MatMuls are left out of it: on the trained minilm-l4-meaning-v1 (KD run)
#: all-int8 moved a probability by up to 0.082 (the gate is 0.05); fp32 FFN input MatMuls
#: alone 0.066, fp32 FFN output MatMuls alone 0.076, all FFN MatMuls fp32 0.034 at 33.5 MB.
#: They are stored instead as 8-bit blocks (:func:`feed_forward_to_nbits`), 20.0 MB instead
#: of 33.5 MB for the bundle. Measured on minilm-l4-meaning-v1 (32 parity pairs; ms per pair
#: at batch 1, 2 threads, 29 long news pairs, `runs/s22/scorer_speed.py`): float activations
#: (accuracy level 0) max |dp| 0.025 but 13.3 ms against 8.1 ms for float FFN weights, since
#: onnxruntime has no float kernel for 8-bit weights; activations quantized per block of 32
#: (level 4) max |dp| 0.034, as before, at 7.1-7.2 ms against 8.3. Every weight MatMul as
#: level-4 blocks instead: 0.017, but 8.3 ms (q, k, v, o are faster as ``MatMulInteger``).
QUANTIZATION = {"method": "onnxruntime.quantization.quantize_dynamic", "weight_type": "QInt8",
                "per_channel": True, "reduce_range": False,
                "feed_forward": {"op": "MatMulNBits", "bits": 8, "block_size": 32, "accuracy_level": 4}}
#: ``MatMulNBits``' accuracy level for the feed-forward blocks: 4 quantizes the activations
#: to int8 per block of 32 inputs, fine enough to pass the gate where ``quantize_dynamic``'s
#: one scale per call was not, and the fastest kernel onnxruntime has for 8-bit weights.
FEED_FORWARD_ACCURACY_LEVEL = QUANTIZATION["feed_forward"]["accuracy_level"]
MS_DOMAIN = "com.microsoft"


def feed_forward_matmuls(model_path: Path) -> list[str]:
    """Names of the MatMul nodes of every layer's feed-forward block (intermediate and output dense)."""
    onnx = require("onnx")
    graph = onnx.load(str(model_path), load_external_data=False).graph
    return [node.name for node in graph.node if node.op_type == "MatMul"
            and ("/intermediate/" in node.name or ("/output/dense/" in node.name and "/attention/" not in node.name))]


class ScorerParityError(ParaphraseStudioError, RuntimeError):
    """The int8 scorer disagrees with PyTorch fp32 by more than the gate allows."""


@dataclass
class ScorerExportRequest:
    """What to build: a committed scorer folder into ``out_root/<name>``."""

    source: Path
    out_root: Path | None = None
    max_diff: float = MAX_PROBABILITY_DIFF
    #: The base weights: None -> what ``scorer.json`` names; a folder overrides it (tests).
    base: str | Path | None = None

    def scorer(self) -> CommittedScorer:
        return read_committed_scorer(self.source)

    def destination(self, scorer: CommittedScorer) -> Path:
        return (self.out_root or bundles_dir()) / scorer.name


def request_for_scorer(name_or_folder: str | Path, *, out_root: Path | None = None) -> ScorerExportRequest:
    """A catalog name (``models.scorer_recipes.SCORERS``) or a committed scorer folder -> a request."""
    folder = Path(name_or_folder).expanduser()
    if not (folder / SCORER_CONFIG).is_file():
        folder = get_scorer(str(name_or_folder)).folder  # UnknownScorerError names the known ones
    return ScorerExportRequest(source=folder, out_root=out_root)


def fingerprint(scorer: CommittedScorer, base_sha256: str, max_diff: float) -> str:
    """Everything that determines the bundle's bytes; a change means the bundle is stale."""
    payload = {"export_version": SCORER_EXPORT_VERSION, "base_sha256": base_sha256, **scorer.digest(),
               "opset": ONNX_OPSET, "quantization": QUANTIZATION, "max_diff": max_diff}
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def is_current(destination: Path, expected_fingerprint: str) -> bool:
    """True when ``destination`` holds a verified scorer bundle with this fingerprint."""
    if not (destination / MANIFEST_NAME).is_file():
        return False
    try:
        manifest = read_scorer_manifest(destination)
        if manifest.raw.get("fingerprint") != expected_fingerprint:
            return False
        verify_scorer_bundle(destination, manifest)
    except ScorerBundleError as exc:
        log.info("existing scorer bundle is unusable, rebuilding: %s", exc)
        return False
    return True


def build_scorer_bundle(request: ScorerExportRequest, *, if_stale: bool = False) -> Path:
    """Build (or, with ``if_stale``, reuse) the scorer bundle ``request`` describes; returns its folder."""
    scorer = request.scorer()
    base_dir = scorer_base_dir(request.base if request.base is not None else scorer.base)
    base_sha256 = base_digest(base_dir)
    expected = fingerprint(scorer, base_sha256, request.max_diff)
    destination = request.destination(scorer)
    if if_stale and is_current(destination, expected):
        log.info("scorer bundle %s is up to date", scorer.name)
        return destination
    started = time.perf_counter()
    destination.parent.mkdir(parents=True, exist_ok=True)
    with tqdm(total=5, desc=f"export scorer {scorer.name}", unit="stage") as stages, \
            tempfile.TemporaryDirectory(prefix=f".{scorer.name}-", dir=destination.parent) as tmp:
        bundle = Path(tmp) / "bundle"
        bundle.mkdir()
        stages.set_postfix_str("load weights")
        model = load_torch_scorer(scorer, base_dir)
        stages.update()
        stages.set_postfix_str("ONNX fp32")
        fp32 = bundle / "model.fp32.onnx"  # beside the tokenizer for the parity check, removed after it
        export_onnx(model, fp32)
        stages.update()
        stages.set_postfix_str("int8")
        quantize(fp32, bundle / MODEL_FILE)
        shutil.copyfile(base_dir / TOKENIZER_FILE, bundle / TOKENIZER_FILE)
        stages.update()
        stages.set_postfix_str("parity check")
        manifest = ScorerManifest(name=scorer.name, model_file=MODEL_FILE, tokenizer_file=TOKENIZER_FILE,
                                  max_length=scorer.max_length, calibration=Calibration(**scorer.calibration),
                                  threshold=scorer.threshold, files={}, raw={})
        report = scorer_parity_report(model, MeaningScorer(bundle, manifest, threads=1), fp32_model=fp32)
        report["max_allowed_diff"] = request.max_diff
        fp32.unlink()
        stages.update()
        if report["max_abs_diff"] > request.max_diff:
            raise ScorerParityError(
                f"scorer bundle {scorer.name} refused: its probabilities differ from PyTorch fp32 by up to "
                f"{report['max_abs_diff']:.4f} (limit {request.max_diff:.2f}; the fp32 ONNX graph differs by "
                f"{report.get('onnx_fp32_max_abs_diff', float('nan')):.4f})")
        write_scorer_manifest(bundle, _manifest(scorer, base_dir, base_sha256, expected, report, bundle,
                                                time.perf_counter() - started))
        stages.update()
        _replace_folder(bundle, destination)
    log.info("scorer bundle %s written to %s (max |dp| %.4f vs PyTorch)", scorer.name, destination,
             report["max_abs_diff"])
    return destination


def feed_forward_to_nbits(model_path: Path) -> int:
    """Rewrite the float feed-forward MatMuls of ``model_path`` as 8-bit ``MatMulNBits``, in place.

    Why: they are 4.7 M of the scorer's weights, 18.9 MB in float32 of a 33.5 MB bundle, and
    the installer's budget is tight. Blockwise quantization (one weight scale per 32 inputs,
    :func:`export.blockwise.quantize_blockwise`, and one activation scale per 32 inputs at
    accuracy level 4) does not bring back the error of ``quantize_dynamic``'s one activation
    scale per call (see :data:`QUANTIZATION`).
    Returns how many MatMuls were rewritten.
    """
    onnx = require("onnx")
    from .blockwise import quantize_blockwise

    spec = QUANTIZATION["feed_forward"]
    model = onnx.load(str(model_path))
    graph = model.graph
    initializers = {init.name: init for init in graph.initializer}
    targets = set(feed_forward_matmuls(model_path))
    rewritten = 0
    nodes = []
    for node in graph.node:
        weight = initializers.get(node.input[1]) if node.name in targets and len(node.input) == 2 else None
        if weight is None or len(weight.dims) != 2:
            nodes.append(node)
            continue
        matrix = onnx.numpy_helper.to_array(weight).astype(np.float32)  # [K, N], used as x @ W
        k, n = matrix.shape
        q = quantize_blockwise(matrix, spec["bits"], spec["block_size"])
        data = onnx.numpy_helper.from_array(q.data, f"{node.name}.qweight")
        scales = onnx.numpy_helper.from_array(q.scales, f"{node.name}.scales")
        graph.initializer.extend([data, scales])
        nodes.append(onnx.helper.make_node(
            "MatMulNBits", [node.input[0], data.name, scales.name], list(node.output), name=node.name,
            domain=MS_DOMAIN, K=k, N=n, bits=spec["bits"], block_size=spec["block_size"],
            accuracy_level=FEED_FORWARD_ACCURACY_LEVEL))
        rewritten += 1
    if rewritten != len(targets):
        raise ScorerBundleError(f"expected {len(targets)} feed-forward MatMuls with a float weight, rewrote {rewritten}")
    still_used = {name for node in nodes for name in node.input}
    kept = [init for init in graph.initializer if init.name in still_used]
    del graph.node[:]
    graph.node.extend(nodes)
    del graph.initializer[:]
    graph.initializer.extend(kept)
    if not any(opset.domain == MS_DOMAIN for opset in model.opset_import):
        model.opset_import.append(onnx.helper.make_opsetid(MS_DOMAIN, 1))
    onnx.save(model, str(model_path))
    return rewritten


def export_onnx(model: Any, path: Path) -> Path:
    """fp32 graph: inputs [batch, sequence] int64, ``logits`` [batch, 1]; traced (not dynamo)."""
    torch = require("torch")
    ids = torch.tensor([[101, 7592, 102, 2088, 102], [101, 2023, 2003, 102, 102]])
    axes = {name: {0: "batch", 1: "sequence"} for name in INPUT_NAMES}
    with torch.no_grad(), warnings.catch_warnings():
        # the TorchScript exporter on purpose: its graph of plain ops is what onnxruntime fuses and quantizes
        warnings.simplefilter("ignore", DeprecationWarning)
        torch.onnx.export(model, (ids, torch.ones_like(ids), torch.tensor([[0, 0, 0, 1, 1]] * 2)), str(path),
                          input_names=INPUT_NAMES, output_names=["logits"],
                          dynamic_axes={**axes, "logits": {0: "batch"}}, opset_version=ONNX_OPSET,
                          do_constant_folding=True, dynamo=False)
    return path


def quantize(fp32: Path, int8: Path) -> Path:
    """Dynamic int8: weights stored as int8, activations quantized per call (no calibration data)."""
    quantization = require("onnxruntime.quantization")
    root = logging.getLogger()
    level = root.level
    root.setLevel(max(level, logging.ERROR))  # its "consider pre-processing" advice goes to the root logger
    try:
        quantization.quantize_dynamic(str(fp32), str(int8), weight_type=quantization.QuantType.QInt8,
                                      per_channel=QUANTIZATION["per_channel"],
                                      reduce_range=QUANTIZATION["reduce_range"],
                                      nodes_to_exclude=feed_forward_matmuls(fp32))
    finally:
        root.setLevel(level)
    feed_forward_to_nbits(int8)
    return int8


def _manifest(scorer: CommittedScorer, base_dir: Path, base_sha256: str, fingerprint_: str,
              parity: dict[str, Any], bundle: Path, seconds: float) -> dict[str, Any]:
    versions = {name: _version(name) for name in ("torch", "transformers", "onnx", "onnxruntime")}
    return {
        "name": scorer.name,
        "description": scorer.description,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "fingerprint": fingerprint_,
        "base_model": {"name": scorer.base, "folder": base_dir.name, "sha256": base_sha256},
        "scorer": {"path": scorer.folder.name, **scorer.digest()},
        "model": {"file": MODEL_FILE, "architecture": "BertForSequenceClassification", "num_labels": 1,
                  "num_hidden_layers": scorer.num_hidden_layers, "inputs": INPUT_NAMES, "output": "logits",
                  "opset": ONNX_OPSET},
        "tokenizer_file": TOKENIZER_FILE,
        "max_length": scorer.max_length,
        "calibration": scorer.calibration,
        "threshold": scorer.threshold,
        "quantization": QUANTIZATION,
        "parity": parity,
        "export": {"seconds": round(seconds, 1), "versions": versions, "export_version": SCORER_EXPORT_VERSION},
        "files": {name: file_record(bundle / name) for name in (MODEL_FILE, TOKENIZER_FILE)},
    }
