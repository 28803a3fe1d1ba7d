"""Fitting the choice model to observed channel shares.

What is fitted: one offset per channel, added to every segment's preference for it (an
alternative-specific constant: the segments keep the differences the scenario gives
them), and optionally one factor on every segment's wait sensitivity.  Only differences
of offsets matter (a channel's utility counts against the others in its choice set), so
the channel with the largest observed share keeps offset 0.  Shares alone fix
the offsets (one equation per channel); the factor needs shares that move with waits
(hour by hour, from a transaction log).

How: the offsets by the market-share contraction (Berry 1994): with the simulated share
of channel c at s_c and the observed o_c, ``offset_c += log(o_c / s_c)`` until they
agree.  A channel's share rises with its own offset, and the step is exact for a logit
without queues, so a few simulations suffice.  Every simulation uses the same seeds
(common random numbers), so the fit sees the effect of the parameters, not noise; the
fitted shares reported are then measured with fresh seeds.  The wait factor is searched
on a bounded interval (``scipy.optimize.minimize_scalar``), the offsets refitted at each
trial value.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime
import math
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Optional

from sim.experiment import ExperimentResult, run_experiment
from sim.rng import calibration_check_seed
from sim.scenario import RunSettings, Scenario
from sim.validate import require

if TYPE_CHECKING:
    import pandas as pd

SHARE_FLOOR = 1e-6  # a channel nobody chose yet: a large but finite step up
MAX_STEP = 3.0  # utility units per iteration, for a channel far from its share


@dataclass(frozen=True)
class Fit:
    """The parameters a fit found and how it went.  ``converged``: every share came within
    the tolerance before ``iterations`` ran out.  ``shares`` are those of the last
    simulation, with the fitting seeds; without convergence that simulation ran the
    offsets before the last step, not ``offsets``.  A report quotes the shares measured
    again on fresh seeds (``fresh``)."""

    offsets: dict[str, float]  # channel -> utility added to every segment's preference
    wait_factor: float  # multiplies every segment's wait sensitivity
    shares: dict[str, float]  # simulated with the fitting seeds
    iterations: int
    converged: bool


def normalised(shares: Mapping[str, float]) -> dict[str, float]:
    """The shares scaled to sum to 1 (``{"web": 2, "sms": 2}`` -> 0.5 each); the caller
    ensures a positive total (0 raises ZeroDivisionError)."""
    total = sum(shares.values())
    return {c: v / total for c, v in shares.items()}


def with_parameters(scenario: Scenario, offsets: Mapping[str, float], wait_factor: float
                    ) -> Scenario:
    """A copy of ``scenario`` with the offsets added to every segment's preferences and
    every wait sensitivity multiplied by the factor."""
    changed = copy.deepcopy(scenario)
    for seg in changed.segments.values():
        for channel, offset in offsets.items():
            seg.preference[channel] = seg.preference.get(channel, 0.0) + offset
        seg.wait_sensitivity_per_minute *= wait_factor
    return changed


def simulated_shares(result: ExperimentResult, channels: list[str]) -> dict[str, float]:
    """Each channel's share of the transactions served on ``channels`` (mean over
    replications of the served counts, so days of different volume weigh by volume)."""
    served = {c: sum(r.channels[c]["served"] for r in result.replications) for c in channels}
    total = sum(served.values())
    return {c: (v / total if total else 0.0) for c, v in served.items()}


Simulate = Callable[[Scenario], ExperimentResult]


def fit_offsets(scenario: Scenario, observed: Mapping[str, float], simulate: Simulate,
                wait_factor: float = 1.0, start: Optional[Mapping[str, float]] = None,
                iterations: int = 30, tolerance: float = 0.001) -> Fit:
    """The contraction, from ``start`` (default: no offsets), until every share is within
    ``tolerance`` of the observed one (normalised over the observed channels)."""
    target = normalised(observed)
    channels = list(target)
    offsets = {c: 0.0 for c in channels} | dict(start or {})
    reference = max(channels, key=lambda c: target[c])
    shares: dict[str, float] = {}
    for i in range(1, iterations + 1):
        shares = simulated_shares(simulate(with_parameters(scenario, offsets, wait_factor)),
                                  channels)
        if max(abs(shares[c] - target[c]) for c in channels) <= tolerance:
            return Fit(offsets, wait_factor, shares, i, True)
        for c in channels:
            step = math.log(max(target[c], SHARE_FLOOR) / max(shares[c], SHARE_FLOOR))
            offsets[c] += max(-MAX_STEP, min(MAX_STEP, step))
        # every choice set holds its channels' offsets alike, so only differences matter:
        # the channel with the largest observed share stays at 0
        base = offsets[reference]
        offsets = {c: v - base for c, v in offsets.items()}
    return Fit(offsets, wait_factor, shares, iterations, False)


def fit_wait_factor(scenario: Scenario, observed: Mapping[str, float],
                    observed_by_hour: Mapping[int, Mapping[str, float]], simulate: Simulate,
                    bounds: tuple[float, float] = (0.0, 4.0), iterations: int = 30,
                    tolerance: float = 0.001) -> Fit:
    """The wait factor that best reproduces the hour-by-hour shares, the offsets refitted
    to the day's shares at every trial value (least squares over hours and channels)."""
    fits: dict[float, Fit] = {}

    def loss(factor: float) -> float:
        start = fits[min(fits, key=lambda f: abs(f - factor))].offsets if fits else None
        fit = fit_offsets(scenario, observed, simulate, factor, start, iterations, tolerance)
        fits[factor] = fit
        by_hour = hourly_shares(simulate(with_parameters(scenario, fit.offsets, factor)),
                                list(observed))
        return sum((by_hour.get(h, {}).get(c, 0.0) - v) ** 2
                   for h, shares in observed_by_hour.items() for c, v in shares.items())

    from scipy.optimize import minimize_scalar  # 0.2 s and 20 MB: only this fit needs it

    best = minimize_scalar(loss, bounds=bounds, method="bounded",
                           options={"xatol": 0.02, "maxiter": 25})
    factor = float(best.x)
    return fits.get(factor) or fit_offsets(scenario, observed, simulate, factor, None,
                                           iterations, tolerance)


