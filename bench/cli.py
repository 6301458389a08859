"""``paraphrase-studio bench``: measure the installed bundle against the alternatives.

Writes a JSON document (schema in ``bench/README.md``), a PNG plot of latency against
input length, and prints Markdown tables. Library modules only log; this is the one
place that prints.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shlex
import sys
from pathlib import Path

log = logging.getLogger(__name__)

DEFAULT_JSON = Path("bench-results.json")
DEFAULT_PLOT = Path("bench-latency.png")
QUICK_REPEAT = 2
FULL_REPEAT = 5


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from .backends import BACKENDS

    parser.add_argument("--quick", action="store_true",
                        help="under a minute: 2 sentences, 2 repeats, backends on the reference sentence "
                             "only, just our loop and PyTorch unless --backends says otherwise")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1,
                        help="threads for every backend (default: all cores, %(default)s here)")
    parser.add_argument("--repeat", type=int, default=None,
                        help=f"timed runs per case (default {FULL_REPEAT}, --quick {QUICK_REPEAT})")
    parser.add_argument("--new-tokens", type=int, default=24,
                        help="tokens per candidate in the backend comparison (default %(default)s)")
    parser.add_argument("--backends", default=None,
                        help=f"comma-separated subset of: {', '.join(BACKENDS)} (default: all; --quick: "
                             f"{', '.join(n for n, s in BACKENDS.items() if s.in_quick)})")
    parser.add_argument("--bundle", action="append", default=None, metavar="NAME_OR_PATH",
                        help="bundle(s) for the product path; the first is the one the backends are "
                             "compared with (default: the default bundle)")
    parser.add_argument("--sentences", type=int, default=None, metavar="N",
                        help="use N of the committed sentences, spread over the length range (default: all)")
    parser.add_argument("--diversity", type=float, default=0.5, help="sampling diversity (default %(default)s)")
    parser.add_argument("--scorer", default=None, metavar="NAME_OR_PATH",
                        help="meaning scorer bundle for the product path and the scoring section (default: the "
                             "default scorer when it is built, else both run without one; 'none': the student alone)")
    parser.add_argument("--phrases", default=None, metavar="NAME_OR_PATH",
                        help="phrase index whose query time is measured (default: the default index when present; "
                             "'none': no phrases section)")
    parser.add_argument("--noise-threshold", type=float, default=0.25, metavar="CORES",
                        help="redo a timed run when other processes used more than this many cores "
                             "meanwhile (default %(default)s; Linux only)")
    parser.add_argument("--noise-retries", type=int, default=None,
                        help="how many times a disturbed run is redone (default 3, --quick 1; 0 = never)")
    parser.add_argument("--no-cold-start", action="store_true", help="skip the fresh-process start-up measurements")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, metavar="PATH",
                        help="where to write the JSON results (default: %(default)s)")
    parser.add_argument("--plot", type=Path, default=DEFAULT_PLOT, metavar="PATH",
                        help="where to write the PNG plot (default: %(default)s); 'none' to skip")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")


def options_from_args(args: argparse.Namespace, argv: list[str] | None = None) -> object:
    """Turn parsed arguments into :class:`bench.runner.BenchOptions` (``--quick`` defaults applied)."""
    from .runner import BenchOptions

    backends = None
    if args.backends:
        backends = [b.strip() for b in args.backends.split(",") if b.strip()]
        if backends == ["all"]:
            from .backends import BACKENDS

            backends = list(BACKENDS)
    quick = bool(args.quick)
    command = "paraphrase-studio bench " + " ".join(shlex.quote(a) for a in (argv if argv is not None else sys.argv[1:])
                                                       if a != "bench")
    return BenchOptions(
        threads=max(1, int(args.threads)),
        repeat=int(args.repeat) if args.repeat else (QUICK_REPEAT if quick else FULL_REPEAT),
        new_tokens=int(args.new_tokens),
        quick=quick,
        backends=backends,
        bundles=args.bundle,
        diversity=float(args.diversity),
        max_sentences=args.sentences if args.sentences else (2 if quick else None),
        backend_sentences=1 if quick else None,
        cold_repeat=1 if quick else 3,
        cold_start=not args.no_cold_start,
        decode_split=not quick,
        noise_threshold=float(args.noise_threshold),
        noise_retries=max(0, int(args.noise_retries)) if args.noise_retries is not None else (1 if quick else 3),
        scorer=args.scorer,
        phrases=args.phrases,
        command=command.strip(),
    )


def run(args: argparse.Namespace, parser: argparse.ArgumentParser, argv: list[str] | None = None) -> int:
    """Run the benchmark, write JSON and PNG, print the Markdown tables."""
    from models.verified_files import ENV_VAR as VERIFIED_FILES_ENV

    from .plot import PlotUnavailable, write_plot
    from .report import build_document, markdown
    from .runner import run_benchmark

    if args.new_tokens < 2:
        parser.error("--new-tokens must be at least 2")
    if args.repeat is not None and args.repeat < 1:
        parser.error("--repeat must be at least 1")
    # Load and verify times as at an app's first start: every bundle file hashed (the
    # verified-files record would let later loads skip it; models.verified_files).
    os.environ.setdefault(VERIFIED_FILES_ENV, "off")
    try:
        options = options_from_args(args, argv)
        raw = run_benchmark(options, progress=not args.no_progress)  # type: ignore[arg-type]
    except (FileNotFoundError, ValueError) as exc:
        print(f"paraphrase-studio bench: {exc}", file=sys.stderr)
        return 2
    doc = build_document(raw)
    plot_path = None if str(args.plot).lower() == "none" else args.plot
    if plot_path is not None:
        try:
            doc["plot"] = str(write_plot(doc, plot_path))
        except PlotUnavailable as exc:
            doc["plot"] = None
            print(f"plot skipped: {exc}", file=sys.stderr)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(markdown(doc))
    print(f"JSON: {args.json}" + (f"   plot: {doc['plot']}" if doc.get("plot") else ""))
    for name, entry in doc["backends"].items():
        if entry["status"] == "failed":
            print(f"{name} failed: {entry.get('error')}", file=sys.stderr)
    return 0 if doc.get("n5_p50_s") is not None else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress details")
    add_arguments(parser)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    return run(args, parser, argv if argv is not None else sys.argv[1:])
