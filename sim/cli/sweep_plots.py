"""Standard figures of a sweep, drawn from the sweep table at the multirun root.

- ``sweep_<parameter>.png``: the outcome KPIs (the app's ``plotted``) against one swept parameter,
  mean with its 95% CI band, one line per combination of the other swept parameters;
- ``heatmap_<first>_<second>.png``: headline KPIs over the first two swept numeric
  parameters (mean over any others);
- ``cost_vs_diversion.png``: every job's cost and diversion, the Pareto front marked
  (no other job is both cheaper and diverts more).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from sim.cli.sweep_table import APPS
from sim.plots import save_figure

MAX_LINES = 8  # more combinations of the other parameters: one averaged line
def kpi_names(frame: pd.DataFrame, app: str) -> list[str]:
    """The plotted KPIs that the table has and that vary across its jobs."""
    names = [k for k in APPS[app].plotted if _column(frame, k) is not None]
    return [k for k in names if frame[_column(frame, k)].dropna().nunique() > 1]


def _column(frame: pd.DataFrame, kpi: str) -> str | None:
    for c in (f"{kpi}_mean", kpi):
        if c in frame.columns:
            return c
    return None


def numeric(frame: pd.DataFrame, key: str) -> bool:
    """Whether column ``key`` can be an axis: numeric, with at least two distinct values
    among the rows where it is set."""
    values = frame[key].dropna()
    return bool(len(values)) and pd.api.types.is_numeric_dtype(values) and values.nunique() > 1


def plot_sweep(frame: pd.DataFrame, swept: list[str], app: str, folder: Path) -> list[Path]:
    """Every standard figure the table supports; returns the files written."""
    ok = frame[frame["status"] == "ok"]
    if ok.empty:
        return []
    written = []
    kpis = kpi_names(ok, app)
    for key in swept:
        if numeric(ok, key) and kpis:
            path = folder / f"sweep_{key}.png"
            plot_against(ok, key, [k for k in swept if k != key], kpis, path)
            written.append(path)
    axes = [k for k in swept if numeric(ok, k)]
    headline = [k for k in APPS[app].headline if k in kpis]
    if len(axes) >= 2 and headline:
        path = folder / f"heatmap_{axes[0]}_{axes[1]}.png"
        plot_heatmaps(ok, axes[0], axes[1], headline, path)
        written.append(path)
    diversion, cost = APPS[app].cloud
    if diversion in ok.columns and cost in ok.columns and len(ok) > 1:
        path = folder / "cost_vs_diversion.png"
        plot_cost_diversion(ok, cost, diversion, path)
        written.append(path)
    return written


def _grid(n: int, width: float = 3.6, height: float = 2.8) -> tuple[Figure, list[Any]]:
    cols = min(4, n)
    rows = math.ceil(n / cols)
    fig = Figure(figsize=(width * cols, height * rows), layout="constrained")
    axes = fig.subplots(rows, cols, squeeze=False).ravel().tolist()
    for ax in axes[n:]:
        ax.set_visible(False)
    return fig, axes[:n]


def plot_against(frame: pd.DataFrame, key: str, others: list[str], kpis: list[str],
                 path: Path) -> None:
    """A PNG at ``path`` with one panel per KPI: its mean against the swept parameter
    ``key``, one line per combination of the ``others`` with its 95% CI band.  Past
    MAX_LINES combinations, one line averaged over them and no band (a mean of intervals
    is not an interval)."""
    fig, axes = _grid(len(kpis))
    groups = list(frame.groupby(others, dropna=False)) if others else [((), frame)]
    averaged = len(groups) > MAX_LINES  # then no band: a mean of intervals is not one
    if averaged:
        groups = [(("mean over the other parameters",), frame)]
    for ax, kpi in zip(axes, kpis):
        col = _column(frame, kpi)
        assert col is not None
        for label, part in groups:
            mean = part.groupby(key)[col].mean().sort_index()
            line = ax.plot(mean.index, mean.values, marker="o", label=_label(others, label))
            if f"{kpi}_ci_low" in part.columns and not averaged:
                low = part.groupby(key)[f"{kpi}_ci_low"].mean().sort_index()
                high = part.groupby(key)[f"{kpi}_ci_high"].mean().sort_index()
                ax.fill_between(low.index, low.values, high.values, alpha=0.15,
                                color=line[0].get_color())
        ax.set_title(kpi, fontsize="medium")
        ax.set_xlabel(key, fontsize="small")
        values = sorted(frame[key].dropna().unique())
        if len(values) <= 12:  # a tick at every swept value, none between
            ax.set_xticks(values, [f"{v:g}" for v in values])
        ax.grid(alpha=0.3)
    if others and len(groups) > 1:
        axes[0].legend(fontsize="x-small")
    fig.suptitle(f"KPIs against {key} (mean, 95% CI band)")
    save_figure(fig, path)


def _label(keys: list[str], values: Any) -> str:
    if not keys:
        return ""
    values = values if isinstance(values, tuple) else (values,)
    if len(values) != len(keys):
        return str(values[0])
    return ", ".join(f"{k.rsplit('.', 1)[-1]}={v}" for k, v in zip(keys, values))


def plot_heatmaps(frame: pd.DataFrame, x: str, y: str, kpis: list[str], path: Path) -> None:
    """A PNG at ``path`` with one heatmap per KPI over two swept numeric parameters (``x``
    across, ``y`` up): each cell the mean over the jobs with those values (averaged over
    any other swept parameter), labelled with its value."""
    fig, axes = _grid(len(kpis), 4.2, 3.4)
    for ax, kpi in zip(axes, kpis):
        col = _column(frame, kpi)
        assert col is not None
        table = frame.pivot_table(index=y, columns=x, values=col, aggfunc="mean").sort_index()
        table = table.reindex(sorted(table.columns), axis=1)
        image = ax.imshow(table.values.astype(float), origin="lower", aspect="auto",
                          cmap="viridis")
        ax.set_xticks(range(len(table.columns)), [f"{v:g}" for v in table.columns])
        ax.set_yticks(range(len(table.index)), [f"{v:g}" for v in table.index])
        for (i, j), value in np.ndenumerate(table.values.astype(float)):
            if math.isfinite(value):  # dark text on the bright end of viridis
                ax.text(j, i, f"{value:.3g}", ha="center", va="center", fontsize="x-small",
                        color="black" if image.norm(value) > 0.6 else "white")
        ax.set_xlabel(x, fontsize="small")
        ax.set_ylabel(y, fontsize="small")
        ax.set_title(kpi, fontsize="medium")
        fig.colorbar(image, ax=ax, shrink=0.8)
    fig.suptitle("Mean KPIs over the sweep")
    save_figure(fig, path)


def pareto_front(cost: np.ndarray, diversion: np.ndarray) -> np.ndarray:
    """Indices of the jobs no other job beats on both (cheaper or equal and diverting more,
    or diverting as much for less), cheapest first."""
    order = np.lexsort((-diversion, cost))
    front, best = [], -math.inf
    for i in order:
        if diversion[i] > best:
            front.append(i)
            best = diversion[i]
    return np.array(front, dtype=int)


def plot_cost_diversion(frame: pd.DataFrame, cost: str, diversion: str, path: Path) -> None:
    """A PNG at ``path``: every job's ``cost`` against its ``diversion`` (%), labelled with
    its job number, and the Pareto front (``pareto_front``) as a line; jobs missing either
    value are left out."""
    data = frame[["job", cost, diversion]].dropna()
    c, d = data[cost].to_numpy(float), data[diversion].to_numpy(float)
    front = pareto_front(c, d)
    fig = Figure(figsize=(7, 4.5), layout="constrained")
    ax = fig.add_subplot()
    ax.scatter(c, 100 * d, color="#999999", label="job")
    ax.plot(c[front], 100 * d[front], color="#c44e52", marker="o", label="Pareto front")
    for job, x, y in zip(data["job"], c, d):
        ax.annotate(str(job), (x, 100 * y), fontsize="x-small", xytext=(3, 3),
                    textcoords="offset points")
    ax.set_xlabel(cost)
    ax.set_ylabel(f"{diversion} (%)")
    ax.set_title("Cost against diversion: the front is where no job is cheaper and better")
    ax.grid(alpha=0.3)
    ax.legend(fontsize="small")
    save_figure(fig, path)
