"""Part 4: create, replace, update and delete places over HTTP, with ETags and If-Match."""

from __future__ import annotations

import json
import shutil

import pytest
from shapely.geometry import shape

from geo.messages import t
from tests.conftest import DEMO_CAMPAIGN, make_feature
from tests.ogcapi.conftest import basic, bearer
from tests.web.conftest import login

ITEMS = "/ogc/collections/courtyards/items"


def _etag(resp) -> str:
    return resp.headers["ETag"]


def test_an_editor_creates_a_place_and_gets_its_location_and_etag(client, private_app):
    resp = client.post(ITEMS, json=make_feature("康复前街11号院", "pending", x=113.61), headers=bearer(private_app, "editor1"))
    assert resp.status_code == 201, resp.get_json()
    body = resp.get_json()
    fid = body["id"]
    assert resp.headers["Location"].endswith(f"{ITEMS}/{fid}")
    assert _etag(resp) == f'"{fid}-v1"'
    assert resp.mimetype == "application/geo+json"
    assert body["properties"]["updated_by"] == "李编 (editor1)"
    again = client.get(resp.headers["Location"], headers=bearer(private_app, "viewer1"))
    assert again.status_code == 200 and again.get_json()["properties"]["name"] == "康复前街11号院"
    assert _etag(again) == f'"{fid}-v1"'


def test_a_place_posted_as_geojson_with_basic_auth_is_created(client):
    resp = client.post(ITEMS, data=json.dumps(make_feature("铁路苗圃健身公园", "unsurveyed", x=113.62)),
                       content_type="application/geo+json", headers=basic("editor1"))
    assert resp.status_code == 201


def test_replace_puts_the_whole_feature_and_clears_what_it_leaves_out(client, private_app):
    auth = bearer(private_app, "editor1")
    current = client.get(f"{ITEMS}/c-0002", headers=auth)
    assert current.get_json()["properties"]["deadline"] == "2026-11-01"
    new = make_feature("中原东路5号院(改)", "in_progress", x=113.670)
    resp = client.put(f"{ITEMS}/c-0002", json=new, headers={**auth, "If-Match": _etag(current)})
    assert resp.status_code == 200, resp.get_json()
    props = resp.get_json()["properties"]
    assert props["name"] == "中原东路5号院(改)" and props["status"] == "in_progress"
    assert props["deadline"] is None and props["street"] is None  # not in the replacement, and no boundaries here
    assert props["version"] == 2 and _etag(resp) == '"c-0002-v2"'
    assert resp.get_json()["geometry"]["coordinates"][0][0] == [113.67, 34.72]


def _containing(data_dir, level: str, point) -> str:
    areas = json.loads((data_dir / "boundaries" / f"{level}.geojson").read_text(encoding="utf-8"))["features"]
    return next(a["properties"]["name"] for a in areas if shape(a["geometry"]).contains(point))


@pytest.mark.parametrize("method", ["PUT", "PATCH"])
def test_a_write_leaving_out_street_and_community_finds_them_again_from_the_boundaries(client, private_app, data_dir,
                                                                                       method):
    shutil.copytree(DEMO_CAMPAIGN.parent / "boundaries", data_dir / "boundaries")
    auth = bearer(private_app, "editor1")
    current = client.get(f"{ITEMS}/c-0002", headers=auth)
    moved = make_feature("中原东路5号院", "pending", x=113.640, y=34.745)
    if method == "PUT":  # the whole feature, without street or community
        resp = client.put(f"{ITEMS}/c-0002", json=moved, headers={**auth, "If-Match": _etag(current)})
    else:  # a merge patch that clears them
        resp = client.patch(f"{ITEMS}/c-0002", json={"properties": {"street": None, "community": ""},
                                                     "geometry": moved["geometry"]},
                            headers={**auth, "If-Match": _etag(current)}, content_type="application/merge-patch+json")
    assert resp.status_code == 200, resp.get_json()
    props = resp.get_json()["properties"]
    inside = shape(moved["geometry"]).representative_point()
    assert props["street"] == _containing(data_dir, "streets", inside) != current.get_json()["properties"]["street"]
    assert props["community"] == _containing(data_dir, "communities", inside)
    stored = client.get(f"{ITEMS}/c-0002", headers=auth).get_json()["properties"]
    assert (stored["street"], stored["community"]) == (props["street"], props["community"])


