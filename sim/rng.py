"""Named random streams per replication from one SeedSequence; nothing else makes generators."""

from __future__ import annotations

import zlib
from typing import Callable

import numpy as np

BLOCK = 1024  # draws fetched from numpy at a time; Python floats are cheap to hand out


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
        seq = np.random.SeedSequence(self.seed, spawn_key=(self.replication, stream_key(name)))
        return np.random.Generator(np.random.PCG64(seq))

    def uniform(self, name: str) -> Callable[[], float]:
        """U(0, 1) draws from the named stream, one Python float per call."""
        rng = self.generator(name)
        return buffered(lambda n: rng.random(n))


def buffered(draw_block: Callable[[int], np.ndarray]) -> Callable[[], float]:
    """Turn a block sampler into a cheap per-call sampler (same numbers, same order)."""
    buffer: list[float] = []
    index = 0

    def draw() -> float:
        nonlocal buffer, index
        if index == len(buffer):
            buffer, index = draw_block(BLOCK).tolist(), 0
        index += 1
        return buffer[index - 1]

    return draw
