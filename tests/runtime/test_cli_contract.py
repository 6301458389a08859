"""Holes in the ``paraphrase-studio paraphrase`` contract (issue 12, section 3), each through a
real subprocess: bad --seed/--threads, Ctrl-C at any moment, ``-i`` one object per line
as lines arrive, binary and non-English input."""

from __future__ import annotations

import json
import os
import random
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from models.paraphraser import MAX_SEED
from models.threads import max_threads

CLI = [sys.executable, "-m", "paraphrase_studio"]
#: Runs the command as the installed console script does (``from paraphrase_studio.cli
#: import main``), with one line on stderr just before ``main()``, so a test knows when it starts.
STARTED = b"main starts\n"
CONSOLE_SCRIPT = ("import sys; from paraphrase_studio.cli import main; "
                  "sys.stderr.buffer.write(%r); sys.stderr.flush(); sys.exit(main())" % STARTED)


def at_a_terminal() -> None:
    """In the child before it starts: Ctrl-C as a writer's terminal delivers it. A suite run as a
    background job (``nohup ./.ci/run &``) starts every process with SIGINT ignored, and Python
    then leaves it ignored, which is not what these tests are about."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def run_cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *args], input=stdin, capture_output=True, timeout=300)


def _objects(done: subprocess.CompletedProcess) -> list[dict]:
    return [json.loads(line) for line in done.stdout.decode().splitlines()]  # any line splitter works


def _readable(stream: object, timeout: float = 120) -> bool:
    """True once ``stream`` has output; the generous timeout only keeps a broken build from hanging."""
    ready, _, _ = select.select([stream], [], [], timeout)
    return bool(ready)


# -- --seed and --threads ----------------------------------------------------------------

@pytest.mark.parametrize(("args", "message"), [
    (["--seed", "-5"], f"--seed must be between 0 and {MAX_SEED}"),
    (["--seed", str(MAX_SEED + 1)], f"--seed must be between 0 and {MAX_SEED}"),
    (["--threads", "0"], f"--threads must be between 1 and {max_threads()} (this machine's cores)"),
    (["--threads", "-1"], f"--threads must be between 1 and {max_threads()} (this machine's cores)"),
    (["--threads", str(max_threads() + 1)], f"--threads must be between 1 and {max_threads()} (this machine's cores)"),
    (["--threads", "999"], f"--threads must be between 1 and {max_threads()} (this machine's cores)"),
])
def test_out_of_range_seed_and_threads_are_usage_errors(args: list[str], message: str) -> None:
    """``--seed -5`` was a numpy ValueError traceback; ``--threads 999`` started 1,001 threads."""
    done = run_cli("paraphrase", *args, "A short sentence here.")
    assert done.returncode == 2, done.stderr.decode()
    assert b"Traceback" not in done.stderr
    assert message in done.stderr.decode()


def test_the_thread_bound_is_one_function_the_app_shares() -> None:
    from models.threads import check_threads, threads_error

    limit = max_threads()
    assert [threads_error(t) for t in (None, 1, limit)] == [None, None, None]
    for bad in (0, -1, limit + 1, True):
        assert threads_error(bad) == f"--threads must be between 1 and {limit} (this machine's cores)"
        with pytest.raises(ValueError, match="this machine's cores"):
            check_threads(bad)
    assert check_threads(limit) == limit


def test_the_extreme_seeds_and_thread_counts_are_accepted(default_bundle: Path) -> None:
    for args in (["--seed", "0"], ["--seed", str(MAX_SEED)], ["--threads", "1"], ["--threads", str(max_threads())]):
        done = run_cli("paraphrase", "--json", "-n", "1", *args, "The shop opens at nine.")
        assert done.returncode == 0, (args, done.stderr.decode())
        assert _objects(done)[0]["paraphrases"]


# -- Ctrl-C ----------------------------------------------------------------------------------

def test_the_code_before_main_imports_nothing_heavy() -> None:
    """What runs before ``main()`` is outside its Ctrl-C guard: it must take milliseconds.

    Ctrl-C in the first ~0.6 s (numpy and onnxruntime imports, model load) printed a
    KeyboardInterrupt traceback. Those imports now happen inside ``main()``; this fails if
    the package or the command's module imports the runtime again.
    """
    code = ("import sys; before = set(sys.modules); import paraphrase_studio, paraphrase_studio.cli; "
            "print(' '.join(sorted(set(sys.modules) - before)))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    new = set(done.stdout.split()) - {"paraphrase_studio", "paraphrase_studio.cli"}
    assert new <= {"contextlib"}, f"imported before main() can catch Ctrl-C: {sorted(new)}"


@pytest.mark.parametrize("delay", [0.0, 0.02, 0.04, 0.06, 0.1, 0.15, 0.3, 0.45, 0.6, 0.8, 1.2, 2.0])
def test_ctrl_c_at_any_moment_exits_130_without_a_traceback(default_bundle: Path, delay: float) -> None:
    """Import (numpy, onnxruntime), model load and the wait for stdin: each once raised a traceback.

    The delays count from the moment ``main()`` is called, so they land in the imports
    (0-0.3 s), the model load and the read of stdin (left open) on most machines;
    wherever one lands, the promise is the same.
    """
    child = subprocess.Popen([sys.executable, "-c", CONSOLE_SCRIPT, "paraphrase", "--json", "-i", "-"],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             preexec_fn=at_a_terminal)
    try:
        assert child.stderr is not None
        assert child.stderr.readline() == STARTED
        time.sleep(delay)
        child.send_signal(signal.SIGINT)
        _, stderr = child.communicate(timeout=60)
    finally:
        child.kill()
        child.wait()
    assert b"Traceback" not in stderr, stderr.decode()
    assert child.returncode == 130, stderr.decode()
    assert stderr.decode().strip().endswith("paraphrase-studio: interrupted")


def test_ctrl_c_during_the_imports_is_held_until_they_finish() -> None:
    """numpy turned a KeyboardInterrupt inside its C import into an ImportError (exit 1, traceback)."""
    outer = signal.signal(signal.SIGINT, signal.default_int_handler)  # as at a terminal (see at_a_terminal)
    try:
        _held_until_the_block_ends()
    finally:
        signal.signal(signal.SIGINT, outer)


def _held_until_the_block_ends() -> None:
    from paraphrase_studio.cli import interrupts_held

    finished = []
    with pytest.raises(KeyboardInterrupt):
        with interrupts_held():
            signal.raise_signal(signal.SIGINT)
            finished.append(True)  # not interrupted here
    assert finished == [True]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # a background job ignores Ctrl-C: left alone
    try:
        with interrupts_held():
            signal.raise_signal(signal.SIGINT)
    finally:
        signal.signal(signal.SIGINT, previous)


def test_ctrl_c_while_paraphrasing_exits_130(default_bundle: Path) -> None:
    child = subprocess.Popen([*CLI, "paraphrase", "--json", "-n", "10", "-i", "-"], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=at_a_terminal)
    try:
        assert child.stdin is not None and child.stdout is not None
        child.stdin.write(b"The shop opens at nine.\n")
        child.stdin.flush()
        assert _readable(child.stdout), "no output while stdin is still open"
        child.stdout.readline()  # the first object: the model is loaded and decoding works
        child.stdin.write(b"A much longer sentence about the old harbour, the boats and the fishermen who "
                          b"sailed out every morning before dawn.\n")
        child.stdin.flush()
        time.sleep(0.3)
        child.send_signal(signal.SIGINT)
        _, stderr = child.communicate(timeout=60)
    finally:
        child.kill()
        child.wait()
    assert child.returncode == 130 and b"Traceback" not in stderr, stderr.decode()


# -- -i: one object per line, as lines arrive ---------------------------------------------------

def test_only_newline_splits_lines_and_blank_lines_get_an_error_object(default_bundle: Path) -> None:
    """U+2028, form feed and vertical tab split a line in two; blank lines vanished.

    Each line with words gets its paraphrase: the sentences are long enough for any student
    to rephrase (the default student v2 copies very short ones such as "The river was
    frozen.", so they came back empty: tests/runtime/test_default_bundle.py keeps that case).
    """
    lines = ["The shop opens at nine\u2028and closes at five.", "", "   ",
             "The river\x0cwas frozen all winter, so the ferry stopped running.",
             "The bus\x0bwas late again this morning.", "The last line of the letter was about the sea."]
    done = run_cli("paraphrase", "--json", "-n", "1", "--seed", "1", "-i", "-",
                   stdin=("\r\n".join(lines[:3]) + "\n" + "\n".join(lines[3:]) + "\n").encode())
    objects = _objects(done)
    assert [o["input"] for o in objects] == lines
    assert done.returncode == 2 and b"Traceback" not in done.stderr
    for index in (1, 2):
        assert objects[index]["paraphrases"] == [] and "no text" in objects[index]["error"]
        assert objects[index]["model"] and objects[index]["elapsed_ms"] == 0
    for index in (0, 3, 4, 5):
        assert "error" not in objects[index] and objects[index]["paraphrases"], objects[index]
    assert b"skipped line 2: There is no text" in done.stderr
    assert b"skipped line 3: There is no text" in done.stderr


def test_a_blank_line_is_reported_on_stderr_in_plain_output(default_bundle: Path) -> None:
    done = run_cli("paraphrase", "-n", "1", "-i", "-", stdin=b"The shop opens at nine.\n\n")
    assert done.returncode == 2 and b"Traceback" not in done.stderr
    assert b"paraphrase-studio: skipped line 2: There is no text to paraphrase" in done.stderr
    assert done.stdout.decode().startswith("The shop opens at nine.\n  1. ")


def test_blank_text_arguments_are_errors_too(default_bundle: Path) -> None:
    """Blank arguments were dropped without a word, so N arguments could give fewer than N objects."""
    done = run_cli("paraphrase", "--json", "-n", "1", "The shop opens at nine.", "  ", "")
    objects = _objects(done)
    assert len(objects) == 3 and done.returncode == 2
    assert objects[0]["paraphrases"] and [o["input"] for o in objects[1:]] == ["  ", ""]
    assert all(o["paraphrases"] == [] and "no text" in o["error"] for o in objects[1:])
    assert b"skipped argument 2" in done.stderr and b"skipped argument 3" in done.stderr


def test_lines_are_paraphrased_as_they_arrive(default_bundle: Path) -> None:
    """stdin was read to its end before any work, so ``tail -f | paraphrase -i -`` never printed."""
    child = subprocess.Popen([*CLI, "paraphrase", "--json", "-n", "1", "--seed", "1", "-i", "-"],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert child.stdin is not None and child.stdout is not None
        child.stdin.write(b"The shop opens at nine.\n")
        child.stdin.flush()
        assert _readable(child.stdout), "no output while stdin is still open"
        first = json.loads(child.stdout.readline())
        assert first["input"] == "The shop opens at nine." and first["paraphrases"]
        assert child.poll() is None  # still waiting for the next line
        child.stdin.write(b"It was a cold morning in the valley.\n")
        child.stdin.close()
        second = json.loads(child.stdout.readline())
        assert second["input"] == "It was a cold morning in the valley."
        assert child.wait(timeout=120) == 0
    finally:
        child.kill()
        child.wait()


def test_an_overlong_line_is_refused_without_losing_the_next(default_bundle: Path) -> None:
    done = run_cli("paraphrase", "--json", "-n", "1", "-i", "-",
                   stdin=b"word " * 30_000 + b"\nThe shop opens at nine.\n")
    objects = _objects(done)
    assert len(objects) == 2 and done.returncode == 2
    assert "limit" in objects[0]["error"] and len(objects[0]["input"]) <= 201
    assert objects[1]["paraphrases"]


# -- binary and non-English input -----------------------------------------------------------

@pytest.mark.parametrize("seed", range(5))
def test_random_bytes_get_only_error_objects(default_bundle: Path, seed: int) -> None:
    """1-3 short fragments per 3 KB ('BS', 'иԹI') were "paraphrased"."""
    data = random.Random(seed).randbytes(3072)
    done = run_cli("paraphrase", "--json", "-n", "1", "-i", "-", stdin=data)
    objects = _objects(done)
    assert done.returncode == 2 and b"Traceback" not in done.stderr
    assert len(objects) == data.count(b"\n") + (not data.endswith(b"\n"))  # one per line, none lost
    assert all(o["paraphrases"] == [] and o["error"] for o in objects), [o for o in objects if o["paraphrases"]]


def test_non_english_input_gets_an_error_object_and_exit_2(default_bundle: Path) -> None:
    done = run_cli("paraphrase", "--json", "-n", "1", "我们去了公园，因为博物馆关门了。",
                   "Le chat dort sur le canapé depuis le matin.", "We ate at Café Müller in Zürich.")
    objects = _objects(done)
    assert done.returncode == 2 and b"Traceback" not in done.stderr
    assert objects[0]["error"] == "This looks like Chinese text; Paraphrase Studio paraphrases English."
    assert objects[1]["error"] == "This looks like French text; Paraphrase Studio paraphrases English."
    assert objects[0]["paraphrases"] == [] == objects[1]["paraphrases"]
    assert "error" not in objects[2] and objects[2]["paraphrases"]


def test_python_dash_m_and_the_console_script_agree_on_usage_errors() -> None:
    env = {**os.environ}
    a = subprocess.run([*CLI, "paraphrase", "--seed", "-5", "x"], capture_output=True, env=env, timeout=120)
    b = subprocess.run([sys.executable, "-c", CONSOLE_SCRIPT, "paraphrase", "--seed", "-5", "x"],
                       capture_output=True, env=env, timeout=120)
    assert a.returncode == b.returncode == 2
    assert a.stderr == b.stderr.removeprefix(STARTED)


@pytest.mark.real_model
def test_a_reader_that_goes_away_ends_the_run_quietly(default_bundle: Path, tmp_path: Path) -> None:
    """``paraphrase … | head -1``: a closed pipe is a quiet exit 141, not a BrokenPipeError traceback."""
    lines = tmp_path / "three.txt"
    lines.write_text("The cat sat on the mat.\nThe dog ran in the park.\nIt rained all day.\n", encoding="utf-8")
    proc = subprocess.Popen([*CLI, "paraphrase", "--json", "-n", "2", "--seed", "1", "--bundle", str(default_bundle),
                             "-i", str(lines)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    proc.stdout.close()  # the reader has what it wanted
    err = proc.stderr.read().decode("utf-8", errors="replace")
    assert proc.wait(timeout=300) == 141, err
    assert json.loads(first)["input"] == "The cat sat on the mat."
    assert "Traceback" not in err and "BrokenPipeError" not in err
