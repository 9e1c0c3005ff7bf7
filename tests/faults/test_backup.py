"""Backups taken while writers are busy are consistent snapshots; restore reproduces them and refuses damage."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
import threading

import pytest

from geo.backup import BackupError, backup, read_manifest, restore
from geo.config import load_campaign
from geo.messages import t
from geo.store import open_store
from tests.faults.server import Server, copy_demo, disagreements, flask_cli, journal_entries, make_editor_token
from tests.faults.writers import Acks, Writer
from tests.waiting import wait_until
from web import create_app


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.timeout(150)
def test_backup_during_a_write_burst_is_consistent_and_restores(tmp_path):
    data = copy_demo(tmp_path / "data")
    instance = tmp_path / "instance"
    token = make_editor_token(instance)
    out = tmp_path / "backups"
    out.mkdir()
    acks, stop = Acks(), threading.Event()
    with Server(data, instance, tmp_path / "server.log", workers=3) as server:
        writers = [Writer(server.url, token, w, 10_000, acks, stop) for w in range(4)]
        for w in writers:
            w.start()
        wait_until(lambda: acks.total() >= 10 or acks.errors, "ten acknowledged writes")
        runs = [flask_cli(server, "backup", "--out", str(out)) for _ in range(2)]  # while the writes go on
        during = acks.total()
        wait_until(lambda: acks.total() > during or acks.errors, "a write acknowledged after the backups")
        stop.set()
        for w in writers:
            w.join(30)
    assert acks.errors == [] and acks.in_flight == []
    for run in runs:
        assert run.returncode == 0, run.stderr[-2000:]
        assert "已备份到序号" in run.stdout
    archives = sorted(out.glob("guatu-backup-*.tar.gz"))
    assert len(archives) == 2
    assert acks.total() > during  # writes went on around the backups

    live = journal_entries(data)
    for n, archive in enumerate(archives):
        manifest = read_manifest(archive)
        assert 10 <= manifest["revision"] < len(live)  # a snapshot taken mid-burst
        target = tmp_path / f"restored{n}"
        run = flask_cli(server, "restore", str(archive), "--to", str(target))
        assert run.returncode == 0, run.stderr[-2000:]
        # the snapshot's layer files and journal agree, and its journal is the live journal up to its revision
        assert disagreements(target) == []
        restored = journal_entries(target)
        assert len(restored) == manifest["revision"]
        assert restored == live[: manifest["revision"]]
        assert manifest["layers"]["courtyards"]["seq"] == max(e["seq"] for e in restored if e["layer"] == "courtyards")
        # every file is back byte for byte, and nothing else
        files = sorted(str(p.relative_to(target)) for p in target.rglob("*") if p.is_file())
        assert files == sorted(manifest["files"])
        assert {"campaign.json", "journal.jsonl", "layers/courtyards.geojson", "boundaries/streets.geojson"} <= set(files)
        for rel, meta in manifest["files"].items():
            assert _sha(target / rel) == meta["sha256"]
        # and the restored campaign serves
        app = create_app({"TESTING": True, "GUATU_DATA": str(target), "GUATU_INSTANCE": str(tmp_path / f"inst{n}")})
        health = app.test_client().get("/api/health").get_json()
        assert health == {"ok": True, "revision": manifest["revision"], "broken_layers": {}, "problems": []}


@pytest.mark.timeout(150)
def test_a_postgis_campaign_backs_up_during_writes_and_restores_into_another_schema(tmp_path, postgis_url, postgis_schema):
    """PostGIS: the archive is the campaign as the embedded store keeps it, from one snapshot taken while
    writers go on; restored and copied into a new schema, it is the database as it was then."""
    from geo.store.transfer import copy_to_postgis

    data = copy_demo(tmp_path / "data")
    campaign = load_campaign(data)
    copy_to_postgis(data, campaign, postgis_url, schema=postgis_schema)
    store = open_store(data, campaign, database_url=postgis_url, schema=postgis_schema)
    ids = [f["id"] for f in store.features("courtyards")][:40]
    before = {fid: store.get("courtyards", fid) for fid in ids}
    stop, errors, saved = threading.Event(), [], []

    def write() -> None:
        writer = open_store(data, campaign, database_url=postgis_url, schema=postgis_schema)
        try:
            n = 0
            while not stop.is_set():
                fid = ids[n % len(ids)]
                version = writer.get("courtyards", fid)["properties"]["version"]
                writer.update("courtyards", fid, expected_version=version, user="writer",
                              properties={"notes": f"第 {n} 次"})
                saved.append(n)
                n += 1
        except Exception as exc:  # noqa: BLE001 (reported below)
            errors.append(repr(exc))
        finally:
            writer.close()

    thread = threading.Thread(target=write)
    thread.start()
    try:
        wait_until(lambda: len(saved) >= 10 or errors, "ten saved writes")
        archive, manifest = backup(store, tmp_path / "backups" / "pg.tar.gz", data_dir=data)
        during = len(saved)
        wait_until(lambda: len(saved) > during or errors, "a write saved after the backup")
    finally:
        stop.set()
        thread.join(30)
    assert errors == [] and len(saved) > during  # writes went on around the backup

    target = tmp_path / "restored"
    restore(archive, target)
    assert disagreements(target) == []
    restored = journal_entries(target)
    assert len(restored) == manifest["revision"] and manifest["revision"] >= 10
    live = sorted(store.change_entries(store.changes_since(0)), key=lambda e: e["seq"])
    assert manifest["revision"] < len(live)  # a snapshot taken mid-burst
    assert [e["seq"] for e in restored] == [e["seq"] for e in live[: manifest["revision"]]]
    assert manifest["layers"]["courtyards"]["seq"] == max(e["seq"] for e in restored if e["layer"] == "courtyards")
    files = set(manifest["files"])
    assert {"campaign.json", "journal.jsonl", "layers/courtyards.geojson", "boundaries/streets.geojson"} <= files
    assert not any(name.rsplit("/", 1)[-1].startswith(".") for name in files)

    again = f"{postgis_schema}_restored"
    try:
        copy_to_postgis(target, campaign, postgis_url, schema=again)
        back = open_store(target, campaign, database_url=postgis_url, schema=again)
        assert back.revision() == manifest["revision"]
        as_then = {e["id"]: e["after"] for e in live[: manifest["revision"]] if e["layer"] == "courtyards"}
        for fid in ids:
            assert back.get("courtyards", fid) == as_then.get(fid, before[fid]), fid
        back.close()
    finally:
        import psycopg

        with psycopg.connect(postgis_url, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA IF EXISTS {again} CASCADE")
        store.close()


def test_restore_refuses_a_non_empty_target(tmp_path, campaign, data_dir):
    store = open_store(data_dir, campaign)
    archive, _ = backup(store, tmp_path / "b.tar.gz")
    target = tmp_path / "busy"
    target.mkdir()
    (target / "keep.txt").write_text("mine")
    with pytest.raises(BackupError, match="不是空目录"):
        restore(archive, target)
    assert [p.name for p in target.iterdir()] == ["keep.txt"]
    empty = tmp_path / "empty"
    empty.mkdir()
    assert restore(archive, empty)["format"] == "guatu-backup/1"
    assert (empty / "campaign.json").read_bytes() == (data_dir / "campaign.json").read_bytes()


def _rewrite(archive, out, change):
    """A copy of the archive with members changed by `change(name, bytes) -> bytes | None` (None drops it)."""
    with tarfile.open(archive, "r:gz") as src, tarfile.open(out, "w:gz") as dst:
        for member in src:
            body = change(member.name, src.extractfile(member).read())
            if body is None:
                continue
            member.size = len(body)
            dst.addfile(member, io.BytesIO(body))
    return out


def test_restore_refuses_damaged_or_hostile_archives(tmp_path, campaign, data_dir, make_feature):
    store = open_store(data_dir, campaign)
    store.create("courtyards", make_feature(), user="alice")
    archive, manifest = backup(store, tmp_path / "good.tar.gz")
    assert set(manifest["files"]) == {"campaign.json", "journal.jsonl", "layers/courtyards.geojson"}

    flipped = _rewrite(archive, tmp_path / "flipped.tar.gz",  # the same size, other bytes
                       lambda n, b: b.replace(b"pending", b"pendinG") if n.endswith(".geojson") else b)
    with pytest.raises(BackupError, match="checksum"):
        restore(flipped, tmp_path / "t1")
    assert not (tmp_path / "t1").exists()  # nothing half-restored

    missing = _rewrite(archive, tmp_path / "missing.tar.gz", lambda n, b: None if n == "data/journal.jsonl" else b)
    with pytest.raises(BackupError, match="缺少清单中的 journal.jsonl"):
        restore(missing, tmp_path / "t2")

    evil = tmp_path / "evil.tar.gz"
    with tarfile.open(evil, "w:gz") as tar:
        body = json.dumps({"format": "guatu-backup/1", "revision": 0, "files": {"../../x": {"sha256": "", "size": 1}}}).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(body)
        tar.addfile(info, io.BytesIO(body))
        info = tarfile.TarInfo("data/../../x")
        info.size = 1
        tar.addfile(info, io.BytesIO(b"x"))
    with pytest.raises(BackupError, match="位于 data/ 之外"):
        restore(evil, tmp_path / "t3")
    assert not (tmp_path / "x").exists()

    not_ours = tmp_path / "other.tar.gz"
    with tarfile.open(not_ours, "w:gz") as tar:
        info = tarfile.TarInfo("data/campaign.json")
        info.size = 2
        tar.addfile(info, io.BytesIO(b"{}"))
    with pytest.raises(BackupError, match="不是挂图系统的备份"):
        restore(not_ours, tmp_path / "t4")


def test_backup_cli_names_the_archive_and_the_restore_cli_refuses_damage(tmp_path, data_dir, campaign, make_feature):
    store = open_store(data_dir, campaign)
    store.create("courtyards", make_feature(), user="alice")
    app = create_app({"TESTING": True, "GUATU_DATA": str(data_dir), "GUATU_INSTANCE": str(tmp_path / "instance")})
    runner = app.test_cli_runner()
    out = tmp_path / "backups"
    out.mkdir()
    result = runner.invoke(args=["backup", "--out", str(out)])
    assert result.exit_code == 0, result.output
    archive = next(out.glob("guatu-backup-*-r1.tar.gz"))
    assert str(archive) in result.output
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no temporary files left behind
    refused = runner.invoke(args=["restore", str(archive), "--to", str(data_dir)])
    assert refused.exit_code != 0 and "不是空目录" in refused.output
    ok = runner.invoke(args=["restore", str(archive), "--to", str(tmp_path / "new")])
    assert ok.exit_code == 0, ok.output
    assert load_campaign(tmp_path / "new").title == campaign.title


def test_a_backup_taken_while_a_layer_is_withheld_says_so_and_keeps_the_file_as_it_was(tmp_path, data_dir, campaign,
                                                                                       make_feature):
    """A daily backup run over a layer file cut short still archives it (byte for byte, as evidence), but tells
    the operator that this archive cannot restore that layer, instead of reporting a plain success."""
    store = open_store(data_dir, campaign)
    for n in range(4):
        store.create("courtyards", make_feature(name=f"康复前街{n}号院", x=113.64 + n / 1000), user="alice")
    store.compact()  # the layer file holds the four places, then is cut short
    layer_file = data_dir / "layers" / "courtyards.geojson"
    cut = b"".join(layer_file.read_bytes().splitlines(keepends=True)[:3])  # at a line boundary, half its places
    layer_file.write_bytes(cut)
    app = create_app({"TESTING": True, "GUATU_DATA": str(data_dir), "GUATU_INSTANCE": str(tmp_path / "instance")})
    out = tmp_path / "backups"
    out.mkdir()

    result = app.test_cli_runner().invoke(args=["backup", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert t("backup.layer_withheld", file="layers/courtyards.geojson") in result.output
    archive = next(out.glob("guatu-backup-*.tar.gz"))
    assert read_manifest(archive)["layers"]["courtyards"]["seq"] is None
    with tarfile.open(archive, "r:gz") as tar:
        assert tar.extractfile("data/layers/courtyards.geojson").read() == cut
    assert layer_file.read_bytes() == cut
