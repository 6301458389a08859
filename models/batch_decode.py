"""Decode the candidates of one or several sentences in one batch of rows.

Every sentence is a :class:`Request`, a small protocol: how to run its prompt (a
:class:`Prompt`: KV cache, next-token logits, sampler), how many candidates it still wants
and a method that judges each finished row. Its rows (N candidates plus spares) are
sampled together, and a row leaves the batch as soon as it
finishes, so one slow candidate does not keep the others' compute alive. When a request
has its N candidates its remaining rows are dropped; when all its rows are gone without N,
it gets another round of rows (duplicates and copies are replaced from the same cached
prompt).

Several requests share the batch when the text has several sentences: a decode step costs
far less per row with more rows (measured on the student, 2 cores: 13.3 ms for 6 rows,
24.2 ms for 18, so 2.2 against 1.3 ms per row), and rows of different prompt lengths can
share it because the cache keeps a length per row. A request joins as soon as the batch has
room for its rows (``max_rows`` rows and ``MAX_BATCH_KV_BYTES`` of cache), so the batch
stays full while earlier sentences finish. A request's prompt runs only when its rows are
about to join, and its cache is let go once it is done, so a long text holds a few prompts
at a time, not all of them.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from itertools import groupby

import numpy as np

from .cancel import CancelToken
from .onnx_decoder import KVCache, OnnxDecoder
from .sampling import Sampler

#: Extra sampling rounds allowed to replace refused rows before giving up. With 12 rows a
#: later round at most (``models.paraphraser.MAX_RETRY_ROWS``), 4 rounds against 3 of 8 rows
#: raised the first 40 held-out news sentences at Creative from 4.30 to 4.50 candidates per
#: input, for 18.7 rows sampled per input against 15.5: only sentences whose rows keep
#: being refused pay for it. 6 against 4, on 100 held-out news sentences: 4.54 -> 4.64 at
#: the default slider (186 s -> 208 s for all 100), 4.58 -> 4.68 at Creative (210 s -> 217
#: s), good rate unchanged; the 20 candidates the two rounds added read by eye about as
#: often faithful as the others (about 5 of 20).
MAX_EXTRA_ROUNDS = 6
#: Rows decoded together at most: three sentences of 5 candidates + 1 spare. The step cost
#: per row falls from 2.2 ms (6 rows) to 1.3 ms (18) and hardly further (1.3 ms at 30),
#: while the KV cache grows by ~4.6 MB per row at 100 positions.
MAX_BATCH_ROWS = 18

#: KV cache the batch may hold (float32, all layers): 64 MB is ~13 rows at 100 positions and
#: ~8 rows for 40-word sentences (170 positions). Without it an 11-sentence text peaked at
#: 584 MB resident in the CLI against 408 MB decoding one sentence at a time; a lone
#: sentence always gets its rows, whatever this says.
MAX_BATCH_KV_BYTES = 64 * 2**20


@dataclass
class Prompt:
    """A sentence's prompt after it ran: one-row cache (room for ``max_new`` more positions),
    next-token logits [1, V] and the sampler that knows the sentence's tokens."""

    cache: KVCache
    last_logits: np.ndarray
    max_new: int
    sampler: Sampler


@dataclass
class DecodeStats:
    """What :func:`decode` did for one request; only this module writes it."""

    rows_sampled: int = 0
    rounds: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


class Request(ABC):
    """One sentence's candidates, as :func:`decode` sees them.

    The protocol a subclass implements: :meth:`start` runs the prompt (called once, when the
    request's rows first join); :meth:`wanted` says how many candidates are still missing,
    :meth:`spare` how many rows to sample beyond that; :meth:`offer` judges each finished
    row. :func:`decode` keeps :attr:`stats`, :attr:`done` and the prompt. Requests are
    compared and hashed by identity: one request per sentence.
    """

    def __init__(self) -> None:
        self.stats = DecodeStats()
        self.done = False
        self.prompt: Prompt | None = None

    @abstractmethod
    def start(self) -> Prompt:
        """Run the prompt: its cache, next-token logits and sampler."""

    @abstractmethod
    def offer(self, token_ids: list[int], log_probs: list[float], finished: bool) -> bool:
        """Judge one row (``finished``: it stopped; else it ran out of room). True once enough."""

    @abstractmethod
    def wanted(self) -> int:
        """Candidates still missing, or 0 when the request wants no further round."""

    def spare(self, missing: int) -> int:
        """Rows sampled beyond ``missing`` (none unless a subclass says otherwise)."""
        return 0

    def before_round(self) -> None:
        """Called when a later round is queued, while none of its rows is in flight: the
        moment a subclass may change how they are sampled (nothing by default)."""

    def ready(self) -> Prompt:
        if self.done:
            raise RuntimeError("a finished request has let its prompt go")
        if self.prompt is None:
            self.prompt = self.start()
        return self.prompt

    def finish(self) -> None:
        """Done: its cache is no longer needed."""
        self.done = True
        self.prompt = None


@dataclass
class _Row:
    request: Request
    history: list[int] = field(default_factory=list)
    log_probs: list[float] = field(default_factory=list)


