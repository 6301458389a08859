"""``paraphrase-studio score``: the meaning scorer on ``source<TAB>candidate`` lines.

One pair per line in (``-i FILE``, ``-i -`` for stdin); one line out per input line, in
order: with ``--json`` an object ``{"source", "candidate", "score"}`` (the calibrated
probability that the candidate keeps the source's meaning, 0..1, 4 decimals), otherwise
``score<TAB>source<TAB>candidate``. A pair the app would refuse as a statement turned round
(two names, numbers or words that changed places, a word turned into its opposite, a
relative date that points elsewhere) keeps 9 % of the scorer's probability and its JSON object says why in ``"reason"``
(:mod:`models.changed_statement`). A pair that reorders the source's own words gets the
default scorer's order companion's probability where that bundle is built
(:mod:`models.word_order`; ``PARAPHRASE_STUDIO_ORDER_SCORER=none`` turns it off, a bundle
name or folder there chooses another).

The same contract as ``paraphrase`` (:mod:`models.cli`, whose line reader this uses): a line
that cannot be scored (no tab, more than one tab, an empty side, bytes that are not UTF-8,
a line over the length limit) gets ``{"line": k, "error": "..."}`` with ``--json`` and a
message on stderr either way; the other lines still run and the exit status is 2. Exit
codes: 0 success; 2 usage error or a rejected line; 3 scorer bundle missing or damaged
(the message says how to rebuild it); 130 Ctrl-C and 141 closed pipe (both from
``paraphrase_studio.cli.main``).

Lines are scored :data:`CHUNK_LINES` at a time (sorted by length inside the scorer, so
little padding), and each chunk is printed as soon as it is scored.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .changed_statement import changed_statement, pair_score
from .cli import EXIT_OK, EXIT_USAGE, Input, _fail, json_line, read_lines, run_with_input
from .scorer import MeaningScorer
from .scorer_recipes import DEFAULT_SCORER
from .text import binary_reason
from .threads import max_threads, threads_error

#: Pairs scored per call of the scorer (two of its batches) before their lines are printed.
CHUNK_LINES = 64
#: How each input line must look, quoted in the error messages.
LINE_FORMAT = "source<TAB>candidate"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-i", "--input", metavar="FILE",
                        help=f"read pairs from FILE, one {LINE_FORMAT} per line ('-' = stdin)")
    parser.add_argument("--json", action="store_true",
                        help='print one JSON object per line: {"source", "candidate", "score"}')
    parser.add_argument("--scorer", default=None, metavar="NAME_OR_FOLDER",
                        help=f"scorer bundle name or folder (default {DEFAULT_SCORER})")
    parser.add_argument("--threads", type=int, default=None,
                        help=f"CPU threads for the model, 1..{max_threads()} (default: all cores)")


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    problem = threads_error(args.threads)
    if problem:
        parser.error(problem)
    if not args.input:
        parser.error(f"give -i FILE with one {LINE_FORMAT} per line (use -i - for stdin)")
    return run_with_input(args.input, lambda: MeaningScorer.load(args.scorer, threads=args.threads),
                          lambda scorer, stream: _score_all(scorer, read_lines(stream), as_json=args.json))


@dataclass(frozen=True)
class Pair:
    """One input line: its number, and either both sides or why it was refused."""

    line: int
    source: str = ""
    candidate: str = ""
    error: str | None = None


def parse_line(number: int, item: Input) -> Pair:
    """``source<TAB>candidate`` -> a :class:`Pair`, or one with ``error`` saying what is wrong."""
    if item.error is not None:
        return Pair(number, error=item.error)
    text = item.text
    reason = binary_reason(text)
    if reason is not None:
        return Pair(number, error=f"the line is not text: {reason}")
    tabs = text.count("\t")
    if tabs == 0:
        return Pair(number, error=f"no tab: each line is {LINE_FORMAT}")
    if tabs > 1:
        return Pair(number, error=f"{tabs} tabs: each line is {LINE_FORMAT}, with exactly one tab")
    source, candidate = text.split("\t")
    if not source.strip():
        return Pair(number, error="the source (before the tab) is empty")
    if not candidate.strip():
        return Pair(number, error="the candidate (after the tab) is empty")
    return Pair(number, source, candidate)


def _score_all(scorer: MeaningScorer, items: Iterable[Input], *, as_json: bool) -> int:
    status, count = EXIT_OK, 0
    for chunk in _chunks(parse_line(number, item) for number, item in enumerate(items, 1)):
        count += len(chunk)
        good = [pair for pair in chunk if pair.error is None]
        scores = iter(scorer.score([p.source for p in good], [p.candidate for p in good]) if good else ())
        for pair in chunk:
            if pair.error is not None:
                status = EXIT_USAGE
                _report_rejected(pair, as_json)
                continue
            reason = changed_statement(pair.source, pair.candidate)
            score = round(pair_score(float(next(scores)), reason), 4)
            if as_json:
                record = {"source": pair.source, "candidate": pair.candidate, "score": score}
                print(json_line({**record, "reason": reason} if reason else record))
            else:
                print(f"{score:.4f}\t{pair.source}\t{pair.candidate}")
        sys.stdout.flush()
    if count == 0:
        return _fail(f"there is nothing to score (the input is empty; give one {LINE_FORMAT} per line)",
                     EXIT_USAGE)
    return status


def _chunks(pairs: Iterator[Pair]) -> Iterator[list[Pair]]:
    """Consecutive runs of up to :data:`CHUNK_LINES` lines (refused ones included, so order is kept)."""
    chunk: list[Pair] = []
    for pair in pairs:
        chunk.append(pair)
        if len(chunk) == CHUNK_LINES:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _report_rejected(pair: Pair, as_json: bool) -> None:
    if as_json:
        print(json_line({"line": pair.line, "error": pair.error}))
    print(f"paraphrase-studio: skipped line {pair.line}: {pair.error}", file=sys.stderr, flush=True)
