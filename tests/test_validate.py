"""sim.validate: each class of bad value is refused with a ScenarioError naming the exact
config path and the offending value; a good minimal scenario passes."""

from __future__ import annotations

import pytest

from sim.scenario import (
    Arrivals,
    Channel,
    ChannelKind,
    Distribution,
    DistributionKind,
    LobbyGuide,
    RunSettings,
    Scenario,
    Segment,
    TransactionType,
)
from sim.validate import ScenarioError, validate_run, validate_scenario


def good() -> Scenario:
    """A small valid scenario with one channel of each kind, built fresh for each test."""
    return Scenario(
        name="small",
        channels={
            "counter": Channel(kind=ChannelKind.counter, branch="main", servers=2),
            "kiosk": Channel(kind=ChannelKind.kiosk, branch="main", servers=1),
            "hotline": Channel(kind=ChannelKind.hotline, servers=3),
            "web": Channel(kind=ChannelKind.online),
        },
        transactions={
            "pay": TransactionType(
                service={
                    "counter": Distribution(kind=DistributionKind.exponential, mean_minutes=5.0),
                    "kiosk": Distribution(kind=DistributionKind.lognormal, mean_minutes=3.0, cv=0.5),
                    "web": Distribution(kind=DistributionKind.gamma, rate_per_minute=0.5, cv=0.8),
                },
                success={"kiosk": 0.9},
            ),
            "ask": TransactionType(
                service={"hotline": Distribution(kind=DistributionKind.empirical,
                                                 samples_minutes=[2.0, 4.0, 9.0])},
            ),
        },
        segments={
            "walk_in": Segment(
                arrivals=Arrivals(rate_per_minute=[0.5, 1.0], slot_minutes=60.0),
                mix={"pay": 0.7, "ask": 0.3},
                preference={"counter": 0.5, "kiosk": -0.2},
            ),
        },
        lobby_guides={"g": LobbyGuide(branch="main", kiosk="kiosk")},
    )


def refused(scenario: Scenario) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        validate_scenario(scenario)
    return info.value


def test_a_good_minimal_scenario_and_run_settings_pass() -> None:
    validate_scenario(good())
    validate_run(RunSettings(horizon_minutes=600.0, warmup_minutes=60.0))


def test_a_scenario_error_is_a_value_error_printed_as_path_equals_value_colon_reason() -> None:
    err = ScenarioError("scenario.channels.counter.servers", -1, "must be >= 0")
    assert isinstance(err, ValueError)
    assert str(err) == "scenario.channels.counter.servers=-1: must be >= 0"


def test_a_distribution_with_both_mean_and_rate_is_refused() -> None:
    s = good()
    s.transactions["pay"].service["counter"] = Distribution(mean_minutes=5.0, rate_per_minute=0.2)
    err = refused(s)
    assert err.path == "scenario.transactions.pay.service.counter"
    assert err.value == ["mean_minutes", "rate_per_minute"]
    assert str(err) == ("scenario.transactions.pay.service.counter=['mean_minutes', 'rate_per_minute']: "
                        "give exactly one of mean_minutes or rate_per_minute")


def test_a_distribution_with_neither_mean_nor_rate_is_refused() -> None:
    s = good()
    s.segments["walk_in"].patience = Distribution(kind=DistributionKind.exponential)
    err = refused(s)
    assert str(err) == ("scenario.segments.walk_in.patience=[]: "
                        "give exactly one of mean_minutes or rate_per_minute")


def test_an_empirical_distribution_without_samples_is_refused() -> None:
    s = good()
    s.transactions["ask"].service["hotline"] = Distribution(kind=DistributionKind.empirical)
    err = refused(s)
    assert err.path == "scenario.transactions.ask.service.hotline.samples_minutes"
    assert str(err) == "scenario.transactions.ask.service.hotline.samples_minutes=[]: empirical needs samples"


def test_a_negative_cv_for_a_lognormal_is_refused() -> None:
    s = good()
    s.transactions["pay"].service["kiosk"].cv = -0.5
    err = refused(s)
    assert (err.path, err.value) == ("scenario.transactions.pay.service.kiosk.cv", -0.5)
    assert str(err) == "scenario.transactions.pay.service.kiosk.cv=-0.5: must be a finite number > 0"


def test_a_mix_that_does_not_sum_to_one_is_refused() -> None:
    s = good()
    s.segments["walk_in"].mix = {"pay": 0.6, "ask": 0.3}
    err = refused(s)
    assert (err.path, err.value) == ("scenario.segments.walk_in.mix", 0.9)
    assert str(err) == "scenario.segments.walk_in.mix=0.9: shares must sum to 1"


def test_a_mix_off_by_less_than_the_tolerance_passes() -> None:
    s = good()
    s.segments["walk_in"].mix = {"pay": 0.1 + 0.2, "ask": 0.7}  # 1.0000000000000002
    validate_scenario(s)


