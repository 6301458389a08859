"""The catalog of bundle recipes: which base weights, which adapter, which prompt.

A recipe is everything ``export`` needs to reproduce a bundle and everything the runtime
needs to prompt it. Students (LoRA adapters committed under ``models/students/<name>/``)
get a recipe each; the zero-shot base keeps a short few-shot completion prompt, the least
bad way to make an untuned 135M model paraphrase.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .errors import UnknownRecipeError

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
}


def get_recipe(name: str) -> Recipe:
    """The recipe called ``name``, or :class:`UnknownRecipeError` naming the known ones."""
    try:
        return RECIPES[name]
    except KeyError:
        raise UnknownRecipeError(name, sorted(RECIPES)) from None
