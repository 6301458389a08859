"""Progress (``on_progress`` and the CLI's terminal line), and the runtime's own argument checks."""

from __future__ import annotations

import io
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from models.cli import TerminalProgress
from models.errors import BundleError, InputError
from models.paraphraser import Paraphraser

PARAGRAPH = "The museum was closed on Monday. We went to the park instead. It started to rain after lunch."
CLI = [sys.executable, "-m", "paraphrase_studio"]


def test_on_progress_counts_sentences(default_paraphraser: Paraphraser) -> None:
    """A 3,000-word text took ~48 s with no sign of progress."""
    calls: list[tuple[int, int]] = []
    result = default_paraphraser.paraphrase(PARAGRAPH, n=1, seed=1, on_progress=lambda *a: calls.append(a))
    assert result.candidates
    assert calls == [(0, 3), (1, 3), (2, 3), (3, 3)]
    calls.clear()
    default_paraphraser.paraphrase("The shop opens at nine.", n=1, seed=1, on_progress=lambda *a: calls.append(a))
    assert calls == [(0, 1), (1, 1)]


def test_progress_changes_nothing_else(default_paraphraser: Paraphraser) -> None:
    plain = default_paraphraser.paraphrase(PARAGRAPH, n=2, seed=3)
    counted = default_paraphraser.paraphrase(PARAGRAPH, n=2, seed=3, on_progress=lambda done, total: None)
    assert plain.candidates == counted.candidates


def test_a_foreign_sentence_in_an_english_text_is_kept_as_typed(default_paraphraser: Paraphraser) -> None:
    quote = "« Je ne sais pas ce que je fais ici. »"
    text = f"The museum was closed on Monday. {quote}\nIt started to rain after lunch."
    calls: list[tuple[int, int]] = []
    result = default_paraphraser.paraphrase(text, n=2, seed=1, on_progress=lambda *a: calls.append(a))
    assert calls[0] == (0, 2) and calls[-1] == (2, 2)  # the French sentence is not sent to the model
    assert result.stats["not_english"] == 1
    assert all(quote in candidate.text for candidate in result.candidates)


def test_a_heading_with_nothing_to_reword_is_kept_as_typed(default_paraphraser: Paraphraser) -> None:
    """Student v2 wrote "The quarter for Q3 2024." for this heading in all five cards."""
    text = "Q3 2024. Sales rose 5% in the quarter because demand was strong. Acme Inc."
    calls: list[tuple[int, int]] = []
    result = default_paraphraser.paraphrase(text, n=2, seed=1, on_progress=lambda *a: calls.append(a))
    assert calls[0] == (0, 1) and calls[-1] == (1, 1)  # only the sentence with words to reword is decoded
    assert result.candidates
    assert all(c.text.startswith("Q3 2024. ") and c.text.endswith(" Acme Inc.") for c in result.candidates)


@pytest.mark.parametrize("text", ["42", "Q3 2024", "iPhone 15 🙂", "Paris", "b02", "March 5, 2024. $4.3 million."])
def test_a_text_with_nothing_to_reword_is_an_input_error(default_paraphraser: Paraphraser, text: str) -> None:
    """Student v2 answered "42" with "42 years." and "b02" with "Controls: B02.": made up, not reworded."""
    with pytest.raises(InputError, match="nothing to reword"):
        default_paraphraser.paraphrase(text, n=2, seed=1)
    with pytest.raises(InputError, match="nothing to reword"):
        default_paraphraser.paraphrase_sentence(text.split(". ")[0], n=2, seed=1)


@pytest.mark.parametrize("seed", [-5, 2**32, True, 1.5, "7"])
def test_a_bad_seed_is_an_input_error(default_paraphraser: Paraphraser, seed: object) -> None:
    """numpy raised a bare ValueError ("expected non-negative integer") for -5."""
    with pytest.raises(InputError, match="seed"):
        default_paraphraser.paraphrase("The shop opens at nine.", n=1, seed=seed)  # type: ignore[arg-type]


@pytest.mark.parametrize("threads", [0, -1])
def test_a_bad_thread_count_is_not_reported_as_a_damaged_bundle(default_bundle: Path, threads: int) -> None:
    with pytest.raises(ValueError, match="threads") as raised:
        Paraphraser.load(default_bundle, threads=threads)
    assert not isinstance(raised.value, BundleError)


class _Stream(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


def test_terminal_progress_writes_only_to_a_terminal_and_only_for_several_sentences() -> None:
    pipe = _Stream(tty=False)
    TerminalProgress(pipe)(1, 5)
    assert pipe.getvalue() == ""
    terminal = _Stream(tty=True)
    progress = TerminalProgress(terminal)
    progress(0, 1)
    progress(1, 1)
    assert terminal.getvalue() == ""  # one sentence: nothing to count
    progress(0, 12)
    progress(9, 12)
    progress.clear()
    written = terminal.getvalue()
    assert written.startswith("\rparaphrasing: 0/12 sentences\rparaphrasing: 9/12 sentences")
    assert written.endswith("\r" + " " * len("paraphrasing: 9/12 sentences") + "\r")


def test_the_cli_shows_progress_on_a_terminal_and_not_in_a_pipe(default_bundle: Path) -> None:
    args = [*CLI, "paraphrase", "--json", "-n", "1", "--seed", "1", PARAGRAPH]
    piped = subprocess.run(args, capture_output=True, timeout=300)
    assert piped.returncode == 0
    assert b"paraphrasing" not in piped.stderr
    controller, terminal = pty.openpty()
    try:
        done = subprocess.run(args, stdout=subprocess.PIPE, stderr=terminal, timeout=300)
        os.close(terminal)
        terminal = -1
        shown = _read_all(controller)
    finally:
        os.close(controller)
        if terminal >= 0:
            os.close(terminal)
    assert done.returncode == 0
    assert b"paraphrasing: 0/3 sentences" in shown and b"paraphrasing: 3/3 sentences" in shown
    assert done.stdout.count(b"\n") == 1  # stdout has the JSON object only


def _read_all(fd: int) -> bytes:
    chunks = []
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # EIO: the other end is closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)
