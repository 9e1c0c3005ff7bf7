"""OGC API – Features over PostGIS (items answered in SQL) says exactly what it says over the embedded store.

One campaign is written into a data directory and copied into a PostGIS schema; two deployments serve it,
one from each store, with the same clock. Every items and collection request below must give the same
body, links, counts and time stamp included.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest

from geo.config import load_campaign
from geo.store import open_store
from geo.store.transfer import copy_to_postgis
from tests.conftest import make_feature
from tests.ogcapi.conftest import LAYERS
from tests.ogcapi.test_filter import CASES as FILTER_CASES
from web import create_app

STREETS = ("大学路街道", "福华街街道", "建中街街道")


@pytest.fixture
def clients(data_dir, campaign, clock, tmp_path, postgis_url, postgis_schema):
    store = open_store(data_dir, campaign, clock=clock)
    for i in range(24):
        store.create("courtyards", make_feature(f"楼院{i:02d}", ("pending", "accepted", "in_progress")[i % 3],
                                                x=113.60 + (i % 6) * 0.01, y=34.70 + (i // 6) * 0.01,
                                                street=STREETS[i % 3]), user="张三")
        clock.advance(hours=5)
    store.update("courtyards", "c-0002", expected_version=1, user="李四", properties={"status": "relapsed"})
    store.close()
    copy_to_postgis(data_dir, load_campaign(data_dir), postgis_url, schema=postgis_schema)
    common = {"TESTING": True, "GUATU_DATA": str(data_dir), "GUATU_CLOCK": clock, "GUATU_PUBLIC_VIEW": True}
    embedded = create_app({**common, "GUATU_INSTANCE": str(tmp_path / "a")})
    postgis = create_app({**common, "GUATU_INSTANCE": str(tmp_path / "b"), "GUATU_DATABASE_URL": postgis_url,
                          "GUATU_DATABASE_SCHEMA": postgis_schema})
    assert type(postgis.extensions["guatu"].store).__name__ == "PostGISStore"
    yield embedded.test_client(), postgis.test_client()
    for app in (embedded, postgis):
        app.extensions["guatu"].store.close()


URLS = [
    "/ogc/collections/courtyards",
    "/ogc/collections/roads",
    "/ogc/collections/courtyards/items",
    "/ogc/collections/courtyards/items?limit=5",
    "/ogc/collections/courtyards/items?limit=5&offset=10",
    "/ogc/collections/courtyards/items?limit=5&offset=20",
    "/ogc/collections/courtyards/items?bbox=113.615,34.705,113.635,34.725",
    "/ogc/collections/courtyards/items?bbox=34.705,113.615,34.725,113.635"
    "&bbox-crs=http://www.opengis.net/def/crs/EPSG/0/4326",
    "/ogc/collections/courtyards/items?status=pending,relapsed&limit=3&offset=3",
    "/ogc/collections/courtyards/items?street=大学路街道&datetime=2026-11-25T00:00:00Z/..",
    "/ogc/collections/courtyards/items?datetime=2026-11-24",
    "/ogc/collections/courtyards/items?kind=楼院&status=accepted&bbox=113.5,34.6,113.7,34.8",
]
# pages asked for after a place (a `next` link's cursor), and after one no layer has (found by offset then)
CURSORS = [
    "/ogc/collections/courtyards/items?limit=5&offset=5&after-id=c-0005",
    "/ogc/collections/courtyards/items?status=pending,relapsed&limit=3&offset=3&after-id=c-0008",
    "/ogc/collections/courtyards/items?filter=status <> 'accepted'&limit=4&offset=4&after-id=c-0006",
    "/ogc/collections/courtyards/items?limit=5&offset=10&after-id=c-0999",
]


@pytest.mark.parametrize("url", URLS + CURSORS)
def test_items_and_collections_answer_alike_on_both_stores(clients, url):
    embedded, postgis = clients
    want, got = embedded.get(url), postgis.get(url)
    assert got.status_code == want.status_code == 200
    assert got.get_json() == want.get_json()


def test_the_cases_are_not_vacuous(clients):
    _, postgis = clients
    matched = [postgis.get(url).get_json().get("numberMatched") for url in URLS[2:]]
    assert matched[0] == 24 and all(0 < m < 24 for m in matched[4:])


@pytest.mark.parametrize("first", ["/ogc/collections/courtyards/items?limit=5",
                                   "/ogc/collections/courtyards/items?filter=status <> 'accepted'&limit=3"])
def test_following_next_links_reads_every_place_once_on_both_stores(clients, first):
    """A client (GDAL, OWSLib, QGIS) follows `next` to the end: each page after the first asks for the places after
    the last one it had; every matched place comes once, in the layer's order, alike on both stores."""
    walks = []
    for client in clients:
        url, ids, bodies = first, [], []
        while url:
            body = client.get(url).get_json()
            bodies.append(body)
            ids += [f["id"] for f in body["features"]]
            url = next((x["href"].replace("http://localhost", "") for x in body["links"] if x["rel"] == "next"), None)
        assert len(ids) == len(set(ids)) == bodies[0]["numberMatched"]
        assert ids == sorted(ids)  # created in order: the layer's order is the ids'
        assert all("after-id=" in x["href"] for b in bodies[:-1] for x in b["links"] if x["rel"] == "next")
        walks.append((ids, [{k: v for k, v in b.items() if k != "timeStamp"} for b in bodies]))
    assert walks[1] == walks[0]
    assert len(walks[0][1]) > 2


