"""One measurement process: a backend, the product path, the scorer or the phrase index, loaded fresh, then timed.

Each backend (and the product path, the meaning scorer's and the phrase index's own measurements) runs in its
own interpreter so that one engine's threads, allocator state and imports (torch sets up
OpenMP) cannot slow another, and so that the process's peak RSS is that backend's own.
The parent writes a JSON spec to stdin (prompt ids make it too big for an argument) and
reads JSON lines from the original stdout; anything libraries print goes to stderr.

Messages: ``{"event": "status", "text"}``, ``{"event": "tick"}`` (one timed run done),
``{"event": "result", "data"}`` or ``{"event": "error", "message", "traceback"}``.
"""

from __future__ import annotations

import importlib
import json
import logging
import os
import sys
import time
import traceback
from pathlib import Path
from typing import Any, TextIO

log = logging.getLogger(__name__)


class Channel:
    """JSON-lines messages to the parent on a private copy of stdout."""

    def __init__(self) -> None:
        sys.stdout.flush()
        self._out: TextIO = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
        os.dup2(2, 1)  # C libraries and stray prints now land on stderr

    def send(self, event: str, **data: Any) -> None:
        self._out.write(json.dumps({"event": event, **data}) + "\n")
        self._out.flush()


def peak_rss_mb() -> float | None:
    """This process's peak resident set size in MB (``None`` where the OS will not say)."""
    try:
        import resource
    except ImportError:  # Windows
        try:
            import psutil

            info = psutil.Process().memory_info()
            return round(getattr(info, "peak_wset", info.rss) / 2**20, 1)
        except ImportError:
            return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # Linux: KiB, macOS: bytes
    return round(peak / (2**20 if sys.platform == "darwin" else 1024), 1)


def run_spec(spec: dict[str, Any], channel: Channel) -> dict[str, Any]:
    if spec["role"] == "phrases":
        from .phrases import run_phrases_spec

        return {**run_phrases_spec(spec, tick=lambda: channel.send("tick")), "peak_rss_mb": peak_rss_mb()}
    from models.bundle import load_manifest
    from models.sampling import settings_for_diversity

    if spec["role"] == "scoring":
        from .scoring import run_scoring_spec

        return {**run_scoring_spec(spec, tick=lambda: channel.send("tick")), "peak_rss_mb": peak_rss_mb()}
    bundle = Path(spec["bundle"])
    threads = int(spec["threads"])
    if spec["role"] == "product":
        return _run_product(spec, bundle, threads, channel)
    from .backends import BACKENDS
    from .backends.base import GenCase, WorkerContext

    name = spec["backend"]
    manifest = load_manifest(bundle, verify=False)
    ctx = WorkerContext(bundle=bundle, manifest=manifest, threads=threads,
                        settings=settings_for_diversity(float(spec["diversity"])),
                        status=lambda text: channel.send("status", text=text))
    started = time.perf_counter()
    module = importlib.import_module(f"bench.backends.{BACKENDS[name].module}")
    import_s = time.perf_counter() - started
    backend = module.create(name, ctx)
    if spec["role"] == "prepare":
        started = time.perf_counter()
        info = backend.prepare()
        return {**info, "prepare_s": round(time.perf_counter() - started, 3), "peak_rss_mb": peak_rss_mb()}
    info = backend.load()
    info["import_s"] = round(import_s, 3)
    cases = [GenCase.from_dict(c) for c in spec["cases"]]
    by_id = {c.id: c for c in cases}
    channel.send("status", text="warm-up")
    for case_id in spec.get("warmup", []):
        backend.generate(by_id[case_id], seed=99_999)
    guard = noise_guard(spec)
    runs: dict[str, list[dict[str, float]]] = {c.id: [] for c in cases}
    for r in range(int(spec["repeat"])):
        for case in cases:
            seconds, breakdown, others, attempts = guard.run(lambda: backend.generate(case, seed=r))
            runs[case.id].append({"total_s": seconds, "others_cores": others, "attempts": attempts, **breakdown})
            channel.send("tick")
    return {**info, "runs": runs, "peak_rss_mb": peak_rss_mb(), "noise_wait_s": guard.waited_s}


def noise_guard(spec: dict[str, Any]) -> Any:
    from .machine import NoiseGuard

    return NoiseGuard(threshold=float(spec.get("noise_threshold", 0.25)), retries=int(spec.get("noise_retries", 3)))


def _run_product(spec: dict[str, Any], bundle: Path, threads: int, channel: Channel) -> dict[str, Any]:
    from models import Paraphraser
    from models.confidence import default_scorer

    from .product import run_product_cases

    # The scorer the parent chose (PARAPHRASE_STUDIO_SCORER: a bundle folder or "none"),
    # loaded as the app loads it; its load time is reported on its own.
    started = time.perf_counter()
    scorer = default_scorer(threads)
    scorer_load_s = time.perf_counter() - started
    started = time.perf_counter()
    paraphraser = Paraphraser.load(bundle, threads=threads, scorer=scorer)
    load_s = time.perf_counter() - started
    channel.send("status", text="warm-up")
    guard = noise_guard(spec)
    result = run_product_cases(paraphraser, spec["cases"], int(spec["repeat"]), float(spec["diversity"]),
                               spec["warmup_text"], guard, tick=lambda: channel.send("tick"))
    return {"load_s": round(load_s, 3), "scorer_load_s": round(scorer_load_s, 3) if scorer is not None else None,
            **result, "peak_rss_mb": peak_rss_mb(), "noise_wait_s": guard.waited_s}


def main() -> int:
    channel = Channel()
    logging.basicConfig(level=logging.INFO if os.environ.get("BENCH_VERBOSE") else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    try:
        spec = json.loads(sys.stdin.read())
        channel.send("result", data=run_spec(spec, channel))
    except Exception as exc:  # reported to the parent, which marks this backend failed
        channel.send("error", message=f"{type(exc).__name__}: {exc}", traceback=traceback.format_exc())
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
