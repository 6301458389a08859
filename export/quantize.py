"""How the decoder's weights are stored: blockwise, weight-only (``MatMulNBits``).

Measured on SmolLM2-135M (../shared/notes/measured-facts.md and the student's model card):
dynamic int8 drops next-token agreement with PyTorch fp32 to 0.68 and 4-bit ``MatMulNBits``
to 0.72, while 8-bit weight-only blocks of 32 (symmetric, accuracy level 4: int8
activations inside the kernel) keep it at 0.99-1.00 and are the fastest of the three.

Measured with :mod:`export.llama_graph` on the student (teacher-forced along fp32 greedy
output, 43 prompts, 454 positions; ``/tmp`` script in the issue-5 note): blocks of 32 agree
on 0.991 of positions (mean KL 0.0018), blocks of 64 only 0.967-0.976 (KL 0.0029-0.0033).
So blocks stay at 32 and the file is kept under 150 MB by other means (a tied embedding,
float16 scales, rotary tables computed at load).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class QuantizationSettings:
    #: Attention projections (q|k|v, o): 8 bits, adapter merged in before rounding.
    matmul_bits: int = 8
    #: The MLP's packed gate|up projection (half of all weights) and its down projection.
    #: 8 bits rounds the merged weight like the attention. 4 bits keeps a GGUF Q4_1 base
    #: exactly on its own grid with the adapter beside it (export.llama_graph), at the cost
    #: of two thin fp32 matmuls per layer. Measured on the student (A/B interleaved in one
    #: process, 20-word sentence, 5 candidates): all-8-bit 143.1 MB; gate|up at 4 bits
    #: 124.0 MB with product latency indistinguishable (0.451/0.472/0.569 s vs
    #: 0.448/0.480/0.544 s over three rounds); gate|up and down at 4 bits 114.5 MB but
    #: +10-13 %. The middle one keeps the packaged app under its 250 MB budget at no
    #: measurable speed cost, so it is the default.
    gate_up_bits: int = 4
    down_bits: int = 8
    block_size: int = 32
    symmetric: bool = True
    accuracy_level: int = 4
    #: The embedding table, shared with the lm_head (one tensor for both ops). 8 bits in
    #: blocks of 32 reproduces the GGUF's Q8_0 table exactly.
    embedding_bits: int = 8
    embedding_block_size: int = 32

    def to_dict(self) -> dict[str, Any]:
        return {"method": "blockwise weight-only MatMulNBits; embedding tied to the lm_head (GatherBlockQuantized)",
                "scales": "float16 in the file, float32 at run time", **asdict(self)}
