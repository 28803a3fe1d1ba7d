"""Statistical estimators for fitting a scenario to a contact log: pure functions on numpy
arrays of minutes (floats) that return small frozen dataclasses holding each point
estimate with its standard error or confidence interval and its sample size.

- ``confidence``: ``PointEstimate`` and the Wald, Garwood (Poisson) and Wilson intervals;
- ``grid``: the day's intervals (``interval_minutes`` up to ``horizon_minutes``);
- ``arrivals``: counts and rates per interval, weekday profiles, day-to-day spread;
- ``families``, ``service``: lognormal and gamma MLEs, the better by AIC, per interval;
- ``censored``, ``survival``, ``patience``: patience from censored waits (exponential,
  Weibull, lognormal MLEs; Kaplan-Meier with Greenwood; the naive estimate);
- ``ivr``: the IVR's completion share and time; ``shares``: shares of classes
  (priorities);
- ``agents``: busy minutes, agents seen and agents present per interval, or a roster;
- ``redials``: the probability of calling again after abandoning, and the time to it.

Nothing here reads files or knows the log formats (the readers do), and nothing imports
scipy.optimize until a censored Weibull or lognormal fit runs.  Arrays held by results
are read-only.
"""

from sim.estimators.agents import (
    AgentActivity,
    AgentsByInterval,
    agents_from_roster,
    agents_from_shifts,
    busy_minutes_by_interval,
    distinct_agents_by_interval,
    estimate_agents_from_activity,
    estimate_occupancy,
    measure_agent_activity,
)
from sim.estimators.arrivals import (
    ArrivalRates,
    DaySpread,
    WeekdayProfile,
    count_arrivals,
    estimate_arrival_rates,
    estimate_day_spread,
    estimate_weekday_profiles,
)
from sim.estimators.confidence import PointEstimate, level_for_z, z_for_level
from sim.estimators.families import DistributionFit, fit_gamma, fit_lognormal
from sim.estimators.ivr import IvrEstimate, estimate_ivr
from sim.estimators.patience import (
    PatienceByInterval,
    PatienceFit,
    fit_patience,
    naive_mean_wait,
    patience_by_interval,
)
from sim.estimators.redials import RedialEstimate, estimate_redials
from sim.estimators.service import (
    IntervalServiceFit,
    ServiceFit,
    ServiceFitsByInterval,
    fit_service_by_interval,
    fit_service_time,
)
from sim.estimators.shares import ClassShares, estimate_class_shares, estimate_share
from sim.estimators.survival import KaplanMeier, kaplan_meier

__all__ = [
    "AgentActivity", "AgentsByInterval", "ArrivalRates", "ClassShares", "DaySpread",
    "DistributionFit", "IntervalServiceFit", "IvrEstimate", "KaplanMeier", "PatienceByInterval",
    "PatienceFit",
    "PointEstimate", "RedialEstimate", "ServiceFit", "ServiceFitsByInterval", "WeekdayProfile",
    "agents_from_roster", "agents_from_shifts", "busy_minutes_by_interval", "count_arrivals",
    "distinct_agents_by_interval", "estimate_agents_from_activity", "estimate_arrival_rates",
    "estimate_class_shares", "estimate_day_spread", "estimate_ivr", "estimate_occupancy",
    "estimate_redials", "estimate_share", "estimate_weekday_profiles", "fit_gamma",
    "fit_lognormal", "fit_patience", "fit_service_by_interval", "fit_service_time",
    "kaplan_meier", "level_for_z", "measure_agent_activity", "naive_mean_wait",
    "patience_by_interval", "z_for_level",
]
