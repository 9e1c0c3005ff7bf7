"""GDAL's OAPIF driver (through pyogrio) reads every layer of the demo campaign from a live server."""

from __future__ import annotations

import json

import pandas as pd
import pytest
import shapely
from shapely.geometry import shape

from tests.ogcapi.conftest import LAYERS, PASSWORD
from tests.ogcapi.gdal_client import list_layers, read_layer

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


def test_gdal_reads_a_private_deployment_with_basic_credentials(private_server, demo_features):
    url = f"{private_server.url}/ogc"
    with pytest.raises(RuntimeError):
        read_layer(url, "villages")
    frame = read_layer(url, "villages", {"GDAL_HTTP_AUTH": "BASIC", "GDAL_HTTP_USERPWD": f"gis1:{PASSWORD}"})
    assert sorted(frame["id"]) == sorted(f["id"] for f in demo_features["villages"])
    assert set(frame["name"]) == {f["properties"]["name"] for f in demo_features["villages"]}
