"""The levers a planner reaches for, read off a scenario, and the overrides they make.

A lever is one setting of the scenario (its config path without ``scenario.``, e.g.
``channels.kiosk.servers``), its kind of widget and its value in the scenario.  The
what-if is the scenario changed by the levers moved away from their values, written as
command-line overrides (``channels.kiosk.servers=0``): ``sim.load_scenario`` applies and
validates them as the command line does, so a bad value is the engine's one line naming
the lever's path, and the what-if can be rerun from a terminal as written.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Optional

from sim.network import network_segment
from sim.scenario import STAFFED_KINDS, ChannelKind, Scenario, opening_minutes

SCENARIO_PREFIX = "scenario."
BRANCH_GROUP = "Branches"  # a network's branch table: branches.<branch>.<field> levers


@dataclass(frozen=True)
class Lever:
    """One setting: ``key`` (config path under ``scenario``), ``label`` for the widget,
    ``kind`` (``int``, ``float``, ``optional_float``, ``bool`` or ``schedule``: a list, one
    value per slot of ``slot_minutes`` from ``start_hour``), ``group`` (the widget's
    section) and ``value`` (the scenario's)."""

    key: str
    label: str
    kind: str
    group: str
    value: Any
    slot_minutes: float = 60.0
    start_hour: int = 0


def scenario_levers(scenario: Scenario) -> list[Lever]:
    """The levers of ``scenario``, in the order the page shows them: a network's branches
    (tellers, kiosks, guides per branch), staff of each staffed channel (servers, or the
    schedule by slot), kiosks and their reliability, lobby guides, opening hours, online
    outages, campaign units per segment, switching."""
    levers: list[Lever] = _branch_levers(scenario)
    for name, ch in scenario.channels.items():
        if ch.branch in scenario.branches:
            continue  # a network's branch channel: its branch's row holds its levers
        base = f"channels.{name}"
        if ch.kind in STAFFED_KINDS:
            if ch.schedule:
                levers.append(Lever(f"{base}.schedule", f"{name}: staff by slot", "schedule",
                                    "Staff", list(ch.schedule), ch.schedule_slot_minutes,
                                    scenario.open_hour))
            else:
                levers.append(Lever(f"{base}.servers", f"{name}: staff", "int", "Staff",
                                    1 if ch.servers is None else ch.servers))
        elif ch.kind is ChannelKind.kiosk:
            levers.append(Lever(f"{base}.servers", f"{name}: machines", "int", "Kiosks",
                                1 if ch.servers is None else ch.servers))
            if ch.mtbf_minutes is not None:
                levers.append(Lever(f"{base}.mtbf_minutes", f"{name}: minutes between failures",
                                    "float", "Kiosks", ch.mtbf_minutes))
        elif ch.kind is ChannelKind.online:
            if ch.outage_mtbf_minutes is not None:
                levers.append(Lever(f"{base}.outage_mtbf_minutes",
                                    f"{name}: minutes between outages", "float", "Online",
                                    ch.outage_mtbf_minutes))
            if ch.outages:
                windows = ", ".join(f"{w.start_minute:g}-{w.end_minute:g}" for w in ch.outages)
                levers.append(Lever(f"{base}.outages", f"{name}: planned outages ({windows} "
                                    "min)", "keep", "Online", True))
    for name, guide in scenario.lobby_guides.items():
        if guide.branch in scenario.branches:
            continue
        levers.append(Lever(f"lobby_guides.{name}.guides", f"{name}: guides", "int", "Lobby",
                            guide.guides))
    levers.append(Lever("open_hour", "opening hour", "int", "Hours", scenario.open_hour))
    close = scenario.open_hour + int(round(opening_minutes(scenario) / 60.0))
    levers.append(Lever("close_hour", "closing hour", "int", "Hours", close))
    for name, campaign in scenario.campaigns.items():
        # a network's campaigns are set per segment of the network (all its branches)
        segments = dict.fromkeys(network_segment(scenario, s)
                                 for s in campaign.segments or list(scenario.segments))
        for segment in segments:
            units = next((u for s, u in campaign.units.items()
                          if network_segment(scenario, s) == segment), 0.0)
            levers.append(Lever(f"campaigns.{name}.units.{segment}", f"{name}: {segment}",
                                "float", "Campaigns", float(units)))
    levers.append(Lever("switching.enabled", "customers switch channels", "bool", "Behaviour",
                        scenario.switching.enabled))
    return levers


def _branch_levers(scenario: Scenario) -> list[Lever]:
    """A network's branch table as levers: each branch's tellers (a number, or one per
    hour), kiosks and lobby guides (``branches.<b>.*``)."""
    levers = []
    for name, branch in scenario.branches.items():
        base = f"branches.{name}"
        if isinstance(branch.tellers, list):
            levers.append(Lever(f"{base}.tellers", f"{name}: tellers by hour", "schedule",
                                BRANCH_GROUP, [float(t) for t in branch.tellers], 60.0,
                                scenario.open_hour))
        else:
            levers.append(Lever(f"{base}.tellers", f"{name}: tellers", "float", BRANCH_GROUP,
                                float(branch.tellers)))
        levers.append(Lever(f"{base}.kiosks", f"{name}: kiosks", "int", BRANCH_GROUP,
                            branch.kiosks))
        levers.append(Lever(f"{base}.guides", f"{name}: lobby guides", "int", BRANCH_GROUP,
                            branch.guides))
    return levers


def format_value(value: Any) -> str:
    """A value as the command line writes it: ``true``, ``null``, ``[4,5,5]``, ``2.5``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(format_value(v) for v in value) + "]"
    if isinstance(value, float):
        if math.isfinite(value) and value == int(value):
            return str(int(value)) if abs(value) < 1e15 else repr(value)
        return repr(value)
    return str(value)


def same(a: Any, b: Any) -> bool:
    """Equal as settings (2 and 2.0 are; lists element by element)."""
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b or a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return float(a) == float(b)
    return bool(a == b)


def overrides(levers: list[Lever], values: dict[str, Any]) -> list[str]:
    """The command-line overrides of the levers whose value in ``values`` differs from the
    scenario's, in lever order (a lever missing from ``values`` keeps its value)."""
    out = []
    for lever in levers:
        value = values.get(lever.key, lever.value)
        if not same(value, lever.value):
            out.append(f"{lever.key}=[]" if lever.kind == "keep" else
                       f"{lever.key}={format_value(value)}")
    return out


def lever_of_error(levers: list[Lever], path: str) -> Optional[Lever]:
    """The lever a ScenarioError's path names (``scenario.channels.kiosk.servers`` or
    ``scenario.channels.teller.schedule[3]``), if any."""
    key = path.removeprefix(SCENARIO_PREFIX).split("[")[0]
    return next((lever for lever in levers if lever.key == key), None)
