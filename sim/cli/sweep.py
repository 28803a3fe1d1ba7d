"""One job of a Hydra multirun: its settings, its seed, its result cache and its record.

A job's result files are kept in ``sweep.cache_dir/<app>/<config hash>/``; running a
sweep again (``sweep.resume=true``) copies them instead of recomputing. A cache entry is
written under a temporary name and renamed when complete, and counts only with its
``complete`` marker, so a job killed half-way leaves nothing that a later run would take
for a result. Every job, computed, restored or failed, leaves ``job.json`` and then the
``complete`` marker in its directory: what the sweep table reads. A cache that cannot be
written costs only the reuse: the job's record says why, and its results stand.

A job that runs in a worker process (joblib's loky workers) ends that worker when the
launching process goes away (``exit_with_parent``), so killing a sweep leaves no workers
behind; Ctrl-C is left to the launching process, which stops the workers itself.
"""

from __future__ import annotations

import dataclasses
import logging
import multiprocessing
import os
import shutil
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional, TypeVar

from tqdm import tqdm

from sim.io import (
    COMPLETE,
    WriteError,
    is_complete,
    mark_complete,
    read_json,
    write_error_line,
    write_json,
)
from sim.parallel import PARENT_POLL_SECONDS, watch_parent
from sim.validate import UserError

log = logging.getLogger(__name__)
JOB_FILE = "job.json"
T = TypeVar("T")
_watching_parent = False


@dataclass
class SweepSettings:
    """The ``sweep`` node: how the jobs of a multirun are run (never what they compute)."""

    resume: bool = True  # reuse the results of jobs already run with the same config hash
    cache_dir: str = "multirun/cache"  # relative to where the command runs
    common_random_numbers: bool = True  # every job draws the same seeds (false: its own)


@dataclass(frozen=True)
class JobRecord:
    """What one job of a sweep did, as its job.json keeps it: the row the sweep table
    reads.  ``config_hash`` is None for a job that failed before its config was checked;
    a job restored from the cache keeps the original's ``seconds``."""

    job: int
    status: str  # ok | failed
    seconds: float  # computing the result (restored jobs keep the original's)
    config_hash: Optional[str]
    error: Optional[str]  # one line, for failed jobs
    from_cache: bool = False
    cache_error: Optional[str] = None  # one line: why the results are not in the cache

    def as_dict(self) -> dict[str, Any]:
        """The record as job.json holds it (``read_record`` reads it back)."""
        return {"job": self.job, "status": self.status, "seconds": self.seconds,
                "config_hash": self.config_hash, "error": self.error,
                "from_cache": self.from_cache, "cache_error": self.cache_error}


def read_record(job_dir: Path) -> Optional[JobRecord]:
    """The job's record if its folder is complete (None for a job that stopped half-way)."""
    path = job_dir / JOB_FILE
    if not path.is_file() or not is_complete(job_dir):
        return None
    d = read_json(path)
    return JobRecord(int(d["job"]), str(d["status"]), float(d["seconds"]), d.get("config_hash"),
                     d.get("error"), bool(d.get("from_cache", False)), d.get("cache_error"))


def exit_with_parent(poll_seconds: float = PARENT_POLL_SECONDS) -> None:
    """In a launcher's worker process, end the process when the launching one is gone.

    Loky's workers outlive a launching process killed outright (SIGKILL, OOM killer) and
    idle for minutes. A daemon thread here polls the parent's id, which changes when the
    parent dies (the orphan is adopted by init or a subreaper), and exits the worker.
    ``prctl(PR_SET_PDEATHSIG)`` would be instant but is Linux-only and fires when the
    *thread* that started the worker ends, and loky starts workers from helper threads.
    Ctrl-C (SIGINT to the whole terminal group) is ignored here: the launching process
    stops the workers. Does nothing in the launching process itself (the basic launcher),
    whose parent, a shell, may well go first (``nohup``).
    """
    global _watching_parent
    launcher = multiprocessing.parent_process()
    if _watching_parent or launcher is None:
        return
    _watching_parent = True
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    # tqdm guards its bars with a multiprocessing lock, a named semaphore registered with
    # the resource tracker; a worker the launcher stops (SIGKILL) never unregisters it and
    # the tracker warns of a leak. A job's bars are off, and one process needs one thread lock.
    tqdm.set_lock(threading.RLock())
    # the launcher's pid as recorded when the worker was spawned, not os.getppid() now: a
    # launcher killed before this job began has already left the worker to init
    parent = launcher.pid if launcher.pid is not None else os.getppid()
    watch_parent(parent, poll_seconds)


