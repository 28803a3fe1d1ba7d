"""The Plan page's year plan (``optimize.year_plan``): targets, budget, spend bounds,
confidence and capacity steps in; the calendar, the trajectories with their bands and
P(targets met) out.  Drawn by ``webapp/views/plan.py`` when its objective is the year."""

from __future__ import annotations

from typing import Any, Optional

import altair as alt
import pandas as pd
import streamlit as st

from optimize.year.model import KPIS
from sim.scenario import ChannelKind, Scenario
from sim.validate import ScenarioError
from webapp.ui import one_line, run_job
from webapp.yearplan import (
    GOALS,
    YearQuestion,
    answer,
    calendar_table,
    odds_text,
    trajectory_table,
)

CONFIDENCES = [None, 0.5, 0.8, 0.95]


def optional(value: float) -> Optional[float]:
    """A number input's value, None for 0 (the widgets' way of saying "none")."""
    return float(value) if value else None


def ask(source: str, scenario: Scenario, asked: Optional[YearQuestion]) -> YearQuestion:
    """The widgets of the year plan's question, started from ``asked`` (a reload's) or the
    scenario's own targets."""
    if asked is None or asked.source != source:
        targets = scenario.adoption.targets
        asked = YearQuestion(source, targets.get("e_channel_share", 0.55),
                             targets.get("penetration", 0.70))
    st.caption("The cheapest month-by-month calendar of campaign contacts (and capacity "
               "steps) whose months-mode simulation reaches the targets at the last month, "
               "checked by simulation; or the most share within a budget.")
    goal = str(st.radio("Goal", list(GOALS), format_func=GOALS.__getitem__, horizontal=True,
                        index=list(GOALS).index(asked.goal), key="year:goal"))
    top = st.columns(4)
    share = top[0].number_input("e-channel share at the last month (0: none)",
                                 value=asked.e_channel_share or 0.0, step=0.01, format="%.3f",
                                 key="year:share")
    reach = top[1].number_input("penetration at the last month (0: none)",
                                 value=asked.penetration or 0.0, step=0.01, format="%.3f",
                                 key="year:penetration")
    budget = top[2].number_input("budget for the year (0: none)", value=asked.budget or 0.0,
                                  step=1000.0, key="year:budget")
    confidence = top[3].selectbox(
        "confidence of meeting the targets", CONFIDENCES,
        index=CONFIDENCES.index(asked.confidence) if asked.confidence in CONFIDENCES else 0,
        format_func=lambda q: "as simulated" if q is None else f"{q:.0%} of sampled worlds",
        key="year:confidence")
    spent = st.columns(3)
    last = spent[0].number_input("last year's spend a month (0: no bounds)",
                                value=asked.last_year_spend or 0.0, step=100.0, key="year:last")
    low = spent[1].number_input("each month at least x last year's", step=0.1,
                               value=asked.bounds[0] if asked.bounds else 0.7, key="year:low")
    high = spent[2].number_input("each month at most x last year's", step=0.1,
                                value=asked.bounds[1] if asked.bounds else 1.5, key="year:high")
    st.subheader("Capacity steps")
    st.caption("Servers the plan may add (or remove: negative) month by month; a staffed "
               "channel keeps its service target every month. Empty: none.")
    steppable = [n for n, c in scenario.channels.items() if c.kind is not ChannelKind.online]
    given = {c: (lo, hi) for c, lo, hi in asked.capacity}
    steps = st.data_editor(pd.DataFrame({
        "channel": steppable, "fewest added": [given.get(c, (None, None))[0] for c in steppable],
        "most added": [given.get(c, (None, None))[1] for c in steppable]}, dtype=object),
        disabled=["channel"], hide_index=True, key=f"year:capacity:{source}")
    with st.expander("Advanced"):
        size = st.columns(5)
        months = size[0].number_input("months", value=asked.months, step=1, key="year:months")
        customers = size[1].number_input("customers simulated", value=asked.customers,
                                         step=1000, key="year:customers")
        check = size[2].number_input("populations checking each plan",
                                     value=asked.check_replications, step=1, key="year:check")
        samples = size[3].number_input("sampled worlds (odds)", value=asked.samples, step=1,
                                       key="year:samples")
        seed = size[4].number_input("seed", value=asked.seed, step=1, key="year:seed")
    capacity = tuple((str(r["channel"]), int(r["fewest added"] or 0), int(r["most added"] or 0))
                     for _, r in steps.iterrows()
                     if pd.notna(r["fewest added"]) or pd.notna(r["most added"]))
    return YearQuestion(source, optional(share), optional(reach), goal, optional(budget),
                        optional(last), (float(low), float(high)) if last else (),
                        confidence, capacity, int(months), int(customers), int(check),
                        int(samples), int(seed))


