"""The inspector's phone page (/field/) in a real Chromium on a 390 px touch phone with a position: the cards in
route order, a page that fits the phone, results and photos queued while offline and sent once when back online,
and a place changed meanwhile told to the inspector and the desk."""

from __future__ import annotations

import pytest

from geo.photos import photos_of
from tests.browser.harness import PHONE, copy_demo, live_server, open_phone_page
from tests.field.phone import (
    DAY,
    EDITOR,
    HERE,
    PLANNER,
    attach_on_phone,
    call,
    card,
    fixed_clock,
    jpeg,
    queue_text,
    queued,
    record_on_phone,
    resend_photo,
    results_of,
    sign_in,
)

pytestmark = pytest.mark.browser

# every visible thing a finger taps, with its size; a checkbox counts through its label
TARGETS = """() => [...document.querySelectorAll('a, button, select, textarea, input:not([type=checkbox]):not([type=file]),'
    + ' label.field-check, label.field-camera')]
    .filter(n => n.getClientRects().length && getComputedStyle(n).visibility !== 'hidden')
    .map(n => { const r = n.getBoundingClientRect();
                return [n.tagName + '.' + n.className + ' ' + (n.textContent || '').trim().slice(0, 12),
                        Math.round(r.width), Math.round(r.height)]; })"""
SMALL_TEXT = """() => [...document.querySelectorAll('body *')].filter(n => n.getClientRects().length
    && [...n.childNodes].some(c => c.nodeType === 3 && c.textContent.trim()))
    .map(n => [n.tagName, n.textContent.trim().slice(0, 10), parseFloat(getComputedStyle(n).fontSize)]).filter(x => x[2] < 12)"""


@pytest.fixture
def server(tmp_path):
    data = copy_demo(tmp_path / "data")
    with live_server(data, GUATU_CLOCK=fixed_clock, GUATU_REFRESH_SECONDS=2) as s:
        accounts = s.app.extensions["guatu_accounts"]
        accounts.create_user(EDITOR[0], EDITOR[1], "editor", "李督导")
        accounts.create_user(PLANNER[0], PLANNER[1], "editor", "规划王")
        status, listing = call(s, "POST", f"/api/inspections/{DAY}", {"count": 4, "seed": 42})
        assert status == 201
        s.places = listing["places"]
        yield s


def test_the_cards_follow_the_route_and_the_page_fits_a_phone(browser, server):
    page, log = sign_in(browser, server)
    ids = page.eval_on_selector_all(".field-card", "cards => cards.map(c => c.dataset.id)")
    assert ids == [p["id"] for p in server.places]
    first = card(page, server.places[0]["id"])
    assert first.locator(".field-order").inner_text() == "1"
    assert first.locator(".field-name").inner_text() == server.places[0]["name"]
    assert server.places[0]["street"] in first.locator(".field-meta").inner_text()
    assert first.locator(".field-outcome").inner_text() == "待督导"
    assert [b.inner_text() for b in first.locator(".field-toggle").all()] == ["正常", "发现问题", "反弹"]
    # each open problem with its case's stage (a place of the demo with two open problems, being handled)
    village = next(p for p in server.places if len(p["open_problems"]) == 2)
    assert card(page, village["id"]).locator(".field-problems").inner_text() == "未销号问题 2 个:" + "、".join(
        f"{q['category']}({q['stage_label']})" for q in village["open_problems"])
    assert [q["stage_label"] for q in village["open_problems"]] == ["处置中", "处置中"]
    camera = first.locator("input[type=file]")
    assert camera.get_attribute("accept") == "image/*" and camera.get_attribute("capture") == "environment"

    # the map: the places, the route through them in order, and the inspector's position
    drawn = page.evaluate("""() => { const v = window.guatuPage.field.view;
        return {route: v.route.getLatLngs().length, markers: v.markers.getLayers().length,
                me: v.me && [v.me.dot.getLatLng().lng, v.me.dot.getLatLng().lat]}; }""")
    assert drawn["route"] == drawn["markers"] == len(server.places)
    page.wait_for_function("() => window.guatuPage.field.view.me !== null")
    me = page.evaluate("() => { const d = window.guatuPage.field.view.me.dot.getLatLng(); return [d.lng, d.lat]; }")
    assert me == pytest.approx(list(HERE))
    assert page.locator("[data-field-gps]").inner_text() == "我的位置(精度约 12 米)"

    # 390 px: nothing runs off the side, every target is a finger's size, no text under 12 px
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    first.locator(".field-toggle[data-result=problem]").tap()  # shows the problem's fields too
    small = [t for t in page.evaluate(TARGETS) if t[1] < 44 or t[2] < 44]
    assert small == []
    assert page.evaluate(SMALL_TEXT) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    viewport = page.locator("meta[name=viewport]").get_attribute("content")
    assert "user-scalable=no" not in viewport and "maximum-scale" not in viewport  # pinch-zoom allowed
    assert page.locator("[data-field-net]").inner_text() == "在线"
    # the day's list was asked for once, by the preload in the page's head, whose answer the page's fetch took
    lists = page.evaluate("""() => performance.getEntriesByType('resource')
        .filter(e => e.name.includes('/api/field/')).map(e => e.initiatorType)""")
    assert lists == ["link"]
    assert log.outside == [] and log.console_errors == []
    page.context.close()


