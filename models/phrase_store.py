"""The phrase index format: ``phrases.npz`` (numpy arrays), ``manifest.json``, ``README.md``.

Why arrays and not SQLite: the packaged app leaves ``sqlite3`` out (``build.spec``), and the
whole table is a few megabytes that load in tens of milliseconds, after which a lookup is
one dictionary probe and a slice, well inside the query's 50 ms.

``phrases.npz`` (a zip of arrays written by :func:`numpy.savez_compressed`, read with
``allow_pickle=False``, so loading never runs code) holds:

* ``strings``: uint8, every phrase and alternative as UTF-8, ``"\\n"``-separated; ids below
  index this list;
* ``phrase_ids``: int32 ``[P]``, the string id of each source phrase;
* ``offsets``: int64 ``[P + 1]``, phrase ``p``'s alternatives are entries
  ``offsets[p]:offsets[p + 1]``, best first;
* ``alt_ids``: int32 ``[E]``, the string id of each alternative;
* ``counts``: int32 ``[E]``, in how many independent sources (a teacher seed group, a human
  pair) the substitution was seen, both directions counted;
* ``p_alt``: float32 ``[E]``, p(alternative | phrase); ``p_phrase``: float32 ``[E]``,
  p(phrase | alternative) (PPDB's two translation probabilities);
* ``similarity``: float32 ``[E]``, cosine of the two phrases' embeddings (1.0 when the
  mining ran without an embedder);
* ``score``: float32 ``[E]``, 0..1, the mining's ranking of the alternative from the four
  features above (``distill.phrase_mining.rank_score``); the query ranks by it;
* ``blocked``: uint8, ``"a\\tb"`` lines: word pairs that reverse a statement ("rose"/"fell",
  from the mining's antonym list), which the query never offers for each other;
* ``vocabulary``: uint8, ``"\\n"``-separated words seen in cased text: an alternative the
  query inflects itself ("climb" -> "climbing") is offered only if the result is a real word.

The manifest lists every file with its sha256 and size, like a model bundle's, and the
runtime checks them on load: a missing or altered file is a :class:`PhraseIndexError`
naming the file and the command that rebuilds it.
"""

from __future__ import annotations

import json
import logging
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .bundle import _files, _first_line, _require_field, _require_object, _require_text, check_listed_files, \
    file_record
from .catalog import FROZEN_FIX, MANIFEST_NAME, is_frozen
from .errors import BundleError

log = logging.getLogger(__name__)

#: ``"kind"`` of a phrase index's manifest.
PHRASES_KIND = "phrases"
#: 1: the arrays listed in this module's docstring.
PHRASES_FORMAT_VERSION = 1
#: The arrays file inside an index folder.
ARRAYS_FILE = "phrases.npz"
#: Arrays ``phrases.npz`` must hold, with their dtype kinds.
ARRAYS = {"strings": "u", "phrase_ids": "i", "offsets": "i", "alt_ids": "i", "counts": "i",
          "p_alt": "f", "p_phrase": "f", "similarity": "f", "score": "f", "blocked": "u", "vocabulary": "u"}
#: The command that mines the index again from ``../shared/data`` (the data beside the clone).
MINE_COMMAND = ".venv/bin/python -m distill.phrase_mining"


class PhraseIndexError(BundleError):
    """A phrase index is missing, damaged or not a phrase index; the message says how to rebuild it."""


def phrases_rebuild_command(folder: Path) -> str:
    """What a user runs to get a damaged or missing index back."""
    if is_frozen():
        return FROZEN_FIX
    committed = Path(__file__).resolve().parent / "phrases"
    try:
        inside = folder.expanduser().resolve().parent == committed
    except (OSError, RuntimeError):
        inside = False
    if inside:
        return (f"git checkout -- models/phrases/{folder.name}   "
                f"(or mine it again: {MINE_COMMAND} --out models/phrases/{folder.name})")
    return f"{MINE_COMMAND} --out {folder}"


