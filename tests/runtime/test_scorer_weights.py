"""The committed scorer weights format: fp16, or the encoder's matrices as 8-bit rows."""

from __future__ import annotations

import numpy as np
import pytest

from models.scorer_weights import SCALE_SUFFIX, ScorerWeightsError, dequantize_rows, quantize_rows

LAYER = "bert.encoder.layer.0.attention.self.query.weight"


def tensors() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(0)
    matrix = rng.normal(0, 0.05, (48, 32)).astype(np.float32)
    matrix[3] = 0.0  # a dead unit: its row has no peak to scale by
    return {
        LAYER: matrix,
        "bert.encoder.layer.0.attention.self.query.bias": rng.normal(0, 0.05, 48).astype(np.float32),
        "bert.encoder.layer.0.output.LayerNorm.weight": np.ones(32, np.float32),
        "bert.embeddings.position_embeddings.weight": rng.normal(0, 0.05, (16, 32)).astype(np.float32),
        "classifier.weight": rng.normal(0, 0.05, (1, 32)).astype(np.float32),
    }


def test_only_encoder_matrices_become_8_bit_rows_and_come_back_within_half_a_step() -> None:
    original = tensors()
    stored = quantize_rows(original)
    assert stored[LAYER].dtype == np.int8 and stored[LAYER + SCALE_SUFFIX].shape == (48,)
    others = [name for name in original if name != LAYER]
    assert all(stored[name].dtype == np.float16 for name in others)  # embeddings, norms, biases, head
    assert set(stored) == {*original, LAYER + SCALE_SUFFIX}
    back = dequantize_rows(stored)
    assert set(back) == set(original) and all(v.dtype == np.float32 for v in back.values())
    step = np.abs(original[LAYER]).max(axis=1, keepdims=True) / 127
    assert np.all(np.abs(back[LAYER] - original[LAYER]) <= step / 2 + 1e-7)
    assert np.all(back[LAYER][3] == 0.0)
    assert np.abs(back[LAYER] - original[LAYER]).max() > 0  # it is a real quantization, not a copy
    for name in others:
        np.testing.assert_allclose(back[name], original[name].astype(np.float16).astype(np.float32))


def test_a_plain_fp16_file_reads_as_float32() -> None:
    plain = {name: value.astype(np.float16) for name, value in tensors().items()}
    back = dequantize_rows(plain)
    for name, value in plain.items():
        assert back[name].dtype == np.float32 and np.array_equal(back[name], value.astype(np.float32))


@pytest.mark.parametrize(("damage", "message"), [
    (lambda t: t.pop(LAYER + SCALE_SUFFIX), "stored in 8 bits without its"),
    (lambda t: t.pop(LAYER), "scales a tensor the file does not have"),
    (lambda t: t.update({LAYER + SCALE_SUFFIX: np.ones(5, np.float32)}), "do not match their scales"),
])
def test_rows_and_scales_that_do_not_match_are_refused_by_name(damage, message: str) -> None:  # noqa: ANN001
    stored = quantize_rows(tensors())
    damage(stored)
    with pytest.raises(ScorerWeightsError, match=message):
        dequantize_rows(stored)
