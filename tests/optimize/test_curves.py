"""Response curves to breakpoints: concave chords under the curve, values and marginal slopes."""

from __future__ import annotations

import math

import pytest

from optimize.curves import Breakpoints, breakpoints
from sim.scenario import ResponseCurve, ResponseKind


def test_a_saturating_curve_is_sampled_at_equal_steps_of_its_uplift() -> None:
    curve = ResponseCurve(kind=ResponseKind.exponential, max_uplift=0.2, scale_units=5)
    bp = breakpoints(curve, 20.0, points=5)
    top = 0.2 * (1 - math.exp(-4))
    assert bp.units[0] == 0 and bp.units[-1] == 20.0
    assert list(bp.uplift) == pytest.approx([0, top / 4, top / 2, 3 * top / 4, top], abs=1e-9)
    # where exp reaches a quarter of the top: units = -5 ln(1 - top / 4 / 0.2)
    assert bp.units[1] == pytest.approx(-5 * math.log(1 - top / 4 / 0.2), rel=1e-9)


def test_the_slopes_never_increase_so_no_binaries_are_needed() -> None:
    for kind in (ResponseKind.exponential, ResponseKind.hill):
        curve = ResponseCurve(kind=kind, max_uplift=0.3, scale_units=3, hill_exponent=0.7)
        slopes = breakpoints(curve, 30.0, points=7).slopes
        assert all(b <= a + 1e-12 for a, b in zip(slopes, slopes[1:]))


def test_given_breakpoints_are_kept_and_clipped_at_the_maximum() -> None:
    curve = ResponseCurve(kind=ResponseKind.breakpoints, units=[0, 2, 5, 12],
                          uplift=[0, 0.03, 0.055, 0.08])
    bp = breakpoints(curve, 8.0, factor=2.0)
    assert bp.units == (0, 2, 5, 8.0)
    assert bp.uplift == pytest.approx((0, 0.06, 0.11, 0.11 + 2 * 3 * 0.025 / 7))


def test_value_interpolates_and_next_slope_is_the_marginal_return() -> None:
    bp = Breakpoints((0.0, 1.0, 3.0), (0.0, 0.1, 0.14))
    assert bp.value(0.5) == pytest.approx(0.05)
    assert bp.value(2.0) == pytest.approx(0.12)
    assert bp.next_slope(0.5) == pytest.approx(0.1)
    assert bp.next_slope(1.0) == pytest.approx(0.02)  # at a breakpoint: the next segment
    assert bp.next_slope(3.0) == 0.0
