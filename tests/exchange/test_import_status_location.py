"""An import honours a 整改状态 column (labels or keys), fills an empty 街道 / 社区 from the boundaries, and says
everything in Chinese."""

from __future__ import annotations

import json
import shutil

from geo.exchange.importer import ImportOptions, commit_import, preview_upload
from tests.conftest import REPO
from tests.exchange.conftest import LAYER

LON, LAT = 113.664, 34.727  # in 大学路街道


def _square(x: float = LON, y: float = LAT, size: float = 0.0002) -> dict:
    return {"type": "Polygon", "coordinates": [[[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]]}


def _file(*rows: dict) -> bytes:
    features = [{"type": "Feature", "properties": {"名称": name, "类型": "楼院", **props}, "geometry": _square(x=LON + i * 0.0005)}
                for i, (name, props) in enumerate((r.pop("名称"), r) for r in rows)]
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False).encode()


def test_a_rectification_status_column_is_read_by_label_or_by_key(store, data_dir):
    data = _file({"名称": "甲院", "整改状态": "已整改"}, {"名称": "乙院", "整改状态": " in_progress "}, {"名称": "丙院"})
    preview = preview_upload(store, LAYER, data, "楼院.geojson", ImportOptions(data_dir=data_dir))
    assert preview.counts["add"] == 3
    result = commit_import(store, preview, user="李编")
    statuses = {store.get(LAYER, fid)["properties"]["name"]: store.get(LAYER, fid)["properties"]["status"]
                for fid in result.added}
    assert statuses == {"甲院": "rectified", "乙院": "in_progress", "丙院": "unsurveyed"}  # the first status
    default = next(i for i in preview.items if i.name == "丙院")
    assert default.notes == ["未给出整改状态:设为 待排查"]


def test_an_unknown_status_label_is_refused_by_name_in_chinese(store, data_dir):
    preview = preview_upload(store, LAYER, _file({"名称": "甲院", "整改状态": "差不多了"}), "楼院.geojson",
                             ImportOptions(data_dir=data_dir))
    error = preview.rejected[0].errors[0]
    assert error["label"] == "状态" and "差不多了" in error["message"]


def test_an_empty_sub_district_and_community_are_filled_from_the_boundaries(store, data_dir):
    shutil.copytree(REPO / "data" / "boundaries", data_dir / "boundaries")
    data = _file({"名称": "甲院", "整改状态": "待整改"}, {"名称": "乙院", "街道": "大学路街道", "社区": "自报社区"})
    preview = preview_upload(store, LAYER, data, "楼院.geojson", ImportOptions(data_dir=data_dir))
    first, second = preview.items
    assert any(n.startswith("街道为空:按边界填为 大学路街道") for n in first.notes)
    assert any(n.startswith("社区为空:按边界填为 ") for n in first.notes)
    assert not any("按边界" in n for n in second.notes)  # given names are kept
    result = commit_import(store, preview, user="李编")
    placed = {store.get(LAYER, f)["properties"]["name"]: store.get(LAYER, f)["properties"] for f in result.added}
    assert placed["甲院"]["street"] == "大学路街道" and placed["甲院"]["community"]
    assert placed["乙院"]["community"] == "自报社区"


def test_a_change_that_empties_the_community_gets_it_back_from_the_boundaries(store, data_dir, make_feature):
    shutil.copytree(REPO / "data" / "boundaries", data_dir / "boundaries")
    fid = store.create(LAYER, make_feature("甲院", x=LON, y=LAT, size=0.0002, street="大学路街道", community=""),
                       user="张三").feature["id"]
    data = json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": fid, "properties": {"名称": "甲院", "整改状态": "整改中"}, "geometry": None}]},
        ensure_ascii=False).encode()
    preview = preview_upload(store, LAYER, data, "楼院.geojson", ImportOptions(data_dir=data_dir))
    change = preview.items[0]
    assert change.action == "change" and "状态" in change.labels and "社区" in change.labels
    assert not any(ch.isascii() and ch.isalpha() for label in change.labels for ch in label)


def test_the_report_names_ledger_changes_in_words(store, places):
    from geo.exchange.importer import change_label

    assert change_label("problems.c-0001-p3 (new)") == "新增问题 c-0001-p3"
    assert change_label("problems.c-0001-p1 (removed)") == "删除问题 c-0001-p1"
    assert change_label("problems.c-0001-p1.found_on") == "问题 c-0001-p1 的发现日期"
    assert change_label("deadline") == "时间节点" and change_label("geometry") == "图形"
