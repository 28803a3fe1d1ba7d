"""Page 1, What if: a scenario's levers as widgets, baseline and what-if simulated with the
same seeds, and the results side by side with the paired confidence of each difference."""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd
import streamlit as st
import yaml

from sim.scenario import STAFFED_KINDS
from sim.validate import ScenarioError
from webapp.downloads import csv_zip, xlsx_workbook
from webapp.levers import BRANCH_GROUP, Lever, lever_of_error, overrides, scenario_levers
from webapp.paired import as_table
from webapp.ui import chosen_scenario, one_line, run_job
from webapp.whatif import WhatIfAnswer, WhatIfQuestion, answer

st.title("What if")
st.caption("Change the levers, press Run: the baseline and the what-if are simulated with "
           "the same seeds, so each difference is measured replication by replication.")

params = st.query_params
source, base = chosen_scenario("what_if", params.get("scenario"))

# values carried in the address (a reload, a shared link, or a plan from the Plan page)
levers = scenario_levers(base)
keys = {lever.key for lever in levers}
carried: dict[str, Any] = {}
fixed: list[str] = []  # carried settings no widget holds (a plan's staff by slot)
if params.get("scenario") == source:
    for item in params.get_all("set"):
        key, _, text = item.partition("=")
        if key in keys:
            carried[key] = yaml.safe_load(text)
        else:
            fixed.append(item)
values: dict[str, Any] = {}
slots: dict[str, Any] = {}  # a place under each widget for its error


def widget(lever: Lever) -> Any:
    """The lever's widget (its value from the address, else the scenario's)."""
    key = f"lever:{source}:{lever.key}"
    start = carried.get(lever.key, lever.value)
    if lever.kind in ("bool", "keep"):
        return st.toggle(lever.label, value=bool(start) if start != [] else False, key=key)
    if lever.kind == "int":
        return int(st.number_input(lever.label, value=int(start), step=1, key=key))
    if lever.kind == "float":
        return float(st.number_input(lever.label, value=float(start), key=key))
    hours = [f"{lever.start_hour + i * lever.slot_minutes / 60:g}" for i in range(len(start))]
    table = st.data_editor(pd.DataFrame({"from hour": hours, "staff": list(start)}),
                           key=key, disabled=["from hour"], hide_index=True)
    return [float(v) for v in table["staff"]]


BRANCH_FIELDS = ("tellers", "kiosks", "guides")


def branch_table(members: list[Lever]) -> None:
    """A network's branches as one editable table, a row per branch (120 halls are 120
    rows, not 360 widgets): its region, tellers, kiosks and lobby guides; a branch whose
    tellers change by the hour keeps its own table of them below."""
    rows: dict[str, dict[str, Any]] = {}
    for lever in members:
        if lever.kind == "schedule":
            continue
        _, branch, field = lever.key.split(".")
        row = rows.setdefault(branch, {"branch": branch,
                                       "region": base.branches[branch].region})
        row[field] = carried.get(lever.key, lever.value)
    if rows:
        edited = st.data_editor(pd.DataFrame(list(rows.values())), key=f"lever:{source}:branches",
                                disabled=["branch", "region"], hide_index=True)
        if any(lever.kind == "schedule" for lever in members):
            st.caption("An empty tellers cell: that branch's tellers change by the hour "
                       "(its own table below).")
        cells = {lever.key: lever.kind for lever in members if lever.kind != "schedule"}
        slot = st.empty()  # a bad cell's line shows under the table
        for row in edited.to_dict("records"):
            for field in BRANCH_FIELDS:
                key = f"branches.{row['branch']}.{field}"
                if key not in cells:
                    continue
                if pd.isna(row[field]):
                    slot.error(f"scenario.{key}: every cell of the branch table needs a number")
                    st.stop()
                values[key] = int(row[field]) if cells[key] == "int" else float(row[field])
                slots[key] = slot
    for lever in members:
        if lever.kind == "schedule":
            values[lever.key] = widget(lever)
            slots[lever.key] = st.empty()


groups: dict[str, list[Lever]] = {}
for lever in levers:
    groups.setdefault(lever.group, []).append(lever)
columns = st.columns(min(3, len(groups)))
for i, (group, members) in enumerate(groups.items()):
    with columns[i % len(columns)]:
        st.subheader(group)
        if group == BRANCH_GROUP:
            branch_table(members)
            continue
        for lever in members:
            values[lever.key] = widget(lever)
            slots[lever.key] = st.empty()

with st.expander("Advanced"):
    replications = int(st.number_input("replications", value=int(params.get("reps", 10)),
                                       step=1, key="what_if:reps"))
    seed = int(st.number_input("seed", value=int(params.get("seed", 42)), step=1,
                               key="what_if:seed"))

if fixed:
    st.info("Also set (from the address, e.g. a plan): " + ", ".join(fixed))
changes = fixed + overrides(levers, values)
question = WhatIfQuestion(source, tuple(changes), replications, seed)
try:
    key = question.key()
except ScenarioError as error:
    named = lever_of_error(levers, error.path)
    (slots[named.key] if named else st).error(one_line(error))
    st.stop()

