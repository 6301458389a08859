"""Several sentences decoded in one batch: per-row cache lengths and the row scheduler."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from models import CancelToken, Paraphraser
from models import batch_decode
from models.batch_decode import MAX_EXTRA_ROUNDS, Prompt, Request, RowPool, decode
from models.onnx_decoder import KVCache
from models.sampling import Sampler, settings_for_diversity


def _prompt(decoder, ids: list[int], capacity: int = 24) -> tuple[KVCache, np.ndarray]:  # noqa: ANN001
    cache = decoder.new_cache(1, capacity)
    logits = decoder.forward(np.array([ids], dtype=np.int64), cache).copy()
    return cache, logits


def test_rows_of_different_lengths_decode_as_if_each_were_alone(tiny_bundle: Path) -> None:
    decoder = Paraphraser.load(tiny_bundle).decoder
    prompts = [[4, 6, 8, 10, 12, 6, 14], [5, 7, 9], [11, 13, 15, 17, 19]]
    alone = [_prompt(decoder, ids, capacity=16 + 4 * i)[0] for i, ids in enumerate(prompts)]  # mixed capacities
    pool = RowPool(max_rows=8)
    together = pool.join(None, [(_prompt(decoder, ids)[0], 1) for ids in prompts], more_to_come=True)
    assert together.lengths.tolist() == [7, 3, 5] and together.capacity == 24
    assert pool.buffers[0].shape[0] == 8  # room for rows that join later
    with pytest.raises(ValueError, match="different lengths"):
        _ = together.length
    tokens = np.array([[20], [21], [22]], dtype=np.int64)

    def step_both(batch: KVCache, singles: list[KVCache], tokens: np.ndarray) -> np.ndarray:
        batched = decoder.forward(tokens, batch).copy()
        single = np.stack([decoder.forward(tokens[i:i + 1], cache)[0] for i, cache in enumerate(singles)])
        assert np.abs(batched - single).max() < 1e-3
        return single.argmax(axis=1)[:, None].astype(np.int64)

    for _ in range(4):
        tokens = step_both(together, alone, tokens)
    assert together.lengths.tolist() == [11, 7, 9]
    # the middle row leaves (the last one moves up in place) and a new prompt joins behind
    kept = together.keep_rows(np.array([0, 2]))
    assert kept.lengths.tolist() == [11, 9]
    newcomer, _ = _prompt(decoder, [8, 9, 10, 11])
    joined = pool.join(kept, [(newcomer, 1)])
    assert joined.lengths.tolist() == [11, 9, 4]
    singles = [alone[0], alone[2], newcomer.with_capacity(24)]
    tokens = np.concatenate([tokens[[0, 2]], [[23]]]).astype(np.int64)
    for _ in range(3):
        tokens = step_both(joined, singles, tokens)


class _ListRequest(Request):
    """A request that keeps the rows ``accept`` likes, until it has ``wanted`` of them."""

    def __init__(self, decoder, ids: list[int], wanted: int, accept, seed: int) -> None:  # noqa: ANN001
        super().__init__()
        self.decoder, self.ids, self.count, self.accept, self.seed = decoder, ids, wanted, accept, seed
        self.got: list[list[int]] = []
        self.started: list[int] = []

    def start(self) -> Prompt:
        self.started.append(1)
        cache, logits = _prompt(self.decoder, self.ids, capacity=len(self.ids) + 8)
        return Prompt(cache=cache, last_logits=logits, max_new=8,
                      sampler=Sampler(settings_for_diversity(1.0), np.random.default_rng(self.seed)))

    def offer(self, token_ids: list[int], log_probs: list[float], finished: bool) -> bool:
        if self.accept(token_ids, finished):
            self.got.append(list(token_ids))
        return len(self.got) >= self.count

    def wanted(self) -> int:
        return self.count - len(self.got)

    def spare(self, missing: int) -> int:
        return 1


def _request(decoder, ids: list[int], wanted: int, accept, seed: int = 0) -> _ListRequest:  # noqa: ANN001
    return _ListRequest(decoder, ids, wanted, accept, seed)


def test_requests_share_the_batch_within_the_row_budget(tiny_bundle: Path) -> None:
    decoder = Paraphraser.load(tiny_bundle).decoder
    sizes: list[int] = []
    original = decoder.forward

    def spying_forward(ids, cache):  # noqa: ANN001, ANN202
        sizes.append(ids.shape[0])
        return original(ids, cache)

    decoder.forward = spying_forward  # type: ignore[method-assign]
    requests = [_request(decoder, [4 + i, 6, 8, 10][: 2 + i], wanted=3, accept=lambda t, f: True, seed=i)
                for i in range(3)]
    sizes.clear()
    decode(decoder, requests, frozenset({2, 3}), max_rows=8)
    assert max(sizes) <= 8
    assert max(sizes) > 4  # a second request joined the first one's rows
    for request in requests:
        assert request.done and len(request.got) == 3
        assert request.stats.rows_sampled >= 4
        assert request.started == [1]  # the prompt ran once,
        assert request.prompt is None  # and was let go when the request was done


def test_rejected_rows_are_replaced_then_the_request_gives_up(tiny_bundle: Path) -> None:
    decoder = Paraphraser.load(tiny_bundle).decoder
    never = _request(decoder, [4, 6, 8], wanted=2, accept=lambda t, f: False)
    always = _request(decoder, [5, 7, 9], wanted=2, accept=lambda t, f: True, seed=1)
    decode(decoder, [never, always], frozenset({2, 3}))
    assert never.stats.rounds == 1 + MAX_EXTRA_ROUNDS and never.done
    assert never.stats.rows_sampled == (1 + MAX_EXTRA_ROUNDS) * 3
    assert always.stats.rounds == 1 and len(always.got) == 2


def test_cancel_stops_every_request(tiny_bundle: Path) -> None:
    decoder = Paraphraser.load(tiny_bundle).decoder
    token = CancelToken()
    original = decoder.forward
    calls = {"n": 0}

    def cancelling_forward(ids, cache):  # noqa: ANN001, ANN202
        if ids.shape[1] == 1:  # decode steps (prompts run inside decode too, when they join)
            calls["n"] += 1
            if calls["n"] == 2:
                token.cancel()
        return original(ids, cache)

    requests = [_request(decoder, [4, 6, 8], wanted=50, accept=lambda t, f: True, seed=i) for i in range(2)]
    decoder.forward = cancelling_forward  # type: ignore[method-assign]
    decode(decoder, requests, frozenset(), cancel=token)
    assert calls["n"] == 2


def test_a_paragraph_is_decoded_in_one_batch(tiny_bundle: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paraphraser = Paraphraser.load(tiny_bundle)
    sizes: list[int] = []
    original = paraphraser.decoder.forward

    def spying_forward(ids, cache):  # noqa: ANN001, ANN202
        if ids.shape[1] == 1:
            sizes.append(ids.shape[0])
        return original(ids, cache)

    paraphraser.decoder.forward = spying_forward  # type: ignore[method-assign]
    text = "the cat sat on the mat .\nthe dog ran under the red house .\na bird sang ."
    result = paraphraser.paraphrase(text, n=3, seed=2)
    assert result.stats["sentences"] == 3
    assert max(sizes) > 3 + 1  # rows of more than one sentence in a step
    assert max(sizes) <= batch_decode.MAX_BATCH_ROWS
    assert 1 <= len(result.candidates) <= 3


def test_the_kv_budget_bounds_the_batch_and_the_pool_is_allocated_once(
        tiny_bundle: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    decoder = Paraphraser.load(tiny_bundle).decoder
    requests = [_request(decoder, [4, 6, 8, 10][: 2 + i % 3], wanted=3, accept=lambda t, f: True, seed=i)
                for i in range(4)]
    capacity = 12  # the largest prompt (4 ids) + 8 new tokens
    position_bytes = decoder.new_cache(1, 1).position_bytes
    monkeypatch.setattr(batch_decode, "MAX_BATCH_KV_BYTES", 9 * position_bytes * capacity)  # 9 rows: two requests
    allocations: list[tuple[int, int]] = []
    original_allocate = RowPool._allocate

    def recording_allocate(self, cache, like, rows, capacity):  # noqa: ANN001, ANN202
        allocations.append((rows, capacity))
        original_allocate(self, cache, like, rows, capacity)

    monkeypatch.setattr(RowPool, "_allocate", recording_allocate)
    sizes: list[int] = []
    original = decoder.forward

    def spying_forward(ids, cache):  # noqa: ANN001, ANN202
        if ids.shape[1] == 1:
            sizes.append(ids.shape[0])
        return original(ids, cache)

    decoder.forward = spying_forward  # type: ignore[method-assign]
    decode(decoder, requests, frozenset({2, 3}), max_rows=18, capacity=capacity)
    assert max(sizes) == 8  # two requests of 4 rows; a third would pass the budget
    assert allocations == [(9, capacity)]
    assert all(len(r.got) == 3 for r in requests)
