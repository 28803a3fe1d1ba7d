"""Every random number's origin: named streams per replication from one SeedSequence, and
every seed derived from a run's seed (a sweep job's own, a month's days, the fresh
replications of a plan's check and of a calibration's check). Nothing else makes
generators or seeds, so one seed gives the same bytes whatever runs where."""

from __future__ import annotations

import zlib
from typing import Callable, Iterator

import numpy as np

BLOCK = 1024  # draws fetched from numpy at a time; Python floats are cheap to hand out
FIRST_BLOCK = 16  # a stream's first fetch; each next one doubles, up to BLOCK: a network's
# thousands of streams that see a few draws a day hold a few floats, not a thousand each


def stream_key(name: str) -> int:
    """A stable integer for a stream name (Python's hash() changes between runs)."""
    return zlib.crc32(name.encode("utf-8"))


class Streams:
    """One generator per (seed, replication, stream name).

    A stream depends only on its name, so adding a channel or a segment to a scenario
    leaves the other streams' numbers unchanged: common random numbers across scenarios.
    """

    def __init__(self, seed: int, replication: int) -> None:
        self.seed, self.replication = seed, replication

    def generator(self, name: str) -> np.random.Generator:
        """A new numpy Generator (PCG64) for stream ``name`` of this replication, seeded by
        (seed, replication, name): asking twice gives two generators of the same numbers."""
        seq = np.random.SeedSequence(self.seed, spawn_key=(self.replication, stream_key(name)))
        return np.random.Generator(np.random.PCG64(seq))

    def uniform(self, name: str) -> Callable[[], float]:
        """U(0, 1) draws from the named stream, one Python float per call."""
        rng = self.generator(name)
        return buffered(lambda n: rng.random(n))


def generator(seed: int, replication: int, name: str) -> np.random.Generator:
    """The generator of one named stream of one replication (``Streams(...).generator``)."""
    return Streams(seed, replication).generator(name)


def job_seed(seed: int, config_hash: str) -> int:
    """A sweep job's seed when common random numbers are off: independent of every other
    job's, reproducible from the base seed and the job's configuration (hex hash)."""
    state = np.random.SeedSequence([seed, int(config_hash, 16)]).generate_state(1, np.uint32)
    return int(state[0])


def day_seed(seed: int, replication: int, month: int) -> int:
    """The seed of the simulated days of one month of one months-mode replication."""
    return int(np.random.SeedSequence([seed, replication, month, 1]).generate_state(1)[0])


def check_seed(seed: int) -> int:
    """The seed of a plan's check: replications fresh to the baseline the plan came from."""
    return seed + 1


CALIBRATION_CHECK_OFFSET = 1_000_003  # a prime far from the seeds users step through


def calibration_check_seed(seed: int) -> int:
    """The seed of a calibration's check: replications the fit never saw."""
    return seed + CALIBRATION_CHECK_OFFSET


def buffered(draw_block: Callable[[int], np.ndarray], first: int = FIRST_BLOCK
             ) -> Callable[[], float]:
    """Turn a block sampler into a cheap per-call sampler: blocks of ``first`` draws, then
    twice as many each time up to BLOCK.  The numbers do not depend on the block sizes
    when the sampler's draws are sequential (numpy's continuous distributions: each value
    takes the generator's next outputs), which is what the callers pass; pass
    ``first=BLOCK`` for one whose draws are not (bounded integers)."""
    values: Iterator[float] = iter(())
    size = first

    def draw() -> float:
        nonlocal values, size
        try:
            return next(values)
        except StopIteration:  # the block is used up: the next one, twice the size
            values = iter(draw_block(size).tolist())
            size = min(2 * size, BLOCK)
            return next(values)

    return draw
