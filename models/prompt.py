"""The prompt format a bundle declares, so the runtime never hard-codes one.

A few-shot base model and a distilled student want very different prompts; the export
step writes the format into the manifest and the runtime only fills in ``{text}``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from .controls import CONTROLS_SLOT, STANDARD_MODE, Controls


@dataclass(frozen=True)
class PromptFormat:
    """A completion prompt with one ``{text}`` slot.

    ``stop_token_ids`` end a candidate (end-of-sequence and every token that contains a
    newline: one paraphrase is one line). ``strip_prefix`` is removed from the start of a
    candidate (e.g. the space after ``Paraphrase:``).
    """

    template: str
    stop_token_ids: tuple[int, ...]
    description: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    #: A controlled student's codes (its template has one ``{controls}`` slot); None: none.
    controls: Controls | None = None

    def __post_init__(self) -> None:
        if self.template.count("{text}") != 1:
            raise ValueError("a prompt template needs exactly one {text} slot")
        slots = self.template.count(CONTROLS_SLOT)
        if self.controls is not None and slots != 1:
            raise ValueError("a prompt with controls needs exactly one {controls} slot")
        if self.controls is None and slots:
            raise ValueError("a prompt template with a {controls} slot needs the controls")

    @property
    def modes(self) -> tuple[str, ...]:
        """The modes this prompt offers (an uncontrolled student: standard only)."""
        return self.controls.mode_names if self.controls is not None else (STANDARD_MODE,)

    def update_weight(self, mode: str) -> float:
        """The weight of the bundle's mode update ``mode`` decodes with (0: none; see
        :attr:`models.controls.Controls.mode_updates`)."""
        return self.controls.update_weight(mode) if self.controls is not None else 0.0

    def render(self, text: str, mode: str = STANDARD_MODE, diversity: float = 0.5) -> str:
        """The prompt for ``text``; a controlled prompt gets the mode's and the slider's codes.

        KeyError for a mode this prompt lacks (callers check :attr:`modes` first).
        """
        template = self.template
        if self.controls is not None:
            template = template.replace(CONTROLS_SLOT, self.controls.render(mode, diversity))
        elif mode != STANDARD_MODE:
            raise KeyError(mode)
        # str.replace, not str.format: user text may contain braces; {text} last.
        return template.replace("{text}", text)

    def to_dict(self) -> dict[str, Any]:
        return {
            "template": self.template,
            "stop_token_ids": list(self.stop_token_ids),
            "description": self.description,
            **({"extra": self.extra} if self.extra else {}),
            **({"controls": self.controls.to_dict()} if self.controls is not None else {}),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PromptFormat:
        """Read a manifest's ``prompt`` object; ValueError names any field of the wrong shape.

        A hand-edited or damaged manifest must fail here with a sentence, not later with a
        KeyError deep in decoding: a template with exactly one ``{text}``, stop tokens that
        are token ids, and decoding hints that are numbers.
        """
        if not isinstance(data, dict):
            raise ValueError("'prompt' is not an object")
        template = data.get("template")
        if not isinstance(template, str):
            raise ValueError("prompt['template'] is missing or not a string")
        stops = data.get("stop_token_ids")
        if not isinstance(stops, list) or not all(_is_token_id(t) for t in stops):
            raise ValueError("prompt['stop_token_ids'] is missing or not a list of token ids")
        description = data.get("description", "")
        if not isinstance(description, str):
            raise ValueError("prompt['description'] is not a string")
        extra = data.get("extra", {})
        if not isinstance(extra, dict) or not all(_is_number(v) for v in extra.values()):
            raise ValueError("prompt['extra'] is not an object of numbers")
        controls = Controls.from_dict(data["controls"]) if "controls" in data else None
        try:
            return cls(template=template, stop_token_ids=tuple(stops), description=description,
                       extra=dict(extra), controls=controls)
        except ValueError as exc:
            raise ValueError(f"prompt: {exc}") from None


def _is_token_id(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**31


def _is_number(value: object) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and math.isfinite(value))