def decode(decoder: OnnxDecoder, requests: Sequence[Request], stop_ids: frozenset[int],
           cancel: CancelToken | None = None, max_rows: int = MAX_BATCH_ROWS, capacity: int = 0) -> None:
    """Sample rows for every request until each has what it wants or runs out of rounds.

    ``capacity``: the most positions any request's rows will need, when the caller knows it
    (a text's sentences are tokenized before any prompt runs): the batch's buffers are then
    allocated once. Growing them sentence by sentence left freed buffers the allocator
    kept, and an 11-sentence text peaked at 452 MB resident instead of ~390 MB.
    """
    waiting: deque[tuple[Request, int]] = deque()
    for request in requests:
        missing = request.wanted()
        if missing > 0:
            waiting.append((request, missing + request.spare(missing)))
        else:
            request.finish()
    rows: list[_Row] = []
    pool = RowPool(max_rows, capacity)
    cache: KVCache | None = None
    logits = np.empty((0, 0), dtype=np.float32)
    while True:
        if cancel is not None and cancel.cancelled:
            return
        joining = _admit(waiting, cache if rows else None, max_rows, capacity)
        if joining:
            prompts = [(request.ready().cache, count) for request, count in joining]
            cache = pool.join(cache if rows else None, prompts, more_to_come=bool(waiting))
            fresh = [np.repeat(request.ready().last_logits, count, axis=0) for request, count in joining]
            logits = np.concatenate([logits, *fresh]) if rows else np.concatenate(fresh)
            rows += [_Row(request) for request, count in joining for _ in range(count)]
        if not rows:
            return
        assert cache is not None
        tokens, token_log_probs = _sample(rows, logits)
        keep = _advance(rows, tokens, token_log_probs, stop_ids)
        keep = [j for j in keep if not rows[j].request.done]
        survivors = {rows[j].request for j in keep}
        for request in dict.fromkeys(row.request for row in rows):  # each once, in batch order
            if not request.done and request not in survivors:
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


def _admit(waiting: deque[tuple[Request, int]], cache: KVCache | None, max_rows: int,
           capacity: int) -> list[tuple[Request, int]]:
    """Requests whose rows fit in the batch now (always one when the batch is empty).

    The first in line has its prompt run here, since its cache's size decides whether it
    fits; ``capacity`` is the positions the batch's buffers have room for at least.
    """
    joining: list[tuple[Request, int]] = []
    rows = cache.rows if cache is not None else 0
    if cache is not None and rows:
        capacity = max(capacity, cache.capacity)
    while waiting:
        request, count = waiting[0]
        prompt = request.ready()
        capacity = max(capacity, prompt.cache.capacity)
        if rows and rows + count > row_limit(max_rows, prompt.cache.position_bytes, capacity):
            break
        waiting.popleft()
        request.stats.rounds += 1
        request.stats.rows_sampled += count
        joining.append((request, count))
        rows += count
    return joining


def row_limit(max_rows: int, position_bytes: int, capacity: int) -> int:
    """Rows the batch may hold at ``capacity`` positions: ``max_rows`` and the KV budget."""
    return min(max_rows, MAX_BATCH_KV_BYTES // (position_bytes * capacity))


class RowPool:
    """The batch's KV buffers, with room for more rows than are decoding now.

    Joining rows are copied in after the decoding ones and leaving rows are compacted in
    place (:meth:`KVCache.keep_rows`), so neither copies the whole batch: with 18 rows at
    100 positions a full copy is ~80 MB. The buffers are ``np.zeros``, whose untouched rows
    would take no memory, but the allocator recycles freed heap for buffers this size and
    must then clear them: room is only made when more requests are waiting.
    """

    def __init__(self, max_rows: int, capacity: int = 0) -> None:
        self.max_rows = max_rows
        self.capacity = capacity  # positions to allocate at least (0: as the first rows need)
        self.buffers: list[np.ndarray] = []

    def join(self, cache: KVCache | None, prompts: list[tuple[KVCache, int]], *,
             more_to_come: bool = False) -> KVCache:
        """``cache`` (the decoding rows, which live in this pool) plus ``count`` rows per prompt.

        Every row of a batch decodes with the same mode update weight (one graph input for
        the batch): a job's sentences share its mode, so rows of another weight are refused.
        """
        weights = {prompt.update for prompt, _ in prompts} | ({cache.update} if cache is not None else set())
        if len(weights) > 1:
            raise ValueError(f"rows of different mode update weights {sorted(weights)} cannot share a batch")
        active = cache.rows if cache is not None else 0
        rows = active + sum(count for _, count in prompts)
        capacity = max([self.capacity] + [prompt.capacity for prompt, _ in prompts]
                       + ([cache.capacity] if cache is not None else []))
        if not self.buffers or rows > self.buffers[0].shape[0] or capacity > self.buffers[0].shape[2]:
            room = rows
            if more_to_come:  # as many rows as the batch may hold at this capacity
                room = max(rows, row_limit(self.max_rows, prompts[0][0].position_bytes, capacity))
            self._allocate(cache, prompts[0][0], room, capacity)
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
        return KVCache([b[:rows] for b in self.buffers], np.concatenate(lengths), update=weights.pop())

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
    tokens, log_probs, start = [], [], 0
    for request, group in groupby(rows, key=lambda row: row.request):
        histories = [row.history for row in group]
        part_tokens, part_log_probs = request.ready().sampler.sample(logits[start:start + len(histories)], histories)
        tokens.append(part_tokens)
        log_probs.append(part_log_probs)
        start += len(histories)
    return np.concatenate(tokens), np.concatenate(log_probs)


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
                request.finish()
            continue
        row.history.append(token)
        if len(row.history) >= request.ready().max_new:  # out of room: offered as unfinished
            if request.offer(row.history, row.log_probs, False):
                request.finish()
            continue
        keep.append(j)
    return keep


def _next_round(request: Request, waiting: deque[tuple[Request, int]]) -> None:
    """All of a request's rows are gone: queue more (first in line) or give up."""
    missing = request.wanted()
    if missing <= 0 or request.stats.rounds >= 1 + MAX_EXTRA_ROUNDS:
        request.finish()
        return
    request.before_round()
    waiting.appendleft((request, missing + request.spare(missing)))
