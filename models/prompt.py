"""The prompt format a bundle declares, so the runtime never hard-codes one.

A few-shot base model and a distilled student want very different prompts; the export
step writes the format into the manifest and the runtime only fills in ``{text}``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any


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

    def __post_init__(self) -> None:
        if self.template.count("{text}") != 1:
            raise ValueError("a prompt template needs exactly one {text} slot")

    def render(self, text: str) -> str:
        # str.replace, not str.format: user text may contain braces.
        return self.template.replace("{text}", text)

    def to_dict(self) -> dict[str, Any]:
        return {
            "template": self.template,
            "stop_token_ids": list(self.stop_token_ids),
            "description": self.description,
            **({"extra": self.extra} if self.extra else {}),
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
        return cls(template=template, stop_token_ids=tuple(stops), description=description, extra=dict(extra))


def _is_token_id(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**31


def _is_number(value: object) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and math.isfinite(value))
