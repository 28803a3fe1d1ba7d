"""Faults: nothing lost, nothing torn. Concurrent runs, a full disk, an unwritable cache,
a killed or interrupted sweep: each leaves complete results or says in one line what it
could not do."""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

import pandas as pd
import pytest
from hydra import compose, initialize_config_dir
from hydra.core.global_hydra import GlobalHydra
from omegaconf import OmegaConf, open_dict

import sim.io
from sim.cli.sweep import JOB_FILE, JobRecord, SweepSettings, read_record, run_job
from sim.cli.sweep_table import UNFINISHED, sweep_table
from sim.io import COMPLETE, write_json
from tests.conftest import CONF, ROOT
from tests.startup_hooks import startup_env

SMALL = ["scenario=mmc", "run.replications=2", "run.horizon_minutes=240", "run.plots=false"]
BASIC = ["hydra/launcher=basic"]
PATIENCE_SECONDS = 120  # generous bounds for polling, never asserted as a duration


def python_m(app: str, args: list[str], cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", app, *args], cwd=cwd, capture_output=True,
                          text=True, timeout=600)


def start_sweep(tmp: Path, name: str, args: list[str], env: dict[str, str] | None = None
                ) -> subprocess.Popen[str]:
    """A sweep in a session of its own (as a terminal would run it), so that its processes
    can be found by session id and signalled as a group."""
    command = [sys.executable, "-m", "sim", "-m", f"hydra.sweep.dir={tmp / name}",
               f"sweep.cache_dir={tmp / 'cache'}", *args]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)


def session_processes(session: int) -> list[int]:
    """Live (not zombie) processes whose session id is ``session``, from /proc."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # the process ended while we looked
            continue
        fields = text[text.rindex(")") + 2:].split()  # after "pid (comm) "
        state, sid = fields[0], int(fields[3])
        if sid == session and state != "Z":
            found.append(int(stat.parent.name))
    return found


def wait_until(condition: Any, what: str) -> None:
    deadline = time.monotonic() + PATIENCE_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"still waiting for {what}")
        time.sleep(0.1)


def finished_jobs(sweep_dir: Path) -> int:
    return sum(1 for _ in sweep_dir.glob(f"*/{COMPLETE}"))


# ---------------------------------------------------------------- unique folders

FROZEN = datetime(2026, 3, 1, 9, 30, 15)


def resolved_dirs(config_name: str) -> tuple[str, str | None]:
    """hydra.run.dir and hydra.sweep.dir of a shipped primary config, composed afresh and
    resolved with a clock stopped at FROZEN (Hydra registers its own ``now`` on compose)."""
    import optimize.cli  # noqa: F401  (registers the optimiser's schema)
    import sim.cli.calibrate  # noqa: F401  (registers the calibration schema)

    GlobalHydra.instance().clear()
    with initialize_config_dir(config_dir=str(CONF), version_base="1.3"):
        cfg = compose(config_name=config_name, return_hydra_config=True)
    with open_dict(cfg):
        cfg.hydra.runtime.cwd = "/launch"
    OmegaConf.clear_cache(cfg)  # forget the values resolved while composing
    OmegaConf.register_new_resolver("now", lambda pattern: FROZEN.strftime(pattern),
                                    use_cache=True, replace=True)
    try:
        sweep = str(cfg.hydra.sweep.dir) if config_name != "calibrate" else None
        return str(cfg.hydra.run.dir), sweep
    finally:  # Hydra's own, as hydra.core.utils.setup_globals registers it
        OmegaConf.register_new_resolver("now", lambda pattern: datetime.now().strftime(pattern),
                                        use_cache=True, replace=True)


@pytest.mark.parametrize("config_name", ["config", "optimize", "calibrate"])
def test_runs_started_in_the_same_second_get_different_folders(config_name: str) -> None:
    first, second = resolved_dirs(config_name), resolved_dirs(config_name)
    assert "2026-03-01/09-30-15" in first[0]  # still named by the time first
    assert first[0] != second[0]
    assert first[1] != second[1] or first[1] is None


FROZEN_CLOCK = f"""
# Hydra's `now` resolver, frozen at {FROZEN!r} in every process that imports this: runs
# started at different moments then start "in the same second", every time.
import datetime
from omegaconf import OmegaConf

_register = OmegaConf.register_new_resolver


def _register_frozen(name, resolver, *args, **kwargs):
    if name == "now":
        resolver = lambda pattern: {FROZEN!r}.strftime(pattern)
    return _register(name, resolver, *args, **kwargs)


