"""A network scenario (branches from templates, shared channels) expanded into the flat
scenario the engine, the outputs and the optimiser read.

A network scenario states, besides its shared channels (a hotline, online banking, an
app), ``branch_templates`` (a kind of branch: its counter and kiosk channels, defined
once) and its ``branches`` (inline, or the rows of ``branch_table``, a CSV: ``branch,
region, template, daily_volume, tellers, kiosks, guides, open_hour, close_hour`` and
optionally ``neighbours`` and ``share_<segment>``).  ``expand_network`` makes:

- for each branch and template channel ``c``, a channel ``<branch>/c`` with the branch's
  name in ``branch``: the counter staffed by the row's ``tellers`` (a number, or one value
  per hour), kiosks by its ``kiosks``; closed (0) outside the branch's hours;
- for each branch and network segment ``s``, a segment ``s/<branch>`` whose home branch
  is the branch (``Segment.branch``): ``daily_volume`` x the segment's share of the branch's
  customers, spread over the day like ``s``'s own profile; it chooses among its branch's
  channels and the shared ones, and its ``neighbours``' channels only after a balk or an
  abandonment, or when none of its own is open (a closed branch); never another branch's;
- the branch's lobby guides (``guides``) at its kiosk, transactions served at every
  branch's copy of a template channel, and preferences, campaigns and costs carried over
  from the template channel's name to each copy.

Each branch's customers draw from their own random streams (streams are named, and the
names carry the branch), so a change at one branch leaves another's customers unchanged
except through what they share: common random numbers across a network.
"""

from __future__ import annotations

import copy
import csv
import math
from pathlib import Path
from typing import Any, Optional

from sim.arrivals import expected_arrivals, rate_profile
from sim.scenario import (
    MINUTES_PER_HOUR,
    STAFFED_KINDS,
    Arrivals,
    Branch,
    ChannelKind,
    LobbyGuide,
    Scenario,
    Segment,
    opening_minutes,
)
from sim.validate import ScenarioError, require

SEPARATOR = "/"  # <branch>/<channel>, <segment>/<branch>
TABLE_COLUMNS = ("branch", "region", "template", "daily_volume", "tellers", "kiosks", "guides",
                 "open_hour", "close_hour")
SHARE_PREFIX = "share_"


def branch_channel(branch: str, channel: str) -> str:
    """The name of a branch's copy of a template channel."""
    return f"{branch}{SEPARATOR}{channel}"


def branch_segment(segment: str, branch: str) -> str:
    """The name of a network segment's customers of one branch."""
    return f"{segment}{SEPARATOR}{branch}"


def network_segment(scenario: Scenario, segment: str) -> str:
    """The network segment one of its branch segments belongs to (``retail/north`` ->
    ``retail``); a single site's segment is its own.  A network campaign's units are set
    per network segment and reach each of its branches' customers alike."""
    branch = scenario.segments[segment].branch if segment in scenario.segments else ""
    suffix = f"{SEPARATOR}{branch}"
    return segment[:-len(suffix)] if branch and segment.endswith(suffix) else segment


def table_path(text: str) -> Path:
    """A branch table's file: as given (absolute, or from where the app runs), else under
    the shipped configs (``conf/``), where a shipped network keeps its table."""
    from sim.paths import conf_dir

    path = Path(text)
    if path.is_absolute() or path.is_file():
        return path
    return conf_dir() / path


def read_branch_table(text: str) -> dict[str, Branch]:
    """The rows of a branch table CSV, checked cell by cell; ScenarioError naming
    ``scenario.branch_table``, the file, the row and the column for a bad cell."""
    path = table_path(text)
    where = "scenario.branch_table"
    require(path.is_file(), where, text, "no such file")
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.DictReader(handle))
            header = [c.strip() for c in (rows[0].keys() if rows else [])]
    except (UnicodeDecodeError, csv.Error) as error:
        raise ScenarioError(where, text, f"is not a readable CSV file ({error})") from None
    require(bool(rows), where, text, "has no rows")
    missing = [c for c in ("branch", "template", "daily_volume") if c not in header]
    require(not missing, where, text, f"lacks the columns {', '.join(missing)} (a branch "
            f"table has {', '.join(TABLE_COLUMNS)})")
    branches: dict[str, Branch] = {}
    for number, row in enumerate(rows, start=2):
        cells = {k.strip(): (v or "").strip() for k, v in row.items() if k is not None}
        name, branch = _table_row(_Cells(cells, number, text), header)
        if name in branches:
            raise _Cells(cells, number, text).bad("branch", "another row has this branch")
        branches[name] = branch
    return branches


