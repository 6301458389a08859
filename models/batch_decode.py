"""Decode the candidates of one or several sentences in one batch of rows.

Every sentence is a :class:`Request`: its prompt's KV cache, its sampler and a callback that
judges each finished row. Its rows (N candidates plus spares) are sampled together, and a row
leaves the batch as soon as it finishes, so one slow candidate does not keep the others'
compute alive. When a request has its N candidates its remaining rows are dropped; when all
its rows are gone without N, it gets another round of rows (duplicates and copies are
replaced from the same cached prompt).

Several requests share the batch when the text has several sentences: a decode step costs
far less per row with more rows (measured on the student, 2 cores: 13.3 ms for 6 rows,
24.2 ms for 18, so 2.2 against 1.3 ms per row), and rows of different prompt lengths can
share it because the cache keeps a length per row. A request joins as soon as the batch has
room for its rows (``max_rows``), so the batch stays full while earlier sentences finish.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .cancel import CancelToken
from .onnx_decoder import KVCache, OnnxDecoder
from .sampling import Sampler

#: Extra sampling rounds allowed to replace duplicates before giving up.
MAX_EXTRA_ROUNDS = 3
#: Rows decoded together at most: three sentences of 5 candidates + 1 spare. The step cost
#: per row falls from 2.2 ms (6 rows) to 1.3 ms (18) and hardly further (1.3 ms at 30),
#: while the KV cache grows by ~4.6 MB per row at 100 positions.
MAX_BATCH_ROWS = 18

#: ``offer(token_ids, log_probs, finished)`` judges a row; True once the request has enough.
Offer = Callable[[list[int], list[float], bool], bool]


@dataclass
class Request:
    """One sentence's candidates.

    ``cache`` holds the prompt (one row, room for ``max_new`` more positions) and
    ``last_logits`` its next-token logits [1, V]; ``wanted`` says how many candidates are
    still missing, ``spare`` how many rows to sample beyond that.
    """

    cache: KVCache
    last_logits: np.ndarray
    max_new: int
    sampler: Sampler
    offer: Offer
    wanted: Callable[[], int]
    spare: Callable[[int], int]
    stats: dict[str, Any] = field(default_factory=lambda: {"rows_sampled": 0, "rejected": 0,
                                                           "truncated": 0, "rounds": 0})
    done: bool = False


@dataclass
class _Row:
    request: Request
    history: list[int] = field(default_factory=list)
    log_probs: list[float] = field(default_factory=list)


def decode(decoder: OnnxDecoder, requests: Sequence[Request], stop_ids: frozenset[int],
           cancel: CancelToken | None = None, max_rows: int = MAX_BATCH_ROWS) -> None:
    """Sample rows for every request until each has what it wants or runs out of rounds."""
    waiting: deque[tuple[Request, int]] = deque()
    for request in requests:
        missing = request.wanted()
        if missing > 0:
            waiting.append((request, missing + request.spare(missing)))
        else:
            request.done = True
    rows: list[_Row] = []
    pool = RowPool(max_rows)
    cache: KVCache | None = None
    logits = np.empty((0, 0), dtype=np.float32)
    while True:
        if cancel is not None and cancel.cancelled:
            return
        joining = _admit(waiting, len(rows), max_rows)
        if joining:
            cache = pool.join(cache if rows else None, [(request.cache, count) for request, count in joining],
                              more_to_come=bool(waiting))
            fresh = [np.repeat(request.last_logits, count, axis=0) for request, count in joining]
            logits = np.concatenate([logits, *fresh]) if rows else np.concatenate(fresh)
            rows += [_Row(request) for request, count in joining for _ in range(count)]
        if not rows:
            return
        assert cache is not None
        tokens, token_log_probs = _sample(rows, logits)
        keep = _advance(rows, tokens, token_log_probs, stop_ids)
        keep = [j for j in keep if not rows[j].request.done]
        survivors = {id(rows[j].request) for j in keep}
        for request in _unique(row.request for row in rows):
            if not request.done and id(request) not in survivors:
                _next_round(request, waiting)
        if len(keep) < len(rows):
            index = np.array(keep, dtype=np.int64)
            rows = [rows[j] for j in keep]
            if not rows:
                cache = None
                continue
            cache = cache.keep_rows(index)  # the batch's own cache: compacted in place
            tokens = tokens[index]
        logits = decoder.forward(tokens[:, None], cache)


def _admit(waiting: deque[tuple[Request, int]], active: int, max_rows: int) -> list[tuple[Request, int]]:
    """Requests whose rows fit in the batch now (always one when the batch is empty)."""
    joining: list[tuple[Request, int]] = []
    while waiting and (active == 0 or active + waiting[0][1] <= max_rows):
        request, count = waiting.popleft()
        request.stats["rounds"] += 1
        request.stats["rows_sampled"] += count
        joining.append((request, count))
        active += count
    return joining


class RowPool:
    """The batch's KV buffers, with room for more rows than are decoding now.

    Joining rows are copied in after the decoding ones and leaving rows are compacted in
    place (:meth:`KVCache.keep_rows`), so neither copies the whole batch: with 18 rows at
    100 positions a full copy is ~80 MB. The buffers are ``np.zeros``, whose untouched rows
    would take no memory, but the allocator recycles freed heap for buffers this size and
    must then clear them: room is only made when more requests are waiting.
    """

    def __init__(self, max_rows: int) -> None:
        self.max_rows = max_rows
        self.buffers: list[np.ndarray] = []

    def join(self, cache: KVCache | None, prompts: list[tuple[KVCache, int]], *,
             more_to_come: bool = False) -> KVCache:
        """``cache`` (the decoding rows, which live in this pool) plus ``count`` rows per prompt."""
        active = cache.rows if cache is not None else 0
        rows = active + sum(count for _, count in prompts)
        capacity = max([prompt.capacity for prompt, _ in prompts] + ([cache.capacity] if cache is not None else []))
        if not self.buffers or rows > self.buffers[0].shape[0] or capacity > self.buffers[0].shape[2]:
            self._allocate(cache, prompts[0][0], max(rows, self.max_rows) if more_to_come else rows, capacity)
        lengths = [cache.lengths] if cache is not None else []
        start = active
        for prompt, count in prompts:
            if prompt.rows != 1:
                raise ValueError("a joining prompt cache has one row")
            filled = prompt.longest
            for pool, source in zip(self.buffers, prompt.buffers):
                pool[start:start + count, :, :filled] = source[:, :, :filled]  # one row, broadcast
            lengths.append(np.full(count, filled, dtype=np.int64))
            start += count
        return KVCache([b[:rows] for b in self.buffers], np.concatenate(lengths))

    def _allocate(self, cache: KVCache | None, like: KVCache, rows: int, capacity: int) -> None:
        shape = like.buffers[0].shape
        fresh = [np.zeros((rows, shape[1], capacity, shape[3]), dtype=like.buffers[0].dtype) for _ in like.buffers]
        if cache is not None:  # the decoding rows move to the larger buffers
            filled = cache.longest
            for new, old in zip(fresh, cache.buffers):
                new[:cache.rows, :, :filled] = old[:, :, :filled]
        self.buffers = fresh


def _sample(rows: list[_Row], logits: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One token per row, each request's rows by its own sampler (they are contiguous)."""
    if all(row.request is rows[0].request for row in rows):
        return rows[0].request.sampler.sample(logits, [row.history for row in rows])
    tokens = np.empty(len(rows), dtype=np.int64)
    log_probs = np.empty(len(rows), dtype=np.float32)
    start = 0
    while start < len(rows):
        request = rows[start].request
        end = start
        while end < len(rows) and rows[end].request is request:
            end += 1
        part = request.sampler.sample(logits[start:end], [row.history for row in rows[start:end]])
        tokens[start:end], log_probs[start:end] = part
        start = end
    return tokens, log_probs


