"""A real server (gunicorn, several workers) on a damaged copy of the demo: a layer file cut short or deleted,
a garbled journal line, a torn journal tail. The server starts, withholds the damaged layer (never served in
part, never rewritten), serves the rest, says what is wrong and what to do (/api/health, /readyz), and
`flask --app web store repair` brings it back."""

from __future__ import annotations

import hashlib

import pytest
import requests

from tests.faults.server import JOURNAL, Server, copy_demo, flask_cli, journal_entries, make_editor_token

ROADS = "layers/roads.geojson"


def _tree(folder) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.name.startswith(".")}


class Client:
    def __init__(self, url: str, token: str) -> None:
        self.url, self.session = url, requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"

    def get(self, path: str) -> requests.Response:
        return self.session.get(self.url + path, timeout=20)

    def set_status(self, layer: str, feature: dict, status: str) -> requests.Response:
        return self.session.patch(f"{self.url}/api/layers/{layer}/features/{feature['id']}",
                                  json={"properties": {"status": status}}, timeout=20,
                                  headers={"If-Match": f'"{feature["id"]}-v{feature["properties"]["version"]}"'})


def _edit_roads(client: Client, n: int, status: str) -> None:
    for road in client.get("/api/layers/roads/features").json()["features"][:n]:
        assert client.set_status("roads", road, status).status_code == 200


def _assert_roads_withheld(client: Client, *words: str) -> None:
    health = client.get("/api/health")
    assert health.status_code == 503
    (problem,) = health.json()["problems"]
    assert problem["code"] == "broken_layer" and problem["where"] == ROADS
    for word in words:
        assert word in problem["message"]
    assert "store repair" in problem["remedy"] and "不要手工覆盖" in problem["remedy"]
    assert "--backups" in problem["remedy"]  # a layer that began as a file needs a backup: say where it goes
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["degraded"] is True  # the instance serves the rest
    assert ROADS in ready.json()["reason"] and "store repair" in ready.json()["reason"]
    read = client.get("/api/layers/roads/features")
    assert read.status_code == 503 and read.json()["error"] == "broken_layer" and ROADS in read.json()["message"]
    village = client.get("/api/layers/villages/features").json()["features"][0]
    courtyards = client.get("/api/layers/courtyards/features")
    assert courtyards.status_code == 200 and len(courtyards.json()["features"]) > 100
    state = client.get("/api/wall/state")
    assert state.status_code == 200 and "roads" not in state.json()["layers"]
    road = {"id": "r-0030", "properties": {"version": 1}}
    refused = client.set_status("roads", road, "accepted")
    assert refused.status_code == 503 and refused.json()["error"] == "broken_layer"
    assert "修复前不能编辑" in refused.json()["message"]
    assert client.set_status("villages", village, "in_progress").status_code == 200


def _repair(server: Server, *args: str) -> str:
    run = flask_cli(server, "store", "repair", *args)
    assert run.returncode == 0, run.stdout + run.stderr[-2000:]
    check = flask_cli(server, "store", "check")
    assert check.returncode == 0 and "一致" in check.stdout, check.stdout + check.stderr[-2000:]
    return run.stdout


@pytest.mark.timeout(180)
def test_a_layer_file_cut_short_is_withheld_untouched_and_repair_brings_it_back_from_a_backup(tmp_path):
    data = copy_demo(tmp_path / "data")
    backups = tmp_path / "backups"
    backups.mkdir()
    token = make_editor_token(tmp_path / "instance")
    with Server(data, tmp_path / "instance", tmp_path / "server.log", workers=2) as server:
        client = Client(server.url, token)
        _edit_roads(client, 3, "in_progress")
        assert flask_cli(server, "backup", "--out", str(backups)).returncode == 0
        _edit_roads(client, 10, "accepted")  # after the backup: only in the journal
        good = client.get("/api/layers/roads/features").json()["features"]
        assert len(good) == 37
        lines = (data / ROADS).read_bytes().split(b"\n")
        damaged = b"\n".join(lines[:19]) + b"\n"  # half the places, cut at a line boundary
        (data / ROADS).write_bytes(damaged)

        _assert_roads_withheld(client, ROADS, "截断")
        assert (data / ROADS).read_bytes() == damaged  # byte for byte, after writes to the other layers

        check = flask_cli(server, "store", "check")  # while the server runs
        assert check.returncode == 1 and ROADS in check.stdout and "截断" in check.stdout
        out = _repair(server, "--backups", str(backups))
        assert "从备份" in out and "37 个地点" in out
        assert client.get("/api/health").status_code == 200
        assert client.get("/api/layers/roads/features").json()["features"] == good
        assert client.set_status("roads", good[0], "rectified").status_code == 200
    (aside,) = (data / "layers").glob("roads.geojson.damaged-*")
    assert aside.read_bytes() == damaged


