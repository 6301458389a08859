"""Paraphrase Studio runtime: bundles, the ONNX decoding loop and candidate ranking.

Imports only numpy, onnxruntime and tokenizers, so the desktop app and the installer
never carry torch.
"""

from __future__ import annotations

from .cancel import CancelToken
from .catalog import DEFAULT_BUNDLE, bundles_dir, installed_bundles, resolve_bundle
from .errors import BundleError, InputError, ParaphraseStudioError
from .paraphraser import Candidate, Paraphraser, ParaphraseResult
from .text import Segment, split_sentences

__all__ = [
    "DEFAULT_BUNDLE", "BundleError", "CancelToken", "Candidate", "InputError", "Paraphraser",
    "ParaphraseResult", "ParaphraseStudioError", "Segment", "bundles_dir", "installed_bundles",
    "resolve_bundle", "split_sentences",
]
