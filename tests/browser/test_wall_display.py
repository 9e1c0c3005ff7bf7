"""The command-room wall map (/wall) in a real Chromium, offline: bookmarks, live updates, marks, search, tokens."""

from __future__ import annotations

import base64
import json
import time
import urllib.request
from datetime import UTC, datetime

import pytest

from geo.config import load_campaign
from geo.store import open_store
from geo.wall.state import feature_state
from tests.browser.harness import copy_demo, live_server, open_page, wait_ready

NOW = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)  # 16:00 in Zhengzhou, the demo's "today"
EDITOR = ("editor1", "correct horse battery")

# Where a place's pixel is read: the place's interior point, on the places' canvas.
PIXEL_AT = """([fid, zoom]) => {
    const wall = window.guatuPage.walls[0];
    const layer = wall.byId[fid];
    if (zoom) wall.map.setView(layer.guatuLabel, zoom, {animate: false});
    wall.renderers.features._update(); wall.renderers.features._redraw();
    const canvas = wall.renderers.features._container;
    const rect = canvas.getBoundingClientRect();
    const box = wall.map.getContainer().getBoundingClientRect();
    const p = wall.map.latLngToContainerPoint(layer.guatuLabel);
    const x = Math.round((p.x + box.left - rect.left) * canvas.width / rect.width);
    const y = Math.round((p.y + box.top - rect.top) * canvas.height / rect.height);
    return Array.from(canvas.getContext('2d').getImageData(x, y, 1, 1).data);
}"""


VIEW = "() => { const m = window.guatuPage.walls[0].map; const c = m.getCenter(); return [c.lat, c.lng, m.getZoom()]; }"


def fixed_clock() -> datetime:
    return NOW


@pytest.fixture(scope="module")
def campaign_dir(tmp_path_factory):
    return copy_demo(tmp_path_factory.mktemp("walldisplay") / "data")


@pytest.fixture(scope="module")
def server(campaign_dir):
    with live_server(campaign_dir, GUATU_CLOCK=fixed_clock, GUATU_REFRESH_SECONDS=2) as s:
        s.app.extensions["guatu_accounts"].create_user(EDITOR[0], EDITOR[1], "editor", "李编")
        yield s


def places(campaign_dir) -> dict[str, tuple[str, dict, tuple]]:
    """id -> (layer, properties, state item) as the server derives them now."""
    campaign = load_campaign(campaign_dir)
    store = open_store(campaign_dir, campaign)
    index = {c: i for i, c in enumerate(campaign.categories)}
    return {f["id"]: (layer.id, f["properties"], feature_state(f["properties"], campaign, NOW, index).as_row())
            for layer in campaign.layers for f in store.features(layer.id)}


def drawn(page) -> dict[str, str]:
    return page.evaluate("""() => {
        const wall = window.guatuPage.walls[0], out = {};
        for (const group of Object.values(wall.layers)) {
            group.eachLayer(l => { out[l.feature.id] = l.options.fillColor || l.options.color; });
        }
        return out;
    }""")


def call(server, method: str, path: str, body: dict | None, user=EDITOR) -> dict:
    auth = base64.b64encode(f"{user[0]}:{user[1]}".encode()).decode()
    req = urllib.request.Request(server.url + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json", "Authorization": f"Basic {auth}"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.loads(resp.read())


def colour(campaign_dir, status: str) -> str:
    return load_campaign(campaign_dir).status(status).color


def rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))


def close(pixel, hex_colour: str, tolerance: int = 3) -> bool:
    return pixel[3] > 128 and all(abs(a - b) <= tolerance for a, b in zip(pixel, rgb(hex_colour)))


