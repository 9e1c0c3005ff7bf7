"""进度回放 in a real Chromium, offline: the map coloured as it stood each day, and 整治前/整治后 side by side."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import shapely
from shapely.geometry import shape

from geo.config import load_campaign
from geo.store import open_store
from tests.browser.harness import canvas_pixels, copy_demo, live_server, open_page
from tests.conftest import FakeClock

RANGE = "from=2026-11-10&to=2026-11-18"
EARLY, LATE = "2026-11-11", "2026-11-16"  # day indices 1 and 6 of the range
NEW_AT = [113.567, 34.661]  # a free spot inside the district, 300 m from any place and from its boundary
SERVER_NOW = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)  # the server's clock: 10:00 in Zhengzhou


def _free_places(store, campaign, status):
    """Courtyards of `status` whose interior point no other place covers (so its pixel is its own colour)."""
    geoms = [(f["id"], shape(f["geometry"])) for x in campaign.layers for f in store.features(x.id)]
    tree = shapely.STRtree([g for _, g in geoms])
    out = []
    for f in store.features("courtyards"):
        if f["properties"]["status"] != status:
            continue
        pt = shapely.point_on_surface(shape(f["geometry"]))
        near = tree.query(pt.buffer(0.0003))
        if all(geoms[i][0] == f["id"] for i in near):
            out.append((f["id"], [pt.y, pt.x]))
    return out


@pytest.fixture(scope="module")
def campaign_dir(tmp_path_factory):
    """A place fixed on known days, a place created and a place deleted, journalled with a fake clock."""
    data = copy_demo(tmp_path_factory.mktemp("playback") / "data")
    campaign = load_campaign(data)
    clock = FakeClock(datetime(2026, 11, 12, 2, 0, tzinfo=UTC))  # 10:00 in Zhengzhou
    store = open_store(data, campaign, clock=clock)
    (fixed, fixed_at), (gone, gone_at) = _free_places(store, campaign, "pending")[:2]

    def set_status(fid, status):
        f = store.get("courtyards", fid)
        store.update("courtyards", fid, expected_version=f["properties"]["version"], user="督导组",
                     properties={"status": status})

    set_status(fixed, "in_progress")  # 11-12
    clock.advance(days=1)  # 11-13: a new courtyard
    x, y = NEW_AT
    ring = [[x, y], [x + 0.0008, y], [x + 0.0008, y + 0.0008], [x, y + 0.0008], [x, y]]
    new = store.create("courtyards", {"type": "Feature", "properties": {"name": "新增测试院", "kind": "楼院", "status": "pending"},
                                      "geometry": {"type": "Polygon", "coordinates": [ring]}}, user="督导组").feature["id"]
    clock.advance(days=1)  # 11-14: one deleted
    f = store.get("courtyards", gone)
    store.delete("courtyards", gone, expected_version=f["properties"]["version"], user="督导组")
    clock.advance(days=1)  # 11-15: accepted
    set_status(fixed, "accepted")
    store.close()
    colours = {s.key: s.color for s in campaign.statuses}
    return {"data": data, "fixed": (fixed, fixed_at), "gone": (gone, gone_at),
            "new": (new, [y + 0.0004, x + 0.0004]), "colours": colours}


@pytest.fixture(scope="module")
def server(campaign_dir):
    with live_server(campaign_dir["data"], GUATU_CLOCK=FakeClock(SERVER_NOW)) as s:
        yield s


def _ready(page):
    page.wait_for_selector("html[data-guatu-playback-ready='true']", state="attached", timeout=30_000)


def _is(pixel, colour):
    r, g, b, a = pixel
    want = tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return a >= 128 and max(abs(r - want[0]), abs(g - want[1]), abs(b - want[2])) <= 3


def _show(page, day):
    page.evaluate("""(day) => {
        const pb = window.guatuPage.playbacks[0];
        pb.pause();
        pb.show(pb.doc.days.findIndex(d => d.date === day));
    }""", day)


def test_the_playback_autoplays_offline_day_by_day(browser, server):
    page, log = open_page(browser, server.url, f"/wall/playback?{RANGE}&speed=0.2", page_clock=SERVER_NOW)
    try:
        _ready(page)
        first = page.evaluate("() => document.documentElement.dataset.guatuPlaybackDay")
        assert "2026-11-10" <= first <= "2026-11-18"
        page.wait_for_function("(first) => document.documentElement.dataset.guatuPlaybackDay !== first", arg=first,
                               timeout=10_000)
        panel = page.locator(".guatu-playback-panel")
        assert "进度回放" in panel.inner_text() and "完成率" in panel.inner_text()
        assert page.locator(".guatu-playback-spark .guatu-playback-cursor").count() == 1
        assert page.locator(".guatu-legend").is_hidden()
        # a mouse pauses it
        page.locator(".guatu-playback-button").click()
        assert page.evaluate("() => document.documentElement.dataset.guatuPlaybackState") == "paused"
        stopped = page.evaluate("() => document.documentElement.dataset.guatuPlaybackDay")
        day = "() => document.documentElement.dataset.guatuPlaybackDay"
        page.clock.run_for(5_000)  # 25 steps' worth of the page's timers, run at once
        assert page.evaluate(day) == stopped
        # and a second press plays on
        page.locator(".guatu-playback-button").click()
        page.clock.run_for(1_000)
        assert page.evaluate(day) != stopped
        assert log.outside == []
        assert log.console_errors == []
    finally:
        page.context.close()


def test_each_day_is_drawn_in_the_colours_it_had(browser, server, campaign_dir):
    c = campaign_dir["colours"]
    fixed, gone, new = campaign_dir["fixed"], campaign_dir["gone"], campaign_dir["new"]
    points = {"fixed": fixed[1], "gone": gone[1], "new": new[1]}
    page, log = open_page(browser, server.url, f"/wall/playback?{RANGE}")
    try:
        _ready(page)
        _show(page, EARLY)
        early = canvas_pixels(page, points, 0)
        counts_early = page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('.guatu-playback-counts li')]
            .map(li => [li.dataset.status, Number(li.querySelector('.guatu-legend-count').textContent)]))""")
        assert page.locator(".guatu-playback-date").inner_text().startswith("2026年11月11日")
        _show(page, LATE)
        late = canvas_pixels(page, points, 0)
        counts_late = page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('.guatu-playback-counts li')]
            .map(li => [li.dataset.status, Number(li.querySelector('.guatu-legend-count').textContent)]))""")
        assert _is(early["fixed"], c["pending"]), early["fixed"]
        assert _is(late["fixed"], c["accepted"]), late["fixed"]
        assert _is(early["gone"], c["pending"]), early["gone"]  # drawn from its last geometry before its deletion
        assert not _is(late["gone"], c["pending"]) and late["gone"][3] < 128, late["gone"]
        assert early["new"][3] < 128, early["new"]  # not created yet
        assert _is(late["new"], c["pending"]), late["new"]
        # the counts: one place fewer pending (fixed, gone, new: -1 -1 +1), one more accepted
        assert counts_late["accepted"] == counts_early["accepted"] + 1
        assert counts_late["pending"] == counts_early["pending"] - 1
        assert log.outside == [] and log.console_errors == []
    finally:
        page.context.close()


def _click(page, wall_index, latlng):
    x, y = page.evaluate("""([index, latlng]) => {
        const map = window.guatuPage.walls[index].map;
        map.setView(latlng, 18, {animate: false});
        const p = map.latLngToContainerPoint(latlng);
        const r = map.getContainer().getBoundingClientRect();
        return [r.left + p.x, r.top + p.y];
    }""", [wall_index, latlng])
    page.mouse.click(x, y)


def test_a_places_card_shows_it_as_it_was_on_the_day_shown(browser, server, campaign_dir):
    """Clicked during the playback, a place's card tells its status of that day, also for one deleted since."""
    fixed, gone = campaign_dir["fixed"], campaign_dir["gone"]
    page, log = open_page(browser, server.url, f"/wall/playback?{RANGE}")
    try:
        _ready(page)
        _show(page, EARLY)
        cards = {}
        for key, (fid, latlng) in (("fixed", fixed), ("gone", gone)):
            _click(page, 0, latlng)
            page.wait_for_selector(f".guatu-place-card[data-id='{fid}'] .guatu-card-asof", timeout=15_000)
            cards[key] = page.locator(".guatu-place-card").inner_text()
        assert all(f"{EARLY} 当日状态" in text and "待整改" in text for text in cards.values()), cards
        _show(page, LATE)
        _click(page, 0, fixed[1])
        page.wait_for_function(f"""() => (document.querySelector(".guatu-place-card[data-id='{fixed[0]}']") || {{}})
            .innerText?.includes("{LATE} 当日状态")""", timeout=15_000)
        assert "已验收" in page.locator(".guatu-place-card").inner_text()
        assert any(f"date={EARLY}" in u for u in log.requests) and any(f"date={LATE}" in u for u in log.requests)
        assert log.outside == [] and log.console_errors == []
    finally:
        page.context.close()


