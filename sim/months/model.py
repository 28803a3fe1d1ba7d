"""Months of a customer population whose channel preferences learn from experience
(``run.mode=months``).

Each month:

1. A **representative day** of the scenario in SimPy (``adoption.day_replications``
   replications, the scenario's own volumes: the population is a sample of its
   customers), with each segment's preferences moved by how far its sampled customers'
   scores have moved from the segment's: the day's queues answer to this month's habits.
   It gives each channel's mean wait, chance of waiting and of abandoning or balking.
2. Every customer's **transactions** (Poisson, ``adoption.transactions_per_month`` per
   segment; types from the segment's mix) choose a channel by the logit on their own
   scores, the channel's effort and promotion, and the day's announced wait.  A visit
   waits (exponential, given the day's mean and chance of waiting), may be abandoned
   (staffed and kiosk channels) and may fail (the channel's success for the type, digital
   skill included); a journey that did not succeed falls back to the customer's best
   staffed channel for the type, which serves it.
3. **Learning** (``adoption.learning``): each visit scores peak-end as in the day model
   (``scenario.satisfaction``: the worst moment and the last, weighted by
   ``peak_weight``); the channel's score moves by ``rate * (score - neutral)``. Each
   customer's satisfaction is a moving average of their journeys' scores, started at
   the first month's (``remember``). Scores of channels a customer did not use drift
   back toward the segment's by ``decay`` a month. All of a month's transactions choose
   with the scores of the month's start.
4. **KPIs** of the month (``MONTHLY_KPIS``).

Replications are independent populations; every KPI gets a Student-t CI over them.
"""

from __future__ import annotations

import copy
import dataclasses
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

import numpy as np

from sim.arrivals import expected_arrivals
from sim.engine.model import Model
from sim.experiment import Estimate, estimate, run_experiment
from sim.kpis import kpi_range, ratio
from sim.months.customer_table import read_customer_table
from sim.parallel import map_in_order, usable_workers
from sim.progress import Progress
from sim.rng import day_seed, generator
from sim.scenario import SELF_SERVICE_KINDS, STAFFED_KINDS, Executor, RunSettings, Scenario
from sim.validate import day_minutes

CHURN_MONTHS = 3  # used an e-channel this many months ago, not in the months since
MONTHLY_KPIS = ("transactions", "e_channel_share", "penetration", "penetration_cumulative",
                "churned", "churn_rate", "satisfaction", "cost_per_transaction",
                "contacted", "promotion_spend")


@dataclass(frozen=True)
class Conditions:
    """What a representative day says about each channel (by channel index)."""

    wait_mean: np.ndarray  # minutes, announced to choosers
    p_wait: np.ndarray
    p_abandon: np.ndarray  # abandoned or balked, per arrival
    cost_per_transaction: float
    arrivals: Optional[np.ndarray] = None  # a day's arrivals
    service_level: Optional[np.ndarray] = None  # share of those queued served within target


@dataclass
class MonthRecord:
    """One month of one population: KPIs and, when traced, every journey."""

    kpis: dict[str, float]
    active: dict[str, int]  # customers who visited each channel
    journeys: Optional[dict[str, np.ndarray]] = None  # customer, first, final, month
    # segment -> customers, completed transactions, e_channel_share, penetration
    segments: dict[str, dict[str, float]] = field(default_factory=dict)
    conditions: Optional[Conditions] = None  # what the month's representative day said


@dataclass
class Population:
    """The customers of one months-mode replication and what they remember, one row per
    customer (and one column per channel, in the scenario's order); ``Months.month``
    updates it in place, month after month."""

    segment: np.ndarray  # segment index per customer
    score: np.ndarray  # customer x channel: preference, utility units
    satisfaction: np.ndarray  # peak-end memory per customer, in [0, 1]
    last_used: np.ndarray  # customer x channel: the last month (0-based) it was used, -1 never
    e_used: list[np.ndarray] = field(default_factory=list)  # per month: used an e-channel
    ever_e: Optional[np.ndarray] = None  # per customer: used an e-channel in any month so far


