"""The one reader of dates and date-times that people and programs send in.

A campaign runs for months, not millennia: a day outside `MIN_YEAR`–`MAX_YEAR`
is refused here, before arithmetic on it (the day after 9999-12-31) can
overflow. Query parameters, path parameters, request bodies, the ledger and
imports all read dates through `parse_day` and instants through
`parse_instant`, which raise `BadDate` (a ValueError) with a Chinese message
that callers put beside the field's name.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from geo.messages import t

MIN_YEAR = 2000
MAX_YEAR = 2100
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?([Zz]|[+-]\d{2}:?\d{2})?$")


class BadDate(ValueError):
    """A date or date-time that cannot be read or lies outside the years a campaign can use."""


def parse_day(value: object) -> date:
    """A calendar day written YYYY-MM-DD, in MIN_YEAR…MAX_YEAR."""
    if not isinstance(value, str) or not _DAY.match(value):
        raise BadDate(t("dates.not_a_day", value=_shown(value)))
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise BadDate(t("dates.no_such_day", value=value)) from None
    _check_year(day.year, value)
    return day


def parse_instant(value: object, *, need_zone: bool = True) -> datetime:
    """An RFC 3339 date-time (2026-11-20T08:00:00Z), in MIN_YEAR…MAX_YEAR, as an aware datetime in UTC."""
    if not isinstance(value, str) or not _INSTANT.match(value):
        raise BadDate(t("dates.not_an_instant", value=_shown(value)))
    try:
        moment = datetime.fromisoformat(value.replace("z", "Z").replace("t", "T"))
    except ValueError:
        raise BadDate(t("dates.not_an_instant", value=_shown(value))) from None
    _check_year(moment.year, value)
    if moment.tzinfo is None:
        if need_zone:
            raise BadDate(t("dates.needs_zone", value=value))
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The first and last microsecond of a UTC day (safe: the day's year is within range)."""
    start = datetime(day.year, day.month, day.day, tzinfo=UTC)
    return start, start + timedelta(days=1) - timedelta(microseconds=1)


def is_day(value: object) -> bool:
    """Whether `value` is a day `parse_day` accepts (a JSON Schema format checker)."""
    try:
        parse_day(value)
    except BadDate:
        return False
    return True


def is_instant(value: object) -> bool:
    """Whether `value` is a date-time `parse_instant` accepts (a JSON Schema format checker)."""
    try:
        parse_instant(value)
    except BadDate:
        return False
    return True


def _check_year(year: int, text: str) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise BadDate(t("dates.out_of_range", value=text, first=MIN_YEAR, last=MAX_YEAR))


def _shown(value: object) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= 40 else text[:40] + "…"
