"""What the export pipeline writes into a bundle's manifest (the tiny model, real pipeline)."""

from __future__ import annotations

import json
from pathlib import Path

from models.bundle import MANIFEST_NAME, sha256_file


def test_manifest_records_files_quantization_parity_and_prompt(tiny_bundle: Path) -> None:
    manifest = json.loads((tiny_bundle / MANIFEST_NAME).read_text())
    for name in ("model.onnx", "tokenizer.json.gz"):
        assert manifest["files"][name]["sha256"] == sha256_file(tiny_bundle / name)
        assert manifest["files"][name]["size"] == (tiny_bundle / name).stat().st_size
    assert manifest["tokenizer_file"] == "tokenizer.json.gz"
    for layers in ("matmul_bits", "gate_up_bits", "down_bits"):  # every projection on the base's own 4-bit grid
        assert manifest["quantization"][layers] == 4
    assert manifest["quantization"]["embedding_bits"] == 8
    assert manifest["quantization"]["block_size"] == 32
    assert manifest["parity"]["prompts"] >= 16
    assert 0.0 <= manifest["parity"]["next_token_agreement"] <= 1.0
    assert "{text}" in manifest["prompt"]["template"]
    assert 2 in manifest["prompt"]["stop_token_ids"]  # <|im_end|>
    assert 3 in manifest["prompt"]["stop_token_ids"]  # the newline token
    assert len(manifest["base_model"]["sha256"]) == 64
    model_bytes = (tiny_bundle / "model.onnx").read_bytes()
    assert b"MatMulNBits" in model_bytes
