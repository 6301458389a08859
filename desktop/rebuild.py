"""How the app rebuilds a missing or damaged bundle: the command and its progress.

The dialog runs the same ``paraphrase-studio export`` the error message tells the user
to type, in a :class:`QProcess`, so nothing about building a model lives in the GUI. The
export tool chain (torch) is optional: without it the dialog only shows the command.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path

from models.catalog import is_frozen, rebuild_arguments, resolve_bundle

#: tqdm's overall stage bar in ``export/pipeline.py``: "export NAME:  33%|███ | 2/6 [...]".
_STAGE = re.compile(r"^export [^:]+:.*?(\d+)/(\d+)")
_BAR = re.compile(r"\|[^|]*\|")


def export_available() -> bool:
    """True when the export extra (torch) is installed, i.e. the app can build a bundle itself.

    Never in the packaged app: the installer leaves torch out on purpose, and its
    ``sys.executable`` is the app itself, not a Python that could run the exporter.
    """
    if is_frozen():
        return False
    return importlib.util.find_spec("torch") is not None and importlib.util.find_spec("export") is not None


@dataclass(frozen=True)
class RebuildCommand:
    """A ``paraphrase-studio export …`` run: what the dialog shows is what its button starts.

    ``program`` and ``arguments`` are what :class:`QProcess` is given; ``export_arguments``
    (from :func:`models.catalog.rebuild_arguments`) are the part a person reads and types.
    """

    program: str
    arguments: list[str]
    export_arguments: tuple[str, ...] = ()

    def display(self) -> str:
        """The command as a person types it: ``paraphrase-studio`` plus the exact arguments run."""
        if self.export_arguments:
            return shlex.join(["paraphrase-studio", *self.export_arguments])
        return shlex.join([self.program, *self.arguments])


def rebuild_command_for(bundle: str | os.PathLike[str] | None) -> RebuildCommand:
    """``paraphrase-studio export …`` for a bundle name or folder (None = the default).

    The folder is resolved exactly as the runtime resolves it, and the arguments are the
    catalog's, so this runs the very command a :class:`models.BundleError` names.
    """
    folder = resolve_bundle(bundle)
    arguments = rebuild_arguments(folder.name, folder)
    script = Path(sys.executable).with_name("paraphrase-studio.exe" if os.name == "nt" else "paraphrase-studio")
    if script.is_file():
        return RebuildCommand(str(script), list(arguments), tuple(arguments))
    return RebuildCommand(sys.executable, ["-m", "paraphrase_studio", *arguments], tuple(arguments))


def parse_progress(output: str) -> tuple[int, int] | None:
    """The last "stage k of n" in a chunk of export output, if any (tqdm writes \\r-separated lines)."""
    found = None
    for line in re.split(r"[\r\n]+", output):
        match = _STAGE.search(line.strip())
        if match:
            found = (int(match.group(1)), int(match.group(2)))
    return found


def readable_line(output: str) -> str:
    """The newest non-empty line of output without tqdm's bar, for a one-line status."""
    lines = [line.strip() for line in re.split(r"[\r\n]+", output) if line.strip()]
    return _BAR.sub("", lines[-1]).strip() if lines else ""
