"""Control codes computed from a training pair itself (QCPG, arXiv 2203.10940; ACCESS).

Why: sampling a model trained on one kind of paraphrase more widely finds new wording but
also every drift (held-out news: good rate 0.64 at the default slider, 0.31 at Creative).
Tagging each training pair with how much it changed the wording and its length lets the
run-time ask for "a lot of change" from a model that has *seen* good pairs with a lot of
change, instead of flattening the sampler.

The vocabulary (the strings the student reads) lives in :mod:`models.recipes`, which the
export writes into the bundle's manifest; this module only decides which code a pair gets.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from models.recipes import CHANGE_CODES, CODE_JOINER, LENGTH_CODES, TASK_CODES

from .critic import lexical_diversity, words
from .pairs import Pair

#: Length ratio (target words / source words) cut points: below SHORTER is "shorter",
#: above LONGER is "longer". 0.8 so that "shorter" pairs average about 0.7 of the source.
SHORTER_BELOW = 0.8
LONGER_ABOVE = 1.2


@dataclass(frozen=True)
class ChangeCuts:
    """Lexical-diversity cut points between the change codes (tertiles of the train pairs,
    so each code has about a third of the data to learn from)."""

    low_below: float
    high_from: float

    def code(self, diversity: float) -> str:
        if diversity < self.low_below:
            return CHANGE_CODES[0]
        if diversity >= self.high_from:
            return CHANGE_CODES[-1]
        return CHANGE_CODES[1]

    def as_dict(self) -> dict[str, float]:
        return {"low_below": round(self.low_below, 4), "high_from": round(self.high_from, 4)}


def change_cuts(pairs: Sequence[Pair]) -> ChangeCuts:
    """Tertiles of the pairs' lexical diversity (ValueError on no pairs)."""
    values = sorted(lexical_diversity(p.source, p.target) for p in pairs)
    if not values:
        raise ValueError("no pairs to compute change cut points from")
    return ChangeCuts(values[len(values) // 3], values[(2 * len(values)) // 3])


def length_code(source: str, target: str) -> str:
    ratio = len(words(target)) / max(1, len(words(source)))
    if ratio < SHORTER_BELOW:
        return LENGTH_CODES["shorter"]
    if ratio > LONGER_ABOVE:
        return LENGTH_CODES["longer"]
    return LENGTH_CODES["same"]


def pair_controls(pair: Pair, cuts: ChangeCuts, task: str = "paraphrase") -> str:
    """The code string for one pair: task; length; change (the order the runtime renders)."""
    return CODE_JOINER.join((TASK_CODES[task], length_code(pair.source, pair.target),
                             cuts.code(lexical_diversity(pair.source, pair.target))))


def tag_pairs(pairs: Sequence[Pair], cuts: ChangeCuts, task: str = "paraphrase") -> list[Pair]:
    return [replace(p, controls=pair_controls(p, cuts, task)) for p in pairs]


def code_counts(pairs: Sequence[Pair]) -> dict[str, Any]:
    """How many pairs carry each code (the report's table)."""
    counts: Counter[str] = Counter()
    for pair in pairs:
        for code in pair.controls.split(CODE_JOINER) if pair.controls else ():
            counts[code] += 1
    return dict(sorted(counts.items()))
