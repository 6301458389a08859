"""The main window: editor, controls, streaming candidate cards, history and status bar.

All model work goes through :class:`desktop.workers.ModelWorker`; this class only turns
its signals into widgets and the writer's actions into job requests. The text is handled
as a :class:`desktop.session.SentenceSession`: the sentence under the cursor is the one
being paraphrased (highlighted), "Use this" swaps it in place (one undo step) and moves
on to the next sentence, so a long text is rewritten sentence by sentence. A selection of
several sentences is paraphrased as one text (whole-text alternatives, with "Paraphrasing…
12 / 140 sentences" while it runs) and "Use this" replaces the selected sentences.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QColor, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (QDialog, QDockWidget, QHBoxLayout, QLabel, QMainWindow, QMessageBox,
                               QProgressBar, QPushButton, QSplitter, QVBoxLayout, QWidget)

from models import BundleError, Candidate, InputError, Paraphraser, ParaphraseResult
from models.catalog import resolve_bundle
from models.text import MAX_INPUT_CHARS, check_input

from .. import APP_NAME, theme
from ..offsets import py_offset
from ..rebuild import RebuildCommand, export_available, rebuild_command_for
from ..session import SentenceSession
from ..storage import HistoryEntry, Storage
from ..workers import JobRequest, ModelWorker
from .bundle_dialog import BundleDialog
from .candidate_card import CandidateList
from .controls import GenerationControls
from .editor import InputEditor
from .history_panel import HistoryPanel
from .notice import SaveNotice
from .progress import progress_text, show_progress
from .sentence_nav import SentenceNavigator

log = logging.getLogger(__name__)

#: Builds the bundle dialog; tests swap it to inspect dialogs without a modal loop.
DialogFactory = Callable[[Exception, RebuildCommand, bool, QWidget], QDialog]
#: Typing pauses this long before the sentence split and checks run again (big pastes stay smooth).
REFRESH_DELAY_MS = 150


@dataclass(frozen=True)
class _Target:
    """Which sentence the alternatives on screen were written for, and what it reads now."""

    index: int
    current: str  # the sentence's text in the editor (changes when an alternative is used)
    original: str  # the text the alternatives were written for (the history key)
    span: tuple[int, int] | None = None  # where ``current`` is, for a selection of several sentences


def _manifest_text(raw: object, key: str, default: str, inner: str | None = None) -> str:
    """A descriptive manifest field as text (the runtime does not check these; never trust their shape)."""
    value = raw.get(key) if isinstance(raw, dict) else None
    if inner is not None:
        value = value.get(inner) if isinstance(value, dict) else None
    return value if isinstance(value, str) and value else default


def default_dialog_factory(error: Exception, command: RebuildCommand, missing: bool, parent: QWidget) -> QDialog:
    return BundleDialog(error, command, missing=missing, can_build=export_available(), parent=parent)


class MainWindow(QMainWindow):
    """Paraphrase Studio's single window."""

    #: Public hooks (self-test, tests): a card was put on screen; a run ended; the model is ready.
    candidate_shown = Signal(object)  # Candidate
    run_finished = Signal(object)  # ParaphraseResult
    model_ready = Signal(str)
    model_failed = Signal(object)

    def __init__(self, storage: Storage, *, bundle: str | None = None, paraphraser: Paraphraser | None = None,
                 threads: int | None = None, dialog_factory: DialogFactory | None = None,
                 load: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.storage = storage
        self.settings = storage.settings
        self.history = storage.history
        self.bundle = bundle
        self.dialog_factory: DialogFactory = dialog_factory or default_dialog_factory
        self.bundle_dialog: QDialog | None = None
        self.load_error: Exception | None = None
        self.load_ms: float | None = None
        self.first_candidate_ms: float | None = None  # click -> first card on screen
        self.last_total_ms: float | None = None  # click -> last card on screen
        self.last_result: ParaphraseResult | None = None

        self._session: SentenceSession | None = None
        self._session_text: str | None = None
        self._target: _Target | None = None  # the sentence the cards on screen belong to
        self._active = False  # the writer has asked for alternatives at least once
        self._pending = False  # Paraphrase pressed while the model was still loading
        self._clicked_at = 0.0
        self._shown = 0
        self._cache: dict[tuple[str, int, float], list[Candidate]] = {}
        self._written_ahead: set[tuple[str, int, float]] = set()  # cached, written ahead, not shown yet
        self._too_long = False
        self._banner_kind = ""

        self.setWindowTitle(APP_NAME)
        self.setAccessibleName(APP_NAME)
        self.worker = ModelWorker(self, threads=threads)
        self.worker.model_loaded.connect(self._on_model_loaded)
        self.worker.model_failed.connect(self._on_model_failed)
        self.worker.candidate_ready.connect(self._on_candidate)
        self.worker.job_finished.connect(self._on_job_finished)
        self.worker.job_failed.connect(self._on_job_failed)
        self.worker.job_progress.connect(self._on_job_progress)
        self.worker.written_ahead.connect(self._on_written_ahead)

        self._build_widgets()
        self._build_actions()
        self._restore_settings()
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
        elif load:
            self.load_model()

    # -- construction --------------------------------------------------------------------

    def _build_widgets(self) -> None:
        self.editor = InputEditor()
        self.char_count = QLabel("")
        self.char_count.setObjectName("mutedLabel")
        self.char_count.setAccessibleName("Character count")

        self.controls = GenerationControls()
        self.controls.changed.connect(self._save_generation_settings)

        self.paraphrase_button = QPushButton("Paraphrase")
        self.paraphrase_button.setObjectName("primaryButton")
        self.paraphrase_button.setAccessibleName("Paraphrase")
        self.paraphrase_button.setDefault(False)
        self.paraphrase_button.setAutoDefault(False)
        self.paraphrase_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.paraphrase_button.clicked.connect(self.paraphrase)
        self.shortcut_hint = QLabel("")
        self.shortcut_hint.setObjectName("mutedLabel")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAccessibleName("Cancel")
        self.cancel_button.setToolTip("Stop writing alternatives (Esc)")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)

        controls_row = QHBoxLayout()
        controls_row.setContentsMargins(0, 0, 0, 0)
        controls_row.addWidget(self.controls, 1)
        controls_row.addSpacing(12)
        controls_row.addWidget(self.cancel_button)
        controls_row.addWidget(self.paraphrase_button)
        controls_row.addWidget(self.shortcut_hint)

        self.banner = QLabel("")
        self.banner.setObjectName("messageBanner")
        self.banner.setWordWrap(True)
        self.banner.setAccessibleName("Message")
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.banner.hide()
        self.save_notice = SaveNotice()

        count_row = QHBoxLayout()
        count_row.setContentsMargins(0, 0, 0, 0)
        count_row.addStretch(1)
        count_row.addWidget(self.char_count)

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(14, 12, 14, 6)
        top_layout.setSpacing(6)
        top_layout.addWidget(self.editor, 1)
        top_layout.addLayout(count_row)
        top_layout.addLayout(controls_row)
        top_layout.addWidget(self.banner)
        top_layout.addWidget(self.save_notice)

        self.navigator = SentenceNavigator()
        self.navigator.step.connect(self.step_sentence)
        self.cards_title = QLabel("Alternatives")
        self.cards_title.setObjectName("sectionTitle")
        self.cards_status = QLabel("")
        self.cards_status.setObjectName("mutedLabel")
        self.cards_status.setAccessibleName("Generation status")
        self.busy_bar = QProgressBar()
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setMaximumWidth(120)
        self.busy_bar.setMaximumHeight(6)
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setAccessibleName("Writing alternatives")
        self.busy_bar.hide()
        header = QHBoxLayout()
        header.setContentsMargins(0, 0, 0, 0)
        header.addWidget(self.cards_title)
        header.addWidget(self.cards_status, 1)
        header.addWidget(self.busy_bar)

        self.cards = CandidateList()
        self.cards.copy_requested.connect(self.copy_candidate)
        self.cards.use_requested.connect(self.use_candidate)

        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(14, 6, 14, 10)
        bottom_layout.setSpacing(8)
        bottom_layout.addWidget(self.navigator)
        bottom_layout.addLayout(header)
        bottom_layout.addWidget(self.cards, 1)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(top)
        self.splitter.addWidget(bottom)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.setCentralWidget(self.splitter)

        self.history_panel = HistoryPanel()
        self.history_panel.restore_requested.connect(self.restore_history_entry)
        self.history_panel.copy_requested.connect(self.copy_history_entry)
        self.history_panel.clear_requested.connect(self.clear_history)
        self.history_dock = QDockWidget("History", self)
        self.history_dock.setObjectName("historyDock")
        self.history_dock.setAccessibleName("History panel")
        self.history_dock.setWidget(self.history_panel)
        self.history_dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetClosable
                                      | QDockWidget.DockWidgetFeature.DockWidgetMovable)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.history_dock)

        self.model_label = QLabel("Loading model…")
        self.model_label.setAccessibleName("Model")
        self.timing_label = QLabel("")
        self.timing_label.setAccessibleName("Last run time")
        self.load_bar = QProgressBar()
        self.load_bar.setRange(0, 0)
        self.load_bar.setMaximumWidth(100)
        self.load_bar.setMaximumHeight(10)
        self.load_bar.setTextVisible(False)
        self.load_bar.setAccessibleName("Loading model")
        self.load_bar.hide()
        self.statusBar().addWidget(self.timing_label, 1)
        self.statusBar().addPermanentWidget(self.load_bar)
        self.statusBar().addPermanentWidget(self.model_label)

        # Tab order: editor -> style slider -> count -> Cancel -> Paraphrase -> sentence nav -> cards.
        chain = [self.editor, self.controls.slider, self.controls.count, self.cancel_button,
                 self.paraphrase_button, self.navigator.prev_button, self.navigator.next_button, self.cards]
        for first, second in zip(chain, chain[1:]):
            QWidget.setTabOrder(first, second)
        self.editor.setFocus()

    def _build_actions(self) -> None:
        menu = self.menuBar()
        file_menu = menu.addMenu("&File")
        quit_action = QAction("&Quit", self, shortcut=QKeySequence.StandardKey.Quit, triggered=self.close)
        file_menu.addAction(quit_action)

        edit_menu = menu.addMenu("&Edit")
        self.paraphrase_action = QAction("&Paraphrase", self, triggered=self.paraphrase)
        # Qt maps Ctrl to Cmd on macOS, so this is Cmd+Enter there.
        self.paraphrase_action.setShortcuts([QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_Return),
                                             QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_Enter)])
        self.paraphrase_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.cancel_action = QAction("&Cancel", self, shortcut=QKeySequence(Qt.Key.Key_Escape), triggered=self.cancel)
        self.cancel_action.setEnabled(False)
        self.prev_action = QAction("Pre&vious sentence", self, shortcut=QKeySequence("Ctrl+["),
                                   triggered=lambda: self.step_sentence(-1))
        self.next_action = QAction("&Next sentence", self, shortcut=QKeySequence("Ctrl+]"),
                                   triggered=lambda: self.step_sentence(1))
        for action in (self.paraphrase_action, self.cancel_action, self.prev_action, self.next_action):
            edit_menu.addAction(action)
        edit_menu.addSeparator()
        self.use_actions: list[QAction] = []
        for number in range(1, 10):
            action = QAction(f"Use alternative {number}", self, shortcut=QKeySequence(f"Ctrl+{number}"),
                             triggered=lambda _checked=False, k=number: self.use_number(k))
            self.addAction(action)  # active without cluttering the menu
            self.use_actions.append(action)
        use_hint = QAction("Use alternative 1–9\tCtrl+1…9", self)
        use_hint.setEnabled(False)
        edit_menu.addAction(use_hint)

        view_menu = menu.addMenu("&View")
        history_toggle = self.history_dock.toggleViewAction()
        history_toggle.setText("&History panel")
        history_toggle.setShortcut(QKeySequence("Ctrl+H"))
        view_menu.addAction(history_toggle)
        self.write_ahead_action = QAction("Write &ahead for the next sentence", self, checkable=True)
        self.write_ahead_action.setChecked(self.settings.write_ahead)
        self.write_ahead_action.setStatusTip("While you read, write the next sentence's alternatives, "
                                             "so Use this shows them at once")
        self.write_ahead_action.toggled.connect(self.set_write_ahead)
        view_menu.addAction(self.write_ahead_action)
        theme_menu = view_menu.addMenu("&Theme")
        self.theme_group = QActionGroup(self)
        self.theme_actions: dict[str, QAction] = {}
        for key, label in (("system", "Follow &system"), ("light", "&Light"), ("dark", "&Dark")):
            action = QAction(label, self, checkable=True)
            action.triggered.connect(lambda _checked=False, k=key: self.set_theme(k))
            self.theme_group.addAction(action)
            theme_menu.addAction(action)
            self.theme_actions[key] = action

        help_menu = menu.addMenu("&Help")
        help_menu.addAction(QAction("About the &model", self, triggered=self.show_model_info))
        help_menu.addAction(QAction("&Keyboard shortcuts", self, triggered=self.show_shortcuts))

        native = self.paraphrase_action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        self.paraphrase_button.setToolTip(f"Write alternatives for the highlighted sentence, "
                                          f"or for the selected sentences together ({native})")
        self.shortcut_hint.setText(native)

    # -- settings ------------------------------------------------------------------------

    def _restore_settings(self) -> None:
        self.controls.blockSignals(True)  # or the first setter would save the other's default
        self.controls.set_candidates(self.settings.candidates)
        self.controls.set_diversity(self.settings.diversity)
        self.controls.blockSignals(False)
        geometry = self.settings.bytes_value("window/geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1080, 760)
        state = self.settings.bytes_value("window/state")
        if state is not None:
            self.restoreState(state)
        splitter = self.settings.bytes_value("window/splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)
        else:
            self.splitter.setSizes([300, 420])

    def _save_generation_settings(self) -> None:
        self.settings.candidates = self.controls.candidates()
        self.settings.diversity = self.controls.diversity()

    def save_window_settings(self) -> None:
        self.settings.set_bytes("window/geometry", self.saveGeometry())
        self.settings.set_bytes("window/state", self.saveState())
        self.settings.set_bytes("window/splitter", self.splitter.saveState())
        self._save_generation_settings()
        self.settings.sync()

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

    def load_model(self) -> None:
        """Load (or reload, after a rebuild) the bundle on the worker thread."""
        self.load_error = None
        self.model_label.setText("Loading model…")
        self.load_bar.show()
        self.worker.load(self.bundle)
        self._update_buttons()

    def _on_model_loaded(self, name: str, load_ms: float) -> None:
        self.load_ms = load_ms
        self.load_bar.hide()
        self.model_label.setText(f"Model: {name}")
        self.model_label.setToolTip(self._model_description())
        if load_ms:
            self.timing_label.setText(f"Model loaded in {load_ms / 1000:.1f} s")
        self._hide_banner()
        self._update_buttons()
        self.model_ready.emit(name)
        if self._pending:
            self._pending = False
            self.paraphrase()

    def _on_model_failed(self, error: Exception) -> None:
        self.load_error = error
        self._pending = False
        self.load_bar.hide()
        self.model_label.setText("No model")
        self._show_banner("The paraphrasing model could not be loaded. Press Paraphrase to see how to fix it.",
                          kind="model")
        self._update_buttons()
        self.model_failed.emit(error)
        self.show_bundle_dialog(error)

    def show_bundle_dialog(self, error: Exception) -> QDialog:
        """Open the missing/damaged-model dialog without blocking the window."""
        if self.bundle_dialog is not None:
            if self.bundle_dialog.isVisible():
                return self.bundle_dialog
            if getattr(self.bundle_dialog, "error", None) is error:  # same problem: show the same dialog
                self.bundle_dialog.open()
                return self.bundle_dialog
            self.bundle_dialog.deleteLater()
        missing = not (resolve_bundle(self.bundle) / "manifest.json").is_file()
        if not isinstance(error, BundleError):
            missing = False
        dialog = self.dialog_factory(error, rebuild_command_for(self.bundle), missing, self)
        rebuilt = getattr(dialog, "rebuilt", None)
        if rebuilt is not None:
            rebuilt.connect(self.load_model)
        self.bundle_dialog = dialog
        dialog.open()
        return dialog

    def _model_description(self) -> str:
        paraphraser = self.worker.paraphraser
        if paraphraser is None:
            return ""
        raw = getattr(paraphraser.manifest, "raw", {}) or {}
        base = _manifest_text(raw, "base_model", "", "name")
        return "\n".join(part for part in (_manifest_text(raw, "description", ""), f"Base: {base}" if base else "")
                         if part)

    # -- paraphrasing --------------------------------------------------------------------

    def paraphrase(self) -> None:
        """Write fresh alternatives for the sentence under the cursor."""
        if self.worker.paraphraser is None:
            if self.load_error is not None:
                self.show_bundle_dialog(self.load_error)
            else:
                self._pending = True
                self.cards_status.setText("Starting as soon as the model is loaded…")
            return
        session = self._current_session()
        if session is None:
            return
        selected = self._selected_sentences(session)
        if selected is not None:
            self._start_text(*selected)
            return
        index = session.index_at(self.editor.cursor_index())
        if index is None:
            self._show_banner("There is no text to paraphrase yet: type or paste a sentence first.", kind="input")
            return
        self._start(index, use_cache=False)

    def _selected_sentences(self, session: SentenceSession) -> tuple[int, int, int] | None:
        """The whole sentences a selection of two or more covers (see ``SentenceSession.selected``)."""
        cursor = self.editor.textCursor()
        if not cursor.hasSelection():
            return None
        text = self.editor.toPlainText()
        return session.selected(py_offset(text, cursor.selectionStart()), py_offset(text, cursor.selectionEnd()))

    def _start_text(self, start: int, end: int, count: int) -> None:
        """Paraphrase several sentences as one text; progress comes in sentences done of all."""
        text = self.editor.toPlainText()[start:end]
        n, diversity = self.controls.candidates(), self.controls.diversity()
        self._active = True
        self._target = _Target(index=-1, current=text, original=text, span=(start, end))
        self._hide_banner()
        self.cards.clear()
        self._shown = 0
        self.cards_title.setText(f"Alternatives for the {count} selected sentences")
        self._clicked_at = time.perf_counter()
        self.first_candidate_ms = None
        self.cards.set_empty_text("Writing alternatives for the selected sentences…")
        self.cards_status.setText(progress_text(0, count))
        self.busy_bar.setRange(0, 0)  # moving until the first sentence is done
        self.worker.submit(JobRequest(sentence=text, n=n, diversity=diversity, index=-1, whole=True))
        self._update_buttons()

    def _on_job_progress(self, job: int, done: int, total: int) -> None:
        show_progress(self.cards_status, self.busy_bar, done, total)

    def _start(self, index: int, *, use_cache: bool) -> None:
        session = self._session
        assert session is not None
        sentence = session.sentence(index)
        n, diversity = self.controls.candidates(), self.controls.diversity()
        self._active = True
        self._target = _Target(index=index, current=sentence, original=sentence)
        self._hide_banner()
        self.cards.clear()
        self._shown = 0
        self._refresh_highlight()
        self.cards_title.setText(self._cards_title(index))
        key = (sentence, n, diversity)
        cached = self._cache.get(key) if use_cache else None
        if cached:
            self.worker.cancel_current()  # a sentence being written ahead keeps going, unless it is this one
            ahead = self.worker.writing_ahead
            if ahead is not None and ahead.sentence == sentence:
                self.worker.cancel_write_ahead()
            for candidate in cached:
                self.cards.add_candidate(candidate)
            if key in self._written_ahead:
                self._written_ahead.discard(key)
                self.history.add(sentence, model=self.worker.paraphraser.name if self.worker.paraphraser else "",
                                 candidates=len(cached))
                self._refresh_history()
                self.cards_status.setText("Written ahead while you read; Paraphrase writes new ones.")
            else:
                self.cards_status.setText("Shown again from this session; Paraphrase writes new ones.")
            self._update_buttons()
            self._write_ahead_after(index)
            return
        self._clicked_at = time.perf_counter()
        self.first_candidate_ms = None
        self.busy_bar.setRange(0, 0)
        self.cards.set_empty_text("Writing alternatives…")
        self.cards_status.setText(f"Writing {n} alternative{'s' if n != 1 else ''}…")
        self.worker.submit(JobRequest(sentence=sentence, n=n, diversity=diversity, index=index))
        self._update_buttons()

    def _cards_title(self, index: int) -> str:
        session = self._session
        if session is None or len(session.wordy) <= 1:
            return "Alternatives"
        return f"Alternatives for sentence {session.wordy.index(index) + 1}"

    def cancel(self) -> None:
        """Stop the running job at once; the alternatives already shown stay."""
        if self.worker.cancel():
            self.cards_status.setText(f"Stopped after {self._shown} alternative{'s' if self._shown != 1 else ''}.")
            self.cards.set_empty_text("Stopped before the first alternative was finished.")
        elif self._pending:
            self.cards_status.setText("")
        self._pending = False
        self._update_buttons()

    def _on_candidate(self, job: int, candidate: Candidate) -> None:
        self.cards.add_candidate(candidate)
        self._shown += 1
        if self.first_candidate_ms is None:
            self.first_candidate_ms = (time.perf_counter() - self._clicked_at) * 1000
        request = self.worker.last_request
        total = request.n if request else self._shown
        self.cards_status.setText(f"Writing alternatives… {self._shown} of {total}")
        self.candidate_shown.emit(candidate)

    def _on_job_finished(self, job: int, result: ParaphraseResult) -> None:
        self.last_result = result
        total_ms = (time.perf_counter() - self._clicked_at) * 1000
        self.last_total_ms = total_ms
        count = len(result.candidates)
        self._update_buttons()
        request = self.worker.last_request
        if count:
            first = f" · first after {self.first_candidate_ms / 1000:.2f} s" if self.first_candidate_ms else ""
            self.timing_label.setText(f"Last run: {count} alternative{'s' if count != 1 else ''} "
                                      f"in {total_ms / 1000:.2f} s{first}")
            self.cards_status.setText("")
            if request is not None and not request.whole:
                self._cache[(request.sentence, request.n, request.diversity)] = list(result.candidates)
            self.history.add(result.input, model=result.model, candidates=count)
            self._refresh_history()
            if request is not None and not request.whole:
                self._write_ahead_after(request.index)
        else:
            self.cards_status.setText("")
            self.cards.set_empty_text("The model did not find a different wording for this sentence. "
                                      "Try again, or move the slider towards Creative.")
        self.run_finished.emit(result)

    def _on_job_failed(self, job: int, error: Exception) -> None:
        self._update_buttons()
        self.cards_status.setText("")
        self.cards.set_empty_text("No alternatives.")
        if isinstance(error, InputError):
            self._show_banner(str(error), kind="input")
        else:
            log.error("paraphrasing failed: %s", error)
            self._show_banner(f"Paraphrasing failed: {error}")
        self.run_finished.emit(ParaphraseResult(input=self._target.original if self._target else "", candidates=[],
                                                model=self.worker.paraphraser.name if self.worker.paraphraser else "",
                                                elapsed_ms=0.0, cancelled=False))

    # -- writing ahead -------------------------------------------------------------------

    def set_write_ahead(self, enabled: bool) -> None:
        self.settings.write_ahead = bool(enabled)
        if not enabled:
            self.worker.cancel_write_ahead()

    def _write_ahead_after(self, index: int) -> None:
        """While the writer reads sentence ``index``'s alternatives, write the next sentence's.

        "Use this" moves on to the next sentence, so its alternatives then appear at once
        instead of after a run. A request for that sentence takes the run over (it keeps
        going); any other request, and Cancel, stop it first (see ``ModelWorker.submit``).
        """
        session = self._session
        if not self.settings.write_ahead or session is None or self.worker.paraphraser is None:
            return
        following = session.neighbour(index, 1)
        if following is None:
            return
        request = JobRequest(sentence=session.sentence(following), n=self.controls.candidates(),
                             diversity=self.controls.diversity(), index=following)
        if (request.sentence, request.n, request.diversity) in self._cache:
            return
        ahead = self.worker.writing_ahead
        if ahead is not None and ahead.same_work(request):
            return
        self.worker.write_ahead(request)

    def _on_written_ahead(self, request: JobRequest, result: ParaphraseResult) -> None:
        if result.candidates:
            key = (request.sentence, request.n, request.diversity)
            self._cache[key] = list(result.candidates)
            self._written_ahead.add(key)

    # -- choosing ------------------------------------------------------------------------

    def copy_candidate(self, candidate: Candidate) -> None:
        QGuiApplication.clipboard().setText(candidate.text)
        self.statusBar().showMessage("Copied to the clipboard", 2500)

    def use_number(self, number: int) -> None:
        cards = self.cards.cards()
        if 1 <= number <= len(cards):
            self.use_candidate(cards[number - 1].candidate)

    def use_candidate(self, candidate: Candidate) -> None:
        """Swap the alternative in for its sentence, record the choice, move to the next sentence."""
        if self._target is None:
            return
        if self._target.span is not None:
            self._use_for_selection(candidate)
            return
        index, sentence = self._target.index, self._target.current
        session = self._current_session(validate=False)
        if session is None:
            return
        if index >= len(session) or session.sentence(index) != sentence:
            matches = [i for i in session.wordy if session.sentence(i) == sentence]
            if not matches:
                self._show_banner("That sentence has changed since these alternatives were written. "
                                  "Press Paraphrase to write new ones.")
                return
            index = matches[0]
        before = session.compose()
        replacement = session.replace(index, candidate.text)
        self.editor.replace_range(replacement.start, replacement.end, replacement.text, text=before)
        self._session_text = session.compose()
        if self.editor.toPlainText() != self._session_text:  # defensive: never trust a stale session
            log.warning("editor and sentence session disagree after a replacement; re-reading the text")
            self._session = None
        self.history.choose(self._target.original, candidate.text, model=self.worker.paraphraser.name
                            if self.worker.paraphraser else "")
        self._refresh_history()
        self.cards.mark_chosen(candidate.text)
        self._target = _Target(index=index, current=session.sentence(index), original=self._target.original)
        following = session.neighbour(index, 1) if self._session is not None else None
        if following is not None:
            self.editor.move_cursor_to(session.span(following)[0], text=self._session_text)
            self._start(following, use_cache=True)
        else:
            self.editor.move_cursor_to(replacement.start + len(replacement.text), text=self._session_text)
            self.worker.cancel()
            self._update_buttons()
            self.cards_status.setText("Done: the last sentence is updated.")
            self._refresh_highlight()
        self.statusBar().showMessage("Replaced the sentence (Ctrl+Z undoes it)", 3000)

    def _use_for_selection(self, candidate: Candidate) -> None:
        """Put a whole-text alternative in place of the selected sentences (one undo step)."""
        target = self._target
        assert target is not None and target.span is not None
        text = self.editor.toPlainText()
        start, end = target.span
        if text[start:end] != target.current:
            start = text.find(target.current)
            if start < 0:
                self._show_banner("Those sentences have changed since these alternatives were written. "
                                  "Select them and press Paraphrase to write new ones.")
                return
            end = start + len(target.current)
        self.editor.replace_range(start, end, candidate.text, text=text)
        self._session = None  # the sentences changed: split again on the next look
        self._target = _Target(index=-1, current=candidate.text, original=target.original,
                               span=(start, start + len(candidate.text)))
        self.history.choose(target.original, candidate.text,
                            model=self.worker.paraphraser.name if self.worker.paraphraser else "")
        self._refresh_history()
        self.cards.mark_chosen(candidate.text)
        self.editor.move_cursor_to(start + len(candidate.text))
        self.cards_status.setText("Done: the selected sentences are updated.")
        self.statusBar().showMessage("Replaced the selected sentences (Ctrl+Z undoes it)", 3000)

    def step_sentence(self, step: int) -> None:
        """Previous/next sentence: move there and show (or write) its alternatives."""
        session = self._current_session()
        if session is None:
            return
        here = session.index_at(self.editor.cursor_index())
        if here is None:
            return
        target = session.neighbour(here, step)
        if target is None:
            return
        self.editor.move_cursor_to(session.span(target)[0], text=self._session_text)
        self._refresh_highlight()
        if self._active and self.worker.paraphraser is not None:
            self._start(target, use_cache=True)

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

    # -- text state ----------------------------------------------------------------------

    def _current_session(self, *, validate: bool = True) -> SentenceSession | None:
        """The session for the editor's current text, rebuilt if the writer edited it."""
        text = self.editor.toPlainText()
        if validate or self._session is None or text != self._session_text:
            try:
                check_input(text)
            except InputError as error:
                self._show_banner(str(error), kind="input")
                return None
        if self._session is None or text != self._session_text:
            self._session = SentenceSession(text)
            self._session_text = text
        return self._session

    def _refresh_text_state(self) -> None:
        """Debounced: character count, the too-long message and the sentence highlight."""
        text = self.editor.toPlainText()
        length = len(text)
        self.char_count.setText(f"{length:,} / {MAX_INPUT_CHARS:,} characters")
        too_long = length > MAX_INPUT_CHARS
        if too_long:
            self._session = None
            self._session_text = None
            self.editor.highlight(None, None)
            self.navigator.set_position(None, 0, "")
            self._show_banner(f"This text is {length:,} characters long; Paraphrase Studio works on up to "
                              f"{MAX_INPUT_CHARS:,} characters at a time (about 3,000 words). "
                              "Keep the part you are working on and paste the rest later.", kind="too_long")
        self._too_long = too_long
        if not too_long and self._banner_kind in ("input", "too_long"):  # the writer fixed the text
            self._hide_banner()
        self._update_buttons()
        if not too_long:
            self._refresh_highlight()

    def _refresh_highlight(self) -> None:
        text = self.editor.toPlainText()
        if not text.strip() or len(text) > MAX_INPUT_CHARS:
            self.editor.highlight(None, None)
            self.navigator.set_position(None, 0, "")
            return
        if self._session is None or text != self._session_text:
            self._session = SentenceSession(text)
            self._session_text = text
        session = self._session
        index = session.index_at(self.editor.cursor_index())
        wordy = session.wordy
        if index is None:
            self.editor.highlight(None, None)
            self.navigator.set_position(None, 0, "")
            return
        start, end = session.span(index)
        leading = len(session.texts[index]) - len(session.texts[index].lstrip())
        if len(wordy) > 1 or self._active:
            self.editor.highlight(start + leading, end, text)
        else:
            self.editor.highlight(None, None)
        self.navigator.set_position(wordy.index(index) + 1, len(wordy), session.sentence(index))
        self.prev_action.setEnabled(self.navigator.prev_button.isEnabled())
        self.next_action.setEnabled(self.navigator.next_button.isEnabled())

    def _show_banner(self, message: str, *, kind: str = "info") -> None:
        """One message line above the sentences; ``kind`` decides what clears it (see callers)."""
        self._banner_kind = kind
        self.banner.setText(message)
        self.banner.show()

    def _hide_banner(self) -> None:
        if self._too_long:  # stays until the text is short enough
            return
        self._banner_kind = ""
        self.banner.hide()

    def _update_buttons(self) -> None:
        busy = self.worker.busy
        self.cancel_button.setEnabled(busy or self._pending)
        self.cancel_action.setEnabled(busy or self._pending)
        self.busy_bar.setVisible(busy)
        # Enabled while the model loads: a press then waits and starts as soon as it is ready.
        self.paraphrase_button.setEnabled(not self._too_long)
        self.paraphrase_action.setEnabled(self.paraphrase_button.isEnabled())

    # -- dialogs -------------------------------------------------------------------------

    def show_model_info(self) -> None:
        paraphraser = self.worker.paraphraser
        if paraphraser is None:
            QMessageBox.information(self, "About the model", "No model is loaded.")
            return
        raw = paraphraser.manifest.raw
        lines = [f"<b>{escape(paraphraser.name)}</b>", escape(_manifest_text(raw, "description", "")),
                 f"Base model: {escape(_manifest_text(raw, 'base_model', '?', 'name'))}",
                 f"Quantization: {escape(_manifest_text(raw, 'quantization', '?', 'method'))}",
                 f"Built: {escape(_manifest_text(raw, 'created', '?'))}",
                 f"Folder: {escape(str(paraphraser.folder))}",
                 "Runs entirely on this computer; nothing is sent anywhere."]
        box = QMessageBox(QMessageBox.Icon.Information, "About the model", "<br>".join(lines), parent=self)
        box.open()

    def show_shortcuts(self) -> None:
        native = self.paraphrase_action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        rows = [(native, "Paraphrase the highlighted sentence"), ("Esc", "Cancel"),
                ("Ctrl+[ / Ctrl+]", "Previous / next sentence"), ("Ctrl+1 … Ctrl+9", "Use alternative 1–9"),
                ("Ctrl+H", "Show or hide the history"), ("Tab / Shift+Tab", "Move between controls")]
        html = "<table>" + "".join(f"<tr><td><b>{k}</b>&nbsp;&nbsp;</td><td>{v}</td></tr>" for k, v in rows) + "</table>"
        box = QMessageBox(QMessageBox.Icon.NoIcon, "Keyboard shortcuts", html, parent=self)
        box.open()

    # -- shutdown ------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        """Stop the worker before the window goes, so no thread outlives it; remember the layout."""
        self.save_window_settings()
        if not self.worker.shutdown(5000):
            log.warning("the model thread did not stop within 5 s")
        if self.bundle_dialog is not None:
            self.bundle_dialog.close()
        super().closeEvent(event)
