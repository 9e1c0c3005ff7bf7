"""What follows a case: the problem's status, deadline, responsible and closed_on, the place's status by the
campaign's rule, photos as evidence, the overnight due of an inspection's case, and escalation over time."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest

from geo.cases import case_errors, escalation, file_case, may_add_evidence, overdue_hours, stage_overdue
from geo.errors import ValidationError
from geo.photos import add_photo
from tests.cases.conftest import LAYER, NOW, UNIT, act, problem_of
from tests.photos.images import jpeg


def test_a_problem_filed_by_a_planner_waits_for_dispatch_within_the_filed_limit(place, campaign):
    case = place["properties"]["problems"][-1]["case"]
    assert case["stage"] == "filed" and case["source"] == "planner"
    assert case["stage_due"] == "2026-12-07T06:00:00Z"  # 4 working hours: 14:00 the same day
    assert case["timeline"] == [{"action": "file", "from": None, "to": "filed", "user": "zhihui",
                                 "by": "王指挥 (zhihui)", "at": "2026-12-07T02:00:00Z", "note": "", "photos": [],
                                 "data": {"source": "planner"}}]
    assert place["properties"]["problems"][-1]["status"] == "open"


def test_a_problem_filed_with_a_deadline_and_a_responsible_is_dispatched_at_once(campaign):
    problem = {"id": "p1", "category": "飞线充电", "status": "open", "found_on": "2026-12-07", "deadline": "2026-12-09",
               "responsible": UNIT}
    case = file_case(problem, campaign, NOW, source="planner", user="zhihui")
    assert case["stage"] == "handling" and case["unit"] == UNIT and case["dispatcher"] == "zhihui"
    assert case["stage_due"] == "2026-12-09T09:30:00Z"


def test_a_case_an_inspection_found_is_due_by_the_next_mornings_cut_off(campaign):
    problem = {"id": "p1", "category": "飞线充电", "status": "open", "found_on": "2026-12-07",
               "found_by": campaign.inspection_sources[0]}
    case = file_case(problem, campaign, NOW, source="inspection", user="duban")
    assert case["stage"] == "filed" and case["source"] == "inspection"
    assert campaign.overnight_cutoff.strftime("%H:%M") == "08:00"
    assert case["stage_due"] == "2026-12-08T00:00:00Z"  # Tuesday 08:00, campaign time
    fixed = file_case({**problem, "status": "closed"}, campaign, NOW, source="inspection", user="duban")
    assert fixed["stage"] == "closed" and fixed["closed_at"] == "2026-12-07T02:00:00Z" and fixed["stage_due"] is None


def test_the_problems_ledger_fields_follow_the_case(store, no_photos, place, people):
    act(store, no_photos, place, "dispatch", people["street"], unit=UNIT, handler="zhujian", handler_name="张住建",
        deadline="2026-12-09")
    problem = problem_of(store, place["id"])
    assert (problem["status"], problem["deadline"], problem["responsible"], problem["closed_on"]) == \
        ("in_progress", "2026-12-09", "区住建局 张住建", None)
    act(store, no_photos, place, "report", people["unit"], note="已拆除")
    act(store, no_photos, place, "confirm", people["inspector"], now=NOW + timedelta(days=1))
    problem = problem_of(store, place["id"])
    assert (problem["status"], problem["closed_on"]) == ("closed", "2026-12-08")
    assert problem["case"]["verified_by"] == "duban" and problem["case"]["handled_on_time"] is True


def test_the_place_status_follows_its_cases_by_the_rule_and_the_answer_says_so(store, no_photos, place, people):
    assert store.get(LAYER, place["id"])["properties"]["status"] == "in_progress"  # the open problem reopened it
    act(store, no_photos, place, "dispatch", people["street"], unit=UNIT)
    act(store, no_photos, place, "report", people["unit"], note="已拆除")
    _, result = act(store, no_photos, place, "confirm", people["inspector"])
    assert result.feature["properties"]["status"] == "rectified"
    labels = {s.key: s.label for s in no_photos.statuses}
    assert result.notes == [f"地点状态随案件由“{labels['in_progress']}”变为“{labels['rectified']}”"]


def _photo(store, place, role: str, colour) -> str:
    pid = place["properties"]["problems"][-1]["id"]
    entry, _ = add_photo(store, LAYER, place["id"], io.BytesIO(jpeg(colour=colour)), user="zhujian", role=role,
                         problem=pid)
    return entry["id"]


def test_a_fix_is_reported_with_an_after_photo_and_confirmed_with_a_check_photo(store, campaign, place, people):
    act(store, campaign, place, "dispatch", people["street"], unit=UNIT)
    before = _photo(store, place, "before", (200, 0, 0))
    with pytest.raises(ValidationError) as refused:
        act(store, campaign, place, "report", people["unit"], note="已拆除", photos=[before])
    assert refused.value.errors[0].field == "photos" and "整改后" in refused.value.errors[0].message
    after = _photo(store, place, "after", (0, 200, 0))
    case, _ = act(store, campaign, place, "report", people["unit"], note="已拆除", photos=[after])
    assert case["timeline"][-1]["photos"] == [after]
    with pytest.raises(ValidationError) as refused:
        act(store, campaign, place, "confirm", people["inspector"])
    assert "核查" in refused.value.errors[0].message
    check = _photo(store, place, "check", (0, 0, 200))
    case, _ = act(store, campaign, place, "confirm", people["inspector"], photos=[check])
    assert case["stage"] == "closed"


def test_the_handler_and_a_verifier_may_add_evidence_others_may_not(store, no_photos, place, people):
    act(store, no_photos, place, "dispatch", people["street"], unit=UNIT)
    problem, props = problem_of(store, place["id"]), store.get(LAYER, place["id"])["properties"]
    assert may_add_evidence(problem, props, people["unit"])
    assert may_add_evidence(problem, props, people["inspector"])
    assert not may_add_evidence(problem, props, people["other_unit"])
    assert not may_add_evidence(problem, props, people["viewer"])


def test_a_stage_escalates_from_the_community_to_the_street_at_once_and_to_the_district_later(
        store, no_photos, place, people):
    case, _ = act(store, no_photos, place, "dispatch", people["community"], unit=UNIT)
    due = case["stage_due"]
    assert due == "2026-12-10T09:30:00Z"  # Thursday 17:30
    thursday_afternoon = NOW + timedelta(days=3, hours=5)
    assert escalation(case, no_photos, thursday_afternoon) == {"level": "community", "escalated": False}
    assert not stage_overdue(case, thursday_afternoon) and overdue_hours(case, thursday_afternoon, no_photos) is None
    friday_morning = NOW + timedelta(days=4, hours=1)  # Friday 11:00: 2 working hours past due
    assert escalation(case, no_photos, friday_morning) == {"level": "street", "escalated": True}
    assert overdue_hours(case, friday_morning, no_photos) == 2.0
    friday_evening = NOW + timedelta(days=4, hours=8)  # 18:00 on Friday, the end of the next working day passed
    assert escalation(case, no_photos, friday_evening) == {"level": "district", "escalated": True}
    closed = {**case, "stage": "closed"}
    assert escalation(closed, no_photos, friday_evening) == {"level": "community", "escalated": False}


def test_a_unit_filing_a_problem_with_a_deadline_leaves_it_to_a_dispatcher(campaign):
    problem = {"id": "p1", "category": "飞线充电", "status": "open", "found_on": "2026-12-07", "deadline": "2026-12-09",
               "responsible": UNIT}
    case = file_case(problem, campaign, NOW, source="planner", user="zhujian", may_dispatch=False)
    assert case["stage"] == "filed" and case["unit"] is None and case["dispatcher"] is None


def test_a_case_made_outside_the_loop_is_checked_field_by_field(campaign):
    good = file_case({"id": "p1", "category": "飞线充电", "status": "open", "found_on": "2026-12-07"}, campaign, NOW,
                     source="planner", user="zhihui")
    assert case_errors(good, campaign) == []
    bad = {**good, "stage": "done", "urgency": "asap", "stage_due": "tomorrow", "handler": 7, "colour": "red"}
    assert [e.field for e in case_errors(bad, campaign)] == ["case.stage", "case.urgency", "case.stage_due",
                                                             "case.handler", "case.colour"]
    assert [e.field for e in case_errors("closed", campaign)] == ["case"]