def show(source: str, scenario: Scenario, address: Optional[str]) -> None:
    """The year plan's part of the Plan page: its question, then its answer once run."""
    question = ask(source, scenario, YearQuestion.from_address(address))
    try:
        key = question.key()
    except ScenarioError as error:
        st.error(one_line(error))
        st.stop()
    pressed = st.button("Plan the year", type="primary", key="year:run")
    if pressed:
        st.query_params["y"] = question.to_address()
    job = run_job(key, lambda progress: answer(question, progress), pressed, "Planning the year")
    if job is None or job.state != "done":
        st.stop()
    result = job.result()
    summary = result.to_dict()
    st.subheader(f"The year plan ({summary['status']}, {len(result.iterations)} simulated plans)")
    cols = st.columns(4)
    cols[0].metric("spend", f"{summary['spend']['total']:,.0f}",
                   help=f"capacity steps {summary['spend']['capacity']:,.0f}; even spread "
                        f"{summary['even_spread']['spend']:,.0f}")
    cols[1].metric("P(targets met), populations", odds_text(summary["p_target_met"]))
    cols[2].metric("P(targets met), sampled worlds", odds_text(summary["p_target_met_uncertain"]))
    cols[3].metric("even spread: P(targets met)",
                   odds_text(summary["even_spread"]["p_target_met"]))
    trajectory = trajectory_table(result)
    st.subheader("Trajectories against the targets (95% bands)")
    st.altair_chart(trajectory_chart(trajectory), use_container_width=True)
    calendar = calendar_table(result)
    st.subheader("The calendar: spend by month")
    st.altair_chart(spend_chart(calendar), use_container_width=True)
    st.dataframe(calendar, hide_index=True, key="year:calendar")
    service = trajectory[trajectory["kpi"].str.startswith("service_level.")]
    if not service.empty:
        st.subheader("Service levels of the stepped channels")
        st.dataframe(service.drop(columns=["plan"]), hide_index=True, key="year:service")
    if result.frontier:
        st.subheader("Cost against confidence")
        st.dataframe(pd.DataFrame(result.frontier), hide_index=True, key="year:frontier")


def trajectory_chart(trajectory: pd.DataFrame) -> Any:
    """Share and penetration month by month: each plan simulated with its band, the year
    plan's prediction dashed, the targets as points."""
    rows = trajectory[trajectory["kpi"].isin(KPIS)]
    base = alt.Chart(rows).encode(x=alt.X("month:Q", title="month"))
    band = base.mark_area(opacity=0.2).encode(y=alt.Y("ci_low:Q", title=None), y2="ci_high:Q",
                                              color="plan:N")
    line = base.mark_line(point=True).encode(y="simulated_mean:Q", color="plan:N",
                                             tooltip=["plan", "month", "kpi", "simulated_mean",
                                                      "ci_low", "ci_high", "predicted"])
    predicted = base.transform_filter(alt.datum.plan == "year_plan").mark_line(
        strokeDash=[4, 3], color="black").encode(y="predicted:Q")
    target = base.transform_filter(alt.datum.target > 0).mark_point(
        shape="diamond", size=120, color="red", filled=True).encode(y="target:Q")
    return alt.layer(band, line, predicted, target).properties(width=380, height=260).facet(
        column=alt.Column("kpi:N", title=None))


def spend_chart(calendar: pd.DataFrame) -> Any:
    """Spend by month stacked by campaign (and capacity steps by channel)."""
    if calendar.empty:
        return alt.Chart(pd.DataFrame({"month": [], "spend": []})).mark_bar()
    what = calendar["campaign"].where(calendar["campaign"] != "", "servers: " + calendar["channel"])
    frame = calendar.assign(what=what).groupby(["month", "what"], as_index=False)["spend"].sum()
    return alt.Chart(frame).mark_bar().encode(x="month:O", y="spend:Q", color="what:N",
                                              tooltip=["month", "what", "spend"]).properties(
        height=240)
