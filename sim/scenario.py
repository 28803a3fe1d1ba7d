"""The one scenario schema: dataclasses read by the simulator, the optimiser and the sweeps.

Times are in minutes from the start of the simulated day (``open_hour`` on the clock),
rates are per minute.  The same classes are registered with Hydra's ConfigStore, so a
wrong type or an unknown key is refused when the config is composed; semantic checks
live in ``sim.validate``.  They are not frozen only because OmegaConf cannot override a
frozen dataclass; nothing below the entry point mutates them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Dict, List, Optional

# OmegaConf reads the annotations at runtime, so the typing aliases above are kept.


class ChannelKind(Enum):
    """What kind of place a channel is, which decides how a visit there goes.

    - ``counter``: tellers at a branch, with a queue (FIFO, ``priority_segments`` first).
    - ``kiosk``: self-service machines with their own queue; machines may break down.
    - ``hotline``: an optional IVR step (which may complete or deflect a call), then a queue
      for agents.
    - ``online``: web, app, SMS: no queue, an optional concurrency cap, outages.

    ``counter`` and ``hotline`` are staffed (``STAFFED_KINDS``); ``kiosk`` and ``online`` are
    self-service (``SELF_SERVICE_KINDS``): a journey completed there counts as diversion.
    """

    counter = "counter"
    kiosk = "kiosk"
    hotline = "hotline"
    online = "online"


MINUTES_PER_HOUR = 60.0  # every time in a scenario is in minutes; KPIs and plans go by the hour
MINUTES_PER_DAY = 24 * MINUTES_PER_HOUR
DEFAULT_DAY_MINUTES = 600.0  # a scenario that states no close_hour: a 10-hour day
SELF_SERVICE_KINDS = frozenset({ChannelKind.kiosk, ChannelKind.online})
STAFFED_KINDS = frozenset({ChannelKind.counter, ChannelKind.hotline})


class DistributionKind(Enum):
    """The shape of a ``Distribution`` of minutes.

    - ``exponential``: given by its mean (or rate) alone; its cv is 1 whatever ``cv`` says.
    - ``lognormal``, ``gamma``: given by the mean and ``cv`` (standard deviation / mean).
    - ``deterministic``: always the mean.
    - ``empirical``: drawn with replacement from ``samples_minutes``.
    """

    exponential = "exponential"
    lognormal = "lognormal"
    gamma = "gamma"
    deterministic = "deterministic"
    empirical = "empirical"


class ResponseKind(Enum):
    """The shape of a campaign's ``ResponseCurve``: how the uplift (a share in [0, 1]) grows
    with the units spent.  Every kind is concave (each further unit buys no more than the
    one before), which lets the optimiser use it without binary variables."""

    breakpoints = "breakpoints"  # given points (units, uplift), concave
    exponential = "exponential"  # max_uplift * (1 - exp(-units / scale_units))
    hill = "hill"  # max_uplift * units^h / (scale_units^h + units^h), h <= 1 keeps it concave


class Mode(Enum):
    """What ``python -m sim`` simulates (``run.mode``)."""

    day = "day"  # replications of one day (or a steady-state run)
    months = "months"  # a customer population over months, learning from experience


class Executor(Enum):
    """Where ``run.workers`` run the replications (``run.executor``)."""

    local = "local"  # processes on this machine (joblib's loky pool)
    ray = "ray"  # tasks on a Ray cluster (``pip install -e '.[ray]'``; run.ray_address)


class Steering(Enum):
    """How a segment's customers pick among the open channels that can carry their
    transaction.  With ``cheapest`` the cost is the channel's fee plus the server time the
    transaction takes (``sim.channel_rules.unit_cost``); ties are broken by the logit.  A
    segment steered to the cheapest does not respond to campaigns (it is steered, not
    persuaded)."""

    preference = "preference"  # choose by logit over preferences (high-value customers)
    cheapest = "cheapest"  # steered to the cheapest eligible channel that is open


@dataclass
class Distribution:
    """A duration in minutes: give ``mean_minutes`` or ``rate_per_minute`` (not both),
    ``cv`` (standard deviation / mean) for lognormal and gamma, or ``samples_minutes``
    for an empirical distribution."""

    kind: DistributionKind = DistributionKind.exponential
    mean_minutes: Optional[float] = None
    rate_per_minute: Optional[float] = None
    cv: float = 1.0
    samples_minutes: List[float] = field(default_factory=list)


@dataclass
class Window:
    """A planned outage of an online channel: attempts between ``start_minute`` and
    ``end_minute`` fail.  It happens once: unlike schedules and arrival profiles, a window
    does not repeat each day of a run longer than the day."""

    start_minute: float = 0.0  # minutes from the start of the run (open_hour)
    end_minute: float = 0.0  # the channel is up again from this minute


@dataclass
class Channel:
    """A place a transaction can be done.  The key in ``Scenario.channels`` is its name."""

    kind: ChannelKind = ChannelKind.counter
    branch: str = ""  # channels sharing a branch share its lobby guide
    servers: Optional[int] = None  # tellers, kiosk machines or hotline agents (unset: 1,
    # or the schedule's); unused for online
    schedule: List[float] = field(default_factory=list)  # servers per slot, repeating;
    # overrides servers; 2.5: a time-average (2 for the first half of the slot, then 3)
    schedule_slot_minutes: float = MINUTES_PER_HOUR
    target_wait_minutes: float = 5.0  # service-level target: wait at most this ...
    target_share: float = 0.8  # ... for at least this share of those who queue
    service_factors: List[float] = field(default_factory=list)  # per schedule slot of the
    # day (repeating): multiplies the service time of services that start in it; [] = 1
    service_level_thresholds: List[float] = field(default_factory=list)  # more waits
    # (minutes) to report the share answered within, as KPIs within_<seconds>s (20 s: 1/3)
    balk_queue_length: Optional[int] = None  # arrivals seeing this many waiting balk
    effort: float = 0.0  # disutility of using the channel in the choice model
    cost_per_transaction: float = 0.0  # per handled attempt (served or failed)
    cost_per_server_hour: float = 0.0  # per scheduled teller, agent or machine hour
    priority_segments: List[str] = field(default_factory=list)  # served before others
    # kiosk: breakdowns take a machine out of service
    mtbf_minutes: Optional[float] = None
    repair: Optional[Distribution] = None
    # hotline: an IVR step before the agent pool
    ivr: Optional[Distribution] = None
    ivr_completion: Dict[str, float] = field(default_factory=dict)  # type -> share ending in IVR
    deflect_to: List[str] = field(default_factory=list)  # online channels the IVR offers
    # online: no queue, optional concurrency cap, outages
    concurrency_cap: Optional[int] = None
    outages: List[Window] = field(default_factory=list)
    outage_mtbf_minutes: Optional[float] = None
    outage_repair: Optional[Distribution] = None


@dataclass
class TransactionType:
    """What a customer wants done.  The keys of ``service`` are the channels that can
    carry it (the eligibility matrix); ``success`` defaults to 1 for each of them."""

    service: Dict[str, Distribution] = field(default_factory=dict)
    success: Dict[str, float] = field(default_factory=dict)


@dataclass
class Arrivals:
    """Non-homogeneous Poisson arrivals: either ``rate_per_minute`` per slot (one value
    means a constant rate), or a ``daily_volume`` spread by ``hourly_shape``.  The
    profile repeats after its last slot."""

    rate_per_minute: List[float] = field(default_factory=list)
    slot_minutes: float = MINUTES_PER_HOUR
    daily_volume: Optional[float] = None
    hourly_shape: List[float] = field(default_factory=list)


@dataclass
class Segment:
    """Customers with the same arrivals, mix, preferences, patience and digital skill."""

    arrivals: Arrivals = field(default_factory=Arrivals)
    mix: Dict[str, float] = field(default_factory=dict)  # transaction type -> share
    preference: Dict[str, float] = field(default_factory=dict)  # channel -> utility
    promotion_uplift: Dict[str, float] = field(default_factory=dict)  # channel -> utility
    wait_sensitivity_per_minute: float = 0.1
    patience: Optional[Distribution] = None  # None: never abandons
    patience_factors: List[float] = field(default_factory=list)  # per slot of the arrival
    # profile (repeating): multiplies the patience of callers who join a queue in it
    self_service_success_factor: float = 1.0  # digital skill: multiplies success
    self_service_time_factor: float = 1.0  # digital skill: multiplies service time
    retry_probability: float = 0.0  # after a balk or abandonment: try another channel
    retry_delay: Optional[Distribution] = None  # before retrying after abandonment
    redial_probability: float = 0.0  # after abandoning: call the same channel again ...
    redial_delay: Optional[Distribution] = None  # ... this long after (needed when > 0)
    lobby_acceptance: float = 0.0  # accepts a lobby guide's redirection to a kiosk
    deflection_acceptance: float = 0.0  # accepts the IVR's self-service link
    steering: Steering = Steering.preference
    self_service_cap: Optional[float] = None  # policy for the optimiser: at most this share
    # of the segment's completed transactions on self-service (None: no cap)
    branch: str = ""  # home branch (a network's segments, sim.network): it uses that
    # branch's channels and the shared ones, no other branch's; "": every channel


@dataclass
class LobbyGuide:
    """Staff in a branch lobby who redirect kiosk-eligible counter customers to a kiosk."""

    branch: str = ""
    kiosk: str = ""  # the kiosk channel customers are sent to
    guides: int = 1
    minutes_per_guidance: float = 1.0
    start_minute: float = 0.0
    end_minute: float = 1.0e9


@dataclass
class ResponseCurve:
    """Units of a campaign -> uplift: the share of a segment's transactions whose choice
    moves from a staffed to a promoted self-service channel (0.05 = 5 points)."""

    kind: ResponseKind = ResponseKind.exponential
    max_uplift: float = 0.1
    scale_units: float = 1.0  # exponential: units for 63% of the maximum; hill: for half
    hill_exponent: float = 1.0
    units: List[float] = field(default_factory=list)  # breakpoints, from 0
    uplift: List[float] = field(default_factory=list)


@dataclass
class Campaign:
    """A promotion (SMS push, lobby-guide hours, incentives, outbound calls, training).

    ``units`` per segment is the plan: what the simulator applies and the optimiser
    decides.  Segments steered to the cheapest channel do not respond (they are steered).
    """

    channels: List[str] = field(default_factory=list)  # self-service channels it promotes
    segments: List[str] = field(default_factory=list)  # who it can target; empty: all
    unit_cost: float = 1.0  # money per unit
    min_units: float = 0.0  # bounds per targeted segment
    max_units: float = 0.0
    integer_units: bool = False  # units come whole (SMS batches, guide hours)
    response: ResponseCurve = field(default_factory=ResponseCurve)
    responsiveness: Dict[str, float] = field(default_factory=dict)  # segment -> factor (1)
    units: Dict[str, float] = field(default_factory=dict)  # segment -> units spent
    # run.mode=months: from start_month to end_month (1 = the first; None: to the end) it
    # contacts contacts_per_month customers a month (unit_cost each) among its segments'
    # customers whose score for a promoted channel is at least min_score (None: anyone);
    # a contacted customer's utility for the promoted channels rises by contact_uplift
    # that month (what they then experience, they remember)
    start_month: int = 1
    end_month: Optional[int] = None
    contacts_per_month: int = 0
    min_score: Optional[float] = None
    contact_uplift: float = 1.0
    # run.mode=months, a calendar instead: segment -> contacts in month 1, 2, ... (months
    # past the list: none); what optimize.objective=year_plan decides.  When a segment has
    # a calendar, contacts_per_month does not apply to it
    calendar: Dict[str, List[int]] = field(default_factory=dict)
    # contact fatigue: no customer is contacted by this campaign more often (None: no cap)
    max_contacts_per_customer: Optional[int] = None
    max_contacts_per_month: Optional[int] = None  # over its segments (None: no cap)


@dataclass
class Switching:
    """Whether and how far a journey may move between channels after a visit that did not
    serve it (a balk, an abandonment, a failure, an IVR deflection, lobby guidance)."""

    enabled: bool = True  # off: no re-choice after balking, no retries, no fallback
    max_attempts: int = 3  # channel visits per journey, so every journey ends


@dataclass
class Satisfaction:
    """Peak-end satisfaction in [0, 1]: each moment of a journey scores in [0, 1]; the
    journey's score is ``peak_weight * worst + (1 - peak_weight) * last``."""

    peak_weight: float = 0.5
    wait_scale_minutes: float = 10.0  # a wait of w scores exp(-w / scale)
    balk_score: float = 0.3
    abandon_score: float = 0.0
    failure_score: float = 0.0
    lost_score: float = 0.0  # the end moment of a journey that ends without service


