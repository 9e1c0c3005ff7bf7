"""The store keeps each problem's case on every write but the case loop's (`case_write=True`): an edit, an OGC
replace, a revert or an import sending another case — or none — leaves the case, and the ledger fields that follow
it, as they are. Both backends."""

from __future__ import annotations

import copy

import pytest

from geo.store import Op

LAYER = "courtyards"
CASE = {"stage": "handling", "urgency": "normal", "source": "planner", "unit": "区住建局", "handler": None,
        "dispatcher": "zhihui", "reported_by": None, "verified_by": None, "stage_since": "2026-11-24T08:00:00Z",
        "stage_due": "2026-11-27T09:30:00Z", "filed_at": "2026-11-24T08:00:00Z", "closed_at": None,
        "held_stage": None, "held_left_s": None, "extension": None, "returns": 0, "handled_on_time": None,
        "timeline": []}
PROBLEM = {"id": "p1", "category": "飞线充电", "description": "飞线", "found_on": "2026-11-24", "status": "in_progress",
           "deadline": "2026-11-27", "responsible": "区住建局", "closed_on": None}


@pytest.fixture(params=["geojson", "postgis"])
def store(request, store_factory):
    return store_factory(request.param)


@pytest.fixture
def placed(store, make_feature):
    fid = store.create(LAYER, make_feature(problems=[PROBLEM]), user="alice").feature["id"]
    written = store.update(LAYER, fid, expected_version=1, user="loop", case_write=True,
                           properties={"problems": [{**PROBLEM, "case": CASE}]})
    return written.feature


def test_the_case_write_path_stores_the_case(store, placed):
    assert store.get(LAYER, placed["id"])["properties"]["problems"][0]["case"] == CASE


def test_an_edit_keeps_the_case_and_the_fields_that_follow_it(store, placed):
    sent = {**PROBLEM, "description": "飞线十余处", "status": "closed", "closed_on": "2026-11-25", "deadline": None,
            "responsible": "别人", "case": {**CASE, "stage": "closed"}}
    written = store.update(LAYER, placed["id"], expected_version=2, user="bob", properties={"problems": [sent]})
    problem = written.feature["properties"]["problems"][0]
    assert problem["case"] == CASE and problem["description"] == "飞线十余处"
    assert (problem["status"], problem["closed_on"], problem["deadline"], problem["responsible"]) == \
        ("in_progress", None, "2026-11-27", "区住建局")


def test_an_edit_without_the_case_keeps_it(store, placed):
    sent = {k: v for k, v in PROBLEM.items()}
    written = store.apply([Op("update", LAYER, placed["id"], properties={"problems": [sent]}, expected_version=2)],
                          user="bob")[0]
    assert written.feature["properties"]["problems"][0]["case"] == CASE


def test_a_case_sent_with_a_new_problem_or_place_is_dropped(store, placed, make_feature):
    new = {**PROBLEM, "id": "p2", "case": {**CASE, "stage": "closed"}}
    written = store.update(LAYER, placed["id"], expected_version=2, user="bob",
                           properties={"problems": [copy.deepcopy(placed["properties"]["problems"][0]), new]})
    assert "case" not in written.feature["properties"]["problems"][1]
    created = store.create(LAYER, make_feature(problems=[new]), user="bob").feature
    assert "case" not in created["properties"]["problems"][0]


def test_a_problem_without_a_case_gets_none_from_an_edit(store, make_feature):
    fid = store.create(LAYER, make_feature(problems=[PROBLEM]), user="alice").feature["id"]
    written = store.update(LAYER, fid, expected_version=1, user="bob",
                           properties={"problems": [{**PROBLEM, "case": CASE}]})
    assert "case" not in written.feature["properties"]["problems"][0]


def test_a_removed_problem_is_removed_with_its_case(store, placed):
    written = store.update(LAYER, placed["id"], expected_version=2, user="bob", properties={"problems": []})
    assert written.feature["properties"]["problems"] == []


def test_a_case_that_is_not_an_object_is_refused_on_the_case_path(store, placed):
    from geo.errors import ValidationError

    with pytest.raises(ValidationError) as refused:
        store.update(LAYER, placed["id"], expected_version=2, user="loop", case_write=True,
                     properties={"problems": [{**PROBLEM, "case": "closed"}]})
    assert refused.value.errors[0].field == "problems[0].case"
