"""Networks (sim.network, sim.network_results): branches from templates expanded into
channels and segments, results by branch and region, and what a network must keep."""

from __future__ import annotations

import copy
import json
import math
from pathlib import Path

import pytest

import sim
import sim.arrivals
import sim.paths
from sim.network import branch_channel, branch_segment, expand_network
from sim.network_results import flows_by_template, shares_by_template
from sim.results import channels_table, flows_table, summary
from sim.scenario import SELF_SERVICE_KINDS, Branch, LobbyGuide, Scenario

SHARED_PARTS = ("replications", "seed", "horizon_minutes", "warmup_minutes", "confidence",
                "kpis", "channels", "segments")


def renamed_bank_branch() -> Scenario:
    """bank_branch written by hand as the single site a one-branch network 'main' is: its
    channels and segments under the network's names, the guide working all day."""
    site = sim.load_scenario("bank_branch")
    flat = copy.deepcopy(site)
    flat.channels = {}
    for name, ch in site.channels.items():
        new = name if ch.branch == "" else branch_channel("main", name)
        flat.channels[new] = ch
    flat.channels["main/teller"].priority_segments = ["premier/main"]
    flat.segments = {}
    for name, seg in site.segments.items():
        seg.preference = {("main/" + c if c in ("teller", "kiosk") else c): v
                          for c, v in seg.preference.items()}
        flat.segments[branch_segment(name, "main")] = seg
    for tt in flat.transactions.values():
        tt.service = {("main/" + c if c in ("teller", "kiosk") else c): d
                      for c, d in tt.service.items()}
        tt.success = {("main/" + c if c in ("teller", "kiosk") else c): p
                      for c, p in tt.success.items()}
    flat.lobby_guides = {"guide/main": LobbyGuide(branch="main", kiosk="main/kiosk", guides=1,
                                                 minutes_per_guidance=1.5, start_minute=0.0,
                                                 end_minute=600.0)}
    for campaign in flat.campaigns.values():
        campaign.channels = [("main/" + c if c in ("teller", "kiosk") else c)
                             for c in campaign.channels]
        campaign.segments = [branch_segment(s, "main") for s in campaign.segments]
        campaign.responsiveness = {branch_segment(s, "main"): f
                                   for s, f in campaign.responsiveness.items()}
    flat.adoption.transactions_per_month = {}
    return flat


def main_only() -> Scenario:
    """bank_network cut to one branch 'main' carrying bank_branch's day: the same tellers,
    kiosks and guide, and the segments' whole volume."""
    unexpanded = compose_unexpanded(sim.paths.conf_dir() / "scenario" / "bank_network.yaml")
    volume = sum(sim.arrivals.expected_arrivals(s.arrivals, 600.0)
                 for s in unexpanded.segments.values())
    unexpanded.branches = {"main": Branch(region="city", template="branch", daily_volume=volume,
                                          tellers=[4, 5, 5, 5, 4, 4, 5, 5, 5, 4], kiosks=3,
                                          guides=1)}
    return expand_network(unexpanded)


def compose_unexpanded(path: Path) -> Scenario:
    """A scenario file as its dataclass, before its network is expanded."""
    from omegaconf import DictConfig, OmegaConf

    data = OmegaConf.load(path)
    assert isinstance(data, DictConfig)
    data.pop("defaults")
    merged = OmegaConf.merge(OmegaConf.structured(Scenario), data)
    scenario = OmegaConf.to_object(merged)
    assert isinstance(scenario, Scenario)
    return scenario


def shared(result: sim.SimulationResult) -> str:
    data = summary(result.experiment)
    return json.dumps({k: data[k] for k in SHARED_PARTS}, sort_keys=True)


def test_a_network_of_one_branch_is_the_single_site_byte_for_byte() -> None:
    network = main_only()
    site = renamed_bank_branch()
    assert set(network.channels) == set(site.channels)
    a = sim.simulate(network, replications=3, seed=5, plots=False)
    b = sim.simulate(site, replications=3, seed=5, plots=False)
    assert shared(a) == shared(b)


@pytest.fixture(scope="module")
def network_run() -> sim.SimulationResult:
    return sim.simulate(sim.load_scenario("bank_network"), replications=4, seed=3, plots=False)


def test_branches_add_up_to_the_network(network_run: sim.SimulationResult) -> None:
    """Counts exactly, replication by replication: the branches' completed and lost
    journeys are the network's, which are the overall KPIs."""
    result = network_run.experiment
    from sim.network_results import _kpis, _sums

    for rep in result.replications:
        per_branch = [_kpis(_sums(result.scenario, rep, [b])) for b in result.scenario.branches]
        assert sum(k["completed"] for k in per_branch) == rep.kpis["completed"]
        assert sum(k["lost"] for k in per_branch) == rep.kpis["lost"]
    total = summary(result)["network"]["total"]
    assert total["completed"]["mean"] == pytest.approx(summary(result)["kpis"]["completed"]["mean"])
    branches = network_run.tables()["branches"]
    assert set(branches["branch"]) == {"central", "riverside", "hilltop"}
    assert set(summary(result)["network"]["regions"]) == {"city", "town", "rural"}


