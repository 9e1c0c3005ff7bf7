"""OWSLib's OGC API – Features client lists the layers and pages through a layer's places."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from owslib.ogcapi.features import Features
from owslib.util import Authentication

from tests.ogcapi.conftest import LAYERS, PASSWORD


def _next_offset(page: dict) -> int | None:
    for link in page["links"]:
        if link["rel"] == "next":
            return int(parse_qs(urlsplit(link["href"]).query)["offset"][0])
    return None


def test_owslib_lists_the_campaign_layers_as_feature_collections(demo_server):
    api = Features(f"{demo_server.url}/ogc")
    assert sorted(api.feature_collections()) == sorted(LAYERS)
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core" in api.conformance()["conformsTo"]
    assert api.collection("courtyards")["title"] == "楼院·小区"
    assert api.api()["openapi"].startswith("3.0")


def test_owslib_pages_through_every_place_once(demo_server, demo_features):
    api = Features(f"{demo_server.url}/ogc")
    seen: list[str] = []
    offset: int | None = 0
    pages = 0
    while offset is not None:
        page = api.collection_items("courtyards", limit=40, offset=offset)
        assert page["numberMatched"] == len(demo_features["courtyards"])
        assert page["numberReturned"] == len(page["features"]) <= 40
        seen.extend(f["id"] for f in page["features"])
        offset = _next_offset(page)
        pages += 1
    assert pages == 8  # 293 places, 40 a page
    assert len(seen) == len(set(seen))
    assert sorted(seen) == sorted(f["id"] for f in demo_features["courtyards"])


def test_owslib_filters_by_status_and_reads_one_place(demo_server, demo_features):
    api = Features(f"{demo_server.url}/ogc")
    page = api.collection_items("roads", status="pending", limit=100)
    expected = sorted(f["id"] for f in demo_features["roads"] if f["properties"]["status"] == "pending")
    assert expected and sorted(f["id"] for f in page["features"]) == expected
    place = api.collection_item("villages", demo_features["villages"][0]["id"])
    assert place["properties"]["name"] == demo_features["villages"][0]["properties"]["name"]


def test_owslib_reads_a_private_deployment_with_basic_credentials(private_server):
    api = Features(f"{private_server.url}/ogc", auth=Authentication("gis1", PASSWORD))
    assert sorted(api.feature_collections()) == sorted(LAYERS)


def test_owslib_filters_with_cql2_and_reads_in_cgcs2000(demo_server, demo_features):
    api = Features(f"{demo_server.url}/ogc")
    assert "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text" in api.conformance()["conformsTo"]
    page = api.collection_items("courtyards", limit=1000, filter="status IN ('pending','relapsed') AND NOT deadline IS NULL")
    expected = sorted(f["id"] for f in demo_features["courtyards"]
                      if f["properties"]["status"] in ("pending", "relapsed") and f["properties"]["deadline"] is not None)
    assert expected and sorted(f["id"] for f in page["features"]) == expected
    queryables = api.collection_queryables("courtyards")
    assert queryables["properties"]["street"]["title"] == "街道"
    first = demo_features["villages"][0]
    lat_first = api.collection_items("villages", limit=1, crs="http://www.opengis.net/def/crs/EPSG/0/4490")
    lon, lat = first["geometry"]["coordinates"][0][0]
    assert lat_first["features"][0]["geometry"]["coordinates"][0][0] == [lat, lon]
