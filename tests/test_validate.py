"""sim.validate: each class of bad value is refused with a ScenarioError naming the exact
config path and the offending value; a good minimal scenario passes."""

from __future__ import annotations

import math

import pytest

from sim.scenario import (
    Arrivals,
    Campaign,
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
from sim.validate import (
    MAX_ARRIVALS_PER_REPLICATION,
    MAX_HORIZON_MINUTES,
    ScenarioError,
    day_minutes,
    expected_arrivals,
    require_finite,
    validate_run,
    validate_scenario,
    validate_size,
)


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
    s.channels["counter"].servers = None  # the default: the schedule alone says how many
    validate_scenario(s)


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_a_non_finite_effort_is_refused_naming_its_path(value: float) -> None:
    s = good()
    s.channels["web"].effort = value
    err = refused(s)
    assert err.path == "scenario.channels.web.effort"
    assert str(err) == f"scenario.channels.web.effort={value!r}: must be a finite number"


def test_the_finiteness_walk_reaches_dict_values_list_items_and_optional_fields() -> None:
    s = good()
    s.segments["walk_in"].preference["kiosk"] = math.nan
    assert refused(s).path == "scenario.segments.walk_in.preference.kiosk"
    s = good()
    s.transactions["ask"].service["hotline"].samples_minutes[1] = math.inf
    assert refused(s).path == "scenario.transactions.ask.service.hotline.samples_minutes[1]"
    s = good()
    s.campaigns["sms"] = Campaign(channels=["web"], min_score=-math.inf)
    assert refused(s).path == "scenario.campaigns.sms.min_score"


def test_the_finiteness_walk_leaves_ints_bools_strings_and_none_alone() -> None:
    require_finite({"a": [1, True, "nan", None, 2.5]}, "x")


def test_a_nan_horizon_is_refused_before_any_range_check_lets_it_through() -> None:
    with pytest.raises(ScenarioError) as info:
        validate_run(RunSettings(horizon_minutes=math.nan))
    assert str(info.value) == "run.horizon_minutes=nan: must be a finite number"


@pytest.mark.parametrize("hour", [-1, 24, 25])
def test_an_opening_hour_off_the_clock_is_refused(hour: int) -> None:
    s = good()
    s.open_hour = hour
    assert str(refused(s)) == f"scenario.open_hour={hour}: a clock hour lies in 0..23"


def test_the_day_is_the_span_of_the_arrival_profiles_or_24_hours_for_constant_rates() -> None:
    assert day_minutes(good()) == 120.0  # two 60-minute slots
    s = good()
    s.segments["walk_in"].arrivals = Arrivals(rate_per_minute=[0.5])
    assert day_minutes(s) == 24 * 60


def test_arrival_profiles_of_different_days_are_refused() -> None:
    s = good()
    s.segments["late"] = Segment(arrivals=Arrivals(daily_volume=100, hourly_shape=[1, 1, 1]),
                                 mix={"pay": 1.0})
    err = refused(s)
    assert (err.path, err.value) == ("scenario.segments.late.arrivals.hourly_shape",
                                     "3 slots of 60 minutes")


@pytest.mark.parametrize("schedule", [[2], [2, 3, 3], [2, 3, 3, 2]])
def test_a_schedule_that_is_not_one_value_per_slot_of_the_day_is_refused(
        schedule: list[float]) -> None:
    s = good()  # a 120-minute day: two 60-minute slots
    s.channels["counter"].servers = None
    s.channels["counter"].schedule = schedule
    err = refused(s)
    assert err.path == "scenario.channels.counter.schedule"
    assert str(err).endswith("a schedule gives one value per slot of the scenario's day: "
                             f"2 slots of 60 minutes (120 minutes), not {len(schedule)}")


def test_a_schedule_of_finer_slots_covering_the_day_passes() -> None:
    s = good()
    s.channels["counter"].servers = None
    s.channels["counter"].schedule = [1, 2, 2, 3]
    s.channels["counter"].schedule_slot_minutes = 30.0
    validate_scenario(s)


def test_expected_arrivals_integrate_the_repeating_profile_over_the_horizon() -> None:
    arrivals = Arrivals(rate_per_minute=[0.5, 1.0], slot_minutes=60.0)  # 90 a 120-minute day
    assert expected_arrivals(arrivals, 120.0) == pytest.approx(90.0)
    # two days and a half slot: 2 x 90 + 30 x 0.5
    assert expected_arrivals(arrivals, 270.0) == pytest.approx(195.0)
    assert expected_arrivals(Arrivals(daily_volume=600, hourly_shape=[1, 2]), 60.0) == \
        pytest.approx(200.0)


def test_a_run_past_the_arrivals_limit_is_refused_naming_the_largest_segment() -> None:
    s = good()  # 90 arrivals per 120 minutes
    days = MAX_ARRIVALS_PER_REPLICATION // 90 + 1
    with pytest.raises(ScenarioError) as info:
        validate_size(s, RunSettings(horizon_minutes=120.0 * days))
    assert info.value.path == "scenario.segments.walk_in.arrivals"
    assert info.value.value == 90 * days
    validate_size(s, RunSettings(horizon_minutes=120.0 * (days - 2)))


def test_a_horizon_past_ten_years_is_refused() -> None:
    with pytest.raises(ScenarioError) as info:
        validate_run(RunSettings(horizon_minutes=MAX_HORIZON_MINUTES + 1))
    assert info.value.path == "run.horizon_minutes"
    validate_run(RunSettings(horizon_minutes=MAX_HORIZON_MINUTES))


def test_a_lobby_guide_starting_before_opening_is_refused() -> None:
    s = good()
    s.lobby_guides["g"].start_minute = -5.0
    assert str(refused(s)) == "scenario.lobby_guides.g.start_minute=-5.0: must be a finite number >= 0"


def test_a_second_lobby_guide_in_one_branch_is_refused() -> None:
    s = good()
    s.lobby_guides["second"] = LobbyGuide(branch="main", kiosk="kiosk")
    err = refused(s)
    assert (err.path, err.value) == ("scenario.lobby_guides.second.branch", "main")


def test_a_lobby_guide_sending_customers_to_another_branchs_kiosk_is_refused() -> None:
    s = good()
    s.channels["kiosk"].branch = "north"
    s.channels["counter"].branch = "main"
    err = refused(s)
    assert (err.path, err.value) == ("scenario.lobby_guides.g.kiosk", "kiosk")