def test_an_unknown_channel_in_a_preference_is_refused() -> None:
    s = good()
    s.segments["walk_in"].preference["branch_office"] = 1.0
    err = refused(s)
    assert (err.path, err.value) == ("scenario.segments.walk_in.preference", "branch_office")
    assert str(err) == "scenario.segments.walk_in.preference='branch_office': not a channel of the scenario"


def test_a_success_for_a_channel_that_cannot_carry_the_type_is_refused() -> None:
    s = good()
    s.transactions["ask"].success["web"] = 0.8  # web exists but does not carry "ask"
    err = refused(s)
    assert (err.path, err.value) == ("scenario.transactions.ask.success", "web")
    assert str(err) == ("scenario.transactions.ask.success='web': "
                        "success given for a channel that cannot carry this type")


def test_a_lobby_guide_pointing_at_a_channel_that_is_not_a_kiosk_is_refused() -> None:
    s = good()
    s.lobby_guides["g"].kiosk = "counter"
    err = refused(s)
    assert (err.path, err.value) == ("scenario.lobby_guides.g.kiosk", "counter")
    assert str(err) == "scenario.lobby_guides.g.kiosk='counter': not a kiosk channel of the scenario"


def test_a_lobby_guide_pointing_at_a_missing_channel_is_refused() -> None:
    s = good()
    s.lobby_guides["g"].kiosk = "atm"
    assert str(refused(s)) == "scenario.lobby_guides.g.kiosk='atm': not a kiosk channel of the scenario"


def test_an_ivr_on_a_counter_is_refused_naming_the_field() -> None:
    s = good()
    ivr = Distribution(mean_minutes=1.0)
    s.channels["counter"].ivr = ivr
    err = refused(s)
    assert err.path == "scenario.channels.counter.ivr"
    assert err.value is ivr
    assert str(err) == (f"scenario.channels.counter.ivr={ivr!r}: "
                        "only a hotline channel reads this, not a counter")


@pytest.mark.parametrize("channel, field, value, owner", [
    ("counter", "mtbf_minutes", 300.0, "kiosk"),
    ("hotline", "concurrency_cap", 5, "online"),
    ("kiosk", "deflect_to", ["web"], "hotline"),
    ("web", "ivr_completion", {"pay": 0.2}, "hotline"),
])
def test_a_kind_specific_field_on_another_kind_is_refused(channel: str, field: str, value: object,
                                                          owner: str) -> None:
    s = good()
    setattr(s.channels[channel], field, value)
    err = refused(s)
    kind = s.channels[channel].kind.value
    assert (err.path, err.value) == (f"scenario.channels.{channel}.{field}", value)
    article = {"kiosk": "a", "online": "an", "hotline": "a", "counter": "a"}
    assert str(err) == (f"scenario.channels.{channel}.{field}={value!r}: "
                        f"only {article[owner]} {owner} channel reads this, "
                        f"not {article[kind]} {kind}")


def test_a_schedule_with_a_negative_entry_is_refused_naming_its_index() -> None:
    s = good()
    s.channels["counter"].schedule = [2, 3, -1, 2]
    err = refused(s)
    assert (err.path, err.value) == ("scenario.channels.counter.schedule[2]", -1)
    assert str(err) == "scenario.channels.counter.schedule[2]=-1: servers per slot must be >= 0"


@pytest.mark.parametrize("warmup", [600.0, 700.0])
def test_a_warm_up_not_shorter_than_the_horizon_is_refused(warmup: float) -> None:
    with pytest.raises(ScenarioError) as info:
        validate_run(RunSettings(horizon_minutes=600.0, warmup_minutes=warmup))
    err = info.value
    assert (err.path, err.value) == ("run.warmup_minutes", warmup)
    assert str(err) == (f"run.warmup_minutes={warmup!r}: "
                        "warm-up must be shorter than the horizon (600.0 minutes)")


def test_a_warm_up_just_below_the_horizon_passes() -> None:
    validate_run(RunSettings(horizon_minutes=600.0, warmup_minutes=599.0))


def test_the_prefix_is_part_of_every_path() -> None:
    s = good()
    s.channels["counter"].schedule = [-3]
    with pytest.raises(ScenarioError) as info:
        validate_scenario(s, prefix="sweep.base")
    assert info.value.path == "sweep.base.channels.counter.schedule[0]"


def test_servers_beside_a_schedule_are_refused_as_they_would_go_unused() -> None:
    s = good()
    s.channels["counter"].schedule = [2, 3]
    err = refused(s)
    assert (err.path, err.value) == ("scenario.channels.counter.servers", 2)
    assert "scenario.channels.counter.schedule=[]" in str(err)
    s.channels["counter"].servers = 1  # the default: the schedule alone says how many
    validate_scenario(s)
