"""The meaning scorer: how likely a candidate keeps its source's meaning, as a probability.

A small cross-encoder (a 4-layer cut of all-MiniLM-L6-v2, int8 on onnxruntime) reads
``[CLS] source [SEP] candidate [SEP]`` and gives one logit; the bundle's calibration turns
it into a probability, ``sigmoid(scale * logit + bias)``. Candidates below
:attr:`MeaningScorer.threshold` are the ones the pipeline drops.

Cost on CPU is mostly padding, so pairs are encoded first, sorted by length and run in
batches of similar lengths (:data:`BATCH_SIZE`); the results come back in the caller's
order. A pair longer than ``max_length`` tokens keeps both sides: the longer side is cut
first, token by token, until the pair fits (tokenizers' ``longest_first``, what training
used), so a long source never pushes the candidate out of the window.

Runtime only (numpy, onnxruntime, tokenizers). Importing it imports the ``models``
package, whose ``__init__`` switches onnxruntime's telemetry off before anything loads
onnxruntime (:mod:`models.offline`).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import onnxruntime as ort
from tokenizers import Tokenizer

from .scorer_bundle import Calibration, ScorerBundleError, ScorerManifest, load_scorer_manifest
from .scorer_recipes import (DEFAULT_SCORER, ORDER_SCORER_ENV, order_scorer_for, order_scorer_is_chosen,
                             resolve_scorer_bundle, scorer_rebuild_command)
from .word_order import is_reordering

log = logging.getLogger(__name__)

__all__ = ["BATCH_SIZE", "DEFAULT_SCORER", "MeaningScorer", "ScorerBundleError", "calibrate"]

#: Pairs per onnxruntime call. 32 pairs of one length class pad little and keep the
#: attention buffers small (32 x 12 heads x 128 x 128 floats = 25 MB at the longest).
BATCH_SIZE = 32
#: The graph's inputs, in the order the export wrote them.
INPUT_NAMES = ("input_ids", "attention_mask", "token_type_ids")
OUTPUT_NAME = "logits"
#: The optional second output: a few layers' hidden states, [batch, layers, sequence, hidden]
#: (bundles exported since export version 4; older ones lack it and :meth:`span_similarity` is off).
STATES_NAME = "token_states"


def calibrate(logits: np.ndarray, calibration: Calibration) -> np.ndarray:
    """``sigmoid(scale * logit + bias)`` as float32 in [0, 1], without overflow for large logits."""
    z = calibration.scale * np.asarray(logits, dtype=np.float64) + calibration.bias
    # exp of a negative number only: 1/(1+e^-z) for z >= 0, e^z/(1+e^z) for z < 0
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e)).astype(np.float32)


class MeaningScorer:
    """A loaded scorer bundle: tokenizer, int8 ONNX cross-encoder and the manifest's calibration."""

    def __init__(self, folder: Path, manifest: ScorerManifest, *, threads: int | None = None,
                 batch_size: int = BATCH_SIZE) -> None:
        _check_count(threads, "threads", allow_none=True)
        _check_count(batch_size, "batch_size")
        self.folder = folder
        self.manifest = manifest
        self.name = manifest.name
        self.threshold = manifest.threshold
        self.calibration = manifest.calibration
        self.candidate_calibration = manifest.candidate_calibration
        #: Each pair read both ways, the logits averaged (:meth:`logits`).
        self.symmetric = manifest.symmetric
        if self.candidate_calibration is not None and (self.calibration.scale <= 0 or
                                                       self.candidate_calibration.scale <= 0):
            raise ScorerBundleError(
                f"Scorer bundle '{self.name}': a calibration scale is not positive, so a higher score would "
                "mean a lower confidence.", bundle=self.name, rebuild_command=scorer_rebuild_command(folder.name, folder))
        self.max_length = manifest.max_length
        self.batch_size = int(batch_size)
        try:
            self.tokenizer = _pair_tokenizer(folder / manifest.tokenizer_file, manifest.max_length)
            self.session = _session(folder / manifest.model_file, threads)
        except Exception as exc:  # tokenizers and onnxruntime raise many types on bad files
            raise ScorerBundleError(f"Scorer bundle '{self.name}' could not be loaded: {exc}", bundle=self.name,
                                    rebuild_command=scorer_rebuild_command(folder.name, folder)) from exc
        self._pad_id = self.tokenizer.token_to_id("[PAD]") or 0
        #: The companion that judges pairs reordering the same words (:mod:`models.word_order`);
        #: None: this scorer judges every pair.
        self.order: MeaningScorer | None = None
        inputs = {i.name for i in self.session.get_inputs()}
        outputs = {o.name for o in self.session.get_outputs()}
        #: Whether the graph hands out token states, so :meth:`span_similarity` works.
        self.has_token_states = STATES_NAME in outputs
        missing = [n for n in INPUT_NAMES if n not in inputs] + [n for n in (OUTPUT_NAME,) if n not in outputs]
        if missing:
            raise ScorerBundleError(
                f"Scorer bundle '{self.name}': {manifest.model_file} lacks {', '.join(missing)} "
                "(not a Paraphrase Studio scorer graph).",
                bundle=self.name, rebuild_command=scorer_rebuild_command(folder.name, folder))
        log.debug("scorer %s ready (threads=%s, batch %d)", self.name, threads, self.batch_size)

    @classmethod
    def load(cls, name_or_folder: str | os.PathLike[str] | None = None, *, threads: int | None = None,
             batch_size: int = BATCH_SIZE, verify: bool = True) -> MeaningScorer:
        """Load a scorer bundle by name (``None``: :data:`DEFAULT_SCORER`) or folder.

        Every file's size and sha256 is checked first; a missing, truncated or altered file
        is a :class:`ScorerBundleError` naming it, with the command that rebuilds the bundle.
        """
        folder = resolve_scorer_bundle(name_or_folder)
        scorer = cls(folder, load_scorer_manifest(folder, verify=verify), threads=threads, batch_size=batch_size)
        order_name = order_scorer_for(folder)
        if order_name is not None:
            scorer.order = cls._load_order(folder.parent / order_name, threads=threads, batch_size=batch_size,
                                           verify=verify, required=order_scorer_is_chosen())
        return scorer

    @classmethod
    def _load_order(cls, folder: Path, *, threads: int | None, batch_size: int,
                    verify: bool, required: bool = False) -> MeaningScorer | None:
        """The order companion, or None with one log line when its bundle is not built.

        Optional on purpose: the installer leaves it out (its 250 MB budget), and a source
        install builds it with ``./studio build``. A bundle that is there but damaged is an
        error like any other, so a broken file never passes unnoticed; so is a companion named
        by :envvar:`PARAPHRASE_STUDIO_ORDER_SCORER` that is not there (``required``).
        """
        if not (folder / "manifest.json").is_file():
            if required:
                raise ScorerBundleError(f"order scorer {folder} (named by {ORDER_SCORER_ENV}) has no bundle: build "
                                        f"it with {scorer_rebuild_command(folder.name, folder)}, or unset "
                                        f"{ORDER_SCORER_ENV}")
            log.info("order scorer %s is not built (%s): the meaning scorer judges reordered pairs too",
                     folder.name, folder)
            return None
        return cls(folder, load_scorer_manifest(folder, verify=verify), threads=threads, batch_size=batch_size)

    # -- public API ---------------------------------------------------------------------

    def score(self, sources: Sequence[str], candidates: Sequence[str]) -> np.ndarray:
        """Calibrated probabilities (float32, in [0, 1]) that ``candidates[i]`` keeps ``sources[i]``'s meaning.

        A pair that reorders the source's own words (:func:`models.word_order.is_reordering`)
        gets :attr:`order`'s probability instead, where an order companion is loaded: this
        scorer cannot tell "the union sued the city" from "the city sued the union".

        Raises :class:`ValueError` when the two lengths differ, when either is not a sequence
        of strings, or when a string is empty; an empty pair of lists gives an empty array.
        """
        sources, candidates = _pairs(sources, candidates)
        reordered = ([] if self.order is None
                     else [i for i, (s, c) in enumerate(zip(sources, candidates)) if is_reordering(s, c)])
        if not reordered:
            return calibrate(self.logits(sources, candidates), self.calibration)
        # each row through one model only: the meaning pass would be thrown away on the reordered rows
        probabilities = np.empty(len(sources), dtype=np.float32)
        kept = sorted(set(range(len(sources))) - set(reordered))
        if kept:
            probabilities[kept] = calibrate(self.logits([sources[i] for i in kept], [candidates[i] for i in kept]),
                                            self.calibration)
        probabilities[reordered] = self.order.score([sources[i] for i in reordered],
                                                    [candidates[i] for i in reordered])
        return probabilities

    def logits(self, sources: Sequence[str], candidates: Sequence[str]) -> np.ndarray:
        """The raw logits (float32) behind :meth:`score`, in the caller's order.

        A :attr:`symmetric` scorer reads each pair both ways in one pass of twice the rows
        and gives the two logits' mean, which is what its calibration was fitted on. Why:
        whether two sentences say the same does not depend on which comes first, and the
        mean of two readings is a small ensemble for the price of one more row (the order
        companion on held-out PAWS-Wiki: AUC 0.809 one way, 0.835 both).
        """
        sources, candidates = _pairs(sources, candidates)
        if self.symmetric:
            sources, candidates = sources + candidates, candidates + sources
        out = np.empty(len(sources), dtype=np.float32)
        for rows, _, (logits,) in self._batches(sources, candidates, [OUTPUT_NAME]):
            out[rows] = np.asarray(logits, dtype=np.float32).reshape(-1)
        if self.symmetric:
            half = len(out) // 2
            return ((out[:half] + out[half:]) / 2).astype(np.float32)
        return out

    def span_similarity(self, source: str, span: tuple[int, int], candidates: Sequence[str],
                        spans: Sequence[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`score` of (``source``, each candidate), and from the same pass how alike the
        source's ``span`` and each candidate's ``spans[i]`` are in context: the cosine of their
        tokens' mean hidden states, averaged over the graph's state layers.

        Why: a word's alternatives come from every sense the teachers used it in ("close" ->
        "nearby" is right for "close to the station", not for "close friends"). Its vector in
        the sentence and the alternative's in the rewritten one are alike when the sense fits;
        the pair pass the phrase ranking runs anyway computes both, as the candidate attends to
        the source. The similarity is NaN where a span has no token inside the pair's window.
        Needs :attr:`has_token_states`.
        """
        if not self.has_token_states:
            raise ValueError(f"scorer {self.name}'s graph has no {STATES_NAME} output: rebuild its bundle")
        candidates = _texts(candidates, "candidates")
        if len(spans) != len(candidates):
            raise ValueError(f"{len(candidates)} candidates but {len(spans)} spans")
        sources = _texts([source] * len(candidates), "sources")
        probabilities = np.empty(len(candidates), dtype=np.float32)
        similarity = np.full(len(candidates), np.nan, dtype=np.float32)
        for rows, encodings, (logits, states) in self._batches(sources, candidates, [OUTPUT_NAME, STATES_NAME]):
            probabilities[rows] = calibrate(np.asarray(logits, dtype=np.float32).reshape(-1), self.calibration)
            for k, (row, encoding) in enumerate(zip(rows, encodings)):
                mine = _span_tokens(encoding, 0, span)
                theirs = _span_tokens(encoding, 1, spans[row])
                if mine and theirs:
                    similarity[row] = _mean_cosine(states[k][:, mine].mean(axis=1), states[k][:, theirs].mean(axis=1))
        return probabilities, similarity

    @property
    def needs_source_score(self) -> bool:
        """True when :meth:`candidate_confidence` needs the source scored against itself."""
        return self.candidate_calibration is not None and self.candidate_calibration.source_scale != 0.0

    def candidate_confidence(self, probabilities: np.ndarray,
                             source_probabilities: np.ndarray | None = None) -> np.ndarray:
        """The confidence a student candidate is shown with, from its :meth:`score` (and, when
        :attr:`needs_source_score`, its source's :meth:`score` against itself).

        :meth:`score` is calibrated on human-labelled pairs (MRPC, PAWS, ...), whose idea of
        "same meaning" is looser than a writer's: on 250 of the student's own shown
        candidates read by eye, its mean was 0.74 where 29 % kept every detail. The bundle's
        ``candidate_calibration`` maps the same logits to the share read as faithful; the
        pipeline's threshold, the phrase ranking and ``paraphrase-studio score`` keep the pair
        probability. Without one, the probabilities are returned as they are.
        """
        probabilities = np.asarray(probabilities, dtype=np.float64)
        fitted = self.candidate_calibration
        if fitted is None:
            return probabilities.astype(np.float32)
        z = fitted.scale * self.logits_of(probabilities) + fitted.bias
        if fitted.source_scale != 0.0:
            if source_probabilities is None:
                raise ValueError(f"scorer {self.name}'s candidate calibration needs the source scored against itself")
            z = z + fitted.source_scale * self.logits_of(np.asarray(source_probabilities, dtype=np.float64))
        return calibrate(z, Calibration(1.0, 0.0))

    def logits_of(self, probabilities: np.ndarray) -> np.ndarray:
        """The raw logits behind calibrated probabilities (the calibration inverted): what the
        candidate calibrations (the scorer's own and a student's) are fitted on."""
        clipped = np.clip(probabilities, 1e-7, 1 - 1e-7)
        return (np.log(clipped / (1 - clipped)) - self.calibration.bias) / self.calibration.scale

    def keeps_meaning(self, sources: Sequence[str], candidates: Sequence[str]) -> np.ndarray:
        """Boolean per pair: its probability is at least :attr:`threshold`."""
        return self.score(sources, candidates) >= self.threshold

    # -- helpers ------------------------------------------------------------------------

    def _batches(self, sources: list[str], candidates: list[str],
                 outputs: list[str]) -> Iterator[tuple[np.ndarray, list, list]]:  # list[tokenizers.Encoding]
        """(rows, their encodings, the graph's ``outputs``) per batch of pairs of similar length;
        ``rows`` index the caller's order. Nothing for no pairs."""
        if not sources:
            return
        encodings = self.tokenizer.encode_batch(list(zip(sources, candidates)))
        order = np.argsort([len(e.ids) for e in encodings], kind="stable")
        for start in range(0, len(order), self.batch_size):
            rows = order[start:start + self.batch_size]
            batch = [encodings[i] for i in rows]
            yield rows, batch, self.session.run(outputs, self._feeds(batch))

    def _feeds(self, encodings: list) -> dict[str, np.ndarray]:  # list[tokenizers.Encoding]
        """One batch, right-padded to its longest pair."""
        width = max(len(e.ids) for e in encodings)
        ids = np.full((len(encodings), width), self._pad_id, dtype=np.int64)
        mask = np.zeros((len(encodings), width), dtype=np.int64)
        types = np.zeros((len(encodings), width), dtype=np.int64)
        for row, encoding in enumerate(encodings):
            n = len(encoding.ids)
            ids[row, :n] = encoding.ids
            mask[row, :n] = 1
            types[row, :n] = encoding.type_ids
        return {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}


def _span_tokens(encoding: object, sequence: int, span: tuple[int, int]) -> list[int]:
    """Positions of ``encoding``'s tokens of text ``sequence`` (0 or 1) that overlap the character ``span``."""
    start, end = span
    pieces = zip(encoding.sequence_ids, encoding.offsets)  # type: ignore[attr-defined]
    return [i for i, (seq, (a, b)) in enumerate(pieces) if seq == sequence and a < end and b > start and b > a]


def _mean_cosine(u: np.ndarray, v: np.ndarray) -> float:
    """Mean over rows (layers) of the cosine of ``u[i]`` and ``v[i]``."""
    norms = np.sqrt((u * u).sum(axis=1) * (v * v).sum(axis=1))  # not numpy.linalg: the app ships no LAPACK
    return float(np.mean((u * v).sum(axis=1) / np.maximum(norms, 1e-9)))


def _pair_tokenizer(path: Path, max_length: int) -> Tokenizer:
    """The bundle's tokenizer, set to cut pairs to ``max_length`` (longer side first), no padding.

    The base's tokenizer.json pads every input to 128; padding here is per batch instead.
    """
    tokenizer = Tokenizer.from_file(str(path))
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length, strategy="longest_first")
    return tokenizer


def _session(path: Path, threads: int | None) -> ort.InferenceSession:
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.inter_op_num_threads = 1
    # As the decoder: the arena would keep the largest batch's activations for the session's life.
    options.enable_cpu_mem_arena = False
    if threads:
        options.intra_op_num_threads = int(threads)
    # No spinning: the scorer runs between the decoder's steps, and its threads spinning after
    # each call took the cores the decoder's next step needed (and the other way round).
    # Measured in the product path, 20-word sentence, n=5, 8 runs: 11.3 -> 8.4 ms per call,
    # p50 3.01 -> 2.40 s on a sentence whose rows the scorer often refuses.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def _pairs(sources: object, candidates: object) -> tuple[list[str], list[str]]:
    """Both lists checked by :func:`_texts`, and of one length."""
    sources, candidates = _texts(sources, "sources"), _texts(candidates, "candidates")
    if len(sources) != len(candidates):
        raise ValueError(f"{len(sources)} sources but {len(candidates)} candidates: give one source per candidate")
    return sources, candidates


def _texts(values: object, what: str) -> list[str]:
    """``values`` as a list of non-empty strings, or a ValueError that says which one is wrong."""
    if isinstance(values, (str, bytes)) or not isinstance(values, (Sequence, np.ndarray)):
        raise ValueError(f"{what} must be a list of strings, not {type(values).__name__}")
    texts = list(values)
    for index, text in enumerate(texts):
        if not isinstance(text, str):
            raise ValueError(f"{what}[{index}] is {type(text).__name__}, not a string")
        if not text.strip():
            raise ValueError(f"{what}[{index}] is empty: there is nothing to compare")
    return texts


def _check_count(value: object, what: str, *, allow_none: bool = False) -> None:
    """A whole number of at least 1 (``threads`` may also be None: all cores)."""
    if value is None and allow_none:
        return
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{what} must be a whole number of at least 1{' (or None for all cores)' if allow_none else ''}"
                         f", got {value!r}")
