"""A few LoRA steps on the tiny Llama: a loadable adapter, exact resume, the CLI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

pytest.importorskip("torch")
pytest.importorskip("peft")

from distill.dataset import write_jsonl  # noqa: E402
from distill.pairs import Pair  # noqa: E402
from distill.train import TrainConfig, train  # noqa: E402

SENTENCES = [("the cat sat on the mat", "a cat was on the rug ."),
             ("the dog ran quickly", "a dog ran , and quickly ."),
             ("it was a big red house", "the house was big and red ."),
             ("the blue cat was happy", "a happy cat , blue and small ."),
             ("the old dog sat near the garden", "near the garden the old dog sat ."),
             ("when it was evening the cat ran", "the cat ran in the evening .")]


def make_run(folder: Path) -> Path:
    pairs = [Pair(s, t, f"g{i}", "seed", "gpt-3.5", "kinit_llm_vs_aug", "seed")
             for i, (s, t) in enumerate(SENTENCES * 2)]
    folder.mkdir(parents=True)
    write_jsonl(folder / "train.jsonl", pairs)
    write_jsonl(folder / "dev.jsonl", pairs[:3])
    return folder


def config(run: Path, base: Path, **overrides) -> TrainConfig:  # noqa: ANN003
    values = dict(run_dir=str(run), base=str(base), batch_size=4, max_steps=2, checkpoint_every=1,
                  warmup_steps=1, threads=1, lora_r=4, lora_alpha=8, log_every=1, keep_checkpoints=5)
    values.update(overrides)
    return TrainConfig(**values)


def adapter_tensors(folder: Path) -> dict:
    from safetensors.torch import load_file

    return load_file(str(folder / "adapter_model.safetensors"))


def test_two_steps_make_a_loadable_adapter(tiny_checkpoint: Path, tmp_path: Path) -> None:
    import torch
    from peft import PeftModel
    from transformers import AutoModelForCausalLM

    run = make_run(tmp_path / "run")
    summary = train(config(run, tiny_checkpoint))
    adapter = run / "adapter"
    assert (adapter / "adapter_model.safetensors").is_file() and (adapter / "adapter_config.json").is_file()
    info = json.loads((run / "training.json").read_text())
    assert info["steps"] == summary["steps"] == 2
    assert info["tokens_seen"] > info["target_tokens"] > 0
    assert info["data"]["train_rows"] == 12 and info["dev_loss"]
    assert set(json.loads((adapter / "adapter_config.json").read_text())["target_modules"]) >= {"q_proj", "down_proj"}

    base = AutoModelForCausalLM.from_pretrained(tiny_checkpoint)
    ids = torch.tensor([[4, 6, 7, 3, 5]])
    before = base(ids).logits
    tuned = PeftModel.from_pretrained(base, adapter).merge_and_unload()
    assert not torch.allclose(before, tuned(ids).logits)
    assert sorted(p.name for p in (run / "checkpoints").iterdir()) == ["step-000001", "step-000002"]


def test_resume_from_checkpoint_replays_exactly(tiny_checkpoint: Path, tmp_path: Path) -> None:
    import torch

    full = make_run(tmp_path / "full")
    train(config(full, tiny_checkpoint, max_steps=4, checkpoint_every=2))

    resumed = make_run(tmp_path / "resumed")
    shutil.copytree(full / "checkpoints" / "step-000002", resumed / "checkpoints" / "step-000002")
    summary = train(config(resumed, tiny_checkpoint, max_steps=4, checkpoint_every=2))
    assert summary["steps"] == 4
    a, b = adapter_tensors(full / "adapter"), adapter_tensors(resumed / "adapter")
    assert a.keys() == b.keys()
    assert all(torch.allclose(a[k], b[k]) for k in a)


def test_stop_at_step_matches_the_longer_run_at_that_step(tiny_checkpoint: Path, tmp_path: Path) -> None:
    """The ablation contract: stopping early keeps the long run's LR schedule exactly."""
    import torch

    full = make_run(tmp_path / "full")
    train(config(full, tiny_checkpoint, max_steps=4, checkpoint_every=2))
    early = make_run(tmp_path / "early")
    summary = train(config(early, tiny_checkpoint, max_steps=4, stop_at_step=2, checkpoint_every=2))
    assert summary["steps"] == 2 and summary["planned_steps"] == 4
    assert summary["stop_reason"].startswith("stop_at_step")
    a = adapter_tensors(full / "checkpoints" / "step-000002")
    b = adapter_tensors(early / "adapter")
    assert all(torch.allclose(a[k], b[k]) for k in a)