@dataclass
class Learning:
    """How a customer's preference score for a channel moves with experience (months)."""

    enabled: bool = True  # false: scores never move (no learning, no decay)
    rate: float = 0.5  # score change per visit, per unit of (visit score - neutral_score)
    neutral_score: float = 0.6  # a visit scoring this (peak-end, in [0, 1]) changes nothing
    decay_per_month: float = 0.1  # an unused channel's score moves this share back to the segment's
    satisfaction_memory: float = 0.3  # weight of the month's journeys in satisfaction


@dataclass
class Uncertainty:
    """What is not known about how customers answer (months mode, the year plan's odds):
    each a range [low, high] drawn uniformly per sampled world; empty: known exactly.
    ``contact_uplift`` multiplies every campaign's ``contact_uplift``."""

    learning_rate: List[float] = field(default_factory=list)  # adoption.learning.rate
    decay_per_month: List[float] = field(default_factory=list)  # adoption.learning.decay_per_month
    contact_uplift: List[float] = field(default_factory=list)  # factor on campaigns' uplift


@dataclass
class ScoreWeights:
    """The field's preference score from a customer table, per channel, added to the
    segment's preference: usage * log(1 + uses) + potential * flag + frequency_bonus if
    uses >= frequent_uses - complaint_penalty * complaints (utility units)."""

    usage: float = 0.5
    potential: float = 0.5
    frequency_bonus: float = 0.3
    frequent_uses: int = 5
    complaint_penalty: float = 0.7