def test_compare_shows_before_and_after_side_by_side(browser, server, campaign_dir):
    c = campaign_dir["colours"]
    fixed = campaign_dir["fixed"]
    page, log = open_page(browser, server.url, f"/wall/playback?{RANGE}&mode=compare&theme=dark")
    try:
        _ready(page)
        assert page.evaluate("() => window.guatuPage.walls.length") == 2
        boxes = page.evaluate("""() => window.guatuPage.walls.map(w => {
            const r = w.map.getContainer().getBoundingClientRect();
            return [Math.round(r.left), Math.round(r.width)];
        })""")
        assert boxes[0][0] == 0 and boxes[1][0] >= boxes[0][1] - 1 and abs(boxes[0][1] - boxes[1][1]) <= 2
        before = page.locator(".guatu-playback-before")
        after = page.locator(".guatu-playback-after")
        assert "整治前" in before.inner_text() and "2026年11月10日" in before.inner_text()
        assert "整治后" in after.inner_text() and "2026年11月18日" in after.inner_text()
        assert float(before.get_attribute("data-share")) < float(after.get_attribute("data-share"))
        # 待整改 is drawn striped (`hatch`): of a few pixels a stripe's width apart, some show the fill itself
        lat, lon = fixed[1]
        lefts = list(canvas_pixels(page, {str(k): [lat + k * 4e-6, lon] for k in range(12)}, 0).values())
        # the maps move together: the second is already at the same place
        centres = page.evaluate("""() => window.guatuPage.walls.map(
            w => [w.map.getCenter().lat, w.map.getCenter().lng, w.map.getZoom()])""")
        assert centres[0] == pytest.approx(centres[1])
        right = canvas_pixels(page, {"fixed": fixed[1]}, 1)["fixed"]
        assert any(_is(left, c["pending"]) for left in lefts), lefts
        # the dark theme draws a status too dark for its map lighter (web/static/js/wall/theme.js `legible`)
        drawn_as = page.evaluate("() => window.guatuPage.walls[1].colours")
        assert _is(right, drawn_as["accepted"]), right
        assert page.locator(".guatu-playback-last .guatu-title").is_hidden()
        assert log.outside == [] and log.console_errors == []
    finally:
        page.context.close()


