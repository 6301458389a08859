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
