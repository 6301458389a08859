"""Where the installer's megabytes go: the breakdown the README and the build report print.

The budget is 250 MB unpacked, model included, so every build reports the split by
component (Qt, onnxruntime, model, Python, numpy, tokenizers, other) and the largest files,
measured on the finished folder rather than estimated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

#: The limit from the issue, in bytes (decimal megabytes, as ``du --si`` and file managers show).
BUDGET_BYTES = 250_000_000

#: (category, pattern on the path relative to ``_internal/``), first match wins.
CATEGORIES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("model", re.compile(r"^(bundles|phrases)/")),
    ("Qt", re.compile(r"^(PySide6|shiboken6)/|^lib(Qt6|pyside6|shiboken6|icu)")),
    ("onnxruntime", re.compile(r"^onnxruntime/|^libonnxruntime")),
    ("numpy", re.compile(r"^numpy(\.libs)?/|^lib(scipy_openblas|gfortran|quadmath)")),
    ("tokenizers", re.compile(r"^tokenizers/")),
    ("Python", re.compile(r"^(libpython|base_library\.zip|lib-dynload/|python3)|^[^/]+\.(pyc|pyz)$|^EXECUTABLE$")),
)


@dataclass
class SizeReport:
    """Bytes per category and the largest files, for one unpacked installer folder."""

    root: Path
    by_category: dict[str, int] = field(default_factory=dict)
    largest: list[tuple[str, int]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.by_category.values())

    def within_budget(self, budget: int = BUDGET_BYTES) -> bool:
        return self.total <= budget

    def table(self, budget: int = BUDGET_BYTES) -> str:
        """A Markdown table (MB = 10^6 bytes, MiB alongside), as pasted into the README."""
        rows = ["| component | MB | MiB | share |", "|---|---:|---:|---:|"]
        for name, size in sorted(self.by_category.items(), key=lambda item: -item[1]):
            rows.append(f"| {name} | {size / 1e6:.1f} | {size / 2**20:.1f} | {100 * size / max(self.total, 1):.0f} % |")
        rows.append(f"| **total** | **{self.total / 1e6:.1f}** | **{self.total / 2**20:.1f}** | "
                    f"{'within' if self.within_budget(budget) else 'OVER'} the {budget / 1e6:.0f} MB budget |")
        return "\n".join(rows)


def categorize(relative: str) -> str:
    for name, pattern in CATEGORIES:
        if pattern.search(relative):
            return name
    return "other"


def measure(app_dir: Path, *, top: int = 15) -> SizeReport:
    """Sum file sizes under ``app_dir`` (the folder with the executable); symlinks count zero."""
    report = SizeReport(app_dir, {name: 0 for name, _ in CATEGORIES} | {"other": 0})
    internal = app_dir / "_internal"
    files: list[tuple[str, int]] = []
    for path in app_dir.rglob("*"):
        if path.is_symlink() or not path.is_file():
            continue
        size = path.stat().st_size
        inside = path.relative_to(internal).as_posix() if path.is_relative_to(internal) else "EXECUTABLE"
        report.by_category[categorize(inside)] += size
        files.append((path.relative_to(app_dir).as_posix(), size))
    report.largest = sorted(files, key=lambda item: -item[1])[:top]
    return report