class Months:
    """The population, its channels and what the scenario says about them."""

    def __init__(self, scenario: Scenario, run: RunSettings, replication: int) -> None:
        self.scenario, self.run, self.replication = scenario, run, replication
        self.adoption = scenario.adoption
        self.channels = list(scenario.channels)
        self.segments = list(scenario.segments)
        self.e_channel, self.e_ivr = e_channels(scenario)
        self.staffed = np.array([scenario.channels[c].kind in STAFFED_KINDS for c in self.channels])
        self.baseline = np.array([[seg.preference.get(c, 0.0) for c in self.channels]
                                  for seg in scenario.segments.values()])
        self.rng = generator(run.seed, replication, "months")
        # contacts and IVR completions draw from streams of their own: a calendar's
        # contacts leave every other draw of the month where it was (common random numbers
        # between plans, for the year plan's comparisons)
        self.contact_rng = generator(run.seed, replication, "months/contacts")
        self.ivr_rng = generator(run.seed, replication, "months/ivr")
        # base utilities and success per (segment, type) from the day model's own options
        day = Model(scenario, dataclasses.replace(run, trace=False), replication)
        index = {c: k for k, c in enumerate(self.channels)}
        self.options: dict[tuple[int, str], tuple[np.ndarray, np.ndarray, np.ndarray,
                                                  np.ndarray]] = {}
        states = {state.name: state for state in day.segments}
        for s, name in enumerate(self.segments):
            state = states[name]
            for ttype, options in state.options.items():
                chans = np.array([index[o.channel.name] for o in options])
                base = np.array([o.base_utility for o in options]) - self.baseline[s, chans]
                self.options[(s, ttype)] = (chans, base, np.array([o.success for o in options]),
                                            np.array([o.ivr_completion for o in options]))
        self.population = self._draw_population()
        # real customers per simulated one: campaigns' contacts are counted in real ones
        self.scale = 1.0 if self.adoption.customer_table else (
            represented_customers(scenario) / max(1, len(self.population.segment)))
        self.contacted = {name: np.zeros(len(self.population.segment), dtype=np.int32)
                          for name in scenario.campaigns}  # contacts per customer so far

    def _draw_population(self) -> Population:
        if self.adoption.customer_table:
            return self._table_population(Path(self.adoption.customer_table))
        a = self.adoption
        weights = segment_customers(self.scenario)
        if not weights.sum() > 0:  # nobody arrives anywhere: segments alike
            weights = np.ones(len(weights))
        segment = self.rng.choice(len(self.segments), size=self.run.customers, p=weights / weights.sum())
        n = self.run.customers
        score = self.baseline[segment] + self.rng.normal(0.0, a.score_sd, (n, len(self.channels)))
        return Population(segment, score, np.full(n, a.learning.neutral_score),
                          np.full((n, len(self.channels)), -1), ever_e=np.zeros(n, dtype=bool))

    def _table_population(self, path: Path) -> Population:
        """Every customer of the table, scored by the field's formula (``ScoreWeights``)."""
        w = self.adoption.score
        table = read_customer_table(path, self.segments, self.channels)
        segment = table.segment
        score = (self.baseline[segment] + w.usage * np.log1p(table.usage)
                 + w.potential * table.potential
                 + np.where(table.usage >= w.frequent_uses, w.frequency_bonus, 0.0)
                 - w.complaint_penalty * table.complaints)
        n = len(segment)
        return Population(segment, score, np.full(n, self.adoption.learning.neutral_score),
                          np.full((n, len(self.channels)), -1), ever_e=np.zeros(n, dtype=bool))

    # ------------------------------------------------------------------ a month

    def conditions(self, month: int) -> Conditions:
        """The representative day with this month's habits and capacity steps."""
        shifted = copy.deepcopy(self.scenario)
        apply_capacity_steps(shifted, month)
        p = self.population
        for s, seg in enumerate(shifted.segments.values()):
            mine = p.segment == s
            if mine.any():
                drift = (p.score[mine] - self.baseline[s]).mean(axis=0)
                for k, c in enumerate(self.channels):
                    seg.preference[c] = seg.preference.get(c, 0.0) + float(drift[k])
        # a representative day is a couple of replications: in this process, whatever
        # run.workers says (handing them to a pool would cost more than it saves)
        day_run = dataclasses.replace(self.run, replications=self.adoption.day_replications,
                                      seed=day_seed(self.run.seed, self.replication, month),
                                      trace=False, workers=1, executor=Executor.local)
        result = run_experiment(shifted, day_run, progress=False)

        def channel_mean(kpi: str) -> np.ndarray:
            values = [result.channel_kpi(c, kpi).mean for c in self.channels]
            return np.nan_to_num(np.array(values, dtype=float))

        arrivals = channel_mean("arrivals")
        lost = channel_mean("abandoned") + channel_mean("balked")
        return Conditions(channel_mean("wait_mean"), channel_mean("p_wait"),
                          np.divide(lost, arrivals, out=np.zeros_like(lost), where=arrivals > 0),
                          float(np.nan_to_num(result.kpi("cost_per_transaction").mean)),
                          arrivals, channel_mean("service_level"))

    def contacts(self, month: int) -> tuple[np.ndarray, float, float]:
        """This month's campaign contacts: utility added per customer and channel, how
        many were contacted, what it cost.  A campaign contacts, per segment, the
        calendar's number for this month, else ``contacts_per_month`` over its segments
        while it runs; among the customers it may reach: its segments', with a promoted
        channel's score of at least ``min_score``, contacted fewer than
        ``max_contacts_per_customer`` times so far.  Numbers of contacts are of the
        customers the population stands for (``represented_customers``): the population
        draws that number over ``self.scale``, rounded, and counts and pays each draw
        ``self.scale`` times."""
        p, rng = self.population, self.contact_rng
        boost = np.zeros_like(p.score)
        contacted, spend = 0, 0.0
        index = {c: k for k, c in enumerate(self.channels)}
        for name, campaign in self.scenario.campaigns.items():
            promoted = np.array([index[c] for c in campaign.channels])
            reachable = self.reachable(name, promoted)
            draws = [(np.flatnonzero(reachable & (p.segment == self.segments.index(seg))),
                      counts[month] if month < len(counts) else 0)
                     for seg, counts in campaign.calendar.items()]
            end = campaign.end_month if campaign.end_month is not None else month + 1
            if campaign.contacts_per_month and campaign.start_month <= month + 1 <= end:
                planned = np.isin(p.segment, [self.segments.index(s) for s in campaign.calendar])
                draws.append((np.flatnonzero(reachable & ~planned), campaign.contacts_per_month))
            for pool, wanted in draws:
                drawn = round(wanted / self.scale)
                if not drawn or not len(pool):
                    continue
                chosen = rng.choice(pool, size=min(drawn, len(pool)), replace=False)
                boost[np.ix_(chosen, promoted)] += campaign.contact_uplift
                self.contacted[name][chosen] += 1
                contacted += len(chosen)
                spend += len(chosen) * campaign.unit_cost
        return boost, round(contacted * self.scale), spend * self.scale

    def reachable(self, campaign: str, promoted: np.ndarray) -> np.ndarray:
        """Customers ``campaign`` may contact now (``contacts``)."""
        spec, p = self.scenario.campaigns[campaign], self.population
        ok = np.ones(len(p.segment), dtype=bool)
        if spec.segments:
            ok &= np.isin(p.segment, [self.segments.index(s) for s in spec.segments])
        if spec.min_score is not None:
            ok &= p.score[:, promoted].max(axis=1) >= spec.min_score
        if spec.max_contacts_per_customer is not None:
            ok &= self.contacted[campaign] < spec.max_contacts_per_customer
        return ok

    def month(self, month: int, trace: bool = False,
              conditions: Optional[Conditions] = None) -> MonthRecord:
        """Simulate month ``month`` (0-based) of the population and return its KPIs.

        The representative day with this month's habits (``conditions``), the campaigns'
        contacts, then every customer's transactions (Poisson, the segment's monthly
        frequency) choosing by their own scores, and learning: the scores of channels used
        move with each visit's peak-end score, unused ones decay toward the segment's, and
        the satisfaction memory is updated (module docstring).  It changes
        ``self.population``, so months must run in order.  ``trace`` keeps every journey
        (customer, first and final channel index, -1 for none).  ``conditions``: use
        these instead of simulating the representative day (another run's, for a quick
        what-if whose queues hardly change).  ``churned`` and
        ``churn_rate`` are NaN until CHURN_MONTHS months have passed."""
        a, p, rng = self.adoption, self.population, self.rng
        cond = conditions if conditions is not None else self.conditions(month)
        boost, contacted, spend = self.contacts(month)
        n, n_channels = len(p.segment), len(self.channels)
        freq = np.array([a.transactions_per_month.get(s, 1.0) for s in self.segments])
        counts = rng.poisson(freq[p.segment])
        customer = np.repeat(np.arange(n), counts)
        seg_of = p.segment[customer]
        first = np.full(len(customer), -1)
        final = np.full(len(customer), -1)
        experience = np.zeros(len(customer))
        sat = self.scenario.satisfaction
        wait_sens = np.array([seg.wait_sensitivity_per_minute
                              for seg in self.scenario.segments.values()])
        updates: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []  # customers, channels, e
        ivr_done = np.zeros(len(customer), dtype=bool)  # ended in an e-channel hotline's IVR

        for s, name in enumerate(self.segments):
            rows = np.flatnonzero(seg_of == s)
            mix = self.scenario.segments[name].mix
            types = list(mix)
            drawn = rng.choice(len(types), size=len(rows), p=np.array([mix[t] for t in types]))
            for t, ttype in enumerate(types):
                idx = rows[drawn == t]
                if not len(idx):
                    continue
                chans, base, success, ivr = self.options[(s, ttype)]
                who = customer[idx]
                utility = (base + p.score[who][:, chans] + boost[who][:, chans]
                           - wait_sens[s] * cond.wait_mean[chans]
                           + rng.gumbel(size=(len(idx), len(chans))))
                k = utility.argmax(axis=1)
                ch = chans[k]
                wait = _waits(rng, cond, ch)
                abandoned = rng.random(len(idx)) < cond.p_abandon[ch]
                ok = ~abandoned & (rng.random(len(idx)) < success[k])
                moment = np.exp(-wait / sat.wait_scale_minutes)
                end = np.where(ok, moment,
                               np.where(abandoned, sat.abandon_score, sat.failure_score))
                e = _peak_end(sat.peak_weight, np.minimum(moment, end), end)
                updates.append((who, ch, e))
                first[idx], experience[idx] = ch, e
                final[idx] = np.where(ok, ch, -1)
                if self.e_ivr.any():  # a hotline counted as an e-channel: calls its IVR ends
                    ivr_done[idx] = ok & self.e_ivr[ch] & (self.ivr_rng.random(len(idx)) < ivr[k])
                # a journey that did not succeed ends at the best staffed channel, if any
                staffed = self.staffed[chans]
                if staffed.any() and (~ok).any():
                    fb_cols = np.flatnonzero(staffed)
                    miss = np.flatnonzero(~ok)
                    u_fb = utility[np.ix_(miss, fb_cols)]
                    fb_k = fb_cols[u_fb.argmax(axis=1)]
                    fb = chans[fb_k]
                    e_fb = np.exp(-_waits(rng, cond, fb) / sat.wait_scale_minutes)
                    updates.append((who[miss], fb, e_fb))
                    final[idx[miss]] = fb
                    if self.e_ivr.any():
                        ivr_done[idx[miss]] = self.e_ivr[fb] & (
                            self.ivr_rng.random(len(miss)) < ivr[fb_k])
                    # the journey: worst of both visits, ending on the fallback
                    experience[idx[miss]] = _peak_end(sat.peak_weight,
                                                      np.minimum(e[miss], e_fb), e_fb)

        used = np.zeros((n, n_channels), dtype=bool)
        for who, ch, _ in updates:
            used[who, ch] = True
        p.last_used[used] = month
        if a.learning.enabled:
            for who, ch, e in updates:
                np.add.at(p.score, (who, ch), a.learning.rate * (e - a.learning.neutral_score))
            drift = a.learning.decay_per_month * (self.baseline[p.segment] - p.score)
            p.score += np.where(used, 0.0, drift)
        journeys_of = np.bincount(customer, minlength=n)
        mean_e = np.bincount(customer, weights=experience, minlength=n) / np.maximum(journeys_of, 1)
        p.satisfaction = remember(p.satisfaction, mean_e, journeys_of > 0, p.segment,
                                  a.learning.satisfaction_memory, first=month == 0)

        e_used = (used & self.e_channel).any(axis=1)
        if ivr_done.any():
            e_used |= np.bincount(customer[ivr_done], minlength=n) > 0
        p.e_used.append(e_used)
        assert p.ever_e is not None
        p.ever_e |= e_used
        completed = final >= 0
        e_done = completed & (self.e_channel[final] | ivr_done)  # e-channel transactions
        kpis = {
            "transactions": float(len(customer)),
            "e_channel_share": ratio(np.sum(e_done), completed.sum()),
            "penetration": float(e_used.mean()),
            "penetration_cumulative": float(p.ever_e.mean()),
            "churned": math.nan, "churn_rate": math.nan,
            "satisfaction": float(p.satisfaction.mean()),
            "cost_per_transaction": cond.cost_per_transaction,
            "contacted": float(contacted), "promotion_spend": spend,
        }
        if len(p.e_used) > CHURN_MONTHS:
            before = p.e_used[-1 - CHURN_MONTHS]
            since = np.any(p.e_used[-CHURN_MONTHS:], axis=0)
            churned = before & ~since
            kpis["churned"] = float(churned.sum())
            kpis["churn_rate"] = ratio(churned.sum(), before.sum())
        active = {c: int(used[:, k].sum()) for k, c in enumerate(self.channels)}
        journeys = None
        if trace:
            journeys = {"customer": customer, "first": first, "final": final,
                        "month": np.full(len(customer), month)}
        by_segment = {name: {
            "customers": float(np.sum(p.segment == s)),
            "transactions": float(np.sum(completed[seg_of == s])),
            "e_channel_share": ratio(np.sum(e_done[seg_of == s]), np.sum(completed[seg_of == s])),
            "penetration": float(e_used[p.segment == s].mean()) if np.any(p.segment == s)
            else math.nan} for s, name in enumerate(self.segments)}
        return MonthRecord(kpis, active, journeys, by_segment, cond)


