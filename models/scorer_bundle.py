"""The scorer bundle format: ``model.onnx`` (int8), ``tokenizer.json`` and ``manifest.json``.

Same rules as a paraphrase bundle (:mod:`models.bundle`): the manifest lists every file
with its sha256 and size, the runtime checks them all before it trusts a byte, and every
problem is a :class:`ScorerBundleError` naming the file and the command that rebuilds it.
The manifest says ``"kind": "scorer"``, so a paraphrase bundle passed where a scorer is
expected (or the other way round) is refused with a message, not a shape error.
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .bundle import _files, _first_line, _relative_file, _require_count, _require_field, _require_object, \
    _require_text, check_listed_files
from .catalog import MANIFEST_NAME
from .errors import BundleError
from .scorer_recipes import scorer_rebuild_command

log = logging.getLogger(__name__)

#: ``"kind"`` of a scorer bundle's manifest.
SCORER_KIND = "scorer"
#: 1: BertForSequenceClassification, dynamic int8; inputs input_ids, attention_mask, token_type_ids.
SCORER_FORMAT_VERSION = 1
#: The shortest ``max_length`` a pair fits in: [CLS] a [SEP] b [SEP] with one token a side.
MIN_MAX_LENGTH = 5


class ScorerBundleError(BundleError):
    """A scorer bundle is missing, damaged or not a scorer; the message says how to rebuild it.

    A :class:`BundleError`, so every surface that already reports bundle errors reports this one.
    """


@dataclass(frozen=True)
class Calibration:
    """``probability = sigmoid(scale * logit + bias)``, fitted on held-out pairs."""

    scale: float
    bias: float

    @classmethod
    def from_dict(cls, data: object, where: str = "'calibration'") -> Calibration:
        data = _require_object(data, where)
        return cls(scale=_finite(_require_field(data, "scale", where), f"{where}['scale']"),
                   bias=_finite(_require_field(data, "bias", where), f"{where}['bias']"))

    def to_dict(self) -> dict[str, float]:
        return {"scale": self.scale, "bias": self.bias}


@dataclass(frozen=True)
class CandidateCalibration:
    """``confidence = sigmoid(scale * logit + source_scale * source_logit + bias)``, fitted on the
    student's own candidates read by eye; ``source_logit`` is the source scored against itself
    (the scorer's scale sags for some sentences, faithful candidates of theirs with it)."""

    scale: float
    bias: float
    source_scale: float = 0.0

    @classmethod
    def from_dict(cls, data: object, where: str = "'candidate_calibration'") -> CandidateCalibration:
        data = _require_object(data, where)
        source_scale = data.get("source_scale", 0.0)
        return cls(scale=_finite(_require_field(data, "scale", where), f"{where}['scale']"),
                   bias=_finite(_require_field(data, "bias", where), f"{where}['bias']"),
                   source_scale=_finite(source_scale, f"{where}['source_scale']"))


@dataclass(frozen=True)
class ScorerManifest:
    """Parsed ``manifest.json`` of a scorer bundle; ``raw`` keeps every field for reports."""

    name: str
    model_file: str
    tokenizer_file: str
    max_length: int
    calibration: Calibration
    threshold: float
    files: dict[str, dict[str, Any]]
    raw: dict[str, Any] = field(repr=False)
    #: Maps the same logit to the confidence a *student candidate* is shown with (fitted on
    #: candidates read by eye, :mod:`distill.confidence_fit`); None: the pair probability is shown.
    candidate_calibration: CandidateCalibration | None = None
    #: Read each pair both ways, ``(source, candidate)`` and ``(candidate, source)``, and use
    #: the two logits' mean: what the scorer was trained and calibrated for (``symmetric`` in
    #: its ``scorer.json``). Absent in older manifests: one way.
    symmetric: bool = False

    @classmethod
    def from_dict(cls, data: object) -> ScorerManifest:
        """Check the whole shape; a ValueError names the field that is wrong."""
        data = _require_object(data, "the manifest")
        model = _require_object(_require_field(data, "model", "the manifest"), "'model'")
        threshold = _finite(_require_field(data, "threshold", "the manifest"), "'threshold'")
        if not 0.0 <= threshold <= 1.0:
            raise ValueError(f"'threshold' is {threshold}, outside 0..1")
        return cls(
            name=_require_text(_require_field(data, "name", "the manifest"), "'name'"),
            model_file=_relative_file(_require_field(model, "file", "'model'"), "model['file']"),
            tokenizer_file=_relative_file(data.get("tokenizer_file", "tokenizer.json"), "'tokenizer_file'"),
            max_length=_require_count(_require_field(data, "max_length", "the manifest"), "'max_length'",
                                      minimum=MIN_MAX_LENGTH),
            calibration=Calibration.from_dict(_require_field(data, "calibration", "the manifest")),
            threshold=threshold,
            files=_files(_require_field(data, "files", "the manifest")),
            raw=data,
            candidate_calibration=(None if data.get("candidate_calibration") is None
                                   else CandidateCalibration.from_dict(data["candidate_calibration"])),
            symmetric=_flag(data.get("symmetric", False), "'symmetric'"),
        )


def _flag(value: object, where: str) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"{where} is {value!r}, expected true or false")
    return value


