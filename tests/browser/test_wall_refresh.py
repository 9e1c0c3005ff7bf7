"""A wall under steady edits asks for its dashboard at most once per gap (web/static/js/wall/coalesce.js), not
once per revision: twenty edits, each polled by the wall at 4K, cause at most two dashboard fetches, and the last
state is on the dashboard once the gap is over. The page's clock is stopped, so its timers run only when the
test moves it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.browser.harness import copy_demo, live_server, open_page, wait_ready
from tests.conftest import FakeClock
from tests.waiting import wait_until

NOW = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)  # 16:00 in Zhengzhou, the demo's "today"
GAP_MS = 15000  # wall/panels.js DASHBOARD_GAP_MS


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data = copy_demo(tmp_path_factory.mktemp("wallrefresh") / "data")
    with live_server(data, GUATU_CLOCK=FakeClock(NOW), GUATU_REFRESH_SECONDS=0) as s:  # the test polls
        yield s


def dashboard_fetches(log) -> int:
    return sum("/api/wall/dashboard" in url for url in log.requests)


def test_a_burst_of_twenty_edits_fetches_the_dashboard_at_most_twice_at_4k(browser, server):
    store = server.app.extensions["guatu"].store
    page, log = open_page(browser, server.url, "/wall", width=3840, height=2160, page_clock=NOW)
    wait_ready(page)
    wait_until(lambda: page.evaluate("() => !!window.guatuPage.walls[0].panels.dashboard"), "the first dashboard")
    page.clock.pause_at(NOW + timedelta(minutes=1))  # from here the page's timers run only when the test says
    before = dashboard_fetches(log)
    places = [f for f in store.features("courtyards") if f["properties"]["status"] == "pending"][:20]
    assert len(places) == 20
    seen = []
    for f in places:
        store.update("courtyards", f["id"], expected_version=f["properties"]["version"], user="t",
                     properties={"status": "accepted"})
        seen.append(page.evaluate("async () => { const w = window.guatuPage.walls[0]; await w.poll();"
                                  " return w.state.revision; }"))
        page.clock.run_for(100)  # the panels' update after the map's paint
    assert seen == sorted(set(seen)) and seen[-1] == store.revision()  # the wall saw twenty revisions
    burst = dashboard_fetches(log) - before
    assert 1 <= burst <= 2, burst  # the first revision at once, the others wait for the gap
    page.clock.run_for(GAP_MS)  # the gap is over: one fetch answers them all
    done = server.app.test_client().get("/api/wall/dashboard").get_json()["totals"]["done"]
    wait_until(lambda: page.evaluate("() => window.guatuPage.walls[0].panels.dashboard.totals.done") == done,
               "the last state on the dashboard")
    assert dashboard_fetches(log) - before <= 2
    assert not log.console_errors and not log.outside
