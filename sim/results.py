"""Tidy tables and the summary of an experiment; files and plots only read these."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
from enum import Enum
from typing import Any

from sim.experiment import CONFIDENCE, ESTIMATE_KEYS, Estimate, ExperimentResult, estimate
from sim.kpis import HOURLY_KPIS, SHARE_PREFIXES, kpi_range
from sim.network_results import network_summary
from sim.scenario import MINUTES_PER_HOUR, RunSettings, Scenario

CHANNEL_COLUMNS = ("channel", "kind", "kpi", *ESTIMATE_KEYS)
HOURLY_COLUMNS = ("channel", "hour", "kpi", *ESTIMATE_KEYS)
REPLICATION_COLUMNS = ("replication", "scope", "kpi", "value")
FLOW_COLUMNS = ("first_choice", "final_channel", "journeys_mean", "share")
TRACE_COLUMNS = ("replication", "customer", "segment", "transaction", "channel", "event",
                 "time_minutes", "wait_minutes", "queue_entry_minutes", "service_start_minutes")
# settings that change files written or how fast, not results
RESULT_NEUTRAL_RUN_KEYS = ("trace", "plots", "workers", "executor", "ray_address")


def plain(value: Any) -> Any:
    """Dataclasses and enums as JSON-ready dicts, lists and scalars."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def config_hash(scenario: Scenario, run: RunSettings, extra: dict[str, Any] | None = None
                ) -> str:
    """A digest of everything that determines the results (not where files go); ``extra``:
    more that does (the optimiser's settings)."""
    run_part = {k: v for k, v in plain(run).items() if k not in RESULT_NEUTRAL_RUN_KEYS}
    text = json.dumps({"scenario": _without_unused_network(plain(scenario)), "run": run_part,
                       **(extra or {})}, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _without_unused_network(scenario: dict[str, Any]) -> dict[str, Any]:
    """A plain scenario without the network settings a single site leaves empty, so a
    single site's hash is what it was before networks existed (sweep caches stay valid)."""
    out = {k: v for k, v in scenario.items()
           if not (k in ("branch_templates", "branches", "branch_table") and not v)}
    out["segments"] = {name: {k: v for k, v in seg.items() if not (k == "branch" and v == "")}
                       for name, seg in scenario.get("segments", {}).items()}
    return out


def summary(result: ExperimentResult) -> dict[str, Any]:
    """The content of summary.json (times in minutes); no timestamps or paths."""
    reps = result.replications
    kpi_names = list(reps[0].kpis)
    channels = {
        name: {kpi: result.channel_kpi(name, kpi).as_dict() for kpi in kpis}
        for name, kpis in reps[0].channels.items()
    }
    return {
        "scenario": result.scenario.name,
        "replications": result.run.replications,
        "seed": result.run.seed,
        "config_hash": config_hash(result.scenario, result.run),
        "horizon_minutes": result.run.horizon_minutes,
        "warmup_minutes": result.run.warmup_minutes,
        "confidence": CONFIDENCE,
        "kpis": {kpi: result.kpi(kpi).as_dict() for kpi in kpi_names},
        "channels": channels,
        "segments": {
            name: {kpi: result.segment_kpi(name, kpi).as_dict() for kpi in kpis}
            for name, kpis in reps[0].segments.items()
        },
        **({"network": network_summary(result)} if result.scenario.branches else {}),
    }


def channels_table(result: ExperimentResult) -> list[dict[str, Any]]:
    """One row per channel x KPI (channels.csv): ``channel, kind, kpi`` and the mean with
    its CI over replications (NaN where undefined)."""
    rows = []
    for name, kpis in result.replications[0].channels.items():
        kind = result.scenario.channels[name].kind.value
        for kpi in kpis:
            rows.append({"channel": name, "kind": kind, "kpi": kpi,
                         **result.channel_kpi(name, kpi).as_dict()})
    return rows


def hourly_table(result: ExperimentResult) -> list[dict[str, Any]]:
    """One row per channel x clock hour x KPI; hours wholly inside the warm-up are left out."""
    rows = []
    open_hour, warmup = result.scenario.open_hour, result.run.warmup_minutes
    first = result.replications[0].hourly
    for name in first:
        n_hours = len(first[name]["arrivals"])
        for i in range(n_hours):
            if (i + 1) * MINUTES_PER_HOUR <= warmup:
                continue
            thresholds = [k for k in first[name] if k.startswith(SHARE_PREFIXES)]
            for kpi in (*HOURLY_KPIS, *thresholds):
                e = estimate((r.hourly[name][kpi][i] for r in result.replications),
                             bounds=kpi_range(kpi))
                rows.append({"channel": name, "hour": open_hour + i, "kpi": kpi, **e.as_dict()})
    return rows


def replications_table(result: ExperimentResult) -> list[dict[str, Any]]:
    """One row per replication x scope x KPI with that replication's own value
    (replications.csv); the scope is ``overall``, a channel's name or ``segment:<name>``."""
    rows: list[dict[str, Any]] = []
    for r in result.replications:
        rows += [{"replication": r.replication, "scope": "overall", "kpi": k, "value": v}
                 for k, v in r.kpis.items()]
        for name, kpis in r.channels.items():
            rows += [{"replication": r.replication, "scope": name, "kpi": k, "value": v}
                     for k, v in kpis.items()]
        for name, kpis in r.segments.items():
            rows += [{"replication": r.replication, "scope": f"segment:{name}", "kpi": k,
                      "value": v} for k, v in kpis.items()]
    return rows


def flows_table(result: ExperimentResult) -> list[dict[str, Any]]:
    """First choice -> final channel ('lost' if none), mean journeys per replication."""
    pairs = sorted({pair for r in result.replications for pair in r.flows})
    n = len(result.replications)
    means = {p: sum(r.flows.get(p, 0) for r in result.replications) / n for p in pairs}
    total = sum(means.values())
    return [{"first_choice": a, "final_channel": b, "journeys_mean": means[(a, b)],
             "share": means[(a, b)] / total if total else math.nan} for a, b in pairs]


def trace_rows(result: ExperimentResult) -> list[dict[str, Any]]:
    """Every replication's trace as rows keyed by TRACE_COLUMNS (trace.csv): one per visit
    event, times and waits in minutes; empty when ``run.trace`` was off."""
    return [dict(zip(TRACE_COLUMNS, row)) for r in result.replications for row in (r.trace or [])]


TABLE_KPIS = ("diversion_rate", "diversion_eligible", "lost_rate", "switch_rate", "satisfaction",
              "cost_per_transaction", "journeys")
TABLE_CHANNEL_KPIS = ("arrivals", "served_server", "served_ivr", "wait_mean", "wait_p90", "p_wait",
                      "service_level", "abandon_rate", "utilisation")


def _fmt(e: Estimate) -> str:
    if math.isnan(e.mean):
        return "-"
    if math.isnan(e.ci_low):
        return f"{e.mean:.4g}"
    return f"{e.mean:.4g} ± {e.half_width:.2g}"


def kpi_table(result: ExperimentResult) -> str:
    """The terminal summary: overall KPIs, then one line per channel (mean ± 95% CI)."""
    lines = [f"scenario {result.scenario.name}: {result.run.replications} replications, "
             f"{result.run.horizon_minutes:g} minutes (warm-up {result.run.warmup_minutes:g})", ""]
    width = max(len(k) for k in TABLE_KPIS)
    lines += [f"  {k:<{width}}  {_fmt(result.kpi(k))}" for k in TABLE_KPIS]
    names = list(result.replications[0].channels)
    w = max(len(n) for n in names + ["channel"])
    cells = [[_fmt(result.channel_kpi(n, k)) for k in TABLE_CHANNEL_KPIS] for n in names]
    col_w = [max(len(k), *(len(c[i]) for c in cells)) for i, k in enumerate(TABLE_CHANNEL_KPIS)]
    lines += ["", "  " + "  ".join([f"{'channel':<{w}}"] +
                                   [f"{k:>{col_w[i]}}" for i, k in enumerate(TABLE_CHANNEL_KPIS)])]
    for n, row in zip(names, cells):
        lines.append("  " + "  ".join([f"{n:<{w}}"] +
                                      [f"{c:>{col_w[i]}}" for i, c in enumerate(row)]))
    return "\n".join(lines)
