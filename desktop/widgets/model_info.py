"""The model as the writer sees it: the status bar's model label, and Help ▸ About the model.

The runtime checks only the manifest fields it needs; the descriptive ones shown here
(description, base model, quantization, build date) may be missing or of any shape in a
hand-edited or damaged manifest, so each is read defensively and escaped before display.
"""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QLabel, QMessageBox, QProgressBar, QStatusBar, QWidget

from models import Paraphraser


def manifest_text(raw: object, key: str, default: str, inner: str | None = None) -> str:
    """A descriptive manifest field as text (the runtime does not check these; never trust their shape)."""
    value = raw.get(key) if isinstance(raw, dict) else None
    if inner is not None:
        value = value.get(inner) if isinstance(value, dict) else None
    return value if isinstance(value, str) and value else default


def _raw(paraphraser: Paraphraser) -> object:
    return getattr(paraphraser.manifest, "raw", {}) or {}


def model_description(paraphraser: Paraphraser | None) -> str:
    """Two short lines for the model label's tooltip (empty without a model)."""
    if paraphraser is None:
        return ""
    raw = _raw(paraphraser)
    base = manifest_text(raw, "base_model", "", "name")
    return "\n".join(part for part in (manifest_text(raw, "description", ""), f"Base: {base}" if base else "")
                     if part)


def model_info_html(paraphraser: Paraphraser) -> str:
    """The About box's text: every manifest value escaped (a manifest is not trusted markup)."""
    raw = _raw(paraphraser)
    lines = [f"<b>{escape(paraphraser.name)}</b>", escape(manifest_text(raw, "description", "")),
             f"Base model: {escape(manifest_text(raw, 'base_model', '?', 'name'))}",
             f"Quantization: {escape(manifest_text(raw, 'quantization', '?', 'method'))}",
             f"Built: {escape(manifest_text(raw, 'created', '?'))}",
             f"Folder: {escape(str(paraphraser.folder))}",
             "Runs entirely on this computer; nothing is sent anywhere."]
    return "<br>".join(lines)


def show_model_info(parent: QWidget, paraphraser: Paraphraser | None) -> None:
    """Open the non-modal About box (or say that no model is loaded)."""
    if paraphraser is None:
        QMessageBox.information(parent, "About the model", "No model is loaded.")
        return
    QMessageBox(QMessageBox.Icon.Information, "About the model", model_info_html(paraphraser), parent=parent).open()


class ModelStatus:
    """The status bar's right end: "Loading model…" with a busy bar, then the model's name; the last run's time."""

    def __init__(self, bar: QStatusBar) -> None:
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
        bar.addWidget(self.timing_label, 1)
        bar.addPermanentWidget(self.load_bar)
        bar.addPermanentWidget(self.model_label)

    def loading(self, name: str | None = None) -> None:
        """The model (``name``: another student being switched in) is loading on the worker thread."""
        self.model_label.setText(f"Loading {name}…" if name else "Loading model…")
        self.load_bar.setAccessibleName(f"Loading {name}" if name else "Loading model")
        self.load_bar.show()

    def loaded(self, paraphraser: Paraphraser | None, name: str, load_ms: float) -> None:
        self.load_bar.hide()
        self.model_label.setText(f"Model: {name}")
        self.model_label.setToolTip(model_description(paraphraser))
        if load_ms:
            self.timing_label.setText(f"Model loaded in {load_ms / 1000:.1f} s")

    def failed(self) -> None:
        self.load_bar.hide()
        self.model_label.setText("No model")
