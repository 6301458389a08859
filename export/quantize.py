"""Weight-only quantization of the exported decoder (onnxruntime ``MatMulNBits``).

Measured on SmolLM2-135M (../shared/notes/measured-facts.md): dynamic int8 drops next-token
agreement to 0.68, 4-bit MatMulNBits to 0.72, while 8-bit weight-only MatMulNBits with
block 32, symmetric, accuracy level 4 keeps ~0.97 and is faster. The lm_head arrives
untied from optimum's export (its own initializer), so it is quantized like any MatMul.
The embedding table is a Gather, quantized separately (``GatherBlockQuantized``) because
a lookup tolerates fewer bits than a matmul accumulates.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ._deps import require
from .graph_edits import keep_last_position_logits

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class QuantizationSettings:
    matmul_bits: int = 8
    block_size: int = 32
    symmetric: bool = True
    accuracy_level: int = 4
    #: Bits for the embedding lookup; 0 keeps it in fp32.
    embedding_bits: int = 4
    embedding_block_size: int = 32

    def to_dict(self) -> dict[str, Any]:
        return {"method": "onnxruntime MatMulNBits weight-only", **asdict(self)}


def quantize_decoder(fp32_model: Path, out_model: Path, settings: QuantizationSettings) -> Path:
    """Write the quantized decoder to ``out_model`` (one file, no external data).

    The logits are restricted to the last position first (:mod:`export.graph_edits`).
    """
    onnx = require("onnx")
    quantizer_mod = require("onnxruntime.quantization.matmul_nbits_quantizer")
    model = keep_last_position_logits(onnx.load(str(fp32_model)))
    quantizer = quantizer_mod.MatMulNBitsQuantizer(
        model,
        bits=settings.matmul_bits,
        block_size=settings.block_size,
        is_symmetric=settings.symmetric,
        accuracy_level=settings.accuracy_level,
        op_types_to_quantize=("MatMul",),
    )
    quantizer.process()
    model = quantizer.model.model
    if settings.embedding_bits:
        gather = quantizer_mod.MatMulNBitsQuantizer(
            model,
            bits=settings.embedding_bits,
            block_size=settings.embedding_block_size,
            is_symmetric=settings.symmetric,
            op_types_to_quantize=("Gather",),
            quant_axes=(("Gather", 1),),
        )
        gather.process()
        model = gather.model.model
    out_model.parent.mkdir(parents=True, exist_ok=True)
    onnx.save_model(model, str(out_model))
    log.info("quantized decoder: %.1f MB", out_model.stat().st_size / 1e6)
    return out_model
