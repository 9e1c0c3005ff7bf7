"""The dashboard's 群众满意度 at 4K, in a real Chromium, offline: residents' reports made, closed through the case
loop and rated on the demo campaign show per sub-district with the satisfaction rate, legible from across the
room; a rating given while the wall is up shows within a minute of the page's own clock, without a reload."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from geo.accounts import Principal
from geo.cases import transition
from geo.config import load_campaign
from geo.residents.reports import accept, rate, submit
from geo.scope import Scope
from geo.store import open_store
from tests.browser.harness import copy_demo, live_server, open_page, wait_ready
from tests.waiting import wait_until

WIDTH, HEIGHT = 3840, 2160
NOW = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)  # 16:00 in Zhengzhou, the demo's "today"
JINGGUANG = (113.6305, 34.7205)  # 京广路街道 幸福路社区
DAXUE = (113.670585, 34.732051)  # 大学路街道 金桥社区
STAFF = {"district": Principal("zhihui", "王指挥", "editor", "session"),
         "handler": Principal("zhujian", "张住建", "editor", "session", scope=Scope(units=("区住建局",))),
         "inspector": Principal("duban", "赵督导", "inspector", "session")}


def fixed_clock() -> datetime:
    return NOW


def _closed_report(store, campaign, data_dir, where, at):
    record = submit(store, campaign, lon=where[0], lat=where[1], category="乱堆乱放", description="楼道堆物",
                    now=at, data_dir=data_dir)
    ref = accept(store, campaign, record["code"], principal=STAFF["district"], now=at)["case"]
    for action, who, extra in (("dispatch", "district", {"unit": "区住建局"}), ("report", "handler", {"note": "清了"}),
                               ("confirm", "inspector", {})):
        transition(store, ref["layer"], ref["fid"], ref["pid"], action, principal=STAFF[who], expected_version=None,
                   campaign=campaign, now=at, **extra)
    return record


@pytest.fixture(scope="module")
def campaign_dir(tmp_path_factory):
    return copy_demo(tmp_path_factory.mktemp("satisfaction") / "data")


@pytest.fixture(scope="module")
def reports_made(campaign_dir):
    """京广路街道: two closed, rated 满意 and 不满意; 大学路街道: one closed, rated 基本满意, and one closed waiting
    for its rating (the test gives it)."""
    base = load_campaign(campaign_dir)
    campaign = replace(base, cases=replace(base.cases, require_photo_report=False, require_photo_confirm=False))
    store = open_store(campaign_dir, campaign)
    at = NOW - timedelta(hours=2)
    for where, value in ((JINGGUANG, "satisfied"), (JINGGUANG, "unsatisfied"), (DAXUE, "basic")):
        record = _closed_report(store, campaign, campaign_dir, where, at)
        rate(store, campaign, record["code"], value, "", at)
    waiting = _closed_report(store, campaign, campaign_dir, DAXUE, at)
    yield store, campaign, waiting
    store.close()


@pytest.fixture(scope="module")
def server(campaign_dir, reports_made):
    with live_server(campaign_dir, GUATU_CLOCK=fixed_clock) as s:
        yield s


def _satisfaction_shown(page) -> bool:
    """Bring the dashboard's screen holding 群众满意度 forward (the rotation shares the lists out over screens)."""
    for _ in range(8):
        if page.locator("#guatu-satisfaction").is_visible():
            return True
        page.locator(".guatu-dash-sheet").click()
    return page.locator("#guatu-satisfaction").is_visible()


def test_satisfaction_per_sub_district_is_on_the_wall_and_follows_a_new_rating(browser, server, reports_made):
    store, campaign, waiting = reports_made
    page, log = open_page(browser, server.url, "/wall?dashboard=1", width=WIDTH, height=HEIGHT, page_clock=NOW)
    wait_ready(page)
    wait_until(lambda: page.locator("#guatu-satisfaction").count() == 1, "the satisfaction panel")
    assert _satisfaction_shown(page)
    section = page.locator("#guatu-satisfaction")
    assert section.locator("h2").inner_text().startswith("群众满意度")
    assert section.locator('[data-fact="rate"] b').inner_text() == "66.7%"
    streets = section.locator('tr.guatu-dash-row[data-level="street"]')
    rows = {r.get_attribute("data-area"): r.locator("td").all_text_contents() for r in streets.all()}
    assert rows["京广路街道"] == ["京广路街道", "2", "2", "2", "1", "0", "1", "50%"]
    assert rows["大学路街道"] == ["大学路街道", "2", "2", "1", "0", "1", "0", "100%"]
    assert [r.get_attribute("data-area") for r in streets.all()] == ["京广路街道", "大学路街道"]  # worst first
    communities = section.locator('tr.guatu-dash-row[data-level="community"]')
    named = [(r.get_attribute("data-area"), r.locator("td").first.get_attribute("title")) for r in communities.all()]
    assert named == [("幸福路社区", "京广路街道"), ("金桥社区", "大学路街道")]
    # legible across the room: the figures as large as the dashboard's other tables at 4K
    sizes = page.evaluate("""() => {
        const px = (sel) => parseFloat(getComputedStyle(document.querySelector(sel)).fontSize);
        return {cell: px('#guatu-satisfaction td.guatu-num'), rate: px('#guatu-satisfaction .guatu-fact b'),
                other: px('.guatu-dash-streets td.guatu-num')};
    }""")
    assert sizes["cell"] >= 20 and sizes["cell"] == sizes["other"] and sizes["rate"] >= sizes["cell"]

    rate(store, campaign, waiting["code"], "unsatisfied", "还是脏", NOW - timedelta(minutes=30))
    page.clock.run_for(61_000)  # the panel asks again every minute
    wait_until(lambda: page.locator('#guatu-satisfaction [data-fact="rate"] b').text_content() == "50%",
               "the new rating on the wall")
    assert log.outside == []
