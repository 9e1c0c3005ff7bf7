"""The ledger (台账) and the rule by which a place's status follows it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from geo.cases import CaseConflict
from geo.errors import NotFound, ValidationError
from geo.ledger import add_problem, explain_rule, status_by_rule, update_problem

TODAY = date(2026, 11, 24)


def place(status="accepted", problems=()):
    return {"id": "c-0007", "properties": {"status": status, "problems": list(problems)}}


def test_a_new_problem_gets_the_next_id_today_and_an_open_status(campaign):
    changes = add_problem(place(problems=[{"id": "c-0007-p2", "status": "closed"}]),
                          {"category": "飞线充电", "description": "单元楼墙面飞线充电"}, campaign, TODAY)
    new = changes["problems"][-1]
    assert new["id"] == "c-0007-p3" and new["status"] == "open" and new["found_on"] == "2026-11-24"
    assert new["closed_on"] is None


def test_an_open_problem_on_a_done_place_reopens_it_by_the_rule(campaign):
    changes = add_problem(place("accepted"), {"category": "僵尸车"}, campaign, TODAY)
    assert changes["status"] == "in_progress"


def test_closing_the_last_open_problem_marks_the_place_rectified_not_accepted(campaign):
    assert status_by_rule("in_progress", [{"id": "c-0007-p1", "status": "closed"}], campaign) == "rectified"


@pytest.mark.parametrize("change", [{"status": "closed"}, {"closed_on": "2026-11-20"}, {"deadline": "2026-12-01"},
                                    {"responsible": "区住建局"}])
def test_a_ledger_edit_may_not_close_reopen_or_reschedule_a_problem_its_case_does(campaign, change):
    feature = place("in_progress", [{"id": "c-0007-p1", "status": "open", "category": "乱堆乱放"}])
    with pytest.raises(CaseConflict) as refused:
        update_problem(feature, "c-0007-p1", change, campaign, TODAY)
    assert refused.value.http_status == 409 and "c-0007-p1" in refused.value.message
    assert feature["properties"]["problems"][0]["status"] == "open"


def test_a_ledger_edit_still_changes_what_the_problem_is(campaign):
    feature = place("in_progress", [{"id": "c-0007-p1", "status": "open", "category": "乱堆乱放"}])
    changes = update_problem(feature, "c-0007-p1", {"category": "僵尸车", "description": "小区门口僵尸车",
                                                    "status": "open"}, campaign, TODAY)
    assert changes["problems"][0]["category"] == "僵尸车" and changes["problems"][0]["status"] == "open"


def test_the_rule_can_be_switched_off_in_configuration(campaign):
    off = replace(campaign, status_rule=replace(campaign.status_rule, enabled=False))
    assert status_by_rule("accepted", [{"status": "open"}], off) == "accepted"
    assert "手动" in explain_rule(off)
    assert "整改中" in explain_rule(campaign) and "已整改" in explain_rule(campaign)


def test_editing_an_unknown_problem_is_not_found(campaign):
    with pytest.raises(NotFound):
        update_problem(place(), "c-0007-p9", {"status": "closed"}, campaign, TODAY)


@pytest.mark.parametrize("given", [None, "", "  "])
def test_a_new_problem_sent_without_a_found_day_is_found_today(campaign, given):
    """The editor's form used to send found_on null: such a problem was missing from the daily report."""
    changes = add_problem(place(), {"category": "飞线充电", "found_on": given}, campaign, TODAY)
    assert changes["problems"][-1]["found_on"] == "2026-11-24"


def test_a_new_problem_keeps_the_found_day_it_is_given(campaign):
    changes = add_problem(place(), {"category": "飞线充电", "found_on": "2026-11-20"}, campaign, TODAY)
    assert changes["problems"][-1]["found_on"] == "2026-11-20"


def test_a_ledger_edit_may_not_clear_the_found_day(campaign):
    feature = place(problems=[{"id": "c-0007-p1", "status": "open", "found_on": "2026-11-20"}])
    with pytest.raises(ValidationError) as caught:
        update_problem(feature, "c-0007-p1", {"found_on": ""}, campaign, TODAY)
    assert caught.value.errors[0].field == "problem.found_on" and "发现日期必填" in caught.value.errors[0].message
