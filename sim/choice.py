"""Pure choice rules: multinomial logit over channels and the draw from it."""

from __future__ import annotations

import math
from typing import Sequence

from sim.bisection import bisect


def logit_probabilities(utilities: Sequence[float]) -> list[float]:
    """P(i) = exp(v_i) / sum_j exp(v_j), computed stably; where every utility is -inf (every
    option announces an endless wait) the options are alike."""
    top = max(utilities)
    if top == -math.inf:
        return [1.0 / len(utilities)] * len(utilities)
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


# (weight of a transaction type in the mix, utilities of its options, promoted?, staffed?)
ChoiceSet = tuple[float, Sequence[float], Sequence[bool], Sequence[bool]]


def staffed_share(choice_sets: Sequence[ChoiceSet], shift: float) -> float:
    """Weighted probability of choosing a staffed option, over the types a promotion can
    reach, when the promoted options' utilities rise by ``shift``."""
    total = 0.0
    for weight, utilities, promoted, staffed in choice_sets:
        if not any(promoted):
            continue
        probs = logit_probabilities([u + shift * p for u, p in zip(utilities, promoted)])
        total += weight * sum(q for q, s in zip(probs, staffed) if s)
    return total


def shift_for_uplift(choice_sets: Sequence[ChoiceSet], uplift: float, tolerance: float = 1e-10
                     ) -> float:
    """The utility shift on promoted options that moves ``uplift`` of the weighted choices
    away from staffed options (a campaign's response: journeys moved off counters and
    agents), found by bisection; capped where no staffed choice is left to move.  Under
    the logit the promoted options also draw some choices from other self-service ones."""
    if uplift <= 0:
        return 0.0
    base = staffed_share(choice_sets, 0.0)
    target = max(base - uplift, 1e-9)
    low, high = 0.0, 1.0
    while staffed_share(choice_sets, high) > target and high < 1e3:
        high *= 2
    return bisect(lambda shift: staffed_share(choice_sets, shift) > target, low, high,
                  tolerance=tolerance)[1]
