"""A malformed manifest is a BundleError, whatever its shape: never an AttributeError or KeyError.

The manifest is read before anything else of a bundle, by the CLI and by the app; a hand
edit or a half-written file used to surface as ``'size'`` (a bare KeyError) or a traceback.
These tests need no model: the listed files are a few bytes each, with their real sha256.
"""

from __future__ import annotations

import copy
import json
import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from models.bundle import MANIFEST_NAME, Manifest, file_record, load_manifest, read_manifest
from models.errors import BundleError

REPO = Path(__file__).resolve().parents[2]
#: Enough cases to reach every field many times over; the seed keeps any failure reproducible.
FUZZ_CASES = 400
FUZZ_SEED = 20240612


def _valid(folder: Path) -> dict[str, Any]:
    """A manifest of the exporter's shape whose files exist with the recorded size and sha256."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "model.onnx").write_bytes(b"not really onnx, but listed with its own hash")
    (folder / "tokenizer.json").write_text("{}", encoding="utf-8")
    return {
        "format_version": 2,
        "name": "fuzz",
        "description": "a manifest for the fuzz test",
        "base_model": {"name": "tiny", "sha256": "0" * 64},
        "model": {"file": "model.onnx", "num_layers": 2, "num_kv_heads": 1, "head_dim": 8,
                  "vocab_size": 64, "max_positions": 128},
        "tokenizer_file": "tokenizer.json",
        "prompt": {"template": "Sentence: {text}\nParaphrase:", "stop_token_ids": [2, 3],
                   "description": "student", "extra": {"copy_penalty_scale": 0.0}},
        "files": {"model.onnx": file_record(folder / "model.onnx"),
                  "tokenizer.json": file_record(folder / "tokenizer.json")},
        "quantization": {"method": "blockwise"},
    }


def _write(folder: Path, data: object) -> None:
    (folder / MANIFEST_NAME).write_text(json.dumps(data), encoding="utf-8")


def _random_value(rng: random.Random, depth: int = 0) -> Any:
    """Any JSON value, weighted towards the ones a manifest field could be confused with."""
    kinds = ["null", "bool", "int", "float", "str"] + (["list", "dict"] if depth < 3 else [])
    kind = rng.choice(kinds)
    if kind == "null":
        return None
    if kind == "bool":
        return rng.random() < 0.5
    if kind == "int":
        return rng.choice([0, 1, 2, -1, 64, 2**31, 2**63, -(2**40), 10**30])
    if kind == "float":
        return rng.choice([0.0, 1.5, -2.25, 1e308, 2.0, float("nan"), float("inf")])
    if kind == "str":
        return rng.choice(["", "x", "{text}", "{text}{text}", "model.onnx", "tokenizer.json", "../model.onnx",
                           "/etc/passwd", "a\x00b", "0" * 64, "ü" * 5, "12"])
    if kind == "list":
        return [_random_value(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    keys = ["size", "sha256", "file", "name", "template", "model.onnx", "k"]
    return {rng.choice(keys): _random_value(rng, depth + 1) for _ in range(rng.randint(0, 3))}


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every subtree's address in a JSON document (the root is ``()``)."""
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, prefix + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, prefix + (index,))
    return found


def _mutate(document: Any, rng: random.Random) -> Any:
    """Replace a random subtree with a random value, or drop a random key (the root may go too)."""
    path = rng.choice(_paths(document))
    if not path:
        return _random_value(rng)
    parent = document
    for step in path[:-1]:
        parent = parent[step]
    if isinstance(parent, dict) and rng.random() < 0.35:
        del parent[path[-1]]
    else:
        parent[path[-1]] = _random_value(rng)
    return document


def test_random_manifest_shapes_raise_only_bundle_errors(tmp_path: Path) -> None:
    folder = tmp_path / "fuzz-bundle"
    valid = _valid(folder)
    rng = random.Random(FUZZ_SEED)
    outcomes = {"loaded": 0, "refused": 0}
    for case in range(FUZZ_CASES):
        document: Any = copy.deepcopy(valid)
        for _ in range(rng.randint(1, 3)):
            document = _mutate(document, rng)
        _write(folder, document)
        try:
            manifest = load_manifest(folder)
        except BundleError as error:
            outcomes["refused"] += 1
            message = str(error)
            assert "Rebuild it with:" in message, (case, message)
            assert "--out" in message and str(tmp_path) in message, (case, message)  # the folder, not the name
            continue
        except Exception as error:  # noqa: BLE001 - the point of the test
            pytest.fail(f"case {case}: {type(error).__name__}: {error}\nmanifest: {json.dumps(document)[:400]}")
        outcomes["loaded"] += 1
        _assert_well_formed(manifest)
    assert outcomes["refused"] > FUZZ_CASES // 2 and outcomes["loaded"] > 0, outcomes


