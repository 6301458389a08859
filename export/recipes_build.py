"""Build a bundle from a catalog recipe (``models.recipes``): what ``./studio`` calls."""

from __future__ import annotations

from pathlib import Path

from models.recipes import get_recipe

from .pipeline import ExportRequest, build_bundle


def request_for_recipe(name: str, *, out_root: Path | None = None) -> ExportRequest:
    recipe = get_recipe(name)
    return ExportRequest(name=recipe.name, template=recipe.template, base=recipe.base,
                         adapter=recipe.adapter_dir, description=recipe.description, out_root=out_root,
                         prompt_extra=dict(recipe.prompt_extra), controls=recipe.controls,
                         confidence=recipe.confidence, mode_update=recipe.mode_update_dir)


def build_recipe(name: str, *, if_stale: bool = False, out_root: Path | None = None) -> Path:
    return build_bundle(request_for_recipe(name, out_root=out_root), if_stale=if_stale)
