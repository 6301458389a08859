"""Build the installer: PyInstaller on ``build.spec``, then check, sign, measure and archive.

``make installer`` runs this after ``./studio build``; ``python -m installer.build`` is the
same without the set-up. The result is ``dist/ParaphraseStudio/`` (the one-folder app, the
default model inside), ``dist/ParaphraseStudio-<version>-<os>-<arch>.tar.gz`` (``.zip`` on
Windows and macOS) and ``dist/ParaphraseStudio-<version>-build.json`` (timings and the size
breakdown the README quotes). Any torch, transformers, optimum or peft inside fails the
build (exit code 3), as does a missing model bundle (exit code 4: the paraphrase bundle, the
meaning scorer's once that scorer is committed, or the committed phrase index).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path

from . import APP_DIST_NAME
from .checks import ForbiddenContentError, check_dist
from .sizes import BUDGET_BYTES, measure
from .version import project_version

log = logging.getLogger("installer.build")

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "build.spec"
#: Windows signing (signtool), read after the build; macOS signing is in build.spec.
SIGN_ENV = ("PARAPHRASE_STUDIO_SIGN_CERT", "PARAPHRASE_STUDIO_SIGN_PASSWORD", "PARAPHRASE_STUDIO_TIMESTAMP_URL",
            "PARAPHRASE_STUDIO_SIGNTOOL")
DEFAULT_TIMESTAMP_URL = "http://timestamp.digicert.com"


def executable_path(app_dir: Path) -> Path:
    return app_dir / (f"{APP_DIST_NAME}.exe" if os.name == "nt" else APP_DIST_NAME)


def platform_tag() -> str:
    """``linux-x86_64``, ``windows-amd64``, ``macos-arm64``: what the archive name says it runs on."""
    system = {"darwin": "macos", "win32": "windows"}.get(sys.platform, sys.platform.rstrip("0123456789"))
    return f"{system}-{platform.machine().lower()}"


def run_pyinstaller(dist: Path, work: Path) -> None:
    """PyInstaller in a child process, so the spec sees a fresh interpreter (and its errors stop us)."""
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--distpath", str(dist), "--workpath", str(work), str(SPEC)]
    log.info("running %s", " ".join(command))
    result = subprocess.run(command, cwd=ROOT, check=False)
    if result.returncode != 0:
        raise SystemExit(f"PyInstaller failed (exit code {result.returncode}); its output is above")


def check_icu(app_dir: Path) -> str:
    """Which ICU the folder carries (``installer/icu_data.py``): "stub", "filtered", "full" or "none".

    The stub has nothing to probe (build.spec checked that it defines every ICU function Qt
    imports); filtered or full data must still answer collation, case mapping, code pages and
    zone names, or the build fails.
    """
    from . import icu_data  # noqa: PLC0415

    lib_dir = app_dir / "_internal" / "PySide6" / "Qt" / "lib"
    data = sorted(lib_dir.glob("libicudata.so.*"))
    if not sys.platform.startswith("linux") or not data:
        return "none"
    if data[0].stat().st_size < 100_000:
        return "stub"
    try:
        icu_data.check_folder(lib_dir)
    except RuntimeError as exc:
        raise SystemExit(f"INSTALLER BUILD FAILED: {exc}") from exc
    log.info("ICU in %s answers collation, case mapping, code pages and zone names", lib_dir)
    return "filtered" if data[0].stat().st_size < 10_000_000 else "full"


def sign_windows(app_dir: Path) -> bool:
    """signtool on the .exe when ``PARAPHRASE_STUDIO_SIGN_CERT`` (a .pfx) is set; False when not asked."""
    certificate = os.environ.get("PARAPHRASE_STUDIO_SIGN_CERT")
    if os.name != "nt" or not certificate:
        return False
    command = [os.environ.get("PARAPHRASE_STUDIO_SIGNTOOL", "signtool"), "sign", "/f", certificate, "/fd", "sha256",
               "/tr", os.environ.get("PARAPHRASE_STUDIO_TIMESTAMP_URL", DEFAULT_TIMESTAMP_URL), "/td", "sha256"]
    password = os.environ.get("PARAPHRASE_STUDIO_SIGN_PASSWORD")
    if password:
        command += ["/p", password]
    subprocess.run([*command, str(executable_path(app_dir))], check=True)
    log.info("signed %s", executable_path(app_dir))
    return True


#: gzip level: the 8/4-bit model barely compresses (level 1 is even smaller than 6 on model.onnx,
#: 146.3 vs 148.5 MB); the whole archive is 230 MB at 1 vs 225 MB at 6, in about half the time.
COMPRESS_LEVEL = 1


def write_archive(app_dir: Path, archive_base: Path) -> Path:
    """tar.gz on Linux (keeps the executable bit and symlinks), zip elsewhere (what users can open)."""
    if sys.platform.startswith("linux"):
        target = archive_base.with_name(archive_base.name + ".tar.gz")
        with tarfile.open(target, "w:gz", compresslevel=COMPRESS_LEVEL) as archive:
            archive.add(app_dir, arcname=app_dir.name)
        return target
    target = archive_base.with_name(archive_base.name + ".zip")
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL) as archive:
        for path in sorted(app_dir.rglob("*")):
            archive.write(path, Path(app_dir.name) / path.relative_to(app_dir))
    return target


def build(dist: Path, work: Path, *, archive: bool = True) -> dict[str, object]:
    """The whole build; returns the report that is also written next to the archive."""
    version = project_version(ROOT)
    app_dir = dist / APP_DIST_NAME
    started = time.perf_counter()
    if app_dir.exists():
        shutil.rmtree(app_dir)
    run_pyinstaller(dist, work)
    pyinstaller_s = time.perf_counter() - started
    check_dist(app_dir, executable_path(app_dir))
    icu = check_icu(app_dir)
    signed = sign_windows(app_dir)
    sizes = measure(app_dir)
    report: dict[str, object] = {
        "version": version,
        "app_dir": str(app_dir),
        "executable": str(executable_path(app_dir)),
        "pyinstaller_s": round(pyinstaller_s, 1),
        "sizes_bytes": sizes.by_category | {"total": sizes.total},
        "budget_bytes": BUDGET_BYTES,
        "within_budget": sizes.within_budget(),
        "largest_files": sizes.largest,
        "icu": icu,
        "signed": signed or bool(os.environ.get("PARAPHRASE_STUDIO_CODESIGN_IDENTITY")),
    }
    print(f"\n{app_dir} ({version}), PyInstaller {pyinstaller_s:.0f} s\n\n{sizes.table()}\n", flush=True)
    if not sizes.within_budget():
        log.warning("unpacked size %.1f MB is over the %.0f MB budget (see the README's Installer section)",
                    sizes.total / 1e6, BUDGET_BYTES / 1e6)
    if archive:
        archive_started = time.perf_counter()
        target = write_archive(app_dir, dist / f"{APP_DIST_NAME}-{version}-{platform_tag()}")
        report |= {"archive": str(target), "archive_bytes": target.stat().st_size,
                   "archive_s": round(time.perf_counter() - archive_started, 1)}
        print(f"archive: {target} ({target.stat().st_size / 1e6:.1f} MB)", flush=True)
    report["total_s"] = round(time.perf_counter() - started, 1)
    (dist / f"{APP_DIST_NAME}-{version}-build.json").write_text(json.dumps(report, indent=2) + "\n",
                                                                 encoding="utf-8")
    print(f"built in {report['total_s']:.0f} s", flush=True)
    return report


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m installer.build", description=__doc__.split("\n\n")[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="output folder (default: dist/)")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "installer",
                        help="PyInstaller's work folder (default: build/installer/)")
    parser.add_argument("--no-archive", action="store_true", help="stop after the folder and its checks")
    parser.add_argument("--check", type=Path, metavar="APP_DIR",
                        help="only run the forbidden-package check on an existing app folder")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        if args.check is not None:
            check_dist(args.check, executable_path(args.check))
            print(f"{args.check}: no torch, transformers, optimum or peft inside")
            return 0
        from models.catalog import MANIFEST_NAME, resolve_bundle  # noqa: PLC0415 - keeps --help free of the runtime

        if not (resolve_bundle(None) / MANIFEST_NAME).is_file():
            print(f"the default model bundle is missing ({resolve_bundle(None)}): run ./studio build first",
                  file=sys.stderr)
            return 4
        from models.scorer_recipes import DEFAULT_SCORER, get_scorer, resolve_scorer_bundle  # noqa: PLC0415

        if get_scorer(DEFAULT_SCORER).committed and not (resolve_scorer_bundle(None) / MANIFEST_NAME).is_file():
            print(f"the default meaning scorer bundle is missing ({resolve_scorer_bundle(None)}): "
                  "run ./studio build first", file=sys.stderr)
            return 4
        from models.phrases import DEFAULT_INDEX, PHRASES_DIR  # noqa: PLC0415

        if not (PHRASES_DIR / DEFAULT_INDEX / MANIFEST_NAME).is_file():
            print(f"the phrase index is missing ({PHRASES_DIR / DEFAULT_INDEX}): restore it with "
                  "git checkout -- models/phrases", file=sys.stderr)
            return 4
        build(args.dist.resolve(), args.work.resolve(), archive=not args.no_archive)
    except ForbiddenContentError as exc:
        print(f"INSTALLER BUILD FAILED: {exc}", file=sys.stderr)
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())
