"""The wall's dashboard at 4K pages through its lists instead of cutting them short: worst first, 第 p/n 页 and
另有 N under a list with rows waiting, a tap pages on, and the rotation (driven by the page's clock) reaches
every row of every list, and no page of any list runs off the screen at any step. A dashboard that could not be
loaded says so, and is shown from the next poll though nothing changed meanwhile."""

from __future__ import annotations

import json
import re
import urllib.request
from datetime import UTC, datetime

import pytest

from tests.browser.harness import copy_demo, live_server, open_page, wait_ready
from tests.waiting import wait_until

NOW = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)  # 16:00 in Zhengzhou, the demo's "today"
ROTATE = 10  # seconds per page, from the URL
LISTS = {"streets": ".guatu-dash-streets table", "communities": ".guatu-dash-communities table",
         "categories": ".guatu-dash-categories table", "units": ".guatu-dash-units",
         "escalated": ".guatu-escalated-list", "alerts": ".guatu-alerts"}

SHOWN = """(lists) => {
    const out = {};
    for (const [key, sel] of Object.entries(lists)) {
        const box = document.querySelector('.guatu-dashboard ' + sel);
        if (!box || box.closest('section').hidden) continue;
        const rows = Array.from(box.querySelectorAll('[data-row]'));
        const visible = rows.filter(r => !r.hidden && r.getBoundingClientRect().height > 0);
        const pager = box.nextElementSibling;
        out[key] = {all: Number(box.dataset.rows), made: rows.length, shown: visible.map(r => Number(r.dataset.row)),
                    names: visible.map(r => (r.querySelector('.guatu-dash-name, .guatu-alert-place') || r).textContent),
                    pager: pager && pager.getBoundingClientRect().height > 0 ? pager.textContent : null,
                    bottom: Math.max(0, ...visible.map(r => r.getBoundingClientRect().bottom))};
    }
    return out;
}"""

# Every row shown on screen, noted after each change of what is hidden (the rotation's steps), per list.
WATCH = """(lists) => {
    window.seenRows = {};
    window.cutRows = []; // rows shown below the dashboard's visible bottom (it hides what overflows)
    const dash = document.querySelector('.guatu-dashboard');
    const note = () => {
        const limit = dash.getBoundingClientRect().top + dash.clientHeight + 1;
        for (const [key, sel] of Object.entries(lists)) {
            const box = document.querySelector('.guatu-dashboard ' + sel);
            if (!box) continue;
            const seen = window.seenRows[key] || (window.seenRows[key] = []);
            for (const r of box.querySelectorAll('[data-row]')) {
                const rect = r.getBoundingClientRect();
                if (rect.height > 0 && rect.bottom > limit) window.cutRows.push([key, Number(r.dataset.row), rect.bottom, limit]);
                if (rect.height > 0 && !seen.includes(Number(r.dataset.row))) seen.push(Number(r.dataset.row));
            }
        }
    };
    note();
    new MutationObserver(note).observe(document.querySelector('.guatu-dashboard'),
                                       {subtree: true, childList: true, attributes: true, attributeFilter: ['hidden']});
}"""


def fixed_clock() -> datetime:
    return NOW


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data = copy_demo(tmp_path_factory.mktemp("dashpaging") / "data")
    with live_server(data, GUATU_CLOCK=fixed_clock) as s:
        yield s


def dashboard_data(server) -> dict:
    with urllib.request.urlopen(server.url + "/api/wall/dashboard", timeout=30) as resp:
        return json.loads(resp.read())


