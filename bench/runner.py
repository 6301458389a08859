"""Plan the benchmark, run each measurement in a fresh process, collect the raw timings.

Order matters: the product path runs first, because the number of decode steps it needs
for five candidates of the reference sentence becomes the token count PyTorch is given
for the headline comparison ("same prompt, 5 candidates, same token count").
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from tqdm.auto import tqdm

from .backends import BACKENDS, OURS, PYTORCH, missing_requirement
from .sentences import SENTENCES_FILE, Sentence, load_sentences, reference_sentence
from .stats import median

log = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parent.parent
#: Candidates per request in the two measured settings (a single answer; the app's default).
CANDIDATE_COUNTS = (1, 5)


@dataclass
class BenchOptions:
    """Everything that shapes a run; recorded in the JSON ``config``."""

    threads: int = field(default_factory=lambda: os.cpu_count() or 1)
    repeat: int = 5
    new_tokens: int = 24
    quick: bool = False
    backends: list[str] | None = None     # None: every backend (``--quick``: the quick ones)
    bundles: list[str] | None = None      # None: the default bundle
    diversity: float = 0.5
    sentences_file: Path = SENTENCES_FILE
    max_sentences: int | None = None      # None: all (``--quick``: 2)
    backend_sentences: int | None = None  # None: as many as the product path (``--quick``: 1)
    cold_repeat: int = 3
    cold_start: bool = True
    decode_split: bool = True             # 1-token cases that split prefill from decode (not --quick)
    noise_threshold: float = 0.25         # redo a run when other processes used more cores than this
    noise_retries: int = 3
    scorer: str | None = None             # None: the default scorer if built; "none": the student alone
    phrases: str | None = None            # None: the default phrase index if present; "none": no phrases section
    command: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"threads": self.threads, "repeat": self.repeat, "new_tokens": self.new_tokens,
                "quick": self.quick, "backends": self.backends, "bundles": self.bundles,
                "diversity": self.diversity, "sentences_file": _display_path(self.sentences_file),
                "max_sentences": self.max_sentences, "backend_sentences": self.backend_sentences,
                "cold_repeat": self.cold_repeat if self.cold_start else 0, "decode_split": self.decode_split,
                "noise_threshold": self.noise_threshold, "noise_retries": self.noise_retries,
                "scorer": self.scorer, "phrases": self.phrases}


@dataclass
class Workload:
    """The sentences, their prompt ids for one bundle, and the reference case."""

    sentences: list[Sentence]
    backend_sentences: list[Sentence]
    reference: Sentence
    prompt_ids: dict[int, list[int]]
    source_ids: dict[int, list[int]]


def pick_sentences(sentences: list[Sentence], k: int | None) -> list[Sentence]:
    """``k`` sentences spread over the length range, always including the reference one."""
    reference = reference_sentence(sentences)
    if k is None or k >= len(sentences):
        return list(sentences)
    others = [s for s in sentences if s is not reference]
    chosen = {reference}
    if k > 1:
        step = (len(others) - 1) / max(k - 2, 1) if k > 2 else 0
        chosen.update(others[round(i * step)] for i in range(k - 1))
    return sorted(chosen, key=lambda s: s.index)


def build_workload(bundle: Path, options: BenchOptions) -> Workload:
    """Tokenize every sentence with the bundle's own tokenizer and prompt template."""
    from models.bundle import load_tokenizer, read_manifest

    manifest = read_manifest(bundle)
    tokenizer = load_tokenizer(bundle / manifest.tokenizer_file)
    every = load_sentences(options.sentences_file)
    sentences = pick_sentences(every, options.max_sentences)
    reference = reference_sentence(sentences)
    backend_sentences = pick_sentences(sentences, options.backend_sentences)
    prompt_ids = {s.index: tokenizer.encode(manifest.prompt.render(s.text), add_special_tokens=False).ids
                  for s in sentences}
    source_ids = {s.index: tokenizer.encode(" " + s.text, add_special_tokens=False).ids for s in sentences}
    return Workload(sentences, backend_sentences, reference, prompt_ids, source_ids)


def case_id(sentence: int, n: int, new_tokens: int) -> str:
    return f"s{sentence}-n{n}-t{new_tokens}"


def product_case_id(sentence: int, n: int) -> str:
    return f"s{sentence}-n{n}"


