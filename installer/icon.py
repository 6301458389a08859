"""Draw the application icon with QPainter, so it is reproducible from code, not a binary blob.

Run ``python -m installer.icon`` after changing the drawing; the PNG/ICO/ICNS it writes are
committed, so building the installer never needs this step.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPointF, QRectF, Qt  # noqa: E402 - after the platform choice
from PySide6.QtGui import QBrush, QColor, QGuiApplication, QImage, QLinearGradient, QPainter, QPainterPath, QPen  # noqa: E402

log = logging.getLogger(__name__)

ICON_DIR = Path(__file__).resolve().parent / "assets"
#: The committed files: PNG for Linux and the window icon, ICO for Windows, ICNS for macOS.
ICON_FILES = {"png": 512, "ico": 256, "icns": 512}


def draw_icon(size: int) -> QImage:
    """Two text cards, the second rewritten: the app's job in one picture."""
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    s = size / 256.0
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    gradient = QLinearGradient(0, 0, size, size)
    gradient.setColorAt(0.0, QColor("#3b5bdb"))
    gradient.setColorAt(1.0, QColor("#0ca678"))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QBrush(gradient))
    painter.drawRoundedRect(QRectF(8 * s, 8 * s, 240 * s, 240 * s), 52 * s, 52 * s)

    for top, color, widths in ((44, "#ffffff", (132, 104, 120)), (140, "#fff3bf", (112, 132, 84))):
        painter.setBrush(QColor(255, 255, 255, 60))
        painter.drawRoundedRect(QRectF(36 * s, top * s, 184 * s, 72 * s), 16 * s, 16 * s)
        painter.setBrush(QColor(color))
        for row, width in enumerate(widths):
            painter.drawRoundedRect(QRectF(54 * s, (top + 14 + row * 18) * s, width * s, 9 * s), 4.5 * s, 4.5 * s)

    pen = QPen(QColor("#ffffff"), 9 * s, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    arrow = QPainterPath(QPointF(204 * s, 100 * s))
    arrow.cubicTo(QPointF(232 * s, 112 * s), QPointF(232 * s, 140 * s), QPointF(210 * s, 150 * s))
    painter.drawPath(arrow)
    head = QPainterPath(QPointF(222 * s, 160 * s))
    head.lineTo(QPointF(208 * s, 151 * s))
    head.lineTo(QPointF(216 * s, 136 * s))
    painter.drawPath(head)
    painter.end()
    return image


def write_icons(folder: Path = ICON_DIR) -> list[Path]:
    """Write every format in :data:`ICON_FILES`; a format Qt cannot write is logged and skipped."""
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 - QImage needs it
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for suffix, size in ICON_FILES.items():
        path = folder / f"icon.{suffix}"
        if draw_icon(size).save(str(path), suffix.upper()):
            written.append(path)
        else:
            log.warning("Qt could not write %s (no %s image plugin)", path, suffix)
    return written


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    for written_path in write_icons():
        log.info("wrote %s (%d bytes)", written_path, written_path.stat().st_size)
