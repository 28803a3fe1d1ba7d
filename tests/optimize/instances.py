"""Small planning instances built by hand, for tests that solve them and check by brute force."""

from __future__ import annotations

from optimize.curves import Breakpoints
from optimize.data import CampaignSegment, PlanningData, SegmentData, StaffedSlot, staffing_levels
from sim.scenario import ChannelKind

SEGMENTS = {
    # completed a day, diversion today, staffed share, cap, arrivals per minute by slot
    "young": SegmentData(100.0, 0.30, 0.70, 0.60, [1.0, 1.6]),
    "old": SegmentData(60.0, 0.20, 0.80, 0.45, [0.6, 0.9]),
}
CURVES = {
    "sms": Breakpoints((0.0, 1.0, 2.0, 4.0), (0.0, 0.05, 0.08, 0.10)),
    "guide": Breakpoints((0.0, 2.0, 3.0), (0.0, 0.06, 0.08)),
}
COSTS = {"sms": 10.0, "guide": 15.0}
MIN_UNITS = {"sms": 0.0, "guide": 2.0}  # the guide campaign is all or nothing below 2 units
EFFECT = {("sms", "young"): 0.9, ("sms", "old"): 0.6, ("guide", "young"): 0.8,
          ("guide", "old"): 0.95}
MEAN_SERVICE = 2.0
TARGET_WAIT, TARGET_SHARE = 0.5, 0.8
STAFF_COST = 30.0


def small_instance(base_staff: tuple[int, int] = (4, 5)) -> PlanningData:
    """2 segments x 2 campaigns x 3-4 breakpoints x 2 slots of one counter, integer units."""
    campaigns = [
        CampaignSegment(campaign=k, segment=s, unit_cost=COSTS[k], min_units=MIN_UNITS[k],
                        max_units=CURVES[k].units[-1], integer_units=True, curve=CURVES[k],
                        success=EFFECT[(k, s)], effect=EFFECT[(k, s)], channel_weights={})
        for k in CURVES for s in SEGMENTS]
    staffed = []
    for h in range(2):
        rates = {s: seg.rates_per_minute[h] * seg.staffed_share for s, seg in SEGMENTS.items()}
        slot = StaffedSlot(
            channel="counter", kind=ChannelKind.counter, slot=h, base_rate=sum(rates.values()),
            rate_drop={s: seg.rates_per_minute[h] for s, seg in SEGMENTS.items()},
            mean_service_minutes=MEAN_SERVICE, patience_rate=0.0, target_wait_minutes=TARGET_WAIT,
            target_share=TARGET_SHARE, base_staff=base_staff[h], staff_cost=STAFF_COST)
        low = slot.base_rate - sum(slot.rate_drop[s] * (seg.max_diversion - seg.base_diversion)
                                   for s, seg in SEGMENTS.items())
        slot.levels = staffing_levels(slot, max(0.0, low))
        staffed.append(slot)
    return PlanningData(n_slots=2, segments=dict(SEGMENTS), campaigns=campaigns, staffed=staffed,
                        capacity=[], kiosks={}, online_caps={}, max_utilisation=0.8)
