"""models.students_list: which students there are, which are built, and their measured figures."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import pytest
from fake_students import CARD, DEFAULT_BUNDLE, STUDENT_CONTROLS, Catalog, fake_bundle

from models.recipes import RECIPES
from models.students_list import CARD_NAME, StudentInfo, list_students, read_card

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def catalog(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Catalog:
    return Catalog(monkeypatch, tmp_path)


def test_the_default_comes_first_then_by_name_and_the_fewshot_base_is_no_student(catalog: Catalog) -> None:
    catalog.add("z-student")
    catalog.add(DEFAULT_BUNDLE)
    catalog.add("a-student")
    fake_bundle(catalog.bundles, "smollm2-135m-fewshot")  # built, but not a student
    students = list_students()
    assert [s.name for s in students] == [DEFAULT_BUNDLE, "a-student", "z-student"]
    assert [s.default for s in students] == [True, False, False]


def test_students_not_built_are_listed_only_when_asked(catalog: Catalog) -> None:
    catalog.add(DEFAULT_BUNDLE, built=False)
    catalog.add("b-student")
    assert [s.name for s in list_students()] == ["b-student"]
    everyone = list_students(include_missing=True)
    assert [(s.name, s.installed) for s in everyone] == [(DEFAULT_BUNDLE, False), ("b-student", True)]
    missing = everyone[0]
    assert missing.folder is None and missing.size_mb is None
    assert missing.quality == CARD["quality"]  # measured figures are the student's, built or not


def test_a_built_student_has_its_folder_size_and_the_manifest_modes(catalog: Catalog) -> None:
    catalog.add("controlled", manifest_controls=STUDENT_CONTROLS, description="codes")
    catalog.add("plain")
    controlled, plain = list_students()
    assert controlled.installed and controlled.folder == catalog.bundles / "controlled"
    assert controlled.modes == ("standard", "simpler", "shorter")
    assert plain.modes == ("standard",)
    # the listed files on disk: 1,500,000 + 2 bytes
    assert controlled.size_mb == 1.5
    assert controlled.description == "codes"
    assert (controlled.quality, controlled.speed) == (CARD["quality"], CARD["speed"])


def test_a_student_not_built_takes_its_modes_from_its_recipe(catalog: Catalog) -> None:
    catalog.add("controlled", built=False, recipe_controls=STUDENT_CONTROLS)
    catalog.add("plain", built=False)
    assert {s.name: s.modes for s in list_students(include_missing=True)} == {
        "controlled": ("standard", "simpler", "shorter"), "plain": ("standard",)}


def test_a_damaged_manifest_is_not_installed_and_is_logged(catalog: Catalog, caplog: pytest.LogCaptureFixture) -> None:
    catalog.add("broken")
    (catalog.bundles / "broken" / "manifest.json").write_text("{not json", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="models.students_list"):
        assert list_students() == []
        (broken,) = list_students(include_missing=True)
    assert not broken.installed and broken.folder is None
    assert "damaged manifest.json" in caplog.text


@pytest.mark.parametrize(("card", "quality", "speed", "warning"), [
    (None, None, None, "missing"),
    ("{not json", None, None, "cannot be read"),
    ("[1, 2]", None, None, "not a JSON object"),
    ({"quality": {**CARD["quality"], "good_rate": 1.5}, "speed": CARD["speed"]}, None, CARD["speed"], "'quality'"),
    ({"quality": CARD["quality"], "speed": {"p50_s": "fast"}}, CARD["quality"], None, "'speed'"),
    ({"quality": "good", "speed": None}, None, None, "'quality'"),
])
def test_a_missing_or_damaged_card_means_no_figures_and_a_warning(
        catalog: Catalog, caplog: pytest.LogCaptureFixture, card: object, quality: object, speed: object,
        warning: str) -> None:
    catalog.add("student", card=card)
    with caplog.at_level(logging.WARNING, logger="models.students_list"):
        (student,) = list_students()
    assert (student.quality, student.speed) == (quality, speed)
    assert warning in caplog.text


def test_null_sections_are_not_measured_not_damaged(catalog: Catalog, caplog: pytest.LogCaptureFixture) -> None:
    catalog.add("student", card={"quality": CARD["quality"], "speed": None})
    with caplog.at_level(logging.WARNING, logger="models.students_list"):
        (student,) = list_students()
    assert student.speed is None and student.quality == CARD["quality"]
    assert caplog.text == ""


def test_to_json_is_plain_json_with_every_field(catalog: Catalog) -> None:
    catalog.add(DEFAULT_BUNDLE, manifest_controls=STUDENT_CONTROLS)
    (student,) = list_students()
    data = json.loads(json.dumps(student.to_json()))
    assert data == {"name": DEFAULT_BUNDLE, "default": True, "installed": True,
                    "folder": str(catalog.bundles / DEFAULT_BUNDLE), "size_mb": 1.5,
                    "modes": ["standard", "simpler", "shorter"], "description": f"the {DEFAULT_BUNDLE} student",
                    "quality": CARD["quality"], "speed": CARD["speed"]}
    assert isinstance(student, StudentInfo)


# -- the committed cards ------------------------------------------------------------------------

STUDENTS = [r for r in RECIPES.values() if r.adapter_dir is not None]


@pytest.mark.parametrize("recipe", STUDENTS, ids=lambda r: r.name)
def test_every_committed_student_has_a_card_that_reads(recipe) -> None:  # noqa: ANN001
    assert recipe.adapter_dir is not None
    path = recipe.adapter_dir / CARD_NAME
    raw = json.loads(path.read_text(encoding="utf-8"))
    assert set(raw) == {"quality", "speed"}
    card = read_card(path)
    assert card == {"quality": raw["quality"], "speed": raw["speed"]}  # nothing dropped as damaged
    if card["quality"] is not None:
        assert card["quality"]["command"].startswith("paraphrase-studio evaluate")
    if card["speed"] is not None:
        assert card["speed"]["command"].startswith("paraphrase-studio bench") and card["speed"]["machine"]


def test_the_v1_card_quotes_the_measurements_it_cites() -> None:
    """Every figure of the v1 card is one already measured in the repo, never typed from memory:
    its quality comes from the v1-v2 comparison run committed beside student v2."""
    card = json.loads((REPO / "models/students/smollm2-135m-student-v1" / CARD_NAME).read_text(encoding="utf-8"))
    quality = card["quality"]
    run = json.loads((REPO / "models/students/smollm2-135m-student-v2/eval-dev-v1-v2-scale05.json").read_text())
    measured = run["sets"]["dev"]["systems"]["smollm2-135m-student-v1"]
    assert quality["good_rate"] == round(measured["good_rate"], 3)
    assert quality["top1_good_rate"] == round(measured["top1_good_rate"], 3)
    assert quality["inputs"] == measured["n_inputs"] and quality["candidates_per_input"] == run["config"]["n"]
    assert f"--seed {run['config']['seed']}" in quality["command"] and quality["set"] == "dev"
    bench = json.loads((REPO / "bench/results/2026-11-30-scorer-quick.json").read_text())
    headline = bench["headline"]
    assert headline["path"] == "Paraphraser.paraphrase" and headline["scorer"]
    assert card["speed"]["p50_s"] == headline["n5_p50_s"]
    assert card["speed"]["first_candidate_s"] == headline["n5_first_candidate_p50_s"]
    assert card["speed"]["command"] == bench["command"]
    assert "2026-11-30-scorer-quick.json" in card["speed"]["source"]
