"""``paraphrase-studio paraphrase``: the command-line contract other tools call.

Exit codes: 0 success; 2 usage error or rejected input (message, no traceback);
3 model missing or corrupt (message says how to rebuild); 130 interrupted.
``--json`` prints exactly one JSON object per input, one per line: one per text argument
and one per line of ``-i FILE``, in order, with ``"protected"`` (the spans every
paraphrase keeps: numbers, names, dates, quotes, ``--keep`` phrases) and, when fewer
paraphrases than ``-n`` kept every fact, a ``"note"`` that says so. Each paraphrase has
``"text"``, ``"score"`` (mean token log-probability) and ``"confidence"`` (the meaning
scorer's probability that it keeps the input's meaning, 3 places; null without a scorer).
An input that cannot be paraphrased (blank, binary, not English, too long, a ``--keep``
phrase it does not contain) gets an object with ``"error"`` and no paraphrases, the others
still run, and the exit status is 2. An empty ``--keep`` phrase is a usage error before anything runs.

``--mode`` picks one of the student's modes (``standard``, the default; a controlled student
also ``simpler`` and ``shorter``; its manifest says which). A mode the chosen student lacks
is a usage error (exit 2, naming the modes it has) as soon as the model is loaded, before
any input is read. With a mode other than ``standard`` each ``--json`` object also carries
``"mode"``; a standard run's objects are unchanged.

``-i`` splits on ``\\n`` only (a trailing ``\\r`` is dropped), so U+2028, form feeds and
vertical tabs stay inside their line, and reads line by line: each line is paraphrased as
soon as it arrives (``tail -f log | paraphrase-studio paraphrase -i - --json`` streams).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import BinaryIO, TextIO, TypeVar

from .catalog import DEFAULT_BUNDLE
from .confidence import percent
from .controls import STANDARD_MODE
from .errors import BundleError, InputError
from .paraphraser import MAX_CANDIDATES, MAX_SEED, Paraphraser
from .pipeline import Candidate
from .recipes import CONTROLLED_MODES
from .text import MAX_INPUT_CHARS
from .threads import max_threads, threads_error

EXIT_OK, EXIT_USAGE, EXIT_MODEL = 0, 2, 3  # 130 (Ctrl-C) is paraphrase_studio.cli.main's
#: The longest line read whole: a UTF-8 character takes at most 4 bytes, so a longer line
#: has more than MAX_INPUT_CHARS characters and is refused without holding all of it.
MAX_LINE_BYTES = 4 * MAX_INPUT_CHARS + 2
#: Characters of a refused input echoed in its error object.
PREVIEW_CHARS = 200


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("text", nargs="*", help="text to paraphrase (each argument is one input)")
    parser.add_argument("-i", "--input", metavar="FILE",
                        help="read inputs from FILE, one per line, each paraphrased as it arrives ('-' = stdin)")
    parser.add_argument("-n", "--num", type=int, default=5,
                        help=f"paraphrases per input, 1..{MAX_CANDIDATES} (default 5)")
    parser.add_argument("--diversity", type=float, default=0.5,
                        help="0 = faithful … 1 = creative (default 0.5)")
    parser.add_argument("--seed", type=int, default=None,
                        help=f"random seed 0..{MAX_SEED}, for reproducible output")
    parser.add_argument("--json", action="store_true", help="print one JSON object per input")
    parser.add_argument("--keep", action="append", default=[], metavar="PHRASE",
                        help="keep PHRASE unchanged in every paraphrase (repeatable; it must be in the input)")
    # --bundle, as `app` and `bench` name it; --model is the older spelling, kept as an alias
    parser.add_argument("--bundle", "--model", dest="bundle", default=None,
                        help=f"bundle name or folder (default {DEFAULT_BUNDLE}; --model is an alias)")
    parser.add_argument("--threads", type=int, default=None,
                        help=f"CPU threads for the model, 1..{max_threads()} (default: all cores)")
    # a free string, not argparse choices: the bundle's manifest says which modes it has
    parser.add_argument("--mode", default=STANDARD_MODE, metavar="MODE",
                        help=f"kind of rewrite: {', '.join(CONTROLLED_MODES)} (default {STANDARD_MODE}; "
                             "the student must offer it: `paraphrase-studio models` lists each one's modes)")


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """Ctrl-C is handled once, for every subcommand, by ``paraphrase_studio.cli.main`` (exit 130)."""
    _check_arguments(args, parser)
    if not args.text and not args.input:
        parser.error("give text to paraphrase, or -i FILE (use -i - for stdin)")
    def work(paraphraser: Paraphraser, stream: BinaryIO | None) -> int:
        _check_mode(paraphraser, args.mode, parser)
        return _paraphrase_all(paraphraser, _inputs(args.text, stream), args)

    # loaded before reading, so the first line is paraphrased the moment it arrives
    return run_with_input(args.input, lambda: Paraphraser.load(args.bundle, threads=args.threads), work)


def _check_mode(paraphraser: Paraphraser, mode: str, parser: argparse.ArgumentParser) -> None:
    """A mode the loaded student lacks is a usage error (exit 2) before any input is read:
    the modes live in its manifest, so this is the first moment they are known."""
    if mode not in paraphraser.modes:
        parser.error(f"--mode {mode!r}: the model {paraphraser.name} has no such mode; "
                     f"its modes: {', '.join(paraphraser.modes)}")


Model = TypeVar("Model")


def run_with_input(input_name: str | None, load: Callable[[], Model],
                   work: Callable[[Model, BinaryIO | None], int]) -> int:
    """What every command with ``-i`` does around its work: open the input (unreadable: exit 2),
    load the model (a missing or damaged bundle: exit 3 with the fix), run ``work`` on both,
    and close the input unless it is stdin. ``stream`` is None when there is no ``-i``.
    """
    try:
        stream = _open_input(input_name)
    except OSError as exc:
        return _fail(f"cannot read {input_name}: {exc.strerror or exc}", EXIT_USAGE)
    try:
        try:
            model = load()
        except BundleError as exc:
            return _fail(str(exc), EXIT_MODEL)
        return work(model, stream)
    finally:
        if stream is not None and stream is not _stdin():
            stream.close()


def _check_arguments(args: argparse.Namespace, parser: argparse.ArgumentParser) -> None:
    """Usage errors (exit 2 through ``parser.error``) before anything is read or loaded."""
    if not 1 <= args.num <= MAX_CANDIDATES:
        parser.error(f"-n must be between 1 and {MAX_CANDIDATES}")
    if not 0.0 <= args.diversity <= 1.0:
        parser.error("--diversity must be between 0 and 1")
    if args.seed is not None and not 0 <= args.seed <= MAX_SEED:
        parser.error(f"--seed must be between 0 and {MAX_SEED}")
    problem = threads_error(args.threads)
    if problem:
        parser.error(problem)
    for number, phrase in enumerate(args.keep, 1):
        if not phrase.strip():
            parser.error(f"--keep phrase {number} is empty")


def _paraphrase_all(paraphraser: Paraphraser, inputs: Iterator[Input], args: argparse.Namespace) -> int:
    status, count = EXIT_OK, 0
    progress = TerminalProgress(sys.stderr)
    for item in inputs:
        count += 1
        if item.error is not None:
            status = EXIT_USAGE
            _report_rejected(item, item.error, paraphraser.name, args.json, args.mode)
            continue
        try:
            result = paraphraser.paraphrase(item.text, n=args.num, diversity=args.diversity, seed=args.seed,
                                            keep=args.keep, on_progress=progress, mode=args.mode)
        except InputError as exc:
            status = EXIT_USAGE
            _report_rejected(item, str(exc), paraphraser.name, args.json, args.mode)
            continue
        finally:
            progress.clear()
        if args.json:
            print(json_line(_with_mode(result.to_json(), args.mode)), flush=True)
        else:
            _print_plain(result.input, result.candidates, result.elapsed_ms, result.note)
    if count == 0:
        return _fail("there is no text to paraphrase (the input is empty)", EXIT_USAGE)
    return status


@dataclass(frozen=True)
class Input:
    """One input: a text argument or a line of ``-i``; ``error`` when it was refused while reading."""

    text: str
    where: str  # "argument 2", "line 5": named in the message on stderr
    error: str | None = None


def _inputs(texts: list[str], stream: BinaryIO | None) -> Iterator[Input]:
    """Every text argument (blank ones too: they get an error), then every line of ``stream``."""
    for number, text in enumerate(texts, 1):
        yield Input(text, f"argument {number}")
    if stream is not None:
        yield from read_lines(stream)


def read_lines(stream: BinaryIO) -> Iterator[Input]:
    """The lines of ``stream`` as they arrive, split on ``\\n`` only, blank lines included.

    Each line is decoded on its own (invalid UTF-8 becomes U+FFFD, which the runtime refuses
    as binary); a byte order mark before the first line is dropped. A line longer than
    :data:`MAX_LINE_BYTES` is refused without being held in memory.
    """
    number = 0
    while True:
        raw = stream.readline(MAX_LINE_BYTES)
        if not raw:
            return
        number += 1
        error = None
        if not raw.endswith(b"\n") and len(raw) >= MAX_LINE_BYTES:
            _skip_rest_of_line(stream)
            error = (f"The line is longer than {MAX_INPUT_CHARS:,} characters, the limit per request. "
                     "Paraphrase it in smaller parts.")
        text = raw.removesuffix(b"\n").removesuffix(b"\r").decode("utf-8", errors="replace")
        if number == 1:
            text = text.removeprefix("\ufeff")
        yield Input(text, f"line {number}", error)


def _skip_rest_of_line(stream: BinaryIO) -> None:
    while True:
        chunk = stream.readline(MAX_LINE_BYTES)
        if not chunk or chunk.endswith(b"\n"):
            return


def _open_input(name: str | None) -> BinaryIO | None:
    if name is None:
        return None
    if name == "-":
        stdin = _stdin()
        if stdin is None:
            raise OSError("there is no standard input")
        return stdin
    return open(name, "rb")  # noqa: SIM115 - closed by _run


def _stdin() -> BinaryIO | None:
    return sys.stdin.buffer if sys.stdin is not None else None


class TerminalProgress:
    """``on_progress`` for the CLI: "paraphrasing: 12/140 sentences" on a terminal's stderr.

    Only for a text of several sentences, and only when ``stream`` is a terminal: a pipe or
    a log file gets nothing, so stderr stays parseable. The line is rewritten in place
    (``\\r``) and erased before anything else is printed.
    """

    def __init__(self, stream: TextIO | None) -> None:
        self.stream = stream
        self.enabled = stream is not None and _isatty(stream)
        self._width = 0

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total < 2:
            return
        line = f"paraphrasing: {done}/{total} sentences"
        self._write("\r" + line.ljust(self._width))
        self._width = len(line)

    def clear(self) -> None:
        """Erase the progress line (after each input, and before an interruption's message)."""
        if self._width:
            self._write("\r" + " " * self._width + "\r")
            self._width = 0

    def _write(self, text: str) -> None:
        assert self.stream is not None
        self.stream.write(text)
        self.stream.flush()


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):  # a closed or unusual stream: no progress
        return False


