"""The ``paraphrase-studio paraphrase`` contract, through a real subprocess."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from models.catalog import DEFAULT_BUNDLE

CLI = [sys.executable, "-m", "paraphrase_studio"]


def run_cli(*args: str, stdin: bytes | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *args], input=stdin, capture_output=True, timeout=300,
                          env={**os.environ, **(env or {})})


def test_json_prints_one_object_per_input(default_bundle: Path) -> None:
    done = run_cli("paraphrase", "--json", "-n", "3", "--seed", "1",
                   "It was a cold morning in the valley.", "The shop opens at nine.")
    assert done.returncode == 0, done.stderr.decode()
    lines = done.stdout.decode().strip().splitlines()
    assert len(lines) == 2
    objects = [json.loads(line) for line in lines]
    assert [o["input"] for o in objects] == ["It was a cold morning in the valley.", "The shop opens at nine."]
    for obj in objects:
        assert set(obj) == {"input", "paraphrases", "model", "elapsed_ms", "protected"}
        assert obj["model"] == DEFAULT_BUNDLE
        assert len(obj["paraphrases"]) == 3
        assert all(set(p) == {"text", "score", "confidence"} and isinstance(p["score"], float)
                   for p in obj["paraphrases"])
        # the meaning scorer's probability, or null when its bundle is not built
        assert all(p["confidence"] is None or 0.0 <= p["confidence"] <= 1.0 for p in obj["paraphrases"])
        assert obj["elapsed_ms"] > 0


def test_inputs_from_stdin_one_object_per_line_blank_lines_reported(default_bundle: Path) -> None:
    done = run_cli("paraphrase", "--json", "-n", "1", "-i", "-", stdin=b"First line here.\n\n   \nSecond line here.\n")
    objects = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert [o["input"] for o in objects] == ["First line here.", "", "   ", "Second line here."]
    assert [bool(o["paraphrases"]) for o in objects] == [True, False, False, True]
    assert "error" in objects[1] and "error" in objects[2]
    assert done.returncode == 2 and b"Traceback" not in done.stderr


def test_same_seed_same_output(default_bundle: Path) -> None:
    a = run_cli("paraphrase", "--json", "--seed", "5", "-n", "2", "A quiet street at dusk.")
    b = run_cli("paraphrase", "--json", "--seed", "5", "-n", "2", "A quiet street at dusk.")
    assert json.loads(a.stdout)["paraphrases"] == json.loads(b.stdout)["paraphrases"]


@pytest.mark.parametrize("args", [["-n", "0", "x"], ["-n", "11", "x"], ["--diversity", "2", "x"], [],
                                  ["-i", "/no/such/file"], ["--bogus"]])
def test_usage_errors_exit_2_without_traceback(args: list[str]) -> None:
    done = run_cli("paraphrase", *args)
    assert done.returncode == 2
    assert b"Traceback" not in done.stderr
    assert done.stderr.strip()


def test_bad_inputs_get_a_message_and_the_rest_still_run(default_bundle: Path, tmp_path: Path) -> None:
    binary = tmp_path / "garbage.bin"
    binary.write_bytes(bytes(range(256)) * 8)
    done = run_cli("paraphrase", "--json", "-n", "1", "-i", str(binary))
    assert done.returncode == 2 and b"Traceback" not in done.stderr
    huge = "word " * 20_000
    done = run_cli("paraphrase", "--json", "-n", "1", "-i", "-", stdin=(huge + "\nA fine short line.\n").encode())
    objects = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert done.returncode == 2 and b"Traceback" not in done.stderr
    assert "limit" in objects[0]["error"] and objects[0]["paraphrases"] == []
    assert objects[1]["input"] == "A fine short line." and objects[1]["paraphrases"]


def test_odd_unicode_gets_a_result_not_a_traceback(default_bundle: Path) -> None:
    done = run_cli("paraphrase", "--json", "-n", "2", "--seed", "1",
                   "The café was clos\u00aded 🙂 \u202eRTL\u202c to\u200bday.")
    assert done.returncode == 0, done.stderr.decode()
    assert json.loads(done.stdout)["paraphrases"]


def test_a_blank_argument_is_an_error_not_silence(default_bundle: Path) -> None:
    done = run_cli("paraphrase", "   ")
    assert done.returncode == 2 and b"Traceback" not in done.stderr
    assert b"skipped argument 1: There is no text to paraphrase" in done.stderr


def test_missing_or_corrupt_model_exits_3_with_rebuild_hint(default_bundle: Path, tmp_path: Path) -> None:
    done = run_cli("paraphrase", "hello there", env={"PARAPHRASE_STUDIO_BUNDLES": str(tmp_path)})
    assert done.returncode == 3
    assert b"not installed" in done.stderr and b"Rebuild it with" in done.stderr
    copy = tmp_path / default_bundle.name
    shutil.copytree(default_bundle, copy)
    with open(copy / "tokenizer.json", "r+b") as handle:
        handle.seek(100)
        handle.write(b"XXXX")
    done = run_cli("paraphrase", "hello there", env={"PARAPHRASE_STUDIO_BUNDLES": str(tmp_path)})
    assert done.returncode == 3
    assert b"tokenizer.json is corrupt" in done.stderr and b"Traceback" not in done.stderr


@pytest.mark.parametrize("option", ["--bundle", "--model"])
def test_the_bundle_option_is_bundle_as_in_app_and_bench_with_model_as_alias(option: str, tmp_path: Path) -> None:
    done = run_cli("paraphrase", option, str(tmp_path / "no-such-bundle"), "hello there")
    assert done.returncode == 3 and b"Traceback" not in done.stderr
    assert b"no-such-bundle" in done.stderr
    assert b"--bundle" in run_cli("paraphrase", "--help").stdout
