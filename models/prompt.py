"""The prompt format a bundle declares, so the runtime never hard-codes one.

A few-shot base model and a distilled student want very different prompts; the export
step writes the format into the manifest and the runtime only fills in ``{text}``.
"""

from __future__ import annotations

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
        return cls(
            template=str(data["template"]),
            stop_token_ids=tuple(int(t) for t in data["stop_token_ids"]),
            description=str(data.get("description", "")),
            extra=dict(data.get("extra", {})),
        )
