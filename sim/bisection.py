"""The one bisection the simulator and the optimiser search with: for a real threshold
(a utility shift, a campaign's units, the highest arrival rate a staff level serves) and
for the smallest integer that passes a test rising with it (the fewest servers)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Optional


def bisect(below: Callable[[float], bool], low: float, high: float, *,
           iterations: Optional[int] = None, tolerance: Optional[float] = None
           ) -> tuple[float, float]:
    """Narrow ``[low, high]`` around the point where ``below`` turns from True to False.

    ``below(x)`` must be True left of the threshold and False right of it; each step
    halves the bracket, keeping ``below(low)`` and ``not below(high)``. It stops after
    ``iterations`` steps or, without them, when the bracket is ``tolerance`` wide, and
    returns the final bracket: its ``low`` end is the last point known to be below, its
    ``high`` end the first known not to be.

        >>> bisect(lambda x: x * x < 2, 0.0, 2.0, tolerance=1e-9)[1]   # sqrt(2), from above
    """
    if (iterations is None) == (tolerance is None):
        raise ValueError("give iterations or tolerance, not both")
    steps = 0
    while steps < iterations if iterations is not None else high - low > (tolerance or 0.0):
        mid = (low + high) / 2
        if below(mid):
            low = mid
        else:
            high = mid
        steps += 1
    return low, high


def smallest_int(passes: Callable[[int], bool], start: int = 1,
                 limit: Optional[int] = None) -> int:
    """The smallest n >= 1 with ``passes(n)``, for a test that once passed stays passed
    (0 is taken to fail: no servers serve nobody): ``start`` doubles until it passes,
    then integer bisection. ValueError past ``limit``.

        >>> smallest_int(lambda n: n * n >= 50)   # 8
    """
    low, high = 0, max(1, start)
    while not passes(high):
        low, high = high, 2 * high
        if limit is not None and high > limit:
            raise ValueError(f"no value up to {limit} passes")
    while high - low > 1:
        mid = (low + high) // 2
        if passes(mid):
            high = mid
        else:
            low = mid
    return high