FETCHED = """async (url) => {
  try { const r = await fetch(url); return [r.status, r.url, await r.text()]; }
  catch (e) { return ['failed']; }
}"""


def test_offline_a_page_kept_from_an_earlier_version_finds_its_script_where_it_is_now(browser, server):
    """The page's script is a bundle named by its content. A page of another day kept in the worker's cache names
    the bundle (or the module) of the version it was served with, which the worker, updated since, no longer holds:
    offline it is redirected to the script the page loads now. A script the page never named is not answered."""
    page, log = sign_in(browser, server)
    page.wait_for_selector("html[data-field-offline-ready]", state="attached")
    page.wait_for_function("() => navigator.serviceWorker.controller")  # (the page's fetches go through the worker)
    now = page.evaluate("() => document.querySelector('script[type=module][src*=\"/bundle/\"]').src")
    assert "/field-" in now
    online = page.evaluate(FETCHED, now)
    page.context.set_offline(True)
    for old in ("/static/bundle/0123456789abcdef/field-OLDHASH1.js", "/static/js/pages/field.js"):
        status, url, text = page.evaluate(FETCHED, old)  # (followed: the answer's URL is where it was sent)
        assert (status, url) == (200, now) and text == online[2] and len(text) > 10_000, old
    for other in ("/static/bundle/0123456789abcdef/wall-OLDHASH1.js", "/static/bundle/0123456789abcdef/field-print-X1.js",
                  "/static/bundle/0123456789abcdef/field-OLDHASH1.js.map"):
        assert page.evaluate(FETCHED, other) == ["failed"], other
    page.context.close()


