"""Page 4, Months: the adoption trajectory of a scenario's population over months (the
e-channel share, penetration, churn) against its targets, with a campaign calendar."""

from __future__ import annotations

import json
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

import sim
from sim.validate import ScenarioError
from webapp.studies import months_key, months_run, months_table
from webapp.ui import chosen_scenario, one_line, run_job

st.title("Months")
st.caption("Customers learn their channel habits from what they experience; campaigns run "
           "on their calendars. Every KPI with its 95% interval over populations.")

DEFAULTS = {"months": 12, "customers": 5000, "replications": 3, "seed": 42, "overrides": []}
try:  # a reload keeps the question: it is in the address once run
    asked = {**DEFAULTS, **json.loads(st.query_params.get("q", "{}"))}
except ValueError:
    asked = dict(DEFAULTS)
source, scenario = chosen_scenario("months", asked.get("source"))
if asked.get("source") != source:
    asked = dict(DEFAULTS)

cols = st.columns(4)
months = int(cols[0].number_input("months", value=int(asked["months"]), step=1,
                                  key="months:months"))
customers = int(cols[1].number_input("customers", value=int(asked["customers"]), step=1000,
                                     key="months:customers"))
replications = int(cols[2].number_input("populations", value=int(asked["replications"]), step=1,
                                        key="months:reps"))
seed = int(cols[3].number_input("seed", value=int(asked["seed"]), step=1, key="months:seed"))


def calendar_of(campaigns: dict[str, Any]) -> pd.DataFrame:
    """Each campaign's start month, end month and contacts per month."""
    return pd.DataFrame([{"campaign": n, "start_month": c.start_month,
                          "end_month": c.end_month if c.end_month is not None else months,
                          "contacts_per_month": c.contacts_per_month}
                         for n, c in campaigns.items()])


calendar = calendar_of(scenario.campaigns)
try:
    shown = calendar_of(sim.load_scenario(source, asked["overrides"]).campaigns)
except ScenarioError:
    shown = calendar
overrides: list[str] = []
if not calendar.empty:
    st.subheader("Campaign calendar")
    edited = st.data_editor(shown, disabled=["campaign"], hide_index=True,
                            key=f"months:calendar:{source}")
    for before, after in zip(calendar.to_dict("records"), edited.to_dict("records")):
        for field in ("start_month", "end_month", "contacts_per_month"):
            if after[field] != before[field]:
                overrides.append(f"campaigns.{after['campaign']}.{field}={int(after[field])}")
try:
    planned = sim.load_scenario(source, overrides)  # the scenario with its calendar
except ScenarioError as error:
    st.error(one_line(error))
    st.stop()

key = "months:" + months_key(planned, months, customers, replications, seed)
pressed = st.button("Run", type="primary", key="months:run")
if pressed:
    st.query_params["q"] = json.dumps({"source": source, "overrides": overrides, "months": months,
                                       "customers": customers, "replications": replications,
                                       "seed": seed})
job = run_job(key, lambda progress: months_run(planned, months, customers, replications, seed,
                                               progress),
              pressed, "Simulating months")
if job is None or job.state != "done":
    st.stop()
table = months_table(job.result())
shown = table[table["kpi"].isin(["e_channel_share", "penetration", "churn_rate"])]
targets = pd.DataFrame([{"kpi": k, "target": v} for k, v in scenario.adoption.targets.items()
                        if k in ("e_channel_share", "penetration", "churn_rate")])
band = alt.Chart(shown).mark_area(opacity=0.25).encode(
    x=alt.X("month:Q"), y=alt.Y("ci_low:Q", title=None), y2="ci_high:Q", color="kpi:N")
line = alt.Chart(shown).mark_line(point=True).encode(
    x="month:Q", y="mean:Q", color="kpi:N", tooltip=["month", "kpi", "mean", "ci_low", "ci_high"])
chart = band + line
if not targets.empty:
    chart = chart + alt.Chart(targets).mark_rule(strokeDash=[6, 4]).encode(y="target:Q",
                                                                            color="kpi:N")
st.subheader("Adoption against targets (dashed)")
st.altair_chart(chart.properties(height=320))
last = table[table["month"] == months].set_index("kpi")
st.dataframe(last[["mean", "ci_low", "ci_high"]], key="months:last")
st.download_button("Monthly table (CSV)", table.to_csv(index=False), file_name="monthly.csv",
                   key="months:csv")