@pytest.mark.parametrize("url", ["/ogc/collections/courtyards/items?colour=x",
                                 "/ogc/collections/courtyards/items?bbox=1,2,3",
                                 "/ogc/collections/courtyards/items?filter=deadline < DATE('2026-02-30')",
                                 "/ogc/collections/courtyards/items?filter=S_INTERSECTS(geometry, POLYGON(("
                                 "113.5 34.6, 113.7 34.8, 113.7 34.6, 113.5 34.8, 113.5 34.6)))"])
def test_bad_parameters_are_refused_alike(clients, url):
    embedded, postgis = clients
    want, got = embedded.get(url), postgis.get(url)
    assert got.status_code == want.status_code == 400
    assert got.get_json() == want.get_json()


@pytest.mark.parametrize(("url", "parameter"), [
    ("/ogc/collections/courtyards/items?after-id=c-0001%00", "after-id"),
    ("/ogc/collections/courtyards/items?street=a%00b", "street"),
    ("/ogc/collections/courtyards/items?filter=street%3D%27a%00b%27", "filter"),
    ("/api/wall/shapes/courtyards?bbox=113.5,34.6,113.7,34.8&zoom=13&format=binary&part=geometry&street=a%00b",
     "street"),
    ("/api/wall/shapes/courtyards?bbox=113.5,34.6,113.7,34.8&zoom=15&community=%00", "community"),
    ("/api/wall/state?street=a%00b", "street"),
    ("/api/wall/search/courtyards?q=x&street=a%00b", "street"),
])
def test_a_nul_in_a_parameter_is_refused_alike_naming_it(clients, url, parameter):
    """No text a store keeps has a NUL (PostgreSQL takes none): such a parameter names nothing and is a 400 at the
    boundary on both stores, never a database error."""
    embedded, postgis = clients
    want, got = embedded.get(url), postgis.get(url)
    assert got.status_code == want.status_code == 400
    assert got.get_json() == want.get_json()
    assert parameter in got.get_data(as_text=True) and "空字符" in got.get_data(as_text=True)


@pytest.fixture
def demo_on_both(demo_data, tmp_path, postgis_url, postgis_schema):
    """The demo campaign served from its files and from a PostGIS copy of them."""
    copy_to_postgis(demo_data, load_campaign(demo_data), postgis_url, schema=postgis_schema)
    common = {"TESTING": True, "GUATU_DATA": str(demo_data), "GUATU_PUBLIC_VIEW": True}
    embedded = create_app({**common, "GUATU_INSTANCE": str(tmp_path / "a")})
    postgis = create_app({**common, "GUATU_INSTANCE": str(tmp_path / "b"), "GUATU_DATABASE_URL": postgis_url,
                          "GUATU_DATABASE_SCHEMA": postgis_schema})
    yield embedded.test_client(), postgis.test_client()
    for app in (embedded, postgis):
        app.extensions["guatu"].store.close()


def test_every_cql2_filter_of_the_conformance_table_selects_the_same_places_on_postgis(demo_on_both, demo_features):
    """The filters tests/ogcapi/test_filter.py checks against plain Python on the embedded store, here translated to
    SQL: in text and in JSON, on every layer, the same ids as the places that hold."""
    embedded, postgis = demo_on_both
    for text, as_json, holds in FILTER_CASES:
        for layer in LAYERS:
            expected = sorted(f["id"] for f in demo_features[layer] if holds(f))
            for params in ({"filter": text},
                           {"filter": json.dumps(as_json, ensure_ascii=False), "filter-lang": "cql2-json"}):
                url = f"/ogc/collections/{layer}/items?{urlencode({'limit': 10000, **params})}"
                got = postgis.get(url)
                assert got.status_code == 200, (layer, params, got.get_json())
                body = got.get_json()
                assert sorted(f["id"] for f in body["features"]) == expected, (layer, params)
                assert body["numberMatched"] == len(expected)
    paged = "/ogc/collections/courtyards/items?" + urlencode({"filter": "status <> 'accepted'", "limit": 7,
                                                                 "offset": 14})
    assert postgis.get(paged).get_json()["features"] == embedded.get(paged).get_json()["features"]
    summary = "/ogc/collections/roads/queryables"
    assert postgis.get(summary).get_json() == embedded.get(summary).get_json()
