"""Where a training run executes: one CPU process, one CUDA GPU, or several processes.

Why it exists: ``python -m distill train`` must run unchanged on a laptop CPU, on a GPU and
under ``torchrun`` (DistributedDataParallel: gloo on CPUs, NCCL on GPUs). Everything that
depends on that choice lives here, so the training loop reads the same in every case:

* ranks from torchrun's environment (``RANK``, ``WORLD_SIZE``, ``LOCAL_RANK``); without
  them the run is one process and no process group is made; with them the group is joined
  once and left at exit;
* the device (``auto``: the GPU ``LOCAL_RANK`` when CUDA is visible, else the CPU) and the
  precision (``auto``: bf16 autocast where the GPU supports it, else fp16 autocast with a
  GradScaler; always fp32 on the CPU, where autocast costs more than it saves);
* :func:`shard`, which gives every rank its slice of each *global* batch, so a batch, a
  step and a checkpoint mean the same thing for any number of processes;
* collectives that are no-ops in one process (:meth:`Runtime.all_sum`, ``barrier``...).

torch is imported inside functions (``distill`` imports without it).
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

log = logging.getLogger(__name__)

DEVICES = ("auto", "cpu", "cuda")
PRECISIONS = ("auto", "fp32", "bf16", "fp16")

T = TypeVar("T")


def env_ranks(environ: Mapping[str, str] | None = None) -> tuple[int, int, int]:
    """(rank, world size, local rank) from torchrun's variables; (0, 1, 0) without them."""
    env = os.environ if environ is None else environ
    values = {}
    for name, default in (("RANK", 0), ("WORLD_SIZE", 1), ("LOCAL_RANK", 0)):
        raw = env.get(name, "").strip()
        try:
            values[name] = int(raw) if raw else default
        except ValueError:
            raise ValueError(f"{name}={raw!r} is not a whole number (torchrun sets it; unset it "
                             "to train in one process)") from None
    rank, world, local = values["RANK"], values["WORLD_SIZE"], values["LOCAL_RANK"]
    if world < 1 or not 0 <= rank < world or local < 0:
        raise ValueError(f"RANK={rank}, WORLD_SIZE={world}, LOCAL_RANK={local} do not describe a process "
                         "group (torchrun sets them; unset them to train in one process)")
    return rank, world, local


def choose_device(requested: str, local_rank: int = 0) -> str:
    """``cpu`` or ``cuda:<local rank>``; a clear error for a GPU that is not there."""
    import torch

    if requested not in DEVICES:
        raise ValueError(f"unknown device {requested!r}; choose one of {', '.join(DEVICES)}")
    if requested == "cpu" or (requested == "auto" and not torch.cuda.is_available()):
        return "cpu"
    if not torch.cuda.is_available():
        raise ValueError(f"--device cuda, but torch {torch.__version__} sees no CUDA GPU "
                         "(a CPU-only torch build, no driver, or CUDA_VISIBLE_DEVICES hides them)")
    count = torch.cuda.device_count()
    if local_rank >= count:
        raise ValueError(f"LOCAL_RANK {local_rank} has no GPU: {count} visible; start torchrun with "
                         f"--nproc-per-node {count} or fewer")
    return f"cuda:{local_rank}"


def choose_precision(requested: str, device: str) -> str:
    """``fp32``, ``bf16`` or ``fp16``: mixed precision only on CUDA, where it pays."""
    import torch

    if requested not in PRECISIONS:
        raise ValueError(f"unknown precision {requested!r}; choose one of {', '.join(PRECISIONS)}")
    on_cuda = device.startswith("cuda")
    if requested == "fp32" or (requested == "auto" and not on_cuda):
        return "fp32"
    if not on_cuda:
        raise ValueError(f"--precision {requested} is for CUDA GPUs; on the CPU training runs in fp32 "
                         "(use --precision auto or fp32)")
    bf16 = torch.cuda.is_bf16_supported()
    if requested == "auto":
        return "bf16" if bf16 else "fp16"
    if requested == "bf16" and not bf16:
        raise ValueError("--precision bf16: this GPU does not support bfloat16; use fp16 or auto")
    return requested


def shard(items: Sequence[T], rank: int, world: int) -> list[T]:
    """This rank's part of a global batch: every ``world``-th item from ``rank`` on.

    Strided rather than contiguous because a bucketed batch is sorted by length: each rank
    then gets a similar mix of lengths. Every item lands on exactly one rank; a batch
    smaller than ``world`` leaves some ranks empty (the caller handles that).
    """
    return list(items[rank::world])


