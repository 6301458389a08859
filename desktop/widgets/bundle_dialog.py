"""The dialog for a missing or damaged model bundle, with a button that rebuilds it.

It says what is wrong, shows the exact command that fixes it (copyable) and, when the export
tools are installed, runs that very command (the same :class:`desktop.rebuild.RebuildCommand`)
in a :class:`QProcess` with a progress bar fed by the exporter's own stage counter. The window
behind it stays usable: the dialog is opened with ``open()``, never ``exec()``.

A build takes minutes, so no key starts or stops one by accident: the harmless Close button
is the default and has the focus, the build buttons are never default (every
:class:`QPushButton` in a :class:`QDialog` is auto-default unless told otherwise), and while
a build runs Enter does nothing and the focus rests on the read-only output.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QProcess, QProcessEnvironment, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit,
                               QProgressBar, QPushButton, QVBoxLayout, QWidget)

from models.catalog import FROZEN_FIX, is_frozen
from models.errors import BundleError

from ..rebuild import RebuildCommand, parse_progress, readable_line

log = logging.getLogger(__name__)

#: How long a cancelled build gets to stop before it is killed.
TERMINATE_GRACE_MS = 3000


def error_summary(error: Exception) -> str:
    """The error's own message without the "Rebuild it with" line (shown separately).

    Exceptions whose text alone says nothing (a ``KeyError`` prints just ``'size'``) get
    their kind in front, so the dialog never shows a bare word.
    """
    text = str(error).split("\nRebuild it with:", 1)[0].strip()
    if isinstance(error, BundleError) and text:
        return text
    kind = type(error).__name__
    return f"{kind}: {text}" if text else kind


def _command_intro(command: RebuildCommand) -> str:
    """The line above the command; the default bundle can also be built by the set-up script."""
    intro = "Build it with this command (run it in the project folder)"
    if command.export_arguments == ("export", "--force"):
        intro += "; ./studio build does the same from a fresh checkout"
    return intro + ":"


class BundleDialog(QDialog):
    """Explains a bundle problem; ``rebuilt`` fires after a successful build from here."""

    rebuilt = Signal()

    def __init__(self, error: Exception, command: RebuildCommand, *, missing: bool, can_build: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.error = error
        self.command = command
        self.missing = missing
        self.process: QProcess | None = None
        self._output = ""
        self.setObjectName("bundleDialog")
        self.setWindowTitle("Model not installed" if missing else "Model damaged")
        self.setAccessibleName(self.windowTitle())
        self.setMinimumWidth(560)

        headline = ("The paraphrasing model is not installed yet." if missing
                    else "The paraphrasing model is damaged and cannot be used.")
        self.headline = QLabel(headline)
        self.headline.setObjectName("sectionTitle")
        self.headline.setWordWrap(True)
        self.detail = QLabel(error_summary(error))
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setAccessibleName("What is wrong")

        frozen = is_frozen()  # the packaged app: no build tools, no project folder
        rebuild_text = FROZEN_FIX if frozen else command.display()  # exactly what Build model now runs
        self.command_label = QLabel(_command_intro(command))
        self.command_field = QLineEdit(rebuild_text)
        self.command_field.setReadOnly(True)
        self.command_field.setAccessibleName("Command that builds the model")
        self.command_label.setBuddy(self.command_field)
        self.copy_button = QPushButton("Copy command")
        self.copy_button.setAccessibleName("Copy command")
        self.copy_button.clicked.connect(self._copy_command)
        command_row = QHBoxLayout()
        command_row.addWidget(self.command_field, 1)
        command_row.addWidget(self.copy_button)
        if frozen:  # nothing to type or copy: a sentence reads better than a command field
            self.command_label.setText(f"To fix it, {rebuild_text}.")
            self.command_label.setWordWrap(True)
            self.command_field.hide()
            self.copy_button.hide()

        self.note = QLabel()
        self.note.setObjectName("mutedLabel")
        self.note.setWordWrap(True)
        if frozen:
            self.note.setText("This installed copy of Paraphrase Studio cannot build models itself: "
                              "the model ships inside the download.")
        elif can_build:
            self.note.setText("Or build it from here: it takes a few minutes and works offline "
                              "once the base weights are installed.")
        else:
            self.note.setText("Building needs the export tools (PyTorch), which are not installed in this "
                              "environment: pip install 'paraphrase-studio[export]', then run the command above.")

        self.progress = QProgressBar()
        self.progress.setAccessibleName("Build progress")
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.progress_label = QLabel("")
        self.progress_label.setObjectName("mutedLabel")
        self.progress_label.setAccessibleName("Build status")
        self.progress_label.hide()
        self.log_view = QPlainTextEdit()
        self.log_view.setReadOnly(True)
        self.log_view.setAccessibleName("Build output")
        self.log_view.setMaximumBlockCount(2000)
        self.log_view.setFixedHeight(140)
        self.log_view.hide()

        self.buttons = QDialogButtonBox()
        self.build_button = self.buttons.addButton("Build model now", QDialogButtonBox.ButtonRole.ActionRole)
        self.build_button.setAccessibleName("Build model now")
        self.build_button.setEnabled(can_build)
        self.build_button.setVisible(can_build)
        self.build_button.clicked.connect(self.start_build)
        self.stop_button = self.buttons.addButton("Stop build", QDialogButtonBox.ButtonRole.ActionRole)
        self.stop_button.setAccessibleName("Stop build")
        self.stop_button.hide()
        self.stop_button.clicked.connect(self.stop_build)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.close_button.setAccessibleName("Close")
        self.buttons.rejected.connect(self.reject)
        for button in (self.copy_button, self.build_button, self.stop_button):
            button.setAutoDefault(False)  # Enter or Space never starts, stops or repeats work
            button.setDefault(False)
        self._set_close_default(True)

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(self.headline)
        layout.addWidget(self.detail)
        layout.addSpacing(4)
        layout.addWidget(self.command_label)
        layout.addLayout(command_row)
        layout.addWidget(self.note)
        layout.addWidget(self.progress)
        layout.addWidget(self.progress_label)
        layout.addWidget(self.log_view)
        layout.addWidget(self.buttons)
        self.close_button.setFocus()

    def _set_close_default(self, on: bool) -> None:
        """Close is Enter's button while idle; during a build Enter does nothing at all."""
        self.close_button.setAutoDefault(on)
        self.close_button.setDefault(on)

    # -- actions -------------------------------------------------------------------------

    def _copy_command(self) -> None:
        QGuiApplication.clipboard().setText(self.command_field.text())
        self.copy_button.setText("Copied")
        # The button is the timer's context: if the dialog is gone by then, the call is dropped.
        QTimer.singleShot(1500, self.copy_button, lambda: self.copy_button.setText("Copy command"))

    def start_build(self) -> None:
        """Run the export command; progress comes from its output, success from its exit code."""
        if self.process is not None:
            return
        self._output = ""
        process = QProcess(self)
        process.setProcessChannelMode(QProcess.ProcessChannelMode.MergedChannels)
        environment = QProcessEnvironment.systemEnvironment()
        environment.insert("PYTHONUNBUFFERED", "1")
        process.setProcessEnvironment(environment)
        process.readyReadStandardOutput.connect(self._read_output)
        process.finished.connect(self._finished)
        process.errorOccurred.connect(self._process_error)
        self.process = process
        self._set_close_default(False)
        self.log_view.show()
        self.log_view.setFocus()  # Space and Enter there do nothing; the focus must not land on Stop
        self.build_button.setEnabled(False)
        self.stop_button.show()
        self.progress.setRange(0, 0)  # indeterminate until the exporter reports its first stage
        self.progress.show()
        self.progress_label.setText("Starting the build…")
        self.progress_label.show()
        log.info("rebuilding bundle: %s", self.command.display())
        process.start(self.command.program, self.command.arguments)

    def stop_build(self) -> None:
        if self.process is None:
            return
        self.progress_label.setText("Stopping…")
        self.process.terminate()
        process = self.process
        QTimer.singleShot(TERMINATE_GRACE_MS, process,
                          lambda: process.state() != QProcess.ProcessState.NotRunning and process.kill())

    def _read_output(self) -> None:
        if self.process is None:
            return
        chunk = bytes(self.process.readAllStandardOutput().data()).decode("utf-8", "replace")
        self._output += chunk
        stage = parse_progress(chunk)
        if stage is not None:
            done, total = stage
            self.progress.setRange(0, total)
            self.progress.setValue(done)
            self.progress.setFormat(f"Stage {done} of {total}")
        line = readable_line(chunk)
        if line:
            self.progress_label.setText(line[:160])
        for piece in chunk.replace("\r", "\n").splitlines():
            if piece.strip():
                self.log_view.appendPlainText(piece.rstrip())

    def _finished(self, exit_code: int, exit_status: QProcess.ExitStatus) -> None:
        self._read_output()
        self.process = None
        self.stop_button.hide()
        self._set_close_default(True)
        if exit_status == QProcess.ExitStatus.NormalExit and exit_code == 0:
            self.progress.setRange(0, 1)
            self.progress.setValue(1)
            self.progress.setFormat("Done")
            self.progress_label.setText("The model is built. Loading it…")
            self.rebuilt.emit()
            self.accept()
            return
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setFormat("Failed")
        self.progress_label.setText(f"The build stopped (exit code {exit_code}). See the output above.")
        self.build_button.setEnabled(True)

    def _process_error(self, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart:
            self.process = None
            self.stop_button.hide()
            self._set_close_default(True)
            self.progress.hide()
            self.progress_label.setText(f"Could not start {self.command.program}.")
            self.build_button.setEnabled(True)

    def done(self, result: int) -> None:  # noqa: D401 - Qt override
        """Closing the dialog stops a running build instead of leaving an orphan process."""
        if self.process is not None and self.process.state() != QProcess.ProcessState.NotRunning:
            log.warning("dialog closed during a build; stopping it")
            self.process.kill()
            self.process.waitForFinished(2000)
        super().done(result)
