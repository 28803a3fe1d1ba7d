"""Months mode's figure: adoption by month against the scenario's targets."""

from __future__ import annotations

from pathlib import Path

from sim.plots import Rows, ci_band, finish_plot, new_figure


def plot_monthly(monthly: Rows, targets: dict[str, float], path: Path) -> None:
    """E-channel share of transactions and penetration by month (95% CI bands), with the
    scenario's targets (``adoption.targets``) as dashed lines."""
    fig, ax = new_figure(8, 4.5)
    series = [("e_channel_share", "e-channel share of transactions"),
              ("penetration", "penetration (e-channel users this month)"),
              ("penetration_cumulative", "penetration, cumulative")]
    for kpi, label in series:
        rows = [r for r in monthly if r["kpi"] == kpi]
        months = [r["month"] for r in rows]
        line, = ax.plot(months, [100 * r["mean"] for r in rows], marker="o", label=label)
        ax.fill_between(months, *ci_band(rows, scale=100.0), alpha=0.15, color=line.get_color())
        if kpi in targets:
            ax.axhline(100 * targets[kpi], ls="--", color=line.get_color(),
                       label=f"target: {label.split(' (')[0]} {targets[kpi]:.0%}")
    finish_plot(fig, ax, path, "month", "%",
                "Adoption by month (mean, 95% CI)")
