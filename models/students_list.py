"""Which students the catalog has, which are built, and what each is measured to do.

One listing for the ``models`` command and the app's Model menu, so both show the same
students in the same order with the same figures. It never loads a model: a bundle's
manifest is read without checking its files (cheap), and the figures come from the
student's ``card.json`` beside its model card (``models/students/<name>/card.json``),
written from measurements, never estimated here.

Only recipes with an adapter are students. The zero-shot ``smollm2-135m-fewshot`` baseline
is left out on purpose: it is a yardstick for the evaluation, not a model to write with
(its dev good rate is a fifth of the student's); ``--bundle smollm2-135m-fewshot`` still
loads it when built.

``card.json`` shape (every figure measured; what was not measured is null)::

    {"quality": {"set": "dev", "inputs": 100, "candidates_per_input": 5, "good_rate": 0.553,
                 "top1_good_rate": null, "command": "paraphrase-studio evaluate ..."},
     "speed": {"p50_s": 0.68, "first_candidate_s": 0.47, "command": "paraphrase-studio bench ...",
               "machine": "..."}}
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import recipes
from .bundle import Manifest, load_manifest
from .catalog import DEFAULT_BUNDLE, bundles_dir
from .controls import STANDARD_MODE
from .errors import BundleError

log = logging.getLogger(__name__)

#: The machine-readable card beside each student's README.md.
CARD_NAME = "card.json"
#: Bytes per MB in sizes shown (decimal, as the README's and the bench's figures).
BYTES_PER_MB = 1e6

#: Cards already warned about (the app may list students often; one warning per file is enough).
_warned: set[tuple[str, str]] = set()


@dataclass(frozen=True)
class StudentInfo:
    """One student of the catalog, built or not.

    ``installed``: its bundle folder exists and its manifest reads (files not verified);
    ``folder``/``size_mb`` are None when it is not. ``modes`` come from the built manifest
    (for a student not built, from its recipe; ``("standard",)`` when neither says more).
    ``quality``/``speed``: the card's sections, None when the card lacks or damages them.
    """

    name: str
    default: bool
    installed: bool
    folder: Path | None
    size_mb: float | None
    modes: tuple[str, ...]
    description: str
    quality: dict | None
    speed: dict | None

    def to_json(self) -> dict[str, Any]:
        """The ``models --json`` object (and what the app may keep): plain JSON types only."""
        return {
            "name": self.name,
            "default": self.default,
            "installed": self.installed,
            "folder": None if self.folder is None else str(self.folder),
            "size_mb": self.size_mb,
            "modes": list(self.modes),
            "description": self.description,
            "quality": self.quality,
            "speed": self.speed,
        }


def list_students(include_missing: bool = False) -> list[StudentInfo]:
    """The catalog's students: the default first, then by name.

    Students whose bundle is not built (or whose manifest does not read) are left out
    unless ``include_missing``; a damaged manifest is logged, never raised.
    """
    students = [_info(recipe) for recipe in recipes.RECIPES.values() if recipe.adapter_dir is not None]
    students.sort(key=lambda s: (not s.default, s.name))
    return [s for s in students if s.installed or include_missing]


def _info(recipe: recipes.Recipe) -> StudentInfo:
    folder = bundles_dir() / recipe.name
    manifest = _manifest(folder)
    if manifest is not None:
        modes = manifest.prompt.modes
    elif recipe.controls is not None:  # what its manifest will say once built
        modes = recipe.controls.mode_names
    else:
        modes = (STANDARD_MODE,)
    card = read_card(recipe.adapter_dir / CARD_NAME) if recipe.adapter_dir is not None else {}
    return StudentInfo(
        name=recipe.name,
        default=recipe.name == DEFAULT_BUNDLE,
        installed=manifest is not None,
        folder=folder if manifest is not None else None,
        size_mb=_size_mb(folder, manifest) if manifest is not None else None,
        modes=tuple(modes),
        description=recipe.description,
        quality=card.get("quality"),
        speed=card.get("speed"),
    )


def _manifest(folder: Path) -> Manifest | None:
    """The bundle's manifest, or None: not built (quietly) or damaged (a warning with the fix)."""
    if not (folder / "manifest.json").is_file():
        return None
    try:
        return load_manifest(folder, verify=False)
    except BundleError as exc:
        log.warning("%s", exc)
        return None


def _size_mb(folder: Path, manifest: Manifest) -> float:
    """The files the manifest lists, as they are on disk (the bench's ``size_mb``)."""
    total = 0
    for rel in manifest.files:
        try:
            total += (folder / rel).stat().st_size
        except OSError:  # missing: the load's check will say so; the listing shows what is there
            continue
    return round(total / BYTES_PER_MB, 1)


def read_card(path: Path) -> dict[str, dict | None]:
    """``{"quality": ..., "speed": ...}`` from a ``card.json``; a section that is missing or of
    the wrong shape is None, with one warning per file and problem (never an exception)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        _warn(path, "missing", "student card %s is missing: no measured quality or speed to show", path)
        return {"quality": None, "speed": None}
    except (OSError, ValueError, RecursionError) as exc:
        _warn(path, "damaged", "student card %s cannot be read (%s): no measured quality or speed to show", path, exc)
        return {"quality": None, "speed": None}
    if not isinstance(data, dict):
        _warn(path, "damaged", "student card %s is not a JSON object: no measured quality or speed to show", path)
        return {"quality": None, "speed": None}
    return {"quality": _section(path, data, "quality", "good_rate", upper=1.0),
            "speed": _section(path, data, "speed", "p50_s", upper=None)}


def _section(path: Path, data: dict, key: str, figure: str, *, upper: float | None) -> dict | None:
    """``data[key]`` when it is null or an object whose ``figure`` is a number in range."""
    section = data.get(key)
    if section is None:
        return None
    value = section.get(figure) if isinstance(section, dict) else None
    if not _is_figure(value, upper):
        _warn(path, key, "student card %s: %r is not an object with a numeric %r; it is ignored", path, key, figure)
        return None
    return section


def _is_figure(value: object, upper: float | None) -> bool:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
        return False
    return upper is None or value <= upper


def _warn(path: Path, problem: str, message: str, *args: object) -> None:
    key = (str(path), problem)
    if key in _warned:
        return
    _warned.add(key)
    log.warning(message, *args)