@pytest.mark.timeout(180)
def test_a_deleted_layer_file_is_not_rebuilt_from_part_of_the_journal(tmp_path):
    data = copy_demo(tmp_path / "data")
    backups = tmp_path / "backups"
    backups.mkdir()
    token = make_editor_token(tmp_path / "instance")
    with Server(data, tmp_path / "instance", tmp_path / "server.log", workers=2) as server:
        client = Client(server.url, token)
        assert flask_cli(server, "backup", "--out", str(backups)).returncode == 0
        _edit_roads(client, 10, "accepted")
        good = client.get("/api/layers/roads/features").json()["features"]
    (data / ROADS).unlink()

    with Server(data, tmp_path / "instance", tmp_path / "server2.log", workers=2) as server:
        client = Client(server.url, token)
        _assert_roads_withheld(client, ROADS, "不见了")
        assert not (data / ROADS).exists()  # not 10 of 37 roads rebuilt from the journal
        without = flask_cli(server, "store", "repair")
        assert without.returncode == 1 and "无法恢复" in without.stderr and not (data / ROADS).exists()
        _repair(server, "--backups", str(backups))
        assert client.get("/api/layers/roads/features").json()["features"] == good
        assert client.get("/api/health").json()["ok"] is True


@pytest.mark.timeout(180)
def test_a_garbled_journal_line_refuses_writes_serves_the_layers_and_repair_resumes_editing(tmp_path):
    data = copy_demo(tmp_path / "data")
    token = make_editor_token(tmp_path / "instance")
    with Server(data, tmp_path / "instance", tmp_path / "server.log", workers=2) as server:
        _edit_roads(Client(server.url, token), 4, "accepted")
    lines = (data / JOURNAL).read_bytes().split(b"\n")
    lines[1] = lines[1][:40] + b"\x00\x00 garbage \x00"
    damaged = b"\n".join(lines)
    (data / JOURNAL).write_bytes(damaged)
    before = _tree(data)

    # the notifications' sender keeps its own records beside the layers: off here, where the data folder must
    # stay as it was (tests/notify covers the sender on a real server)
    with Server(data, tmp_path / "instance", tmp_path / "server2.log", workers=2,
                env={"GUATU_NOTIFY_SENDER": "false"}) as server:
        client = Client(server.url, token)
        health = client.get("/api/health")
        assert health.status_code == 503
        (problem,) = health.json()["problems"]
        assert problem["code"] == "journal_damaged" and "journal.jsonl 第 2 行" in problem["message"]
        assert "store repair" in problem["remedy"]
        roads = client.get("/api/layers/roads/features")
        assert roads.status_code == 200 and len(roads.json()["features"]) == 37
        refused = client.set_status("villages", client.get("/api/layers/villages/features").json()["features"][0],
                                    "accepted")
        assert refused.status_code == 503 and refused.json()["error"] == "journal_damaged"
        assert "第 2 行" in refused.json()["message"]
        assert _tree(data) == before

        out = _repair(server)
        assert "journal.jsonl.damaged-" in out
        assert client.get("/api/health").json()["ok"] is True
        road = client.get("/api/layers/roads/features").json()["features"][6]
        assert client.set_status("roads", road, "rectified").status_code == 200
    assert "Traceback" not in server.log()
    (aside,) = data.glob(f"{JOURNAL}.damaged-*")
    assert aside.read_bytes() == damaged


@pytest.mark.timeout(180)
def test_a_torn_journal_tail_is_kept_aside_and_its_seq_is_never_reused(tmp_path):
    data = copy_demo(tmp_path / "data")
    token = make_editor_token(tmp_path / "instance")
    with Server(data, tmp_path / "instance", tmp_path / "server.log", workers=2) as server:
        _edit_roads(Client(server.url, token), 2, "accepted")
    size = (data / JOURNAL).stat().st_size
    torn = b'{"seq":3,"at":"2026-11-24T08:00:00.000000Z","user":"ghost","op":"update","layer":"ro'
    with open(data / JOURNAL, "ab") as fh:
        fh.write(torn)  # the crash cut this append short

    with Server(data, tmp_path / "instance", tmp_path / "server2.log", workers=2) as server:
        client = Client(server.url, token)
        health = client.get("/api/health")
        assert health.status_code == 200 and health.json()["revision"] == 2
        road = client.get("/api/layers/roads/features").json()["features"][5]
        assert client.set_status("roads", road, "accepted").status_code == 200
        changes = client.get("/api/changes?since=2").json()
        assert [c["seq"] for c in changes["changes"]] == [4] and changes["revision"] == 4
        delta = client.get("/api/wall/state?since=3")  # a screen that had seen the cut change's seq
        assert delta.status_code == 200 and road["id"] in delta.text
        assert client.get(f"/api/layers/roads/features/{road['id']}/history").status_code == 200
    assert (data / f"{JOURNAL}.torn-{size}").read_bytes() == torn
    assert [e["seq"] for e in journal_entries(data)] == [1, 2, 4]
    log = server.log()
    assert f"byte {size}" in log and f"{JOURNAL}.torn-{size}" in log
