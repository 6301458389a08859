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
SCORER_EXPORT_VERSION = 5
MODEL_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"
ONNX_OPSET = 17
INPUT_NAMES = ["input_ids", "attention_mask", "token_type_ids"]
#: How the fp32 graph is made small, in the order tried: the first whose probabilities pass
#: the parity gate ships, and the manifest says which (``quantization``). Recorded in the
#: fingerprint.
#:
#: * ``int8+ffn-folded``: ``quantize_dynamic`` int8 with per-channel weight scales for the
#:   embedding tables and the attention, pooler and classifier MatMuls (activations get one
#:   scale per call); the feed-forward weights are stored as 8-bit blocks of 32 (the same
#:   levels and scales as ``MatMulNBits`` would hold, so the same file size) behind a small
#:   constant subgraph (Cast, Sub, Mul, Reshape: :func:`matmuls_to_folded_blocks`) that
#:   onnxruntime's constant folding turns into a float32 weight when the session starts, so
#:   the feed-forward runs as a float32 MatMul on float activations. Why: on AVX2 without
#:   AVX-512 VNNI, onnxruntime 1.32's 8-bit ``MatMulNBits`` kernel is slow (45 of the
#:   scorer's 64 ms of kernel time on 8 long pairs; ``runs/s28``). Measured on such a host
#:   (2 cores, minilm-l4-meaning-v1, interleaved, ``runs/s29/ffn_folded.py``, ``batch1.py``):
#:   113.3 -> 72.2 ms per call of 8 PAWS pairs, batch 1 on the bench's pairs 12.0 -> 8.8 ms,
#:   +70 ms at load, +19 MB of memory; the probabilities move by up to 0.021 from the
#:   ``MatMulNBits`` graph's (whose activations are int8) and are closer to PyTorch's. On an
#:   AVX-512 VNNI host (session 22) float32 feed-forward weights cost 8.3 ms a pair against
#:   7.1 with ``MatMulNBits``: there this choice is ~15 % slower, a cost taken knowingly
#:   because the AVX2 hosts are both the slower ones and the ones this product now meets.
#: * ``int8+ffn-blocks``: the same, but the feed-forward MatMuls as 8-bit ``MatMulNBits``
#:   blocks at accuracy level 4 (:func:`matmuls_to_nbits`): the activations are quantized to
#:   int8 per block of 32 inputs. On minilm-l4-meaning-v1: max |dp| 0.034; all-int8 from
#:   ``quantize_dynamic`` moved a probability by 0.082, over the gate. Level 0 (float
#:   activations) is as exact but slower than float32 weights, since onnxruntime has no float
#:   kernel for 8-bit weights.
#: * ``all-blocks``: every weight MatMul but the one-logit classifier as 8-bit blocks, and
#:   int8 embedding tables: max |dp| 0.017 (v1) and 0.021 (a further-trained one), 20.2 MB,
#:   but ~18 % slower on AVX-512: q, k, v and o are faster as ``MatMulInteger``.
#:
#: Blocks are one weight scale per 32 inputs (:func:`export.blockwise.quantize_blockwise`).
BLOCKS = {"op": "MatMulNBits", "bits": 8, "block_size": 32, "accuracy_level": 4}
FOLDED_BLOCKS = {"op": "MatMul", "bits": 8, "block_size": 32, "dequantized": "float32, by constant folding at load"}
_DYNAMIC = {"method": "onnxruntime.quantization.quantize_dynamic", "weight_type": "QInt8",
            "per_channel": True, "reduce_range": False}
