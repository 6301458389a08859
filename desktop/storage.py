"""Settings (QSettings) and the history file.

The history is the writer's record of choices, so it is written the crash-safe way: a
temporary file in the same folder, flushed and fsync'ed, then ``os.replace`` over the old
one. A crash at any moment leaves either the old or the new file, never half of one.

Everything takes an explicit folder so tests (and the self-test) never touch the user's
real settings; ``PARAPHRASE_STUDIO_DATA`` does the same for a whole process.

Nothing here may lose the writer's work quietly: a history that cannot be saved (full disk,
read-only folder) stays in memory, is saved again after the next change, and says so
through :attr:`HistoryStore.save_error`; a data folder that cannot be created makes the app
run without saving (:attr:`Storage.problem`) instead of failing to start. The window shows
both.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings, QStandardPaths

from models.controls import STANDARD_MODE

from . import APP_NAME, ORG_NAME

log = logging.getLogger(__name__)

#: Environment variable: a folder for settings.ini and history.json (tests, portable use).
DATA_ENV = "PARAPHRASE_STUDIO_DATA"
HISTORY_FILE = "history.json"
HISTORY_FORMAT = 1
#: Oldest entries are dropped beyond this; keeps the file (and every save) small.
HISTORY_LIMIT = 200
#: An input longer than this is stored shortened: the history is a reminder, not an archive.
HISTORY_TEXT_LIMIT = 2000

THEMES = ("system", "light", "dark")
DEFAULT_CANDIDATES = 5
DEFAULT_DIVERSITY = 0.5


@dataclass
class HistoryEntry:
    """One paraphrase request: what was asked and, once picked, the chosen alternative."""

    input: str
    chosen: str | None = None
    model: str = ""
    candidates: int = 0
    time: str = field(default_factory=lambda: datetime.now(timezone.utc).isoformat(timespec="seconds"))

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> HistoryEntry:
        chosen = data.get("chosen")
        return cls(input=str(data["input"]), chosen=chosen if isinstance(chosen, str) else None,
                   model=str(data.get("model", "")),
                   candidates=int(data.get("candidates", 0)), time=str(data.get("time", "")))


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that readers see the old or the new content, never a mix."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        try:
            os.unlink(tmp_name)
        except OSError:
            pass
        raise


class HistoryStore:
    """Recent inputs and chosen results, newest first, saved after every change.

    ``save_error`` is None after a successful save and a sentence for the writer after a
    failed one; the entries stay in memory either way, and every change saves them all again.
    """

    def __init__(self, path: Path, *, limit: int = HISTORY_LIMIT, persist: bool = True) -> None:
        self.path = path
        self.limit = limit
        self.persist = persist  # False: memory only (the data folder is unusable; Storage says why)
        self.entries: list[HistoryEntry] = []
        self.save_error: str | None = None
        self.load()

    def load(self) -> None:
        """Read the file; a damaged one is set aside (not deleted) and history starts empty."""
        self._remove_stale_temporaries()
        if not self.path.is_file():
            self.entries = []
            return
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            self.entries = [HistoryEntry.from_json(item) for item in data["entries"]][: self.limit]
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            backup = set_aside(self.path)
            log.warning("history file %s is unreadable (%s); moved aside to %s", self.path, exc,
                        backup.name if backup else "(nowhere: it could not be moved)")
            self.entries = []

    def save(self) -> None:
        payload = {"format": HISTORY_FORMAT, "entries": [asdict(e) for e in self.entries]}
        atomic_write_text(self.path, json.dumps(payload, ensure_ascii=False, indent=1))

    def add(self, text: str, *, model: str, candidates: int) -> HistoryEntry:
        """Record a finished request (a repeat of the newest input replaces it)."""
        text = _shorten(text)
        if self.entries and self.entries[0].input == text and self.entries[0].chosen is None:
            self.entries.pop(0)
        entry = HistoryEntry(input=text, model=model, candidates=candidates)
        self.entries.insert(0, entry)
        del self.entries[self.limit:]
        self._save_quietly()
        return entry

    def choose(self, text: str, chosen: str, *, model: str = "") -> HistoryEntry:
        """Remember which alternative the writer used for ``text``."""
        text = _shorten(text)
        for entry in self.entries:
            if entry.input == text:  # newest request for this input; a second pick replaces the first
                entry.chosen = chosen
                self._save_quietly()
                return entry
        entry = HistoryEntry(input=text, chosen=chosen, model=model)
        self.entries.insert(0, entry)
        del self.entries[self.limit:]
        self._save_quietly()
        return entry

    def clear(self) -> None:
        self.entries = []
        self._save_quietly()

    def _save_quietly(self) -> None:
        """A full disk must not crash the app in the middle of writing: keep the entries, say why.

        The next change saves everything again, so a disk that has room again loses nothing.
        """
        if not self.persist:
            return
        try:
            self.save()
        except OSError as exc:
            log.error("could not save history to %s: %s", self.path, exc)
            self.save_error = (f"Your history could not be saved to {self.path} ({exc.strerror or exc}). "
                               "It is kept while Paraphrase Studio stays open and saved again after your "
                               "next choice.")
        else:
            if self.save_error is not None:
                log.info("history saved to %s again", self.path)
            self.save_error = None

    def _remove_stale_temporaries(self) -> None:
        if not self.path.parent.is_dir():
            return
        for leftover in self.path.parent.glob(f".{self.path.name}.*.tmp"):
            try:
                leftover.unlink()
            except OSError:
                pass


def set_aside(path: Path) -> Path | None:
    """Move a damaged file to ``NAME.damaged-<time>[-k]`` without ever replacing an earlier one.

    Two damaged loads in the same second used to share one name, and the second backup
    replaced the first. A hard link claims the new name atomically (it fails if the name
    exists); where links are not available, a rename to a name checked just before is used.
    Returns the backup's path, or None if the file could not be moved.
    """
    stamp = int(time.time())
    for attempt in range(1000):
        backup = path.with_name(f"{path.name}.damaged-{stamp}" + (f"-{attempt}" if attempt else ""))
        if os.path.lexists(backup):
            continue
        try:
            os.link(path, backup)
        except FileExistsError:
            continue
        except OSError:  # no hard links on this file system
            try:
                os.rename(path, backup)
            except OSError:
                return None
            return backup
        try:
            os.unlink(path)
        except OSError:
            pass  # the copy is safe; the next save replaces the damaged file
        return backup
    return None


def _shorten(text: str) -> str:
    text = text.strip()
    return text if len(text) <= HISTORY_TEXT_LIMIT else text[: HISTORY_TEXT_LIMIT - 1] + "…"


class AppSettings:
    """Typed access to the handful of values the app remembers between runs."""

    def __init__(self, qsettings: QSettings) -> None:
        self.q = qsettings

    @property
    def candidates(self) -> int:
        value = _int(self.q.value("generation/candidates", DEFAULT_CANDIDATES), DEFAULT_CANDIDATES)
        return min(10, max(1, value))

    @candidates.setter
    def candidates(self, value: int) -> None:
        self.q.setValue("generation/candidates", int(value))

    @property
    def diversity(self) -> float:
        value = _float(self.q.value("generation/diversity", DEFAULT_DIVERSITY), DEFAULT_DIVERSITY)
        return min(1.0, max(0.0, value))

    @diversity.setter
    def diversity(self, value: float) -> None:
        self.q.setValue("generation/diversity", round(float(value), 3))

    @property
    def mode(self) -> str:
        """The mode the writer last chose (``standard`` until then).

        Kept as chosen even while a student without it is loaded: the selector then offers
        ``standard``, and choosing a student that has the mode brings it back.
        """
        value = self.q.value("generation/mode", STANDARD_MODE)
        return value if isinstance(value, str) and value.strip() else STANDARD_MODE

    @mode.setter
    def mode(self, value: str) -> None:
        self.q.setValue("generation/mode", str(value) or STANDARD_MODE)

    @property
    def student(self) -> str:
        """The student the writer chose in the Model menu; "" for the default one."""
        value = self.q.value("model/student", "")
        return value.strip() if isinstance(value, str) else ""

    @student.setter
    def student(self, value: str) -> None:
        self.q.setValue("model/student", str(value))

    @property
    def write_ahead(self) -> bool:
        """Write the next sentence's alternatives while the writer reads (on unless turned off)."""
        return str(self.q.value("generation/write_ahead", "true")).lower() not in ("false", "0")

    @write_ahead.setter
    def write_ahead(self, value: bool) -> None:
        self.q.setValue("generation/write_ahead", "true" if value else "false")

    @property
    def theme(self) -> str:
        value = str(self.q.value("appearance/theme", "system"))
        return value if value in THEMES else "system"

    @theme.setter
    def theme(self, value: str) -> None:
        self.q.setValue("appearance/theme", value if value in THEMES else "system")

    def bytes_value(self, key: str) -> QByteArray | None:
        value = self.q.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def set_bytes(self, key: str, value: QByteArray) -> None:
        self.q.setValue(key, value)

    def sync(self) -> None:
        self.q.sync()


