"""The read-only JSON API."""

from __future__ import annotations

import gzip
import json

from geo.store import open_store


def test_campaign_describes_statuses_layers_and_counts(client):
    body = client.get("/api/campaign").get_json()
    assert body["title"].startswith("二七区")
    assert [s["key"] for s in body["statuses"]][:2] == ["unsurveyed", "pending"]
    assert {x["id"]: x["count"] for x in body["layers"]} == {"courtyards": 3, "roads": 0, "villages": 0}
    assert body["revision"] == 3


def test_layer_features_are_geojson_with_every_property(client):
    resp = client.get("/api/layers/courtyards/features")
    assert resp.status_code == 200
    assert resp.mimetype == "application/geo+json"
    doc = json.loads(resp.data)
    assert doc["type"] == "FeatureCollection"
    names = [f["properties"]["name"] for f in doc["features"]]
    assert names == ["兑周村1号院", "中原东路5号院", "<img src=x onerror=alert(1)>"]
    first = doc["features"][0]
    assert first["id"] == "c-0001"
    assert first["properties"]["version"] == 1 and first["properties"]["updated_by"] == "张三"
    assert first["geometry"]["type"] == "Polygon"


def test_features_filter_by_status(client):
    doc = json.loads(client.get("/api/layers/courtyards/features?status=pending,accepted").data)
    assert sorted(f["properties"]["name"] for f in doc["features"]) == ["中原东路5号院", "兑周村1号院"]


def test_unchanged_layer_answers_304_and_a_change_a_new_etag(client, seeded, campaign):
    first = client.get("/api/layers/courtyards/features")
    etag = first.headers["ETag"]
    again = client.get("/api/layers/courtyards/features", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    store = open_store(seeded, campaign)  # another process's write
    store.update("courtyards", "c-0002", properties={"status": "in_progress"}, expected_version=1, user="王五")
    changed = client.get("/api/layers/courtyards/features", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_large_responses_are_gzipped(client):
    resp = client.get("/api/layers/courtyards/features", headers={"Accept-Encoding": "gzip"})
    assert resp.headers["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(resp.data))["type"] == "FeatureCollection"


def test_one_feature_with_its_version_as_etag(client):
    resp = client.get("/api/layers/courtyards/features/c-0002")
    assert resp.status_code == 200
    assert resp.get_json()["properties"]["name"] == "中原东路5号院"
    assert resp.headers["ETag"] == '"c-0002-v1"'


def test_unknown_layer_or_feature_is_a_json_404(client):
    for url in ("/api/layers/nope/features", "/api/layers/courtyards/features/c-9999", "/api/nothing-here"):
        resp = client.get(url)
        assert resp.status_code == 404, url
        assert resp.get_json()["error"] == "not_found"
        assert resp.get_json()["message"]


def test_history_lists_changes_with_who_and_versions(client, seeded, campaign):
    store = open_store(seeded, campaign)
    store.update("courtyards", "c-0002", properties={"status": "rectified"}, expected_version=1, user="王五")
    entries = client.get("/api/layers/courtyards/features/c-0002/history").get_json()
    assert [(e["op"], e["version"], e["user"]) for e in entries] == [("create", 1, "张三"), ("update", 2, "王五")]
    assert entries[1]["before"]["properties"]["status"] == "pending"
    assert entries[1]["after"]["properties"]["status"] == "rectified"


def test_changes_since_lists_only_newer_changes(client):
    body = client.get("/api/changes?since=2").get_json()
    assert body["revision"] == 3
    assert [(c["seq"], c["id"], c["status"]) for c in body["changes"]] == [(3, "c-0003", "in_progress")]


def test_wall_state_carries_status_and_derived_overdue(client):
    resp = client.get("/api/wall/state")
    state = resp.get_json()
    feats = state["layers"]["courtyards"]["features"]
    assert feats["c-0001"][0] == "accepted"
    assert feats["c-0002"][:2] == ["pending", 1]  # deadline 2026-11-01 passed on the fake clock's 2026-11-24
    assert state["counts"]["pending"] == 1 and state["total"] == 3
    assert client.get("/api/wall/state", headers={"If-None-Match": resp.headers["ETag"]}).status_code == 304


def test_wall_state_turns_overdue_at_local_midnight(client, seeded, campaign, clock):
    store = open_store(seeded, campaign)
    store.update("courtyards", "c-0003", properties={"deadline": "2026-11-24"}, expected_version=1, user="王五")
    clock.now = clock.now.replace(hour=15, minute=59)  # 23:59 in Zhengzhou
    assert client.get("/api/wall/state").get_json()["layers"]["courtyards"]["features"]["c-0003"][1] == 0
    clock.now = clock.now.replace(hour=16, minute=1)  # 00:01 the next day
    assert client.get("/api/wall/state").get_json()["layers"]["courtyards"]["features"]["c-0003"][1] == 1


def test_wall_shapes_carry_geometry_and_display_attributes_only(client):
    doc = json.loads(client.get("/api/wall/shapes/courtyards").data)
    props = doc["features"][0]["properties"]
    assert set(props) == {"name", "kind", "street", "community", "deadline", "unit", "people"}
    assert "problems" not in props


def test_health_reports_ok(client):
    assert client.get("/api/health").get_json()["ok"] is True
