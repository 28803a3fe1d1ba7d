"""The sweep table: one row per job of a multirun, read from the jobs' own files.

Columns: ``job``, one per swept override (typed as Hydra parses it: 3 is an int, 0.5 a
float), ``status``, ``error``, ``config_hash``, ``seconds``, then the results: for
``python -m sim`` each KPI of summary.json as ``<kpi>_mean``, ``<kpi>_ci_low``,
``<kpi>_ci_high`` and each channel KPI as ``<channel>.<kpi>_mean``, ...; for
another app (``python -m optimize``) what it registers with ``register_app``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from hydra.core.override_parser.overrides_parser import OverridesParser
from omegaconf import DictConfig, OmegaConf

from sim.cli.sweep import read_record
from sim.experiment import ESTIMATE_KEYS
from sim.io import read_json, write_bytes_atomic, write_json, write_parquet

JOB_COLUMNS = ("status", "error", "config_hash", "seconds")
UNFINISHED = "no result: the job stopped before it finished (no complete marker)"


def flatten(node: Any, prefix: str = "") -> dict[str, Any]:
    """Scalars of nested dicts by dotted path; an estimate {mean, ci_low, ci_high} becomes
    ``<path>_mean``, ``<path>_ci_low``, ``<path>_ci_high``; lists are left out."""
    if isinstance(node, dict) and set(node) == set(ESTIMATE_KEYS):
        return {f"{prefix}_{k}": node[k] for k in ESTIMATE_KEYS}
    if isinstance(node, dict):
        out: dict[str, Any] = {}
        for key, value in node.items():
            out.update(flatten(value, f"{prefix}.{key}" if prefix else str(key)))
        return out
    if isinstance(node, list):
        return {}
    return {prefix: node}


@dataclass(frozen=True)
class SweepColumns:
    """What an app's sweep table and figures read: the job's result columns and which of
    them to draw (a name k stands for column k_mean or k)."""

    results: Callable[[Path], dict[str, Any]]  # a complete job folder -> its result columns
    plotted: tuple[str, ...]  # outcome KPIs drawn against each swept parameter
    headline: tuple[str, ...]  # KPIs of the heatmaps
    cloud: tuple[str, str]  # (diversion, cost) columns of the cost-vs-diversion cloud


APPS: dict[str, SweepColumns] = {}


def register_app(name: str, columns: SweepColumns) -> None:
    """Make ``app: <name>`` of the sweep callback read the app's own result files (the
    optimiser registers its plan.json columns from ``optimize/cli.py``)."""
    APPS[name] = columns


def sim_results(job_dir: Path) -> dict[str, Any]:
    """A ``python -m sim`` job's result columns, from its summary.json: each overall KPI as
    ``<kpi>_mean``, ``<kpi>_ci_low``, ``<kpi>_ci_high`` and each channel KPI as
    ``<channel>.<kpi>_mean``, ...; in months mode the last month's KPIs and
    ``<channel>.active_mean``, ...; a network's regions and total as
    ``network.<region>.<kpi>_mean``, ... and ``network.total.<kpi>_mean``, ..."""
    summary = read_json(job_dir / "summary.json")
    network = summary.get("network")
    extra = {} if network is None else flatten(
        {"network": {**network["regions"], "total": network["total"]}})
    return {**flatten(summary["kpis"]), **flatten(summary["channels"]), **extra}


# counts and rates of arrival, which follow from the scenario, are in the table, not drawn
register_app("sim", SweepColumns(
    sim_results,
    plotted=("diversion_rate", "lost_rate", "switch_rate", "satisfaction", "cost_total",
             "cost_per_transaction", "mean_journey_minutes", "mean_in_system"),
    headline=("diversion_rate", "cost_total", "mean_journey_minutes", "lost_rate"),
    cloud=("diversion_rate_mean", "cost_total_mean")))


def task_overrides(config: DictConfig) -> list[str]:
    """The command line's overrides as written (``${...}`` in a value left unresolved)."""
    overrides = OmegaConf.to_container(config.hydra.overrides.task, resolve=False)
    assert isinstance(overrides, list)
    return [str(o) for o in overrides]


