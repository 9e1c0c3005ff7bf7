"""If-Match as RFC 9110 has it, in OGC API Part 4 and in the own API: strong comparison, and `*` for any current version."""

from __future__ import annotations

import pytest

from tests.conftest import make_feature
from tests.ogcapi.conftest import bearer
from tests.web.conftest import login

ITEMS = "/ogc/collections/courtyards/items"
API = "/api/layers/courtyards/features"


@pytest.fixture
def editor(private_app):
    client = private_app.test_client()
    client.environ_base["HTTP_X_CSRF_TOKEN"] = login(client, "editor1")
    return client


def _body(method: str) -> dict | None:
    return make_feature("兑周村1号院", "relapsed", x=113.660) if method != "delete" else None


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_a_weak_etag_is_refused_with_412_and_nothing_changes(client, private_app, method):
    auth = bearer(private_app, "editor1")
    before = client.get(f"{ITEMS}/c-0001", headers=auth)
    weak = "W/" + before.headers["ETag"]
    resp = client.open(f"{ITEMS}/c-0001", method=method.upper(), json=_body(method), headers={**auth, "If-Match": weak})
    assert resp.status_code == 412
    assert resp.get_json()["code"] == "precondition_failed" and "弱 ETag" in resp.get_json()["description"]
    after = client.get(f"{ITEMS}/c-0001", headers=auth)
    assert after.headers["ETag"] == before.headers["ETag"] and after.get_json() == before.get_json()


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_if_match_star_writes_against_the_current_version(client, private_app, method):
    auth = bearer(private_app, "editor1")
    first = client.patch(f"{ITEMS}/c-0001", json={"properties": {"status": "rectified"}},
                         headers={**auth, "If-Match": "*"})
    assert first.status_code == 200 and first.headers["ETag"] == '"c-0001-v2"'
    resp = client.open(f"{ITEMS}/c-0001", method=method.upper(), json=_body(method), headers={**auth, "If-Match": "*"})
    assert resp.status_code == (204 if method == "delete" else 200), resp.get_json()
    now = client.get(f"{ITEMS}/c-0001", headers=auth)
    if method == "delete":
        assert now.status_code == 404
    else:
        assert now.headers["ETag"] == '"c-0001-v3"' and now.get_json()["properties"]["status"] == "relapsed"


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_if_match_star_on_a_missing_item_is_412(client, private_app, method):
    resp = client.open(f"{ITEMS}/c-0999", method=method.upper(), json=_body(method),
                       headers={**bearer(private_app, "editor1"), "If-Match": "*"})
    assert resp.status_code == 412
    assert "c-0999" in resp.get_json()["description"] and "不存在" in resp.get_json()["description"]


def test_a_list_with_a_weak_and_a_strong_tag_matches_the_strong_one(client, private_app):
    auth = bearer(private_app, "editor1")
    resp = client.patch(f"{ITEMS}/c-0001", json={"properties": {"status": "rectified"}},
                        headers={**auth, "If-Match": 'W/"c-0001-v1", "c-0001-v1"'})
    assert resp.status_code == 200


def test_the_own_api_refuses_a_weak_etag_with_412(editor):
    resp = editor.patch(f"{API}/c-0002", json={"properties": {"status": "in_progress"}},
                        headers={"If-Match": 'W/"c-0002-v1"'})
    assert resp.status_code == 412
    assert resp.get_json()["error"] == "precondition_failed" and "弱 ETag" in resp.get_json()["message"]
    assert editor.get(f"{API}/c-0002").get_json()["properties"]["version"] == 1
    assert editor.delete(f"{API}/c-0002", headers={"If-Match": 'W/"c-0002-v1"'}).status_code == 412
    assert editor.get(f"{API}/c-0002").status_code == 200


def test_the_own_api_accepts_if_match_star_as_the_current_version(editor):
    assert editor.patch(f"{API}/c-0002", json={"properties": {"status": "in_progress"}, "version": 1}).status_code == 200
    resp = editor.patch(f"{API}/c-0002", json={"properties": {"status": "rectified"}}, headers={"If-Match": "*"})
    assert resp.status_code == 200 and resp.get_json()["properties"]["version"] == 3
    assert editor.delete(f"{API}/c-0002", headers={"If-Match": "*"}).status_code == 204
    gone = editor.patch(f"{API}/c-0002", json={"properties": {"status": "pending"}}, headers={"If-Match": "*"})
    assert gone.status_code == 412 and "不存在" in gone.get_json()["message"]
    assert editor.delete(f"{API}/c-0002", headers={"If-Match": "*"}).status_code == 412


def test_a_ledger_write_with_if_match_star_goes_against_the_version_it_read(editor):
    problem = {"category": "飞线充电", "description": "三号楼飞线", "found_on": "2026-11-20", "deadline": "2026-11-30"}
    resp = editor.post(f"{API}/c-0001/problems", json={"problem": problem}, headers={"If-Match": "*"})
    assert resp.status_code == 201, resp.get_json()
    assert resp.get_json()["properties"]["version"] == 2
    weak = editor.post(f"{API}/c-0001/problems", json={"problem": problem}, headers={"If-Match": 'W/"c-0001-v2"'})
    assert weak.status_code == 412
    assert len(editor.get(f"{API}/c-0001").get_json()["properties"]["problems"]) == 1
