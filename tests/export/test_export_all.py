"""``export --all-students``: what ``./studio build`` runs, so every committed student is built."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from export import cli
from models.recipes import Recipe


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="paraphrase-studio export")
    cli.add_arguments(parser)
    return parser


def test_every_student_is_built_default_first_and_the_first_failure_stops(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from export import pipeline, recipes_build, scorer_cli
    from models import recipes

    students = {name: Recipe(name=name, base="b", template="{text}", adapter_dir=tmp_path / name)
                for name in ("z-student", "a-student")}
    catalog = {"fewshot": Recipe(name="fewshot", base="b", template="{text}"), **students}
    monkeypatch.setattr(recipes, "RECIPES", catalog)
    monkeypatch.setattr(cli, "DEFAULT_BUNDLE", "z-student")
    monkeypatch.setattr(recipes_build, "get_recipe", lambda name: catalog[name])
    built: list[str] = []
    failing: set[str] = set()

    def build(request: pipeline.ExportRequest, if_stale: bool = False) -> Path:
        if request.name in failing:
            raise FileNotFoundError(f"{request.name}: no adapter")
        built.append(request.name)
        return tmp_path / request.name

    monkeypatch.setattr(pipeline, "build_bundle", build)
    monkeypatch.setattr(scorer_cli, "build_default_scorer", lambda args: 0)
    monkeypatch.setattr(cli, "build_default_scorer", lambda args: 0)
    parser = _parser()
    assert cli.run(parser.parse_args(["--all-students"]), parser) == 0
    assert built == ["z-student", "a-student"]  # the default first, no few-shot recipe

    built.clear()
    failing.add("z-student")
    assert cli.run(parser.parse_args(["--all-students"]), parser) == 1
    assert built == []


def test_all_students_refuses_options_that_would_rename_every_bundle() -> None:
    parser = _parser()
    with pytest.raises(SystemExit):
        cli.run(parser.parse_args(["--all-students", "--name", "mine"]), parser)
