"""The fused graph builder against PyTorch, and the blockwise quantizer it uses."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from export.blockwise import quantize_blockwise
from models.bundle import ModelGeometry
from models.onnx_decoder import OnnxDecoder


def test_blockwise_8bit_reproduces_a_q8_0_table_exactly() -> None:
    """A table already on a Q8_0 grid (block 32, scale = max|w| / 127) must come back bit for bit."""
    rng = np.random.default_rng(3)
    levels = rng.integers(-127, 128, size=(64, 96)).astype(np.float32)
    levels[:, ::32] = 127  # every block holds its extreme, as Q8_0 guarantees
    scales = rng.uniform(1e-3, 2e-2, size=(64, 3)).astype(np.float16).astype(np.float32)
    table = (levels.reshape(64, 3, 32) * scales[:, :, None]).reshape(64, 96)
    q = quantize_blockwise(table.T, bits=8, block_size=32)
    assert q.data.shape == (64, 3, 32) and q.scales.shape == (64, 3)
    assert np.array_equal(q.dequantize(), table.T)
    assert np.array_equal(q.scales.astype(np.float16).astype(np.float32), q.scales)  # float16 storage is lossless here


@pytest.mark.parametrize("bits", [4, 8])
def test_blockwise_error_is_within_half_a_step(bits: int) -> None:
    rng = np.random.default_rng(bits)
    weight = rng.normal(size=(128, 40)).astype(np.float32)
    q = quantize_blockwise(weight, bits=bits, block_size=32)
    step = np.repeat(q.scales, 32, axis=1).T  # [K, N]
    assert np.all(np.abs(q.dequantize() - weight) <= step / 2 + 1e-6)


def test_fp32_graph_matches_pytorch_through_prefill_chunks_and_batched_steps(tiny_checkpoint: Path, tmp_path: Path) -> None:
    """Same weights, no quantization: the fused ops must compute what transformers computes."""
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    from export.llama_graph import torch_weights, write_decoder
    from export.pipeline import geometry_of

    model = transformers.AutoModelForCausalLM.from_pretrained(tiny_checkpoint, dtype="float32").eval()
    path = write_decoder(model.config, torch_weights(model), tmp_path / "model.onnx", None)
    decoder = OnnxDecoder(path, ModelGeometry(**geometry_of(model.config).__dict__))
    ids = torch.tensor([[4, 6, 8, 10, 12, 6, 14, 40, 3, 5, 9, 11]])
    with torch.no_grad():
        first = model(ids[:, :7], use_cache=True)
        second = model(ids[:, 7:], past_key_values=first.past_key_values, use_cache=True)
        rows = torch.tensor([[7], [9], [7]])
        past = second.past_key_values
        past.batch_repeat_interleave(3)
        third = model(rows, past_key_values=past, use_cache=True)
    cache = decoder.new_cache(1, capacity=8)  # grows on the second chunk
    decoder.forward(ids[:, :7].numpy(), cache)
    logits = decoder.forward(ids[:, 7:].numpy(), cache)
    assert np.abs(logits[0] - second.logits[0, -1].numpy()).max() < 1e-4
    batch = cache.repeat(3)
    logits = decoder.forward(rows.numpy(), batch)
    assert np.abs(logits - third.logits[:, -1].numpy()).max() < 1e-4


def test_4bit_graph_keeps_a_gguf_base_and_its_adapter_exact(tiny_checkpoint: Path, tmp_path: Path) -> None:
    """Base on its Q4_1 grid + LoRA beside it: with float activations (accuracy level 1)
    the 4-bit graph computes what the merged float32 model computes."""
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    peft = pytest.importorskip("peft")
    from export.llama_graph import lora_factors, torch_weights, write_decoder
    from export.pipeline import geometry_of
    from export.quantize import QuantizationSettings

    model = transformers.AutoModelForCausalLM.from_pretrained(tiny_checkpoint, dtype="float32").eval()
    base = torch_weights(model)
    torch.manual_seed(1)
    config = peft.LoraConfig(r=4, lora_alpha=8, init_lora_weights=False,
                             target_modules=["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"])
    adapted = peft.get_peft_model(model, config)
    with torch.no_grad():  # float16-exact factors, as an adapter saved in float16 has
        for name, p in adapted.named_parameters():
            if "lora_" in name:
                p.copy_(p.half().float())
    factors = lora_factors(adapted)
    assert len(factors) == 2 * 7
    merged = adapted.merge_and_unload().eval()
    geometry = ModelGeometry(**geometry_of(merged.config).__dict__)
    exact = QuantizationSettings(matmul_bits=4, gate_up_bits=4, down_bits=4, accuracy_level=1)
    four = OnnxDecoder(write_decoder(merged.config, base, tmp_path / "q4.onnx", exact, factors), geometry)
    ref = OnnxDecoder(write_decoder(merged.config, torch_weights(merged), tmp_path / "fp32.onnx", None), geometry)
    ids = np.array([[4, 6, 8, 10, 12, 6, 14, 40, 3, 5]], dtype=np.int64)
    a = four.forward(ids, four.new_cache(1, 16))
    b = ref.forward(ids, ref.new_cache(1, 16))
    assert np.abs(a - b).max() < 1e-4 * max(1.0, float(np.abs(b).max()))
    assert (tmp_path / "q4.onnx").stat().st_size < 0.5 * (tmp_path / "fp32.onnx").stat().st_size
    # An adapter merged into the base is off the grid: the 4-bit path refuses it instead of rounding.
    from export.blockwise import NotOnGridError

    with pytest.raises(NotOnGridError):
        write_decoder(merged.config, torch_weights(merged), tmp_path / "bad.onnx", exact)
    # The default stores every projection this way.
    assert QuantizationSettings() == QuantizationSettings(matmul_bits=4, gate_up_bits=4, down_bits=4)
    # 8-bit layers (adapter merged, then rounded) mix with the exact 4-bit gate|up projection.
    mixed = OnnxDecoder(write_decoder(merged.config, base, tmp_path / "mixed.onnx",
                                      QuantizationSettings(matmul_bits=8, down_bits=8, accuracy_level=1), factors),
                        geometry)
    c = mixed.forward(ids, mixed.new_cache(1, 16))
    assert np.abs(c - b).max() < 2e-2 * max(1.0, float(np.abs(b).max()))


def _random_factors(weights: dict[str, np.ndarray], rank: int, seed: int, scale: float) -> dict:
    from export.llama_graph import LoraFactor

    rng = np.random.default_rng(seed)
    factors = {}
    for key, weight in weights.items():
        if key.endswith("_proj.weight"):
            out, inp = weight.shape
            factors[key.removesuffix(".weight")] = LoraFactor(
                a=rng.normal(0, scale, (rank, inp)).astype(np.float16).astype(np.float32),
                b=rng.normal(0, scale, (out, rank)).astype(np.float16).astype(np.float32))
    return factors


@pytest.mark.parametrize("bits", [4, None])
def test_a_mode_update_is_added_only_when_the_cache_weighs_it(tiny_checkpoint: Path, tmp_path: Path,
                                                              bits: int | None) -> None:
    """One graph, two models: weight 0 decodes as base + adapter, weight 1 as base + adapter
    + update (8-bit factors), each against float32 weights merged by hand."""
    transformers = pytest.importorskip("transformers")
    from export.llama_graph import torch_weights, write_decoder
    from export.pipeline import geometry_of
    from export.quantize import QuantizationSettings

    model = transformers.AutoModelForCausalLM.from_pretrained(tiny_checkpoint, dtype="float32").eval()
    base = torch_weights(model)
    lora = _random_factors(base, 4, seed=1, scale=0.05)
    update = _random_factors(base, 2, seed=2, scale=0.1)
    geometry = ModelGeometry(**geometry_of(model.config).__dict__)
    settings = QuantizationSettings(matmul_bits=4, gate_up_bits=4, down_bits=4, accuracy_level=1) if bits else None

    def merged(*parts: dict) -> dict[str, np.ndarray]:
        weights = dict(base)
        for factors in parts:
            for module, f in factors.items():
                weights[f"{module}.weight"] = weights[f"{module}.weight"] + f.b @ f.a
        return weights

    both = OnnxDecoder(write_decoder(model.config, base, tmp_path / "both.onnx", settings, lora, update), geometry)
    plain = OnnxDecoder(write_decoder(model.config, merged(lora), tmp_path / "plain.onnx", None), geometry)
    updated = OnnxDecoder(write_decoder(model.config, merged(lora, update), tmp_path / "updated.onnx", None), geometry)
    assert both.has_mode_update and not plain.has_mode_update
    ids = np.array([[4, 6, 8, 10, 12, 6, 14, 40, 3, 5]], dtype=np.int64)
    without = both.forward(ids, both.new_cache(1, 16))
    weighed = both.forward(ids, both.new_cache(1, 16, update=1.0))
    reference, target = plain.forward(ids, plain.new_cache(1, 16)), updated.forward(ids, updated.new_cache(1, 16))
    tolerance = 1e-4 * max(1.0, float(np.abs(reference).max()))
    assert np.abs(without - reference).max() < tolerance
    assert np.abs(reference - target).max() > 100 * tolerance  # the update matters ...
    assert np.abs(weighed - target).max() < 0.05 * np.abs(reference - target).max()  # ... and 8 bits keep it
    # The weight travels with the cache: repeated rows and later steps decode with it too.
    cache = both.new_cache(1, 16, update=1.0)
    both.forward(ids, cache)
    rows = cache.repeat(2)
    assert rows.update == 1.0 and rows.keep_rows(np.array([1])).update == 1.0
    step = both.forward(np.array([[7], [7]], dtype=np.int64), rows)
    target_cache = updated.new_cache(1, 16)
    updated.forward(ids, target_cache)
    target_step = updated.forward(np.array([[7]], dtype=np.int64), target_cache)
    assert np.abs(step[0] - target_step[0]).max() < 0.05 * np.abs(reference - target).max()
    with pytest.raises(ValueError, match="no mode update"):
        plain.new_cache(1, 16, update=1.0)
