"""The model in use: loading it, switching students from the Model menu, its modes, its bundle dialog.

Part of :class:`desktop.widgets.main_window.MainWindow` (a mixin, so the window stays
readable). Every load, at start-up or from the Model menu, goes through the same path:
:meth:`desktop.workers.ModelWorker.load` on the worker's thread, "Loading …" with a busy
bar in the status bar, then ``model_loaded`` or ``model_failed``.

Switching students keeps the editor's text, the history and the alternatives on screen;
while the new one loads, Paraphrase is disabled (a request already made waits for it).
If it fails (a damaged or missing bundle), the same dialog as at start-up explains how to
fix it, and the previous student stays in use. The choice is remembered
(:attr:`desktop.storage.AppSettings.student`); a remembered student that is no longer
installed gives way to the default, said once in the status bar (:func:`desktop.students.start_student`).

The Mode selector offers the loaded student's modes; the writer's last choice is
remembered (:attr:`desktop.storage.AppSettings.mode`) and, where the student lacks it,
standard is used instead, without an error.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog

from models import BundleError
from models.bundle import MANIFEST_NAME
from models.catalog import resolve_bundle
from models.controls import STANDARD_MODE

from ..rebuild import rebuild_command_for
from ..students import installed_students, menu_items, remembered_name, start_student

if TYPE_CHECKING:
    from .main_window import MainWindow

log = logging.getLogger("desktop.widgets.main_window")

#: How long model messages stay in the status bar (ms).
MESSAGE_MS = 20_000


def bundle_name(bundle: str | None) -> str:
    """The name the Model menu knows a bundle by (its folder's name; the default for None)."""
    return resolve_bundle(bundle).name


class ModelFlow:
    """Loading, the Model menu, the Mode selector, the bundle dialog (see the module docstring)."""

    def _wire_models(self: MainWindow) -> None:
        self.menus.student_chosen.connect(self.choose_student)
        self.menus.students_wanted.connect(self.refresh_students)
        self.controls.mode_chosen.connect(self._on_mode_chosen)

    def _start_bundle(self: MainWindow, bundle: str | None) -> str | None:
        """The bundle to load first: ``--bundle`` if given, else the remembered student if installed."""
        if bundle is not None:
            return bundle
        if not self.settings.student:  # nothing chosen yet: the default, without listing anything
            return None
        chosen, message = start_student(self.settings.student, installed_students())
        if message:
            log.info("%s", message)
            self.settings.student = ""  # said once: the default is now the choice
            self.statusBar().showMessage(message, MESSAGE_MS)
        return chosen

    # -- loading -------------------------------------------------------------------------

    def load_model(self: MainWindow) -> None:
        """Load (or reload, after a rebuild) the bundle in use on the worker thread."""
        self._load(self.bundle)

    def choose_student(self: MainWindow, name: str) -> None:
        """The Model menu's choice: load student ``name`` in place of the one in use."""
        if self.worker.loading or (self.worker.paraphraser is not None and name == self.current_student()):
            self.menus.check_student(self.current_student())
            return
        self.cancel()  # a run under way belongs to the outgoing student
        self._load(name)

    def _load(self: MainWindow, bundle: str | None) -> None:
        self.load_error = None
        self._loading_bundle = bundle
        switching = self.worker.paraphraser is not None
        self.model_status.loading(bundle_name(bundle) if switching else None)
        self.menus.set_students_enabled(False)
        self.worker.load(bundle)
        self._update_buttons()

    def current_student(self: MainWindow) -> str:
        """The name of the model in use, or of the one the window is loading at start-up."""
        paraphraser = self.worker.paraphraser
        return paraphraser.name if paraphraser is not None else bundle_name(self.bundle)

    def _on_model_loaded(self: MainWindow, name: str, load_ms: float) -> None:
        bundle = self._loading_bundle
        if bundle != self.bundle:  # another student now writes: remember it, forget the old one's work
            self.bundle = bundle
            self.settings.student = remembered_name(bundle_name(bundle))
            self.alternatives.forget_written()
            self.statusBar().showMessage(f"Now writing with {name}", MESSAGE_MS)
        self.load_ms = load_ms
        self.model_status.loaded(self.worker.paraphraser, name, load_ms)
        self.banner.dismiss()
        self._apply_modes()
        self.refresh_students()
        self._update_buttons()
        self.model_ready.emit(name)
        if self._pending:
            self._pending = False
            self.paraphrase()

    def _on_model_failed(self: MainWindow, error: Exception) -> None:
        bundle = self._loading_bundle
        previous = self.worker.paraphraser
        if previous is not None:  # a switch failed: the student in use stays
            self.model_status.loaded(previous, previous.name, 0.0)
            self.statusBar().showMessage(f"The model {bundle_name(bundle)} could not be loaded; "
                                         f"still writing with {previous.name}.", MESSAGE_MS)
            self.refresh_students()
            self._update_buttons()
            self.model_failed.emit(error)
            self._open_bundle_dialog(error, bundle)
            if self._pending:  # asked for while loading: the student in use writes it
                self._pending = False
                self.paraphrase()
            return
        self.bundle = bundle
        self.load_error = error
        self._pending = False
        self.model_status.failed()
        self.banner.say("The paraphrasing model could not be loaded. Press Paraphrase to see how to fix it.",
                        kind="model")
        self.refresh_students()
        self._update_buttons()
        self.model_failed.emit(error)
        self.show_bundle_dialog(error)

    def refresh_students(self: MainWindow) -> None:
        """List the installed students in the Model menu again (it opens; a model loaded or failed)."""
        loading = self.worker.loading
        checked = bundle_name(self._loading_bundle) if loading else self.current_student()
        self.menus.set_students(menu_items(installed_students(), self.current_student()), checked,
                                enabled=not loading)

    # -- modes ---------------------------------------------------------------------------

    def _apply_modes(self: MainWindow) -> None:
        """Offer the loaded student's modes, the remembered one selected if it has it (else standard)."""
        modes = tuple(getattr(self.worker.paraphraser, "modes", None) or (STANDARD_MODE,))
        self.controls.set_modes(modes, self.settings.mode)

    def _on_mode_chosen(self: MainWindow, mode: str) -> None:
        self.settings.mode = mode

    # -- the bundle dialog ---------------------------------------------------------------

    def show_bundle_dialog(self: MainWindow, error: Exception) -> QDialog:
        """Open the missing/damaged-model dialog for the bundle in use, without blocking the window."""
        return self._open_bundle_dialog(error, self.bundle)

    def _open_bundle_dialog(self: MainWindow, error: Exception, bundle: str | None) -> QDialog:
        if self.bundle_dialog is not None:
            if self.bundle_dialog.isVisible():
                return self.bundle_dialog
            if getattr(self.bundle_dialog, "error", None) is error:  # same problem: show the same dialog
                self.bundle_dialog.open()
                return self.bundle_dialog
            self.bundle_dialog.deleteLater()
        missing = isinstance(error, BundleError) and not (resolve_bundle(bundle) / MANIFEST_NAME).is_file()
        dialog = self.dialog_factory(error, rebuild_command_for(bundle), missing, self)
        rebuilt = getattr(dialog, "rebuilt", None)
        if rebuilt is not None:
            rebuilt.connect(lambda: self._load(bundle))  # the rebuilt student is the one wanted
        self.bundle_dialog = dialog
        dialog.open()
        return dialog
