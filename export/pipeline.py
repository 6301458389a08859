"""Checkpoint (+ LoRA adapter) → verified quantized ONNX bundle, one stage at a time.

Quantized as :class:`export.quantize.QuantizationSettings` says: every projection 4-bit,
exact on a GGUF Q4_1 base's own grid with the adapter beside it; the tied embedding 8-bit.

Stages: load base → merge adapter → write the quantized graph (:mod:`export.llama_graph`)
→ tokenizer → parity against the merged PyTorch model → write bundle. The bundle is
assembled in a temporary folder beside its destination and renamed into place only after
the parity gate passes, so a failed or interrupted export never leaves a half-written
bundle where the app would find it.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from tqdm.auto import tqdm

from models.controls import Controls
from models.bundle import (MANIFEST_NAME, ModelGeometry, file_record, load_tokenizer, read_manifest, verify_bundle,
                           write_manifest)
from models.catalog import bundles_dir
from models.errors import BundleError, ParaphraseStudioError
from models.prompt import PromptFormat
from models.student_calibration import MANIFEST_KEY as CONFIDENCE_KEY
from models.student_calibration import StudentCalibration

from .deps import require
from .base_weights import BaseWeights, folder_digest, load_base, resolve_base
from .parity import MIN_NEXT_TOKEN_AGREEMENT, parity_report
from .quantize import QuantizationSettings

log = logging.getLogger(__name__)

#: Bump when the export code changes what it writes, so ``--if-stale`` rebuilds.
#: 2: logits for the last position only; 3: fused graph, tied 8-bit embedding; 4: gzip tokenizer.
EXPORT_VERSION = 4
MODEL_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json.gz"  # gzip: 1.56 -> 0.56 MB (models.bundle.load_tokenizer)


class ParityError(ParaphraseStudioError, RuntimeError):
    """The quantized model disagrees with PyTorch too often to be shipped.

    A :class:`~models.errors.ParaphraseStudioError` (the message is for the user); still a
    :class:`RuntimeError` for callers that caught it as one.
    """


@dataclass
class ExportRequest:
    name: str
    template: str
    base: str | Path | None = None
    adapter: Path | None = None
    description: str = ""
    quantization: QuantizationSettings = field(default_factory=QuantizationSettings)
    min_agreement: float = MIN_NEXT_TOKEN_AGREEMENT
    parity_sentences: list[str] | None = None
    out_root: Path | None = None
    prompt_extra: dict[str, float] = field(default_factory=dict)
    #: A controlled student's codes (``models.controls.Controls``), written into the manifest.
    controls: Controls | None = None
    #: The student's confidence fit (``models.student_calibration``), written into the manifest.
    confidence: StudentCalibration | None = None
    #: A mode's own low-rank update (``distill.mode_update``), kept beside the adapter behind
    #: the graph input ``mode_update``; ``controls.mode_updates`` says which modes weigh it.
    mode_update: Path | None = None

    @property
    def destination(self) -> Path:
        return (self.out_root or bundles_dir()) / self.name


def fingerprint(request: ExportRequest, base: BaseWeights) -> str:
    """Everything that determines the bundle's bytes; a change means the bundle is stale."""
    payload = {
        "export_version": EXPORT_VERSION,
        "base_sha256": base.sha256,
        "adapter_sha256": adapter_digest(request.adapter) if request.adapter else None,
        "template": request.template,
        "quantization": request.quantization.to_dict(),
        "min_agreement": request.min_agreement,
    }
    if request.prompt_extra:  # absent when empty: older bundles keep their fingerprint
        payload["prompt_extra"] = request.prompt_extra
    if request.controls is not None:
        payload["controls"] = request.controls.to_dict()
    if request.confidence is not None:  # absent without one: older bundles keep their fingerprint
        payload["confidence"] = request.confidence.to_dict()
    if request.mode_update is not None:
        payload["mode_update_sha256"] = adapter_digest(request.mode_update)
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def adapter_digest(adapter: Path) -> str:
    """sha256 over the adapter's weight and config files (names and contents).

    Only ``adapter_model.*`` and ``adapter_config.json``: a student folder also holds its model
    card, ``training.json`` and evaluation reports, and editing those must not make the
    bundle stale.
    """
    weights = (p for p in adapter.iterdir() if p.is_file() and (
        p.name == "adapter_config.json" or (p.name.startswith("adapter_model.") and p.suffix in {".safetensors", ".bin"})))
    return folder_digest(adapter, weights)


