"""Control codes a controlled student was trained with, as its manifest declares them.

Why here and not in code: a student v2 reads "task: paraphrase; length: same; change: high"
in its prompt (QCPG-style codes computed from each training pair). Another student may use
other words, other levels or no codes at all, so the bundle's manifest carries them and the
runtime only picks: the mode's codes, then the slider's change level.

Manifest shape (``prompt.controls``)::

    {"modes": {"standard": "task: paraphrase; length: same", ...},
     "change_codes": ["change: low", "change: mid", "change: high"],
     "joiner": "; ",
     "max_words_ratio": {"shorter": 0.8}}

``mode_updates`` (optional): per mode, the weight of the graph's mode update
(:data:`models.onnx_decoder.MODE_UPDATE_INPUT`) the mode decodes with, e.g. ``{"simpler": 1.0}``:
a small learnt difference (``distill.mode_update``) that makes one mode better without
touching the others. Modes not named decode without it.

``max_words_ratio`` (optional): per mode, the most words a candidate may have, as a share
of the source's words. The codes only *ask* for a shorter rewrite; the student v2 answered
"length: shorter" with 0.90 of the source's words on held-out news, and a writer who picked
Shorter should never be shown a candidate as long as the sentence. The limit is the
bundle's, like the codes, because how well a student obeys its length code is its own.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

#: Where the codes go in a controlled template.
CONTROLS_SLOT = "{controls}"
#: Every student offers this mode; an uncontrolled one offers only it.
STANDARD_MODE = "standard"


@dataclass(frozen=True)
class Controls:
    """The modes (name -> codes) and the slider's change codes, low to high."""

    modes: Mapping[str, str]
    change_codes: tuple[str, ...]
    joiner: str = "; "
    #: Mode names in the order the manifest lists them (the app's selector order).
    order: tuple[str, ...] = field(default=())
    #: Mode -> the most words a candidate may have, as a share of the source's words.
    max_words_ratio: Mapping[str, float] = field(default_factory=dict)
    #: Mode -> the weight of the bundle's mode update it decodes with (absent: 0, none).
    mode_updates: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if STANDARD_MODE not in self.modes:
            raise ValueError(f"controls need a '{STANDARD_MODE}' mode")
        if not self.change_codes:
            raise ValueError("controls need at least one change code")
        if not self.order:
            object.__setattr__(self, "order", tuple(self.modes))
        for mode, ratio in self.max_words_ratio.items():
            if mode not in self.modes:
                raise ValueError(f"controls' max_words_ratio names the mode {mode!r}, which they lack")
            if isinstance(ratio, bool) or not isinstance(ratio, (int, float)) or not 0.0 < ratio <= 2.0:
                raise ValueError(f"controls' max_words_ratio of {mode!r} must be a number in (0, 2], got {ratio!r}")
        for mode, weight in self.mode_updates.items():
            if mode not in self.modes:
                raise ValueError(f"controls' mode_updates names the mode {mode!r}, which they lack")
            if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not 0.0 < weight <= 2.0:
                raise ValueError(f"controls' mode_updates weight of {mode!r} must be a number in (0, 2], got {weight!r}")

    def update_weight(self, mode: str) -> float:
        """The weight of the bundle's mode update that ``mode`` decodes with (0: none)."""
        return float(self.mode_updates.get(mode, 0.0))

    @property
    def mode_names(self) -> tuple[str, ...]:
        return self.order

    def change_code(self, diversity: float) -> str:
        """The slider's code: [0, 1] cut into as many equal parts as there are levels."""
        level = min(len(self.change_codes) - 1, int(float(diversity) * len(self.change_codes)))
        return self.change_codes[max(0, level)]

    def render(self, mode: str, diversity: float) -> str:
        """The code string for one request; KeyError for a mode this student lacks."""
        return self.joiner.join((self.modes[mode], self.change_code(diversity)))

    def max_words(self, mode: str, source_words: int) -> int | None:
        """The most words a candidate of ``mode`` may have for a source of ``source_words``
        words (at least one), or None when the mode sets no limit."""
        ratio = self.max_words_ratio.get(mode)
        if ratio is None:
            return None
        return max(1, math.floor(ratio * source_words + 1e-9))

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"modes": {name: self.modes[name] for name in self.order},
                                "change_codes": list(self.change_codes), "joiner": self.joiner}
        if self.max_words_ratio:
            data["max_words_ratio"] = dict(self.max_words_ratio)
        if self.mode_updates:  # absent when empty: older bundles keep their fingerprint
            data["mode_updates"] = dict(self.mode_updates)
        return data

    @classmethod
    def from_dict(cls, data: object) -> Controls:
        """Read ``prompt.controls``; ValueError names the field of the wrong shape."""
        if not isinstance(data, dict):
            raise ValueError("prompt['controls'] is not an object")
        modes = data.get("modes")
        if not isinstance(modes, dict) or not modes or not all(
                isinstance(k, str) and k and isinstance(v, str) and v for k, v in modes.items()):
            raise ValueError("prompt['controls']['modes'] is not an object of mode name -> codes")
        codes = data.get("change_codes")
        if not isinstance(codes, list) or not codes or not all(isinstance(c, str) and c for c in codes):
            raise ValueError("prompt['controls']['change_codes'] is not a list of codes")
        joiner = data.get("joiner", "; ")
        if not isinstance(joiner, str):
            raise ValueError("prompt['controls']['joiner'] is not a string")
        limits = data.get("max_words_ratio", {})
        if not isinstance(limits, dict):  # its modes and numbers are checked as the controls are made
            raise ValueError("prompt['controls']['max_words_ratio'] is not an object of mode name -> number")
        updates = data.get("mode_updates", {})
        if not isinstance(updates, dict):
            raise ValueError("prompt['controls']['mode_updates'] is not an object of mode name -> number")
        return cls(modes=dict(modes), change_codes=tuple(codes), joiner=joiner, order=tuple(modes),
                   max_words_ratio=dict(limits), mode_updates=dict(updates))
