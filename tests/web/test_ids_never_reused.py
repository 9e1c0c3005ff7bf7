"""Ids are never given twice, so an ETag, a link or a revert naming a deleted place can never reach
another place: over HTTP, through the JSON API and OGC API Part 4."""

from __future__ import annotations

import pytest

from geo.messages import t
from tests.web.conftest import login

LAYER = "courtyards"


@pytest.fixture
def editor(private_app):
    client = private_app.test_client()
    client.environ_base["HTTP_X_CSRF_TOKEN"] = login(client, "editor1")
    return client


def _feature(name: str, x: float = 113.666, y: float = 34.72, size: float = 0.001) -> dict:
    ring = [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
    return {"type": "Feature", "properties": {"name": name, "kind": "楼院", "status": "pending"},
            "geometry": {"type": "Polygon", "coordinates": [ring]}}


def test_an_etag_of_a_deleted_place_never_matches_the_place_created_after_it(editor):
    url = f"/api/layers/{LAYER}/features"
    first = editor.post(url, json=_feature("康复前街11号院"))
    assert first.status_code == 201 and first.headers["ETag"] == '"c-0004-v1"'
    edited = editor.patch(f"{url}/c-0004", json={"properties": {"status": "in_progress"}}, headers={"If-Match": '"c-0004-v1"'})
    assert edited.headers["ETag"] == '"c-0004-v2"'
    assert editor.delete(f"{url}/c-0004", headers={"If-Match": '"c-0004-v2"'}).status_code == 204

    second = editor.post(url, json=_feature("兑周村5号院"))
    assert second.status_code == 201 and second.get_json()["id"] == "c-0005"  # not the deleted place's id

    for etag in ('"c-0004-v1"', '"c-0004-v2"'):  # a client that still holds the deleted place's ETag
        stale = editor.patch(f"{url}/c-0004", json={"properties": {"status": "accepted"}}, headers={"If-Match": etag})
        assert stale.status_code == 404
        assert stale.get_json()["message"] == t("store.no_feature", fid="c-0004", layer="楼院·小区")  # in Chinese
        assert editor.patch(f"{url}/c-0005", json={"properties": {"status": "accepted"}},
                            headers={"If-Match": etag}).status_code == 400  # another place's ETag
    assert editor.get(f"{url}/c-0005").get_json()["properties"]["status"] == "pending"

    again = editor.post(url, json={**_feature("冒名的院"), "id": "c-0004"})
    assert again.status_code == 409
    assert again.get_json()["error"] == "conflict" and "不会重复使用" in again.get_json()["message"]


def test_a_revert_of_a_deleted_place_never_writes_over_another_place(editor):
    url = f"/api/layers/{LAYER}/features"
    editor.post(url, json=_feature("甲院"))  # c-0004
    editor.patch(f"{url}/c-0004", json={"properties": {"status": "accepted"}}, headers={"If-Match": '"c-0004-v1"'})
    editor.delete(f"{url}/c-0004", headers={"If-Match": '"c-0004-v2"'})
    created = editor.post(url, json=_feature("乙院")).get_json()
    assert created["id"] == "c-0005"

    revert = editor.post(f"{url}/c-0004/revert", json={"to_version": 1, "version": 1})
    assert revert.status_code == 404
    assert editor.get(f"{url}/c-0005").get_json() == created
    assert [e["op"] for e in editor.get(f"{url}/c-0005/history").get_json()] == ["create"]


def test_ogc_api_refuses_a_deleted_place_id_and_its_old_etags(editor):
    items = f"/ogc/collections/{LAYER}/items"
    editor.post(f"/api/layers/{LAYER}/features", json=_feature("甲院"))  # c-0004
    editor.delete(f"/api/layers/{LAYER}/features/c-0004", headers={"If-Match": '"c-0004-v1"'})
    replaced = editor.put(f"{items}/c-0004", json=_feature("乙院"), headers={"If-Match": '"c-0004-v1"'})
    assert replaced.status_code == 404
    posted = editor.post(items, json={**_feature("乙院"), "id": "c-0004"}, headers={"Content-Type": "application/geo+json"})
    assert posted.status_code == 409 and "不会重复使用" in posted.get_json()["description"]
    fresh = editor.post(items, json=_feature("丙院"), headers={"Content-Type": "application/geo+json"})
    assert fresh.status_code == 201 and fresh.headers["Location"].endswith("/c-0005")