def run_job(app: str, job: int, out: Path, settings: SweepSettings,
            prepare: Callable[[SweepSettings], tuple[str, T]], compute: Callable[[T, Path], object]
            ) -> JobRecord:
    """Run one job of a sweep and record it; never raises for the job's own failures.

    ``prepare`` validates the config and returns (config hash, what ``compute`` needs),
    given the sweep settings (whose common random numbers decide the seed);
    ``compute`` writes the result files into ``out``. The record, then the ``complete``
    marker, are written last.
    """
    exit_with_parent()
    began = time.perf_counter()
    key: Optional[str] = None
    try:
        key, payload = prepare(settings)
        entry = Path(settings.cache_dir) / app / key
        if settings.resume and read_record(entry) is not None:
            record = _restore(entry, out, job)
        else:
            compute(payload, out)
            record = JobRecord(job, "ok", time.perf_counter() - began, key, None)
            record = dataclasses.replace(record, cache_error=_store(out, entry, record))
    except UserError as error:
        record = JobRecord(job, "failed", time.perf_counter() - began, key, str(error))
    except WriteError as error:  # e.g. the disk is full: say which file, in one line
        record = JobRecord(job, "failed", time.perf_counter() - began, key,
                           write_error_line(error))
    except Exception as error:  # a sweep lists what failed and goes on
        log.exception("job %d failed", job)
        record = JobRecord(job, "failed", time.perf_counter() - began, key, failure_line(error))
    write_json(out / JOB_FILE, record.as_dict())
    mark_complete(out)
    return record


def failure_line(error: BaseException) -> str:
    """The sweep table's one line for an unexpected failure: the error's type and the
    first line of its message; a MemoryError (whose message is empty) says what to do."""
    if isinstance(error, MemoryError):
        return ("MemoryError: the job ran out of memory; lower run.horizon_minutes, "
                "run.replications, run.customers or the volumes")
    first_line = next((line for line in str(error).splitlines() if line.strip()), "no message")
    return f"{type(error).__name__}: {first_line}"


def _result_files(folder: Path) -> list[Path]:
    """The files a job computed (not its record and marker, Hydra's .hydra/ or its log)."""
    return sorted(p for p in folder.iterdir()
                  if p.is_file() and not p.name.startswith(".") and p.suffix != ".log"
                  and p.name not in (JOB_FILE, COMPLETE))


def _store(out: Path, entry: Path, record: JobRecord) -> Optional[str]:
    """Copy the job's files, its record and the marker to the cache: into a temporary
    folder, renamed when complete. Returns why it could not (one line), or None."""
    tmp = entry.parent / f".{entry.name}.{os.getpid()}.tmp"
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        _remove_orphaned_temporaries(entry.parent)
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        for path in _result_files(out):
            shutil.copy2(path, tmp / path.name)
        write_json(tmp / JOB_FILE, record.as_dict())
        mark_complete(tmp)
    except OSError as error:  # unwritable or full: the results stand, only reuse is lost
        shutil.rmtree(tmp, ignore_errors=True)
        return write_error_line(error)
    try:
        if entry.exists():  # resume=false, or two jobs of one config: keep the newest
            shutil.rmtree(entry)
        os.rename(tmp, entry)
    except OSError:  # another job renamed the same config's entry first: it is as good
        shutil.rmtree(tmp, ignore_errors=True)
    return None


def _remove_orphaned_temporaries(folder: Path) -> None:
    """Remove the temporary folders (``.<hash>.<pid>.tmp``) of jobs whose process is gone:
    a job killed while storing leaves one that no later job would ever rename."""
    for tmp in folder.glob(".*.tmp"):
        pid = tmp.name.rsplit(".", 2)[-2]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            shutil.rmtree(tmp, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def _restore(entry: Path, out: Path, job: int) -> JobRecord:
    for path in _result_files(entry):
        shutil.copy2(path, out / path.name)  # keeps the times: nothing was recomputed
    cached = read_record(entry)
    assert cached is not None
    return JobRecord(job, cached.status, cached.seconds, cached.config_hash, None,
                     from_cache=True)
