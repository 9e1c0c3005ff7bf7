"""The wall at 4K read from across the room: in the dark theme every status colour stands out from the map
(contrast ≥ 3:1, 反弹 and 已验收 included) and the panels hide the map behind them; the scale bar is metric
only; the attribution has no flag; a changed place flashes large and long enough to be seen (≥ 2 s)."""

from __future__ import annotations

import base64
import json
import urllib.request
from datetime import UTC, datetime

import pytest

from geo.config import load_campaign
from geo.store import open_store
from tests.browser.harness import canvas_pixels, copy_demo, live_server, open_page, wait_ready

NOW = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)  # 16:00 in Zhengzhou, the demo's "today"
EDITOR = ("editor1", "correct horse battery")


def fixed_clock() -> datetime:
    return NOW


@pytest.fixture(scope="module")
def campaign_dir(tmp_path_factory):
    return copy_demo(tmp_path_factory.mktemp("legible") / "data")


@pytest.fixture(scope="module")
def server(campaign_dir):
    with live_server(campaign_dir, GUATU_CLOCK=fixed_clock, GUATU_REFRESH_SECONDS=2) as s:
        s.app.extensions["guatu_accounts"].create_user(EDITOR[0], EDITOR[1], "editor", "李编")
        yield s


def luminance(rgb) -> float:
    ch = [v / 255 for v in rgb[:3]]
    ch = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in ch]
    return 0.2126 * ch[0] + 0.7152 * ch[1] + 0.0722 * ch[2]


def contrast(a, b) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def rgb(hex_colour: str) -> tuple[int, ...]:
    return tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))


def test_in_the_dark_theme_every_status_stands_out_from_the_map_and_the_panels_are_opaque(browser, server,
                                                                                          campaign_dir):
    campaign = load_campaign(campaign_dir)
    store = open_store(campaign_dir, campaign)
    page, log = open_page(browser, server.url, "/wall?theme=dark&refresh=0", width=3840, height=2160)
    wait_ready(page)
    seen = page.evaluate("""() => {
        const parse = (c) => c.match(/[\\d.]+/g).map(Number);
        const wall = window.guatuPage.walls[0];
        const panel = parse(getComputedStyle(document.querySelector('.guatu-legend')).backgroundColor);
        const swatches = {};
        document.querySelectorAll('.guatu-legend li[data-status]').forEach(li => {
            swatches[li.dataset.status] = parse(getComputedStyle(li.querySelector('.guatu-swatch')).backgroundColor);
        });
        return {map: parse(getComputedStyle(wall.map.getContainer()).backgroundColor), colours: wall.colours,
                panelAlpha: panel.length > 3 ? panel[3] : 1, swatches};
    }""")
    background = seen["map"]
    for status in campaign.statuses:
        drawn = seen["colours"][status.key]
        assert contrast(rgb(drawn), background) >= 3, (status.label, drawn)
        assert tuple(seen["swatches"][status.key][:3]) == rgb(drawn)  # the legend shows the colour drawn
    # 反弹 and 已验收, too dark for a dark map as configured, are drawn lighter; the others as configured
    for key in ("relapsed", "accepted"):
        assert contrast(rgb(campaign.status(key).color), background) < 3 <= contrast(rgb(seen["colours"][key]), background)
    assert seen["colours"]["pending"] == campaign.status("pending").color
    assert seen["panelAlpha"] >= 0.97
    # on the canvas, a relapsed and an accepted place are painted in that colour
    points = {}
    for layer in campaign.layers:
        for f in store.features(layer.id):
            status = f["properties"].get("status")
            if status in ("relapsed", "accepted") and status not in points and f["geometry"]["type"] == "Polygon":
                points[status] = page.evaluate("(fid) => { const l = window.guatuPage.walls[0].byId[fid].guatuLabel;"
                                               " return [l.lat, l.lng]; }", f["id"])
    assert set(points) == {"relapsed", "accepted"}
    pixels = canvas_pixels(page, points)
    for key, pixel in pixels.items():
        assert all(abs(a - b) <= 3 for a, b in zip(pixel, rgb(seen["colours"][key]), strict=False)), (key, pixel)
    assert log.console_errors == [] and log.outside == []
    page.context.close()