@dataclass(frozen=True)
class PhraseTable:
    """The index's arrays, in memory (what :func:`write_index` takes and :func:`read_arrays` gives)."""

    strings: list[str]
    phrase_ids: np.ndarray
    offsets: np.ndarray
    alt_ids: np.ndarray
    counts: np.ndarray
    p_alt: np.ndarray
    p_phrase: np.ndarray
    similarity: np.ndarray
    score: np.ndarray
    blocked: list[tuple[str, str]] = field(default_factory=list)
    vocabulary: list[str] = field(default_factory=list)

    @property
    def phrases(self) -> int:
        return len(self.phrase_ids)

    @property
    def entries(self) -> int:
        return len(self.alt_ids)

    def check(self) -> None:
        """Shapes and ranges agree; a ValueError names what does not."""
        n_strings, n_phrases, n_entries = len(self.strings), len(self.phrase_ids), len(self.alt_ids)
        if any("\n" in s for s in (*self.strings, *self.vocabulary)):
            raise ValueError("a string contains a newline")
        if self.offsets.shape != (n_phrases + 1,):
            raise ValueError(f"offsets has shape {self.offsets.shape}, expected ({n_phrases + 1},)")
        if n_phrases and (self.offsets[0] != 0 or self.offsets[-1] != n_entries
                          or np.any(np.diff(self.offsets) < 0)):
            raise ValueError("offsets are not a non-decreasing run from 0 to the number of entries")
        for name in ("counts", "p_alt", "p_phrase", "similarity", "score"):
            if getattr(self, name).shape != (n_entries,):
                raise ValueError(f"{name} has {getattr(self, name).shape[0]} entries, expected {n_entries}")
        for name, ids in (("phrase_ids", self.phrase_ids), ("alt_ids", self.alt_ids)):
            if len(ids) and (ids.min() < 0 or ids.max() >= n_strings):
                raise ValueError(f"{name} points outside the {n_strings} strings")
        for name, low in (("p_alt", 0.0), ("p_phrase", 0.0), ("score", 0.0), ("similarity", -1.0)):
            values = getattr(self, name)
            if len(values) and not (np.all(np.isfinite(values)) and values.min() >= low - 1e-6
                                    and values.max() <= 1 + 1e-6):
                raise ValueError(f"{name} is not within {low:g}..1 everywhere")


def _blob(lines: Sequence[str]) -> np.ndarray:
    return np.frombuffer("\n".join(lines).encode("utf-8"), dtype=np.uint8)


def _lines(blob: np.ndarray) -> list[str]:
    text = blob.tobytes().decode("utf-8")
    return text.split("\n") if text else []


def write_index(folder: Path, table: PhraseTable, info: dict[str, Any]) -> Path:
    """Write ``phrases.npz`` then the manifest (last, through a rename); return the folder.

    ``info`` goes into the manifest as is (name, description, counts, how it was built).
    """
    table.check()
    folder.mkdir(parents=True, exist_ok=True)
    arrays = {
        "strings": _blob(table.strings),
        "phrase_ids": np.asarray(table.phrase_ids, dtype=np.int32),
        "offsets": np.asarray(table.offsets, dtype=np.int64),
        "alt_ids": np.asarray(table.alt_ids, dtype=np.int32),
        "counts": np.asarray(table.counts, dtype=np.int32),
        "p_alt": np.asarray(table.p_alt, dtype=np.float32),
        "p_phrase": np.asarray(table.p_phrase, dtype=np.float32),
        "similarity": np.asarray(table.similarity, dtype=np.float32),
        "score": np.asarray(table.score, dtype=np.float32),
        "blocked": _blob([f"{a}\t{b}" for a, b in table.blocked]),
        "vocabulary": _blob(table.vocabulary),
    }
    path = folder / ARRAYS_FILE
    tmp = folder / (ARRAYS_FILE + ".tmp.npz")
    np.savez_compressed(tmp, **arrays)
    tmp.replace(path)
    manifest = {"format_version": PHRASES_FORMAT_VERSION, "kind": PHRASES_KIND, **info,
                "phrases": table.phrases, "entries": table.entries,
                "files": {ARRAYS_FILE: file_record(path)}}
    manifest.setdefault("name", folder.name)
    target = folder / MANIFEST_NAME
    tmp_manifest = target.with_suffix(".tmp")
    tmp_manifest.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp_manifest.replace(target)
    return folder


