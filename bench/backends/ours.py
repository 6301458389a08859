"""Our numpy + onnxruntime decoding loop on the quantized bundle and on the same graph in fp32.

This is the engine-level comparison: the full prompt is run (no prefix cache, unlike the
product path), once, and its KV cache is copied to ``n`` rows that are sampled together
with the product's own sampler. The breakdown separates the decoder's forward time from
the sampler's (numpy) time, which is where a speed lever would act.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import numpy as np

from models.onnx_decoder import OnnxDecoder
from models.sampling import Sampler

from ..artefacts import ensure_fp32_graph, folder_size
from .base import Backend, GenCase, WorkerContext

log = logging.getLogger(__name__)


class OursLoop(Backend):
    def __init__(self, name: str, ctx: WorkerContext) -> None:
        super().__init__(name, ctx)
        self.decoder: OnnxDecoder | None = None

    def prepare(self) -> dict[str, Any]:
        if self.name == "ours-fp32":
            self.ctx.status("fp32 graph of the base weights (once, ~15 s)")
            ensure_fp32_graph(self.ctx.base_weights())
        return {}

    def load(self) -> dict[str, Any]:
        info: dict[str, Any] = {}
        if self.name == "ours-int8":
            model = self.ctx.bundle / self.ctx.manifest.model_file
            info["weights"] = f"bundle {self.ctx.manifest.name} ({_quantization_label(self.ctx.manifest.raw)})"
        else:
            model = ensure_fp32_graph(self.ctx.base_weights())
            info["weights"] = "the same fused graph with fp32 weights (base weights)"
        info["file"] = str(model)
        external = model.with_name(model.name + "_data")  # weights stored beside a >2 GB graph
        info["size_bytes"] = folder_size(model) + (folder_size(external) if external.exists() else 0)
        started = time.perf_counter()
        self.decoder = OnnxDecoder(model, self.ctx.manifest.geometry, threads=self.ctx.threads)
        info["load_s"] = round(time.perf_counter() - started, 3)
        return info

    def generate(self, case: GenCase, seed: int) -> dict[str, float]:
        decoder = self.decoder
        assert decoder is not None, "load() first"
        sampler = Sampler(self.ctx.settings, np.random.default_rng(seed), np.array(case.source_ids, np.int64))
        started = time.perf_counter()
        prompt_cache = decoder.new_cache(1, len(case.prompt_ids) + case.new_tokens)
        logits = decoder.forward(np.array([case.prompt_ids], dtype=np.int64), prompt_cache)
        prefill = time.perf_counter() - started
        cache = prompt_cache.repeat(case.n) if case.n > 1 else prompt_cache
        logits = np.repeat(logits, case.n, axis=0)
        histories: list[list[int]] = [[] for _ in range(case.n)]
        forward = sample = 0.0
        for step in range(case.new_tokens):
            t0 = time.perf_counter()
            tokens, _ = sampler.sample(logits, histories)
            t1 = time.perf_counter()
            sample += t1 - t0
            for row, token in enumerate(tokens):
                histories[row].append(int(token))
            if step == case.new_tokens - 1:
                break
            logits = decoder.forward(tokens[:, None], cache)
            forward += time.perf_counter() - t1
        return {"prefill_s": prefill, "decode_forward_s": forward, "sample_s": sample}


def create(name: str, ctx: WorkerContext) -> Backend:
    return OursLoop(name, ctx)


def _quantization_label(manifest: dict[str, Any]) -> str:
    """How the bundle's weights are stored, from its manifest (a fixed label went stale twice:
    it said 8-bit while gate|up, then every projection, was 4-bit)."""
    q = manifest.get("quantization") or {}
    bits = sorted({q[key] for key in ("matmul_bits", "gate_up_bits", "down_bits") if key in q})
    if not bits:
        return "quantized"
    label = "/".join(str(b) for b in bits) + "-bit MatMulNBits projections"
    return label + (f", tied {q['embedding_bits']}-bit embedding" if "embedding_bits" in q else "")
