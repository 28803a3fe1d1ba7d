"""Campaign response curves (units -> uplift) and the uplift each segment gets from a plan."""

from __future__ import annotations

import math
from typing import Sequence

from sim.scenario import Campaign, ResponseCurve, ResponseKind, Scenario, Steering


def response(curve: ResponseCurve, units: float) -> float:
    """Uplift (share points as a fraction) from ``units`` of a campaign; concave in units."""
    if units <= 0:
        return 0.0
    kind = curve.kind
    if kind is ResponseKind.exponential:
        return curve.max_uplift * -math.expm1(-units / curve.scale_units)
    if kind is ResponseKind.hill:
        x = (units / curve.scale_units) ** curve.hill_exponent
        return curve.max_uplift * x / (1.0 + x)
    return interpolate(curve.units, curve.uplift, units)


def interpolate(xs: Sequence[float], ys: Sequence[float], x: float) -> float:
    """Piecewise-linear through the points (xs increasing), flat after the last."""
    if x >= xs[-1]:
        return ys[-1]
    for i in range(1, len(xs)):
        if x <= xs[i]:
            return ys[i - 1] + (ys[i] - ys[i - 1]) * (x - xs[i - 1]) / (xs[i] - xs[i - 1])
    return ys[-1]


def responds(scenario: Scenario, campaign: Campaign, segment: str) -> bool:
    """Whether ``segment`` can be targeted by ``campaign`` and its choice can move."""
    if campaign.segments and segment not in campaign.segments:
        return False
    return scenario.segments[segment].steering is Steering.preference


def segment_uplifts(scenario: Scenario, segment: str) -> list[tuple[Campaign, float]]:
    """(campaign, uplift) for each campaign with units spent on ``segment``, in config order."""
    out = []
    for campaign in scenario.campaigns.values():
        units = campaign.units.get(segment, 0.0)
        if units > 0 and responds(scenario, campaign, segment):
            factor = campaign.responsiveness.get(segment, 1.0)
            out.append((campaign, factor * response(campaign.response, units)))
    return out
