"""The processes replications run on: joblib's loky workers, reused from call to call, that
end with the process that started them.

Loky starts its workers by running a fresh interpreter, not by forking and not by
re-running the caller's script: a notebook, a script without an ``if __name__ ==
"__main__"`` guard and a Hydra app all work, and a worker imports only what the task it
unpickles needs (never Hydra).  The pool outlives one call (a calibration's many short
experiments pay the start-up once) and lets idle workers go after loky's timeout.

A worker whose starting process is killed outright (SIGKILL, the OOM killer) would
otherwise finish what it was handed and idle for minutes; ``watch_parent`` ends it within
``PARENT_POLL_SECONDS`` instead.  Ctrl-C reaches the whole terminal group and stops both.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

R = TypeVar("R")

PARENT_POLL_SECONDS = 0.5


def watch_parent(parent: int, poll_seconds: float = PARENT_POLL_SECONDS) -> None:
    """End this process (exit code 1, no clean-up) once ``parent`` is no longer its parent.

    Runs in each worker as it starts (the pool's initializer). A daemon thread polls the
    parent's id, which changes when the parent dies and the orphan is adopted by init or
    a subreaper; ``prctl(PR_SET_PDEATHSIG)`` would be instant but is Linux-only and fires
    when the *thread* that started the worker ends, and loky starts workers from threads.
    """

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(poll_seconds)
        os._exit(1)  # the process that would read the results is gone

    threading.Thread(target=watch, daemon=True, name="watch-parent").start()


def map_in_order(function: Callable[..., R], calls: Iterable[tuple[Any, ...]], workers: int
                 ) -> Iterator[R]:
    """``function(*args)`` for each ``args`` of ``calls`` on ``workers`` processes, yielded in
    the order of ``calls`` as soon as each is done (a later result waits for the earlier
    ones).  ``function`` and its arguments are pickled, so ``function`` must be importable
    by name (a module-level function).  An exception in a worker is raised here."""
    from joblib import Parallel, delayed, parallel_config  # only parallel runs pay the import

    with parallel_config(backend="loky", initializer=watch_parent, initargs=(os.getpid(),)):
        parallel = Parallel(n_jobs=workers, return_as="generator")  # reads the config here
    return iter(parallel(delayed(function)(*args) for args in calls))