QUANTIZATIONS: dict[str, dict[str, Any]] = {
    "int8+ffn-folded": {**_DYNAMIC, "blocks": "feed-forward MatMuls", **FOLDED_BLOCKS},
    "int8+ffn-blocks": {**_DYNAMIC, "blocks": "feed-forward MatMuls", **BLOCKS},
    "all-blocks": {**_DYNAMIC, "op_types": ["Gather"], "blocks": "every weight MatMul but the classifier", **BLOCKS},
}
MS_DOMAIN = "com.microsoft"
#: The graph's second output: hidden states for :meth:`models.scorer.MeaningScorer.span_similarity`.
STATES_OUTPUT = "token_states"
#: Which hidden states it holds (0 is the embeddings, i the output of layer i - 1). Layers
#: 0-2 of the 4: on 178 news words (the phrase bench's kind), ranking alternatives with the
#: mean cosine of these three puts 53.1 % of the top-3 one-word alternatives one WordNet step
#: from the word, against 50.4 % without; in a replay of the ranking, any one of layers 0-3
#: did a point or two worse than the three together (``runs/s27``, not committed).
STATE_LAYERS = (1, 2, 3)


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
               "opset": ONNX_OPSET, "quantization": QUANTIZATIONS, "max_diff": max_diff}
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
        stages.set_postfix_str("tokenizer")
        shutil.copyfile(base_dir / TOKENIZER_FILE, bundle / TOKENIZER_FILE)
        stages.update()
        stages.set_postfix_str("quantize, parity check")
        # one way even for a symmetric scorer: both ways run the same graph, so one is the check
        manifest = ScorerManifest(name=scorer.name, model_file=MODEL_FILE, tokenizer_file=TOKENIZER_FILE,
                                  max_length=scorer.max_length, calibration=Calibration(**scorer.calibration),
                                  threshold=scorer.threshold, files={}, raw={})
        variant, report, tried = smallest_passing(model, bundle, manifest, fp32, request.max_diff)
        fp32.unlink()
        stages.update()
        if variant is None:
            raise ScorerParityError(
                f"scorer bundle {scorer.name} refused: its probabilities differ from PyTorch fp32 by up to "
                f"{report['max_abs_diff']:.4f} (limit {request.max_diff:.2f}; tried {tried}; the fp32 ONNX graph "
                f"differs by {report.get('onnx_fp32_max_abs_diff', float('nan')):.4f})")
        write_scorer_manifest(bundle, _manifest(scorer, base_dir, base_sha256, expected, report, bundle,
                                                time.perf_counter() - started, variant, tried))
        stages.update()
        _replace_folder(bundle, destination)
    log.info("scorer bundle %s written to %s (max |dp| %.4f vs PyTorch)", scorer.name, destination,
             report["max_abs_diff"])
    return destination


def matmuls_to_nbits(model_path: Path, names: list[str] | None) -> int:
    """Rewrite the float MatMuls ``names`` of ``model_path`` as 8-bit ``MatMulNBits``, in place;
    ``None``: every MatMul by a weight matrix blocks can hold (K a multiple of the block
    size), but not the one-logit classifier (N = 1: 384 numbers).

    Why: the feed-forward weights alone are 4.7 M of the scorer's, 18.9 MB in float32 of a
    33.5 MB bundle, and the installer's budget is tight; blocks keep the error far below
    ``quantize_dynamic``'s (see :data:`QUANTIZATIONS`). Returns how many were rewritten.
    """
    onnx = require("onnx")

    def as_nbits(node: Any, q: Any, graph: Any) -> list[Any]:
        data = onnx.numpy_helper.from_array(q.data, f"{node.name}.qweight")
        scales = onnx.numpy_helper.from_array(q.scales, f"{node.name}.scales")
        graph.initializer.extend([data, scales])
        return [onnx.helper.make_node(
            "MatMulNBits", [node.input[0], data.name, scales.name], list(node.output), name=node.name,
            domain=MS_DOMAIN, K=q.k, N=q.n, bits=BLOCKS["bits"], block_size=BLOCKS["block_size"],
            accuracy_level=BLOCKS["accuracy_level"])]

    return _rewrite_weight_matmuls(model_path, names, as_nbits, uses_ms_domain=True)


