"""LoRA training of the student, resumable: on a CPU, a CUDA GPU, or several processes.

Why it looks like this: a step takes seconds on a 2-core CPU and a run takes hours, so
the loop checkpoints often (adapter + optimizer + scheduler + data position), resumes
exactly where it stopped, stops cleanly on a step or time limit, and writes what it did
to ``training.json``. Output: ``<run>/adapter/`` (``adapter_model.safetensors`` +
``adapter_config.json``), the input of ``export``.

The same loop runs under ``torchrun`` (:mod:`distill.distributed`): ``batch_size`` stays the
global micro-batch and each rank takes every W-th row of it; each rank's loss is its summed
token loss divided by the target-token count of the *global* batch (known to every rank, as
all ranks build the same batches), times W because DDP averages gradients. So W processes
take the same steps as one, and a checkpoint (whose data position counts global batches)
resumes under any W. Rank 0 alone writes; ranks agree on stopping once per step.
"""

from __future__ import annotations

import json
import logging
import math
import random
import shutil
import signal
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from export.deps import require

from .dataset import IGNORE_INDEX, Example, bucket_batches, collate, encode_pairs, read_jsonl
from .distributed import Runtime, setup, shard
from .prompt_format import STUDENT_TEMPLATE

log = logging.getLogger(__name__)

LORA_TARGETS = ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")
STATE_FILE = "trainer_state.pt"


@dataclass
class TrainConfig:
    """Everything that defines a run (saved into ``training.json``)."""

    run_dir: str
    base: str = "smollm2-135m-instruct"
    train_file: str = ""          # default: <run_dir>/train.jsonl
    dev_file: str = ""            # default: <run_dir>/dev.jsonl when present
    lora_r: int = 16
    lora_alpha: int = 32
    lora_dropout: float = 0.05
    target_modules: tuple[str, ...] = LORA_TARGETS
    lr: float = 3e-4
    warmup_steps: int = 20
    weight_decay: float = 0.0
    batch_size: int = 8
    grad_accum: int = 1
    epochs: int = 1
    max_steps: int | None = None  # optimizer steps; also sets the LR decay horizon
    max_minutes: float | None = None  # stop (and save) after this much wall time (this process)
    stop_at_step: int | None = None  # stop early without changing the LR schedule (ablations)
    decay_by_time: bool = False   # LR decay also follows max_minutes: a deadline run ends decayed
    max_tokens: int = 128         # longer rows are dropped
    checkpoint_every: int = 50
    keep_checkpoints: int = 3
    dev_every: int | None = None  # dev loss every N steps (and always at the end)
    dev_rows: int = 256
    log_every: int = 10
    seed: int = 0
    threads: int | None = 2
    adaptive_threads: bool = False  # use fewer threads while other processes keep cores busy
    resume: str = "auto"          # "auto" (latest checkpoint in run_dir), "none", or a path
    init_adapter: str = ""        # start from this adapter dir (new optimizer)
    template: str = STUDENT_TEMPLATE
    device: str = "auto"          # auto (CUDA when visible, else CPU) | cpu | cuda
    precision: str = "auto"       # auto (bf16, else fp16, on CUDA; fp32 on CPU) | fp32 | bf16 | fp16

    @property
    def run(self) -> Path:
        return Path(self.run_dir)


@dataclass
class TrainState:
    """The position of a run: restored on resume."""

    step: int = 0                 # optimizer steps done
    micro: int = 0                # micro-batches consumed in the current epoch
    epoch: int = 0
    tokens_seen: int = 0          # non-padding tokens fed to the model
    target_tokens: int = 0        # tokens that carried loss
    elapsed_s: float = 0.0        # training wall time before this process
    losses: list[list[float]] = field(default_factory=list)  # [step, mean loss since last log]
    dev: list[list[float]] = field(default_factory=list)     # [step, dev loss]


