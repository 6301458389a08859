"""``paraphrase-studio score``: JSON lines, plain lines, refused lines, exit codes, stdin."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from models.changed_statement import FLAGGED_SHARE, changed_statement, pair_score
from models.scorer import MeaningScorer
from paraphrase_studio.cli import main

REPO = Path(__file__).resolve().parents[2]

GOOD = [
    ("The cat sat on the mat.", "A cat was sitting on the mat."),
    ("Prices rose by 3.2 percent in October.", "In October, prices went up 3.2 percent."),
    ("Anna sent the report to Mark on Tuesday.", "Mark sent the report to Anna on Tuesday."),
]


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tiny_scorer import tiny_scorer

    return tiny_scorer(tmp_path_factory).bundle


@pytest.fixture(scope="module")
def expected(bundle: Path) -> list[float]:
    """The library's numbers: the scorer's probability, 9 % of it for the last pair
    (Anna and Mark changed places: :mod:`models.changed_statement`)."""
    scores = MeaningScorer.load(bundle, threads=1).score([s for s, _ in GOOD], [c for _, c in GOOD])
    return [round(pair_score(float(x), changed_statement(s, c)), 4) for x, (s, c) in zip(scores, GOOD)]


def write(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "pairs.tsv"
    path.write_bytes(data)
    return path


def lines(pairs: list[tuple[str, str]]) -> bytes:
    return "".join(f"{s}\t{c}\n" for s, c in pairs).encode()


def run_cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str], str]:
    code = main(["score", *argv])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


def test_json_lines_in_input_order(bundle: Path, expected: list[float], tmp_path: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(["-i", str(write(tmp_path, lines(GOOD))), "--json", "--scorer", str(bundle),
                              "--threads", "1"], capsys)
    assert code == 0 and err == ""
    objects = [json.loads(line) for line in out]
    assert [(o["source"], o["candidate"]) for o in objects] == GOOD
    assert all(list(o) == ["source", "candidate", "score"] for o in objects[:2])
    assert list(objects[2]) == ["source", "candidate", "score", "reason"]
    assert objects[2]["reason"] == "Anna and Mark changed places"
    assert [o["score"] for o in objects] == expected
    assert all(0.0 <= o["score"] <= 1.0 and round(o["score"], 4) == o["score"] for o in objects)


def test_plain_lines_are_score_source_candidate(bundle: Path, expected: list[float], tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["-i", str(write(tmp_path, lines(GOOD))), "--scorer", str(bundle)], capsys)
    assert code == 0
    assert out == [f"{score:.4f}\t{s}\t{c}" for score, (s, c) in zip(expected, GOOD)]


def test_refused_lines_get_an_error_object_and_the_rest_still_run(bundle: Path, expected: list[float],
                                                                  tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    data = (lines(GOOD[:1]) + b"no tab at all\n" + b"\tonly a candidate\n" + b"only a source\t  \n"
            + b"one\ttwo\tthree\n" + b"\n" + b"caf\xe9\tcoffee\n" + lines(GOOD[1:]))
    code, out, err = run_cli(["-i", str(write(tmp_path, data)), "--json", "--scorer", str(bundle)], capsys)
    assert code == 2  # as `paraphrase` does for a rejected input
    objects = [json.loads(line) for line in out]
    assert [o.get("line") for o in objects] == [None, 2, 3, 4, 5, 6, 7, None, None]
    errors = {o["line"]: o["error"] for o in objects if "line" in o}
    assert errors == {
        2: "no tab: each line is source<TAB>candidate",
        3: "the source (before the tab) is empty",
        4: "the candidate (after the tab) is empty",
        5: "2 tabs: each line is source<TAB>candidate, with exactly one tab",
        6: "no tab: each line is source<TAB>candidate",
        7: "the line is not text: character 4 is not valid UTF-8 (shown as \ufffd)",
    }
    assert all(list(o) == ["line", "error"] for o in objects if "line" in o)
    assert [o["score"] for o in objects if "score" in o] == expected  # the good lines, unaffected
    assert "paraphrase-studio: skipped line 2: no tab" in err and "skipped line 7:" in err


def test_refused_lines_in_plain_mode_go_to_stderr_only(bundle: Path, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(["-i", str(write(tmp_path, lines(GOOD[:1]) + b"broken\n")), "--scorer", str(bundle)],
                             capsys)
    assert code == 2
    assert len(out) == 1 and out[0].endswith("\tThe cat sat on the mat.\tA cat was sitting on the mat.")
    assert err.strip() == "paraphrase-studio: skipped line 2: no tab: each line is source<TAB>candidate"


def test_many_lines_are_scored_in_chunks_and_stay_in_order(bundle: Path, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    from models import score_cli

    monkeypatch.setattr(score_cli, "CHUNK_LINES", 3)
    pairs = [(f"Sentence number {i} is {'very ' * (i % 5)}short.", f"Line {i} is brief.") for i in range(10)]
    data = lines(pairs[:4]) + b"bad line\n" + lines(pairs[4:])
    code, out, _ = run_cli(["-i", str(write(tmp_path, data)), "--json", "--scorer", str(bundle)], capsys)
    assert code == 2
    objects = [json.loads(line) for line in out]
    assert [(o["source"], o["candidate"]) for o in objects if "source" in o] == pairs
    assert objects[4] == {"line": 5, "error": "no tab: each line is source<TAB>candidate"}


def test_crlf_and_a_byte_order_mark_are_read_as_text(bundle: Path, expected: list[float], tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    data = b"\xef\xbb\xbf" + lines(GOOD).replace(b"\n", b"\r\n")
    code, out, _ = run_cli(["-i", str(write(tmp_path, data)), "--json", "--scorer", str(bundle)], capsys)
    assert code == 0
    assert [json.loads(line)["candidate"] for line in out] == [c for _, c in GOOD]
    assert [json.loads(line)["score"] for line in out] == expected


def test_stdin_dash(bundle: Path, expected: list[float]) -> None:
    """A real process reading a pipe: what ``cut -f1,2 pairs.tsv | paraphrase-studio score -i -`` does."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-m", "paraphrase_studio", "score", "-i", "-", "--json",
                           "--scorer", str(bundle), "--threads", "1"], input=lines(GOOD) + b"oops\n",
                          capture_output=True, cwd=REPO, env=env, timeout=120, check=False)
    assert done.returncode == 2, done.stderr.decode()
    objects = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert [o.get("score") for o in objects[:3]] == expected
    assert objects[3] == {"line": 4, "error": "no tab: each line is source<TAB>candidate"}
    assert "Traceback" not in done.stderr.decode()