def test_cli_prepare_then_train_from_an_adapter(teacher_root: Path, tiny_checkpoint: Path,
                                                tmp_path: Path) -> None:
    from distill.cli import main

    run = tmp_path / "run"
    assert main(["prepare", "--run", str(run), "--data-root", str(teacher_root), "--no-adequacy",
                 "--dev-fraction", "0.3"]) == 0
    prep = json.loads((run / "prepare.json").read_text())
    assert prep["splits"]["train"]["pairs"]["pairs"] > 0
    train_groups = {json.loads(line)["group"] for line in (run / "train.jsonl").open()}
    dev_groups = {json.loads(line)["group"] for line in (run / "dev.jsonl").open()}
    assert train_groups and not train_groups & dev_groups

    first = make_run(tmp_path / "first")
    train(config(first, tiny_checkpoint, max_steps=1))
    assert main(["train", "--run", str(run), "--base", str(tiny_checkpoint), "--max-steps", "1",
                 "--batch-size", "2", "--threads", "1", "--init-adapter", str(first / "adapter"),
                 "--lora-r", "4"]) == 0
    info = json.loads((run / "training.json").read_text())
    assert info["steps"] == 1 and info["data"]["prepare"]["groups"] == prep["groups"]
    assert info["config"]["init_adapter"] == str(first / "adapter")


def test_lr_schedule_warms_up_and_decays_by_steps_or_time() -> None:
    from distill.train import lr_lambda

    f = lr_lambda(warmup=10, total=110)
    assert f(0) == pytest.approx(0.1) and f(9) == pytest.approx(1.0)
    assert f(60) == pytest.approx(0.55) and f(110) == pytest.approx(0.1) and f(500) == pytest.approx(0.1)
    timed = lr_lambda(warmup=10, total=10_000, time_progress=lambda: 1.0)
    assert timed(5) == pytest.approx(0.6) and timed(20) == pytest.approx(0.1)


def test_publish_writes_a_small_portable_student(tiny_checkpoint: Path, tmp_path: Path) -> None:
    import torch
    from peft import PeftModel
    from transformers import AutoModelForCausalLM

    from distill.cli import main

    run = make_run(tmp_path / "run")
    train(config(run, tiny_checkpoint, max_steps=1))
    assert main(["publish", "--run", str(run), "--name", "tiny-student",
                 "--students-dir", str(tmp_path / "students")]) == 0
    student = tmp_path / "students" / "tiny-student"
    assert sorted(p.name for p in student.iterdir()) == ["adapter_config.json", "adapter_model.safetensors",
                                                        "training.json"]
    assert json.loads((student / "adapter_config.json").read_text())["base_model_name_or_path"] == \
        "smollm2-135m-instruct"
    assert all(t.dtype == torch.float16 for t in adapter_tensors(student).values())
    base = AutoModelForCausalLM.from_pretrained(tiny_checkpoint)
    ids = torch.tensor([[4, 6, 7, 3, 5]])
    full = PeftModel.from_pretrained(AutoModelForCausalLM.from_pretrained(tiny_checkpoint), run / "adapter")
    half = PeftModel.from_pretrained(base, student)
    assert torch.allclose(full(ids).logits, half(ids).logits, atol=1e-3)


def test_saving_an_adapter_never_asks_the_hub(tiny_checkpoint: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """The real base is named by an alias, not a folder: peft's default looked it up on
    huggingface.co at every checkpoint. With the offline switch off, the save still resolves
    no host name."""
    import socket

    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM

    from distill.train import save_adapter

    model = get_peft_model(AutoModelForCausalLM.from_pretrained(tiny_checkpoint),
                           LoraConfig(r=4, lora_alpha=8, target_modules=["q_proj"]))
    model.peft_config["default"].base_model_name_or_path = "smollm2-135m-instruct"
    for name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"):
        monkeypatch.delenv(name, raising=False)
    looked_up = []

    def no_lookup(host, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        looked_up.append(host)
        raise socket.gaierror(socket.EAI_NONAME, "no network in this test")

    monkeypatch.setattr(socket, "getaddrinfo", no_lookup)
    save_adapter(model, tmp_path / "adapter")
    assert looked_up == []
    assert (tmp_path / "adapter" / "adapter_model.safetensors").is_file()


def test_distill_and_export_switch_the_hub_off() -> None:
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "TRANSFORMERS_"))}
    env["HF_HUB_OFFLINE"] = "0"
    for package in ("distill", "export"):
        out = subprocess.run([sys.executable, "-c", f"import os, {package}; "
                              "print(os.environ['HF_HUB_OFFLINE'], os.environ['TRANSFORMERS_OFFLINE'])"],
                             env=env, capture_output=True, text=True, check=True, cwd=Path(__file__).parents[2])
        assert out.stdout.split() == ["1", "1"], package
