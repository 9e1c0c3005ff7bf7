"""With one layer file broken by hand, the wall map still draws every other layer."""

from __future__ import annotations

from tests.browser.harness import copy_demo, live_server, open_page, wait_ready


def test_the_wall_map_draws_the_readable_layers_when_one_file_is_broken(browser, tmp_path):
    data = copy_demo(tmp_path / "data")
    path = data / "layers" / "courtyards.geojson"
    lines = path.read_bytes().split(b"\n")
    lines[4] = lines[4][: len(lines[4]) // 2]
    path.write_bytes(b"\n".join(lines))
    with live_server(data, GUATU_REFRESH_SECONDS=0) as server:
        page, log = open_page(browser, server.url, "/")
        wait_ready(page)
        drawn = page.evaluate("""() => {
            const wall = window.guatuPage.walls[0];
            const out = {};
            for (const [id, features] of Object.entries(wall.all)) out[id] = Object.keys(features).length;
            return out;
        }""")
        page.context.close()
    assert drawn.get("courtyards", 0) == 0  # the broken layer draws nothing
    assert drawn["roads"] > 10 and drawn["villages"] > 0
    assert log.outside == []
    assert not [u for u in log.requests if "/api/wall/shapes/courtyards" in u]  # never asked for the broken layer
