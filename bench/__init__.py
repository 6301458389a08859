"""Scripted benchmarks of the ONNX runtime against the obvious alternatives.

Workers (``python -m bench.worker``) and backends load onnxruntime, some directly (optimum,
hf_generate): its telemetry is switched off first (``models/offline.py``), and the workers
inherit the environment.
"""

from __future__ import annotations

from models.offline import disable_onnxruntime_telemetry

disable_onnxruntime_telemetry()
