"""``python -m paraphrase_studio`` is the same as the ``paraphrase-studio`` command."""

from __future__ import annotations

import sys

try:
    from .cli import main
except KeyboardInterrupt:  # Ctrl-C while the command's module loads: as quiet as later ones
    print("paraphrase-studio: interrupted", file=sys.stderr)
    sys.exit(130)

sys.exit(main())
