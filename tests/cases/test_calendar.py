"""Working time: days and hours across weekends, configured holidays and adjusted working weekends (调休), a start
outside working hours, and the time a suspended case does not count."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from geo.cases import WorkCalendar, parse_duration, stage_due
from geo.cases.calendar import scaled
from geo.config import parse_campaign
from geo.errors import ConfigError
from tests.cases.conftest import NOW, act
from tests.conftest import DEMO_CAMPAIGN


def local(campaign, *args) -> datetime:
    return datetime(*args, tzinfo=campaign.timezone)


def test_the_demo_calendar_is_configured_in_campaign_json(campaign):
    cal = campaign.cases.calendar
    assert date(2027, 1, 1) in cal.holidays and date(2026, 12, 26) in cal.working_days
    assert cal.workdays == (1, 2, 3, 4, 5)


def test_a_friday_evening_deadline_skips_the_new_year_holiday_and_the_weekend(campaign):
    work = WorkCalendar.of(campaign)
    # Thursday 31 Dec 2026, 17:00; Friday 1 Jan 2027 is a configured holiday, then Saturday and Sunday
    assert work.add_working(local(campaign, 2026, 12, 31, 17, 0), "1d") == local(campaign, 2027, 1, 4, 17, 30)
    # half an hour is left on Thursday; the next 2 hours run on Monday morning
    assert work.add_working(local(campaign, 2026, 12, 31, 17, 0), "2.5h") == local(campaign, 2027, 1, 4, 11, 0)


def test_days_count_whole_working_days_after_the_start(campaign):
    work = WorkCalendar.of(campaign)
    monday = local(campaign, 2026, 12, 7, 10, 0)
    assert work.add_working(monday, "3d") == local(campaign, 2026, 12, 10, 17, 30)  # Thursday's end
    friday = local(campaign, 2026, 12, 11, 16, 0)
    assert work.add_working(friday, "1d") == local(campaign, 2026, 12, 14, 17, 30)  # over the weekend


def test_an_adjusted_working_saturday_is_worked(campaign):
    work = WorkCalendar.of(campaign)
    friday = local(campaign, 2026, 12, 25, 17, 0)
    assert work.is_working_day(date(2026, 12, 26)) and not work.is_working_day(date(2026, 12, 27))
    assert work.add_working(friday, "1d") == local(campaign, 2026, 12, 26, 17, 30)
    assert work.add_working(friday, "4h") == local(campaign, 2026, 12, 26, 12, 30)


def test_without_the_configured_dates_the_same_days_are_ordinary(campaign):
    plain = replace(campaign.cases.calendar, holidays=frozenset(), working_days=frozenset())
    work = WorkCalendar(plain, campaign.timezone)
    assert work.add_working(local(campaign, 2026, 12, 31, 17, 0), "1d") == local(campaign, 2027, 1, 1, 17, 30)
    assert work.add_working(local(campaign, 2026, 12, 25, 17, 0), "1d") == local(campaign, 2026, 12, 28, 17, 30)


@pytest.mark.parametrize(("start", "expected"), [
    ((2026, 12, 7, 7, 0), (2026, 12, 7, 13, 0)),     # before the day starts: from 09:00
    ((2026, 12, 7, 19, 0), (2026, 12, 8, 13, 0)),    # after it ends: from the next morning
    ((2026, 12, 12, 10, 0), (2026, 12, 14, 13, 0)),  # on a Saturday: from Monday
    ((2026, 12, 7, 15, 0), (2026, 12, 8, 10, 30)),   # 2.5 h today, 1.5 h tomorrow
])
def test_hours_count_only_inside_working_hours(campaign, start, expected):
    assert WorkCalendar.of(campaign).add_working(local(campaign, *start), "4h") == local(campaign, *expected)


def test_working_time_between_two_instants_leaves_out_nights_weekends_and_holidays(campaign):
    work = WorkCalendar.of(campaign)
    assert work.working_seconds(local(campaign, 2026, 12, 31, 17, 0), local(campaign, 2027, 1, 4, 10, 0)) == 1.5 * 3600
    assert work.working_seconds(local(campaign, 2026, 12, 7, 10, 0), local(campaign, 2026, 12, 7, 9, 0)) == 0


def test_an_urgency_shortens_the_stage_limit(campaign):
    monday = local(campaign, 2026, 12, 7, 10, 0)
    assert scaled("3d", 0.5) == "1.5d" and scaled("4h", 0.25) == "1h" and scaled("2d", 0.5) == "1d"
    assert stage_due(campaign, "handling", monday, "normal") == local(campaign, 2026, 12, 10, 17, 30)
    # 1.5 working days = 12 h 45 min of working time: 7.5 h on Monday, 5.25 h on Tuesday
    assert stage_due(campaign, "handling", monday, "urgent") == local(campaign, 2026, 12, 8, 14, 15)
    assert stage_due(campaign, "filed", monday, "critical") == local(campaign, 2026, 12, 7, 11, 0)


def test_a_suspended_case_keeps_the_working_time_it_had_left(store, no_photos, place, people):
    case, _ = act(store, no_photos, place, "dispatch", people["street"], unit="区住建局", deadline="2026-12-08")
    assert case["stage_due"] == "2026-12-08T09:30:00Z"  # Tuesday 17:30
    # suspended on Monday at 10:00: 7.5 h + 8.5 h of working time were left
    case, _ = act(store, no_photos, place, "suspend", people["street"], note="等待产权单位答复")
    assert case["held_left_s"] == 16 * 3600 and case["stage_due"] is None
    # resumed the next Monday at 10:00: the week in between does not count
    later = NOW + timedelta(days=7)
    case, _ = act(store, no_photos, place, "resume", people["street"], now=later)
    assert case["stage"] == "handling" and case["stage_due"] == "2026-12-15T09:30:00Z"


def test_durations_are_hours_or_days():
    assert parse_duration("4h") == (4.0, "h") and parse_duration("3d") == (3.0, "d")
    with pytest.raises(ValueError):
        parse_duration("3 weeks")


@pytest.mark.parametrize(("section", "words"), [
    ({"calendar": {"workdays": [0, 1]}}, "$.cases.calendar.workdays"),
    ({"calendar": {"day_start": "18:00", "day_end": "09:00"}}, "day_start"),
    ({"calendar": {"holidays": ["2027-02-30"]}}, "$.cases.calendar.holidays[0]"),
    ({"calendar": {"holidays": ["2027-01-01"], "working_days": ["2027-01-01"]}}, "2027-01-01"),
    ({"limits": {"handling": "3 days"}}, "$.cases.limits.handling"),
    ({"urgencies": [{"key": "normal", "label": "一般", "factor": 0}]}, "$.cases.urgencies[0].factor"),
    ({"problem_status": {"closed": "open"}}, "$.cases.problem_status.closed"),
    ({"problem_status": {"filed": "pending_review"}}, "$.cases.problem_status.filed"),
    ({"escalation": {"every": "soon"}}, "$.cases.escalation.every"),
])
def test_a_bad_cases_section_is_refused_at_start_up_naming_the_key(section, words):
    raw = json.loads(DEMO_CAMPAIGN.read_text(encoding="utf-8"))
    raw["cases"] = section
    with pytest.raises(ConfigError) as refused:
        parse_campaign(raw)
    assert words in str(refused.value)


def test_a_campaign_without_a_cases_section_gets_the_defaults():
    raw = json.loads(DEMO_CAMPAIGN.read_text(encoding="utf-8"))
    raw.pop("cases")
    cases = parse_campaign(raw).cases
    assert cases.limits == {"filed": "4h", "handling": "3d", "verifying": "1d"} and not cases.calendar.holidays
    assert cases.problem_status == {"filed": "open", "handling": "in_progress", "verifying": "in_progress",
                                    "suspended": "in_progress", "closed": "closed"}


def test_a_friday_evening_deadline_runs_over_an_adjusted_saturday_and_a_holiday_monday(campaign):
    cal = replace(campaign.cases.calendar, holidays=frozenset({date(2026, 12, 28)}),
                  working_days=frozenset({date(2026, 12, 26)}))
    work = WorkCalendar(cal, campaign.timezone)
    friday_evening = local(campaign, 2026, 12, 25, 19, 30)  # after the working day has ended
    # Saturday 26 is an adjusted working day (调休上班); Sunday 27 is not; Monday 28 is a holiday
    assert work.add_working(friday_evening, "1d") == local(campaign, 2026, 12, 26, 17, 30)
    assert work.add_working(friday_evening, "2d") == local(campaign, 2026, 12, 29, 17, 30)
    assert work.add_working(friday_evening, "4h") == local(campaign, 2026, 12, 26, 13, 0)


def test_working_time_over_a_long_span_counts_every_working_day_once(campaign):
    work = WorkCalendar.of(campaign)
    start, end = local(campaign, 2026, 11, 2, 12, 0), local(campaign, 2027, 2, 1, 10, 0)
    walked = sum((min(stop, end) - begin).total_seconds() for begin, stop in _periods(work, start, end))
    assert work.working_seconds(start, end) == walked
    # a problem from before cases, with no day found, is years overdue: counted, not refused
    assert work.working_seconds(local(campaign, 2000, 1, 3, 9, 0), end) > 25 * 250 * work.day_seconds


def _periods(work, start, end):
    for begin, stop in work._segments(start):
        if begin >= end:
            return
        yield begin, stop


@pytest.mark.parametrize("workdays", [(1, 2, 3, 4, 5), (1, 2, 3, 4, 5, 6), (7,)])
def test_working_days_between_are_counted_as_a_walk_over_the_days_would(campaign, workdays):
    """Whole weeks by arithmetic, holidays and adjusted working days (the demo's, one of them also a holiday)
    one by one: the same count as asking each day, for every span around them."""
    cal = campaign.cases.calendar
    cal = replace(cal, workdays=workdays, holidays=cal.holidays | {date(2026, 12, 26)})
    work = WorkCalendar(cal, campaign.timezone)
    origin = date(2026, 12, 1)
    for a in range(0, 70, 3):
        for length in range(0, 60, 4):
            first, stop = origin + timedelta(days=a), origin + timedelta(days=a + length)
            walked = sum(work.is_working_day(first + timedelta(days=k)) for k in range(length))
            assert work.working_days_between(first, stop) == walked, (first, stop)
