"""Cases on the wall at 4K, in a real Chromium, offline: the demo's escalated places carry a warning triangle
drawn above them (orange: to the sub-district, red: to the district), counted in the legend; a place's card shows
each open case — stage, unit, due in the campaign's time, how late, the level — with a link to the case page;
the dashboard's 三级管理监控 lists overdue cases by level and each unit's record."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import numpy as np
import pytest
from PIL import Image

from tests.browser.harness import copy_demo, live_server, open_page, wait_ready

WIDTH, HEIGHT = 3840, 2160
NOW = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)  # the server's clock: the demo's "today"
TRIANGLES = {1: (0xFF, 0x8C, 0x00), 2: (0xE0, 0x00, 0x00)}  # web/static/js/wall/theme.js ESCALATED_*


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with live_server(copy_demo(tmp_path_factory.mktemp("cases") / "data")) as s:
        yield s


def escalated_places(page) -> dict[str, int]:
    """Place id → escalation level, from the state the wall holds."""
    return page.evaluate("""() => {
      const w = guatuPage.walls[0], out = {};
      for (const layer of Object.values(w.state.layers))
        layer.items.forEach((id, i) => { if (layer.items.escalatedAt(i)) out[id] = layer.items.escalatedAt(i); });
      return out;
    }""")


def test_escalated_places_carry_a_triangle_and_the_card_shows_their_cases(browser, server):
    page, log = open_page(browser, server.url, "/wall?dashboard=1&rotate=20", width=WIDTH, height=HEIGHT, page_clock=NOW)
    wait_ready(page)
    up = escalated_places(page)
    assert set(up.values()) == {1, 2} or set(up.values()) == {2}
    assert len(up) >= 5
    drawn = page.evaluate("() => Object.keys(guatuPage.walls[0].renderers.escalated.dots)")  # the places it marks
    assert set(drawn) <= set(up) and drawn
    legend = page.locator(".guatu-legend-escalated")
    assert "升级督办" in legend.inner_text() and legend.locator(".guatu-legend-count").inner_text() == str(len(up))

    # the triangle stands above its place: its colour is on screen there, at a size one reads across a room
    fid = drawn[0]
    x, y = page.evaluate("""(fid) => { const w = guatuPage.walls[0];
      const p = w.map.latLngToContainerPoint(w.flags[fid].latlng); return [p.x, p.y]; }""", fid)
    box = {"x": max(0, x - 60), "y": max(0, y - 120), "width": 120, "height": 120}
    shot = np.asarray(Image.open(io.BytesIO(page.screenshot(clip=box))).convert("RGB")).astype(int)
    hits = int((np.abs(shot - np.array(TRIANGLES[up[fid]])).max(axis=2) <= 8).sum())
    assert hits >= 150  # a triangle tens of pixels wide at 4K, not a speck

    page.evaluate("(fid) => guatuPage.walls[0].select('courtyards', fid)", fid)
    page.wait_for_selector(".guatu-place-card .guatu-card-case")
    assert page.locator(".guatu-place-card .guatu-badge-escalated").count() == 1
    line = page.locator(".guatu-card-case.is-escalated").first
    text = line.inner_text()
    assert "本环节时限" in text and "督办" in text and "超时" in text
    href = line.locator(".guatu-card-case-link").get_attribute("href")
    assert href.startswith(f"/cases/courtyards/{fid}/{fid}-p")

    # the dashboard's lists share sheets that rotate: the page's clock runs on until the cases' sheet is shown
    panel = page.locator(".guatu-dash-cases")
    page.locator(".guatu-dash-milestones").wait_for()
    for _ in range(60):
        if panel.is_visible():
            break
        page.clock.run_for(20_000)
    panel.wait_for()
    assert "三级管理监控" in panel.inner_text()
    levels = panel.locator(".guatu-dash-levels .guatu-fact")
    assert levels.count() == 3 and int(panel.locator("[data-level='district'] b").inner_text()) > 0
    assert panel.locator(".guatu-dash-units .guatu-dash-row").count() >= 1
    units = panel.locator(".guatu-dash-units").bounding_box()
    assert units["y"] + units["height"] <= HEIGHT  # the units' record is on the screen, not below it
    assert log.console_errors == [] and log.outside == []
    page.context.close()
