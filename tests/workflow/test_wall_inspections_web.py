"""GET /api/wall/inspections for wall screens, and the links from the wall and the editor to the workflow pages."""

from __future__ import annotations

import pytest

from tests.web.conftest import login
from tests.web.test_wall_params import page_options

DAY = "2026-11-24"  # the fake clock's day
NOTES = "三楼飞线充电,已劝导"


@pytest.fixture
def editor(client):
    return client, login(client, "editor1")


def _draw_and_record(client, csrf) -> list[dict]:
    drawn = client.post(f"/api/inspections/{DAY}", json={"count": 4, "seed": 3}, headers={"X-CSRF-Token": csrf})
    assert drawn.status_code == 201, drawn.get_json()
    places = drawn.get_json()["places"]
    done = client.post(f"/api/inspections/{DAY}/{places[0]['id']}", json={"result": "ok", "notes": NOTES},
                       headers={"X-CSRF-Token": csrf})
    assert done.status_code == 201
    return places


def _display(app, url: str = "/wall") -> dict:
    _, secret = app.extensions["guatu_accounts"].create_display_token("指挥中心大屏", url)
    return {"X-Guatu-Display": secret}


def test_a_display_token_reads_the_days_list_without_notes_or_names(app, editor):
    client, csrf = editor
    places = _draw_and_record(client, csrf)
    screen = app.test_client()
    resp = screen.get("/api/wall/inspections", headers=_display(app))
    assert resp.status_code == 200
    body = resp.get_json()
    assert (body["date"], body["total"], body["inspected"]) == (DAY, 4, 1)
    assert [p["id"] for p in body["places"]] == [p["id"] for p in places]
    assert body["places"][0]["result"] == "ok" and body["places"][0]["label"] == "正常"
    text = resp.get_data(as_text=True)
    assert NOTES not in text and "戴新民" not in text and "editor1" not in text
    assert "notes" not in text and "inspector" not in text
    # the token opens this, never the lists themselves
    assert screen.get(f"/api/inspections/{DAY}", headers=_display(app)).status_code == 403


def test_an_unchanged_list_is_a_304_and_a_new_result_is_not(app, editor):
    client, csrf = editor
    places = _draw_and_record(client, csrf)
    screen, head = app.test_client(), _display(app)
    first = screen.get("/api/wall/inspections", headers=head)
    etag = first.headers["ETag"]
    again = screen.get("/api/wall/inspections", headers={**head, "If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    client.post(f"/api/inspections/{DAY}/{places[1]['id']}", json={"result": "relapse", "category": "乱堆乱放"},
                headers={"X-CSRF-Token": csrf})
    changed = screen.get("/api/wall/inspections", headers={**head, "If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert changed.get_json()["places"][1]["result"] == "relapse"
    assert changed.get_json()["counts"] == {"ok": 1, "problem": 0, "relapse": 1}


def test_viewers_read_it_and_strangers_do_not(app, editor):
    client, csrf = editor
    _draw_and_record(client, csrf)
    viewer = app.test_client()
    login(viewer, "viewer1")
    assert viewer.get("/api/wall/inspections").get_json()["total"] == 4
    assert app.test_client().get("/api/wall/inspections").status_code == 401


def test_a_day_without_a_list_is_an_empty_list_and_bad_input_is_refused(app, editor):
    client, _ = editor
    resp = client.get("/api/wall/inspections?date=2026-11-23")
    assert resp.status_code == 200
    assert resp.get_json()["places"] == [] and resp.get_json()["total"] == 0
    assert client.get("/api/wall/inspections?date=24.11.2026").status_code == 400
    assert client.get("/api/wall/inspections?crs=bd09").status_code == 400


def test_points_follow_the_screens_display_crs(app, editor):
    client, csrf = editor
    _draw_and_record(client, csrf)
    plain = client.get("/api/wall/inspections").get_json()["places"]
    shifted = client.get("/api/wall/inspections?crs=GCJ02").get_json()["places"]
    assert all(a["point"] != b["point"] and abs(a["point"][0] - b["point"][0]) < 0.02 for a, b in zip(plain, shifted))


def _wall_options(html: str) -> dict:
    return page_options(html)


def test_an_editors_wall_links_to_the_workflow_pages_and_a_display_screen_does_not(app, editor):
    client, _ = editor
    options = _wall_options(client.get("/wall").get_data(as_text=True))
    assert [link["href"] for link in options["links"]] == ["/inspections", "/mine", "/cases", "/reports/daily", "/wall/playback"]
    assert [link["label"] for link in options["links"]] == ["督导", "我的点位", "案件", "日报", "进度回放"]
    assert options["api"]["inspections"] == "/api/wall/inspections"
    assert options["api"]["milestones"] == "/api/progress/milestones"
    head = _display(app, "/wall?inspections=1")
    secret = head["X-Guatu-Display"]
    screen = _wall_options(app.test_client().get(f"/wall?display={secret}").get_data(as_text=True))
    assert screen["links"] == [] and screen["view"]["inspections"] is True
    viewer = app.test_client()
    login(viewer, "viewer1")
    assert _wall_options(viewer.get("/wall").get_data(as_text=True))["links"] == []


def test_the_editor_header_links_to_the_workflow_pages(editor):
    client, _ = editor
    html = client.get("/edit").get_data(as_text=True)
    for href in ("/inspections", "/mine", "/reports/daily"):
        assert f'"href": "{href}"' in html
