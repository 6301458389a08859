"""One mode's own low-rank update: what a later student learnt for that mode, as a small
difference from the shipped student's adapter.

Why: student v3 (more ASSET data, a longer run) simplifies better than v2 (held-out ASSET
Simpler SARI 42.7 against 41.0) but paraphrases worse on dev (good rate 0.702 against
0.730), so neither adapter wins every mode. Both are LoRA updates of the same base, so
their difference ``s3 B3 A3 - s2 B2 A2`` is a matrix of rank at most 32 per module; its
leading singular directions carry most of it (v2 plus the rank-4 truncation measured
SARI 42.24 on held-out ASSET). Export keeps this difference beside v2's adapter behind a
graph input (:mod:`export.llama_graph`), so the Simpler mode decodes with it and every
other mode decodes exactly as v2 does.

The output is an ordinary PEFT LoRA folder (``r`` = the rank, ``lora_alpha`` = ``r``:
scaling 1, the singular values split evenly between the two factors), so any LoRA reader
takes it.

    python -m distill.mode_update --from models/students/smollm2-135m-student-v2 \
        --to runs/student-v3/published-adapter --rank 4 \
        --out models/students/smollm2-135m-student-v2/simpler-update
"""

from __future__ import annotations

import argparse
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import numpy as np
from tqdm.auto import tqdm

log = logging.getLogger(__name__)

WEIGHTS_FILE = "adapter_model.safetensors"
CONFIG_FILE = "adapter_config.json"
#: What PEFT puts before a base module's name in an adapter's tensor names.
PEFT_PREFIX = "base_model.model."
#: Written beside the factors: where they came from and how much of the difference they keep.
REPORT_FILE = "mode_update.json"


@dataclass(frozen=True)
class LowRankDifference:
    """Per module: the factors (``b @ a`` is the kept part) and the share of the
    difference's Frobenius energy they keep."""

    factors: Mapping[str, tuple[np.ndarray, np.ndarray]]  # module -> (a [rank, in], b [out, rank])
    kept_energy: Mapping[str, float]


def _require_safetensors() -> ModuleType:
    from export.deps import require

    return require("safetensors.numpy")


def read_scaled_updates(adapter: Path) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """A PEFT LoRA folder's base modules -> (a, b scaled), float64: ``b @ a`` is the module's
    update. Read as export reads it (:func:`export.llama_graph.read_lora_folder`)."""
    from export.llama_graph import read_lora_folder

    return {module: (factor.a.astype(np.float64), factor.b.astype(np.float64))
            for module, factor in read_lora_folder(adapter).items()}


def low_rank_difference(start: Path, target: Path, rank: int) -> LowRankDifference:
    """The best rank-``rank`` approximation (truncated SVD) of ``target``'s update minus ``start``'s, per module."""
    if rank < 1:
        raise ValueError("the rank must be at least 1")
    old, new = read_scaled_updates(start), read_scaled_updates(target)
    if set(old) != set(new):
        raise ValueError(f"{start} and {target} adapt different modules")
    factors: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    kept: dict[str, float] = {}
    for module in tqdm(sorted(old), desc="low-rank difference", unit="module"):
        (a2, b2), (a3, b3) = old[module], new[module]
        # The difference lives in the span of both adapters' factors: SVD of a small core
        # instead of the full [out, in] matrix.
        left, right = np.concatenate([b3, -b2], axis=1), np.concatenate([a3, a2], axis=0)  # diff = left @ right
        q_left, r_left = np.linalg.qr(left)
        q_right, r_right = np.linalg.qr(right.T)
        u, s, vt = np.linalg.svd(r_left @ r_right.T)
        k = min(rank, len(s))
        root = np.sqrt(s[:k])
        factors[module] = ((root[:, None] * vt[:k]) @ q_right.T, (q_left @ u[:, :k]) * root[None, :])
        kept[module] = float((s[:k] ** 2).sum() / max((s ** 2).sum(), 1e-30))
    return LowRankDifference(factors=factors, kept_energy=kept)


def write_update(difference: LowRankDifference, rank: int, out: Path, template_config: Path,
                 provenance: Mapping[str, object]) -> Path:
    """Save as a PEFT LoRA folder (float16 factors, scaling 1) plus a report of what it keeps."""
    config = json.loads(template_config.read_text(encoding="utf-8"))
    config.update({"r": rank, "lora_alpha": rank, "use_rslora": False, "lora_dropout": 0.0,
                   "rank_pattern": {}, "alpha_pattern": {}})
    tensors: dict[str, np.ndarray] = {}
    for module, (a, b) in difference.factors.items():
        tensors[f"{PEFT_PREFIX}{module}.lora_A.weight"] = np.ascontiguousarray(a, dtype=np.float16)
        tensors[f"{PEFT_PREFIX}{module}.lora_B.weight"] = np.ascontiguousarray(b, dtype=np.float16)
    out.mkdir(parents=True, exist_ok=True)
    _require_safetensors().save_file(tensors, str(out / WEIGHTS_FILE), metadata={"format": "pt"})
    (out / CONFIG_FILE).write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    energy = np.array(list(difference.kept_energy.values()))
    report = {**provenance, "rank": rank, "modules": len(difference.factors),
              "kept_energy": {"mean": round(float(energy.mean()), 4), "min": round(float(energy.min()), 4)}}
    (out / REPORT_FILE).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    log.info("mode update: %d modules at rank %d, keeps %.1f%% of the difference's energy on average",
             len(difference.factors), rank, 100 * report["kept_energy"]["mean"])
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m distill.mode_update", description=__doc__.split("\n\n")[0])
    parser.add_argument("--from", dest="start", type=Path, required=True, help="the shipped student's adapter")
    parser.add_argument("--to", dest="target", type=Path, required=True, help="the adapter whose mode is wanted")
    parser.add_argument("--rank", type=int, default=4)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--to-name", help="the target student's name for the report (default: its folder's name)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    difference = low_rank_difference(args.start, args.target, args.rank)
    provenance = {"from": args.start.name, "to": args.to_name or args.target.name}
    write_update(difference, args.rank, args.out, args.start / CONFIG_FILE, provenance)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
