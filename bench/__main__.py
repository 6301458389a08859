"""``python -m bench``: the same as ``paraphrase-studio bench``."""

from __future__ import annotations

import sys

from .cli import main

sys.exit(main())