@dataclass
class Adoption:
    """A customer population over months (``run.mode=months``); see sim/months/model.py."""

    transactions_per_month: Dict[str, float] = field(default_factory=dict)  # segment -> mean; 1
    score_sd: float = 0.5  # drawn scores: normal around the segment's preference (utility)
    customer_table: Optional[str] = None  # CSV of customers: scores from the field's formula
    score: ScoreWeights = field(default_factory=ScoreWeights)
    day_replications: int = 2  # representative days per month, for waits and abandonment
    learning: Learning = field(default_factory=Learning)
    targets: Dict[str, float] = field(default_factory=dict)  # monthly KPI -> target (plot lines)
    # the channels whose transactions count as e-channel ones (e_channel_share, penetration):
    # empty: the self-service ones (kiosks, online); a hotline listed counts the calls its
    # IVR completes, as some operators do
    e_channels: List[str] = field(default_factory=list)
    uncertainty: Uncertainty = field(default_factory=Uncertainty)  # the year plan's odds
    # capacity steps: servers added to a counter, kiosk or hotline in every open hour of
    # its day, month by month (channel -> one whole number per month, negative removes; a
    # month past the list keeps its last value); the year plan writes them
    capacity_steps: Dict[str, List[int]] = field(default_factory=dict)
    days_per_month: float = 30.0  # turns a day's volumes into the customers a population stands for


