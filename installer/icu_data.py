"""ICU for the installer: none at all (the default), or a smaller ``libicudata``.

``PARAPHRASE_STUDIO_ICU`` picks (Linux): ``stub`` (default) replaces the three ICU libraries
(37.7 MB) by ``installer/icu_stub.c`` (50 kB), whose 31 functions report "unsupported" so Qt
falls back to its own code (see that file for what changes: Qt's locale-independent case
mapping, code-point collation, no legacy codecs, zone abbreviations instead of names; the
app uses none of them). ``filtered`` keeps ICU's code with the filtered data described
below (3.1 MB of data, everything Qt can ask ICU answers as before), ``full`` ships the
wheel's ICU as it is. The rest of this docstring describes ``filtered``.

PySide6's Linux wheels ship ICU 73, and ``libicudata.so.73`` (32 MB) is nothing but one
symbol, ``icudt73_dat``: an ICU *common data* package (a header, a table of contents and
3,900 items: locale resources, collation tailorings, code-page tables, break-iterator
dictionaries, transliterators…). ``libQt6Core`` links ICU, so the library must exist, but Qt
calls only four ICU services (``nm -D --undefined-only libQt6Core.so.6 | grep _73``):

* case mapping (``u_strToUpper``/``u_strToLower``): the case tables are compiled into
  ``libicuuc``; no data item is read;
* code-page conversion (``ucnv_*``, ``QStringConverter`` beyond UTF-8/16/32 and Latin-1):
  needs ``cnvalias.icu`` and the ``.cnv`` tables; the app reads and writes UTF-8 only, so the
  single-byte tables are kept (ISO-8859-*, windows-125*, KOI8, Mac…) and the multi-byte CJK
  ones, 5 MB, are not;
* collation (``ucol_*``, ``QCollator``): the root collation (``coll/ucadata.icu`` and
  ``coll/root.res``, the Unicode default order) is kept, the language tailorings are not;
  a missing tailoring falls back to root (ICU's collation loader never uses another locale);
* time zones (``ucal_*``): ``zoneinfo64``, ``metaZones``, ``timezoneTypes`` and the root and
  English zone names are kept.

Everything else is dropped: break iterators and their dictionaries (Qt has its own text
boundaries), transliterators, character names, currency/language/region/unit names,
number spell-out rules, StringPrep profiles and spoof data, and every locale but root and
English. A lookup of a dropped item fails the way ICU's own data filter (``ICU_DATA_FILTER_FILE``)
makes it fail: the resource is missing and ICU falls back to root or reports an error.

:func:`build` reads the blob out of the wheel's library, writes the filtered package and
links it into a library with the same SONAME and symbol (``gcc``, an ``.incbin``). Linux only:
PySide6 uses the system's ICU on Windows and none on macOS.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

#: Locales kept in every locale tree ("pool" and "res_index" are the tree's shared key pool and index).
KEPT_LOCALES = frozenset({"root", "en", "en_US", "en_US_POSIX", "pool", "res_index"})
#: Locale trees Qt can reach (collation, zone names); the rest (brkitr, translit, curr, lang,
#: region, unit, rbnf) only serve ICU services Qt never calls.
KEPT_TREES = frozenset({"coll", "zone"})
#: Items at the top level other than locales and code pages: converter aliases and the
#: normalization data the collation and conversion code may load.
KEPT_TOP_LEVEL = frozenset({"cnvalias.icu", "nfkc.nrm", "nfkc_cf.nrm", "uts46.nrm", "ulayout.icu", "uemoji.icu"})
_LOCALE = re.compile(r"^[a-z]{2,3}(_[A-Za-z0-9]+)*$")


@dataclass(frozen=True)
class Item:
    name: str  # as in the table of contents: "icudt73l/coll/root.res"
    data: bytes  # the item, padded to 16 bytes as in the original package

    @property
    def relative(self) -> str:
        return self.name.split("/", 1)[1] if "/" in self.name else self.name


def keep_item(item: Item) -> bool:
    """The filter policy described in the module docstring."""
    tree, _, leaf = item.relative.rpartition("/")
    stem, _, extension = leaf.rpartition(".")
    if tree:
        return tree in KEPT_TREES and (stem in KEPT_LOCALES or leaf == "ucadata.icu")
    if extension == "res":  # a locale, or supplemental data (zoneinfo64, metaZones, supplementalData…)
        return stem in KEPT_LOCALES or not _LOCALE.match(stem)
    if extension == "cnv":
        return max_bytes_per_char(item.data) == 1
    return leaf in KEPT_TOP_LEVEL


def max_bytes_per_char(cnv: bytes) -> int:
    """``maxBytesPerChar`` of a ``.cnv`` table (``UConverterStaticData``, after the item's data header).

    Single-byte tables (1) are self-contained; the multi-byte ones include the small
    "extension-only" tables that need a large base table (windows-949 needs ibm-1363…).
    """
    header_size = struct.unpack_from("<H", cnv, 0)[0]
    return cnv[header_size + 4 + 60 + 4 + 3]  # structSize, name[60], codepage, platform, conversionType, minBytesPerChar


# -- the common data format (ICU's udata.cpp / ucmndata.h) ----------------------------------


def read_package(blob: bytes) -> tuple[bytes, list[Item]]:
    """Split a little-endian ICU common data package (format "CmnD") into its header and items."""
    header_size, magic1, magic2 = struct.unpack_from("<HBB", blob, 0)
    if (magic1, magic2) != (0xDA, 0x27) or blob[12:16] != b"CmnD" or blob[8] != 0:
        raise ValueError("not a little-endian ICU common data package (CmnD)")
    toc = header_size
    (count,) = struct.unpack_from("<I", blob, toc)
    entries = [struct.unpack_from("<II", blob, toc + 4 + 8 * index) for index in range(count)]
    items = []
    for index, (name_offset, data_offset) in enumerate(entries):
        name_end = blob.index(b"\0", toc + name_offset)
        end = entries[index + 1][1] if index + 1 < count else len(blob) - toc
        items.append(Item(blob[toc + name_offset:name_end].decode("ascii"), blob[toc + data_offset:toc + end]))
    return blob[:header_size], items


def write_package(header: bytes, items: Iterable[Item]) -> bytes:
    """A common data package with these items: sorted names (ICU binary-searches them), 16-byte-aligned data."""
    items = sorted(items, key=lambda item: item.name.encode("ascii"))
    names = b"".join(item.name.encode("ascii") + b"\0" for item in items)
    names_start = 4 + 8 * len(items)
    data_start = -(-(names_start + len(names)) // 16) * 16
    table, name_offset, data_offset = [struct.pack("<I", len(items))], names_start, data_start
    payload = []
    for item in items:
        data = item.data + b"\0" * (-len(item.data) % 16)
        table.append(struct.pack("<II", name_offset, data_offset))
        payload.append(data)
        name_offset += len(item.name) + 1
        data_offset += len(data)
    toc = b"".join(table) + names
    return header + toc + b"\0" * (data_start - len(toc)) + b"".join(payload)


def filter_package(blob: bytes, keep: Callable[[Item], bool] = keep_item) -> tuple[bytes, list[str]]:
    """The filtered package and the names of the dropped items."""
    header, items = read_package(blob)
    kept = [item for item in items if keep(item)]
    dropped = [item.name for item in items if not keep(item)]
    return write_package(header, kept), dropped


# -- the library ------------------------------------------------------------------------------


def _elf_symbol(path: Path, pattern: re.Pattern[str]) -> tuple[str, bytes]:
    """Name and bytes of the first dynamic symbol matching ``pattern`` in a 64-bit little-endian ELF file."""
    elf = path.read_bytes()
    if elf[:4] != b"\x7fELF" or elf[4] != 2 or elf[5] != 1:
        raise ValueError(f"{path} is not a 64-bit little-endian ELF file")
    shoff, = struct.unpack_from("<Q", elf, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", elf, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", elf, shoff + index * shentsize) for index in range(shnum)]
    for _name, kind, _flags, _addr, offset, size, link, _info, _align, entsize in sections:
        if kind != 11:  # SHT_DYNSYM
            continue
        strtab = sections[link][4]
        for at in range(offset, offset + size, entsize):
            st_name, _st_info, _other, shndx, value, st_size = struct.unpack_from("<IBBHQQ", elf, at)
            name = elf[strtab + st_name:elf.index(b"\0", strtab + st_name)].decode("ascii")
            if pattern.fullmatch(name) and shndx:
                section = sections[shndx]
                start = value - section[3] + section[4]  # address -> file offset within its section
                return name, elf[start:start + st_size]
    raise ValueError(f"{path} has no symbol matching {pattern.pattern}")


def extract_package(library: Path) -> tuple[str, bytes]:
    """The data symbol's name (``icudt73_dat``) and the package it holds."""
    return _elf_symbol(library, re.compile(r"icudt\d+_dat"))


def soname(library: Path) -> str:
    result = subprocess.run(["readelf", "-d", str(library)], capture_output=True, text=True, check=True)
    match = re.search(r"\(SONAME\)\s+Library soname: \[([^\]]+)\]", result.stdout)
    return match.group(1) if match else library.name


def link_library(package: bytes, symbol: str, library_soname: str, out: Path, *, cc: str = "gcc") -> Path:
    """A shared library exporting ``symbol`` (16-byte aligned, read-only) holding ``package``."""
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "icudata.dat"
        data.write_bytes(package)
        source = Path(tmp) / "icudata.S"
        source.write_text(
            f'\t.section .rodata\n\t.balign 16\n\t.globl {symbol}\n\t.type {symbol}, @object\n'
            f'{symbol}:\n\t.incbin "{data}"\n\t.size {symbol}, . - {symbol}\n'
            '\t.section .note.GNU-stack,"",@progbits\n', encoding="ascii")
        out.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([cc, "-shared", "-nostdlib", "-Wl,-soname," + library_soname, "-Wl,-z,noexecstack",
                        "-o", str(out), str(source)], check=True)
    return out


def build(original: Path, out: Path, *, cc: str = "gcc") -> dict[str, object]:
    """Filter ``original`` (a ``libicudata.so.NN``) into ``out``; returns what was kept and dropped."""
    symbol, blob = extract_package(original)
    filtered, dropped = filter_package(blob)
    link_library(filtered, symbol, soname(original), out, cc=cc)
    _, kept = read_package(filtered)
    report = {"path": out, "original_bytes": original.stat().st_size, "filtered_bytes": out.stat().st_size,
              "package_bytes": (len(blob), len(filtered)), "kept": [item.name for item in kept], "dropped": dropped}
    log.info("%s: %.1f MB -> %.1f MB (%d items kept, %d dropped)", original.name, original.stat().st_size / 1e6,
             out.stat().st_size / 1e6, len(kept), len(dropped))
    return report


# -- proof that the filtered data still serves Qt's calls ------------------------------------

#: Runs in a fresh interpreter (argv[1]: the folder with libicudata/libicuuc/libicui18n), so the
#: libraries tested are exactly those files. Prints one JSON object.
_PROBE = r"""
import ctypes, json, re, sys
from pathlib import Path
lib = Path(sys.argv[1])
data = ctypes.CDLL(str(next(lib.glob("libicudata.so.*"))), mode=ctypes.RTLD_GLOBAL)
uc = ctypes.CDLL(str(next(lib.glob("libicuuc.so.*"))), mode=ctypes.RTLD_GLOBAL)
i18n = ctypes.CDLL(str(next(lib.glob("libicui18n.so.*"))), mode=ctypes.RTLD_GLOBAL)
v = re.search(r"\.so\.(\d+)", next(lib.glob("libicuuc.so.*")).name).group(1)
f = lambda library, name: getattr(library, f"{name}_{v}")
def U(text):  # a NUL-terminated UTF-16 buffer (UChar*)
    units = text.encode("utf-16-le")
    return (ctypes.c_uint16 * (len(units) // 2 + 1))(*[int.from_bytes(units[i:i + 2], "little") for i in range(0, len(units), 2)], 0)
def text(buffer, length):
    return bytes(ctypes.cast(buffer, ctypes.POINTER(ctypes.c_uint8))[:2 * length]).decode("utf-16-le")
def status():
    return ctypes.c_int(0)
out = {"mapped": sorted({line.split()[-1] for line in open("/proc/self/maps") if "libicudata" in line})}
# case mapping with a locale (Turkish dotted I, German sharp s, Greek final sigma)
for locale, word in (("tr", "istanbul"), ("de", "straße"), ("el", "ΌΣΟΣ"), ("en", "ǆemal")):
    s, dest = status(), (ctypes.c_uint16 * 64)()
    upper = f(uc, "u_strToUpper")(dest, 64, U(word), -1, locale.encode(), ctypes.byref(s))
    lower_dest, s2 = (ctypes.c_uint16 * 64)(), status()
    lower = f(uc, "u_strToLower")(lower_dest, 64, U(word), -1, locale.encode(), ctypes.byref(s2))
    out[f"case_{locale}"] = [text(dest, upper), text(lower_dest, lower), s.value, s2.value]
# collation: root order for every locale kept, and how a language tailoring falls back
f(i18n, "ucol_open").restype = ctypes.c_void_p
f(i18n, "ucol_strcoll").argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p, ctypes.c_int]
words = ["zebra", "Äpfel", "apple", "Zürich", "éclair", "eclair", "ångström", "10", "9", "ça", "Ωmega", "日本"]
for locale in ("en", "de", "sv", ""):
    s = status()
    collator = f(i18n, "ucol_open")(locale.encode(), ctypes.byref(s))
    import functools
    order = sorted(words, key=functools.cmp_to_key(lambda a, b: f(i18n, "ucol_strcoll")(collator, U(a), -1, U(b), -1)))
    out[f"collate_{locale or 'default'}"] = [order, s.value if s.value > 0 else 0]
    f(i18n, "ucol_close").argtypes = [ctypes.c_void_p]
    f(i18n, "ucol_close")(collator)
# code pages: the single-byte tables convert, the dropped multi-byte ones fail cleanly
f(uc, "ucnv_open").restype = ctypes.c_void_p
f(uc, "ucnv_fromUChars").argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p]
f(uc, "ucnv_close").argtypes = [ctypes.c_void_p]
for name, sample in (("UTF-8", "naïve €"), ("windows-1252", "naïve €"), ("ISO-8859-15", "naïve €"), ("KOI8-R", "Привет"),
                     ("macintosh", "café"), ("windows-1251", "Привет"), ("Shift_JIS", "日本"), ("GB18030", "中文")):
    s = status()
    converter = f(uc, "ucnv_open")(name.encode(), ctypes.byref(s))
    if not converter:
        out[f"convert_{name}"] = ["unavailable", s.value]
        continue
    target = ctypes.create_string_buffer(64)
    n = f(uc, "ucnv_fromUChars")(converter, target, 64, U(sample), -1, ctypes.byref(s))
    out[f"convert_{name}"] = [target.raw[:n].hex(), s.value]
    f(uc, "ucnv_close")(converter)
out["converters_available"] = f(uc, "ucnv_countAvailable")()
# time zones, as QTimeZone's ICU code asks
for zone in ("Europe/Berlin", "US/Pacific", "Asia/Kolkata"):
    s, dest = status(), (ctypes.c_uint16 * 128)()
    n = f(i18n, "ucal_getCanonicalTimeZoneID")(U(zone), -1, dest, 128, None, ctypes.byref(s))
    canonical = [text(dest, n), s.value]
    f(i18n, "ucal_open").restype = ctypes.c_void_p
    s = status()
    calendar = f(i18n, "ucal_open")(U(zone), -1, b"en", 0, ctypes.byref(s))
    names = []
    for kind in (0, 1, 2):  # UCAL_STANDARD, UCAL_SHORT_STANDARD, UCAL_DST
        s2, dest = status(), (ctypes.c_uint16 * 128)()
        f(i18n, "ucal_getTimeZoneDisplayName").argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p]
        n = f(i18n, "ucal_getTimeZoneDisplayName")(calendar, kind, b"en", dest, 128, ctypes.byref(s2))
        names.append(text(dest, n) if s2.value <= 0 else f"error {s2.value}")
    out[f"zone_{zone}"] = [canonical, bool(calendar), names]
print(json.dumps(out, ensure_ascii=False))
"""


def probe(lib_dir: Path, *, python: str = sys.executable) -> dict[str, object]:
    """Run Qt's four ICU services against the ICU libraries in ``lib_dir``; see :data:`_PROBE`."""
    import json  # noqa: PLC0415

    result = subprocess.run([python, "-c", _PROBE, str(lib_dir)], capture_output=True, text=True, check=False,
                            timeout=120, env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"})
    if result.returncode != 0:
        raise RuntimeError(f"the ICU probe failed on {lib_dir}:\n{result.stderr[-2000:]}")
    return json.loads(result.stdout)


#: What :func:`probe` must answer with the filtered data (the wheel's ICU answers the same).
EXPECTED = {
    "case_tr": ["İSTANBUL", "istanbul", 0, 0],
    "case_de": ["STRASSE", "straße", 0, 0],
    "collate_en": [["10", "9", "ångström", "Äpfel", "apple", "ça", "eclair", "éclair", "zebra", "Zürich", "Ωmega", "日本"], 0],
    "convert_windows-1252": ["6e61ef76652080", -122],  # -122: U_AMBIGUOUS_ALIAS_WARNING, as with the full data
    "convert_KOI8-R": ["f0d2c9d7c5d4", 0],
    "zone_Europe/Berlin": [["Europe/Berlin", 0], True,
                           ["Central European Standard Time", "GMT+1", "Central European Summer Time"]],
}
#: Which ICU the installer ships (Linux): "stub" (default: no ICU at all, ``installer/icu_stub.c``,
#: 8.7 MB less), "filtered" (the wheel's ICU code with the filtered data above, 3.1 MB of data)
#: or "full" (the wheel's 32 MB data library as it is).
ICU_ENV = "PARAPHRASE_STUDIO_ICU"
ICU_MODES = ("stub", "filtered", "full")
STUB_SOURCE = Path(__file__).with_name("icu_stub.c")
_ICU_LIBRARY = re.compile(r"^lib(icuuc|icui18n|icudata)\.so\.(\d+)$")


def icu_mode() -> str:
    mode = os.environ.get(ICU_ENV, "stub")
    if mode not in ICU_MODES:
        raise RuntimeError(f"{ICU_ENV}={mode!r}: expected one of {', '.join(ICU_MODES)}")
    return mode


def check_folder(lib_dir: Path) -> dict[str, object]:
    """Raise ``RuntimeError`` unless the ICU in ``lib_dir`` answers :data:`EXPECTED`; returns the probe."""
    answers = probe(lib_dir)
    wrong = {key: (answers.get(key), value) for key, value in EXPECTED.items() if answers.get(key) != value}
    if wrong:
        raise RuntimeError(f"ICU in {lib_dir} no longer serves Qt's calls (got, expected): {wrong}")
    return answers


def _undefined(library: Path) -> set[str]:
    result = subprocess.run(["nm", "-D", "--undefined-only", str(library)], capture_output=True, text=True, check=True)
    return {line.split()[-1].split("@")[0] for line in result.stdout.splitlines() if line.strip()}


def _defined(library: Path) -> set[str]:
    result = subprocess.run(["nm", "-D", "--defined-only", str(library)], capture_output=True, text=True, check=True)
    return {line.split()[-1].split("@")[0] for line in result.stdout.splitlines() if line.strip()}


def build_stub(folder: Path, version: str, *, cc: str = "gcc") -> dict[str, Path]:
    """``libicuuc.so.NN`` with the functions of ``icu_stub.c``, and empty ``libicui18n``/``libicudata``."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {name: folder / f"lib{name}.so.{version}" for name in ("icuuc", "icui18n", "icudata")}
    flags = ["-shared", "-Wl,-z,noexecstack"]
    subprocess.run([cc, "-O2", "-fPIC", f"-DICU_SUFFIX=_{version}", *flags,
                    f"-Wl,-soname,{paths['icuuc'].name}", "-o", str(paths["icuuc"]), str(STUB_SOURCE)], check=True)
    with tempfile.TemporaryDirectory() as tmp:
        empty = Path(tmp) / "empty.c"
        empty.write_text("/* this ICU library is empty: see installer/icu_stub.c */\n", encoding="ascii")
        for name in ("icui18n", "icudata"):
            subprocess.run([cc, "-nostdlib", *flags, f"-Wl,-soname,{paths[name].name}", "-o", str(paths[name]),
                            str(empty)], check=True)
    return paths


def stub_missing(stub: Path, importers: Iterable[Path], version: str) -> set[str]:
    """ICU functions (``*_NN``) that ``importers`` need and the stub does not define."""
    wanted = set().union(*(_undefined(path) for path in importers))
    return {name for name in wanted if name.endswith(f"_{version}")} - _defined(stub)


def _needed(library: Path) -> set[str]:
    result = subprocess.run(["readelf", "-d", str(library)], capture_output=True, text=True, check=False)
    return set(re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", result.stdout))


def replace_in_toc(entries: list[tuple[str, str, str]], work: Path) -> list[tuple[str, str, str]]:
    """PyInstaller TOC with ICU replaced as :func:`icu_mode` says (built under ``work/icu/``).

    Linux only. A Linux machine without gcc, nm or readelf fails the build rather than silently
    shipping the full ICU (set ``PARAPHRASE_STUDIO_ICU=full`` for that).
    """
    mode = icu_mode()
    libraries = {Path(dest).name: src for dest, src, kind in entries
                 if kind != "SYMLINK" and _ICU_LIBRARY.match(Path(dest).name)}
    if not sys.platform.startswith("linux") or mode == "full" or not libraries:
        return entries
    if not available():
        raise RuntimeError(f"replacing ICU needs gcc, nm and readelf (or set {ICU_ENV}=full to ship the wheel's ICU)")
    replacements: dict[str, Path] = {}
    if mode == "filtered":
        for name, src in libraries.items():
            if name.startswith("libicudata"):
                replacements[name] = build(Path(src), work / "icu" / name)["path"]  # type: ignore[assignment]
    else:
        version = _ICU_LIBRARY.match(next(iter(libraries))).group(2)  # type: ignore[union-attr]
        stub = build_stub(work / "icu-stub", version)
        importers = [Path(src) for dest, src, kind in entries if kind in ("BINARY", "EXTENSION")
                     and Path(dest).name not in libraries and _needed(Path(src)) & set(libraries)]
        missing = stub_missing(stub["icuuc"], importers, version)
        if missing:
            raise RuntimeError(f"Qt needs ICU functions that installer/icu_stub.c lacks: {sorted(missing)} "
                               f"(add them there, or set {ICU_ENV}=filtered)")
        replacements = {path.name: path for path in stub.values()}
        log.info("ICU %s: replaced by the stub (%s call it)", version, ", ".join(path.name for path in importers))
    return [(dest, str(replacements.get(Path(dest).name, src)), kind) if kind != "SYMLINK" else (dest, src, kind)
            for dest, src, kind in entries]


def available(cc: str = "gcc") -> bool:
    """Whether this machine can build the replacements (Linux with a C compiler, nm and readelf)."""
    return sys.platform.startswith("linux") and all(shutil.which(tool) for tool in (cc, "nm", "readelf"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m installer.icu_data", description=__doc__.split("\n\n")[0])
    parser.add_argument("original", type=Path, help="the wheel's libicudata.so.NN")
    parser.add_argument("out", type=Path, help="where to write the filtered library")
    parser.add_argument("--list", action="store_true", help="print the kept items")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    report = build(args.original, args.out)
    if args.list:
        print("\n".join(report["kept"]))  # type: ignore[arg-type]
    return 0


if __name__ == "__main__":
    sys.exit(main())