class _Cells:
    """One row of a branch table, read cell by cell with errors naming the row."""

    def __init__(self, cells: dict[str, str], row: int, file: str) -> None:
        self.cells, self.row, self.file = cells, row, file

    def bad(self, column: str, reason: str) -> ScenarioError:
        """The one-line error of a bad cell: the table, the row, the column and the value."""
        return ScenarioError("scenario.branch_table", self.file, f"row {self.row}: "
                             f"{column}={self.cells.get(column)!r}: {reason}")

    def text(self, column: str) -> str:
        """The cell as text ("" when the column is absent)."""
        return self.cells.get(column, "")

    def number(self, column: str, default: Optional[float] = None) -> Optional[float]:
        """The cell as a finite number (``default`` when empty)."""
        value = self.text(column)
        if value == "":
            return default
        try:
            parsed = float(value)
        except ValueError:
            raise self.bad(column, "not a number") from None
        if not math.isfinite(parsed):
            raise self.bad(column, "not a finite number")
        return parsed


def _table_row(row: _Cells, header: list[str]) -> tuple[str, Branch]:
    """(name, Branch) of one table row."""
    name = row.text("branch")
    if not name:
        raise row.bad("branch", "every row names its branch")
    if SEPARATOR in name:
        raise row.bad("branch", f"a branch's name has no {SEPARATOR!r}")
    try:
        parts = [float(p) for p in (row.text("tellers") or "1").replace(";", " ").split()]
    except ValueError:
        raise row.bad("tellers", "a number, or one per hour separated by ';'") from None
    if any(not math.isfinite(p) for p in parts):
        raise row.bad("tellers", "not a finite number")
    open_hour, close_hour = row.number("open_hour"), row.number("close_hour")
    return name, Branch(
        region=row.text("region"), template=row.text("template"),
        daily_volume=row.number("daily_volume", 0.0) or 0.0,
        tellers=parts[0] if len(parts) == 1 else parts,
        kiosks=int(row.number("kiosks", 0.0) or 0), guides=int(row.number("guides", 0.0) or 0),
        open_hour=None if open_hour is None else int(open_hour),
        close_hour=None if close_hour is None else int(close_hour),
        neighbours=[n for n in row.text("neighbours").replace(";", " ").split() if n],
        shares={c[len(SHARE_PREFIX):]: float(row.number(c) or 0.0)
                for c in header if c.startswith(SHARE_PREFIX) and row.text(c) != ""})


def _check_branch(scenario: Scenario, name: str, branch: Branch, day_hours: int) -> None:
    """One branch against the templates, the segments and the day: ScenarioError naming
    ``scenario.branches.<name>.<field>``."""
    p = f"scenario.branches.{name}"
    require(SEPARATOR not in name, f"{p}", name, f"a branch's name has no {SEPARATOR!r}")
    require(branch.template in scenario.branch_templates, f"{p}.template", branch.template,
            f"not a template of the scenario ({', '.join(scenario.branch_templates) or 'none'})")
    require(math.isfinite(branch.daily_volume) and branch.daily_volume >= 0, f"{p}.daily_volume",
            branch.daily_volume, "must be a number >= 0")
    require(branch.kiosks >= 0, f"{p}.kiosks", branch.kiosks, "must be >= 0")
    require(branch.guides >= 0, f"{p}.guides", branch.guides, "must be >= 0")
    tellers = branch.tellers if isinstance(branch.tellers, list) else [branch.tellers]
    require(all(isinstance(t, (int, float)) and math.isfinite(t) and t >= 0 for t in tellers),
            f"{p}.tellers", branch.tellers, "tellers are numbers >= 0")
    require(len(tellers) in (1, day_hours), f"{p}.tellers", branch.tellers,
            f"one number, or one per hour of the day ({day_hours})")
    open_hour = scenario.open_hour if branch.open_hour is None else branch.open_hour
    close_hour = scenario.open_hour + day_hours if branch.close_hour is None else branch.close_hour
    require(scenario.open_hour <= open_hour < scenario.open_hour + day_hours, f"{p}.open_hour",
            branch.open_hour, f"within the scenario's day ({scenario.open_hour} to "
            f"{scenario.open_hour + day_hours})")
    require(open_hour < close_hour <= scenario.open_hour + day_hours, f"{p}.close_hour",
            branch.close_hour, "after its open_hour and within the scenario's day")
    for neighbour in branch.neighbours:
        require(neighbour in scenario.branches and neighbour != name, f"{p}.neighbours",
                neighbour, "not another branch of the network")
    for segment, share in branch.shares.items():
        require(segment in scenario.segments, f"{p}.shares.{segment}", share,
                "not a segment of the scenario")
        require(math.isfinite(share) and share >= 0, f"{p}.shares.{segment}", share,
                "a share is a number >= 0")
    require(not branch.shares or sum(branch.shares.values()) > 0, f"{p}.shares", branch.shares,
            "the shares sum to 0")


