"""sim.theory against values computed independently here, not by the same recursions.

Erlang B and C by the textbook sums, Erlang A by the incomplete-gamma closed form of
Mandelbaum & Zeltyn (after Garnett, Mandelbaum & Reiman 2002), published values that
have exact closed forms, and the minimum staff by a plain loop over the number of servers.
"""

from __future__ import annotations

import math

import pytest
from scipy import special, stats

from sim import theory

# (servers, offered load a = lambda / mu): light to heavy, small to large pools
LOADS = [(1, 0.3), (1, 0.9), (2, 1.0), (3, 2.0), (5, 3.5), (5, 4.5), (10, 9.5), (20, 14.0),
         (20, 18.0), (50, 45.0), (100, 97.0)]

# (servers, lambda, mu, theta): under-, critically and over-loaded, patience above and
# below the service rate
ERLANG_A_CASES = [(1, 0.5, 1.0, 0.2), (3, 2.0, 1.0, 1.5), (5, 5.0, 1.0, 0.5),
                  (5, 6.0, 1.0, 0.5), (10, 4.5, 0.5, 0.25), (20, 18.0, 1.0, 2.0),
                  (50, 55.0, 1.0, 0.1)]


def erlang_b_sum(c: int, a: float) -> float:
    """(a^c / c!) / sum_{k<=c} a^k / k!, in logs so that large pools do not overflow."""
    log_terms = [k * math.log(a) - math.lgamma(k + 1) for k in range(c + 1)]
    top = max(log_terms)
    return math.exp(log_terms[c] - top) / sum(math.exp(t - top) for t in log_terms)


def erlang_c_sum(c: int, a: float) -> float:
    """(a^c / c! * c / (c - a)) / (sum_{k<c} a^k / k! + a^c / c! * c / (c - a))."""
    log_terms = [k * math.log(a) - math.lgamma(k + 1) for k in range(c)]
    log_last = c * math.log(a) - math.lgamma(c + 1) + math.log(c / (c - a))
    top = max(*log_terms, log_last)
    last = math.exp(log_last - top)
    return last / (sum(math.exp(t - top) for t in log_terms) + last)


def erlang_a_closed_form(c: int, lam: float, mu: float, theta: float) -> dict[str, float]:
    """M/M/c+M by Mandelbaum & Zeltyn's formulas with A(x, y) = x e^y y^-x gamma(x, y):

    P(W > 0) = A E / (1 + (A - 1) E), E = Erlang B(c, lambda / mu), A = A(c mu / theta,
    lambda / theta); P(Ab | W > 0) = 1 / (rho A) + 1 - 1 / rho with rho = lambda / (c mu);
    E[W] = P(Ab) / theta; E[Q] = lambda E[W].
    """
    x, y = c * mu / theta, lam / theta
    # gamma(x, y) = gammainc(x, y) * Gamma(x), the lower incomplete gamma function
    big_a = math.exp(math.log(x) + y - x * math.log(y) + special.gammaln(x)) \
        * special.gammainc(x, y)
    e = erlang_b_sum(c, lam / mu)
    p_wait = big_a * e / (1 + (big_a - 1) * e)
    rho = lam / (c * mu)
    p_abandon = (1 / (rho * big_a) + 1 - 1 / rho) * p_wait
    mean_wait = p_abandon / theta
    return {"p_wait": p_wait, "p_abandon": p_abandon, "mean_wait": mean_wait,
            "mean_queue": lam * mean_wait}


@pytest.mark.parametrize(("c", "a"), LOADS)
def test_erlang_b_matches_the_textbook_sum_formula(c: int, a: float) -> None:
    assert theory.erlang_b(c, a) == pytest.approx(erlang_b_sum(c, a), rel=1e-10)


@pytest.mark.parametrize(("c", "a"), LOADS)
def test_erlang_c_matches_the_textbook_sum_formula(c: int, a: float) -> None:
    # the same offered load with two service rates: only lambda / mu may matter
    assert theory.erlang_c(c, a, 1.0) == pytest.approx(erlang_c_sum(c, a), rel=1e-10)
    assert theory.erlang_c(c, 0.25 * a, 0.25) == pytest.approx(erlang_c_sum(c, a), rel=1e-10)


@pytest.mark.parametrize(("c", "a", "published"), [
    (1, 0.9, 0.9),  # M/M/1: P(wait) = rho
    (2, 1.0, 1 / 3),  # M/M/2: 2 rho^2 / (1 + rho) with rho = 1/2
    (3, 2.0, 4 / 9),  # C(3, 2) = 4/9
])
def test_erlang_c_reproduces_published_closed_form_values(c: int, a: float,
                                                          published: float) -> None:
    assert theory.erlang_c(c, a, 1.0) == pytest.approx(published, rel=1e-12)


