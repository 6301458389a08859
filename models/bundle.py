"""The bundle format: a folder with an ONNX decoder, a tokenizer and ``manifest.json``.

The manifest is the contract between ``export`` (which writes it) and the runtime (which
trusts nothing it does not check): every file is listed with its sha256 and size, and the
prompt format and model geometry live here so the runtime never hard-codes a model. A file
unchanged since it last matched its sha256 is not read again (:mod:`models.verified_files`).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tokenizers import Tokenizer

from . import verified_files
from .catalog import MANIFEST_NAME, rebuild_command
from .errors import BundleError
from .prompt import PromptFormat
from .student_calibration import MANIFEST_KEY as CONFIDENCE_KEY
from .student_calibration import StudentCalibration

log = logging.getLogger(__name__)

#: 2: the fused graph (GroupQueryAttention with the KV cache written in place), tied 8-bit embedding.
FORMAT_VERSION = 2
_HASH_CHUNK = 4 * 1024 * 1024


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file, streamed so a 200 MB model never sits in memory twice."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def file_record(path: Path) -> dict[str, Any]:
    """The manifest entry for one file."""
    return {"sha256": sha256_file(path), "size": path.stat().st_size}


#: Largest count the manifest may declare: the graph's sequence lengths and shapes are int32.
_MAX_COUNT = 2**31 - 1
_SHA256_DIGITS = frozenset("0123456789abcdef")


def _kind(value: object) -> str:
    """How a JSON value reads in a message ("a list", "null"…)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return {dict: "an object", list: "a list", str: "a string", int: "a number",
            float: "a number"}.get(type(value), type(value).__name__)


def _require_object(value: object, where: str) -> dict[str, Any]:
    """``value`` as a JSON object, or a ValueError that says which field is wrong and how."""
    if not isinstance(value, dict):
        raise ValueError(f"{where} is {_kind(value)}, not an object")
    return value


def _require_field(data: dict[str, Any], key: str, where: str) -> Any:
    """``data[key]``, or a ValueError naming the object that lacks it (never a bare KeyError)."""
    if key not in data:
        raise ValueError(f"{where} has no {key!r}")
    return data[key]


def _require_count(value: object, where: str, *, minimum: int = 1) -> int:
    """A whole number in ``[minimum, 2**31 - 1]``; ``true`` and ``2.0`` are not counts."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{where} is {_kind(value)}, not a whole number")
    if not minimum <= value <= _MAX_COUNT:
        raise ValueError(f"{where} is {value}, outside {minimum}..{_MAX_COUNT}")
    return value


def _require_text(value: object, where: str) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError(f"{where} is {'empty' if value == '' else _kind(value)}, not a non-empty string")
    return value


def _relative_file(value: object, where: str) -> str:
    """A file name inside the bundle folder: relative, no ``..``, no NUL (which the OS refuses)."""
    name = _require_text(value, where)
    path = Path(name)
    if "\x00" in name or path.is_absolute() or ".." in path.parts or name.startswith(("/", "\\")):
        raise ValueError(f"{where} ({name!r}) is not a file inside the bundle folder")
    return name


def _file_entry(rel: str, record: object) -> dict[str, Any]:
    """One ``files`` entry: ``{"sha256": 64 hex digits, "size": bytes}``."""
    where = f"files[{rel!r}]"
    entry = _require_object(record, where)
    _require_count(_require_field(entry, "size", where), f"{where}['size']", minimum=0)
    digest = _require_field(entry, "sha256", where)
    if not isinstance(digest, str) or len(digest) != 64 or not set(digest) <= _SHA256_DIGITS:
        raise ValueError(f"{where}['sha256'] is not 64 lowercase hex digits")
    return entry


def _files(value: object) -> dict[str, dict[str, Any]]:
    files = _require_object(value, "'files'")
    return {_relative_file(rel, "a file name in 'files'"): _file_entry(rel, record) for rel, record in files.items()}


@dataclass(frozen=True)
class ModelGeometry:
    """What the decoding loop must know about the graph's KV cache."""

    num_layers: int
    num_kv_heads: int
    head_dim: int
    vocab_size: int
    max_positions: int

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ModelGeometry:
        """Read the ``model`` object; ValueError names the field that is missing or not a count."""
        data = _require_object(data, "'model'")
        return cls(**{key: _require_count(_require_field(data, key, "'model'"), f"model[{key!r}]")
                      for key in ("num_layers", "num_kv_heads", "head_dim", "vocab_size", "max_positions")})


