"""A place's history page: readable, escaped, and revert with CSRF."""

from __future__ import annotations

from tests.web.conftest import login


def test_history_page_shows_changes_and_reverts_as_a_new_change(private_app):
    client = private_app.test_client()
    csrf = login(client, "editor1")
    client.patch("/api/layers/courtyards/features/c-0002", headers={"X-CSRF-Token": csrf},
                 json={"version": 1, "properties": {"name": "<script>alert(1)</script>院", "status": "accepted"}})
    page = client.get("/places/courtyards/c-0002/history").data.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;院" in page and "<script>alert(1)" not in page
    assert "待整改" in page and "已验收" in page and "李编 (editor1)" in page
    resp = client.post("/places/courtyards/c-0002/revert", data={"csrf_token": csrf, "to_version": "1", "version": "2"})
    assert resp.status_code == 302
    feature = client.get("/api/layers/courtyards/features/c-0002").get_json()
    assert feature["properties"]["name"] == "中原东路5号院" and feature["properties"]["version"] == 3
    assert "已恢复到第 1 版" in client.get("/places/courtyards/c-0002/history").data.decode()


def test_revert_without_csrf_token_is_refused(private_app):
    client = private_app.test_client()
    login(client, "editor1")
    resp = client.post("/places/courtyards/c-0002/revert", data={"to_version": "1", "version": "1"})
    assert resp.status_code == 403


def test_viewers_see_history_but_no_revert_button(private_app):
    client = private_app.test_client()
    login(client, "viewer1")
    page = client.get("/places/courtyards/c-0002/history").data.decode()
    assert "恢复到这一版" not in page
    assert client.get("/edit").status_code == 403


def test_the_history_page_shows_campaign_time_and_readable_values(private_app):
    client = private_app.test_client()
    csrf = login(client, "editor1")
    client.patch("/api/layers/courtyards/features/c-0002", headers={"X-CSRF-Token": csrf},
                 json={"version": 1, "properties": {"people": {"leader": "蔡红梅"}, "deadline": "2026-12-31"}})
    page = client.get("/places/courtyards/c-0002/history").data.decode()
    entry = client.get("/api/layers/courtyards/features/c-0002/history/readable").get_json()[-1]
    assert entry["when"] in page and " UTC" not in page
    assert "2026年12月31日" in page and "蔡红梅" in page and "{&#39;" not in page and "{'" not in page


def test_revert_asks_first_saying_what_it_will_do_then_reverts_with_the_version_it_showed(private_app):
    client = private_app.test_client()
    csrf = login(client, "editor1")
    client.patch("/api/layers/courtyards/features/c-0002", headers={"X-CSRF-Token": csrf},
                 json={"version": 1, "properties": {"status": "accepted"}})
    history = client.get("/places/courtyards/c-0002/history").data.decode()
    assert 'href="/places/courtyards/c-0002/revert/1"' in history and 'name="to_version"' not in history
    confirm = client.get("/places/courtyards/c-0002/revert/1").data.decode()
    assert "将恢复到第 1 版:状态 已验收 → 待整改" in confirm and "确认恢复" in confirm
    assert 'name="version" value="2"' in confirm
    assert client.get("/api/layers/courtyards/features/c-0002").get_json()["properties"]["version"] == 2  # asked only
    resp = client.post("/places/courtyards/c-0002/revert", data={"csrf_token": csrf, "to_version": "1", "version": "2"})
    assert resp.status_code == 302
    assert client.get("/api/layers/courtyards/features/c-0002").get_json()["properties"]["status"] == "pending"


def test_a_revert_to_an_unknown_version_is_not_found_and_viewers_may_not_ask(private_app):
    client = private_app.test_client()
    login(client, "editor1")
    assert client.get("/places/courtyards/c-0002/revert/99").status_code == 404
    viewer = private_app.test_client()
    login(viewer, "viewer1")
    assert viewer.get("/places/courtyards/c-0002/revert/1").status_code == 403
