"""The campaigns index: this server's campaign and the other campaigns of GUATU_CAMPAIGNS, each read from its own
data directory (the demo and a small synthetic campaign made by geo/synth), read-only."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from geo import campaigns
from geo.campaigns import CampaignSource, summary
from geo.config import load_campaign
from geo.messages import t
from geo.store import open_store
from geo.synth.synthetic import write_synthetic
from tests.conftest import REPO
from tests.web.conftest import PASSWORD, login
from web import create_app
from web.core.settings import SettingsError, load


@pytest.fixture
def demo_dir(tmp_path):
    folder = tmp_path / "erqi"
    shutil.copytree(REPO / "data", folder)
    return folder


@pytest.fixture
def synthetic_dir(tmp_path):
    folder = tmp_path / "jinshui"
    write_synthetic(folder, 60, seed=4)
    raw = json.loads((folder / "campaign.json").read_text(encoding="utf-8"))
    raw.update(title="金水区<b>合成</b>作战", district="金水区",
               milestones=[{"date": "2026-12-31", "share_done": 1.0, "label": "年底"}])
    (folder / "campaign.json").write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    return folder


@pytest.fixture
def app(demo_dir, synthetic_dir, tmp_path, clock):
    app = create_app({"TESTING": True, "GUATU_DATA": str(demo_dir), "GUATU_CLOCK": clock,
                      "GUATU_INSTANCE": str(tmp_path / "instance"),
                      "GUATU_CAMPAIGNS": f"{synthetic_dir}:{tmp_path / 'gone'}"})
    app.extensions["guatu_accounts"].create_user("viewer1", PASSWORD, "viewer", "王看")
    return app


def _done(folder, clock) -> tuple[int, int]:
    campaign = load_campaign(folder)
    store = open_store(folder, campaign, clock=clock)
    try:
        statuses = [f["properties"]["status"] for layer in campaign.layers for f in store.features(layer.id)]
    finally:
        store.close()
    return len(statuses), sum(s in campaign.done_statuses for s in statuses)


def test_the_index_lists_this_campaign_then_the_others_with_share_done_and_verdict(app, demo_dir, synthetic_dir,
                                                                                   clock):
    client = app.test_client()
    login(client, "viewer1")
    rows = client.get("/api/campaigns").get_json()
    assert [r["index"] for r in rows] == [0, 1, 2]
    own, other, gone = rows
    assert own["title"] == load_campaign(demo_dir).title and other["title"] == "金水区<b>合成</b>作战"
    for row, folder in ((own, demo_dir), (other, synthetic_dir)):
        total, done = _done(folder, clock)
        assert (row["total"], row["done"]) == (total, done) and total > 0
        assert row["share_done"] == round(done / total, 4)
        assert row["verdict"] in ("ahead", "on_track", "behind") and row["estimate"]["text"]
    # the synthetic campaign plans everything by 12-31, straight from the start: today (11-24) plans nothing yet
    assert other["next"] == {"date": "2026-12-31", "label": "年底", "share_planned": 1.0}
    assert "error" not in own and "error" not in other
    assert gone["error"] == "无法读取该作战的数据:文件不存在" and "total" not in gone


def test_this_campaigns_row_is_its_kept_progress_and_equals_one_from_scratch(app, clock, monkeypatch):
    client = app.test_client()
    login(client, "viewer1")
    ctx = app.extensions["guatu"]
    scratch = []  # the campaigns whose milestones are worked out from scratch: the other one only
    milestones = campaigns.milestones
    monkeypatch.setattr(campaigns, "milestones", lambda store, *a: scratch.append(store) or milestones(store, *a))
    for step in range(3):
        scratch.clear()
        body = client.get("/api/campaigns").get_json()
        assert ctx.store not in scratch and len(scratch) == 1
        assert isinstance(body, list), body
        own = body[0]
        assert own == {"index": 0, **summary(ctx.store, ctx.campaign, clock())}, step
        place = ctx.store.features("courtyards")[step]
        ctx.store.update("courtyards", place["id"], expected_version=place["properties"]["version"], user="t",
                         properties={"status": "accepted"})
        clock.advance(hours=3)


def test_the_page_shows_every_campaign_escaped_and_in_chinese(app):
    client = app.test_client()
    login(client, "viewer1")
    page = client.get("/campaigns").get_data(as_text=True)
    assert "作战总览" in page and "二七区" in page
    assert "金水区&lt;b&gt;合成&lt;/b&gt;作战" in page and "<b>合成" not in page
    assert page.count('class="campaign-row"') == 3 and "无法读取该作战的数据" in page
    assert any(word in page for word in ("进度超前", "进度正常", "进度滞后"))


def test_the_index_reads_the_other_campaign_without_changing_it(app, synthetic_dir):
    before = {p.relative_to(synthetic_dir): p.read_bytes() for p in synthetic_dir.rglob("*") if p.is_file()}
    client = app.test_client()
    login(client, "viewer1")
    assert client.get("/api/campaigns").status_code == 200
    after = {p.relative_to(synthetic_dir): p.read_bytes() for p in synthetic_dir.rglob("*") if p.is_file()}
    assert {k: v for k, v in after.items() if k in before} == before


def test_the_index_needs_a_login(app):
    client = app.test_client()
    assert client.get("/api/campaigns").status_code == 401
    assert client.get("/campaigns").status_code in (302, 401)


def test_without_other_campaigns_the_index_shows_this_one(demo_dir, tmp_path, clock):
    app = create_app({"TESTING": True, "GUATU_DATA": str(demo_dir), "GUATU_CLOCK": clock,
                      "GUATU_INSTANCE": str(tmp_path / "instance"), "GUATU_PUBLIC_VIEW": True})
    rows = app.test_client().get("/api/campaigns").get_json()
    assert len(rows) == 1 and rows[0]["index"] == 0


def test_the_setting_takes_a_list_from_the_environment_or_the_file(tmp_path):
    assert [s.data.name for s in load({"GUATU_CAMPAIGNS": "/srv/a:/srv/b"}).campaigns] == ["a", "b"]
    assert load({}).campaigns == ()
    conf = tmp_path / "guatu.toml"
    conf.write_text('campaigns = ["jinshui", "/srv/zhongyuan"]\n', encoding="utf-8")
    assert load({"GUATU_CONFIG": str(conf)}).campaigns == (CampaignSource((tmp_path / "jinshui").resolve()),
                                                           CampaignSource(Path("/srv/zhongyuan")))


def test_the_setting_names_campaigns_kept_in_postgresql_in_the_file_or_as_json(tmp_path):
    conf = tmp_path / "guatu.toml"
    conf.write_text('campaigns = ["jinshui", { data = "zhongyuan", database_url = "postgresql://u:pw@db/g", '
                    'schema = "zhongyuan" }]\n', encoding="utf-8")
    assert load({"GUATU_CONFIG": str(conf)}).campaigns == (
        CampaignSource((tmp_path / "jinshui").resolve()),
        CampaignSource((tmp_path / "zhongyuan").resolve(), "postgresql://u:pw@db/g", "zhongyuan"))
    env = '["/srv/a", {"data": "/srv/b", "database_url": "postgresql://u:pw@db:5432/g", "schema": "b"}]'
    sources = load({"GUATU_CAMPAIGNS": env}).campaigns
    assert sources == (CampaignSource(Path("/srv/a")), CampaignSource(Path("/srv/b"), "postgresql://u:pw@db:5432/g", "b"))
    assert "pw" not in repr(sources)  # the password never reaches a log line


@pytest.mark.parametrize("value, says", [
    ('[{"data": "/srv/b", "database_url": "mysql://db/g"}]', "postgresql://"),
    ('[{"data": "/srv/b", "database_url": "postgresql://u:pw@db/g", "schema": "Bad-Name"}]', "Bad-Name"),
    ('[{"data": "/srv/b", "url": "postgresql://u:pw@db/g"}]', "data, database_url, schema"),
    ('["/srv/a", ', "JSON"),
])
def test_a_bad_campaign_entry_is_refused_in_chinese_without_its_password(value, says):
    with pytest.raises(SettingsError) as err:
        load({"GUATU_CAMPAIGNS": value})
    text = err.value.report()
    assert "GUATU_CAMPAIGNS" in text and says in text and "pw" not in text


def _nav_links(html: str) -> list[str]:
    return [href for nav in re.findall(r"<nav[^>]*>(.*?)</nav>", html, re.S) for href in re.findall(r'href="([^"]+)"', nav)]


def test_the_navigation_links_the_index_when_other_campaigns_are_configured(app):
    client = app.test_client()
    login(client, "viewer1")
    html = {"/inspections": None, "/account": None, "/no-such-page": None}
    for path in html:
        html[path] = client.get(path, headers={"Accept": "text/html"}).get_data(as_text=True)
        assert "/campaigns" in _nav_links(html[path]), path  # a workflow page, an account page, an error page
    index = client.get("/campaigns").get_data(as_text=True)
    assert "/campaigns" not in _nav_links(index)  # not a link to the page one is on


def test_an_editor_finds_the_index_among_the_editors_and_the_walls_links(app):
    from web.workflow.inspections import workflow_links

    with app.test_request_context("/edit"):
        assert {"href": "/campaigns", "label": t("campaigns.title")} in workflow_links()


def test_with_one_campaign_the_navigation_has_no_link_to_the_index(demo_dir, tmp_path, clock):
    from web.workflow.inspections import workflow_links

    app = create_app({"TESTING": True, "GUATU_DATA": str(demo_dir), "GUATU_CLOCK": clock,
                      "GUATU_INSTANCE": str(tmp_path / "instance"), "GUATU_PUBLIC_VIEW": True})
    client = app.test_client()
    for path in ("/inspections", "/no-such-page"):
        assert "/campaigns" not in _nav_links(client.get(path, headers={"Accept": "text/html"}).get_data(as_text=True))
    with app.test_request_context("/edit"):
        assert all(link["href"] != "/campaigns" for link in workflow_links())
