"""The one bisection: real thresholds to a tolerance or a number of halvings, the smallest
passing integer from any start."""

from __future__ import annotations

import math

import pytest

from sim.bisection import bisect, smallest_int


def test_a_real_threshold_is_bracketed_within_the_tolerance() -> None:
    low, high = bisect(lambda x: x * x < 2.0, 0.0, 2.0, tolerance=1e-12)
    assert low < math.sqrt(2.0) <= high and high - low <= 1e-12


def test_a_fixed_number_of_halvings_leaves_a_bracket_that_wide() -> None:
    low, high = bisect(lambda x: x < 0.3, 0.0, 1.0, iterations=10)
    assert high - low == pytest.approx(2.0 ** -10)
    assert low < 0.3 <= high


def test_iterations_and_tolerance_are_exclusive() -> None:
    with pytest.raises(ValueError):
        bisect(lambda x: x < 1.0, 0.0, 2.0)
    with pytest.raises(ValueError):
        bisect(lambda x: x < 1.0, 0.0, 2.0, iterations=3, tolerance=0.1)


@pytest.mark.parametrize("start", [1, 3, 8, 100])
def test_the_smallest_passing_integer_does_not_depend_on_the_start(start: int) -> None:
    assert smallest_int(lambda n: n * n >= 50, start=start) == 8  # 7 * 7 = 49 < 50


def test_the_search_gives_up_past_its_limit() -> None:
    with pytest.raises(ValueError):
        smallest_int(lambda n: False, limit=1000)
