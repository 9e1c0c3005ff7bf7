"""Derived rules: 逾期 (overdue) and 过夜 (overnight), in the campaign's time zone."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, time

import pytest

from geo.rules import local_now, open_problems, place_overdue, problem_overdue, problem_overnight

INSPECTION = "每日随机督导"


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def _problem(status="open", deadline=None, found_on="2026-11-24", found_by=INSPECTION, **extra) -> dict:
    return {"id": "c-0001-p1", "category": "乱堆乱放", "status": status, "deadline": deadline,
            "found_on": found_on, "found_by": found_by, **extra}


def _overnight(problem, campaign, utc: str) -> bool:
    return problem_overnight(problem, campaign, local_now(campaign, _utc(utc)))


def _overdue_at(props, campaign, utc: str) -> bool:
    return place_overdue(props, campaign, local_now(campaign, _utc(utc)).date())


TODAY = date(2026, 11, 25)


# --- overdue -----------------------------------------------------------------------

def test_place_not_done_past_its_deadline_is_overdue(campaign):
    for status in ("unsurveyed", "pending", "in_progress", "relapsed"):
        assert place_overdue({"status": status, "deadline": "2026-11-24"}, campaign, TODAY), status


def test_done_place_past_its_deadline_is_not_overdue(campaign):
    for status in ("rectified", "accepted"):
        assert not place_overdue({"status": status, "deadline": "2026-11-24"}, campaign, TODAY), status


def test_place_is_not_overdue_on_its_deadline_day_or_without_one(campaign):
    assert not place_overdue({"status": "pending", "deadline": "2026-11-25"}, campaign, TODAY)
    assert not place_overdue({"status": "pending", "deadline": None}, campaign, TODAY)
    assert not place_overdue({"status": "pending"}, campaign, TODAY)


def test_open_problem_past_its_deadline_makes_the_place_overdue(campaign):
    props = {"status": "in_progress", "deadline": "2026-12-31", "problems": [_problem(deadline="2026-11-24")]}
    assert problem_overdue(props["problems"][0], campaign, TODAY)
    assert place_overdue(props, campaign, TODAY)


def test_problem_being_worked_on_past_its_deadline_is_still_overdue(campaign):
    props = {"status": "in_progress", "problems": [_problem(status="in_progress", deadline="2026-11-20")]}
    assert place_overdue(props, campaign, TODAY)


def test_closed_problem_past_its_deadline_does_not_make_the_place_overdue(campaign):
    closed = _problem(status="closed", deadline="2026-11-20", closed_on="2026-11-21")
    props = {"status": "in_progress", "deadline": "2026-12-31", "problems": [closed]}
    assert not problem_overdue(closed, campaign, TODAY)
    assert not place_overdue(props, campaign, TODAY)


def test_overdue_day_turns_at_local_midnight_in_the_campaign_time_zone(campaign):
    assert campaign.timezone.key == "Asia/Shanghai"
    props = {"status": "pending", "deadline": "2026-11-24"}
    assert _overdue_at(props, campaign, "2026-11-24T16:30:00")  # 00:30 on the 25th in Zhengzhou
    assert not _overdue_at(props, campaign, "2026-11-24T15:30:00")  # 23:30 on the 24th in Zhengzhou
    assert not _overdue_at(props, campaign, "2026-11-24T15:59:59")
    assert _overdue_at(props, campaign, "2026-11-24T16:00:00")


def test_problem_overdue_day_also_follows_the_campaign_time_zone(campaign):
    props = {"status": "accepted", "problems": [_problem(deadline="2026-11-24")]}
    assert _overdue_at(props, campaign, "2026-11-24T16:30:00")
    assert not _overdue_at(props, campaign, "2026-11-24T15:30:00")


def test_unreadable_deadline_is_not_overdue(campaign):
    assert not place_overdue({"status": "pending", "deadline": "soon"}, campaign, TODAY)


# --- overnight ------------------------------------------------------------------------

def test_inspection_problem_still_open_is_overnight_from_next_morning(campaign):
    problem = _problem(found_on="2026-11-24")
    # D+1 08:00 in Zhengzhou is 2026-11-25T00:00Z
    assert not _overnight(problem, campaign, "2026-11-24T10:00:00")  # the same afternoon
    assert not _overnight(problem, campaign, "2026-11-24T16:30:00")  # after midnight, before the cut-off
    assert not _overnight(problem, campaign, "2026-11-24T23:59:59")  # 07:59:59 local
    assert _overnight(problem, campaign, "2026-11-25T00:00:00")  # 08:00 local
    assert _overnight(problem, campaign, "2026-11-27T06:00:00")  # days later


def test_problem_being_worked_on_is_still_overnight(campaign):
    assert _overnight(_problem(status="in_progress"), campaign, "2026-11-25T01:00:00")


def test_every_configured_inspection_source_counts(campaign):
    assert "义务监督小分队" in campaign.inspection_sources
    assert _overnight(_problem(found_by="义务监督小分队"), campaign, "2026-11-25T01:00:00")


def test_problem_from_another_source_is_never_overnight(campaign):
    for source in ("社区排查", "", None):
        problem = _problem(found_by=source)
        assert not _overnight(problem, campaign, "2026-11-25T01:00:00"), source
        assert not _overnight(problem, campaign, "2027-06-01T00:00:00"), source


def test_closed_problem_is_never_overnight(campaign):
    closed = _problem(status="closed", closed_on="2026-11-26")
    assert not _overnight(closed, campaign, "2026-11-25T01:00:00")
    assert not _overnight(closed, campaign, "2027-01-01T00:00:00")


def test_problem_without_a_found_date_is_not_overnight(campaign):
    assert not _overnight(_problem(found_on=None), campaign, "2026-11-25T01:00:00")


def test_overnight_cut_off_comes_from_the_configuration(campaign):
    later = dataclasses.replace(campaign, overnight_cutoff=time(9, 30))
    problem = _problem(found_on="2026-11-24")
    assert not _overnight(problem, later, "2026-11-25T01:00:00")  # 09:00 local
    assert _overnight(problem, later, "2026-11-25T01:30:00")  # 09:30 local


def test_open_problems_lists_only_open_ones(campaign):
    problems = [_problem(status="open"), _problem(status="closed", closed_on="2026-11-25"), _problem(status="in_progress")]
    assert [p["status"] for p in open_problems({"problems": problems}, campaign)] == ["open", "in_progress"]
    assert open_problems({}, campaign) == []


@pytest.mark.parametrize("utc, local", [
    ("2026-11-24T16:30:00", "2026-11-25T00:30:00+08:00"),
    ("2026-11-24T15:30:00", "2026-11-24T23:30:00+08:00"),
])
def test_local_now_is_in_the_campaign_time_zone(campaign, utc, local):
    assert local_now(campaign, _utc(utc)).isoformat() == local