@pytest.mark.parametrize(("agents", "published"), [(11, 0.6821), (12, 0.4494), (14, 0.1741)])
def test_erlang_c_reproduces_tabulated_call_centre_values_for_ten_erlangs(
        agents: int, published: float) -> None:
    assert theory.erlang_c(agents, 10.0, 1.0) == pytest.approx(published, abs=5e-5)


def test_erlang_c_reproduces_the_textbook_ten_assistants_example() -> None:
    # 120 customers an hour, 3 minutes each, 10 assistants: "from the Erlang C curve the
    # probability of waiting is about 0.10" (read off a curve, hence the loose tolerance)
    assert theory.erlang_c(10, 120 / 60, 1 / 3) == pytest.approx(0.10, abs=0.005)


@pytest.mark.parametrize(("c", "a"), [(1, 1.0), (1, 1.5), (5, 5.0), (5, 7.0)])
def test_erlang_c_is_one_and_the_wait_infinite_when_the_queue_is_unstable(c: int,
                                                                          a: float) -> None:
    assert theory.erlang_c(c, a, 1.0) == 1.0
    assert theory.mmc_mean_wait(c, a, 1.0) == math.inf
    assert theory.mmc_service_level(c, a, 1.0, 5.0) == 0.0


@pytest.mark.parametrize(("lam", "mu"), [(0.5, 1.0), (0.9, 1.0), (2.0, 2.5)])
def test_mm1_mean_wait_is_rho_over_mu_minus_lambda(lam: float, mu: float) -> None:
    assert theory.mmc_mean_wait(1, lam, mu) == pytest.approx((lam / mu) / (mu - lam), rel=1e-12)


@pytest.mark.parametrize(("c", "a"), LOADS)
def test_mmc_mean_wait_is_the_sum_formula_over_the_spare_capacity(c: int, a: float) -> None:
    mu = 0.5
    lam = a * mu
    expected = erlang_c_sum(c, a) / (c * mu - lam)
    assert theory.mmc_mean_wait(c, lam, mu) == pytest.approx(expected, rel=1e-10)


@pytest.mark.parametrize(("c", "a"), LOADS)
@pytest.mark.parametrize("target", [0.0, 0.5, 3.0])
def test_mmc_service_level_is_one_minus_the_exponential_wait_tail(c: int, a: float,
                                                                 target: float) -> None:
    # P(Wq > t) = C(c, a) exp(-(c mu - lambda) t)
    mu = 2.0
    lam = a * mu
    expected = 1 - erlang_c_sum(c, a) * math.exp(-(c * mu - lam) * target)
    assert theory.mmc_service_level(c, lam, mu, target) == pytest.approx(expected, rel=1e-10,
                                                                         abs=1e-14)


@pytest.mark.parametrize(("c", "lam", "mu", "theta"), ERLANG_A_CASES)
def test_erlang_a_matches_the_incomplete_gamma_closed_form(c: int, lam: float, mu: float,
                                                           theta: float) -> None:
    expected = erlang_a_closed_form(c, lam, mu, theta)
    got = theory.erlang_a(c, lam, mu, theta)
    assert got.p_wait == pytest.approx(expected["p_wait"], rel=1e-9)
    assert got.p_abandon == pytest.approx(expected["p_abandon"], rel=1e-9)
    assert got.mean_wait == pytest.approx(expected["mean_wait"], rel=1e-9)
    assert got.mean_queue == pytest.approx(expected["mean_queue"], rel=1e-9)


@pytest.mark.parametrize(("c", "lam"), [(1, 0.5), (5, 3.0), (10, 12.0)])
def test_erlang_a_with_patience_rate_equal_to_service_rate_is_the_infinite_server_queue(
        c: int, lam: float) -> None:
    # theta = mu: every customer leaves at rate mu, so N ~ Poisson(lambda / mu)
    mu = 0.8
    n = stats.poisson(lam / mu)
    got = theory.erlang_a(c, lam, mu, mu)
    mean_queue = sum((k - c) * n.pmf(k) for k in range(c + 1, 400))
    assert got.p_wait == pytest.approx(n.sf(c - 1), rel=1e-9)
    assert got.mean_queue == pytest.approx(mean_queue, rel=1e-9)


def test_erlang_a_far_overloaded_abandons_all_but_what_the_servers_carry() -> None:
    # 10 calls a minute on 4 agents of 7.4 minutes, patience 90 minutes: the chain's
    # states grow past the largest float before they fall; every agent is busy, so the
    # servers carry c mu and the rest abandon: P(abandon) = 1 - c mu / lambda
    c, lam, mu, theta = 4, 10.0, 1 / 7.4087, 0.011171
    got = theory.erlang_a(c, lam, mu, theta)
    assert got.p_wait == pytest.approx(1.0, abs=1e-12)
    assert got.p_abandon == pytest.approx(1 - c * mu / lam, rel=1e-9)