OmegaConf.register_new_resolver = _register_frozen
"""


def test_two_sweeps_started_together_each_keep_their_own_table(tmp_path: Path) -> None:
    (tmp_path / "clock").mkdir()
    (tmp_path / "clock" / "sitecustomize.py").write_text(FROZEN_CLOCK)
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "clock")}
    # no hydra.sweep.dir given: the shipped multirun/<date>/<time...> folders, under tmp_path
    commands = [[sys.executable, "-m", "sim", "-m", *SMALL, *BASIC, f"scenario.servers={servers}"]
                for servers in ("5,6", "7,8")]
    processes = [subprocess.Popen(c, cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for c in commands]
    outputs = [p.communicate(timeout=600) for p in processes]
    assert [p.returncode for p in processes] == [0, 0], outputs
    tables = sorted(tmp_path.glob("multirun/*/*/sweep.csv"))
    assert tables == sorted(tmp_path.glob("multirun/2026-03-01/09-30-15*/sweep.csv"))  # frozen
    assert len(tables) == 2
    servers = sorted(tuple(pd.read_csv(t)["scenario.servers"]) for t in tables)
    assert servers == [(5, 6), (7, 8)]
    for table in tables:  # each sweep printed the path of its own table
        assert sum(f"table in {table}" in stdout for stdout, _ in outputs) == 1


# ---------------------------------------------------------------- complete marker

def test_a_single_run_writes_the_complete_marker_after_every_result_file(tmp_path: Path) -> None:
    done = python_m("sim", [*SMALL, f"hydra.run.dir={tmp_path / 'run'}"])
    assert done.returncode == 0, done.stderr
    marker = tmp_path / "run" / COMPLETE
    results = [p for p in (tmp_path / "run").iterdir() if p.is_file() and p != marker]
    assert {p.name for p in results} >= {"summary.json", "channels.csv", "hourly.csv"}
    assert all(p.stat().st_mtime_ns <= marker.stat().st_mtime_ns for p in results)


def test_a_job_folder_without_the_complete_marker_is_tabulated_as_unfinished(
        tmp_path: Path) -> None:
    done = python_m("sim", ["-m", f"hydra.sweep.dir={tmp_path / 's'}",
                            f"sweep.cache_dir={tmp_path / 'cache'}", *SMALL, *BASIC,
                            "scenario.servers=5,6"])
    assert done.returncode == 0, done.stderr
    (tmp_path / "s" / "0" / COMPLETE).unlink()  # as if the job stopped before its marker
    frame = sweep_table(tmp_path / "s", "sim").set_index("job")
    assert frame.loc[0, "status"] == "failed" and frame.loc[0, "error"] == UNFINISHED
    assert pd.isna(frame.loc[0, "journeys_mean"])  # its files are not read
    assert frame.loc[1, "status"] == "ok" and frame.loc[1, "journeys_mean"] > 0


def counting_job(calls: list[int]) -> tuple[Any, Any]:
    """prepare and compute of a job that writes one small file and counts its runs."""
    def prepare(settings: SweepSettings) -> tuple[str, int]:
        return "0123456789abcdef", 7

    def compute(payload: int, out: Path) -> None:
        calls.append(payload)
        write_json(out / "summary.json", {"value": payload})

    return prepare, compute


def test_a_cache_entry_without_the_complete_marker_is_recomputed_not_restored(
        tmp_path: Path) -> None:
    entry = tmp_path / "cache" / "sim" / "0123456789abcdef"
    entry.mkdir(parents=True)  # a torn entry: a record but no marker (and no result)
    write_json(entry / JOB_FILE, JobRecord(0, "ok", 1.0, "0123456789abcdef", None).as_dict())
    calls: list[int] = []
    out = tmp_path / "job"
    out.mkdir()
    record = run_job("sim", 0, out, SweepSettings(cache_dir=str(tmp_path / "cache")),
                     *counting_job(calls))
    assert calls == [7] and not record.from_cache
    assert json.loads((out / "summary.json").read_text()) == {"value": 7}
    assert (entry / COMPLETE).is_file()  # the entry is now whole
    assert json.loads((entry / "summary.json").read_text()) == {"value": 7}

    again = tmp_path / "again"
    again.mkdir()
    restored = run_job("sim", 1, again, SweepSettings(cache_dir=str(tmp_path / "cache")),
                       *counting_job(calls))
    assert calls == [7] and restored.from_cache and restored.status == "ok"
    assert read_record(again) == restored


class AlmostFullDisk:
    """A file on a disk with ``room`` bytes left: a larger write fails with ENOSPC."""

    def __init__(self, file: BinaryIO, room: int) -> None:
        self.file, self.room = file, room

    def write(self, data: bytes) -> int:
        if len(data) > self.room:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return self.file.write(data)

    def __enter__(self) -> AlmostFullDisk:
        return self

    def __exit__(self, *exc: object) -> None:
        self.file.close()


def test_a_job_that_finds_the_disk_full_is_a_failed_record_naming_the_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_fdopen = os.fdopen

    def fdopen_on_a_full_disk(fd: int, mode: str) -> AlmostFullDisk:
        assert mode == "wb"  # sim.io writes bytes
        return AlmostFullDisk(real_fdopen(fd, "wb"), room=1000)

    monkeypatch.setattr(sim.io.os, "fdopen", fdopen_on_a_full_disk)

    def prepare(settings: SweepSettings) -> tuple[str, None]:
        return "0123456789abcdef", None

    def compute(payload: None, out: Path) -> None:
        write_json(out / "summary.json", {"values": list(range(1000))})  # ~5 kB: no room

    out = tmp_path / "job"
    out.mkdir()
    record = run_job("sim", 3, out, SweepSettings(cache_dir=str(tmp_path / "cache")),
                     prepare, compute)
    assert record.status == "failed"
    assert record.error == f"cannot write {out / 'summary.json'}: no space left on device"
    assert sorted(p.name for p in out.iterdir()) == [COMPLETE, JOB_FILE]  # no torn file
    assert read_record(out) == record  # the small record fitted: the table shows the line
    assert not (tmp_path / "cache" / "sim" / "0123456789abcdef").exists()


# ---------------------------------------------------------------- unwritable cache

def test_an_unwritable_cache_keeps_every_jobs_results_and_warns_once(tmp_path: Path) -> None:
    blocker = tmp_path / "not_a_folder"
    blocker.write_text("a file where the cache's parent folder should be\n")
    done = python_m("sim", ["-m", f"hydra.sweep.dir={tmp_path / 's'}",
                            f"sweep.cache_dir={blocker / 'cache'}", *SMALL, *BASIC,
                            "scenario.servers=5,6,7"])
    assert done.returncode == 0, done.stderr
    frame = pd.read_csv(tmp_path / "s" / "sweep.csv")
    assert list(frame["status"]) == ["ok", "ok", "ok"]
    assert (frame["journeys_mean"] > 0).all()
    warnings = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(warnings) == 1, done.stderr
    assert warnings[0].startswith("warning: 3 of 3 jobs' results not kept in the cache")
    assert str(blocker) in warnings[0]


# ---------------------------------------------------------------- killed and interrupted

PARALLEL = [*SMALL, "hydra/launcher=joblib", "hydra.launcher.n_jobs=2", "scenario.servers=5,6,7,8"]


def test_killing_a_sweeps_main_process_ends_its_workers_and_a_rerun_finishes_the_table(
        tmp_path: Path) -> None:
    # each of the two workers holds after its first job, watching its parent: the sweep
    # cannot end before it is killed, nor a worker be between jobs when it is
    held = startup_env(tmp_path, "hold_after_first_job")
    process = start_sweep(tmp_path, "killed", PARALLEL, env=held)
    wait_until(lambda: finished_jobs(tmp_path / "killed") == 2 or process.poll() is not None,
               "each worker's first job")
    assert process.poll() is None, process.communicate()
    assert len(session_processes(process.pid)) > 1  # the workers are there
    process.kill()  # SIGKILL to the main process only, not its group
    process.communicate(timeout=PATIENCE_SECONDS)  # the workers, ending, close its pipes
    wait_until(lambda: not session_processes(process.pid), "the workers to end")
    assert not (tmp_path / "killed" / "sweep.csv").exists()

    rerun = start_sweep(tmp_path, "rerun", PARALLEL)
    _, stderr = rerun.communicate(timeout=600)
    assert rerun.returncode == 0, stderr
    frame = pd.read_csv(tmp_path / "rerun" / "sweep.csv")
    assert sorted(frame["scenario.servers"]) == [5, 6, 7, 8]
    assert (frame["status"] == "ok").all() and (frame["journeys_mean"] > 0).all()
    assert json.loads((tmp_path / "rerun" / "sweep.json").read_text())["from_cache"] == 2


def test_ctrl_c_on_a_sweep_prints_one_line_and_exits_130(tmp_path: Path) -> None:
    held = startup_env(tmp_path, "hold_after_first_job")  # the sweep cannot end by itself
    process = start_sweep(tmp_path, "s", PARALLEL, env=held)
    wait_until(lambda: finished_jobs(tmp_path / "s") == 2 or process.poll() is not None,
               "each worker's first job")
    assert process.poll() is None, process.communicate()
    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C does: the whole foreground group
    _, stderr = process.communicate(timeout=600)
    assert process.returncode == 130
    assert stderr.strip() == "interrupted"  # no traceback, no leaked-semaphore warning
    wait_until(lambda: not session_processes(process.pid), "the workers to end")
