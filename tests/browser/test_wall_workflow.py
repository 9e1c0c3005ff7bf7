"""Today's inspections and the milestones on the command-room wall (/wall), in a real Chromium, offline."""

from __future__ import annotations

import base64
import json
import urllib.request
from datetime import UTC, datetime

import pytest

from tests.browser.harness import copy_demo, live_server, open_page, wait_ready

NOW = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)  # 16:00 in Zhengzhou, the demo's "today"
DAY = "2026-11-24"
EDITOR = ("editor1", "correct horse battery")
SECRET_NOTES = "住户李某拒不配合"
GLYPHS = {"ok": "✓", "problem": "!", "relapse": "↺", "pending": ""}

SHOWN = """() => {
    const wall = window.guatuPage.walls[0];
    const box = wall.map.getContainer().getBoundingClientRect();
    return [...document.querySelectorAll('.guatu-insp-marker .guatu-insp')].map(node => {
        const r = node.getBoundingClientRect();
        return {order: Number(node.dataset.order), id: node.dataset.id, result: node.dataset.result,
                number: node.querySelector('.guatu-insp-num').textContent,
                glyph: (node.querySelector('.guatu-insp-glyph') || {}).textContent || '',
                inside: r.width > 20 && r.left >= box.left && r.right <= box.right && r.top >= box.top && r.bottom <= box.bottom};
    }).sort((a, b) => a.order - b.order);
}"""

MARKER_POINTS = """() => window.guatuPage.walls[0].inspections.markers.getLayers()
    .map(m => [Number(m.getElement().querySelector('.guatu-insp').dataset.order), m.getLatLng().lng, m.getLatLng().lat])
    .sort((a, b) => a[0] - b[0]).flat()"""

PANEL_ROWS = """() => [...document.querySelectorAll('.guatu-inspections .guatu-insp-row')].map(li => [
    Number(li.querySelector('.guatu-insp').dataset.order), li.querySelector('.guatu-insp-name').textContent,
    li.querySelector('.guatu-insp-result').textContent])"""


def fixed_clock() -> datetime:
    return NOW


