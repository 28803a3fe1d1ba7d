"""Page 3, Data: upload a contact log, fit a scenario to it, compare the fit with the log
interval by interval, and save the fitted scenario for the What-if page."""

from __future__ import annotations

from pathlib import Path

import altair as alt
import pandas as pd
import streamlit as st

from sim.logs import FORMATS
from webapp.studies import describe_fit, fit_and_compare, save_fitted, stored_upload
from webapp.ui import run_job

st.title("Data")
st.caption("A contact log in (an ACD export, the Technion call-centre layout, a branch's "
           "queue tickets, this simulator's trace), a fitted scenario out, and how close "
           "it comes to the log, interval by interval.")

upload = st.file_uploader("Contact log (CSV, or .gz)", key="data:upload")
typed = st.text_input("or its path where the app runs", key="data:path").strip()
format = str(st.selectbox("Layout", FORMATS, key="data:format"))
left, right, third = st.columns(3)
interval = int(left.number_input("interval (minutes)", value=60, step=15, key="data:interval"))
open_hour = int(right.number_input("a trace's opening hour", value=8, step=1, key="data:open"))
replications = int(third.number_input("simulated days to compare", value=20, step=1,
                                      key="data:reps"))
if upload is not None:
    log = stored_upload(upload.name, upload.getvalue())
elif typed:
    log = Path(typed)
    if not log.is_file():
        st.error(f"fit.log={typed!r}: no such file")
        st.stop()
else:
    st.info("Upload a log to fit, or give its path.")
    st.stop()
key = f"fit:{log}:{format}:{interval}:{open_hour}:{replications}"
pressed = st.button("Fit and compare", type="primary", key="data:run")
job = run_job(key, lambda progress: fit_and_compare(log, format, interval, open_hour,
                                                    replications, progress),
              pressed, "Fitting")
if job is None or job.state != "done":
    st.stop()
answer = job.result()
report = answer.fit.report

st.subheader("The log")
st.table(pd.DataFrame([describe_fit(report)]))
st.subheader("Fitted arrivals per minute")
rates = pd.DataFrame({"interval": range(len(report["arrivals"]["rate_per_minute"])),
                      "rate": report["arrivals"]["rate_per_minute"],
                      "ci_low": report["arrivals"]["ci_low"],
                      "ci_high": report["arrivals"]["ci_high"]})
st.altair_chart(alt.Chart(rates).mark_area(opacity=0.25).encode(
    x="interval:Q", y="ci_low:Q", y2="ci_high:Q") + alt.Chart(rates).mark_line(point=True).encode(
    x="interval:Q", y="rate:Q", tooltip=["interval", "rate", "ci_low", "ci_high"]))
service = pd.DataFrame([{"type": t, "family": s["best"],
                         "mean (min)": s[s["best"]]["mean_minutes"]["value"],
                         "cv": s[s["best"]]["cv"]["value"]} for t, s in report["service"].items()])
st.subheader("Service time by type")
st.dataframe(service, hide_index=True, key="data:service")
patience = report["patience"]
if patience.get("used"):
    mean = patience[patience["used"]]["mean_minutes"]
    st.write(f"Patience: {patience['used']}, mean {mean['value']:.2f} min "
             f"[{mean['ci_low']:.2f}, {mean['ci_high']:.2f}] from {patience['abandoned']} "
             f"abandonments among {patience['n']} who queued.")
st.write("Agents per interval: " + ", ".join(f"{a:g}" for a in report["agents"]["per_interval"])
         + f" ({report['agents']['method']})")

st.subheader("Observed against simulated, interval by interval")
rows = pd.DataFrame(answer.comparison.rows)
summary = pd.DataFrame([{"kpi": k, **v} for k, v in answer.comparison.summary.items()
                        if isinstance(v, dict)])
st.caption("ratio: the mean error over intervals divided by the noise floor (the error a "
           "perfect model shows against as many days); near 1 is as close as noise allows.")
st.dataframe(summary, hide_index=True, key="data:summary")
band = alt.Chart(rows).mark_area(opacity=0.25).encode(
    x=alt.X("interval:Q", title="hour"), y=alt.Y("ci_low:Q", title=None), y2="ci_high:Q")
dots = alt.Chart(rows).mark_point(color="black").encode(
    x="interval:Q", y="observed:Q", tooltip=["interval", "kpi", "observed", "simulated", "z"])
st.altair_chart((band + dots).properties(width=300, height=180).facet(
    facet=alt.Facet("kpi:N", title=None), columns=3).resolve_scale(y="independent"))

name = st.text_input("Save the fitted scenario as", value="fitted", key="data:name")
if st.button("Save for the What-if page", key="data:save"):
    path = save_fitted(answer.fit, name.strip() or "fitted")
    st.success(f"Saved {path}: pick it on the What-if page under 'saved by the Data page'.")
