"""The student's prompt format, in one place.

Training and export must agree on it byte for byte: the prompt is the template with the
sentence filled in, the target is a leading space, the paraphrase and one newline (the
newline ends a candidate at inference time; no EOS token is trained).
"""

from __future__ import annotations

#: Prompt the student is trained on; ``{text}`` is the sentence to paraphrase.
STUDENT_TEMPLATE = "Sentence: {text}\nParaphrase:"

#: What follows the prompt in training: " {paraphrase}\n".
TARGET_PREFIX = " "
TARGET_SUFFIX = "\n"


def render_prompt(text: str, template: str = STUDENT_TEMPLATE) -> str:
    """Fill the template (str.replace, not format: sentences may contain braces)."""
    return template.replace("{text}", text)


def render_target(paraphrase: str) -> str:
    """The continuation the student learns to produce after the prompt."""
    return f"{TARGET_PREFIX}{paraphrase}{TARGET_SUFFIX}"
