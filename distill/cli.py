"""``python -m distill prepare|train``: teacher data -> filtered pairs -> LoRA adapter.

prepare  load the kinit teacher files, split by seed group, build pairs, run the critic,
         write ``<run>/train.jsonl``, ``dev.jsonl`` and ``prepare.json`` (all counts).
train    LoRA-train the student on ``<run>/train.jsonl``; resumes from the latest
         checkpoint in ``<run>/checkpoints`` unless ``--resume none``.
publish  copy ``<run>/adapter`` (float16) and ``training.json`` to ``models/students/<name>/``.
teach    ask an OpenAI-compatible server for k paraphrases of each source sentence (new domains);
         see :mod:`distill.teach`.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .critic import CriticReport, CriticThresholds, filter_pairs
from .dataset import write_jsonl
from .distributed import DEVICES, PRECISIONS
from .pairs import build_pairs, cap_pairs, count_pairs, split_groups
from .paths import cache_root, data_root
from .teacher_data import (DEFAULT_TEACHERS, DIV_INCENTIVES, LLM_VS_AUG, LoadReport, load_groups,
                           read_seed_list)
from .teach_cli import add_arguments as add_teach_arguments
from .teach_cli import main as teach_main
from .train import TrainConfig, train

log = logging.getLogger("distill")


def _csv(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def _optional_int(value: str) -> int | None:
    return None if value.lower() in ("all", "none") else int(value)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m distill", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-v", "--verbose", action="store_true")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("prepare", help="load, split and filter teacher pairs into a run folder")
    p.add_argument("--run", required=True, help="run folder, e.g. runs/gpt35-critic")
    p.add_argument("--data-root", help="folder holding teacher/ (default: $PARAPHRASE_STUDIO_DATA or ../shared/data)")
    p.add_argument("--sources", type=_csv, default=[LLM_VS_AUG, DIV_INCENTIVES])
    p.add_argument("--teachers", type=_csv, default=list(DEFAULT_TEACHERS),
                   help="teacher name prefixes (gpt-3.5, gpt-4, llama, mistral, platypus2)")
    p.add_argument("--methods", type=_csv, default=None,
                   help="kinit_div_incentives file_method suffixes to keep, e.g. seeds,hints (default all)")
    p.add_argument("--heldout-file", help="seeds (one per line, or TSV/JSONL with a seed field) kept out of train and dev")
    p.add_argument("--seed-pairs", type=_optional_int, default=4, help="seed->paraphrase pairs per group")
    p.add_argument("--para-pairs", type=_optional_int, default=4, help="paraphrase->paraphrase pairs per group")
    p.add_argument("--dev-seed-pairs", type=int, default=2)
    p.add_argument("--dev-para-pairs", type=int, default=2)
    p.add_argument("--oversample", type=int, default=2, help="candidates per kept pair before the critic")
    p.add_argument("--lowercase-targets", choices=["drop", "keep"], default="drop",
                   help="drop: only cased targets; keep: also lower-cased targets from lower-cased inputs")
    p.add_argument("--dev-fraction", type=float, default=0.05)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--no-critic", action="store_true", help="skip the critic entirely")
    p.add_argument("--no-adequacy", action="store_true", help="critic without the embedding rule")
    defaults = CriticThresholds()
    for name in defaults.__dataclass_fields__:
        p.add_argument(f"--{name.replace('_', '-')}", type=type(getattr(defaults, name)),
                       default=getattr(defaults, name))
    p.add_argument("--facts-rule", action="store_true",
                   help="drop pairs whose target loses or changes a number, date, name or quote (models.facts), "
                        "or that the app's sentence checks refuse (a question answered, a contrast dropped, "
                        "a word turned into its opposite)")
    p.add_argument("--min-meaning", type=float, default=None,
                   help="drop pairs the meaning scorer gives less than this (needs its bundle: ./studio build)")
    p.add_argument("--max-missing-details", type=int, default=None,
                   help="drop pairs whose target leaves more than this many source content words without a "
                        "counterpart (models.details, the app's count; needs the phrase index: ./studio build)")
    p.add_argument("--controls", action="store_true",
                   help="tag every pair with control codes (task, length, change) for a controlled student")
    p.add_argument("--asset-pairs", type=int, default=0,
                   help="simplification pairs per ASSET sentence for the Simpler mode (0: none; implies --controls)")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--embed-cache", default=str(cache_root() / "embeddings" / "all-MiniLM-L6-v2-len128.npz"),
                   help="embedding cache file ('' disables it)")

    t = sub.add_parser("train", help="LoRA-train the student on a prepared run folder")
    t.add_argument("--run", "--run-dir", dest="run", required=True,
                   help="run folder (under torchrun write --run-dir: torchrun reads --run as its --run-path)")
    cfg = TrainConfig(run_dir="")
    t.add_argument("--base", default=cfg.base, help="smollm2-135m-instruct, a .gguf file or a HF folder")
    t.add_argument("--train-file", default="")
    t.add_argument("--dev-file", default="")
    for name in ("lora_r", "lora_alpha", "batch_size", "grad_accum", "epochs", "warmup_steps",
                 "max_tokens", "checkpoint_every", "keep_checkpoints", "dev_rows", "log_every", "seed"):
        t.add_argument(f"--{name.replace('_', '-')}", type=int, default=getattr(cfg, name))
    for name in ("lr", "lora_dropout", "weight_decay"):
        t.add_argument(f"--{name.replace('_', '-')}", type=float, default=getattr(cfg, name))
    t.add_argument("--max-steps", type=int, default=None)
    t.add_argument("--stop-at-step", type=int, default=None,
                   help="stop after this many steps while keeping the --max-steps LR schedule (ablations)")
    t.add_argument("--max-minutes", type=float, default=None, help="stop and save after this long")
    t.add_argument("--decay-by-time", action="store_true",
                   help="decay the LR by elapsed/max-minutes too (deadline runs on a shared CPU)")
    t.add_argument("--dev-every", type=int, default=None)
    t.add_argument("--threads", type=int, default=cfg.threads, help="torch threads (the maximum with --adaptive-threads)")
    t.add_argument("--adaptive-threads", action="store_true",
                   help="drop to fewer threads while other processes keep the CPUs busy")
    t.add_argument("--resume", default="auto", help="auto | none | a checkpoint folder")
    t.add_argument("--init-adapter", default="", help="start from this adapter folder")
    t.add_argument("--controlled", action="store_true",
                   help="the rows carry control codes: train on the controlled prompt format")
    t.add_argument("--device", choices=DEVICES, default=cfg.device,
                   help="auto: the CUDA GPU when torch sees one (under torchrun: GPU LOCAL_RANK), else the CPU")
    t.add_argument("--precision", choices=PRECISIONS, default=cfg.precision,
                   help="auto: bf16 autocast on GPUs that support it, else fp16 with loss scaling; fp32 on "
                        "the CPU (bf16/fp16 are CUDA only)")

    u = sub.add_parser("publish", help="copy a run's adapter into models/students/<name>/")
    u.add_argument("--run", required=True)
    u.add_argument("--name", required=True, help="student name, e.g. smollm2-135m-student-v1")
    u.add_argument("--dtype", default="float16", choices=["float16", "bfloat16", "float32"])
    u.add_argument("--students-dir", default=None, help="default: models/students")

    add_teach_arguments(sub.add_parser("teach", help="ask an OpenAI-compatible server for k paraphrases per "
                                                     "source sentence (append-only JSONL, resumable)"))
    return parser


def prepare(args: argparse.Namespace) -> dict[str, Any]:
    """Load -> split by group -> candidate pairs -> critic -> cap -> JSONL + prepare.json."""
    started = time.monotonic()
    run = Path(args.run)
    run.mkdir(parents=True, exist_ok=True)
    root = Path(args.data_root) if args.data_root else data_root()
    heldout = read_seed_list(args.heldout_file) if args.heldout_file else []
    load_report = LoadReport()
    groups = load_groups(root, args.sources, args.teachers, args.methods, heldout, load_report)
    train_keys, dev_keys = split_groups(groups, args.dev_fraction)

    thresholds = CriticThresholds(**{name: getattr(args, name) for name in CriticThresholds.__dataclass_fields__})
    adequacy = None
    if not args.no_critic and not args.no_adequacy:
        from .critic import minilm_adequacy
        from .embedder import SentenceEmbedder

        adequacy = minilm_adequacy(SentenceEmbedder(threads=args.threads, max_length=128,
                                                    cache_file=args.embed_cache or None))

    meaning = None
    if args.min_meaning is not None and not args.no_critic:
        from .critic import scorer_meaning

        meaning = scorer_meaning(threads=args.threads)
    missing = None
    if args.max_missing_details is not None and not args.no_critic:
        from models.details import DetailMatcher

        missing = DetailMatcher.required().missing
    controlled = args.controls or args.asset_pairs > 0

    def over(n: int | None) -> int | None:
        return None if n is None else n * max(1, args.oversample)

    splits: dict[str, Any] = {}
    finals: dict[str, list[Any]] = {}
    for name, keys, seed_n, para_n in (("train", train_keys, args.seed_pairs, args.para_pairs),
                                       ("dev", dev_keys, args.dev_seed_pairs, args.dev_para_pairs)):
        candidates = build_pairs(groups, keys, over(seed_n), over(para_n), args.lowercase_targets, args.seed)
        if args.no_critic:
            kept, report = candidates, CriticReport(total=len(candidates), kept=len(candidates))
        else:
            kept, report = filter_pairs(candidates, thresholds, adequacy, facts=args.facts_rule,
                                        meaning=meaning, min_meaning=args.min_meaning or 0.0,
                                        missing=missing, max_missing_details=args.max_missing_details or 0)
        finals[name] = cap_pairs(kept, seed_n, para_n)
        splits[name] = {"groups": len(keys), "candidates": count_pairs(candidates),
                        "critic": report.as_dict(), "pairs": count_pairs(finals[name])}
        log.info("%s: %d groups, %d candidates, %d after critic, %d written", name, len(keys),
                 len(candidates), len(kept), len(finals[name]))

    controls_report: dict[str, Any] | None = None
    if controlled:
        from .controls import change_cuts, code_counts, tag_pairs

        cuts = change_cuts(finals["train"])
        finals = {name: tag_pairs(pairs, cuts) for name, pairs in finals.items()}
        controls_report = {"change_cuts": cuts.as_dict()}
        if args.asset_pairs > 0:
            from .simplify_data import asset_pairs

            simple, asset_report = asset_pairs(root, per_sentence=args.asset_pairs)
            finals["train"] = finals["train"] + tag_pairs(simple, cuts, task="simplify")
            controls_report["asset"] = asset_report.as_dict()
        controls_report["codes"] = {name: code_counts(pairs) for name, pairs in finals.items()}
    for name, pairs in finals.items():
        write_jsonl(run / f"{name}.jsonl", pairs)

    leak = set(train_keys) & set(dev_keys)
    if leak:  # cannot happen with split_groups; checked because a leak silently flatters dev loss
        raise AssertionError(f"{len(leak)} seed groups on both sides of the split")
    summary = {
        "data_root": str(root),
        "sources": args.sources,
        "teachers": args.teachers,
        "methods": args.methods,
        "lowercase_targets": args.lowercase_targets,
        "heldout_seeds": len(heldout),
        "load": load_report.as_dict(),
        "groups": len(groups),
        "dev_fraction": args.dev_fraction,
        "caps": {"seed_pairs": args.seed_pairs, "para_pairs": args.para_pairs,
                 "oversample": args.oversample},
        "critic": None if args.no_critic else thresholds.as_dict() | ({"min_adequacy": None} if args.no_adequacy else {}) | {
            "facts": args.facts_rule, "min_meaning": args.min_meaning,
            "max_missing_details": args.max_missing_details},
        "controls": controls_report,
        "splits": splits,
        "seconds": round(time.monotonic() - started, 1),
    }
    (run / "prepare.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return summary


def run_train(args: argparse.Namespace) -> dict[str, Any]:
    config = TrainConfig(run_dir=args.run, **{
        name: getattr(args, name) for name in TrainConfig.__dataclass_fields__
        if name not in ("run_dir", "target_modules", "template") and hasattr(args, name)})
    if getattr(args, "controlled", False):
        from models.recipes import CONTROLLED_TEMPLATE

        config.template = CONTROLLED_TEMPLATE
    return train(config)


def _setup_logging(verbose: bool, run: str | None) -> None:
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if run:
        Path(run).mkdir(parents=True, exist_ok=True)
        handlers.append(logging.FileHandler(Path(run) / "distill.log", encoding="utf-8"))
    logging.basicConfig(level=logging.DEBUG if verbose else logging.INFO, handlers=handlers, force=True,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    _setup_logging(args.verbose, args.run if args.command != "publish" else None)
    if args.command == "prepare":
        summary = prepare(args)
        print(json.dumps({k: summary[k] for k in ("groups", "splits")}, indent=2))
    elif args.command == "publish":
        from .publish import STUDENTS_DIR, publish

        print(publish(args.run, args.name, args.dtype, args.students_dir or STUDENTS_DIR))
    elif args.command == "teach":
        return teach_main(args)
    else:
        try:
            summary = run_train(args)
        except ValueError as exc:  # no GPU for --device cuda, bf16 on a CPU, no rows, bad torchrun variables
            log.error("%s", exc)
            return 2
        if os.environ.get("RANK", "0") == "0":  # under torchrun the first process speaks for the run
            print(json.dumps({k: summary[k] for k in ("steps", "stop_reason", "final_train_loss", "dev_loss",
                                                       "tokens_seen", "elapsed_s")}, indent=2))
    return 0
