"""The import preview (added, changed, unchanged, rejected and why) and the all-or-nothing commit."""

from __future__ import annotations

import json

import pytest

from geo.errors import Conflict, ValidationError
from geo.exchange.importer import ImportOptions, ImportPreview, commit_import, preview_upload
from geo.messages import t
from tests.exchange.conftest import HOLED, LAYER

BOWTIE = {"type": "Polygon", "coordinates": [[[113.63, 34.72], [113.64, 34.73], [113.64, 34.72], [113.63, 34.73], [113.63, 34.72]]]}


def _feature(name: str, geometry: dict, status: str = "pending", fid: str | None = None, **props) -> dict:
    feature = {"type": "Feature", "properties": {"name": name, "kind": "楼院", "status": status, **props}, "geometry": geometry}
    if fid:
        feature["id"] = fid
    return feature


def _file(*features: dict) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}, ensure_ascii=False).encode()


BAD_FILE = _file(
    _feature("兑周村1号院", HOLED),
    _feature("一个点", {"type": "Point", "coordinates": [113.63, 34.72]}),
    _feature("状态不对", HOLED, status="done"),
    _feature("坐标越界", {"type": "Polygon", "coordinates": [[[200, 34.72], [201, 34.72], [201, 34.73], [200, 34.72]]]}),
    _feature("自相交", BOWTIE),
)


def _by_name(preview, name):
    return next(i for i in preview.items if i.name == name)


def _messages(item) -> str:
    return " | ".join(f"{e['field']}: {e['message']}" for e in item.errors)


def test_the_report_says_why_each_bad_feature_is_rejected(store):
    preview = preview_upload(store, LAYER, BAD_FILE, "bad.geojson")

    assert preview.counts == {"add": 1, "change": 0, "unchanged": 0, "reject": 4}
    allowed = t("feature.geometry_type_not_allowed", type="Point", layer="楼院·小区", allowed="Polygon, MultiPolygon")
    assert allowed in _messages(_by_name(preview, "一个点"))
    assert t("feature.unknown_status", status="'done'", statuses="") in _messages(_by_name(preview, "状态不对"))
    assert t("feature.not_wgs84") in _messages(_by_name(preview, "坐标越界"))
    bowtie = _by_name(preview, "自相交")
    assert "Self-intersection" in _messages(bowtie) and "make_valid" in _messages(bowtie)
    assert [i.where for i in preview.rejected] == [f"bad 第 {n} 个要素" for n in (2, 3, 4, 5)]  # where, in Chinese
    json.dumps(preview.to_dict(), ensure_ascii=False)  # a plain report a web view can send as it is


def test_a_self_intersection_is_repaired_and_reported_when_asked(store):
    preview = preview_upload(store, LAYER, BAD_FILE, "bad.geojson", ImportOptions(repair=True))

    bowtie = _by_name(preview, "自相交")
    assert bowtie.action == "add" and bowtie.repaired
    assert any("make_valid" in note and "Self-intersection" in note for note in bowtie.notes)
    assert preview.counts["reject"] == 3


def test_changes_are_matched_by_id_and_name_the_changed_fields(store, places):
    data = _file(
        _feature("兑周村1—11号院", HOLED, status="已整改", fid="c-0001", deadline="2027-01-15"),
        {**places[1], "properties": {k: v for k, v in places[1]["properties"].items() if k != "version"}},
        _feature("大学路51号院", HOLED),
    )

    preview = preview_upload(store, LAYER, data, "edit.geojson")

    assert preview.counts == {"add": 1, "change": 1, "unchanged": 1, "reject": 0}
    change = next(i for i in preview.items if i.action == "change")
    assert change.id == "c-0001" and change.fields == ["deadline", "status"]
    assert preview.absent == 1  # c-0003 is not in the file and is left alone
    update = next(op for op in preview.plan if op["kind"] == "update")
    assert update["properties"] == {"deadline": "2027-01-15", "status": "rectified"}
    assert update["expected_version"] == 1 and update["geometry"] is None


