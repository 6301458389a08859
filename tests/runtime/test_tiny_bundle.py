"""The runtime on a tiny model exported by the real pipeline."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from models import BundleError, CancelToken, Paraphraser


def test_kv_cache_decoding_equals_uncached_decoding(tiny_bundle: Path) -> None:
    decoder = Paraphraser.load(tiny_bundle).decoder
    prompt = np.array([[4, 6, 8, 10, 12, 6, 14, 40, 3, 5]], dtype=np.int64)
    cache = decoder.new_cache(1, capacity=12)  # too small on purpose: forward must grow it
    cached_logits = decoder.forward(prompt, cache).copy()
    sequence = prompt
    for _ in range(8):
        token = int(cached_logits[0].argmax())
        sequence = np.concatenate([sequence, [[token]]], axis=1)
        uncached_logits = decoder.forward(sequence, decoder.new_cache(1, sequence.shape[1])).copy()
        stale = cache.rewound(cache.length - 1)
        stale_logits = decoder.forward(np.array([[token]], dtype=np.int64), stale).copy()
        cached_logits = decoder.forward(np.array([[token]], dtype=np.int64), cache).copy()
        # 8-bit weights with int8 activation blocks (accuracy level 4) leave ~2e-3 of noise
        # between a 1-token and an n-token run; a cache missing one position is off by more (2.8e-2 to 9e-2 measured).
        assert np.abs(cached_logits - uncached_logits).max() < 1e-2
        assert np.abs(stale_logits - uncached_logits).max() > 1.5e-2
        top2 = np.sort(uncached_logits[0])[-2:]
        if top2[1] - top2[0] > 1e-2:
            assert int(cached_logits[0].argmax()) == int(uncached_logits[0].argmax())
    assert cache.length == sequence.shape[1] and cache.capacity >= cache.length


def test_cache_rows_fan_out_and_drop_without_touching_the_source(tiny_bundle: Path) -> None:
    """repeat gives new buffers: decoding them, and dropping rows, never writes into the prompt's cache."""
    decoder = Paraphraser.load(tiny_bundle).decoder
    prompt_cache = decoder.new_cache(1, capacity=16)
    decoder.forward(np.array([[4, 6, 8, 10, 12]], dtype=np.int64), prompt_cache)
    before = [b.copy() for b in prompt_cache.buffers]
    rows = prompt_cache.repeat(3)
    step = decoder.forward(np.array([[7], [9], [11]], dtype=np.int64), rows).copy()
    kept = rows.keep_rows(np.array([0, 2]))
    again = decoder.forward(np.array([[13], [13]], dtype=np.int64), kept).copy()
    assert all(np.array_equal(a, b) for a, b in zip(before, prompt_cache.buffers))
    assert prompt_cache.length == 5 and rows.length == 6 and kept.length == 7
    with pytest.raises(ValueError, match="one row only"):  # GroupQueryAttention's limit, said clearly
        decoder.forward(np.array([[13, 14], [13, 14]], dtype=np.int64), kept)
    # each row on its own gives the same logits as in the batch
    for row, (token, follow) in enumerate([(7, 13), (11, 13)]):
        single = prompt_cache.with_capacity(16)
        first = decoder.forward(np.array([[token]], dtype=np.int64), single).copy()
        assert np.abs(first[0] - step[[0, 2][row]]).max() < 1e-2
        second = decoder.forward(np.array([[follow]], dtype=np.int64), single)
        assert np.abs(second[0] - again[row]).max() < 1e-2


def test_same_seed_same_candidates_and_n_come_back(tiny_bundle: Path) -> None:
    paraphraser = Paraphraser.load(tiny_bundle)
    first = paraphraser.paraphrase_sentence("the cat sat on the mat .", n=3, diversity=0.7, seed=11)
    second = paraphraser.paraphrase_sentence("the cat sat on the mat .", n=3, diversity=0.7, seed=11)
    assert [c.text for c in first.candidates] == [c.text for c in second.candidates]
    assert [c.score for c in first.candidates] == [c.score for c in second.candidates]
    assert len(first.candidates) == 3
    assert len({c.text for c in first.candidates}) == 3
    assert all(c.score <= 0 for c in first.candidates)
    other = paraphraser.paraphrase_sentence("the cat sat on the mat .", n=3, diversity=0.7, seed=12)
    assert [c.text for c in other.candidates] != [c.text for c in first.candidates]


