"""Build time, solve time and optimality gap of the optimiser's MILP on a synthetic network.

The instance (generated, reproducible from ``--seed``/``--seeds``; no simulation needed):
50 branches x 24 hourly slots x 3 staffed channels per branch (a counter, a business
counter, both open 08:00-18:00, and a 24-hour hotline with Erlang A abandonment), 8
customer segments, 6 campaigns aimed at every segment (5 breakpoints each, exponential or
hill response; three of them on/off through a minimum order), staff in shift patterns
(``Shift('full', 8)`` and ``Shift('half', 4)``, any start).  Realism, in short:

- branch sizes vary 0.5x-2x (log-uniform), each branch's segment mix by +-25%;
- counter-bound arrivals peak mid-morning and mid-afternoon, calls in the morning and
  after lunch with a small evening and night load; segments shift those peaks a little;
- mean service 3-8 min (counter 3-6, business counter 5-8, hotline 3-6), callers'
  mean patience 2-5 min; targets: 80% within 5 min at counters, 80% within 0.5 min on
  the hotline; staff cost 30-40 per server and slot;
- a segment's rate at a channel falls by ``rate_sc(h) / staffed_share_s`` per unit of
  diverted share (as in optimize/data.py); staffing steps run from the rate at maximum
  diversion up to today's rate (``staffing_levels``); today's staff is the Erlang
  minimum at today's rate, so doing nothing meets every target.

For each instance and solver (HiGHS through highspy, PuLP's bundled CBC) two problems:

- ``max_diversion`` at a budget that binds: 30% of what maximal promotion costs, plus
  what the cheapest shift roster covering today's staff costs beyond today's staff
  hours (so that doing nothing is within budget);
- ``min_cost`` at a target halfway between today's diversion and the most reachable.

Reported per run: variables, integer variables, constraints, non-zeros, build seconds
(``formulation.build``), solve seconds (the first solution of ``optimize.start`` where
there are shifts, then ``solve.solve``; HiGHS limit 60 s, CBC 300 s),
status, objective (in model terms: diversion share or spend), the best bound and the
relative gap.  HiGHS's gap is the one it proves; CBC's bound is read from its log (PuLP
does not return it).

The target (issue): proven within 0.5% of optimal (``gap=0.005``) in under 10 s with
HiGHS on this size.  ``--profile`` solves variants with HiGHS (no shifts, step binaries,
shift starts or promotion integers relaxed, the LP relaxation, without the first
solution of ``optimize.start``, half shifts only) to show where the difficulty is.

    python benchmarks/bench_optimize.py --seeds 1 2 3 4    # HiGHS on 4, CBC on the first
    python benchmarks/bench_optimize.py --quick            # 3 branches, seconds
    python benchmarks/bench_optimize.py --solvers --profile --variants built nostart
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import importlib
import math
import os
import platform
import re
import shlex
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from importlib.metadata import version
from pathlib import Path
from typing import Any, Optional

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a checkout even without `pip install -e .`
sys.path.insert(0, str(Path(__file__).resolve().parent))  # benchmarks/tables.py

import highspy  # noqa: E402
import pulp  # noqa: E402
from tables import table  # noqa: E402

import optimize.data as planning  # noqa: E402
from optimize.curves import breakpoints  # noqa: E402
from optimize.data import (  # noqa: E402
    CampaignSegment,
    PlanningData,
    SegmentData,
    StaffedSlot,
    staffing_levels,
)
from optimize.formulation import Formulation, build, total_spend  # noqa: E402
from optimize.settings import Objective, OptimizeSettings, Shift, SolverName  # noqa: E402
from optimize.solve import SolveResult, solve  # noqa: E402
from optimize.start import first_solution, roster  # noqa: E402
from sim.scenario import ChannelKind, ResponseCurve, ResponseKind  # noqa: E402

# the module: `import optimize.solve as ...` gives the API's function optimize.solve, which
# the package binds under the same name
solving = importlib.import_module("optimize.solve")

GAP_TARGET = 0.005
SECONDS_TARGET = 10.0
BUDGET_SHARE = 0.30  # of what maximal promotion costs
TARGET_SHARE_OF_RANGE = 0.5  # min_cost target between today's diversion and the most reachable
SHIFTS = [Shift("full", 8), Shift("half", 4)]
N_SLOTS = 24
OPEN, CLOSE = 8, 18  # counters' opening hours (slots), the hotline runs 24 hours


@dataclass(frozen=True)
class Sizes:
    branches: int
    highs_time_limit: float
    cbc_time_limit: float


FULL = Sizes(branches=50, highs_time_limit=60.0, cbc_time_limit=300.0)
QUICK = Sizes(branches=3, highs_time_limit=30.0, cbc_time_limit=30.0)


# --------------------------------------------------------------------------- the instance

# name, staffed journeys a day at a size-1 branch, business segment, peak shift (hours),
# campaign affinity (sms, app, guide, calls, incentive, workshop)
SEGMENTS = [
    ("students", 70, False, +1.0, (1.2, 1.4, 0.6, 0.5, 1.0, 0.4)),
    ("young_professionals", 140, False, +1.5, (1.2, 1.3, 0.7, 0.6, 1.1, 0.5)),
    ("families", 200, False, 0.0, (1.0, 1.0, 1.0, 0.9, 1.2, 0.8)),
    ("mass_retail", 260, False, 0.0, (0.9, 0.8, 1.0, 1.0, 1.0, 0.9)),
    ("affluent", 90, False, +0.5, (0.8, 1.0, 0.8, 1.3, 0.6, 0.6)),
    ("seniors", 160, False, -1.0, (0.4, 0.3, 1.4, 1.2, 0.7, 1.5)),
    ("small_business", 80, True, -0.5, (0.8, 0.9, 0.8, 1.1, 1.2, 0.9)),
    ("corporate", 40, True, 0.0, (0.6, 0.7, 0.5, 1.4, 0.8, 0.7)),
]
# name, kind, max uplift, scale (units for 63% / half), hill exponent, unit cost,
# max units and min units (per segment of average size), integer units
CAMPAIGNS = [
    ("sms_push", ResponseKind.exponential, 0.04, 20.0, 1.0, 40.0, 60.0, 0.0, False),
    ("app_onboarding", ResponseKind.hill, 0.05, 30.0, 0.8, 20.0, 100.0, 0.0, False),
    ("lobby_guide", ResponseKind.exponential, 0.05, 80.0, 1.0, 10.0, 200.0, 20.0, True),
    ("outbound_calls", ResponseKind.hill, 0.06, 25.0, 0.7, 30.0, 50.0, 0.0, False),
    ("fee_incentive", ResponseKind.exponential, 0.07, 15.0, 1.0, 120.0, 40.0, 10.0, False),
    ("digital_workshops", ResponseKind.hill, 0.04, 6.0, 1.0, 100.0, 24.0, 4.0, True),
]
# channel -> (kind, mean service range, staff cost range, target wait, target share)
CHANNELS = {
    "counter": (ChannelKind.counter, (3.0, 6.0), (30.0, 36.0), 5.0, 0.8),
    "business": (ChannelKind.counter, (5.0, 8.0), (34.0, 40.0), 5.0, 0.8),
    "hotline": (ChannelKind.hotline, (3.0, 6.0), (30.0, 34.0), 0.5, 0.8),
}


def bumps(hours: np.ndarray, peaks: Sequence[tuple[float, float, float]]) -> np.ndarray:
    """Sum of Gaussian bumps (centre, width, height) over the slots' mid-points."""
    return sum((h * np.exp(-0.5 * ((hours - c) / w) ** 2) for c, w, h in peaks),
               np.zeros_like(hours))


