"""campaign.json edited while the server runs: an edit that cannot be used keeps the campaign as it was and every
screen's banner (/api/health) says why; one beyond new layers says a restart takes it; put right, the banner
clears. Before, both were only in the server's log."""

from __future__ import annotations

import json
import os
import shutil

from geo.config import load_campaign
from tests.conftest import REPO
from web import create_app


def _app(tmp_path, clock):
    data = tmp_path / "data"
    shutil.copytree(REPO / "data", data, ignore=shutil.ignore_patterns("journal.jsonl", ".*.lock"))
    return data, create_app({"TESTING": True, "GUATU_DATA": str(data), "GUATU_CLOCK": clock,
                             "GUATU_INSTANCE": str(tmp_path / "instance"), "GUATU_PUBLIC_VIEW": True})


def _save(path, text: str) -> None:
    before = path.stat().st_mtime_ns
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before + 2_000_000, before + 2_000_000))  # seen as a new version whatever the clock's grain


def _campaign_problems(client) -> list[dict]:
    health = client.get("/api/health").get_json()
    return [p for p in health["problems"] if p["code"].startswith("campaign_")]


def test_an_unusable_edit_keeps_the_campaign_and_is_on_the_banner_until_put_right(tmp_path, clock):
    data, app = _app(tmp_path, clock)
    client = app.test_client()
    path = data / "campaign.json"
    good = path.read_text(encoding="utf-8")
    title = json.loads(good)["title"]
    assert _campaign_problems(client) == []

    _save(path, good.replace('"statuses"', '"statusez"', 1))  # a typo
    [problem] = _campaign_problems(client)
    assert problem["code"] == "campaign_unusable" and problem["where"] == "campaign.json"
    assert problem["message"].startswith("campaign.json 修改后无法使用(") and "仍按原先的活动配置运行" in problem["message"]
    assert problem["remedy"] and str(data) not in problem["message"]  # no server path on the public health
    assert client.get("/api/health").status_code == 503
    assert title in client.get("/").get_data(as_text=True)  # the wall as it was

    _save(path, good)
    assert _campaign_problems(client) == [] and client.get("/api/health").status_code == 200


def test_an_edit_beyond_new_layers_says_a_restart_takes_it(tmp_path, clock):
    data, app = _app(tmp_path, clock)
    client = app.test_client()
    path = data / "campaign.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    old_title = doc["title"]
    doc["title"] = "新的标题"
    _save(path, json.dumps(doc, ensure_ascii=False, indent=2))
    [problem] = _campaign_problems(client)
    assert problem["code"] == "campaign_restart" and "重启服务后才生效" in problem["message"]
    page = client.get("/").get_data(as_text=True)
    assert old_title in page and "新的标题" not in page
    restarted = create_app({**app.config, "GUATU_DATA": str(data)}).test_client()
    assert _campaign_problems(restarted) == [] and "新的标题" in restarted.get("/").get_data(as_text=True)


def test_a_file_taken_whole_beyond_new_layers_keeps_the_restart_notice(tmp_path, clock):
    """A layer added from the editor makes this process take campaign.json as it is (add_layer), the title edited
    meanwhile too: the other processes still run the campaign as started, so the notice stays until a restart;
    this process's pages show the title it now runs."""
    data, app = _app(tmp_path, clock)
    client = app.test_client()
    path = data / "campaign.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["title"] = "新的标题"
    _save(path, json.dumps(doc, ensure_ascii=False, indent=2))
    assert [p["code"] for p in _campaign_problems(client)] == ["campaign_restart"]
    with app.app_context():
        app.extensions["guatu"].adopt_campaign(load_campaign(data))
    assert [p["code"] for p in _campaign_problems(client)] == ["campaign_restart"]
    assert "<title>" in (page := client.get("/login").get_data(as_text=True)) and "新的标题" in page
