"""Missing and damaged bundles: a clear dialog, the exact rebuild command, the app stays open."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop.rebuild import RebuildCommand, export_available
from desktop.storage import Storage
from desktop.widgets.bundle_dialog import BundleDialog
from desktop.widgets.main_window import MainWindow
from models.bundle import read_manifest
from models.catalog import BUNDLES_ENV, DEFAULT_BUNDLE, rebuild_command
from models.errors import BundleError

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def corrupt_bundles(default_bundle: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the default bundle with one byte of the tokenizer flipped (same size, wrong sha256)."""
    root = tmp_path / "bundles"
    copy = root / DEFAULT_BUNDLE
    copy.mkdir(parents=True)
    tokenizer = read_manifest(default_bundle).tokenizer_file
    for item in default_bundle.iterdir():
        if item.name == tokenizer:
            shutil.copy2(item, copy / item.name)
        else:
            (copy / item.name).symlink_to(item)  # the 170 MB model is read, never written
    data = bytearray((copy / tokenizer).read_bytes())
    data[len(data) // 2] ^= 0x20
    (copy / tokenizer).write_bytes(bytes(data))
    monkeypatch.setenv(BUNDLES_ENV, str(root))
    return root


@pytest.fixture
def empty_bundles(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "no-bundles"
    root.mkdir()
    monkeypatch.setenv(BUNDLES_ENV, str(root))
    return root


def test_a_corrupt_bundle_opens_a_clear_dialog_and_the_app_stays_open(qtbot, corrupt_bundles: Path,  # noqa: ANN001
                                                                       tmp_path: Path) -> None:
    window = MainWindow(Storage(tmp_path / "data"), load=False)  # the real dialog factory
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.model_failed, timeout=30_000) as blocker:  # loads on the worker thread
        window.load_model()
    error = blocker.args[0]
    assert isinstance(error, BundleError) and "corrupt" in str(error)

    dialog = window.bundle_dialog
    assert isinstance(dialog, BundleDialog) and dialog.isVisible()
    assert dialog.windowTitle() == "Model damaged"
    assert f"{read_manifest(corrupt_bundles / DEFAULT_BUNDLE).tokenizer_file} is corrupt" in dialog.detail.text()
    assert dialog.command_field.text() == dialog.command.display() == "paraphrase-studio export --force"
    assert dialog.command_field.text() in rebuild_command(DEFAULT_BUNDLE)  # the same command the error names
    assert dialog.build_button.isVisible() == export_available()
    assert window.isVisible() and "No model" in window.model_label.text()
    assert window.banner.isVisible()

    dialog.close()
    window.editor.setPlainText("Still typing while the model is broken.")  # the window still works
    window.paraphrase()
    assert window.bundle_dialog.isVisible()  # Paraphrase explains the problem again instead of failing
    assert not window.worker.busy
    window.bundle_dialog.close()
    window.close()


def test_a_missing_bundle_names_the_command_that_builds_it(qtbot, empty_bundles: Path, tmp_path: Path) -> None:  # noqa: ANN001
    calls: list[tuple[Exception, RebuildCommand, bool]] = []

    def factory(error, command, missing, parent):  # noqa: ANN001, ANN202
        calls.append((error, command, missing))
        return BundleDialog(error, command, missing=missing, can_build=False, parent=parent)

    window = MainWindow(Storage(tmp_path / "data"), load=False, dialog_factory=factory)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.model_failed, timeout=10_000):
        window.load_model()
    (error, command, missing), = calls
    assert missing and "not installed" in str(error)
    dialog = window.bundle_dialog
    assert dialog.windowTitle() == "Model not installed"
    assert "./studio build" in dialog.command_label.text()
    assert dialog.command_field.text() == "paraphrase-studio export --force"  # exactly what the button runs
    assert not dialog.build_button.isVisible()
    assert "pip install 'paraphrase-studio[export]'" in dialog.note.text()
    assert command.arguments[-2:] == ["export", "--force"]
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text() == dialog.command_field.text()
    window.close()


def _fake_export(script: str) -> RebuildCommand:
    return RebuildCommand(sys.executable, ["-c", script])


def test_build_button_runs_the_command_and_shows_progress(qtbot) -> None:  # noqa: ANN001
    """The QProcess plumbing with a stand-in for ``paraphrase-studio export`` (a real build takes minutes)."""
    script = ("import sys, time\n"
              "for k in range(7):\n"
              "    sys.stderr.write(f'\\rexport demo: {k * 100 // 6:3d}%|###| {k}/6 [00:0{k}<00:06]')\n"
              "    sys.stderr.flush(); time.sleep(0.05)\n"
              "print('bundle ready: /tmp/demo')\n")
    error = BundleError("Model bundle 'demo' is not installed (no folder x).", bundle="demo",
                        rebuild_command="paraphrase-studio export --name demo --force")
    dialog = BundleDialog(error, _fake_export(script), missing=True, can_build=True)
    qtbot.addWidget(dialog)
    dialog.open()
    stages: list[int] = []
    dialog.progress.valueChanged.connect(stages.append)
    with qtbot.waitSignal(dialog.rebuilt, timeout=20_000):
        qtbot.mouseClick(dialog.build_button, Qt.MouseButton.LeftButton)
        assert dialog.progress.isVisible()
    assert max(stages) >= 5  # stage numbers were read from the exporter's progress bar
    assert "bundle ready" in dialog.log_view.toPlainText()
    assert not dialog.isVisible()  # closes itself; the window reloads the model


def test_a_failed_build_says_so_and_can_be_retried(qtbot) -> None:  # noqa: ANN001
    error = BundleError("Model bundle 'demo': file model.onnx is corrupt (sha256 mismatch).", bundle="demo",
                        rebuild_command="paraphrase-studio export --name demo --force")
    dialog = BundleDialog(error, _fake_export("import sys; print('no base weights'); sys.exit(3)"),
                          missing=False, can_build=True)
    qtbot.addWidget(dialog)
    dialog.open()
    dialog.start_build()
    qtbot.waitUntil(lambda: dialog.process is None, timeout=20_000)
    assert "exit code 3" in dialog.progress_label.text()
    assert dialog.build_button.isEnabled() and dialog.isVisible()


def _self_test(env_extra: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **env_extra}
    return subprocess.run([sys.executable, "-m", "desktop", "--self-test"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=300)


def test_self_test_prints_one_json_line_and_exits_zero(default_bundle: Path) -> None:
    done = _self_test({})
    assert done.returncode == 0, done.stderr
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    assert len(lines) == 1
    report = json.loads(lines[0])
    assert report["ok"] is True and report["model"] == DEFAULT_BUNDLE
    assert len(report["candidates"]) == 5 and all(c["text"] for c in report["candidates"])
    for key in ("load_ms", "first_candidate_ms", "total_ms"):
        assert report[key] > 0
    assert report["first_candidate_ms"] <= report["total_ms"]
    print("self-test:", {k: v for k, v in report.items() if k.endswith("_ms")})


def test_self_test_fails_cleanly_without_a_bundle(empty_bundles: Path) -> None:
    done = _self_test({BUNDLES_ENV: str(empty_bundles)})
    assert done.returncode != 0
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["ok"] is False and "not installed" in report["error"]
    assert "./studio build" in done.stderr