def test_a_bookmarked_wall_url_filters_themes_and_positions_the_map_without_zoom_buttons(browser, server, campaign_dir):
    url = "/wall?street=大学路街道&status=pending,in_progress,relapsed&theme=dark&view=34.728,113.668,15&title=大学路指挥部"
    page, log = open_page(browser, server.url, url, width=1920, height=1080)
    wait_ready(page)
    everything = places(campaign_dir)
    want = {fid for fid, (_, props, st) in everything.items()
            if props.get("street") == "大学路街道" and st[0] in ("pending", "in_progress", "relapsed")}
    shown = drawn(page)
    assert want and set(shown) == want
    drawn_as = page.evaluate("() => window.guatuPage.walls[0].colours")  # the dark theme's (反弹 lighter)
    assert all(shown[fid] == drawn_as[everything[fid][2][0]] for fid in shown)
    assert page.locator(".leaflet-control-zoom").count() == 0
    assert page.locator("html[data-theme='dark']").count() == 1
    background = page.evaluate("() => getComputedStyle(window.guatuPage.walls[0].map.getContainer()).backgroundColor")
    assert background == "rgb(13, 17, 23)"
    assert page.evaluate(VIEW) == pytest.approx([34.728, 113.668, 15], abs=1e-6)
    assert page.locator(".guatu-title h1").inner_text() == "大学路指挥部"
    assert "大学路街道" in page.locator(".guatu-title").inner_text()
    page.locator(".guatu-dashboard .guatu-dash-pct").wait_for()
    assert page.locator(".guatu-dashboard").is_visible()
    assert log.outside == [] and log.console_errors == []
    page.context.close()

    page, log = open_page(browser, server.url, "/wall?category=飞线充电&dashboard=0&refresh=0", width=1600, height=1000)
    wait_ready(page)
    index = load_campaign(campaign_dir).categories.index("飞线充电")
    assert set(drawn(page)) == {fid for fid, (_, _, st) in everything.items() if len(st) > 5 and index in st[5]}
    assert page.locator(".guatu-dashboard").count() == 0
    assert page.locator("html[data-theme='light']").count() == 1
    assert log.outside == [] and log.console_errors == []
    page.context.close()

    desk, log = open_page(browser, server.url, "/", width=1600, height=1000)
    wait_ready(desk)
    assert desk.locator(".leaflet-control-zoom").count() == 1  # the desk view keeps its zoom buttons
    desk.context.close()


def test_a_status_change_through_the_api_recolours_every_open_wall_within_5_seconds(browser, server, campaign_dir):
    pages = []
    for _ in range(2):  # two screens
        page, log = open_page(browser, server.url, "/wall?refresh=4", width=1600, height=1000)  # the default interval
        wait_ready(page)
        page.evaluate("() => { window.__sameMap = window.guatuPage.walls[0].map; }")
        pages.append((page, log))
    everything = places(campaign_dir)
    fid, (layer, props, st) = next((k, v) for k, v in everything.items() if v[2][0] == "pending" and v[0] == "courtyards")
    other, (_, other_props, _) = next((k, v) for k, v in everything.items()
                                      if v[2][0] == "in_progress" and v[0] == "courtyards" and k != fid)
    page0 = pages[0][0]
    page0.evaluate("(fid) => { const w = window.guatuPage.walls[0]; w.map.setView(w.byId[fid].guatuLabel, 17, {animate: false}); }", fid)
    views = [p.evaluate(VIEW) for p, _ in pages]
    assert close(page0.evaluate(PIXEL_AT, [fid, 0]), colour(campaign_dir, "pending"))

    deadline = time.monotonic() + 5  # every screen, counted from the first change
    call(server, "PATCH", f"/api/layers/{layer}/features/{fid}", {"version": props["version"], "properties": {"status": "accepted"}})
    result = call(server, "POST", "/api/layers/courtyards/status", {"status": "relapsed", "features": {other: other_props["version"]}})
    revision = result["revision"]
    for page, _ in pages:
        page.wait_for_selector(f"html[data-guatu-revision='{revision}']", state="attached",
                               timeout=max(1, (deadline - time.monotonic()) * 1000))

    for (page, log), before in zip(pages, views):
        shown = drawn(page)
        assert shown[fid] == colour(campaign_dir, "accepted") and shown[other] == colour(campaign_dir, "relapsed")
        assert page.evaluate("() => window.__sameMap === window.guatuPage.walls[0].map")  # not reloaded
        assert page.evaluate(VIEW) == pytest.approx(before, abs=1e-9)  # the view did not move
        page.wait_for_selector(f"html[data-guatu-flash~='{fid}']", state="attached", timeout=2000)  # it flashes
        assert page.locator("path.guatu-flash").count() >= 1
        assert log.console_errors == [] and log.outside == []
    # read back from the canvas, at the view the screen kept
    assert close(page0.evaluate(PIXEL_AT, [fid, 0]), colour(campaign_dir, "accepted"))
    # status-only changes never refetch shapes: each screen drew the shapes its page carried, and fetched none
    for page, log in pages:
        shape_requests = [u for u in log.requests if "/api/wall/shapes/" in u and "part=attributes" not in u]
        assert shape_requests == [], shape_requests
        polls = [u for u in log.requests if "/api/wall/state?since=" in u]
        assert polls
        page.context.close()