def call(server, method: str, path: str, body: dict | None = None) -> dict:
    auth = base64.b64encode(f"{EDITOR[0]}:{EDITOR[1]}".encode()).decode()
    req = urllib.request.Request(server.url + path, method=method, data=json.dumps(body).encode() if body else None,
                                 headers={"Content-Type": "application/json", "Authorization": f"Basic {auth}"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.loads(resp.read())


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data = copy_demo(tmp_path_factory.mktemp("wallworkflow") / "data")
    with live_server(data, GUATU_CLOCK=fixed_clock, GUATU_REFRESH_SECONDS=2) as s:
        s.app.extensions["guatu_accounts"].create_user(EDITOR[0], EDITOR[1], "editor", "李编")
        yield s


@pytest.fixture(scope="module")
def route(server) -> list[dict]:
    """Today's list of six: the first found fine, the third relapsed."""
    places = call(server, "POST", f"/api/inspections/{DAY}", {"count": 6, "seed": 42})["places"]
    call(server, "POST", f"/api/inspections/{DAY}/{places[0]['id']}", {"result": "ok", "notes": SECRET_NOTES})
    call(server, "POST", f"/api/inspections/{DAY}/{places[2]['id']}",
         {"result": "relapse", "category": "乱堆乱放", "notes": SECRET_NOTES})
    return places


def percent(share: float) -> str:
    return f"{round(share * 100, 1):g}%"


def flat_points(summary: dict) -> list[float]:
    """order, lon, lat of every place, one after another (as MARKER_POINTS reads the markers)."""
    return [v for p in summary["places"] for v in (p["order"], *p["point"])]


def expected_results(results: dict[int, str], n: int = 6) -> list[str]:
    return [results.get(i, "pending") for i in range(1, n + 1)]


def test_the_wall_shows_todays_route_and_results_and_the_plan_and_updates_live(browser, server, route):
    page, log = open_page(browser, server.url, "/wall", width=1920, height=1080)
    wait_ready(page)
    page.evaluate("() => { window.__sameMap = window.guatuPage.walls[0].map; }")
    panel = page.locator(".guatu-inspections")
    page.wait_for_function("() => document.documentElement.dataset.guatuInspections === '2/6'")
    assert panel.is_visible()
    assert panel.locator("h2").inner_text().replace(" ", "") == "今日督导2/6"

    # numbered markers in route order, styled by result (shape class, glyph), on screen at their points
    markers = page.evaluate(SHOWN)
    assert [m["id"] for m in markers] == [p["id"] for p in route]
    assert [m["number"] for m in markers] == ["1", "2", "3", "4", "5", "6"]
    assert [m["result"] for m in markers] == expected_results({1: "ok", 3: "relapse"})
    assert [m["glyph"] for m in markers] == [GLYPHS[r] for r in expected_results({1: "ok", 3: "relapse"})]
    assert all(m["inside"] for m in markers), markers
    summary = call(server, "GET", "/api/wall/inspections")
    assert page.evaluate(MARKER_POINTS) == pytest.approx(flat_points(summary), abs=1e-9)
    shapes = page.evaluate("""() => [...document.querySelectorAll('.guatu-insp-marker .guatu-insp')].map(n =>
        [n.dataset.result, getComputedStyle(n.querySelector('.guatu-insp-shape')).borderRadius,
         getComputedStyle(n.querySelector('.guatu-insp-shape')).backgroundColor])""")
    looks = {result: (radius, fill) for result, radius, fill in shapes}
    assert len(set(looks.values())) == 3  # ok, relapse and not yet visited each look different
    assert looks["ok"][0] == looks["pending"][0] != looks["relapse"][0]  # round, round, square: not colour alone

    # the panel lists every place with its result, and never the notes
    rows = page.evaluate(PANEL_ROWS)
    assert [r[0] for r in rows] == [1, 2, 3, 4, 5, 6]
    assert [r[1] for r in rows] == [p["name"] for p in summary["places"]]
    assert rows[0][2] == "正常 16:00" and rows[2][2] == "反弹 16:00" and rows[1][2] == "待督导"
    assert "正常 1" in panel.locator(".guatu-insp-counts").inner_text()
    assert SECRET_NOTES not in page.content()

    # plan against actual in the dashboard
    plan = call(server, "GET", "/api/progress/milestones")
    milestones = page.locator(".guatu-dash-milestones")
    milestones.wait_for()
    assert milestones.get_attribute("data-verdict") == plan["verdict"]
    verdict = {"ahead": "超前", "on_track": "正常", "behind": "滞后"}[plan["verdict"]]
    assert milestones.locator(".guatu-verdict").inner_text().endswith(verdict)
    text = milestones.inner_text()
    assert f"完成 {percent(plan['share_done'])} · 计划 {percent(plan['share_planned'])}" in text
    nxt = plan["next"]
    assert f"下一节点 {nxt['label']} {nxt['date']} · 还有 {nxt['days_left']} 天 · 计划完成 {percent(nxt['share_planned'])}" in text

    # an "ok" changes no place: the wall's own polling brings it; a problem comes with the state too
    page.wait_for_event("response", lambda r: "/api/wall/inspections" in r.url and r.status == 304,
                        timeout=10_000)  # the unchanged list: not modified
    call(server, "POST", f"/api/inspections/{DAY}/{route[3]['id']}", {"result": "ok"})
    page.wait_for_function("() => document.documentElement.dataset.guatuInspections === '3/6'", timeout=6000)
    call(server, "POST", f"/api/inspections/{DAY}/{route[1]['id']}", {"result": "problem", "category": "飞线充电"})
    page.wait_for_function("() => document.documentElement.dataset.guatuInspections === '4/6'", timeout=6000)
    after = expected_results({1: "ok", 2: "problem", 3: "relapse", 4: "ok"})
    assert [m["result"] for m in page.evaluate(SHOWN)] == after
    assert [r[2].split(" ")[0] for r in page.evaluate(PANEL_ROWS)] == ["正常", "发现问题", "反弹", "正常", "待督导", "待督导"]
    assert page.evaluate("() => window.__sameMap === window.guatuPage.walls[0].map")  # no reload

    # on an AMap basemap (GCJ-02) the markers move with the places
    page.evaluate("() => window.guatuPage.walls[0].setCrs('gcj02')")
    page.wait_for_function("() => window.guatuPage.walls[0].inspections.crs === 'gcj02'", timeout=6000)
    shifted = call(server, "GET", "/api/wall/inspections?crs=gcj02")
    assert page.evaluate(MARKER_POINTS) == pytest.approx(flat_points(shifted), abs=1e-9)
    assert log.outside == [] and log.console_errors == []
    page.context.close()


def test_an_open_card_gets_room_to_be_read_and_todays_list_comes_back_when_it_closes(browser, server, route):
    """On a 1080p screen, the legend and today's list leave a card under 40 % of the height: the list makes way
    while the card is open (the card is what somebody asked for) and comes back when it is closed."""
    page, log = open_page(browser, server.url, "/wall", width=1920, height=1080)
    wait_ready(page)
    page.wait_for_function("() => document.documentElement.dataset.guatuInspections !== undefined")
    panel = page.locator(".guatu-inspections")
    assert panel.is_visible()
    page.locator(".guatu-insp-row").first.click()  # the list's first place: its card opens
    card = page.locator(".guatu-place-card")
    card.locator(".guatu-card-where").wait_for()
    assert not panel.is_visible()
    room = page.evaluate("() => parseFloat(document.querySelector('.guatu-place-card').style.maxHeight)")
    assert room >= 0.4 * 1080
    card.locator(".guatu-card-close").click()
    assert card.is_hidden() and panel.is_visible()
    assert log.outside == [] and log.console_errors == []
    page.context.close()


def test_a_display_screen_shows_the_route_and_inspections_0_hides_it(browser, server, route):
    _, secret = server.app.extensions["guatu_accounts"].create_display_token("大屏", "/wall?theme=dark")
    page, log = open_page(browser, server.url, f"/wall?display={secret}", width=1920, height=1080)
    wait_ready(page)
    page.wait_for_function("() => /^\\d+\\/6$/.test(document.documentElement.dataset.guatuInspections || '')")
    assert page.locator(".guatu-insp-marker").count() == 6
    assert page.locator(".guatu-links").count() == 0  # no links to the workflow pages on a display screen
    assert log.outside == [] and log.console_errors == []
    page.context.close()

    page, log = open_page(browser, server.url, "/wall?inspections=0&refresh=0", width=1600, height=1000)
    wait_ready(page)
    page.locator(".guatu-dash-milestones").wait_for()
    assert page.locator(".guatu-inspections, .guatu-insp-marker").count() == 0
    assert not [u for u in log.requests if "/api/wall/inspections" in u]
    assert log.outside == [] and log.console_errors == []
    page.context.close()


def test_an_editor_reaches_the_workflow_pages_from_the_wall(browser, server):
    page, log = open_page(browser, server.url, "/login?next=/wall", width=1920, height=1080)
    page.fill("input[name=username]", EDITOR[0])
    page.fill("input[name=password]", EDITOR[1])
    page.click("button[type=submit]")
    page.wait_for_url("**/wall")
    wait_ready(page)
    links = page.locator(".guatu-legend .guatu-links a:not(.inbox-bell)")
    assert [(a.inner_text(), a.get_attribute("href")) for a in links.all()] == [
        ("督导", "/inspections"), ("我的点位", "/mine"), ("案件", "/cases"), ("日报", "/reports/daily"), ("进度回放", "/wall/playback")]
    links.first.click()
    page.wait_for_url("**/inspections")
    assert "每日随机地点督导" in page.locator("h1").inner_text()
    assert log.outside == [] and log.console_errors == []
    page.context.close()


ROUTE = """() => {
    const insp = window.guatuPage.walls[0].inspections;
    const lines = insp.route.getLayers().filter(l => l instanceof L.Polyline);
    const arrows = [...document.querySelectorAll('.guatu-route-arrow')].map(a => {
        const r = a.getBoundingClientRect();
        return {leg: Number(a.dataset.leg), transform: getComputedStyle(a).transform, w: r.width, h: r.height};
    });
    const start = document.querySelector('.guatu-route-start');
    const line = insp.route.getLayers().find(l => l.options.className === 'guatu-route-line');
    return {lines: lines.length, width: line ? line.options.weight : 0, arrows,
            vertices: line ? line.getLatLngs().map(ll => [ll.lng, ll.lat]) : [],
            start: start ? start.getBoundingClientRect().width : 0};
}"""


def test_the_wall_draws_todays_route_with_its_direction_at_4k(browser, server, route):
    page, log = open_page(browser, server.url, "/wall", width=3840, height=2160)
    wait_ready(page)
    # the inspections come after the first paint (a module of their own): wait for them, then for the route
    page.wait_for_function("() => window.guatuPage.walls[0].inspections?.route.getLayers().length > 2", timeout=10000)
    drawn = page.evaluate(ROUTE)
    summary = call(server, "GET", "/api/wall/inspections")
    listing = call(server, "GET", f"/api/inspections/{DAY}")
    # the line runs from the route's start through the places in their route order — the numbers shown
    assert summary["route_start"] == listing["route"]["start"]
    expected = [summary["route_start"], *(p["point"] for p in summary["places"])]
    assert [[round(x, 5) for x in v] for v in drawn["vertices"]] == [[round(x, 5) for x in v] for v in expected]
    assert [p["order"] for p in summary["places"]] == list(range(1, 7))
    assert [p["id"] for p in summary["places"]] == [p["id"] for p in route]
    rows = page.evaluate(PANEL_ROWS)
    assert [r[0] for r in rows] == list(range(1, len(rows) + 1))  # the panel lists the same order
    # thick enough to read across the room, arrows that point along the legs, a start square
    assert drawn["lines"] == 2 and drawn["width"] >= 6 and drawn["start"] >= 30  # on a white casing
    assert drawn["arrows"] and all(a["w"] >= 20 and a["transform"].startswith("matrix") for a in drawn["arrows"])
    assert {a["leg"] for a in drawn["arrows"]} <= set(range(1, 8))
    assert log.outside == [] and log.console_errors == []
