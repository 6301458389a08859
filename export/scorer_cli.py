"""The scorer part of ``paraphrase-studio export``: ``--scorer NAME``, and the default scorer after the student.

Kept out of :mod:`export.cli` so that file stays about paraphrase bundles. ``export`` with no
arguments (what ``./studio build`` runs) builds the default student, then the default
scorer when it is missing or stale, but only once training has committed it
(``models/scorers/<name>/scorer.json``); until then it says so in one line and skips it.
Only this module's functions import the export tool chain: ``paraphrase-studio --help``
imports this module, and must stay fast.
"""

from __future__ import annotations

import argparse
import logging
import sys

from models.catalog import DEFAULT_BUNDLE
from models.scorer_recipes import DEFAULT_SCORER, DEFAULT_SCORERS, SCORER_CONFIG, UnknownScorerError, get_scorer

log = logging.getLogger("export.scorer")

#: ``export`` options that describe a paraphrase bundle, and so make no sense with ``--scorer``.
STUDENT_OPTIONS = ("name", "base", "adapter", "template", "min_agreement")


def add_scorer_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--scorer", metavar="NAME_OR_FOLDER",
                        help=f"build only this meaning scorer's bundle: a catalog name ({DEFAULT_SCORER}) or a "
                             f"committed scorer folder with {SCORER_CONFIG} (--out and --force apply)")


def run_scorer(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """``export --scorer NAME``: build that scorer bundle (reused when up to date, unless ``--force``)."""
    given = [f"--{name.replace('_', '-')}" for name in STUDENT_OPTIONS if getattr(args, name, None) is not None]
    if args.recipe != DEFAULT_BUNDLE:
        given.insert(0, "--recipe")
    if given:
        parser.error(f"--scorer builds a scorer bundle; {', '.join(given)} describe a paraphrase bundle")
    try:
        from .scorer_export import request_for_scorer

        request = request_for_scorer(args.scorer, out_root=args.out)
    except UnknownScorerError as exc:
        parser.error(str(exc))
    return _build(request, force=args.force)


def build_default_scorer(args: argparse.Namespace) -> int:
    """After the default student: the default scorer and its order companion
    (:data:`~models.scorer_recipes.DEFAULT_SCORERS`), each when committed, missing or stale
    (never forced).

    ``--force`` is for the student (the app's rebuild dialog runs ``export --force``); a damaged
    or outdated scorer bundle is rebuilt anyway, since being current includes its sha256 check.
    A custom paraphrase build (another recipe, ``--name``, ``--base``…) builds no scorer.
    """
    if args.recipe != DEFAULT_BUNDLE or any(getattr(args, name, None) is not None for name in STUDENT_OPTIONS):
        return 0
    from .scorer_export import ScorerExportRequest

    status = 0
    for name in DEFAULT_SCORERS:
        recipe = get_scorer(name)
        if not recipe.committed:
            log.info("scorer %s is not committed yet (no %s): skipped", name, recipe.folder / SCORER_CONFIG)
            continue
        status = max(status, _build(ScorerExportRequest(source=recipe.folder, out_root=args.out), force=False))
    return status


def _build(request: object, *, force: bool) -> int:
    from models.errors import ParaphraseStudioError

    from .scorer_export import build_scorer_bundle

    try:
        path = build_scorer_bundle(request, if_stale=not force)  # type: ignore[arg-type]
    except (ParaphraseStudioError, FileNotFoundError) as exc:  # missing deps, bad scorer folder, parity gate
        print(f"paraphrase-studio: {exc}", file=sys.stderr)
        return 1
    print(f"scorer bundle ready: {path}")
    return 0
