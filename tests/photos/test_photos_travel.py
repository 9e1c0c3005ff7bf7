"""Photos travel with the campaign — backups and their restore, `store copy` both ways — and `store check` looks
at every one: a missing or damaged file is found, named and never "repaired" by invention."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest

from geo.backup import backup, restore
from geo.config import load_campaign
from geo.photos import add_photo, photo_bytes, remove_photo
from geo.store import open_store
from geo.store.transfer import copy_to_geojson, copy_to_postgis
from tests.photos import images


def _with_photos(store, make_feature) -> tuple[str, list[dict]]:
    place = store.create("courtyards", make_feature(), user="u").feature
    entries = [add_photo(store, "courtyards", place["id"], io.BytesIO(data), user="u")[0]
               for data in (images.jpeg(colour=(9, 9, 9)), images.png(), images.heic())]
    return place["id"], entries


def _same_photos(store, fid: str, entries: list[dict]) -> None:
    assert store.get("courtyards", fid)["properties"]["photos"] == entries
    for entry in entries:
        assert hashlib.sha256(photo_bytes(store, entry["id"], "original")).hexdigest() == entry["id"]
        for variant in ("full", "preview", "thumb"):
            assert photo_bytes(store, entry["id"], variant)[:2] == b"\xff\xd8"
    assert store.check() == []


@pytest.mark.parametrize("backend", ["geojson", "postgis"])
def test_a_backup_carries_the_photos_and_its_restore_brings_them_back(backend, store_factory, make_feature, data_dir,
                                                                      tmp_path):
    store = store_factory(backend)
    fid, entries = _with_photos(store, make_feature)
    archive, manifest = backup(store, tmp_path / "backups/", data_dir=data_dir)
    assert sum(1 for name in manifest["files"] if name.startswith("photos/")) == 3 * 4  # 3 photos, 4 files each
    restored = tmp_path / "restored"
    restore(archive, restored)
    again = open_store(restored, load_campaign(restored))
    _same_photos(again, fid, entries)


def test_store_copy_carries_every_photo_to_postgis_and_back(store_factory, make_feature, data_dir, campaign,
                                                            postgis_url, postgis_schema, tmp_path):
    source = store_factory("geojson")
    fid, entries = _with_photos(source, make_feature)
    gone = entries[1]
    remove_photo(source, "courtyards", fid, gone["id"], user="u")  # off the place, still in its history
    kept = [entries[0], entries[2]]
    report = copy_to_postgis(data_dir, campaign, postgis_url, schema=postgis_schema)
    assert report.photos == 3
    database = store_factory("postgis")
    _same_photos(database, fid, kept)
    assert database.blobs.has(gone["id"])  # the history still shows it
    back = tmp_path / "back"
    report = copy_to_geojson(postgis_url, campaign, back, schema=postgis_schema, campaign_dir=data_dir)
    assert report.photos == 3
    files = open_store(back, load_campaign(back))
    _same_photos(files, fid, kept)
    assert sorted(files.blobs.ids()) == sorted(e["id"] for e in entries)


@pytest.mark.parametrize("backend", ["geojson", "postgis"])
def test_check_finds_a_missing_and_a_damaged_photo_and_repair_says_it_cannot_invent_them(backend, store_factory,
                                                                                      make_feature, postgis_url):
    store = store_factory(backend)
    fid, entries = _with_photos(store, make_feature)
    assert store.check() == []
    assert "照片 3 张" in store.check_summary()
    missing, damaged = entries[0]["id"], entries[1]["id"]
    if backend == "geojson":
        store.blobs.path(missing, "original").unlink()
        store.blobs.path(damaged, "original").write_bytes(b"not the photo any more")
    else:
        import psycopg

        with psycopg.connect(postgis_url, autocommit=True) as conn:
            conn.execute(f"DELETE FROM {store.schema}.photo_blobs WHERE id = %s AND variant = 'original'", (missing,))
            conn.execute(f"UPDATE {store.schema}.photo_blobs SET content = 'x' WHERE id = %s AND variant = 'original'",
                         (damaged,))
    found = {(f.code, f.where): f for f in store.check()}
    assert set(found) == {("photo_missing", f"courtyards/{fid}"), ("photo_damaged", f"courtyards/{fid}")}
    assert missing in found[("photo_missing", f"courtyards/{fid}")].problem
    assert damaged in found[("photo_damaged", f"courtyards/{fid}")].problem
    assert not any(f.repairable for f in found.values())
    report = store.repair()
    assert len([line for line in report.unrecovered if "修复无法凭空恢复照片" in line]) == 2
    assert {f.code for f in store.check()} == {"photo_missing", "photo_damaged"}  # still there: nothing invented


def test_check_counts_a_photo_no_place_names_as_collectable(store_factory, make_feature):
    store = store_factory("geojson")
    fid, entries = _with_photos(store, make_feature)
    remove_photo(store, "courtyards", fid, entries[0]["id"], user="u")
    assert store.check() == []
    assert "照片 2 张" in store.check_summary() and "另有 1 张" in store.check_summary()


def test_a_half_written_photo_file_is_never_seen(store_factory, make_feature, data_dir, tmp_path):
    """A blob is written to a hidden temporary file and renamed: what a killed write leaves is not a photo, and
    backups (which skip hidden files) do not carry it."""
    store = store_factory("geojson")
    fid, entries = _with_photos(store, make_feature)
    folder: Path = store.blobs.path(entries[0]["id"], "original").parent
    (folder / ".thumb.killed.tmp").write_bytes(b"half")
    assert store.check() == []
    _, manifest = backup(store, tmp_path / "backups/", data_dir=data_dir)
    assert sorted(name.rsplit("/", 1)[1] for name in manifest["files"] if f"/{entries[0]['id']}/" in name) == \
        ["full.jpg", "original.bin", "preview.jpg", "thumb.jpg"]
