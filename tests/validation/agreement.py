"""Simulation-vs-theory agreement with a family-wise error rate, shared by the validation tests.

A check passes when ``|sim - theory| <= max(half-width, 0.03 * theory)``, the half-width
Bonferroni-widened over the ``family`` of checks in a module (Student-t quantile at
1 - alpha / (2 family) from the replication values), so that a correct simulator fails
any check of the module with probability below ``ALPHA``.  ``informative`` says the plain
95% half-width is below ``INFORMATIVE`` of the theory value, so the tolerance means much.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

ALPHA = 0.05  # family-wise error of a whole module
INFORMATIVE = 0.12  # the largest 95% half-width, relative to theory, that still says much
RELATIVE_FLOOR = 0.03  # "or 3% relative where the CI is tighter" (the criterion)


@dataclass(frozen=True)
class Check:
    kpi: str
    sim: float
    theory: float
    half_width_95: float
    tolerance: float  # max(Bonferroni-widened half-width, 3% of theory)

    @property
    def agrees(self) -> bool:
        return abs(self.sim - self.theory) <= self.tolerance

    @property
    def informative(self) -> bool:
        return self.half_width_95 < INFORMATIVE * self.theory

    def __str__(self) -> str:
        rel = (self.sim - self.theory) / self.theory
        return (f"{self.kpi:>17}: sim {self.sim:.5g} theory {self.theory:.5g} "
                f"({rel:+.2%}), tolerance {self.tolerance / self.theory:.2%}, "
                f"95% half-width {self.half_width_95 / self.theory:.2%}")


def compare(kpi: str, values: list[float], expected: float, family: int) -> Check:
    x = np.asarray(values, dtype=float)
    n = x.size
    se = float(x.std(ddof=1)) / math.sqrt(n)
    half_95 = float(stats.t.ppf(0.975, n - 1)) * se
    half_family = float(stats.t.ppf(1 - ALPHA / (2 * family), n - 1)) * se
    return Check(kpi, float(x.mean()), expected, half_95,
                 max(half_family, RELATIVE_FLOOR * expected))
