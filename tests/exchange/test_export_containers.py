"""KML with any text in names and notes, and zip entries whose names every unzip tool reads as UTF-8."""

from __future__ import annotations

import io
import os
import struct
import subprocess
import zipfile

from lxml import etree

from geo.exchange.containers import UTF8_FLAG, zip_files
from geo.exchange.exporter import export_layer
from geo.exchange.importer import preview_upload
from tests.exchange.conftest import LAYER

KML = "{http://www.opengis.net/kml/2.2}"
NAMES = ["兑周村]]>1号院", "<script>alert(1)</script>院", "A&B ]]]]> <![CDATA[ 院"]


def _placemarks(data: bytes) -> dict[str, etree._Element]:
    root = etree.fromstring(data)  # raises on a broken file
    return {p.get("id"): p for p in root.iter(f"{KML}Placemark")}


def test_kml_names_and_notes_with_cdata_ends_and_markup_parse_back_unchanged(store, make_feature):
    created = [store.create(LAYER, make_feature(name, "pending", x=113.63 + i / 100, notes=f"备注 {name}"), user="张三")
               .feature for i, name in enumerate(NAMES)]
    exported = export_layer(store, LAYER, "kml")

    placemarks = _placemarks(exported.data)
    for feature, name in zip(created, NAMES):
        placemark = placemarks[feature["id"]]
        assert placemark.findtext(f"{KML}name") == name
        notes = {d.get("name"): d.text for d in placemark.iter(f"{KML}SimpleData")}["notes"]
        assert notes == f"备注 {name}"
    assert not list(etree.fromstring(exported.data).iter("script"))  # the markup stayed text


def test_a_kml_export_with_cdata_ends_imports_back_with_the_same_names(store, make_feature, other_store):
    for i, name in enumerate(NAMES):
        store.create(LAYER, make_feature(name, "pending", x=113.63 + i / 100), user="张三")
    exported = export_layer(store, LAYER, "kml")
    preview = preview_upload(other_store, LAYER, exported.data, "courtyards.kml")
    assert preview.counts["reject"] == 0, preview.items
    assert sorted(i.name for i in preview.items) == sorted(NAMES)


def _local_flags(data: bytes, info: zipfile.ZipInfo) -> tuple[int, bytes]:
    """Flags and raw name from the entry's local header (not the central directory zipfile reports)."""
    head = data[info.header_offset:info.header_offset + 30]
    assert head[:4] == b"PK\x03\x04"
    flags, name_len = struct.unpack("<H", head[6:8])[0], struct.unpack("<H", head[26:28])[0]
    return flags, data[info.header_offset + 30:info.header_offset + 30 + name_len]


def test_every_entry_of_a_shapefile_export_is_flagged_utf8_in_both_headers(store, places):
    data = export_layer(store, LAYER, "shp").data
    infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    assert {i.filename for i in infos} >= {"courtyards.shp", "courtyards.dbf", "courtyards.cpg", "fields.csv"}
    for info in infos:
        assert info.flag_bits & UTF8_FLAG
        flags, raw = _local_flags(data, info)
        assert flags & UTF8_FLAG and raw.decode("utf-8") == info.filename


def test_chinese_entry_names_read_back_as_utf8_with_unzip(tmp_path):
    source = tmp_path / "a.txt"
    source.write_text("内容", encoding="utf-8")
    names = ["二七区/老旧小区.shp", "问题台账.csv", "plain.txt"]
    data = zip_files((name, source) for name in names)
    archive = tmp_path / "导出.zip"
    archive.write_bytes(data)

    for info in zipfile.ZipFile(archive).infolist():
        flags, raw = _local_flags(data, info)
        assert info.flag_bits & UTF8_FLAG and flags & UTF8_FLAG
        assert raw.decode("utf-8") == info.filename
    listed = subprocess.run(["unzip", "-Z1", str(archive)], capture_output=True, check=True,
                            env={**os.environ, "LC_ALL": "C.UTF-8"}).stdout.decode("utf-8").splitlines()
    assert listed == names