def _set_seed(seed: int) -> None:
    import numpy as np
    import torch

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def lr_lambda(warmup: int, total: int,  # noqa: ANN201 - a closure for LambdaLR
              time_progress: Callable[[], float] | None = None):
    """Linear warm-up, then linear decay to 10% of the peak at ``total`` steps.

    With ``time_progress`` (0..1 of the time budget used) the decay follows whichever of
    steps or time runs out first: on a shared CPU the step rate is unknown in advance.
    """
    def factor(step: int) -> float:
        if warmup and step < warmup:
            return (step + 1) / warmup
        progress = (step - warmup) / (total - warmup) if total > warmup else 0.0
        if time_progress is not None:
            progress = max(progress, time_progress())
        return 1.0 - 0.9 * min(1.0, progress)
    return factor


def latest_checkpoint(run: Path) -> Path | None:
    ckpts = sorted((run / "checkpoints").glob("step-*"), key=lambda p: p.name)
    ckpts = [p for p in ckpts if (p / STATE_FILE).is_file()]
    return ckpts[-1] if ckpts else None


def _wrap_lora(model: Any, config: TrainConfig) -> Any:
    peft = require("peft")
    if config.init_adapter:
        log.info("starting from adapter %s", config.init_adapter)
        return peft.PeftModel.from_pretrained(model, config.init_adapter, is_trainable=True)
    lora = peft.LoraConfig(r=config.lora_r, lora_alpha=config.lora_alpha, lora_dropout=config.lora_dropout,
                           target_modules=list(config.target_modules), bias="none", task_type="CAUSAL_LM")
    return peft.get_peft_model(model, lora)


def save_adapter(model: Any, folder: Path) -> None:
    """Write the LoRA adapter, never asking the Hugging Face hub anything.

    peft's default (``save_embedding_layers="auto"``) looks up the base's ``config.json`` by
    ``base_model_name_or_path``; ours is an alias ("smollm2-135m-instruct"), not a folder, so
    peft asked huggingface.co at every checkpoint, and offline it retried for about 23 s each
    time (student v2's training lost ~10 of its 82 minutes so). The embeddings are never
    trained here, so there is nothing for that lookup to decide."""
    model.save_pretrained(folder, save_embedding_layers=False)


