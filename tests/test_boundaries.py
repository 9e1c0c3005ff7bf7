"""Which sub-district and community a place lies in (geo/boundaries.py), on the demo's boundary files."""

from __future__ import annotations

import shutil

import numpy as np
import shapely

from geo.boundaries import areas_holding, fill_location, locate
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