def backend_cases(work: Workload, new_tokens: int, matched_tokens: int | None, backend: str,
                  decode_split: bool = True) -> list[dict[str, Any]]:
    """Exactly-``new_tokens`` cases for 1 and 5 candidates per sentence, plus 1-token cases.

    A 1-token case costs one prefill and one sampling step, so ``t(n, T) - t(n, 1)`` over
    ``T - 1`` is the per-step decode cost at batch ``n``. The matched case (PyTorch and our
    loop only) uses the product path's decode-step count for the headline comparison.
    """
    wanted: list[tuple[int, int, int]] = []
    for s in work.backend_sentences:
        wanted += [(s.index, 1, new_tokens), (s.index, 5, new_tokens)] + ([(s.index, 1, 1)] if decode_split else [])
    if decode_split:
        wanted.append((work.reference.index, 5, 1))
    if matched_tokens and backend in (PYTORCH, OURS):
        wanted.append((work.reference.index, 5, matched_tokens))
    cases: dict[str, dict[str, Any]] = {}
    for sentence, n, tokens in wanted:
        cid = case_id(sentence, n, tokens)
        cases[cid] = {"id": cid, "sentence": sentence, "prompt_ids": work.prompt_ids[sentence],
                      "source_ids": work.source_ids[sentence], "n": n, "new_tokens": tokens}
    return list(cases.values())


def matched_new_tokens(product_runs: list[dict[str, Any]]) -> int:
    """Tokens per candidate that give ``generate`` the product's number of decode forwards.

    Each sampling round samples its first token from the prompt's logits, so ``T`` new
    tokens cost ``T - 1`` decode forwards: T = decode steps + rounds.
    """
    return int(round(median([r["decode_steps"] + (r.get("rounds") or 1) for r in product_runs])))


