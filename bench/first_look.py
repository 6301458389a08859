"""A first, small benchmark: our ONNX runtime vs PyTorch fp32 ``generate`` on one case.

Case: 5 candidates for a 20-word sentence with the default bundle, same weights, same
prompt, same sampling settings and token budget on both sides; median of ``--repeat`` runs.
Also: bundle size, peak RSS and time from process start to the first candidate, each
measured in a fresh process. Run: ``python -m bench.first_look --repeat 10``.
The full laptop benchmark (``paraphrase-studio bench``) will grow out of this.
"""

from __future__ import annotations

import argparse
import json
import logging
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from tqdm.auto import tqdm

SENTENCE = ("The committee finally agreed to postpone the vote until next month so that every "
            "member could read the full report.")  # 20 words
N = 5
DIVERSITY = 0.5

log = logging.getLogger(__name__)


def time_ours(repeat: int, threads: int | None) -> dict[str, Any]:
    from models import Paraphraser

    paraphraser = Paraphraser.load(None, threads=threads)
    paraphraser.paraphrase(SENTENCE, n=N, diversity=DIVERSITY, seed=0)  # warm-up
    totals, firsts = [], []
    for i in tqdm(range(repeat), desc="onnx runtime", leave=False):
        result = paraphraser.paraphrase(SENTENCE, n=N, diversity=DIVERSITY, seed=i + 1)
        totals.append(result.elapsed_ms / 1000)
        firsts.append((result.first_candidate_ms or result.elapsed_ms) / 1000)
    return {"p50_s": statistics.median(totals), "first_candidate_p50_s": statistics.median(firsts),
            "runs_s": [round(t, 3) for t in totals]}


def time_pytorch(repeat: int, threads: int) -> dict[str, Any]:
    import torch

    from export.base_weights import load_base, smollm2_gguf
    from models import Paraphraser
    from models.sampling import settings_for_diversity

    torch.set_num_threads(threads)
    bundle = Paraphraser.load(None)
    model, _ = load_base(smollm2_gguf())
    prompt_ids = bundle.tokenizer.encode(bundle.prompt.render(SENTENCE), add_special_tokens=False).ids
    source_len = len(bundle.tokenizer.encode(" " + SENTENCE, add_special_tokens=False).ids)
    s = settings_for_diversity(DIVERSITY)
    kwargs = dict(do_sample=True, temperature=s.temperature, top_k=s.top_k, top_p=s.top_p,
                  repetition_penalty=s.repetition_penalty, no_repeat_ngram_size=s.no_repeat_ngram,
                  num_return_sequences=N, max_new_tokens=2 * source_len + 12,
                  eos_token_id=list(bundle.prompt.stop_token_ids), pad_token_id=2)
    ids = torch.tensor([prompt_ids])
    with torch.no_grad():
        model.generate(ids, attention_mask=torch.ones_like(ids), **kwargs)  # warm-up
        totals = []
        for i in tqdm(range(repeat), desc="pytorch generate", leave=False):
            torch.manual_seed(i)
            started = time.perf_counter()
            model.generate(ids, attention_mask=torch.ones_like(ids), **kwargs)
            totals.append(time.perf_counter() - started)
    return {"p50_s": statistics.median(totals), "runs_s": [round(t, 3) for t in totals]}


def cold_start() -> dict[str, Any]:
    """Process start → first candidate, and the process's peak RSS, in a fresh interpreter."""
    code = (
        "import time, json, resource; t0=time.time()\n"
        "from models import Paraphraser\n"
        "first=[]\n"
        "p=Paraphraser.load(None); loaded=time.time()\n"
        f"p.paraphrase({SENTENCE!r}, n={N}, seed=1, on_candidate=lambda c: first or first.append(time.time()))\n"
        "print(json.dumps({'t0': t0, 'loaded': loaded, 'first': first[0], "
        "'peak_rss_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024}))\n"
    )
    started = time.time()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    data = json.loads(out.strip().splitlines()[-1])
    return {"process_start_to_first_candidate_s": round(data["first"] - started, 3),
            "interpreter_to_loaded_s": round(data["loaded"] - data["t0"], 3),
            "peak_rss_mb": round(data["peak_rss_mb"], 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--skip-pytorch", action="store_true")
    args = parser.parse_args(argv)
    from models.catalog import resolve_bundle

    bundle = resolve_bundle(None)
    report: dict[str, Any] = {
        "case": f"{N} candidates, 20-word sentence, diversity {DIVERSITY}, {args.threads} threads",
        "bundle_mb": round(sum(p.stat().st_size for p in bundle.iterdir() if p.is_file()) / 1e6, 1),
        "cold": cold_start(),
        "onnx": time_ours(args.repeat, args.threads),
    }
    if not args.skip_pytorch:
        report["pytorch"] = time_pytorch(args.repeat, args.threads)
        report["speedup_vs_pytorch"] = round(report["pytorch"]["p50_s"] / report["onnx"]["p50_s"], 2)
    report["this_process_peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