def profile(channel: str, shift: float) -> np.ndarray:
    """Share of a day's journeys per hourly slot at a channel, for a segment whose peaks
    sit ``shift`` hours later than average."""
    hours = np.arange(N_SLOTS) + 0.5
    if channel == "hotline":
        p = 0.03 + bumps(hours, [(10.0 + shift, 1.5, 1.0), (14.5 + shift, 1.8, 0.85),
                                 (19.5 + 0.5 * shift, 1.5, 0.35)])
    else:
        p = 0.15 + bumps(hours, [(10.5 + shift, 1.2, 1.0), (15.5 + shift, 1.3, 0.9)])
        p[(hours < OPEN) | (hours > CLOSE)] = 0.0
    return p / p.sum()


def grid(rng: np.random.Generator, low: float, high: float, step: float) -> float:
    """A uniform draw on a grid (service and patience means come in half minutes, so the
    staffing tables of different branches can share their Erlang evaluations)."""
    return float(rng.choice(np.arange(low, high + step / 2, step)))


@contextlib.contextmanager
def shared_staffing_tables() -> Iterator[None]:
    """Memoise ``optimize.data.highest_rate`` while generating: the Erlang A bisection costs
    ~0.07 s per step and the same (staff, service, patience, target) recurs across slots
    and branches.  ``upper`` only bounds the bisection (the step's rate lies well below it,
    under today's rate), so the cached value agrees with a fresh one to ~1e-13."""
    original = planning.highest_rate

    @functools.cache
    def cached(staff: int, mean: float, patience: float, wait: float, share: float,
               scv: float) -> float:
        return original(staff, mean, patience, wait, share, upper=cached_upper[0], scv=scv)

    cached_upper = [0.0]

    def highest_rate(staff: int, mean: float, patience: float, wait: float, share: float,
                     upper: float, scv: float = 1.0) -> float:
        cached_upper[0] = upper
        return cached(staff, mean, patience, wait, share, scv)

    planning.highest_rate = highest_rate  # type: ignore[assignment]
    try:
        yield
    finally:
        planning.highest_rate = original