def _report_rejected(item: Input, message: str, model: str, as_json: bool, mode: str = STANDARD_MODE) -> None:
    if as_json:
        text = item.text
        preview = text if len(text) <= PREVIEW_CHARS else text[:PREVIEW_CHARS] + "…"
        print(json_line(_with_mode({"input": preview, "paraphrases": [], "model": model, "elapsed_ms": 0.0,
                                    "protected": [], "error": message}, mode)), flush=True)
    print(f"paraphrase-studio: skipped {item.where}: {message}", file=sys.stderr, flush=True)


def _with_mode(obj: dict, mode: str) -> dict:
    """``obj`` with ``"mode"`` when it is not the standard one (a standard run's objects are as before)."""
    return obj if mode == STANDARD_MODE else {**obj, "mode": mode}


def json_line(obj: dict) -> str:
    """One object on one line, whatever splits the lines.

    json.dumps leaves U+2028, U+2029 and U+0085 raw; they are valid JSON, but Python's
    ``str.splitlines`` (and other line splitters) break a line there. Escaped, they read back the same.
    """
    text = json.dumps(obj, ensure_ascii=False)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029").replace("\x85", "\\u0085")


def _print_plain(text: str, candidates: Sequence[Candidate], elapsed_ms: float, note: str | None = None) -> None:
    """The input, then each paraphrase with its score and, when a meaning scorer is loaded, its
    confidence as a percentage (``[-0.62, meaning 91%]``) and the reason to check it, if any."""
    print(text)
    if not candidates:
        # The note says why (facts or meaning); without one, every sample was a copy or a repeat.
        why = note.split(": ", 1)[-1].replace("the other samples", "the samples") if note \
            else "every sample copied the input or repeated another"
        print(f"  (no paraphrase found: {why})")
    for i, candidate in enumerate(candidates, 1):
        print(f"  {i}. {candidate.text}  [{_figures(candidate)}]")
    if note and candidates:
        print(f"  ({note})")
    print(f"  ({elapsed_ms / 1000:.2f} s)\n", flush=True)


def _figures(candidate: Candidate) -> str:
    figures = f"{candidate.score:.2f}"
    if candidate.confidence is not None:
        figures += f", meaning {percent(candidate.confidence)}"
        if candidate.reason:
            figures += f": {candidate.reason}"
    return figures


def _fail(message: str, code: int) -> int:
    print(f"paraphrase-studio: {message}", file=sys.stderr)
    return code
