"""Copy a trained adapter into ``models/students/<name>/``, small and portable.

The run folder holds checkpoints and logs that stay out of git; a student folder holds
only what ``export`` needs (``adapter_model.safetensors``, ``adapter_config.json``) plus
``training.json`` for provenance. Weights are stored in float16 by default (half the
size; export upcasts them when it merges into the fp32 base) and the machine-local base
path in ``adapter_config.json`` is replaced by the base's portable name.
"""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

from export.deps import require

log = logging.getLogger(__name__)

STUDENTS_DIR = Path(__file__).resolve().parent.parent / "models" / "students"
ADAPTER_FILES = ("adapter_model.safetensors", "adapter_config.json")


def publish(run: str | Path, name: str, dtype: str = "float16",
            students_dir: str | Path = STUDENTS_DIR, base_name: str = "smollm2-135m-instruct") -> Path:
    """Write ``<students_dir>/<name>/`` from ``<run>/adapter`` and ``<run>/training.json``."""
    torch = require("torch")
    from safetensors.torch import load_file, save_file

    run = Path(run)
    adapter = run / "adapter"
    missing = [f for f in ADAPTER_FILES if not (adapter / f).is_file()]
    if missing:
        raise FileNotFoundError(f"{adapter} lacks {', '.join(missing)}: train first")
    target = Path(students_dir) / name
    tmp = target.with_name(target.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)

    tensors = load_file(str(adapter / "adapter_model.safetensors"))
    cast = getattr(torch, dtype)
    save_file({k: v.to(cast).contiguous() for k, v in tensors.items()},
              str(tmp / "adapter_model.safetensors"), metadata={"format": "pt"})
    config = json.loads((adapter / "adapter_config.json").read_text(encoding="utf-8"))
    config["base_model_name_or_path"] = base_name
    (tmp / "adapter_config.json").write_text(json.dumps(config, indent=2, sort_keys=True) + "\n",
                                             encoding="utf-8")
    training = run / "training.json"
    if training.is_file():
        info = json.loads(training.read_text(encoding="utf-8"))
        info["published"] = {"name": name, "dtype": dtype, "run": run.name}
        (tmp / "training.json").write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    shutil.rmtree(target, ignore_errors=True)
    tmp.rename(target)
    log.info("published %s (%s) to %s", run / "adapter", dtype, target)
    return target