def test_candidates_stream_and_come_back_ranked(tiny_bundle: Path) -> None:
    paraphraser = Paraphraser.load(tiny_bundle)
    streamed = []
    result = paraphraser.paraphrase_sentence("the dog ran under the red house .", n=4, seed=5,
                                             on_candidate=streamed.append)
    assert sorted(c.text for c in streamed) == sorted(c.text for c in result.candidates)
    scores = [c.score for c in result.candidates]
    assert scores == sorted(scores, reverse=True)
    assert result.first_candidate_ms is not None and result.first_candidate_ms <= result.elapsed_ms


def test_cancel_before_start_does_no_work(tiny_bundle: Path) -> None:
    token = CancelToken()
    token.cancel()
    result = Paraphraser.load(tiny_bundle).paraphrase_sentence("the cat sat .", n=5, seed=1, cancel=token)
    assert result.cancelled
    assert result.candidates == []


def test_cancel_midway_stops_after_current_step(tiny_bundle: Path) -> None:
    paraphraser = Paraphraser.load(tiny_bundle)
    token = CancelToken()
    steps = {"n": 0}
    original = paraphraser.decoder.forward

    def counting_forward(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        steps["n"] += 1
        if steps["n"] == 3:
            token.cancel()
        return original(*args, **kwargs)

    paraphraser.decoder.forward = counting_forward  # type: ignore[method-assign]
    result = paraphraser.paraphrase_sentence("the cat sat on the mat .", n=5, seed=1, cancel=token)
    assert result.cancelled
    assert steps["n"] == 3  # no decoding step ran after the cancel


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        (lambda b: b.joinpath("model.onnx").write_bytes(b.joinpath("model.onnx").read_bytes()[:-100]), "truncated"),
        (lambda b: _flip_byte(b / "model.onnx"), "corrupt"),
        (lambda b: b.joinpath("tokenizer.json.gz").unlink(), "missing"),
        (lambda b: b.joinpath("manifest.json").write_text("{not json"), "damaged"),
        (lambda b: b.joinpath("manifest.json").unlink(), "manifest.json is missing"),
    ],
    ids=["truncated", "altered", "missing-file", "bad-manifest", "no-manifest"],
)
def test_damaged_bundle_is_refused_with_a_clear_error(tiny_bundle: Path, tmp_path: Path, damage, expected: str) -> None:  # noqa: ANN001
    copy = tmp_path / "tiny"
    shutil.copytree(tiny_bundle, copy)
    damage(copy)
    with pytest.raises(BundleError) as info:
        Paraphraser.load(copy)
    message = str(info.value)
    assert expected in message
    assert "Rebuild it with:" in message


def _flip_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def test_an_emoji_or_bullet_beside_the_sentence_is_kept_and_candidates_still_stream(tiny_bundle: Path) -> None:
    paraphraser = Paraphraser.load(tiny_bundle)
    calls: list[str] = []
    real = paraphraser.paraphrase_sentence

    def spying(sentence: str, **kwargs):  # noqa: ANN003, ANN202
        calls.append(sentence)
        return real(sentence, **kwargs)

    paraphraser.paraphrase_sentence = spying  # type: ignore[method-assign]
    streamed = []
    result = paraphraser.paraphrase("🙂 — the cat sat on the mat . ✨", n=3, seed=4, on_candidate=streamed.append)
    assert calls == ["the cat sat on the mat ."]  # the model never sees the decorations
    assert result.candidates and sorted(c.text for c in streamed) == sorted(c.text for c in result.candidates)
    assert all(c.text.startswith("🙂 — ") and c.text.endswith(" ✨") for c in result.candidates)
    assert result.first_candidate_ms is not None
