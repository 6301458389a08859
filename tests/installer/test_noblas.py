"""The OpenBLAS stand-in (installer/noblas.c): numpy's BLAS-backed operations give OpenBLAS's
answers, numpy.linalg stops with a message, and every symbol numpy imports is there."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from installer import noblas

PROBE = Path(__file__).with_name("noblas_probe.py")
NUMPY = Path(np.__file__).parent
OPENBLAS = sorted((NUMPY.parent / "numpy.libs").glob("libscipy_openblas*.so"))
IMPORTERS = [path for pattern in ("_core/_multiarray_umath*.so", "linalg/_umath_linalg*.so")
             for path in NUMPY.glob(pattern)]
pytestmark = pytest.mark.skipif(not (OPENBLAS and noblas.available()),
                                reason="needs Linux, numpy's OpenBLAS wheel, gcc, nm and readelf")


@pytest.fixture(scope="module")
def stub(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return noblas.build(tmp_path_factory.mktemp("noblas") / OPENBLAS[0].name, OPENBLAS[0].name)


def _run(stub: Path | None, *args: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != "LD_PRELOAD"}
    if stub is not None:
        env["LD_PRELOAD"] = str(stub)  # same SONAME: numpy binds to it instead of OpenBLAS
    return subprocess.run([sys.executable, *args], env=env, capture_output=True, text=True, check=False, timeout=300)


def test_stub_defines_every_symbol_numpy_imports(stub: Path) -> None:
    assert IMPORTERS and noblas.missing_symbols(stub, IMPORTERS) == set()
    assert stub.stat().st_size < 100_000


def test_blas_results_match_openblas(stub: Path, tmp_path: Path) -> None:
    reference, standin = tmp_path / "openblas.npz", tmp_path / "stub.npz"
    for library, target in ((None, reference), (stub, standin)):
        result = _run(library, str(PROBE), str(target))
        assert result.returncode == 0, result.stderr[-3000:]
    expected, got = np.load(reference), np.load(standin)
    assert expected.files == got.files and len(got.files) >= 80
    for key in expected.files:
        tolerance = 1e-4 if ("float32" in key or "complex64" in key) else 1e-10
        assert got[key].shape == expected[key].shape, key
        assert not np.isnan(got[key]).any(), key
        np.testing.assert_allclose(got[key], expected[key], rtol=tolerance, atol=tolerance, err_msg=key)


def test_the_stub_is_what_numpy_loaded(stub: Path) -> None:
    code = ("import numpy as np; a = np.ones((40, 40)); a @ a; "
            "print(sorted({l.split()[-1] for l in open('/proc/self/maps') if 'blas' in l or 'gfortran' in l}))")
    result = _run(stub, "-c", code)
    assert result.returncode == 0 and result.stdout.strip() == repr([str(stub)]), result.stdout + result.stderr


def test_linalg_stops_with_a_message(stub: Path) -> None:
    result = _run(stub, "-c", "import numpy as np; print(np.linalg.inv(np.eye(3)))")
    assert result.returncode != 0
    assert "numpy.linalg (dgesv) is not available" in result.stderr


def test_app_numpy_work_runs_on_the_stub(stub: Path) -> None:
    """The sampler's kind of work (numpy.random, softmax, sort, top-k) never needs BLAS."""
    code = ("import numpy as np; rng = np.random.default_rng(0); x = rng.standard_normal(49152).astype(np.float32); "
            "p = np.exp(x - x.max()); p /= p.sum(); k = np.argpartition(-p, 40)[:40]; "
            "print(int(rng.choice(k, p=p[k] / p[k].sum())) in set(k.tolist()))")
    result = _run(stub, "-c", code)
    assert result.returncode == 0 and result.stdout.strip() == "True", result.stderr