@dataclass
class BranchTemplate:
    """A kind of branch, defined once: its channels (a counter, kiosks; the keys are the
    channels' names within a branch) and, optionally, the kiosk its lobby guides send
    customers to.  Every branch of the template gets its own copy of each channel
    (``sim.network``), named ``<branch>/<channel>``; a branch row sets its tellers, kiosks
    and guides."""

    channels: Dict[str, Channel] = field(default_factory=dict)
    guide_kiosk: Optional[str] = None  # the template kiosk the lobby guides send to
    minutes_per_guidance: float = 1.0


@dataclass
class Branch:
    """One branch of a network (a row of the branch table): its region, template, the
    customers it serves a day, and its staff and machines.  ``tellers``: one number, or
    one value per hour of the scenario's day (the counter's schedule); ``open_hour`` and
    ``close_hour`` (None: the scenario's) bound when its channels are open; ``shares``:
    its customers' split over the segments (segment -> share; empty: the network's)."""

    region: str = ""
    template: str = ""
    daily_volume: float = 0.0
    tellers: Any = 1  # a number, or a list of one value per hour
    kiosks: int = 0
    guides: int = 0
    open_hour: Optional[int] = None
    close_hour: Optional[int] = None
    neighbours: List[str] = field(default_factory=list)  # branches customers may go to
    shares: Dict[str, float] = field(default_factory=dict)


