"""A full disk, for real (a small tmpfs filled to the last byte): a write is refused with 507 and leaves
no trace — journal and layer files byte for byte as they were — /api/health warns before it is full,
and the same write succeeds once space is freed."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from geo.backup import read_manifest
from geo.config import load_campaign
from geo.diskspace import SpaceWatch
from geo.errors import DiskFull
from geo.messages import t
from geo.store.geojson import GeoJSONStore
from tests.conftest import REPO, make_feature
from tests.faults.small_disk import fill, small_disk
from tests.web.conftest import PASSWORD, login
from web import create_app

LAYER = "courtyards"


@pytest.fixture
def disk(tmp_path: Path):
    with small_disk(tmp_path / "disk", size_mb=4) as mounted:
        yield mounted


@pytest.fixture
def data(disk: Path) -> Path:
    folder = disk / "data"
    shutil.copytree(REPO / "data", folder)
    return folder


def _files(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (hidden ones and temp copies included) with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_write_on_a_full_disk_is_refused_leaves_no_trace_and_succeeds_once_space_is_freed(data, disk, clock):
    store = GeoJSONStore(data, load_campaign(data), clock=clock)
    store.space_watch = SpaceWatch.of([data], min_free_mb=1)
    place = store.create(LAYER, make_feature(name="康复前街11号院"), user="alice").feature
    assert store.problems() == []
    revision = store.revision()
    before = _files(data)

    assert SpaceWatch.of([data]).low() == []  # the default on a small disk: 5 % of it
    filler = fill(disk)
    assert [p.code for p in store.problems()] == ["disk_low"]
    assert [low.path for low in SpaceWatch.of([data]).low()] == [data]
    for write in (lambda: store.update(LAYER, place["id"], expected_version=1, user="bob",
                                       properties={"status": "accepted"}),
                  lambda: store.create(LAYER, make_feature(name="兑周村5号院", x=113.64), user="bob"),
                  lambda: store.delete(LAYER, place["id"], expected_version=1, user="bob")):
        with pytest.raises(DiskFull) as refused:
            write()
        assert refused.value.http_status == 507
        assert refused.value.message == t("store.disk_full")

    assert _files(data) == before  # journal, layer files, everything: byte for byte, no temp copy left
    assert store.revision() == revision and store.get(LAYER, place["id"]) == place
    reopened = GeoJSONStore(data, load_campaign(data), clock=clock)  # nothing for another process to replay
    assert reopened.revision() == revision and reopened.get(LAYER, place["id"]) == place

    filler.unlink()
    assert store.problems() == []
    saved = store.update(LAYER, place["id"], expected_version=1, user="bob", properties={"status": "accepted"})
    assert saved.feature["properties"]["version"] == 2
    assert store.revision() == revision + 1
    assert GeoJSONStore(data, load_campaign(data), clock=clock).get(LAYER, place["id"])["properties"]["status"] == "accepted"


def test_a_record_on_a_full_disk_is_refused_and_the_old_one_kept(data, disk, clock):
    store = GeoJSONStore(data, load_campaign(data), clock=clock)
    with store.records_locked("inspections"):
        store.put_record("inspections", "2026-11-24", {"places": ["c-0001"]})
    before = _files(data)
    filler = fill(disk)
    with store.records_locked("inspections"), pytest.raises(DiskFull):
        store.put_record("inspections", "2026-11-24", {"places": ["c-0001", "c-0002"] * 500})
    assert _files(data) == before
    filler.unlink()
    with store.records_locked("inspections"):
        store.put_record("inspections", "2026-11-24", {"places": ["c-0001", "c-0002"]})
    assert store.record("inspections", "2026-11-24") == {"places": ["c-0001", "c-0002"]}


def test_over_http_a_full_disk_answers_507_health_warns_and_the_same_edit_succeeds_after(data, disk, clock):
    app = create_app({"TESTING": True, "GUATU_DATA": str(data), "GUATU_CLOCK": clock,
                      "GUATU_INSTANCE": str(disk / "instance"), "GUATU_MIN_FREE_MB": 1})
    app.extensions["guatu_accounts"].create_user("editor1", PASSWORD, "editor", "李编")
    try:
        client = app.test_client()
        client.environ_base["HTTP_X_CSRF_TOKEN"] = login(client, "editor1")
        created = client.post(f"/api/layers/{LAYER}/features", json=make_feature(name="康复前街11号院"))
        assert created.status_code == 201
        fid, etag = created.get_json()["id"], created.headers["ETag"]
        assert client.get("/api/health").get_json()["problems"] == []
        before = _files(disk)

        filler = fill(disk)
        patched = client.patch(f"/api/layers/{LAYER}/features/{fid}", json={"properties": {"status": "accepted"}},
                               headers={"If-Match": etag})
        assert patched.status_code == 507
        assert patched.mimetype == "application/problem+json"
        assert {k: patched.get_json()[k] for k in ("status", "error", "message")} == {
            "status": 507, "error": "disk_full", "message": t("store.disk_full")}
        another = client.post(f"/api/layers/{LAYER}/features", json=make_feature(name="兑周村5号院", x=113.64))
        assert another.status_code == 507
        with open(REPO / "data" / "layers" / "courtyards.geojson", "rb") as fh:  # its preview is kept in the instance
            upload = client.post(f"/api/layers/{LAYER}/imports", data={"file": (fh, "courtyards.geojson")})
        assert upload.status_code == 507 and upload.get_json()["error"] == "disk_full"
        health = client.get("/api/health")
        problems = health.get_json()["problems"]
        assert health.status_code == 503 and [p["code"] for p in problems] == ["disk_low"]
        assert "磁盘空间不足" in problems[0]["message"]
        assert {k: v for k, v in _files(disk).items() if k != filler.name} == before  # data and instance folders

        filler.unlink()
        retried = client.patch(f"/api/layers/{LAYER}/features/{fid}", json={"properties": {"status": "accepted"}},
                               headers={"If-Match": etag})
        assert retried.status_code == 200 and retried.headers["ETag"] == f'"{fid}-v2"'
        assert client.get("/api/health").get_json()["problems"] == []
    finally:  # the login counters' SQLite file is on the small disk, which must be unmounted
        app.extensions["guatu_login_throttle"].limiter.storage.close()


def test_a_postgis_write_on_a_full_disk_is_refused_with_507_and_changes_nothing(store_factory, postgis_url,
                                                                                  postgis_schema):
    """The campaign's tables on a tablespace on a small filled disk (the test cluster runs on this machine)."""
    import psycopg
    from psycopg import sql

    store = store_factory("postgis")
    place = store.create(LAYER, make_feature(name="康复前街11号院"), user="alice").feature
    mount = Path(tempfile.mkdtemp(prefix="guatu-pg-disk-"))  # outside pytest's private folder: the server reads it
    os.chmod(mount, 0o755)
    space = f"small_{postgis_schema}"
    with small_disk(mount, size_mb=4), psycopg.connect(postgis_url, autocommit=True) as conn:
        server_uid = os.stat(conn.execute("SHOW data_directory").fetchone()[0]).st_uid
        folder = mount / "pg"
        folder.mkdir()
        os.chown(folder, server_uid, -1)
        conn.execute(sql.SQL("CREATE TABLESPACE {} LOCATION {}").format(sql.Identifier(space), sql.Literal(str(folder))))
        try:
            for table in ("features", "journal", "layer_heads", "id_counters"):
                conn.execute(sql.SQL("ALTER TABLE {}.{} SET TABLESPACE {}").format(
                    sql.Identifier(postgis_schema), sql.Identifier(table), sql.Identifier(space)))
            revision = store.revision()
            filler = fill(mount)
            big = make_feature(name="兑周村5号院", notes=os.urandom(2400).hex())  # stored out of line: new pages
            with pytest.raises(DiskFull) as refused:
                store.create(LAYER, big, user="bob")
            assert refused.value.http_status == 507 and refused.value.message == t("store.disk_full")
            assert store.revision() == revision and store.get(LAYER, place["id"]) == place
            assert [f["id"] for f in store.features(LAYER)] == [place["id"]]
            filler.unlink()
            assert store.create(LAYER, big, user="bob").feature["id"] == "c-0002"
            assert store.revision() == revision + 1
        finally:
            conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(postgis_schema)))
            conn.execute(sql.SQL("DROP TABLESPACE IF EXISTS {}").format(sql.Identifier(space)))
    mount.rmdir()


