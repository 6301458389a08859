"""``paraphrase-studio app``: start the desktop app (PySide6 is imported only when chosen)."""

from __future__ import annotations

import argparse
import sys

from models.threads import max_threads, threads_error


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--self-test", action="store_true",
                        help="open the window, run one real paraphrase, print one JSON line and exit")
    parser.add_argument("--bundle", default=None, help="bundle name or folder (default: the default bundle)")
    parser.add_argument("--threads", type=int, default=None,
                        help=f"onnxruntime threads, 1 to {max_threads()} (default: all cores)")


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    problem = threads_error(args.threads)
    if problem:
        parser.error(problem)  # exit 2, before any Qt is loaded
    try:
        from desktop.app import main as app_main
    except ImportError as exc:
        print(f"paraphrase-studio: the desktop app needs PySide6: pip install 'paraphrase-studio[app]' ({exc})",
              file=sys.stderr)
        return 1
    argv = ((["--self-test"] if args.self_test else []) + (["--bundle", args.bundle] if args.bundle else [])
            + (["--threads", str(args.threads)] if args.threads is not None else []))
    return int(app_main(argv) or 0)
