"""``paraphrase-studio phrases``: alternatives for a word or a phrase in its sentence.

Two ways in:

* ``phrases "TEXT" --span START:END``: one query (character offsets, end exclusive);
* ``phrases -i FILE`` (``-i -`` for stdin): one JSON object ``{"text", "start", "end"}`` per
  line (``"k"`` optional), answered one line each, in order, as they arrive.

With ``--json`` each answer is ``{"text", "start", "end", "phrase", "alternatives": [{"text",
"score"}], "elapsed_ms"}`` (``start``/``end``: the span replaced, widened to whole words;
``elapsed_ms``: the in-process time of that query); otherwise ``phrase<TAB>alt1 | alt2 | …``.
A line or span that cannot be answered (not JSON, a field missing or of the wrong type, an
empty or out-of-range span, a span with no word) gets ``{"line": k, "error": "..."}`` with
``--json`` and a message on stderr either way; the other lines still run and the exit
status is 2. Exit codes as ``paraphrase`` (:mod:`models.cli`, whose line reader this uses):
0 success; 2 usage error or a refused line; 3 the phrase index (or a scorer named with
``--scorer``) is missing or damaged, with the command that rebuilds it.

The meaning scorer ranks in context when its bundle is installed (the app's default,
``PARAPHRASE_STUDIO_SCORER`` honoured); ``--scorer none`` ranks by the index's PPDB scores
alone, which is also what happens, after one warning, when the default scorer is not built.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from typing import Any, BinaryIO

from .cli import EXIT_OK, EXIT_USAGE, Input, _fail, json_line, read_lines, run_with_input
from .phrases import DEFAULT_INDEX, DEFAULT_K, PhraseAlternatives, PhraseIndex, PhraseSpanError
from .scorer_recipes import DEFAULT_SCORER
from .text import binary_reason
from .threads import threads_error

#: Most alternatives one query may ask for.
MAX_K = 24
#: How each ``-i`` line must look, quoted in the error messages.
LINE_FORMAT = '{"text": "...", "start": N, "end": N}'


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("text", nargs="?", help="the text the phrase stands in (with --span)")
    parser.add_argument("--span", metavar="START:END", help="character offsets of the word or phrase in TEXT")
    parser.add_argument("-i", "--input", metavar="FILE",
                        help=f"read queries from FILE, one {LINE_FORMAT} per line ('-' = stdin)")
    parser.add_argument("--json", action="store_true",
                        help='print one JSON object per query: {"text", "start", "end", "phrase", "alternatives", '
                             '"elapsed_ms"}')
    parser.add_argument("-k", type=int, default=DEFAULT_K, help=f"alternatives per query, 1..{MAX_K} "
                                                                f"(default {DEFAULT_K})")
    parser.add_argument("--index", default=None, metavar="NAME_OR_FOLDER",
                        help=f"phrase index name or folder (default {DEFAULT_INDEX})")
    parser.add_argument("--scorer", default=None, metavar="NAME_OR_FOLDER",
                        help=f"meaning scorer that ranks in context (default {DEFAULT_SCORER} when installed; "
                             "'none' for the index's scores alone)")
    parser.add_argument("--threads", type=int, default=None, help="CPU threads for the scorer (default: all cores)")


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    problem = threads_error(args.threads)
    if problem:
        parser.error(problem)
    if not 1 <= args.k <= MAX_K:
        parser.error(f"-k must be between 1 and {MAX_K}")
    if args.input and (args.text is not None or args.span):
        parser.error("give either TEXT --span START:END or -i FILE, not both")
    if not args.input and (args.text is None or not args.span):
        parser.error('give TEXT --span START:END (e.g. phrases "The results were good." --span 16:20), '
                     "or -i FILE with one JSON query per line (-i - for stdin)")
    span = None
    if args.span:
        span = _parse_span(args.span)
        if span is None:
            parser.error(f"--span must be START:END with two whole numbers, not {args.span!r}")

    def answer(models: tuple[PhraseIndex, Any], stream: BinaryIO | None) -> int:
        index, scorer = models
        if stream is None:
            assert span is not None
            query: dict[str, Any] = {"text": args.text, "start": span[0], "end": span[1]}
            return _answer_all(index, scorer, [(1, query, None)], as_json=args.json, k=args.k, where="the span")
        return _answer_all(index, scorer, _queries(read_lines(stream)), as_json=args.json, k=args.k, where="line")

    return run_with_input(args.input, lambda: (PhraseIndex.load(args.index), _scorer(args.scorer, args.threads)),
                          answer)


def _parse_span(text: str) -> tuple[int, int] | None:
    start, sep, end = text.partition(":")
    try:
        return (int(start), int(end)) if sep else None
    except ValueError:
        return None


def _scorer(name: str | None, threads: int | None):  # noqa: ANN202 - a MeaningScorer or None
    """The named scorer (its errors are the user's to see), else the app's default one (None if not built)."""
    if name is not None and name.lower() == "none":
        return None
    if name is None:
        from .confidence import default_scorer  # honours PARAPHRASE_STUDIO_SCORER, warns once if missing

        return default_scorer(threads)
    from .scorer import MeaningScorer  # onnxruntime: only when a scorer is used

    return MeaningScorer.load(name, threads=threads)


def _queries(items: Iterable[Input]) -> Iterable[tuple[int, dict[str, Any] | None, str | None]]:
    """``(line number, query, None)`` or ``(line number, None, why it is refused)`` per input line."""
    for number, item in enumerate(items, 1):
        if item.error is not None:
            yield number, None, item.error
            continue
        query, error = parse_query(item.text)
        yield number, query, error


def parse_query(line: str) -> tuple[dict[str, Any] | None, str | None]:
    """One ``-i`` line -> ``(query, None)`` or ``(None, the reason it is refused)``."""
    reason = binary_reason(line)
    if reason is not None:
        return None, f"the line is not text: {reason}"
    if not line.strip():
        return None, f"the line is empty: each line is {LINE_FORMAT}"
    try:
        data = json.loads(line)
    except (ValueError, RecursionError) as exc:
        return None, f"the line is not JSON ({exc}): each line is {LINE_FORMAT}"
    if not isinstance(data, dict):
        return None, f"the line is not a JSON object: each line is {LINE_FORMAT}"
    missing = [key for key in ("text", "start", "end") if key not in data]
    if missing:
        return None, f"the object has no {', '.join(repr(m) for m in missing)}: each line is {LINE_FORMAT}"
    if not isinstance(data["text"], str):
        return None, '"text" must be a string'
    for key in ("start", "end"):
        if isinstance(data[key], bool) or not isinstance(data[key], int):
            return None, f'"{key}" must be a whole number of characters, not {json.dumps(data[key])}'
    if "k" in data and (isinstance(data["k"], bool) or not isinstance(data["k"], int) or not 1 <= data["k"] <= MAX_K):
        return None, f'"k" must be a whole number between 1 and {MAX_K}'
    return data, None


def _answer_all(index: PhraseIndex, scorer: object, queries: Iterable[tuple[int, dict[str, Any] | None, str | None]],
                *, as_json: bool, k: int, where: str) -> int:
    status, count = EXIT_OK, 0
    for number, query, error in queries:
        count += 1
        result = None
        if query is not None:
            try:
                result = index.alternatives(query["text"], query["start"], query["end"], query.get("k", k),
                                            scorer=scorer)  # type: ignore[arg-type]
            except PhraseSpanError as exc:
                error = str(exc)
        if result is None:
            status = EXIT_USAGE
            _report_refused(number, error or "refused", as_json, where)
            continue
        _print(query["text"], result, as_json)  # type: ignore[index]
        sys.stdout.flush()
    if count == 0:
        return _fail(f"there is nothing to look up (the input is empty; give one {LINE_FORMAT} per line)", EXIT_USAGE)
    return status


def result_object(text: str, result: PhraseAlternatives) -> dict[str, Any]:
    """The ``--json`` object of one answer."""
    return {"text": text, "start": result.start, "end": result.end, "phrase": result.phrase,
            "alternatives": [{"text": a.text, "score": a.score} for a in result.alternatives],
            "elapsed_ms": round(result.elapsed_ms, 3)}


def _print(text: str, result: PhraseAlternatives, as_json: bool) -> None:
    if as_json:
        print(json_line(result_object(text, result)))
    else:
        print(f"{result.phrase}\t{' | '.join(a.text for a in result.alternatives)}")


def _report_refused(number: int, error: str, as_json: bool, where: str) -> None:
    if as_json:
        print(json_line({"line": number, "error": error}))
    place = f"line {number}" if where == "line" else where
    print(f"paraphrase-studio: skipped {place}: {error}", file=sys.stderr, flush=True)