def test_overdue_and_overnight_places_are_marked_without_hiding_their_status_colour(browser, server, campaign_dir):
    page, log = open_page(browser, server.url, "/wall?refresh=0", width=1600, height=1000)
    wait_ready(page)
    everything = places(campaign_dir)
    overdue = {fid for fid, (_, _, st) in everything.items() if st[1]}
    overnight = {fid for fid, (_, _, st) in everything.items() if st[2]}
    assert overdue and overnight and overdue != overnight
    marks = page.evaluate("() => { const w = window.guatuPage.walls[0]; return [Object.keys(w.halos), Object.keys(w.dots)]; }")
    assert set(marks[0]) == overdue and set(marks[1]) == overnight

    fid = sorted(overdue & overnight)[0]
    status = everything[fid][2][0]
    pixels = page.evaluate("""(fid) => {
        const wall = window.guatuPage.walls[0];
        const layer = wall.byId[fid];
        wall.map.fitBounds(layer.getBounds(), {animate: false, maxZoom: 18, padding: [200, 200]});
        const read = (canvas, latlng, dx, dy) => {
            const rect = canvas.getBoundingClientRect(), box = wall.map.getContainer().getBoundingClientRect();
            const p = wall.map.latLngToContainerPoint(latlng);
            const x = Math.round((p.x + dx + box.left - rect.left) * canvas.width / rect.width);
            const y = Math.round((p.y + dy + box.top - rect.top) * canvas.height / rect.height);
            return Array.from(canvas.getContext('2d').getImageData(x, y, 1, 1).data);
        };
        for (const r of Object.values(wall.renderers)) { if (r._redraw) { r._update(); r._redraw(); } }
        // just outside the place's northern edge, half way along it
        const b = layer.getBounds();
        const north = layer.getLatLngs()[0].reduce((a, c) => c.lat > a.lat ? c : a);
        return {
            fill: read(wall.renderers.features._container, layer.guatuLabel, 12, 12),
            ring: read(wall.renderers.features._container, north, 0, -2),  // drawn under the fills, same canvas: a thin band
            dot: read(wall.renderers.overnight._container, wall.dots[fid], 0, -wall.renderers.overnight.options.radius),
            hole: read(wall.renderers.overnight._container, wall.dots[fid], 0, 0),
            b: [b.getNorth(), b.getSouth()],
        };
    }""", fid)
    assert close(pixels["fill"], colour(campaign_dir, status))  # the status colour stays whole
    assert close(pixels["ring"], "#d4006a", tolerance=40)  # the magenta ring shows around it
    assert min(pixels["dot"][:3]) >= 200 and pixels["dot"][3] > 200  # the white overnight ring ...
    assert pixels["hole"][3] == 0  # ... is hollow: the status colour shows through
    opacity_is = "(v) => getComputedStyle(document.querySelector('.leaflet-guatu-overnight-pane')).opacity === v"
    for shown in ("0.3", "1", "0.3"):  # the dots blink: dimmed, whole again, dimmed
        page.wait_for_function(opacity_is, arg=shown, timeout=5_000)
    legend = page.locator(".guatu-legend").inner_text()
    assert "逾期" in legend and "过夜" in legend and "闪烁" in legend
    assert page.locator(".guatu-legend-overdue .guatu-legend-count").inner_text() == str(len(overdue))
    assert page.locator(".guatu-legend-overnight .guatu-legend-count").inner_text() == str(len(overnight))
    assert log.console_errors == [] and log.outside == []
    page.context.close()