@dataclass
class Instance:
    data: PlanningData
    seed: int
    branches: int
    promotion_max_cost: float  # every campaign at its maximum
    roster_overhead: float  # cheapest shift roster covering today's staff, beyond today's hours
    today_staff_cost: float
    base_diversion: float
    reachable_diversion: float
    seconds: float

    @property
    def budget(self) -> float:
        return self.roster_overhead + BUDGET_SHARE * self.promotion_max_cost

    @property
    def target(self) -> float:
        return self.base_diversion + TARGET_SHARE_OF_RANGE * (
            self.reachable_diversion - self.base_diversion)


def generate(seed: int, n_branches: int) -> Instance:
    start = time.perf_counter()
    rng = np.random.default_rng(seed)
    sizes = np.exp(rng.uniform(math.log(0.5), math.log(2.0), n_branches))
    mix = rng.lognormal(0.0, 0.25, (n_branches, len(SEGMENTS)))

    # segments: today's diversion, cap, staffed split and per-channel hourly profiles
    d0 = rng.uniform(0.2, 0.6, len(SEGMENTS))
    headroom = rng.uniform(0.08, 0.2, len(SEGMENTS))
    split, profiles = [], []
    for (_, _, business, shift, _), in zip(SEGMENTS):
        alpha = [1.0, 6.0, 3.0] if business else [5.0, 0.4, 4.0]
        split.append(dict(zip(CHANNELS, rng.dirichlet(alpha))))
        profiles.append({c: profile(c, shift + rng.normal(0.0, 0.3)) for c in CHANNELS})

    # arrivals per minute: branch x segment x channel x slot (staffed), then segment totals
    staffed_rate = np.zeros((n_branches, len(SEGMENTS), len(CHANNELS), N_SLOTS))
    for b in range(n_branches):
        for s, (_, volume, *_rest) in enumerate(SEGMENTS):
            for c, channel in enumerate(CHANNELS):
                journeys = sizes[b] * mix[b, s] * volume * split[s][channel]
                staffed_rate[b, s, c] = journeys * profiles[s][channel] / 60.0
    segments: dict[str, SegmentData] = {}
    for s, (name, *_rest) in enumerate(SEGMENTS):
        g = 1.0 - d0[s]  # every journey completes, staffed or on self-service
        staffed_by_slot = staffed_rate[:, s].sum(axis=(0, 1))
        rates = staffed_by_slot / g  # self-service follows the staffed profile
        segments[name] = SegmentData(
            completed=float(rates.sum() * 60.0), base_diversion=float(d0[s]), staffed_share=g,
            max_diversion=float(min(0.95, d0[s] + headroom[s])),
            rates_per_minute=[float(r) for r in rates])

    # campaigns: every campaign at every segment, units scaled by the segment's size
    mean_completed = statistics.fmean(seg.completed for seg in segments.values())
    leak = rng.uniform(0.02, 0.08, len(SEGMENTS))
    campaigns = []
    for k, (camp, kind, top, scale, hill, cost, max_u, min_u, integer) in enumerate(CAMPAIGNS):
        for s, (name, _, _, _, affinity) in enumerate(SEGMENTS):
            size = segments[name].completed / mean_completed
            factor = affinity[k] * rng.lognormal(0.0, 0.2)
            curve = ResponseCurve(kind=kind, max_uplift=top, scale_units=scale * size,
                                  hill_exponent=hill)
            hi = max_u * size
            lo = min_u * size
            if integer:
                hi, lo = float(max(1, round(hi))), float(math.ceil(lo))
            success = float(rng.uniform(0.7, 0.95))
            campaigns.append(CampaignSegment(
                campaign=camp, segment=name, unit_cost=cost, min_units=lo, max_units=hi,
                integer_units=integer, curve=breakpoints(curve, hi, factor), success=success,
                effect=max(0.0, success - float(leak[s])), channel_weights={}))

    # staffed slots: per branch and channel, Erlang C (counters) or A (hotline) steps
    staffed: list[StaffedSlot] = []
    names = [n for n, *_ in SEGMENTS]
    with shared_staffing_tables():
        for b in range(n_branches):
            for c, (channel, (ch_kind, service, pay, wait, share)) in enumerate(CHANNELS.items()):
                mean = grid(rng, service[0], service[1], 0.5)
                hotline = ch_kind is ChannelKind.hotline
                patience = 1.0 / grid(rng, 2.0, 5.0, 0.5) if hotline else 0.0
                staff_cost = float(round(rng.uniform(pay[0], pay[1])))
                for h in range(N_SLOTS):
                    by_seg = {names[s]: float(staffed_rate[b, s, c, h]) for s in range(len(names))}
                    slot = StaffedSlot(
                        channel=f"b{b:02d}_{channel}", kind=ch_kind, slot=h,
                        base_rate=sum(by_seg.values()),
                        rate_drop={n: r / segments[n].staffed_share for n, r in by_seg.items()
                                   if r > 0},
                        mean_service_minutes=mean, patience_rate=patience,
                        target_wait_minutes=wait, target_share=share, base_staff=0,
                        staff_cost=staff_cost)
                    slot.base_staff = slot.required_staff(slot.base_rate)
                    drop = sum(d * (segments[n].max_diversion - segments[n].base_diversion)
                               for n, d in slot.rate_drop.items())
                    slot.levels = staffing_levels(slot, max(0.0, slot.base_rate - drop))
                    staffed.append(slot)

    data = PlanningData(n_slots=N_SLOTS, segments=segments, campaigns=campaigns,
                        staffed=staffed, capacity=[], kiosks={}, online_caps={},
                        max_utilisation=0.8)
    total = data.total_completed
    base = sum(seg.completed * seg.base_diversion for seg in segments.values()) / total
    reach = 0.0
    for name, seg in segments.items():
        gain = sum(cs.effect * cs.curve.uplift[-1] for cs in campaigns if cs.segment == name)
        reach += seg.completed * min(seg.max_diversion, seg.base_diversion + gain)
    today = sum(s.staff_cost * s.base_staff for s in staffed)
    return Instance(
        data=data, seed=seed, branches=n_branches,
        promotion_max_cost=sum(cs.unit_cost * cs.max_units for cs in campaigns),
        roster_overhead=roster_cost(staffed) - today, today_staff_cost=today,
        base_diversion=base, reachable_diversion=reach / total,
        seconds=time.perf_counter() - start)