@dataclass
class Runtime:
    """This process's place in the run; collectives degrade to no-ops in one process."""

    rank: int = 0
    world: int = 1
    local_rank: int = 0
    device: str = "cpu"
    precision: str = "fp32"

    @property
    def is_main(self) -> bool:
        return self.rank == 0

    @property
    def distributed(self) -> bool:
        return self.world > 1

    @property
    def on_cuda(self) -> bool:
        return self.device.startswith("cuda")

    @property
    def backend(self) -> str:
        return "nccl" if self.on_cuda else "gloo"

    def describe(self) -> str:
        where = self.device if not self.distributed else f"{self.world} processes ({self.backend}), {self.device}"
        return f"{where}, {self.precision}"

    # -- precision ---------------------------------------------------------------------------
    def autocast(self) -> contextlib.AbstractContextManager[Any]:
        """bf16/fp16 autocast on CUDA; nothing in fp32."""
        import torch

        if self.precision == "fp32":
            return contextlib.nullcontext()
        dtype = torch.bfloat16 if self.precision == "bf16" else torch.float16
        return torch.autocast(device_type="cuda", dtype=dtype)

    def grad_scaler(self) -> Any | None:
        """A GradScaler for fp16 (its small exponent range underflows gradients), else None."""
        import torch

        return torch.amp.GradScaler("cuda") if self.precision == "fp16" else None

    # -- model -------------------------------------------------------------------------------
    def wrap(self, model: Any) -> Any:
        """DistributedDataParallel around ``model`` when there are several processes."""
        if not self.distributed:
            return model
        from torch.nn.parallel import DistributedDataParallel

        return DistributedDataParallel(model, device_ids=[self.local_rank] if self.on_cuda else None)

    @staticmethod
    def no_sync(model: Any, skip: bool) -> contextlib.AbstractContextManager[Any]:
        """Skip DDP's gradient all-reduce on all but the last micro-batch of a step."""
        if skip and hasattr(model, "no_sync"):
            return model.no_sync()
        return contextlib.nullcontext()

    # -- collectives -------------------------------------------------------------------------
    def all_sum(self, values: Sequence[float]) -> list[float]:
        """Element-wise sum over ranks (float64); the values themselves in one process."""
        if not self.distributed:
            return [float(v) for v in values]
        import torch
        import torch.distributed as dist

        tensor = torch.tensor(list(values), dtype=torch.float64, device=self.device)
        dist.all_reduce(tensor, op=dist.ReduceOp.SUM)
        return tensor.tolist()

    def all_gather(self, obj: T) -> list[T]:
        """Every rank's ``obj`` (picklable), in rank order."""
        if not self.distributed:
            return [obj]
        import torch.distributed as dist

        gathered: list[Any] = [None] * self.world
        dist.all_gather_object(gathered, obj)
        return gathered

    def barrier(self) -> None:
        if not self.distributed:
            return
        import torch.distributed as dist

        if self.on_cuda:
            dist.barrier(device_ids=[self.local_rank])
        else:
            dist.barrier()

    # -- RNG ---------------------------------------------------------------------------------
    def rng_state(self) -> dict[str, Any]:
        import torch

        state = {"cpu": torch.get_rng_state()}
        if self.on_cuda:
            state["cuda"] = torch.cuda.get_rng_state(self.device)
        return state

    def set_rng_state(self, state: Mapping[str, Any]) -> None:
        import torch

        torch.set_rng_state(state["cpu"])
        if self.on_cuda and state.get("cuda") is not None:
            torch.cuda.set_rng_state(state["cuda"], self.device)

    def seed_rank(self, seed: int, step: int = 0) -> None:
        """Ranks after the first draw their own dropout masks (rank 0 keeps the 1-process stream)."""
        if self.rank:
            import torch

            torch.manual_seed(seed * 1_000_003 + step * 7919 + self.rank)


def setup(device: str = "auto", precision: str = "auto",
          environ: Mapping[str, str] | None = None) -> Runtime:
    """Read the ranks, pick device and precision, and join the process group if there is one."""
    import torch

    rank, world, local = env_ranks(environ)
    chosen = choose_device(device, local)
    runtime = Runtime(rank=rank, world=world, local_rank=local, device=chosen,
                      precision=choose_precision(precision, chosen))
    if runtime.on_cuda:
        torch.cuda.set_device(chosen)
    if world > 1:
        import torch.distributed as dist

        if not dist.is_initialized():
            env = os.environ if environ is None else environ
            if not env.get("MASTER_ADDR") or not env.get("MASTER_PORT"):
                raise ValueError(f"WORLD_SIZE={world} but MASTER_ADDR/MASTER_PORT are not set: start "
                                 "several processes with torchrun (see README)")
            dist.init_process_group(backend=runtime.backend)
            # Torn down at exit, not after each run: a second init in the same process reuses
            # the store keys of the first (torch resets its group counter) and can hang.
            atexit.register(_teardown)
        elif dist.get_world_size() != world:
            raise ValueError(f"the process group has {dist.get_world_size()} processes, WORLD_SIZE says {world}")
        if rank:
            quiet_logging()
    log.info("training on %s", runtime.describe())
    return runtime


def _teardown() -> None:
    import torch.distributed as dist

    if dist.is_initialized():
        dist.destroy_process_group()


def quiet_logging() -> None:
    """Other ranks log warnings to stderr only: one log file, written by rank 0."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if isinstance(handler, logging.FileHandler):
            root.removeHandler(handler)
            handler.close()
    root.setLevel(logging.WARNING)

