"""The real installer: build it once, then start the frozen app offline and check what is inside.

This is the CI run of the issue's acceptance test: the PyInstaller build (``installer.build``,
what ``make installer`` runs), the frozen ``--self-test`` under ``QT_QPA_PLATFORM=offscreen``
inside a network namespace with no network (``unshare -n``, skipped only where unavailable),
and the guarantee that no torch, transformers, optimum or peft file is inside.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("PyInstaller", reason="the installer extra is missing: pip install -e '.[installer]'")

from installer import APP_DIST_NAME  # noqa: E402
from installer.checks import check_dist, forbidden_in_folder, frozen_modules, is_forbidden_module  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.slow, pytest.mark.real_model]


def no_network_prefix() -> list[str]:
    """``unshare -n`` (a new, empty network namespace) where this machine allows it, else nothing."""
    unshare = shutil.which("unshare")
    if unshare and subprocess.run([unshare, "-n", "true"], capture_output=True, check=False).returncode == 0:
        return [unshare, "-n"]
    return []


@pytest.fixture(scope="module")
def build_report(default_bundle: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """One real build (about a minute on two cores), into a temporary dist folder."""
    dist = tmp_path_factory.mktemp("dist")
    work = tmp_path_factory.mktemp("pyinstaller-work")
    env = {key: value for key, value in os.environ.items() if key != "PARAPHRASE_STUDIO_BUNDLES"}
    result = subprocess.run([sys.executable, "-m", "installer.build", "--dist", str(dist), "--work", str(work)],
                            cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=900)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    reports = list(dist.glob(f"{APP_DIST_NAME}-*-build.json"))
    assert len(reports) == 1, result.stdout[-2000:]
    return json.loads(reports[0].read_text(encoding="utf-8"))


def test_frozen_self_test_passes_offline(build_report: dict[str, object], tmp_path: Path) -> None:
    from models.bundle import load_manifest
    from models.catalog import DEFAULT_BUNDLE, resolve_bundle

    executable = Path(str(build_report["executable"]))
    env = {key: value for key, value in os.environ.items()
           if key not in ("PARAPHRASE_STUDIO_BUNDLES", "PARAPHRASE_STUDIO_VERIFIED_FILES", "PARAPHRASE_STUDIO_CACHE")}
    env |= {"QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path), "PARAPHRASE_STUDIO_DATA": str(tmp_path / "data"),
            "XDG_CACHE_HOME": str(tmp_path / "cache")}
    model = Path(str(build_report["app_dir"])) / "_internal" / "bundles" / DEFAULT_BUNDLE / "model.onnx"
    time.sleep(max(0.0, 2.2 - (time.time() - model.stat().st_ctime)))  # older than the record's racy margin
    for start in ("first", "second"):  # the second start trusts the record the first one wrote
        result = subprocess.run([*no_network_prefix(), str(executable), "--self-test"], cwd=tmp_path, env=env,
                                capture_output=True, text=True, check=False, timeout=300)
        lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
        assert result.returncode == 0 and lines, \
            f"{start} start: rc={result.returncode}\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
        report = json.loads(lines[-1])
        assert report["ok"] is True, report
        assert report["model"] == load_manifest(resolve_bundle(None), verify=False).name
        assert report["candidates"] and all(candidate["text"].strip() for candidate in report["candidates"])
        assert report["window_ms"] > 0
        # No OpenSSL inside: Python's own sha256 checked the bundles, and the record says which files matched.
        record = json.loads((tmp_path / "cache" / "paraphrase-studio" / "verified-files.json").read_text())
        assert str(model.resolve()) in record["files"]


def test_nothing_from_the_training_stack_inside(build_report: dict[str, object]) -> None:
    app_dir = Path(str(build_report["app_dir"]))
    executable = Path(str(build_report["executable"]))
    assert forbidden_in_folder(app_dir) == []
    modules = frozen_modules(executable)
    assert "models.paraphraser" in modules and "desktop.app" in modules  # the archive really was read
    assert [name for name in modules if is_forbidden_module(name)] == []
    check_dist(app_dir, executable)


def test_app_carries_the_default_bundle_and_an_archive(build_report: dict[str, object]) -> None:
    from models.catalog import DEFAULT_BUNDLE

    app_dir = Path(str(build_report["app_dir"]))
    assert (app_dir / "_internal" / "bundles" / DEFAULT_BUNDLE / "manifest.json").is_file()
    archive = Path(str(build_report["archive"]))
    assert archive.is_file() and str(build_report["version"]) in archive.name
    sizes = build_report["sizes_bytes"]
    assert isinstance(sizes, dict) and sizes["model"] > 0 and sizes["total"] == sum(
        value for key, value in sizes.items() if key != "total")
    # Issue 15's budget, met since 2026-12-01 (249.1 MB): a wheel or model that outgrows it fails here,
    # not only in the build's warning.
    assert build_report["within_budget"] is True, f"{sizes['total'] / 1e6:.1f} MB unpacked: over the 250 MB budget"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PySide6 ships ICU on Linux only")
def test_frozen_icu_is_the_stub(build_report: dict[str, object]) -> None:
    """installer/icu_stub.c (default) instead of the wheel's 37.7 MB of ICU libraries."""
    lib_dir = Path(str(build_report["app_dir"])) / "_internal" / "PySide6" / "Qt" / "lib"
    libraries = list(lib_dir.glob("libicu*.so.*"))
    assert len(libraries) == 3 and sum(path.stat().st_size for path in libraries) < 100_000
    assert build_report["icu"] == "stub"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the OpenBLAS stand-in is Linux-only")
