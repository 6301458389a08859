"""Remembers which bundle files already matched their sha256, so each start need not read them again.

Why: every file a bundle's manifest lists is hashed before it is used (a corrupt or replaced
model must give a clear message, never odd paraphrases). The installed app leaves out OpenSSL
(4.7 MB of its 250 MB budget), so its ``hashlib`` falls back to Python's own sha256, about
195 MB/s on a 2-core laptop CPU against OpenSSL's 1.1 GB/s: the student, scorer and phrase
index (~130 MB) would cost ~0.7 s at every start. With this record only the first start (or
the first after a file changed) pays it.

A file counts as unchanged only if its size, modification time, status-change time, inode
and device are all what they were when it was hashed. The status-change time moves on any
write or ``touch`` and no user tool can set it back, so editing, replacing or truncating a
file always brings a fresh hash. As in git's index, a file changed within
:data:`RACY_MARGIN_NS` before its hash began is not recorded: file times are coarse (a few
milliseconds on Linux), and a write that lands in the same tick would otherwise look
unchanged. On Windows before Python 3.12 ``st_ctime`` is the creation time, so there a write
whose modification time is then set back by hand would go unnoticed until the next rebuild.

The record lives in the per-user cache (:func:`models.catalog.user_cache_dir`), one small JSON file; set
``PARAPHRASE_STUDIO_VERIFIED_FILES`` to another path, or to ``off`` to hash at every load.
Reading or writing it never fails a load: a missing, damaged or read-only record only means
hashing again.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import threading
from pathlib import Path

from .catalog import user_cache_dir

log = logging.getLogger(__name__)

#: Environment variable: the record's path, or ``off``.
ENV_VAR = "PARAPHRASE_STUDIO_VERIFIED_FILES"
RECORD_NAME = "verified-files.json"
#: A file changed less than this before its hash began is hashed again next time.
RACY_MARGIN_NS = 2_000_000_000
#: Entries kept (the oldest go first): a few bundles, each rebuilt now and then.
MAX_ENTRIES = 64
_FORMAT = 1
_lock = threading.Lock()


def record_path() -> Path | None:
    """Where the record is kept, or None when it is switched off."""
    value = os.environ.get(ENV_VAR, "").strip()
    if value.lower() == "off":
        return None
    return Path(value) if value else user_cache_dir() / RECORD_NAME


def identity(info: os.stat_result) -> list[int]:
    """What must stay the same for a file to count as unchanged."""
    return [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev]


def known_digest(path: Path, info: os.stat_result) -> str | None:
    """The sha256 ``path`` had when it was last hashed, if nothing about it changed since."""
    record = record_path()
    if record is None:
        return None
    entry = _read(record).get(_key(path))
    if isinstance(entry, dict) and entry.get("identity") == identity(info) and isinstance(entry.get("sha256"), str):
        return entry["sha256"]
    return None


def remember(path: Path, info: os.stat_result, digest: str, hashing_started_ns: int) -> None:
    """Record that ``path`` (as ``info`` describes it) hashed to ``digest``; skipped for a file
    changed too shortly before its hash began (see the module docstring)."""
    record = record_path()
    if record is None or max(info.st_mtime_ns, info.st_ctime_ns) > hashing_started_ns - RACY_MARGIN_NS:
        return
    with _lock:
        entries = _read(record)
        entries.pop(_key(path), None)
        entries[_key(path)] = {"identity": identity(info), "sha256": digest}
        while len(entries) > MAX_ENTRIES:
            entries.pop(next(iter(entries)))
        _write(record, entries)


def _key(path: Path) -> str:
    return str(Path(path).resolve())


def _read(record: Path) -> dict[str, object]:
    try:
        data = json.loads(record.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("format") != _FORMAT or not isinstance(data.get("files"), dict):
        return {}
    return dict(data["files"])


def _write(record: Path, entries: dict[str, object]) -> None:
    """Atomically (a temporary file renamed over the record), so a reader never sees half of it."""
    try:
        record.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{record.name}.", dir=record.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump({"format": _FORMAT, "files": entries}, out)
            os.replace(temporary, record)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as exc:
        log.debug("could not write the verified-files record %s: %s", record, exc)
