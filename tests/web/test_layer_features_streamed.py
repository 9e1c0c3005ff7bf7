"""A layer too large for a server process to keep (PostgreSQL, more places than GUATU_DATABASE_LAYER_CACHE) is
sent by /api/layers/<layer>/features as it is read from the database, never held whole: the same places as a
process that keeps the layer sends, gzipped on the way, revalidated by its revision, and a client gone halfway
gives the database connection back."""

from __future__ import annotations

import gzip

import orjson
import pytest

from geo.store.transfer import copy_to_postgis
from web import create_app
from web.core import http

URL = "/api/layers/courtyards/features"


@pytest.fixture
def apps(seeded, campaign, clock, instance_dir, postgis_url, postgis_schema, tmp_path):
    copy_to_postgis(seeded, campaign, postgis_url, schema=postgis_schema)
    base = {"TESTING": True, "GUATU_DATA": str(seeded), "GUATU_CLOCK": clock, "GUATU_PUBLIC_VIEW": True,
            "GUATU_DATABASE_URL": postgis_url, "GUATU_DATABASE_SCHEMA": postgis_schema}
    kept = create_app({**base, "GUATU_INSTANCE": str(instance_dir)})
    streamed = create_app({**base, "GUATU_INSTANCE": str(tmp_path / "streamed"), "GUATU_DATABASE_LAYER_CACHE": 0,
                           "GUATU_DATABASE_POOL": 1})
    yield kept, streamed
    for app in (kept, streamed):
        app.extensions["guatu"].store.close()


def test_a_layer_too_large_to_keep_is_streamed_with_the_places_a_kept_layer_has(apps):
    kept, streamed = (app.test_client() for app in apps)
    whole = kept.get(URL)
    sent = streamed.get(URL)
    assert sent.status_code == 200 and whole.status_code == 200
    assert "Content-Length" not in sent.headers and int(whole.headers["Content-Length"]) > 0  # sent as it is read
    assert sent.mimetype == "application/geo+json"
    one, other = orjson.loads(whole.data), orjson.loads(sent.data)
    crc = one["guatu"].pop("crc")  # a stream cannot put its checksum before the places it sums
    assert isinstance(crc, int) and "crc" not in other["guatu"]
    assert one == other and len(other["features"]) == 3
    zipped = streamed.get(URL, headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.data) == sent.data
    # the filtered form reads the places as before
    assert streamed.get(f"{URL}?status=pending").get_json() == kept.get(f"{URL}?status=pending").get_json()


def test_a_streamed_layer_is_revalidated_by_its_revision(apps):
    _, app = apps
    client = app.test_client()
    sent = client.get(URL)
    etag = sent.headers["ETag"]
    assert etag.startswith('W/"')
    again = client.get(URL, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    store = app.extensions["guatu"].store
    f = store.features("courtyards")[0]
    store.update("courtyards", f["id"], expected_version=f["properties"]["version"], user="t",
                 properties={"status": "accepted"})
    changed = client.get(URL, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert {x["id"]: x["properties"]["status"] for x in changed.get_json()["features"]}[f["id"]] == "accepted"


def test_a_client_gone_halfway_gives_the_connection_back(apps, monkeypatch):
    monkeypatch.setattr(http, "STREAM_CHUNK", 1)  # every piece sent as it comes: the test client reads only the first
    _, app = apps
    client = app.test_client()
    store = app.extensions["guatu"].store
    for _ in range(3):  # one pooled connection: each stream left unread must give it back
        resp = client.get(URL, buffered=False)
        assert resp.status_code == 200
        assert store.pool.get_stats()["pool_available"] == 0  # held by the stream, halfway through the layer
        resp.close()
    assert client.get("/api/layers").status_code == 200  # asks the database with that one connection
    assert len(orjson.loads(client.get(URL).data)["features"]) == 3
