"""`flask --app web store check` as an operator (and `./guatu test`) runs it, on a copy of the demo campaign."""

from __future__ import annotations

import hashlib

import pytest

from tests.faults.server import Server, copy_demo, flask_cli, make_editor_token


def _tree(folder) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.timeout(60)
def test_store_check_of_the_demo_says_it_is_consistent_and_writes_nothing(tmp_path):
    data = copy_demo(tmp_path / "data")
    before = _tree(data)
    run = flask_cli(Server(data, tmp_path / "instance", tmp_path / "log"), "store", "check")
    assert run.returncode == 0, run.stdout + run.stderr[-2000:]
    assert run.stdout.startswith("一致:3 个图层") and run.stdout.count("\n") == 1
    assert _tree(data) == before


@pytest.mark.timeout(60)
def test_store_check_of_a_damaged_demo_lists_each_problem_in_chinese_and_exits_1(tmp_path):
    data = copy_demo(tmp_path / "data")
    (data / "layers" / "villages.geojson").write_bytes((data / "layers" / "villages.geojson").read_bytes()[:-4])
    lines = (data / "layers" / "roads.geojson").read_bytes().split(b"\n")
    lines[3] = lines[3][:50]
    (data / "layers" / "roads.geojson").write_bytes(b"\n".join(lines))
    before = _tree(data)
    run = flask_cli(Server(data, tmp_path / "instance", tmp_path / "log"), "store", "check")
    assert run.returncode == 1
    assert "layers/roads.geojson 第 4 行:不是有效的 JSON" in run.stdout
    assert "layers/villages.geojson" in run.stdout and "处理:" in run.stdout
    assert "发现 2 个问题" in run.stdout
    assert _tree(data) == before


@pytest.mark.timeout(60)
def test_store_check_names_a_damaged_boundary_file_inspection_list_inbox_channel_settings_event_delivery_and_accounts(
        tmp_path):
    data = copy_demo(tmp_path / "data")
    instance = tmp_path / "instance"
    communities = data / "boundaries" / "communities.geojson"
    communities.write_text(communities.read_text(encoding="utf-8")[:300], encoding="utf-8")
    (data / "inspections").mkdir()
    (data / "inspections" / "2026-11-24.json").write_text('{"date": "2026-11-24", "seed": 1, "places": "x"}',
                                                          encoding="utf-8")
    (data / "notify-inbox").mkdir()
    (data / "notify-inbox" / "editor1.json").write_text('{"user": "editor1", "items": "x"}', encoding="utf-8")
    (data / "notify-channels").mkdir()
    (data / "notify-channels" / "ch-1.json").write_text('{"id": "ch-1", "type": "传真", "name": "传真"}', encoding="utf-8")
    (data / "notify-people").mkdir()
    (data / "notify-people" / "editor1.json").write_text('{"user": "editor1", "email": "是"}', encoding="utf-8")
    (data / "notify-pending").mkdir()
    (data / "notify-pending" / "events.json").write_text('{"ids": "case-assigned-1"}', encoding="utf-8")
    (data / "notify-outbox").mkdir()
    (data / "notify-outbox" / "d-1.json").write_text('{"id": "d-1", "state": "sent"}', encoding="utf-8")
    make_editor_token(instance)  # an accounts file, then damaged
    (instance / "accounts.json").write_text("[1]", encoding="utf-8")
    server = Server(data, instance, tmp_path / "log")
    before = _tree(data)
    run = flask_cli(server, "store", "check")
    assert run.returncode == 1, run.stdout + run.stderr[-2000:]
    assert "区划文件 boundaries/communities.geojson 无法使用" in run.stdout
    assert "记录 inspections/2026-11-24 不是 Guatu 写入的格式(places:" in run.stdout
    assert "记录 notify-inbox/editor1 不是 Guatu 写入的格式(items:" in run.stdout
    assert "账户数据 accounts.json 无法读取(应为对象)" in run.stdout
    assert "记录 notify-channels/ch-1 不是 Guatu 写入的格式(type:" in run.stdout
    assert "记录 notify-people/editor1 不是 Guatu 写入的格式(email:" in run.stdout
    assert "记录 notify-pending/events 不是 Guatu 写入的格式(ids:" in run.stdout
    assert "记录 notify-outbox/d-1 不是 Guatu 写入的格式(" in run.stdout
    assert "发现 8 个问题" in run.stdout
    assert _tree(data) == before


@pytest.mark.timeout(120)
def test_store_check_and_repair_of_a_postgis_campaign_through_the_cli(tmp_path, postgis_url, postgis_schema):
    import psycopg

    data = copy_demo(tmp_path / "data")
    server = Server(data, tmp_path / "instance", tmp_path / "log",
                    env={"GUATU_DATABASE_URL": postgis_url, "GUATU_DATABASE_SCHEMA": postgis_schema})
    copied = flask_cli(server, "store", "copy", "--to", postgis_url, "--schema", postgis_schema)
    assert copied.returncode == 0, copied.stderr[-2000:]
    assert copied.stdout.startswith("已复制:courtyards 293 个地点、roads 37 个地点、villages 10 个地点;变更日志")
    sound = flask_cli(server, "store", "check")
    assert sound.returncode == 0, sound.stdout + sound.stderr[-2000:]
    assert sound.stdout.startswith("一致:数据库") and "3 个图层共 340 个地点" in sound.stdout  # not "nothing to repair"

    from geo.config import load_campaign
    from geo.store import open_store

    store = open_store(data, load_campaign(data), database_url=postgis_url, schema=postgis_schema)
    try:  # an edit through the store, so the journal knows the place
        road = store.features("roads")[0]
        store.update("roads", road["id"], expected_version=road["properties"]["version"], user="李编",
                     properties={"status": "in_progress"})
    finally:
        store.close()
    with psycopg.connect(postgis_url, autocommit=True) as db:  # then its row changed behind the store's back
        db.execute(f"UPDATE {postgis_schema}.features SET version = version + 5 WHERE layer = 'roads' AND id = %s",
                   (road["id"],))
    found = flask_cli(server, "store", "check")
    assert found.returncode == 1 and "roads" in found.stdout and "发现 1 个问题" in found.stdout
    refused = flask_cli(server, "store", "repair", "--from-journal", "roads")  # the files' options: said, not ignored
    assert refused.returncode == 1 and "--from-journal" in refused.stderr and "pg_dump" in refused.stderr
    repaired = flask_cli(server, "store", "repair")
    assert repaired.returncode == 0, repaired.stdout + repaired.stderr[-2000:]
    after = flask_cli(server, "store", "check")
    assert after.returncode == 0, after.stdout


def test_repair_of_a_sound_store_on_a_low_disk_warns_but_exits_0_as_check_does(tmp_path):
    """A disk below GUATU_MIN_FREE_MB is shown after a repair, but it is no damage the repair left behind: the
    repair of a sound store exits 0, as `store check` of it does, so a script does not take it for a failure."""
    from geo.messages import t
    from web import create_app

    data = copy_demo(tmp_path / "data")
    app = create_app({"TESTING": True, "GUATU_DATA": str(data), "GUATU_INSTANCE": str(tmp_path / "instance"),
                      "GUATU_MIN_FREE_MB": 10**12})  # more than any disk has: always "low"
    runner = app.test_cli_runner()
    assert runner.invoke(args=["store", "check"]).exit_code == 0
    repaired = runner.invoke(args=["store", "repair"])
    assert repaired.exit_code == 0, repaired.output
    assert t("store.repair_nothing") in repaired.output and "磁盘空间不足" in repaired.output
