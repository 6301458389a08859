"""Turn raw worker timings into the JSON document and the Markdown tables.

The JSON schema is documented in ``bench/README.md``; ``SCHEMA_VERSION`` changes whenever
a key changes meaning, so scripts that compare runs over time can refuse to mix them.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from .backends import BACKENDS, OURS, PYTORCH
from .phrases_report import phrases_entry, phrases_markdown
from .runner import CANDIDATE_COUNTS, case_id, product_case_id
from .scoring_report import scoring_entry, scoring_markdown
from .stats import median, summarize
from .targets import evaluate_targets, targets_markdown

log = logging.getLogger(__name__)

#: 2: the product path runs the meaning scorer when it is built (oversampling, scoring and
#: the checks are timed apart); ``scoring`` and ``targets`` sections; later, ``phrases``
#: (a new section and target line: no existing key changed meaning).
SCHEMA_VERSION = 2


def build_document(raw: dict[str, Any]) -> dict[str, Any]:
    """The benchmark's JSON document from :func:`bench.runner.run_benchmark`'s raw results."""
    options = raw["options"]
    new_tokens = int(options["new_tokens"])
    workloads = raw["workloads"]
    comparison = next(iter(raw["product"]), None) or next(iter(workloads), None)
    work = workloads.get(comparison) if comparison else None
    doc: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "created": raw["created"],
        "command": raw.get("command", ""),
        "n5_p50_s": None,
        "speedup_vs_pytorch": None,
        "headline": {},
        "config": options,
        "machine": raw["machine"],
        "code": raw.get("code", {}),
        "sentences": work["sentences"] if work else [],
        "cold_start": raw.get("cold_start", {"status": "skipped"}),
        "bundles": {},
        "backends": {},
        "scoring": scoring_entry(raw.get("scoring")),
        "phrases": phrases_entry(raw.get("phrases")),
        "targets": [],
        "wall_s": raw.get("wall_s"),
    }
    for folder, outcome in raw["product"].items():
        doc["bundles"][Path(folder).name] = _bundle_entry(Path(folder), outcome, workloads[folder])
    matched = raw.get("matched_new_tokens")
    for name in BACKENDS:
        if name in raw["skipped"]:
            doc["backends"][name] = {"status": "skipped", "label": BACKENDS[name].label, **raw["skipped"][name]}
        elif name in raw["backends"]:
            doc["backends"][name] = _backend_entry(name, raw["backends"][name], work, new_tokens, matched)
    _add_relative_speed(doc, work, new_tokens)
    if work:
        doc["headline"] = _headline(doc, raw, work, new_tokens, matched)
        doc["n5_p50_s"] = doc["headline"].get("n5_p50_s")
        doc["speedup_vs_pytorch"] = doc["headline"].get("speedup_vs_pytorch")
    doc["targets"] = evaluate_targets(doc)
    return doc


def _bundle_entry(folder: Path, outcome: dict[str, Any], work: dict[str, Any]) -> dict[str, Any]:
    from models.bundle import read_manifest

    manifest = read_manifest(folder)
    files = {name: (folder / name).stat().st_size for name in manifest.files if (folder / name).is_file()}
    entry: dict[str, Any] = {
        "path": str(folder),
        "size_bytes": sum(files.values()),
        "size_mb": round(sum(files.values()) / 1e6, 1),
        "files_bytes": files,
        "quantization": manifest.raw.get("quantization"),
        "fingerprint": manifest.raw.get("fingerprint"),
        "model_sha256": (manifest.files.get(manifest.model_file) or {}).get("sha256"),
        "base_sha256": (manifest.raw.get("base_model") or {}).get("sha256"),
        "adapter": manifest.raw.get("adapter"),
        "status": "ok" if outcome["ok"] else "failed",
    }
    if not outcome["ok"]:
        entry["error"] = outcome.get("error")
        return entry
    entry["load_s"] = outcome.get("load_s")
    entry["scorer"] = outcome.get("scorer")
    entry["scorer_load_s"] = outcome.get("scorer_load_s")
    entry["peak_rss_mb"] = outcome.get("peak_rss_mb")
    entry["others_cores_avg"] = outcome.get("others_cores_avg")
    entry["noise_wait_s"] = outcome.get("noise_wait_s")
    for n in CANDIDATE_COUNTS:
        pooled: list[float] = []
        per_sentence = []
        for sentence in work["sentences"]:
            runs = outcome["runs"].get(product_case_id(sentence["index"], n)) or []
            if not runs:
                continue
            totals = [r["total_s"] for r in runs]
            pooled += totals
            per_sentence.append({
                "sentence": sentence["index"], "words": sentence["words"], "prompt_tokens": sentence["prompt_tokens"],
                **summarize(totals),
                "first_candidate_p50_s": round(median([r["first_candidate_s"] for r in runs]), 4),
                "decode_steps_p50": median([r["decode_steps"] for r in runs]),
                "decoded_row_tokens_p50": median([r["row_steps"] for r in runs]),
                "prefill_tokens_p50": median([r["prefill_tokens"] for r in runs]),
                "rounds_max": max(r.get("rounds") or 1 for r in runs),
                "forward_prefill_p50_s": round(median([r["forward_prefill_s"] for r in runs]), 4),
                "forward_decode_p50_s": round(median([r["forward_decode_s"] for r in runs]), 4),
                "outside_forward_p50_s": round(median(
                    [r["total_s"] - r["forward_prefill_s"] - r["forward_decode_s"] for r in runs]), 4),
                "decoded_tokens_per_s": round(sum(r["row_steps"] for r in runs) / sum(totals), 1),
                **_pipeline_split(runs),
                **_noise(runs),
            })
        if pooled:
            pooled_summary = summarize(pooled)
            pooled_summary.pop("runs_s")
            entry[f"n{n}"] = {"pooled": pooled_summary, "per_sentence": per_sentence}
    return entry


def _pipeline_split(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Where the time outside the forwards goes: scorer, the other checks, ranking, the rest.

    ``checks`` is every check but the scorer's call (``judge`` minus ``score``); ``sampling_other``
    is what is left of the call: sampling, detokenizing, the decode loop's bookkeeping. Runs
    recorded before these meters existed give nothing here.
    """
    if not runs or "judge_s" not in runs[0]:
        return {}
    rows = sum(r.get("scored_rows", 0) for r in runs)
    return {
        "score_p50_s": round(median([r.get("score_s", 0.0) for r in runs]), 4),
        "scored_rows_p50": median([r.get("scored_rows", 0) for r in runs]),
        "score_ms_per_row": round(sum(r.get("score_s", 0.0) for r in runs) / rows * 1000, 3) if rows else None,
        "checks_p50_s": round(median([max(0.0, r["judge_s"] - r.get("score_s", 0.0)) for r in runs]), 4),
        "rank_p50_s": round(median([r.get("rank_s", 0.0) for r in runs]), 4),
        "sampling_other_p50_s": round(median(
            [r["total_s"] - r["forward_prefill_s"] - r["forward_decode_s"] - r["judge_s"] - r.get("rank_s", 0.0)
             for r in runs]), 4),
        "judged_rows_p50": median([r.get("judged_rows", 0) for r in runs]),
        "rejected_meaning_p50": median([r.get("rejected_meaning") or 0 for r in runs]),
        "ranked_out_p50": median([r.get("ranked_out") or 0 for r in runs]),
    }