@dataclass
class Scenario:
    """Everything about one world: its channels, transaction types, customer segments,
    lobby guides and campaigns, and the rules of switching, satisfaction and (months mode)
    adoption.

    One schema serves the simulator, the optimiser, calibration and sweeps, so every
    parameter lives in one place.  The dicts are keyed by name, and the parts refer to each
    other by those names: a transaction type's ``service`` keys are channels, a segment's
    ``mix`` keys are transaction types.  Times are minutes from minute 0 (clock hour
    ``open_hour``), rates per minute, shares and probabilities in [0, 1], costs in money.

    Data flow: a YAML file of ``conf/scenario/`` (composed by Hydra, or by
    ``sim.load_scenario``) -> this dataclass -> ``sim.validate.validate_scenario`` (one-line
    errors naming the config path) -> ``sim.engine.model.Model`` for each replication, and
    ``optimize.data.build_planning_data`` for the optimiser.  Nothing mutates a validated
    scenario: a plan or a calibration is applied to a deep copy.

        >>> import sim
        >>> scenario = sim.load_scenario("bank_branch", ["channels.kiosk.servers=5"])
        >>> scenario.channels["kiosk"].kind                  # ChannelKind.kiosk
        >>> result = sim.simulate(scenario, replications=4)
    """

    name: str = "scenario"  # names the results (summary.json, the KPI table)
    open_hour: int = 8  # clock hour at minute 0, for labels
    close_hour: Optional[int] = None  # clock hour the day ends (a run's default horizon);
    # past 24 for a day that ends after midnight; None: DEFAULT_DAY_MINUTES after opening
    channels: Dict[str, Channel] = field(default_factory=dict)  # name -> where it can be done
    transactions: Dict[str, TransactionType] = field(default_factory=dict)  # name -> what is done
    segments: Dict[str, Segment] = field(default_factory=dict)  # name -> who arrives
    lobby_guides: Dict[str, LobbyGuide] = field(default_factory=dict)  # name -> a branch's guides
    campaigns: Dict[str, Campaign] = field(default_factory=dict)  # name -> promotion and its units
    switching: Switching = field(default_factory=Switching)
    satisfaction: Satisfaction = field(default_factory=Satisfaction)
    # channel -> share of transactions observed in the field (a calibration target)
    observed_shares: Dict[str, float] = field(default_factory=dict)
    adoption: Adoption = field(default_factory=Adoption)  # run.mode=months
    # a network (sim.network): branch kinds, the branches (inline, or a CSV's rows), and
    # the table's path; expanded into channels and segments when the scenario is loaded
    branch_templates: Dict[str, BranchTemplate] = field(default_factory=dict)
    branches: Dict[str, Branch] = field(default_factory=dict)
    branch_table: Optional[str] = None


@dataclass
class MMCScenario(Scenario):
    """Validation scenario M/M/c: the top-level keys feed the channel and segment by
    interpolation in ``conf/scenario/mmc.yaml``; the engine sees a plain Scenario."""

    servers: int = 1
    arrival_rate: float = 0.7
    service_rate: float = 1.0


@dataclass
class MMCMScenario(MMCScenario):
    """Validation scenario M/M/c+M: exponential patience, abandoned callers leave."""

    patience_rate: float = 0.5


@dataclass
class RunSettings:
    """How to run a scenario: how long, how many replications, from which seed, what to keep.

    Kept apart from the Scenario because it says nothing about the world: the same scenario
    runs as a 10-hour day (``run=default``) or as 20,000 minutes after a warm-up
    (``run=steady_state``).  Replication r of a day draws every random number from
    ``sim.rng.Streams(seed, r)``, so the same settings give the same bytes, and the checks
    of a plan or a calibration take seeds derived from ``seed`` (``sim.rng``).  ``trace``
    and ``plots`` change which files are written, never the results (``config_hash`` leaves
    them out).  ``sim.validate.validate_run`` checks it.

        >>> from sim.experiment import run_experiment
        >>> result = run_experiment(scenario, RunSettings(horizon_minutes=240, replications=20))
        >>> result.kpi("diversion_rate")                     # mean and 95% CI over 20 days
    """

    horizon_minutes: float = 600.0  # length of a replication; minute 0 is scenario.open_hour
    warmup_minutes: float = 0.0  # customers arriving before this are not counted
    replications: int = 10  # independent runs; every KPI gets a Student-t CI over them
    seed: int = 20261123  # root of every random stream (numpy SeedSequence)
    trace: bool = False  # keep a per-visit record (trace.csv); off streams statistics only
    plots: bool = True  # write the PNG figures
    workers: Optional[int] = 1  # processes the replications run on (None: every core this
    # process may use); results do not depend on it
    executor: Executor = Executor.local  # where those processes run: this machine, or Ray
    ray_address: Optional[str] = None  # executor=ray: a running cluster ("auto", "ray://h:10001");
    # None starts a local Ray
    mode: Mode = Mode.day  # day: replications of a day; months: a population over months
    months: int = 12  # run.mode=months
    customers: int = 20000  # run.mode=months: the population sampled


def threshold_label(minutes: float) -> str:
    """The KPI of a service-level threshold: ``within_20s`` for a third of a minute."""
    return f"within_{round(minutes * 60)}s"


def day_minutes_between(open_hour: int, close_hour: Optional[int]) -> float:
    """Minutes from ``open_hour`` to ``close_hour`` (DEFAULT_DAY_MINUTES when it is None)."""
    if close_hour is None:
        return DEFAULT_DAY_MINUTES
    return (close_hour - open_hour) * MINUTES_PER_HOUR


def opening_minutes(scenario: Scenario) -> float:
    """The scenario's own day: what a run simulates unless ``run.horizon_minutes`` says
    otherwise (a 24-hour centre states ``open_hour: 0, close_hour: 24``)."""
    return day_minutes_between(scenario.open_hour, scenario.close_hour)