def hourly_shares(result: ExperimentResult, channels: list[str]) -> dict[int, dict[str, float]]:
    """Served shares per clock hour (index from the start of the day), as for the day."""
    n_hours = len(result.replications[0].hourly[channels[0]]["served"])
    out = {}
    for h in range(n_hours):
        served = {c: sum(r.hourly[c]["served"][h] for r in result.replications) for c in channels}
        total = sum(served.values())
        if total:
            out[h] = {c: v / total for c, v in served.items()}
    return out


def simulator(run: RunSettings) -> Simulate:
    """Simulate with ``run``'s seeds every time (common random numbers), no progress bar."""
    return lambda scenario: run_experiment(scenario, run, progress=False)


def fresh(run: RunSettings, replications: int) -> RunSettings:
    """Run settings whose seeds no fitting run used."""
    return dataclasses.replace(run, seed=calibration_check_seed(run.seed),
                               replications=replications)


def transaction_log(result: ExperimentResult, start: datetime.datetime) -> list[dict[str, object]]:
    """A transaction log from a traced run (``run.trace=true``), one row per visit, as an
    operator's system would keep it: stamped with the arrival at the channel, replication
    r on day ``start + r``."""
    rows: list[dict[str, object]] = []
    for r in result.replications:
        assert r.trace is not None, "needs run.trace=true"
        arrived: dict[int, float] = {}
        day = start + datetime.timedelta(days=r.replication)
        for _, customer, _, ttype, channel, event, t, wait, *_ in r.trace:
            if event == "arrive":
                arrived[customer] = t
                continue
            stamp = day + datetime.timedelta(minutes=arrived.get(customer, t))
            rows.append({"timestamp": stamp.isoformat(timespec="seconds"),
                         "customer": f"{r.replication}-{customer}", "channel": channel,
                         "transaction_type": ttype, "outcome": event, "wait": wait})
    return rows


def observed_from_contacts(contacts: pd.DataFrame, open_hour: int,
                           channels: Optional[Collection[str]] = None, source: str = "log"
                           ) -> tuple[dict[str, float], dict[int, dict[str, float]]]:
    """Shares of the day and of each hour (from opening) of the transactions a contact log
    (``sim.logs.read_log``'s table) shows completed per channel: served, or completed in
    the IVR (``sim.logs.table.COMPLETED``; a failed or deflected visit is not a
    transaction done there, as in the simulator's ``served`` count).

    Choice offsets need the shares of several channels: a log of one channel, a channel
    that is not one of ``channels``, or no completed transaction at all is a ScenarioError
    naming ``calibrate.log`` and the file (``source``).
    """
    from sim.logs.table import COMPLETED

    found = sorted(contacts["channel"].unique())
    unknown = [c for c in found if channels is not None and c not in channels]
    require(not unknown, "calibrate.log", source,
            f"channel {unknown[0]!r} ({int((contacts['channel'] == unknown[0]).sum())} rows) "
            "is not a channel of the scenario" if unknown else "")
    require(len(found) > 1, "calibrate.log", source,
            f"holds one channel ({found[0]}): choice offsets need the shares of several "
            "(fit one channel's queue with python -m sim.fit)")
    done = contacts[contacts["outcome"].isin(COMPLETED)]
    require(len(done) > 0, "calibrate.log", source,
            f"no row has a completed outcome ({', '.join(COMPLETED)}); outcomes found: "
            f"{', '.join(sorted(contacts['outcome'].unique())[:10])}")
    day = done["channel"].value_counts()
    hour = (done["arrival"] // 60).astype(int) - open_hour
    by_hour = {int(h): {str(c): float(v) / len(g) for c, v in g.value_counts().items()}
               for h, g in done["channel"].groupby(hour)}
    return normalised({str(c): float(v) for c, v in day.items()}), dict(sorted(by_hour.items()))