def is_current(request: ExportRequest, base: BaseWeights) -> bool:
    """True when the destination holds a verified bundle built from the same recipe."""
    folder = request.destination
    if not (folder / MANIFEST_NAME).is_file():
        return False
    try:
        manifest = read_manifest(folder)
        if manifest.raw.get("fingerprint") != fingerprint(request, base):
            return False
        verify_bundle(folder, manifest)
    except BundleError as exc:
        log.info("existing bundle is unusable, rebuilding: %s", exc)
        return False
    return True


def build_bundle(request: ExportRequest, *, if_stale: bool = False) -> Path:
    """Build (or, with ``if_stale``, reuse) the bundle described by ``request``."""
    base = resolve_base(request.base)
    _check_mode_update(request)
    if if_stale and is_current(request, base):
        log.info("bundle %s is up to date", request.name)
        return request.destination
    started = time.perf_counter()
    stages = tqdm(total=5, desc=f"export {request.name}", unit="stage")
    destination = request.destination
    destination.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f".{request.name}-", dir=destination.parent) as tmp:
        work = Path(tmp)
        stages.set_postfix_str("load base weights")
        model, tokenizer = load_base(base)
        stages.update()
        stages.set_postfix_str("apply adapter")
        from .llama_graph import read_lora_folder, torch_weights, write_decoder

        base_weights = torch_weights(model)  # a copy: merging below rewrites the model's tensors
        model, lora = _with_adapter(model, request.adapter)
        update = read_lora_folder(request.mode_update) if request.mode_update is not None else None
        stages.update()
        stages.set_postfix_str("write quantized graph")
        bundle = work / "bundle"
        write_decoder(model.config, base_weights, bundle / MODEL_FILE, request.quantization, lora, update)
        del base_weights
        stages.update()
        stages.set_postfix_str("tokenizer")
        runtime_tokenizer = _write_tokenizer(tokenizer, bundle / TOKENIZER_FILE)
        prompt = PromptFormat(template=request.template, stop_token_ids=stop_token_ids(runtime_tokenizer, tokenizer),
                              description=request.description, extra=dict(request.prompt_extra),
                              controls=request.controls)
        geometry = geometry_of(model.config)
        stages.update()
        stages.set_postfix_str("parity check")
        report = parity_report(model, bundle / MODEL_FILE, geometry, prompt, runtime_tokenizer,
                               sentences=request.parity_sentences)
        report["threshold"] = request.min_agreement
        if update is not None:  # the update's modes, against PyTorch with the update merged in
            assert request.controls is not None
            report["mode_updates"] = [_update_parity(model, update, bundle / MODEL_FILE, geometry, prompt,
                                                     runtime_tokenizer, mode, weight, request)
                                      for mode, weight in request.controls.mode_updates.items()]
        stages.update()
        stages.close()
        for checked in [report, *report.get("mode_updates", [])]:
            if checked["next_token_agreement"] < request.min_agreement:
                raise ParityError(
                    f"bundle {request.name} refused: next-token agreement with PyTorch fp32 is "
                    f"{checked['next_token_agreement']:.3f}{' in mode ' + checked['mode'] if 'mode' in checked else ''}, "
                    f"below the threshold {request.min_agreement:.2f}")
        manifest = _manifest(request, base, geometry, prompt, report, bundle, time.perf_counter() - started)
        write_manifest(bundle, manifest)
        _replace_folder(bundle, destination)
    log.info("bundle %s written to %s (agreement %.3f)", request.name, destination, report["next_token_agreement"])
    return destination


def stop_token_ids(runtime_tokenizer: Any, hf_tokenizer: Any) -> tuple[int, ...]:
    """End-of-sequence ids plus every token whose text contains a newline."""
    stops = {i for i in range(runtime_tokenizer.get_vocab_size())
             if "\n" in runtime_tokenizer.decode([i], skip_special_tokens=False)}
    for token_id in (hf_tokenizer.eos_token_id, hf_tokenizer.convert_tokens_to_ids("<|endoftext|>")):
        if isinstance(token_id, int) and token_id >= 0 and token_id != getattr(hf_tokenizer, "unk_token_id", None):
            stops.add(token_id)
    return tuple(sorted(stops))


def geometry_of(config: Any) -> ModelGeometry:
    heads = config.num_attention_heads
    return ModelGeometry(
        num_layers=config.num_hidden_layers,
        num_kv_heads=getattr(config, "num_key_value_heads", None) or heads,
        head_dim=getattr(config, "head_dim", None) or config.hidden_size // heads,
        vocab_size=config.vocab_size,
        max_positions=config.max_position_embeddings,
    )