@pytest.mark.parametrize(("c", "a"), [(1, 0.7), (5, 4.5), (20, 14.0)])
def test_erlang_a_tends_to_erlang_c_as_patience_becomes_unlimited(c: int, a: float) -> None:
    theta = 1e-7  # mean patience of ten million service times
    got = theory.erlang_a(c, a, 1.0, theta)
    assert got.p_wait == pytest.approx(erlang_c_sum(c, a), rel=1e-5)
    assert got.mean_wait == pytest.approx(erlang_c_sum(c, a) / (c - a), rel=1e-5)
    assert got.p_abandon == pytest.approx(0.0, abs=1e-5)


@pytest.mark.parametrize("theta", [0.0, -0.5])
def test_erlang_a_refuses_a_patience_rate_that_is_not_positive(theta: float) -> None:
    with pytest.raises(ValueError):
        theory.erlang_a(5, 4.0, 1.0, theta)


@pytest.mark.parametrize(("lam", "mu", "target", "share"), [
    (0.5, 0.2, 0.0, 0.9),  # 30 calls an hour, 5 minute calls, 90% not delayed
    (4.5, 1.0, 1.0, 0.8),
    (9.5, 1.0, 0.5, 0.95),
    (18.0, 1.0, 0.2, 0.99),
    (0.05, 0.1, 2.0, 0.8),
    (97.0, 1.0, 1.0 / 3.0, 0.8),
])
def test_min_staff_erlang_c_is_the_first_pool_a_brute_force_search_finds(
        lam: float, mu: float, target: float, share: float) -> None:
    def service_level(c: int) -> float:
        if lam >= c * mu:
            return 0.0
        return 1 - erlang_c_sum(c, lam / mu) * math.exp(-(c * mu - lam) * target)

    brute = next(c for c in range(1, 1000) if service_level(c) >= share)
    assert theory.min_staff_erlang_c(lam, mu, target, share) == brute


def test_min_staff_erlang_c_is_zero_without_arrivals() -> None:
    assert theory.min_staff_erlang_c(0.0, 1.0, 1.0, 0.8) == 0


def _answered_within_by_partial_fractions(servers: int, lam: float, mu: float, theta: float,
                                          target: float) -> float:
    """Independent Erlang A service level for light queues: the time to reach an agent with
    k callers ahead is hypoexponential with rates c mu + j theta (j = k..0); the caller
    must not abandon first, so P = sum_j A_j r_j / (r_j + theta) (1 - exp(-(r_j + theta) T)),
    A_j = prod_{i != j} r_i / (r_i - r_j).  Stable only for a few callers ahead."""
    weights = [1.0]
    for n in range(1, 60):
        death = min(n, servers) * mu + max(n - servers, 0) * theta
        weights.append(weights[-1] * lam / death)
    p = [w / sum(weights) for w in weights]
    total = sum(p[:servers])
    for n in range(servers, len(p)):
        rates = [servers * mu + j * theta for j in range(n - servers + 1)]
        within = 0.0
        for j, r in enumerate(rates):
            a = math.prod(ri / (ri - r) for i, ri in enumerate(rates) if i != j)
            within += a * r / (r + theta) * (1 - math.exp(-(r + theta) * target))
        total += p[n] * within
    return total


@pytest.mark.parametrize("servers, lam, mu, theta, target", [
    (3, 1.0, 1.0, 0.7, 0.5), (2, 0.8, 1.0, 2.0, 0.25), (4, 1.5, 0.9, 1.3, 1.0)])
def test_erlang_a_service_level_matches_the_hypoexponential_formula_on_light_queues(
        servers: int, lam: float, mu: float, theta: float, target: float) -> None:
    expected = _answered_within_by_partial_fractions(servers, lam, mu, theta, target)
    assert theory.erlang_a_service_level(servers, lam, mu, theta, target) == pytest.approx(
        expected, abs=1e-8)


@pytest.mark.parametrize("servers, lam, mu, target", [(5, 4.5, 1.0, 0.5), (12, 10.0, 1.0, 0.2)])
def test_erlang_a_service_level_tends_to_erlang_c_as_patience_grows(
        servers: int, lam: float, mu: float, target: float) -> None:
    erlang_c_level = 1 - theory.erlang_c(servers, lam, mu) * math.exp(-(servers * mu - lam) * target)
    assert theory.erlang_a_service_level(servers, lam, mu, 1e-8, target) == pytest.approx(
        erlang_c_level, abs=1e-6)


def test_min_staff_erlang_a_is_the_first_count_meeting_the_target_by_brute_force() -> None:
    lam, mu, theta, target, share = 6.0, 0.5, 0.4, 0.5, 0.8
    brute = next(c for c in range(1, 200)
                 if theory.erlang_a_service_level(c, lam, mu, theta, target) >= share)
    assert theory.min_staff_erlang_a(lam, mu, theta, target, share) == brute
