"""Control codes: the manifest declares them, the runtime only picks (mode, slider level).

A controlled student (v2) was trained with codes in its prompt; if the runtime rendered
other words than training wrote, or let a mode through that the student never saw, the
codes would ask for nothing. These tests pin the contract between ``distill.controls``
(what training writes), the manifest and ``PromptFormat.render``.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from models.controls import Controls
from models.errors import InputError
from models.paraphraser import ParaphraseRequest, Paraphraser, _SentenceRequest
from models.prompt import PromptFormat
from models.recipes import CHANGE_CODES, CONTROLLED_TEMPLATE, STUDENT_CONTROLS, STUDENT_TEMPLATE

CONTROLS = Controls(modes={"standard": "task: paraphrase; length: same",
                           "shorter": "task: paraphrase; length: shorter"},
                    change_codes=("change: low", "change: mid", "change: high"))


@pytest.mark.parametrize(("diversity", "code"), [(0.0, "change: low"), (0.3, "change: low"),
                                                 (0.34, "change: mid"), (0.5, "change: mid"),
                                                 (0.67, "change: high"), (1.0, "change: high")])
def test_the_slider_picks_a_change_level_in_equal_thirds(diversity: float, code: str) -> None:
    assert CONTROLS.change_code(diversity) == code


def test_a_controlled_prompt_renders_the_mode_then_the_slider_code() -> None:
    prompt = PromptFormat(CONTROLLED_TEMPLATE, (0,), controls=CONTROLS)
    assert prompt.modes == ("standard", "shorter")
    rendered = prompt.render("Costs rose {controls} 5%.", "shorter", 0.9)
    # the codes fill the slot; a sentence that contains the slot's own text is left as typed
    assert rendered == ("Sentence: Costs rose {controls} 5%.\n"
                        "Controls: task: paraphrase; length: shorter; change: high\nParaphrase:")
    with pytest.raises(KeyError):
        prompt.render("Hi.", "simpler", 0.5)


def test_an_uncontrolled_prompt_offers_the_standard_mode_only() -> None:
    prompt = PromptFormat(STUDENT_TEMPLATE, (0,))
    assert prompt.modes == ("standard",)
    assert prompt.render("Hi.", "standard", 0.9) == "Sentence: Hi.\nParaphrase:"
    with pytest.raises(KeyError):
        prompt.render("Hi.", "shorter", 0.5)


def test_template_and_controls_must_agree() -> None:
    with pytest.raises(ValueError, match="controls"):
        PromptFormat(CONTROLLED_TEMPLATE, (0,))
    with pytest.raises(ValueError, match="controls"):
        PromptFormat(STUDENT_TEMPLATE, (0,), controls=CONTROLS)


def test_controls_round_trip_through_the_manifest_and_keep_their_order() -> None:
    prompt = PromptFormat(CONTROLLED_TEMPLATE, (0, 2), controls=STUDENT_CONTROLS)
    again = PromptFormat.from_dict(json.loads(json.dumps(prompt.to_dict())))
    assert again == prompt
    assert again.modes == ("standard", "simpler", "shorter")
    assert "controls" not in PromptFormat(STUDENT_TEMPLATE, (0,)).to_dict()  # v1 manifests unchanged


@pytest.mark.parametrize("bad", [
    [], {"modes": {}}, {"modes": {"shorter": "x"}, "change_codes": ["a"]},
    {"modes": {"standard": ""}, "change_codes": ["a"]}, {"modes": {"standard": "x"}, "change_codes": []},
    {"modes": {"standard": "x"}, "change_codes": [3]}, {"modes": {"standard": "x"}, "change_codes": ["a"], "joiner": 1},
    {"modes": {"standard": "x"}, "change_codes": ["a"], "max_words_ratio": [0.8]},
    {"modes": {"standard": "x"}, "change_codes": ["a"], "max_words_ratio": {"shorter": 0.8}},  # no such mode
    {"modes": {"standard": "x"}, "change_codes": ["a"], "max_words_ratio": {"standard": 0}},
    {"modes": {"standard": "x"}, "change_codes": ["a"], "max_words_ratio": {"standard": True}},
    {"modes": {"standard": "x"}, "change_codes": ["a"], "mode_updates": [1.0]},
    {"modes": {"standard": "x"}, "change_codes": ["a"], "mode_updates": {"simpler": 1.0}},  # no such mode
    {"modes": {"standard": "x"}, "change_codes": ["a"], "mode_updates": {"standard": 0}},
    {"modes": {"standard": "x"}, "change_codes": ["a"], "mode_updates": {"standard": True}},
])
def test_damaged_controls_fail_with_a_sentence(bad: object) -> None:
    data = PromptFormat(CONTROLLED_TEMPLATE, (0,), controls=CONTROLS).to_dict()
    data["controls"] = bad
    with pytest.raises(ValueError, match="controls"):
        PromptFormat.from_dict(data)


def test_a_mode_may_limit_a_candidate_s_words() -> None:
    limited = Controls(modes=CONTROLS.modes, change_codes=CONTROLS.change_codes, max_words_ratio={"shorter": 0.8})
    assert limited.max_words("shorter", 20) == 16
    assert limited.max_words("shorter", 11) == 8  # rounded down: never longer than asked
    assert limited.max_words("shorter", 1) == 1
    assert limited.max_words("standard", 20) is None
    assert Controls.from_dict(limited.to_dict()) == limited
    assert "max_words_ratio" not in CONTROLS.to_dict()  # manifests without limits are unchanged
    assert STUDENT_CONTROLS.max_words_ratio == {"shorter": 0.8}


def test_a_mode_may_decode_with_the_bundle_s_mode_update() -> None:
    weighed = Controls(modes=CONTROLS.modes, change_codes=CONTROLS.change_codes, mode_updates={"shorter": 1.0})
    assert weighed.update_weight("shorter") == 1.0 and weighed.update_weight("standard") == 0.0
    assert Controls.from_dict(weighed.to_dict()) == weighed
    assert "mode_updates" not in CONTROLS.to_dict()  # manifests without an update are unchanged
    from models.recipes import get_recipe

    v2 = get_recipe("smollm2-135m-student-v2")
    assert v2.controls is not None and v2.controls.mode_updates == {"simpler": 1.0}
    assert v2.mode_update_dir is not None and (v2.mode_update_dir / "adapter_config.json").is_file()


def test_a_bundle_naming_an_update_its_graph_lacks_is_refused(controlled_bundle: Path, tmp_path: Path) -> None:
    from models.errors import BundleError

    folder = _with_controls(controlled_bundle, tmp_path / "tiny-no-update", mode_updates={"shorter": 1.0})
    with pytest.raises(BundleError, match="mode update .shorter. that its model file lacks"):
        Paraphraser.load(folder, scorer=None)


def test_training_codes_are_the_codes_the_runtime_renders() -> None:
    """A pair tagged "same length, much change" is what standard mode at Creative asks for."""
    from distill.controls import ChangeCuts, pair_controls
    from distill.pairs import Pair

    pair = Pair(source="The meeting was moved to Friday because the manager was ill.",
                target="Since the boss was sick, they pushed the gathering back to Friday.",
                group="g", kind="para", teacher="t", origin="o")
    codes = pair_controls(pair, ChangeCuts(low_below=0.3, high_from=0.6))
    assert codes == STUDENT_CONTROLS.render("standard", 1.0)
    assert codes.endswith(CHANGE_CODES[-1])


@pytest.fixture(scope="module")
def controlled_bundle(tiny_bundle: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny bundle with a controlled prompt in its manifest (weights unchanged)."""
    folder = tmp_path_factory.mktemp("controlled") / "tiny-controlled"
    shutil.copytree(tiny_bundle, folder)
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["prompt"]["template"] = manifest["prompt"]["template"].replace("{text}", "{text} [{controls}]")
    manifest["prompt"]["controls"] = CONTROLS.to_dict()
    manifest["prompt"]["extra"] = {"sampling_diversity_scale": 0.5, "creative_sampling_scale": 0.2}
    (folder / "manifest.json").write_text(json.dumps(manifest))
    return folder


