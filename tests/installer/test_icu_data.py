"""ICU for the installer (installer/icu_data.py): the filtered ``libicudata`` (package format,
filter policy, and proof on the real wheel that Qt's ICU calls answer as before, with the only
differences the filter intends) and the stub (every function Qt imports, and the app's editor
behaving exactly as with the real ICU)."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from installer import icu_data
from installer.icu_data import Item, keep_item, read_package, write_package

ROOT = Path(__file__).resolve().parents[2]
QT_PROBE = Path(__file__).with_name("qt_icu_probe.py")


def _package(names: dict[str, bytes]) -> bytes:
    header = struct.pack("<HBB", 32, 0xDA, 0x27) + struct.pack("<HH", 20, 0) + bytes([0, 0, 2, 0]) + b"CmnD"
    header += bytes([1, 0, 0, 0]) + bytes(4)
    return write_package(header + bytes(32 - len(header)), [Item(name, data) for name, data in names.items()])


def _cnv(max_bytes: int) -> bytes:
    header = struct.pack("<HBB", 16, 0xDA, 0x27) + bytes(12)
    static = struct.pack("<I", 100) + b"x".ljust(60, b"\0") + struct.pack("<iBBBB", 0, 0, 2, 1, max_bytes)
    return header + static


def test_package_round_trip_keeps_items_sorted_and_aligned() -> None:
    blob = _package({"icudt73l/zz.res": b"z" * 5, "icudt73l/coll/root.res": b"r" * 17, "icudt73l/cnvalias.icu": b"a"})
    header, items = read_package(blob)
    assert [item.name for item in items] == ["icudt73l/cnvalias.icu", "icudt73l/coll/root.res", "icudt73l/zz.res"]
    assert [item.data.rstrip(b"\0") for item in items] == [b"a", b"r" * 17, b"z" * 5]
    toc = len(header)
    offsets = [struct.unpack_from("<II", blob, toc + 4 + 8 * index)[1] for index in range(3)]
    assert all((toc + offset) % 16 == 0 for offset in offsets)
    assert write_package(header, items) == blob


def test_read_package_refuses_other_data() -> None:
    with pytest.raises(ValueError, match="CmnD"):
        read_package(b"\x20\x00\xda\x27" + bytes(60))


@pytest.mark.parametrize(("name", "kept"), [
    ("icudt73l/root.res", True), ("icudt73l/en.res", True), ("icudt73l/pool.res", True),
    ("icudt73l/res_index.res", True), ("icudt73l/zoneinfo64.res", True), ("icudt73l/supplementalData.res", True),
    ("icudt73l/de.res", False), ("icudt73l/zh_Hant_TW.res", False),
    ("icudt73l/coll/ucadata.icu", True), ("icudt73l/coll/root.res", True), ("icudt73l/coll/zh.res", False),
    ("icudt73l/zone/en.res", True), ("icudt73l/zone/fr.res", False),
    ("icudt73l/brkitr/cjdict.dict", False), ("icudt73l/brkitr/root.res", False), ("icudt73l/translit/root.res", False),
    ("icudt73l/curr/en.res", False), ("icudt73l/unit/root.res", False), ("icudt73l/rbnf/en.res", False),
    ("icudt73l/cnvalias.icu", True), ("icudt73l/unames.icu", False), ("icudt73l/confusables.cfu", False),
    ("icudt73l/rfc3491.spp", False), ("icudt73l/nfkc.nrm", True),
])
def test_filter_policy(name: str, kept: bool) -> None:
    assert keep_item(Item(name, b"")) is kept


def test_only_single_byte_code_pages_are_kept() -> None:
    assert keep_item(Item("icudt73l/ibm-5348_P100-1997.cnv", _cnv(1)))  # windows-1252
    assert not keep_item(Item("icudt73l/ibm-943_P15A-2003.cnv", _cnv(2)))  # Shift_JIS
    assert not keep_item(Item("icudt73l/windows-949-2000.cnv", _cnv(2)))  # extension-only, needs a dropped base


# -- the real wheel ------------------------------------------------------------------------------

QT_LIB = None
try:
    import PySide6

    QT_LIB = Path(PySide6.__file__).parent / "Qt" / "lib"
except ImportError:  # pragma: no cover - the desktop extra is part of the dev install
    pass
needs_wheel_icu = pytest.mark.skipif(
    not (QT_LIB and any(QT_LIB.glob("libicudata.so.*")) and icu_data.available()),
    reason="needs Linux, PySide6's bundled ICU, gcc and readelf")


@pytest.fixture(scope="module")
def filtered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel's ICU libraries with the filtered data library beside them."""
    folder = tmp_path_factory.mktemp("icu")
    original = next(QT_LIB.glob("libicudata.so.*"))
    report = icu_data.build(original, folder / original.name)
    assert report["filtered_bytes"] < 5_000_000 < 30_000_000 < report["original_bytes"]
    for library in ("libicuuc.so.*", "libicui18n.so.*"):
        source = next(QT_LIB.glob(library))
        (folder / source.name).symlink_to(source)
    return folder


