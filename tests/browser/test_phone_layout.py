"""Every page on a phone (390×844, touch) and a tablet (768 px), in a real Chromium.

No page scrolls sideways, every link, button and form control is a 44 px target (a checkbox by its label),
no text is under 12 px and pinch-zoom is allowed (tests/browser/phone_audit.py measures it). The editor shows
a full-width map with its panel as a bottom sheet raised by a tap; a place's inspection result form fits on
the screen; a place's card on the wall can be read. A new page is one line in PAGES.
"""

from __future__ import annotations

import base64
import io
import json
import urllib.request
from urllib.parse import quote, urlsplit

import pytest

from geo.config import load_campaign
from geo.photos import add_photo
from geo.store import open_store
from tests.browser.harness import copy_demo, live_server, open_page, wait_ready
from tests.browser.phone_audit import audit, problems
from tests.photos.images import jpeg

PHONE = {"width": 390, "height": 844}
TABLET = {"width": 768, "height": 1024}
PASSWORD = "a long password"
USERS = {"admin1": "admin", "planner1": "editor", "viewer1": "viewer"}
DAY = "2026-11-24"  # the test clock's day (tests/conftest.py FakeClock)
PERSON = "孙宏伟"  # a community head with places in the demo
MAP_PAGES = ("/", "/wall", "/wall/playback", "/edit")  # pages drawn by their scripts: wait until ready

# (path, who is logged in): None opens the page without logging in
PAGES = [
    ("/login", None),
    ("/account", "viewer1"),
    ("/admin", "admin1"),
    (f"/mine?person={quote(PERSON)}", "viewer1"),
    (f"/mine?person={quote(PERSON)}&limit=5&offset=5", "viewer1"),  # a page between two: both page links
    ("/inspections", "planner1"),
    ("/cases", "planner1"),
    ("/cases/courtyards/c-0001/c-0001-p1", "planner1"),
    ("/field/", "planner1"),
    ("/report", None),
    ("/reports", "planner1"),
    ("/reports/daily", "viewer1"),
    ("/edit", "planner1"),
    ("/import", "planner1"),
    ("/export", "viewer1"),
    ("/places/courtyards/c-0001/history", "planner1"),
    ("/ogc?f=html", "viewer1"),
    ("/ogc/conformance?f=html", None),
    ("/ogc/api?f=html", "viewer1"),
    ("/ogc/collections?f=html", "viewer1"),
    ("/ogc/collections/courtyards?f=html", "viewer1"),
    ("/ogc/collections/courtyards/queryables?f=html", "viewer1"),
    ("/ogc/collections/courtyards/items?f=html", "viewer1"),
    ("/ogc/collections/courtyards/items/c-0001?f=html", "viewer1"),
    ("/", "planner1"),
    ("/wall", "planner1"),
    ("/wall/playback", "planner1"),
]