def test_patch_merges_properties_as_a_json_merge_patch(client, private_app):
    auth = bearer(private_app, "editor1")
    current = client.get(f"{ITEMS}/c-0002", headers=auth)
    patch = {"properties": {"status": "rectified", "deadline": None, "people": {"grid_worker": "戴新民"}}}
    resp = client.patch(f"{ITEMS}/c-0002", json=patch, headers={**auth, "If-Match": _etag(current)},
                        content_type="application/merge-patch+json")
    assert resp.status_code == 200, resp.get_json()
    props = resp.get_json()["properties"]
    assert props["status"] == "rectified" and props["deadline"] is None
    assert props["name"] == "中原东路5号院" and props["street"] == "福华街街道"  # untouched
    assert props["people"] == {"grid_worker": "戴新民"}
    assert resp.get_json()["geometry"] == current.get_json()["geometry"]
    second = client.patch(f"{ITEMS}/c-0002", json={"properties": {"people": {"grid_worker": None, "leader": "蔡红梅"}}},
                          headers={**auth, "If-Match": _etag(resp)})
    assert second.get_json()["properties"]["people"] == {"leader": "蔡红梅"}


def test_delete_removes_the_place(client, private_app):
    auth = bearer(private_app, "editor1")
    current = client.get(f"{ITEMS}/c-0001", headers=auth)
    resp = client.delete(f"{ITEMS}/c-0001", headers={**auth, "If-Match": _etag(current)})
    assert resp.status_code == 204
    assert client.get(f"{ITEMS}/c-0001", headers=auth).status_code == 404


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_a_stale_write_is_refused_with_412_and_nothing_changes(client, private_app, method):
    auth = bearer(private_app, "editor1")
    stale = _etag(client.get(f"{ITEMS}/c-0001", headers=auth))
    first = client.patch(f"{ITEMS}/c-0001", json={"properties": {"status": "rectified"}}, headers={**auth, "If-Match": stale})
    assert first.status_code == 200
    body = make_feature("兑周村1号院", "relapsed", x=113.660) if method != "delete" else None
    resp = client.open(f"{ITEMS}/c-0001", method=method.upper(), json=body, headers={**auth, "If-Match": stale})
    assert resp.status_code == 412
    error = resp.get_json()
    current = error["current"]["properties"]
    assert error["code"] == "precondition_failed" and current["status"] == "rectified"
    assert error["description"] == t("ogc.stale", fid="c-0001", name="兑周村1号院", version=2, user=current["updated_by"],
                                     at=current["updated_at"], yours=1, etag="c-0001-v2")
    now = client.get(f"{ITEMS}/c-0001", headers=auth)
    assert now.get_json()["properties"]["status"] == "rectified" and _etag(now) == '"c-0001-v2"'


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_a_write_without_if_match_is_refused_with_428(client, private_app, method):
    body = make_feature("兑周村1号院", "relapsed", x=113.660) if method != "delete" else None
    resp = client.open(f"{ITEMS}/c-0001", method=method.upper(), json=body, headers=bearer(private_app, "editor1"))
    assert resp.status_code == 428
    assert resp.get_json()["code"] == "precondition_required"
    assert "If-Match" in resp.get_json()["description"]


def test_an_etag_of_another_place_is_a_failed_precondition(client, private_app):
    resp = client.delete(f"{ITEMS}/c-0001", headers={**bearer(private_app, "editor1"), "If-Match": '"c-0002-v1"'})
    assert resp.status_code == 412


def test_an_invalid_place_is_refused_with_422_naming_the_fields(client, private_app):
    auth = bearer(private_app, "editor1")
    bad = make_feature("", "finished", x=113.63)
    resp = client.post(ITEMS, json=bad, headers=auth)  # a status the document does not list
    assert resp.status_code == 422
    assert {f["field"] for f in resp.get_json()["fields"]} == {"properties.status"}
    bad = make_feature("", "pending", x=113.63)
    bad["geometry"]["coordinates"] = [[[34.72, 113.63], [34.72, 113.64], [34.73, 113.64], [34.72, 113.63]]]
    resp = client.post(ITEMS, json=bad, headers=auth)  # of the document's shape, but against the campaign's rules
    assert resp.status_code == 422
    fields = {f["field"] for f in resp.get_json()["fields"]}
    assert {"name", "geometry.coordinates"} <= fields
    current = client.get(f"{ITEMS}/c-0001", headers=auth)
    resp = client.patch(f"{ITEMS}/c-0001", json={"properties": {"deadline": "2026-13-45", "kind": "写字楼"}},
                        headers={**auth, "If-Match": _etag(current)})
    assert resp.status_code == 422
    assert {f["field"] for f in resp.get_json()["fields"]} == {"deadline", "kind"}
    assert client.get(f"{ITEMS}/c-0001", headers=auth).headers["ETag"] == _etag(current)