# The overnight rings drawn at a zoom: [[x, y] of each copy drawn], and [x, y] of each ring's top left corner in view.
RINGS_AT = """(zoom) => {
    const wall = window.guatuPage.walls[0], r = wall.renderers.overnight;
    wall.map.setZoom(zoom, {animate: false});
    r._update();
    const drawn = [], ctx = r._ctx, draw = ctx.drawImage;
    ctx.drawImage = function (image, x, y) { drawn.push([x, y]); return draw.apply(this, arguments); };
    r._redraw();
    ctx.drawImage = draw;
    const view = r._bounds, half = r._half, marks = [];
    for (const at of Object.values(wall.dots)) {
        const p = wall.map.latLngToLayerPoint(at);
        const x = Math.round(p.x) - half, y = Math.round(p.y) - half;
        if (x <= view.max.x && x + 2 * half >= view.min.x && y <= view.max.y && y + 2 * half >= view.min.y) marks.push([x, y]);
    }
    return {drawn, marks, half};
}"""


def test_rings_piled_on_one_spot_are_drawn_once_and_every_ring_still_shows(browser, server):
    page, log = open_page(browser, server.url, "/wall?refresh=0", width=1600, height=1000)
    wait_ready(page)
    near = page.evaluate(RINGS_AT, 16)  # close in: the rings lie apart, each drawn
    assert near["marks"] and sorted(near["drawn"]) == sorted(near["marks"])
    far = page.evaluate(RINGS_AT, 10)  # the district a few hundred pixels across: rings pile up
    assert len(far["marks"]) > len(far["drawn"]) > 0
    reach = far["half"]  # half a ring's size: a ring not drawn lies under one that is
    for x, y in far["marks"]:
        assert any(abs(x - dx) <= reach and abs(y - dy) <= reach for dx, dy in far["drawn"]), (x, y)
    assert log.console_errors == [] and log.outside == []
    page.context.close()


def test_search_by_part_of_a_name_zooms_to_the_place_and_shows_its_card(browser, server, campaign_dir):
    page, log = open_page(browser, server.url, "/wall?refresh=0", width=1920, height=1080)
    wait_ready(page)
    everything = places(campaign_dir)
    box = page.locator(".guatu-search-input")
    box.fill("兑周")
    page.locator(".guatu-search-hit").first.wait_for()  # names arrive with the first search
    hits = page.locator(".guatu-search-hit .guatu-search-name").all_inner_texts()
    assert hits and all("兑周" in h for h in hits)
    named = {p["name"] for _, p, _ in everything.values() if "兑周" in p["name"]}
    assert set(hits) <= named and len(hits) == min(8, len(named))
    box.fill("１１号院")  # full-width digits find 11号院 (NFKC)
    assert any("11号院" in h for h in page.locator(".guatu-search-hit .guatu-search-name").all_inner_texts())

    box.fill("康复前街")
    first = page.locator(".guatu-search-hit").first
    fid = first.get_attribute("data-id")
    box.press("Enter")
    card = page.locator(f".guatu-place-card[data-id='{fid}']")
    card.locator(".guatu-card-where").wait_for()
    layer, props, st = everything[fid]
    text = card.inner_text()
    assert props["name"] in text and load_campaign(campaign_dir).status(st[0]).label in text
    for name in (props.get("people") or {}).values():
        assert name in text
    assert "社区负责人" in text and "网格员" in text
    assert props["deadline"] and props["deadline"] in text  # the demo's 康复前街11号院 has one
    zoom, inside = page.evaluate("""(fid) => { const w = window.guatuPage.walls[0];
        return [w.map.getZoom(), w.map.getBounds().contains(w.byId[fid].getBounds())]; }""", fid)
    assert zoom >= 16 and inside
    assert page.locator(f"html[data-guatu-selected='{fid}']").count() == 1
    box.fill("没有这个地方")
    assert page.locator(".guatu-search-none").inner_text() == "没有找到"
    assert log.console_errors == [] and log.outside == []
    page.context.close()


