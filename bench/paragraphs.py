"""Paragraphs through the product path: sentences decoded in one batch or one at a time.

``python -m bench.paragraphs`` times ``Paraphraser.paraphrase`` on three fixed paragraphs
built from the committed benchmark sentences (13 sentences in all), alternating, in one
process, between the default row budget (a text's sentences share the decode batch,
:mod:`models.batch_decode`) and a budget of one sentence's rows (each sentence decoded on
its own, as before batching). Alternating in one process is what makes the two comparable
on a machine whose speed drifts.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from .sentences import load_sentences

#: Sentence indices (``bench/data/sentences.txt``) joined into each paragraph.
PARAGRAPHS = ((1, 2, 3, 4, 5), (0, 1, 2), (4, 5, 6, 7))
CANDIDATES = 5


def paragraphs() -> list[str]:
    sentences = load_sentences()
    return [" ".join(sentences[i].text for i in group) for group in PARAGRAPHS]


def measure(paraphraser: Any, budgets: dict[str, int], repeat: int) -> dict[str, Any]:
    """Seconds per paragraph and for all three, per row budget; budgets alternate every round."""
    texts = paragraphs()
    paraphraser.paraphrase(texts[0], n=CANDIDATES, seed=10_000)  # warm-up: prefix cache, allocator
    runs: dict[str, list[list[float]]] = {name: [] for name in budgets}
    for round_index in range(repeat):
        order = list(budgets.items()) if round_index % 2 == 0 else list(reversed(budgets.items()))
        for name, rows in order:
            paraphraser.max_batch_rows = rows
            times = []
            for i, text in enumerate(texts):
                started = time.perf_counter()
                paraphraser.paraphrase(text, n=CANDIDATES, seed=round_index * 10 + i)
                times.append(time.perf_counter() - started)
            runs[name].append(times)
    return {name: {"rows": budgets[name],
                   "all_p50_s": round(statistics.median(sum(r) for r in rounds), 3),
                   "per_paragraph_p50_s": [round(statistics.median(r[i] for r in rounds), 3)
                                           for i in range(len(texts))],
                   "runs_s": rounds}
            for name, rounds in runs.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.paragraphs", description=__doc__.split("\n\n")[0])
    parser.add_argument("--bundle", default=None, help="bundle name or folder (default: the default bundle)")
    parser.add_argument("--threads", type=int, default=None, help="onnxruntime threads (default: all cores)")
    parser.add_argument("--repeat", type=int, default=4, help="rounds per budget (default %(default)s)")
    parser.add_argument("--json", type=Path, default=None, metavar="PATH", help="also write the results here")
    args = parser.parse_args(argv)
    from models import Paraphraser
    from models.batch_decode import MAX_BATCH_ROWS
    from models.paraphraser import spare_rows

    paraphraser = Paraphraser.load(args.bundle, threads=args.threads)
    one_sentence = CANDIDATES + spare_rows(CANDIDATES)
    results = measure(paraphraser, {"batched": MAX_BATCH_ROWS, "one sentence at a time": one_sentence},
                      max(1, args.repeat))
    words = [len(t.split()) for t in paragraphs()]
    print(f"| decoding | rows | {' | '.join(f'{w} words' for w in words)} | all three |")
    print(f"|---|---:|{'---:|' * len(words)}---:|")
    for name, r in results.items():
        cells = " | ".join(f"{s:.2f}" for s in r["per_paragraph_p50_s"])
        print(f"| {name} | {r['rows']} | {cells} | {r['all_p50_s']:.2f} |")
    if args.json:
        args.json.write_text(json.dumps({"bundle": paraphraser.name, "candidates": CANDIDATES,
                                         "repeat": args.repeat, "results": results}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
