"""GDAL's OAPIF driver (through pyogrio) reads every layer of the demo campaign from a live server."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, unquote

import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import shape

from geo.config import load_campaign
from geo.store import open_store
from tests.browser.harness import copy_demo, live_server
from tests.ogcapi.conftest import LAYERS, PASSWORD
from tests.ogcapi.gdal_client import list_layers, read_layer, read_source

TEXT_FIELDS = ("name", "kind", "street", "community", "status", "unit", "notes", "updated_by")


def _same_geometry(a, b) -> bool:
    if a.geom_type != b.geom_type and shapely.get_num_geometries(a) == 1 and shapely.get_num_geometries(b) == 1:
        a, b = shapely.get_geometry(a, 0), shapely.get_geometry(b, 0)  # Polygon read as a one-part MultiPolygon
    return shapely.equals_exact(shapely.normalize(a), shapely.normalize(b), tolerance=1e-6)


def _as_json(value):
    return json.loads(value) if isinstance(value, str) else value


def test_gdal_lists_every_layer_of_the_campaign(demo_server):
    layers = dict(list_layers(f"{demo_server.url}/ogc"))
    assert set(layers) == set(LAYERS)


@pytest.mark.parametrize("layer", LAYERS)
def test_gdal_reads_every_place_with_its_chinese_attributes_and_geometry(demo_server, demo_features, layer):
    frame = read_layer(f"{demo_server.url}/ogc", layer)
    stored = {f["id"]: f for f in demo_features[layer]}
    assert len(frame) == len(stored)
    assert sorted(frame["id"]) == sorted(stored)
    for row in frame.itertuples(index=False):
        feature = stored[row.id]
        props = feature["properties"]
        for key in TEXT_FIELDS:
            assert (getattr(row, key) or "") == (props.get(key) or ""), (row.id, key)
        assert int(row.version) == props["version"]
        assert (None if pd.isna(row.deadline) else row.deadline.date().isoformat()) == props.get("deadline")
        assert (_as_json(row.people) or {}) == props["people"]
        assert [{k: v for k, v in p.items() if v is not None} for p in _as_json(row.problems) or []] == [
            {k: v for k, v in p.items() if v is not None} for p in props["problems"]]
        assert _same_geometry(row.geometry, shape(feature["geometry"])), row.id
    assert frame["name"].str.contains("[\u4e00-\u9fff]").all()  # Chinese names arrive as Chinese


def test_gdal_pages_through_a_layer_by_following_next_links(demo_server, demo_features, request_log):
    frame = read_layer(f"{demo_server.url}/ogc", "courtyards", PAGE_SIZE="25")
    assert sorted(frame["id"]) == sorted(f["id"] for f in demo_features["courtyards"])
    pages = [q for path, q in request_log if path == "/ogc/collections/courtyards/items" and "offset=" in q]
    assert len(pages) >= len(frame) // 25  # 293 places in pages of 25
    assert all("after-id=" in q for q in pages)  # each after the last place of the page before


def test_gdal_reads_a_private_deployment_with_basic_credentials(private_server, demo_features):
    url = f"{private_server.url}/ogc"
    with pytest.raises(RuntimeError):
        read_layer(url, "villages")
    frame = read_layer(url, "villages", {"GDAL_HTTP_AUTH": "BASIC", "GDAL_HTTP_USERPWD": f"gis1:{PASSWORD}"})
    assert sorted(frame["id"]) == sorted(f["id"] for f in demo_features["villages"])
    assert set(frame["name"]) == {f["properties"]["name"] for f in demo_features["villages"]}


@pytest.mark.parametrize(("where", "holds"), [
    ("status = 'pending' OR status = 'relapsed'", lambda p: p["status"] in ("pending", "relapsed")),
    ("deadline < '2026-11-01'", lambda p: (p["deadline"] or "9") < "2026-11-01"),
    ("name LIKE '%小区%' AND street = '福华街街道'", lambda p: "小区" in p["name"] and p["street"] == "福华街街道"),
])
def test_gdal_pushes_attribute_filters_to_the_server_as_cql(demo_server, demo_features, request_log, where, holds):
    frame = read_layer(f"{demo_server.url}/ogc", "courtyards", where=where)
    expected = sorted(f["id"] for f in demo_features["courtyards"] if holds(f["properties"]))
    assert expected and sorted(frame["id"]) == expected
    pages = [parse_qs(q) for path, q in request_log if path == "/ogc/collections/courtyards/items"]
    sent = [p for p in pages if "filter" in p]
    assert sent, pages  # the server filtered: not every place was sent for GDAL to filter itself
    assert sent[-1]["filter-lang"] == ["cql-text"]


def test_gdal_reads_places_in_cgcs2000(demo_server, demo_features, request_log):
    frame = read_layer(f"{demo_server.url}/ogc", "villages", CRS="EPSG:4490")
    assert frame.crs.to_epsg() == 4490
    assert any("crs=http://www.opengis.net/def/crs/EPSG/0/4490" in unquote(q) for path, q in request_log
               if path == "/ogc/collections/villages/items")
    stored = {f["id"]: f for f in demo_features["villages"]}
    assert sorted(frame["id"]) == sorted(stored)
    for row in frame.itertuples(index=False):
        # GDAL hands geometries over in longitude/latitude order (its traditional GIS order), whatever the axes
        got = shapely.get_coordinates(row.geometry)
        want = shapely.get_coordinates(shape(stored[row.id]["geometry"]))
        assert got.shape == want.shape and abs(got - want).max() < 1e-7, row.id


def test_gdal_takes_a_layers_geometry_type_from_the_server_not_from_its_first_page(tmp_path):
    """Roads drawn as lines, the first 30 single lines and the last 7 in two parts: GDAL samples the first page
    (20 places), all LineStrings, yet declares the layer MultiLineString, as the server's schema says."""
    data = copy_demo(tmp_path / "data")
    store = open_store(data, load_campaign(data))
    for i, f in enumerate(store.features("roads")):
        ring = shape(f["geometry"]).exterior.coords
        line = shapely.LineString(ring[:3]) if i < 30 else shapely.MultiLineString([ring[:2], ring[2:4]])
        store.update("roads", f["id"], expected_version=f["properties"]["version"], user="测试",
                     geometry=json.loads(shapely.to_geojson(line)))
    store.close()
    with live_server(data) as server:
        layers = dict(list_layers(f"{server.url}/ogc"))
        assert layers["roads"] == "MultiLineString" and layers["courtyards"] == "Polygon"
        client = server.app.test_client()
        assert client.get("/ogc/collections/roads").get_json()["geometryType"] == "MultiLineString"
        geometry = client.get("/ogc/collections/roads/queryables").get_json()["properties"]["geometry"]
        assert geometry == {"title": "几何", "format": "geometry-linestring-or-multilinestring",
                            "x-ogc-role": "primary-geometry"}
        frame = read_layer(f"{server.url}/ogc", "roads")
        assert frame.geometry.geom_type.value_counts().to_dict() == {"LineString": 30, "MultiLineString": 7}


