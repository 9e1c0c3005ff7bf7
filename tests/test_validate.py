"""validate_feature: what a stored place must look like, and how refusals are worded."""

from __future__ import annotations

import math

import pytest
import shapely
from shapely.geometry import shape

from geo.errors import ValidationError
from geo.messages import t
from geo.validate import MAX_TEXT, validate_feature


@pytest.fixture
def layer(campaign):
    return campaign.layer("courtyards")


def _refused(feature, layer, campaign, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        validate_feature(feature, layer, campaign, **kwargs)
    return info.value


def _only_error(feature, layer, campaign, field: str):
    errors = _refused(feature, layer, campaign).errors
    assert [e.field for e in errors] == [field], [str(e) for e in errors]
    return errors[0]


def _with_ring(make_feature, ring, gtype="Polygon"):
    feature = make_feature()
    feature["geometry"] = {"type": gtype, "coordinates": [ring]}
    return feature


def _ring_is_ccw(ring) -> bool:
    area2 = sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:]))
    return area2 > 0


# --- accepted ----------------------------------------------------------------

def test_good_feature_is_accepted_and_cleaned(campaign, layer, make_feature):
    feature = make_feature(name="  中原东路5号院  ", street="大学路街道", deadline="2026-12-31",
                           people={"grid_worker": "王五", "leader": "张三"}, x_grid="G-12")
    checked = validate_feature(feature, layer, campaign)
    out = checked.feature
    assert checked.notes == []
    assert out["type"] == "Feature"
    assert out["properties"]["name"] == "中原东路5号院"
    assert out["properties"]["status"] == "pending"
    assert out["properties"]["deadline"] == "2026-12-31"
    assert list(out["properties"]["people"]) == ["leader", "grid_worker"]  # campaign's role order
    assert out["properties"]["x_grid"] == "G-12"
    assert shape(out["geometry"]).is_valid


def test_coordinates_are_rounded_to_six_decimals(campaign, layer, make_feature):
    ring = [[113.630000123, 34.720000987], [113.6310004999, 34.72], [113.631, 34.7210000001], [113.630000123, 34.720000987]]
    out = validate_feature(_with_ring(make_feature, ring), layer, campaign).feature
    coords = out["geometry"]["coordinates"][0]
    assert [113.63, 34.720001] in coords
    for x, y in coords:
        assert round(x, 6) == x and round(y, 6) == y


def test_exterior_ring_is_oriented_counter_clockwise(campaign, layer, make_feature):
    x, y, s = 113.63, 34.72, 0.001
    clockwise = [[x, y], [x, y + s], [x + s, y + s], [x + s, y], [x, y]]
    assert not _ring_is_ccw(clockwise)
    out = validate_feature(_with_ring(make_feature, clockwise), layer, campaign).feature
    exterior = out["geometry"]["coordinates"][0]
    assert _ring_is_ccw(exterior)
    assert shape(out["geometry"]).equals(shape({"type": "Polygon", "coordinates": [clockwise]}))


def test_holes_are_oriented_clockwise(campaign, layer, make_feature):
    x, y = 113.63, 34.72
    outer = [[x, y], [x + 0.01, y], [x + 0.01, y + 0.01], [x, y + 0.01], [x, y]]
    hole_ccw = [[x + 0.002, y + 0.002], [x + 0.004, y + 0.002], [x + 0.004, y + 0.004], [x + 0.002, y + 0.004], [x + 0.002, y + 0.002]]
    feature = make_feature()
    feature["geometry"] = {"type": "Polygon", "coordinates": [outer, hole_ccw]}
    rings = validate_feature(feature, layer, campaign).feature["geometry"]["coordinates"]
    assert _ring_is_ccw(rings[0]) and not _ring_is_ccw(rings[1])


def test_html_in_a_name_is_kept_as_plain_text(campaign, layer, make_feature):
    payload = '<img src=x onerror="alert(1)"><script>alert("x")</script>&amp;'
    out = validate_feature(make_feature(name=payload, notes=payload), layer, campaign).feature
    assert out["properties"]["name"] == payload
    assert out["properties"]["notes"] == payload


def test_problem_ids_are_assigned_and_dates_kept(campaign, layer, make_feature):
    feature = make_feature(problems=[{"category": "飞线充电", "found_on": "2026-11-20", "deadline": "2026-11-27",
                                      "found_by": "每日随机督导", "status": "open"}])
    feature["id"] = "c-0007"
    problem = validate_feature(feature, layer, campaign).feature["properties"]["problems"][0]
    assert problem["id"] == "c-0007-p1"
    assert problem["deadline"] == "2026-11-27" and problem["closed_on"] is None


# --- refused: properties -------------------------------------------------------

def test_unknown_status_is_refused(campaign, layer, make_feature):
    error = _only_error(make_feature(name="航海小区", status="finished"), layer, campaign, "status")
    assert error.feature == "航海小区"
    assert "'finished'" in error.message and "pending" in error.message


