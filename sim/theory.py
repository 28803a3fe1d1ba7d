"""Queueing formulas: Erlang B and C, Erlang A (M/M/c+M), Little's law, minimum staff.

Pure functions of rates per minute; used by the validation tests and by ``optimize``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


def erlang_b(servers: int, offered_load: float) -> float:
    """Blocking probability of M/M/c/c, by the stable recursion B(k) = aB(k-1)/(k + aB(k-1))."""
    b = 1.0
    for k in range(1, servers + 1):
        b = offered_load * b / (k + offered_load * b)
    return b


def erlang_c(servers: int, arrival_rate: float, service_rate: float) -> float:
    """P(wait > 0) in M/M/c; 1 when the queue is unstable."""
    a = arrival_rate / service_rate
    if a >= servers:
        return 1.0
    b = erlang_b(servers, a)
    rho = a / servers
    return b / (1.0 - rho + rho * b)


def mmc_mean_wait(servers: int, arrival_rate: float, service_rate: float) -> float:
    """Mean time in queue W_q of M/M/c (minutes); infinite when unstable."""
    if arrival_rate >= servers * service_rate:
        return math.inf
    return erlang_c(servers, arrival_rate, service_rate) / (servers * service_rate - arrival_rate)


def mmc_service_level(servers: int, arrival_rate: float, service_rate: float,
                      target_minutes: float) -> float:
    """P(W_q <= target) in M/M/c."""
    if arrival_rate >= servers * service_rate:
        return 0.0
    c = erlang_c(servers, arrival_rate, service_rate)
    return 1.0 - c * math.exp(-(servers * service_rate - arrival_rate) * target_minutes)


@dataclass(frozen=True)
class ErlangA:
    """Steady state of M/M/c+M (exponential patience, abandoned callers leave)."""

    p_wait: float  # P(an arrival finds all servers busy)
    p_abandon: float  # share of arrivals who abandon
    mean_wait: float  # mean time in queue of all arrivals, served or abandoned
    mean_queue: float  # time-average number waiting


def erlang_a(servers: int, arrival_rate: float, service_rate: float, patience_rate: float,
             tolerance: float = 1e-15) -> ErlangA:
    """Solve the birth-death chain of M/M/c+M, truncated where its tail is negligible.

    State n has birth rate lambda and death rate min(n, c) mu + max(n - c, 0) theta.
    By PASTA an arrival sees the stationary law, so P(wait) = P(N >= c); abandonments
    happen at rate theta E[Q], hence P(abandon) = theta E[Q] / lambda, and Little's law
    gives the mean wait E[Q] / lambda.
    """
    if patience_rate <= 0:
        raise ValueError("Erlang A needs patience_rate > 0; use erlang_c without abandonment")
    probs = [1.0]  # unnormalised, relative to state 0
    n = 0
    while True:
        death = min(n + 1, servers) * service_rate + max(n + 1 - servers, 0) * patience_rate
        probs.append(probs[-1] * arrival_rate / death)
        n += 1
        if n > servers and probs[-1] < tolerance * sum(probs):
            break
    total = sum(probs)
    p = [x / total for x in probs]
    p_wait = sum(p[servers:])
    mean_queue = sum((k - servers) * pk for k, pk in enumerate(p) if k > servers)
    return ErlangA(
        p_wait=p_wait,
        p_abandon=patience_rate * mean_queue / arrival_rate,
        mean_wait=mean_queue / arrival_rate,
        mean_queue=mean_queue,
    )


def littles_law_queue(arrival_rate: float, mean_wait: float) -> float:
    """L = lambda W."""
    return arrival_rate * mean_wait


def min_staff_erlang_c(arrival_rate: float, service_rate: float, target_minutes: float,
                       target_share: float) -> int:
    """Fewest servers with P(W_q <= target) >= share in M/M/c (0 when there is no load)."""
    if arrival_rate <= 0:
        return 0
    c = max(1, math.floor(arrival_rate / service_rate) + 1)
    while mmc_service_level(c, arrival_rate, service_rate, target_minutes) < target_share:
        c += 1
    return c