def roster_cost(staffed: list[StaffedSlot]) -> float:
    """Cost of the cheapest shift roster covering today's staff (``optimize.start.roster``)."""
    need: dict[str, list[int]] = {}
    cost: dict[str, float] = {}
    for slot in staffed:
        need.setdefault(slot.channel, [0] * N_SLOTS)[slot.slot] = slot.base_staff
        cost[slot.channel] = slot.staff_cost
    total = 0.0
    for channel, staff in need.items():
        starts = roster(staff, SHIFTS, cost[channel])
        assert starts is not None, "any start is allowed: every slot can be covered"
        length = {s.name: s.length_slots for s in SHIFTS}
        total += sum(cost[channel] * length[name] * n for (name, _), n in starts.items())
    return total


# --------------------------------------------------------------------------- measurements

@dataclass
class Run:
    seed: int
    objective: str
    solver: str
    variant: str
    variables: int
    integers: int
    constraints: int
    nonzeros: int
    build_s: float
    result: SolveResult
    value: Optional[float]  # model objective: diversion share (ties included) or spend
    bound: Optional[float]  # in the same terms
    gap: Optional[float]  # None with status optimal: CBC proved it within settings.gap
    diversion: Optional[float]
    spend: Optional[float]
    prep_s: float = 0.0  # finding the first solution (optimize.start), not in result.seconds

    @property
    def seconds(self) -> float:
        """Start and solve: what a user waits for after the build."""
        return self.prep_s + self.result.seconds


