"""``python -m paraphrase_studio`` is the same as the ``paraphrase-studio`` command."""

from __future__ import annotations

import sys

from .cli import main

sys.exit(main())
