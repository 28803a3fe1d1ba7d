"""Figures a network planner reads (``branches.png``, ``diversion_by_kiosks.png``): the
branches ranked by their counter's mean wait with 95% intervals, and each branch's
diversion against its kiosks, coloured by region."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from sim.plots import new_figure, save_figure

Rows = list[dict[str, Any]]
MOST_BRANCHES = 40  # the ranking shows the worst this many (all, in a smaller network)


def plot_branch_ranking(rows: Rows, path: Path) -> None:
    """The branches with the longest counter waits, worst first, each with its interval."""
    waits = sorted((r for r in rows if r["kpi"] == "counter_wait_mean" and not math.isnan(r["mean"])),
                   key=lambda r: -r["mean"])[:MOST_BRANCHES]
    fig, ax = new_figure(7, max(2.5, 0.28 * len(waits) + 1.2))
    names = [f"{r['branch']} ({r['region']})" if r["region"] else r["branch"] for r in waits]
    means = [r["mean"] for r in waits]
    low = [r["mean"] - r["ci_low"] for r in waits]
    high = [r["ci_high"] - r["mean"] for r in waits]
    ax.errorbar(means, range(len(waits)), xerr=[low, high], fmt="o", capsize=3)
    ax.set_yticks(range(len(waits)), names)
    ax.invert_yaxis()
    ax.set_xlabel("mean counter wait (minutes, 95% CI)")
    ax.set_title("Branches by counter wait" + (f" (worst {MOST_BRANCHES})"
                                               if len(waits) == MOST_BRANCHES else ""))
    ax.grid(True, axis="x", alpha=0.3)
    save_figure(fig, path)


def plot_diversion_by_kiosks(rows: Rows, kiosks: dict[str, int], path: Path) -> None:
    """Each branch's diversion (with its interval) against the kiosks it has, by region."""
    diversion = [r for r in rows if r["kpi"] == "diversion_rate" and not math.isnan(r["mean"])]
    fig, ax = new_figure(7, 4.5)
    for region in dict.fromkeys(r["region"] for r in diversion):
        mine = [r for r in diversion if r["region"] == region]
        ax.errorbar([kiosks.get(r["branch"], 0) for r in mine], [r["mean"] for r in mine],
                    yerr=[[r["mean"] - r["ci_low"] for r in mine],
                          [r["ci_high"] - r["mean"] for r in mine]],
                    fmt="o", capsize=2, alpha=0.8, label=region or "(no region)")
    ax.set_xlabel("kiosks at the branch")
    ax.set_ylabel("diversion of its customers (95% CI)")
    ax.set_title("Diversion by branch against its kiosks")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize="small")
    save_figure(fig, path)
