"""Data shifted WGS84 → GCJ-02 for display on an AMap basemap; stored data stays WGS84."""

from __future__ import annotations

import numpy as np
import orjson
import pytest
from pyproj import Geod

from geo.basemaps.base import BadRequest
from geo.basemaps.crs import GCJ02_MARGIN, collection_in, display_crs, shift_features, wgs84_bbox
from geo.exchange.gcj02 import gcj02_to_wgs84, wgs84_to_gcj02
from geo.geojson_io import dumps

GEOD = Geod(ellps="WGS84")


@pytest.fixture
def client(make_app):
    return make_app().test_client()


def coords(collection: dict) -> np.ndarray:
    out = []

    def walk(c):
        if c and isinstance(c[0], (int, float)):
            out.append(c[:2])
        else:
            for item in c:
                walk(item)

    for f in collection["features"]:
        walk(f["geometry"]["coordinates"])
    return np.asarray(out, dtype=float)


def metres(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return GEOD.inv(a[:, 0], a[:, 1], b[:, 0], b[:, 1])[2]


def test_shapes_for_an_amap_basemap_are_shifted_about_570_m_in_zhengzhou(client):
    stored = client.get("/api/wall/shapes/courtyards").get_json()
    shifted = client.get("/api/wall/shapes/courtyards?crs=gcj02").get_json()
    assert [f["id"] for f in shifted["features"]] == [f["id"] for f in stored["features"]]
    assert [f["properties"] for f in shifted["features"]] == [f["properties"] for f in stored["features"]]
    d = metres(coords(stored), coords(shifted))
    assert len(d) == 10
    assert np.all((d > 450) & (d < 700)), d


def test_boundaries_and_their_label_points_are_shifted_with_them(client):
    stored = client.get("/api/boundaries/street").get_json()
    shifted = client.get("/api/boundaries/street?crs=gcj02").get_json()
    assert len(shifted["features"]) == len(stored["features"]) > 0
    d = metres(coords(stored), coords(shifted))
    assert np.all((d > 450) & (d < 700))
    labels = np.array([f["properties"]["label_point"] for f in stored["features"]])
    moved = np.array([f["properties"]["label_point"] for f in shifted["features"]])
    assert np.all((metres(labels, moved) > 450) & (metres(labels, moved) < 700))


def test_display_round_trip_leaves_the_stored_coordinates_unchanged(client, seeded, make_app):
    layer_file = seeded / "layers" / "courtyards.geojson"
    before_file = layer_file.read_bytes()
    stored = client.get("/api/layers/courtyards/features").get_json()
    shifted = client.get("/api/wall/shapes/courtyards?crs=gcj02").get_json()
    client.get("/api/boundaries/community?crs=gcj02")
    back_lon, back_lat = gcj02_to_wgs84(coords(shifted)[:, 0], coords(shifted)[:, 1])
    assert np.abs(np.column_stack([back_lon, back_lat]) - coords(stored)).max() <= 1.5e-6  # the stored 6 decimals
    assert layer_file.read_bytes() == before_file
    assert client.get("/api/layers/courtyards/features").get_json() == stored
    assert client.get("/api/wall/shapes/courtyards").get_json()["features"][0]["geometry"] == stored["features"][0]["geometry"]
    fresh = make_app().test_client()  # nothing shifted was kept in memory either
    assert fresh.get("/api/layers/courtyards/features").get_json() == stored


def test_each_crs_has_its_own_etag_and_follows_edits(client, make_app):
    app = client.application
    wgs = client.get("/api/wall/shapes/courtyards")
    gcj = client.get("/api/wall/shapes/courtyards?crs=gcj02")
    assert wgs.headers["ETag"] != gcj.headers["ETag"]
    assert client.get("/api/wall/shapes/courtyards?crs=gcj02", headers={"If-None-Match": wgs.headers["ETag"]}).status_code == 200
    assert client.get("/api/wall/shapes/courtyards?crs=gcj02", headers={"If-None-Match": gcj.headers["ETag"]}).status_code == 304
    store = app.extensions["guatu"].store
    f = store.features("courtyards")[0]
    ring = [[113.64, 34.73], [113.641, 34.73], [113.641, 34.731], [113.64, 34.731], [113.64, 34.73]]
    store.update("courtyards", f["id"], expected_version=f["properties"]["version"], user="测试",
                 geometry={"type": "Polygon", "coordinates": [ring]})
    after = client.get("/api/wall/shapes/courtyards?crs=gcj02", headers={"If-None-Match": gcj.headers["ETag"]})
    assert after.status_code == 200
    moved = next(x for x in after.get_json()["features"] if x["id"] == f["id"])
    assert 450 < metres(np.array([[113.64, 34.73]]), np.array([moved["geometry"]["coordinates"][0][0]]))[0] < 700


@pytest.mark.parametrize("path", ["/api/wall/shapes/courtyards?crs=bd09", "/api/boundaries/street?crs=EPSG:3857"])
def test_an_unknown_crs_is_refused_with_400(client, path):
    resp = client.get(path)
    assert resp.status_code == 400
    assert resp.get_json()["error"] == "bad_request"
    assert "wgs84, gcj02" in resp.get_json()["message"]


def test_crs_parameter_defaults_to_wgs84_and_ignores_case():
    assert display_crs(None) == display_crs("") == display_crs("WGS84") == "wgs84"
    assert display_crs("GCJ02") == "gcj02"
    with pytest.raises(BadRequest):
        display_crs("bd09")


def test_wgs84_collection_is_passed_through_untouched():
    body = b'{"type":"FeatureCollection","features":[]}'
    assert collection_in(body, "wgs84") is body


def test_every_geometry_type_and_missing_geometry_survive_the_shift():
    features = [
        {"type": "Feature", "id": "p", "properties": {}, "geometry": {"type": "Point", "coordinates": [113.6, 34.7]}},
        {"type": "Feature", "id": "l", "properties": {},
         "geometry": {"type": "MultiLineString", "coordinates": [[[113.6, 34.7], [113.61, 34.71]], [[113.62, 34.7], [113.63, 34.7]]]}},
        {"type": "Feature", "id": "h", "properties": {"label_point": [113.605, 34.705]},
         "geometry": {"type": "Polygon", "coordinates": [
             [[113.6, 34.7], [113.61, 34.7], [113.61, 34.71], [113.6, 34.71], [113.6, 34.7]],
             [[113.602, 34.702], [113.604, 34.702], [113.604, 34.704], [113.602, 34.702]]]}},
        {"type": "Feature", "id": "none", "properties": {}, "geometry": None},
    ]
    doc = {"type": "FeatureCollection", "features": [dict(f) for f in features]}
    shifted = orjson.loads(collection_in(dumps(doc), "gcj02"))["features"]
    assert [f["geometry"] and f["geometry"]["type"] for f in shifted] == ["Point", "MultiLineString", "Polygon", None]
    assert len(shifted[2]["geometry"]["coordinates"]) == 2  # the hole is kept
    assert shifted[2]["properties"]["label_point"] != [113.605, 34.705]
    shift_features([])  # nothing to do is fine


def test_a_gcj02_viewport_box_is_found_again_in_wgs84_a_little_wider():
    w, s, e, n = 113.62, 34.71, 113.66, 34.74  # stored (WGS84) corners of a screen's view
    lon, lat = wgs84_to_gcj02(np.array([w, e]), np.array([s, n]))
    box = [float(v) for v in wgs84_bbox(f"{lon[0]},{lat[0]},{lon[1]},{lat[1]}", "gcj02").split(",")]
    assert box == pytest.approx([w - GCJ02_MARGIN, s - GCJ02_MARGIN, e + GCJ02_MARGIN, n + GCJ02_MARGIN], abs=1e-6)
    assert wgs84_bbox("113.62,34.71,113.66,34.74", "wgs84") == "113.62,34.71,113.66,34.74"  # already WGS84
    assert wgs84_bbox("east,34.71", "gcj02") == "east,34.71"  # left for the parameter's parser to refuse
    assert wgs84_bbox(None, "gcj02") is None

