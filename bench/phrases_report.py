"""The phrase alternatives' section of the JSON document and of the Markdown report.

Raw per-query ``elapsed_ms`` from :func:`bench.phrases.measure_phrases` become p50/p90/max
per ranking (all words pooled, and the issue's ~25-word sentence alone), with the share of
words given at least :data:`bench.phrases.MIN_ALTERNATIVES` alternatives, the index's load
time and the target line (:data:`bench.phrases.TARGET_P50_MS`, judged with the scorer).
"""

from __future__ import annotations

from typing import Any

from .phrases import INDEX, MIN_ALTERNATIVES, MIN_LETTERS, SCORER, TARGET_P50_MS, case_sentence
from .scoring_report import unfinished_entry, verdict
from .stats import median, percentile

#: The target's note when the run had no meaning scorer (the issue ranks in context).
NO_SCORER = "ranked by the index alone: no meaning scorer in this run"


def phrases_entry(raw: dict[str, Any] | None) -> dict[str, Any]:
    """``doc["phrases"]`` from the runner's raw ``phrases`` result (absent: not part of this run)."""
    unfinished = unfinished_entry(raw, "index")
    if unfinished is not None:
        return unfinished
    outcome = raw["outcome"]  # type: ignore[index]
    sentences = outcome.get("sentences") or []
    words = outcome.get("words") or []
    case = case_sentence(sentences)
    case_row = next((s for s in sentences if s["index"] == case), None)
    entry: dict[str, Any] = {
        "status": "ok", "index": outcome.get("index"), "path": outcome.get("folder"),
        "phrases": outcome.get("phrases"), "size_mb": _mb(outcome.get("size_bytes")),
        "load_s": outcome.get("load_s"), "scorer": outcome.get("scorer"), "scorer_load_s": outcome.get("scorer_load_s"),
        "threads": outcome.get("threads"), "k": outcome.get("k"),
        "sentences": len(sentences), "words": len(words),
        "case": {"sentence": case, "words": case_row["words"] if case_row else None,
                 "content_words": case_row["content_words"] if case_row else None},
    }
    for key in ("peak_rss_mb", "others_cores_avg", "noise_wait_s"):
        entry[key] = outcome.get(key)
    in_case = [w.get("sentence") == case for w in words]
    rankings = []
    for name, measured in (outcome.get("rankings") or {}).items():
        per_word = measured.get("elapsed_ms") or []
        pooled = [ms for runs in per_word for ms in runs]
        if not pooled:
            continue
        case_ms = [ms for runs, keep in zip(per_word, in_case) if keep for ms in runs]
        counts = measured.get("alternatives") or []
        covered = sum(1 for c in counts if c >= MIN_ALTERNATIVES)
        rankings.append({
            "ranking": name, "scorer": outcome.get("scorer") if name == SCORER else None,
            "queries": len(pooled), "passes": len(per_word[0]) if per_word else 0,
            "p50_ms": round(median(pooled), 3), "p90_ms": round(percentile(pooled, 90), 3),
            "max_ms": round(max(pooled), 3), "case_p50_ms": round(median(case_ms), 3) if case_ms else None,
            "covered": covered, "coverage": round(covered / len(counts), 4) if counts else None,
            "alternatives_p50": median(counts) if counts else None,
            "examples": measured.get("examples") or [],
            "others_cores_avg": measured.get("others_cores_avg"), "redone_passes": measured.get("redone_passes", 0)})
    entry["rankings"] = rankings
    entry["target"] = phrases_target(rankings)
    return entry


def phrases_target(rankings: list[dict[str, Any]]) -> dict[str, Any]:
    """The issue's line: p50 over every word, ranked in context by the scorer (else the index's p50, not judged)."""
    ranked = next((r for r in rankings if r["ranking"] == SCORER), None)
    shown = ranked or next((r for r in rankings if r["ranking"] == INDEX), None)
    value = shown["p50_ms"] if shown else None
    target: dict[str, Any] = {"ranking": shown["ranking"] if shown else None, "limit_ms": TARGET_P50_MS,
                              "p50_ms": value, "pass": None if ranked is None else value <= TARGET_P50_MS}
    if shown is not None and ranked is None:
        target["note"] = NO_SCORER
    return target