def settings_for(objective: Objective, solver: SolverName, instance: Instance, time_limit: float,
                 gap: float, shifts: Optional[list[Shift]] = None) -> OptimizeSettings:
    """``shifts``: None for ``SHIFTS``, [] for staff chosen slot by slot."""
    return OptimizeSettings(
        objective=objective, budget=instance.budget,
        target_diversion=instance.target if objective is Objective.min_cost else None,
        solver=solver, time_limit_s=time_limit, gap=gap,
        shifts=list(SHIFTS if shifts is None else shifts), check_replications=0)


@contextlib.contextmanager
def patched(module: Any, name: str, replacement: Any) -> Iterator[None]:
    original = getattr(module, name)
    setattr(module, name, replacement)
    try:
        yield
    finally:
        setattr(module, name, original)


def cbc_with_log(path: str) -> Any:
    """``optimize.solve.make_solver`` plus a log file: CBC's bound is only in its log."""
    original = solving.make_solver

    def make_solver(settings: OptimizeSettings, warm: bool = False) -> pulp.LpSolver:
        solver = original(settings, warm)
        solver.optionsDict["logPath"] = path
        return solver

    return make_solver


def cbc_bound(log: str) -> tuple[Optional[float], bool]:
    """(best bound in CBC's minimising terms, whether the search completed) from its log.
    A stopped search prints ``Partial search - best objective X (best possible Y)``; a
    completed one only says it closed the gap to ``ratioGap``."""
    partial = re.findall(r"Partial search - best objective \S+ \(best possible (\S+)\)", log)
    completed = "Search completed" in log
    return (float(partial[-1]) if partial else None), completed


def stdout_silenced() -> contextlib.AbstractContextManager[None]:
    """Route file descriptor 1 to /dev/null (HiGHS prints a banner from C++)."""
    @contextlib.contextmanager
    def silenced() -> Iterator[None]:
        sys.stdout.flush()
        saved = os.dup(1)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        try:
            yield
        finally:
            os.dup2(saved, 1)
            os.close(devnull)
            os.close(saved)
    return silenced()