def test_results_and_photos_recorded_offline_survive_a_reload_and_are_sent_once_back_online(browser, server):
    page, log = sign_in(browser, server)
    page.wait_for_selector("html[data-field-offline-ready]", state="attached")
    (a, la), (b, lb), (c, _) = ((p["id"], p["layer"]) for p in server.places[:3])
    page.context.set_offline(True)
    page.wait_for_function("() => document.querySelector('[data-field-net]').textContent === '离线'")
    record_on_phone(page, a, "ok", notes="门前干净")
    attach_on_phone(page, a, ("gate.jpg", jpeg((40, 120, 40))))
    record_on_phone(page, b, "problem", category="乱堆乱放", notes="楼道堆物")
    attach_on_phone(page, b, ("stairs.jpg", jpeg((120, 40, 40))), ("hall.jpg", jpeg((40, 40, 120))))
    queued(page, 5)
    assert queue_text(page) == "待上传 5"
    assert card(page, a).locator(".field-outcome").inner_text() == "已保存在本机,联网后自动上传"
    assert card(page, a).locator(".field-form").is_hidden()
    assert card(page, b).locator(".field-thumbs li[data-sent=false] img").count() == 2

    # a reload without network: the page, its scripts and the list come from the service worker, the queue stays
    page.reload()
    page.wait_for_selector("html[data-field-ready]", state="attached")
    assert [x.get_attribute("data-id") for x in page.locator(".field-card").all()] == [p["id"] for p in server.places]
    # the map too: Leaflet from the worker's precache
    assert page.evaluate("() => window.guatuPage.field.view.markers.getLayers().length") == len(server.places)
    assert queue_text(page) == "待上传 5"
    assert card(page, b).locator(".field-outcome").inner_text() == "已保存在本机,联网后自动上传"
    assert card(page, b).locator(".field-thumbs li[data-sent=false] img").count() == 2
    record_on_phone(page, c, "relapse", category="违章建筑")
    queued(page, 6)
    store = server.app.extensions["guatu"].store
    assert all(r is None for r in results_of(server).values())  # nothing reached the server
    assert not photos_of(store.get(la, a)) and not photos_of(store.get(lb, b))

    revision = store.revision()
    page.context.set_offline(False)
    queued(page, 0)
    assert queue_text(page) == "已全部上传"
    results = results_of(server)
    assert (results[a]["result"], results[a]["notes"], results[a]["inspector"]) == ("ok", "门前干净", "李督导 (editor1)")
    assert results[b]["result"] == "problem" and results[c]["result"] == "relapse"
    # two places changed by their results (a problem, a relapse), three photos added: one change each
    assert store.revision() == revision + 5
    problems = store.get(lb, b)["properties"]["problems"]
    assert [p["id"] for p in problems].count(results[b]["problem"]) == 1
    at_a, at_b = photos_of(store.get(la, a)), photos_of(store.get(lb, b))
    assert [(p["role"], p["inspection"], p["problem"]) for p in at_a] == [("inspection", DAY, None)]
    assert [(p["role"], p["problem"]) for p in at_b] == [("before", results[b]["problem"])] * 2
    assert len({p["id"] for p in at_b}) == 2 and all(p["client_id"] for p in at_a + at_b)
    assert at_a[0]["location"] == {"lon": HERE[0], "lat": HERE[1], "source": "device"}
    assert at_a[0]["taken_by"] == "李督导 (editor1)"
    assert card(page, b).locator(".field-outcome").inner_text().startswith("已记录:发现问题 16:00")
    page.wait_for_function(f"() => document.querySelectorAll('#field-place-{b} .field-thumbs li[data-sent=true] img').length === 2")
    assert card(page, b).locator(".field-photos-sent").inner_text() == "已上传照片 2 张"

    # the same client ids sent again (an answer lost on the way) change nothing
    for fid in (a, b, c):
        body = {"result": results[fid]["result"], "client_id": results[fid]["client_id"], "category": "乱堆乱放"}
        status, row = call(server, "POST", f"/api/inspections/{DAY}/{fid}", body)
        assert status == 200 and row["result"]["client_id"] == results[fid]["client_id"]
    again = resend_photo(server, la, a, at_a[0]["client_id"], jpeg((40, 120, 40)))
    assert again["photo"]["id"] == at_a[0]["id"]
    assert store.revision() == revision + 5 and results_of(server) == results
    assert photos_of(store.get(la, a)) == at_a
    assert log.outside == []
    assert [e for e in log.console_errors if "ERR_INTERNET_DISCONNECTED" not in e] == []
    page.context.close()


def test_a_place_changed_by_a_planner_meanwhile_is_told_to_the_inspector_and_the_desk(browser, server):
    page, log = sign_in(browser, server)
    page.wait_for_selector("html[data-field-offline-ready]", state="attached")
    target, taken = server.places[1], server.places[2]
    page.context.set_offline(True)
    record_on_phone(page, target["id"], "ok", notes="已看过")
    record_on_phone(page, taken["id"], "ok")
    queued(page, 2)
    status, changed = call(server, "PATCH", f"/api/layers/{target['layer']}/features/{target['id']}",
                           {"properties": {"unit": "区城管局"}, "version": target["version"]}, who=PLANNER)
    assert status == 200, changed
    status, _ = call(server, "POST", f"/api/inspections/{DAY}/{taken['id']}", {"result": "ok"}, who=PLANNER)
    assert status == 201  # the desk recorded the other place meanwhile

    page.context.set_offline(False)
    queued(page, 0)
    notice = card(page, target["id"]).locator(".field-changed")
    notice.wait_for()
    assert notice.inner_text().startswith("离线期间地点已被修改:规划王 (planner1) 于 2026-11-24 16:00 改为第")
    props = server.app.extensions["guatu"].store.get(target["layer"], target["id"])["properties"]
    assert props["unit"] == "区城管局"  # the planner's change stands
    # the place the desk recorded first keeps the desk's result; the phone's is refused and the card says why
    page.wait_for_function("(fid) => document.querySelector(`#field-place-${fid} .field-outcome`).dataset.kind === 'refused'"
                           " && document.querySelector(`#field-place-${fid} .field-outcome`).textContent.startsWith('已记录')",
                           arg=taken["id"])  # once the list is read again after the queue emptied
    told = card(page, taken["id"]).locator(".field-outcome")
    assert told.inner_text().startswith("已记录:正常 16:00(规划王 (planner1))")
    assert told.locator(".field-refused").inner_text() == (
        f"未能记录:{taken['id']} 已于 {DAY} 由 规划王 (planner1) 督导过")
    assert results_of(server)[taken["id"]]["inspector"] == "规划王 (planner1)"

    desk, _ = open_phone_page(browser, server.url, "/login?next=/inspections")
    desk.fill("input[name=username]", PLANNER[0])
    desk.fill("input[name=password]", PLANNER[1])
    desk.click("button[type=submit]")
    desk.wait_for_url("**/inspections")
    row = desk.locator(f"#place-{target['id']}")
    assert row.locator(".changed-meanwhile").inner_text() == "离线期间地点已被修改"
    assert desk.locator(".changed-meanwhile").count() == 1
    assert log.outside == []
    desk.context.close()
    page.context.close()