def test_a_branch_that_shares_nothing_with_another_is_untouched_by_its_kiosks() -> None:
    """Two branches and no shared channel: a kiosk more at one leaves the other's journeys
    and channels identical to the bit (its customers draw from their own streams)."""
    base = compose_unexpanded(sim.paths.conf_dir() / "scenario" / "bank_network.yaml")
    base.channels = {}
    for tt in base.transactions.values():
        tt.service.pop("online_banking", None)
        tt.success.pop("online_banking", None)
    for seg in base.segments.values():
        seg.preference.pop("online_banking", None)
    base.campaigns = {}
    del base.branches["hilltop"]
    for branch in base.branches.values():
        branch.neighbours = []  # nothing shared: not even a fallback
    more = copy.deepcopy(base)
    more.branches["riverside"].kiosks = 3
    a = sim.simulate(expand_network(base), replications=3, seed=9, plots=False).experiment
    b = sim.simulate(expand_network(more), replications=3, seed=9, plots=False).experiment
    for ra, rb in zip(a.replications, b.replications):
        for name in ("central/teller", "central/kiosk"):  # volume_share: of the network's
            own = {k: v for k, v in ra.channels[name].items() if k != "volume_share"}
            assert own == {k: v for k, v in rb.channels[name].items() if k != "volume_share"}
        for mine in ("retail/central", "elderly/central", "premier/central", "digital/central"):
            assert ra.segments[mine] == rb.segments[mine]
        assert ra.channels["riverside/kiosk"] != rb.channels["riverside/kiosk"]


def test_more_kiosks_at_a_branch_do_not_lengthen_its_teller_waits_beyond_noise() -> None:
    from sim.experiment import estimate

    def waits(kiosks: int) -> list[float]:
        raw = compose_unexpanded(sim.paths.conf_dir() / "scenario" / "bank_network.yaml")
        raw.branches["riverside"].kiosks = kiosks
        scenario = expand_network(raw)
        result = sim.simulate(scenario, replications=20, seed=4, plots=False).experiment
        return [r.channels["riverside/teller"]["wait_mean"] for r in result.replications]

    paired = estimate(four - one for one, four in zip(waits(1), waits(4)))  # same seeds
    mean, low, high = paired.mean, paired.ci_low, paired.ci_high
    assert low <= 0.0, (mean, low, high)  # not raised beyond noise
    assert mean < 0  # and here, shorter


def test_two_workers_give_a_networks_files_byte_for_byte(tmp_path: Path) -> None:
    scenario = sim.load_scenario("bank_network")
    one = sim.simulate(scenario, replications=4, plots=False).write(tmp_path / "one")
    two = sim.simulate(scenario, replications=4, plots=False, workers=2).write(tmp_path / "two")
    for name in ("summary.json", "branches.csv", "channels.csv", "replications.csv"):
        assert (one / name).read_bytes() == (two / name).read_bytes(), name


@pytest.mark.parametrize("row, message", [
    ("x,north,nowhere,100,2,1,0,8,18", "scenario.branches.x.template='nowhere': not a template"),
    ("x,north,branch,-5,2,1,0,8,18", "scenario.branches.x.daily_volume=-5.0"),
    ("x,north,branch,100,2,1,0,8,20", "scenario.branches.x.close_hour=20"),
    ("x,north,branch,abc,2,1,0,8,18", "row 2: daily_volume='abc': not a number"),
    ("x,north,branch,100,2;3,1,0,8,18", "scenario.branches.x.tellers=[2.0, 3.0]"),
])
def test_a_bad_branch_row_is_one_line_naming_the_row_or_the_branch(
        tmp_path: Path, row: str, message: str) -> None:
    table = tmp_path / "branches.csv"
    table.write_text("branch,region,template,daily_volume,tellers,kiosks,guides,open_hour,"
                     f"close_hour\n{row}\n")
    path = sim.paths.conf_dir() / "scenario" / "bank_network.yaml"
    with pytest.raises(sim.ScenarioError) as error:
        sim.load_scenario(path, [f"branch_table={table}", "branches={}"])
    assert message in str(error.value)


def test_a_duplicate_branch_in_a_table_is_refused_naming_its_row(tmp_path: Path) -> None:
    table = tmp_path / "branches.csv"
    table.write_text("branch,template,daily_volume\na,branch,10\na,branch,20\n")
    path = sim.paths.conf_dir() / "scenario" / "bank_network.yaml"
    with pytest.raises(sim.ScenarioError, match="row 3: branch='a': another row has this branch"):
        sim.load_scenario(path, [f"branch_table={table}", "branches={}"])


