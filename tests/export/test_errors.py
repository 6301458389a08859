"""Export's errors belong to the one hierarchy the CLI and the app catch, and say what to do."""

from __future__ import annotations

import pytest

from export.deps import INSTALL_HINT, MissingDependencyError, require
from models.errors import ParaphraseStudioError


def test_a_missing_extra_is_a_studio_error_and_still_an_import_error() -> None:
    with pytest.raises(MissingDependencyError) as info:
        require("paraphrase_studio_no_such_module")
    assert isinstance(info.value, ParaphraseStudioError)
    assert isinstance(info.value, ImportError)  # callers that treat a failed import as "extra missing"
    assert "paraphrase_studio_no_such_module" in str(info.value) and INSTALL_HINT in str(info.value)


def test_a_refused_bundle_is_a_studio_error_and_still_a_runtime_error() -> None:
    from export.pipeline import ParityError

    assert issubclass(ParityError, ParaphraseStudioError)
    assert issubclass(ParityError, RuntimeError)
