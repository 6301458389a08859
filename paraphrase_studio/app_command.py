"""``paraphrase-studio app``: start the desktop app (PySide6 is imported only when chosen).

The flags are declared once, in the Qt-free :mod:`desktop.options`, and checked here
before PySide6 loads.
"""

from __future__ import annotations

import argparse
import sys

from desktop.options import add_arguments, check, to_argv

__all__ = ["add_arguments", "run"]


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    check(args, parser)  # exit 2, before any Qt is loaded
    try:
        from desktop.app import main as app_main
    except ImportError as exc:
        print(f"paraphrase-studio: the desktop app needs PySide6: pip install 'paraphrase-studio[app]' ({exc})",
              file=sys.stderr)
        return 1
    return int(app_main(to_argv(args)) or 0)
