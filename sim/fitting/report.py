"""How fitted estimates appear in ``fit.json`` (plain dicts) and in the scenario (the
schema's distributions)."""

from __future__ import annotations

from typing import Any

from sim.estimators import DistributionFit, PointEstimate
from sim.scenario import Distribution, DistributionKind


def estimate_dict(e: PointEstimate) -> dict[str, float]:
    """A point estimate with its standard error and confidence interval."""
    return {"value": e.value, "se": e.se, "ci_low": e.ci_low, "ci_high": e.ci_high}


def family_dict(fit: DistributionFit) -> dict[str, Any]:
    """A fitted family: sample size, mean and cv with intervals, AIC, KS distance and its
    own parameters."""
    return {"family": fit.family, "n": fit.n, "mean_minutes": estimate_dict(fit.mean_minutes),
            "cv": estimate_dict(fit.cv), "aic": fit.aic, "ks_statistic": fit.ks_statistic,
            "parameters": {k: estimate_dict(v) for k, v in fit.parameters.items()}}


def as_distribution(fit: DistributionFit) -> Distribution:
    """The schema's distribution of a fitted family (exponential, lognormal or gamma):
    the fitted mean and coefficient of variation."""
    kind = DistributionKind(fit.family)
    mean = float(fit.mean_minutes.value)
    if kind is DistributionKind.exponential:
        return Distribution(kind=kind, mean_minutes=mean)
    return Distribution(kind=kind, mean_minutes=mean, cv=float(fit.cv.value))