@dataclass(frozen=True)
class Manifest:
    """Parsed ``manifest.json``; ``raw`` keeps every field for reports and the UI."""

    name: str
    model_file: str
    tokenizer_file: str
    geometry: ModelGeometry
    prompt: PromptFormat
    files: dict[str, dict[str, Any]]
    raw: dict[str, Any] = field(repr=False)
    #: How sure this student's candidates are shown, fitted with one named scorer
    #: (:mod:`models.student_calibration`); None for a bundle without the fit.
    confidence: StudentCalibration | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Manifest:
        """Check the whole shape, so no later ``record["size"]`` can fail with a bare KeyError.

        Raises ValueError whose message names the offending field (``files['model.onnx']
        has no 'size'``); :func:`read_manifest` turns it into a :class:`BundleError`.
        """
        data = _require_object(data, "the manifest")
        model = _require_object(_require_field(data, "model", "the manifest"), "'model'")
        prompt = _require_object(_require_field(data, "prompt", "the manifest"), "'prompt'")
        return cls(
            name=_require_text(_require_field(data, "name", "the manifest"), "'name'"),
            model_file=_relative_file(_require_field(model, "file", "'model'"), "model['file']"),
            tokenizer_file=_relative_file(data.get("tokenizer_file", "tokenizer.json"), "'tokenizer_file'"),
            geometry=ModelGeometry.from_dict(model),
            prompt=PromptFormat.from_dict(prompt),
            files=_files(_require_field(data, "files", "the manifest")),
            raw=data,
            confidence=(StudentCalibration.from_dict(data[CONFIDENCE_KEY], f"{CONFIDENCE_KEY!r}")
                        if data.get(CONFIDENCE_KEY) is not None else None),
        )


def load_tokenizer(path: Path) -> Tokenizer:
    """A bundle's tokenizer, from ``tokenizer.json`` or its gzip ``tokenizer.json.gz``.

    Why compressed: the student's tokenizer is 1.56 MB of JSON (vocabulary and merges) and
    0.56 MB gzipped; the installer has a 250 MB budget, and unpacking costs ~15 ms once
    per load. Bundles written before keep their plain file.
    """
    if path.suffix == ".gz":
        return Tokenizer.from_str(gzip.decompress(path.read_bytes()).decode("utf-8"))
    return Tokenizer.from_file(str(path))


def write_manifest(folder: Path, data: dict[str, Any]) -> Path:
    """Write the manifest last, after every file it lists is in place."""
    data = {"format_version": FORMAT_VERSION, **data}
    path = folder / MANIFEST_NAME
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(path)
    return path


def read_manifest(folder: Path) -> Manifest:
    """Parse a bundle's manifest without checking its files (cheap; for listings).

    Any manifest that is not exactly the shape the runtime reads (``[]``, ``null``, a file
    entry without ``size``, a count that is a string…) is a :class:`BundleError` naming the
    file and the field, with the command that rebuilds the bundle; never a KeyError.
    """
    name = folder.name
    path = folder / MANIFEST_NAME
    fix = rebuild_command(name, folder)
    if not folder.is_dir():
        raise BundleError(f"Model bundle '{name}' is not installed (no folder {folder}).",
                          bundle=name, rebuild_command=fix)
    if not path.is_file():
        raise BundleError(f"Model bundle '{name}' is incomplete: {path} is missing.",
                          bundle=name, rebuild_command=fix)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise BundleError(f"Model bundle '{name}': {path} cannot be read ({exc.strerror or exc}).",
                          bundle=name, rebuild_command=fix) from exc
    except (ValueError, RecursionError) as exc:  # not UTF-8, not JSON, or nested past the parser's depth
        raise BundleError(f"Model bundle '{name}' has a damaged {MANIFEST_NAME} ({path}): it is not valid JSON "
                          f"({_first_line(exc)}).", bundle=name, rebuild_command=fix) from exc
    version = data.get("format_version") if isinstance(data, dict) else None
    if isinstance(data, dict) and (isinstance(version, bool) or version != FORMAT_VERSION):
        raise BundleError(
            f"Model bundle '{name}' has format {version!r}; "
            f"this version of Paraphrase Studio reads format {FORMAT_VERSION}.",
            bundle=name, rebuild_command=fix)
    try:
        return Manifest.from_dict(data)
    except (ValueError, KeyError, TypeError) as exc:
        raise BundleError(f"Model bundle '{name}' has a damaged {MANIFEST_NAME} ({path}): {_first_line(exc)}.",
                          bundle=name, rebuild_command=fix) from exc


