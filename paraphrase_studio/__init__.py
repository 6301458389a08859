"""The ``paraphrase-studio`` command (``paraphrase_studio.cli:main``).

onnxruntime's telemetry is switched off here, before any subcommand can load onnxruntime:
the same as ``models.offline.disable_onnxruntime_telemetry()`` (see there for why the value is
forced and must be set before the import), written out with ``os`` alone because this package
must not import the runtime: what runs before ``cli.main()`` is outside its Ctrl-C guard
(``tests/runtime/test_cli_contract.py``). ``models/__init__`` calls the helper again when a
subcommand loads the runtime; ``tests/runtime/test_privacy_entry_points.py`` checks both.
"""

from __future__ import annotations

import os

os.environ["ORT_DISABLE_TELEMETRY"] = "1"  # models.offline.TELEMETRY_ENV
