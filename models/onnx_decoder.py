"""One forward step of an exported decoder on onnxruntime, with a preallocated KV cache.

Kept separate from the sampling loop so speed work touches only this file. The graph is
the one :mod:`export.llama_graph` writes: ``input_ids`` and ``attention_mask`` in, plus
``past_key_values.{i}.key|value``; ``logits`` (last position) and ``present.{i}.key|value``
out. Its attention is onnxruntime's ``GroupQueryAttention``, which writes the new
positions into the past buffer in place when ``present`` is bound to the very same
memory. So the cache is allocated once per batch (:class:`KVCache`) and bound with
I/O binding: no per-step concatenation, no per-step allocation of ~10-40 MB of cache
(measured: a 6-row decode step at 80 cached positions took 28.5 ms with fresh outputs
and 12.6 ms bound in place).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import numpy as np
import onnxruntime as ort

from .bundle import ModelGeometry

log = logging.getLogger(__name__)

#: The graph input weighing the bundle's mode update (``export.llama_graph``): a mode such as
#: Simpler decodes with a small learnt difference added, every other mode without it.
MODE_UPDATE_INPUT = "mode_update"


class KVCache:
    """Keys and values of one batch: per layer [rows, kv_heads, capacity, head_dim].

    Row ``r`` has positions ``[0, lengths[r])`` filled; :meth:`OnnxDecoder.forward` writes
    the next ones in place and advances every row. Rows may hold different lengths (the
    candidates of several sentences decoded in one batch): GroupQueryAttention reads each
    row's own length, and positions past it are never attended to. Every method that changes
    the row set returns a new cache; all but :meth:`keep_rows` (for a batch's own cache)
    copy, so a cache kept for reuse (the prompt's) is never written by accident.

    ``update`` is the weight of the graph's mode update its keys and values were computed
    with: part of the cache, because positions written with one weight and read with
    another would mix two models.
    """

    def __init__(self, buffers: list[np.ndarray], lengths: int | np.ndarray, *, update: float = 0.0) -> None:
        self.buffers = buffers
        self.lengths = np.broadcast_to(np.asarray(lengths, dtype=np.int64), (self.rows,)).copy()
        self.update = float(update)
        self.binding: Any = None  # the decoder's I/O binding of these exact buffers
        self.update_value: np.ndarray | None = None  # the bound [update] array, kept alive with the binding
        self.logits: np.ndarray | None = None

    @property
    def rows(self) -> int:
        return int(self.buffers[0].shape[0])

    @property
    def capacity(self) -> int:
        return int(self.buffers[0].shape[2])

    @property
    def length(self) -> int:
        """The filled length, when every row has the same (one prompt and its candidates)."""
        if self.rows and np.any(self.lengths != self.lengths[0]):
            raise ValueError("the rows of this cache hold different lengths")
        return int(self.lengths[0]) if self.rows else 0

    @property
    def position_bytes(self) -> int:
        """Bytes of one position of one row, all layers' keys and values."""
        return sum(b.shape[1] * b.shape[3] * b.itemsize for b in self.buffers)

    @property
    def longest(self) -> int:
        return int(self.lengths.max()) if self.rows else 0

    def repeat(self, rows: int) -> KVCache:
        """``rows`` copies of this one-row cache (the prompt, fanned out to N candidates)."""
        if self.rows != 1:
            raise ValueError("only a one-row cache can be repeated")
        return KVCache([np.repeat(b, rows, axis=0) for b in self.buffers], self.lengths[0], update=self.update)

    def keep_rows(self, rows: np.ndarray) -> KVCache:
        """Keep only ``rows`` (ascending), compacted in place in the same buffers.

        For a batch cache its owner is done with (never a prompt's): a row moves only when
        an earlier row left, so the copy is the rows that move, not the whole batch
        (measured: 2.9 ms against 7.1 ms for copying the kept rows into new buffers, 12 of 14
        rows at 100 positions). Returns a cache over the first ``len(rows)`` rows of these
        buffers.
        """
        rows = np.asarray(rows, dtype=np.int64)
        filled = int(self.lengths[rows].max()) if len(rows) else 0
        moves = [(int(dst), int(src)) for dst, src in enumerate(rows) if dst != src]
        for b in self.buffers:
            for dst, src in moves:
                b[dst, :, :filled] = b[src, :, :filled]
        return KVCache([b[:len(rows)] for b in self.buffers], self.lengths[rows], update=self.update)

    def with_capacity(self, capacity: int) -> KVCache:
        """A copy with room for ``capacity`` positions (at least the filled ones)."""
        capacity = max(capacity, self.longest)
        filled = self.longest
        fresh = []
        for b in self.buffers:
            grown = np.zeros(b.shape[:2] + (capacity,) + b.shape[3:], dtype=b.dtype)
            grown[:, :, :filled] = b[:, :, :filled]
            fresh.append(grown)
        return KVCache(fresh, self.lengths, update=self.update)

    def rewound(self, length: int) -> KVCache:
        """A copy that forgets every position from ``length`` on."""
        if not 0 <= length <= self.length:
            raise ValueError(f"cannot rewind a cache of length {self.length} to {length}")
        copy = self.with_capacity(self.capacity)
        copy.lengths[:] = length
        return copy


class OnnxDecoder:
    """Owns the inference session; the caller owns the caches."""

    def __init__(self, model_path: Path, geometry: ModelGeometry, *, threads: int | None = None) -> None:
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.inter_op_num_threads = 1
        # The arena would keep the largest activations ever seen (prefill, 6-row steps)
        # for the life of the session. With the cache bound in place the per-step
        # allocations are small, so it buys little speed and costs resident memory.
        options.enable_cpu_mem_arena = False
        if threads:
            options.intra_op_num_threads = int(threads)
        self.session = ort.InferenceSession(str(model_path), options, providers=["CPUExecutionProvider"])
        self.geometry = geometry
        inputs = {i.name for i in self.session.get_inputs()}
        outputs = {o.name for o in self.session.get_outputs()}
        self._past_names = [f"past_key_values.{i}.{kind}" for i in range(geometry.num_layers) for kind in ("key", "value")]
        self._present_names = [f"present.{i}.{kind}" for i in range(geometry.num_layers) for kind in ("key", "value")]
        missing = [n for n in ["input_ids", "attention_mask", *self._past_names] if n not in inputs]
        missing += [n for n in ["logits", *self._present_names] if n not in outputs]
        if missing:
            raise ValueError(f"the ONNX graph lacks {missing[:3]}… (not a Paraphrase Studio decoder)")
        if "position_ids" in inputs:
            raise ValueError("the ONNX graph takes position_ids: it was written by an older exporter")
        #: Whether the graph has a mode update (:data:`MODE_UPDATE_INPUT`) a cache may weigh.
        self.has_mode_update = MODE_UPDATE_INPUT in inputs
        log.debug("onnx session ready: %s (threads=%s)", model_path.name, threads)

    def new_cache(self, rows: int = 1, capacity: int = 64, *, update: float = 0.0) -> KVCache:
        """An empty cache; ``update`` is the mode update's weight its rows decode with."""
        if update and not self.has_mode_update:
            raise ValueError("this ONNX graph has no mode update to weigh")
        g = self.geometry
        shape = (rows, g.num_kv_heads, capacity, g.head_dim)
        return KVCache([np.zeros(shape, dtype=np.float32) for _ in self._past_names], np.zeros(rows, np.int64),
                       update=update)

    def forward(self, input_ids: np.ndarray, cache: KVCache) -> np.ndarray:
        """Run ``input_ids`` [B, S] after ``cache`` (B rows) and advance every row by S.

        Returns the logits of the last position [B, V]. They live in a buffer of the
        cache, overwritten by its next step: copy them to keep them longer.

        Several tokens after a non-empty cache work for one row only: GroupQueryAttention
        refuses them for a batch unless it is given ``query_seqlens``, which this graph does
        not take (so prompts run on one row and the cache is then fanned out). Rows of
        different lengths are fine one token at a time: the attention mask is right-padded
        per row, and each row's new position is written at its own length.
        """
        batch, length = input_ids.shape
        if batch != cache.rows:
            raise ValueError(f"{batch} rows of input for a cache of {cache.rows} rows")
        lengths = cache.lengths
        longest = cache.longest
        if batch > 1 and length > 1 and longest > 0:
            raise ValueError("several tokens after a non-empty cache are supported for one row only")
        if longest + length > cache.capacity:
            grown = cache.with_capacity(max(2 * cache.capacity, longest + length))
            cache.buffers, cache.binding = grown.buffers, None
        binding = cache.binding or self._bind(cache)
        ids = np.ascontiguousarray(input_ids, dtype=np.int64)
        mask = (np.arange(longest + length)[None, :] < (lengths + length)[:, None]).astype(np.int64)  # right-padded
        binding.bind_cpu_input("input_ids", ids)
        binding.bind_cpu_input("attention_mask", mask)
        self.session.run_with_iobinding(binding)
        cache.lengths = lengths + length
        assert cache.logits is not None
        return cache.logits[:, -1, :]

    def _bind(self, cache: KVCache) -> Any:
        """Bind each layer's buffer as both past (input) and present (output)."""
        binding = self.session.io_binding()
        for past, present, buffer in zip(self._past_names, self._present_names, cache.buffers):
            value = ort.OrtValue.ortvalue_from_numpy(buffer)
            binding.bind_ortvalue_input(past, value)
            binding.bind_ortvalue_output(present, value)
        if cache.update and not self.has_mode_update:
            raise ValueError("this ONNX graph has no mode update to weigh")
        if self.has_mode_update:  # the graph needs it on every run, 0 included
            weight = np.array([cache.update], dtype=np.float32)
            binding.bind_ortvalue_input(MODE_UPDATE_INPUT, ort.OrtValue.ortvalue_from_numpy(weight))
            cache.update_value = weight  # the bound memory must outlive the binding
        cache.logits = np.empty((cache.rows, 1, self.geometry.vocab_size), dtype=np.float32)
        binding.bind_ortvalue_output("logits", ort.OrtValue.ortvalue_from_numpy(cache.logits))
        cache.binding = binding
        return binding
