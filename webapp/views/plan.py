"""Page 2, Plan: the cheapest plan to a diversion target, the most diversion for a budget,
or the frontier between them (``optimize.solve``), checked by simulation; the plan can be
sent to the What-if page.  Or the year plan (``optimize.year_plan``: ``webapp.year_page``)."""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from optimize import NoPlan
from sim.scenario import STAFFED_KINDS
from sim.validate import ScenarioError
from webapp import APP_DIR
from webapp.planning import OBJECTIVES, PlanQuestion, answer, plan_overrides
from webapp.ui import chosen_scenario, one_line, run_job
from webapp.year_page import show as show_year_plan
from webapp.yearplan import YearQuestion

YEAR = "year_plan"

st.title("Plan")
st.caption("The optimiser allocates promotion, staff and kiosks, then checks its plan by "
           "simulation: predicted against simulated, with the simulation's 95% interval.")

asked = PlanQuestion.from_address(st.query_params.get("q"))  # a reload keeps the question
year = YearQuestion.from_address(st.query_params.get("y"))  # ... or the year's
source, scenario = chosen_scenario("plan", asked.source if asked else year.source if year
                                   else None)
if asked is None or asked.source != source:
    asked = PlanQuestion(source)

choices = {**OBJECTIVES, YEAR: "the year plan: a calendar to year-end channel targets"}
objective = str(st.radio("Objective", list(choices), format_func=choices.__getitem__,
                         index=list(choices).index(YEAR if year and year.source == source
                                                   else asked.objective),
                         key="plan:objective"))
if objective == YEAR:
    show_year_plan(source, scenario, st.query_params.get("y"))
    st.stop()
slots: dict[str, Any] = {}  # a place under each setting's widget for its error
budget: float = 2500.0
target: float | None = None
budgets: tuple[float, ...] = ()
if objective == "max_diversion":
    budget = float(st.number_input("budget (money per day beyond today's)", value=asked.budget,
                                   step=100.0, key="plan:budget"))
    slots["budget"] = st.empty()
elif objective == "min_cost":
    target = float(st.number_input("diversion target (share of transactions on self-service)",
                                   value=asked.target_diversion or 0.65, step=0.01,
                                   format="%.3f", key="plan:target"))
    slots["target_diversion"] = st.empty()
else:
    text = st.text_input("budgets, comma separated",
                         value=", ".join(f"{b:g}" for b in asked.frontier_budgets)
                         or "0, 1000, 2500, 5000", key="plan:budgets")
    try:
        budgets = tuple(float(b) for b in text.split(",") if b.strip())
    except ValueError:
        st.error(f"optimize.frontier_budgets={text!r}: give numbers separated by commas")
        st.stop()

left, right = st.columns(2)
with left:
    st.subheader("Segment caps")
    st.caption("The most self-service share each segment may be steered to (empty: none).")
    caps = st.data_editor(pd.DataFrame({
        "segment": list(scenario.segments),
        "cap": [dict(asked.segment_caps).get(n, s.self_service_cap)
                for n, s in scenario.segments.items()]}),
        disabled=["segment"], hide_index=True, key=f"plan:caps:{source}")
    slots["segment_caps"] = st.empty()
with right:
    st.subheader("Headcount limits")
    st.caption("The most staff per hour on each staffed channel (empty: none).")
    staffed = [n for n, c in scenario.channels.items() if c.kind in STAFFED_KINDS]
    limits = st.data_editor(pd.DataFrame({"channel": staffed, "max staff": [
        dict(asked.max_staff).get(c) for c in staffed]}, dtype=object),
                            disabled=["channel"], hide_index=True, key=f"plan:limits:{source}")
    slots["max_staff"] = st.empty()
with st.expander("Advanced"):
    check = int(st.number_input("replications checking the plan (0: no check)",
                                value=asked.check_replications, step=1, key="plan:check"))
    slots["check_replications"] = st.empty()

