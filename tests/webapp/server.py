"""The app served for real: ``python -m webapp`` on a free port, until the block ends, and
how Debian's chromium is launched here (the browser test, the wheel test, bench_app)."""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Optional

CHROMIUM = Path("/usr/bin/chromium")
# these machines' network is closed: no background connections, no component updates
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"]


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running_app(python: str, cwd: Path, pythonpath: Optional[Path] = None,
                seconds: float = 60.0) -> Iterator[str]:
    """Start ``python -m webapp`` in ``cwd`` and yield its address once its health check
    answers; RuntimeError (with what it printed) if it exits or is not up in ``seconds``.
    The server is stopped when the block ends."""
    port = free_port()
    env = dict(os.environ, **({"PYTHONPATH": str(pythonpath)} if pythonpath else {}))
    server = subprocess.Popen([python, "-m", "webapp", "--server.port", str(port)], cwd=cwd,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + seconds
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    server.kill()
                    message = server.stderr.read().decode() if server.stderr else ""
                    raise RuntimeError(f"the app did not start: {message}") from None
                time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)
