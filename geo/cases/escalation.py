"""Escalation (升级): a stage that runs overdue goes up a level — from the community (社区) to the sub-district
(街道) at once, and to the district's command (指挥部) after `cases.escalation.every` more working time.
Derived from the clock, never stored."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from geo.cases.calendar import WorkCalendar, parse_duration
from geo.cases.deadlines import instant, stage_overdue
from geo.cases.model import CampaignKey
from geo.config import Campaign

LEVELS = ("community", "street", "district")


def district_at(due: datetime, campaign: Campaign) -> datetime:
    """When a stage due at `due`, still open, reaches the district's command: `cases.escalation.every` of working
    time after its due. Worked out once per due (most cases fall due at the end of a few hundred days)."""
    return _district_at(CampaignKey(campaign), due)


@lru_cache(maxsize=65536)
def _district_at(same: CampaignKey, due: datetime) -> datetime:
    campaign = same.ref()
    calendar = WorkCalendar.of(campaign)
    every = campaign.cases.escalation_every
    amount, unit = parse_duration(every)
    if unit == "d" and amount == int(amount):
        return calendar.add_working(due, every)
    return calendar.add_seconds(due, amount * (calendar.day_seconds if unit == "d" else 3600))


def escalation(case: dict, campaign: Campaign, now: datetime) -> dict:
    """{"level": "community"|"street"|"district", "escalated": bool} of the case at `now`."""
    if not stage_overdue(case, now):
        return {"level": "community", "escalated": False}
    to_district = district_at(instant(case["stage_due"]), campaign)
    return {"level": "district" if now >= to_district else "street", "escalated": True}