def _backend_entry(name: str, outcome: dict[str, Any], work: dict[str, Any] | None, new_tokens: int,
                   matched: int | None) -> dict[str, Any]:
    entry: dict[str, Any] = {"status": "ok" if outcome["ok"] else "failed", "label": BACKENDS[name].label}
    if not outcome["ok"]:
        entry["error"] = outcome.get("error")
        if outcome.get("stderr_tail"):
            entry["stderr_tail"] = outcome["stderr_tail"][-1500:]
        return entry
    for key in ("weights", "file", "size_bytes", "prepare_s", "prepare_peak_rss_mb", "import_s", "load_s",
                "peak_rss_mb", "others_cores_avg", "noise_wait_s"):
        if key in outcome:
            entry[key] = outcome[key]
    if "size_bytes" in entry:
        entry["size_mb"] = round(entry["size_bytes"] / 1e6, 1)
    meta = {s["index"]: s for s in (work["sentences"] if work else [])}
    cases = []
    p50: dict[str, float] = {}
    for cid, runs in outcome["runs"].items():
        if not runs:
            continue
        sentence, n, tokens = _parse_case_id(cid)
        summary = summarize([r["total_s"] for r in runs])
        p50[cid] = summary["p50_s"]
        breakdown = {key: round(median([r[key] for r in runs]), 4) for key in runs[0] if key not in _RUN_META}
        cases.append({"id": cid, "sentence": sentence, "words": meta.get(sentence, {}).get("words"),
                      "prompt_tokens": meta.get(sentence, {}).get("prompt_tokens"), "n": n, "new_tokens": tokens,
                      "matched": tokens == matched and n == 5 and tokens != new_tokens, **summary, **_noise(runs),
                      **({"breakdown_p50_s": breakdown} if breakdown else {})})
    entry["cases"] = cases
    if work:
        ref = work["reference"]
        t1, t5 = p50.get(case_id(ref, 1, new_tokens)), p50.get(case_id(ref, 5, new_tokens))
        pre1, pre5 = p50.get(case_id(ref, 1, 1)), p50.get(case_id(ref, 5, 1))
        entry["reference"] = {
            "sentence": ref, "new_tokens": new_tokens,
            "n1_p50_s": t1, "n5_p50_s": t5,
            "n5_p95_s": next((c["p95_s"] for c in cases if c["id"] == case_id(ref, 5, new_tokens)), None),
            "prefill_s": pre1,
            "decode_ms_per_token_n1": _per_step_ms(t1, pre1, new_tokens),
            "decode_ms_per_step_n5": _per_step_ms(t5, pre5, new_tokens),
            "tokens_per_s_n1": round(new_tokens / t1, 1) if t1 else None,
            "tokens_per_s_n5": round(5 * new_tokens / t5, 1) if t5 else None,
        }
        forward = {}
        for n in CANDIDATE_COUNTS:
            case = next((c for c in cases if c["id"] == case_id(ref, n, new_tokens)), None)
            if case and "decode_forward_s" in case.get("breakdown_p50_s", {}) and new_tokens > 1:
                forward[f"forward_ms_per_step_n{n}"] = round(case["breakdown_p50_s"]["decode_forward_s"]
                                                             / (new_tokens - 1) * 1000, 2)
                forward[f"sample_ms_per_step_n{n}"] = round(case["breakdown_p50_s"]["sample_s"] / new_tokens * 1000, 2)
                forward[f"prefill_forward_s_n{n}"] = case["breakdown_p50_s"]["prefill_s"]
        if forward:
            entry["reference"]["measured_inside"] = forward
    return entry


