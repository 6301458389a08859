"""The meaning scorer's section of the JSON document and of the Markdown report.

Raw per-call seconds from :func:`bench.scoring.measure_scoring` become ms per candidate
(p50/p90 over calls, per thread count and batch size), with the load time and the target
line (:data:`bench.scoring.TARGET_MS_PER_CANDIDATE` at batch 1, :data:`bench.scoring.TARGET_THREADS`
threads).
"""

from __future__ import annotations

from typing import Any

from .scoring import TARGET_MS_PER_CANDIDATE, TARGET_THREADS
from .stats import median, percentile


def unfinished_entry(raw: dict[str, Any] | None, key: str) -> dict[str, Any] | None:
    """A worker section's entry when it did not run (skipped) or its worker failed; None when it
    succeeded. ``key`` names what the section measured ("scorer", "index") in the failed entry."""
    if not raw:
        return {"status": "skipped", "reason": "not part of this run"}
    if raw.get("status") == "skipped":
        return dict(raw)
    outcome = raw.get("outcome") or {}
    if not outcome.get("ok"):
        return {"status": "failed", key: raw.get(key), "error": outcome.get("error"),
                **({"stderr_tail": outcome["stderr_tail"][-1500:]} if outcome.get("stderr_tail") else {})}
    return None


def scoring_entry(raw: dict[str, Any] | None) -> dict[str, Any]:
    """``doc["scoring"]`` from the runner's raw ``scoring`` result (absent: not part of this run)."""
    unfinished = unfinished_entry(raw, "scorer")
    if unfinished is not None:
        return unfinished
    outcome = raw["outcome"]  # type: ignore[index]
    tokens = outcome.get("pair_tokens") or []
    entry: dict[str, Any] = {
        "status": "ok", "scorer": outcome.get("name"), "path": outcome.get("folder"),
        "threshold": outcome.get("threshold"), "max_length": outcome.get("max_length"),
        "pairs": outcome.get("pairs"), "origin": outcome.get("origin"),
        "pair_tokens_p50": median(tokens) if tokens else None, "pair_tokens_max": max(tokens) if tokens else None,
    }
    by_threads: dict[str, Any] = outcome.get("by_threads") or {}
    first = next(iter(by_threads.values()), {})  # loaded first in a fresh process: the honest load time
    for key in ("verify_s", "session_s", "load_s", "first_call_s"):
        entry[key] = first.get(key)
    entry["load_threads"] = int(next(iter(by_threads), 0)) or None
    for key in ("peak_rss_mb", "others_cores_avg", "noise_wait_s"):
        entry[key] = outcome.get(key)
    cases = []
    for threads, measured in by_threads.items():
        for batch, timing in measured.get("batches", {}).items():
            calls = timing.get("calls_s") or []
            if not calls:
                continue
            size = int(batch)
            per_candidate = [c * 1000 / size for c in calls]
            cases.append({"threads": int(threads), "batch": size, "calls": len(calls),
                          "ms_per_candidate_p50": round(median(per_candidate), 3),
                          "ms_per_candidate_p90": round(percentile(per_candidate, 90), 3),
                          "ms_per_call_p50": round(median(calls) * 1000, 3),
                          "ms_per_call_p90": round(percentile(calls, 90) * 1000, 3),
                          "others_cores_avg": timing.get("others_cores_avg"),
                          "redone_passes": timing.get("redone_passes", 0)})
    entry["cases"] = cases
    entry["target"] = scoring_target(cases)
    return entry


def scoring_target(cases: list[dict[str, Any]]) -> dict[str, Any]:
    """The issue's line: batch 1 (as the pipeline calls it) on :data:`TARGET_THREADS` threads, p50."""
    case = next((c for c in cases if c["threads"] == TARGET_THREADS and c["batch"] == 1), None)
    value = case["ms_per_candidate_p50"] if case else None
    return {"threads": TARGET_THREADS, "batch": 1, "limit_ms": TARGET_MS_PER_CANDIDATE,
            "ms_per_candidate_p50": value, "pass": None if value is None else value <= TARGET_MS_PER_CANDIDATE}


def scoring_markdown(entry: dict[str, Any]) -> list[str]:
    """The scorer's table, its load time and its target line."""
    title = "### Meaning scorer: ms per candidate"
    status = entry.get("status")
    if status == "skipped":
        hint = f" — build it with: `{entry['build_hint']}`" if entry.get("build_hint") else ""
        return [title, "", f"Skipped: {entry.get('reason')}{hint}."]
    if status == "failed":
        return [title, "", f"Failed ({entry.get('scorer')}): {str(entry.get('error'))[:300]}"]
    origin = {"student": "the student's own candidates for the bench sentences",
              "neighbours": "each bench sentence with its neighbour in length"}.get(entry.get("origin") or "",
                                                                                   "bench sentences")
    threads = entry.get("load_threads")
    lines = [f"### Meaning scorer (`{entry.get('scorer')}`, int8 ONNX): ms per candidate", "",
             f"Load ({threads} thread{'' if threads == 1 else 's'}, fresh process): "
             f"verify {_s(entry.get('verify_s'))} + "
             f"session {_s(entry.get('session_s'))} = **{_s(entry.get('load_s'))}**; first call "
             f"{_ms(entry.get('first_call_s'))}. {entry.get('pairs')} pairs ({origin}), "
             f"p50 {_num(entry.get('pair_tokens_p50'), 0)} tokens per pair (max {entry.get('pair_tokens_max')}). "
             "The pipeline scores one row per call (batch 1).", "",
             "| threads | candidates per call | calls | ms/candidate p50 | ms/candidate p90 | ms/call p50 "
             "| others' cores (avg) |",
             "|---|---|---|---|---|---|---|"]
    for c in entry.get("cases", []):
        lines.append(f"| {c['threads']} | {c['batch']} | {c['calls']} | {_num(c['ms_per_candidate_p50'])} "
                     f"| {_num(c['ms_per_candidate_p90'])} | {_num(c['ms_per_call_p50'])} "
                     f"| {_num(c.get('others_cores_avg'))} |")
    target = entry.get("target") or {}
    result = verdict(target.get("pass"))
    lines += ["", f"Target: ≤ {target.get('limit_ms')} ms per candidate (1 per call, {target.get('threads')} "
                  f"threads, p50): {_num(target.get('ms_per_candidate_p50'))} ms — **{result}**."]
    return lines


def verdict(passed: bool | None) -> str:
    return "not measured" if passed is None else ("pass" if passed else "FAIL")


def _num(value: Any, digits: int = 2) -> str:
    if value is None:
        return "–"
    return f"{float(value):.{digits}f}"


def _s(value: Any) -> str:
    return "–" if value is None else f"{float(value):.2f} s"


def _ms(value: Any) -> str:
    return "–" if value is None else f"{float(value) * 1000:.1f} ms"
