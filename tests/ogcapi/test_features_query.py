"""geo.features_query and geo.features_edit without HTTP: parsing, selecting, links, merge patch, If-Match."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from geo.errors import ValidationError
from geo.features_edit import PreconditionFailed, PreconditionRequired, expected_version, merge_patch, patch_ops, replace_ops
from geo.features_query import BadParameter, ItemsQuery, LayerIndex, items_links, parse_datetime, parse_items_query
from tests.conftest import make_feature


def _feature(fid: str, x: float, status: str, updated_at: str) -> dict:
    f = make_feature(fid, status, x=x)
    f["id"] = fid
    f["properties"].update(version=1, updated_at=updated_at)
    return f


@pytest.fixture
def index():
    return LayerIndex([
        _feature("a", 113.60, "pending", "2026-11-01T08:00:00.000000Z"),
        _feature("b", 113.61, "accepted", "2026-11-10T08:00:00.000000Z"),
        _feature("c", 113.62, "pending", "2026-11-20T08:00:00.000000Z"),
        {"type": "Feature", "id": "d", "properties": {"status": "pending"}, "geometry": None},
    ])


def test_an_open_interval_has_no_start(index):
    interval = parse_datetime("../2026-11-10T08:00:00Z")
    assert interval.start is None and interval.end == datetime(2026, 11, 10, 8, 0, 0, 999999, tzinfo=UTC)
    assert [f["id"] for f in index.select(ItemsQuery(interval=interval)).features] == ["a", "b"]


def test_filters_combine_and_paging_counts_every_match(index):
    query = parse_items_query({"status": "pending", "bbox": "113.5,34.5,113.7,34.9", "limit": "1", "offset": "1"})
    selection = index.select(query)
    assert [f["id"] for f in selection.features] == ["c"] and selection.matched == 2


def test_a_place_without_geometry_or_time_is_left_out_of_those_filters(index):
    assert index.select(ItemsQuery(filters={"status": frozenset({"pending"})})).matched == 3
    assert index.select(ItemsQuery(bbox=(-180, -90, 180, 90))).matched == 3
    assert index.select(ItemsQuery(interval=parse_datetime("2000-01-01/.."))).matched == 3


def test_a_box_across_the_antimeridian_is_read_as_two(index):
    assert index.select(ItemsQuery(bbox=(170.0, 30.0, 113.605, 40.0))).matched == 1


def test_the_extent_covers_every_geometry_and_update(index):
    extent = index.extent()
    assert extent["spatial"]["bbox"] == [[113.6, 34.72, 113.621, 34.721]]
    assert extent["temporal"]["interval"] == [["2026-11-01T08:00:00Z", "2026-11-20T08:00:00Z"]]


def test_an_index_made_again_keeps_the_shapes_of_unchanged_places_and_reads_the_changed(index):
    moved = _feature("a", 113.90, "pending", "2026-11-21T08:00:00.000000Z")  # a new version of "a", elsewhere
    moved["properties"]["version"] = 2
    renamed = {**index.features[1], "properties": {**index.features[1]["properties"], "name": "新名"}}  # same version
    again = LayerIndex([moved, renamed, index.features[2], index.features[3],
                        _feature("e", 113.63, "pending", "2026-11-21T08:00:00.000000Z")], previous=index)
    assert again.geometries[1] is index.geometries[1] and again.geometries[2] is index.geometries[2]
    assert again.geometries[0] is not index.geometries[0] and again.geometries[3] is None

    def ids(bbox):
        return [f["id"] for f in again.select(parse_items_query({"bbox": bbox})).features]

    assert ids("113.89,34.5,113.95,34.9") == ["a"]  # found where it is now, not where it was
    assert ids("113.595,34.5,113.605,34.9") == []
    assert ids("113.605,34.5,113.635,34.9") == ["b", "c", "e"]


def test_links_keep_the_filters_and_move_the_offset_and_cursor(index):
    args = {"status": "pending", "limit": "1", "offset": "1", "f": "json"}
    query = parse_items_query(args)
    links = {x["rel"]: x["href"] for x in items_links("http://h/ogc/collections/x/items", args, query, index.select(query), "json")}
    assert links["next"] == "http://h/ogc/collections/x/items?status=pending&limit=1&offset=2&after-id=c&f=json"
    assert links["prev"] == "http://h/ogc/collections/x/items?status=pending&limit=1&f=json"
    assert links["alternate"].endswith("offset=1&f=html")
    # a page asked for after a place: its own links say so, the previous page is asked for by offset alone
    args = {"status": "pending", "limit": "1", "offset": "2", "after-id": "c", "f": "json"}
    query = parse_items_query(args)
    assert query.after == "c"
    links = {x["rel"]: x["href"] for x in items_links("http://h/ogc/collections/x/items", args, query, index.select(query), "json")}
    assert links["self"] == "http://h/ogc/collections/x/items?status=pending&limit=1&offset=2&after-id=c&f=json"
    assert links["prev"] == "http://h/ogc/collections/x/items?status=pending&limit=1&offset=1&f=json"
    assert "next" not in links  # d, the last
    # whether a next page is linked comes from the places after the page, whatever the offset says
    args = {"limit": "1", "offset": "9", "after-id": "b", "f": "json"}
    query = parse_items_query(args)
    page = index.select(query)
    assert [f["id"] for f in page.features] == ["c"] and page.matched == 4 < 10 and page.more
    links = {x["rel"]: x["href"] for x in items_links("http://h/ogc/collections/x/items", args, query, page, "json")}
    assert links["next"] == "http://h/ogc/collections/x/items?limit=1&offset=10&after-id=c&f=json"


def test_bad_parameters_name_themselves():
    with pytest.raises(BadParameter) as exc:
        parse_items_query({"limit": "1e3"})
    assert exc.value.parameter == "limit" and exc.value.http_status == 400


def test_merge_patch_follows_rfc_7396():
    target = {"a": "b", "c": {"d": "e", "f": "g"}}
    assert merge_patch(target, {"a": "z", "c": {"f": None}}) == {"a": "z", "c": {"d": "e"}}
    assert merge_patch({"a": [1, 2]}, {"a": [3]}) == {"a": [3]}
    assert merge_patch({"a": "b"}, {"a": {"x": 1}}) == {"a": {"x": 1}}
    assert target == {"a": "b", "c": {"d": "e", "f": "g"}}  # untouched


def test_patch_and_replace_clear_what_they_remove():
    current = _feature("a", 113.6, "pending", "2026-11-01T08:00:00.000000Z")
    current["properties"].update(deadline="2026-12-01", 整改负责人="王五")
    props, geometry = patch_ops(current, {"properties": {"deadline": None, "version": 99}}, "a")
    assert props["deadline"] is None and "version" not in props and geometry is None
    props, geometry = replace_ops(current, make_feature("新名字", "accepted"), "a")
    assert props["name"] == "新名字" and props["整改负责人"] is None and props["deadline"] is None
    with pytest.raises(ValidationError):
        patch_ops(current, {"geometry": None}, "a")


@pytest.mark.parametrize(("header", "version"), [('"c-0001-v3"', 3), ('"x-v1", "c-0001-v12"', 12)])
def test_if_match_names_the_version(header, version):
    assert expected_version(header, "c-0001") == version


@pytest.mark.parametrize("header", [None, ""])
def test_if_match_missing_is_a_required_precondition(header):
    with pytest.raises(PreconditionRequired):
        expected_version(header, "c-0001")


@pytest.mark.parametrize("header", ['"c-0002-v3"', "c-0001-v3", '"c-0001-vx"', '"garbage', 'W/"c-0001-v3"', "*"])
def test_if_match_of_something_else_fails_the_precondition(header):
    with pytest.raises(PreconditionFailed):
        expected_version(header, "c-0001")
