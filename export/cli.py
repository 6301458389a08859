"""``paraphrase-studio export``: build a bundle from a recipe, or from a base + adapter.

With no arguments it also builds the default meaning scorer's bundle, once it is committed;
``--scorer NAME`` builds only a scorer bundle (:mod:`export.scorer_cli`). ``--all-students``
builds every student of the catalog (the default first), each only if missing or stale:
what ``./studio build`` runs, so the app's Model menu offers every committed student.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from models.catalog import DEFAULT_BUNDLE
from models.errors import UnknownRecipeError

from .deps import MissingDependencyError
from .scorer_cli import add_scorer_argument, build_default_scorer, run_scorer


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--recipe", default=DEFAULT_BUNDLE, help=f"catalog recipe to build (default {DEFAULT_BUNDLE})")
    parser.add_argument("--name", help="bundle name (default: the recipe's)")
    parser.add_argument("--base", help="base weights: a .gguf file or a Hugging Face folder (default: the recipe's)")
    parser.add_argument("--adapter", type=Path, help="LoRA adapter folder to merge before export")
    parser.add_argument("--template", help="prompt template with one {text} slot (default: the recipe's)")
    parser.add_argument("--out", type=Path, help="folder of bundles to write into (default: models/bundles)")
    parser.add_argument("--min-agreement", type=float, default=None,
                        help="refuse a bundle whose next-token agreement with PyTorch is below this")
    parser.add_argument("--force", action="store_true", help="rebuild even if the bundle is up to date")
    parser.add_argument("--all-students", action="store_true",
                        help="build every student of the catalog (default first) and the scorer")
    add_scorer_argument(parser)


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    if args.scorer:
        return run_scorer(args, parser)
    if args.all_students:
        return _all_students(args, parser)
    return _build_recipe(args, parser) or build_default_scorer(args)


def _build_recipe(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """The one bundle ``args`` asks for (its recipe, with any override); its exit status."""
    try:
        from .pipeline import ParityError, build_bundle
        from .recipes_build import request_for_recipe

        request = request_for_recipe(args.recipe, out_root=args.out)
    except UnknownRecipeError as exc:
        parser.error(str(exc))
    except MissingDependencyError as exc:
        print(f"paraphrase-studio: {exc}", file=sys.stderr)
        return 1
    if args.name:
        request.name = args.name
    if args.base:
        request.base = args.base
    if args.adapter:
        request.adapter = args.adapter
    if args.template:
        if args.template.count("{text}") != 1:
            parser.error("--template needs exactly one {text} slot")
        request.template = args.template
    if args.min_agreement is not None:
        request.min_agreement = args.min_agreement
    logging.getLogger("export").setLevel(logging.INFO)
    try:
        path = build_bundle(request, if_stale=not args.force)
    except (MissingDependencyError, FileNotFoundError, ParityError) as exc:
        print(f"paraphrase-studio: {exc}", file=sys.stderr)
        return 1
    print(f"bundle ready: {path}")
    return 0


def _all_students(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """Every catalog student, the default first, then the scorer once; the first failure
    stops (its status)."""
    from models.recipes import RECIPES

    if any(getattr(args, option) for option in ("name", "base", "adapter", "template")):
        parser.error("--all-students builds the catalog's recipes as they are: drop --name/--base/--adapter/--template")
    students = sorted((name for name, recipe in RECIPES.items() if recipe.adapter_dir is not None),
                      key=lambda name: (name != DEFAULT_BUNDLE, name))
    for name in students:
        status = _build_recipe(argparse.Namespace(**{**vars(args), "recipe": name}), parser)
        if status:
            return status
    return build_default_scorer(argparse.Namespace(**{**vars(args), "recipe": DEFAULT_BUNDLE}))