def _first_line(exc: BaseException) -> str:
    """An exception's message for a one-line report (KeyError's repr quotes are kept: 'size')."""
    text = str(exc).strip().splitlines()
    return text[0].rstrip(".") if text else type(exc).__name__


def verify_bundle(folder: Path, manifest: Manifest) -> None:
    """Check that every listed file exists with the recorded size and sha256.

    Size first (cheap, catches truncation), then the hash (catches alteration).
    The model and tokenizer must be among the listed files, so a hand-edited manifest
    cannot skip them. A record of the wrong shape (a Manifest made by hand) is a
    BundleError too.
    """
    name = manifest.name
    fix = rebuild_command(folder.name, folder)
    for required in (manifest.model_file, manifest.tokenizer_file):
        if required not in manifest.files:
            raise BundleError(f"Model bundle '{name}': manifest does not list {required}.",
                              bundle=name, rebuild_command=fix)
    check_listed_files(folder, manifest.files, f"Model bundle '{name}'",
                       lambda message: BundleError(message, bundle=name, rebuild_command=fix), show_paths=False)
    log.debug("verified %d files of bundle %s", len(manifest.files), name)


def check_listed_files(folder: Path, files: Mapping[str, Any], what: str, error: Callable[[str], Exception],
                       *, show_paths: bool = True) -> None:
    """Every file a manifest lists exists with its recorded size and sha256 (size first: cheap,
    catches truncation; then the hash: catches alteration).

    One loop for every kind of bundle (model, meaning scorer, phrase index): ``what`` starts
    each message ("Scorer bundle 'x'") and ``error`` makes the exception that carries the
    fix; ``show_paths`` adds the file's path to the messages.
    """
    for rel, record in files.items():
        try:
            entry = _file_entry(_relative_file(rel, "a file name in 'files'"), record)
        except ValueError as exc:
            raise error(f"{what} has a damaged {MANIFEST_NAME} ({folder / MANIFEST_NAME}): {exc}.") from exc
        path = folder / rel
        where = f": {path}" if show_paths else ""
        try:
            if not path.is_file():
                raise error(f"{what}: file {rel} is missing{f' ({path})' if show_paths else ''}.")
            info = path.stat()
            if info.st_size != entry["size"]:
                raise error(f"{what}: file {rel} is {info.st_size} bytes, expected {entry['size']} "
                            f"(truncated or replaced{where}).")
            digest = _checked_digest(path, info, entry["sha256"])
        except OSError as exc:
            raise error(f"{what}: file {rel} cannot be read ({exc.strerror or exc}).") from exc
        if digest != entry["sha256"]:
            raise error(f"{what}: file {rel} is corrupt (sha256 mismatch{where}).")


def _checked_digest(path: Path, info: os.stat_result, expected: str) -> str:
    """``path``'s sha256: remembered when the file is unchanged since it last matched
    (:mod:`models.verified_files`), else read, and remembered when it matches ``expected``."""
    known = verified_files.known_digest(path, info)
    if known is not None:
        return known
    started = time.time_ns()
    digest = sha256_file(path)
    if digest == expected:
        verified_files.remember(path, info, digest, started)
    return digest


def load_manifest(folder: Path, *, verify: bool = True) -> Manifest:
    """Read and (by default) verify a bundle; the one entry point the runtime uses."""
    manifest = read_manifest(folder)
    if verify:
        verify_bundle(folder, manifest)
    return manifest