def test_a_replacement_without_geometry_or_with_another_id_is_refused(client, private_app):
    auth = bearer(private_app, "editor1")
    tag = _etag(client.get(f"{ITEMS}/c-0001", headers=auth))
    no_geometry = {"type": "Feature", "properties": {"name": "兑周村1号院", "kind": "楼院", "status": "pending"}}
    resp = client.put(f"{ITEMS}/c-0001", json=no_geometry, headers={**auth, "If-Match": tag})
    assert resp.status_code == 422 and resp.get_json()["fields"][0]["field"] == "geometry"
    other = dict(make_feature("兑周村1号院", "pending", x=113.66), id="c-0002")
    resp = client.put(f"{ITEMS}/c-0001", json=other, headers={**auth, "If-Match": tag})
    assert resp.status_code == 422 and resp.get_json()["fields"][0]["field"] == "id"


def test_creating_an_existing_id_is_a_conflict(client, private_app):
    resp = client.post(ITEMS, json=dict(make_feature("重复", "pending"), id="c-0001"), headers=bearer(private_app, "editor1"))
    assert resp.status_code == 409


def test_a_body_that_is_not_json_is_refused(client, private_app):
    auth = bearer(private_app, "editor1")
    assert client.post(ITEMS, data="name=x", content_type="application/x-www-form-urlencoded", headers=auth).status_code == 415
    assert client.post(ITEMS, data="{not json", content_type="application/json", headers=auth).status_code == 400


def test_a_viewer_may_read_but_not_write(client, private_app):
    auth = bearer(private_app, "viewer1")
    current = client.get(f"{ITEMS}/c-0001", headers=auth)
    assert current.status_code == 200
    for method, body in (("POST", make_feature()), ("PUT", make_feature()), ("PATCH", {"properties": {}}), ("DELETE", None)):
        url = ITEMS if method == "POST" else f"{ITEMS}/c-0001"
        resp = client.open(url, method=method, json=body, headers={**auth, "If-Match": _etag(current)})
        assert resp.status_code == 403, method
        assert resp.get_json()["code"] == "forbidden"


def test_anonymous_callers_are_asked_for_credentials(client):
    for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
        url = ITEMS if method in ("GET", "POST") else f"{ITEMS}/c-0001"
        resp = client.open(url, method=method, json={} if method != "GET" else None)
        assert resp.status_code == 401, method
        assert "Basic" in resp.headers["WWW-Authenticate"]
        assert resp.get_json()["code"] == "unauthorized"


def test_a_wrong_password_is_refused(client):
    assert client.get(ITEMS, headers=basic("editor1", "wrong")).status_code == 401


def test_a_browser_session_needs_the_csrf_token_to_write(client):
    csrf = login(client, "editor1")
    current = client.get(f"{ITEMS}/c-0001", headers={"Accept": "application/geo+json"})
    patch = {"properties": {"status": "accepted"}}
    refused = client.patch(f"{ITEMS}/c-0001", json=patch, headers={"If-Match": _etag(current)})
    assert refused.status_code == 403
    done = client.patch(f"{ITEMS}/c-0001", json=patch, headers={"If-Match": _etag(current), "X-CSRF-Token": csrf})
    assert done.status_code == 200 and done.get_json()["properties"]["updated_by"] == "李编 (editor1)"


def test_every_write_is_in_the_journal_with_its_author(client, private_app):
    auth = bearer(private_app, "editor1")
    created = client.post(ITEMS, json=make_feature("大学路51号院", "pending", x=113.61), headers=auth)
    fid = created.get_json()["id"]
    client.patch(f"{ITEMS}/{fid}", json={"properties": {"status": "in_progress"}}, headers={**auth, "If-Match": _etag(created)})
    history = client.get(f"/api/layers/courtyards/features/{fid}/history", headers=auth).get_json()
    assert [(e["op"], e["user"]) for e in history] == [("create", "李编 (editor1)"), ("update", "李编 (editor1)")]