def _advance(rows: list[_Row], tokens: np.ndarray, token_log_probs: np.ndarray,
             stop_ids: frozenset[int]) -> list[int]:
    """Append each row's token; offer rows that stopped or ran out of room. Returns the rest."""
    keep: list[int] = []
    for j, row in enumerate(rows):
        request = row.request
        if request.done:
            continue
        token = int(tokens[j])
        row.log_probs.append(float(token_log_probs[j]))
        if token in stop_ids:
            if request.offer(row.history, row.log_probs, True):
                request.done = True
            continue
        row.history.append(token)
        if len(row.history) >= request.max_new:  # out of room: offered as unfinished
            if request.offer(row.history, row.log_probs, False):
                request.done = True
            continue
        keep.append(j)
    return keep


def _next_round(request: Request, waiting: deque[tuple[Request, int]]) -> None:
    """All of a request's rows are gone: queue more (first in line) or give up."""
    missing = request.wanted()
    if missing <= 0 or request.stats["rounds"] >= 1 + MAX_EXTRA_ROUNDS:
        request.done = True
        return
    waiting.appendleft((request, missing + request.spare(missing)))


def _unique(requests: Iterator[Request] | Sequence[Request]) -> list[Request]:
    seen: dict[int, Request] = {}
    for request in requests:
        seen.setdefault(id(request), request)
    return list(seen.values())
