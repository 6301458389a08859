"""Qt's use of ICU, seen from the app: run with and without ``LD_PRELOAD=<filtered libicudata>``.

``python tests/installer/qt_icu_probe.py`` (offscreen) types odd Unicode into the app's editor,
moves the cursor through it, renders it, splits it into sentences and calls every Qt API that
reaches ICU (case mapping, collation, codecs, time-zone names); it prints one JSON object.
``test_icu_data.py`` compares the output with the wheel's ICU and with the filtered one.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import (QCollator, QLocale, QStringConverter, QStringDecoder, QTextBoundaryFinder,  # noqa: E402
                            QTimeZone)
from PySide6.QtCore import QEvent, Qt  # noqa: E402
from PySide6.QtGui import QInputMethodEvent, QKeyEvent, QTextCursor  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from desktop.widgets.editor import InputEditor  # noqa: E402
from models.text import split_sentences  # noqa: E402

SAMPLES = {
    "emoji": "Great job 👍🏽! The family 👨‍👩‍👧 went to 🇫🇷. Flags 🏳️‍🌈 too.",
    "rtl": "שלום עולם. مرحبا بالعالم! Mixed עברית and English.",
    "combining": "Cafe\u0301 n\u0303o Z\u0324\u0354\u0367\u0311a\u0308lgo. Ä vs A\u0308.",
    "cjk": "日本語の文章です。中文句子。한국어 문장입니다.",
    "indic_thai": "नमस्ते दुनिया। ภาษาไทยไม่มีช่องว่าง ok.",
}


def main() -> None:
    app = QApplication([])
    out: dict[str, object] = {
        "mapped": sorted({line.split()[-1] for line in open("/proc/self/maps", encoding="utf-8") if "libicudata" in line}),
    }
    editor = InputEditor()
    editor.resize(480, 240)
    editor.show()
    for name, text in SAMPLES.items():
        editor.clear()
        for character in text:  # typed: one key event per code point, as a keyboard layout sends them
            QApplication.sendEvent(editor, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_unknown,
                                                     Qt.KeyboardModifier.NoModifier, character))
        typed = editor.toPlainText()
        editor.clear()
        QApplication.sendEvent(editor, QInputMethodEvent(text[:3], []))  # an input method: pre-edit, then commit
        commit = QInputMethodEvent()
        commit.setCommitString(text)
        QApplication.sendEvent(editor, commit)
        composed = editor.toPlainText()
        editor.clear()
        editor.insertPlainText(text)  # pasted
        cursor = editor.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.Start)
        stops = []
        while cursor.movePosition(QTextCursor.MoveOperation.NextCharacter):
            stops.append(cursor.position())
        words = []
        cursor.movePosition(QTextCursor.MoveOperation.Start)
        while cursor.movePosition(QTextCursor.MoveOperation.NextWord):
            words.append(cursor.position())
        app.processEvents()
        image = editor.grab().toImage()
        pixels = hashlib.sha256(bytes(image.constBits())).hexdigest()[:16]
        finder = QTextBoundaryFinder(QTextBoundaryFinder.BoundaryType.Sentence, text)
        sentence_stops = []
        while (position := finder.toNextBoundary()) != -1:
            sentence_stops.append(position)
        out[f"editor_{name}"] = {
            "typed_ok": typed == text, "composed_ok": composed == text, "pasted_ok": editor.toPlainText() == text, "grapheme_stops": stops,
            "word_stops": words, "pixels": pixels, "qt_sentences": sentence_stops,
            "split_sentences": [segment.text for segment in split_sentences(text)],
        }
    out["case"] = {locale: [QLocale(locale).toUpper(word), QLocale(locale).toLower(word)]
                   for locale, word in (("tr_TR", "istanbul İ"), ("de_DE", "straße"), ("el_GR", "ΌΣΟΣ"), ("en_US", "ǆemal"))}
    words = ["zebra", "Äpfel", "apple", "Zürich", "éclair", "eclair", "ångström", "file10", "file9", "ça"]
    for locale in ("en_US", "de_DE", "sv_SE", "C"):
        collator = QCollator(QLocale(locale))
        collator.setNumericMode(True)
        out[f"collate_{locale}"] = sorted(words, key=collator.sortKey)
    for name in ("windows-1252", "ISO-8859-15", "KOI8-R", "Shift_JIS", "GB18030"):
        decoder = QStringDecoder(name)
        out[f"decoder_{name}"] = decoder.name() if decoder.isValid() else "unavailable"  # PySide6 cannot call decode()
    out["codecs"] = len(QStringConverter.availableCodecs())
    zone = QTimeZone(b"Europe/Berlin")
    out["zone"] = [zone.isValid(), zone.displayName(QTimeZone.TimeType.StandardTime, QTimeZone.NameType.LongName,
                                                     QLocale("en_US"))]
    editor.close()
    print(json.dumps(out, ensure_ascii=False, sort_keys=True))


if __name__ == "__main__":
    main()