def _save_checkpoint(model: Any, optimizer: Any, scheduler: Any, state: TrainState, run: Path,
                     keep: int, extra: dict[str, Any] | None = None) -> Path:
    """Adapter + optimizer + scheduler + position, written atomically (tmp dir, rename)."""
    import torch

    target = run / "checkpoints" / f"step-{state.step:06d}"
    tmp = target.with_name(target.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    save_adapter(model, tmp)
    torch.save({"optimizer": optimizer.state_dict(), "scheduler": scheduler.state_dict(),
                "state": asdict(state), "torch_rng": torch.get_rng_state(),
                "python_rng": random.getstate(), **(extra or {})}, tmp / STATE_FILE)
    shutil.rmtree(target, ignore_errors=True)
    tmp.rename(target)
    for old in sorted((run / "checkpoints").glob("step-*"))[:-keep] if keep > 0 else []:
        if old.suffix != ".tmp":
            shutil.rmtree(old, ignore_errors=True)
    log.info("checkpoint %s", target)
    return target


def _restore(path: Path, model: Any, optimizer: Any, scheduler: Any, runtime: Runtime | None = None,
             scaler: Any = None, seed: int = 0) -> TrainState:
    """Load a checkpoint written by any number of processes (its data position is global).

    Each rank gets back its own RNG stream when the checkpoint came from as many processes;
    otherwise rank 0 takes the saved stream and the others a fresh one seeded from the step.
    """
    import torch
    from peft import set_peft_model_state_dict
    from safetensors.torch import load_file

    runtime = runtime or Runtime()
    set_peft_model_state_dict(model, load_file(str(path / "adapter_model.safetensors")))
    blob = torch.load(path / STATE_FILE, map_location="cpu", weights_only=False)
    optimizer.load_state_dict(blob["optimizer"])
    scheduler.load_state_dict(blob["scheduler"])
    state = TrainState(**blob["state"])
    ranks = blob.get("rank_rng") or []
    if len(ranks) == runtime.world:
        runtime.set_rng_state(ranks[runtime.rank])
    elif runtime.is_main:
        torch.set_rng_state(blob["torch_rng"])
    else:
        runtime.seed_rank(seed, state.step)
    random.setstate(blob["python_rng"])
    if scaler is not None and blob.get("grad_scaler"):
        scaler.load_state_dict(blob["grad_scaler"])
    log.info("resumed from %s (step %d, written by %d process(es))", path, state.step, blob.get("world_size", 1))
    return state


def _loss_tokens(example: Example) -> int:
    """Tokens that carry loss after the causal shift (the first position predicts nothing)."""
    return sum(1 for t in example.labels[1:] if t != IGNORE_INDEX)


def _token_loss_sum(logits: Any, labels: Any) -> Any:
    """Summed next-token cross-entropy over the target tokens, in fp32 whatever the autocast."""
    import torch

    shifted = labels[:, 1:]
    return torch.nn.functional.cross_entropy(
        logits[:, :-1].float().reshape(-1, logits.size(-1)), shifted.reshape(-1),
        ignore_index=IGNORE_INDEX, reduction="sum")


def _to(batch: dict[str, Any], device: str) -> dict[str, Any]:
    return {k: v.to(device, non_blocking=True) for k, v in batch.items()} if device != "cpu" else batch


def _dev_loss(model: Any, examples: list[Example], pad_id: int, batch_size: int,
              runtime: Runtime | None = None) -> float:
    """Mean target-token loss; with several processes each takes every W-th batch and the
    sums are added up, so the number is the same as one process's."""
    import torch

    runtime = runtime or Runtime()
    if not examples:
        return float("nan")
    model.eval()
    total, count = 0.0, 0
    order = sorted(range(len(examples)), key=lambda i: len(examples[i].input_ids))
    starts = shard(range(0, len(order), batch_size), runtime.rank, runtime.world)
    with torch.inference_mode(), runtime.autocast():
        for start in starts:
            batch = _to(collate([examples[i] for i in order[start:start + batch_size]], pad_id), runtime.device)
            logits = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).logits
            total += float(_token_loss_sum(logits, batch["labels"]))
            count += int((batch["labels"][:, 1:] != IGNORE_INDEX).sum())
    model.train()
    total, count = runtime.all_sum([total, count])
    return total / max(count, 1)


def train(config: TrainConfig) -> dict[str, Any]:
    """Run (or resume) training; returns the summary written to ``training.json``.

    One process, one GPU or several processes under torchrun (see :mod:`distill.distributed`):
    ``batch_size`` is the global micro-batch, every rank takes its slice of it, and the loss
    is the mean over the target tokens of the whole global batch, so W processes take the
    same steps as one. Only rank 0 writes (checkpoints, log, adapter, training.json).
    """
    require("torch")
    return _train(config, setup(config.device, config.precision))