def relax(problem: pulp.LpProblem, prefixes: Sequence[str]) -> None:
    """Make the integer variables whose names start with one of ``prefixes`` continuous."""
    for v in problem.variables():
        if v.cat == pulp.LpInteger and any(v.name.startswith(p) for p in prefixes):
            v.cat = pulp.LpContinuous


def nonzeros(problem: pulp.LpProblem) -> int:
    return sum(sum(1 for a in c.values() if a != 0) for c in problem.constraints.values())


def measure(instance: Instance, settings: OptimizeSettings, variant: str = "as built",
            relaxed: Sequence[str] = (), with_start: bool = True) -> Run:
    """Build (timed), find the shipped first solution where there are shifts
    (``optimize.start``, timed apart), solve through ``optimize.solve.solve`` (timed)."""
    budget = instance.budget
    t0 = time.perf_counter()
    m: Formulation = build(instance.data, settings, budget)
    build_s = time.perf_counter() - t0
    problem = m.problem
    relax(problem, relaxed)
    variables = problem.variables()
    integers = sum(v.cat == pulp.LpInteger for v in variables)
    constant = problem.objective.constant
    maximise = problem.sense == pulp.LpMaximize
    bound = gap = None
    start, prep_s = None, 0.0
    if settings.shifts and with_start:
        t0 = time.perf_counter()
        start = first_solution(m, settings, budget)
        prep_s = time.perf_counter() - t0
    if settings.solver is SolverName.highs:
        result = solve(problem, settings, start)
        bound = result.bound  # solve.py restores HiGHS's sign and PuLP's constant
        gap = result.gap
    else:
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "cbc.log")
            with patched(solving, "make_solver", cbc_with_log(path)):
                result = solve(problem, settings, start)
            log = Path(path).read_text() if os.path.exists(path) else ""
        raw, _ = cbc_bound(log)
        if raw is not None:  # CBC minimises -objective for a maximisation, constant dropped
            bound = constant - raw if maximise else constant + raw
            if result.has_solution:
                best = problem.objective.value() - constant
                gap = abs(abs(best) - abs(raw)) / max(abs(best), 1e-12)
    value = diversion = spend = None
    if result.has_solution:
        value = pulp.value(problem.objective)
        diversion = pulp.value(m.diversion)
        spend = pulp.value(total_spend(m))
    return Run(instance.seed, settings.objective.value, settings.solver.value, variant,
               len(variables), integers, len(problem.constraints), nonzeros(problem), build_s,
               result, value, bound, gap, diversion, spend, prep_s)


# --------------------------------------------------------------------------- report

def number(x: Optional[float], objective: str) -> str:
    if x is None:
        return "-"
    return f"{100 * x:.3f}%" if objective == "max_diversion" else f"{x:,.1f}"


def gap_text(r: Run, tolerance: float) -> str:
    if r.gap is not None:
        return f"{100 * r.gap:.3f}%"
    return f"<={100 * tolerance:g}%" if r.result.status == "optimal" else "-"


def run_row(r: Run, tolerance: float, variant: bool = False) -> list[str]:
    first = [r.variant] if variant else [str(r.seed), r.objective, r.solver]
    return [*first, f"{r.variables:,}", f"{r.integers:,}", f"{r.constraints:,}",
            f"{r.nonzeros:,}", f"{r.build_s:.2f}",
            f"{r.seconds:.2f}" + (f" ({r.prep_s:.1f})" if r.prep_s else ""),
            r.result.status, number(r.value, r.objective), number(r.bound, r.objective),
            gap_text(r, tolerance),
            "-" if r.diversion is None else f"{100 * r.diversion:.2f}%",
            "-" if r.spend is None else f"{r.spend:,.0f}"]


HEADER = ["seed", "objective", "solver", "vars", "int vars", "constraints", "nonzeros",
          "build s", "solve s", "status", "objective", "bound", "gap", "diversion", "spend"]


