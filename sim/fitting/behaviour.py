"""Callers' behaviour from a contact log: patience from censored waits (and whether it
varies by interval), and redials where customers are identified."""

from __future__ import annotations

import math
from typing import Any, Optional

import numpy as np
import pandas as pd

from sim.estimators import (
    DistributionFit,
    KaplanMeier,
    PatienceFit,
    estimate_redials,
    fit_patience,
    patience_by_interval,
)
from sim.fitting.report import as_distribution, estimate_dict, family_dict
from sim.logs.table import GAVE_UP, SERVED
from sim.scenario import MINUTES_PER_DAY, Distribution, DistributionKind

WAITED = (*GAVE_UP, *SERVED, "in_progress")  # queued, with a wait (censored unless gave up)


def waiting(frame: pd.DataFrame) -> pd.DataFrame:
    """The contacts that queued and whose wait is known: patience's sample."""
    return frame[frame["outcome"].isin(WAITED) & frame["wait"].notna()]


def patience_report(fit: PatienceFit, chosen: Optional[DistributionFit]) -> dict[str, Any]:
    """One patience fit as ``fit.json`` shows it: every family, the one used, the naive
    estimate beside (biased low under censoring) and the Kaplan-Meier curve."""
    km = fit.kaplan_meier
    return {
        "n": fit.n, "abandoned": fit.abandoned, "censored": fit.censored,
        "best": fit.best_family, "used": None if chosen is None else chosen.family,
        "exponential": family_dict(fit.exponential),
        "weibull": None if fit.weibull is None else family_dict(fit.weibull),
        "lognormal": None if fit.lognormal is None else family_dict(fit.lognormal),
        "naive_mean_minutes": estimate_dict(fit.naive_mean_minutes),
        "kaplan_meier": _curve(km)}


KM_POINTS = 41  # the Kaplan-Meier curve in fit.json: this many minutes, evenly spaced


def _curve(km: KaplanMeier) -> dict[str, list[float]]:
    """The curve and its interval at evenly spaced waits up to the last event."""
    last = float(km.time_minutes[-1]) if km.time_minutes.size else 0.0
    minutes = np.linspace(0.0, last, KM_POINTS)
    index = np.searchsorted(km.time_minutes, minutes, side="right") - 1

    def pick(a: np.ndarray) -> list[float]:
        return [1.0 if i < 0 else float(a[i]) for i in index]

    return {"minutes": [float(m) for m in minutes], "survival": pick(km.survival),
            "ci_low": pick(km.ci_low), "ci_high": pick(km.ci_high)}


def fit_callers_patience(queued: pd.DataFrame, level: float
                         ) -> tuple[Optional[Distribution], Optional[PatienceFit], dict[str, Any]]:
    """The patience of ``queued`` callers (``waiting``'s rows): abandoners and no-shows
    observed at their wait (a no-show at the call: an upper bound), the rest censored.
    Uses the better by AIC of exponential and lognormal (the schema has no Weibull: a
    Weibull fit is reported, and when it is the best the report says which was used);
    None when nobody gave up (patience never ran out in the data) or nobody waited."""
    if not queued["wait"].sum() > 0:
        return None, None, {"n": int(len(queued)), "abandoned": 0, "used": None,
                            "note": "nobody waited in the log: patience is not estimable"}
    fit = fit_patience(queued["wait"].to_numpy(float),
                       queued["outcome"].isin(GAVE_UP).to_numpy(), level=level)
    usable = [f for f in (fit.exponential, fit.lognormal) if f is not None]
    chosen = min(usable, key=lambda f: f.aic) if fit.abandoned > 0 else None
    return (None if chosen is None else as_distribution(chosen)), fit, patience_report(fit, chosen)


def patience_factors(queued: pd.DataFrame, origin: float, interval: int, n_intervals: int,
                     level: float) -> tuple[list[float], dict[str, Any]]:
    """Factors on patience by the interval callers joined the queue in, where a likelihood
    ratio test rejects one exponential rate for the day at 1% (else all 1), and the
    per-interval estimates for the report."""
    slot = np.clip(((queued["queue_entry"].to_numpy(float) - origin) // interval), 0,
                   n_intervals - 1).astype(np.int64)
    by = patience_by_interval(queued["wait"].to_numpy(float),
                              queued["outcome"].isin(GAVE_UP).to_numpy(), slot, n_intervals,
                              level=level)
    report = {"statistic": by.statistic, "dof": by.dof, "p_value": by.p_value,
              "varies": by.varies, "factors": list(by.factors),
              "mean_minutes": [None if f is None else estimate_dict(f.mean_minutes)
                               for f in by.means],
              "abandoned": [0 if f is None else f.events for f in by.means]}
    return list(by.factors) if by.varies else [], report


def fit_redials(frame: pd.DataFrame, horizon_minutes: float, level: float
                ) -> tuple[Optional[tuple[float, Distribution]], Optional[dict[str, Any]]]:
    """(probability, delay) of calling again within ``horizon_minutes`` after abandoning,
    where customers are known (else None), and the report."""
    known = (frame["customer"] != "").to_numpy()
    if not known.any():
        return None, None
    rows = frame[known]
    clock = rows["arrival"].to_numpy(float) + rows["day"].to_numpy() * MINUTES_PER_DAY
    estimate = estimate_redials(rows["customer"].to_numpy(), clock,
                                (rows["outcome"] == "abandoned").to_numpy(),
                                horizon_minutes=horizon_minutes, level=level)
    report = {"abandoned": estimate.abandoned, "redialled": estimate.redialled,
              "probability": estimate_dict(estimate.probability),
              "mean_gap_minutes": estimate_dict(estimate.mean_gap_minutes)}
    probability = float(estimate.probability.value)
    gap = float(estimate.mean_gap_minutes.value)
    if not probability > 0 or math.isnan(gap):
        return None, report
    waits = rows.loc[rows["outcome"] == "abandoned", "wait"].to_numpy(float)
    delay = max(gap - float(np.nanmean(waits)), 1.0 / 60.0)  # the gap counts from arrival
    return (probability, Distribution(kind=DistributionKind.exponential, mean_minutes=delay)), report
