"""A layer file edited by hand so that one place's geometry is valid JSON but no geometry: every route that
reads the layer says which file, line and place (503, the layer withheld), never a 500 from deep in shapely;
the other layers are served."""

from __future__ import annotations

import json

import pytest

from geo.store import open_store
from web import create_app

LAYER_FILE = "layers/courtyards.geojson"
BBOX = "bbox=113,34,114,35"
READERS = [
    f"/ogc/collections/courtyards/items?{BBOX}",
    "/ogc/collections/courtyards/items?filter-lang=cql2-text&filter="
    "S_INTERSECTS(geometry,POLYGON((113 34,114 34,114 35,113 35,113 34)))",
    f"/api/layers/courtyards/features?{BBOX}",
    "/print?format=pdf",
]


@pytest.fixture
def app_with_an_open_ring(seeded, campaign, clock, instance_dir, make_feature):
    path = seeded / LAYER_FILE
    lines = path.read_text(encoding="utf-8").split("\n")
    feature = json.loads(lines[1].rstrip(","))
    ring = feature["geometry"]["coordinates"][0]
    feature["geometry"]["coordinates"][0] = ring[:-1]  # the closing position deleted by hand
    lines[1] = json.dumps(feature, ensure_ascii=False) + ","
    path.write_text("\n".join(lines), encoding="utf-8")
    open_store(seeded, campaign, clock=clock).create("roads", make_feature("京广路", kind="道路"), user="张三")
    app = create_app({"TESTING": True, "GUATU_DATA": str(seeded), "GUATU_CLOCK": clock,
                      "GUATU_INSTANCE": str(instance_dir), "GUATU_PUBLIC_VIEW": True})
    return app, feature["id"]


@pytest.mark.parametrize("url", READERS)
def test_a_reader_of_the_layer_is_told_which_place_is_unreadable(app_with_an_open_ring, url):
    app, fid = app_with_an_open_ring
    resp = app.test_client().get(url)
    assert resp.status_code == 503, resp.get_data(as_text=True)[:300]
    body = resp.get_json()
    assert body["error"] == "broken_layer"
    assert f"{LAYER_FILE} 第 2 行" in body["message"] and f"'{fid}'" in body["message"]
    assert "多边形的环未闭合" in body["message"]


def test_the_rest_is_served_and_health_names_the_place(app_with_an_open_ring):
    app, fid = app_with_an_open_ring
    client = app.test_client()
    collections = client.get("/ogc/collections")
    assert collections.status_code == 200
    assert "roads" in {c["id"] for c in collections.get_json()["collections"]}
    roads = client.get(f"/ogc/collections/roads/items?{BBOX}")
    assert roads.status_code == 200
    assert [f["properties"]["name"] for f in roads.get_json()["features"]] == ["京广路"]
    health = client.get("/api/health")
    assert health.status_code == 503 and f"'{fid}'" in health.get_json()["broken_layers"]["courtyards"]