class Progress:
    """A tqdm bar fed by worker ticks; ``status`` shows what is running."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.bar = tqdm(total=total, desc="bench", unit="run", disable=not enabled, dynamic_ncols=True)

    def tick(self, count: int = 1) -> None:
        self.bar.update(count)

    def status(self, text: str) -> None:
        self.bar.set_postfix_str(text[:60])

    def close(self) -> None:
        self.bar.close()


def worker_env(threads: int, scorer: Path | None = None) -> dict[str, str]:
    """Children find this checkout first and use exactly ``threads`` threads everywhere.

    ``scorer``: the meaning scorer bundle every child's paraphraser loads (through
    :envvar:`PARAPHRASE_STUDIO_SCORER`, as the app would), or None: the student alone.
    """
    from models.confidence import SCORER_ENV

    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_ROOT), env.get("PYTHONPATH", "")) if p)
    for key in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        env[key] = str(threads)
    env["TOKENIZERS_PARALLELISM"] = "false"
    env[SCORER_ENV] = str(scorer) if scorer is not None else "none"
    return env


def run_worker(spec: dict[str, Any], progress: Progress, label: str, env: dict[str, str]) -> dict[str, Any]:
    """Run one ``bench.worker`` process; returns ``{"ok": True, ...}`` or ``{"ok": False, "error"}``."""
    from .machine import CpuMeter

    progress.status(label)
    meter = CpuMeter()
    started = time.perf_counter()
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8") as stderr:
        proc = subprocess.Popen([sys.executable, "-m", "bench.worker"], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=stderr, text=True, env=env, cwd=str(REPO_ROOT))
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write(json.dumps(spec))
        proc.stdin.close()
        outcome: dict[str, Any] = {"ok": False, "error": "the worker exited without a result"}
        for line in proc.stdout:
            try:
                message = json.loads(line)
            except json.JSONDecodeError:
                log.debug("worker said: %s", line.rstrip())
                continue
            event = message.get("event")
            if event == "tick":
                progress.tick()
            elif event == "status":
                progress.status(f"{label}: {message['text']}")
            elif event == "result":
                outcome = {"ok": True, **message["data"]}
            elif event == "error":
                outcome = {"ok": False, "error": message["message"], "traceback": message.get("traceback")}
        code = proc.wait()
        if not outcome["ok"]:
            stderr.seek(0)
            tail = stderr.read()[-3000:]
            if code != 0 and "traceback" not in outcome:
                outcome["error"] += f" (exit status {code})"
            outcome["stderr_tail"] = tail
            log.warning("%s failed: %s", label, outcome["error"])
    outcome["wall_s"] = round(time.perf_counter() - started, 2)
    outcome["others_cores_avg"] = meter.finish()["others_cores_avg"]
    return outcome


def selected_backends(options: BenchOptions) -> list[str]:
    if options.backends is not None:
        unknown = [b for b in options.backends if b not in BACKENDS]
        if unknown:
            raise ValueError(f"unknown backend(s) {unknown}; choose from {list(BACKENDS)}")
        return [b for b in BACKENDS if b in options.backends]
    return [b for b, spec in BACKENDS.items() if spec.in_quick or not options.quick]


def run_benchmark(options: BenchOptions, *, progress: bool = True) -> dict[str, Any]:
    """Run everything ``options`` asks for and return the raw results (see ``bench.report``)."""
    from models.bundle import MANIFEST_NAME
    from models.catalog import resolve_bundle

    from .artefacts import fp32_graph_cached
    from .coldstart import cold_start_ticks, measure_cold_start
    from .machine import machine_facts
    from .phrases import choose_index
    from .phrases import planned_ticks as phrases_ticks
    from .scoring import choose_scorer, planned_ticks

    from .machine import CpuMeter

    started_at = datetime.now(timezone.utc)
    run_meter = CpuMeter()
    bundle_names = options.bundles or [None]
    bundles = [resolve_bundle(b) for b in bundle_names]
    for folder in bundles:
        if not (folder / MANIFEST_NAME).is_file():
            from models.catalog import rebuild_command

            raise FileNotFoundError(f"bundle {folder.name} is not installed ({folder}); build it with: "
                                    f"{rebuild_command(folder.name, folder)}")
    scorer = choose_scorer(options.scorer)  # a named scorer that is not built stops here, with its build command
    index = choose_index(options.phrases)  # likewise a named phrase index that is missing
    works = {folder: build_workload(folder, options) for folder in bundles}
    comparison = bundles[0]
    work = works[comparison]
    names = selected_backends(options)
    env = worker_env(options.threads, scorer.folder)
    machine = machine_facts(options.threads)

    # Decide up front which backends can run, so the progress bar's total is honest.
    base_sha = _manifest_base_sha(comparison)
    skipped: dict[str, dict[str, str]] = {}
    for name in names:
        missing = missing_requirement(BACKENDS[name], fp32_cached=bool(base_sha) and fp32_graph_cached(base_sha))
        if missing:
            skipped[name] = {"reason": missing[0], "install_hint": missing[1]}
    runnable = [n for n in names if n not in skipped]
    placeholder = options.new_tokens + 1  # the matched token count is only known after the product path
    per_backend = {n: _planned_runs(backend_cases(work, options.new_tokens, placeholder, n, options.decode_split),
                                    options.repeat)
                   for n in runnable}
    product_runs = {folder: len(works[folder].sentences) * len(CANDIDATE_COUNTS) * options.repeat
                    for folder in bundles}
    cold_ticks = cold_start_ticks(options.cold_repeat) if options.cold_start else 0
    scoring_ticks = planned_ticks(options.threads) if scorer.folder is not None else 0
    phrase_ticks = phrases_ticks(scorer.folder is not None, options.repeat) if index.folder is not None else 0
    bar = Progress(cold_ticks + sum(product_runs.values()) + scoring_ticks + phrase_ticks + sum(per_backend.values()),
                   progress)
    results: dict[str, Any] = {"options": options.to_dict(), "command": options.command,
                               "created": started_at.isoformat(timespec="seconds"), "machine": machine,
                               "code": code_version(),
                               "workloads": {}, "product": {}, "backends": {}, "skipped": skipped,
                               "scoring": scorer.skipped(), "phrases": index.skipped()}
    try:
        if options.cold_start:
            bar.status("cold start (fresh processes)")
            results["cold_start"] = measure_cold_start(comparison, options.threads, work.reference.text,
                                                       repeat=options.cold_repeat, env=env, tick=bar.tick)
        for folder in bundles:
            w = works[folder]
            results["workloads"][str(folder)] = _workload_dict(w)
            spec = {"role": "product", "bundle": str(folder), "threads": options.threads, **_noise(options),
                    "repeat": options.repeat, "diversity": options.diversity, "warmup_text": w.reference.text,
                    "cases": [{"id": product_case_id(s.index, n), "sentence": s.index, "text": s.text, "n": n}
                              for s in w.sentences for n in CANDIDATE_COUNTS]}
            before = bar.bar.n
            outcome = run_worker(spec, bar, f"product path {folder.name}", env)
            results["product"][str(folder)] = outcome
            bar.tick(max(0, product_runs[folder] - (bar.bar.n - before)))
        headline = results["product"][str(comparison)]
        if scorer.folder is not None:
            before = bar.bar.n
            results["scoring"] = run_scoring(scorer.folder, work, headline, options, bar, env)
            bar.tick(max(0, scoring_ticks - (bar.bar.n - before)))
        if index.folder is not None:
            before = bar.bar.n
            results["phrases"] = run_phrases(index.folder, scorer.folder, options, bar, env)
            bar.tick(max(0, phrase_ticks - (bar.bar.n - before)))
        matched = None
        if headline["ok"]:
            matched = matched_new_tokens(headline["runs"][product_case_id(work.reference.index, 5)])
        results["matched_new_tokens"] = matched
        for name in runnable:
            cases = backend_cases(work, options.new_tokens, matched, name, options.decode_split)
            spec = {"role": "backend", "backend": name, "bundle": str(comparison), "threads": options.threads,
                    **_noise(options),
                    "repeat": options.repeat, "diversity": options.diversity, "cases": cases,
                    "warmup": [case_id(work.reference.index, n, options.new_tokens)
                               for n in (CANDIDATE_COUNTS if options.decode_split else (5,))]}
            before = bar.bar.n
            prepared = run_worker({**spec, "role": "prepare", "cases": []}, bar, name, env)
            if prepared["ok"]:
                outcome = run_worker(spec, bar, name, env)
                if outcome["ok"]:
                    outcome["prepare_s"] = prepared["prepare_s"]
                    outcome["prepare_peak_rss_mb"] = prepared["peak_rss_mb"]
            else:
                outcome = prepared
            expected = _planned_runs(cases, options.repeat)
            done = bar.bar.n - before
            if done < expected:
                bar.tick(expected - done)  # a failed backend's remaining runs
            results["backends"][name] = outcome
    finally:
        bar.close()
    results["wall_s"] = round((datetime.now(timezone.utc) - started_at).total_seconds(), 1)
    results["machine"]["contention"] = run_meter.finish()
    results["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None
    return results


def run_scoring(folder: Path, work: Workload, product: dict[str, Any], options: BenchOptions,
                progress: Progress, env: dict[str, str]) -> dict[str, Any]:
    """The scorer's own ms per candidate, in a fresh worker, on the product path's candidates."""
    from .scoring import BATCH_SIZES, scoring_pairs, scoring_threads

    sentences = [{"index": s.index, "text": s.text} for s in work.sentences]
    pairs, origin = scoring_pairs(sentences, product.get("samples") if product.get("ok") else None, product_case_id)
    spec = {"role": "scoring", "scorer": str(folder), "pairs": pairs, "origin": origin,
            "threads_list": scoring_threads(options.threads), "batch_sizes": list(BATCH_SIZES),
            "repeat": options.repeat, **_noise(options)}
    return {"status": "ok", "scorer": folder.name, "outcome": run_worker(spec, progress, f"scorer {folder.name}", env)}


def run_phrases(index: Path, scorer: Path | None, options: BenchOptions, progress: Progress,
                env: dict[str, str]) -> dict[str, Any]:
    """Phrase alternatives' in-process query time, in a fresh worker, on every committed bench sentence.

    Every sentence, whatever ``--sentences``/``--quick`` chose: a query takes milliseconds, and
    p50/p90 need words. ``scorer``: the run's meaning scorer (None: the index's ranking only).
    """
    sentences = [{"index": s.index, "text": s.text, "words": s.words} for s in load_sentences(options.sentences_file)]
    spec = {"role": "phrases", "index": str(index), "scorer": str(scorer) if scorer is not None else None,
            "sentences": sentences, "threads": options.threads, "repeat": options.repeat, **_noise(options)}
    return {"status": "ok", "index": index.name, "outcome": run_worker(spec, progress, f"phrases {index.name}", env)}


def code_version() -> dict[str, Any]:
    """The checkout's commit and whether it had local changes (numbers belong to code)."""
    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(["git", *args], cwd=REPO_ROOT, capture_output=True, text=True, timeout=10)
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout.strip() if done.returncode == 0 else None

    status = git("status", "--porcelain", "--untracked-files=no")
    return {"git_commit": git("rev-parse", "HEAD"), "dirty": bool(status) if status is not None else None}


def _noise(options: BenchOptions) -> dict[str, Any]:
    return {"noise_threshold": options.noise_threshold, "noise_retries": options.noise_retries}


def _planned_runs(cases: list[dict[str, Any]], repeat: int) -> int:
    return len(cases) * repeat


def _manifest_base_sha(bundle: Path) -> str | None:
    from models.bundle import MANIFEST_NAME

    try:
        data = json.loads((bundle / MANIFEST_NAME).read_text(encoding="utf-8"))
        return (data.get("base_model") or {}).get("sha256")
    except (OSError, ValueError):
        return None


def _workload_dict(w: Workload) -> dict[str, Any]:
    backend = {s.index for s in w.backend_sentences}
    return {"reference": w.reference.index,
            "sentences": [{"index": s.index, "text": s.text, "words": s.words,
                           "prompt_tokens": len(w.prompt_ids[s.index]), "source_tokens": len(w.source_ids[s.index]),
                           "reference": s.index == w.reference.index, "backends": s.index in backend}
                          for s in w.sentences]}


def _display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(REPO_ROOT))
    except ValueError:
        return str(path)
