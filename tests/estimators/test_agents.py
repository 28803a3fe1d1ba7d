"""sim.estimators.agents: busy minutes and agents seen on a hand-made three-agent day, the
queued minutes of overlapping queues, agents present recovered where the answer is known
by construction, the documented underestimate of quiet intervals, and the roster."""

from __future__ import annotations

import pytest

from sim.estimators.agents import (
    agents_from_roster,
    agents_from_shifts,
    busy_minutes_by_interval,
    distinct_agents_by_interval,
    estimate_agents_from_activity,
    estimate_occupancy,
    measure_agent_activity,
    queued_minutes_by_interval,
)

# Three agents, hours [0, 60), [60, 120), [120, 180):
#   A serves [10, 40), [50, 70) and [170, 200) (past the end of the day);
#   B serves [55, 130);  C serves [120, 180) and a zero-length record at 30.
START = [10, 50, 170, 55, 120, 30]
END = [40, 70, 200, 130, 180, 30]
AGENT = ["A", "A", "A", "B", "C", "C"]


def test_busy_minutes_are_the_exact_overlaps_of_each_service_with_each_hour() -> None:
    """Hour 0: A 30 + 10, B 5 = 45.  Hour 1: A 10, B 60 = 70.  Hour 2: A 10 (170-180; the
    20 minutes after the day's end are not counted), B 10, C 60 = 80."""
    assert busy_minutes_by_interval(START, END, 60, 180).tolist() == [45, 70, 80]


def test_agents_seen_count_each_agent_once_per_hour_they_served_in() -> None:
    """Hour 0: A, B, and C by the zero-length record = 3; hour 1: A, B = 2; hour 2: A, B, C = 3."""
    assert distinct_agents_by_interval(START, END, AGENT, 60, 180).tolist() == [3, 2, 3]


def test_a_service_ending_on_an_edge_does_not_touch_the_next_hour() -> None:
    assert distinct_agents_by_interval([0, 60], [60, 90], ["A", "B"], 60, 180).tolist() == [1, 1, 0]


def test_queued_minutes_count_overlapping_queues_once() -> None:
    """Callers queue [0, 20), [10, 30) and [100, 110): 30 queued minutes in hour 0 (their
    union), 10 in hour 1.  X and Y serve [0, 60), X [60, 120): 2 busy during hour 0's
    queue (60 agent-minutes), 1 during hour 1's (10)."""
    queued, busy = queued_minutes_by_interval([0, 0, 60], [60, 60, 120], [0, 10, 100], [20, 30, 110],
                                              60, 180)
    assert queued.tolist() == [30, 10, 0]
    assert busy.tolist() == [60, 10, 0]


def regular_day(agents_per_hour: list[int], busy_per_hour: list[float]) -> tuple[list, list, list]:
    """Each hour its agents (new ids each hour) serve 6 calls of busy / 6 minutes, one
    every 10 minutes: busy minutes = agents x busy, every agent seen."""
    start, end, agent = [], [], []
    for hour, (n, busy) in enumerate(zip(agents_per_hour, busy_per_hour)):
        for a in range(n):
            for call in range(6):
                t = 60 * hour + 10 * call
                start.append(t)
                end.append(t + busy / 6)
                agent.append(f"{hour}-{a}")
    return start, end, agent


def test_agents_present_are_recovered_when_every_hour_runs_at_the_same_occupancy() -> None:
    """3, 5, 8, 4 agents, each busy 48 of 60 minutes: occupancy 0.8 everywhere, read from
    the busiest hour (8 x 48 / (60 x 8)), and agents = busy / (60 x 0.8) exactly."""
    start, end, agent = regular_day([3, 5, 8, 4], [48] * 4)
    activity = measure_agent_activity(start, end, agent, 60, 240)
    assert estimate_occupancy(activity) == pytest.approx(0.8)
    estimate = estimate_agents_from_activity(activity)
    assert estimate.agents == pytest.approx([3, 5, 8, 4])
    assert estimate.occupancy == pytest.approx(0.8)
    assert estimate.lower_bound == pytest.approx([2.4, 4, 6.4, 3.2])
    assert estimate.upper_bound.tolist() == [3, 5, 8, 4]
    assert "busiest" in estimate.method
    given = estimate_agents_from_activity(activity, occupancy=0.8)
    assert given.agents == pytest.approx([3, 5, 8, 4]) and "given" in given.method


