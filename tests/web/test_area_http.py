"""The campaign area over HTTP: the JSON API, OGC API Part 4 and the import preview refuse a place outside
the real district boundary (and its buffer), saying how far outside it is."""

from __future__ import annotations

import io
import json
import shutil

import pytest

from tests.conftest import REPO
from tests.test_area import east_of_district, square_at
from tests.web.conftest import PASSWORD, login
from web import create_app

LAYER = "courtyards"


@pytest.fixture
def editor(tmp_path, clock):
    data = tmp_path / "erqi"
    shutil.copytree(REPO / "data", data)
    app = create_app({"TESTING": True, "GUATU_DATA": str(data), "GUATU_CLOCK": clock,
                      "GUATU_INSTANCE": str(tmp_path / "instance")})
    app.extensions["guatu_accounts"].create_user("editor1", PASSWORD, "editor", "李编")
    client = app.test_client()
    client.environ_base["HTTP_X_CSRF_TOKEN"] = login(client, "editor1")
    return client


def test_the_api_refuses_a_place_1_km_outside_the_district_and_accepts_one_100_m_outside(editor):
    url = f"/api/layers/{LAYER}/features"
    refused = editor.post(url, json=square_at(*east_of_district(1000)))
    assert refused.status_code == 422
    (field,) = refused.get_json()["fields"]
    assert field["field"] == "geometry.coordinates" and field["message"].startswith("位于区界外 1.0 公里")
    assert editor.post(url, json=square_at(*east_of_district(100))).status_code == 201
    assert editor.post(url, json=square_at(113.63, 34.72)).status_code == 201


def test_ogc_api_transactions_refuse_a_place_outside_the_district(editor):
    items = f"/ogc/collections/{LAYER}/items"
    posted = editor.post(items, json=square_at(*east_of_district(2300)), headers={"Content-Type": "application/geo+json"})
    assert posted.status_code == 422
    assert "位于区界外 2.3 公里" in posted.get_json()["description"]
    current = editor.get(f"{items}/c-0001")
    moved = editor.put(f"{items}/c-0001", json={**current.get_json(), "geometry": square_at(*east_of_district(2300))["geometry"]},
                       headers={"If-Match": current.headers["ETag"], "Content-Type": "application/geo+json"})
    assert moved.status_code == 422 and "位于区界外" in moved.get_json()["description"]
    assert editor.get(f"{items}/c-0001").headers["ETag"] == current.headers["ETag"]


def test_an_import_of_the_neighbouring_district_is_previewed_as_refused_not_added(editor):
    places = json.loads((REPO / "data" / "layers" / "courtyards.geojson").read_bytes())["features"][:20]
    neighbours = []
    for i, feature in enumerate(places):  # the same courtyards moved 15 km east, into the next district
        ring = [[x + 0.165, y] for x, y in feature["geometry"]["coordinates"][0]] \
            if feature["geometry"]["type"] == "Polygon" else None
        if ring:
            neighbours.append({"type": "Feature", "id": f"n-{i}", "properties": {
                "name": feature["properties"]["name"], "kind": feature["properties"]["kind"], "status": "pending"},
                "geometry": {"type": "Polygon", "coordinates": [ring]}})
    body = json.dumps({"type": "FeatureCollection", "features": neighbours}, ensure_ascii=False).encode()
    resp = editor.post(f"/api/layers/{LAYER}/imports", data={"file": (io.BytesIO(body), "neighbours.geojson")})
    assert resp.status_code == 201
    preview = resp.get_json()
    assert preview["counts"]["add"] == 0 and preview["counts"]["reject"] == len(neighbours) > 10
    assert all("位于区界外" in item["errors"][0]["message"] for item in preview["items"])
