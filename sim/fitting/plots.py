"""Figures of a fit against its data: arrivals by interval (each day's rate and the fitted
one with its interval), service-time histograms against the fitted densities, the patience
survival curve (Kaplan-Meier against the fitted families) and agents by interval (the
estimate between its bounds)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy.special import gammaln

from sim.estimators import kaplan_meier
from sim.fitting.behaviour import waiting
from sim.logs.table import GAVE_UP, SERVED
from sim.plots import finish_plot, new_figure, save_figure


def lognormal_density(x: np.ndarray, mean: float, cv: float) -> np.ndarray:
    """The lognormal density at ``x`` (minutes) with this mean and coefficient of variation."""
    sigma2 = math.log(1.0 + cv * cv)
    mu = math.log(mean) - sigma2 / 2
    with np.errstate(divide="ignore"):
        return np.exp(-(np.log(x) - mu) ** 2 / (2 * sigma2)) / (x * math.sqrt(2 * math.pi * sigma2))


def gamma_density(x: np.ndarray, mean: float, cv: float) -> np.ndarray:
    """The gamma density at ``x`` (minutes) with this mean and coefficient of variation."""
    shape = 1.0 / (cv * cv)
    scale = mean / shape
    with np.errstate(divide="ignore"):
        return np.exp((shape - 1) * np.log(x) - x / scale - gammaln(shape) - shape * math.log(scale))


def lognormal_survival(x: np.ndarray, mean: float, cv: float) -> np.ndarray:
    """P(T > x) of that lognormal."""
    from scipy.special import ndtr

    sigma2 = math.log(1.0 + cv * cv)
    mu = math.log(mean) - sigma2 / 2
    with np.errstate(divide="ignore"):
        return 1.0 - ndtr((np.log(np.maximum(x, 1e-12)) - mu) / math.sqrt(sigma2))


def plot_fit(contacts: pd.DataFrame, report: dict[str, Any], folder: Path) -> list[Path]:
    """fit_arrivals.png, fit_service.png, fit_patience.png and fit_agents.png in
    ``folder`` from the contacts the fit used and its report; returns the files."""
    frame = contacts[contacts["date"].isin(report["days"])]
    origin = report["open_hour"] * 60.0
    interval = report["interval_minutes"]
    written = [_arrivals(frame, report, origin, interval, folder / "fit_arrivals.png"),
               _service(frame, report, folder / "fit_service.png"),
               _patience(frame, report, folder / "fit_patience.png"),
               _agents(report, origin, interval, folder / "fit_agents.png")]
    return written


def _hours(origin: float, interval: int, n: int) -> np.ndarray:
    return (origin + interval * (np.arange(n) + 0.5)) / 60.0


def _arrivals(frame: pd.DataFrame, report: dict[str, Any], origin: float, interval: int,
              path: Path) -> Path:
    fig, ax = new_figure(8, 4.5)
    fitted = report["arrivals"]
    n = len(fitted["rate_per_minute"])
    hours = _hours(origin, interval, n)
    slot = ((frame["arrival"] - origin) // interval).astype(int)
    for _, day in frame.assign(slot=slot).groupby("date"):
        counts = np.bincount(day["slot"].clip(0, n - 1), minlength=n)[:n]
        ax.plot(hours, counts / interval, ".", color="grey", alpha=0.5)
    ax.step(hours, fitted["rate_per_minute"], where="mid", color="C0", label="fitted rate")
    ax.fill_between(hours, fitted["ci_low"], fitted["ci_high"], step="mid", alpha=0.2,
                    color="C0", label=f"{report['level']:.0%} interval")
    ax.plot([], [], ".", color="grey", label="each day")
    finish_plot(fig, ax, path, "hour of day", "arrivals per minute",
                "Arrivals by interval: the log's days and the fit")
    return path


def _service(frame: pd.DataFrame, report: dict[str, Any], path: Path) -> Path:
    from matplotlib.figure import Figure

    types = list(report["service"])
    fig = Figure(figsize=(5 * len(types), 4), layout="constrained")
    axes = fig.subplots(1, len(types), squeeze=False)[0]
    for ax, t in zip(axes, types):
        minutes = frame.loc[(frame["type"] == t) & frame["outcome"].isin(SERVED)
                            & (frame["service"] > 0), "service"].to_numpy(float)
        top = float(np.quantile(minutes, 0.99))
        ax.hist(minutes[minutes <= top], bins=40, density=True, color="lightgrey",
                label=f"the log ({minutes.size:,})")
        x = np.linspace(top / 400, top, 400)
        for family, density in (("lognormal", lognormal_density), ("gamma", gamma_density)):
            fit = report["service"][t][family]
            best = " (best)" if report["service"][t]["best"] == family else ""
            ax.plot(x, density(x, fit["mean_minutes"]["value"], fit["cv"]["value"]),
                    label=f"{family}{best}")
        ax.set_title(f"service time: {t}")
        ax.set_xlabel("minutes")
        ax.legend(fontsize="small")
    save_figure(fig, path)
    return path


def _patience(frame: pd.DataFrame, report: dict[str, Any], path: Path) -> Path:
    fig, ax = new_figure(7, 4.5)
    queued = waiting(frame)
    curve = kaplan_meier(queued["wait"].to_numpy(float),
                         queued["outcome"].isin(GAVE_UP).to_numpy())
    if curve.time_minutes.size and "exponential" in report["patience"]:
        ax.step(curve.time_minutes, curve.survival, where="post", color="black",
                label="Kaplan-Meier (the log)")
        ax.fill_between(curve.time_minutes, np.nan_to_num(curve.ci_low, nan=0.0),
                        np.nan_to_num(curve.ci_high, nan=1.0), step="post", color="grey",
                        alpha=0.2)
        x = np.linspace(0.0, float(curve.time_minutes.max()), 300)
        patience = report["patience"]
        mean = patience["exponential"]["mean_minutes"]["value"]
        ax.plot(x, np.exp(-x / mean), label=f"exponential, mean {mean:.2f} min")
        if patience["lognormal"] is not None:
            fit = patience["lognormal"]
            ax.plot(x, lognormal_survival(x, fit["mean_minutes"]["value"], fit["cv"]["value"]),
                    label="lognormal")
    finish_plot(fig, ax, path, "minutes waited", "share still waiting (patience survival)",
                "Patience: censored waits and the fitted survival")
    return path


def _agents(report: dict[str, Any], origin: float, interval: int, path: Path) -> Path:
    fig, ax = new_figure(8, 4.5)
    agents = report["agents"]
    hours = _hours(origin, interval, len(agents["per_interval"]))
    roster = agents["method"].startswith("roster")
    ax.step(hours, agents["per_interval"], where="mid", color="C0",
            label="agents (roster)" if roster else "agents (fitted)")
    ax.fill_between(hours, agents["ci_low"], agents["ci_high"], step="mid", color="C0",
                    alpha=0.2, label=f"{report['level']:.0%} interval over the days")
    if "lower_bound" in agents:  # estimated from activity
        ax.step(hours, agents["lower_bound"], where="mid", color="C0", ls="--", alpha=0.6,
                label="busy on average (a lower bound)")
        upper = np.asarray(agents["upper_bound"], float)
        if (upper >= np.asarray(agents["lower_bound"], float)).all():  # a log naming agents
            ax.step(hours, upper, where="mid", color="grey", ls=":", label="distinct agents seen")
    ax.set_ylim(bottom=0)
    finish_plot(fig, ax, path, "hour of day", "agents",
                "Agents by interval" + (" (from the roster)" if roster else ""))
    return path


def plot_comparison(rows: list[dict[str, Any]], summary: dict[str, Any], path: Path) -> None:
    """comparison.png: per KPI a panel of the log's value per interval (dots) over the
    model's mean and the band a mean of as many days falls in (95%)."""
    from matplotlib.figure import Figure

    kpis = list(dict.fromkeys(r["kpi"] for r in rows))
    columns = 2
    fig = Figure(figsize=(6 * columns, 3.2 * math.ceil(len(kpis) / columns)), layout="constrained")
    axes = fig.subplots(math.ceil(len(kpis) / columns), columns, squeeze=False).ravel()
    for ax, kpi in zip(axes, kpis):
        mine = [r for r in rows if r["kpi"] == kpi]
        hours = [r["interval"] for r in mine]
        width = hours[1] - hours[0] if len(hours) > 1 else 1.0
        edges = [*hours, hours[-1] + width]  # each interval drawn over its whole width

        ax.fill_between(edges, _closed(mine, "ci_low"), _closed(mine, "ci_high"), step="post",
                        alpha=0.2, color="C0")
        ax.step(edges, _closed(mine, "simulated"), where="post", color="C0", label="model")
        ax.plot([h + width / 2 for h in hours], [r["observed"] for r in mine], "o",
                color="black", ms=3, label="log")
        ax.set_xlabel("hour of day", fontsize="small")
        ratio = summary.get(kpi, {}).get("ratio", math.nan)
        ax.set_title(f"{kpi}: error / noise floor {ratio:.2f}", fontsize="small")
        ax.grid(alpha=0.3)
    for ax in axes[len(kpis):]:
        ax.set_visible(False)
    axes[0].legend(fontsize="small")
    save_figure(fig, path)


def _closed(rows: list[dict[str, Any]], key: str) -> list[float]:
    """The rows' values with the last repeated: a step drawn to the last interval's end."""
    values = [r[key] for r in rows]
    return [*values, values[-1]]
