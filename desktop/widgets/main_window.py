"""The main window: editor and controls above, the alternatives panel below, history at the side.

The window builds and wires parts that each do one thing: :class:`MenuBar` (actions as signals),
:class:`AlternativesPanel` (navigator, title, status, cards), :class:`MessageBanner` and
:class:`SaveNotice`, the model-info box, :class:`desktop.alternatives.Alternatives` (the
sentence session, what was written in it, the write-ahead decision; plain Python) and
:class:`desktop.workers.ModelWorker` (all model work, off the GUI thread). Its own logic
is in mixins: :class:`RunFlow` (asking for alternatives: runs, kept ones, writing
ahead), :class:`TextFlow` (using them: Use this, stepping, following the text),
:class:`KeepFlow` (Keep unchanged: words marked in the editor that every alternative keeps),
:class:`PhraseFlow` (double-click or Ctrl+J: instant alternatives for a word or phrase) and
:class:`ModelFlow` (loading the model, the Model menu's students, the Mode selector).

The sentence under the cursor is the one being paraphrased (highlighted); "Use this" swaps
it in place (one undo step) and moves on to the next sentence, so a long text is rewritten
sentence by sentence. A selection of several sentences is paraphrased as one text (with
"Paraphrasing… 12 / 140 sentences" while it runs) and "Use this" replaces them all.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QColor, QGuiApplication
from PySide6.QtWidgets import QDialog, QMainWindow, QSplitter, QWidget

from models import Paraphraser, ParaphraseResult

from .. import APP_NAME, theme
from ..alternatives import Alternatives
from ..rebuild import RebuildCommand, export_available
from ..storage import HistoryEntry, Storage
from ..workers import Loader, ModelWorker
from .alternatives_panel import AlternativesPanel
from .bundle_dialog import BundleDialog
from .history_panel import HistoryDock, HistoryPanel
from .input_panel import InputPanel
from .keep_flow import KeepFlow
from .menu_bar import MenuBar
from .model_flow import ModelFlow
from .model_info import ModelStatus, show_model_info
from .phrase_flow import PhraseFlow
from .run_flow import RunFlow
from .text_flow import TextFlow
from .window_state import restore_window_state, save_generation_settings, save_window_state

log = logging.getLogger(__name__)

#: Builds the bundle dialog; tests swap it to inspect dialogs without a modal loop.
DialogFactory = Callable[[Exception, RebuildCommand, bool, QWidget], QDialog]
#: Typing pauses this long before the sentence split and checks run again (big pastes stay smooth).
REFRESH_DELAY_MS = 150


def default_dialog_factory(error: Exception, command: RebuildCommand, missing: bool, parent: QWidget) -> QDialog:
    return BundleDialog(error, command, missing=missing, can_build=export_available(), parent=parent)


def _forward(part: str, name: str) -> property:
    """A read-only window attribute that is ``self.<part>.<name>`` (tests and tools keep their names)."""
    return property(lambda self: getattr(getattr(self, part), name), doc=f"``{part}.{name}``")


class MainWindow(QMainWindow, RunFlow, TextFlow, KeepFlow, PhraseFlow, ModelFlow):
    """Paraphrase Studio's single window."""

    #: Public hooks (self-test, tests): a card was put on screen; a run ended; the model is ready.
    candidate_shown = Signal(object)  # Candidate
    run_finished = Signal(object)  # ParaphraseResult
    model_ready = Signal(str)
    model_failed = Signal(object)

    editor, char_count, controls, paraphrase_button, shortcut_hint, cancel_button, banner, save_notice = (
        _forward("inputs", n) for n in ("editor", "char_count", "controls", "paraphrase_button", "shortcut_hint",
                                        "cancel_button", "banner", "save_notice"))
    model_label, timing_label, load_bar = (
        _forward("model_status", n) for n in ("model_label", "timing_label", "load_bar"))
    navigator, cards_title, cards_status, busy_bar, cards = (
        _forward("panel", n) for n in ("navigator", "cards_title", "cards_status", "busy_bar", "cards"))
    paraphrase_action, cancel_action, prev_action, next_action, use_actions, write_ahead_action, theme_actions = (
        _forward("menus", n) for n in ("paraphrase_action", "cancel_action", "prev_action", "next_action",
                                       "use_actions", "write_ahead_action", "theme_actions"))

    def __init__(self, storage: Storage, *, bundle: str | None = None, paraphraser: Paraphraser | None = None,
                 threads: int | None = None, dialog_factory: DialogFactory | None = None,
                 load: bool = True, loader: Loader | None = None, parent: QWidget | None = None) -> None:
        """``bundle``: a bundle name or folder (None: the student chosen last, else the default);
        ``paraphraser``: a model already loaded (tests); ``loader``: how the worker loads a
        bundle (tests swap it; default :meth:`models.Paraphraser.load`)."""
        super().__init__(parent)
        self.storage, self.settings, self.history = storage, storage.settings, storage.history
        self.bundle = bundle
        self._loading_bundle: str | None = bundle  # what the worker loads, until it reports back
        self.dialog_factory: DialogFactory = dialog_factory or default_dialog_factory
        self.bundle_dialog: QDialog | None = None
        self.load_error: Exception | None = None
        self.load_ms: float | None = None
        self.first_candidate_ms: float | None = None  # click -> first card on screen
        self.last_total_ms: float | None = None  # click -> last card on screen
        self.last_result: ParaphraseResult | None = None
        self.alternatives = Alternatives()
        self._pending = False  # Paraphrase pressed while the model was still loading
        self._clicked_at = 0.0
        self._too_long = False

        self.setWindowTitle(APP_NAME)
        self.setAccessibleName(APP_NAME)
        self.worker = ModelWorker(self, threads=threads, loader=loader)
        for signal, slot in ((self.worker.model_loaded, self._on_model_loaded),
                             (self.worker.model_failed, self._on_model_failed),
                             (self.worker.candidate_ready, self._on_candidate),
                             (self.worker.job_finished, self._on_job_finished),
                             (self.worker.job_failed, self._on_job_failed),
                             (self.worker.job_progress, self._on_job_progress),
                             (self.worker.written_ahead, self._on_written_ahead)):
            signal.connect(slot)

        self._build_widgets()
        self._build_menus()
        restore_window_state(self, self.splitter, self.controls, self.settings)
        self._apply_theme(self.settings.theme)
        hints = QGuiApplication.styleHints()
        if hasattr(hints, "colorSchemeChanged"):
            hints.colorSchemeChanged.connect(self._on_system_scheme_changed)

        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_DELAY_MS)
        self._refresh_timer.timeout.connect(self._refresh_text_state)
        self.editor.textChanged.connect(self._refresh_timer.start)
        self.editor.cursorPositionChanged.connect(self._refresh_timer.start)
        self._refresh_text_state()
        self._refresh_history()

        if paraphraser is not None:
            self.worker.set_paraphraser(paraphraser)
        else:
            self.bundle = self._loading_bundle = self._start_bundle(bundle)
            self.refresh_students()
            if load:
                self.load_model()

    # -- construction --------------------------------------------------------------------

    def _build_widgets(self) -> None:
        self.inputs = InputPanel()
        self.inputs.controls.changed.connect(lambda: save_generation_settings(self.controls, self.settings))
        self.inputs.paraphrase_button.clicked.connect(self.paraphrase)
        self.inputs.cancel_button.clicked.connect(self.cancel)
        self.panel = AlternativesPanel()
        self.panel.navigator.step.connect(self.step_sentence)
        self.panel.cards.copy_requested.connect(self.copy_candidate)
        self.panel.cards.use_requested.connect(self.use_candidate)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.inputs)
        self.splitter.addWidget(self.panel)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.setCentralWidget(self.splitter)

        self.history_panel = HistoryPanel()
        self.history_panel.restore_requested.connect(self.restore_history_entry)
        self.history_panel.copy_requested.connect(self.copy_history_entry)
        self.history_panel.clear_requested.connect(self.clear_history)
        self.history_dock = HistoryDock(self.history_panel, self)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.history_dock)
        self.model_status = ModelStatus(self.statusBar())

        # Tab order: editor -> style slider -> mode -> count -> Cancel -> Paraphrase -> sentence nav -> cards.
        chain = [self.editor, self.controls.slider, self.controls.mode_box, self.controls.count, self.cancel_button,
                 self.paraphrase_button, self.navigator.prev_button, self.navigator.next_button, self.cards]
        for first, second in zip(chain, chain[1:]):
            QWidget.setTabOrder(first, second)
        self.editor.setFocus()

    def _build_menus(self) -> None:
        self.menus = MenuBar(self.history_dock.toggleViewAction(), write_ahead=self.settings.write_ahead, parent=self)
        self.setMenuBar(self.menus)
        self.addActions(self.menus.use_actions)  # Ctrl+1…9 work without a menu entry each
        self.theme_group = self.menus.theme_group
        for signal, slot in ((self.menus.quit_requested, self.close),
                             (self.menus.paraphrase_requested, self.paraphrase),
                             (self.menus.cancel_requested, self.cancel),
                             (self.menus.step_requested, self.step_sentence),
                             (self.menus.use_requested, self.use_number),
                             (self.menus.write_ahead_toggled, self.set_write_ahead),
                             (self.menus.theme_chosen, self.set_theme),
                             (self.menus.model_info_requested, self.show_model_info),
                             (self.menus.shortcuts_requested, self.show_shortcuts)):
            signal.connect(slot)
        self.inputs.set_shortcut(self.menus.paraphrase_shortcut())
        self._wire_keep()
        self._wire_phrases()
        self._wire_models()

    # -- settings ------------------------------------------------------------------------

    def save_window_settings(self) -> None:
        save_window_state(self, self.splitter, self.controls, self.settings)

    def set_theme(self, choice: str) -> None:
        self.settings.theme = choice
        self._apply_theme(choice)

    def _apply_theme(self, choice: str) -> None:
        scheme = theme.apply_theme(choice)
        self.editor.set_highlight_color(QColor(theme.colors(scheme)["sentence"]))
        if choice in self.theme_actions:
            self.theme_actions[choice].setChecked(True)
        self._refresh_highlight()

    def _on_system_scheme_changed(self, *_args: object) -> None:
        if self.settings.theme == "system":
            self._apply_theme("system")

    # -- model ---------------------------------------------------------------------------

    def _model_name(self) -> str:
        return self.worker.paraphraser.name if self.worker.paraphraser else ""

    # -- history -------------------------------------------------------------------------

    def _refresh_history(self) -> None:
        """Show the entries, and whether they could be saved (every history change comes here)."""
        self.history_panel.set_entries(self.history.entries)
        self.save_notice.set_problem(self.storage.problem or self.history.save_error)

    def restore_history_entry(self, entry: HistoryEntry) -> None:
        self.editor.replace_all(entry.input)

    def copy_history_entry(self, entry: HistoryEntry) -> None:
        QGuiApplication.clipboard().setText(entry.chosen or entry.input)
        self.statusBar().showMessage("Copied to the clipboard", 2500)

    def clear_history(self) -> None:
        self.history.clear()
        self._refresh_history()

    def _update_buttons(self) -> None:
        busy = self.worker.busy
        self.cancel_button.setEnabled(busy or self._pending)
        self.cancel_action.setEnabled(busy or self._pending)
        self.panel.set_busy(busy)
        # Enabled while the first model loads: a press then waits and starts as soon as it is
        # ready. Disabled while another student is switched in (Model menu).
        switching = self.worker.loading and self.worker.paraphraser is not None
        self.paraphrase_button.setEnabled(not self._too_long and not switching)
        self.paraphrase_action.setEnabled(self.paraphrase_button.isEnabled())

    # -- dialogs and shutdown ------------------------------------------------------------

    def show_model_info(self) -> None:
        show_model_info(self, self.worker.paraphraser)

    def show_shortcuts(self) -> None:
        self.menus.show_shortcuts(self)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        """Stop the worker before the window goes, so no thread outlives it; remember the layout."""
        self.save_window_settings()
        if not self.worker.shutdown(5000):
            log.warning("the model thread did not stop within 5 s")
        self.phrase_worker.shutdown(2000)
        if self.bundle_dialog is not None:
            self.bundle_dialog.close()
        super().closeEvent(event)