def test_a_real_server_refuses_on_a_full_disk_in_every_worker_and_takes_the_same_edit_after(disk, tmp_path):
    import requests

    from tests.faults.server import Server, copy_demo, make_editor_token

    data, instance = copy_demo(disk / "served"), disk / "served-instance"
    token = make_editor_token(instance)
    # the notifications' sender keeps its own records beside the layers: off here, where the data folder must
    # stay byte for byte as it was (tests/notify covers the sender on a real server)
    with Server(data, instance, tmp_path / "server.log", workers=2,
                env={"GUATU_MIN_FREE_MB": "1", "GUATU_NOTIFY_SENDER": "false"}) as server:
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {token}"
        url = f"{server.url}/api/layers/{LAYER}/features"
        created = session.post(url, json=make_feature(name="康复前街11号院"), timeout=30)
        assert created.status_code == 201
        fid, etag = created.json()["id"], created.headers["ETag"]
        before = _files(data)

        filler = fill(disk)
        for _ in range(4):  # whichever worker answers
            refused = session.patch(f"{url}/{fid}", json={"properties": {"status": "accepted"}},
                                    headers={"If-Match": etag}, timeout=30)
            assert refused.status_code == 507 and refused.json()["message"] == t("store.disk_full")
            health = session.get(f"{server.url}/api/health", timeout=30)
            assert [p["code"] for p in health.json()["problems"]] == ["disk_low"]
        assert _files(data) == before

        filler.unlink()
        saved = session.patch(f"{url}/{fid}", json={"properties": {"status": "accepted"}}, headers={"If-Match": etag},
                              timeout=30)
        assert saved.status_code == 200 and saved.headers["ETag"] == f'"{fid}-v2"'
        for _ in range(4):
            assert session.get(f"{url}/{fid}", timeout=30).headers["ETag"] == f'"{fid}-v2"'
            assert session.get(f"{server.url}/api/health", timeout=30).json()["problems"] == []


