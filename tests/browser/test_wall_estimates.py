"""预计完成 on the command-room wall: a compact line per sub-district in the plan panel, worst first, at 4K."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from geo.config import load_campaign
from geo.store import open_store
from tests.browser.harness import copy_demo, live_server, open_page, wait_ready
from tests.conftest import FakeClock

NOW = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)  # 16:00 in Zhengzhou, the demo's "today"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The demo, where the first sub-district got one place a day done over the last five days."""
    data = copy_demo(tmp_path_factory.mktemp("wallestimates") / "data")
    campaign = load_campaign(data)
    clock = FakeClock(NOW - timedelta(days=5))
    store = open_store(data, campaign, clock=clock)
    pending = [f for f in store.features("courtyards") if f["properties"]["status"] == "pending"]
    street = pending[0]["properties"]["street"]
    for f in [f for f in pending if f["properties"]["street"] == street][:5]:
        clock.advance(days=1)
        store.update("courtyards", f["id"], expected_version=f["properties"]["version"], user="t",
                     properties={"status": "accepted"})
    store.close()
    with live_server(data, GUATU_CLOCK=FakeClock(NOW), GUATU_REFRESH_SECONDS=0) as s:
        s.street = street
        yield s


def test_the_wall_shows_each_sub_districts_estimated_finish_worst_first_at_4k(browser, server):
    est = server.app.test_client().get("/api/progress/milestones").get_json()["estimates"]
    page, log = open_page(browser, server.url, "/wall", width=3840, height=2160)
    wait_ready(page)
    box = page.locator(".guatu-dash-milestones .guatu-ms-estimates")
    box.wait_for()
    assert box.locator(".guatu-ms-est-title").inner_text() == "预计完成(按近 14 天进度)"
    lines = page.evaluate("""() => [...document.querySelectorAll('.guatu-ms-est')].map(li => {
        const r = li.getBoundingClientRect();
        return {street: li.querySelector('.guatu-ms-est-street').textContent,
                when: li.querySelector('.guatu-ms-est-when').textContent, title: li.title,
                state: li.className, shown: r.width > 0 && r.bottom <= innerHeight && r.right <= innerWidth};
    })""")
    rows = {r["street"]: r for r in est["streets"]}
    assert sorted(line["street"] for line in lines) == sorted(rows)  # every sub-district, none dropped
    assert all(line["shown"] for line in lines), lines
    assert [line["title"] for line in lines] == [rows[line["street"]]["text"] for line in lines]
    # the sub-district with a pace has its finish day and how it stands against 年底全部完成; the others none
    mine = next(line for line in lines if line["street"] == server.street)
    row = rows[server.street]
    assert row["state"] == "estimated" and mine["when"].startswith(row["finish"] + " · ")
    assert f"于节点 {abs(row['days_late'])} 天" in mine["when"] or row["days_late"] == 0
    others = [line for line in lines if rows[line["street"]]["state"] == "no_pace"]
    assert others and all(line["when"] == "无进展,无法估计" for line in others)
    order = [rows[line["street"]]["state"] for line in lines]
    assert order == sorted(order, key=["no_pace", "estimated", "done"].index)  # no estimate first
    assert log.outside == [] and log.console_errors == []
    page.context.close()


def test_a_screen_of_one_sub_district_shows_its_own_estimate(browser, server):
    page, log = open_page(browser, server.url, f"/wall?street={server.street}", width=3840, height=2160)
    wait_ready(page)
    page.locator(".guatu-ms-estimates").wait_for()
    streets = page.locator(".guatu-ms-est-street").all_inner_texts()
    assert streets == [server.street]
    assert log.outside == [] and log.console_errors == []
    page.context.close()