def swept_keys(sweep_dir: Path) -> list[str]:
    """The overrides the multirun sweeps over (``a=1,2``, ``range(..)``, ...), in order."""
    config = OmegaConf.load(sweep_dir / "multirun.yaml")
    assert isinstance(config, DictConfig)
    task = task_overrides(config)
    return [o.key_or_group for o in OverridesParser.create().parse_overrides(task)
            if o.is_sweep_override()]


def job_dirs(sweep_dir: Path) -> list[tuple[int, Path]]:
    """(job number, folder) of every job Hydra started under the sweep folder (the number
    from the job's record, or from Hydra's config for a job that left none)."""
    jobs = []
    for hydra_yaml in sweep_dir.glob("**/.hydra/hydra.yaml"):
        job_dir = hydra_yaml.parent.parent
        if job_dir == sweep_dir:
            continue
        record = read_record(job_dir)
        num = record.job if record is not None else int(OmegaConf.load(hydra_yaml).hydra.job.num)
        jobs.append((num, job_dir))
    return sorted(jobs)


def override_values(job_dir: Path, keys: list[str]) -> dict[str, Any]:
    """The values a job gave the swept ``keys``, from its .hydra/overrides.yaml, typed as
    Hydra parses them (3 an int, 0.5 a float); None for a key it did not override."""
    loaded = OmegaConf.to_container(OmegaConf.load(job_dir / ".hydra" / "overrides.yaml"),
                                    resolve=False)
    assert isinstance(loaded, list)
    overrides = [str(o) for o in loaded]
    parsed = {o.key_or_group: o.value() for o in OverridesParser.create().parse_overrides(overrides)}
    return {k: parsed.get(k) for k in keys}


def sweep_table(sweep_dir: Path, app: str) -> pd.DataFrame:
    """The sweep table: one row per job Hydra started under ``sweep_dir``, in job order
    (columns in the module docstring); the ``app``'s result columns for the jobs that
    succeeded.  A job without its ``complete`` marker is a failed row (UNFINISHED); a
    result column of numbers is float, with NaN for an undefined KPI (null in JSON)."""
    keys = swept_keys(sweep_dir)
    rows = []
    for job, job_dir in job_dirs(sweep_dir):
        row: dict[str, Any] = {"job": job, **override_values(job_dir, keys)}
        record = read_record(job_dir)
        if record is None:
            row.update(status="failed", error=UNFINISHED, config_hash=None, seconds=None)
        else:
            row.update(status=record.status, error=record.error,
                       config_hash=record.config_hash, seconds=record.seconds)
            if record.status == "ok":
                row.update(APPS[app].results(job_dir))
        rows.append(row)
    columns = ["job", *keys, *JOB_COLUMNS]
    frame = pd.DataFrame(rows)
    frame = frame.reindex(columns=columns + [c for c in frame.columns if c not in columns])
    for c in frame.columns[len(columns):]:  # undefined KPIs (null in JSON) as NaN, not None
        values = frame[c].dropna()
        if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
            frame[c] = frame[c].astype(float)
    frame["seconds"] = frame["seconds"].astype(float)
    return frame.infer_objects()


def cache_errors(sweep_dir: Path) -> list[str]:
    """Why jobs' results could not be kept in the cache (one line each, in job order)."""
    records = [read_record(d) for _, d in job_dirs(sweep_dir)]
    return [r.cache_error for r in records if r is not None and r.cache_error is not None]


def write_sweep(sweep_dir: Path, app: str) -> pd.DataFrame:
    """sweep.csv, sweep.parquet and sweep.json (counts) at the multirun root."""
    frame = sweep_table(sweep_dir, app)
    write_bytes_atomic(sweep_dir / "sweep.csv", frame.to_csv(index=False).encode("utf-8"))
    write_parquet(sweep_dir / "sweep.parquet", frame)
    records = [read_record(d) for _, d in job_dirs(sweep_dir)]
    write_json(sweep_dir / "sweep.json", {
        "jobs": len(records),
        "ok": sum(r is not None and r.status == "ok" for r in records),
        "failed": sum(r is None or r.status == "failed" for r in records),
        "from_cache": sum(r is not None and r.from_cache for r in records),
        "not_cached": sum(r is not None and r.cache_error is not None for r in records),
        "swept": swept_keys(sweep_dir),
    })
    return frame
