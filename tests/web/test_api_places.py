"""Ledger, history, revert, past states and locating over HTTP."""

from __future__ import annotations

import pytest

from tests.web.conftest import login


@pytest.fixture
def editor(private_app):
    client = private_app.test_client()
    client.environ_base["HTTP_X_CSRF_TOKEN"] = login(client, "editor1")
    return client


def test_a_problem_added_through_the_ledger_is_filed_as_a_case_and_only_the_loop_closes_it(editor):
    added = editor.post("/api/layers/courtyards/features/c-0001/problems", json={
        "version": 1, "problem": {"category": "飞线充电", "description": "剪飞线 30 余根", "deadline": "2026-11-30"}})
    assert added.status_code == 201
    props = added.get_json()["properties"]
    assert props["problems"][-1]["id"] == "c-0001-p1"
    assert props["problems"][-1]["case"]["stage"] == "filed" and props["problems"][-1]["case"]["source"] == "planner"
    assert props["status"] == "in_progress"  # was accepted: an open problem reopens it by the rule
    closed = editor.patch("/api/layers/courtyards/features/c-0001/problems/c-0001-p1",
                          json={"version": 2, "problem": {"status": "closed"}})
    assert closed.status_code == 409
    assert [a["action"] for a in closed.get_json()["allowed"]] == ["dispatch", "suspend"]
    assert editor.get("/api/layers/courtyards/features/c-0001").get_json()["properties"]["version"] == 2


def test_a_bad_problem_is_refused_with_its_field(editor):
    resp = editor.post("/api/layers/courtyards/features/c-0001/problems",
                       json={"version": 1, "problem": {"category": "不存在的类别"}})
    assert resp.status_code == 422
    assert resp.get_json()["fields"][0]["field"] == "problems[0].category"


def test_readable_history_names_fields_in_chinese(editor):
    editor.patch("/api/layers/courtyards/features/c-0002", json={"version": 1, "properties": {"status": "rectified", "unit": "区城管局"}})
    history = editor.get("/api/layers/courtyards/features/c-0002/history/readable").get_json()
    last = history[-1]
    assert last["user"] == "李编 (editor1)" and last["version"] == 2
    changes = {c["label"]: (c["before"], c["after"]) for c in last["changes"]}
    assert changes["状态"] == ("待整改", "已整改")
    assert changes["责任单位"] == ("", "区城管局")


def test_revert_brings_back_an_earlier_version_as_a_new_change(editor):
    square = {"type": "Polygon", "coordinates": [[[113.7, 34.75], [113.701, 34.75], [113.701, 34.751], [113.7, 34.751],
                                                  [113.7, 34.75]]]}
    editor.patch("/api/layers/courtyards/features/c-0002",
                 json={"version": 1, "properties": {"name": "改名院", "status": "accepted"}, "geometry": square})
    reverted = editor.post("/api/layers/courtyards/features/c-0002/revert", json={"version": 2, "to_version": 1})
    assert reverted.status_code == 200
    props = reverted.get_json()["properties"]
    assert props["name"] == "中原东路5号院" and props["status"] == "pending" and props["version"] == 3
    assert reverted.get_json()["geometry"]["coordinates"][0][0] == [113.662, 34.72]
    stale = editor.post("/api/layers/courtyards/features/c-0002/revert", json={"version": 2, "to_version": 1})
    assert stale.status_code == 409


def test_the_layer_as_it_stood_on_a_date(editor, private_app, clock):
    clock.advance(days=2)  # 2026-11-26: a new working day, a new login (a session lasts 12 hours)
    editor.environ_base["HTTP_X_CSRF_TOKEN"] = login(editor, "editor1")
    editor.patch("/api/layers/courtyards/features/c-0002", json={"version": 1, "properties": {"status": "accepted"}})
    editor.delete("/api/layers/courtyards/features/c-0003", headers={"If-Match": '"c-0003-v1"'})
    answer = editor.get("/api/layers/courtyards/as-of/2026-11-25")
    before = answer.get_json()
    assert answer.status_code == 200, before
    statuses = {f["id"]: f["properties"]["status"] for f in before["features"]}
    assert statuses == {"c-0001": "accepted", "c-0002": "pending", "c-0003": "in_progress"}
    now = editor.get("/api/layers/courtyards/as-of/2026-11-26").get_json()
    assert {f["id"]: f["properties"]["status"] for f in now["features"]} == {"c-0001": "accepted", "c-0002": "accepted"}
    assert editor.get("/api/layers/courtyards/as-of/yesterday").status_code == 400


def test_locate_names_the_street_and_community_of_a_point(private_app, seeded):
    import shutil
    from pathlib import Path

    repo_data = Path(__file__).resolve().parents[2] / "data" / "boundaries"
    shutil.copytree(repo_data, seeded / "boundaries")
    client = private_app.test_client()
    login(client, "viewer1")
    found = client.get("/api/locate?lon=113.664&lat=34.727").get_json()
    assert found["street"] == "大学路街道" and found["community"]
    assert client.get("/api/locate?lon=east&lat=34.7").status_code == 400


def test_the_api_previews_a_revert_in_words_and_writes_nothing(editor):
    editor.patch("/api/layers/courtyards/features/c-0002", json={"version": 1, "properties": {"status": "rectified"}})
    preview = editor.get("/api/layers/courtyards/features/c-0002/revert/1")
    assert preview.status_code == 200
    body = preview.get_json()
    assert body["version"] == 2 and body["summary"] == "将恢复到第 1 版:状态 已整改 → 待整改" and body["warnings"] == []
    assert editor.get("/api/layers/courtyards/features/c-0002").get_json()["properties"]["version"] == 2
    missing = editor.get("/api/layers/courtyards/features/c-0002/revert/9")
    assert missing.status_code == 404 and missing.mimetype == "application/problem+json"