def test_stdin_dash_in_process(bundle: Path, expected: list[float], monkeypatch: pytest.MonkeyPatch,
                               capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(lines(GOOD))))
    code, out, _ = run_cli(["-i", "-", "--json", "--scorer", str(bundle)], capsys)
    assert code == 0
    assert [json.loads(line)["score"] for line in out] == expected


def test_empty_input_is_a_usage_error(bundle: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(["-i", str(write(tmp_path, b"")), "--scorer", str(bundle)], capsys)
    assert code == 2 and out == []
    assert "there is nothing to score (the input is empty" in err


def test_a_missing_scorer_bundle_exits_3_with_the_rebuild_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PARAPHRASE_STUDIO_BUNDLES", str(tmp_path / "bundles"))
    code, out, err = run_cli(["-i", str(write(tmp_path, lines(GOOD)))], capsys)
    assert code == 3 and out == []
    assert "Scorer bundle 'minilm-l4-meaning-v1' is not installed" in err
    assert "Rebuild it with: ./studio build   (or: paraphrase-studio export --scorer minilm-l4-meaning-v1 --force)" in err


def test_a_damaged_scorer_bundle_exits_3(bundle: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tiny_scorer import copy_bundle

    folder = copy_bundle(bundle, tmp_path / "copy")
    raw = bytearray((folder / "model.onnx").read_bytes())
    raw[100] ^= 0x01
    (folder / "model.onnx").write_bytes(bytes(raw))
    code, out, err = run_cli(["-i", str(write(tmp_path, lines(GOOD))), "--scorer", str(folder)], capsys)
    assert code == 3 and out == []
    assert "file model.onnx is corrupt (sha256 mismatch" in err
    assert f"paraphrase-studio export --scorer {folder.name} --out {folder.parent} --force" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(("argv", "message"), [
    ([], "give -i FILE with one source<TAB>candidate per line (use -i - for stdin)"),
    (["-i", "x", "--threads", "0"], "--threads must be between 1 and"),
])
def test_usage_errors_exit_2(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["score", *argv])
    assert info.value.code == 2
    assert message in capsys.readouterr().err


def test_an_unreadable_input_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(["-i", str(tmp_path / "missing.tsv")], capsys)
    assert code == 2 and out == []
    assert f"cannot read {tmp_path / 'missing.tsv'}: No such file or directory" in err


def test_scores_match_the_library(bundle: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The CLI adds nothing of its own to the numbers: the library's, rounded to 4 places."""
    pairs = GOOD + [("Yes.", "No."), ("He left early.", "He did not stay long.")]
    scorer = MeaningScorer.load(bundle)
    raw = scorer.score([s for s, _ in pairs], [c for _, c in pairs]).astype(np.float64)
    library = np.round([pair_score(p, changed_statement(s, c)) for p, (s, c) in zip(raw, pairs)], 4)
    code, out, _ = run_cli(["-i", str(write(tmp_path, lines(pairs))), "--json", "--scorer", str(bundle)], capsys)
    assert code == 0
    np.testing.assert_allclose([json.loads(line)["score"] for line in out], library, atol=1e-4)


def test_a_statement_turned_round_keeps_a_small_share_of_the_probability(bundle: Path, tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    """The pipeline refuses these rows; the pair score says so, with the reason."""
    pairs = [("Germany beat Brazil in Belo Horizonte.", "Brazil beat Germany in Belo Horizonte."),
             ("The bill was defeated in the House.", "The bill was passed in the House."),
             ("Germany beat Brazil in Belo Horizonte.", "In Belo Horizonte, Germany beat Brazil.")]
    raw = MeaningScorer.load(bundle).score([s for s, _ in pairs], [c for _, c in pairs]).astype(np.float64)
    code, out, _ = run_cli(["-i", str(write(tmp_path, lines(pairs))), "--json", "--scorer", str(bundle)], capsys)
    objects = [json.loads(line) for line in out]
    assert code == 0
    assert [o.get("reason") for o in objects] == ["Germany and Brazil changed places", "“defeated” became “passed”",
                                                 None]
    np.testing.assert_allclose([o["score"] for o in objects],
                               np.round([raw[0] * FLAGGED_SHARE, raw[1] * FLAGGED_SHARE, raw[2]], 4), atol=1e-4)


def test_a_reader_that_goes_away_ends_the_run_quietly(bundle: Path) -> None:
    """``score -i - | head -1``: a closed pipe is a quiet exit 141 (paraphrase_studio.cli.main's), no traceback.

    The first chunk is written once its lines are read (stdin stays open), so the reader has
    its line and leaves before the next chunk is printed: no race.
    """
    from models.score_cli import CHUNK_LINES

    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen([sys.executable, "-m", "paraphrase_studio", "score", "-i", "-", "--json", "--scorer",
                             str(bundle)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            cwd=REPO, env=env)
    assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
    proc.stdin.write(lines((GOOD * CHUNK_LINES)[:CHUNK_LINES]))  # exactly one chunk
    proc.stdin.flush()
    first = proc.stdout.readline()
    proc.stdout.close()  # the reader has what it wanted
    proc.stdin.write(lines(GOOD * CHUNK_LINES))
    proc.stdin.close()
    err = proc.stderr.read().decode("utf-8", errors="replace")
    assert proc.wait(timeout=120) == 141, err
    assert json.loads(first)["source"] == GOOD[0][0]
    assert "Traceback" not in err and "BrokenPipeError" not in err