def describe(instance: Instance) -> str:
    d = instance.data
    steps = [len(s.levels) for s in d.staffed]
    on_off = sum(cs.min_units > 0 for cs in d.campaigns)
    return (f"seed {instance.seed}: {instance.branches} branches x {d.n_slots} slots x "
            f"{len(d.staffed) // (d.n_slots * instance.branches)} staffed channels, "
            f"{len(d.segments)} segments, {len(d.campaigns)} campaign-segments ({on_off} on/off), "
            f"{sum(n > 1 for n in steps)} of {len(steps)} slots with a choice of step "
            f"(up to {max(steps)}); generated in {instance.seconds:.1f} s\n"
            f"  journeys/day {d.total_completed:,.0f}; diversion today "
            f"{100 * instance.base_diversion:.2f}%, reachable {100 * instance.reachable_diversion:.2f}%"
            f"; staff today {instance.today_staff_cost:,.0f}/day, cheapest roster of it +"
            f"{instance.roster_overhead:,.0f}; max promotion {instance.promotion_max_cost:,.0f}\n"
            f"  max_diversion budget {instance.budget:,.0f} (roster overhead + "
            f"{BUDGET_SHARE:.0%} of max promotion); min_cost target {100 * instance.target:.2f}%")


def command_line() -> str:
    argv = getattr(sys, "orig_argv", None) or [sys.executable, *sys.argv]
    return shlex.join(argv)


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


