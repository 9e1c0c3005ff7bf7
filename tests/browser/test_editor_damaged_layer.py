"""The editor in a real Chromium when part of the data cannot be read: a layer file damaged by hand leaves the
other layers drawn and editable (the damaged one neither drawn nor offered, and named in the panel); a start whose
data the server refuses says so with the server's reason and a way to load the page again, never a blank map; a large
layer's view refused or unanswered says so in the server's words, or that the server cannot be reached."""

from __future__ import annotations

import json

from tests.browser.editor_session import editor_page, open_place, planners_server, sign_in, stored
from tests.browser.harness import demo_with_map, open_page, wait_ready


def damage(demo_dir, layer="courtyards"):
    """One place of the layer's file cut in half, as a hand edit might leave it."""
    path = demo_dir / "layers" / f"{layer}.geojson"
    lines = path.read_bytes().split(b"\n")
    lines[4] = lines[4][: len(lines[4]) // 2]
    path.write_bytes(b"\n".join(lines))


def test_a_damaged_layer_leaves_the_others_drawn_and_editable_and_is_named(browser, planners, demo_dir):
    damage(demo_dir)
    page, log = editor_page(browser, planners)
    drawn = page.evaluate("""() => { const ed = guatuPage.editors[0];
        return Object.fromEntries(Object.entries(ed.layers).map(([id, g]) => [id, g.getLayers().length])); }""")
    assert set(drawn) == {"roads", "villages"} and drawn["roads"] > 10 and drawn["villages"] > 0
    assert "楼院·小区" in page.inner_text(".guatu-edit-panel .withheld")
    offered = page.eval_on_selector_all("button[data-action=new]", "bs => bs.map(b => b.dataset.layer)")
    assert offered == ["roads", "villages"]
    assert not [u for u in log.requests if "/api/wall/shapes/courtyards" in u]

    open_place(page, "r-0001")
    page.fill("form.attrs input[name=unit]", "区城管局")
    page.click("form.attrs button[data-action=save]")
    page.wait_for_selector(".message-ok")
    assert stored(demo_dir, "r-0001", "roads")["properties"]["unit"] == "区城管局"
    assert [e for e in log.console_errors if "Failed to load resource" not in e] == []


def test_a_start_the_server_refuses_says_why_and_loads_again(browser, planners):
    refusal = {"code": "store_unavailable", "message": "数据库暂时无法访问"}

    def refuse(route):
        route.fulfill(status=503, content_type="application/json", body=json.dumps(refusal, ensure_ascii=False))

    page, _ = open_page(browser, planners.url, "/login?next=/edit")
    page.route("**/api/wall/state*", refuse)
    sign_in(page)
    page.wait_for_selector(".message-error")
    assert page.inner_text(".message-error p") == "地图数据未能载入:数据库暂时无法访问"
    assert page.evaluate("document.documentElement.dataset.guatuReady") is None

    page.unroute("**/api/wall/state*", refuse)
    page.click(".message-error button[data-action=reload-page]")
    wait_ready(page)
    assert page.locator(".message-error").count() == 0


def test_a_large_layers_view_the_server_refuses_says_why_in_its_words(browser, tmp_path, clock):
    data = demo_with_map(tmp_path / "data", viewport_above=50)  # the courtyards drawn a view at a time
    with planners_server(data, clock) as server:
        page, _ = editor_page(browser, server)
        refusal = {"code": "store_unavailable", "message": "数据库暂时无法访问"}
        page.route("**/api/wall/shapes/courtyards?*", lambda route: route.fulfill(
            status=503, content_type="application/json", body=json.dumps(refusal, ensure_ascii=False)))
        page.evaluate("() => guatuPage.editors[0].large.courtyards.load()")
        page.wait_for_selector(".message-error")
        assert page.inner_text(".message-error p") == "地图上这一片的地点没能加载:数据库暂时无法访问"
        page.unroute("**/api/wall/shapes/courtyards?*")
        page.route("**/api/wall/shapes/courtyards?*", lambda route: route.abort("internetdisconnected"))
        page.evaluate("() => guatuPage.editors[0].large.courtyards.load()")
        page.wait_for_function("() => document.querySelector('.message-error p').textContent.endsWith('连不上服务器')")
        page.context.close()
