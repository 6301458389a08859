"""The real students ``./studio build`` builds, by name, for tests pinned to one of them.

Most real-model tests run the default student (``default_bundle`` in ``tests/conftest.py``);
a test whose point is one particular student (v1: the uncontrolled prompt; v2: the control
codes) names it here instead, so a change of default does not silently change what it proves.
A missing bundle skips outside CI with the build command, and fails in CI, like the default.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

#: The uncontrolled student (one mode, template ``Sentence: {text}\nParaphrase:``).
UNCONTROLLED = "smollm2-135m-student-v1"
#: The controlled student (modes standard, simpler, shorter; codes in every prompt).
CONTROLLED = "smollm2-135m-student-v2"


def built_bundle(name: str) -> Path:
    """The folder of the built student ``name``; skips (fails in CI) when it is not built."""
    from models.catalog import MANIFEST_NAME, resolve_bundle

    folder = resolve_bundle(name)
    if not (folder / MANIFEST_NAME).is_file():
        message = f"student {name} is not built: run ./studio build"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return folder
