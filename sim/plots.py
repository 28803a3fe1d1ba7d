"""Figures drawn from the tidy tables: waits by hour, volume shares, switching flows."""

from __future__ import annotations

import io
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # matplotlib loads when a figure is drawn: a run without plots skips it
    from matplotlib.figure import Figure

from sim.io import write_bytes_atomic

Rows = list[dict[str, Any]]


def new_figure(width: float, height: float) -> tuple[Figure, Any]:
    """A figure without pyplot: no global backend is chosen or changed (notebooks keep theirs)."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height))
    return fig, fig.add_subplot()


def save_figure(fig: Figure, path: Path) -> None:
    """PNG, written atomically; a figure with a layout engine is trimmed by it, not by a
    second tight-bounding-box pass (which draws every panel twice)."""
    buffer = io.BytesIO()
    tight = None if fig.get_layout_engine() is not None else "tight"
    fig.savefig(buffer, format="png", dpi=110, bbox_inches=tight, metadata={"Software": None})
    write_bytes_atomic(path, buffer.getvalue())


def finish_plot(fig: Figure, ax: Any, path: Path, xlabel: str, ylabel: str, title: str) -> None:
    """Label a one-panel figure, grid it, give it a legend (if anything is labelled) and
    save it as PNG: how every line figure of the project ends."""
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.grid(alpha=0.3)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize="small")
    save_figure(fig, path)


def ci_band(rows: Rows, scale: float = 1.0, floor: float = -math.inf
            ) -> tuple[list[float], list[float]]:
    """The (low, high) edges of a 95% CI band over ``rows`` (mean, ci_low, ci_high), times
    ``scale``; where an interval is undefined (NaN: one replication) the band closes on the
    mean. ``floor``: a bound the quantity never crosses (a wait is never negative)."""
    low = [scale * max(floor, r["mean"] if math.isnan(r["ci_low"]) else r["ci_low"]) for r in rows]
    high = [scale * (r["mean"] if math.isnan(r["ci_high"]) else r["ci_high"]) for r in rows]
    return low, high


def plot_wait_by_hour(hourly: Rows, path: Path) -> None:
    """Mean wait in queue per clock hour for each channel that has a queue, with 95% CI."""
    fig, ax = new_figure(8, 4.5)
    rows = [r for r in hourly if r["kpi"] == "wait_mean"]
    for name in dict.fromkeys(r["channel"] for r in rows):
        mine = [r for r in rows if r["channel"] == name and not math.isnan(r["mean"])]
        if not mine:
            continue
        hours = [r["hour"] for r in mine]
        ax.plot(hours, [r["mean"] for r in mine], marker="o", label=name)
        ax.fill_between(hours, *ci_band(mine, floor=0.0), alpha=0.2)
    finish_plot(fig, ax, path, "hour of day", "mean wait in queue (minutes)",
                "Wait by hour (95% CI)")


def plot_volume_shares(channels: Rows, path: Path) -> None:
    """Share of served transactions per channel, self-service kinds shaded differently."""
    rows = [r for r in channels if r["kpi"] == "volume_share"]
    fig, ax = new_figure(7, 4)
    colours = {"counter": "#4c72b0", "hotline": "#55a868", "kiosk": "#dd8452", "online": "#c44e52"}
    names = [r["channel"] for r in rows]
    shares = [0.0 if math.isnan(r["mean"]) else 100 * r["mean"] for r in rows]
    ax.barh(names, shares, color=[colours[r["kind"]] for r in rows])
    for y, s in enumerate(shares):
        ax.text(s, y, f" {s:.1f}%", va="center", fontsize="small")
    ax.invert_yaxis()
    ax.set_xlabel("share of served transactions (%)")
    ax.set_title("Channel volume shares")
    save_figure(fig, path)


def plot_switching_flows(flows: Rows, path: Path) -> None:
    """First choice (rows) -> final channel (columns): share of journeys."""
    firsts = sorted({r["first_choice"] for r in flows})
    finals = sorted({r["final_channel"] for r in flows} - {"lost"}) + ["lost"]
    grid = [[0.0] * len(finals) for _ in firsts]
    for r in flows:
        grid[firsts.index(r["first_choice"])][finals.index(r["final_channel"])] = 100 * r["share"]
    fig, ax = new_figure(1.2 * len(finals) + 3, 0.6 * len(firsts) + 2)
    image = ax.imshow(grid, cmap="Blues")
    ax.set_xticks(range(len(finals)), finals, rotation=30, ha="right")
    ax.set_yticks(range(len(firsts)), firsts)
    for i, row in enumerate(grid):
        for j, v in enumerate(row):
            ax.text(j, i, f"{v:.1f}", ha="center", va="center", fontsize="small",
                    color="white" if v > 50 else "black")
    ax.set_xlabel("final channel")
    ax.set_ylabel("first choice")
    ax.set_title("Switching flows (% of journeys)")
    fig.colorbar(image, ax=ax, shrink=0.8)
    save_figure(fig, path)
