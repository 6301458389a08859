"""The desktop app's command-line flags, declared once and free of Qt.

``paraphrase-studio app`` (:mod:`paraphrase_studio.app_command`) and ``python -m desktop``
(:mod:`desktop.app`) both take these flags. The dispatcher must parse and check them
before PySide6 loads (a bad ``--threads`` is a usage error, exit 2, with no window), so
this module imports only argparse and :mod:`models.threads`, never Qt.
"""

from __future__ import annotations

import argparse

from models.threads import max_threads, threads_error


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``--self-test``, ``--bundle`` and ``--threads`` to ``parser``."""
    parser.add_argument("--self-test", action="store_true",
                        help="open the window, run one real paraphrase, print one JSON line and exit")
    parser.add_argument("--bundle", default=None, help="bundle name or folder (default: the default bundle)")
    parser.add_argument("--threads", type=int, default=None,
                        help=f"ONNX Runtime threads, 1 to {max_threads()} (default: all cores)")


def check(args: argparse.Namespace, parser: argparse.ArgumentParser) -> None:
    """Exit with a usage error (status 2) for a flag value the app cannot use."""
    problem = threads_error(args.threads)
    if problem:
        parser.error(problem)


def to_argv(args: argparse.Namespace) -> list[str]:
    """The flags in ``args`` as arguments for :func:`desktop.app.main`, defaults left out."""
    argv = ["--self-test"] if args.self_test else []
    if args.bundle:
        argv += ["--bundle", args.bundle]
    if args.threads is not None:
        argv += ["--threads", str(args.threads)]
    return argv
