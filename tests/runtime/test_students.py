"""Committed students: small, complete, described, and the recipe agrees with the training.

A student is only reproducible if the catalog prompts it with the very template it was
trained on and the adapter in git is the one the default bundle was built from.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from models.catalog import DEFAULT_BUNDLE
from models.recipes import RECIPES, Recipe

STUDENTS = [r for r in RECIPES.values() if r.adapter_dir is not None]
MAX_ADAPTER_BYTES = 20 * 1024 * 1024


@pytest.mark.parametrize("recipe", STUDENTS, ids=lambda r: r.name)
def test_student_folder_is_complete_and_small(recipe: Recipe) -> None:
    folder = recipe.adapter_dir
    assert folder is not None
    for name in ("adapter_model.safetensors", "adapter_config.json", "training.json", "README.md"):
        assert (folder / name).is_file(), f"{folder} lacks {name}"
    size = sum(p.stat().st_size for p in folder.iterdir() if p.is_file())
    assert size <= MAX_ADAPTER_BYTES, f"{folder} is {size / 1e6:.1f} MB"
    config = json.loads((folder / "adapter_config.json").read_text())
    assert config["base_model_name_or_path"] == recipe.base  # portable, not a machine path


@pytest.mark.parametrize("recipe", STUDENTS, ids=lambda r: r.name)
def test_recipe_prompts_with_the_training_template(recipe: Recipe) -> None:
    assert recipe.adapter_dir is not None
    training = json.loads((recipe.adapter_dir / "training.json").read_text())
    assert training["template"] == recipe.template
    assert training["steps"] > 0 and training["tokens_seen"] > 0


@pytest.mark.parametrize("recipe", STUDENTS, ids=lambda r: r.name)
def test_model_card_reports_evaluation_and_ablation(recipe: Recipe) -> None:
    assert recipe.adapter_dir is not None
    card = (recipe.adapter_dir / "README.md").read_text()
    for needle in ("teacher:gpt-3.5", "good rate", "Ablation", "critic"):
        assert needle in card, f"model card of {recipe.name} does not mention {needle!r}"


def test_default_bundle_was_built_from_the_committed_adapter(default_bundle: Path) -> None:
    pytest.importorskip("torch")  # export's digest lives beside the torch code; import is cheap
    from export.pipeline import adapter_digest

    recipe = RECIPES[DEFAULT_BUNDLE]
    manifest = json.loads((default_bundle / "manifest.json").read_text())
    if recipe.adapter_dir is None:
        assert manifest.get("adapter") is None
        return
    assert manifest["adapter"]["sha256"] == adapter_digest(recipe.adapter_dir)
    assert manifest["prompt"]["template"] == recipe.template
    assert manifest["prompt"].get("extra", {}) == recipe.prompt_extra


def test_the_runtime_takes_the_copy_penalty_scale_from_the_bundle(default_paraphraser) -> None:  # noqa: ANN001
    recipe = RECIPES[DEFAULT_BUNDLE]
    assert default_paraphraser.copy_penalty_scale == recipe.prompt_extra.get("copy_penalty_scale", 1.0)
