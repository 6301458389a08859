"""The app's flags are declared once (``desktop.options``) and that module never loads Qt."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from desktop.options import add_arguments, to_argv

REPO = Path(__file__).resolve().parents[2]


def _flags(parser: argparse.ArgumentParser) -> dict[str, tuple[object, str | None]]:
    return {action.dest: (action.default, action.help) for action in parser._actions
            if action.dest not in {"help", "verbose", "command", "_module", "_parser"}}


def test_both_entry_points_declare_the_same_flags() -> None:
    import desktop.app as desktop_app
    from paraphrase_studio import app_command

    dispatcher = argparse.ArgumentParser()
    app_command.add_arguments(dispatcher)
    shared = argparse.ArgumentParser()
    add_arguments(shared)
    assert _flags(desktop_app.build_parser()) == _flags(dispatcher) == _flags(shared)
    assert set(_flags(shared)) == {"self_test", "bundle", "threads"}


def test_parsed_flags_pass_through_unchanged() -> None:
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    for argv in ([], ["--self-test"], ["--bundle", "b", "--threads", "2"], ["--self-test", "--bundle", "x"]):
        assert to_argv(parser.parse_args(argv)) == argv


def test_the_options_and_the_app_subcommand_do_not_load_qt() -> None:
    code = ("import sys, desktop.options, paraphrase_studio.app_command; "
            "print(sorted(m for m in sys.modules if m.startswith('PySide6')))")
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
