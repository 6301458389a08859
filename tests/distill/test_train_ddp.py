"""Training across processes: 2 gloo ranks take the same steps as 1 process, and resume
from each other's checkpoints; plus the device/precision choice (no GPU needed)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("peft")

from distill import distributed  # noqa: E402
from distill.dataset import write_jsonl  # noqa: E402
from distill.distributed import Runtime, choose_device, choose_precision, env_ranks, shard  # noqa: E402
from distill.pairs import Pair  # noqa: E402
from distill.train import TrainConfig, _stop_on_signals, train  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
SENTENCES = [("the cat sat on the mat", "a cat was on the rug ."),
             ("the dog ran quickly", "a dog ran , and quickly ."),
             ("it was a big red house", "the house was big and red ."),
             ("the blue cat was happy", "a happy cat , blue and small ."),
             ("the old dog sat near the garden", "near the garden the old dog sat ."),
             ("when it was evening the cat ran", "the cat ran in the evening ."),
             ("a small dog was sad", "the little dog was sad ."),
             ("the red house was old", "the old house was red ."),
             ("it was morning and the cat sat", "the cat sat in the morning ."),
             ("the garden was big", "a big garden it was .")]
# 10 rows in global batches of 3: 3, 3, 3 and 1 rows, so rank 1 of 2 sits out one batch and
# the ranks' shares of a batch differ (2 + 1 rows): the loss must be weighted by tokens.
# grad_accum 2 over 4 micro-batches per epoch: 3 steps cross an epoch boundary.
SETTINGS = dict(batch_size=3, grad_accum=2, max_steps=3, warmup_steps=1, lora_r=4, lora_alpha=8,
                lora_dropout=0.0, log_every=1, checkpoint_every=1, keep_checkpoints=5, threads=1)
# A driver that runs the real CLI once per argument list inside one torchrun launch (two
# launches would double the start-up, most of this test's time); the second run reuses the
# process group the first one made.
DRIVER = """\
import json, sys
from distill.cli import main
for argv in json.loads(sys.argv[1]):
    assert main(argv) == 0, argv
