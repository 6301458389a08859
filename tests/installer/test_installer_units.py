"""Fast checks of the installer's guard rails: the forbidden-package check can fail, and the
frozen app finds its bundle inside itself and never offers to build one."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from installer.checks import ForbiddenContentError, check_dist, is_forbidden_module, is_forbidden_path
from installer.sizes import categorize

ROOT = Path(__file__).resolve().parents[2]


def _fake_app(root: Path, *extra: str) -> Path:
    app = root / "ParaphraseStudio"
    for relative in ("_internal/numpy/__init__.pyc", "_internal/bundles/student/model.onnx", *extra):
        (app / relative).parent.mkdir(parents=True, exist_ok=True)
        (app / relative).write_bytes(b"x")
    return app


@pytest.mark.parametrize("relative", [
    "_internal/torch/__init__.pyc",
    "_internal/torch/lib/libtorch_cpu.so",
    "_internal/libtorch_cpu.so",
    "_internal/libc10.so",
    "_internal/transformers/models/llama/modeling_llama.pyc",
    "_internal/optimum/onnxruntime/__init__.pyc",
    "_internal/peft-0.13.2.dist-info/METADATA",
])
def test_check_fails_on_forbidden_content(tmp_path: Path, relative: str) -> None:
    app = _fake_app(tmp_path, relative)
    with pytest.raises(ForbiddenContentError, match="must not contain"):
        check_dist(app)


def test_check_passes_a_clean_folder(tmp_path: Path) -> None:
    check_dist(_fake_app(tmp_path))


def test_build_command_exits_non_zero_on_a_fake_torch(tmp_path: Path) -> None:
    """The same check the build runs, through the build script's own command line."""
    app = _fake_app(tmp_path, "_internal/torch/__init__.pyc")
    result = subprocess.run([sys.executable, "-m", "installer.build", "--check", str(app)], cwd=ROOT,
                            capture_output=True, text=True, check=False, timeout=120)
    assert result.returncode == 3, result.stdout + result.stderr
    assert "INSTALLER BUILD FAILED" in result.stderr and "torch/__init__.pyc" in result.stderr


def test_module_names() -> None:
    assert is_forbidden_module("torch.nn.functional")
    assert is_forbidden_module("peft")
    assert not is_forbidden_module("onnxruntime.transformers.fusion")  # ORT's own tools, not HF transformers
    assert not is_forbidden_module("torchlike")
    assert not is_forbidden_path("_internal/PySide6/Qt/lib/libQt6Core.so.6")


def test_size_categories() -> None:
    assert categorize("bundles/student/model.onnx") == "model"
    assert categorize("PySide6/Qt/lib/libicudata.so.73") == "Qt"
    assert categorize("libQt6Core.so.6") == "Qt"
    assert categorize("onnxruntime/capi/onnxruntime_pybind11_state.so") == "onnxruntime"
    assert categorize("numpy.libs/libscipy_openblas64_.so") == "numpy"
    assert categorize("libpython3.11.so.1.0") == "Python"
    assert categorize("python3.11/lib-dynload/_ssl.so") == "Python"
    assert categorize("libstdc++.so.6") == "other"


def test_frozen_catalog_looks_inside_the_app(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from models import catalog

    monkeypatch.delenv(catalog.BUNDLES_ENV, raising=False)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert catalog.bundles_dir() == tmp_path / "bundles"
    assert catalog.resolve_bundle(None) == tmp_path / "bundles" / catalog.DEFAULT_BUNDLE
    assert catalog.rebuild_command(catalog.DEFAULT_BUNDLE) == catalog.FROZEN_FIX
    monkeypatch.setenv(catalog.BUNDLES_ENV, str(tmp_path / "elsewhere"))
    assert catalog.bundles_dir() == tmp_path / "elsewhere"  # the override still wins


def test_frozen_app_never_offers_a_build(monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.rebuild import export_available

    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert export_available() is False


def test_frozen_dialog_explains_instead_of_offering_a_build(monkeypatch: pytest.MonkeyPatch, qtbot) -> None:  # noqa: ANN001
    pytest.importorskip("PySide6")
    from desktop.rebuild import export_available, rebuild_command_for
    from desktop.widgets.bundle_dialog import BundleDialog
    from models import BundleError
    from models.catalog import DEFAULT_BUNDLE, FROZEN_FIX, rebuild_command

    monkeypatch.setattr(sys, "frozen", True, raising=False)
    error = BundleError("file tokenizer.json is truncated", bundle=DEFAULT_BUNDLE,
                        rebuild_command=rebuild_command(DEFAULT_BUNDLE))
    dialog = BundleDialog(error, rebuild_command_for(None), missing=False, can_build=export_available())
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.build_button.isVisible()
    assert not dialog.command_field.isVisible() and not dialog.copy_button.isVisible()
    assert FROZEN_FIX in dialog.command_label.text()


def test_system_provided_libraries_leave_with_what_only_they_link(monkeypatch: pytest.MonkeyPatch) -> None:
    from installer import linkage

    monkeypatch.setattr(sys, "platform", "linux")
    graph = {"ext.so": ["libQt6DBus.so.6", "libxcb.so.1"], "libQt6DBus.so.6": ["libdbus-1.so.3", "libzstd.so.1"],
             "libdbus-1.so.3": ["libsystemd.so.0"], "libsystemd.so.0": ["libgcrypt.so.20", "libzstd.so.1"],
             "libxcb.so.1": ["libXau.so.6"]}
    names = ["ext.so", "libQt6DBus.so.6", "libdbus-1.so.3", "libsystemd.so.0", "libgcrypt.so.20", "libzstd.so.1",
             "libXau.so.6"]  # libxcb.so.1 itself is not bundled (PyInstaller's exclude list)
    entries = [(name, f"/src/{name}", "EXTENSION" if name == "ext.so" else "BINARY") for name in names]
    entries.append(("libdbus-1.so", "libdbus-1.so.3", "SYMLINK"))
    kept = linkage.drop_system_provided(entries, lambda entry: entry[2] == "EXTENSION", provided=["libdbus-1.so.3"],
                                        needed_of=lambda src: graph.get(Path(src).name, []))
    assert [entry[0] for entry in kept] == ["ext.so", "libQt6DBus.so.6", "libzstd.so.1", "libdbus-1.so"]


def test_an_unreadable_binary_keeps_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    from installer import linkage

    monkeypatch.setattr(sys, "platform", "linux")
    entries = [("ext.so", "/src/ext.so", "EXTENSION"), ("libdbus-1.so.3", "/src/libdbus-1.so.3", "BINARY")]

    def unreadable(src: str) -> list[str]:
        raise OSError(f"readelf cannot read {src}")

    assert linkage.drop_system_provided(entries, lambda entry: entry[2] == "EXTENSION", needed_of=unreadable) == entries


def test_strip_skips_only_auditwheel_vendored_libraries(tmp_path: Path) -> None:
    from installer.strip import patched_by_auditwheel

    (tmp_path / "numpy.libs").mkdir()
    assert patched_by_auditwheel(tmp_path / "numpy.libs" / "libscipy_openblas64_.so")
    assert not patched_by_auditwheel(tmp_path / "numpy" / "_core" / "_multiarray_umath.so")
    assert not patched_by_auditwheel(tmp_path / "PySide6" / "Qt" / "lib" / "libQt6Core.so.6")
