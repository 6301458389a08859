"""``paraphrase-studio models``: the students you can paraphrase with, and how they measure.

A table (name, ``*`` for the default, size on disk, modes, dev good rate, p50 time for five
paraphrases) of the built students, or with ``--all`` every student of the catalog, the ones
not built yet with the command that builds each. ``--json`` prints one JSON list of
:meth:`models.students_list.StudentInfo.to_json` objects instead. Figures come from each
student's ``card.json`` (measured; ``-`` where nothing was). Exit 0 whatever is built: with no
student built it says how to build one. The same listing feeds the app's Model menu.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from .catalog import DEFAULT_BUNDLE, rebuild_command
from .cli import EXIT_OK
from .students_list import StudentInfo, list_students

#: Shown for a figure nobody measured (or a student not built).
NOT_MEASURED = "-"
COLUMNS = ("", "name", "size", "modes", "good rate", "p50")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true",
                        help='print one JSON list: [{"name", "default", "installed", "folder", "size_mb", "modes", '
                             '"description", "quality", "speed"}]')
    parser.add_argument("--all", action="store_true", help="list the students not built yet too")


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    students = list_students(include_missing=args.all)
    built = [s for s in students if s.installed]
    if args.json:
        print(json.dumps([s.to_json() for s in students], ensure_ascii=False))
        if not built:  # stdout stays one JSON list; the hint goes to the reader on stderr
            print(f"paraphrase-studio: {no_student_message()}", file=sys.stderr)
        return EXIT_OK
    if not students:
        print(no_student_message())
        return EXIT_OK
    print("\n".join(table(students)))
    missing = [s for s in students if not s.installed]
    if missing:
        print("\nNo student is built yet." if not built else "")
        for student in missing:
            print(f"build {student.name}: {rebuild_command(student.name)}")
    return EXIT_OK


def no_student_message() -> str:
    """What to do when nothing is built (the default student's build command comes first)."""
    return (f"No student is built yet. Build the default one ({DEFAULT_BUNDLE}) with: "
            f"{rebuild_command(DEFAULT_BUNDLE)}\n`paraphrase-studio models --all` lists every student of the catalog.")


def table(students: Sequence[StudentInfo]) -> list[str]:
    """Aligned rows: a header, one row per student, then what the marks and figures mean."""
    rows = [COLUMNS] + [_row(s) for s in students]
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in rows]
    lines.append("")
    lines.append("* = the default.  good rate: share of candidates that keep the meaning and change the wording")
    lines.append("(on the set named); p50: median seconds per request. Measured figures from")
    lines.append("models/students/<name>/card.json; --json shows the commands and the machine.")
    return lines


def _row(student: StudentInfo) -> tuple[str, ...]:
    return ("*" if student.default else "", student.name,
            f"{student.size_mb:.1f} MB" if student.size_mb is not None else "not built",
            ", ".join(student.modes), _good_rate(student.quality), _p50(student.speed))


def _good_rate(quality: dict | None) -> str:
    if not quality or quality.get("good_rate") is None:
        return NOT_MEASURED
    where = quality.get("set")
    return f"{quality['good_rate']:.3f}" + (f" ({where})" if isinstance(where, str) and where else "")


def _p50(speed: dict | None) -> str:
    if not speed or speed.get("p50_s") is None:
        return NOT_MEASURED
    return f"{speed['p50_s']:.2f} s"