def test_gdals_mvt_driver_reads_a_vector_tile_where_the_places_lie(demo_server, demo_features):
    """GDAL's own decoder, another than the one Guatu writes with: a tile's places, by id, at their position in
    EPSG:3857 (the z/x/y in the URL places the tile)."""
    import pyproj

    from tests.test_tiles import tile_of

    courtyards = {f["id"]: shape(f["geometry"]) for f in demo_features["courtyards"]}
    centre = shapely.MultiPolygon([g for g in courtyards.values() if g.geom_type == "Polygon"]).centroid
    x, y = tile_of(centre.x, centre.y, 14)
    frame = read_source(f"/vsicurl/{demo_server.url}/api/wall/tiles/courtyards/14/{x}/{y}.mvt", "courtyards")
    assert len(frame) >= 1
    assert frame.crs.to_epsg() == 3857
    to_3857 = pyproj.Transformer.from_crs(4326, 3857, always_xy=True)
    unit = 2 * 20037508.342789244 / 2**14 / 4096  # one tile unit at zoom 14, in metres
    inner = shapely.box(*frame.total_bounds).buffer(-unit * 70)
    whole = 0
    for row in frame.itertuples(index=False):
        expected = shapely.transform(courtyards[row.id], lambda xy: np.column_stack(to_3857.transform(xy[:, 0], xy[:, 1])))
        if row.geometry.within(inner):  # not clipped at the tile's edge: the whole place, to a tile unit
            whole += 1
            assert all(abs(p - q) <= unit * 1.01 for p, q in zip(row.geometry.bounds, expected.bounds)), row.id
    assert whole >= 1
