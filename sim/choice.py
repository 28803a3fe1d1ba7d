"""Pure choice rules: multinomial logit over channels and the draw from it."""

from __future__ import annotations

import math
from typing import Sequence


def logit_probabilities(utilities: Sequence[float]) -> list[float]:
    """P(i) = exp(v_i) / sum_j exp(v_j), computed stably."""
    top = max(utilities)
    weights = [math.exp(v - top) for v in utilities]
    total = sum(weights)
    return [w / total for w in weights]


def draw_index(probabilities: Sequence[float], u: float) -> int:
    """The index whose cumulative probability first exceeds ``u`` in [0, 1)."""
    cumulative = 0.0
    for i, p in enumerate(probabilities):
        cumulative += p
        if u < cumulative:
            return i
    return len(probabilities) - 1  # u within rounding of 1


def expected_wait_minutes(waiting: int, busy: int, servers: int, mean_service_minutes: float
                          ) -> float:
    """What an arriving customer expects to wait: nothing if a server is free, else the
    work ahead of them spread over the servers (the usual announced-wait rule)."""
    if busy < servers:
        return 0.0
    if servers <= 0:
        return math.inf
    return (waiting + 1) * mean_service_minutes / servers
