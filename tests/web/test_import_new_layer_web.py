"""An import that makes a layer, through the web: administrators only; every worker of the campaign serves the
new layer without a restart (two apps on one data folder, as two gunicorn workers; both stores)."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from tests.web.conftest import PASSWORD, login
from web import create_app

KML = (Path(__file__).parent.parent / "exchange" / "files" / "google_earth.kml").read_bytes()
NEW = {"new_layer_id": "rectify_2027", "new_layer_title": "二〇二七年整治点位", "new_layer_kinds": "整治点位"}


@pytest.fixture(params=["geojson", "postgis"])
def workers(request, seeded, campaign, clock, tmp_path):
    config = {"TESTING": True, "GUATU_DATA": str(seeded), "GUATU_CLOCK": clock, "GUATU_INSTANCE": str(tmp_path / "instance"),
              "GUATU_PUBLIC_VIEW": True, "SECRET_KEY": "shared"}
    if request.param == "postgis":
        from geo.store.transfer import copy_to_postgis

        url, schema = request.getfixturevalue("postgis_url"), request.getfixturevalue("postgis_schema")
        copy_to_postgis(seeded, campaign, url, schema=schema)
        config |= {"GUATU_DATABASE_URL": url, "GUATU_DATABASE_SCHEMA": schema}
    made = [create_app(config), create_app(config)]
    acc = made[0].extensions["guatu_accounts"]
    acc.create_user("admin1", PASSWORD, "admin", "赵管")
    acc.create_user("editor1", PASSWORD, "editor", "李编")
    yield made
    for app in made:
        app.extensions["guatu"].store.close()


def test_a_layer_made_by_an_import_on_one_worker_is_served_by_the_other(workers):
    one, two = workers
    _, secret = one.extensions["guatu_accounts"].create_api_token("admin1", "script")
    auth = {"Authorization": f"Bearer {secret}"}
    writer, reader = one.test_client(), two.test_client()
    assert reader.get("/api/layers/rectify_2027/features").status_code == 404

    preview = writer.post("/api/imports", data={"file": (io.BytesIO(KML), "整治点位.kml"), **NEW}, headers=auth,
                          content_type="multipart/form-data")
    assert preview.status_code == 201, preview.data
    body = preview.get_json()
    assert body["new_layer"]["geometry_types"] == ["Polygon", "MultiPolygon", "LineString", "MultiLineString"]
    assert body["counts"]["add"] == 3
    assert reader.get("/api/layers/rectify_2027/features").status_code == 404  # made at commit, not before

    done = writer.post(body["commit"], headers=auth)
    assert done.status_code == 200 and len(done.get_json()["added"]) == 3

    served = reader.get("/api/layers/rectify_2027/features")
    assert served.status_code == 200
    assert {f["properties"]["name"] for f in served.get_json()["features"]} == {"兑周村3号院", "大学路(中原路至陇海路段)", "航海东路两侧"}
    assert "rectify_2027" in [x["id"] for x in reader.get("/api/layers").get_json()]
    items = reader.get("/ogc/collections/rectify_2027/items?f=json")
    assert items.status_code == 200 and len(items.get_json()["features"]) == 3
    assert writer.get("/api/layers/rectify_2027/features").status_code == 200
    state = reader.get("/api/wall/state")  # the wall's screens: the new layer's places with the others
    assert state.status_code == 200 and "rectify_2027" in state.get_data(as_text=True)
    shapes = reader.get("/api/wall/shapes/rectify_2027")
    assert shapes.status_code == 200


def test_only_an_administrator_is_offered_a_new_layer_and_may_ask_for_one(workers):
    one, _ = workers
    editor = one.test_client()
    csrf = login(editor, "editor1")
    assert "new_layer_id" not in editor.get("/import").data.decode()
    refused = editor.post("/import", data={"csrf_token": csrf, "layer": "+new", "file": (io.BytesIO(KML), "x.kml"), **NEW},
                          content_type="multipart/form-data")
    assert refused.status_code == 403
    assert "需要“管理”权限" in refused.data.decode()

    admin = one.test_client()
    csrf = login(admin, "admin1")
    page = admin.get("/import").data.decode()
    assert 'value="+new"' in page and 'name="new_layer_id"' in page
    report = admin.post("/import", data={"csrf_token": csrf, "layer": "+new", "file": (io.BytesIO(KML), "x.kml"), **NEW},
                        content_type="multipart/form-data")
    assert report.status_code == 200
    html = report.data.decode()
    assert "二〇二七年整治点位" in html and "rectify_2027" in html
    pid = re.search(r"/import/([\w-]+)/commit", html).group(1)
    done = admin.post(f"/import/{pid}/commit", data={"csrf_token": csrf})
    assert done.status_code == 200 and "导入完成" in done.data.decode()
    assert "二〇二七年整治点位" in admin.get("/import").data.decode()  # now a layer to import into


def test_a_new_layer_with_a_taken_id_is_explained_and_nothing_is_written(workers):
    one, _ = workers
    admin = one.test_client()
    csrf = login(admin, "admin1")
    taken = admin.post("/import", data={"csrf_token": csrf, "layer": "+new", "file": (io.BytesIO(KML), "x.kml"),
                                        **NEW, "new_layer_id": "roads"}, content_type="multipart/form-data")
    assert taken.status_code == 422
    assert "已有编号为 roads 的图层" in taken.data.decode()
    assert [x["id"] for x in admin.get("/api/layers").get_json()] == ["courtyards", "roads", "villages"]


def _square(name: str, x: float, y: float) -> dict:
    ring = [[x, y], [x + 0.001, y], [x + 0.001, y + 0.001], [x, y + 0.001], [x, y]]
    return {"type": "Feature", "properties": {"name": name}, "geometry": {"type": "Polygon", "coordinates": [ring]}}


def test_a_refused_commit_into_a_new_layer_leaves_no_layer_and_the_next_one_makes_it(workers):
    """A file with a place the campaign refuses (far outside the district): committed without leaving the refused
    place out, nothing is made — no empty layer in campaign.json, on either worker; leaving it out makes the layer."""
    one, two = workers
    _, secret = one.extensions["guatu_accounts"].create_api_token("admin1", "script")
    auth = {"Authorization": f"Bearer {secret}"}
    writer, reader = one.test_client(), two.test_client()
    doc = {"type": "FeatureCollection", "features": [_square("兑周村9号院", 113.660, 34.750), _square("远处", 10.0, 10.0)]}
    preview = writer.post("/api/imports", data={"file": (io.BytesIO(json.dumps(doc).encode()), "点位.geojson"), **NEW},
                          headers=auth, content_type="multipart/form-data")
    assert preview.status_code == 201, preview.data
    body = preview.get_json()
    assert body["counts"]["add"] == 1 and body["counts"]["reject"] == 1

    refused = writer.post(body["commit"], headers=auth)
    assert refused.status_code in (400, 422) and "1" in refused.get_json()["detail"]
    layers = ["courtyards", "roads", "villages"]
    assert [x["id"] for x in writer.get("/api/layers").get_json()] == layers
    assert [x["id"] for x in reader.get("/api/layers").get_json()] == layers
    assert "rectify_2027" not in (Path(one.config["GUATU_DATA"]) / "campaign.json").read_text(encoding="utf-8")

    done = writer.post(body["commit"], data={"skip_rejected": "yes"}, headers=auth)
    assert done.status_code == 200 and len(done.get_json()["added"]) == 1
    served = reader.get("/api/layers/rectify_2027/features").get_json()["features"]
    assert [f["properties"]["name"] for f in served] == ["兑周村9号院"]
