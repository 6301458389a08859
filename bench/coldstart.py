"""What a user waits for before the first paraphrase: fresh-process measurements.

Import time, bundle verification (sha256 of every file), the meaning scorer's load (when
the run has one), session creation and the time to the first candidate all happen once
per app start, so they are measured in a brand-new interpreter each time (a warm process
would hide them). The same process reports its
peak RSS after producing five candidates: the runtime's real memory footprint, without
any benchmark machinery loaded.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from models.verified_files import ENV_VAR as VERIFIED_FILES_ENV

from .stats import median

log = logging.getLogger(__name__)

IMPORT_CODE = "import time; t = time.perf_counter(); import models; print(time.perf_counter() - t)"

LOAD_CODE = r"""
import json, sys, time
t_start = time.time()
import models
from models import Paraphraser
from models.bundle import load_manifest
t_import = time.time()
folder, threads, text = models.resolve_bundle(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
manifest = load_manifest(folder, verify=True)
t_verify = time.time()
from models.confidence import default_scorer
scorer = default_scorer(threads)  # PARAPHRASE_STUDIO_SCORER: the bench's choice, or "none"
t_scorer = time.time()
paraphraser = Paraphraser(folder, manifest, threads=threads, scorer=scorer)
t_session = time.time()
first = []
result = paraphraser.paraphrase(text, n=5, seed=1, on_candidate=lambda c: first or first.append(time.time()))
t_done = time.time()
from bench.worker import peak_rss_mb
peak = peak_rss_mb()
print(json.dumps({"t_start": t_start, "t_import": t_import, "t_verify": t_verify, "t_scorer": t_scorer,
                  "t_session": t_session, "scorer": scorer.name if scorer is not None else None,
                  "t_first": first[0] if first else t_done, "t_done": t_done, "peak_rss_mb": peak,
                  "candidates": len(result.candidates)}))
"""


def measure_cold_start(bundle: Path, threads: int, sentence: str, *, repeat: int, env: dict[str, str],
                       tick: Callable[[], None] = lambda: None) -> dict[str, Any]:
    """Median over ``repeat`` fresh processes of each start-up phase, plus peak RSS.

    Every process hashes every bundle file, as the first start after an install does: the
    verified-files record (:mod:`models.verified_files`) is switched off here, since with it
    later starts skip the hashing and ``verify_s`` would only measure a stat per file.
    """
    env = {**env, VERIFIED_FILES_ENV: "off"}
    imports: list[float] = []
    import_walls: list[float] = []
    for _ in range(repeat):
        started = time.perf_counter()
        out = _python(["-c", IMPORT_CODE], env)
        import_walls.append(time.perf_counter() - started)
        imports.append(float(out.strip().splitlines()[-1]))
        tick()
    loads: list[dict[str, float]] = []
    scorers: list[str | None] = []
    for _ in range(repeat):
        spawned = time.time()
        data = json.loads(_python(["-c", LOAD_CODE, str(bundle), str(threads), sentence], env).strip().splitlines()[-1])
        loads.append({
            "interpreter_start_s": data["t_start"] - spawned,
            "verify_s": data["t_verify"] - data["t_import"],
            "scorer_load_s": data["t_scorer"] - data["t_verify"],
            "session_load_s": data["t_session"] - data["t_scorer"],
            "first_candidate_after_load_s": data["t_first"] - data["t_session"],
            "five_candidates_after_load_s": data["t_done"] - data["t_session"],
            "process_start_to_first_candidate_s": data["t_first"] - spawned,
            "peak_rss_mb": data["peak_rss_mb"],
        })
        scorers.append(data.get("scorer"))
        tick()
    summary: dict[str, Any] = {
        "repeats": repeat,
        "import_models_s": round(median(imports), 3),
        "process_import_wall_s": round(median(import_walls), 3),
    }
    summary["scorer"] = scorers[0] if scorers else None
    for key in loads[0]:
        if key != "peak_rss_mb":
            summary[key] = round(median([run[key] for run in loads]), 3)
    peaks = [run["peak_rss_mb"] for run in loads if run["peak_rss_mb"] is not None]
    summary["peak_rss_mb"] = round(max(peaks), 1) if peaks else None
    return summary


def cold_start_ticks(repeat: int) -> int:
    return 2 * repeat


def _python(args: list[str], env: dict[str, str]) -> str:
    completed = subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env,
                               cwd=os.getcwd(), check=False)
    if completed.returncode != 0:
        raise RuntimeError(f"cold-start process failed: {completed.stderr.strip()[-2000:]}")
    return completed.stdout