"""


def make_run(folder: Path) -> Path:
    pairs = [Pair(s, t, f"g{i}", "seed", "gpt-3.5", "kinit_llm_vs_aug", "seed") for i, (s, t) in enumerate(SENTENCES)]
    folder.mkdir(parents=True)
    write_jsonl(folder / "train.jsonl", pairs)
    write_jsonl(folder / "dev.jsonl", pairs[:5])
    return folder


def cli_args(run: Path, base: Path) -> list[str]:
    args = ["train", "--run-dir", str(run), "--base", str(base), "--device", "cpu", "--precision", "auto"]
    for name, value in SETTINGS.items():
        args += [f"--{name.replace('_', '-')}", str(value)]
    return args


def torchrun(argvs: list[list[str]], tmp: Path) -> None:
    driver = tmp / "driver.py"
    driver.write_text(DRIVER, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("RANK", "WORLD_SIZE", "LOCAL_RANK")}
    env.update(OMP_NUM_THREADS="1", MKL_NUM_THREADS="1", PYTHONPATH=str(REPO), TOKENIZERS_PARALLELISM="false")
    cmd = ["nice", "-n", "10", sys.executable, "-m", "torch.distributed.run", "--standalone",
           "--nproc-per-node", "2", str(driver), json.dumps(argvs)]
    # Its own session, so a hung launch takes its workers down with it (not just torchrun).
    proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)
    try:
        _, err = proc.communicate(timeout=300)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        _, err = proc.communicate()
        pytest.fail(f"torchrun did not finish in 300 s: {err[-4000:]}")
    assert proc.returncode == 0, err[-4000:]


def adapter(folder: Path) -> dict:
    from safetensors.torch import load_file

    return load_file(str(folder / "adapter_model.safetensors"))


def assert_same_adapter(a: Path, b: Path) -> None:
    x, y = adapter(a), adapter(b)
    assert x.keys() == y.keys()
    for key in x:
        assert torch.allclose(x[key], y[key], rtol=1e-4, atol=1e-6), (key, float((x[key] - y[key]).abs().max()))
    assert any(float(t.abs().max()) > 1e-3 for t in x.values())  # it did train


def test_two_processes_take_the_same_steps_as_one_and_resume_each_other(
        tiny_checkpoint: Path, tmp_path: Path) -> None:
    one = make_run(tmp_path / "one")
    train(TrainConfig(run_dir=str(one), base=str(tiny_checkpoint), device="cpu", **SETTINGS))

    two = make_run(tmp_path / "two")
    resumed_two = make_run(tmp_path / "resumed-two")  # a 1-process checkpoint, resumed by 2
    shutil.copytree(one / "checkpoints" / "step-000001", resumed_two / "checkpoints" / "step-000001")
    torchrun([cli_args(two, tiny_checkpoint), cli_args(resumed_two, tiny_checkpoint)], tmp_path)

    a, b = (json.loads((run / "training.json").read_text()) for run in (one, two))
    assert b["processes"] == 2 and a["processes"] == 1 and b["device"] == "cpu" and b["precision"] == "fp32"
    assert [s for s, _ in b["losses"]] == [1, 2, 3]
    for (step_a, loss_a), (step_b, loss_b) in zip(a["losses"], b["losses"], strict=True):
        assert step_a == step_b and loss_b == pytest.approx(loss_a, rel=1e-4, abs=1.5e-4)  # 4-decimal rounding
    assert b["dev_loss"][-1][1] == pytest.approx(a["dev_loss"][-1][1], rel=1e-4, abs=1.5e-4)
    assert (a["tokens_seen"], a["target_tokens"]) == (b["tokens_seen"], b["target_tokens"])
    # Only rank 0 wrote: one log line per step, one set of checkpoints.
    assert len((two / "log.jsonl").read_text().splitlines()) == 3
    assert sorted(p.name for p in (two / "checkpoints").iterdir()) == ["step-000001", "step-000002", "step-000003"]
    for step in ("step-000001", "step-000002", "step-000003"):
        assert_same_adapter(one / "checkpoints" / step, two / "checkpoints" / step)
    assert_same_adapter(one / "adapter", two / "adapter")
    assert_same_adapter(one / "adapter", resumed_two / "adapter")

    resumed_one = make_run(tmp_path / "resumed-one")  # a 2-process checkpoint, resumed by 1
    shutil.copytree(two / "checkpoints" / "step-000002", resumed_one / "checkpoints" / "step-000002")
    summary = train(TrainConfig(run_dir=str(resumed_one), base=str(tiny_checkpoint), device="cpu", **SETTINGS))
    assert summary["steps"] == 3 and summary["tokens_seen"] == a["tokens_seen"]
    assert_same_adapter(one / "adapter", resumed_one / "adapter")


def test_shard_gives_every_row_to_exactly_one_rank() -> None:
    batch = list(range(7))
    parts = [shard(batch, rank, 3) for rank in range(3)]
    assert parts == [[0, 3, 6], [1, 4], [2, 5]]
    assert shard([9], 1, 2) == [] and shard(batch, 0, 1) == batch


def test_ranks_come_from_torchrun_variables() -> None:
    assert env_ranks({}) == (0, 1, 0)
    assert env_ranks({"RANK": "1", "WORLD_SIZE": "2", "LOCAL_RANK": "1"}) == (1, 2, 1)
    with pytest.raises(ValueError, match="not a whole number"):
        env_ranks({"WORLD_SIZE": "two"})
    with pytest.raises(ValueError, match="do not describe"):
        env_ranks({"RANK": "2", "WORLD_SIZE": "2"})
    with pytest.raises(ValueError, match="torchrun"):
        distributed.setup("cpu", "auto", {"RANK": "0", "WORLD_SIZE": "2"})  # no MASTER_ADDR


def fake_cuda(monkeypatch: pytest.MonkeyPatch, available: bool, count: int = 1, bf16: bool = True) -> None:
    monkeypatch.setattr(torch.cuda, "is_available", lambda: available)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: count if available else 0)
    monkeypatch.setattr(torch.cuda, "is_bf16_supported", lambda *a, **k: bf16)


def test_device_choice(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_cuda(monkeypatch, available=False)
    assert choose_device("auto") == choose_device("cpu") == "cpu"
    with pytest.raises(ValueError, match="sees no CUDA GPU"):
        choose_device("cuda")
    with pytest.raises(ValueError, match="unknown device"):
        choose_device("tpu")
    fake_cuda(monkeypatch, available=True, count=2)
    assert choose_device("auto", local_rank=1) == choose_device("cuda", local_rank=1) == "cuda:1"
    assert choose_device("cpu", local_rank=1) == "cpu"
    with pytest.raises(ValueError, match="nproc-per-node 2"):
        choose_device("auto", local_rank=2)


def test_precision_choice(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_cuda(monkeypatch, available=True, bf16=True)
    assert choose_precision("auto", "cuda:0") == "bf16"
    assert choose_precision("fp16", "cuda:0") == "fp16" and choose_precision("fp32", "cuda:0") == "fp32"
    assert choose_precision("auto", "cpu") == choose_precision("fp32", "cpu") == "fp32"
    for wanted in ("bf16", "fp16"):
        with pytest.raises(ValueError, match="CUDA GPUs"):
            choose_precision(wanted, "cpu")
    fake_cuda(monkeypatch, available=True, bf16=False)
    assert choose_precision("auto", "cuda:0") == "fp16"
    with pytest.raises(ValueError, match="does not support bfloat16"):
        choose_precision("bf16", "cuda:0")
    with pytest.raises(ValueError, match="unknown precision"):
        choose_precision("int8", "cpu")


@pytest.mark.filterwarnings("ignore:torch.cuda.amp.GradScaler is enabled")
def test_runtime_in_one_process_is_plain() -> None:
    runtime = Runtime()
    assert runtime.all_sum([1.5, 2]) == [1.5, 2.0] and runtime.all_gather("x") == ["x"]
    model = torch.nn.Linear(2, 2)
    assert runtime.wrap(model) is model and runtime.grad_scaler() is None
    assert isinstance(Runtime(device="cuda:0", precision="fp16").grad_scaler(), torch.amp.GradScaler)
    runtime.barrier()


def test_asking_for_a_missing_gpu_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake_cuda(monkeypatch, available=False)
    with pytest.raises(ValueError, match="sees no CUDA GPU"):
        train(TrainConfig(run_dir=str(tmp_path), device="cuda"))
    with pytest.raises(ValueError, match="CUDA GPUs"):
        train(TrainConfig(run_dir=str(tmp_path), precision="bf16"))


def test_several_processes_turn_a_signal_into_a_stop_wish() -> None:
    flag: dict = {}
    previous = _stop_on_signals(flag)
    try:
        os.kill(os.getpid(), signal.SIGTERM)
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
    assert flag["signal"] == signal.SIGTERM


def test_cli_passes_device_and_precision() -> None:
    from distill.cli import build_parser

    args = build_parser().parse_args(["train", "--run-dir", "r", "--device", "cuda", "--precision", "bf16"])
    assert (args.run, args.device, args.precision) == ("r", "cuda", "bf16")
    defaults = build_parser().parse_args(["train", "--run", "r"])
    assert (defaults.device, defaults.precision) == ("auto", "auto")
    with pytest.raises(SystemExit):
        build_parser().parse_args(["train", "--run", "r", "--precision", "fp8"])