def step_at(steps: list[int], month: int) -> int:
    """Servers added in ``month`` (0-based) by a channel's capacity steps: the month's entry,
    the last one past the list's end, 0 for no steps."""
    return steps[min(month, len(steps) - 1)] if steps else 0


def apply_capacity_steps(scenario: Scenario, month: int) -> None:
    """Add ``adoption.capacity_steps`` for ``month`` (0-based) to the channels' servers, in
    place: every open hour of a schedule (closed hours stay closed), else ``servers``."""
    for name, steps in scenario.adoption.capacity_steps.items():
        added = step_at(steps, month)
        ch = scenario.channels[name]
        if not added:
            continue
        if ch.schedule:
            ch.schedule = [x + added if x > 0 else x for x in ch.schedule]
        else:
            ch.servers = (ch.servers if ch.servers is not None else 1) + added


def segment_customers(scenario: Scenario) -> np.ndarray:
    """Per segment, in the scenario's order: its daily transactions (a rate profile's
    expected ones) over its transactions per customer and month, which times
    ``adoption.days_per_month`` is its customers.  ``Months`` samples its segments in
    proportion to these."""
    a = scenario.adoption
    day = day_minutes(scenario)  # a rate profile's transactions a day, like a volume
    volume = np.array([seg.arrivals.daily_volume if seg.arrivals.daily_volume is not None
                       else expected_arrivals(seg.arrivals, day)
                       for seg in scenario.segments.values()], dtype=float)
    freq = np.array([a.transactions_per_month.get(s, 1.0) for s in scenario.segments])
    return volume / np.maximum(freq, 1e-9)


