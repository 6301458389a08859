"""The export pipeline's promises: parity gate, atomic write, idempotent rebuild."""

from __future__ import annotations

from pathlib import Path

import pytest

from export.pipeline import ExportRequest, ParityError, build_bundle, is_current
from export.base_weights import resolve_base
from tiny_model import TINY_TEMPLATE


def test_bundle_below_agreement_threshold_is_refused_and_not_written(tiny_checkpoint: Path, tmp_path: Path) -> None:
    request = ExportRequest(name="strict", template=TINY_TEMPLATE, base=tiny_checkpoint, min_agreement=1.01,
                            out_root=tmp_path, parity_sentences=["the cat sat ."])
    with pytest.raises(ParityError, match="below the threshold"):
        build_bundle(request)
    assert not (tmp_path / "strict").exists()
    assert [p.name for p in tmp_path.iterdir()] == []  # no temporary leftovers


def test_up_to_date_bundle_is_not_rebuilt_and_a_recipe_change_is_stale(tiny_bundle: Path, tiny_checkpoint: Path) -> None:
    request = ExportRequest(name="tiny", template=TINY_TEMPLATE, base=tiny_checkpoint, min_agreement=0.0,
                            out_root=tiny_bundle.parent)
    before = (tiny_bundle / "model.onnx").stat().st_mtime_ns
    assert build_bundle(request, if_stale=True) == tiny_bundle
    assert (tiny_bundle / "model.onnx").stat().st_mtime_ns == before
    base = resolve_base(tiny_checkpoint)
    assert is_current(request, base)
    request.template = "Text: {text}\nRewrite:"
    assert not is_current(request, base)
