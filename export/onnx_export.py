"""PyTorch checkpoint folder → fp32 ONNX decoder with KV cache (optimum's exporter).

Bundles no longer come from here (:mod:`export.llama_graph` writes a fused graph); this is
the benchmark's optimum baseline only, since ``ORTModelForCausalLM`` loads optimum's own
layout. Greedy output is identical to PyTorch on 16/16 prompts for SmolLM2
(../shared/notes/measured-facts.md).
"""

from __future__ import annotations

import logging
from pathlib import Path

from .deps import require

log = logging.getLogger(__name__)

ONNX_OPSET = 18


def export_decoder(hf_folder: Path, out_dir: Path) -> Path:
    """Export ``hf_folder`` to ``out_dir/model.onnx`` and return that path."""
    exporters = require("optimum.exporters.onnx")
    out_dir.mkdir(parents=True, exist_ok=True)
    exporters.main_export(
        model_name_or_path=str(hf_folder),
        output=str(out_dir),
        task="text-generation-with-past",
        opset=ONNX_OPSET,
        device="cpu",
        do_validation=False,
        no_post_process=True,
        local_files_only=True,
    )
    model = out_dir / "model.onnx"
    if not model.is_file():
        raise RuntimeError(f"optimum did not write {model}")
    return model