def represented_customers(scenario: Scenario) -> float:
    """The customers a months-mode population stands for: the rows of the customer table,
    else ``segment_customers`` x ``adoption.days_per_month``, summed over the segments."""
    a = scenario.adoption
    if a.customer_table:
        return float(len(read_customer_table(Path(a.customer_table), list(scenario.segments),
                                              list(scenario.channels)).segment))
    return float(segment_customers(scenario).sum()) * a.days_per_month


def e_channels(scenario: Scenario) -> tuple[np.ndarray, np.ndarray]:
    """Per channel, in the scenario's order: whether its transactions count as e-channel
    ones, and whether it is a staffed channel (a hotline) listed in ``adoption.e_channels``
    whose IVR-completed calls count.  With no list, the self-service channels count."""
    listed = set(scenario.adoption.e_channels)
    kinds = [scenario.channels[c].kind for c in scenario.channels]
    self_service = np.array([k in SELF_SERVICE_KINDS for k in kinds])
    if not listed:
        return self_service, np.zeros(len(kinds), dtype=bool)
    named = np.array([c in listed for c in scenario.channels])
    return self_service & named, ~self_service & named


def remember(memory: np.ndarray, experience: np.ndarray, visited: np.ndarray,
             segment: np.ndarray, weight: float, first: bool) -> np.ndarray:
    """Each customer's satisfaction memory after a month (a moving average of their
    journeys' peak-end scores, ``weight`` on the month's mean ``experience``).

    The first month starts the memory at that month's experience: the customer's own, or
    their segment's mean for a customer without journeys. Started at a neutral guess
    instead, the memory would take a year to forget it, and satisfaction would seem to
    rise (or fall) with nothing changing.
    """
    if not first:
        return np.where(visited, (1 - weight) * memory + weight * experience, memory)
    start = memory.astype(float)
    for s in np.unique(segment):
        mine, seen = segment == s, (segment == s) & visited
        if seen.any():
            start[mine] = experience[seen].mean()
    start[visited] = experience[visited]
    return start


