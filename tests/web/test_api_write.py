"""Writes through the HTTP API: versions, validation, conflicts, batches, hostile bodies."""

from __future__ import annotations

import pytest

from geo.messages import t
from tests.web.conftest import login


@pytest.fixture
def editor(private_app):
    client = private_app.test_client()
    csrf = login(client, "editor1")
    client.environ_base["HTTP_X_CSRF_TOKEN"] = csrf
    return client


def square(x=113.666, y=34.72, size=0.001):
    return {"type": "Polygon", "coordinates": [[[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]]}


def test_create_returns_201_with_location_version_and_etag(editor):
    resp = editor.post("/api/layers/courtyards/features", json={
        "type": "Feature", "properties": {"name": "康复前街11号院", "kind": "无主管楼院", "status": "pending"},
        "geometry": square()})
    assert resp.status_code == 201
    body = resp.get_json()
    assert body["id"] == "c-0004" and body["properties"]["version"] == 1
    assert body["properties"]["updated_by"] == "李编 (editor1)"
    assert resp.headers["Location"] == "/api/layers/courtyards/features/c-0004"
    assert resp.headers["ETag"] == '"c-0004-v1"'


def test_invalid_feature_is_refused_with_every_field_named(editor):
    resp = editor.post("/api/layers/courtyards/features", json={
        "properties": {"name": "", "kind": "楼院", "status": "done-ish", "deadline": "next week"},
        "geometry": {"type": "Point", "coordinates": [113.6, 34.7]}})
    assert resp.status_code == 422
    fields = {f["field"] for f in resp.get_json()["fields"]}
    assert {"name", "status", "deadline", "geometry.type"} <= fields
    assert editor.get("/api/layers").get_json()[0]["count"] == 3


def test_self_intersecting_geometry_needs_consent_to_be_repaired(editor):
    bowtie = {"type": "Polygon", "coordinates": [[[113.66, 34.72], [113.661, 34.721], [113.661, 34.72],
                                                  [113.66, 34.721], [113.66, 34.72]]]}
    feature = {"properties": {"name": "蝴蝶院", "kind": "楼院", "status": "pending"}, "geometry": bowtie}
    refused = editor.post("/api/layers/courtyards/features", json=feature)
    assert refused.status_code == 422 and "Self-intersection" in refused.get_json()["message"]
    repaired = editor.post("/api/layers/courtyards/features?repair=true", json=feature)
    assert repaired.status_code == 201
    assert repaired.get_json()["geometry"]["type"] == "MultiPolygon"
    assert "make_valid" in repaired.get_json()["notes"][0]


def test_update_merges_properties_and_bumps_version(editor):
    resp = editor.patch("/api/layers/courtyards/features/c-0002", json={"properties": {"status": "in_progress"}},
                        headers={"If-Match": '"c-0002-v1"'})
    assert resp.status_code == 200
    props = resp.get_json()["properties"]
    assert props["status"] == "in_progress" and props["version"] == 2 and props["name"] == "中原东路5号院"


def test_stale_save_is_refused_with_what_changed_meanwhile(editor, private_app):
    other = private_app.test_client()
    csrf = login(other, "admin1")
    first = other.patch("/api/layers/courtyards/features/c-0002", json={"properties": {"status": "rectified"}, "version": 1},
                        headers={"X-CSRF-Token": csrf})
    assert first.status_code == 200
    stale = editor.patch("/api/layers/courtyards/features/c-0002", json={"properties": {"status": "pending"}, "version": 1})
    assert stale.status_code == 409
    body = stale.get_json()
    props = body["current"]["properties"]
    assert body["message"] == t("store.changed_meanwhile", id="c-0002", name=props["name"], version=2,
                                user=props["updated_by"], at=props["updated_at"], yours=1)
    assert body["current"]["properties"]["status"] == "rectified"
    deliberate = editor.patch("/api/layers/courtyards/features/c-0002", json={"properties": {"status": "pending"}, "version": 2})
    assert deliberate.status_code == 200


def test_a_write_without_a_version_is_refused(editor):
    resp = editor.patch("/api/layers/courtyards/features/c-0002", json={"properties": {"status": "pending"}})
    assert resp.status_code == 428
    mismatched = editor.patch("/api/layers/courtyards/features/c-0002", json={"properties": {}},
                              headers={"If-Match": '"c-0001-v1"'})
    assert mismatched.status_code == 400 and mismatched.get_json()["parameter"] == "If-Match"


def test_delete_needs_the_current_version(editor):
    assert editor.delete("/api/layers/courtyards/features/c-0003").status_code == 428
    assert editor.delete("/api/layers/courtyards/features/c-0003", headers={"If-Match": '"c-0003-v9"'}).status_code == 409
    assert editor.delete("/api/layers/courtyards/features/c-0003", headers={"If-Match": '"c-0003-v1"'}).status_code == 204
    assert editor.get("/api/layers/courtyards/features/c-0003").status_code == 404


def test_bulk_status_is_all_or_nothing(editor):
    refused = editor.post("/api/layers/courtyards/status",
                          json={"status": "accepted", "features": {"c-0001": 1, "c-0002": 7}})
    assert refused.status_code == 409
    assert editor.get("/api/layers/courtyards/features/c-0001").get_json()["properties"]["version"] == 1
    ok = editor.post("/api/layers/courtyards/status", json={"status": "accepted", "features": {"c-0001": 1, "c-0002": 1}})
    assert ok.status_code == 200
    assert ok.get_json()["updated"] == {"c-0001": 2, "c-0002": 2}
    unknown = editor.post("/api/layers/courtyards/status", json={"status": "finished", "features": {"c-0003": 1}})
    assert unknown.status_code == 422


@pytest.mark.parametrize("body", [
    b"{not json",
    b"[1, 2, 3]",
    b'{"properties": {"name": "x", "status": "pending", "kind": "\xe6\xa5\xbc"}, "geometry": ' + b"[" * 100000 + b"]" * 100000 + b"}",
    b'{"properties": {"name": "NaN", "kind": "\xe6\xa5\xbc\xe9\x99\xa2", "status": "pending"},'
    b' "geometry": {"type": "Polygon", "coordinates": [[[NaN, 34.7], [113.6, Infinity], [113.6, 34.7]]]}}',
    b'{"properties": {"name": "huge", "kind": "\xe6\xa5\xbc\xe9\x99\xa2", "status": "pending"},'
    b' "geometry": {"type": "LineString", "coordinates": ' + b"[" + b"[113.6, 34.7]," * 250000 + b"[113.6, 34.7]]}}",
])
def test_hostile_bodies_get_a_clear_4xx_never_a_500(editor, body):
    resp = editor.post("/api/layers/courtyards/features", data=body, content_type="application/json")
    assert 400 <= resp.status_code < 500, resp.data[:300]
    assert resp.get_json()["message"]


def test_a_repair_flag_that_is_neither_true_nor_false_is_refused_not_read_as_false(editor):
    bow = {"type": "Polygon", "coordinates": [[[113.66, 34.72], [113.661, 34.721], [113.661, 34.72],
                                               [113.66, 34.721], [113.66, 34.72]]]}
    feature = {"type": "Feature", "properties": {"name": "蝴蝶院", "kind": "楼院", "status": "pending"}, "geometry": bow}
    before = editor.get("/api/layers/courtyards/features").get_json()
    for value in ("ture", "yes please", "2"):
        refused = editor.post(f"/api/layers/courtyards/features?repair={value}", json=feature)
        assert refused.status_code == 400  # the validation layer, against the document's enum
        assert refused.get_json()["fields"][0]["field"] == "repair" and "true" in refused.get_json()["message"]
        patched = editor.patch(f"/api/layers/courtyards/features/c-0001?repair={value}",
                               json={"properties": {"status": "accepted"}}, headers={"If-Match": '"c-0001-v1"'})
        assert patched.status_code == 400
    assert editor.get("/api/layers/courtyards/features").get_json() == before
    assert editor.post("/api/layers/courtyards/features?repair=0", json=feature).status_code == 422  # not repaired
    assert editor.post("/api/layers/courtyards/features?repair=true", json=feature).status_code == 201