def test_every_row_of_every_list_is_reached_by_the_rotation_worst_first_at_4k(browser, server):
    d = dashboard_data(server)
    expected = {"streets": len(d["streets"]), "communities": len(d["communities"]), "categories": len(d["categories"]),
                "units": len(d["cases"]["units"]), "escalated": len(d["cases"]["escalated"]["rows"]),
                "alerts": len(d["overdue"]["rows"]) + len(d["overnight"]["rows"])}
    # the demo has more rows than one 4K screen holds, and all of them are sent
    assert expected["alerts"] == d["overdue"]["total"] + d["overnight"]["total"] > 100
    worst = min(d["streets"], key=lambda s: (s["pct"], -s["overdue"]))
    assert d["streets"][0]["name"] == worst["name"]

    page, log = open_page(browser, server.url, f"/wall?refresh=0&rotate={ROTATE}", width=3840, height=2160,
                          page_clock=NOW)
    wait_ready(page)
    page.locator(".guatu-dashboard .guatu-dash-milestones").wait_for()  # the last panel to come: pages fitted again
    first = page.evaluate(SHOWN, LISTS)
    assert first and all(v["all"] == expected[k] for k, v in first.items())  # every row is held, one page shown
    assert all(v["made"] == len(v["shown"]) for v in first.values())  # and only that page's rows are made
    # the worst sub-district leads the first sheet
    assert first["streets"]["shown"][0] == 0 and first["streets"]["names"][0] == worst["name"]
    # a list with rows waiting says so: 第 1/n 页 and 另有 N (the rows not on screen)
    paged = {k: v for k, v in first.items() if len(v["shown"]) < v["all"]}
    assert paged
    for key, v in paged.items():
        m = re.search(r"第 (\d+)/(\d+) 页 · 另有 (\d+) 条", v["pager"] or "")
        assert m, (key, v["pager"])
        assert int(m[1]) == 1 and int(m[3]) == v["all"] - len(v["shown"]), key
    for key, v in first.items():
        if len(v["shown"]) == v["all"]:
            assert v["pager"] is None, key
    # nothing runs off the screen, nor below what the dashboard shows
    shown_bottom = page.evaluate("() => { const d = document.querySelector('.guatu-dashboard');"
                                 " return d.getBoundingClientRect().top + d.clientHeight; }")
    assert shown_bottom <= 2160
    assert all(v["bottom"] <= shown_bottom + 1 for v in first.values())

    # the rotation, driven by the page's clock, reaches every row of every list, sheet after sheet
    page.evaluate(WATCH, LISTS)
    sheets = int(page.get_attribute(".guatu-dashboard", "data-sheets"))
    assert sheets > 1  # the demo's lists do not fit beside the totals and the chart on one screen
    assert page.locator(".guatu-dash-sheet").inner_text().startswith(f"第 1/{sheets} 屏")
    steps = sum(-(-n // 5) for n in expected.values())  # at most: every page of every list at 5 rows a page
    for _ in range(steps):
        page.clock.run_for(ROTATE * 1000)
        seen = page.evaluate("() => window.seenRows")
        if all(len(seen.get(k, [])) == n for k, n in expected.items()):
            break
    assert {k: sorted(seen.get(k, [])) for k in expected} == {k: list(range(n)) for k, n in expected.items()}
    # no page of any list, at any step, ran below what the dashboard shows
    assert page.evaluate("() => window.cutRows") == []
    assert log.console_errors == [] and log.outside == []
    page.context.close()


def test_a_tap_on_the_pager_shows_the_next_page_and_the_last_page_wraps_round(browser, server):
    page, log = open_page(browser, server.url, "/wall?refresh=0&rotate=0", width=3840, height=2160, page_clock=NOW)
    wait_ready(page)
    page.locator(".guatu-dashboard .guatu-dash-milestones").wait_for()
    pager = page.locator(".guatu-dash-pager[data-list='communities']")
    pages = int(pager.get_attribute("data-pages"))
    assert pages > 1 and pager.get_attribute("data-page") == "1"
    before = page.evaluate(SHOWN, LISTS)["communities"]["shown"]
    pager.click()
    after = page.evaluate(SHOWN, LISTS)
    assert pager.get_attribute("data-page") == "2" and f"第 2/{pages} 页" in pager.inner_text()
    assert after["communities"]["shown"][0] == before[-1] + 1
    # without rotation nothing moves by itself
    page.clock.run_for(120_000)
    assert pager.get_attribute("data-page") == "2"
    assert page.get_attribute(".guatu-dashboard", "data-sheet") == "1"
    for _ in range(pages - 1):
        pager.click()
    assert pager.get_attribute("data-page") == "1"
    assert log.console_errors == [] and log.outside == []
    page.context.close()


def test_a_dashboard_that_failed_to_load_says_so_and_is_shown_from_the_next_poll_with_nothing_changed(browser, server):
    refused = []

    def busy(route):
        if refused and refused[-1] == "open":
            route.continue_()
            return
        refused.append(route.request.url)
        route.fulfill(status=503, content_type="application/json", body='{"message": "忙"}')

    context = browser.new_context(viewport={"width": 3840, "height": 2160}, locale="zh-CN")
    context.route("**/api/wall/dashboard*", busy)
    page = context.new_page()
    page.clock.install(time=NOW)
    page.goto(server.url + "/wall?refresh=0&rotate=0")
    wait_ready(page)
    page.wait_for_function("() => document.querySelector('.guatu-dashboard').innerText === '看板数据加载失败,正在重试……'")
    refused.append("open")
    changed = page.evaluate("async () => await window.guatuPage.walls[0].poll()")
    assert changed == []  # a 304: the state is as it was
    page.clock.run_for(15_000)  # the dashboard's gap between two loads (wall/panels.js DASHBOARD_GAP_MS)
    page.locator(".guatu-dashboard .guatu-dash-streets").wait_for()
    wait_until(lambda: "加载失败" not in page.inner_text(".guatu-dashboard"), "the notice gone")
    context.close()
