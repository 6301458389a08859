"""A committed scorer's weights file: fp16 tensors, the encoder's matrices optionally as 8-bit rows.

Why 8-bit rows: the brief keeps a committed trained part at or under 20 MB, and a 6-layer
MiniLM cross-encoder is 22 MB in fp16 (a 4-layer one 14.9 MB). Each row of an encoder
layer's weight matrix (one output unit of a ``Linear``) is stored as int8 with one float32
scale, ``row ≈ int8 · scale``; LayerNorms, biases, embeddings and the head stay fp16. The
bundle quantizes those matrices to int8 per output channel again (``export/quantize``), so
the rows lose next to nothing more on the way. The file describes itself: a matrix ``W``
stored this way has a companion tensor ``W`` + :data:`SCALE_SUFFIX`, and readers call
:func:`dequantize_rows`, which leaves an fp16 file as it is.

numpy only, so the export (torch) and the training tools (torch) share one reader without
either importing the other.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

#: The name suffix of a row-quantized matrix's scales (one float32 per row).
SCALE_SUFFIX = "__row_scale"
#: Which tensors are stored as 8-bit rows: the encoder layers' weight matrices.
_ENCODER_LAYER = ".encoder.layer."


class ScorerWeightsError(ValueError):
    """A weights file whose 8-bit rows and scales do not match."""


def is_row_quantizable(name: str, array: np.ndarray) -> bool:
    """An encoder layer's 2-D weight matrix (attention and feed-forward projections)."""
    return array.ndim == 2 and _ENCODER_LAYER in name and name.endswith(".weight")


def quantize_rows(tensors: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The tensors to commit: encoder matrices as int8 rows plus scales, the rest as fp16."""
    out: dict[str, np.ndarray] = {}
    for name, array in tensors.items():
        values = np.asarray(array, dtype=np.float32)
        if not is_row_quantizable(name, values):
            out[name] = values.astype(np.float16)
            continue
        peak = np.abs(values).max(axis=1)
        scale = np.where(peak > 0, peak / 127.0, 1.0).astype(np.float32)
        out[name] = np.clip(np.rint(values / scale[:, None]), -127, 127).astype(np.int8)
        out[name + SCALE_SUFFIX] = scale
    return out


def dequantize_rows(tensors: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """float32 tensors by their model names, from a file written by :func:`quantize_rows` or
    a plain fp16 one (returned as float32)."""
    out: dict[str, np.ndarray] = {}
    for name, array in tensors.items():
        if name.endswith(SCALE_SUFFIX):
            if name[:-len(SCALE_SUFFIX)] not in tensors:
                raise ScorerWeightsError(f"{name} scales a tensor the file does not have")
            continue
        scale = tensors.get(name + SCALE_SUFFIX)
        if scale is None:
            if array.dtype == np.int8:
                raise ScorerWeightsError(f"{name} is stored in 8 bits without its {SCALE_SUFFIX} tensor")
            out[name] = np.asarray(array, dtype=np.float32)
            continue
        if array.dtype != np.int8 or array.ndim != 2 or scale.shape != (array.shape[0],):
            raise ScorerWeightsError(f"{name}: 8-bit rows {array.dtype}{tuple(array.shape)} do not match "
                                     f"their scales {tuple(scale.shape)}")
        out[name] = array.astype(np.float32) * np.asarray(scale, dtype=np.float32)[:, None]
    return out
