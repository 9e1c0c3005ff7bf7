"""With a boundary file replaced by a damaged one, the 4K wall still draws every place and the other outlines,
and its banner names the file and what to do."""

from __future__ import annotations

import pytest

from tests.browser.harness import copy_demo, live_server, open_page, wait_ready

SHOWN = "html[data-guatu-problems]:not([data-guatu-problems='0'])"

DRAWN = """() => {
    const wall = window.guatuPage.walls[0], out = {places: 0, outlines: {}};
    for (const places of Object.values(wall.all)) out.places += Object.keys(places).length;
    const outlines = wall.renderers.features.outlines;
    for (const level of Object.keys(outlines)) out.outlines[level] = outlines[level].lines.length;
    return out;
}"""


@pytest.mark.timeout(120)
def test_the_wall_draws_without_the_damaged_outlines_and_says_which_file(browser, tmp_path):
    data = copy_demo(tmp_path / "data")
    path = data / "boundaries" / "communities.geojson"
    path.write_text(path.read_text(encoding="utf-8")[:400], encoding="utf-8")  # cut short by a bad copy
    with live_server(data, GUATU_REFRESH_SECONDS=0) as server:
        assert server.app.extensions["guatu"].store.problems() == []  # the store itself is sound
        page, log = open_page(browser, server.url, "/wall", width=3840, height=2160)
        wait_ready(page)
        drawn = page.evaluate(DRAWN)
        page.wait_for_selector(SHOWN, state="attached", timeout=30_000)
        banner = page.locator(".guatu-problem-banner").inner_text()
        page.context.close()
    assert drawn["places"] > 300
    assert drawn["outlines"].get("street", 0) > 1 and drawn["outlines"].get("district", 0) >= 1
    assert drawn["outlines"].get("community", 0) == 0
    # not in the page's first data: asked for once (503, the reason), and the map went on without it
    assert [u for u in log.requests if "/api/boundaries/community" in u]
    assert "区划文件 boundaries/communities.geojson 无法使用" in banner and "用 GIS 软件修正该文件" in banner
    assert log.outside == []
