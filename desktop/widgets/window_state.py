"""What the window remembers between sessions: its geometry, dock and splitter layout, the controls.

Every value goes through :class:`desktop.storage.AppSettings`, which keeps them in memory when
the data folder cannot be written, so none of this can fail the window.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMainWindow, QSplitter

from ..storage import AppSettings
from .controls import GenerationControls


def restore_window_state(window: QMainWindow, splitter: QSplitter, controls: GenerationControls,
                         settings: AppSettings) -> None:
    """Put the window, its splitter and the controls back as they were (first run: sensible sizes)."""
    controls.blockSignals(True)  # or the first setter would save the other's default
    controls.set_candidates(settings.candidates)
    controls.set_diversity(settings.diversity)
    controls.blockSignals(False)
    geometry = settings.bytes_value("window/geometry")
    if geometry is None or not window.restoreGeometry(geometry):
        window.resize(1080, 760)
    state = settings.bytes_value("window/state")
    if state is not None:
        window.restoreState(state)
    layout = settings.bytes_value("window/splitter")
    if layout is not None:
        splitter.restoreState(layout)
    else:
        splitter.setSizes([300, 420])


def save_generation_settings(controls: GenerationControls, settings: AppSettings) -> None:
    settings.candidates = controls.candidates()
    settings.diversity = controls.diversity()


def save_window_state(window: QMainWindow, splitter: QSplitter, controls: GenerationControls,
                      settings: AppSettings) -> None:
    """Remember the layout and the controls, and write them out now (the window is closing)."""
    settings.set_bytes("window/geometry", window.saveGeometry())
    settings.set_bytes("window/state", window.saveState())
    settings.set_bytes("window/splitter", splitter.saveState())
    save_generation_settings(controls, settings)
    settings.sync()
