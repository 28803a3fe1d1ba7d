"""Duration distributions: mean, variance and a sampler over a named random stream."""

from __future__ import annotations

import math
from typing import Callable

import numpy as np

from sim.rng import BLOCK, FIRST_BLOCK, buffered
from sim.scenario import Distribution, DistributionKind

Sampler = Callable[[], float]


def mean_minutes(dist: Distribution) -> float:
    """The mean duration in minutes: ``mean_minutes`` as given, else ``1 / rate_per_minute``;
    for an empirical distribution the mean of its samples.  Expects a validated
    distribution (exactly one of the mean and the rate)."""
    if dist.kind is DistributionKind.empirical:
        return float(np.mean(dist.samples_minutes))
    if dist.mean_minutes is not None:
        return dist.mean_minutes
    assert dist.rate_per_minute is not None, "validated: one of mean or rate is given"
    return 1.0 / dist.rate_per_minute


def variance(dist: Distribution) -> float:
    """The variance in minutes squared: mean² for exponential, 0 for deterministic,
    (cv x mean)² for lognormal and gamma, and the samples' own (population, ddof 0)
    variance for empirical."""
    m = mean_minutes(dist)
    kind = dist.kind
    if kind is DistributionKind.exponential:
        return m * m
    if kind is DistributionKind.deterministic:
        return 0.0
    if kind is DistributionKind.empirical:
        return float(np.var(dist.samples_minutes))
    return (dist.cv * m) ** 2  # lognormal and gamma are given by mean and cv


def survival(dist: Distribution, t: float) -> float:
    """P(duration > t)."""
    from scipy.special import gammaincc, ndtr  # only the planning model needs these

    if t <= 0:
        return 1.0
    m = mean_minutes(dist)
    kind = dist.kind
    if kind is DistributionKind.exponential:
        return math.exp(-t / m)
    if kind is DistributionKind.deterministic:
        return 1.0 if m > t else 0.0
    if kind is DistributionKind.lognormal:
        sigma2 = math.log1p(dist.cv**2)
        return float(ndtr(-(math.log(t) - math.log(m) + sigma2 / 2) / math.sqrt(sigma2)))
    if kind is DistributionKind.gamma:
        shape = 1.0 / dist.cv**2
        return float(gammaincc(shape, t * shape / m))
    return float(np.mean(np.asarray(dist.samples_minutes, dtype=float) > t))


def block_sampler(dist: Distribution, rng: np.random.Generator, scale: float = 1.0
                  ) -> Callable[[int], np.ndarray]:
    """A function n -> n draws of the duration times ``scale``."""
    m = mean_minutes(dist) * scale
    kind = dist.kind
    if kind is DistributionKind.exponential:
        return lambda n: rng.exponential(m, n)
    if kind is DistributionKind.deterministic:
        return lambda n: np.full(n, m)
    if kind is DistributionKind.lognormal:
        sigma2 = math.log1p(dist.cv**2)
        mu = math.log(m) - sigma2 / 2  # so that the mean is exactly m
        return lambda n: rng.lognormal(mu, math.sqrt(sigma2), n)
    if kind is DistributionKind.gamma:
        shape = 1.0 / dist.cv**2
        return lambda n: rng.gamma(shape, m / shape, n)
    samples = np.asarray(dist.samples_minutes, dtype=float) * scale
    return lambda n: rng.choice(samples, n)


def sampler(dist: Distribution, rng: np.random.Generator, scale: float = 1.0) -> Sampler:
    """Per-call sampler of the duration times ``scale`` (e.g. a digital-skill slowdown)."""
    # an empirical distribution draws bounded integers, whose numbers depend on the block
    # size (numpy packs two 32-bit draws in one output within a call): fixed blocks
    first = BLOCK if dist.kind is DistributionKind.empirical else FIRST_BLOCK
    return buffered(block_sampler(dist, rng, scale), first)
