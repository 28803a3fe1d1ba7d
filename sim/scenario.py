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
from typing import Dict, List, Optional

# OmegaConf reads the annotations at runtime, so the typing aliases above are kept.


class ChannelKind(Enum):
    counter = "counter"
    kiosk = "kiosk"
    hotline = "hotline"
    online = "online"


SELF_SERVICE_KINDS = frozenset({ChannelKind.kiosk, ChannelKind.online})
STAFFED_KINDS = frozenset({ChannelKind.counter, ChannelKind.hotline})


class DistributionKind(Enum):
    exponential = "exponential"
    lognormal = "lognormal"
    gamma = "gamma"
    deterministic = "deterministic"
    empirical = "empirical"


class ResponseKind(Enum):
    breakpoints = "breakpoints"  # given points (units, uplift), concave
    exponential = "exponential"  # max_uplift * (1 - exp(-units / scale_units))
    hill = "hill"  # max_uplift * units^h / (scale_units^h + units^h), h <= 1 keeps it concave


class Mode(Enum):
    day = "day"  # replications of one day (or a steady-state run)
    months = "months"  # a customer population over months, learning from experience


class Steering(Enum):
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
    start_minute: float = 0.0
    end_minute: float = 0.0


@dataclass
class Channel:
    """A place a transaction can be done.  The key in ``Scenario.channels`` is its name."""

    kind: ChannelKind = ChannelKind.counter
    branch: str = ""  # channels sharing a branch share its lobby guide
    servers: int = 1  # tellers, kiosk machines or hotline agents; unused for online
    schedule: List[int] = field(default_factory=list)  # per slot, repeating; overrides servers
    schedule_slot_minutes: float = 60.0
    target_wait_minutes: float = 5.0  # service-level target: wait at most this ...
    target_share: float = 0.8  # ... for at least this share of those who queue
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
    slot_minutes: float = 60.0
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
    self_service_success_factor: float = 1.0  # digital skill: multiplies success
    self_service_time_factor: float = 1.0  # digital skill: multiplies service time
    retry_probability: float = 0.0  # after a balk or abandonment: try another channel
    retry_delay: Optional[Distribution] = None  # before retrying after abandonment
    lobby_acceptance: float = 0.0  # accepts a lobby guide's redirection to a kiosk
    deflection_acceptance: float = 0.0  # accepts the IVR's self-service link
    steering: Steering = Steering.preference
    self_service_cap: Optional[float] = None  # policy for the optimiser: at most this share
    # of the segment's completed transactions on self-service (None: no cap)


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


@dataclass
class Switching:
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


@dataclass
class Scenario:
    name: str = "scenario"
    open_hour: int = 8  # clock hour at minute 0, for labels
    channels: Dict[str, Channel] = field(default_factory=dict)
    transactions: Dict[str, TransactionType] = field(default_factory=dict)
    segments: Dict[str, Segment] = field(default_factory=dict)
    lobby_guides: Dict[str, LobbyGuide] = field(default_factory=dict)
    campaigns: Dict[str, Campaign] = field(default_factory=dict)
    switching: Switching = field(default_factory=Switching)
    satisfaction: Satisfaction = field(default_factory=Satisfaction)
    # channel -> share of transactions observed in the field (a calibration target)
    observed_shares: Dict[str, float] = field(default_factory=dict)
    adoption: Adoption = field(default_factory=Adoption)  # run.mode=months


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
    horizon_minutes: float = 600.0
    warmup_minutes: float = 0.0  # customers arriving before this are not counted
    replications: int = 10
    seed: int = 20261123
    trace: bool = False  # keep a per-visit record (trace.csv); off streams statistics only
    plots: bool = True
    workers: int = 1  # processes the replications run on; results do not depend on it
    mode: Mode = Mode.day
    months: int = 12  # run.mode=months
    customers: int = 20000  # run.mode=months: the population sampled
