"""The damaged-model dialog: no key starts or stops a build, and the button runs the command shown."""

from __future__ import annotations


import json
import shlex
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

import desktop.widgets.bundle_dialog as dialog_module
from desktop.rebuild import RebuildCommand, rebuild_command_for
from desktop.storage import Storage
from desktop.widgets.bundle_dialog import BundleDialog
from desktop.widgets.main_window import MainWindow
from models import Paraphraser
from models.errors import BundleError
from models.catalog import DEFAULT_BUNDLE

_ERROR = BundleError("Model bundle 'demo': file model.onnx is corrupt (sha256 mismatch).", bundle="demo",
                     rebuild_command="paraphrase-studio export --name demo --force")


def _harmless(seconds: float = 0.0) -> RebuildCommand:
    """A stand-in for ``paraphrase-studio export`` (a real build takes minutes)."""
    return RebuildCommand(sys.executable, ["-c", f"import time; time.sleep({seconds})"])


def _open(qtbot, command: RebuildCommand) -> BundleDialog:  # noqa: ANN001
    dialog = BundleDialog(_ERROR, command, missing=False, can_build=True)
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitExposed(dialog)
    return dialog


@pytest.mark.parametrize("key", [Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter])
def test_a_stray_key_on_the_fresh_dialog_starts_no_build(qtbot, key: Qt.Key) -> None:  # noqa: ANN001
    dialog = _open(qtbot, _harmless())
    focused = dialog.focusWidget()
    qtbot.keyClick(focused, key)
    assert dialog.process is None  # nothing started; the key closed the dialog, which is harmless
    assert not dialog.isVisible()
    assert focused is dialog.close_button and dialog.close_button.isDefault()
    assert not dialog.build_button.isDefault() and not dialog.build_button.autoDefault()


def test_keys_during_a_build_neither_stop_it_nor_close_the_dialog(qtbot) -> None:  # noqa: ANN001
    dialog = _open(qtbot, _harmless(30))
    qtbot.mouseClick(dialog.build_button, Qt.MouseButton.LeftButton)  # a deliberate click starts it
    assert dialog.process is not None
    qtbot.waitUntil(lambda: dialog.process.processId() > 0, timeout=10_000)
    for key in (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter):
        qtbot.keyClick(dialog.focusWidget(), key)
    assert dialog.process is not None and dialog.isVisible()
    assert not any(button.isDefault() for button in (dialog.close_button, dialog.stop_button, dialog.build_button))
    dialog.stop_build()
    qtbot.waitUntil(lambda: dialog.process is None, timeout=10_000)
    assert dialog.close_button.isDefault()  # idle again: Enter closes


def test_for_a_folder_bundle_the_dialog_shows_and_runs_one_command_naming_that_folder(
        qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    folder = tmp_path / "my bundles" / "custom-student"
    folder.mkdir(parents=True)  # a folder without a manifest: "incomplete"
    with pytest.raises(BundleError) as info:
        Paraphraser.load(str(folder))
    command = rebuild_command_for(str(folder))
    expected = ["export", "--name", "custom-student", "--out", str(folder.parent), "--force"]
    assert list(command.export_arguments) == expected
    assert info.value.rebuild_command == command.display()  # the CLI's message says the same command

    started: list[tuple[str, list[str]]] = []

    class RecordingProcess(dialog_module.QProcess):
        def start(self, program: str, arguments: list[str]) -> None:  # noqa: D102 - records instead of running
            started.append((program, list(arguments)))

    monkeypatch.setattr(dialog_module, "QProcess", RecordingProcess)
    dialog = _open(qtbot, command)
    shown = dialog.command_field.text()
    assert shlex.split(shown) == ["paraphrase-studio", *expected]
    qtbot.mouseClick(dialog.build_button, Qt.MouseButton.LeftButton)
    (program, arguments), = started
    assert (program, arguments) == (command.program, command.arguments)
    assert arguments[-len(expected):] == shlex.split(shown)[1:]  # exactly the arguments on screen
    dialog.process = None  # nothing really runs; let the dialog close cleanly


def test_the_window_opens_the_dialog_with_the_folder_command(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    folder = tmp_path / "elsewhere" / DEFAULT_BUNDLE  # the default's name: no --recipe in the command
    folder.mkdir(parents=True)
    manifest = {"format_version": 2, "name": folder.name,
                "model": {"file": "model.onnx", "num_layers": 1, "num_kv_heads": 1, "head_dim": 8,
                          "vocab_size": 64, "max_positions": 64},
                "prompt": {"template": "Sentence: {text}\nParaphrase:", "stop_token_ids": [2]},
                "files": {"model.onnx": {"sha256": "0" * 64}, "tokenizer.json": {"sha256": "0" * 64, "size": 2}}}
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")  # 'size' missing: was a bare KeyError
    window = MainWindow(Storage(tmp_path / "data"), bundle=str(folder), load=False)  # the real dialog factory
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.model_failed, timeout=30_000) as blocker:
        window.load_model()
    error = blocker.args[0]
    dialog = window.bundle_dialog
    assert isinstance(dialog, BundleDialog)
    assert dialog.command_field.text() == f"paraphrase-studio export --out {tmp_path / 'elsewhere'} --force"
    assert error.rebuild_command == dialog.command_field.text()
    assert "manifest.json" in dialog.detail.text() and "files['model.onnx'] has no 'size'" in dialog.detail.text()
    dialog.close()
    window.close()