def test_a_name_typed_through_an_input_method_is_searched_when_its_characters_are_chosen(browser, server):
    """Pinyin being composed is not searched; the characters chosen are, with the names loaded for them (a fresh
    page: the names come with that first search)."""
    page, log = open_page(browser, server.url, "/wall?refresh=0", width=1920, height=1080)
    wait_ready(page)
    page.evaluate("""() => {
        const box = document.querySelector('.guatu-search-input');
        box.dispatchEvent(new CompositionEvent('compositionstart', {data: ''}));
        box.value = 'duizhou';
        box.dispatchEvent(new InputEvent('input', {data: 'duizhou', isComposing: true}));
        box.value = '兑周';
        box.dispatchEvent(new InputEvent('input', {data: '兑周', isComposing: true}));
        box.dispatchEvent(new CompositionEvent('compositionend', {data: '兑周'}));
    }""")
    page.locator(".guatu-search-hit").first.wait_for(timeout=10_000)
    assert all("兑周" in h for h in page.locator(".guatu-search-hit .guatu-search-name").all_inner_texts())
    assert log.console_errors == []
    page.context.close()


def contrast(a, b) -> float:
    def lum(c):
        ch = [v / 255 for v in c[:3]]
        ch = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in ch]
        return 0.2126 * ch[0] + 0.7152 * ch[1] + 0.0722 * ch[2]
    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_the_dark_theme_is_legible_from_across_the_room_at_4k(browser, server, campaign_dir):
    page, log = open_page(browser, server.url, "/wall?theme=dark&refresh=0", width=3840, height=2160)
    wait_ready(page)
    page.locator(".guatu-dashboard .guatu-dash-pct").wait_for()
    styles = page.evaluate("""() => {
        const parse = (c) => c.match(/[\\d.]+/g).map(Number);
        const bg = parse(getComputedStyle(document.querySelector('.guatu-title')).backgroundColor);
        const map = parse(getComputedStyle(window.guatuPage.walls[0].map.getContainer()).backgroundColor);
        const a = bg.length > 3 ? bg[3] : 1;
        const panel = [0, 1, 2].map(i => bg[i] * a + map[i] * (1 - a));
        const size = (sel) => parseFloat(getComputedStyle(document.querySelector(sel)).fontSize);
        const ink = (sel) => parse(getComputedStyle(document.querySelector(sel)).color);
        return {panel, map, title: size('.guatu-title h1'), legend: size('.guatu-legend-label'),
                dash: size('.guatu-dash-table td'), ink: ink('.guatu-title h1'), muted: ink('.guatu-asof'),
                label: ink('.guatu-label span'), labelSize: size('.guatu-label span'),
                stroke: window.guatuPage.walls[0].scale};
    }""")
    assert styles["title"] >= 60 and styles["legend"] >= 30 and styles["dash"] >= 24 and styles["labelSize"] >= 30
    assert contrast(styles["ink"], styles["panel"]) >= 12
    assert contrast(styles["muted"], styles["panel"]) >= 7
    assert contrast(styles["label"], styles["map"]) >= 12
    assert styles["stroke"] >= 2.3  # outlines and marks drawn 2.4× thicker than at a desk
    shown = drawn(page)
    everything = places(campaign_dir)
    assert set(shown) == set(everything)
    # each place in its status's colour as the dark theme draws it (a colour too dark for the map made lighter)
    drawn_as = page.evaluate("() => window.guatuPage.walls[0].colours")
    assert all(shown[fid] == drawn_as[everything[fid][2][0]] for fid in shown)
    assert {k for k, c in drawn_as.items() if c != colour(campaign_dir, k)} <= {"relapsed", "accepted"}
    # everything fits: nothing of the dashboard runs off the screen
    bottom = page.evaluate("() => document.querySelector('.guatu-dashboard').getBoundingClientRect().bottom")
    assert bottom <= 2160
    assert log.console_errors == [] and log.outside == []
    page.context.close()


