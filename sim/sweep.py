"""One job of a Hydra multirun: its settings, its seed, its result cache and its record.

A job's result files are kept in ``sweep.cache_dir/<app>/<config hash>/``; running a
sweep again (``sweep.resume=true``) copies them instead of recomputing. A cache entry is
written under a temporary name and renamed when complete, so a job killed half-way
leaves nothing that a later run would take for a result. Every job, computed, restored or
failed, leaves ``job.json`` in its directory: what the sweep table reads.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional, TypeVar

import numpy as np

from sim.io import read_json, write_json
from sim.validate import UserError

log = logging.getLogger(__name__)
JOB_FILE = "job.json"
T = TypeVar("T")


@dataclass
class SweepSettings:
    """The ``sweep`` node: how the jobs of a multirun are run (never what they compute)."""

    resume: bool = True  # reuse the results of jobs already run with the same config hash
    cache_dir: str = "multirun/cache"  # relative to where the command runs
    common_random_numbers: bool = True  # every job draws the same seeds (false: its own)


@dataclass(frozen=True)
class JobRecord:
    job: int
    status: str  # ok | failed
    seconds: float  # computing the result (restored jobs keep the original's)
    config_hash: Optional[str]
    error: Optional[str]  # one line, for failed jobs
    from_cache: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {"job": self.job, "status": self.status, "seconds": self.seconds,
                "config_hash": self.config_hash, "error": self.error,
                "from_cache": self.from_cache}


def read_record(job_dir: Path) -> Optional[JobRecord]:
    path = job_dir / JOB_FILE
    if not path.is_file():
        return None
    d = read_json(path)
    return JobRecord(int(d["job"]), str(d["status"]), float(d["seconds"]), d.get("config_hash"),
                     d.get("error"), bool(d.get("from_cache", False)))


def own_seed(seed: int, config_hash: str) -> int:
    """A job's seed when common random numbers are off: independent of every other job's,
    reproducible from the base seed and the job's configuration."""
    state = np.random.SeedSequence([seed, int(config_hash, 16)]).generate_state(1, np.uint32)
    return int(state[0])


def run_job(app: str, job: int, out: Path, settings: SweepSettings,
            prepare: Callable[[SweepSettings], tuple[str, T]], compute: Callable[[T, Path], object]
            ) -> JobRecord:
    """Run one job of a sweep and record it; never raises for the job's own failures.

    ``prepare`` validates the config and returns (config hash, what ``compute`` needs),
    given the sweep settings (whose common random numbers decide the seed);
    ``compute`` writes the result files into ``out``.
    """
    began = time.perf_counter()
    key: Optional[str] = None
    try:
        key, payload = prepare(settings)
        entry = Path(settings.cache_dir) / app / key
        if settings.resume and (entry / JOB_FILE).is_file():
            record = _restore(entry, out, job)
        else:
            compute(payload, out)
            record = JobRecord(job, "ok", time.perf_counter() - began, key, None)
            write_json(out / JOB_FILE, record.as_dict())
            _store(out, entry)
    except UserError as error:
        record = JobRecord(job, "failed", time.perf_counter() - began, key, str(error))
    except Exception as error:  # a sweep lists what failed and goes on
        log.exception("job %d failed", job)
        record = JobRecord(job, "failed", time.perf_counter() - began, key, failure_line(error))
    if record.status == "failed":
        write_json(out / JOB_FILE, record.as_dict())
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
    """The files a job wrote (not Hydra's .hydra/ folder or its log)."""
    return sorted(p for p in folder.iterdir()
                  if p.is_file() and not p.name.startswith(".") and p.suffix != ".log")


def _store(out: Path, entry: Path) -> None:
    """Copy the job's files to the cache: into a temporary folder, renamed when complete."""
    entry.parent.mkdir(parents=True, exist_ok=True)
    tmp = entry.parent / f".{entry.name}.{os.getpid()}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    for path in _result_files(out):
        shutil.copy2(path, tmp / path.name)
    try:
        if entry.exists():  # resume=false, or two jobs of one config: keep the newest
            shutil.rmtree(entry)
        os.rename(tmp, entry)
    except OSError:  # another job renamed the same config's entry first: it is as good
        shutil.rmtree(tmp, ignore_errors=True)


def _restore(entry: Path, out: Path, job: int) -> JobRecord:
    for path in _result_files(entry):
        shutil.copy2(path, out / path.name)  # keeps the times: nothing was recomputed
    cached = read_record(entry)
    assert cached is not None
    record = JobRecord(job, cached.status, cached.seconds, cached.config_hash, None,
                       from_cache=True)
    write_json(out / JOB_FILE, record.as_dict())
    return record
