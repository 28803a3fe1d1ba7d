"""sim.rng: named streams are reproducible and independent of one another; names hash stably."""

from __future__ import annotations

import zlib
from functools import partial
from typing import Callable

import numpy as np

from sim.rng import BLOCK, FIRST_BLOCK, Streams, buffered, stream_key


def first(draw: Callable[[], float], n: int) -> list[float]:
    return [draw() for _ in range(n)]


def test_the_same_seed_replication_and_name_give_the_same_numbers() -> None:
    a = Streams(seed=42, replication=3).generator("arrivals/walk_in").random(10)
    b = Streams(seed=42, replication=3).generator("arrivals/walk_in").random(10)
    np.testing.assert_array_equal(a, b)
    # per-call uniforms too, across several refills of the buffer
    n = 2 * BLOCK + 17
    assert first(Streams(42, 3).uniform("choice"), n) == first(Streams(42, 3).uniform("choice"), n)


def test_different_names_give_different_numbers() -> None:
    streams = Streams(seed=42, replication=0)
    a = streams.generator("arrivals/walk_in").random(10)
    b = streams.generator("arrivals/phone").random(10)
    assert not np.any(a == b)


def test_different_replications_give_different_numbers() -> None:
    a = Streams(seed=42, replication=0).generator("service").random(10)
    b = Streams(seed=42, replication=1).generator("service").random(10)
    assert not np.any(a == b)


def test_different_seeds_give_different_numbers() -> None:
    a = Streams(seed=42, replication=0).generator("service").random(10)
    b = Streams(seed=43, replication=0).generator("service").random(10)
    assert not np.any(a == b)


def test_a_stream_does_not_depend_on_which_other_streams_were_used_first() -> None:
    # common random numbers: adding a channel must not shift another channel's numbers
    alone = Streams(7, 0).uniform("service/counter")
    expected = first(alone, 50)
    streams = Streams(7, 0)
    other = streams.uniform("service/kiosk")
    first(other, 3000)
    assert first(streams.uniform("service/counter"), 50) == expected


def test_a_stream_is_the_pcg64_generator_of_the_seed_sequence_keyed_by_replication_and_name() -> None:
    # the documented recipe, so results can be reproduced without this package
    seq = np.random.SeedSequence(2026, spawn_key=(5, zlib.crc32(b"patience/callers")))
    expected = np.random.Generator(np.random.PCG64(seq)).random(8)
    np.testing.assert_array_equal(Streams(2026, 5).generator("patience/callers").random(8), expected)


def test_stream_key_is_the_crc32_of_the_utf8_name() -> None:
    # 217493744 was computed once with zlib.crc32(b"arrivals/walk_in"); it must never change
    assert stream_key("arrivals/walk_in") == zlib.crc32(b"arrivals/walk_in") == 217493744
    assert stream_key("choice/été") == zlib.crc32("choice/été".encode()) == 3988885464
    assert stream_key("a") != stream_key("b")


def test_uniform_draws_lie_in_the_unit_interval_and_are_python_floats() -> None:
    values = first(Streams(1, 0).uniform("u"), 5000)
    assert all(type(v) is float for v in values)
    assert min(values) >= 0.0 and max(values) < 1.0


def test_buffered_hands_out_each_blocks_numbers_in_order_across_refills() -> None:
    requests: list[int] = []

    def counting_block(n: int) -> np.ndarray:
        start = sum(requests)
        requests.append(n)
        return np.arange(start, start + n, dtype=float)

    draw = buffered(counting_block)
    assert requests == []  # nothing is drawn before the first call
    n = 3 * BLOCK + 5
    assert first(draw, n) == [float(i) for i in range(n)]
    # blocks double from FIRST_BLOCK up to BLOCK: a stream that sees few draws holds few
    growing = [FIRST_BLOCK * 2**k for k in range(7)]
    assert growing[-1] == BLOCK and requests[:7] == growing
    assert requests[7:] == [BLOCK] * (len(requests) - 7) and sum(requests[:-1]) < n


def test_growing_blocks_give_the_numbers_of_one_big_block_for_continuous_draws() -> None:
    """What lets a stream start small: numpy's continuous draws are sequential, so the
    block sizes do not change them (bounded integers are not: empirical samplers and
    shared generators keep fixed blocks)."""
    for draw in ("exponential", "lognormal", "gamma", "random"):
        args = {"exponential": (2.0,), "lognormal": (0.3, 0.5), "gamma": (0.7, 2.0), "random": ()}[draw]
        whole = getattr(np.random.Generator(np.random.PCG64(5)), draw)(*args, 3000).tolist()
        sample = getattr(np.random.Generator(np.random.PCG64(5)), draw)
        assert first(buffered(partial(sample, *args)), 3000) == whole


def test_buffered_refills_exactly_when_a_block_is_used_up() -> None:
    requests: list[int] = []

    def block(n: int) -> np.ndarray:
        requests.append(n)
        return np.full(n, float(len(requests)))

    draw = buffered(block, BLOCK)  # fixed blocks, as for a generator shared by samplers
    values = first(draw, BLOCK)
    assert values == [1.0] * BLOCK and len(requests) == 1
    assert draw() == 2.0 and len(requests) == 2
