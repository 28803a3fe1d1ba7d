"""The IVR: the share of contacts it completed (no agent needed), with Wilson's interval,
and the distribution of the time spent in it (lognormal or gamma by
``sim.estimators.service``), as the scenario's hotline takes them (``ivr_completion``
per contact type, one ``ivr`` duration for every call)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import numpy as np
from numpy.typing import ArrayLike

from sim.estimators.confidence import LEVEL, PointEstimate, wilson_estimate
from sim.estimators.inputs import as_durations, as_flags
from sim.estimators.service import ServiceFit, fit_service_time


@dataclass(frozen=True)
class IvrEstimate:
    """``n`` contacts through the IVR, ``completed`` of them ended there;
    ``completion_share`` = completed / n with Wilson's interval; ``time``: the fit of the
    IVR times of all n (None when fewer than two distinct positive times exist: an IVR
    whose times the log does not record, or all 0)."""

    n: int
    completed: int
    completion_share: PointEstimate
    time: Optional[ServiceFit]


def estimate_ivr(completed_in_ivr: ArrayLike, ivr_minutes: ArrayLike, level: float = LEVEL
                 ) -> IvrEstimate:
    """The IVR's completion share and time from one row per contact that entered it:
    ``completed_in_ivr`` (True: it ended in the IVR without reaching the queue, e.g. the
    Technion data's ``HANG`` with no queue time; False: it went on to the queue) and its
    ``ivr_minutes`` (>= 0)."""
    minutes = as_durations(ivr_minutes, "ivr_minutes")
    completed = as_flags(completed_in_ivr, "completed_in_ivr", minutes.size)
    positive = minutes[minutes > 0]
    fit = (fit_service_time(minutes, level)
           if positive.size >= 2 and bool(np.any(positive != positive[0])) else None)
    done = int(completed.sum())
    return IvrEstimate(int(minutes.size), done, wilson_estimate(done, int(minutes.size), level), fit)