def test_frozen_numpy_carries_the_blas_stand_in(build_report: dict[str, object]) -> None:
    """installer/noblas.py's 40 kB library instead of OpenBLAS, and no Fortran runtime."""
    libs = Path(str(build_report["app_dir"])) / "_internal" / "numpy.libs"
    (library,) = libs.glob("libscipy_openblas*.so")
    assert library.stat().st_size < 100_000
    assert not list(libs.glob("libgfortran*")) and not list(libs.glob("libquadmath*"))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux folder layout")
def test_frozen_app_leaves_out_dbus_cjk_codecs_and_numpy_extras(build_report: dict[str, object]) -> None:
    """libdbus-1, X11, fontconfig… come from the system (installer/linkage.py); no CJK codecs, UTF-8 mode on."""
    from PyInstaller.archive.readers import CArchiveReader

    internal = Path(str(build_report["app_dir"])) / "_internal"
    names = {path.name for path in internal.rglob("*")}
    for prefix in ("libdbus-1", "libsystemd", "libgcrypt", "libgpg-error", "liblz4", "libcap", "libX11.", "libfontconfig",
                   "libfreetype", "libexpat", "libz.", "libgcc_s", "libstdc++", "libglib", "libzstd", "liblzma", "libbz2",
                   "libffi", "libssl", "_ssl", "libcrypto", "_hashlib", "_codecs_",
                   "_multibytecodec", "_multiarray_tests", "_pocketfft"):
        assert not [name for name in names if name.startswith(prefix)], prefix
    assert not (internal / "numpy" / "fft").exists()
    assert "X utf8_mode=1" in CArchiveReader(str(build_report["executable"])).options


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc symbol versions")
def test_frozen_app_needs_no_newer_system_than_its_baseline(build_report: dict[str, object]) -> None:
    """What the folder needs from glibc and the system's libstdc++ stays within linkage.SYSTEM_BASELINE."""
    from installer.linkage import SYSTEM_BASELINE, symbol_versions

    needs = symbol_versions(Path(str(build_report["app_dir"])))
    assert needs["GLIBC"] >= (2, 28)  # the scan really read the files
    for family, newest in needs.items():
        assert newest <= SYSTEM_BASELINE[family], (family, newest)