HALF = [Shift("half", 4)]  # same cost per hour: a full shift is two halves, so same optimum
PROFILE_VARIANTS: dict[str, tuple[str, Optional[list[Shift]], tuple[str, ...], bool]] = {
    # key: label, shifts (None: SHIFTS), integer families relaxed, with the first solution
    "built": ("as built (shifts)", None, (), True),
    "nostart": ("without the first solution", None, (), False),
    "noshift": ("no shifts", [], (), False),
    "steps": ("step binaries relaxed", None, ("step_",), False),
    "starts": ("shift starts relaxed", None, ("starts_",), False),
    "promo": ("promotion integers relaxed", None, ("on_", "units_"), False),
    "lp": ("LP relaxation", None, ("step_", "starts_", "on_", "units_"), False),
    "half": ("half shifts only", HALF, (), True),
}


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="3 branches, for a smoke run")
    parser.add_argument("--seeds", type=int, nargs="+", default=None,
                        help="instances to generate (HiGHS solves all, CBC the first)")
    parser.add_argument("--seed", type=int, default=1, help="one instance (default 1)")
    parser.add_argument("--branches", type=int, default=None, help="override the size")
    parser.add_argument("--solvers", nargs="*", choices=["highs", "cbc"],
                        default=["highs", "cbc"], help="none: only --profile")
    parser.add_argument("--objectives", nargs="+", choices=["max_diversion", "min_cost"],
                        default=["max_diversion", "min_cost"])
    parser.add_argument("--gap", type=float, default=GAP_TARGET, help="settings.gap")
    parser.add_argument("--highs-time-limit", type=float, default=None)
    parser.add_argument("--cbc-time-limit", type=float, default=None)
    parser.add_argument("--no-shifts", action="store_true", help="staff chosen slot by slot")
    parser.add_argument("--profile", action="store_true",
                        help="HiGHS on variants of each seed: relaxations and what-ifs")
    parser.add_argument("--variants", nargs="+", choices=list(PROFILE_VARIANTS),
                        default=list(PROFILE_VARIANTS), help="which --profile variants")
    args = parser.parse_args(argv)

    sizes = QUICK if args.quick else FULL
    if args.branches:
        sizes = replace(sizes, branches=args.branches)
    if args.highs_time_limit:
        sizes = replace(sizes, highs_time_limit=args.highs_time_limit)
    if args.cbc_time_limit:
        sizes = replace(sizes, cbc_time_limit=args.cbc_time_limit)
    seeds = args.seeds or [args.seed]
    objectives = [Objective(o) for o in args.objectives]
    limits = {SolverName.highs: sizes.highs_time_limit, SolverName.cbc: sizes.cbc_time_limit}
    with stdout_silenced():
        highspy.Highs()  # its banner, once, out of the report

    print(f"$ {command_line()}")
    print(f"python {platform.python_version()}, pulp {pulp.__version__}, highspy "
          f"{version('highspy')}, {platform.machine()}, {os.cpu_count()} CPUs, "
          f"{time.strftime('%Y-%m-%d %H:%M')}")
    print(f"sizes: {'--quick' if args.quick else 'default'} {sizes}; gap {args.gap:g}; shifts "
          f"{'off' if args.no_shifts else ', '.join(f'{s.name} {s.length_slots}' for s in SHIFTS)}"
          "\n", flush=True)

    runs: list[Run] = []
    instances: list[Instance] = []
    for i, seed in enumerate(seeds):
        progress(f"seed {seed}: generating ...")
        instance = generate(seed, sizes.branches)
        instances.append(instance)
        print(describe(instance), flush=True)
        for solver in [SolverName(s) for s in args.solvers]:
            if solver is SolverName.cbc and i > 0:
                continue
            for objective in objectives:
                progress(f"  {solver.value} {objective.value} (limit {limits[solver]:g} s) ...")
                settings = settings_for(objective, solver, instance, limits[solver], args.gap,
                                        shifts=[] if args.no_shifts else None)
                run = measure(instance, settings)
                runs.append(run)
                progress(f"    {run.result.status} in {run.seconds:.1f} s, gap "
                         f"{gap_text(run, args.gap)}")

    if runs:
        print()
        print(table(HEADER, [run_row(r, args.gap) for r in runs]))
        print("objective, bound: the model's objective (diversion share less the spend and staff "
              "tie-breakers,\n  or spend beyond today); gap: relative, as the solver measures it, "
              "on the objective\n  without its constant (for max_diversion: on the diversion "
              "gained); CBC's bound and gap from its log")

    highs = [r for r in runs if r.solver == "highs"]
    if highs:
        print(f"\nHiGHS over {len(seeds)} instance(s); target: gap <= {GAP_TARGET:.1%} proved "
              f"in under {SECONDS_TARGET:g} s")
        rows = []
        for objective in objectives:
            mine = [r for r in highs if r.objective == objective.value]
            secs = [r.seconds for r in mine]
            met = sum(r.result.status == "optimal" and r.seconds < SECONDS_TARGET
                      and (r.gap is None or r.gap <= GAP_TARGET + 1e-9) for r in mine)
            rows.append([objective.value, f"{min(secs):.2f}", f"{statistics.median(secs):.2f}",
                         f"{max(secs):.2f}", f"{statistics.median(r.build_s for r in mine):.2f}",
                         f"{max((r.gap or 0.0) for r in mine) * 100:.3f}%",
                         f"{met}/{len(mine)}"])
        print(table(["objective", "solve s min", "median", "max", "build s median",
                     "worst gap", "target met"], rows))

    if args.profile and instances:
        print(f"\nProfile: HiGHS on variants (limit {sizes.highs_time_limit:g} s, gap "
              f"{args.gap:g}); solve s includes, in brackets, the seconds spent finding the "
              "first solution\n(optimize.start: a solve without shifts, then a roster per "
              "channel)")
        for instance in instances:
            for objective in objectives:
                prof = []
                for key in args.variants:
                    label, shifts, relaxed, with_start = PROFILE_VARIANTS[key]
                    progress(f"  profile seed {instance.seed} {objective.value}: {label} ...")
                    settings = settings_for(objective, SolverName.highs, instance,
                                            sizes.highs_time_limit, args.gap, shifts)
                    prof.append(measure(instance, settings, label, relaxed, with_start))
                    progress(f"    {prof[-1].result.status} in {prof[-1].seconds:.1f} s")
                print(f"\nseed {instance.seed}, {objective.value}")
                print(table(["variant", *HEADER[3:]],
                            [run_row(r, args.gap, True) for r in prof]))


if __name__ == "__main__":
    main()