def test_a_display_token_opens_its_scope_and_every_api_call_carries_it(browser, tmp_path):
    data = copy_demo(tmp_path / "data")
    with live_server(data, GUATU_CLOCK=fixed_clock, GUATU_PUBLIC_VIEW=False, GUATU_REFRESH_SECONDS=2) as private:
        acc = private.app.extensions["guatu_accounts"]
        _, secret = acc.create_display_token("大学路街道大屏", "/wall?street=大学路街道&theme=dark")
        page, log = open_page(browser, private.url, "/api/health")
        api_calls = []
        page.on("request", lambda r: "/api/" in r.url and api_calls.append((r.url, r.headers.get("x-guatu-display"))))
        page.goto(f"{private.url}/wall?display={secret}&theme=light&street=福华街街道")
        wait_ready(page)
        page.wait_for_selector(".guatu-dashboard .guatu-dash-pct")
        page.wait_for_event("request", lambda r: "/api/wall/state" in r.url and "since=" in r.url,
                            timeout=10_000)  # at least one live poll
        assert page.locator("html[data-theme='dark']").count() == 1
        everything = places(data)
        assert set(drawn(page)) == {fid for fid, (_, p, _) in everything.items() if p.get("street") == "大学路街道"}
        for endpoint in ("/api/wall/state", "/api/wall/dashboard"):
            assert any(endpoint in u for u, _ in api_calls), endpoint
        geometry = [u for u, _ in api_calls if "/api/boundaries/" in u or ("/api/wall/shapes/" in u and "part=attributes" not in u)]
        assert geometry == []  # the shapes and outlines came with the page, in its scope
        assert any("since=" in u for u, _ in api_calls)
        assert all(token == secret for _, token in api_calls), api_calls
        assert log.outside == [] and log.console_errors == []
        # without the token the same page asks for a login
        anon, _ = open_page(browser, private.url, "/wall?street=大学路街道")
        assert "/login" in anon.url
        anon.context.close()
        page.context.close()


def test_in_a_pile_of_escalation_triangles_the_districts_lies_on_top(browser, server):
    page, log = open_page(browser, server.url, "/wall?refresh=0", width=1600, height=1000)
    wait_ready(page)
    drawn = page.evaluate("""() => {
        const wall = window.guatuPage.walls[0], r = wall.renderers.escalated;
        const at = wall.map.getCenter();
        r.setDots({a: {latlng: at, level: 1}, b: {latlng: at, level: 2}, c: {latlng: at, level: 1}});  // c: after b
        r._update();
        const out = [], ctx = r._ctx, draw = ctx.drawImage;
        ctx.drawImage = function (image) { out.push(image === r._sprites[2] ? "district" : "street"); return draw.apply(this, arguments); };
        r._redraw();
        ctx.drawImage = draw;
        return out;
    }""")
    assert drawn == ["district"]  # one pile, one copy: the district's, though a sub-district's came after it
    assert log.console_errors == [] and log.outside == []
    page.context.close()


