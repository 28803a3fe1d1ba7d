"""What a process started by a test runs first (its sitecustomize): a stop at a known point.

A test that kills or interrupts a sweep must not race it. Rather than poll the folder and
hope to signal the sweep before it runs ahead, the sweep itself dies, or waits to be
signalled, at a point given by counting its own jobs: the test's result cannot depend on
how busy the machine is.
"""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent  # (not from conftest: a child imports little)


def startup_env(tmp: Path, hook: str, *args: int) -> dict[str, str]:
    """The environment of a child process that calls ``hook(*args)`` of this module at
    startup, before its own code: a ``sitecustomize`` first on its PYTHONPATH, and the
    repository's root, from which it imports ``tests``."""
    folder = tmp / f"startup_{hook}"
    folder.mkdir()
    (folder / "sitecustomize.py").write_text(
        f"from tests.startup_hooks import {hook}\n\n{hook}(*{args!r})\n")
    paths = [str(folder), str(ROOT), os.environ.get("PYTHONPATH", "")]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in paths if p)}


def die_while_storing(job: int) -> None:
    """SIGKILL the process while it copies the ``job``-th job it computed (counting from 1)
    into the sweep's cache: the result files are in the entry's temporary folder, the
    record and the complete marker are not."""
    from sim.cli import sweep

    write_json = sweep.write_json
    stored = 0

    def write_json_or_die(path: Path, data: Any) -> None:
        nonlocal stored
        if path.parent.name.endswith(".tmp"):  # the cache entry's temporary folder
            stored += 1
            if stored == job:
                os.kill(os.getpid(), signal.SIGKILL)
        write_json(path, data)

    sweep.write_json = write_json_or_die


def hold_after_first_job() -> None:
    """Hold the process once its first job is complete (cached, recorded and marked) until
    it is killed: a launcher's worker that does this keeps the sweep from finishing."""
    from sim.cli import sweep

    mark_complete = sweep.mark_complete

    def mark_complete_and_hold(folder: Path) -> None:
        mark_complete(folder)
        if not folder.name.endswith(".tmp"):  # the job's own folder: the job is done
            threading.Event().wait()

    sweep.mark_complete = mark_complete_and_hold
