"""When a case's stage is due, and whether it is overdue: stage limits (`cases.limits`) scaled by the case's
urgency and counted in working time (geo/cases/calendar.py), the overnight rule (问题不过夜) for cases an
inspection found, and working hours past due. Derived from the clock, never stored, like 逾期."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from geo.cases.calendar import WorkCalendar, scaled
from geo.config import Campaign

OPEN_STAGES = ("filed", "handling", "verifying")


def iso(dt: datetime) -> str:
    """An instant as the case record writes it: UTC, to the second, with a Z."""
    return dt.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"  # strftime is slower


def instant(text: str | None) -> datetime | None:
    """An instant of the case record (None stays None)."""
    return datetime.fromisoformat(text) if text else None  # a Z reads as UTC


def stage_due(campaign: Campaign, stage: str, start: datetime, urgency: str | None = None) -> datetime:
    """When a stage entered at `start` is due: its limit × the urgency's factor, in working time."""
    try:
        factor = campaign.cases.urgency(urgency).factor
    except KeyError:
        factor = 1.0
    return WorkCalendar.of(campaign).add_working(start, scaled(campaign.cases.limits[stage], factor))


def overnight_due(campaign: Campaign, found: date) -> datetime:
    """The next morning's cut-off after the day a problem was found (问题不过夜): an inspection's case is due then."""
    return datetime.combine(found + timedelta(days=1), campaign.overnight_cutoff, tzinfo=campaign.timezone)


def stage_overdue(case: dict, now: datetime) -> bool:
    """The case's stage has a due time and it has passed (closed and suspended cases are never overdue)."""
    due = instant(case.get("stage_due"))
    return case.get("stage") in OPEN_STAGES and due is not None and now > due


def overdue_hours(case: dict, now: datetime, campaign: Campaign | None = None) -> float | None:
    """Hours past due — working hours when the campaign is given — rounded to a tenth; None when not overdue."""
    if not stage_overdue(case, now):
        return None
    due = instant(case["stage_due"])
    if campaign is None:
        seconds = (now - due).total_seconds()
    else:
        seconds = WorkCalendar.of(campaign).working_seconds(due, now)
    return round(seconds / 3600, 1)


def due_local(case: dict, campaign: Campaign) -> str | None:
    """The stage's due time as people read it: "YYYY-MM-DD HH:MM" in the campaign's time zone."""
    due = instant(case.get("stage_due"))
    return due.astimezone(campaign.timezone).strftime("%Y-%m-%d %H:%M") if due else None


def parse_due(value: str, campaign: Campaign) -> datetime:
    """A deadline given by a person: a day (YYYY-MM-DD: the end of that working day) or an instant with a zone.
    ValueError for anything else."""
    if len(value) == 10:
        return WorkCalendar.of(campaign).day_end(date.fromisoformat(value))
    when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if when.tzinfo is None:
        raise ValueError(value)
    return when.astimezone(UTC)
