"""The studies behind pages 3 to 5, as plain functions a job runs: fitting an uploaded
contact log and comparing the fit with it (Data), a months run with a campaign calendar
(Months), and reading a sweep table (Sweeps)."""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

import numpy as np
import pandas as pd

import sim
from sim.months.model import MonthsResult
from sim.months.results import monthly_table
from sim.scenario import Scenario
from webapp.jobs import Progress

FITTED_DIR = Path("outputs") / "app" / "fitted"  # scenarios saved for the What-if page
UPLOADS_DIR = Path("outputs") / "app" / "uploads"  # logs as uploaded, named by content


def stored_upload(name: str, data: bytes) -> Path:
    """An uploaded file kept under ``UPLOADS_DIR`` by its content's digest (the same
    upload twice is one file, whose name keys the fit's cache)."""
    digest = hashlib.sha256(data).hexdigest()[:16]
    path = UPLOADS_DIR / digest / Path(name).name
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(path.suffix + ".part")
        tmp.write_bytes(data)
        tmp.replace(path)
    return path


@dataclass(frozen=True)
class FitAnswer:
    """A fit and its comparison with the log it came from."""

    fit: sim.FitResult
    comparison: sim.ComparisonResult


def fit_and_compare(log: Path, format: str, interval_minutes: int, open_hour: int,
                    replications: int, progress: Progress) -> FitAnswer:
    """Fit the log, then simulate the fitted scenario ``replications`` days and compare."""
    progress.update(0, 2, "fitting")
    fit = sim.fit_scenario(log, format=format, interval_minutes=interval_minutes,
                           open_hour=open_hour)
    progress.update(1, 2, "comparing")
    comparison = sim.compare_scenario(fit.scenario, log, format=format, open_hour=open_hour,
                                      interval_minutes=interval_minutes,
                                      replications=replications)
    progress.update(2, 2, "done")
    return FitAnswer(fit, comparison)


def save_fitted(fit: sim.FitResult, name: str) -> Path:
    """The fitted scenario as ``FITTED_DIR/<name>.yaml`` for the What-if page (written
    whole, then moved into place); returns its path."""
    folder = FITTED_DIR / ".work" / name
    fit.write(folder, plots=False)
    target = FITTED_DIR / f"{name}.yaml"
    shutil.copyfile(folder / "scenario" / "fitted.yaml", target.with_suffix(".part"))
    target.with_suffix(".part").replace(target)
    return target


def months_run(scenario: Scenario, months: int, customers: int, replications: int, seed: int,
               progress: Progress) -> MonthsResult:
    """A months run of the scenario (its calendar's changes in it)."""
    return sim.simulate_months(scenario, months=months, customers=customers,
                               replications=replications, seed=seed,
                               on_month=lambda done, total: progress.update(done, total, "months"))


def months_key(scenario: Scenario, months: int, customers: int, replications: int,
               seed: int) -> str:
    """The config hash of that months run (as ``run.mode=months`` computes it)."""
    from sim.results import config_hash
    from sim.scenario import Mode, RunSettings, opening_minutes

    return config_hash(scenario, RunSettings(
        mode=Mode.months, months=months, customers=customers, replications=replications,
        seed=seed, plots=False, horizon_minutes=opening_minutes(scenario)))


def months_table(result: MonthsResult) -> pd.DataFrame:
    """The monthly KPIs as a tidy table: month, kpi, mean, ci_low, ci_high."""
    return pd.DataFrame(monthly_table(result))


SWEEP_JOB_COLUMNS = ("status", "error", "config_hash", "seconds")


def sweep_parameters(table: pd.DataFrame) -> list[str]:
    """The swept settings of a sweep table: the columns between ``job`` and ``status``."""
    columns = list(table.columns)
    if "job" not in columns or "status" not in columns:
        return []
    return columns[columns.index("job") + 1:columns.index("status")]


def sweep_kpis(table: pd.DataFrame) -> list[str]:
    """The result columns: numeric, after the job's own columns."""
    columns = list(table.columns)
    start = columns.index("seconds") + 1 if "seconds" in columns else 0
    return [c for c in columns[start:] if pd.api.types.is_numeric_dtype(table[c])]


def pareto_front(table: pd.DataFrame, cost: str, value: str) -> pd.DataFrame:
    """The rows no other row beats on both: lower ``cost`` and higher ``value`` (ties
    kept), sorted by cost; rows with either missing are left out."""
    rows = table.dropna(subset=[cost, value]).sort_values([cost, value],
                                                          ascending=[True, False])
    best = -np.inf
    keep = []
    for index, v in zip(rows.index, rows[value]):
        if v > best:
            keep.append(index)
            best = v
    return rows.loc[keep]


def default_column(candidates: list[str], wanted: tuple[str, ...]) -> Optional[str]:
    """The first of ``wanted`` among ``candidates`` (e.g. the diversion column)."""
    return next((w for w in wanted if w in candidates), candidates[0] if candidates else None)


def read_sweep(data: bytes) -> pd.DataFrame:
    """A sweep table from the bytes of a ``sweep.parquet`` (or a ``sweep.csv``)."""
    import io

    buffer = io.BytesIO(data)
    if data[:4] == b"PAR1":
        return pd.read_parquet(buffer)
    return pd.read_csv(buffer)


def describe_fit(report: dict[str, Any]) -> dict[str, Any]:
    """The headline of a fit report for the page: days, contacts, rows read and used."""
    quality = report.get("data_quality", {})
    return {"days": len(report["days"]), "contacts": report["contacts"],
            "rows read": quality.get("rows_read"), "rows used": quality.get("rows_used"),
            "hours": f"{report['open_hour']:02d}:00-{report['close_hour'] % 24:02d}:00"}