def _train(config: TrainConfig, runtime: Runtime) -> dict[str, Any]:
    torch = require("torch")
    require("peft")
    from tqdm.auto import tqdm

    from .base_model import load_base

    run = config.run
    if runtime.is_main:
        run.mkdir(parents=True, exist_ok=True)
    if config.threads:
        torch.set_num_threads(config.threads)
    _set_seed(config.seed)

    if not runtime.is_main:
        runtime.barrier()  # rank 0 converts and caches the base once; the others then read the cache
    base = load_base(config.base)
    if runtime.is_main:
        runtime.barrier()
    tokenizer = base.tokenizer
    pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id

    train_file = Path(config.train_file or run / "train.jsonl")
    dev_file = Path(config.dev_file) if config.dev_file else run / "dev.jsonl"
    train_examples, too_long = encode_pairs(tokenizer, read_jsonl(train_file), config.max_tokens, config.template)
    dev_examples: list[Example] = []
    if dev_file.is_file():
        dev_pairs = read_jsonl(dev_file)
        random.Random(config.seed).shuffle(dev_pairs)
        dev_examples, _ = encode_pairs(tokenizer, dev_pairs[:config.dev_rows], config.max_tokens, config.template)
    if not train_examples:
        raise ValueError(f"no training rows in {train_file} fit in {config.max_tokens} tokens")
    log.info("%d training rows (%d dropped as longer than %d tokens), %d dev rows",
             len(train_examples), too_long, config.max_tokens, len(dev_examples))
    if config.batch_size < runtime.world:
        log.warning("batch size %d is smaller than %d processes: some ranks idle on every batch",
                    config.batch_size, runtime.world)

    lengths = [len(ex.input_ids) for ex in train_examples]
    micro_per_epoch = math.ceil(len(train_examples) / config.batch_size)
    steps_per_epoch = max(1, micro_per_epoch // config.grad_accum)
    total_steps = config.max_steps or steps_per_epoch * config.epochs

    model = _wrap_lora(base.model, config).to(runtime.device)
    model.train()
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(trainable, lr=config.lr, weight_decay=config.weight_decay)
    scaler = runtime.grad_scaler()
    # The time the LR decay follows: the ranks' mean elapsed time, agreed at every step, so
    # every rank applies the same LR (the same number in one process).
    clock = {"elapsed": 0.0}
    time_progress = None
    if config.decay_by_time and config.max_minutes:
        def time_progress() -> float:
            return clock["elapsed"] / (60 * config.max_minutes)
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lr_lambda(config.warmup_steps, total_steps, time_progress))

    state = TrainState()
    resume_from = None
    if config.resume == "auto":
        resume_from = latest_checkpoint(run)
    elif config.resume and config.resume != "none":
        resume_from = Path(config.resume)
    if resume_from is not None:
        state = _restore(resume_from, model, optimizer, scheduler, runtime, scaler, config.seed)
    else:
        runtime.seed_rank(config.seed)
    runtime.barrier()  # every rank has read the checkpoint before rank 0 may write the next
    net = runtime.wrap(model)

    n_trainable = sum(p.numel() for p in trainable)
    log.info("LoRA r=%d: %.2fM trainable parameters; %d steps planned (%d per epoch)",
             config.lora_r, n_trainable / 1e6, total_steps, steps_per_epoch)

    started = time.monotonic()
    start_step = state.step
    window: list[float] = []
    stop_reason = "done"
    governor = None
    if config.adaptive_threads and config.threads:
        from .cpu import ThreadGovernor

        governor = ThreadGovernor(config.threads)
        governor.suggest()  # first sample
    bar = tqdm(total=total_steps, initial=state.step, desc="train", unit="step", dynamic_ncols=True,
               disable=not runtime.is_main)
    last_ckpt = state.step
    # One process: a signal raises KeyboardInterrupt at once. Several: it only sets a flag,
    # and the ranks agree to stop at the end of the step (each is part of every collective).
    stop_flag: dict[str, Any] | None = {} if runtime.distributed else None
    previous_handlers = _stop_on_signals(stop_flag)

    def checkpoint() -> None:
        _checkpoint(model, optimizer, scheduler, state, started, config, runtime, scaler)

    try:
        while state.step < total_steps:
            batches = bucket_batches(lengths, config.batch_size, config.seed, state.epoch)
            if state.micro >= len(batches):
                state.epoch, state.micro = state.epoch + 1, 0
                continue
            optimizer.zero_grad(set_to_none=True)
            n_micro = min(config.grad_accum, len(batches) - state.micro)
            step_loss = torch.zeros((), device=runtime.device)
            for k in range(n_micro):
                global_batch = batches[state.micro]
                state.micro += 1
                examples = [train_examples[i] for i in global_batch]
                n_target = sum(_loss_tokens(ex) for ex in examples)  # the whole global batch
                state.tokens_seen += sum(len(ex.input_ids) for ex in examples)
                state.target_tokens += sum(ex.target_tokens for ex in examples)
                mine, weight = shard(examples, runtime.rank, runtime.world), 1.0
                if not mine:  # a batch smaller than the world: join the collective with no weight
                    mine, weight = examples[:1], 0.0
                batch = _to(collate(mine, pad_id), runtime.device)
                with runtime.no_sync(net, skip=k < n_micro - 1):
                    with runtime.autocast():
                        logits = net(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).logits
                    # This rank's share of the global-batch mean; DDP averages gradients over
                    # ranks, hence the factor world (1 in one process).
                    loss = _token_loss_sum(logits, batch["labels"]) * (weight / max(n_target, 1))
                    scaled = loss * (runtime.world / n_micro)
                    (scaler.scale(scaled) if scaler is not None else scaled).backward()
                step_loss += loss.detach() / n_micro
            if scaler is not None:
                scaler.unscale_(optimizer)
            torch.nn.utils.clip_grad_norm_(trainable, 1.0)
            if scaler is not None:
                scaler.step(optimizer)
                scaler.update()
            else:
                optimizer.step()
            # One collective per step: the global loss, any rank's stop wish, the mean clock.
            wish = 1.0 if stop_flag and stop_flag.get("signal") else 0.0
            total_loss, wishes, elapsed = runtime.all_sum([float(step_loss), wish, time.monotonic() - started])
            clock["elapsed"] = elapsed / runtime.world
            scheduler.step()
            state.step += 1
            window.append(total_loss)
            bar.update(1)
            bar.set_postfix(loss=f"{total_loss:.3f}", lr=f"{scheduler.get_last_lr()[0]:.2e}")
            if state.step % config.log_every == 0 or state.step == total_steps:
                mean = sum(window) / len(window)
                state.losses.append([state.step, round(mean, 4)])
                if runtime.is_main:
                    _append_log(run, {"step": state.step, "loss": round(mean, 4),
                                      "lr": scheduler.get_last_lr()[0], "tokens": state.tokens_seen,
                                      "elapsed_s": round(state.elapsed_s + clock["elapsed"], 1)})
                window = []
            if config.dev_every and state.step % config.dev_every == 0:
                state.dev.append([state.step, round(_dev_loss(model, dev_examples, pad_id, 16, runtime), 4)])
                log.info("step %d dev loss %.4f", state.step, state.dev[-1][1])
            if config.checkpoint_every and state.step % config.checkpoint_every == 0:
                checkpoint()
                last_ckpt = state.step
            if governor is not None and state.step % 5 == 0:
                threads = governor.suggest()
                if threads and threads != torch.get_num_threads():
                    log.info("step %d: %d torch threads (other processes keep CPUs busy)",
                             state.step, threads)
                    torch.set_num_threads(threads)
            if wishes > 0:
                stop_reason = "interrupted"
                log.warning("interrupted at step %d; saving a checkpoint and the adapter", state.step)
                break
            if config.stop_at_step and state.step >= config.stop_at_step:
                stop_reason = f"stop_at_step ({config.stop_at_step})"
                break
            if config.max_minutes and clock["elapsed"] / 60 >= config.max_minutes:
                stop_reason = f"max_minutes ({config.max_minutes})"
                break
    except KeyboardInterrupt:
        stop_reason = "interrupted"
        log.warning("interrupted at step %d; saving a checkpoint and the adapter", state.step)
    finally:
        bar.close()
        for sig, old in previous_handlers.items():
            signal.signal(sig, old)
    elapsed_now = time.monotonic() - started
    if state.step != last_ckpt:
        checkpoint()
    state.elapsed_s += elapsed_now
    if dev_examples and (not state.dev or state.dev[-1][0] != state.step):  # not twice at a dev_every step
        state.dev.append([state.step, round(_dev_loss(model, dev_examples, pad_id, 16, runtime), 4)])
    summary = _summary(config, state, base, len(train_examples), too_long, len(dev_examples),
                       n_trainable, total_steps, stop_reason, elapsed_now / max(1, state.step - start_step),
                       runtime)
    adapter_dir = run / "adapter"
    if runtime.is_main:
        save_adapter(model, adapter_dir)
        (run / "training.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
        log.info("adapter saved to %s (%s after %d steps)", adapter_dir, stop_reason, state.step)
    runtime.barrier()  # the other ranks return once the adapter and training.json exist
    return summary


def _stop_on_signals(flag: dict[str, Any] | None = None) -> dict[int, Any]:
    """SIGTERM/SIGINT raise KeyboardInterrupt, so ``kill PID`` of a background run saves first.

    With ``flag`` (several processes) they set ``flag["signal"]`` instead: the ranks then
    stop together at the end of the step.
    """
    def handler(signum: int, frame: Any) -> None:
        if flag is not None:
            flag["signal"] = signum
            return
        raise KeyboardInterrupt(f"signal {signum}")

    previous = {}
    for sig in (signal.SIGTERM, signal.SIGINT):
        try:
            previous[sig] = signal.signal(sig, handler)
        except ValueError:  # not the main thread: leave signals alone
            break
    return previous


def _checkpoint(model: Any, optimizer: Any, scheduler: Any, state: TrainState, started: float,
                config: TrainConfig, runtime: Runtime | None = None, scaler: Any = None) -> None:
    """Rank 0 writes (the optimizer state is the same on every rank); the others wait."""
    runtime = runtime or Runtime()
    rank_rng = runtime.all_gather(runtime.rng_state())  # every rank's dropout stream, for exact resume
    if runtime.is_main:
        # Checkpoints record the elapsed time including this process, without double counting.
        saved = state.elapsed_s
        state.elapsed_s = saved + time.monotonic() - started
        extra = {"rank_rng": rank_rng, "world_size": runtime.world}
        if scaler is not None:
            extra["grad_scaler"] = scaler.state_dict()
        _save_checkpoint(model, optimizer, scheduler, state, config.run, config.keep_checkpoints, extra)
        state.elapsed_s = saved
    runtime.barrier()


def _append_log(run: Path, record: dict[str, Any]) -> None:
    with open(run / "log.jsonl", "a", encoding="utf-8") as fh:
        fh.write(json.dumps(record) + "\n")


def _summary(config: TrainConfig, state: TrainState, base: Any, n_train: int, too_long: int,
             n_dev: int, n_trainable: int, total_steps: int, stop_reason: str,
             s_per_step: float, runtime: Runtime | None = None) -> dict[str, Any]:
    runtime = runtime or Runtime()
    prepare = config.run / "prepare.json"
    return {
        "steps": state.step,
        "planned_steps": total_steps,
        "stop_reason": stop_reason,
        "epochs_started": state.epoch + 1,
        "tokens_seen": state.tokens_seen,
        "target_tokens": state.target_tokens,
        "elapsed_s": round(state.elapsed_s, 1),
        "s_per_step_this_process": round(s_per_step, 3),
        "final_train_loss": state.losses[-1][1] if state.losses else None,
        "losses": state.losses,
        "dev_loss": state.dev,
        "data": {"train_rows": n_train, "dropped_too_long": too_long, "dev_rows": n_dev,
                 "prepare": json.loads(prepare.read_text()) if prepare.is_file() else None},
        "base": {"name": base.name, "sha256": base.sha256, "source": base.source},
        "trainable_parameters": n_trainable,
        "template": config.template,
        "config": {k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(config).items()},
        "torch_threads": config.threads,
        "device": runtime.device,
        "precision": runtime.precision,
        "processes": runtime.world,
    }
