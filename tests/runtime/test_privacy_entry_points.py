"""Every entry point switches onnxruntime's telemetry off before onnxruntime can load.

onnxruntime reads ``ORT_DISABLE_TELEMETRY`` once, when its native module loads (measured:
setting it after ``import onnxruntime`` changes nothing), so the variable must already be
``"1"`` at that moment. Each case runs a fresh interpreter with the variable absent (or set to
``"0"``), installs an import hook that records the variable when ``onnxruntime`` is first
imported, imports the entry module, and then imports onnxruntime itself if the entry did not,
the way a lazy import deeper in that package would (optimum in export, the embedder in
distill, a bench backend). The hook must have fired, so the check cannot pass vacuously.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

PROBE = r"""
import importlib, json, os, sys

class Recorder:
    seen = None

    def find_spec(self, name, path=None, target=None):
        if name == "onnxruntime" and Recorder.seen is None:
            Recorder.seen = os.environ.get("ORT_DISABLE_TELEMETRY")
        return None  # only watching: the normal finders import it

sys.meta_path.insert(0, Recorder())
importlib.import_module(sys.argv[1])
by_entry = "onnxruntime" in sys.modules
if not by_entry:
    import onnxruntime  # noqa: F401 - what a lazy import later in the package would do
print(json.dumps({"seen": Recorder.seen, "hooked": "onnxruntime" in sys.modules and Recorder.seen is not None,
                  "by_entry": by_entry}))
"""

#: Entry module -> a module it needs beyond the runtime (skipped without it), or None.
ENTRY_POINTS = {
    "models": None,
    "paraphrase_studio": None,  # also what `python -m paraphrase_studio` runs first
    "paraphrase_studio.cli": None,  # the `paraphrase-studio` console script
    "desktop": "PySide6",
    "desktop.app": "PySide6",
    "installer.launcher": "PySide6",  # build.spec's entry script: the frozen app
    "bench": None,
    "bench.cli": None,
    "bench.worker": None,  # spawned as `python -m bench.worker`
    "distill": None,
    "distill.evaluate": None,
    "distill.cli": None,
    "export": None,
    "export.parity": None,
    "export.cli": None,
}


def probe(module: str, env_value: str | None) -> dict[str, object]:
    env = {key: value for key, value in os.environ.items() if key != "ORT_DISABLE_TELEMETRY"}
    if env_value is not None:
        env["ORT_DISABLE_TELEMETRY"] = env_value
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    done = subprocess.run([sys.executable, "-c", PROBE, module], cwd=str(REPO), env=env, capture_output=True,
                          text=True, timeout=180, check=False)
    assert done.returncode == 0, f"importing {module} failed:\n{done.stderr[-3000:]}"
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("module", sorted(ENTRY_POINTS))
def test_entry_point_disables_telemetry_before_onnxruntime(module: str) -> None:
    needs = ENTRY_POINTS[module]
    if needs and importlib.util.find_spec(needs) is None:
        pytest.skip(f"{module} needs {needs}")
    seen = probe(module, None)
    assert seen["hooked"], f"onnxruntime never loaded after importing {module}: the check saw nothing"
    assert seen["seen"] == "1", (f"onnxruntime loaded with ORT_DISABLE_TELEMETRY={seen['seen']!r} after importing "
                                 f"{module}: its package must call models.offline.disable_onnxruntime_telemetry() "
                                 "before anything can import onnxruntime")


def test_an_inherited_opt_in_is_overridden() -> None:
    """``ORT_DISABLE_TELEMETRY=0`` in the user's environment must not turn telemetry back on."""
    seen = probe("models", "0")
    assert seen["by_entry"] and seen["seen"] == "1"


def test_too_late_is_reported(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    """Called after onnxruntime loaded without the switch: says so instead of pretending."""
    from models import offline

    monkeypatch.delenv(offline.TELEMETRY_ENV, raising=False)
    monkeypatch.setitem(sys.modules, "onnxruntime", sys.modules.get("onnxruntime") or object())
    with caplog.at_level(logging.WARNING, logger="models.offline"):
        assert offline.disable_onnxruntime_telemetry() is False
    assert os.environ[offline.TELEMETRY_ENV] == "1"
    assert "imported before ORT_DISABLE_TELEMETRY=1" in caplog.text


def test_in_time_is_quiet(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    from models import offline

    monkeypatch.setenv(offline.TELEMETRY_ENV, "1")
    with caplog.at_level(logging.WARNING, logger="models.offline"):
        assert offline.disable_onnxruntime_telemetry() is True
    assert caplog.text == ""
