"""A network's results by branch, by region and for the whole network, each KPI with its
confidence interval over replications (``branches.csv``, ``summary.json``'s ``network``).

Per branch, in each replication: its customers' journeys (``completed``, ``lost``, both
counts), their ``diversion_rate`` (self-service completions over completions), and its
staffed channels' (the counter's) ``counter_wait_mean``, ``counter_service_level`` and
``counter_abandon_rate`` (means weighted by those who joined the queue) and
``counter_utilisation`` (weighted by the servers present), and its kiosks'
``kiosk_utilisation``.  A region, and the network, combine their branches the same way:
counts add up, rates and waits are the weighted means, replication by replication, and
the interval is taken over replications last.
"""

from __future__ import annotations

import math
from typing import Any

from sim.experiment import ExperimentResult, estimate
from sim.kpis import ReplicationResult, ratio
from sim.scenario import STAFFED_KINDS, ChannelKind, Scenario

BRANCH_KPIS = ("completed", "lost", "diversion_rate", "counter_wait_mean",
               "counter_service_level", "counter_abandon_rate", "counter_utilisation",
               "kiosk_utilisation")
BRANCH_COLUMNS = ("branch", "region", "kpi", "mean", "ci_low", "ci_high")
SHARE = (0.0, 1.0)  # the intervals are clipped to what a KPI can be
BOUNDS = {"completed": (0.0, math.inf), "lost": (0.0, math.inf),
          "counter_wait_mean": (0.0, math.inf)}
# (kpi, channel KPI, weight) of the staffed channels' means
COUNTER: tuple[tuple[str, str, str], ...] = (("counter_wait_mean", "wait_mean", "joined"),
                                              ("counter_service_level", "service_level", "joined"),
                                              ("counter_abandon_rate", "abandon_rate", "joined"),
                                              ("counter_utilisation", "utilisation", "mean_servers"))


KIOSK: tuple[tuple[str, str, str], ...] = (("kiosk_utilisation", "utilisation", "mean_servers"),)
SUMS = ("completed", "lost", "self_service", "kiosk_utilisation", "kiosk_utilisation:w",
        *(k for k, _, _ in COUNTER), *(f"{k}:w" for k, _, _ in COUNTER))


def _branch_sums(scenario: Scenario, rep: ReplicationResult) -> dict[str, dict[str, float]]:
    """Each branch's counts and weighted sums in one replication, in one pass over the
    segments and the channels (``_kpis`` divides)."""
    out = {b: dict.fromkeys(SUMS, 0.0) for b in scenario.branches}
    for name, values in rep.segments.items():
        sums = out.get(scenario.segments[name].branch)
        if sums is None:
            continue
        completed, rate = values["completed"], values["diversion_rate"]
        sums["completed"] += completed
        sums["lost"] += values["lost"]
        sums["self_service"] += 0.0 if math.isnan(rate) else rate * completed
    for name, channel in scenario.channels.items():
        sums = out.get(channel.branch)
        if sums is None:
            continue
        values = rep.channels[name]
        if channel.kind in STAFFED_KINDS:
            means = COUNTER
        elif channel.kind is ChannelKind.kiosk:
            means = KIOSK
        else:
            continue
        for key, kpi, weight in means:
            w, v = values[weight], values[kpi]
            if w > 0 and not math.isnan(v):
                sums[key] += v * w
                sums[f"{key}:w"] += w
    return out


def _added(per_branch: dict[str, dict[str, float]], branches: list[str]) -> dict[str, float]:
    return {k: sum(per_branch[b][k] for b in branches) for k in SUMS}


def _sums(scenario: Scenario, rep: ReplicationResult, branches: list[str]) -> dict[str, float]:
    """Counts and weighted sums over ``branches`` in one replication (``_kpis`` divides)."""
    return _added(_branch_sums(scenario, rep), branches)


def _kpis(sums: dict[str, float]) -> dict[str, float]:
    kpis = {"completed": sums["completed"], "lost": sums["lost"],
            "diversion_rate": ratio(sums["self_service"], sums["completed"])}
    for key in (*(k for k, _, _ in COUNTER), "kiosk_utilisation"):
        kpis[key] = ratio(sums[key], sums[f"{key}:w"])
    return kpis


def _estimates(per_rep: list[dict[str, dict[str, float]]], branches: list[str]
               ) -> dict[str, dict[str, float]]:
    """The KPIs of ``branches`` together, over the replications' branch sums."""
    kpis = [_kpis(_added(per_branch, branches)) for per_branch in per_rep]
    return {kpi: estimate((k[kpi] for k in kpis), bounds=BOUNDS.get(kpi, SHARE)).as_dict()
            for kpi in BRANCH_KPIS}


def _per_replication(result: ExperimentResult) -> list[dict[str, dict[str, float]]]:
    return [_branch_sums(result.scenario, rep) for rep in result.replications]


