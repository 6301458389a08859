"""Latency against input length, one line per backend (matplotlib, optional).

Two panels: one candidate and five candidates. The backends (solid) all generate exactly
``new_tokens`` tokens per candidate, so their slope is the cost of a longer prompt
(prefill); the product path (dashed) generates as long a paraphrase as it needs, so its
slope also carries the longer outputs of longer sentences.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

#: One colour per backend, the same in every plot, so two runs' PNGs compare at a glance.
COLOURS = {"ours-int8": "tab:blue", "ours-fp32": "tab:cyan", "optimum": "tab:orange", "pytorch": "tab:green",
           "llamacpp-q8_0": "tab:red", "llamacpp-q4_1": "tab:pink"}
MATPLOTLIB_HINT = "pip install matplotlib  (or: pip install 'paraphrase-studio[bench]')"


class PlotUnavailable(RuntimeError):
    """matplotlib is not installed; the message carries the install hint."""


def write_plot(doc: dict[str, Any], path: Path) -> Path:
    """Write the PNG to ``path`` and return it; raises :class:`PlotUnavailable` without matplotlib."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise PlotUnavailable(f"matplotlib is not installed: {MATPLOTLIB_HINT}") from exc

    tokens = doc["config"]["new_tokens"]
    words = {s["index"]: s["words"] for s in doc["sentences"]}
    fig, axes = plt.subplots(1, 2, figsize=(12, 5), sharey=False)
    for ax, n in zip(axes, (1, 5)):
        for name, bundle in doc["bundles"].items():
            rows = sorted(bundle.get(f"n{n}", {}).get("per_sentence", []), key=lambda r: r["words"])
            if rows:
                ax.plot([r["words"] for r in rows], [r["p50_s"] for r in rows], "k--", marker="o", linewidth=2,
                        label=f"product path: Paraphraser.paraphrase ({name})")
        for name, entry in doc["backends"].items():
            if entry.get("status") != "ok":
                continue
            points = sorted((words[c["sentence"]], c["p50_s"]) for c in entry["cases"]
                            if c["n"] == n and c["new_tokens"] == tokens and c["sentence"] in words)
            if points:
                ax.plot([p[0] for p in points], [p[1] for p in points], marker=".", markersize=7,
                        color=COLOURS.get(name), label=f"{name}: {entry.get('label', name)}")
        ax.set_title(f"{n} candidate{'s' if n > 1 else ''}: backends {n} × {tokens} tokens, product own length")
        ax.set_xlabel("input sentence length (words)")
        ax.set_ylabel("latency p50 (s)")
        ax.set_ylim(bottom=0)
        ax.set_xlim(0, max(words.values(), default=40) + 5)
        ax.grid(True, alpha=0.3)
    handles, labels = axes[1].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=2, fontsize=9, frameon=False)
    m = doc["machine"]
    fig.suptitle(f"Paraphrase Studio latency — {m.get('cpu_model')}, {m.get('threads')} threads, "
                 f"onnxruntime {m.get('onnxruntime')}", fontsize=11)
    fig.tight_layout(rect=(0, 0.06 + 0.035 * ((len(labels) + 1) // 2), 1, 0.95))
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    log.info("plot written to %s", path)
    return path
