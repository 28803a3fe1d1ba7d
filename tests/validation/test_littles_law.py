"""Little's law L = lambda W on the mixed ``bank_branch`` scenario.

Per channel with a queue, the time-average number waiting (``mean_queue_length``) is
compared with (``joined`` / measured minutes) x ``wait_mean``; for whole journeys,
``mean_in_system`` with ``arrival_rate_per_minute`` x ``mean_journey_minutes``.  Both
sides come from independent bookkeeping (areas under the queue and in-system counts
versus per-customer waits and durations), so a customer counted on one side and not the
other, or an area not cut at the warm-up, shows up here.

Over a window [T0, T1] the law is an identity up to edge effects: the area also holds
what customers already waiting (or in a journey) at T0 spend after T0, and what those
still waiting at T1 have spent so far, while the per-customer side holds neither.  The
per-replication difference D = L - lambda W is therefore small and positive, about
2 E[N(edge)] E[remaining time] / (T1 - T0).  The profiles and schedules repeat daily, so
the run covers whole days (horizon 10 days of 600 minutes, warm-up 1 day): both edges
fall at the same time of day, after a day that has long forgotten the empty start (waits
are cut by patience of 10-45 minutes).  The allowance for the edges uses E[N] ~ L and a
generous remaining time: the channel's 95th percentile wait (about three mean
residual waits for exponential-like waits), and three mean journey durations for
journeys (the mean residual of a duration with coefficient of variation up to 2 is 2.5).

Acceptance: |mean D| <= Bonferroni-widened half-width of D over the replications (one
check per queue and one for journeys, 5% family-wise) + the edge allowance.  Neither may be large: the
total must stay below 2% of L, so the check cannot pass vacuously.  The seed is that of
``conf/run/default.yaml``, fixed.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import stats

from sim.arrivals import rate_profile
from sim.experiment import run_experiment
from sim.scenario import ChannelKind
from tests.conftest import compose_scenario

ALPHA = 0.05
DAY_MINUTES = 600.0
HORIZON = 10 * DAY_MINUTES
WARMUP = DAY_MINUTES
SPAN = HORIZON - WARMUP
REPLICATIONS = 5
JOURNEY_RESIDUALS = 3.0  # mean remaining journey time at an edge, in mean journeys
INFORMATIVE = 0.02  # largest tolerance relative to L


def bonferroni_half_width(values: np.ndarray, family: int) -> float:
    n = values.size
    quantile = float(stats.t.ppf(1 - ALPHA / (2 * family), n - 1))
    return quantile * float(values.std(ddof=1)) / math.sqrt(n)


def test_littles_law_holds_for_each_queue_and_for_whole_journeys() -> None:
    scenario, run = compose_scenario([
        "scenario=bank_branch", f"run.horizon_minutes={HORIZON}",
        f"run.warmup_minutes={WARMUP}", f"run.replications={REPLICATIONS}", "run.plots=false",
    ])
    periods = [len(ch.schedule) * ch.schedule_slot_minutes
               for ch in scenario.channels.values() if ch.schedule]
    for seg in scenario.segments.values():
        rates, slot = rate_profile(seg.arrivals)
        periods.append(len(rates) * slot)
    assert all(DAY_MINUTES % p == 0 for p in periods), f"profiles are not daily: {periods}"

    result = run_experiment(scenario, run, progress=False)
    reps = result.replications
    queues = [name for name, ch in scenario.channels.items() if ch.kind is not ChannelKind.online]
    assert queues, "bank_branch should have channels with a queue"
    family = len(queues) + 1

    rows = []  # (what, L, lambda W, mean D, tolerance)
    for name in queues:
        c = [r.channels[name] for r in reps]
        big_l = np.array([x["mean_queue_length"] for x in c])
        lam_w = np.array([x["joined"] / SPAN * x["wait_mean"] for x in c])
        edge = 2 * big_l.mean() * np.mean([x["wait_p95"] for x in c]) / SPAN
        rows.append((f"queue {name}", big_l, lam_w, edge))
    big_l = np.array([r.kpis["mean_in_system"] for r in reps])
    lam_w = np.array([r.kpis["arrival_rate_per_minute"] * r.kpis["mean_journey_minutes"]
                      for r in reps])
    edge = 2 * big_l.mean() * JOURNEY_RESIDUALS * np.mean(
        [r.kpis["mean_journey_minutes"] for r in reps]) / SPAN
    rows.append(("journeys", big_l, lam_w, edge))

    lines, failures, vacuous = [], [], []
    for what, big_l, lam_w, edge in rows:
        d = big_l - lam_w
        tolerance = bonferroni_half_width(d, family) + edge
        lines.append(f"{what:>16}: L {big_l.mean():.5g}, lambda W {lam_w.mean():.5g}, "
                     f"D {d.mean():+.3g}, tolerance {tolerance:.3g} "
                     f"({tolerance / big_l.mean():.2%} of L; edge allowance {edge:.3g})")
        if abs(d.mean()) > tolerance:
            failures.append(what)
        if tolerance > INFORMATIVE * big_l.mean():
            vacuous.append(what)
    report = "\n".join(lines)
    print(f"\nLittle's law, bank_branch, {REPLICATIONS} replications of {HORIZON:.0f} minutes\n"
          f"{report}")
    assert not failures, f"Little's law fails for {failures}:\n{report}"
    assert not vacuous, f"tolerance too loose to mean much for {vacuous}:\n{report}"