def _hours_open(scenario: Scenario, branch: Branch, day_hours: int) -> list[bool]:
    open_hour = scenario.open_hour if branch.open_hour is None else branch.open_hour
    close_hour = scenario.open_hour + day_hours if branch.close_hour is None else branch.close_hour
    return [open_hour <= scenario.open_hour + h < close_hour for h in range(day_hours)]


def open_slots(scenario: Scenario, channel: str, n_slots: int) -> list[bool]:
    """Whether ``channel`` is open in each hour from the day's start: a branch channel
    when its branch is (the branch's ``open_hour`` to ``close_hour``, the day repeating),
    a shared channel (or any channel outside a network) always.  A plan that installs
    kiosks at a branch installs them for its hours."""
    branch = scenario.branches.get(scenario.channels[channel].branch)
    if branch is None:
        return [True] * n_slots
    day_hours = max(1, int(round(opening_minutes(scenario) / MINUTES_PER_HOUR)))
    hours = _hours_open(scenario, branch, day_hours)
    return [hours[h % day_hours] for h in range(n_slots)]


def expand_network(scenario: Scenario) -> Scenario:
    """The flat scenario of a network (module docstring); a scenario without branch
    templates is returned as it is.  Raises ScenarioError naming the branch, the field
    (or the table's row and column) for a bad branch."""
    if not scenario.branch_templates and not scenario.branch_table:
        return scenario
    net = copy.deepcopy(scenario)
    if net.branch_table:
        net.branches = {**read_branch_table(net.branch_table), **net.branches}
    require(bool(net.branch_templates), "scenario.branch_templates", {},
            "a network needs at least one branch template")
    require(bool(net.branches), "scenario.branches", {}, "a network needs at least one branch")
    day = opening_minutes(net)
    day_hours = int(round(day / MINUTES_PER_HOUR))
    for name, branch in net.branches.items():
        _check_branch(net, name, branch, day_hours)
    template_names = {c for t in net.branch_templates.values() for c in t.channels}
    for c in template_names:
        require(c not in net.channels, f"scenario.branch_templates.*.channels.{c}", c,
                "a template channel may not share a name with a shared channel")
    network_segments = dict(net.segments)
    volumes = {s: expected_arrivals(seg.arrivals, day) for s, seg in network_segments.items()}
    total = sum(volumes.values())
    require(total > 0, "scenario.segments", list(network_segments),
            "the segments' arrivals give the network's split: they sum to 0 customers")

    channels = {n: c for n, c in net.channels.items()}
    guides: dict[str, LobbyGuide] = dict(net.lobby_guides)
    segments: dict[str, Segment] = {}
    copies: dict[str, list[str]] = {c: [] for c in template_names}  # template -> its copies
    for name, branch in net.branches.items():
        template = net.branch_templates[branch.template]
        hours = _hours_open(net, branch, day_hours)
        for c, spec in template.channels.items():
            channel = copy.deepcopy(spec)
            channel.branch = name
            channel.priority_segments = [branch_segment(s, name) for s in spec.priority_segments]
            if channel.kind in STAFFED_KINDS:
                tellers = branch.tellers if isinstance(branch.tellers, list) else \
                    [branch.tellers] * day_hours
                channel.schedule = [float(t) if open_ else 0.0 for t, open_ in zip(tellers, hours)]
            else:
                count = float(branch.kiosks) if channel.kind is ChannelKind.kiosk else \
                    float(channel.servers or 1)
                channel.schedule = [count if open_ else 0.0 for open_ in hours]
            channel.servers, channel.schedule_slot_minutes = None, MINUTES_PER_HOUR
            if all(v == channel.schedule[0] for v in channel.schedule) and \
                    float(channel.schedule[0]).is_integer():
                channel.servers, channel.schedule = int(channel.schedule[0]), []
            channels[branch_channel(name, c)] = channel
            copies[c].append(branch_channel(name, c))
        if branch.guides > 0 and template.guide_kiosk is not None:
            opened = [h for h, o in enumerate(hours) if o]
            guides[f"guide{SEPARATOR}{name}"] = LobbyGuide(
                branch=name, kiosk=branch_channel(name, template.guide_kiosk),
                guides=branch.guides, minutes_per_guidance=template.minutes_per_guidance,
                start_minute=opened[0] * MINUTES_PER_HOUR,
                end_minute=(opened[-1] + 1) * MINUTES_PER_HOUR)
        shares = branch.shares or {s: v / total for s, v in volumes.items()}
        share_total = sum(shares.values())
        for s, seg in network_segments.items():
            share = shares.get(s, 0.0) / share_total
            if share <= 0 or branch.daily_volume <= 0:
                continue
            mine = copy.deepcopy(seg)
            volume = branch.daily_volume * share
            if not math.isclose(volume, volumes[s], rel_tol=1e-9):  # else: the segment's own
                rates, slot = rate_profile(seg.arrivals)
                day_slots = max(1, int(round(day / slot)))
                weights = [rates[i % len(rates)] for i in range(day_slots)] if len(rates) > 1 \
                    else [1.0] * day_slots
                per_slot = volume / sum(weights) if sum(weights) > 0 else 0.0
                mine.arrivals = Arrivals(rate_per_minute=[w * per_slot / slot for w in weights],
                                         slot_minutes=slot)
            mine.branch = name
            mine.preference = _per_branch(seg.preference, name, branch.neighbours, template_names)
            mine.promotion_uplift = _per_branch(seg.promotion_uplift, name, branch.neighbours,
                                                template_names)
            segments[branch_segment(s, name)] = mine
    for name in net.channels:  # a shared channel serves a network segment's every branch
        shared = channels[name]
        shared.priority_segments = [branch_segment(s, b) for s in shared.priority_segments
                                    for b in net.branches if branch_segment(s, b) in segments]
    net.channels, net.lobby_guides, net.segments = channels, guides, segments
    for tt in net.transactions.values():
        tt.service = _copies(tt.service, copies)
        tt.success = _copies(tt.success, copies)
    for campaign in net.campaigns.values():
        campaign.channels = [x for c in campaign.channels for x in copies.get(c, [c])]
        targeted = campaign.segments or list(network_segments)
        campaign.segments = [branch_segment(s, b) for s in targeted for b in net.branches
                             if branch_segment(s, b) in segments]
        campaign.responsiveness = {branch_segment(s, b): f for s, f in
                                   campaign.responsiveness.items() for b in net.branches
                                   if branch_segment(s, b) in segments}
        campaign.units = {branch_segment(s, b): u for s, u in campaign.units.items()
                          for b in net.branches if branch_segment(s, b) in segments}
    net.observed_shares = {c: v for c, v in net.observed_shares.items() if c in channels}
    net.adoption.transactions_per_month = {
        branch_segment(s, b): v for s, v in net.adoption.transactions_per_month.items()
        for b in net.branches if branch_segment(s, b) in segments}
    net.branch_templates, net.branch_table = {}, None  # expanded: expanding again is a no-op
    return net


def _per_branch(values: dict[str, float], branch: str, neighbours: list[str],
                templates: set[str]) -> dict[str, float]:
    """Per-channel values with each template channel's value given to this branch's copy
    and its neighbours' (where the customer may go after a balk or an abandonment)."""
    out: dict[str, float] = {}
    for c, v in values.items():
        if c not in templates:
            out[c] = v
            continue
        for b in (branch, *neighbours):
            out[branch_channel(b, c)] = v
    return out


def _copies(values: dict[str, Any], copies: dict[str, list[str]]) -> dict[str, Any]:
    """Per-channel values with each template channel's value given to all its copies."""
    out: dict[str, Any] = {}
    for c, v in values.items():
        for name in copies.get(c, [c]):
            out[name] = copy.deepcopy(v)
    return out