def _call(server, method: str, path: str, body: dict) -> dict:
    auth = base64.b64encode(f"planner1:{PASSWORD}".encode()).decode()
    req = urllib.request.Request(server.url + path, method=method, data=json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json", "Authorization": f"Basic {auth}"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.loads(resp.read())


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The demo behind a login, with an admin, a planner and a viewer, today's list of ten drawn (the first
    place already inspected) so /inspections shows its route sheet, and c-0001 with photos before and after
    its first problem (thumbnails on its card, in the editor and its history)."""
    data = copy_demo(tmp_path_factory.mktemp("phone") / "data")
    store = open_store(data, load_campaign(data))
    for role, colour in (("before", (200, 40, 30)), ("after", (30, 60, 200))):
        add_photo(store, "courtyards", "c-0001", io.BytesIO(jpeg(640, 480, colour=colour)), user="督导组",
                  role=role, problem="c-0001-p1")
    store.close()
    with live_server(data, GUATU_PUBLIC_VIEW=False) as s:
        for user, role in USERS.items():
            s.app.extensions["guatu_accounts"].create_user(user, PASSWORD, role)
        places = _call(s, "POST", f"/api/inspections/{DAY}", {"count": 10, "seed": 7})["places"]
        _call(s, "POST", f"/api/inspections/{DAY}/{places[0]['id']}", {"result": "ok", "notes": "道路干净"})
        yield s


def visit(browser, server, path: str, user: str | None, size: dict = PHONE):
    """`path` on a touch screen of `size`, logged in as `user` through the login page like a person."""
    page, log = open_page(browser, server.url, f"/login?next={quote(path)}" if user else path, touch=True, **size)
    if user:
        page.fill("input[name=username]", user)
        page.fill("input[name=password]", PASSWORD)
        page.tap("button[type=submit]")
        page.wait_for_url(lambda url: urlsplit(url).path == urlsplit(path).path)
    if urlsplit(path).path in MAP_PAGES:
        wait_ready(page)
    return page, log


def assert_usable(page, log) -> dict:
    found = audit(page)
    assert problems(found) == {}
    assert found["targets"] > 0 and found["texts"] > 0  # the audit saw the page
    assert log.outside == []
    return found


@pytest.mark.parametrize(("path", "user"), PAGES, ids=[p for p, _ in PAGES])
def test_every_page_is_usable_on_a_phone(browser, server, path, user):
    page, log = visit(browser, server, path, user)
    assert urlsplit(page.url).path == urlsplit(path).path  # the page itself, not a login or an error
    assert_usable(page, log)
    page.context.close()


@pytest.mark.parametrize("path", ["/admin", "/inspections", "/edit", "/ogc/collections/courtyards/items?f=html", "/wall"])
def test_pages_are_usable_on_a_tablet(browser, server, path):
    page, log = visit(browser, server, path, "admin1" if path == "/admin" else "planner1", TABLET)
    assert_usable(page, log)
    page.context.close()


def test_the_audit_finds_what_a_phone_suffers(browser, server):
    """The measure itself: a page with a locked zoom, a too-wide box, a bare 13 px checkbox and 10 px text."""
    page, log = open_page(browser, server.url, "/login", touch=True, **PHONE)
    page.goto("about:blank")  # a page of no server's: none of its security headers
    page.set_content("""<html><head><meta name="viewport" content="width=device-width, maximum-scale=1, user-scalable=no">
        </head><body><div style="width: 600px">宽</div><input type="checkbox" id="tiny">
        <label style="display: block; min-height: 50px"><input type="checkbox" id="wrapped"> 勾选</label>
        <p style="font-size: 10px">小字</p></body></html>""")
    found = problems(audit(page))
    assert found["overflow"] >= 600 - PHONE["width"]
    assert [t.split(" ")[0] for t in found["small_targets"]] == ["input#tiny"]  # the wrapped one has its label
    assert any("小字" in t for t in found["small_text"])
    assert found["zoom_locked"]
    page.context.close()


def test_the_editor_is_a_full_width_map_with_a_bottom_sheet_raised_by_touch(browser, server):
    page, log = visit(browser, server, "/edit", "planner1")
    box = page.evaluate("() => { const r = guatuPage.editors[0].map.getContainer().getBoundingClientRect();"
                        " return {width: r.width, height: r.height, left: r.left}; }")
    assert box["left"] == 0 and box["width"] == PHONE["width"] and box["height"] > PHONE["height"] / 2
    panel = page.locator(".guatu-edit-panel")
    handle = page.locator(".guatu-sheet-handle")
    lowered = panel.bounding_box()
    assert lowered["width"] == PHONE["width"] and lowered["height"] < 80  # the lowered sheet is its handle
    assert lowered["y"] + lowered["height"] == pytest.approx(PHONE["height"], abs=1)
    assert handle.get_attribute("aria-expanded") == "false"

    handle.tap()
    page.wait_for_function("() => document.querySelector('.guatu-edit-panel').getBoundingClientRect().height"
                           " > innerHeight * 0.6")
    assert handle.get_attribute("aria-expanded") == "true"
    tool = page.locator("button[data-action=box]")
    tool_box = tool.bounding_box()
    assert tool.is_visible() and tool_box["y"] + tool_box["height"] <= PHONE["height"]  # the tools are reachable
    tool.tap()  # box-select: the sheet steps down so the finger can draw the box on the map
    page.wait_for_function("() => document.querySelector('.guatu-edit-panel').getBoundingClientRect().height < 80")
    assert handle.get_attribute("aria-expanded") == "false"
    handle.tap()  # and comes up again with the hint
    page.wait_for_function("() => document.querySelector('.guatu-edit-panel').getBoundingClientRect().height"
                           " > innerHeight * 0.6")
    message = page.locator(".guatu-edit-panel .message").bounding_box()
    assert message["y"] >= 0 and message["y"] + message["height"] <= PHONE["height"]

    handle.tap()
    page.wait_for_function("() => document.querySelector('.guatu-edit-panel').getBoundingClientRect().height < 80")
    assert handle.get_attribute("aria-expanded") == "false"

    # dragged up by a finger (pointer events) it settles raised
    h = handle.bounding_box()
    x, y = h["x"] + h["width"] / 2, h["y"] + h["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, 6):
        page.mouse.move(x, y - step * 80)
    page.mouse.up()
    page.wait_for_function("() => document.querySelector('.guatu-edit-panel').getBoundingClientRect().height"
                           " > innerHeight * 0.6")
    assert handle.get_attribute("aria-expanded") == "true"
    assert log.outside == [] and log.console_errors == []
    page.context.close()


def test_selecting_a_place_in_the_editor_raises_its_form(browser, server):
    page, log = visit(browser, server, "/edit", "planner1")
    x, y = page.evaluate("""() => {
        const ed = guatuPage.editors[0], layer = ed.byId['c-0001'];
        ed.map.fitBounds(layer.getBounds(), {maxZoom: 17, animate: false});
        const p = ed.map.latLngToContainerPoint(layer.getBounds().getCenter());
        return [p.x, p.y];
    }""")
    page.touchscreen.tap(x, y)
    page.wait_for_selector("form.attrs h2:has-text('c-0001')")
    page.wait_for_function("() => document.querySelector('.guatu-edit-panel').getBoundingClientRect().height"
                           " > innerHeight * 0.6")
    save = page.locator("button[data-action=save]")
    save.scroll_into_view_if_needed()
    box = save.bounding_box()
    assert 0 <= box["y"] and box["y"] + box["height"] <= PHONE["height"] and box["height"] >= 44
    assert_usable(page, log)
    page.context.close()


def test_a_place_result_form_fits_the_phone_screen(browser, server):
    page, log = visit(browser, server, "/inspections", "planner1")
    cards = page.locator("table.route-sheet tbody tr")
    assert cards.count() == 10
    form = page.locator("form.result-form").first
    form.scroll_into_view_if_needed()
    box = form.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert box["height"] <= PHONE["height"] / 2  # the whole form, with room for its place's name above it
    checkbox = form.locator("label:has(input[name=fixed])").bounding_box()
    assert checkbox["height"] >= 44 and checkbox["width"] >= 44
    # one card each: ten places run about five screens, not the table's 8.6
    assert page.evaluate("() => document.documentElement.scrollHeight") < 6 * PHONE["height"]

    place = form.locator("xpath=ancestor::tr").get_attribute("id")
    form.locator("select[name=result]").select_option("problem")
    form.locator("select[name=category]").select_option(index=1)
    form.locator("input[name=notes]").fill("墙面小广告")
    form.locator("button[type=submit]").tap()
    page.wait_for_selector(f"tr#{place} td.result strong")
    assert "墙面小广告" in page.locator(f"tr#{place} td.result").inner_text()
    assert_usable(page, log)
    page.context.close()


@pytest.mark.parametrize("path", ["/", "/wall"])
def test_a_place_card_can_be_read_on_a_phone(browser, server, path):
    page, log = visit(browser, server, path, "planner1")
    page.evaluate("() => window.guatuPage.walls[0].select('courtyards', 'c-0001')")
    page.wait_for_function("() => document.querySelector('.guatu-place-card').dataset.id === 'c-0001' "
                           "&& !document.querySelector('.guatu-card-loading')")
    card = page.locator(".guatu-place-card")
    box = card.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert box["height"] >= PHONE["height"] / 3  # room to read it, the legend stepped aside
    assert page.locator(".guatu-legend").is_hidden()
    assert "大学路51号院" in card.inner_text()
    assert card.locator(".guatu-photo-thumb").count() == 2  # its photos are measured too
    assert_usable(page, log)
    page.locator(".guatu-card-close").tap()
    page.wait_for_selector(".guatu-legend", state="visible")
    page.context.close()


def test_the_import_preview_is_usable_on_a_phone(browser, server, tmp_path):
    """The preview report (a wide table, the 'skip the rejected' checkbox) after a file chosen on the phone."""
    layer = json.loads((copy_demo(tmp_path / "demo") / "layers" / "courtyards.geojson").read_text(encoding="utf-8"))
    changed, rejected = layer["features"][0], layer["features"][1]
    changed["properties"]["notes"] = "手机上导入的说明"
    rejected["properties"]["status"] = "不存在的状态"
    upload = tmp_path / "courtyards.geojson"
    upload.write_text(json.dumps({"type": "FeatureCollection", "features": [changed, rejected]}, ensure_ascii=False),
                      encoding="utf-8")
    page, log = visit(browser, server, "/import", "planner1")
    page.set_input_files("input[name=file]", upload)
    page.tap("form.stacked button[type=submit]")
    page.wait_for_selector("#import-report")
    assert page.locator("input[name=skip_rejected]").count() == 1
    assert_usable(page, log)
    page.context.close()


def test_a_new_token_is_shown_usably_on_a_phone(browser, server):
    page, log = visit(browser, server, "/account", "viewer1")
    page.fill("#create-token input[name=name]", "手机")
    page.fill("#create-token input[name=current]", PASSWORD)
    page.tap("#create-token button[type=submit]")
    page.wait_for_selector("input.secret")
    assert page.locator("input.secret").input_value().startswith("gt_")
    assert_usable(page, log)
    page.context.close()


def test_before_and_after_are_stacked_on_a_phone(browser, server):
    """整治前 above 整治后: two slivers side by side would show nothing."""
    page, log = visit(browser, server, "/wall/playback?from=2026-11-10&to=2026-11-18&mode=compare", "planner1")
    page.wait_for_selector("html[data-guatu-playback-ready='true']", state="attached", timeout=30_000)
    boxes = page.evaluate("""() => window.guatuPage.walls.map(w => {
        const r = w.map.getContainer().getBoundingClientRect();
        return {left: r.left, top: r.top, width: r.width, height: r.height};
    })""")
    assert [(b["left"], b["width"]) for b in boxes] == [(0, PHONE["width"])] * 2
    assert boxes[0]["height"] > 300 and boxes[1]["top"] >= boxes[0]["top"] + boxes[0]["height"] - 1
    assert boxes[1]["top"] + boxes[1]["height"] <= PHONE["height"] + 1
    # the two halves show the same place at the same scale: Leaflet follows a move in whole pixels
    # (a setView within the screen is a pan by the truncated offset), so "the same" is within one pixel
    zooms, apart = page.evaluate("""() => {
        const [a, b] = window.guatuPage.walls.map(w => w.map);
        const pa = a.project(a.getCenter(), a.getZoom()), pb = a.project(b.getCenter(), a.getZoom());
        return [[a.getZoom(), b.getZoom()], Math.max(Math.abs(pa.x - pb.x), Math.abs(pa.y - pb.y))];
    }""")
    assert zooms[0] == zooms[1] and apart < 1
    assert "整治前" in page.locator(".guatu-playback-before").inner_text()
    assert "整治后" in page.locator(".guatu-playback-after").inner_text()
    assert_usable(page, log)
    page.context.close()
