"""Only the photo API writes a place's photos: exports carry them where the format can (GeoJSON), imports and the
OGC API's replace and patch keep them as they are, and nothing else can drop or forge them."""

from __future__ import annotations

import io

import orjson
import pytest

from geo.exchange.exporter import export_layer
from geo.exchange.importer import ImportOptions, commit_import, preview_upload
from geo.features_edit import patch_ops, replace_ops
from geo.photos import add_photo
from tests.photos import images


@pytest.fixture
def store(store_factory):
    return store_factory("geojson")


@pytest.fixture
def place(store, make_feature):
    feature = store.create("courtyards", make_feature(), user="u").feature
    add_photo(store, "courtyards", feature["id"], io.BytesIO(images.jpeg()), user="u")
    return store.get("courtyards", feature["id"])


@pytest.mark.parametrize("fmt", ["geojson", "gpkg", "shp", "kml"])
def test_an_exported_layer_imports_back_unchanged_with_its_photos(store, place, fmt):
    exported = export_layer(store, "courtyards", fmt)
    preview = preview_upload(store, "courtyards", exported.data, exported.filename, ImportOptions())
    assert preview.counts == {"add": 0, "change": 0, "unchanged": 1, "reject": 0}
    if fmt == "geojson":
        assert orjson.loads(exported.data)["features"][0]["properties"]["photos"] == place["properties"]["photos"]


def test_an_import_never_writes_photos(store, place, make_feature):
    changed = dict(place, properties={**place["properties"], "notes": "改了备注", "photos": []})
    new = make_feature(name="新楼院", x=113.64, photos=[dict(place["properties"]["photos"][0])])
    body = orjson.dumps({"type": "FeatureCollection", "features": [changed, new]})
    preview = preview_upload(store, "courtyards", body, "places.geojson", ImportOptions())
    commit_import(store, preview, user="importer")
    assert store.get("courtyards", place["id"])["properties"]["photos"] == place["properties"]["photos"]
    assert store.get("courtyards", place["id"])["properties"]["notes"] == "改了备注"
    added = [f for f in store.features("courtyards") if f["properties"]["name"] == "新楼院"]
    assert len(added) == 1 and "photos" not in added[0]["properties"]


def test_an_ogc_replace_or_patch_keeps_the_photos_whatever_its_body_says(store, place):
    fid = place["id"]
    body = {"type": "Feature", "id": fid, "geometry": place["geometry"],
            "properties": {"name": place["properties"]["name"], "kind": "楼院", "status": "rectified"}}
    props, geometry = replace_ops(place, body, fid)
    store.update("courtyards", fid, expected_version=place["properties"]["version"], user="u", properties=props,
                 geometry=geometry)
    current = store.get("courtyards", fid)
    assert current["properties"]["photos"] == place["properties"]["photos"]
    props, _ = patch_ops(current, {"properties": {"photos": None, "notes": "补拍"}}, fid)
    store.update("courtyards", fid, expected_version=current["properties"]["version"], user="u", properties=props)
    assert store.get("courtyards", fid)["properties"]["photos"] == place["properties"]["photos"]