# The overnight ring's pixel at the top of place `fid`'s ring, on the marks' canvas, after it drew what it holds.
RING_PIXEL = """(fid) => {
    const wall = window.guatuPage.walls[0], r = wall.renderers.overnight, place = wall.byId[fid];
    r._update(); r._redraw();
    const canvas = r._container, rect = canvas.getBoundingClientRect(), box = wall.map.getContainer().getBoundingClientRect();
    const p = wall.map.latLngToContainerPoint(place.guatuLabel);
    const x = Math.round((p.x + box.left - rect.left) * canvas.width / rect.width);
    const y = Math.round((p.y - r.options.radius + box.top - rect.top) * canvas.height / rect.height);
    return Array.from(canvas.getContext('2d').getImageData(x, y, 1, 1).data);
}"""


def test_a_poll_gives_the_marks_to_their_canvases_again_only_when_a_mark_changed(browser, server, campaign_dir):
    page, log = open_page(browser, server.url, "/wall?refresh=2", width=1600, height=1000)
    wait_ready(page)
    everything = places(campaign_dir)
    fid, (layer, props, _) = next((k, v) for k, v in sorted(everything.items())
                                  if v[0] == "courtyards" and not v[2][2] and not any(v[2][6:]) and v[2][0] == "in_progress")
    page.evaluate("""(fid) => { const w = window.guatuPage.walls[0];
        w.map.setView(w.byId[fid].guatuLabel, 18, {animate: false});
        window.__marks = [w.renderers.overnight._marks, w.renderers.escalated._marks]; }""", fid)
    assert page.evaluate("() => window.__marks.every(m => m && m.n > 0)")  # the demo's marks, taken once
    assert page.evaluate("(fid) => !(fid in window.guatuPage.walls[0].dots)", fid)
    assert page.evaluate(RING_PIXEL, fid)[3] == 0

    # a status change moves no mark: the canvases keep the marks they took, nothing is gathered again
    body = {"status": "relapsed", "features": {fid: props["version"]}}
    revision = call(server, "POST", "/api/layers/courtyards/status", body)["revision"]
    page.wait_for_selector(f"html[data-guatu-revision='{revision}']", state="attached", timeout=10_000)
    assert drawn(page)[fid] == colour(campaign_dir, "relapsed")
    assert page.evaluate("""() => { const w = window.guatuPage.walls[0];
        return !w.marksChanged && w.renderers.overnight._marks === window.__marks[0]
               && w.renderers.escalated._marks === window.__marks[1]; }""")

    # a problem an inspector found two days ago and still open: the place's overnight ring comes with the poll ...
    version = call(server, "GET", f"/api/layers/{layer}/features/{fid}", None)["properties"]["version"]
    placed = call(server, "POST", f"/api/layers/{layer}/features/{fid}/problems",
                  {"problem": {"category": "乱堆乱放", "description": "楼道堆放杂物", "found_on": "2026-11-22",
                               "found_by": "每日随机督导"}, "version": version})
    pid = placed["properties"]["problems"][-1]["id"]
    page.wait_for_function("(fid) => fid in window.guatuPage.walls[0].renderers.overnight.dots", arg=fid, timeout=10_000)
    ring = page.evaluate(RING_PIXEL, fid)
    assert min(ring[:3]) >= 200 and ring[3] > 200  # white, where there was nothing
    assert page.evaluate("() => window.guatuPage.walls[0].renderers.overnight._marks !== window.__marks[0]")

    # ... and goes with the poll that brings the problem found today (not overnight yet): no ring left behind
    call(server, "PATCH", f"/api/layers/{layer}/features/{fid}/problems/{pid}",
         {"problem": {"found_on": "2026-11-24"}, "version": placed["properties"]["version"]})
    page.wait_for_function("(fid) => !(fid in window.guatuPage.walls[0].renderers.overnight.dots)", arg=fid, timeout=10_000)
    assert page.evaluate(RING_PIXEL, fid)[3] == 0
    assert log.console_errors == [] and log.outside == []
    page.context.close()
