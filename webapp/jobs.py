"""Long work off the page's thread: a job per question, keyed by the config hash of what
it computes, run on a background thread with a progress fraction and a cancel flag.

The board is one per server process and keyed by content, so asking the same question
twice (again, after a reload, or from another tab) finds the same job and its result at
once, and no tab can change what another sees: a job's inputs are its key, its result is
never changed after it is made.  At most ``KEEP`` finished jobs are kept (the oldest
forgotten first).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Optional

KEEP = 64


class Cancelled(Exception):
    """Raised inside a job's work when its cancel button was pressed."""


@dataclass
class Progress:
    """What a job's work reports: ``done`` of ``total`` steps and what it is doing; its
    ``check`` raises Cancelled once the job is cancelled (the work calls it between
    steps, e.g. after each replication)."""

    cancelled: threading.Event = field(default_factory=threading.Event)
    done: int = 0
    total: int = 1
    message: str = ""

    def update(self, done: int, total: int, message: Optional[str] = None) -> None:
        """``done`` of ``total`` now; raises Cancelled if the job was cancelled."""
        self.done, self.total = done, max(total, 1)
        if message is not None:
            self.message = message
        self.check()

    def check(self) -> None:
        """Raise Cancelled if the job was cancelled."""
        if self.cancelled.is_set():
            raise Cancelled()

    @property
    def fraction(self) -> float:
        """Done so far, 0 to 1."""
        return min(1.0, self.done / self.total)


@dataclass
class Job:
    """One question being answered: its ``key``, ``progress`` and ``future``;
    ``started`` and ``seconds`` (how long it ran, once done)."""

    key: str
    progress: Progress
    future: Future[Any]
    started: float
    seconds: Optional[float] = None

    @property
    def state(self) -> str:
        """``running``, ``done``, ``cancelled`` or ``failed``."""
        if not self.future.done():
            return "running"
        error = self.future.exception()
        if error is None:
            return "done"
        return "cancelled" if isinstance(error, Cancelled) else "failed"

    def cancel(self) -> None:
        """Ask the work to stop at its next step."""
        self.progress.cancelled.set()

    def result(self) -> Any:
        """The work's result (raises what the work raised)."""
        return self.future.result()

    def wait(self, timeout: float) -> bool:
        """Block up to ``timeout`` seconds for the job to end; True if it has."""
        try:
            self.future.exception(timeout=timeout)
        except TimeoutError:
            return False
        return True


class JobBoard:
    """The jobs of this server process, by key (``submit``, ``get``)."""

    def __init__(self, workers: int = 2, keep: int = KEEP) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="webapp-job")
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self._keep = keep

    def get(self, key: str) -> Optional[Job]:
        """The job of ``key``, running or done, if there is one."""
        with self._lock:
            return self._jobs.get(key)

    def submit(self, key: str, work: Callable[[Progress], Any]) -> Job:
        """The job of ``key``: the one already running or done (a failed or cancelled one
        is started again), else a new one running ``work(progress)``."""
        with self._lock:
            job = self._jobs.get(key)
            if job is not None and job.state in ("running", "done"):
                self._jobs.move_to_end(key)
                return job
            progress = Progress()
            started = time.perf_counter()
            job = Job(key, progress, self._pool.submit(work, progress), started)
            job.future.add_done_callback(lambda _: _finish(job))
            self._jobs[key] = job
            self._forget_old()
            return job

    def _forget_old(self) -> None:
        finished = [k for k, j in self._jobs.items() if j.future.done()]
        for key in finished[:max(0, len(self._jobs) - self._keep)]:
            del self._jobs[key]


def _finish(job: Job) -> None:
    job.seconds = time.perf_counter() - job.started


BOARD = JobBoard()  # the server process's jobs
