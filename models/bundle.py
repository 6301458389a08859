"""The bundle format: a folder with an ONNX decoder, a tokenizer and ``manifest.json``.

The manifest is the contract between ``export`` (which writes it) and the runtime (which
trusts nothing it does not check): every file is listed with its sha256 and size, and the
prompt format and model geometry live here so the runtime never hard-codes a model.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .catalog import rebuild_command
from .errors import BundleError
from .prompt import PromptFormat

log = logging.getLogger(__name__)

MANIFEST_NAME = "manifest.json"
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
        return cls(
            num_layers=int(data["num_layers"]),
            num_kv_heads=int(data["num_kv_heads"]),
            head_dim=int(data["head_dim"]),
            vocab_size=int(data["vocab_size"]),
            max_positions=int(data["max_positions"]),
        )


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

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Manifest:
        return cls(
            name=str(data["name"]),
            model_file=str(data["model"]["file"]),
            tokenizer_file=str(data.get("tokenizer_file", "tokenizer.json")),
            geometry=ModelGeometry.from_dict(data["model"]),
            prompt=PromptFormat.from_dict(data["prompt"]),
            files=dict(data["files"]),
            raw=data,
        )


def write_manifest(folder: Path, data: dict[str, Any]) -> Path:
    """Write the manifest last, after every file it lists is in place."""
    data = {"format_version": FORMAT_VERSION, **data}
    path = folder / MANIFEST_NAME
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(path)
    return path


def read_manifest(folder: Path) -> Manifest:
    """Parse a bundle's manifest without checking its files (cheap; for listings)."""
    name = folder.name
    path = folder / MANIFEST_NAME
    if not folder.is_dir():
        raise BundleError(f"Model bundle '{name}' is not installed (no folder {folder}).",
                          bundle=name, rebuild_command=rebuild_command(name))
    if not path.is_file():
        raise BundleError(f"Model bundle '{name}' is incomplete: {path} is missing.",
                          bundle=name, rebuild_command=rebuild_command(name))
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if int(data.get("format_version", 0)) != FORMAT_VERSION:
            raise BundleError(
                f"Model bundle '{name}' has format {data.get('format_version')!r}; "
                f"this version of Paraphrase Studio reads format {FORMAT_VERSION}.",
                bundle=name, rebuild_command=rebuild_command(name))
        return Manifest.from_dict(data)
    except BundleError:
        raise
    except (ValueError, KeyError, TypeError) as exc:
        raise BundleError(f"Model bundle '{name}' has a damaged {MANIFEST_NAME}: {exc}",
                          bundle=name, rebuild_command=rebuild_command(name)) from exc


def verify_bundle(folder: Path, manifest: Manifest) -> None:
    """Check that every listed file exists with the recorded size and sha256.

    Size first (cheap, catches truncation), then the hash (catches alteration).
    The model and tokenizer must be among the listed files, so a hand-edited manifest
    cannot skip them.
    """
    name = manifest.name
    for required in (manifest.model_file, manifest.tokenizer_file):
        if required not in manifest.files:
            raise BundleError(f"Model bundle '{name}': manifest does not list {required}.",
                              bundle=name, rebuild_command=rebuild_command(name))
    for rel, record in manifest.files.items():
        path = folder / rel
        if not path.is_file():
            raise BundleError(f"Model bundle '{name}': file {rel} is missing.",
                              bundle=name, rebuild_command=rebuild_command(name))
        size = path.stat().st_size
        if size != int(record["size"]):
            raise BundleError(
                f"Model bundle '{name}': file {rel} is {size} bytes, expected "
                f"{record['size']} (truncated or replaced).",
                bundle=name, rebuild_command=rebuild_command(name))
        if sha256_file(path) != record["sha256"]:
            raise BundleError(f"Model bundle '{name}': file {rel} is corrupt (sha256 mismatch).",
                              bundle=name, rebuild_command=rebuild_command(name))
    log.debug("verified %d files of bundle %s", len(manifest.files), name)


def load_manifest(folder: Path, *, verify: bool = True) -> Manifest:
    """Read and (by default) verify a bundle; the one entry point the runtime uses."""
    manifest = read_manifest(folder)
    if verify:
        verify_bundle(folder, manifest)
    return manifest
