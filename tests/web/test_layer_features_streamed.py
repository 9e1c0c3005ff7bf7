"""A layer too large for a server process to keep (PostgreSQL, more places than GUATU_DATABASE_LAYER_CACHE) is
read by /api/layers/<layer>/features a batch at a time and spooled, gzipped, to a temporary file, then sent from
there, never held whole: the same places as a process that keeps the layer sends, revalidated by its revision; the
database connection is given back before the first byte is sent; a full disk is a 507, not a cut-off body."""

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
    assert sent.headers["ETag"] == 'W/"features-courtyards-3"' and int(sent.headers["Content-Length"]) == len(sent.data)
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


def test_the_connection_is_given_back_before_the_first_byte_and_a_body_beyond_memory_goes_to_a_file(apps,
                                                                                                    monkeypatch):
    monkeypatch.setattr(http, "SPOOL_IN_MEMORY", 16)  # any body goes to a temporary file
    monkeypatch.setattr(http, "STREAM_CHUNK", 64)  # and is read from it in pieces
    kept, app = apps
    client = app.test_client()
    store = app.extensions["guatu"].store
    for _ in range(3):  # one pooled connection: a client that has read nothing yet does not hold it
        resp = client.get(URL, headers={"Accept-Encoding": "gzip"}, buffered=False)
        assert resp.status_code == 200 and store.pool.get_stats()["pool_available"] == 1
        assert client.get("/api/layers").status_code == 200  # asks the database with that one connection
        body = b"".join(resp.response)
        resp.close()
        assert len(body) == int(resp.headers["Content-Length"])
        places = orjson.loads(gzip.decompress(body))["features"]
        assert places == orjson.loads(kept.test_client().get(URL).data)["features"]


def test_a_full_disk_is_a_507_and_the_next_answer_comes_once_space_is_freed(apps, monkeypatch, tmp_path):
    import tempfile

    from tests.faults.small_disk import fill, small_disk

    monkeypatch.setattr(http, "SPOOL_IN_MEMORY", 16)
    _, app = apps
    client = app.test_client()
    store = app.extensions["guatu"].store
    with small_disk(tmp_path / "disk", size_mb=1) as disk:
        monkeypatch.setattr(tempfile, "tempdir", str(disk))
        filler = fill(disk)
        refused = client.get(URL)
        assert refused.status_code == 507 and refused.mimetype == "application/problem+json"
        assert "磁盘" in refused.get_json()["detail"]
        assert list(disk.iterdir()) == [filler]  # no spooled file left behind
        assert store.pool.get_stats()["pool_available"] == 1
        filler.unlink()
        assert len(client.get(URL).get_json()["features"]) == 3
