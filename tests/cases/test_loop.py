"""Every action of the case loop from every stage it is allowed from, and refused from every other one."""

from __future__ import annotations

import pytest

from geo.cases import ACTIONS, FROM, STAGES, CaseConflict, allowed_actions, case_of
from tests.cases.conftest import PEOPLE, UNIT, act, problem_of

# who takes each action in these tests, and what it is given
ACTOR = {
    "dispatch": ("street", {"unit": UNIT}),
    "redispatch": ("street", {"unit": "区城管局", "handler": "chengguan"}),
    "send_back": ("unit", {"note": "不属于本单位职责"}),
    "report": ("unit", {"note": "已拆除飞线,安装充电桩"}),
    "confirm": ("inspector", {}),
    "return": ("inspector", {"note": "仍有两处飞线"}),
    "request_extension": ("unit", {"until": "2026-12-30", "note": "充电桩材料未到货"}),
    "approve_extension": ("street", {}),
    "deny_extension": ("street", {}),
    "suspend": ("street", {"note": "待产权单位确认"}),
    "resume": ("street", {}),
}
# how a case is brought to each stage
ROUTE = {
    "filed": [],
    "handling": ["dispatch"],
    "extension": ["dispatch", "request_extension"],  # handling, with a pending request for more time
    "verifying": ["dispatch", "report"],
    "closed": ["dispatch", "report", "confirm"],
    "suspended": ["suspend"],
}
ALLOWED = [("dispatch", "filed"), ("redispatch", "handling"), ("send_back", "handling"), ("report", "handling"),
           ("confirm", "verifying"), ("return", "verifying"), ("request_extension", "handling"),
           ("approve_extension", "extension"), ("deny_extension", "extension"), ("suspend", "filed"),
           ("suspend", "handling"), ("suspend", "verifying"), ("resume", "suspended")]
TO = {"dispatch": "handling", "redispatch": "handling", "send_back": "filed", "report": "verifying",
      "confirm": "closed", "return": "handling", "request_extension": "handling", "approve_extension": "handling",
      "deny_extension": "handling", "suspend": "suspended", "resume": "filed"}


def _bring(store, campaign, place, route: str) -> None:
    for action in ROUTE[route]:
        who, kwargs = ACTOR[action]
        act(store, campaign, place, action, PEOPLE[who], **kwargs)


def _take(store, campaign, place, action):
    who, kwargs = ACTOR[action]
    return act(store, campaign, place, action, PEOPLE[who], **kwargs)


def test_the_allowed_pairs_are_the_contracts_table():
    listed = {(a, s) for a, s in ALLOWED}
    assert {(a, s if s != "extension" else "handling") for a, s in listed} == {(a, s) for a in ACTIONS for s in FROM[a]}


@pytest.mark.parametrize(("action", "route"), ALLOWED)
def test_each_action_is_taken_from_each_stage_it_is_allowed_from(store, no_photos, place, action, route):
    _bring(store, no_photos, place, route)
    version = store.get("courtyards", place["id"])["properties"]["version"]
    case, result = _take(store, no_photos, place, action)
    assert case["stage"] == TO[action]
    stored = problem_of(store, place["id"])["case"]
    assert stored == case and result.feature["properties"]["version"] == version + 1
    entry = stored["timeline"][-1]
    assert entry["action"] == action and entry["to"] == TO[action]
    assert entry["user"] == PEOPLE[ACTOR[action][0]].username and entry["by"] == PEOPLE[ACTOR[action][0]].label
    assert entry["at"] == "2026-12-07T02:00:00Z"
    if action == "request_extension":
        assert stored["extension"]["until"] == "2026-12-30T09:30:00Z"  # 17:30 that day, campaign time
    if action == "approve_extension":
        assert stored["stage_due"] == "2026-12-30T09:30:00Z" and stored["extension"] is None
    if action == "deny_extension":
        assert stored["stage_due"] == "2026-12-10T09:30:00Z" and stored["extension"] is None


def _refused_from(action: str) -> list[str]:
    stages = [s for s in STAGES if s not in FROM[action]]
    if action == "request_extension":
        stages.append("extension")
    if action in ("approve_extension", "deny_extension"):
        stages.append("handling")  # without a pending request
    return stages


@pytest.mark.parametrize(("action", "route"), [(a, s) for a in ACTIONS for s in _refused_from(a)])
def test_each_action_is_refused_from_every_other_stage_with_what_may_be_done(store, no_photos, place, action, route):
    _bring(store, no_photos, place, route)
    before = store.get("courtyards", place["id"])
    who, kwargs = ACTOR[action]
    with pytest.raises(CaseConflict) as refused:
        act(store, no_photos, place, action, PEOPLE[who], **kwargs)
    problem = before["properties"]["problems"][-1]
    expected = allowed_actions(problem, before["properties"], PEOPLE[who], no_photos)
    assert refused.value.allowed == expected
    document = refused.value.to_dict()
    assert document["error"] == "case_step" and refused.value.http_status == 409
    assert document["allowed"] == [{"action": a, "label": refused.value.to_dict()["allowed"][i]["label"]}
                                   for i, a in enumerate(expected)]
    assert store.get("courtyards", place["id"]) == before  # nothing written


def test_resume_goes_back_to_the_held_stage(store, no_photos, place, people):
    _bring(store, no_photos, place, "verifying")
    act(store, no_photos, place, "suspend", people["street"], note="施工暂停")
    case, _ = act(store, no_photos, place, "resume", people["district"])
    assert case["stage"] == "verifying" and case["held_stage"] is None


def test_a_return_counts_and_the_next_report_is_verified_again(store, no_photos, place, people):
    _bring(store, no_photos, place, "verifying")
    case, _ = act(store, no_photos, place, "return", people["inspector"], note="仍有两处飞线")
    assert case["returns"] == 1 and case["stage"] == "handling"
    act(store, no_photos, place, "report", people["unit"], note="已全部拆除")
    case, _ = act(store, no_photos, place, "confirm", people["community"])
    assert case["stage"] == "closed" and case["verified_by"] == "jinqiao" and case["returns"] == 1


def test_a_problem_from_before_cases_is_taken_from_the_case_it_is_read_as(store, no_photos, make_feature, people):
    created = store.create("courtyards", make_feature(street="大学路街道", problems=[
        {"id": "p1", "category": "飞线充电", "status": "open", "found_on": "2026-12-01"}]), user="演示").feature
    assert "case" not in created["properties"]["problems"][0]
    assert case_of(created["properties"]["problems"][0], no_photos)["stage"] == "filed"
    case, _ = act(store, no_photos, created, "dispatch", people["street"], unit=UNIT)
    assert case["stage"] == "handling" and case["source"] == "migrated"
    assert problem_of(store, created["id"])["case"]["timeline"][-1]["action"] == "dispatch"
