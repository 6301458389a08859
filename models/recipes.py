"""The catalog of bundle recipes: which base weights, which adapter, which prompt.

A recipe is everything ``export`` needs to reproduce a bundle and everything the runtime
needs to prompt it. Students (LoRA adapters committed under ``models/students/<name>/``)
get a recipe each; the zero-shot base keeps a short few-shot completion prompt, the least
bad way to make an untuned 135M model paraphrase.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path

from .controls import Controls
from .errors import UnknownRecipeError
from .student_calibration import CALIBRATION_FILE, StudentCalibration

#: Two examples teach the base model the shape of the task; the output is one line.
FEWSHOT_TEMPLATE = (
    "Rewrite each sentence in different words, keeping its meaning.\n"
    "Sentence: The meeting was moved to Friday because the manager was ill.\n"
    "Paraphrase: Because the manager was sick, the meeting was pushed to Friday.\n"
    "Sentence: She has lived in this small town for twenty years.\n"
    "Paraphrase: For two decades, she has made her home in this little town.\n"
    "Sentence: {text}\n"
    "Paraphrase:"
)

#: The short format a distilled student is trained on (no examples: it has learnt the task).
STUDENT_TEMPLATE = "Sentence: {text}\nParaphrase:"

#: A controlled student's format (QCPG-style codes, arXiv 2203.10940): the codes come from
#: the training pair itself, and at run time ask for the kind of rewrite wanted.
CONTROLLED_TEMPLATE = "Sentence: {text}\nControls: {controls}\nParaphrase:"

#: How much the wording changes (1 - n-gram overlap of the pair), low to high: the slider
#: picks one. Order matters: index 0 is "Faithful", the last is "Creative".
CHANGE_CODES = ("change: low", "change: mid", "change: high")
#: Target words / source words, bucketed (see :mod:`distill.controls` for the cut points).
LENGTH_CODES = {"shorter": "length: shorter", "same": "length: same", "longer": "length: longer"}
#: What kind of rewrite: a paraphrase (teacher pairs) or a simplification (ASSET).
TASK_CODES = {"paraphrase": "task: paraphrase", "simplify": "task: simplify"}
#: Codes are joined in this order: task, length, change.
CODE_JOINER = "; "

#: The modes a controlled student offers: every code but the slider's.
CONTROLLED_MODES = {
    "standard": CODE_JOINER.join((TASK_CODES["paraphrase"], LENGTH_CODES["same"])),
    "simpler": CODE_JOINER.join((TASK_CODES["simplify"], LENGTH_CODES["same"])),
    "shorter": CODE_JOINER.join((TASK_CODES["paraphrase"], LENGTH_CODES["shorter"])),
}

#: The controls a student trained on ``distill prepare --controls`` reads (its manifest's).
#: Shorter shows only candidates of at most four words in five of the source's. Chosen on v2's
#: Shorter output for 100 held-out news sentences (runs of 2026-11-30): of its candidates with
#: at most 0.80 of the source's words the mean was 0.69 and 72% were good; at most 0.85: 0.72,
#: too close to the 0.75 the mode promises.
SHORTER_MAX_WORDS_RATIO = 0.8
STUDENT_CONTROLS = Controls(modes=CONTROLLED_MODES, change_codes=CHANGE_CODES, joiner=CODE_JOINER,
                            max_words_ratio={"shorter": SHORTER_MAX_WORDS_RATIO})

STUDENTS_DIR = Path(__file__).resolve().parent / "students"


@dataclass(frozen=True)
class Recipe:
    """How to build one bundle."""

    name: str
    base: str
    template: str
    adapter_dir: Path | None = None
    description: str = ""
    #: Written into the manifest's prompt format (``extra``): decoding hints for the runtime.
    prompt_extra: dict[str, float] = field(default_factory=dict)
    #: A controlled student's codes; None for a student trained without them.
    controls: Controls | None = None
    #: A mode's own low-rank update beside the adapter (``distill.mode_update``); the
    #: controls' ``mode_updates`` say which modes decode with it.
    mode_update_dir: Path | None = None

    @property
    def confidence(self) -> StudentCalibration | None:
        """The student's confidence fit (``confidence.json`` beside its adapter, written by
        ``python -m distill.student_confidence_fit``), which export copies into the
        manifest; None when it has none. A damaged file is a ValueError naming it."""
        path = self.adapter_dir / CALIBRATION_FILE if self.adapter_dir is not None else None
        if path is None or not path.is_file():
            return None
        try:
            return StudentCalibration.from_dict(json.loads(path.read_text(encoding="utf-8")), str(path))
        except ValueError as exc:
            raise ValueError(f"{path}: {exc}") from exc


RECIPES: dict[str, Recipe] = {
    "smollm2-135m-fewshot": Recipe(
        name="smollm2-135m-fewshot",
        base="smollm2-135m-instruct",
        template=FEWSHOT_TEMPLATE,
        description="SmolLM2-135M-Instruct, zero-shot with a two-example completion prompt.",
    ),
    "smollm2-135m-student-v1": Recipe(
        name="smollm2-135m-student-v1",
        base="smollm2-135m-instruct",
        template=STUDENT_TEMPLATE,
        adapter_dir=STUDENTS_DIR / "smollm2-135m-student-v1",
        prompt_extra={"copy_penalty_scale": 0.0},
        description=("SmolLM2-135M-Instruct + LoRA student distilled from critic-filtered GPT-3.5 "
                     "paraphrases (models/students/smollm2-135m-student-v1/README.md)."),
    ),
    "smollm2-135m-student-v2": Recipe(
        name="smollm2-135m-student-v2",
        base="smollm2-135m-instruct",
        template=CONTROLLED_TEMPLATE,
        adapter_dir=STUDENTS_DIR / "smollm2-135m-student-v2",
        # The full slider mapping up to the default: halving it (the codes asking for the
        # change) gave the same dev good rate (0.710) but a lower top-1 good rate (0.756 vs
        # 0.837) and set diversity (0.545 vs 0.648) at 0.5 (model card). Right of the default
        # the sampler moves at a fifth of the speed (models.sampling.settings_for_diversity):
        # at full speed only 4 of 60 Creative cards kept every detail, read by eye.
        prompt_extra={"copy_penalty_scale": 0.0, "sampling_diversity_scale": 1.0, "creative_sampling_scale": 0.2},
        # Simpler decodes with the rank-4 part of what student v3 learnt beyond v2 (model card:
        # held-out ASSET SARI 41.0 -> 42.2); Standard and Shorter stay v2 exactly.
        controls=replace(STUDENT_CONTROLS, mode_updates={"simpler": 1.0}),
        mode_update_dir=STUDENTS_DIR / "smollm2-135m-student-v2" / "simpler-update",
        description=("SmolLM2-135M-Instruct + LoRA student v2: control codes (change, length; modes "
                     "Standard, Simpler, Shorter), trained on facts- and meaning-filtered GPT-3.5 "
                     "paraphrases and ASSET simplifications (models/students/smollm2-135m-student-v2/README.md)."),
    ),
}


def get_recipe(name: str) -> Recipe:
    """The recipe called ``name``, or :class:`UnknownRecipeError` naming the known ones."""
    try:
        return RECIPES[name]
    except KeyError:
        raise UnknownRecipeError(name, sorted(RECIPES)) from None
