"""Blockwise symmetric weight quantization in the layout of onnxruntime's ``MatMulNBits``.

Written in numpy rather than taken from ``MatMulNBitsQuantizer`` because the graph builder
(:mod:`export.llama_graph`) needs the quantized tensor itself: the 8-bit lm_head and the
embedding lookup (``GatherBlockQuantized``) share one initializer, and the base weights
arrive from a GGUF ``Q8_0`` table whose values this scheme reproduces exactly (same
block of 32 along the input dimension, scale = max |w| / 127).

Layout: a weight used as ``x @ W`` with ``W`` of shape [K, N] is stored transposed and
blocked, ``data`` [N, K / block, block * bits / 8] (uint8, values offset by 2^(bits-1),
the op's default zero point) and ``scales`` [N, K / block] (float32).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class BlockQuantized:
    data: np.ndarray
    scales: np.ndarray
    bits: int
    block_size: int

    @property
    def n(self) -> int:
        return int(self.data.shape[0])

    @property
    def k(self) -> int:
        return int(self.scales.shape[1]) * self.block_size

    def dequantize(self) -> np.ndarray:
        """Back to the [K, N] float matrix (for checks, never at run time)."""
        levels = _unpack(self.data, self.bits).astype(np.float32) - 2 ** (self.bits - 1)
        blocks = levels.reshape(self.n, -1, self.block_size) * self.scales[:, :, None]
        return blocks.reshape(self.n, self.k).T


def quantize_blockwise(weight_kn: np.ndarray, bits: int, block_size: int) -> BlockQuantized:
    """Round-to-nearest symmetric quantization of ``weight_kn`` [K, N], blocks along K."""
    if bits not in (4, 8):
        raise ValueError(f"bits must be 4 or 8, not {bits}")
    k, n = weight_kn.shape
    if k % block_size:
        raise ValueError(f"K={k} is not a multiple of the block size {block_size}")
    blocks = np.ascontiguousarray(weight_kn.T, dtype=np.float32).reshape(n, k // block_size, block_size)
    top = 2 ** (bits - 1) - 1
    amax = np.abs(blocks).max(axis=2)
    scales = np.where(amax > 0, amax / top, 1.0).astype(np.float32)
    levels = np.clip(np.rint(blocks / scales[:, :, None]), -top, top).astype(np.int16) + 2 ** (bits - 1)
    return BlockQuantized(_pack(levels.astype(np.uint8), bits), scales, bits, block_size)


def _pack(levels: np.ndarray, bits: int) -> np.ndarray:
    if bits == 8:
        return levels
    low, high = levels[..., 0::2], levels[..., 1::2]
    return (low | (high << 4)).astype(np.uint8)


def _unpack(data: np.ndarray, bits: int) -> np.ndarray:
    if bits == 8:
        return data
    out = np.empty(data.shape[:-1] + (data.shape[-1] * 2,), dtype=np.uint8)
    out[..., 0::2] = data & 0x0F
    out[..., 1::2] = data >> 4
    return out


class NotOnGridError(ValueError):
    """The weight is not a dequantized 4-bit (GGUF Q4_1-style) tensor."""


@dataclass(frozen=True)
class AffineGrid4:
    """A weight that is exactly ``d * q + m`` per block of 32 along K (q in 0..15).

    That is what a GGUF ``Q4_1`` tensor dequantizes to, and SmolLM2's packaged base
    weights are ``Q4_1``. Stored as ``MatMulNBits`` 4-bit with its default zero point 8,
    the product is ``d * (q - 8)``; the remaining ``m + 8 d`` per block is a constant
    the graph adds back (:mod:`export.llama_graph`), so nothing is rounded.
    """

    levels: BlockQuantized  # 4-bit, scale d, data = q (the op subtracts 8)
    minimums: np.ndarray    # m [N, K / 32], float16-exact

    @property
    def offsets(self) -> np.ndarray:
        """``m + 8 d`` [N, blocks]: what each block adds per unit of its inputs' sum."""
        return self.minimums + 8.0 * self.levels.scales


def affine_grid4(weight_kn: np.ndarray, block_size: int = 32) -> AffineGrid4:
    """Recover ``q``, ``d``, ``m`` from a dequantized Q4_1 weight [K, N]; raise if it is not one.

    In each block the smallest value is ``m`` (q = 0) and the largest ``m + 15 d``
    (q = 15), both float16 in the file. The result is checked element by element.
    """
    k, n = weight_kn.shape
    if k % block_size:
        raise NotOnGridError(f"K={k} is not a multiple of {block_size}")
    blocks = np.ascontiguousarray(weight_kn.T, dtype=np.float32).reshape(n, k // block_size, block_size)
    low, high = blocks.min(axis=2), blocks.max(axis=2)
    d = ((high - low) / 15.0).astype(np.float16).astype(np.float32)
    m = low.astype(np.float16).astype(np.float32)
    safe = np.where(d > 0, d, 1.0)
    q = np.rint((blocks - m[:, :, None]) / safe[:, :, None])
    rebuilt = q * d[:, :, None] + m[:, :, None]
    tolerance = 1e-6 * (np.abs(m) + 15.0 * d)[:, :, None] + 1e-30
    if q.min() < 0 or q.max() > 15 or not np.all(np.abs(rebuilt - blocks) <= tolerance):
        worst = float(np.abs(rebuilt - blocks).max())
        raise NotOnGridError(f"not a 4-bit affine grid (largest mismatch {worst:.3g})")
    levels = BlockQuantized(_pack(q.astype(np.uint8), 4), d, 4, block_size)
    return AffineGrid4(levels, m)