_RUN_META = ("total_s", "others_cores", "attempts")


def _noise(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """How disturbed the kept runs were, and how many were redone (see ``NoiseGuard``)."""
    others = [r["others_cores"] for r in runs if r.get("others_cores") is not None]
    return {"others_cores_max": round(max(others), 3) if others else None,
            "redone_runs": sum(int(r.get("attempts") or 1) - 1 for r in runs)}


def _per_step_ms(total: float | None, one_token: float | None, new_tokens: int) -> float | None:
    if total is None or one_token is None or new_tokens < 2:
        return None
    return round((total - one_token) / (new_tokens - 1) * 1000, 2)


def _add_relative_speed(doc: dict[str, Any], work: dict[str, Any] | None, new_tokens: int) -> None:
    """``vs_pytorch_n{1,5}``: PyTorch's p50 / this backend's p50 on the reference sentence."""
    pytorch = doc["backends"].get(PYTORCH, {}).get("reference")
    for entry in doc["backends"].values():
        ref = entry.get("reference")
        if not ref or not pytorch:
            continue
        for n in CANDIDATE_COUNTS:
            mine, theirs = ref.get(f"n{n}_p50_s"), pytorch.get(f"n{n}_p50_s")
            ref[f"vs_pytorch_n{n}"] = round(theirs / mine, 2) if mine and theirs else None


def _headline(doc: dict[str, Any], raw: dict[str, Any], work: dict[str, Any], new_tokens: int,
              matched: int | None) -> dict[str, Any]:
    ref = work["reference"]
    sentence = next(s for s in work["sentences"] if s["index"] == ref)
    bundle_name = next(iter(doc["bundles"]), None)
    bundle = doc["bundles"].get(bundle_name, {}) if bundle_name else {}
    head: dict[str, Any] = {"bundle": bundle_name, "sentence": sentence["text"], "words": sentence["words"],
                            "prompt_tokens": sentence["prompt_tokens"], "path": "Paraphraser.paraphrase",
                            "threads": raw["options"]["threads"], "scorer": bundle.get("scorer")}
    for n in CANDIDATE_COUNTS:
        row = next((r for r in bundle.get(f"n{n}", {}).get("per_sentence", []) if r["sentence"] == ref), None)
        if row:
            head[f"n{n}_p50_s"] = row["p50_s"]
            head[f"n{n}_p95_s"] = row["p95_s"]
            if n == 5:
                head["n5_first_candidate_p50_s"] = row["first_candidate_p50_s"]
    head["matched_new_tokens"] = matched
    pytorch = doc["backends"].get(PYTORCH, {})
    if matched and pytorch.get("status") == "ok":
        case = next((c for c in pytorch["cases"] if c["id"] == case_id(ref, 5, matched)), None)
        if case and head.get("n5_p50_s"):
            head["pytorch_n5_p50_s"] = case["p50_s"]
            head["speedup_vs_pytorch"] = round(case["p50_s"] / head["n5_p50_s"], 2)
    ours = doc["backends"].get(OURS, {})
    if matched and ours.get("status") == "ok":
        case = next((c for c in ours["cases"] if c["id"] == case_id(ref, 5, matched)), None)
        if case:
            head["ours_loop_n5_matched_p50_s"] = case["p50_s"]
    head["engine_new_tokens"] = new_tokens
    ours_ref, torch_ref = ours.get("reference", {}), pytorch.get("reference", {})
    if ours_ref.get("n5_p50_s") and torch_ref.get("n5_p50_s"):
        head["engine_speedup_vs_pytorch"] = round(torch_ref["n5_p50_s"] / ours_ref["n5_p50_s"], 2)
    llama = doc["backends"].get("llamacpp-q8_0", {}).get("reference", {})
    if ours_ref.get("n5_p50_s") and llama.get("n5_p50_s"):
        head["engine_speedup_vs_llamacpp_q8_0"] = round(llama["n5_p50_s"] / ours_ref["n5_p50_s"], 2)
    return head


def _parse_case_id(cid: str) -> tuple[int, int, int]:
    sentence, n, tokens = cid.split("-")
    return int(sentence[1:]), int(n[1:]), int(tokens[1:])


# -- Markdown -------------------------------------------------------------------------------

def _fmt(value: Any, digits: int = 2) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def markdown(doc: dict[str, Any]) -> str:
    """The tables the CLI prints (and the README quotes)."""
    m = doc["machine"]
    head = doc.get("headline", {})
    flags = ", ".join(f for f in m.get("isa_flags", []) if "avx" in f or "amx" in f or f in ("asimddp", "i8mm")) or "–"
    lines = [
        f"## Paraphrase Studio benchmark — {m.get('cpu_model')}, {m.get('threads')} threads",
        "",
        f"{m.get('logical_cores')} cores ({flags}); {m.get('os')}; onnxruntime {m.get('onnxruntime')}; "
        f"load average at start {m.get('load_average_at_start')}; "
        f"other processes used {_fmt((m.get('contention') or {}).get('others_cores_avg'))} cores on average "
        f"during the run (0 = quiet); {doc['created']}; "
        f"repeat {doc['config']['repeat']}{' (quick)' if doc['config']['quick'] else ''}.",
        "",
    ]
    if head.get("n5_p50_s") is not None:
        scorer = (f"meaning scorer {head['scorer']}, oversampling and scoring included" if head.get("scorer")
                  else "the student alone: no meaning scorer")
        text = (f"**Headline:** 5 candidates for the {head['words']}-word sentence through "
                f"`Paraphraser.paraphrase` ({head['bundle']}; {scorer}): p50 **{head['n5_p50_s']:.2f} s** "
                f"(p95 {_fmt(head.get('n5_p95_s'))} s, first candidate {_fmt(head.get('n5_first_candidate_p50_s'))} s)")
        if head.get("speedup_vs_pytorch"):
            text += (f"; PyTorch fp32 `generate`, same prompt, 5 × {head['matched_new_tokens']} tokens: "
                     f"{head['pytorch_n5_p50_s']:.2f} s → **{head['speedup_vs_pytorch']:.2f}× faster**")
        lines += [text + ".", ""]
    if doc.get("targets"):
        lines += targets_markdown(doc["targets"]) + [""]
    lines += _backend_table(doc) + [""]
    lines += _product_table(doc)
    lines += _time_split(doc)
    lines += _cost_table(doc)
    if doc.get("scoring"):
        lines += [""] + scoring_markdown(doc["scoring"])
    if doc.get("phrases"):
        lines += [""] + phrases_markdown(doc["phrases"])
    lines += [""] + _length_table(doc)
    return "\n".join(lines) + "\n"


def _backend_table(doc: dict[str, Any]) -> list[str]:
    ref = next((s for s in doc["sentences"] if s["reference"]), None)
    tokens = doc["config"]["new_tokens"]
    title = (f"### Same work on every backend: the {ref['words']}-word sentence ({ref['prompt_tokens']}-token prompt), "
             f"exactly {tokens} new tokens per candidate" if ref else "### Backends")
    lines = [title, "",
             "| backend | weights MB | load s | prefill s | decode ms/token (1 row) | decode ms/step (5 rows) "
             "| 1 cand. p50 s | 5 cand. p50 s | 5 cand. p95 s | tokens/s (5 cand.) | peak RSS MB | vs PyTorch (5 cand.) |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for name, entry in doc["backends"].items():
        label = f"{name}: {entry['label']}"
        if entry["status"] == "skipped":
            lines.append(f"| {label} | skipped: {entry['reason']} — `{entry['install_hint']}` |" + " |" * 10)
            continue
        if entry["status"] == "failed":
            lines.append(f"| {label} | failed: {str(entry.get('error'))[:120]} |" + " |" * 10)
            continue
        r = entry.get("reference", {})
        vs = r.get("vs_pytorch_n5")
        lines.append(
            f"| {label} | {_fmt(entry.get('size_mb'), 0)} | {_fmt(entry.get('load_s'))} | {_fmt(r.get('prefill_s'))} "
            f"| {_fmt(r.get('decode_ms_per_token_n1'), 1)} | {_fmt(r.get('decode_ms_per_step_n5'), 1)} "
            f"| {_fmt(r.get('n1_p50_s'))} | {_fmt(r.get('n5_p50_s'))} | {_fmt(r.get('n5_p95_s'))} "
            f"| {_fmt(r.get('tokens_per_s_n5'), 0)} | {_fmt(entry.get('peak_rss_mb'), 0)} "
            f"| {_fmt(vs) + '×' if vs else '–'} |")
    return lines


def _product_table(doc: dict[str, Any]) -> list[str]:
    cold = doc.get("cold_start", {})
    lines = ["### Product path (`Paraphraser.paraphrase`, all sentences pooled; variable length, stops at newline)", "",
             "| bundle | size MB | import s | verify + session load s | first candidate from process start s "
             "| 1 cand. p50 / p95 s | 5 cand. p50 / p95 s | decoded tokens/s (5 cand.) | peak RSS MB (fresh process) |",
             "|---|---|---|---|---|---|---|---|---|"]
    for name, b in doc["bundles"].items():
        if b.get("status") != "ok":
            lines.append(f"| {name} | {_fmt(b.get('size_mb'), 0)} | failed: {b.get('error')} |" + " |" * 6)
            continue
        n1, n5 = b.get("n1", {}).get("pooled", {}), b.get("n5", {}).get("pooled", {})
        tps = [r["decoded_tokens_per_s"] for r in b.get("n5", {}).get("per_sentence", [])]
        is_cold = name == next(iter(doc["bundles"])) and cold.get("repeats")
        load = (f"{cold['verify_s']:.2f} + {cold['session_load_s']:.2f}" if is_cold else _fmt(b.get("load_s")))
        scorer_load = cold.get("scorer_load_s") if is_cold and cold.get("scorer") else b.get("scorer_load_s")
        if b.get("scorer") and scorer_load is not None:
            load += f" (+ scorer {scorer_load:.2f})"
        lines.append(
            f"| {name} | {_fmt(b.get('size_mb'), 0)} | {_fmt(cold.get('import_models_s')) if is_cold else '–'} "
            f"| {load} | {_fmt(cold.get('process_start_to_first_candidate_s')) if is_cold else '–'} "
            f"| {_fmt(n1.get('p50_s'))} / {_fmt(n1.get('p95_s'))} | {_fmt(n5.get('p50_s'))} / {_fmt(n5.get('p95_s'))} "
            f"| {_fmt(median(tps), 0) if tps else '–'} "
            f"| {_fmt(cold.get('peak_rss_mb') if is_cold else b.get('peak_rss_mb'), 0)} |")
    return lines


def _time_split(doc: dict[str, Any]) -> list[str]:
    """One paragraph: where the headline case's time goes, from the metered forward calls."""
    head = doc.get("headline", {})
    bundle = doc["bundles"].get(head.get("bundle") or "", {})
    ref = next((s for s in doc["sentences"] if s["reference"]), None)
    row = next((r for r in bundle.get("n5", {}).get("per_sentence", []) if ref and r["sentence"] == ref["index"]), None)
    if not row or not ref:
        return []
    run = row["prefill_tokens_p50"]
    cached = ("the whole prompt: the prefix KV cache did not apply" if run >= ref["prompt_tokens"]
              else f"of {ref['prompt_tokens']}: the few-shot prefix came from the cache")
    steps = row["decode_steps_p50"]
    per_step = row["forward_decode_p50_s"] / steps * 1000 if steps else None
    text = (f"**Where the time goes** (product path, {ref['words']}-word sentence, 5 candidates, p50 of each part): "
            f"prompt forward {row['forward_prefill_p50_s']:.3f} s ({run:.0f} tokens run, {cached}); "
            f"decode forward {row['forward_decode_p50_s']:.3f} s ({steps:.0f} steps, "
            f"{row['decoded_row_tokens_p50'] / steps if steps else 0:.1f} rows on average, "
            f"{_fmt(per_step, 1)} ms/step); ")
    if "checks_p50_s" in row:
        scored = row.get("scored_rows_p50") or 0
        if bundle.get("scorer"):
            text += (f"meaning scorer {row['score_p50_s']:.3f} s ({scored:.0f} rows scored, "
                     f"{_fmt(row.get('score_ms_per_row'), 1)} ms per row; {row['rejected_meaning_p50']:.0f} refused, "
                     f"{row['ranked_out_p50']:.0f} ranked out by oversampling); ")
        text += (f"the other checks {row['checks_p50_s']:.3f} s ({row['judged_rows_p50']:.0f} rows judged); "
                 f"ranking {row['rank_p50_s']:.3f} s; sampling, detokenizing and the rest "
                 f"{row['sampling_other_p50_s']:.3f} s.")
    else:
        text += f"sampling, detokenizing and de-duplication {row['outside_forward_p50_s']:.3f} s."
    inside = doc["backends"].get(OURS, {}).get("reference", {}).get("measured_inside")
    if inside:
        text += (f" One decode step of the bundle: {inside['forward_ms_per_step_n1']:.1f} ms with 1 row, "
                 f"{inside['forward_ms_per_step_n5']:.1f} ms with 5 rows; the sampler adds "
                 f"{inside['sample_ms_per_step_n1']:.1f} / {inside['sample_ms_per_step_n5']:.1f} ms.")
    return ["", text]


def _cost_table(doc: dict[str, Any]) -> list[str]:
    """Per sentence, 5 candidates: what each part of the product path costs (p50 of each part)."""
    bundle_name = next(iter(doc["bundles"]), None)
    bundle = doc["bundles"].get(bundle_name, {}) if bundle_name else {}
    rows = [r for r in bundle.get("n5", {}).get("per_sentence", []) if "checks_p50_s" in r]
    if not rows:
        return []
    lines = ["", f"### What each part costs: product path, 5 candidates, p50 s per part "
                 f"({'meaning scorer ' + bundle['scorer'] if bundle.get('scorer') else 'no meaning scorer'})", "",
             "| words | total | first candidate | prompt forward | decode forward | scorer | rows scored "
             "| scorer ms/row | other checks | ranking | sampling and the rest |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['words']} | {_fmt(r['p50_s'])} | {_fmt(r['first_candidate_p50_s'])} "
                     f"| {_fmt(r['forward_prefill_p50_s'], 3)} | {_fmt(r['forward_decode_p50_s'], 3)} "
                     f"| {_fmt(r['score_p50_s'], 3)} | {_fmt(r['scored_rows_p50'], 0)} "
                     f"| {_fmt(r['score_ms_per_row'], 1)} "
                     f"| {_fmt(r['checks_p50_s'], 3)} | {_fmt(r['rank_p50_s'], 3)} "
                     f"| {_fmt(r['sampling_other_p50_s'], 3)} |")
    return lines


def _length_table(doc: dict[str, Any]) -> list[str]:
    """p50 seconds for 5 candidates by input length: product path and each backend."""
    tokens = doc["config"]["new_tokens"]
    bundle_name = next(iter(doc["bundles"]), None)
    product = {r["sentence"]: r for r in doc["bundles"].get(bundle_name, {}).get("n5", {}).get("per_sentence", [])}
    backends = [(name, e) for name, e in doc["backends"].items() if e["status"] == "ok"]
    header = ["words", "prompt tokens", "product (n=5, own length)", "product decode steps",
              "product prompt tokens run"]
    header += [f"{name} (5 × {tokens})" for name, _ in backends]
    lines = ["### 5 candidates by input length, p50 s", "", "| " + " | ".join(header) + " |",
             "|" + "---|" * len(header)]
    for s in doc["sentences"]:
        row = [str(s["words"]), str(s["prompt_tokens"]),
               _fmt(product.get(s["index"], {}).get("p50_s")), _fmt(product.get(s["index"], {}).get("decode_steps_p50"), 0),
               _fmt(product.get(s["index"], {}).get("prefill_tokens_p50"), 0)]
        for _, entry in backends:
            case = next((c for c in entry["cases"] if c["id"] == case_id(s["index"], 5, tokens)), None)
            row.append(_fmt(case["p50_s"]) if case else "–")
        lines.append("| " + " | ".join(row) + " |")
    return lines
