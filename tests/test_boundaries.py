"""Which sub-district and community a place lies in (geo/boundaries.py), on the demo's boundary files."""

from __future__ import annotations

import json
import os
import shutil

import numpy as np
import pytest
import shapely

from geo.boundaries import (
    areas_holding,
    boundary_problems,
    fill_location,
    locate,
    read_boundaries,
    usable_boundaries,
)
from geo.errors import BrokenBoundary
from tests.conftest import REPO, make_feature

LON, LAT = 113.664, 34.727  # in 大学路街道


def _with_boundaries(data_dir):
    shutil.copytree(REPO / "data" / "boundaries", data_dir / "boundaries")
    return data_dir


def test_a_new_place_gets_the_sub_district_and_community_it_lies_in(data_dir, campaign):
    _with_boundaries(data_dir)
    feature = make_feature(x=LON, y=LAT, size=0.0002)
    fill_location(feature, data_dir, campaign)
    expected = locate(data_dir, campaign, LON + 0.0001, LAT + 0.0001)
    assert feature["properties"]["street"] == "大学路街道"
    assert feature["properties"]["community"] == expected["community"] and expected["community"]


def test_a_place_keeps_the_sub_district_and_community_it_names(data_dir, campaign):
    _with_boundaries(data_dir)
    feature = make_feature(x=LON, y=LAT, size=0.0002, street="大学路街道", community="自报社区")
    fill_location(feature, data_dir, campaign)
    assert (feature["properties"]["street"], feature["properties"]["community"]) == ("大学路街道", "自报社区")
    partial = make_feature(x=LON, y=LAT, size=0.0002, community="自报社区")
    fill_location(partial, data_dir, campaign)
    assert (partial["properties"]["street"], partial["properties"]["community"]) == ("大学路街道", "自报社区")


def test_a_place_with_a_broken_geometry_or_outside_every_area_is_left_as_it_is(data_dir, campaign):
    _with_boundaries(data_dir)
    broken = {"type": "Feature", "properties": {"name": "坏的"}, "geometry": {"type": "Polygon", "coordinates": "x"}}
    fill_location(broken, data_dir, campaign)
    assert broken["properties"] == {"name": "坏的"}
    far = make_feature(x=100.0, y=20.0)
    fill_location(far, data_dir, campaign)
    assert "street" not in far["properties"] and "community" not in far["properties"]


def test_areas_holding_gives_each_shape_the_area_of_its_representative_point():
    left, right = shapely.box(0, 0, 10, 10), shapely.box(10, 0, 20, 10)
    shapes = np.array([shapely.box(1, 1, 2, 2), shapely.box(15, 5, 16, 6), shapely.box(30, 30, 31, 31),
                       shapely.LineString([(12, 1), (18, 1)])])
    assert areas_holding(shapes, np.array([left, right])).tolist() == [0, 1, -1, 1]
    on_the_edge = np.array([shapely.Point(10, 5)])
    assert areas_holding(on_the_edge, np.array([left, right])).tolist() == [0]  # the first listed wins


# --- a boundary file replaced by hand -------------------------------------------------------------

def _edit_communities(data_dir, edit) -> str:
    path = data_dir / "boundaries" / "communities.geojson"
    doc = json.loads(path.read_text(encoding="utf-8"))
    text = edit(doc, path)  # a new text for the file, or anything else: the document as edited
    if not isinstance(text, str):
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    else:
        path.write_text(text, encoding="utf-8")
    return "boundaries/communities.geojson"


