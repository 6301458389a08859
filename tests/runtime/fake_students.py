"""Students for listing tests: recipes with an adapter folder in tmp, and bundles that are only
a manifest and a few bytes per file (the listing never loads a model, so none is needed)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from models import recipes
from models.bundle import file_record, write_manifest
from models.catalog import BUNDLES_ENV, DEFAULT_BUNDLE
from models.controls import Controls
from models.prompt import PromptFormat
from models.recipes import CONTROLLED_TEMPLATE, RECIPES, STUDENT_CONTROLS, STUDENT_TEMPLATE, Recipe

#: A card of the documented shape (numbers made up for the tests only).
CARD = {"quality": {"set": "dev", "inputs": 10, "candidates_per_input": 5, "good_rate": 0.5,
                    "top1_good_rate": None, "command": "paraphrase-studio evaluate --sets dev --limit 10"},
        "speed": {"p50_s": 1.25, "first_candidate_s": 0.5, "command": "paraphrase-studio bench --quick",
                  "machine": "test"}}


def fake_bundle(root: Path, name: str, *, controls: Controls | None = None, model_bytes: int = 1_500_000) -> Path:
    """``root/name`` with a manifest the runtime reads (files listed with their real sha256)."""
    folder = root / name
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "model.onnx").write_bytes(b"\0" * model_bytes)
    (folder / "tokenizer.json").write_text("{}", encoding="utf-8")
    prompt = PromptFormat(template=CONTROLLED_TEMPLATE if controls is not None else STUDENT_TEMPLATE,
                          stop_token_ids=(2,), controls=controls)
    write_manifest(folder, {
        "name": name,
        "model": {"file": "model.onnx", "num_layers": 2, "num_kv_heads": 1, "head_dim": 8, "vocab_size": 64,
                  "max_positions": 128},
        "tokenizer_file": "tokenizer.json",
        "prompt": prompt.to_dict(),
        "files": {rel: file_record(folder / rel) for rel in ("model.onnx", "tokenizer.json")},
    })
    return folder


class Catalog:
    """A catalog of made-up students: ``add`` writes the recipe, its card and (if built) its bundle."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
        self.bundles = tmp_path / "bundles"
        self.bundles.mkdir()
        self.students = tmp_path / "students"
        monkeypatch.setenv(BUNDLES_ENV, str(self.bundles))
        # only the zero-shot baseline stays: it is never a student, built or not
        self.recipes: dict[str, Recipe] = {"smollm2-135m-fewshot": RECIPES["smollm2-135m-fewshot"]}
        monkeypatch.setattr(recipes, "RECIPES", self.recipes)

    def add(self, name: str, *, built: bool = True, manifest_controls: Controls | None = None,
            recipe_controls: Controls | None = None, card: Any = CARD, description: str = "") -> Path:
        adapter = self.students / name
        adapter.mkdir(parents=True)
        if card is not None:
            (adapter / "card.json").write_text(card if isinstance(card, str) else json.dumps(card), encoding="utf-8")
        self.recipes[name] = Recipe(name=name, base="smollm2-135m-instruct",
                                    template=CONTROLLED_TEMPLATE if recipe_controls else STUDENT_TEMPLATE,
                                    adapter_dir=adapter, description=description or f"the {name} student",
                                    controls=recipe_controls)
        if built:
            fake_bundle(self.bundles, name, controls=manifest_controls)
        return adapter


__all__ = ["CARD", "DEFAULT_BUNDLE", "STUDENT_CONTROLS", "Catalog", "fake_bundle"]
