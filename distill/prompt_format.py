"""The student's prompt format, in one place.

Training and export must agree on it byte for byte: the prompt is the template with the
sentence filled in, the target is a leading space, the paraphrase and one newline (the
newline ends a candidate at inference time; no EOS token is trained).
"""

from __future__ import annotations

# Defined once, in the recipe catalog the export reads: training here and the bundle's
# prompt cannot drift apart. ``{text}`` is the sentence to paraphrase.
from models.recipes import STUDENT_TEMPLATE

__all__ = ["STUDENT_TEMPLATE", "TARGET_PREFIX", "TARGET_SUFFIX", "render_prompt", "render_target"]

#: What follows the prompt in training: " {paraphrase}\n".
TARGET_PREFIX = " "
TARGET_SUFFIX = "\n"


def render_prompt(text: str, template: str = STUDENT_TEMPLATE, controls: str = "") -> str:
    """Fill the template (str.replace, not format: sentences may contain braces).

    ``{controls}`` first and ``{text}`` last, so a sentence that happens to contain the
    string "{controls}" is left as written.
    """
    if "{controls}" in template:
        if not controls:
            raise ValueError("this template has a {controls} slot but the pair carries no control codes")
        template = template.replace("{controls}", controls)
    elif controls:
        raise ValueError("the pair carries control codes but the template has no {controls} slot")
    return template.replace("{text}", text)


def render_target(paraphrase: str) -> str:
    """The continuation the student learns to produce after the prompt."""
    return f"{TARGET_PREFIX}{paraphrase}{TARGET_SUFFIX}"
