"""A bundle file is hashed once, and again whenever anything about it changed."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest

import models.bundle as bundle_module
from models import BundleError
from models import verified_files
from models.bundle import load_manifest

LATER_NS = 10 * 10**9  # hashing "starts" this long after the files were written: past the racy margin


@pytest.fixture()
def record(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "cache" / "verified-files.json"
    monkeypatch.setenv(verified_files.ENV_VAR, str(path))
    return path


@pytest.fixture()
def hashed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files sha256 actually read, in order."""
    calls: list[str] = []
    real = bundle_module.sha256_file

    def counting(path: Path) -> str:
        calls.append(Path(path).name)
        return real(path)

    monkeypatch.setattr(bundle_module, "sha256_file", counting)
    return calls


@pytest.fixture()
def bundle(tiny_bundle: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "tiny"
    shutil.copytree(tiny_bundle, copy)
    return copy


def _hash_later(monkeypatch: pytest.MonkeyPatch) -> None:
    real = time.time_ns
    monkeypatch.setattr(bundle_module.time, "time_ns", lambda: real() + LATER_NS)


def test_an_unchanged_bundle_is_read_once(bundle: Path, record: Path, hashed: list[str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    _hash_later(monkeypatch)
    load_manifest(bundle)
    assert sorted(hashed) == ["model.onnx", "tokenizer.json.gz"]
    assert record.is_file()
    load_manifest(bundle)
    load_manifest(bundle)
    assert len(hashed) == 2  # the later loads trusted the record


def test_an_altered_file_is_hashed_again_and_refused(bundle: Path, record: Path, hashed: list[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    _hash_later(monkeypatch)
    load_manifest(bundle)
    model = bundle / "model.onnx"
    before = model.stat()
    time.sleep(0.05)  # past the file system's timestamp granularity
    data = bytearray(model.read_bytes())
    data[len(data) // 2] ^= 0xFF
    model.write_bytes(bytes(data))
    os.utime(model, ns=(before.st_atime_ns, before.st_mtime_ns))  # even with its old modification time
    with pytest.raises(BundleError, match="corrupt"):
        load_manifest(bundle)
    assert hashed.count("model.onnx") == 2


def test_a_file_written_just_before_its_hash_is_not_recorded(bundle: Path, record: Path, hashed: list[str]) -> None:
    """The racy case: its times may not move on a write within the same tick, so it is read again."""
    load_manifest(bundle)
    load_manifest(bundle)
    assert hashed.count("model.onnx") == 2
    assert not record.exists() or str((bundle / "model.onnx").resolve()) not in record.read_text()


def test_switched_off_or_damaged_record_means_hashing_again(bundle: Path, record: Path, hashed: list[str],
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    _hash_later(monkeypatch)
    record.parent.mkdir(parents=True)
    record.write_text("{not json")
    load_manifest(bundle)
    assert json.loads(record.read_text())["format"] == 1  # rewritten whole
    monkeypatch.setenv(verified_files.ENV_VAR, "off")
    load_manifest(bundle)
    assert hashed.count("model.onnx") == 2


def test_an_unwritable_record_does_not_fail_the_load(bundle: Path, tmp_path: Path, hashed: list[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the record's folder should be")
    monkeypatch.setenv(verified_files.ENV_VAR, str(blocker / "verified-files.json"))
    _hash_later(monkeypatch)
    load_manifest(bundle)
    load_manifest(bundle)
    assert hashed.count("model.onnx") == 2
