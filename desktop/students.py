"""The Model menu's students and the student to load at start-up: plain Python, no Qt.

The listing comes from :func:`models.students_list.list_students` (the ``models``
command's listing, so the menu and the command agree), imported when first needed: a
runtime without it (an older checkout) leaves the menu with only the model in use, and
the app runs as before. Reading the listing never loads a model (manifests and cards only).

What the writer chose last is remembered by name (:attr:`desktop.storage.AppSettings.student`,
"" for the default). A remembered student that is no longer installed is not an error:
the default is loaded instead and the window says so once (:func:`start_student`).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from models.bundle import MANIFEST_NAME
from models.catalog import DEFAULT_BUNDLE, resolve_bundle
from models.controls import STANDARD_MODE

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StudentItem:
    """One entry of the Model menu."""

    name: str  # the bundle name the worker loads
    label: str  # the menu text: "&" escaped, the default marked "(default)"
    tooltip: str  # size, measured good rate and modes, when known
    default: bool = False


def installed_students() -> list[Any] | None:
    """The installed students (``StudentInfo``), default first; None when there is no listing.

    None, not an exception, for a runtime without :mod:`models.students_list` or a listing
    that fails: the menu is a convenience, never a reason for the window not to open.
    """
    try:
        from models.students_list import list_students
    except ImportError as exc:
        log.info("no student listing (%s): the Model menu shows the model in use only", exc)
        return None
    try:
        return list(list_students())
    except Exception as exc:  # noqa: BLE001 - a broken listing must not stop the window
        log.warning("the installed students could not be listed: %s", exc)
        return None


def mode_label(mode: str) -> str:
    """A mode as the writer reads it: ``simpler`` -> ``Simpler``, ``more_formal`` -> ``More formal``."""
    words = mode.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:] if words else mode


def student_tooltip(info: Any) -> str:
    """Description, size on disk, the card's measured good rate and the modes, each when present."""
    lines = []
    description = getattr(info, "description", "")
    if isinstance(description, str) and description.strip():
        lines.append(description.strip())
    facts = []
    size = getattr(info, "size_mb", None)
    if isinstance(size, (int, float)) and not isinstance(size, bool):
        facts.append(f"{size:,.0f} MB")
    quality = getattr(info, "quality", None)
    rate = quality.get("good_rate") if isinstance(quality, dict) else None
    if isinstance(rate, (int, float)) and not isinstance(rate, bool):
        where = quality.get("set") if isinstance(quality.get("set"), str) else "dev"
        facts.append(f"{where} good rate {rate:.0%}")
    if facts:
        lines.append(" · ".join(facts))
    modes = tuple(getattr(info, "modes", ()) or ())
    if len(modes) > 1:
        lines.append("Modes: " + ", ".join(mode_label(m) for m in modes))
    return "\n".join(lines)


def menu_items(students: Sequence[Any] | None, current: str | None) -> list[StudentItem]:
    """The menu's entries: the installed students, and the model in use if it is not one of them.

    ``current`` is the name of the model in use (or being loaded at start-up); a bundle
    opened with ``--bundle <folder>`` is not a catalog student but is still listed, so the
    menu always shows what the window writes with.
    """
    items = []
    for info in students or ():
        label = info.name.replace("&", "&&") + (" (default)" if info.default else "")
        items.append(StudentItem(info.name, label, student_tooltip(info), bool(info.default)))
    if current and all(item.name != current for item in items):
        items.insert(0, StudentItem(current, current.replace("&", "&&"), "The model in use", current == DEFAULT_BUNDLE))
    return items


def is_installed(name: str, students: Sequence[Any] | None) -> bool:
    """True when ``name`` can be loaded: listed as installed, or (no listing) its folder has a manifest."""
    if students is not None:
        return any(info.name == name for info in students)
    return (resolve_bundle(name) / MANIFEST_NAME).is_file()


def start_student(remembered: str, students: Sequence[Any] | None) -> tuple[str | None, str | None]:
    """The bundle to load at start-up for the ``remembered`` choice, and a message or None.

    The default (None) when nothing or the default itself was chosen; the default with a
    sentence for the status bar when the chosen student is not installed any more.
    """
    if not remembered or remembered == DEFAULT_BUNDLE:
        return None, None
    if is_installed(remembered, students):
        return remembered, None
    return None, (f"The model {remembered} you chose last time is not installed any more, "
                  "so the default model is used.")


def remembered_name(name: str) -> str:
    """What the settings keep for a chosen student: "" for the default, so a new default is followed."""
    return "" if name == DEFAULT_BUNDLE else name


def usable_mode(wanted: str, modes: Sequence[str]) -> str:
    """``wanted`` if the student has it, else the standard mode (never an error)."""
    return wanted if wanted in modes else STANDARD_MODE
