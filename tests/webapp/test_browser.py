"""The app in a real browser: ``python -m webapp`` as a subprocess, driven by Playwright
on Debian's chromium (``/usr/bin/chromium``; Playwright's own browser download is never
used, as these machines reach no browser store).  Load What if, press Run, wait for the
headline table, and check its numbers against ``sim.simulate`` for the same settings."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import sim
from tests.conftest import ROOT
from tests.webapp.server import CHROMIUM, CHROMIUM_FLAGS, running_app

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason="needs Debian's chromium: apt-get install chromium")


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app served on a free port from an empty folder, until the tests end."""
    with running_app(sys.executable, tmp_path_factory.mktemp("app"), ROOT) as url:
        yield url


def headline_cells(page: object) -> dict[str, list[str]]:
    """The headline table's rows: kpi -> its cells as shown."""
    rows = page.locator("table").filter(has_text="diversion rate").locator("tbody tr")  # type: ignore[attr-defined]
    out = {}
    for i in range(rows.count()):
        cells = [c.strip() for c in rows.nth(i).locator("th, td").all_inner_texts()]
        out[cells[0]] = cells[1:]
    return out


def test_what_if_runs_in_a_browser_and_shows_the_apis_numbers(app_url: str,
                                                              tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(app_url, timeout=120_000)  # What if is the first page, at /
        page.get_by_role("button", name="Run").click(timeout=120_000)
        page.locator("table").filter(has_text="diversion rate").wait_for(timeout=120_000)
        cells = headline_cells(page)
        page.screenshot(path=str(tmp_path / "what_if.png"), full_page=True)
        browser.close()
    result = sim.simulate(sim.load_scenario("bank_branch"), replications=10, seed=42, plots=False)
    diversion = result.summary()["kpis"]["diversion_rate"]["mean"]
    wait = result.summary()["channels"]["teller"]["wait_mean"]["mean"]
    assert cells["diversion rate"][0] == f"{diversion:.4g}"
    assert cells["teller: mean wait (min)"][0] == f"{wait:.4g}"
    assert cells["diversion rate"][2] == "0"  # nothing moved: the what-if is the baseline
    assert (tmp_path / "what_if.png").stat().st_size > 20_000
