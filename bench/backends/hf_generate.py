"""Hugging Face ``generate`` on PyTorch fp32 and on optimum's ``ORTModelForCausalLM``.

This is how a developer would naturally run the model, hence the baseline the headline
speed-up divides by. ``num_return_sequences=n`` expands the prompt to ``n`` rows before
the first forward, so the prompt is computed ``n`` times (our loop computes it once), and
``min_new_tokens == max_new_tokens`` makes every row exactly ``new_tokens`` long.

The sampling settings are the product's (temperature, top-k, top-p, repetition penalty,
no-repeat 3-grams); only the copy penalty has no ``generate`` equivalent. Note that
``generate`` applies the repetition penalty and the n-gram ban over the prompt too.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from ..artefacts import ensure_fp32_onnx, folder_size
from .base import Backend, GenCase, WorkerContext

log = logging.getLogger(__name__)


class HFGenerate(Backend):
    def __init__(self, name: str, ctx: WorkerContext) -> None:
        super().__init__(name, ctx)
        self.model: Any = None
        self.torch: Any = None

    def prepare(self) -> dict[str, Any]:
        base = self.ctx.base_weights()
        if self.name == "pytorch":
            from export.base_weights import hf_folder

            self.ctx.status("dequantized checkpoint (once, ~25 s)")
            hf_folder(base)
        else:
            self.ctx.status("fp32 ONNX export (once, ~1 min)")
            ensure_fp32_onnx(base)
        return {}

    def load(self) -> dict[str, Any]:
        import torch

        self.torch = torch
        torch.set_num_threads(self.ctx.threads)
        base = self.ctx.base_weights()
        info: dict[str, Any] = {}
        if self.name == "pytorch":
            from export.base_weights import hf_folder, load_base

            folder = hf_folder(base)  # cached by prepare()
            started = time.perf_counter()
            self.model, _ = load_base(base)
            info["load_s"] = round(time.perf_counter() - started, 3)
            info["weights"] = "fp32 PyTorch checkpoint (the base GGUF dequantized)"
            info["file"] = str(folder)
            info["size_bytes"] = folder_size(folder / "model.safetensors")
        else:
            import onnxruntime as ort
            from optimum.onnxruntime import ORTModelForCausalLM

            folder = ensure_fp32_onnx(base)  # cached by prepare()
            options = ort.SessionOptions()
            options.intra_op_num_threads = self.ctx.threads
            options.inter_op_num_threads = 1
            started = time.perf_counter()
            self.model = ORTModelForCausalLM.from_pretrained(
                folder, use_cache=True, use_io_binding=False, session_options=options,
                provider="CPUExecutionProvider", local_files_only=True)
            info["load_s"] = round(time.perf_counter() - started, 3)
            info["weights"] = "fp32 ONNX export of the same base weights"
            info["file"] = str(folder / "model.onnx")
            info["size_bytes"] = folder_size(folder / "model.onnx")
        return info

    def generate(self, case: GenCase, seed: int) -> dict[str, float]:
        torch = self.torch
        s = self.ctx.settings
        ids = torch.tensor([list(case.prompt_ids)], dtype=torch.long)
        torch.manual_seed(seed)
        with torch.inference_mode():
            out = self.model.generate(
                ids, attention_mask=torch.ones_like(ids), do_sample=True, temperature=s.temperature,
                top_k=s.top_k, top_p=s.top_p, repetition_penalty=s.repetition_penalty,
                no_repeat_ngram_size=s.no_repeat_ngram, num_return_sequences=case.n,
                min_new_tokens=case.new_tokens, max_new_tokens=case.new_tokens,
                eos_token_id=2, pad_token_id=2)
        generated = out.shape[1] - ids.shape[1]
        if out.shape[0] != case.n or generated != case.new_tokens:
            raise RuntimeError(f"{self.name} generated {tuple(out.shape)} for n={case.n}, "
                               f"{case.new_tokens} new tokens: the comparison would be unfair")
        return {}


def create(name: str, ctx: WorkerContext) -> Backend:
    return HFGenerate(name, ctx)
