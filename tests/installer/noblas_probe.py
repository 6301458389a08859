"""numpy's BLAS-backed operations on fixed inputs, saved to an .npz (argv[1]).

``test_noblas.py`` runs this once with numpy's OpenBLAS and once with ``LD_PRELOAD`` of the
stand-in from ``installer/noblas.c``, and compares the two files.
"""

from __future__ import annotations

import sys

import numpy as np


def cases() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(7)
    out: dict[str, np.ndarray] = {}
    for dtype in (np.float32, np.float64, np.complex64, np.complex128):
        def array(*shape: int, order: str = "C") -> np.ndarray:
            data = rng.standard_normal(shape)
            if np.issubdtype(dtype, np.complexfloating):
                data = data + 1j * rng.standard_normal(shape)
            return np.asarray(data, dtype=dtype, order=order)

        name = np.dtype(dtype).name
        a, b, big_a, big_b = array(5, 7), array(7, 3), array(65, 130), array(130, 33, order="F")
        x, y, long_x = array(7), array(5), array(301)
        results = {
            "mm": a @ b, "mm_big": big_a @ big_b, "mm_tt": b.T @ a.T, "mm_fortran": np.asfortranarray(a) @ b,
            "mm_strided": array(10, 7)[::2] @ array(7, 6)[:, ::2], "mm_batched": array(4, 5, 6) @ array(4, 6, 2),
            "mv": a @ x, "vm": y @ a, "mv_t": a.T @ y, "mv_strided": big_a[:, ::3] @ long_x[: big_a[:, ::3].shape[1]],
            "dot_vv": np.dot(long_x, long_x[::-1]), "dot_strided": np.dot(long_x[:300:3], long_x[1::3]),
            "vdot": np.vdot(long_x, long_x[::-1]), "inner": np.inner(a, a),
            "syrk": a @ a.T, "syrk_t": a.T @ a, "syrk_big": big_a @ big_a.T, "conj_mm": a.conj().T @ a,
            "empty_k": array(3, 0) @ array(0, 4), "scaled": np.dot(2 * a, b) - 0.5 * (a @ b),
        }
        nan_out = np.full((5, 3), np.nan, dtype=dtype)
        np.matmul(a, b, out=nan_out)  # beta = 0: the old contents (NaN) must not leak through
        results["into_nan"] = nan_out
        out.update({f"{name}_{key}": np.asarray(value) for key, value in results.items()})
    return out


if __name__ == "__main__":
    np.savez(sys.argv[1], **cases())
