"""Part 2 (CRS): responses, bboxes and filter geometries in CRS84, EPSG:4326, EPSG:4490 (CGCS2000) and EPSG:3857,
each in its own axis order, with Content-Crs saying which; a round trip is exact to 1e-7° (1 cm in metres)."""

from __future__ import annotations

from urllib.parse import urlencode

import numpy as np
import pyproj
import pytest
import shapely
from shapely.geometry import shape

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
EPSG4326 = "http://www.opengis.net/def/crs/EPSG/0/4326"
EPSG4490 = "http://www.opengis.net/def/crs/EPSG/0/4490"
EPSG3857 = "http://www.opengis.net/def/crs/EPSG/0/3857"
ITEMS = "/ogc/collections/courtyards/items"
BOX = (113.60, 34.70, 113.65, 34.75)  # west, south, east, north


@pytest.fixture(scope="module")
def client(demo_server):
    return demo_server.app.test_client()


def _lon_lat(coords: np.ndarray, crs: str) -> np.ndarray:
    """Coordinates as the response gives them in `crs`, back to CRS84 longitude/latitude — independently of
    the server: lat-first CRSs swapped, EPSG:3857 inverted with pyproj (authority axis order, no always_xy)."""
    if crs in (EPSG4326, EPSG4490):
        return coords[:, ::-1]
    if crs == EPSG3857:
        back = pyproj.Transformer.from_crs("EPSG:3857", "EPSG:4326")  # EPSG:4326 answers latitude first
        lat, lon = back.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([lon, lat])
    return coords


def _coords(feature: dict) -> np.ndarray:
    return shapely.get_coordinates(shape(feature["geometry"]))


def test_every_collection_lists_its_crss_and_its_storage_crs(client):
    for c in client.get("/ogc/collections").get_json()["collections"]:
        assert c["crs"] == [CRS84, EPSG4326, EPSG4490, EPSG3857]
        assert c["storageCrs"] == CRS84


@pytest.mark.parametrize("crs", [CRS84, EPSG4326, EPSG4490, EPSG3857])
def test_places_come_back_in_the_crs_asked_for_and_return_to_where_they_were(client, demo_features, crs):
    resp = client.get(f"{ITEMS}?{urlencode({'crs': crs, 'limit': 1000})}")
    assert resp.status_code == 200
    assert resp.headers["Content-Crs"] == f"<{crs}>"
    stored = {f["id"]: f for f in demo_features["courtyards"]}
    features = resp.get_json()["features"]
    assert len(features) == len(stored)
    for f in features:
        sent, original = _coords(f), _coords(stored[f["id"]])
        assert np.abs(_lon_lat(sent, crs) - original).max() < 1e-7, f["id"]
        assert f["properties"] == stored[f["id"]]["properties"]


def test_cgcs2000_and_epsg_4326_put_latitude_first_and_web_mercator_is_in_metres(client, demo_features):
    original = _coords(demo_features["courtyards"][0])[0]
    fid = demo_features["courtyards"][0]["id"]
    for crs in (EPSG4326, EPSG4490):
        first = _coords(client.get(f"{ITEMS}/{fid}?{urlencode({'crs': crs})}").get_json())[0]
        assert first[0] == pytest.approx(original[1], abs=1e-9) and first[1] == pytest.approx(original[0], abs=1e-9)
    metres = _coords(client.get(f"{ITEMS}/{fid}?{urlencode({'crs': EPSG3857})}").get_json())[0]
    x, y = pyproj.Transformer.from_crs("OGC:CRS84", "EPSG:3857", always_xy=True).transform(*original)
    assert abs(metres[0] - x) < 0.01 and abs(metres[1] - y) < 0.01
    assert 12_600_000 < metres[0] < 12_700_000  # Zhengzhou, in metres east of Greenwich


def test_one_place_in_another_crs_says_so_and_has_its_own_etag(client, demo_features):
    fid = demo_features["courtyards"][0]["id"]
    plain = client.get(f"{ITEMS}/{fid}")
    other = client.get(f"{ITEMS}/{fid}?{urlencode({'crs': EPSG4490})}")
    assert other.status_code == 200 and other.headers["Content-Crs"] == f"<{EPSG4490}>"
    assert other.headers["ETag"] != plain.headers["ETag"]
    again = client.get(f"{ITEMS}/{fid}?{urlencode({'crs': EPSG4490})}", headers={"If-None-Match": other.headers["ETag"]})
    assert again.status_code == 304


def _ids(client, **params) -> list[str]:
    resp = client.get(f"{ITEMS}?{urlencode({'limit': 1000, **params})}")
    assert resp.status_code == 200, resp.get_json()
    return sorted(f["id"] for f in resp.get_json()["features"])


def test_a_bbox_in_any_crs_selects_the_same_places(client, demo_features):
    west, south, east, north = BOX
    expected = sorted(f["id"] for f in demo_features["courtyards"]
                      if shape(f["geometry"]).intersects(shapely.box(*BOX)))
    assert expected and len(expected) < len(demo_features["courtyards"])
    assert _ids(client, bbox=f"{west},{south},{east},{north}") == expected
    for crs in (EPSG4326, EPSG4490):
        assert _ids(client, bbox=f"{south},{west},{north},{east}", **{"bbox-crs": crs}) == expected
    x0, y0, x1, y1 = pyproj.Transformer.from_crs("OGC:CRS84", "EPSG:3857", always_xy=True).transform_bounds(*BOX)
    assert _ids(client, bbox=f"{x0},{y0},{x1},{y1}", **{"bbox-crs": EPSG3857}) == expected


def test_a_filter_geometry_in_cgcs2000_or_metres_selects_the_same_places(client, demo_features):
    west, south, east, north = BOX
    expected = sorted(f["id"] for f in demo_features["courtyards"]
                      if shape(f["geometry"]).intersects(shapely.box(*BOX)))
    lat_first = f"POLYGON(({south} {west}, {south} {east}, {north} {east}, {north} {west}, {south} {west}))"
    assert _ids(client, filter=f"S_INTERSECTS(geometry, {lat_first})", **{"filter-crs": EPSG4490}) == expected
    x0, y0, x1, y1 = pyproj.Transformer.from_crs("OGC:CRS84", "EPSG:3857", always_xy=True).transform_bounds(*BOX)
    assert _ids(client, filter=f"S_INTERSECTS(geometry, BBOX({x0},{y0},{x1},{y1}))",
                **{"filter-crs": EPSG3857}) == expected


@pytest.mark.parametrize(("params", "parameter"), [
    ({"crs": "http://www.opengis.net/def/crs/EPSG/0/32650"}, "crs"),
    ({"bbox": "1,2,3,4", "bbox-crs": "EPSG:2000"}, "bbox-crs"),
    ({"bbox": "113.6,34.7,113.65,34.75", "bbox-crs": EPSG4326}, "bbox"),  # longitude first where latitude goes
    ({"bbox": "12660000,4130000,12650000,4120000", "bbox-crs": EPSG3857}, "bbox"),
])
def test_a_crs_not_served_or_a_box_in_the_wrong_axis_order_is_a_400(client, params, parameter):
    resp = client.get(f"{ITEMS}?{urlencode(params)}")
    assert resp.status_code == 400
    assert resp.get_json()["parameter"] == parameter
