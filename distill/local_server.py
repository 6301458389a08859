"""Start llama-cpp-python's OpenAI-compatible server on a GGUF, for as long as a job needs it.

Used by ``python -m distill teach --serve-gguf`` (a teacher without a separate terminal) and by
the tests (a real server on a free loopback port). The server is a child process whose output
goes to a log file, so a full pipe can never stall it and a failed start can say why.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import TracebackType

from export.deps import MissingDependencyError

log = logging.getLogger(__name__)

#: llama-cpp-python's server imports these on start; checked up front for a clear message.
SERVER_MODULES = ("llama_cpp", "uvicorn", "fastapi", "sse_starlette", "starlette_context", "pydantic_settings")
INSTALL_HINT = ("pip install 'llama-cpp-python[server]>=0.3,<0.4'  (in the dev extra: "
                "pip install -e '.[dev]'; it builds llama.cpp from source: ~10 minutes on 2 idle cores)")


def require_llama_server() -> None:
    """Raise :class:`MissingDependencyError` with an install hint unless the server can start."""
    missing = [m for m in SERVER_MODULES if importlib.util.find_spec(m) is None]
    if missing:
        raise MissingDependencyError(
            f"llama-cpp-python's OpenAI-compatible server needs {', '.join(missing)}, not installed. "
            f"Install it with: {INSTALL_HINT}")


def free_port(host: str = "127.0.0.1") -> int:
    """A port nothing listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


class LocalLlamaServer:
    """``python -m llama_cpp.server`` on ``model_path``; a context manager that always stops it."""

    def __init__(self, model_path: str | Path, *, alias: str | None = None, host: str = "127.0.0.1",
                 port: int | None = None, n_ctx: int = 2048, n_threads: int | None = None,
                 startup_timeout: float = 180.0, log_file: str | Path | None = None,
                 extra_args: tuple[str, ...] = ()) -> None:
        self.model_path = Path(model_path)
        self.alias = alias or self.model_path.stem
        self.host = host
        self.port = port
        self.n_ctx = n_ctx
        self.n_threads = n_threads or max(1, min(4, (os.cpu_count() or 2) // 2))
        self.startup_timeout = startup_timeout
        self.log_file = Path(log_file) if log_file else None
        self.extra_args = tuple(extra_args)
        self.process: subprocess.Popen[bytes] | None = None
        self._log_handle = None
        self._own_log = False  # a temporary log we made: removed after a clean stop

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/v1"

    def command(self) -> list[str]:
        """The server's command line (flags as llama-cpp-python 0.3 names them)."""
        return [sys.executable, "-m", "llama_cpp.server", "--model", str(self.model_path),
                "--model_alias", self.alias, "--host", self.host, "--port", str(self.port),
                "--n_ctx", str(self.n_ctx), "--n_threads", str(self.n_threads),
                "--n_threads_batch", str(self.n_threads), *self.extra_args]

    def start(self) -> str:
        """Start the server and wait until ``/v1/models`` answers; returns the base URL."""
        require_llama_server()
        if not self.model_path.is_file():
            raise FileNotFoundError(f"GGUF not found: {self.model_path}")
        if self.port is None:
            self.port = free_port(self.host)
        if self.log_file is None:
            fd, name = tempfile.mkstemp(prefix="llama-server-", suffix=".log")
            os.close(fd)
            self.log_file = Path(name)
            self._own_log = True
        self._log_handle = open(self.log_file, "wb")
        log.info("starting llama-cpp-python server on %s:%d (%s, n_ctx=%d, %d threads); log: %s",
                 self.host, self.port, self.model_path.name, self.n_ctx, self.n_threads, self.log_file)
        self.process = subprocess.Popen(self.command(), stdout=self._log_handle, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL)
        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise
        return self.base_url

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.startup_timeout
        url = f"{self.base_url}/models"
        while True:
            assert self.process is not None
            code = self.process.poll()
            if code is not None:
                raise RuntimeError(f"llama-cpp-python server exited with code {code} while starting:\n"
                                   f"{self.log_tail()}")
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    json.loads(response.read())
                log.info("llama-cpp-python server ready at %s", self.base_url)
                return
            except (urllib.error.URLError, OSError, ValueError):
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"llama-cpp-python server did not answer {url} within "
                                   f"{self.startup_timeout:.0f} s:\n{self.log_tail()}")
            time.sleep(0.25)

    def log_tail(self, lines: int = 30) -> str:
        """The last lines of the server's output (for error messages)."""
        if not self.log_file or not self.log_file.is_file():
            return ""
        return "\n".join(self.log_file.read_text(errors="replace").splitlines()[-lines:])

    def stop(self, timeout: float = 10.0) -> None:
        """Terminate the server (kill it if it does not exit within ``timeout``).

        A temporary log is deleted when the server was still running (a clean stop) and kept,
        with its path logged, when it had died on its own: that is when it is needed.
        """
        crashed = self.process is not None and self.process.poll() is not None
        if self.process is not None and not crashed:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                log.warning("llama-cpp-python server ignored SIGTERM; killing it")
                self.process.kill()
                self.process.wait(timeout)
        if self._log_handle is not None:
            self._log_handle.close()
            self._log_handle = None
        if self._own_log and self.log_file is not None:
            if crashed:
                log.warning("llama-cpp-python server had exited on its own; its log: %s", self.log_file)
            else:
                self.log_file.unlink(missing_ok=True)
            self._own_log = False

    def __enter__(self) -> LocalLlamaServer:
        self.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
