"""llama.cpp through ``llama-cpp-python``: the speed anchor for CPU inference.

Q8_0 is the same weights lineage as our bundle (the packaged Q4_1 GGUF re-quantized at 8
bits, block 32, symmetric — like our ``MatMulNBits``); Q4_1 is the packaged file itself.

Candidates are generated the way an app would use ``Llama``: one after another, with the
prompt's KV cache reused (``generate`` re-evaluates only the last prompt token for the 2nd
to nth candidate). Each timed call starts with ``reset()``, as a new sentence would, so it
pays one full prefill like the other backends. Exactly ``new_tokens`` tokens are taken
from the generator, so end-of-sequence never cuts a candidate short.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

from ..artefacts import ensure_q8_0_gguf
from .base import Backend, GenCase, WorkerContext

log = logging.getLogger(__name__)

#: Prompt (≤ ~150 tokens here) plus the longest candidate must fit.
N_CTX = 1024


class LlamaCpp(Backend):
    def __init__(self, name: str, ctx: WorkerContext) -> None:
        super().__init__(name, ctx)
        self.llm: Any = None

    def prepare(self) -> dict[str, Any]:
        if self.name == "llamacpp-q8_0":
            base = self.ctx.base_weights()
            self.ctx.status("re-quantizing the GGUF to Q8_0 (once)")
            ensure_q8_0_gguf(base.path, base.sha256, threads=self.ctx.threads)
        return {}

    def load(self) -> dict[str, Any]:
        import llama_cpp

        base = self.ctx.base_weights()
        info: dict[str, Any] = {}
        path: Path = base.path
        if self.name == "llamacpp-q8_0":
            path = ensure_q8_0_gguf(base.path, base.sha256, threads=self.ctx.threads)
            info["weights"] = "Q8_0 GGUF re-quantized from the packaged Q4_1 (same lineage as the bundle)"
        else:
            info["weights"] = "Q4_1 GGUF as packaged (the 4-bit grid the bundle's projections are stored on, without its adapter)"
        started = time.perf_counter()
        self.llm = llama_cpp.Llama(model_path=str(path), n_ctx=N_CTX, n_batch=512, n_threads=self.ctx.threads,
                                   n_threads_batch=self.ctx.threads, seed=0, verbose=False)
        info["load_s"] = round(time.perf_counter() - started, 3)
        info["file"] = str(path)
        info["size_bytes"] = path.stat().st_size
        return info

    def generate(self, case: GenCase, seed: int) -> dict[str, float]:
        s = self.ctx.settings
        llm = self.llm
        llm.reset()  # a new sentence: nothing cached
        prompt = list(case.prompt_ids)
        for candidate in range(case.n):
            llm.set_seed(seed * 1000 + candidate)  # the sampler is re-seeded per generate call
            tokens = llm.generate(prompt, top_k=s.top_k, top_p=s.top_p, min_p=0.0, temp=s.temperature,
                                  repeat_penalty=s.repetition_penalty, reset=True)
            for count, _ in enumerate(tokens, start=1):
                if count == case.new_tokens:
                    break
            tokens.close()
        return {}


def create(name: str, ctx: WorkerContext) -> Backend:
    return LlamaCpp(name, ctx)