def test_what_was_queued_before_signing_in_again_is_sent_with_the_new_session_not_dropped(browser, server):
    page, log = sign_in(browser, server)
    page.wait_for_selector("html[data-field-offline-ready]", state="attached")
    a, la = server.places[0]["id"], server.places[0]["layer"]
    page.context.set_offline(True)
    page.wait_for_function("() => document.querySelector('[data-field-net]').textContent === '离线'")
    record_on_phone(page, a, "ok", notes="门前干净")
    attach_on_phone(page, a, ("gate.jpg", jpeg((40, 120, 40))))
    queued(page, 2)

    # meanwhile the inspector signed in again (another tab, or after the session ran out): a new session with its
    # own CSRF token, which this page, loaded before, does not know
    login = page.context.request.get(server.url + "/login")
    token = login.text().split('name="csrf_token" value="')[1].split('"')[0]
    signed = page.context.request.post(server.url + "/login", form={
        "csrf_token": token, "username": EDITOR[0], "password": EDITOR[1]}, max_redirects=0)
    assert signed.status == 302

    page.context.set_offline(False)
    queued(page, 0)
    assert results_of(server)[a]["notes"] == "门前干净"
    store = server.app.extensions["guatu"].store
    assert [p["role"] for p in photos_of(store.get(la, a))] == ["inspection"]
    assert card(page, a).locator(".field-outcome").inner_text().startswith("已记录:正常")
    assert log.outside == []
    page.context.close()


def test_a_session_ended_while_offline_keeps_the_queue_and_shows_the_way_to_sign_in_again(browser, server):
    page, log = sign_in(browser, server)
    page.wait_for_selector("html[data-field-offline-ready]", state="attached")
    a = server.places[0]["id"]
    page.context.set_offline(True)
    page.wait_for_function("() => document.querySelector('[data-field-net]').textContent === '离线'")
    record_on_phone(page, a, "ok", notes="门前干净")
    attach_on_phone(page, a, ("gate.jpg", jpeg((40, 120, 40))))
    queued(page, 2)
    page.context.clear_cookies()  # the session ran out meanwhile

    page.context.set_offline(False)
    page.wait_for_selector("[data-field-note] a.field-sign-in")
    assert page.locator("[data-field-note]").inner_text().startswith("登录已失效:待上传的记录仍保存在本机")
    assert queue_text(page) == "待上传 2" and results_of(server)[a] is None
    page.locator("a.field-sign-in").tap()
    page.fill("input[name=username]", EDITOR[0])
    page.fill("input[name=password]", EDITOR[1])
    page.click("button[type=submit]")
    page.wait_for_url("**/field/?date=*")
    queued(page, 0)
    assert results_of(server)[a]["notes"] == "门前干净"
    assert page.locator("[data-field-note]").is_hidden()
    assert log.outside == []
    page.context.close()


