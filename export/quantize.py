"""How the decoder's weights are stored: blockwise, weight-only (``MatMulNBits``).

Measured on SmolLM2-135M (../shared/notes/measured-facts.md and the student's model card):
dynamic int8 drops next-token agreement with PyTorch fp32 to 0.68 and 4-bit ``MatMulNBits``
to 0.72, while 8-bit weight-only blocks of 32 (symmetric, accuracy level 4: int8
activations inside the kernel) keep it at 0.99-1.00 and are the fastest of the three.

Measured with :mod:`export.llama_graph` on the student (teacher-forced along fp32 greedy
output, 43 prompts, 454 positions; ``/tmp`` script in the issue-5 note): blocks of 32 agree
on 0.991 of positions (mean KL 0.0018), blocks of 64 only 0.967-0.976 (KL 0.0029-0.0033).
So blocks stay at 32 and the file is kept small by other means (a tied embedding, float16
scales, rotary tables computed at load) and by not rounding at all where the base already is
4-bit: SmolLM2's packaged GGUF is Q4_1, which the graph stores exactly (the figures that
rounding to 4 bits measured above do not apply to it).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class QuantizationSettings:
    #: Every projection is stored in 4 bits (``matmul_bits``: attention q|k|v and o;
    #: ``gate_up_bits``; ``down_bits``). 4 bits keeps a GGUF Q4_1 base exactly on its own grid
    #: with the adapter beside it, never merged (export.llama_graph), at the cost of two thin
    #: fp32 matmuls per projection; 8 bits merges the adapter and rounds the sum (a base that
    #: is not on a 4-bit grid needs 8). SmolLM2's packaged base is Q4_1 throughout.
    #:
    #: Measured on student v2 (``runs/s28``, not committed; interleaved A/B in one process, 2
    #: threads): gate|up alone at 4 bits was 124.0 MB; every projection at 4 bits is 106.7 MB,
    #: greedy output identical to PyTorch fp32 on 16 of 16 parity prompts and next-token
    #: agreement 1.000 (14 of 16 and 0.992 with 8-bit attention and down on the same host,
    #: 0.996 with either one alone at 4 bits: the exact grid avoids rounding base + adapter),
    #: for +4 % product latency (20-word sentence, 5 candidates, 6
    #: seeds: p50 1.003 -> 1.045 s; 5-word sentence 0.473 -> 0.491 s) and +5 % per 8-row
    #: decode step (31.3 -> 32.7 ms), the extra nodes' cost. The 17.3 MB brings the packaged
    #: app under its 250 MB budget with the meaning scorer and the phrase index inside.
    #: Earlier: all-8-bit 143.1 MB; gate|up at 4 bits cost no measurable latency.
    matmul_bits: int = 4
    gate_up_bits: int = 4
    down_bits: int = 4
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
