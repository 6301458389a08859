"""One small real benchmark run shared by the bench tests (our backend, one sentence)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(scope="session")
def bench_raw(default_bundle: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A --quick-like run: our loop plus llama.cpp pretended missing, 1 sentence, 1 repeat, 8 tokens."""
    import bench.backends as backends
    from bench.runner import BenchOptions, run_benchmark

    real = backends.find_module_spec
    backends.find_module_spec = lambda name: None if name == "llama_cpp" else real(name)
    try:
        options = BenchOptions(threads=2, repeat=1, new_tokens=8, backends=["ours-int8", "llamacpp-q8_0"],
                               bundles=[str(default_bundle)], max_sentences=1, cold_repeat=1,
                               noise_retries=0, command="pytest bench")
        return run_benchmark(options, progress=False)
    finally:
        backends.find_module_spec = real


@pytest.fixture(scope="session")
def bench_doc(bench_raw: dict[str, Any]) -> dict[str, Any]:
    from bench.report import build_document

    return build_document(bench_raw)
