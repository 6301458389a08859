"""An unknown recipe name is a clear error, not a KeyError with a quoted message."""

from __future__ import annotations

import pytest

from models.errors import ParaphraseStudioError, UnknownRecipeError
from models.recipes import RECIPES, get_recipe


def test_a_known_recipe_is_returned() -> None:
    name = next(iter(RECIPES))
    assert get_recipe(name) is RECIPES[name]


def test_an_unknown_recipe_names_the_known_ones() -> None:
    with pytest.raises(UnknownRecipeError) as info:
        get_recipe("no-such-recipe")
    error = info.value
    assert isinstance(error, ParaphraseStudioError) and isinstance(error, ValueError)
    assert not isinstance(error, KeyError)  # str() of a KeyError wraps the message in quotes
    assert str(error) == f"unknown bundle recipe 'no-such-recipe' (known: {', '.join(sorted(RECIPES))})"
    assert error.name == "no-such-recipe" and error.known == sorted(RECIPES)


def test_the_export_command_reports_it_as_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("tqdm")  # export.pipeline's progress bar: the export extra
    from paraphrase_studio import cli

    with pytest.raises(SystemExit) as info:
        cli.main(["export", "--recipe", "no-such-recipe"])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "unknown bundle recipe 'no-such-recipe' (known: " in err and "Traceback" not in err