def test_the_phone_map_shows_the_route_in_order_with_its_direction(browser, server):
    page, log = sign_in(browser, server)
    assert page.viewport_size["width"] == 390
    drawn = page.evaluate("""() => { const v = window.guatuPage.field.view;
        const points = v.route.getLatLngs().map(ll => v.map.latLngToLayerPoint(ll));
        const numbers = v.markers.getLayers().map(m => Number(m.getElement().textContent));
        const arrows = [...document.querySelectorAll('.field-route-arrow')].map(a => {
            const m = new DOMMatrix(getComputedStyle(a).transform);
            const r = a.getBoundingClientRect();
            return {leg: Number(a.dataset.leg), angle: Math.atan2(m.b, m.a) * 180 / Math.PI, w: r.width};
        });
        const legs = points.slice(1).map((p, i) => Math.atan2(p.y - points[i].y, p.x - points[i].x) * 180 / Math.PI);
        return {numbers, arrows, legs, stops: points.length}; }""")
    # the numbers on the map are the route's order, the cards' order
    assert drawn["numbers"] == list(range(1, len(server.places) + 1)) and drawn["stops"] == len(server.places)
    cards = page.eval_on_selector_all(".field-card .field-order", "nodes => nodes.map(n => Number(n.textContent))")
    assert cards == drawn["numbers"]
    # each arrow sits on a leg and points along it, from the lower number to the higher
    assert drawn["arrows"]
    for arrow in drawn["arrows"]:
        assert arrow["angle"] == pytest.approx(drawn["legs"][arrow["leg"] - 1], abs=0.5)
        assert arrow["w"] >= 8
    assert log.outside == [] and log.console_errors == []
    page.context.close()


def test_the_cards_are_drawn_before_leaflet_comes_and_work_without_it(browser, server):
    """Leaflet is only the map's: on a slow signal the day's list is shown, and results are recorded and sent,
    while it is still on its way; the map comes when it has run; a phone that cannot load it keeps its cards, its
    map's box saying why it is empty."""
    page, _ = sign_in(browser, server)
    signed_in = page.context.storage_state()
    page.context.close()
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="zh-CN",
                                  storage_state=signed_in, service_workers="block")  # (every request seen here)
    held = []
    context.route("**/vendor/leaflet/leaflet.js", lambda route: held.append(route))
    page = context.new_page()
    errors = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.goto(server.url + "/field/", wait_until="commit")
    page.wait_for_selector("html[data-field-list-shown]", state="attached")
    assert len(held) == 1  # asked for, not answered yet
    assert page.eval_on_selector_all(".field-card", "cards => cards.map(c => c.dataset.id)") == [
        p["id"] for p in server.places]
    first = server.places[0]
    record_on_phone(page, first["id"], "ok")
    page.wait_for_function(f"() => document.querySelector('#field-place-{first['id']} .field-outcome')"
                           ".textContent.startsWith('已记录')")
    assert results_of(server)[first["id"]]["result"] == "ok"  # sent while the map is still to come
    assert page.evaluate("() => [!!window.L, document.documentElement.dataset.fieldReady || null]") == [False, None]
    held[0].continue_()
    page.wait_for_selector("html[data-field-ready]", state="attached")
    assert page.evaluate("() => window.guatuPage.field.view.markers.getLayers().length") == len(server.places)
    assert page.locator(".field-map-note").count() == 0

    context.unroute("**/vendor/leaflet/leaflet.js")
    context.route("**/vendor/leaflet/leaflet.js", lambda route: route.abort())
    page.reload(wait_until="commit")
    page.wait_for_selector("html[data-field-ready]", state="attached")
    assert page.locator(".field-card").count() == len(server.places)
    assert page.locator("#field-map .field-map-note").inner_text() == "地图未能加载,清单和记录照常可用;联网后重新打开本页可显示地图。"
    assert page.locator("[data-field-note]").is_hidden()  # (the page's own note is left to the list and the queue)
    assert page.evaluate("() => window.guatuPage.field.view") is None
    second = server.places[1]["id"]
    record_on_phone(page, second, "ok")  # recording works without the map
    page.wait_for_function(f"() => document.querySelector('#field-place-{second} .field-outcome')"
                           ".textContent.startsWith('已记录')")
    assert results_of(server)[second]["result"] == "ok"
    assert errors == ["Failed to load resource: net::ERR_FAILED"]  # the refused file, as the browser logs it: no more
    context.close()