@needs_wheel_icu
def test_filtered_library_keeps_the_soname_and_symbol(filtered: Path) -> None:
    original = next(QT_LIB.glob("libicudata.so.*"))
    library = filtered / original.name
    assert icu_data.soname(library) == icu_data.soname(original)
    symbol, blob = icu_data.extract_package(library)
    assert symbol == icu_data.extract_package(original)[0]
    _, items = read_package(blob)
    assert {item.name.split("/", 1)[1] for item in items} >= {"coll/ucadata.icu", "cnvalias.icu", "zoneinfo64.res"}


@needs_wheel_icu
def test_filtered_data_answers_like_the_full_data_where_qt_asks(filtered: Path) -> None:
    full, small = icu_data.probe(QT_LIB), icu_data.probe(filtered)
    assert small["mapped"] == [str(filtered / next(QT_LIB.glob("libicudata.so.*")).name)]
    icu_data.check_folder(filtered)
    intended = {"mapped", "collate_sv", "convert_Shift_JIS", "convert_GB18030", "converters_available"}
    assert {key for key in full if full[key] != small[key]} == intended
    assert small["collate_sv"] == small["collate_en"]  # no Swedish tailoring: the root order
    assert small["convert_Shift_JIS"][0] == "unavailable" and small["convert_Shift_JIS"][1] > 0  # a clean error
    assert 100 < small["converters_available"] < full["converters_available"]


def _qt_probe(preload: Path | str | None) -> dict[str, object]:
    env = {key: value for key, value in os.environ.items() if key != "LD_PRELOAD"}
    env |= {"QT_QPA_PLATFORM": "offscreen"} | ({"LD_PRELOAD": str(preload)} if preload else {})
    result = subprocess.run([sys.executable, str(QT_PROBE)], cwd=ROOT, env=env, capture_output=True, text=True,
                            check=False, timeout=180)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@needs_wheel_icu
def test_the_app_editor_and_qt_behave_the_same_with_the_filtered_data(filtered: Path) -> None:
    """Typed, composed and pasted emoji/RTL/combining/CJK/Indic text, cursor stops, rendering, sentences."""
    pytest.importorskip("PySide6.QtWidgets")
    library = filtered / next(QT_LIB.glob("libicudata.so.*")).name
    full, small = _qt_probe(None), _qt_probe(library)
    assert small["mapped"] == [str(library)]
    intended = {"mapped", "collate_sv_SE", "decoder_Shift_JIS", "decoder_GB18030", "codecs"}
    assert {key for key in full if full[key] != small[key]} == intended
    for key, value in small.items():
        if key.startswith("editor_"):
            assert value["typed_ok"] and value["composed_ok"] and value["pasted_ok"], key
    assert small["case"]["tr_TR"] == ["İSTANBUL İ", "istanbul i"]
    assert small["decoder_windows-1252"] == "windows-1252" and small["zone"] == [True, "Central European Standard Time"]


@pytest.fixture(scope="module")
def stub(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    version = next(QT_LIB.glob("libicuuc.so.*")).name.rsplit(".", 1)[1]
    return icu_data.build_stub(tmp_path_factory.mktemp("icu-stub"), version)


@needs_wheel_icu
def test_stub_defines_every_icu_function_qt_imports(stub: dict[str, Path]) -> None:
    version = stub["icuuc"].name.rsplit(".", 1)[1]
    assert icu_data.stub_missing(stub["icuuc"], [QT_LIB / "libQt6Core.so.6"], version) == set()
    assert {icu_data.soname(path) for path in stub.values()} == {path.name for path in stub.values()}
    assert sum(path.stat().st_size for path in stub.values()) < 100_000


@needs_wheel_icu
def test_the_app_editor_behaves_the_same_without_icu(stub: dict[str, Path]) -> None:
    """Only Qt's ICU services change (case mapping by locale, collation, codecs, zone names)."""
    pytest.importorskip("PySide6.QtWidgets")
    full, none = _qt_probe(None), _qt_probe(" ".join(str(path) for path in stub.values()))
    assert none["mapped"] == [str(stub["icudata"])]
    changed = {key for key in full if full[key] != none[key]}
    assert {key for key in changed if key.startswith("editor_")} == set()  # typing, IME, paste, cursor, pixels, sentences
    assert changed <= {"mapped", "case", "codecs", "zone"} | {key for key in full if key.startswith(("collate_", "decoder_"))}
    assert none["case"]["de_DE"] == full["case"]["de_DE"] and none["case"]["tr_TR"][0] == "ISTANBUL İ"  # Qt's own mapping
    assert none["collate_C"] == full["collate_C"] and none["zone"][0] is True