def test_a_quiet_hour_is_underestimated_by_the_ratio_of_occupancies() -> None:
    """4 agents each hour; busy 48 minutes in hour 0 (occupancy 0.8), 30 in hour 1 (0.5),
    where they serve one after another, two at a time at most.  The busiest hour sets 0.8,
    so hour 1 reads 4 x 0.5 / 0.8 = 2.5 agents, between the bounds 2 (busy) and 4 (seen):
    the limit the module states (the peak in service, 2, is no help here)."""
    start, end, agent = regular_day([4], [48])
    for a in range(4):  # agents 0 and 1 serve [60, 90), agents 2 and 3 [90, 120)
        start.append(60.0 + 30 * (a // 2))
        end.append(90.0 + 30 * (a // 2))
        agent.append(f"1-{a}")
    estimate = estimate_agents_from_activity(measure_agent_activity(start, end, agent, 60, 120),
                                             busiest_share=0.5)
    assert estimate.agents == pytest.approx([4, 2.5])
    assert estimate.lower_bound == pytest.approx([3.2, 2]) and estimate.upper_bound.tolist() == [4, 4]


def test_as_many_agents_as_once_served_together_were_there() -> None:
    """The same quiet hour 1, but the four serve at the same moments (busy 30 of 60
    minutes each): the occupancy method's 2.5 is below the 4 seen serving at once, the
    floor the estimate keeps."""
    start, end, agent = regular_day([4, 4], [48, 30])
    activity = measure_agent_activity(start, end, agent, 60, 120)
    assert activity.peak_busy is not None and activity.peak_busy.tolist() == [4, 4]
    estimate = estimate_agents_from_activity(activity, busiest_share=0.5)
    assert estimate.agents == pytest.approx([4, 4])
    assert "at least the most serving at once" in estimate.method


def test_intervals_with_a_queue_read_the_agents_busy_while_callers_waited() -> None:
    """Hour 0 as before (4 agents at occupancy 0.8).  In hour 1 four agents serve
    [60, 80) and then sit idle, while a caller waited [62, 78): occupancy alone would read
    4 x 20 / (60 x 0.8) = 1.67 agents; while the caller waited all 4 were busy, so the
    hour reads 4, hour 0 (no queue) keeps the occupancy method."""
    start, end, agent = regular_day([4], [48])
    start += [60] * 4
    end += [80] * 4
    agent += ["1-0", "1-1", "1-2", "1-3"]
    activity = measure_agent_activity(start, end, agent, 60, 120, queue_entry=[62], queue_exit=[78])
    estimate = estimate_agents_from_activity(activity)
    assert estimate.from_queue.tolist() == [False, True]
    assert estimate.agents == pytest.approx([4, 4])
    assert "queued" in estimate.method


def test_a_roster_is_taken_as_given_and_checked() -> None:
    roster = agents_from_roster([3, 7.5, 0], 60, 180)
    assert roster.agents.tolist() == [3, 7.5, 0] and roster.method == "roster"
    assert roster.occupancy is None
    with pytest.raises(ValueError, match="3 intervals"):
        agents_from_roster([3, 4], 60, 180)
    with pytest.raises(ValueError, match="negative"):
        agents_from_roster([3, -1, 2], 60, 180)
    with pytest.raises(ValueError, match="finite"):
        agents_from_roster([3, float("nan"), 2], 60, 180)


def test_shifts_give_time_averaged_agents_per_hour() -> None:
    """Shifts [0, 120) and [30, 90): hour 0 has 1 + 0.5, hour 1 1 + 0.5, hour 2 none."""
    assert agents_from_shifts([0, 30], [120, 90], 60, 180).agents.tolist() == [1.5, 1.5, 0]


def test_services_that_end_before_they_start_are_refused() -> None:
    with pytest.raises(ValueError, match="precede"):
        busy_minutes_by_interval([10], [5], 60, 180)
    with pytest.raises(ValueError, match="no service"):
        estimate_occupancy(measure_agent_activity([], [], [], 60, 180))


def test_an_agent_on_overlapping_services_caps_the_occupancy_at_one() -> None:
    """Agent A holds two chats at once through hour 0 (120 busy minutes, 1 agent seen):
    the occupancy is read as 1, and the agents present as the 2 services in progress."""
    activity = measure_agent_activity([0, 0], [60, 60], ["A", "A"], 60, 60)
    assert estimate_occupancy(activity) == 1.0
    assert estimate_agents_from_activity(activity).agents.tolist() == [2.0]