def _waits(rng: np.random.Generator, cond: Conditions, channels: np.ndarray) -> np.ndarray:
    """Minutes waited at each visit: none, or exponential with the day's mean given a wait."""
    waited = rng.random(len(channels)) < cond.p_wait[channels]
    mean_if_waited = cond.wait_mean[channels] / np.maximum(cond.p_wait[channels], 1e-12)
    return np.where(waited, rng.exponential(1.0, len(channels)) * mean_if_waited, 0.0)


def _peak_end(peak_weight: float, worst: np.ndarray, last: np.ndarray) -> np.ndarray:
    """The day model's journey score: the worst moment and the last, weighted."""
    return peak_weight * worst + (1 - peak_weight) * last


@dataclass
class MonthsResult:
    """A months run: each replication (an independent population) month by month.  Every
    KPI gets a Student-t CI over replications (``kpi``, ``active``);
    ``sim.months.outputs.write_months`` writes its files."""

    scenario: Scenario
    run: RunSettings
    replications: list[list[MonthRecord]]  # replication -> month

    def kpi(self, month: int, name: str) -> Estimate:
        """KPI ``name`` (one of MONTHLY_KPIS) of month ``month`` (0-based) over replications,
        its CI clipped to the KPI's range; NaN where undefined in every replication
        (``churn_rate`` in the first months)."""
        return estimate((r[month].kpis[name] for r in self.replications),
                        bounds=kpi_range(name))

    def scenario_channel(self, index: int) -> str:
        """A channel's name from its index in a journey record ("lost" for -1)."""
        return list(self.scenario.channels)[index] if index >= 0 else "lost"

    def service_level(self, month: int, channel: str) -> Estimate:
        """``channel``'s share of queued customers served within its target wait on month
        ``month``'s (0-based) representative days, over replications."""
        k = list(self.scenario.channels).index(channel)
        days = [r[month].conditions for r in self.replications]
        return estimate((float(c.service_level[k]) for c in days
                         if c is not None and c.service_level is not None),
                        bounds=kpi_range("service_level"))

    def active(self, month: int, channel: str) -> Estimate:
        """Customers who used ``channel`` in month ``month`` (0-based), over replications."""
        return estimate((float(r[month].active[channel]) for r in self.replications),
                        bounds=kpi_range(f"active.{channel}"))