def _assert_well_formed(manifest: Manifest) -> None:
    """What the runtime reads from a manifest that loaded is of the type it expects."""
    assert isinstance(manifest.name, str) and manifest.name
    assert manifest.model_file in manifest.files and manifest.tokenizer_file in manifest.files
    for record in manifest.files.values():
        assert type(record["size"]) is int and isinstance(record["sha256"], str)
    assert all(type(value) is int and value > 0 for value in vars(manifest.geometry).values())
    assert manifest.prompt.template.count("{text}") == 1
    assert all(type(token) is int for token in manifest.prompt.stop_token_ids)
    float(manifest.prompt.extra.get("copy_penalty_scale", 1.0))


@pytest.mark.parametrize(("mangle", "says"), [
    (lambda m: [], "is a list, not an object"),
    (lambda m: None, "is null, not an object"),
    (lambda m: "manifest", "is a string, not an object"),
    (lambda m: {**m, "files": {**m["files"], "model.onnx": {"sha256": "0" * 64}}}, "has no 'size'"),
    (lambda m: {**m, "files": {**m["files"], "model.onnx": {"size": 3}}}, "has no 'sha256'"),
    (lambda m: {**m, "files": {**m["files"], "model.onnx": {"size": "45", "sha256": "0" * 64}}},
     "not a whole number"),
    (lambda m: {**m, "files": []}, "'files' is a list"),
    (lambda m: {**m, "model": "model.onnx"}, "'model' is a string"),
    (lambda m: {**m, "model": {**m["model"], "num_layers": True}}, "model['num_layers']"),
    (lambda m: {**m, "prompt": {"template": "Sentence: {text}"}}, "stop_token_ids"),
    (lambda m: {**m, "prompt": {**m["prompt"], "template": "no slot"}}, "{text}"),
    (lambda m: {**m, "prompt": {**m["prompt"], "extra": {"copy_penalty_scale": "high"}}}, "extra"),
    (lambda m: {**m, "files": {**m["files"], "../outside": m["files"]["model.onnx"]}}, "inside the bundle"),
    (lambda m: {k: v for k, v in m.items() if k != "name"}, "has no 'name'"),
    (lambda m: {**m, "format_version": "2"}, "has format '2'"),
], ids=["list", "null", "string", "no-size", "no-sha256", "size-string", "files-list", "model-string",
        "bool-count", "prompt-missing-field", "template-without-slot", "extra-not-number", "outside-path",
        "no-name", "version-string"])
def test_each_malformed_shape_names_the_file_and_what_is_wrong(tmp_path: Path, mangle, says: str) -> None:  # noqa: ANN001
    folder = tmp_path / "bundle"
    _write(folder, mangle(_valid(folder)))
    with pytest.raises(BundleError) as info:
        read_manifest(folder) if says.startswith("has format") else load_manifest(folder)
    message = str(info.value)
    assert says in message
    assert "Rebuild it with:" in message
    if not says.startswith("has format"):
        assert str(folder / MANIFEST_NAME) in message  # names the file


def test_a_hand_made_manifest_with_a_bad_record_is_refused_by_verify(tmp_path: Path) -> None:
    """verify_bundle checks records too (the exporter calls it with a Manifest it built)."""
    from models.bundle import verify_bundle

    folder = tmp_path / "bundle"
    _write(folder, _valid(folder))
    manifest = read_manifest(folder)
    broken = Manifest(**{**vars(manifest), "files": {**manifest.files, "model.onnx": {"sha256": "0" * 64}}})
    with pytest.raises(BundleError, match="has no 'size'"):
        verify_bundle(folder, broken)


def test_the_cli_exits_3_with_a_message_for_a_list_manifest(tmp_path: Path) -> None:
    folder = tmp_path / "bundle"
    folder.mkdir()
    _write(folder, [])
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-m", "paraphrase_studio", "paraphrase", "--model", str(folder),
                           "A sentence to paraphrase."], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 3, done.stderr
    assert "Traceback" not in done.stderr
    assert "manifest.json" in done.stderr and "is a list, not an object" in done.stderr
    assert f"--out {tmp_path}" in done.stderr  # the rebuild command names the folder the bundle is in
