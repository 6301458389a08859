"""``paraphrase-studio app`` and ``python -m desktop`` refuse a thread count the machine cannot use."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import desktop.app as desktop_app
from paraphrase_studio import cli

REPO = Path(__file__).resolve().parents[2]
CORES = os.cpu_count() or 1
MESSAGE = f"--threads must be between 1 and {CORES} (this machine's cores)"


@pytest.mark.parametrize("value", ["-1", "0", str(CORES + 1), "999"])
def test_desktop_main_refuses_threads_outside_the_cores(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        desktop_app.main(["--threads", value])
    assert info.value.code == 2
    assert MESSAGE in capsys.readouterr().err


@pytest.mark.parametrize("value", ["-1", "0", str(CORES + 1)])
def test_the_app_subcommand_refuses_them_before_starting_qt(value: str, capsys: pytest.CaptureFixture[str],
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(desktop_app, "main", lambda argv=None: pytest.fail("the app must not start"))
    with pytest.raises(SystemExit) as info:
        cli.main(["app", "--threads", value])
    assert info.value.code == 2
    assert MESSAGE in capsys.readouterr().err


def test_an_allowed_thread_count_reaches_the_app(monkeypatch: pytest.MonkeyPatch) -> None:
    received: list[list[str]] = []
    monkeypatch.setattr(desktop_app, "main", lambda argv=None: received.append(list(argv or [])) or 0)
    assert cli.main(["app", "--threads", str(CORES)]) == 0
    assert received == [["--threads", str(CORES)]]


def test_python_m_desktop_says_the_range_and_exits_2() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-m", "desktop", "--threads", "-1"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert MESSAGE in done.stderr and "Traceback" not in done.stderr