def test_a_sub_districts_screen_counts_its_own_places(browser, server, campaign_dir):
    from collections import Counter

    from geo.history import end_of_day, layer_as_of

    data = campaign_dir["data"]
    campaign = load_campaign(data)
    store = open_store(data, campaign)
    street = store.get("courtyards", campaign_dir["fixed"][0])["properties"]["street"]
    expected = {}
    for day in (EARLY, LATE):
        when = end_of_day(datetime.fromisoformat(day).date(), campaign)
        expected[day] = Counter(f["properties"]["status"] for x in campaign.layers for f in layer_as_of(store, x.id, when)
                                if f["properties"].get("street") == street)
    store.close()
    page, log = open_page(browser, server.url, f"/wall/playback?{RANGE}&street={street}")
    try:
        _ready(page)
        for day in (EARLY, LATE):
            _show(page, day)
            shown = page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('.guatu-playback-counts li')]
                .map(li => [li.dataset.status, Number(li.querySelector('.guatu-legend-count').textContent)]))""")
            assert {k: v for k, v in shown.items() if v} == dict(expected[day]), day
            total = sum(expected[day].values())
            assert f"/ {total} 处" in page.locator(".guatu-playback-done").inner_text()
        assert street in page.locator(".guatu-title").inner_text()
        assert log.outside == [] and log.console_errors == []
    finally:
        page.context.close()