def _with_controls(bundle: Path, folder: Path, **fields: object) -> Path:
    """A copy of ``bundle`` whose manifest's controls have ``fields`` set (weights unchanged)."""
    shutil.copytree(bundle, folder)
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["prompt"]["controls"].update(fields)
    (folder / "manifest.json").write_text(json.dumps(manifest))
    return folder


def test_a_controlled_student_offers_its_modes_and_refuses_others(controlled_bundle: Path) -> None:
    paraphraser = Paraphraser.load(controlled_bundle, scorer=None)
    assert paraphraser.modes == ("standard", "shorter")
    result = paraphraser.paraphrase("The cat sat on the mat.", n=2, seed=3, mode="shorter")
    assert result.requested == 2
    with pytest.raises(InputError, match=r"no mode .simpler.*standard, shorter"):
        paraphraser.paraphrase("The cat sat on the mat.", n=2, seed=3, mode="simpler")
    # the slider moves the sampler half as far: the codes ask for the change
    assert paraphraser.sampling_settings(0.5).temperature == pytest.approx(0.65)
    # and right of the default a fifth as fast again: Creative samples as 0.6 would, halved
    assert paraphraser.sampling_settings(1.0).temperature == pytest.approx(0.68)
    assert paraphraser.sampling_settings(1.0, creative_scale=False).temperature == pytest.approx(0.8)


