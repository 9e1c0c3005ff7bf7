"""A KML as Google Earth writes it: ExtendedData's Chinese names read as the file has them."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from geo.errors import ValidationError
from geo.exchange.importer import ImportOptions, commit_import, preview_upload

FILES = Path(__file__).parent / "files"
GOOGLE_EARTH = (FILES / "google_earth.kml").read_bytes()


def _by_name(preview) -> dict[str, dict]:
    return {op["properties"]["name"]: op for op in preview.plan}


def test_a_google_earth_kml_keeps_its_chinese_field_names_and_every_place(store, data_dir):
    preview = preview_upload(store, "roads", GOOGLE_EARTH, "二七区整治点位.kml", ImportOptions(data_dir=data_dir))

    assert preview.counts == {"add": 3, "change": 0, "unchanged": 0, "reject": 0}
    assert not any("_" * 6 in w for w in preview.warnings)
    places = _by_name(preview)
    courtyard = places["兑周村3号院"]
    assert courtyard["geometry"]["type"] == "Polygon"
    assert {k: courtyard["properties"][k] for k in ("street", "community", "status", "unit", "deadline")} == {
        "street": "大学路街道", "community": "金桥社区", "status": "pending", "unit": "区住建局", "deadline": "2026-12-31"}
    road = places["大学路(中原路至陇海路段)"]
    assert road["geometry"]["type"] == "LineString"
    assert (road["properties"]["street"], road["properties"]["status"], road["properties"]["notes"]) == (
        "大学路街道", "in_progress", "人行道破损")
    both = places["航海东路两侧"]
    assert both["geometry"]["type"] == "MultiPolygon" and len(both["geometry"]["coordinates"]) == 2
    # SchemaData: 街道 and 楼栋数 declared by the file's <Schema>, 社区 not declared there — all three kept
    assert (both["properties"]["street"], both["properties"]["community"]) == ("福华街街道", "祥和社区")
    assert str(both["properties"]["楼栋数"]) == "3"
    assert not any(k.strip("_") == "" for op in preview.plan for k in op["properties"])


def test_the_places_of_a_google_earth_kml_are_stored_with_their_attributes(store, data_dir):
    preview = preview_upload(store, "roads", GOOGLE_EARTH, "整治点位.kml", ImportOptions(data_dir=data_dir))
    result = commit_import(store, preview, user="张三")

    stored = {f["properties"]["name"]: f for f in store.features("roads") if f["id"] in result.added}
    assert stored["兑周村3号院"]["properties"]["community"] == "金桥社区"
    assert stored["航海东路两侧"]["properties"]["community"] == "祥和社区"
    assert stored["大学路(中原路至陇海路段)"]["geometry"]["type"] == "LineString"


def test_a_kmz_of_a_google_earth_kml_reads_the_same(store, data_dir):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("doc.kml", GOOGLE_EARTH)
    kmz = preview_upload(store, "roads", buf.getvalue(), "整治点位.kmz", ImportOptions(data_dir=data_dir))
    kml = preview_upload(store, "roads", GOOGLE_EARTH, "整治点位.kml", ImportOptions(data_dir=data_dir))

    assert _by_name(kmz).keys() == _by_name(kml).keys()
    assert [op["properties"] for op in kmz.plan] == [op["properties"] for op in kml.plan]


def test_declared_schema_data_keeps_its_types(store, data_dir):
    declared = GOOGLE_EARTH.replace('<SimpleData name="社区">祥和社区</SimpleData>'.encode(), b"")
    preview = preview_upload(store, "roads", declared, "整治点位.kml", ImportOptions(data_dir=data_dir))

    both = _by_name(preview)["航海东路两侧"]
    assert both["properties"]["楼栋数"] == 3  # <SimpleField type="int">
    assert both["properties"]["street"] == "福华街街道"


def test_a_kml_declaring_entities_is_refused_with_a_reason_and_nothing_read(store):
    bomb = GOOGLE_EARTH.replace(b'<?xml version="1.0" encoding="UTF-8"?>',
                                b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE kml [<!ENTITY a "aaaaaaaaaa">'
                                b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>').replace("区住建局".encode(), b"&b;")

    with pytest.raises(ValidationError) as refused:
        preview_upload(store, "roads", bomb, "炸弹.kml")

    assert refused.value.errors[0].field == "file"
    assert "炸弹.kml" in refused.value.errors[0].message and "ENTITY" in refused.value.errors[0].message