def matmuls_to_folded_blocks(model_path: Path, names: list[str]) -> int:
    """Rewrite the float MatMuls ``names`` of ``model_path`` in place so their weights are
    stored as 8-bit blocks (:data:`FOLDED_BLOCKS`) and made float32 again when onnxruntime
    loads the graph.

    Each weight [K, N] becomes uint8 levels [K / 32, 32, N] and float32 scales [K / 32, 1, N],
    and ``Cast -> Sub 128 -> Mul scales -> Reshape [K, N]`` in front of a plain ``MatMul``.
    Every input of that chain is an initializer, so constant folding (on at any optimization
    level) computes the float32 weight once per session. Why: the file is as small as
    ``MatMulNBits``'s, and the multiply is onnxruntime's float32 GEMM, which on AVX2 hosts is
    far faster than its 8-bit block kernel (see :data:`QUANTIZATIONS`). Returns how many
    were rewritten.
    """
    onnx = require("onnx")
    block = FOLDED_BLOCKS["block_size"]
    zero_point = 2 ** (FOLDED_BLOCKS["bits"] - 1)

    def as_folded(node: Any, q: Any, graph: Any) -> list[Any]:
        name = node.name
        levels = q.data.reshape(q.n, q.k // block, block).transpose(1, 2, 0)  # [K/32, 32, N]
        scales = q.scales.T.reshape(q.k // block, 1, q.n)
        graph.initializer.extend([
            onnx.numpy_helper.from_array(np.ascontiguousarray(levels), f"{name}.levels"),
            onnx.numpy_helper.from_array(np.ascontiguousarray(scales, dtype=np.float32), f"{name}.scales"),
            onnx.numpy_helper.from_array(np.array(zero_point, dtype=np.float32), f"{name}.zero_point"),
            onnx.numpy_helper.from_array(np.array([q.k, q.n], dtype=np.int64), f"{name}.shape")])
        make = onnx.helper.make_node
        return [make("Cast", [f"{name}.levels"], [f"{name}/levels_float"], name=f"{name}/cast",
                     to=onnx.TensorProto.FLOAT),
                make("Sub", [f"{name}/levels_float", f"{name}.zero_point"], [f"{name}/centred"], name=f"{name}/centre"),
                make("Mul", [f"{name}/centred", f"{name}.scales"], [f"{name}/blocks"], name=f"{name}/scale"),
                make("Reshape", [f"{name}/blocks", f"{name}.shape"], [f"{name}/weight"], name=f"{name}/weight"),
                make("MatMul", [node.input[0], f"{name}/weight"], list(node.output), name=name)]

    return _rewrite_weight_matmuls(model_path, names, as_folded, uses_ms_domain=False)


def _rewrite_weight_matmuls(model_path: Path, names: list[str] | None, rewrite: Any, *,
                            uses_ms_domain: bool) -> int:
    """Replace each chosen MatMul by a float weight with ``rewrite(node, blocks, graph)``'s nodes
    (``blocks``: the weight as :func:`export.blockwise.quantize_blockwise` 8-bit blocks), drop
    the float initializers nothing uses any more, and save in place. ``names`` None: every
    MatMul whose weight blocks can hold (K a multiple of the block size), but not N = 1.
    """
    onnx = require("onnx")
    from .blockwise import quantize_blockwise

    model = onnx.load(str(model_path))
    graph = model.graph
    initializers = {init.name: init for init in graph.initializer}
    targets = set(names) if names is not None else None
    rewritten = 0
    nodes = []
    for node in graph.node:
        wanted = node.name in targets if targets is not None else node.op_type == "MatMul"
        weight = initializers.get(node.input[1]) if wanted and len(node.input) == 2 else None
        if weight is None or len(weight.dims) != 2 or (
                targets is None and (weight.dims[0] % BLOCKS["block_size"] or weight.dims[1] == 1)):
            nodes.append(node)
            continue
        matrix = onnx.numpy_helper.to_array(weight).astype(np.float32)  # [K, N], used as x @ W
        nodes.extend(rewrite(node, quantize_blockwise(matrix, BLOCKS["bits"], BLOCKS["block_size"]), graph))
        rewritten += 1
    if targets is not None and rewritten != len(targets):
        raise ScorerBundleError(f"expected {len(targets)} MatMuls with a float weight, rewrote {rewritten}")
    still_used = {name for node in nodes for name in node.input}
    kept = [init for init in graph.initializer if init.name in still_used]
    del graph.node[:]
    graph.node.extend(nodes)
    del graph.initializer[:]
    graph.initializer.extend(kept)
    if uses_ms_domain and not any(opset.domain == MS_DOMAIN for opset in model.opset_import):
        model.opset_import.append(onnx.helper.make_opsetid(MS_DOMAIN, 1))
    onnx.save(model, str(model_path))
    return rewritten


def export_onnx(model: Any, path: Path) -> Path:
    """fp32 graph: inputs [batch, sequence] int64; ``logits`` [batch, 1] and ``token_states``
    [batch, layers, sequence, hidden] (:data:`STATE_LAYERS`); traced (not dynamo)."""
    torch = require("torch")
    ids = torch.tensor([[101, 7592, 102, 2088, 102], [101, 2023, 2003, 102, 102]])
    axes = {name: {0: "batch", 1: "sequence"} for name in INPUT_NAMES}
    with torch.no_grad(), warnings.catch_warnings():
        # the TorchScript exporter on purpose: its graph of plain ops is what onnxruntime fuses and quantizes
        warnings.simplefilter("ignore", DeprecationWarning)
        torch.onnx.export(_with_token_states(model), (ids, torch.ones_like(ids), torch.tensor([[0, 0, 0, 1, 1]] * 2)),
                          str(path), input_names=INPUT_NAMES, output_names=["logits", STATES_OUTPUT],
                          dynamic_axes={**axes, "logits": {0: "batch"}, STATES_OUTPUT: {0: "batch", 2: "sequence"}},
                          opset_version=ONNX_OPSET, do_constant_folding=True, dynamo=False)
    return path


def _with_token_states(model: Any) -> Any:
    """``model`` returning its logits and the hidden states of :data:`STATE_LAYERS`, stacked.

    Why: the phrase ranking compares a word's contextual vector with its alternative's in the
    pair pass it already runs (:meth:`models.scorer.MeaningScorer.span_similarity`), so the
    graph hands the vectors out at no extra cost.
    """
    torch = require("torch")

    class WithTokenStates(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> tuple[Any, Any]:
            out = self.model(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids,
                             output_hidden_states=True)
            layers = state_layers(len(out.hidden_states) - 1)
            return out.logits, torch.stack([out.hidden_states[i] for i in layers], dim=1)

    return WithTokenStates().eval()


def state_layers(num_hidden_layers: int) -> list[int]:
    """:data:`STATE_LAYERS` that a model of ``num_hidden_layers`` has (its last, if none)."""
    return [i for i in STATE_LAYERS if i <= num_hidden_layers] or [num_hidden_layers]


def quantize(fp32: Path, out: Path, variant: str = "int8+ffn-folded") -> Path:
    """One of :data:`QUANTIZATIONS`: int8 weights (no calibration data) and 8-bit blocks."""
    quantization = require("onnxruntime.quantization")
    spec = QUANTIZATIONS[variant]
    ffn = feed_forward_matmuls(fp32) if spec["blocks"] == "feed-forward MatMuls" else None
    root = logging.getLogger()
    level = root.level
    root.setLevel(max(level, logging.ERROR))  # its "consider pre-processing" advice goes to the root logger
    try:
        quantization.quantize_dynamic(str(fp32), str(out), weight_type=quantization.QuantType.QInt8,
                                      per_channel=spec["per_channel"], reduce_range=spec["reduce_range"],
                                      op_types_to_quantize=spec.get("op_types"), nodes_to_exclude=ffn or [])
    finally:
        root.setLevel(level)
    if spec["op"] == FOLDED_BLOCKS["op"]:
        matmuls_to_folded_blocks(out, ffn or [])
    else:  # None: chosen in quantize_dynamic's output, which rewrites the pooler's Gemm as MatMul + Add
        matmuls_to_nbits(out, ffn)
    return out


def smallest_passing(model: Any, bundle: Path, manifest: ScorerManifest, fp32: Path,
                     max_diff: float) -> tuple[str | None, dict[str, Any], dict[str, float]]:
    """Quantize ``fp32`` into ``bundle`` with each of :data:`QUANTIZATIONS` in turn and keep
    the first that passes the parity gate: (its name or None, its parity report, the max
    |dp| of every variant tried). Why several: which variant is exact enough depends on the
    trained weights (the fast one passed v1 at 0.034 and a further-trained scorer at 0.046, gate 0.05), and a
    build must not fail where a slightly slower graph of the same size passes."""
    tried: dict[str, float] = {}
    report: dict[str, Any] = {}
    for variant in QUANTIZATIONS:
        quantize(fp32, bundle / MODEL_FILE, variant)
        report = scorer_parity_report(model, MeaningScorer(bundle, manifest, threads=1), fp32_model=fp32)
        report["max_allowed_diff"] = max_diff
        tried[variant] = report["max_abs_diff"]
        if report["max_abs_diff"] <= max_diff:
            return variant, report, tried
        log.info("scorer quantization %s moved a probability by %.4f (limit %.2f); trying the next",
                 variant, report["max_abs_diff"], max_diff)
    return None, report, tried


def _manifest(scorer: CommittedScorer, base_dir: Path, base_sha256: str, fingerprint_: str,
              parity: dict[str, Any], bundle: Path, seconds: float, variant: str,
              tried: dict[str, float]) -> dict[str, Any]:
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
                  "states_output": STATES_OUTPUT, "state_layers": state_layers(scorer.num_hidden_layers),
                  "opset": ONNX_OPSET},
        "tokenizer_file": TOKENIZER_FILE,
        "max_length": scorer.max_length,
        "calibration": scorer.calibration,
        "candidate_calibration": scorer.candidate_calibration,
        "symmetric": scorer.symmetric,
        "threshold": scorer.threshold,
        "quantization": {"variant": variant, **QUANTIZATIONS[variant], "tried": tried},
        "parity": parity,
        "export": {"seconds": round(seconds, 1), "versions": versions, "export_version": SCORER_EXPORT_VERSION},
        "files": {name: file_record(bundle / name) for name in (MODEL_FILE, TOKENIZER_FILE)},
    }