def _check_mode_update(request: ExportRequest) -> None:
    """A mode update and the controls that weigh it come together, or not at all."""
    weighed = request.controls is not None and bool(request.controls.mode_updates)
    if request.mode_update is not None and not weighed:
        raise ValueError(f"{request.name}: a mode update needs controls naming the modes that use it (mode_updates)")
    if weighed and request.mode_update is None:
        raise ValueError(f"{request.name}: the controls name mode updates but no mode update folder was given")


def _update_parity(model: Any, update: dict[str, Any], onnx_model: Path, geometry: ModelGeometry,
                   prompt: PromptFormat, tokenizer: Any, mode: str, weight: float,
                   request: ExportRequest) -> dict[str, Any]:
    """Parity of ``mode`` (update weighed by ``weight``) against ``model`` with the update
    merged in; the merge is undone afterwards, so ``model`` is the adapter's again."""
    torch = require("torch")
    modules = dict(model.named_modules())

    def apply(sign: float) -> None:
        with torch.no_grad():
            for name, factor in update.items():
                delta = torch.from_numpy(factor.b @ factor.a) * (sign * weight)
                modules[name].weight += delta.to(modules[name].weight.dtype)

    apply(1.0)
    try:
        return parity_report(model, onnx_model, geometry, prompt, tokenizer, sentences=request.parity_sentences,
                             mode=mode, update=weight)
    finally:
        apply(-1.0)


def _with_adapter(model: Any, adapter: Path | None) -> tuple[Any, dict[str, Any]]:
    """(``model`` with the LoRA adapter merged in, the adapter's factors): the merged
    model is the parity reference; the graph builder takes the base and the factors."""
    if adapter is None:
        return model, {}
    peft = require("peft")
    from .llama_graph import lora_factors

    if not (adapter / "adapter_config.json").is_file():
        raise FileNotFoundError(f"{adapter} is not a LoRA adapter folder (no adapter_config.json)")
    wrapped = peft.PeftModel.from_pretrained(model, str(adapter))
    factors = lora_factors(wrapped)
    return wrapped.merge_and_unload().eval(), factors


def _write_tokenizer(hf_tokenizer: Any, path: Path) -> Any:
    """The tokenizer as compact JSON, gzipped (no timestamp: the same tokenizer, the same
    bytes); returns it read back the way the runtime reads it, so parity uses that."""
    text = hf_tokenizer.backend_tokenizer.to_str(pretty=False)  # 1.3 MB smaller than indented
    path.write_bytes(gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0))
    return load_tokenizer(path)


def _manifest(request: ExportRequest, base: BaseWeights, geometry: ModelGeometry, prompt: PromptFormat,
              parity: dict[str, Any], bundle: Path, seconds: float) -> dict[str, Any]:
    versions = {name: _version(name) for name in ("torch", "transformers", "optimum", "onnx", "onnxruntime")}
    return {
        "name": request.name,
        "description": request.description,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "fingerprint": fingerprint(request, base),
        "base_model": {"name": base.name, "source": base.source, "sha256": base.sha256},
        "adapter": ({"path": request.adapter.name, "sha256": adapter_digest(request.adapter)}
                    if request.adapter else None),
        **({"mode_update": {"path": request.mode_update.name, "sha256": adapter_digest(request.mode_update)}}
           if request.mode_update is not None else {}),
        "quantization": request.quantization.to_dict(),
        "model": {"file": MODEL_FILE, **geometry.__dict__},
        "tokenizer_file": TOKENIZER_FILE,
        "prompt": prompt.to_dict(),
        "parity": parity,
        "export": {"seconds": round(seconds, 1), "versions": versions, "export_version": EXPORT_VERSION},
        "files": {name: file_record(bundle / name) for name in (MODEL_FILE, TOKENIZER_FILE)},
        **({CONFIDENCE_KEY: request.confidence.to_dict()} if request.confidence is not None else {}),
    }


def _version(module: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(module)
    except PackageNotFoundError:
        return None


def _replace_folder(source: Path, destination: Path) -> None:
    """Swap the new bundle in with renames, so readers see the old or the new one, never half."""
    old = destination.with_name(f".{destination.name}.old{os.getpid()}")
    if destination.exists():
        destination.rename(old)
    source.rename(destination)
    shutil.rmtree(old, ignore_errors=True)
