"""Summaries of repeated timings.

Percentiles use linear interpolation between order statistics (numpy's default), so
with few repeats a p95 sits close to the slowest run; the raw runs are kept in the JSON
so a reader can judge the spread themselves.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0..100) of ``values`` by linear interpolation."""
    if not values:
        raise ValueError("percentile of an empty sequence")
    ordered = sorted(float(v) for v in values)
    if len(ordered) == 1:
        return ordered[0]
    position = (len(ordered) - 1) * q / 100.0
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def summarize(runs_s: Sequence[float]) -> dict[str, Any]:
    """p50/p95/min/mean of a list of seconds, rounded for the report, with the raw runs."""
    return {
        "p50_s": round(percentile(runs_s, 50), 4),
        "p95_s": round(percentile(runs_s, 95), 4),
        "min_s": round(min(runs_s), 4),
        "mean_s": round(sum(runs_s) / len(runs_s), 4),
        "repeats": len(runs_s),
        "runs_s": [round(float(r), 4) for r in runs_s],
    }


def median(values: Sequence[float]) -> float:
    return percentile(values, 50)