def regions(scenario: Scenario) -> dict[str, list[str]]:
    """Region -> its branches (in the table's order); a branch without one is in ``""``."""
    out: dict[str, list[str]] = {}
    for name, branch in scenario.branches.items():
        out.setdefault(branch.region, []).append(name)
    return out


def branch_rows(result: ExperimentResult) -> list[dict[str, Any]]:
    """branches.csv: one row per branch and KPI (BRANCH_COLUMNS)."""
    rows = []
    per_rep = _per_replication(result)
    for name, branch in result.scenario.branches.items():
        for kpi, est in _estimates(per_rep, [name]).items():
            rows.append({"branch": name, "region": branch.region, "kpi": kpi, **est})
    return rows


def network_summary(result: ExperimentResult) -> dict[str, Any]:
    """summary.json's ``network``: the branches' count, each region's KPIs and the whole
    network's (the same KPIs as branches.csv)."""
    scenario = result.scenario
    per_rep = _per_replication(result)
    return {"branches": len(scenario.branches),
            "regions": {region or "(none)": _estimates(per_rep, names)
                        for region, names in regions(scenario).items()},
            "total": _estimates(per_rep, list(scenario.branches))}


def worst_branches(rows: list[dict[str, Any]], kpi: str = "counter_wait_mean", n: int = 10
                   ) -> list[dict[str, Any]]:
    """The ``n`` branches with the highest mean ``kpi`` (NaN last), as branch_rows' rows."""
    mine = [r for r in rows if r["kpi"] == kpi]
    return sorted(mine, key=lambda r: (math.isnan(r["mean"]), -r["mean"]
                                       if not math.isnan(r["mean"]) else 0.0))[:n]


def network_text(result: ExperimentResult) -> str:
    """The console's network part: the totals and the 10 branches with the longest
    counter waits, each with its 95% interval."""
    total = network_summary(result)["total"]
    lines = [f"network of {len(result.scenario.branches)} branches: "
             f"diversion {total['diversion_rate']['mean']:.3f} "
             f"[{total['diversion_rate']['ci_low']:.3f}, {total['diversion_rate']['ci_high']:.3f}], "
             f"counter wait {total['counter_wait_mean']['mean']:.2f} min, "
             f"{total['completed']['mean']:,.0f} journeys completed, {total['lost']['mean']:,.0f} lost",
             "branches with the longest counter waits (min, 95% interval):"]
    for row in worst_branches(branch_rows(result)):
        lines.append(f"  {row['branch']:<20} {row['region']:<12} {row['mean']:6.2f} "
                     f"[{row['ci_low']:.2f}, {row['ci_high']:.2f}]")
    return "\n".join(lines)




def template_channel(scenario: Scenario, channel: str) -> str:
    """The name a network's figures show a channel under: a branch channel as its template
    channel over all branches (``central/teller`` -> ``teller (all branches)``), a shared
    channel (and "lost") as it is."""
    spec = scenario.channels.get(channel)
    if spec is None or not spec.branch:
        return channel
    return f"{channel[len(spec.branch) + 1:]} (all branches)"


def flows_by_template(scenario: Scenario, flows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """flows.csv's rows summed over branches (first choice and final channel by
    ``template_channel``): what switching_flows.png shows for a network, a few rows and
    columns instead of one per branch channel."""
    summed: dict[tuple[str, str], list[float]] = {}
    for r in flows:
        key = (template_channel(scenario, r["first_choice"]),
               template_channel(scenario, r["final_channel"]))
        acc = summed.setdefault(key, [0.0, 0.0])
        acc[0] += r["journeys_mean"]
        acc[1] += 0.0 if math.isnan(r["share"]) else r["share"]
    return [{"first_choice": a, "final_channel": b, "journeys_mean": v[0], "share": v[1]}
            for (a, b), v in sorted(summed.items())]


def shares_by_template(scenario: Scenario, channels: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """channels.csv's volume shares summed over branches by ``template_channel`` (their
    intervals cannot be summed: NaN): what volume_shares.png shows for a network."""
    summed: dict[str, dict[str, Any]] = {}
    for r in channels:
        if r["kpi"] != "volume_share":
            continue
        name = template_channel(scenario, r["channel"])
        row = summed.setdefault(name, {"channel": name, "kind": r["kind"], "kpi": "volume_share",
                                       "mean": 0.0, "ci_low": math.nan, "ci_high": math.nan})
        row["mean"] += 0.0 if math.isnan(r["mean"]) else r["mean"]
    return list(summed.values())


__all__ = ["BRANCH_COLUMNS", "BRANCH_KPIS", "branch_rows", "flows_by_template", "network_summary",
           "network_text", "regions", "shares_by_template", "template_channel", "worst_branches"]
