"""What-if against baseline with common random numbers: both runs use the same seeds, so
replication r of each sees the same customers, and the difference of a KPI is measured
replication by replication.  Its 95% interval is Student's t on the R paired differences
(much narrower than comparing two independent intervals, since the days' shared noise
cancels); ``significant`` only when it excludes 0."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from sim.experiment import estimate

LEVEL = 0.95
# the headline KPIs: (scope, kpi, label); a channel's scope is its name
OVERALL = (("diversion_rate", "diversion rate"), ("cost_per_transaction", "cost per transaction"),
           ("lost_rate", "lost rate"), ("switch_rate", "switch rate"),
           ("satisfaction", "satisfaction"), ("completed", "journeys completed"))
STAFFED = (("wait_mean", "mean wait (min)"), ("service_level", "service level"),
           ("abandon_rate", "abandonment rate"), ("utilisation", "utilisation"))
ALL_CHANNELS = (("volume_share", "volume share"),)
# which way is better: +1 up, -1 down; KPIs not here are neither (a share, a utilisation)
BETTER = {"diversion_rate": 1, "satisfaction": 1, "completed": 1, "service_level": 1,
          "cost_per_transaction": -1, "lost_rate": -1, "wait_mean": -1, "abandon_rate": -1}


@dataclass(frozen=True)
class PairedDifference:
    """One KPI in both runs: the baseline's and the what-if's means, the mean paired
    difference and its interval; ``significant`` when the interval excludes 0."""

    scope: str
    kpi: str
    label: str
    baseline: float
    what_if: float
    difference: float
    ci_low: float
    ci_high: float

    @property
    def significant(self) -> bool:
        """The interval of the difference excludes 0."""
        return bool(self.ci_low > 0 or self.ci_high < 0)

    @property
    def verdict(self) -> str:
        """``better`` or ``worse`` when significant and the KPI has a better direction,
        ``changed`` when significant without one, else ``same``."""
        if not self.significant:
            return "same"
        way = BETTER.get(self.kpi, 0)
        if way == 0:
            return "changed"
        return "better" if way * self.difference > 0 else "worse"


def paired_difference(baseline: ArrayLike, what_if: ArrayLike, level: float = LEVEL
                      ) -> tuple[float, float, float]:
    """(mean difference, low, high) of what_if - baseline, replication by replication:
    the simulator's Student-t estimate (``sim.experiment.estimate``) of the differences,
    NaN pairs left out; degenerate (low = high) for identical runs, NaN with fewer than
    two pairs."""
    d = np.asarray(what_if, float) - np.asarray(baseline, float)
    diff = estimate(d.tolist(), confidence=level)
    return diff.mean, diff.ci_low, diff.ci_high


def headline(baseline: pd.DataFrame, what_if: pd.DataFrame, staffed: list[str],
             channels: list[str]) -> list[PairedDifference]:
    """The headline KPIs of two runs' replications tables (``SimulationResult.tables()``'s
    ``replications``: replication, scope, kpi, value), in page order: overall, then each
    staffed channel's waits and service, then every channel's volume share."""
    wanted = ([("overall", k, label) for k, label in OVERALL]
              + [(c, k, f"{c}: {label}") for c in staffed for k, label in STAFFED]
              + [(c, k, f"{c}: {label}") for c in channels for k, label in ALL_CHANNELS])
    a = baseline.set_index(["scope", "kpi", "replication"])["value"].sort_index()
    b = what_if.set_index(["scope", "kpi", "replication"])["value"].sort_index()
    rows = []
    for scope, kpi, label in wanted:
        if (scope, kpi) not in a.index.droplevel(2) or (scope, kpi) not in b.index.droplevel(2):
            continue
        x, y = a.loc[(scope, kpi)], b.loc[(scope, kpi)]
        x, y = x.align(y)
        diff, low, high = paired_difference(x.to_numpy(), y.to_numpy())
        rows.append(PairedDifference(scope, kpi, label, float(np.nanmean(x)), float(np.nanmean(y)),
                                     diff, low, high))
    return rows


def as_table(rows: list[PairedDifference]) -> pd.DataFrame:
    """The headline as a tidy table: kpi, baseline, what_if, difference, ci_low, ci_high,
    significant, verdict."""
    return pd.DataFrame([{"kpi": r.label, "baseline": r.baseline, "what_if": r.what_if,
                          "difference": r.difference, "ci_low": r.ci_low, "ci_high": r.ci_high,
                          "significant": r.significant, "verdict": r.verdict} for r in rows])
