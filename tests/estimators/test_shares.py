"""sim.estimators.shares and .ivr: priority classes counted by hand, and the IVR's
completion share and time on synthetic contacts with known values."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.estimators.confidence import level_for_z, wilson_estimate
from sim.estimators.ivr import estimate_ivr
from sim.estimators.shares import estimate_class_shares, estimate_share

Z = 4.0


def test_priority_shares_are_counted_per_class_with_wilson_intervals() -> None:
    """Ten contacts: priority 0 five times, 1 three times, 2 twice."""
    shares = estimate_class_shares([0, 1, 0, 2, 0, 1, 0, 2, 1, 0])
    assert shares.n == 10
    assert [(c.label, c.count) for c in shares.classes] == [(0, 5), (1, 3), (2, 2)]
    assert shares.share_of(1) == wilson_estimate(3, 10)
    assert sum(c.share.value for c in shares.classes) == pytest.approx(1.0)
    with pytest.raises(KeyError):
        shares.share_of(3)


def test_string_labels_work_and_one_share_takes_flags() -> None:
    shares = estimate_class_shares(["PS", "NE", "PS"])
    assert [c.label for c in shares.classes] == ["NE", "PS"]
    assert estimate_share([True, False, False, True]).value == 0.5
    with pytest.raises(ValueError):
        estimate_share([0, 2])


def test_the_ivr_share_and_time_are_recovered() -> None:
    """20% of 4,000 calls end in the IVR; IVR times lognormal with mean 1.5 minutes."""
    rng = np.random.default_rng(71)
    completed = rng.random(4000) < 0.2
    sigma = 0.5
    minutes = rng.lognormal(math.log(1.5) - sigma**2 / 2, sigma, 4000)
    ivr = estimate_ivr(completed, minutes, level=level_for_z(Z))
    assert ivr.n == 4000 and ivr.completed == int(completed.sum())
    assert ivr.completion_share.covers(0.2) and ivr.completion_share.se < 0.01
    assert ivr.time is not None and ivr.time.best_family == "lognormal"
    assert ivr.time.best.mean_minutes.covers(1.5)


def test_an_ivr_without_recorded_times_has_a_share_but_no_time_fit() -> None:
    ivr = estimate_ivr([True, False, False], [0.0, 0.0, 0.0])
    assert ivr.completed == 1 and ivr.time is None
