"""Queueing formulas: Erlang B and C, Erlang A (M/M/c+M), Little's law, minimum staff.

Pure functions of rates per minute; used by the validation tests and by ``optimize``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from sim.bisection import smallest_int


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
    p = _erlang_a_states(servers, arrival_rate, service_rate, patience_rate, tolerance)
    p_wait = sum(p[servers:])
    mean_queue = sum((k - servers) * pk for k, pk in enumerate(p) if k > servers)
    return ErlangA(
        p_wait=p_wait,
        p_abandon=patience_rate * mean_queue / arrival_rate,
        mean_wait=mean_queue / arrival_rate,
        mean_queue=mean_queue,
    )


def _erlang_a_states(servers: int, arrival_rate: float, service_rate: float,
                     patience_rate: float, tolerance: float = 1e-15) -> list[float]:
    """Stationary probabilities of the number in system of M/M/c+M, truncated."""
    probs = [1.0]  # unnormalised, relative to state 0
    total, n = 1.0, 0  # sum(probs), kept as it grows
    while True:
        death = min(n + 1, servers) * service_rate + max(n + 1 - servers, 0) * patience_rate
        probs.append(probs[-1] * arrival_rate / death)
        total += probs[-1]
        n += 1
        if total > 1e250:  # far overloaded: rescale before the states overflow to inf
            probs = [x / total for x in probs]
            total = sum(probs)
        if n > servers and probs[-1] < tolerance * total:
            break
    total = sum(probs)
    return [x / total for x in probs]


def erlang_a_service_level(servers: int, arrival_rate: float, service_rate: float,
                           patience_rate: float, target_minutes: float) -> float:
    """Share of arrivals answered within ``target_minutes`` in M/M/c+M (an abandonment
    counts as not answered), the simulator's ``service_level``.

    An arrival that finds k callers waiting ahead reaches an agent after k + 1 advances,
    each at rate c mu + j theta with j callers still ahead, unless its own patience
    (rate theta) runs out first.  One matrix exponential of that absorbing chain gives
    P(answered by T) for every k at once; PASTA weights them by the stationary law.
    """
    if servers <= 0:
        return 0.0
    p = _erlang_a_states(servers, arrival_rate, service_rate, patience_rate, 1e-13)
    answered_now = sum(p[:servers])
    waiting = len(p) - servers  # k = 0 .. waiting - 1 callers ahead
    if waiting <= 0:
        return answered_now
    within = _answered_within(waiting, servers * service_rate, patience_rate, target_minutes)
    # fsum, not np.dot: BLAS picks its dot kernel by CPU, so the last digit of a plan's
    # predicted service level would depend on the machine
    return answered_now + math.fsum(pk * float(w) for pk, w in zip(p[servers:], within))


def _answered_within(waiting: int, service_capacity: float, patience_rate: float,
                     target_minutes: float) -> np.ndarray:
    """P(answered within ``target_minutes`` | k callers ahead), k = 0 .. ``waiting`` - 1:
    the pure-death chain of ``erlang_a_service_level`` solved by uniformisation (the
    transient law as a Poisson mixture of steps of its uniformised jump chain), exact to
    the Poisson tail left out, 1e-13; each step is one pass over the states, so it costs
    O(states x steps) where a matrix exponential costs O(states^3)."""
    k = np.arange(waiting)
    advance = service_capacity + k * patience_rate  # a service ends or a caller ahead leaves
    out = advance + patience_rate  # ... or this caller's own patience runs out
    uniform = float(out[-1])  # the fastest state's rate
    stay, move = 1.0 - out / uniform, advance / uniform
    mean_steps = uniform * target_minutes
    within = np.zeros(waiting)
    if mean_steps <= 0:
        return within  # a target of 0: nobody waiting is answered within it
    steps = int(mean_steps + 12.0 * math.sqrt(mean_steps) + 30)  # Poisson tail < 1e-13
    log_mean = math.log(mean_steps)
    u = np.zeros(waiting)  # P(answered within n jumps | k ahead)
    for n in range(1, steps + 1):
        u = stay * u + move * np.concatenate(([1.0], u[:-1]))
        # the Poisson weight in logs: e^-x underflows when many steps are needed
        within += math.exp(n * log_mean - mean_steps - math.lgamma(n + 1)) * u
    return within


def min_staff_erlang_a(arrival_rate: float, service_rate: float, patience_rate: float,
                       target_minutes: float, target_share: float, max_servers: int = 10_000
                       ) -> int:
    """Fewest agents answering ``target_share`` of callers within target in M/M/c+M
    (the service level rises with c, so a bisection over c finds it)."""
    if arrival_rate <= 0:
        return 0

    def meets(c: int) -> bool:
        return erlang_a_service_level(c, arrival_rate, service_rate, patience_rate,
                                      target_minutes) >= target_share

    try:
        return smallest_int(meets, limit=max_servers)
    except ValueError:
        raise ValueError("no staffing up to max_servers meets the target") from None


def patience_rate_within(survival: float, window_minutes: float) -> float:
    """The exponential patience rate that abandons as many callers within the first
    ``window_minutes`` of waiting as a general patience does (``survival``: P(patience >
    window)): -ln(survival) / window.

    Erlang A assumes exponential patience.  For another patience, many-server queues at
    the service levels call centres aim for behave like Erlang A with theta equal to the
    patience density at zero (Zeltyn and Mandelbaum, Queueing Systems 2005; Mandelbaum
    and Zeltyn, Operations Research 2009): the callers who matter are those who would
    wait a little.  The hazard averaged over the target wait is that density read over
    the window the service level looks at; it is theta exactly for an exponential
    patience, and near 0 for a lognormal one, whose hazard starts at 0 (Erlang C).
    """
    if survival <= 0.0:
        return math.inf
    return -math.log(survival) / window_minutes


def min_staff_erlang_c(arrival_rate: float, service_rate: float, target_minutes: float,
                       target_share: float) -> int:
    """Fewest servers with P(W_q <= target) >= share in M/M/c (0 when there is no load)."""
    if arrival_rate <= 0:
        return 0
    c = max(1, math.floor(arrival_rate / service_rate) + 1)
    while mmc_service_level(c, arrival_rate, service_rate, target_minutes) < target_share:
        c += 1
    return c


MIN_PATIENCE_SHARE = 0.05  # theta below this share of the service rate: Erlang C (nobody
# abandons within the target often enough to matter, and Erlang A's chain would be long)


def abandonment_matters(patience_rate: float, service_rate: float) -> bool:
    """Whether callers abandon fast enough (theta above MIN_PATIENCE_SHARE of mu) that the
    service level is Erlang A's rather than Erlang C's."""
    return patience_rate > MIN_PATIENCE_SHARE * service_rate


def service_level(servers: int, arrival_rate: float, service_rate: float,
                  patience_rate: float, target_minutes: float) -> float:
    """Share answered within ``target_minutes``: Erlang A where callers abandon
    (``abandonment_matters``), else Erlang C. The one dispatch by patience the planning
    model and its tables use."""
    if abandonment_matters(patience_rate, service_rate):
        return erlang_a_service_level(servers, arrival_rate, service_rate, patience_rate,
                                      target_minutes)
    return mmc_service_level(servers, arrival_rate, service_rate, target_minutes)


def min_staff(arrival_rate: float, service_rate: float, patience_rate: float,
              target_minutes: float, target_share: float) -> int:
    """Fewest servers whose ``service_level`` reaches ``target_share`` (0 without load):
    Erlang C's direct count where abandonment does not matter, else a search on Erlang A."""
    if not abandonment_matters(patience_rate, service_rate):
        return min_staff_erlang_c(arrival_rate, service_rate, target_minutes, target_share)
    if arrival_rate <= 0:
        return 0
    return smallest_int(lambda c: service_level(c, arrival_rate, service_rate, patience_rate,
                                                target_minutes) >= target_share,
                        start=math.ceil(arrival_rate / service_rate))