def test_the_scale_bar_is_metric_only_and_the_attribution_has_no_flag(browser, server):
    page, log = open_page(browser, server.url, "/wall?refresh=0", width=3840, height=2160)
    wait_ready(page)
    lines = page.locator(".leaflet-control-scale-line")
    assert lines.count() == 1
    text = lines.inner_text()
    assert text.endswith(" m") or text.endswith(" km"), text
    attribution = page.locator(".leaflet-control-attribution")
    assert attribution.locator("svg").count() == 0 and attribution.inner_text().startswith("Leaflet")
    assert log.console_errors == [] and log.outside == []
    page.context.close()


def change_status(server, layer: str, fid: str, version, status: str) -> None:
    auth = base64.b64encode(f"{EDITOR[0]}:{EDITOR[1]}".encode()).decode()
    req = urllib.request.Request(server.url + f"/api/layers/{layer}/features/{fid}", method="PATCH",
                                 data=json.dumps({"version": version, "properties": {"status": status}}).encode(),
                                 headers={"Content-Type": "application/json", "Authorization": f"Basic {auth}"})
    urllib.request.urlopen(req, timeout=10).close()


def test_a_change_flashes_a_ring_seen_across_the_room_for_more_than_two_seconds(browser, server, campaign_dir):
    campaign = load_campaign(campaign_dir)
    store = open_store(campaign_dir, campaign)
    place = next(f for f in store.features("courtyards") if f["properties"].get("status") == "in_progress")
    page, log = open_page(browser, server.url, "/wall?refresh=2", width=3840, height=2160, page_clock=NOW)
    wait_ready(page)
    fid = place["id"]
    change_status(server, "courtyards", fid, place["properties"]["version"], "rectified")
    page.wait_for_function("(fid) => (document.documentElement.dataset.guatuFlash || '').split(' ').includes(fid)",
                           arg=fid, timeout=30_000)
    ring = page.evaluate("""() => {
        const rings = Array.from(document.querySelectorAll('.guatu-flash-ring'));
        return {count: document.querySelectorAll('.guatu-flash').length,
                size: Math.max(...rings.map(r => r.getBoundingClientRect().width)),
                scale: window.guatuPage.walls[0].scale};
    }""")
    # a ring some 130 px across at 4K, whatever the place's size at the whole district's zoom
    assert ring["count"] >= 4 and ring["size"] >= 50 * ring["scale"]
    page.clock.run_for(2_000)
    assert page.locator(".guatu-flash").count() >= 4  # still there after 2 s
    page.clock.run_for(3_000)
    assert page.locator(".guatu-flash").count() == 0  # and gone after 4.5 s
    assert log.console_errors == [] and log.outside == []
    page.context.close()


def test_at_the_whole_district_zoom_the_map_names_sub_districts_communities_and_the_worst_places(browser, server,
                                                                                               campaign_dir):
    campaign = load_campaign(campaign_dir)
    store = open_store(campaign_dir, campaign)
    page, log = open_page(browser, server.url, "/wall?refresh=0", width=3840, height=2160)
    wait_ready(page)
    page.wait_for_selector(".guatu-label-worst:not([hidden])", state="attached", timeout=30_000)
    labels = page.evaluate("""() => Array.from(document.querySelectorAll('.guatu-label:not([hidden])')).map(n => {
        const r = n.firstChild.getBoundingClientRect();
        return {cls: n.className.replace('guatu-label guatu-label-', ''), text: n.textContent,
                box: [r.left, r.top, r.right, r.bottom]};
    })""")
    by = {}
    for label in labels:
        by.setdefault(label["cls"], []).append(label["text"])
    assert len(by["street"]) >= 6 and len(by["community"]) >= 10
    # the worst places named are overdue (or escalated to the district) places
    names = {f["properties"].get("name"): f["properties"] for x in campaign.layers for f in store.features(x.id)}
    worst = set(page.evaluate("""() => { const w = window.guatuPage.walls[0];
        const up = Object.keys(w.flags).filter(id => w.flags[id].level === 2).map(id => w.byId[id]);
        return Object.values(w.halos).concat(up).map(l => l.feature.properties.name); }"""))
    assert by["worst"] and all(n in names for n in by["worst"])
    assert set(by["worst"]) <= worst
    # no two names overlap
    boxes = [label["box"] for label in labels]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert a[2] <= b[0] + 1 or b[2] <= a[0] + 1 or a[3] <= b[1] + 1 or b[3] <= a[1] + 1, (a, b)
    # the escalation triangles are still drawn among them
    assert page.evaluate("() => Object.keys(window.guatuPage.walls[0].renderers.escalated.dots)")
    assert log.console_errors == [] and log.outside == []
    page.context.close()
