"""Response curves -> piecewise-linear breakpoints the MILP can use without binaries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from sim.bisection import bisect
from sim.campaigns import interpolate, response
from sim.scenario import ResponseCurve, ResponseKind

DEFAULT_POINTS = 5


@dataclass(frozen=True)
class Breakpoints:
    """(units, uplift) pairs from 0 to the campaign's maximum; concave, so the segments'
    slopes never increase and a maximising LP fills them in order."""

    units: tuple[float, ...]
    uplift: tuple[float, ...]

    @property
    def widths(self) -> list[float]:
        """Units in each segment of the curve, between consecutive breakpoints: the upper
        bounds of the MILP's piece variables."""
        return [b - a for a, b in zip(self.units, self.units[1:])]

    @property
    def slopes(self) -> list[float]:
        """Uplift per unit in each segment (0 for one of zero width); for a concave curve
        they never rise."""
        return [(y1 - y0) / (x1 - x0) if x1 > x0 else 0.0
                for x0, x1, y0, y1 in zip(self.units, self.units[1:], self.uplift, self.uplift[1:])]

    def value(self, units: float) -> float:
        """The piecewise-linear uplift at ``units`` (what the optimiser predicts)."""
        return interpolate(self.units, self.uplift, units)

    def next_slope(self, units: float, tolerance: float = 1e-9) -> float:
        """Uplift per extra unit beyond ``units`` (0 at the maximum): the marginal return."""
        for x1, slope in zip(self.units[1:], self.slopes):
            if units < x1 - tolerance:
                return slope
        return 0.0


def breakpoints(curve: ResponseCurve, max_units: float, factor: float = 1.0,
                points: int = DEFAULT_POINTS, also: Sequence[float] = ()) -> Breakpoints:
    """Breakpoints of ``factor`` x the curve on [0, max_units].

    Given breakpoints are used as they are (clipped at ``max_units``).  A saturating curve
    is sampled where it bends: at equal steps of its own uplift, so each segment carries
    the same share of the attainable response; its chords lie under the concave curve.
    Points in ``also`` (a campaign's minimum order) are added: on the curve, they keep it
    concave, and the LP relaxation of an all-or-nothing minimum gets tighter.
    """
    if max_units <= 0:
        return Breakpoints((0.0,), (0.0,))
    if curve.kind is ResponseKind.breakpoints:
        xs = [x for x in curve.units if x < max_units] + [max_units]
    else:
        top = response(curve, max_units)
        xs = [0.0] + [_units_for(curve, top * i / (points - 1), max_units)
                      for i in range(1, points - 1)] + [max_units]
    xs = sorted(set(xs) | {x for x in also if 0 < x < max_units})
    return Breakpoints(tuple(xs), tuple(factor * response(curve, x) for x in xs))


def _units_for(curve: ResponseCurve, uplift: float, max_units: float) -> float:
    """The units at which the (increasing) curve reaches ``uplift``, by bisection."""
    return bisect(lambda units: response(curve, units) < uplift, 0.0, max_units,
                  iterations=100)[1]
