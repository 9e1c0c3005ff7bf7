"""Export then import, for every format: Chinese text, holes and MultiPolygons come back equal."""

from __future__ import annotations

import csv
import io
import zipfile

import pyogrio
import pytest

from geo.errors import ValidationError
from geo.exchange.exporter import export_layer
from geo.exchange.importer import commit_import, preview_upload
from geo.messages import t
from tests.exchange.conftest import LAYER, attributes, same_shape

GIS_FORMATS = ["geojson", "gpkg", "shp", "kml"]


@pytest.mark.parametrize("fmt", GIS_FORMATS)
def test_export_then_import_into_an_empty_campaign_reproduces_every_place(fmt, store, places, other_store):
    exported = export_layer(store, LAYER, fmt)
    preview = preview_upload(other_store, LAYER, exported.data, exported.filename)
    assert preview.counts == {"add": 3, "change": 0, "unchanged": 0, "reject": 0}

    commit_import(other_store, preview, user="李四")

    # A Shapefile cannot hold the ledger (254-byte texts); every other attribute survives.
    without = ("problems",) if fmt == "shp" else ()
    for original in places:
        copy = other_store.get(LAYER, original["id"])
        assert same_shape(copy["geometry"], original["geometry"])
        assert attributes(copy) == attributes(original, without=without)
    assert other_store.get(LAYER, "c-0001")["geometry"]["type"] == "Polygon"
    assert len(other_store.get(LAYER, "c-0001")["geometry"]["coordinates"]) == 2  # the hole
    assert other_store.get(LAYER, "c-0002")["geometry"]["type"] == "MultiPolygon"


@pytest.mark.parametrize("fmt", GIS_FORMATS + ["xlsx"])
def test_reimporting_an_unedited_export_changes_nothing(fmt, store, places):
    exported = export_layer(store, LAYER, fmt)
    preview = preview_upload(store, LAYER, exported.data, exported.filename)
    assert preview.counts == {"add": 0, "change": 0, "unchanged": 3, "reject": 0}
    assert preview.plan == []


def test_a_layer_mixing_polygons_and_lines_is_written_one_layer_per_geometry_type(store, places, make_feature):
    line = make_feature("京广路", "in_progress", kind="道路")
    line["geometry"] = {"type": "LineString", "coordinates": [[113.62, 34.70], [113.63, 34.71], [113.64, 34.71]]}
    surface = make_feature("航海路", "pending", kind="道路")
    store.create("roads", line, user="张三")
    store.create("roads", surface, user="张三")

    gpkg = export_layer(store, "roads", "gpkg")
    shp = export_layer(store, "roads", "shp")

    assert _layer_names(gpkg.data, "roads.gpkg") == {"roads_lines", "roads_polygons"}
    names = zipfile.ZipFile(io.BytesIO(shp.data)).namelist()
    assert {"roads_lines.shp", "roads_polygons.shp", "roads_lines.cpg", "fields.csv"} <= set(names)
    for exported in (gpkg, shp):
        preview = preview_upload(store, "roads", exported.data, exported.filename)
        assert preview.counts["unchanged"] == 2 and preview.counts["change"] == 0


def _layer_names(data: bytes, name: str) -> set[str]:
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        return {str(n) for n, _ in pyogrio.list_layers(path)}


def test_shapefile_field_names_are_cut_to_ten_bytes_and_restored_on_import(store, places, other_store):
    exported = export_layer(store, LAYER, "shp")
    zf = zipfile.ZipFile(io.BytesIO(exported.data))
    dbf = zf.read("courtyards.dbf")
    names = [dbf[p:p + 11].split(b"\x00")[0] for p in range(32, dbf.index(b"\r"), 32)]
    assert all(len(n) <= 10 for n in names)
    assert "整改负".encode() in names  # 整改负责人联系电话 cut at 10 UTF-8 bytes
    assert zf.read("courtyards.cpg").strip() == b"UTF-8"
    mapping = dict(csv.reader(io.StringIO(zf.read("fields.csv").decode())))
    assert mapping["整改负"] == "整改负责人联系电话"

    preview = preview_upload(other_store, LAYER, exported.data, exported.filename)
    added = next(op for op in preview.plan if op["id"] == "c-0001")
    assert added["properties"]["整改负责人联系电话"] == "0371-6888"


def test_filtered_export_holds_only_the_matching_places(store, places):
    by_label = export_layer(store, LAYER, "geojson", filters={"status": "待整改,rectified"})
    by_street = export_layer(store, LAYER, "kml", filters={"street": ["长江路街道"]})
    assert by_label.count == 2 and b"c-0003" not in by_label.data
    assert by_street.count == 1 and "康复前街11号院".encode() in by_street.data


def test_unknown_filters_and_formats_are_refused(store, places):
    with pytest.raises(ValidationError) as status:
        export_layer(store, LAYER, "gpkg", filters={"status": "done"})
    assert status.value.errors[0].message.startswith(t("feature.unknown_status", status="done", statuses=""))
    with pytest.raises(ValidationError) as colour:
        export_layer(store, LAYER, "gpkg", filters={"colour": "red"})
    assert colour.value.errors[0].message.startswith(t("export.unknown_filter", key="'colour'", filters=""))
    with pytest.raises(ValidationError) as fmt:
        export_layer(store, LAYER, "dxf")
    assert fmt.value.errors[0].message.startswith(t("export.unknown_format", format="'dxf'", formats=""))


def test_kml_places_are_filled_with_their_status_colour(store, places):
    kml = export_layer(store, LAYER, "kml").data.decode()
    assert "<PolyStyle>" in kml
    assert "4a30d0" in kml  # 待整改 #d0304a in KML's aabbggrr order


@pytest.mark.parametrize("fmt", ["gpkg", "shp", "kml"])
def test_an_empty_selection_exports_a_readable_file(fmt, store, places):
    exported = export_layer(store, LAYER, fmt, filters={"status": "relapsed"})
    assert exported.count == 0
    preview = preview_upload(store, LAYER, exported.data, exported.filename)
    assert preview.counts == {"add": 0, "change": 0, "unchanged": 0, "reject": 0}