DAMAGE = {  # what is done to the file → what the reason says
    "cut short": (lambda doc, path: path.read_text(encoding="utf-8")[:300], "不是有效的 JSON"),
    "not a collection": (lambda doc, path: json.dumps({"type": "Feature"}), "不是 GeoJSON FeatureCollection"),
    "a ring left open": (lambda doc, path: doc["features"][2]["geometry"]["coordinates"][0].pop(),
                         "第 3 个要素:geometry.coordinates[0]: 多边形的环未闭合"),
    "a point": (lambda doc, path: doc["features"][0].update(geometry={"type": "Point", "coordinates": [113.6, 34.7]}),
                "第 1 个要素:geometry.type: 几何类型 Point 无效"),
    "no geometry": (lambda doc, path: doc["features"][1].update(geometry=None), "第 2 个要素:geometry: "),
    "a name as a number": (lambda doc, path: doc["features"][0]["properties"].update(name=7),
                           "第 1 个要素:properties.name: 应为文本"),
    "not a feature": (lambda doc, path: doc["features"].append(1), "要素:不是 GeoJSON 要素"),
    "an empty outline": (lambda doc, path: doc["features"][1]["geometry"].update(coordinates=[]),
                         "第 2 个要素:geometry: 几何为空"),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_boundary_file_is_named_and_its_level_left_out_where_the_rest_must_go_on(data_dir, campaign, damage):
    _with_boundaries(data_dir)
    good = locate(data_dir, campaign, LON, LAT)
    assert good["community"] and boundary_problems(data_dir, campaign) == []
    edit, words = DAMAGE[damage]
    file = _edit_communities(data_dir, edit)

    with pytest.raises(BrokenBoundary) as info:  # printing, the boundaries API: the reason, never a 500
        read_boundaries(data_dir, campaign, "community")
    assert info.value.message.startswith(f"区划文件 {file} 无法使用") and words in info.value.message
    assert usable_boundaries(data_dir, campaign, "community") == []  # the wall, the dashboard: without it
    assert len(usable_boundaries(data_dir, campaign, "street")) == len(read_boundaries(data_dir, campaign, "street")) > 1
    assert locate(data_dir, campaign, LON, LAT) == {"street": good["street"], "community": None}
    feature = make_feature(x=LON, y=LAT, size=0.0002)
    fill_location(feature, data_dir, campaign)
    assert feature["properties"]["street"] == good["street"] and not feature["properties"].get("community")
    [problem] = boundary_problems(data_dir, campaign)  # /api/health, the banner on every screen
    assert (problem.code, problem.where) == ("broken_boundary", file) and words in problem.problem


def test_a_boundary_file_put_right_is_used_again_without_a_restart(data_dir, campaign):
    _with_boundaries(data_dir)
    path = data_dir / "boundaries" / "communities.geojson"
    good = path.read_bytes()
    _edit_communities(data_dir, DAMAGE["cut short"][0])
    assert usable_boundaries(data_dir, campaign, "community") == []
    path.write_bytes(good)
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000))  # a later version
    assert boundary_problems(data_dir, campaign) == []
    assert locate(data_dir, campaign, LON, LAT)["community"]


def test_a_boundary_file_of_lines_is_drawn_not_refused(data_dir, campaign):
    """District offices often deliver boundaries as lines: they are outlines to draw (the wall draws lines), with
    nowhere to locate a place in."""
    _with_boundaries(data_dir)
    path = data_dir / "boundaries" / "communities.geojson"
    doc = json.loads(path.read_text(encoding="utf-8"))
    for f in doc["features"]:
        g = f["geometry"]
        rings = g["coordinates"] if g["type"] == "Polygon" else [r for poly in g["coordinates"] for r in poly]
        f["geometry"] = {"type": "MultiLineString", "coordinates": rings}
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert boundary_problems(data_dir, campaign) == []
    lines = read_boundaries(data_dir, campaign, "community")
    assert len(lines) == len(doc["features"]) and all(len(f["properties"]["label_point"]) == 2 for f in lines)
    assert locate(data_dir, campaign, LON, LAT)["street"]  # the sub-districts are still areas
    on_a_line = doc["features"][0]["geometry"]["coordinates"][0][1]  # a vertex of a community's line
    assert locate(data_dir, campaign, *on_a_line)["community"] is None  # no place is "in" a line
