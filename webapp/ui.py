"""Streamlit pieces the pages share: the scenario picker, a job's progress with its
cancel button, and an engine error shown as its one line."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Optional

import streamlit as st

import sim
from sim.scenario import Scenario
from webapp.jobs import BOARD, Job, Progress
from webapp.studies import FITTED_DIR
from webapp.whatif import shipped_scenarios

POLL_SECONDS = 0.2


def saved_scenarios() -> list[Path]:
    """Scenarios the Data page saved (``outputs/app/fitted/*.yaml``, from where the app
    was started)."""
    return sorted(FITTED_DIR.glob("*.yaml"))


def pick_scenario(key: str, default: Optional[str] = None) -> Optional[str]:
    """A scenario source: a shipped one, one the Data page saved, or a YAML file by path
    (a fitted run folder's ``scenario/fitted.yaml``).  Returns what ``sim.load_scenario``
    takes, or None until a path is typed."""
    kinds = ["shipped", "saved by the Data page", "YAML file"]
    saved = saved_scenarios()
    chosen = st.radio("Scenario", kinds, horizontal=True, key=f"{key}:kind",
                      index=0 if default is None or "/" not in default else 2)
    if chosen == "shipped":
        names = shipped_scenarios()
        index = names.index(default) if default in names else names.index("bank_branch")
        return str(st.selectbox("Shipped scenario", names, index=index, key=f"{key}:shipped"))
    if chosen == "saved by the Data page":
        if not saved:
            st.info("No scenario saved yet: fit one on the Data page.")
            return None
        return str(st.selectbox("Saved scenario", saved, format_func=lambda p: p.stem,
                                key=f"{key}:saved"))
    path = st.text_input("YAML file (e.g. outputs/fit/scenario/fitted.yaml)",
                         value=default if default and "/" in default else "", key=f"{key}:path")
    return path.strip() or None


def chosen_scenario(key: str, default: Optional[str] = None) -> tuple[str, Scenario]:
    """``pick_scenario``'s source and its loaded scenario; the page stops there (with the
    engine's one line for a bad file) until there is one."""
    from sim.validate import ScenarioError

    source = pick_scenario(key, default)
    if source is None:
        st.stop()
    assert source is not None
    try:
        return source, sim.load_scenario(source)
    except ScenarioError as error:
        st.error(one_line(error))
        st.stop()
    raise AssertionError("st.stop() does not return")


def one_line(error: BaseException) -> str:
    """An error as the command line prints it: the engine's line, else its type and text."""
    from sim.validate import UserError

    return str(error) if isinstance(error, UserError) else f"{type(error).__name__}: {error}"


def follow(job: Job, label: str) -> None:
    """Show a running job's progress and a Cancel button until it ends (the page's script
    waits here; a click on Cancel reruns the page, which cancels the job)."""
    slot = st.empty()
    with slot.container():
        if st.button("Cancel", key=f"cancel:{job.key}"):
            job.cancel()
        bar = st.progress(job.progress.fraction, text=label)
    while not job.wait(POLL_SECONDS):
        p = job.progress
        bar.progress(p.fraction, text=f"{label}: {p.message} {p.done}/{p.total}")
    slot.empty()


def run_job(key: str, work: Callable[[Progress], Any], start: bool, label: str) -> Optional[Job]:
    """The job of ``key``: started when ``start`` (the Run button), followed while it
    runs; returns it once it has ended (or None if it was never asked for)."""
    job = BOARD.submit(key, work) if start else BOARD.get(key)
    if job is None:
        return None
    if job.state == "running":
        follow(job, label)
    if job.state == "cancelled":
        st.warning("Cancelled.")
    elif job.state == "failed":
        st.error(one_line(job.future.exception() or RuntimeError("failed")))
    return job
