"""``paraphrase-studio models``: the students as a table or one JSON list; exit 0 either way."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fake_students import CARD, DEFAULT_BUNDLE, STUDENT_CONTROLS, Catalog, fake_bundle

from paraphrase_studio.cli import main

CLI = [sys.executable, "-m", "paraphrase_studio"]


@pytest.fixture
def catalog(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Catalog:
    return Catalog(monkeypatch, tmp_path)


def test_json_is_one_list_of_the_built_students(catalog: Catalog, capsys: pytest.CaptureFixture[str]) -> None:
    catalog.add(DEFAULT_BUNDLE)
    catalog.add("v2", manifest_controls=STUDENT_CONTROLS, card={"quality": None, "speed": None})
    catalog.add("v3", built=False)
    assert main(["models", "--json"]) == 0
    out = capsys.readouterr().out
    assert len(out.strip().splitlines()) == 1
    data = json.loads(out)
    assert [s["name"] for s in data] == [DEFAULT_BUNDLE, "v2"]
    assert data[0]["default"] and not data[1]["default"]
    assert data[0]["quality"] == CARD["quality"] and data[1]["quality"] is None
    assert data[1]["modes"] == ["standard", "simpler", "shorter"]
    assert [s["name"] for s in json.loads(_run(capsys, "models", "--json", "--all"))] == [DEFAULT_BUNDLE, "v2", "v3"]


def test_the_table_marks_the_default_and_shows_size_modes_and_figures(
        catalog: Catalog, capsys: pytest.CaptureFixture[str]) -> None:
    catalog.add(DEFAULT_BUNDLE)
    catalog.add("v2", manifest_controls=STUDENT_CONTROLS, card={"quality": None, "speed": None})
    out = _run(capsys, "models")
    rows = {line.split()[1] if line.startswith("*") else line.split()[0]: line for line in out.splitlines()[1:3]}
    assert rows[DEFAULT_BUNDLE].startswith("*")
    assert "1.5 MB" in rows[DEFAULT_BUNDLE] and "0.500 (dev)" in rows[DEFAULT_BUNDLE]
    assert "1.25 s" in rows[DEFAULT_BUNDLE]
    assert not rows["v2"].startswith("*") and "standard, simpler, shorter" in rows["v2"]
    assert rows["v2"].split()[-2:] == ["-", "-"]  # nothing measured: no figure invented


def test_all_lists_the_students_not_built_with_their_build_command(
        catalog: Catalog, capsys: pytest.CaptureFixture[str]) -> None:
    catalog.add(DEFAULT_BUNDLE)
    catalog.add("v2", built=False)
    out = _run(capsys, "models", "--all")
    assert "not built" in out and "build v2: paraphrase-studio export" in out
    assert "not built" not in _run(capsys, "models")


def test_with_no_student_built_it_says_how_to_build_one(catalog: Catalog, capsys: pytest.CaptureFixture[str]) -> None:
    catalog.add(DEFAULT_BUNDLE, built=False)
    fake_bundle(catalog.bundles, "smollm2-135m-fewshot")  # a built bundle, but no student
    assert main(["models"]) == 0
    assert "./studio build" in capsys.readouterr().out
    assert main(["models", "--json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out) == [] and "./studio build" in captured.err


def test_the_real_catalog_through_the_command(default_bundle: Path, tmp_path: Path) -> None:
    """The command as a user runs it, on the real default bundle's manifest and committed card."""
    done = subprocess.run([*CLI, "models", "--json"], capture_output=True, timeout=120)
    assert done.returncode == 0 and b"Traceback" not in done.stderr
    (student,) = [s for s in json.loads(done.stdout) if s["default"]]
    assert student["name"] == DEFAULT_BUNDLE and student["installed"] and student["size_mb"] > 1
    assert student["quality"]["good_rate"] > 0 and "standard" in student["modes"]
    empty = subprocess.run([*CLI, "models"], capture_output=True, timeout=120,
                           env={**os.environ, "PARAPHRASE_STUDIO_BUNDLES": str(tmp_path)})
    assert empty.returncode == 0 and b"./studio build" in empty.stdout


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv)) == 0
    return capsys.readouterr().out
