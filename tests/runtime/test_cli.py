"""The ``paraphrase-studio paraphrase`` contract, through a real subprocess."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from models.bundle import read_manifest
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
        assert all({"text", "score", "confidence"} <= set(p) <= {"text", "score", "confidence", "reason"}
                   and isinstance(p["score"], float) for p in obj["paraphrases"])
        assert all(isinstance(p["reason"], str) and p["reason"] for p in obj["paraphrases"] if "reason" in p)
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
    tokenizer = read_manifest(copy).tokenizer_file
    with open(copy / tokenizer, "r+b") as handle:
        handle.seek(100)
        handle.write(b"XXXX")
    done = run_cli("paraphrase", "hello there", env={"PARAPHRASE_STUDIO_BUNDLES": str(tmp_path)})
    assert done.returncode == 3
    assert f"{tokenizer} is corrupt".encode() in done.stderr and b"Traceback" not in done.stderr


@pytest.mark.parametrize("option", ["--bundle", "--model"])
def test_the_bundle_option_is_bundle_as_in_app_and_bench_with_model_as_alias(option: str, tmp_path: Path) -> None:
    done = run_cli("paraphrase", option, str(tmp_path / "no-such-bundle"), "hello there")
    assert done.returncode == 3 and b"Traceback" not in done.stderr
    assert b"no-such-bundle" in done.stderr
    assert b"--bundle" in run_cli("paraphrase", "--help").stdout


# -- --mode --------------------------------------------------------------------------------------

class _ModeRecorder:
    """Stands in for a loaded student: records the mode each paraphrase is asked for."""

    def __init__(self, modes: tuple[str, ...]) -> None:
        self.name, self.modes, self.asked = "recorder", modes, []

    def paraphrase(self, text: str, **options):  # noqa: ANN003, ANN201
        from models.paraphraser import ParaphraseResult
        from models.pipeline import Candidate

        self.asked.append(options["mode"])
        return ParaphraseResult(input=text, candidates=[Candidate("A rewrite.", -0.5)], model=self.name,
                                elapsed_ms=1.0, requested=1)


def _with_recorder(monkeypatch: pytest.MonkeyPatch, modes: tuple[str, ...]) -> _ModeRecorder:
    import models.cli

    recorder = _ModeRecorder(modes)
    monkeypatch.setattr(models.cli.Paraphraser, "load", classmethod(lambda cls, *a, **k: recorder))
    return recorder


@pytest.mark.parametrize(("argv", "expected"), [([], "standard"), (["--mode", "shorter"], "shorter")])
def test_the_mode_reaches_the_paraphraser_and_the_json(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture,
                                                       argv: list[str], expected: str) -> None:
    from paraphrase_studio.cli import main

    recorder = _with_recorder(monkeypatch, ("standard", "simpler", "shorter"))
    assert main(["paraphrase", "--json", "-n", "1", *argv, "One input.", "Two inputs."]) == 0
    assert recorder.asked == [expected, expected]
    objects = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    # a standard run's objects are exactly as before; another mode says which it was
    assert [o.get("mode") for o in objects] == [None if expected == "standard" else expected] * 2


@pytest.mark.parametrize("mode", ["simpler", "bogus", ""])
def test_a_mode_the_student_lacks_is_a_usage_error_before_any_work(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture, mode: str) -> None:
    from paraphrase_studio.cli import main

    recorder = _with_recorder(monkeypatch, ("standard",))
    with pytest.raises(SystemExit) as exit_info:
        main(["paraphrase", "--mode", mode, "One input."])
    assert exit_info.value.code == 2 and recorder.asked == []
    captured = capsys.readouterr()
    assert captured.out == "" and "has no such mode; its modes: standard" in captured.err


def _controlled_copy(tiny_bundle: Path, folder: Path) -> Path:
    """The tiny bundle with a controlled prompt (the manifest lists no prompt, so no hash changes)."""
    from models.recipes import CONTROLLED_TEMPLATE, STUDENT_CONTROLS

    shutil.copytree(tiny_bundle, folder)
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["prompt"] = {**manifest["prompt"], "template": CONTROLLED_TEMPLATE,
                          "controls": STUDENT_CONTROLS.to_dict()}
    (folder / "manifest.json").write_text(json.dumps(manifest))
    return folder


def test_mode_on_a_real_bundle_controlled_or_not(tiny_bundle: Path, tmp_path: Path) -> None:
    controlled = _controlled_copy(tiny_bundle, tmp_path / "tiny-controlled")
    done = run_cli("paraphrase", "--bundle", str(controlled), "--mode", "simpler", "--json", "-n", "2",
                   "--seed", "1", "the cat sat on the mat .")
    assert done.returncode == 0, done.stderr.decode()
    (obj,) = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert obj["mode"] == "simpler" and obj["model"] == "tiny"
    done = run_cli("paraphrase", "--bundle", str(controlled), "--mode", "formal", "the cat sat .")
    assert done.returncode == 2 and b"Traceback" not in done.stderr and done.stdout == b""
    assert "its modes: standard, simpler, shorter" in done.stderr.decode()
    done = run_cli("paraphrase", "--bundle", str(tiny_bundle), "--mode", "shorter", "the cat sat .")
    assert done.returncode == 2 and "the model tiny has no such mode; its modes: standard" in done.stderr.decode()
