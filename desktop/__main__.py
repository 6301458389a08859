"""``python -m desktop`` starts the desktop app (same flags as ``paraphrase-studio app``)."""

from __future__ import annotations

import sys

from .app import main

sys.exit(main())
