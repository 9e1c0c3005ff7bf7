"""Working time (工作日): which days are worked, which hours of them, and adding working time to an instant.

The calendar is configured (`cases.calendar` in campaign.json): the ISO weekdays that are worked, the working
hours (day_start–day_end), the public holidays that fall on a weekday, and China's adjusted working weekends
(调休上班) — all of them dates in the campaign file, never rules written here. Everything is computed in the
campaign's time zone and handed back as aware datetimes.

Durations are written "4h" (working hours: only the time inside day_start–day_end of working days counts) or
"3d" (the end of the 3rd working day after the start's day). A fraction of a day ("1.5d", from an urgency factor)
counts as working hours: 1.5 × the length of a working day.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from geo.config import Campaign, CaseCalendar

DURATION = re.compile(r"^(\d+(?:\.\d+)?)([hd])$")
MAX_DAYS = 3660  # a search for the next working day gives up after ten years (a calendar with no working day)


def parse_duration(text: str) -> tuple[float, str]:
    """(amount, "h" or "d") of "4h" / "3d"; ValueError for anything else."""
    match = DURATION.match(text.strip()) if isinstance(text, str) else None
    if match is None:
        raise ValueError(text)
    return float(match.group(1)), match.group(2)


def scaled(text: str, factor: float) -> str:
    """A duration multiplied by an urgency's factor: whole days stay days, the rest become working hours
    (the caller turns days into hours with the calendar's day length)."""
    amount, unit = parse_duration(text)
    value = amount * factor
    if unit == "d" and value == int(value):
        return f"{int(value)}d"
    return f"{value:g}{unit}"


class WorkCalendar:
    """The campaign's working days and hours."""

    def __init__(self, calendar: CaseCalendar, zone: ZoneInfo) -> None:
        self.cal = calendar
        self.zone = zone

    @classmethod
    def of(cls, campaign: Campaign) -> WorkCalendar:
        return cls(campaign.cases.calendar, campaign.timezone)

    # --- days --------------------------------------------------------------------
    def is_working_day(self, day: date) -> bool:
        if day in self.cal.working_days:
            return True
        if day in self.cal.holidays:
            return False
        return day.isoweekday() in self.cal.workdays

    def next_working_day(self, day: date) -> date:
        """The first working day after `day`."""
        for _ in range(MAX_DAYS):
            day += timedelta(days=1)
            if self.is_working_day(day):
                return day
        raise RuntimeError("the calendar has no working day in ten years")

    @property
    def day_seconds(self) -> float:
        """The length of a working day, in seconds."""
        return (datetime.combine(date.min, self.cal.day_end) - datetime.combine(date.min, self.cal.day_start)).total_seconds()

    def _at(self, day: date, when: time) -> datetime:
        return datetime.combine(day, when, tzinfo=self.zone)

    def day_end(self, day: date) -> datetime:
        """The end of the working day `day` (a day's deadline)."""
        return self._at(day, self.cal.day_end)

    # --- working time --------------------------------------------------------------
    def _segments(self, start: datetime):
        """The working periods (begin, end) from `start` on, the first cut at `start`."""
        local = start.astimezone(self.zone)
        day = local.date()
        idle = 0  # days in a row without working time: a calendar with none in ten years is a broken one
        while idle < MAX_DAYS:
            idle += 1
            if self.is_working_day(day):
                begin, end = self._at(day, self.cal.day_start), self._at(day, self.cal.day_end)
                if end > local:
                    idle = 0
                    yield max(begin, local), end
            day += timedelta(days=1)
        raise RuntimeError("the calendar has no working day in ten years")

    def add_seconds(self, start: datetime, seconds: float) -> datetime:
        """The instant `seconds` of working time after `start` (a start outside working hours counts from the next
        working period's beginning)."""
        left = max(0.0, float(seconds))
        for begin, end in self._segments(start):
            span = (end - begin).total_seconds()
            if left <= span:
                return begin + timedelta(seconds=left)
            left -= span
        raise AssertionError("unreachable")  # _segments raises first

    def add_working(self, start: datetime, duration: str) -> datetime:
        """`start` + "4h" (working hours) or "3d" (the end of the 3rd working day after the start's day)."""
        amount, unit = parse_duration(duration)
        if unit == "d" and amount == int(amount):
            day = start.astimezone(self.zone).date()
            for _ in range(int(amount)):
                day = self.next_working_day(day)
            return self.day_end(day)
        seconds = amount * (self.day_seconds if unit == "d" else 3600)
        return self.add_seconds(start, seconds)

    def working_seconds(self, start: datetime, end: datetime) -> float:
        """Working time between two instants (0 when `end` is not after `start`). The days between are counted
        (`working_days_between`), not walked, so a case overdue for years costs no more than one overdue a day."""
        if end <= start:
            return 0.0
        first, last = start.astimezone(self.zone), end.astimezone(self.zone)
        if first.date() == last.date():
            return self._worked(first.date(), first, last)
        total = self._worked(first.date(), first, None) + self._worked(last.date(), None, last)
        return total + self.working_days_between(first.date() + timedelta(days=1), last.date()) * self.day_seconds

    def working_days_between(self, first: date, stop: date) -> int:
        """Working days from `first` up to, not including, `stop` (a wall or a daily report asks this for
        thousands of overdue cases at once, most of them due at the end of the same few hundred days)."""
        return _working_days_between(self.cal, first, stop)

    def _worked(self, day: date, after: datetime | None, before: datetime | None) -> float:
        """The working time of `day` between `after` and `before` (None: the day's own start or end)."""
        if not self.is_working_day(day):
            return 0.0
        begin, end = self._at(day, self.cal.day_start), self._at(day, self.cal.day_end)
        if after is not None:
            begin = max(begin, after)
        if before is not None:
            end = min(end, before)
        return max(0.0, (end - begin).total_seconds())


@lru_cache(maxsize=65536)
def _working_days_between(cal: CaseCalendar, first: date, stop: date) -> int:
    """Whole weeks by arithmetic, the configured holidays and adjusted working days one by one; once per
    calendar and pair of days."""
    days = (stop - first).days
    if days <= 0:
        return 0
    workdays = set(cal.workdays)
    weeks, rest = divmod(days, 7)
    start = first.isoweekday()
    count = weeks * len(workdays) + sum((start - 1 + k) % 7 + 1 in workdays for k in range(rest))
    for day in cal.working_days:
        if first <= day < stop and day.isoweekday() not in workdays:
            count += 1
    for day in cal.holidays:
        if first <= day < stop and day not in cal.working_days and day.isoweekday() in workdays:
            count -= 1
    return count
