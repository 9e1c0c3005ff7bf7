"""/ogc answers are gzipped for clients that accept it, as the rest of the API is; ETags still revalidate."""

from __future__ import annotations

import gzip
import json

import pytest

ITEMS = "/ogc/collections/courtyards/items"


@pytest.fixture(scope="module")
def client(demo_server):
    return demo_server.app.test_client()


def test_a_page_of_places_is_gzipped_and_decompresses_to_the_same_geojson(client):
    plain = client.get(f"{ITEMS}?limit=1000", headers={"Accept-Encoding": "identity"})
    packed = client.get(f"{ITEMS}?limit=1000", headers={"Accept-Encoding": "gzip, deflate"})
    assert plain.status_code == packed.status_code == 200
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    body = gzip.decompress(packed.get_data())
    assert json.loads(body) == json.loads(plain.get_data())
    assert len(json.loads(body)["features"]) == 293
    assert len(packed.get_data()) * 5 < len(body)  # GeoJSON of Chinese names and coordinates packs well


def test_the_collections_and_the_api_definition_are_gzipped_too(client):
    for url in ("/ogc/collections", "/ogc/api", "/ogc/collections/roads/queryables"):
        resp = client.get(url, headers={"Accept-Encoding": "gzip"})
        assert resp.headers["Content-Encoding"] == "gzip", url
        assert json.loads(gzip.decompress(resp.get_data()))


def test_a_gzipped_place_keeps_its_etag_and_revalidates_to_304(client):
    first = client.get(f"{ITEMS}/c-0001", headers={"Accept-Encoding": "gzip"})
    plain = client.get(f"{ITEMS}/c-0001")
    assert first.headers["ETag"] == plain.headers["ETag"] == '"c-0001-v1"'
    again = client.get(f"{ITEMS}/c-0001", headers={"Accept-Encoding": "gzip", "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.get_data() == b""
    assert "Content-Encoding" not in again.headers


def test_errors_are_sent_as_they_are(client):
    error = client.get(f"{ITEMS}?limit=zero", headers={"Accept-Encoding": "gzip"})
    assert error.status_code == 400 and "Content-Encoding" not in error.headers
    assert error.get_json()["parameter"] == "limit"
