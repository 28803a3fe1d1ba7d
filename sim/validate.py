"""Semantic checks on a Scenario and RunSettings; the first problem raises ScenarioError."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from pathlib import Path

from sim.arrivals import expected_arrivals, rate_profile
from sim.parallel import ray_installed
from sim.scenario import (
    MINUTES_PER_DAY,
    SELF_SERVICE_KINDS,
    Arrivals,
    Campaign,
    ChannelKind,
    Distribution,
    DistributionKind,
    Executor,
    ResponseCurve,
    ResponseKind,
    RunSettings,
    Scenario,
    threshold_label,
)

SHARE_TOLERANCE = 1e-6
# Sizes past which a run is refused rather than left to print nothing for minutes or to
# run out of memory (the README's "Limits"): at about 35,000 customers a second, a
# replication at the limit takes about half a minute.
MAX_ARRIVALS_PER_REPLICATION = 1_000_000  # expected arrivals over the horizon, all segments
MAX_HORIZON_MINUTES = 5_259_600  # ten years: per-hour statistics are kept for every hour
MAX_CUSTOMERS = 1_000_000  # run.mode=months: the population sampled


class UserError(ValueError):
    """A problem with what the user asked for, reported in one line without a traceback
    (exit code 2 in a single run, a failed row in a sweep)."""


class ScenarioError(UserError):
    """A bad config value, printed as one line: ``path=value: reason``."""

    def __init__(self, path: str, value: object, reason: str) -> None:
        super().__init__(f"{path}={value!r}: {reason}")
        self.path, self.value, self.reason = path, value, reason

    def under(self, node: str, instead_of: str) -> ScenarioError:
        """The same error with its path's first segment ``instead_of`` named ``node``
        (a reader shared by two apps names each app's own settings)."""
        head, dot, rest = self.path.partition(".")
        if head != instead_of:
            return self
        return ScenarioError(f"{node}{dot}{rest}", self.value, self.reason)


def require(ok: bool, path: str, value: object, reason: str) -> None:
    """Raise ScenarioError(path, value, reason) unless ``ok``."""
    if not ok:
        raise ScenarioError(path, value, reason)


def _probability(path: str, value: float) -> None:
    require(0.0 <= value <= 1.0, path, value, "a probability must lie in [0, 1]")


def _non_negative(path: str, value: float) -> None:
    require(value >= 0 and math.isfinite(value), path, value, "must be a finite number >= 0")


def _positive(path: str, value: float) -> None:
    require(value > 0 and math.isfinite(value), path, value, "must be a finite number > 0")


def require_finite(node: object, path: str) -> None:
    """Refuse NaN and infinity in every float of a settings tree (dataclasses, dicts and
    lists of them), naming the first one's path, e.g. ``scenario.channels.web.effort``.

    A NaN compares false with everything, so range checks let it through and it then
    spreads through every sum it enters; one walk over the tree catches every float
    field, present and future, without a check per field.
    """
    if isinstance(node, float):
        require(math.isfinite(node), path, node, "must be a finite number")
    elif dataclasses.is_dataclass(node) and not isinstance(node, type):
        for f in dataclasses.fields(node):
            require_finite(getattr(node, f.name), f"{path}.{f.name}")
    elif isinstance(node, Mapping):
        for key, value in node.items():
            require_finite(value, f"{path}.{key}")
    elif isinstance(node, (list, tuple)):
        for i, value in enumerate(node):
            require_finite(value, f"{path}[{i}]")


def validate_run(run: RunSettings, prefix: str = "run") -> None:
    """Raise ScenarioError (paths under ``prefix``) at the first bad run setting: a number
    that is not finite, a horizon not positive or past MAX_HORIZON_MINUTES, a warm-up
    negative or not shorter than the horizon, fewer than one replication, month or
    customer, a negative seed, more than MAX_CUSTOMERS customers."""
    require_finite(run, prefix)
    _positive(f"{prefix}.horizon_minutes", run.horizon_minutes)
    require(run.horizon_minutes <= MAX_HORIZON_MINUTES, f"{prefix}.horizon_minutes",
            run.horizon_minutes, f"longer than the limit of {MAX_HORIZON_MINUTES:,} minutes "
            "(ten years)")
    _non_negative(f"{prefix}.warmup_minutes", run.warmup_minutes)
    require(
        run.warmup_minutes < run.horizon_minutes,
        f"{prefix}.warmup_minutes",
        run.warmup_minutes,
        f"warm-up must be shorter than the horizon ({run.horizon_minutes} minutes)",
    )
    require(run.replications >= 1, f"{prefix}.replications", run.replications, "need at least 1")
    require(run.workers is None or (isinstance(run.workers, int)
                                    and not isinstance(run.workers, bool) and run.workers >= 1),
            f"{prefix}.workers", run.workers,
            "the number of processes must be a whole number >= 1 (null: every core)")
    require(run.executor is not Executor.ray or ray_installed(), f"{prefix}.executor",
            run.executor.value, "needs Ray: pip install -e '.[ray]' (or run.executor=local)")
    require(run.seed >= 0, f"{prefix}.seed", run.seed, "a seed must be >= 0")
    require(run.months >= 1, f"{prefix}.months", run.months, "need at least 1")
    require(run.customers >= 1, f"{prefix}.customers", run.customers, "need at least 1")
    require(run.customers <= MAX_CUSTOMERS, f"{prefix}.customers", run.customers,
            f"more than the limit of {MAX_CUSTOMERS:,} customers")


def validate_size(scenario: Scenario, run: RunSettings, prefix: str = "scenario") -> None:
    """Refuse a run whose replication would hold more than MAX_ARRIVALS_PER_REPLICATION
    expected customers (both checked: a valid scenario and run)."""
    expected = {name: expected_arrivals(seg.arrivals, run.horizon_minutes)
                for name, seg in scenario.segments.items()}
    total = sum(expected.values())
    largest = max(expected, key=lambda name: expected[name])
    # rounded: a horizon chosen for exactly the limit may overshoot it by a float's error
    require(round(total) <= MAX_ARRIVALS_PER_REPLICATION, f"{prefix}.segments.{largest}.arrivals",
            round(expected[largest]),
            f"expected customers in a replication of run.horizon_minutes="
            f"{run.horizon_minutes:g} (all segments: {total:,.0f}); the limit is "
            f"{MAX_ARRIVALS_PER_REPLICATION:,}: lower the volumes or the horizon")


def day_minutes(scenario: Scenario, prefix: str = "scenario") -> float:
    """The scenario's day: the span of its segments' arrival profiles (which must agree),
    or 24 hours when every profile is a constant rate.  A run longer than the day repeats
    it, day after day; a staffing schedule gives one value per slot of it."""
    day: float | None = None
    for name, seg in scenario.segments.items():
        rates, slot = rate_profile(seg.arrivals)
        if len(rates) <= 1:
            continue  # a constant rate has no day of its own
        span = len(rates) * slot
        key = "hourly_shape" if seg.arrivals.daily_volume is not None else "rate_per_minute"
        if day is not None:
            require(math.isclose(span, day), f"{prefix}.segments.{name}.arrivals.{key}",
                    f"{len(rates)} slots of {slot:g} minutes",
                    f"every arrival profile must span the same day ({day:g} minutes before)")
        day = span
    return MINUTES_PER_DAY if day is None else day


def _validate_schedule_length(schedule: list[int] | list[float], slot_minutes: float, day: float,
                              path: str) -> None:
    slots = day / slot_minutes
    require(math.isclose(len(schedule) * slot_minutes, day), path, schedule,
            f"a schedule gives one value per slot of the scenario's day: {slots:g} slots of "
            f"{slot_minutes:g} minutes ({day:g} minutes), not {len(schedule)}")


def _validate_factors(factors: list[float], slot_minutes: float, day: float, path: str) -> None:
    """Per-slot factors: each > 0, one per slot of the day (like a schedule), or none."""
    for i, factor in enumerate(factors):
        _positive(f"{path}[{i}]", factor)
    if factors:
        _validate_schedule_length(factors, slot_minutes, day, path)


def validate_distribution(dist: Distribution, path: str) -> None:
    """Raise ScenarioError naming ``path`` for a distribution the samplers cannot use:
    ``empirical`` needs samples >= 0, not all zero; every other kind takes no samples and
    exactly one of ``mean_minutes`` and ``rate_per_minute``, > 0; lognormal and gamma also
    a ``cv`` > 0."""
    if dist.kind is DistributionKind.empirical:
        require(bool(dist.samples_minutes), f"{path}.samples_minutes", [], "empirical needs samples")
        for i, sample in enumerate(dist.samples_minutes):
            _non_negative(f"{path}.samples_minutes[{i}]", sample)
        require(
            sum(dist.samples_minutes) > 0, f"{path}.samples_minutes", dist.samples_minutes,
            "samples must not all be zero",
        )
        return
    require(
        not dist.samples_minutes, f"{path}.samples_minutes", dist.samples_minutes,
        f"samples are only read by kind=empirical, not {dist.kind.value}",
    )
    given = [k for k in ("mean_minutes", "rate_per_minute") if getattr(dist, k) is not None]
    require(len(given) == 1, path, given, "give exactly one of mean_minutes or rate_per_minute")
    _positive(f"{path}.{given[0]}", getattr(dist, given[0]))
    if dist.kind in (DistributionKind.lognormal, DistributionKind.gamma):
        _positive(f"{path}.cv", dist.cv)


def validate_scenario(scenario: Scenario, prefix: str = "scenario") -> None:
    """Raise ScenarioError naming the first bad value, its config path and the reason."""
    channels, types, segments = scenario.channels, scenario.transactions, scenario.segments
    require(bool(channels), f"{prefix}.channels", {}, "a scenario needs at least one channel")
    require(bool(types), f"{prefix}.transactions", {}, "a scenario needs a transaction type")
    require(bool(segments), f"{prefix}.segments", {}, "a scenario needs a customer segment")
    require_finite(scenario, prefix)
    require(scenario.close_hour is None
            or scenario.open_hour < scenario.close_hour <= scenario.open_hour + 24,
            f"{prefix}.close_hour", scenario.close_hour,
            f"must be after open_hour ({scenario.open_hour}) and at most 24 hours later")
    require(0 <= scenario.open_hour <= 23, f"{prefix}.open_hour", scenario.open_hour,
            "a clock hour lies in 0..23")
    for sname, seg in segments.items():  # first: the day is read from the arrival profiles
        _validate_arrivals(seg.arrivals, f"{prefix}.segments.{sname}.arrivals")
    day = day_minutes(scenario, prefix)
    branches = {ch.branch for ch in channels.values() if ch.branch}

    for name, ch in channels.items():
        p = f"{prefix}.channels.{name}"
        require(ch.servers is None or ch.servers >= 0, f"{p}.servers", ch.servers, "must be >= 0")
        for i, n in enumerate(ch.schedule):
            require(n >= 0, f"{p}.schedule[{i}]", n, "servers per slot must be >= 0")
        # a schedule overrides servers: a servers value beside one would be silently unused
        require(not ch.schedule or ch.servers is None, f"{p}.servers", ch.servers,
                f"the channel has a schedule, which sets its servers; clear it with "
                f"{p}.schedule=[] to use servers, or change the schedule")
        _positive(f"{p}.schedule_slot_minutes", ch.schedule_slot_minutes)
        if ch.schedule:
            _validate_schedule_length(ch.schedule, ch.schedule_slot_minutes, day, f"{p}.schedule")
        _validate_factors(ch.service_factors, ch.schedule_slot_minutes, day,
                          f"{p}.service_factors")
        _non_negative(f"{p}.target_wait_minutes", ch.target_wait_minutes)
        _probability(f"{p}.target_share", ch.target_share)
        labels: set[str] = set()
        for i, threshold in enumerate(ch.service_level_thresholds):
            where = f"{p}.service_level_thresholds[{i}]"
            require(threshold * 60 >= 0.5, where, threshold, "a threshold must be at least half "
                    "a second (minutes: 20 seconds is 0.3333)")
            label = threshold_label(threshold)
            require(label not in labels, where, threshold,
                    f"repeats another threshold to the second ({label})")
            labels.add(label)
        if ch.balk_queue_length is not None:
            require(ch.balk_queue_length >= 0, f"{p}.balk_queue_length", ch.balk_queue_length,
                     "must be >= 0")
        _non_negative(f"{p}.cost_per_transaction", ch.cost_per_transaction)
        _non_negative(f"{p}.cost_per_server_hour", ch.cost_per_server_hour)
        for seg_name in ch.priority_segments:
            require(seg_name in segments, f"{p}.priority_segments", seg_name,
                     "not a segment of the scenario")
        _validate_kind_fields(scenario, name, p)

    for tname, tt in types.items():
        p = f"{prefix}.transactions.{tname}"
        require(bool(tt.service), f"{p}.service", {}, "no eligible channel carries this type")
        for ch_name, dist in tt.service.items():
            require(ch_name in channels, f"{p}.service", ch_name, "not a channel of the scenario")
            validate_distribution(dist, f"{p}.service.{ch_name}")
        for ch_name, prob in tt.success.items():
            require(ch_name in tt.service, f"{p}.success", ch_name,
                     "success given for a channel that cannot carry this type")
            _probability(f"{p}.success.{ch_name}", prob)

    for sname, seg in segments.items():
        p = f"{prefix}.segments.{sname}"
        require(not seg.branch or seg.branch in branches, f"{p}.branch", seg.branch,
                "no channel has this branch (a home branch needs its channels)")
        require(bool(seg.mix), f"{p}.mix", {}, "a segment needs a transaction mix")
        for tname, share in seg.mix.items():
            require(tname in types, f"{p}.mix", tname, "not a transaction type of the scenario")
            _probability(f"{p}.mix.{tname}", share)
        total = sum(seg.mix.values())
        require(abs(total - 1.0) <= SHARE_TOLERANCE, f"{p}.mix", round(total, 9),
                 "shares must sum to 1")
        for key in ("preference", "promotion_uplift"):
            for ch_name, value in getattr(seg, key).items():
                require(ch_name in channels, f"{p}.{key}", ch_name, "not a channel of the scenario")
                require(math.isfinite(value), f"{p}.{key}.{ch_name}", value, "must be finite")
        _non_negative(f"{p}.wait_sensitivity_per_minute", seg.wait_sensitivity_per_minute)
        for key in ("self_service_success_factor", "retry_probability", "lobby_acceptance",
                    "deflection_acceptance"):
            _probability(f"{p}.{key}", getattr(seg, key))
        _positive(f"{p}.self_service_time_factor", seg.self_service_time_factor)
        if seg.self_service_cap is not None:
            _probability(f"{p}.self_service_cap", seg.self_service_cap)
        if seg.patience is not None:
            validate_distribution(seg.patience, f"{p}.patience")
        if seg.retry_delay is not None:
            validate_distribution(seg.retry_delay, f"{p}.retry_delay")
        if seg.patience_factors:
            require(seg.patience is not None, f"{p}.patience_factors", seg.patience_factors,
                    "a segment without patience never abandons: no factors to apply")
            _validate_factors(seg.patience_factors, rate_profile(seg.arrivals)[1], day,
                              f"{p}.patience_factors")
        _probability(f"{p}.redial_probability", seg.redial_probability)
        require(seg.redial_probability == 0 or seg.redial_delay is not None, f"{p}.redial_delay",
                None, "a segment that redials needs the delay before it redials")
        if seg.redial_delay is not None:
            validate_distribution(seg.redial_delay, f"{p}.redial_delay")

    guided: dict[str, str] = {}  # branch -> the guide working there
    for gname, guide in scenario.lobby_guides.items():
        p = f"{prefix}.lobby_guides.{gname}"
        require(guide.branch in branches, f"{p}.branch", guide.branch, "no channel has this branch")
        require(guide.branch not in guided, f"{p}.branch", guide.branch,
                f"lobby_guides.{guided.get(guide.branch)} already works in this branch")
        guided[guide.branch] = gname
        kiosk = channels.get(guide.kiosk)
        require(kiosk is not None and kiosk.kind is ChannelKind.kiosk, f"{p}.kiosk", guide.kiosk,
                 "not a kiosk channel of the scenario")
        require(kiosk is None or kiosk.branch == guide.branch, f"{p}.kiosk", guide.kiosk,
                 f"the kiosk is not in branch {guide.branch!r}")
        require(guide.guides >= 0, f"{p}.guides", guide.guides, "must be >= 0")
        _positive(f"{p}.minutes_per_guidance", guide.minutes_per_guidance)
        _non_negative(f"{p}.start_minute", guide.start_minute)
        require(guide.start_minute < guide.end_minute, f"{p}.end_minute", guide.end_minute,
                 "must be after start_minute")

    for cname, campaign in scenario.campaigns.items():
        validate_campaign(scenario, campaign, f"{prefix}.campaigns.{cname}")
    validate_adoption(scenario, f"{prefix}.adoption")
    for observed, share in scenario.observed_shares.items():
        require(observed in channels, f"{prefix}.observed_shares.{observed}", share,
                "not a channel of the scenario")
        _probability(f"{prefix}.observed_shares.{observed}", share)
    if scenario.observed_shares:
        total = sum(scenario.observed_shares.values())
        require(abs(total - 1.0) <= 0.01, f"{prefix}.observed_shares", round(total, 6),
                "shares must sum to 1 (within 0.01: rounding in a report)")

    require(scenario.switching.max_attempts >= 1, f"{prefix}.switching.max_attempts",
             scenario.switching.max_attempts, "a journey needs at least 1 attempt")
    sat = scenario.satisfaction
    for key in ("peak_weight", "balk_score", "abandon_score", "failure_score", "lost_score"):
        _probability(f"{prefix}.satisfaction.{key}", getattr(sat, key))
    _positive(f"{prefix}.satisfaction.wait_scale_minutes", sat.wait_scale_minutes)


def validate_capacity_steps(scenario: Scenario, p: str, channel: str, steps: list[int]) -> None:
    """Raise ScenarioError unless ``steps`` (servers added per month) name a counter, kiosk or
    hotline of the scenario and leave it at least one server in every hour it opens."""
    ch = scenario.channels.get(channel)
    require(ch is not None and ch.kind is not ChannelKind.online, p, steps,
            "capacity steps are for a counter, kiosk or hotline of the scenario")
    assert ch is not None
    for i, d in enumerate(steps):
        require(isinstance(d, int) and not isinstance(d, bool), f"{p}[{i}]", d,
                "servers added: a whole number")
    open_slots = [x for x in ch.schedule if x > 0] or [ch.servers if ch.servers is not None else 1]
    if steps:
        require(min(open_slots) + min(steps) >= 1, p, steps,
                f"leaves no server in an open hour (fewest today: {min(open_slots):g})")


def validate_adoption(scenario: Scenario, p: str) -> None:
    """Raise ScenarioError for a bad ``adoption`` node at ``p`` (read by months mode, checked
    in every mode): monthly frequencies for unknown segments or below 0, a negative score
    spread, a customer table that is not a file, fewer than one day replication, learning
    settings out of range, targets for a KPI the monthly plot does not draw or outside
    [0, 1]."""
    a = scenario.adoption
    for seg, n in a.transactions_per_month.items():
        require(seg in scenario.segments, f"{p}.transactions_per_month.{seg}", n,
                "not a segment of the scenario")
        _non_negative(f"{p}.transactions_per_month.{seg}", n)
    _non_negative(f"{p}.score_sd", a.score_sd)
    if a.customer_table:
        require(Path(a.customer_table).is_file(), f"{p}.customer_table", a.customer_table,
                "no such file")
    require(a.day_replications >= 1, f"{p}.day_replications", a.day_replications, "need at least 1")
    _non_negative(f"{p}.learning.rate", a.learning.rate)
    for key in ("neutral_score", "decay_per_month", "satisfaction_memory"):
        _probability(f"{p}.learning.{key}", getattr(a.learning, key))
    for i, name in enumerate(a.e_channels):
        ch = scenario.channels.get(name)
        require(ch is not None, f"{p}.e_channels[{i}]", name, "not a channel of the scenario")
        assert ch is not None
        require(ch.kind in SELF_SERVICE_KINDS or bool(ch.ivr_completion), f"{p}.e_channels[{i}]",
                name, "a staffed channel counts only the calls its IVR completes, and it has "
                "no ivr_completion")
    for key in ("learning_rate", "decay_per_month", "contact_uplift"):
        bounds = getattr(a.uncertainty, key)
        top = 1.0 if key == "decay_per_month" else math.inf
        require(not bounds or (len(bounds) == 2 and 0 <= bounds[0] <= bounds[1] <= top),
                f"{p}.uncertainty.{key}", bounds,
                "a range [low, high] with 0 <= low <= high" + (" <= 1" if top == 1 else ""))
    require(math.isfinite(a.days_per_month) and a.days_per_month > 0, f"{p}.days_per_month",
            a.days_per_month, "must be > 0")
    for name, steps in a.capacity_steps.items():
        validate_capacity_steps(scenario, f"{p}.capacity_steps.{name}", name, steps)
    for kpi, target in a.targets.items():
        require(kpi in ("e_channel_share", "penetration", "penetration_cumulative"),
                f"{p}.targets.{kpi}", target,
                "targets are drawn for e_channel_share, penetration, penetration_cumulative")
        _probability(f"{p}.targets.{kpi}", target)


def validate_campaign(scenario: Scenario, campaign: Campaign, p: str) -> None:
    """Raise ScenarioError for a bad campaign at ``p``: it must promote self-service
    channels of the scenario (at least one) and name known segments; costs, bounds and
    responsiveness are >= 0 with ``min_units <= max_units``; planned units per segment are
    0 or within the bounds; months run forwards from 1; and the response curve is
    concave (a Hill exponent in (0, 1], breakpoints from (0, 0) whose slopes never rise)."""
    require(bool(campaign.channels), f"{p}.channels", [], "a campaign promotes at least one channel")
    require(campaign.contacts_per_month >= 0, f"{p}.contacts_per_month",
            campaign.contacts_per_month, "must be >= 0")
    require(campaign.start_month >= 1, f"{p}.start_month", campaign.start_month,
            "months count from 1")
    if campaign.end_month is not None:
        require(campaign.end_month >= campaign.start_month, f"{p}.end_month",
                campaign.end_month, f"must not come before start_month ({campaign.start_month})")
    for name in campaign.channels:
        ch = scenario.channels.get(name)
        require(ch is not None and ch.kind in SELF_SERVICE_KINDS, f"{p}.channels", name,
                 "not a self-service (kiosk or online) channel of the scenario")
    for key in ("segments",):
        for seg in getattr(campaign, key):
            require(seg in scenario.segments, f"{p}.{key}", seg, "not a segment of the scenario")
    _non_negative(f"{p}.unit_cost", campaign.unit_cost)
    _non_negative(f"{p}.min_units", campaign.min_units)
    require(campaign.max_units >= campaign.min_units, f"{p}.max_units", campaign.max_units,
             f"must be >= min_units ({campaign.min_units})")
    for seg, factor in campaign.responsiveness.items():
        require(seg in scenario.segments, f"{p}.responsiveness", seg, "not a segment of the scenario")
        _non_negative(f"{p}.responsiveness.{seg}", factor)
    for seg, units in campaign.units.items():
        require(seg in scenario.segments, f"{p}.units", seg, "not a segment of the scenario")
        require(units == 0 or campaign.min_units <= units <= campaign.max_units,
                 f"{p}.units.{seg}", units,
                 f"must be 0 or within [{campaign.min_units}, {campaign.max_units}]")
    for seg, counts in campaign.calendar.items():
        require(seg in (campaign.segments or scenario.segments), f"{p}.calendar", seg,
                "not a segment the campaign targets")
        for i, n in enumerate(counts):
            require(isinstance(n, int) and n >= 0, f"{p}.calendar.{seg}[{i}]", n,
                    "contacts are a whole number >= 0")
    for key in ("max_contacts_per_customer", "max_contacts_per_month"):
        cap = getattr(campaign, key)
        require(cap is None or cap >= 0, f"{p}.{key}", cap, "must be >= 0 (null: no cap)")
    _validate_response(campaign.response, f"{p}.response")


def _validate_response(curve: ResponseCurve, p: str) -> None:
    if curve.kind is not ResponseKind.breakpoints:
        _probability(f"{p}.max_uplift", curve.max_uplift)
        _positive(f"{p}.scale_units", curve.scale_units)
        require(0 < curve.hill_exponent <= 1, f"{p}.hill_exponent", curve.hill_exponent,
                 "must lie in (0, 1]: a larger exponent makes the curve S-shaped, not concave")
        return
    xs, ys = curve.units, curve.uplift
    require(len(xs) >= 2 and len(xs) == len(ys), f"{p}.units", xs,
             "breakpoints need at least 2 units and as many uplift values")
    require(xs[0] == 0 and ys[0] == 0, f"{p}.units", xs, "breakpoints start at (0, 0)")
    for i in range(1, len(xs)):
        require(xs[i] > xs[i - 1], f"{p}.units[{i}]", xs[i], "units must increase")
        require(ys[i] >= ys[i - 1], f"{p}.uplift[{i}]", ys[i], "uplift must not decrease")
        _probability(f"{p}.uplift[{i}]", ys[i])
    slopes = [(ys[i] - ys[i - 1]) / (xs[i] - xs[i - 1]) for i in range(1, len(xs))]
    for i in range(1, len(slopes)):
        require(slopes[i] <= slopes[i - 1] + 1e-12, f"{p}.uplift[{i + 1}]", ys[i + 1],
                 "the curve must be concave (each segment no steeper than the one before)")


def _validate_kind_fields(scenario: Scenario, name: str, p: str) -> None:
    ch = scenario.channels[name]
    kind = ch.kind
    only = {
        "mtbf_minutes": ChannelKind.kiosk, "repair": ChannelKind.kiosk,
        "ivr": ChannelKind.hotline, "ivr_completion": ChannelKind.hotline,
        "deflect_to": ChannelKind.hotline, "concurrency_cap": ChannelKind.online,
        "outages": ChannelKind.online, "outage_mtbf_minutes": ChannelKind.online,
        "outage_repair": ChannelKind.online,
    }
    for key, owner in only.items():
        value = getattr(ch, key)
        require(value in (None, [], {}) or kind is owner, f"{p}.{key}", value,
                 f"only {_article(owner.value)} channel reads this, not {_article(kind.value)}")
    if ch.mtbf_minutes is not None:
        _positive(f"{p}.mtbf_minutes", ch.mtbf_minutes)
        require(ch.repair is not None, f"{p}.repair", None, "breakdowns need a repair distribution")
    if ch.repair is not None:
        validate_distribution(ch.repair, f"{p}.repair")
    if ch.ivr is not None:
        validate_distribution(ch.ivr, f"{p}.ivr")
    for tname, share in ch.ivr_completion.items():
        require(tname in scenario.transactions, f"{p}.ivr_completion", tname,
                 "not a transaction type of the scenario")
        _probability(f"{p}.ivr_completion.{tname}", share)
    for target in ch.deflect_to:
        other = scenario.channels.get(target)
        require(other is not None and other.kind is ChannelKind.online, f"{p}.deflect_to", target,
                 "not an online channel of the scenario")
    if ch.concurrency_cap is not None:
        require(ch.concurrency_cap >= 1, f"{p}.concurrency_cap", ch.concurrency_cap, "must be >= 1")
    for i, window in enumerate(ch.outages):
        _non_negative(f"{p}.outages[{i}].start_minute", window.start_minute)
        require(window.start_minute < window.end_minute, f"{p}.outages[{i}].end_minute",
                 window.end_minute, "must be after start_minute")
    if ch.outage_mtbf_minutes is not None:
        _positive(f"{p}.outage_mtbf_minutes", ch.outage_mtbf_minutes)
        require(ch.outage_repair is not None, f"{p}.outage_repair", None,
                 "random outages need an outage_repair distribution")
    if ch.outage_repair is not None:
        validate_distribution(ch.outage_repair, f"{p}.outage_repair")


def _article(word: str) -> str:
    return f"{'an' if word[0] in 'aeiou' else 'a'} {word}"


def _validate_arrivals(arr: Arrivals, p: str) -> None:
    _positive(f"{p}.slot_minutes", arr.slot_minutes)
    by_rate, by_volume = bool(arr.rate_per_minute), arr.daily_volume is not None
    require(by_rate != by_volume, p, {"rate_per_minute": arr.rate_per_minute,
             "daily_volume": arr.daily_volume},
             "give either rate_per_minute or daily_volume with hourly_shape")
    if by_rate:
        for i, rate in enumerate(arr.rate_per_minute):
            _non_negative(f"{p}.rate_per_minute[{i}]", rate)
        require(not arr.hourly_shape, f"{p}.hourly_shape", arr.hourly_shape,
                 "hourly_shape is only read with daily_volume")
        return
    assert arr.daily_volume is not None
    _non_negative(f"{p}.daily_volume", arr.daily_volume)
    require(bool(arr.hourly_shape), f"{p}.hourly_shape", [], "daily_volume needs an hourly_shape")
    for i, w in enumerate(arr.hourly_shape):
        _non_negative(f"{p}.hourly_shape[{i}]", w)
    require(sum(arr.hourly_shape) > 0, f"{p}.hourly_shape", arr.hourly_shape,
             "shape weights must not all be zero")
