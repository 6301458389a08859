"""The version the installer stamps on the app, the archive name and the Windows resources.

Read from ``pyproject.toml`` so there is one place to bump it.
"""

from __future__ import annotations

import re
from pathlib import Path

_VERSION_LINE = re.compile(r'^version\s*=\s*"([^"]+)"', re.MULTILINE)


def project_version(root: Path) -> str:
    """``[project] version`` from ``root/pyproject.toml`` (tomllib where available, a regex on 3.10)."""
    text = (root / "pyproject.toml").read_text(encoding="utf-8")
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        match = _VERSION_LINE.search(text)
        if not match:
            raise ValueError(f"no version in {root / 'pyproject.toml'}") from None
        return match.group(1)
    return str(tomllib.loads(text)["project"]["version"])


def _four_numbers(version: str) -> tuple[int, int, int, int]:
    numbers = [int(part) for part in re.findall(r"\d+", version)[:4]]
    return tuple((numbers + [0, 0, 0, 0])[:4])  # type: ignore[return-value]


def write_windows_version_file(path: Path, app_name: str, version: str) -> Path:
    """A PyInstaller version-resource file, so Explorer shows the name and version of the .exe."""
    numbers = _four_numbers(version)
    strings = {"CompanyName": app_name, "FileDescription": app_name, "FileVersion": version,
               "InternalName": app_name, "OriginalFilename": "ParaphraseStudio.exe",
               "ProductName": app_name, "ProductVersion": version}
    string_structs = ",\n".join(f"          StringStruct('{key}', '{value}')" for key, value in strings.items())
    path.write_text(f"""VSVersionInfo(
  ffi=FixedFileInfo(filevers={numbers}, prodvers={numbers}, mask=0x3f, flags=0x0, OS=0x40004,
                    fileType=0x1, subtype=0x0, date=(0, 0)),
  kids=[
    StringFileInfo([StringTable('040904B0', [
{string_structs}
    ])]),
    VarFileInfo([VarStruct('Translation', [1033, 1200])])
  ]
)
""", encoding="utf-8")
    return path