def _finite(value: object, where: str) -> float:
    """A finite JSON number (``true`` is not one)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"{where} is {value!r}, not a finite number")
    return float(value)


def write_scorer_manifest(folder: Path, data: dict[str, Any]) -> Path:
    """Write the manifest last, after every file it lists is in place (through a rename)."""
    data = {"format_version": SCORER_FORMAT_VERSION, "kind": SCORER_KIND, **data}
    path = folder / MANIFEST_NAME
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(path)
    return path


def read_scorer_manifest(folder: Path) -> ScorerManifest:
    """Parse a scorer bundle's manifest without checking its files (cheap)."""
    name = folder.name
    path = folder / MANIFEST_NAME
    fix = scorer_rebuild_command(name, folder)

    def error(message: str) -> ScorerBundleError:
        return ScorerBundleError(message, bundle=name, rebuild_command=fix)

    if not folder.is_dir():
        raise error(f"Scorer bundle '{name}' is not installed (no folder {folder}).")
    if not path.is_file():
        raise error(f"Scorer bundle '{name}' is incomplete: {path} is missing.")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise error(f"Scorer bundle '{name}': {path} cannot be read ({exc.strerror or exc}).") from exc
    except (ValueError, RecursionError) as exc:
        raise error(f"Scorer bundle '{name}' has a damaged {MANIFEST_NAME} ({path}): it is not valid JSON "
                    f"({_first_line(exc)}).") from exc
    if isinstance(data, dict):
        kind = data.get("kind")
        if kind != SCORER_KIND:
            what = "a paraphrase bundle" if kind is None and "prompt" in data else f"of kind {kind!r}"
            raise error(f"'{name}' ({folder}) is {what}, not a scorer bundle.")
        version = data.get("format_version")
        if isinstance(version, bool) or version != SCORER_FORMAT_VERSION:
            raise error(f"Scorer bundle '{name}' has format {version!r}; this version of Paraphrase Studio "
                        f"reads scorer format {SCORER_FORMAT_VERSION}.")
    try:
        return ScorerManifest.from_dict(data)
    except (ValueError, KeyError, TypeError) as exc:
        raise error(f"Scorer bundle '{name}' has a damaged {MANIFEST_NAME} ({path}): {_first_line(exc)}.") from exc


def verify_scorer_bundle(folder: Path, manifest: ScorerManifest) -> None:
    """Every listed file exists with its recorded size and sha256; model and tokenizer are listed."""
    name = manifest.name
    fix = scorer_rebuild_command(folder.name, folder)

    def error(message: str) -> ScorerBundleError:
        return ScorerBundleError(message, bundle=name, rebuild_command=fix)

    for required in (manifest.model_file, manifest.tokenizer_file):
        if required not in manifest.files:
            raise error(f"Scorer bundle '{name}': manifest does not list {required}.")
    check_listed_files(folder, manifest.files, f"Scorer bundle '{name}'", error)
    log.debug("verified %d files of scorer bundle %s", len(manifest.files), name)


def load_scorer_manifest(folder: Path, *, verify: bool = True) -> ScorerManifest:
    """Read and (by default) verify a scorer bundle; the one entry point the runtime uses."""
    manifest = read_scorer_manifest(folder)
    if verify:
        verify_scorer_bundle(folder, manifest)
    return manifest
