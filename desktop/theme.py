"""Light and dark palettes that follow the system unless the writer picks one.

Qt 6.5+ reports the system colour scheme (``styleHints().colorScheme()``) and signals
changes. Native styles on macOS and Windows already draw both schemes, so there we only
tell Qt which scheme to use; elsewhere (Linux desktops without a platform theme, the
offscreen platform) Fusion plus an explicit palette gives the same result everywhere.
"""

from __future__ import annotations

import logging
import sys

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)

_LIGHT = {
    "window": "#f4f4f2", "base": "#ffffff", "alternate": "#f0f0ee", "text": "#1d1d1f",
    "muted": "#6b6b70", "button": "#ececea", "mid": "#c9c9c6", "midlight": "#deded9",
    "highlight": "#2f6fde", "highlighted_text": "#ffffff", "link": "#2459c4",
    "tooltip": "#fffbe6", "sentence": "#fff1b8", "soft_selection": "#dce7fb",
}
_DARK = {
    "window": "#1e1f22", "base": "#26272b", "alternate": "#2c2d31", "text": "#e6e5e2",
    "muted": "#9a9aa0", "button": "#303136", "mid": "#4a4b50", "midlight": "#3a3b40",
    "highlight": "#4f8cff", "highlighted_text": "#ffffff", "link": "#8ab4ff",
    "tooltip": "#303136", "sentence": "#5a4a12", "soft_selection": "#2f3d5a",
}

#: Marks that read in both schemes: translucent, so the light or dark base shows through
#: and the text keeps the palette's colour (contrast as for any other text).
NEW_WORDING_BACKGROUND = "rgba(46, 160, 67, 0.24)"  # a card's new wording (CSS, rich text)
KEEP_MARK_RGBA = (79, 140, 255, 64)  # the editor's "Keep unchanged" background
KEEP_MARK_UNDERLINE = "#4f8cff"  # and its dashed underline

#: Cards, headers and hints; filled with the scheme's colours by :func:`stylesheet`.
_STYLESHEET = """
QFrame#candidateCard {
    background: palette(base);
    border: 1px solid palette(midlight);
    border-radius: 8px;
}
QFrame#candidateCard[chosen="true"] { border: 2px solid palette(highlight); }
QLabel#candidateText { font-size: 11pt; }
QLabel#qualityHint, QLabel#mutedLabel, QLabel#sectionHint, QLabel#candidateNote { color: $muted; }
QLabel#candidateNote { font-style: italic; }
QLabel#sectionTitle { font-weight: 600; }
QLabel#messageBanner {
    border-radius: 6px; padding: 6px 10px;
    background: rgba(214, 69, 65, 0.14); border: 1px solid rgba(214, 69, 65, 0.55);
}
QLabel#infoBanner {
    border-radius: 6px; padding: 6px 10px;
    background: rgba(47, 111, 222, 0.10); border: 1px solid rgba(47, 111, 222, 0.45);
}
QPushButton#primaryButton {
    background: palette(highlight); color: palette(highlighted-text);
    border: none; border-radius: 6px; padding: 6px 16px; font-weight: 600;
}
QPushButton#primaryButton:disabled { background: palette(mid); color: palette(window); }
QPushButton#primaryButton:focus { outline: 2px solid palette(text); }
QPlainTextEdit#inputEditor { font-size: 11pt; padding: 4px; }
QListWidget#historyList { border: 1px solid $midlight; border-radius: 6px; background: $base; }
QListWidget#historyList::item { padding: 6px 6px; border-bottom: 1px solid $midlight; color: $text; }
QListWidget#historyList::item:selected { background: $soft_selection; color: $text; }
"""


def stylesheet(scheme: str) -> str:
    """The app stylesheet with this scheme's colours substituted."""
    text = _STYLESHEET
    # Longest names first, or "$mid" would eat the start of "$midlight".
    for key, value in sorted(colors(scheme).items(), key=lambda item: -len(item[0])):
        text = text.replace(f"${key}", value)
    return text


def effective_scheme(choice: str) -> str:
    """``"light"`` or ``"dark"`` for a settings value of system/light/dark."""
    if choice in ("light", "dark"):
        return choice
    hints = QGuiApplication.styleHints()
    scheme = hints.colorScheme() if hasattr(hints, "colorScheme") else Qt.ColorScheme.Unknown
    return "dark" if scheme == Qt.ColorScheme.Dark else "light"


def colors(scheme: str) -> dict[str, str]:
    return dict(_DARK if scheme == "dark" else _LIGHT)


def _native_style() -> bool:
    return sys.platform == "darwin" or sys.platform.startswith("win")


def palette_for(scheme: str) -> QPalette:
    c = {k: QColor(v) for k, v in colors(scheme).items()}
    pal = QPalette()
    roles = QPalette.ColorRole
    for role, key in [
        (roles.Window, "window"), (roles.WindowText, "text"), (roles.Base, "base"),
        (roles.AlternateBase, "alternate"), (roles.Text, "text"), (roles.Button, "button"),
        (roles.ButtonText, "text"), (roles.Mid, "mid"), (roles.Midlight, "midlight"),
        (roles.Highlight, "highlight"), (roles.HighlightedText, "highlighted_text"),
        (roles.Link, "link"), (roles.ToolTipBase, "tooltip"), (roles.ToolTipText, "text"),
        (roles.PlaceholderText, "muted"), (roles.BrightText, "highlighted_text"),
    ]:
        pal.setColor(role, c[key])
    pal.setColor(roles.Light, c["base"].lighter(110) if scheme == "dark" else QColor("#ffffff"))
    pal.setColor(roles.Dark, c["mid"].darker(130))
    pal.setColor(roles.Shadow, QColor("#000000"))
    disabled = QPalette.ColorGroup.Disabled
    for role in (roles.Text, roles.WindowText, roles.ButtonText):
        pal.setColor(disabled, role, c["muted"])
    return pal


def apply_theme(choice: str, app: QApplication | None = None) -> str:
    """Apply system/light/dark to the whole app; returns the scheme now in use."""
    app = app or QApplication.instance()  # type: ignore[assignment]
    if app is None:
        return "light"
    hints = QGuiApplication.styleHints()
    if hasattr(hints, "setColorScheme"):  # Qt 6.8+: lets native styles switch too
        target = {"light": Qt.ColorScheme.Light, "dark": Qt.ColorScheme.Dark}.get(choice, Qt.ColorScheme.Unknown)
        try:
            hints.setColorScheme(target)
        except Exception as exc:  # noqa: BLE001 - a platform may refuse; the palette below still works
            log.debug("setColorScheme refused: %s", exc)
    scheme = effective_scheme(choice)
    if not _native_style():
        if app.style().name().lower() != "fusion":
            app.setStyle("Fusion")
        app.setPalette(palette_for(scheme))
    app.setStyleSheet(stylesheet(scheme))
    app.setProperty("paraphraseScheme", scheme)
    return scheme


def current_scheme() -> str:
    app = QApplication.instance()
    value = app.property("paraphraseScheme") if app is not None else None
    return value if value in ("light", "dark") else "light"