def test_a_password_check_on_a_full_disk_is_refused_with_507_not_a_500_and_works_after(data, disk, clock):
    """The login throttle counts every password check in a SQLite file of the instance folder; when that disk is
    full, HTTP Basic and the login form say the disk is full (507, Chinese) instead of failing with a 500."""
    import base64

    app = create_app({"TESTING": True, "GUATU_DATA": str(data), "GUATU_CLOCK": clock,
                      "GUATU_INSTANCE": str(disk / "instance"), "GUATU_MIN_FREE_MB": 1})
    for name in ("viewer1", "viewer2"):
        app.extensions["guatu_accounts"].create_user(name, PASSWORD, "viewer", name)
    first = {"Authorization": "Basic " + base64.b64encode(f"viewer1:{PASSWORD}".encode()).decode()}
    basic = {"Authorization": "Basic " + base64.b64encode(f"viewer2:{PASSWORD}".encode()).decode()}
    assert app.test_client().get(f"/api/layers/{LAYER}/features", headers=first).status_code == 200
    browser = app.test_client()
    form = browser.get("/login").data.decode()
    csrf = form.split('name="csrf_token" value="')[1].split('"')[0]

    try:
        filler = fill(disk)
        refused = app.test_client().get(f"/api/layers/{LAYER}/features", headers=basic)  # a password not checked before
        assert refused.status_code == 507
        assert {k: refused.get_json()[k] for k in ("status", "error", "message")} == {
            "status": 507, "error": "disk_full", "message": t("store.disk_full")}
        page = browser.post("/login", data={"username": "viewer1", "password": PASSWORD, "csrf_token": csrf})
        assert page.status_code == 507 and t("store.disk_full") in page.data.decode()
        assert browser.get("/api/me").status_code == 401  # not logged in by half

        filler.unlink()
        assert app.test_client().get(f"/api/layers/{LAYER}/features", headers=basic).status_code == 200
        form = browser.get("/login").data.decode()
        csrf = form.split('name="csrf_token" value="')[1].split('"')[0]
        assert browser.post("/login", data={"username": "viewer1", "password": PASSWORD, "csrf_token": csrf}).status_code == 302
    finally:  # the counters' SQLite file is on the small disk, which must be unmounted
        app.extensions["guatu_login_throttle"].limiter.storage.close()


def test_a_backup_onto_a_full_disk_names_the_backup_folder_and_leaves_nothing(disk, tmp_path, data_dir, campaign):
    """The data directory is on a healthy disk, the backup folder on a full one: the message says which disk to
    clear (the backup folder's, not the data directory's), and neither folder keeps anything of the attempt."""
    GeoJSONStore(data_dir, campaign).create(LAYER, make_feature(name="康复前街11号院"), user="alice")
    app = create_app({"TESTING": True, "GUATU_DATA": str(data_dir), "GUATU_INSTANCE": str(tmp_path / "instance")})
    out = disk / "backups"
    out.mkdir()
    before = _files(data_dir)
    filler = fill(disk)

    result = app.test_cli_runner().invoke(args=["backup", "--out", str(out)])
    assert result.exit_code == 1
    assert t("backup.disk_full", folder=out) in result.output
    assert "数据目录所在磁盘" not in result.output
    assert list(out.iterdir()) == [] and _files(data_dir) == before

    filler.unlink()
    done = app.test_cli_runner().invoke(args=["backup", "--out", str(out)])
    assert done.exit_code == 0, done.output
    archive = next(out.glob("guatu-backup-*.tar.gz"))
    assert t("backup.done", revision=1, files=len(read_manifest(archive)["files"]), archive=archive) in done.output
