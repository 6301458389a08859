"""Shared fixtures: a tiny exported bundle (made here) and the real default bundle."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Before anything in the test process can load onnxruntime (torch.onnx, optimum): no telemetry
# from the test run either. The privacy tests start their probes without it on purpose.
os.environ["ORT_DISABLE_TELEMETRY"] = "1"
# The runtime loads the meaning scorer when its bundle is built; each test chooses its own
# (a stand-in, the real one by name, or none) so the tiny and real students stay comparable.
os.environ.setdefault("PARAPHRASE_STUDIO_SCORER", "none")
# Which bundle files already matched their sha256 (models.verified_files): the test run keeps its
# own record, so it neither reads nor fills the user's.
os.environ.setdefault("PARAPHRASE_STUDIO_VERIFIED_FILES",
                      str(Path(tempfile.mkdtemp(prefix="paraphrase-studio-tests-")) / "verified-files.json"))


@pytest.fixture(scope="session")
def tiny_checkpoint(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("torch")
    from tiny_model import make_tiny_checkpoint

    return make_tiny_checkpoint(tmp_path_factory.mktemp("tiny") / "checkpoint")


@pytest.fixture(scope="session")
def tiny_bundle(tiny_checkpoint: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny model through the real export pipeline (8-bit fused graph → parity → bundle)."""
    from export.pipeline import ExportRequest, build_bundle
    from tiny_model import TINY_TEMPLATE

    request = ExportRequest(name="tiny", template=TINY_TEMPLATE, base=tiny_checkpoint, min_agreement=0.0,
                            out_root=tmp_path_factory.mktemp("bundles"))
    return build_bundle(request)


@pytest.fixture(scope="session")
def default_bundle() -> Path:
    """The real default bundle, built by ``./studio build``/``./studio test``.

    Outside CI a missing bundle skips these tests with the command that builds it; in CI
    (``CI`` set) it fails, because ``./studio test`` builds it first.
    """
    from models.catalog import DEFAULT_BUNDLE, resolve_bundle

    folder = resolve_bundle(None)
    if not (folder / "manifest.json").is_file():
        message = f"default bundle {DEFAULT_BUNDLE} is not built: run ./studio build"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return folder


@pytest.fixture(scope="session")
def default_paraphraser(default_bundle: Path):  # noqa: ANN201
    from models import Paraphraser

    return Paraphraser.load(default_bundle)