st.code("python -m sim scenario=" + source + "".join(f" {c}" for c in changes), language="bash")
pressed = st.button("Run", type="primary", key="what_if:run")
if pressed:
    st.query_params.from_dict({"scenario": source, "set": changes, "reps": str(replications),
                               "seed": str(seed)})
job = run_job(key, lambda progress: answer(question, progress), pressed, "Simulating")
if job is None or job.state != "done":
    st.stop()
result: WhatIfAnswer = job.result()
if job.seconds is not None:
    st.caption(f"{replications} replications of each run in {job.seconds:.1f} s "
               "(asked again, the answer comes from the cache)")

st.subheader("Headline: what-if against baseline")
table = as_table(result.headline)


NUMBERS = ("baseline", "what_if", "difference", "ci_low", "ci_high")


TINTS = {"better": "#d4edda", "worse": "#f8d7da", "changed": "#dbe9f6"}


def colour(row: pd.Series) -> list[str]:
    """The headline row's cell styles: its difference tinted by the verdict."""
    tint = TINTS.get(row["verdict"])
    return [f"background-color: {tint}" if tint and c == "difference" else "" for c in row.index]


st.caption("Difference: what-if minus baseline, with its paired 95% interval; tinted only "
           "when the interval excludes 0: green better, red worse, blue a change that is "
           "neither (a share, a utilisation).")
st.table(table.set_index("kpi").style.apply(colour, axis=1).format(
    {c: "{:.4g}" for c in NUMBERS}))

tables = result.tables()
if "branches" in tables:  # a network: branches ranked, regions beside the totals
    branches = tables["branches"]
    waits = branches[branches["kpi"] == "counter_wait_mean"]
    order = (waits[waits["run"] == "what_if"].sort_values("mean", ascending=False)["branch"]
             .tolist())
    st.subheader("Branches by counter wait (95% interval)")
    bars = alt.Chart(waits).mark_point(filled=True).encode(
        y=alt.Y("branch:N", sort=order), x=alt.X("mean:Q", title="mean counter wait (min)"),
        color="run:N", tooltip=["branch", "region", "run", "mean", "ci_low", "ci_high"])
    rules = alt.Chart(waits).mark_rule().encode(y=alt.Y("branch:N", sort=order), x="ci_low:Q",
                                                x2="ci_high:Q", color="run:N")
    st.altair_chart((rules + bars).properties(height=max(120, 22 * len(order))))
    st.subheader("Regions and the network (means; counts add up, rates are weighted)")
    rows = [{"area": area, "kpi": kpi, "run": run, "mean": est["mean"]}
            for run, answer_run in (("baseline", result.baseline), ("what_if", result.what_if))
            for area, kpis in {**answer_run.summary()["network"]["regions"],
                               "network": answer_run.summary()["network"]["total"]}.items()
            for kpi, est in kpis.items()]
    st.dataframe(pd.DataFrame(rows).pivot_table(index=["area", "kpi"], columns="run",
                                                values="mean"), key="what_if:regions")
hourly = tables["hourly"]
staffed = [n for n, c in base.channels.items() if c.kind in STAFFED_KINDS]
waits = hourly[(hourly["kpi"] == "wait_mean") & hourly["channel"].isin(staffed)]
if staffed:
    st.subheader("Wait by hour")
    band = alt.Chart(waits).mark_area(opacity=0.2).encode(
        x=alt.X("hour:Q", title="hour"), y=alt.Y("ci_low:Q", title="mean wait (min)"),
        y2="ci_high:Q", color="run:N")
    line = alt.Chart(waits).mark_line(point=True).encode(
        x="hour:Q", y="mean:Q", color="run:N", tooltip=["run", "hour", "mean", "ci_low", "ci_high"])
    st.altair_chart((band + line).properties(width=420, height=220).facet(
        facet=alt.Facet("channel:N", title=None), columns=2))

channels = tables["channels"]
shares = channels[channels["kpi"] == "volume_share"]
left, right = st.columns(2)
with left:
    st.subheader("Volume shares")
    st.altair_chart(alt.Chart(shares).mark_bar().encode(
        x=alt.X("run:N", title=None), y=alt.Y("mean:Q", title="share of served visits"),
        color="run:N", column=alt.Column("channel:N", title=None),
        tooltip=["run", "channel", "mean", "ci_low", "ci_high"]))
with right:
    st.subheader("Switching flows (journeys, what-if)")
    flows = tables["flows"]
    matrix = flows[flows["run"] == "what_if"].pivot_table(
        index="first_choice", columns="final_channel", values="journeys_mean", fill_value=0.0)
    st.dataframe(matrix.style.format("{:.1f}"), key="what_if:flows")

st.subheader("Downloads")
st.download_button("Tables (CSV, zip)", csv_zip(tables), file_name="what_if_tables.zip",
                   mime="application/zip", key="what_if:zip")
st.download_button("Tables (XLSX workbook)", xlsx_workbook(tables), file_name="what_if.xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   key="what_if:xlsx")
