"""``paraphrase-studio paraphrase``: the command-line contract other tools call.

Exit codes: 0 success; 2 usage error or rejected input (message, no traceback);
3 model missing or corrupt (message says how to rebuild); 130 interrupted.
``--json`` prints exactly one JSON object per input, one per line.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator

from .catalog import DEFAULT_BUNDLE
from .errors import BundleError, InputError
from .paraphraser import MAX_CANDIDATES, Paraphraser

EXIT_OK, EXIT_USAGE, EXIT_MODEL, EXIT_INTERRUPTED = 0, 2, 3, 130


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("text", nargs="*", help="text to paraphrase (each argument is one input)")
    parser.add_argument("-i", "--input", metavar="FILE", help="read inputs from FILE, one per line ('-' = stdin)")
    parser.add_argument("-n", "--num", type=int, default=5, help=f"paraphrases per input, 1..{MAX_CANDIDATES} (default 5)")
    parser.add_argument("--diversity", type=float, default=0.5,
                        help="0 = faithful … 1 = creative (default 0.5)")
    parser.add_argument("--seed", type=int, default=None, help="random seed, for reproducible output")
    parser.add_argument("--json", action="store_true", help="print one JSON object per input")
    parser.add_argument("--model", default=None, help=f"bundle name or folder (default {DEFAULT_BUNDLE})")
    parser.add_argument("--threads", type=int, default=None, help="CPU threads for the model (default: all cores)")


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    if not 1 <= args.num <= MAX_CANDIDATES:
        parser.error(f"-n must be between 1 and {MAX_CANDIDATES}")
    if not 0.0 <= args.diversity <= 1.0:
        parser.error("--diversity must be between 0 and 1")
    if args.threads is not None and args.threads < 1:
        parser.error("--threads must be at least 1")
    try:
        inputs = list(_inputs(args))
    except OSError as exc:
        return _fail(f"cannot read {args.input}: {exc.strerror or exc}", EXIT_USAGE)
    if not inputs:
        if args.text or args.input:
            return _fail("there is no text to paraphrase (the input is empty)", EXIT_USAGE)
        parser.error("give text to paraphrase, or -i FILE (use -i - for stdin)")
    try:
        paraphraser = Paraphraser.load(args.model, threads=args.threads)
    except BundleError as exc:
        return _fail(str(exc), EXIT_MODEL)
    status = EXIT_OK
    try:
        for text in inputs:
            try:
                result = paraphraser.paraphrase(text, n=args.num, diversity=args.diversity, seed=args.seed)
            except InputError as exc:
                status = EXIT_USAGE
                _report_rejected(text, str(exc), paraphraser.name, args.json)
                continue
            if args.json:
                print(json.dumps(result.to_json(), ensure_ascii=False), flush=True)
            else:
                _print_plain(result.input, [(c.text, c.score) for c in result.candidates], result.elapsed_ms)
    except KeyboardInterrupt:
        return _fail("interrupted", EXIT_INTERRUPTED)
    return status


def _inputs(args: argparse.Namespace) -> Iterator[str]:
    for text in args.text:
        if text.strip():
            yield text
    if args.input:
        raw = sys.stdin.buffer.read() if args.input == "-" else open(args.input, "rb").read()
        for line in raw.decode("utf-8", errors="replace").splitlines():
            if line.strip():
                yield line


def _report_rejected(text: str, message: str, model: str, as_json: bool) -> None:
    if as_json:
        preview = text if len(text) <= 200 else text[:200] + "…"
        print(json.dumps({"input": preview, "paraphrases": [], "model": model, "elapsed_ms": 0.0,
                          "error": message}, ensure_ascii=False), flush=True)
    print(f"paraphrase-studio: skipped an input: {message}", file=sys.stderr)


def _print_plain(text: str, candidates: list[tuple[str, float]], elapsed_ms: float) -> None:
    print(text)
    if not candidates:
        print("  (no paraphrase found that differs from the input)")
    for i, (candidate, score) in enumerate(candidates, 1):
        print(f"  {i}. {candidate}  [{score:.2f}]")
    print(f"  ({elapsed_ms / 1000:.2f} s)\n", flush=True)


def _fail(message: str, code: int) -> int:
    print(f"paraphrase-studio: {message}", file=sys.stderr)
    return code
