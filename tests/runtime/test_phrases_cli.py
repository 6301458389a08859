"""``paraphrase-studio phrases``: one span or JSON lines, error objects, exit codes."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from paraphrase_studio.cli import main


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tiny_phrases import write_tiny_index

    return write_tiny_index(tmp_path_factory.mktemp("phrases") / "tiny-phrases")


def run_cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str], str]:
    code = main(["phrases", *argv])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


def query(text: str, word: str) -> dict[str, object]:
    start = text.index(word)
    return {"text": text, "start": start, "end": start + len(word)}


def test_one_span_as_json(index_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = "Significant gains were made."
    code, out, err = run_cli([text, "--span", "0:11", "--json", "--index", str(index_dir), "--scorer", "none"],
                             capsys)
    assert code == 0 and err == ""
    (obj,) = [json.loads(line) for line in out]
    assert list(obj) == ["text", "start", "end", "phrase", "alternatives", "elapsed_ms"]
    assert (obj["text"], obj["start"], obj["end"], obj["phrase"]) == (text, 0, 11, "Significant")
    assert [a["text"] for a in obj["alternatives"]][:2] == ["Considerable", "Substantial"]
    assert all(set(a) == {"text", "score"} for a in obj["alternatives"])
    assert obj["elapsed_ms"] >= 0


def test_one_span_as_plain_text(index_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["They own the big house.", "--span", "13:16", "--index", str(index_dir),
                            "--scorer", "none", "-k", "2"], capsys)
    assert code == 0
    assert out == ["big\tlarge | enormous"]


def test_json_lines_in_order_with_error_objects(index_dir: Path, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    good = [query("Prices rose in May.", "rose"), query("A purple elephant.", "elephant"),
            query("They will look into it.", "look into")]
    lines = [json.dumps(good[0]), '{"text": "Short.", "start": 3, "end": 3}', "not json at all",
             '{"text": "No end.", "start": 0}', '{"text": "Out of range.", "start": 2, "end": 99}',
             json.dumps(good[1]), '["a", "list"]', '{"text": "Bad start.", "start": "0", "end": 3}',
             json.dumps(good[2])]
    path = tmp_path / "queries.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = run_cli(["-i", str(path), "--json", "--index", str(index_dir), "--scorer", "none"], capsys)
    assert code == 2
    objects = [json.loads(line) for line in out]
    assert len(objects) == len(lines)
    assert [a["text"] for a in objects[0]["alternatives"]] == ["increased", "climbed"]  # never "fell"
    assert objects[5]["alternatives"] == [] and objects[5]["phrase"] == "elephant"
    assert objects[8]["alternatives"][0]["text"] == "investigate"
    errors = {o["line"]: o["error"] for o in objects if "error" in o}
    assert sorted(errors) == [2, 3, 4, 5, 7, 8]
    assert "empty" in errors[2] and "not JSON" in errors[3] and "'end'" in errors[4]
    assert "outside the text" in errors[5] and "not a JSON object" in errors[7] and '"start"' in errors[8]
    assert err.count("skipped line") == 6


def test_stdin_and_plain_lines(index_dir: Path, monkeypatch: pytest.MonkeyPatch,
                               capsys: pytest.CaptureFixture[str]) -> None:
    data = (json.dumps(query("The gains were significant.", "significant")) + "\n").encode()
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data)))
    code, out, _ = run_cli(["-i", "-", "--index", str(index_dir), "--scorer", "none", "-k", "1"], capsys)
    assert code == 0 and out == ["significant\tconsiderable"]


def test_a_bad_span_is_an_error_object_and_exit_2(index_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(["Hello there.", "--span", "5:5", "--json", "--index", str(index_dir),
                              "--scorer", "none"], capsys)
    assert code == 2
    assert "empty" in json.loads(out[0])["error"] and "skipped the span" in err


@pytest.mark.parametrize("argv", [
    ["Some text."],                                    # no --span
    ["--span", "0:4"],                                 # no text
    ["Some text.", "--span", "zero:4"],                # not numbers
    ["Some text.", "--span", "0:4", "-i", "-"],        # both ways in
    ["Some text.", "--span", "0:4", "-k", "0"],
])
def test_usage_errors_exit_2(index_dir: Path, argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["phrases", *argv, "--index", str(index_dir)])
    assert info.value.code == 2
    assert "Traceback" not in capsys.readouterr().err


def test_a_missing_index_exits_3_with_the_rebuild(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(["Some text.", "--span", "0:4", "--index", str(tmp_path / "gone"), "--scorer", "none"],
                             capsys)
    assert code == 3 and out == []
    assert "gone" in err and "distill.phrase_mining" in err


def test_an_empty_input_is_a_usage_error(index_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_bytes(b"")
    code, out, err = run_cli(["-i", str(path), "--index", str(index_dir), "--scorer", "none"], capsys)
    assert code == 2 and "nothing to look up" in err
