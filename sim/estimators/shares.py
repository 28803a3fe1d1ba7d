"""Shares of contacts with their Wilson intervals: one share (``estimate_share``) or the
share of each class of a label (priority classes, contact types, outcomes)."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from sim.estimators.confidence import LEVEL, PointEstimate, wilson_estimate


@dataclass(frozen=True)
class ClassShare:
    """One class (``label``, e.g. priority 2): ``count`` contacts and its ``share`` of all."""

    label: Hashable
    count: int
    share: PointEstimate


@dataclass(frozen=True)
class ClassShares:
    """The share of each class among ``n`` contacts, classes in sorted label order.  Each
    interval is marginal (Wilson for that class against all others); the shares sum to 1
    but the intervals are not simultaneous."""

    n: int
    classes: tuple[ClassShare, ...]

    def share_of(self, label: Hashable) -> PointEstimate:
        """The share of ``label``; KeyError if it never occurs."""
        for item in self.classes:
            if item.label == label:
                return item.share
        raise KeyError(label)


def estimate_share(flags: ArrayLike, level: float = LEVEL) -> PointEstimate:
    """The share of True among ``flags`` (booleans or 0/1, one per contact) with Wilson's
    interval; no contact gives NaN and [0, 1]."""
    x = np.asarray(flags)
    if x.ndim != 1 or (x.dtype != bool and not np.all(np.isin(x, (0, 1)))):
        raise ValueError("flags must be a one-dimensional array of booleans (or 0/1)")
    return wilson_estimate(int(x.astype(bool).sum()), int(x.size), level)


def estimate_class_shares(labels: ArrayLike, level: float = LEVEL) -> ClassShares:
    """The share of each distinct label (priority class, contact type) among all labels,
    one label per contact; labels must be mutually comparable (all numbers or all
    strings).  Missing values must be dropped or given a label of their own (e.g.
    "unknown") by the caller: a NaN label would count as its own class."""
    x = np.asarray(labels)
    if x.ndim != 1:
        raise ValueError(f"labels must be one-dimensional, got shape {x.shape}")
    values, counts = np.unique(x, return_counts=True)
    n = int(x.size)
    return ClassShares(n, tuple(ClassShare(value.item() if hasattr(value, "item") else value,
                                           int(count), wilson_estimate(int(count), n, level))
                                for value, count in zip(values, counts)))
