"""Paraphrase Studio desktop app (PySide6).

Layout follows Buzz: ``widgets/`` holds widgets only, ``workers.py`` keeps every model
call off the GUI thread, ``app.py`` is the entry point. Non-widget helpers (storage,
sentence sessions, quality hints, themes) sit next to them so they can be tested alone.
"""

from __future__ import annotations

# onnxruntime's telemetry off before anything here can load it (models/offline.py).
from models.offline import disable_onnxruntime_telemetry

disable_onnxruntime_telemetry()

APP_NAME = "Paraphrase Studio"
ORG_NAME = "ParaphraseStudio"
ORG_DOMAIN = "paraphrase-studio.local"