@dataclass(frozen=True)
class PhraseManifest:
    """Parsed ``manifest.json`` of a phrase index; ``raw`` keeps every field for reports."""

    name: str
    files: dict[str, dict[str, Any]]
    raw: dict[str, Any] = field(repr=False)


def read_manifest(folder: Path) -> PhraseManifest:
    """Parse and check an index's manifest, then every listed file's size and sha256."""
    name = folder.name
    path = folder / MANIFEST_NAME

    def error(message: str) -> PhraseIndexError:
        return PhraseIndexError(message, bundle=name, rebuild_command=phrases_rebuild_command(folder))

    if not folder.is_dir():
        raise error(f"Phrase index '{name}' is not installed (no folder {folder}).")
    if not path.is_file():
        raise error(f"Phrase index '{name}' is incomplete: {path} is missing.")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise error(f"Phrase index '{name}': {path} cannot be read ({exc.strerror or exc}).") from exc
    except (ValueError, RecursionError) as exc:
        raise error(f"Phrase index '{name}' has a damaged {MANIFEST_NAME} ({path}): it is not valid JSON "
                    f"({_first_line(exc)}).") from exc
    try:
        data = _require_object(data, "the manifest")
        if data.get("kind") != PHRASES_KIND:
            raise ValueError(f"its kind is {data.get('kind')!r}, not {PHRASES_KIND!r}")
        version = data.get("format_version")
        if isinstance(version, bool) or version != PHRASES_FORMAT_VERSION:
            raise ValueError(f"it has format {version!r}; this version of Paraphrase Studio reads phrase index "
                             f"format {PHRASES_FORMAT_VERSION}")
        manifest = PhraseManifest(name=_require_text(_require_field(data, "name", "the manifest"), "'name'"),
                                  files=_files(_require_field(data, "files", "the manifest")), raw=data)
        if ARRAYS_FILE not in manifest.files:
            raise ValueError(f"'files' does not list {ARRAYS_FILE}")
    except (ValueError, KeyError, TypeError) as exc:
        raise error(f"Phrase index '{name}' has a damaged {MANIFEST_NAME} ({path}): {_first_line(exc)}.") from exc
    check_listed_files(folder, manifest.files, f"Phrase index '{name}'", error)
    return manifest


def read_arrays(folder: Path, manifest: PhraseManifest) -> PhraseTable:
    """Load ``phrases.npz`` (already verified by :func:`read_manifest`) into a :class:`PhraseTable`."""
    path = folder / ARRAYS_FILE
    try:
        with np.load(path, allow_pickle=False) as data:
            missing = [k for k in ARRAYS if k not in data.files]
            if missing:
                raise ValueError(f"it lacks the arrays {', '.join(missing)}")
            arrays = {k: data[k] for k in ARRAYS}
        for key, kind in ARRAYS.items():
            if arrays[key].ndim != 1 or arrays[key].dtype.kind != kind:
                raise ValueError(f"array {key} is {arrays[key].dtype} with {arrays[key].ndim} dimensions")
        blocked = [tuple(line.split("\t", 1)) for line in _lines(arrays["blocked"])]
        if any(len(pair) != 2 for pair in blocked):
            raise ValueError("a blocked line has no tab")
        table = PhraseTable(strings=_lines(arrays["strings"]), phrase_ids=arrays["phrase_ids"],
                            offsets=arrays["offsets"], alt_ids=arrays["alt_ids"], counts=arrays["counts"],
                            p_alt=arrays["p_alt"], p_phrase=arrays["p_phrase"],
                            similarity=arrays["similarity"], score=arrays["score"],
                            blocked=blocked, vocabulary=_lines(arrays["vocabulary"]))  # type: ignore[arg-type]
        table.check()
    except (OSError, ValueError, UnicodeDecodeError, EOFError, zipfile.BadZipFile) as exc:  # np.load's many kinds
        raise PhraseIndexError(f"Phrase index '{manifest.name}': {ARRAYS_FILE} cannot be read ({_first_line(exc)}).",
                               bundle=manifest.name, rebuild_command=phrases_rebuild_command(folder)) from exc
    log.debug("phrase index %s: %d phrases, %d alternatives", manifest.name, table.phrases, table.entries)
    return table
