"""The one reader of dates (geo/dates.py): the campaign's years only, in Chinese when it refuses."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from geo.dates import BadDate, parse_day, parse_instant


def test_a_day_of_the_campaign_is_read():
    assert parse_day("2026-11-24") == date(2026, 11, 24)


@pytest.mark.parametrize(("text", "words"), [
    ("9999-12-31", "超出可用范围"), ("1999-12-31", "超出可用范围"), ("2101-01-01", "超出可用范围"),
    ("2026-02-30", "没有这一天"), ("24.11.2026", "YYYY-MM-DD"), ("", "YYYY-MM-DD"), (None, "YYYY-MM-DD"),
    ({}, "YYYY-MM-DD"), ("2026-11-24T00:00", "YYYY-MM-DD"),
])
def test_a_day_that_cannot_be_a_campaign_day_is_refused_in_chinese(text, words):
    with pytest.raises(BadDate, match=words):
        parse_day(text)


def test_an_instant_is_read_in_utc():
    assert parse_instant("2026-11-24T08:00:00+08:00") == datetime(2026, 11, 24, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize("text", ["9999-12-31T23:59:59Z", "2026-11-24T08:00:00", "2026-11-24", "now", "2026-13-01T00:00Z"])
def test_an_instant_out_of_range_without_a_zone_or_unreadable_is_refused(text):
    with pytest.raises(BadDate):
        parse_instant(text)
