"""sim.parallel: calls on worker processes, in order, and workers that end with their parent."""

from __future__ import annotations

import math
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sim.parallel import map_in_order, usable_workers

PYTHON = sys.executable


def is_running(pid: int) -> bool:
    """True while the process exists and is not a zombie (an exited child nobody reaped)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


def test_results_come_back_in_the_order_of_the_calls() -> None:
    assert list(map_in_order(pow, [(2, k) for k in range(8)], workers=2)) == [
        1, 2, 4, 8, 16, 32, 64, 128]


def test_the_calls_run_in_other_processes() -> None:
    pids = set(map_in_order(os.getpid, [()] * 6, workers=2))
    assert pids and os.getpid() not in pids


def test_an_exception_in_a_worker_is_raised_in_the_caller() -> None:
    with pytest.raises(ValueError, match="math domain error"):
        list(map_in_order(math.sqrt, [(4.0,), (-1.0,)], workers=2))


def test_a_watched_process_ends_once_its_parent_is_not_the_one_it_was_given() -> None:
    code = ("import time\nfrom sim.parallel import watch_parent\n"
            "watch_parent(parent=-1, poll_seconds=0.05)\ntime.sleep(30)\nprint('still here')")
    started = time.perf_counter()
    done = subprocess.run([PYTHON, "-c", code], capture_output=True, text=True, timeout=20)
    assert (done.returncode, done.stdout) == (1, "")
    assert time.perf_counter() - started < 15


def test_a_watched_process_keeps_running_while_its_parent_lives() -> None:
    code = ("import os, time\nfrom sim.parallel import watch_parent\n"
            "watch_parent(parent=os.getppid(), poll_seconds=0.05)\ntime.sleep(0.5)\n"
            "print('still here')")
    done = subprocess.run([PYTHON, "-c", code], capture_output=True, text=True, timeout=20)
    assert (done.returncode, done.stdout) == (0, "still here\n")


@pytest.mark.skipif(not Path("/proc/self/stat").is_file(), reason="reads /proc (Linux)")
def test_workers_end_when_the_process_that_started_them_is_killed() -> None:
    code = ("import os, time\nfrom sim.parallel import map_in_order\n"
            "print(*sorted(set(map_in_order(os.getpid, [()] * 8, workers=2))), flush=True)\n"
            "time.sleep(60)")
    parent = subprocess.Popen([PYTHON, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert parent.stdout is not None
        workers = [int(pid) for pid in parent.stdout.readline().split()]
        assert workers and all(is_running(pid) for pid in workers)
    finally:
        parent.kill()
        parent.wait()
    deadline = time.monotonic() + 10
    while any(is_running(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in workers if is_running(pid)]


def test_workers_null_means_every_core_this_process_may_use() -> None:
    """A process pinned to one core (as taskset or a container would) gets one worker."""
    pinned = subprocess.run(
        [sys.executable, "-c", "import os; os.sched_setaffinity(0, {min(os.sched_getaffinity(0))}); "
         "from sim.parallel import usable_workers; print(usable_workers(None))"],
        capture_output=True, text=True, check=True)
    assert pinned.stdout.strip() == "1"
    assert usable_workers(3) == 3
