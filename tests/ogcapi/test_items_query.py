"""Items: bbox, datetime and property filters, offset paging with next/prev links, counts and time stamp."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.ogcapi.conftest import bearer

ITEMS = "/ogc/collections/courtyards/items"
# seeded: c-0001 at x=113.660 (accepted, 大学路街道), c-0002 at 113.662 (pending, 福华街街道),
# c-0003 at 113.664 (in_progress), all 0.001° squares at y=34.72; c-0003 saved two days after the others.


@pytest.fixture
def get(read_app):
    """A viewer's reads (with a token) from a deployment shared by this module's tests."""
    client = read_app.test_client()

    def get(url: str, **headers):
        return client.get(url, headers={**bearer(read_app, "viewer1"), **headers})
    return get


def _ids(resp) -> list[str]:
    return [f["id"] for f in resp.get_json()["features"]]


def _links(resp) -> dict[str, str]:
    return {link["rel"]: link["href"] for link in resp.get_json()["links"]}


def test_items_are_a_geojson_feature_collection_with_counts_and_a_time_stamp(get):
    resp = get(ITEMS)
    assert resp.status_code == 200 and resp.mimetype == "application/geo+json"
    body = resp.get_json()
    assert body["type"] == "FeatureCollection"
    assert body["numberMatched"] == body["numberReturned"] == 3
    assert body["timeStamp"] == "2026-11-26T08:00:00Z"
    assert resp.headers["Content-Crs"] == "<http://www.opengis.net/def/crs/OGC/1.3/CRS84>"
    assert {"self", "alternate", "collection"} <= set(_links(resp))


def test_pages_follow_by_offset_with_next_and_prev_links(get):
    first = get(f"{ITEMS}?limit=2&status=accepted,pending,in_progress")
    assert _ids(first) == ["c-0001", "c-0002"]
    assert first.get_json()["numberMatched"] == 3 and first.get_json()["numberReturned"] == 2
    links = _links(first)
    assert "prev" not in links
    query = parse_qs(urlsplit(links["next"]).query)
    assert query == {"limit": ["2"], "offset": ["2"], "after-id": ["c-0002"], "status": ["accepted,pending,in_progress"],
                     "f": ["json"]}
    second = get(links["next"].replace("http://localhost", ""))
    assert _ids(second) == ["c-0003"]
    assert "next" not in _links(second)
    assert parse_qs(urlsplit(_links(second)["prev"]).query).get("offset") is None  # back to the start


def test_an_offset_past_the_end_is_an_empty_page(get):
    body = get(f"{ITEMS}?offset=10").get_json()
    assert body["features"] == [] and body["numberMatched"] == 3 and body["numberReturned"] == 0


def test_a_limit_above_the_maximum_is_read_as_the_maximum(get):
    resp = get(f"{ITEMS}?limit=50000")
    assert resp.status_code == 200 and len(_ids(resp)) == 3
    assert "limit=10000" in _links(resp)["self"]


@pytest.mark.parametrize(("bbox", "expected"), [
    ("113.6595,34.7195,113.6605,34.7205", ["c-0001"]),
    ("113.6615,34.72,113.6645,34.721", ["c-0002", "c-0003"]),
    ("113.0,34.0,113.1,34.1", []),
    ("113.6615,34.72,0,113.6645,34.721,0", ["c-0002", "c-0003"]),
])
def test_bbox_keeps_the_places_that_intersect_it(get, bbox, expected):
    assert _ids(get(f"{ITEMS}?bbox={bbox}")) == expected


def test_bbox_crs_epsg_4326_reads_latitude_first(get):
    crs = "http://www.opengis.net/def/crs/EPSG/0/4326"
    assert _ids(get(f"{ITEMS}?bbox=34.7195,113.6595,34.7205,113.6605&bbox-crs={crs}")) == ["c-0001"]
    crs84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
    assert _ids(get(f"{ITEMS}?bbox=113.6595,34.7195,113.6605,34.7205&bbox-crs={crs84}")) == ["c-0001"]


@pytest.mark.parametrize(("query", "expected"), [
    ("status=pending", ["c-0002"]),
    ("status=pending,accepted", ["c-0001", "c-0002"]),
    ("street=大学路街道", ["c-0001"]),
    ("kind=楼院&status=in_progress", ["c-0003"]),
    ("community=金桥社区", []),
])
def test_property_filters_keep_the_places_that_match(get, query, expected):
    assert _ids(get(f"{ITEMS}?{query}")) == expected


@pytest.mark.parametrize(("interval", "expected"), [
    ("../2026-11-25T00:00:00Z", ["c-0001", "c-0002"]),
    ("2026-11-25T00:00:00Z/..", ["c-0003"]),
    ("2026-11-24/2026-11-26", ["c-0001", "c-0002", "c-0003"]),
    ("2026-11-26", ["c-0003"]),
    ("2026-11-24T08:00:00Z", ["c-0001", "c-0002"]),
    ("2026-11-24T16:00:00%2B08:00", ["c-0001", "c-0002"]),
    ("/2026-11-23", []),
])
def test_datetime_filters_on_when_a_place_last_changed(get, interval, expected):
    assert _ids(get(f"{ITEMS}?datetime={interval}")) == expected


@pytest.mark.parametrize(("query", "parameter"), [
    ("limit=0", "limit"), ("limit=ten", "limit"), ("offset=-1", "offset"), ("after-id=", "after-id"),
    ("bbox=1,2,3", "bbox"), ("bbox=a,b,c,d", "bbox"), ("bbox=113,35,114,34", "bbox"),
    ("bbox=113,34,114,35&bbox-crs=EPSG:32650", "bbox-crs"), ("crs=EPSG:32650", "crs"),
    ("datetime=yesterday", "datetime"), ("datetime=2026-11-20/2026-11-01", "datetime"), ("datetime=../..", "datetime"),
    ("datetime=2026-11-20T08:00:00", "datetime"), ("colour=red", "colour"), ("f=xml", "f"),
])
def test_a_bad_query_parameter_is_a_400_naming_it(get, query, parameter):
    resp = get(f"{ITEMS}?{query}")
    assert resp.status_code == 400
    body = resp.get_json()
    assert body["code"] == "bad_parameter" and body["parameter"] == parameter


def test_an_unknown_layer_or_place_is_a_404(get):
    assert get("/ogc/collections/parks/items").status_code == 404
    resp = get(f"{ITEMS}/c-9999")
    assert resp.status_code == 404 and resp.get_json()["code"] == "not_found"


def test_an_item_is_revalidated_with_its_etag(get):
    first = get(f"{ITEMS}/c-0001")
    assert first.headers["ETag"] == '"c-0001-v1"'
    assert get(f"{ITEMS}/c-0001", **{"If-None-Match": first.headers["ETag"]}).status_code == 304


def test_the_index_follows_writes(client, private_app):
    def relapsed() -> list[str]:
        return _ids(client.get(f"{ITEMS}?status=relapsed", headers=bearer(private_app, "viewer1")))

    assert relapsed() == []
    tag = client.get(f"{ITEMS}/c-0002", headers=bearer(private_app, "viewer1")).headers["ETag"]
    client.patch(f"{ITEMS}/c-0002", json={"properties": {"status": "relapsed"}},
                 headers={**bearer(private_app, "editor1"), "If-Match": tag})
    assert relapsed() == ["c-0002"]
