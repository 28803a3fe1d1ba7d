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
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any, Optional, TypeVar

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


def usable_workers(workers: Optional[int]) -> int:
    """``run.workers`` as a count: None means every core this process may run on (its CPU
    affinity, which a container or ``taskset`` may narrow below the machine's count)."""
    if workers is not None:
        return workers
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def ray_installed() -> bool:
    """Whether Ray can be imported (the optional ``ray`` extra), without importing it."""
    import importlib.util

    return importlib.util.find_spec("ray") is not None


def map_on_ray(function: Callable[..., R], calls: Iterable[tuple[Any, ...]],
               workers: Optional[int], address: Optional[str]) -> Iterator[R]:
    """``map_in_order`` on a Ray cluster: each call a Ray task of one CPU, at most
    ``workers`` in flight (None: as many as the cluster runs at once), yielded in the order
    of ``calls``.  ``address``: a running cluster's (``"auto"``, ``"ray://head:10001"``);
    None starts a local Ray in this process, left running for later calls.  Each distinct
    argument object (a scenario shared by every call) goes to the object store once."""
    import ray  # the optional extra; validate_run refuses run.executor=ray without it

    if not ray.is_initialized():
        ray.init(address=address, include_dashboard=False, log_to_driver=False,
                 configure_logging=False)
    task = ray.remote(num_cpus=1)(function)
    stored: dict[int, tuple[Any, Any]] = {}  # id -> (the object, kept alive; its reference)

    def reference(arg: Any) -> Any:
        if isinstance(arg, (int, float, str)):
            return arg
        if id(arg) not in stored:
            stored[id(arg)] = (arg, ray.put(arg))
        return stored[id(arg)][1]

    def submit(args: tuple[Any, ...]) -> Any:
        return task.remote(*(reference(a) for a in args))

    pending = iter(calls)
    limit = workers if workers is not None else max(1, int(ray.cluster_resources().get("CPU", 1)))
    window = deque(submit(args) for args in islice(pending, limit))
    while window:
        ref = window.popleft()
        window.extend(submit(args) for args in islice(pending, 1))  # keep the cluster busy
        yield ray.get(ref)