def test_every_rate_of_a_branch_result_is_a_share(network_run: sim.SimulationResult) -> None:
    branches = network_run.tables()["branches"]
    rates = branches[branches["kpi"].isin(["diversion_rate", "counter_service_level"])]
    assert ((rates["ci_low"] >= 0) & (rates["ci_high"] <= 1)).all()
    assert not math.isnan(rates["mean"].sum())


def test_a_closed_branch_sends_its_customers_to_its_neighbour_and_online_losing_none() -> None:
    """riverside closed (no tellers, no kiosks): its customers are served at central (its
    neighbour) or online; none is lost for want of an open channel, since central can serve
    every transaction."""
    raw = compose_unexpanded(sim.paths.conf_dir() / "scenario" / "bank_network.yaml")
    raw.branches["riverside"].tellers = 0
    raw.branches["riverside"].kiosks = 0
    raw.branches["hilltop"].open_hour = raw.branches["hilltop"].close_hour = None  # all day
    result = sim.simulate(expand_network(raw), replications=3, seed=2, plots=False).experiment
    for rep in result.replications:
        assert rep.kpis["lost_closed"] == 0
        assert rep.channels["riverside/teller"]["served"] == 0
        riverside = [v for name, v in rep.segments.items() if name.endswith("/riverside")]
        completed = sum(v["completed"] for v in riverside)
        at_central = sum(v["served.central/teller"] + v["served.central/kiosk"] for v in riverside)
        online = sum(v["served.online_banking"] for v in riverside)
        assert completed > 0 and at_central + online == completed and at_central > 0


def test_a_shared_channels_priority_segments_are_every_branchs_copies() -> None:
    raw = compose_unexpanded(sim.paths.conf_dir() / "scenario" / "bank_network.yaml")
    raw.channels["online_banking"].priority_segments = ["premier"]
    expanded = expand_network(raw)
    assert expanded.channels["online_banking"].priority_segments == [
        "premier/central", "premier/riverside", "premier/hilltop"]


def test_a_networks_files_rank_its_branches_and_plot_diversion_against_kiosks(
        tmp_path: Path) -> None:
    result = sim.simulate(sim.load_scenario("bank_network"), replications=2, seed=1)
    out = result.write(tmp_path)
    for figure in ("branches.png", "diversion_by_kiosks.png", "wait_by_hour.png"):
        assert (out / figure).stat().st_size > 10_000, figure
    header = (out / "branches.csv").read_text().splitlines()[0]
    assert header == "branch,region,kpi,mean,ci_low,ci_high"


def test_a_branchs_diversion_is_its_customers_self_service_completions_over_all(
        network_run: sim.SimulationResult) -> None:
    """Counted independently of the engine's diversion: in each replication, the branch's
    segments' journeys completed on a kiosk or online (their served.<channel> counts) over
    all they completed; the table's mean is the mean of those ratios."""
    result = network_run.experiment
    scenario = result.scenario
    self_service = [n for n, c in scenario.channels.items() if c.kind in SELF_SERVICE_KINDS]
    table = network_run.tables()["branches"].set_index(["branch", "kpi"])["mean"]
    for branch in scenario.branches:
        ratios = []
        for rep in result.replications:
            mine = [v for name, v in rep.segments.items()
                    if scenario.segments[name].branch == branch]
            done = sum(v["completed"] for v in mine)
            ratios.append(sum(v[f"served.{c}"] for v in mine for c in self_service) / done)
        assert table[(branch, "diversion_rate")] == pytest.approx(sum(ratios) / len(ratios))


def test_a_networks_flow_and_share_figures_sum_its_branch_channels_over_branches(
        network_run: sim.SimulationResult) -> None:
    scenario = network_run.scenario
    flows = flows_table(network_run.experiment)
    grouped = flows_by_template(scenario, flows)
    teller_to_kiosk = sum(r["journeys_mean"] for r in flows
                          if r["first_choice"].endswith("/teller")
                          and r["final_channel"].endswith("/kiosk"))
    row = next(r for r in grouped if (r["first_choice"], r["final_channel"])
               == ("teller (all branches)", "kiosk (all branches)"))
    assert row["journeys_mean"] == pytest.approx(teller_to_kiosk) and teller_to_kiosk > 0
    assert sum(r["journeys_mean"] for r in grouped) == pytest.approx(
        sum(r["journeys_mean"] for r in flows))
    shares = {r["channel"]: r["mean"] for r in shares_by_template(
        scenario, channels_table(network_run.experiment))}
    assert set(shares) == {"teller (all branches)", "kiosk (all branches)", "online_banking"}
    assert sum(shares.values()) == pytest.approx(1.0)
