"""Paraphrase Studio runtime: bundles, the ONNX decoding loop and candidate ranking.

Imports only numpy, onnxruntime and tokenizers, so the desktop app and the installer
never carry torch.
"""

from __future__ import annotations

# First, before anything imports onnxruntime: it reads ORT_DISABLE_TELEMETRY once, as it loads.
from .offline import disable_onnxruntime_telemetry

disable_onnxruntime_telemetry()

from .cancel import CancelToken  # noqa: E402
from .catalog import DEFAULT_BUNDLE, bundles_dir, installed_bundles, resolve_bundle  # noqa: E402
from .errors import BundleError, InputError, ParaphraseStudioError  # noqa: E402
from .paraphraser import Candidate, Paraphraser, ParaphraseRequest, ParaphraseResult  # noqa: E402
from .pipeline import CandidatePipeline  # noqa: E402
from .text import Segment, split_sentences  # noqa: E402

__all__ = [
    "DEFAULT_BUNDLE", "BundleError", "CancelToken", "Candidate", "CandidatePipeline", "InputError", "Paraphraser",
    "ParaphraseRequest", "ParaphraseResult", "ParaphraseStudioError", "Segment", "bundles_dir", "installed_bundles",
    "resolve_bundle", "split_sentences",
]
