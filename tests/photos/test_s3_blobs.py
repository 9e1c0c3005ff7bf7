"""Photo files in an S3-compatible object store, against a real local S3 server (moto's, started here): the
PostGIS store keeps its photos there when one is configured, and `store copy` and backups take them along."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator

import boto3
import psycopg
import pytest
from moto.server import ThreadedMotoServer

from geo.backup import backup, restore
from geo.config import load_campaign
from geo.errors import NotFound
from geo.photos import S3Blobs, add_photo, photo_bytes
from geo.store import open_store
from geo.store.transfer import copy_to_postgis
from tests.photos import images
from web import create_app

KEYS = {"access_key": "guatu-test", "secret_key": "guatu-test-secret", "region": "us-east-1"}


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)  # the port the system gives it
    server.start()
    _, port = server.get_host_and_port()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture
def bucket(s3_endpoint, request) -> str:
    name = "photos-" + hashlib.sha1(request.node.nodeid.encode()).hexdigest()[:12]
    boto3.client("s3", endpoint_url=s3_endpoint, aws_access_key_id=KEYS["access_key"],
                 aws_secret_access_key=KEYS["secret_key"], region_name=KEYS["region"]).create_bucket(Bucket=name)
    return name


@pytest.fixture
def blobs(s3_endpoint, bucket) -> S3Blobs:
    return S3Blobs(bucket, endpoint_url=s3_endpoint, prefix="erqi/", **KEYS)


def test_blobs_are_put_once_read_back_listed_and_sized(blobs):
    data = images.jpeg()
    pid = hashlib.sha256(data).hexdigest()
    assert not blobs.has(pid)
    blobs.put(pid, "original", io.BytesIO(data))
    blobs.put(pid, "original", b"other bytes are never written over a kept blob")
    blobs.put(pid, "thumb", b"\xff\xd8thumb")
    assert blobs.get(pid, "original") == data
    assert (blobs.size(pid, "original"), blobs.size(pid, "thumb")) == (len(data), 7)
    assert list(blobs.ids()) == [pid]
    assert blobs.digest(pid) == pid
    assert blobs.missing([pid, "cd" * 32]) == {"cd" * 32}
    with pytest.raises(NotFound):
        blobs.get(pid, "preview")
    keys = sorted(o["Key"] for o in blobs.client.list_objects_v2(Bucket=blobs.bucket)["Contents"])
    assert keys == [f"erqi/{pid[:2]}/{pid}/original.bin", f"erqi/{pid[:2]}/{pid}/thumb.jpg"]


def test_a_postgis_campaign_keeps_its_photos_in_the_bucket_and_its_backup_carries_them(
        store_factory, make_feature, blobs, data_dir, postgis_url, tmp_path):
    store = store_factory("postgis", blobs=blobs)
    place = store.create("courtyards", make_feature(), user="u").feature
    entry, created = add_photo(store, "courtyards", place["id"], io.BytesIO(images.jpeg(gps=True)), user="u")
    assert created
    assert sorted(blobs.ids()) == [entry["id"]]
    assert store.blobs.has(entry["id"], "thumb")
    with psycopg.connect(postgis_url) as conn:  # nothing of it in the database's own table
        assert conn.execute(f"SELECT count(*) FROM {store.schema}.photo_blobs").fetchone()[0] == 0
    assert store.check() == []
    archive, _ = backup(store, tmp_path / "backups/", data_dir=data_dir)
    restore(archive, tmp_path / "restored")
    files = open_store(tmp_path / "restored", load_campaign(tmp_path / "restored"))
    assert photo_bytes(files, entry["id"], "original") == blobs.get(entry["id"], "original")
    assert files.check() == []


def test_the_app_keeps_a_database_campaigns_photos_in_the_bucket_its_settings_name(
        s3_endpoint, bucket, data_dir, clock, tmp_path, postgis_url, postgis_schema, make_feature):
    app = create_app({"TESTING": True, "GUATU_DATA": str(data_dir), "GUATU_CLOCK": clock,
                      "GUATU_INSTANCE": str(tmp_path / "instance"), "GUATU_DATABASE_URL": postgis_url,
                      "GUATU_DATABASE_SCHEMA": postgis_schema, "GUATU_PHOTOS_BUCKET": bucket,
                      "GUATU_PHOTOS_ENDPOINT": s3_endpoint, "GUATU_PHOTOS_PREFIX": "erqi/",
                      "GUATU_PHOTOS_REGION": KEYS["region"], "GUATU_PHOTOS_ACCESS_KEY": KEYS["access_key"],
                      "GUATU_PHOTOS_SECRET_KEY": KEYS["secret_key"]})
    store = app.extensions["guatu"].store
    try:
        place = store.create("courtyards", make_feature(), user="u").feature
        entry, _ = add_photo(store, "courtyards", place["id"], io.BytesIO(images.png()), user="u")
        direct = S3Blobs(bucket, endpoint_url=s3_endpoint, prefix="erqi/", **KEYS)
        assert list(direct.ids()) == [entry["id"]]
        assert direct.has(entry["id"], "thumb")
    finally:
        store.close()


def test_store_copy_into_a_database_puts_the_photos_in_its_bucket(store_factory, make_feature, blobs, data_dir,
                                                                  campaign, postgis_url, postgis_schema):
    files = store_factory("geojson")
    place = files.create("courtyards", make_feature(), user="u").feature
    entry, _ = add_photo(files, "courtyards", place["id"], io.BytesIO(images.webp()), user="u")
    report = copy_to_postgis(data_dir, campaign, postgis_url, schema=postgis_schema, blobs=blobs)
    assert report.photos == 1
    assert sorted(blobs.ids()) == [entry["id"]]
    database = store_factory("postgis", blobs=blobs)
    assert database.get("courtyards", place["id"])["properties"]["photos"] == [entry]
    assert photo_bytes(database, entry["id"], "preview") == photo_bytes(files, entry["id"], "preview")
    assert database.check() == []