def run_months(scenario: Scenario, run: RunSettings, progress: Optional[bool] = None,
               on_month: Optional[Callable[[int, int], None]] = None,
               conditions: Optional[MonthsResult] = None) -> MonthsResult:
    """``run.replications`` populations over ``run.months`` months.  ``on_month(done,
    total)`` is called after each month of each population (a progress bar of one's own);
    what it raises (a cancel) stops the run.  ``conditions``: an earlier run of as many
    populations and months whose representative days this run reuses (``Months.month``).

    Populations that simulate their own representative days run on ``run.workers``
    processes (``sim.parallel``, as day replications do), a population's months at a
    time; each population draws only from its own streams, so the result is the same,
    to the byte, for any number of workers.  Runs that reuse ``conditions`` are
    arithmetic on the population and stay in this process."""
    total = run.replications * run.months
    bar = Progress(total, "months", "month", progress)
    workers = min(usable_workers(run.workers), run.replications)
    reps: list[list[MonthRecord]] = []
    try:
        if conditions is None and workers > 1 and run.executor is Executor.local:
            calls = ((scenario, run, r) for r in range(run.replications))
            for records in map_in_order(run_population, calls, workers):
                reps.append(records)
                bar.update(run.months)
                if on_month is not None:
                    on_month(len(reps) * run.months, total)
            return MonthsResult(scenario, run, reps)
        for r in range(run.replications):
            months = Months(scenario, run, r)
            records = []
            for m in range(run.months):
                given = conditions.replications[r][m].conditions if conditions else None
                records.append(months.month(m, trace=run.trace, conditions=given))
                bar.update()
                if on_month is not None:
                    on_month(r * run.months + m + 1, total)
            reps.append(records)
    finally:
        bar.close()
    return MonthsResult(scenario, run, reps)


def run_population(scenario: Scenario, run: RunSettings, replication: int) -> list[MonthRecord]:
    """Population ``replication``'s months, each with its own representative days (what a
    worker process runs for ``run_months``)."""
    months = Months(scenario, run, replication)
    return [months.month(m, trace=run.trace) for m in range(run.months)]