def test_error_names_the_feature_by_id_when_it_has_one(campaign, layer, make_feature):
    feature = make_feature(status="finished")
    feature["id"] = "c-0042"
    assert _only_error(feature, layer, campaign, "status").feature == "c-0042"


def test_missing_status_is_refused(campaign, layer, make_feature):
    feature = make_feature()
    del feature["properties"]["status"]
    assert _only_error(feature, layer, campaign, "status").message == t("request.required")


def test_unknown_kind_is_refused(campaign, layer, make_feature):
    error = _only_error(make_feature(kind="道路"), layer, campaign, "kind")
    assert "'道路'" in error.message and "无主管楼院" in error.message


def test_deadline_that_is_not_a_date_is_refused(campaign, layer, make_feature):
    for bad, says in (("2026/11/30", "YYYY-MM-DD"), ("next week", "YYYY-MM-DD"), ("2026-02-30", "没有这一天"),
                      (20261130, "YYYY-MM-DD")):
        error = _only_error(make_feature(deadline=bad), layer, campaign, "deadline")
        assert says in error.message, (bad, error.message)


def test_unknown_problem_category_is_refused(campaign, layer, make_feature):
    feature = make_feature(problems=[{"category": "外星人入侵", "status": "open"}])
    error = _only_error(feature, layer, campaign, "problems[0].category")
    assert "外星人入侵" in error.message


def test_open_problem_with_closed_on_is_refused(campaign, layer, make_feature):
    feature = make_feature(problems=[{"category": "乱堆乱放", "status": "open", "closed_on": "2026-11-20"}])
    error = _only_error(feature, layer, campaign, "problems[0].closed_on")
    assert error.message == t("feature.closed_while_open")


def test_closed_problem_with_closed_on_is_accepted(campaign, layer, make_feature):
    feature = make_feature(problems=[{"category": "乱堆乱放", "status": "closed", "closed_on": "2026-11-20"}])
    assert validate_feature(feature, layer, campaign).feature["properties"]["problems"][0]["closed_on"] == "2026-11-20"


def test_over_long_name_is_refused(campaign, layer, make_feature):
    error = _only_error(make_feature(name="院" * (MAX_TEXT + 1)), layer, campaign, "name")
    assert str(MAX_TEXT) in error.message
    validate_feature(make_feature(name="院" * MAX_TEXT), layer, campaign)


def test_control_characters_are_refused(campaign, layer, make_feature):
    error = _only_error(make_feature(name="兑周村\x001号院"), layer, campaign, "name")
    assert error.message == t("feature.control_characters")
    error = _only_error(make_feature(unit="区城管局\x1b[31m"), layer, campaign, "unit")
    assert error.message == t("feature.control_characters")


def test_several_errors_are_reported_at_once(campaign, layer, make_feature):
    feature = make_feature(name="祥和社区3号院", status="done", kind="村", deadline="soon",
                           problems=[{"category": "不存在", "status": "open", "closed_on": "2026-01-01"}])
    feature["geometry"]["type"] = "Point"
    error = _refused(feature, layer, campaign)
    fields = {e.field for e in error.errors}
    assert fields == {"status", "kind", "deadline", "problems[0].category", "problems[0].closed_on", "geometry.type"}
    assert all(e.feature == "祥和社区3号院" for e in error.errors)
    assert error.to_dict()["fields"][0]["feature"] == "祥和社区3号院"
    assert error.message.count("祥和社区3号院") == len(error.errors)


# --- refused: geometry ---------------------------------------------------------

def test_wrong_geometry_type_for_the_layer_is_refused(campaign, layer, make_feature):
    feature = make_feature()
    feature["geometry"] = {"type": "LineString", "coordinates": [[113.63, 34.72], [113.64, 34.73]]}
    error = _only_error(feature, layer, campaign, "geometry.type")
    assert "LineString" in error.message and "Polygon" in error.message
    # the same line is fine on the roads layer
    feature["properties"]["kind"] = "道路"
    assert validate_feature(feature, campaign.layer("roads"), campaign).feature["geometry"]["type"] == "LineString"


def test_unsupported_geometry_type_is_refused(campaign, layer, make_feature):
    feature = make_feature()
    feature["geometry"] = {"type": "GeometryCollection", "geometries": []}
    assert "GeometryCollection" in _only_error(feature, layer, campaign, "geometry.type").message


def test_point_in_a_polygon_layer_is_refused(campaign, layer, make_feature):
    feature = make_feature()
    feature["geometry"] = {"type": "Point", "coordinates": [113.63, 34.72]}
    error = _only_error(feature, layer, campaign, "geometry.type")
    assert error.message == t("feature.geometry_type_not_allowed", type="Point", layer=layer.title,
                             allowed="Polygon, MultiPolygon")


@pytest.mark.parametrize("geometry", [
    {"type": "Polygon", "coordinates": []},
    {"type": "MultiPolygon", "coordinates": []},
])
def test_empty_geometry_is_refused(campaign, layer, make_feature, geometry):
    feature = make_feature()
    feature["geometry"] = geometry
    assert _only_error(feature, layer, campaign, "geometry").message == t("feature.geometry_empty")


