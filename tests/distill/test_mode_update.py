"""A mode's low-rank update: the truncated difference of two LoRA adapters, saved as a LoRA."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("safetensors")

from distill.mode_update import low_rank_difference, main, read_scaled_updates  # noqa: E402

MODULES = ("base_model.model.model.layers.0.self_attn.q_proj", "base_model.model.model.layers.0.mlp.down_proj")
SHAPES = {MODULES[0]: (24, 16), MODULES[1]: (16, 40)}  # [out, in]
#: The same modules by the base model's names, as the readers give them.
BASE_MODULES = tuple(m.removeprefix("base_model.model.") for m in MODULES)


def _adapter(folder: Path, rank: int, alpha: float, seed: int) -> Path:
    from safetensors.numpy import save_file

    rng = np.random.default_rng(seed)
    tensors = {}
    for module in MODULES:
        out, inp = SHAPES[module]
        tensors[f"{module}.lora_A.weight"] = rng.normal(size=(rank, inp)).astype(np.float32)
        tensors[f"{module}.lora_B.weight"] = rng.normal(size=(out, rank)).astype(np.float32)
    folder.mkdir(parents=True)
    save_file(tensors, str(folder / "adapter_model.safetensors"))
    (folder / "adapter_config.json").write_text(json.dumps(
        {"peft_type": "LORA", "r": rank, "lora_alpha": alpha, "target_modules": ["q_proj", "down_proj"]}))
    return folder


def _product(updates: dict, module: str) -> np.ndarray:
    a, b = updates[module]
    return b @ a


def test_the_truncation_is_the_best_low_rank_approximation_of_the_difference(tmp_path: Path) -> None:
    start, target = _adapter(tmp_path / "v2", 4, 8, seed=1), _adapter(tmp_path / "v3", 4, 4, seed=2)
    old, new = read_scaled_updates(start), read_scaled_updates(target)
    for rank in (2, 8):
        difference = low_rank_difference(start, target, rank)
        for module in BASE_MODULES:
            exact = _product(new, module) - _product(old, module)
            a, b = difference.factors[module]
            u, s, vt = np.linalg.svd(exact)
            best = (u[:, :rank] * s[:rank]) @ vt[:rank]
            assert a.shape[0] == b.shape[1] == rank
            assert np.allclose(b @ a, best, atol=1e-8)
            assert difference.kept_energy[module] == pytest.approx((s[:rank] ** 2).sum() / (s ** 2).sum())
        if rank == 8:  # the difference of two rank-4 updates has rank 8 at most: kept whole
            assert all(kept == pytest.approx(1.0) for kept in difference.kept_energy.values())


def test_the_written_update_reads_back_as_the_same_factors(tmp_path: Path) -> None:
    from export.llama_graph import read_lora_folder

    start, target = _adapter(tmp_path / "v2", 4, 8, seed=1), _adapter(tmp_path / "v3", 4, 4, seed=2)
    out = tmp_path / "simpler-update"
    assert main(["--from", str(start), "--to", str(target), "--rank", "3", "--out", str(out), "--to-name", "v3"]) == 0
    report = json.loads((out / "mode_update.json").read_text())
    assert report["rank"] == 3 and report["to"] == "v3" and 0 < report["kept_energy"]["min"] <= 1
    factors = read_lora_folder(out)  # as export reads it: scaling folded, module names of the base
    difference = low_rank_difference(start, target, 3)
    for module in BASE_MODULES:
        a, b = difference.factors[module]
        read = factors[module]
        assert np.allclose(read.b @ read.a, b @ a, atol=2e-2 * np.abs(b @ a).max())  # float16 storage
    with pytest.raises(ValueError, match="rank must be at least 1"):
        low_rank_difference(start, target, 0)
