"""Page 5, Sweeps: open a sweep table (``sweep.parquet`` from ``python -m sim -m ...``) and
explore it: a KPI against one or two swept settings, and the Pareto front of cost against
diversion."""

from __future__ import annotations

from pathlib import Path

import altair as alt
import streamlit as st

from webapp.studies import default_column, pareto_front, read_sweep, sweep_kpis, sweep_parameters

st.title("Sweeps")
st.caption("A multirun's table: one row per job, its swept settings and its KPIs.")

upload = st.file_uploader("sweep.parquet (or sweep.csv) of a sweep folder", key="sweeps:upload")
typed = st.text_input("or its path (the file, or the sweep folder) where the app runs",
                      key="sweeps:path").strip()
if upload is not None:
    name, data = upload.name, upload.getvalue()
elif typed:
    path = Path(typed) / "sweep.parquet" if Path(typed).is_dir() else Path(typed)
    if not path.is_file():
        st.error(f"{typed!r}: no such file")
        st.stop()
    name, data = path.name, path.read_bytes()
else:
    st.info("Open the sweep.parquet that `python -m sim -m ...` wrote in its sweep folder.")
    st.stop()
try:
    table = read_sweep(data)
except Exception as error:  # noqa: BLE001  (any unreadable file is one line)
    st.error(f"{name}: not a sweep table ({type(error).__name__}: {error})")
    st.stop()
parameters, kpis = sweep_parameters(table), sweep_kpis(table)
if not parameters or not kpis:
    st.error(f"{name}: not a sweep table (no swept settings or no KPI columns)")
    st.stop()
failed = table[table["status"] != "ok"] if "status" in table else table.iloc[0:0]
if len(failed):
    st.warning(f"{len(failed)} job(s) without a result: see their error column below.")

kpi = str(st.selectbox("KPI", kpis, index=kpis.index(default_column(
    kpis, ("diversion_rate_mean",)) or kpis[0]), key="sweeps:kpi"))
chosen = st.multiselect("against (one or two settings)", parameters,
                        default=parameters[:min(2, len(parameters))], max_selections=2,
                        key="sweeps:params")
if len(chosen) == 1:
    st.altair_chart(alt.Chart(table).mark_line(point=True).encode(
        x=f"{chosen[0]}:Q", y=f"{kpi}:Q", tooltip=[*parameters, kpi]))
elif len(chosen) == 2:
    st.altair_chart(alt.Chart(table).mark_rect().encode(
        x=f"{chosen[0]}:O", y=f"{chosen[1]}:O", color=f"{kpi}:Q",
        tooltip=[*parameters, kpi]).properties(height=320))

st.subheader("Pareto front: cost against diversion")
cost = str(st.selectbox("cost", kpis, index=kpis.index(default_column(
    kpis, ("cost_per_transaction_mean", "cost_total_mean", "spend.total")) or kpis[0]),
    key="sweeps:cost"))
value = str(st.selectbox("diversion", kpis, index=kpis.index(default_column(
    kpis, ("diversion_rate_mean", "diversion_simulated_mean", "diversion_predicted")) or kpis[0]),
    key="sweeps:value"))
front = pareto_front(table, cost, value)
cloud = alt.Chart(table).mark_point(opacity=0.5).encode(
    x=f"{cost}:Q", y=f"{value}:Q", tooltip=[*parameters, cost, value])
line = alt.Chart(front).mark_line(point=True, color="firebrick").encode(
    x=f"{cost}:Q", y=f"{value}:Q", tooltip=[*parameters, cost, value])
st.altair_chart(cloud + line)
st.dataframe(front[[*parameters, cost, value]], hide_index=True, key="sweeps:front")
st.dataframe(table, hide_index=True, key="sweeps:table")
