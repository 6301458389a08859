"""Paraphrase Studio desktop app (PySide6).

Layout follows Buzz: ``widgets/`` holds widgets only, ``workers.py`` keeps every model
call off the GUI thread, ``app.py`` is the entry point. Non-widget helpers (storage,
sentence sessions, quality hints, themes) sit next to them so they can be tested alone.
"""

from __future__ import annotations

APP_NAME = "Paraphrase Studio"
ORG_NAME = "ParaphraseStudio"
ORG_DOMAIN = "paraphrase-studio.local"