def phrases_markdown(entry: dict[str, Any]) -> list[str]:
    """The section's table, the index's load time, a sample and the target line."""
    title = "### Phrase alternatives: in-process ms per query"
    status = entry.get("status")
    if status == "skipped":
        hint = f" — restore it with: `{entry['rebuild_hint']}`" if entry.get("rebuild_hint") else ""
        return [title, "", f"Skipped: {entry.get('reason')}{hint}."]
    if status == "failed":
        return [title, "", f"Failed ({entry.get('index')}): {str(entry.get('error'))[:300]}"]
    case = entry.get("case") or {}
    threads = entry.get("threads")
    scorer_load = (f"; meaning scorer `{entry['scorer']}` load {_s(entry.get('scorer_load_s'))} "
                   f"({threads} thread{'' if threads == 1 else 's'})" if entry.get("scorer") else "")
    passes = max((r["passes"] for r in entry.get("rankings", [])), default=0)
    lines = [f"### Phrase alternatives (`{entry.get('index')}`): in-process ms per query", "",
             f"Index: {_count(entry.get('phrases'))} phrases, {_num(entry.get('size_mb'), 1)} MB; load (fresh "
             f"process: sha256 check and arrays) **{_s(entry.get('load_s'))}**{scorer_load}. "
             f"{entry.get('words')} content words ({MIN_LETTERS}+ letters, not function words) of the "
             f"{entry.get('sentences')} bench sentences, k = {entry.get('k')}, "
             f"{passes} timed pass{'' if passes == 1 else 'es'} after a warm-up; "
             "`elapsed_ms` as each query reports it (span check, look-up, fitting checks, the scorer's call).", "",
             f"| ranking | queries | p50 ms | p90 ms | max ms | p50 ms, {case.get('words')}-word sentence "
             f"| words with ≥ {MIN_ALTERNATIVES} alternatives | others' cores (avg) |",
             "|---|---|---|---|---|---|---|---|"]
    for r in entry.get("rankings", []):
        label = (f"in context: meaning scorer `{r['scorer']}`, {threads} thread{'' if threads == 1 else 's'}"
                 if r["ranking"] == SCORER else "index scores alone")
        coverage = ("–" if r.get("coverage") is None
                    else f"{r['coverage'] * 100:.0f}% ({r['covered']}/{entry.get('words')})")
        lines.append(f"| {label} | {r['queries']} | {_num(r['p50_ms'])} | {_num(r['p90_ms'])} | {_num(r['max_ms'])} "
                     f"| {_num(r.get('case_p50_ms'))} | {coverage} | {_num(r.get('others_cores_avg'))} |")
    shown = next((r for r in reversed(entry.get("rankings", [])) if r.get("examples")), None)
    if shown:
        sample = "; ".join(f"{e['phrase']} → {', '.join(e['alternatives'])}" for e in shown["examples"])
        lines += ["", f"Sample ({case.get('words')}-word sentence, {_label(shown['ranking'])}): {sample}."]
    target = entry.get("target") or {}
    note = f" ({target['note']})" if target.get("note") else ""
    lines += ["", f"Target: p50 ≤ {target.get('limit_ms'):g} ms in-process (issue 16), every word pooled, "
                  f"{_label(target.get('ranking'))}: {_num(target.get('p50_ms'))} ms — "
                  f"**{verdict(target.get('pass'))}**{note}."]
    return lines


def _label(ranking: str | None) -> str:
    return {SCORER: "ranked in context by the meaning scorer", INDEX: "ranked by the index's scores"}.get(
        ranking or "", "not measured")


def _mb(size: Any) -> float | None:
    return None if size is None else round(int(size) / 1e6, 1)


def _count(value: Any) -> str:
    return "–" if value is None else f"{int(value):,}"


def _num(value: Any, digits: int = 2) -> str:
    return "–" if value is None else f"{float(value):.{digits}f}"


def _s(value: Any) -> str:
    return "–" if value is None else f"{float(value):.2f} s"