def test_missing_geometry_is_refused(campaign, layer, make_feature):
    feature = make_feature()
    feature["geometry"] = None
    assert _only_error(feature, layer, campaign, "geometry").message == t("feature.geometry_missing")


def test_coordinates_out_of_range_are_refused(campaign, layer, make_feature):
    ring = [[500000, 3840000], [500100, 3840000], [500100, 3840100], [500000, 3840000]]  # UTM metres
    error = _only_error(_with_ring(make_feature, ring), layer, campaign, "geometry.coordinates")
    assert error.message == t("feature.not_wgs84")


def test_swapped_longitude_and_latitude_are_refused_with_a_hint(campaign, layer, make_feature):
    ring = [[34.72, 113.63], [34.72, 113.631], [34.721, 113.631], [34.72, 113.63]]
    error = _only_error(_with_ring(make_feature, ring), layer, campaign, "geometry.coordinates")
    assert error.message == t("feature.latitude_first")


def test_place_outside_the_campaign_area_is_refused(campaign, layer, make_feature):
    beijing = [[116.40, 39.90], [116.41, 39.90], [116.41, 39.91], [116.40, 39.90]]
    error = _only_error(_with_ring(make_feature, beijing), layer, campaign, "geometry.coordinates")
    assert "超出活动范围" in error.message


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_nan_and_infinity_are_refused(campaign, layer, make_feature, bad):
    ring = [[113.63, 34.72], [113.631, 34.72], [113.631, bad], [113.63, 34.72]]
    error = _only_error(_with_ring(make_feature, ring), layer, campaign, "geometry.coordinates[0][2][1]")
    assert "NaN" in error.message


@pytest.mark.parametrize("bad", ["34.72", None, True])
def test_non_numeric_coordinates_are_refused(campaign, layer, make_feature, bad):
    ring = [[113.63, 34.72], [113.631, 34.72], [113.631, bad], [113.63, 34.72]]
    error = _only_error(_with_ring(make_feature, ring), layer, campaign, "geometry.coordinates[0][2][1]")
    assert "数字" in error.message


def test_a_nested_array_where_a_number_belongs_is_refused(campaign, layer, make_feature):
    ring = [[113.63, 34.72], [113.631, 34.72], [113.631, [34.72]], [113.63, 34.72]]
    error = _only_error(_with_ring(make_feature, ring), layer, campaign, "geometry.coordinates[0][2][1]")
    assert "数字" in error.message


def test_position_with_one_number_is_refused(campaign, layer, make_feature):
    ring = [[113.63, 34.72], [113.631], [113.631, 34.721], [113.63, 34.72]]
    error = _only_error(_with_ring(make_feature, ring), layer, campaign, "geometry.coordinates[0][1]")
    assert "[经度, 纬度]" in error.message


def test_a_ring_that_does_not_close_is_refused(campaign, layer, make_feature):
    ring = [[113.63, 34.72], [113.631, 34.72], [113.631, 34.721], [113.63, 34.721]]
    error = _only_error(_with_ring(make_feature, ring), layer, campaign, "geometry.coordinates[0]")
    assert "闭合" in error.message


def test_nan_in_an_extra_attribute_is_refused(campaign, layer, make_feature):
    assert "NaN" in _only_error(make_feature(x_score=math.nan), layer, campaign, "x_score").message


# --- invalid geometry and repair ---------------------------------------------------

def _bow_tie(make_feature):
    x, y, s = 113.63, 34.72, 0.001
    return _with_ring(make_feature, [[x, y], [x + s, y + s], [x + s, y], [x, y + s], [x, y]])


def test_self_intersecting_polygon_is_refused_without_repair(campaign, layer, make_feature):
    feature = _bow_tie(make_feature)
    error = _only_error(feature, layer, campaign, "geometry")
    assert "Self-intersection" in error.message and "make_valid" in error.message


def test_self_intersecting_polygon_is_repaired_on_request(campaign, layer, make_feature):
    checked = validate_feature(_bow_tie(make_feature), layer, campaign, repair=True)
    geometry = checked.feature["geometry"]
    assert geometry["type"] in layer.geometry_types
    repaired = shape(geometry)
    assert repaired.is_valid and not repaired.is_empty
    assert repaired.area == pytest.approx(0.001 ** 2 / 2, rel=1e-3)
    assert len(checked.notes) == 1 and "Self-intersection" in checked.notes[0]
    assert checked.notes[0].startswith(t("feature.geometry_repaired", label="康复前街11号院", reason="", type="")[:20])
    for polygon in getattr(repaired, "geoms", [repaired]):
        assert shapely.is_ccw(polygon.exterior)


def test_feature_that_is_not_an_object_is_refused(campaign, layer):
    with pytest.raises(ValidationError) as info:
        validate_feature(["not", "a", "feature"], layer, campaign)
    assert info.value.errors[0].field == "feature"
