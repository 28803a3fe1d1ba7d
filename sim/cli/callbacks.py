"""The Hydra callback of a multirun: a progress bar over jobs, then the sweep table and plots.

Configured in conf/config.yaml and conf/optimize.yaml (``hydra.callbacks.sweep``). It runs
in the process that launched the sweep, whatever the launcher: jobs report through the
files they leave (``job.json``), which is also what makes the bar work when they run in
other processes or on other machines that share the folder.
"""

from __future__ import annotations

import math
import signal
import sys
import threading
from pathlib import Path
from types import FrameType
from typing import Any, Optional, TextIO

from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.experimental.callback import Callback
from omegaconf import DictConfig
from tqdm import tqdm

from sim.io import COMPLETE, WriteError, write_error_line
from sim.validate import UserError

POLL_SECONDS = 0.5
INTERRUPTED = 130  # the shell's code for a command stopped by SIGINT (128 + 2)


def stop_on_interrupt(signum: int, frame: Optional[FrameType]) -> None:
    """Ctrl-C during a sweep: one line and exit code 130, no traceback.

    SystemExit unwinds through the launcher like KeyboardInterrupt would (joblib stops its
    workers and releases its semaphores on the way), but Hydra does not print it.
    """
    print("interrupted", file=sys.stderr)
    raise SystemExit(INTERRUPTED)


def count_jobs(task_overrides: list[str]) -> Optional[int]:
    """Jobs of the basic sweeper's grid: the product of the swept lists' lengths."""
    try:
        parsed = OverridesParser.create().parse_overrides(task_overrides)
        return math.prod(len(list(o.sweep_string_iterator())) for o in parsed
                         if o.is_sweep_override())
    except Exception:  # a sweep this cannot count (another sweeper): a bar without a total
        return None


class JobProgress:
    """A tqdm bar over finished jobs, counted from ``job.json`` files by a polling thread;
    quiet when stderr is not a terminal."""

    def __init__(self, sweep_dir: Path, total: Optional[int], enabled: Optional[bool] = None,
                 stream: Optional[TextIO] = None) -> None:
        self.sweep_dir = sweep_dir
        self.bar = tqdm(total=total, desc="jobs", unit="job", file=stream or sys.stderr,
                        disable=None if enabled is None else not enabled)
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._poll, daemon=True)
        self.thread.start()

    def _done(self) -> int:
        return sum(1 for _ in self.sweep_dir.glob(f"*/{COMPLETE}"))

    def _poll(self) -> None:
        # load what the table and plots need while the jobs run, not after them: with
        # workers in other processes this process is idle until the end
        import matplotlib.figure  # noqa: F401
        import pyarrow  # noqa: F401

        import sim.cli.sweep_plots  # noqa: F401
        import sim.cli.sweep_table  # noqa: F401

        while not self.stopped.wait(POLL_SECONDS):
            self.bar.update(self._done() - self.bar.n)

    def close(self) -> None:
        """Stop polling, bring the bar to the final count of finished jobs, close it."""
        self.stopped.set()
        self.thread.join()
        self.bar.update(self._done() - self.bar.n)
        self.bar.close()


class SweepCallback(Callback):
    """``app``: sim or optimize, which result files the table reads."""

    def __init__(self, app: str = "sim", plots: bool = True) -> None:
        self.app = app
        self.plots = plots
        self.progress: Optional[JobProgress] = None
        self.total: Optional[int] = None
        self.previous_sigint: Any = None

    def __getstate__(self) -> dict[str, Any]:
        """Launchers pickle the callbacks for their workers; the bar and handler stay here."""
        return {**self.__dict__, "progress": None, "previous_sigint": None}

    def on_multirun_start(self, config: DictConfig, **kwargs: Any) -> None:
        """Before the first job: check the sweep settings once (a bad one ends the sweep
        with one line and exit code 2), count the jobs for the progress bar, and make
        Ctrl-C end the sweep with one line and exit code 130."""
        sweep_dir = Path(config.hydra.sweep.dir)
        from sim.cli.config import load_sweep

        try:  # checked here once, before any job starts, whatever the launcher
            load_sweep(config)
        except UserError as error:
            print(f"error: {error}", file=sys.stderr)
            raise SystemExit(2) from None
        from sim.cli.sweep_table import task_overrides

        self.total = count_jobs(task_overrides(config))
        self.progress = JobProgress(sweep_dir, self.total)
        if threading.current_thread() is threading.main_thread():
            self.previous_sigint = signal.signal(signal.SIGINT, stop_on_interrupt)

    def on_multirun_end(self, config: DictConfig, **kwargs: Any) -> None:
        """After the last job: write sweep.csv, sweep.parquet and sweep.json, warn once
        about results not kept in the cache, draw the sweep's figures (``plots``) and list
        the failed jobs.  Exits with code 1 when a job failed, fewer jobs were found than
        launched, or the table could not be written."""
        if self.previous_sigint is not None:
            signal.signal(signal.SIGINT, self.previous_sigint)
        if self.progress is not None:
            self.progress.close()
        sweep_dir = Path(config.hydra.sweep.dir)
        # imported here, not at the top: launchers unpickle this callback in every worker,
        # which then need not import pandas and matplotlib
        from sim.cli.sweep_plots import plot_sweep
        from sim.cli.sweep_table import cache_errors, swept_keys, write_sweep

        try:
            frame = write_sweep(sweep_dir, self.app)
        except WriteError as error:  # e.g. the disk filled up during the sweep
            print(f"error: {write_error_line(error)}", file=sys.stderr)
            raise SystemExit(1) from None
        not_cached = cache_errors(sweep_dir)
        if not_cached:  # once for the sweep, not once per job
            print(f"warning: {len(not_cached)} of {len(frame)} jobs' results not kept in the "
                  f"cache (results stand; a rerun recomputes them): {not_cached[0]}",
                  file=sys.stderr)
        if self.total is not None and len(frame) < self.total:
            # e.g. workers on a cluster that resolved a relative sweep dir elsewhere
            print(f"error: {self.total} jobs launched, {len(frame)} found in {sweep_dir.resolve()}; "
                  "on a cluster, hydra.sweep.dir must be a folder every node sees at that path",
                  file=sys.stderr)
            raise SystemExit(1)
        if self.plots:
            plot_sweep(frame, swept_keys(sweep_dir), self.app, sweep_dir)
        failed = frame[frame["status"] != "ok"]
        print(f"sweep: {len(frame)} jobs, {len(frame) - len(failed)} ok, {len(failed)} failed; "
              f"table in {sweep_dir / 'sweep.csv'}")
        for _, row in failed.iterrows():
            print(f"  job {row['job']} failed: {row['error']}", file=sys.stderr)
        if len(failed):
            raise SystemExit(1)