def test_a_round_after_copies_warms_on_the_full_mapping(controlled_bundle: Path) -> None:
    """The escape from copies (``before_round``) is not slowed by the gentler Creative half."""
    paraphraser = Paraphraser.load(controlled_bundle, scorer=None)
    request = _SentenceRequest(paraphraser, ParaphraseRequest("The river was frozen.", diversity=0.75),
                               time.perf_counter(), None, None)
    assert request.settings == paraphraser.sampling_settings(0.75)  # the first round: the gentle half
    request.prompt = SimpleNamespace(sampler=SimpleNamespace(settings=request.settings))  # type: ignore[assignment]
    request.candidate_stats.rejected_by["copy"] = 3
    request.before_round()
    assert request.prompt.sampler.settings == paraphraser.sampling_settings(1.0, creative_scale=False)


def test_only_standard_refuses_a_dropped_detail(controlled_bundle: Path) -> None:
    """Shorter and Simpler may drop a clause, and a negation with it (:mod:`models.negation`)."""
    paraphraser = Paraphraser.load(controlled_bundle, scorer=None)
    for mode, allowed in (("standard", False), ("shorter", True)):
        request = _SentenceRequest(paraphraser, ParaphraseRequest("It was not cold.", mode=mode),
                                   time.perf_counter(), None, None)
        assert request.source.omission_allowed is allowed


def test_the_prompt_carries_the_requested_mode(controlled_bundle: Path) -> None:
    paraphraser = Paraphraser.load(controlled_bundle, scorer=None)
    real = paraphraser.prompt
    calls: list[tuple[object, ...]] = []

    class Spy:
        template, modes, controls = real.template, real.modes, real.controls

        def render(self, *args: object) -> str:
            calls.append(args)
            return real.render(*args)  # type: ignore[arg-type]

        def update_weight(self, mode: str) -> float:
            return real.update_weight(mode)

    paraphraser.prompt = Spy()  # type: ignore[assignment]
    paraphraser.paraphrase("Hello there.", n=1, seed=1, diversity=0.1, mode="shorter")
    assert calls and all(call[1:] == ("shorter", 0.1) for call in calls)
    assert "length: shorter; change: low" in real.render("Hello there.", "shorter", 0.1)


def test_shorter_shows_only_candidates_within_its_word_limit(controlled_bundle: Path, tmp_path: Path) -> None:
    """The tiny model ignores the codes, so only the length check can keep Shorter short."""
    folder = _with_controls(controlled_bundle, tmp_path / "tiny-limited", max_words_ratio={"shorter": 0.5})
    paraphraser = Paraphraser.load(folder, scorer=None)
    source = "The small grey cat slept all afternoon on the warm kitchen mat by the door."  # 15 words
    assert paraphraser.max_words(source, "shorter") == 7
    assert paraphraser.max_words(source, "standard") is None
    free = paraphraser.paraphrase_sentence(source, n=5, seed=5, mode="standard")
    limited = paraphraser.paraphrase_sentence(source, n=5, seed=5, mode="shorter")
    assert any(len(c.text.split()) > 7 for c in free.candidates)  # the limit has work to do
    assert all(len(c.text.split()) <= 7 for c in limited.candidates)
    assert limited.stats["rejected_length"] > 0


def test_an_uncontrolled_student_has_the_standard_mode_only(tiny_bundle: Path) -> None:
    paraphraser = Paraphraser.load(tiny_bundle, scorer=None)
    assert paraphraser.modes == ("standard",)
    with pytest.raises(InputError, match="its modes: standard"):
        paraphraser.paraphrase("The cat sat on the mat.", n=1, mode="shorter")