def test_commit_applies_the_whole_plan_and_records_who(store, places):
    data = _file(_feature("兑周村1—11号院", HOLED, status="rectified", fid="c-0001"), _feature("大学路51号院", HOLED))
    preview = preview_upload(store, LAYER, data, "edit.geojson")

    result = commit_import(store, preview, user="王五")

    assert result.changed == ["c-0001"] and result.added == ["c-0004"]
    assert store.get(LAYER, "c-0001")["properties"]["status"] == "rectified"
    assert store.get(LAYER, "c-0001")["properties"]["updated_by"] == "王五"
    assert store.get(LAYER, "c-0001")["properties"]["problems"] == places[0]["properties"]["problems"]


def test_commit_refuses_everything_when_a_place_changed_after_the_preview(store, places):
    data = _file(_feature("兑周村1—11号院", HOLED, status="rectified", fid="c-0001"), _feature("大学路51号院", HOLED))
    preview = preview_upload(store, LAYER, data, "edit.geojson")
    store.update(LAYER, "c-0001", expected_version=1, user="李四", properties={"status": "in_progress"})
    before = store.revision()

    with pytest.raises(Conflict, match="在预览之后已被修改") as err:
        commit_import(store, preview, user="王五")

    assert "李四" in err.value.message
    assert store.revision() == before
    assert store.get(LAYER, "c-0001")["properties"]["status"] == "in_progress"
    assert len(store.features(LAYER)) == 3  # the new place was not added either


def test_commit_refuses_a_preview_with_rejections_unless_told_to_skip_them(store):
    preview = preview_upload(store, LAYER, BAD_FILE, "bad.geojson")

    with pytest.raises(ValidationError, match="bad.geojson 中有 4 个要素在预览中被拒绝"):
        commit_import(store, preview, user="王五")
    assert store.features(LAYER) == []

    result = commit_import(store, preview, user="王五", skip_rejected=True)
    assert len(result.added) == 1


def test_a_preview_survives_a_json_round_trip_and_still_commits(store, places):
    preview = preview_upload(store, LAYER, _file(_feature("兑周村1—11号院", HOLED, "accepted", fid="c-0001")), "x.geojson")
    kept = json.loads(json.dumps(preview.to_dict(), ensure_ascii=False))

    result = commit_import(store, ImportPreview.from_dict(kept), user="王五")

    assert result.changed == ["c-0001"]
    assert store.get(LAYER, "c-0001")["properties"]["status"] == "accepted"


def test_an_id_given_twice_in_a_file_is_rejected_the_second_time(store):
    preview = preview_upload(store, LAYER, _file(_feature("甲", HOLED, fid="c-0100"), _feature("乙", HOLED, fid="c-0100")), "x.json")
    assert [i.action for i in preview.items] == ["add", "reject"]
    assert t("import.id_twice", fid="c-0100", first="x 第 1 个要素") in _messages(preview.items[1])


def test_a_feature_without_geometry_updates_only_the_attributes_of_an_existing_place(store, places):
    data = _file({"type": "Feature", "id": "c-0002", "properties": {"status": "accepted"}, "geometry": None},
                 {"type": "Feature", "properties": {"name": "无形状", "kind": "楼院", "status": "pending"}, "geometry": None})

    preview = preview_upload(store, LAYER, data, "x.geojson")

    assert preview.items[0].action == "change" and preview.items[0].fields == ["status"]
    assert preview.items[1].action == "reject" and t("feature.geometry_missing") in _messages(preview.items[1])


def test_nothing_to_commit_leaves_the_store_alone(store, places):
    from geo.exchange.exporter import export_layer

    exported = export_layer(store, LAYER, "gpkg")
    preview = preview_upload(store, LAYER, exported.data, exported.filename)
    before = store.revision()
    result = commit_import(store, preview, user="王五")
    assert result.added == [] and result.changed == [] and store.revision() == before


def test_an_unknown_layer_is_refused(store):
    from geo.errors import NotFound

    with pytest.raises(NotFound):
        preview_upload(store, "parks", BAD_FILE, "bad.geojson")
