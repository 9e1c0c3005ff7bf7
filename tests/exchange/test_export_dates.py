"""GeoPackage exports keep dates as dates: 时间节点 a Date field, the last change a DateTime in UTC."""

from __future__ import annotations

import pyogrio
from pyogrio.raw import read as raw_read

from geo.exchange.exporter import export_layer
from geo.exchange.importer import preview_upload
from tests.exchange.conftest import LAYER


def _written(tmp_path, store, **filters):
    path = tmp_path / "export.gpkg"
    path.write_bytes(export_layer(store, LAYER, "gpkg", filters=filters).data)
    return path


def test_a_geopackage_export_writes_the_deadline_as_a_date_and_the_last_change_as_a_datetime(tmp_path, store, places):
    path = _written(tmp_path, store)

    info = pyogrio.read_info(path)
    types = dict(zip(info["fields"], info["ogr_types"]))
    assert types["deadline"] == "OFTDate"
    assert types["updated_at"] == "OFTDateTime"
    frame = pyogrio.read_dataframe(path)
    by_name = dict(zip(frame["name"], frame["deadline"]))
    assert str(by_name["兑周村1—11号院"].date()) == "2026-12-31"
    assert frame.loc[frame["name"] == "航海小区", "deadline"].isna().all()  # no 时间节点: an empty date, not ""
    stamped = frame["updated_at"].dt.tz_convert("UTC")
    assert {s.isoformat() for s in stamped} == {"2026-11-24T08:00:00+00:00"}  # the store's clock, in UTC


def test_a_geopackage_export_with_dates_imports_back_unchanged(tmp_path, store, places):
    path = _written(tmp_path, store)

    preview = preview_upload(store, LAYER, path.read_bytes(), "export.gpkg")

    assert preview.counts == {"add": 0, "change": 0, "unchanged": 3, "reject": 0}


def test_a_geopackage_export_of_places_without_deadlines_has_an_empty_date_column(tmp_path, store, places):
    path = _written(tmp_path, store, street="福华街街道")

    meta, _, _, columns = raw_read(path, datetime_as_string=True)
    fields = list(meta["fields"])
    assert meta["ogr_types"][fields.index("deadline")] == "OFTDate"
    assert columns[fields.index("deadline")].tolist() == [None]