question = PlanQuestion(
    source, objective, budget, target, budgets,
    tuple((str(r["segment"]), float(r["cap"])) for _, r in caps.iterrows()  # the changed ones
          if pd.notna(r["cap"]) and r["cap"] != scenario.segments[r["segment"]].self_service_cap),
    tuple((str(r["channel"]), int(r["max staff"])) for _, r in limits.iterrows()
          if pd.notna(r["max staff"])),
    check)
try:
    key = question.key()
except ScenarioError as error:  # under the setting it names (optimize.<setting>...)
    setting = error.path.removeprefix("optimize.").split(".")[0].split("[")[0]
    where = slots.get(setting, st.empty())
    where.error(one_line(error))
    st.stop()

pressed = st.button("Plan", type="primary", key="plan:run")
if pressed:
    st.query_params["q"] = question.to_address()
job = run_job(key, lambda progress: answer(question, progress), pressed, "Planning")
if job is None or job.state not in ("done", "failed"):
    st.stop()
if job.state == "failed":
    failure = job.future.exception()
    if isinstance(failure, NoPlan) and failure.frontier:
        st.dataframe(pd.DataFrame(failure.frontier), hide_index=True)
    st.stop()

result = job.result()
summary = result.to_dict()
tables = result.tables()
status = summary["status"] + ("" if summary["check"] is None else
                              (", check passed" if summary["check"]["passed"] else ", check FAILED"))
st.subheader(f"The plan ({status})")
simulated = summary["diversion_simulated"]
cols = st.columns(4)
cols[0].metric("diversion predicted", f"{summary['diversion_predicted']:.3f}")
if simulated:
    cols[1].metric("diversion simulated", f"{simulated['mean']:.3f}",
                   help=f"95% interval {simulated['ci_low']:.3f} to {simulated['ci_high']:.3f}")
cols[2].metric("spend", f"{summary['spend']['total']:,.0f}")
cols[3].metric("staff hours saved (cost)", f"{summary['staff_savings']:,.0f}")

st.subheader("Promotion: spend by campaign and segment")
promotion = tables["promotion"]
st.dataframe(promotion.style.format({"units": "{:.2f}", "spend": "{:,.0f}", "uplift": "{:.3f}",
                                     "marginal_diversion_per_unit_spend": "{:.2e}"}),
             hide_index=True, key="plan:promotion")
st.caption("marginal diversion per unit spend: what one more unit of money buys there "
           "(0 where the segment's cap is reached).")

staffing = tables["staffing"]
if not staffing.empty:
    st.subheader("Staff against what the queue requires, by hour")
    long = staffing.melt(id_vars=["channel", "slot"], value_vars=["staff", "required_staff"],
                         var_name="what", value_name="agents")
    st.altair_chart(alt.Chart(long).mark_line(point=True, interpolate="step-after").encode(
        x=alt.X("slot:Q", title="hour of the day (from opening)"), y="agents:Q",
        color="what:N", tooltip=["channel", "slot", "what", "agents"]).properties(
        width=420, height=220).facet(facet=alt.Facet("channel:N", title=None), columns=2))
    levels = pd.DataFrame([{"channel": c, "target": v["target"], "predicted": v["predicted"],
                            **({"simulated": v["simulated"]["mean"],
                                "ci_low": v["simulated"]["ci_low"],
                                "ci_high": v["simulated"]["ci_high"]} if v.get("simulated") else {})}
                           for c, v in summary["service_levels"].items()])
    st.subheader("Service levels: predicted and simulated")
    st.dataframe(levels, hide_index=True, key="plan:levels")
if not tables["kiosks"].empty:
    st.subheader("Kiosks")
    st.dataframe(tables["kiosks"], hide_index=True, key="plan:kiosks")
if "frontier" in tables:
    st.subheader("Frontier")
    frontier = tables["frontier"]
    st.dataframe(frontier, hide_index=True, key="plan:frontier")

if st.button("Use this plan as the what-if", key="plan:to_what_if"):
    for name in [k for k in st.session_state if str(k).startswith(("lever:", "what_if:"))]:
        del st.session_state[name]
    st.switch_page(str(APP_DIR / "views" / "what_if.py"),
                   query_params={"scenario": source, "set": plan_overrides(result)})