def _int(value: object, default: int) -> int:
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return default


def _float(value: object, default: float) -> float:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return default


class MemorySettings:
    """The part of :class:`QSettings` that :class:`AppSettings` uses, kept in memory only.

    Used when the data folder cannot be created: the app still remembers the writer's
    choices until it closes, and writes nothing anywhere.
    """

    def __init__(self) -> None:
        self._values: dict[str, Any] = {}

    def value(self, key: str, default: Any = None) -> Any:
        return self._values.get(key, default)

    def setValue(self, key: str, value: Any) -> None:  # noqa: N802 - QSettings' name
        self._values[key] = value

    def sync(self) -> None:
        """Nothing to write."""


class Storage:
    """Where settings and history live: an explicit folder, ``$PARAPHRASE_STUDIO_DATA`` or the OS default.

    ``problem`` is None when the folder is usable, else a sentence for the window: the
    folder could not be created, so settings and history are kept in memory only.
    """

    def __init__(self, root: Path | str | None = None) -> None:
        self.problem: str | None = None
        if root is None and os.environ.get(DATA_ENV):
            root = os.environ[DATA_ENV]
        if root is not None:
            self.root = Path(root).expanduser()
            self.problem = _folder_problem(self.root)
            # A folder that exists but cannot be written still has the writer's old settings to read.
            qsettings: QSettings | MemorySettings = (
                QSettings(str(self.root / "settings.ini"), QSettings.Format.IniFormat) if self.root.is_dir()
                else MemorySettings())
        else:
            location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
            self.root = Path(location) if location else Path.home() / ".paraphrase-studio"
            qsettings = QSettings(ORG_NAME, APP_NAME)
        self.settings = AppSettings(qsettings)  # type: ignore[arg-type]
        self.history = HistoryStore(self.root / HISTORY_FILE, persist=self.problem is None)
        if self.problem:
            log.error("%s", self.problem)

    @property
    def saving(self) -> bool:
        """False when nothing can be written (see ``problem``)."""
        return self.problem is None


def _folder_problem(root: Path) -> str | None:
    """Why ``root`` cannot hold settings and history, or None if it can (it is created here).

    Writing is tried, not inferred from permissions: a full disk, a read-only mount and
    a path under a regular file all fail the same way here.
    """
    try:
        root.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=root):
            pass
    except OSError as exc:
        verb = "write to" if root.is_dir() else "create"
        return (f"Paraphrase Studio cannot {verb} the data folder {root} ({exc.strerror or exc}), so nothing "
                "is saved: settings and history last until you close the app. "
                f"Point {DATA_ENV} at a folder you can write to.")
    return None
