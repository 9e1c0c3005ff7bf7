"""The editor's search, Esc, bulk status change and names on the map, in a real Chromium (a desk screen, and a
phone of 390 px with touch)."""

from __future__ import annotations

from tests.browser.editor_session import drag_first_vertex, editor_page, map_point, open_place, stored
from tests.browser.harness import PHONE, open_page, wait_ready


def hits(page) -> list[str]:
    return page.evaluate("() => [...document.querySelectorAll('#guatu-edit-search-results [role=option]')].map(o => o.dataset.id)")


def click_place(page, fid):
    lat, lon = page.evaluate("""(fid) => { const ed = guatuPage.editors[0];
        ed.map.fitBounds(ed.byId[fid].getBounds(), {maxZoom: 17, animate: false});
        const c = ed.byId[fid].getBounds().getCenter(); return [c.lat, c.lng]; }""", fid)
    page.mouse.click(*map_point(page, lat, lon))


def test_search_finds_places_by_name_as_the_wall_does_and_opens_one_from_the_keyboard(browser, planners):
    wall, _ = open_page(browser, planners.url, "/login?next=/wall")
    wall.fill("input[name=username]", "planner1")
    wall.fill("input[name=password]", "a long password")
    wall.click("button[type=submit]")
    wait_ready(wall)
    wall_hits = wall.evaluate("() => guatuPage.walls[0].loadAttributes().then(() =>"
                              " guatuPage.walls[0].search('大学路 2', 8).map(h => h.id))")
    assert len(wall_hits) >= 3
    wall.context.close()

    page, log = editor_page(browser, planners)
    box = page.locator("input[name=place-search]")
    assert box.get_attribute("role") == "combobox" and box.get_attribute("aria-label") == "按名称查找地点"
    box.fill("大学路 2")
    assert hits(page) == wall_hits  # the same places in the same order as on the wall
    assert page.inner_text(".search-status") == f"找到 {len(wall_hits)} 处"
    options = page.locator("#guatu-edit-search-results [role=option]")
    assert options.nth(0).get_attribute("aria-selected") == "true"
    page.keyboard.press("ArrowDown")
    assert options.nth(1).get_attribute("aria-selected") == "true"
    assert box.get_attribute("aria-activedescendant") == options.nth(1).get_attribute("id")
    page.keyboard.press("Enter")
    page.wait_for_selector(f"form.attrs h2:has-text('{wall_hits[1]}')")
    assert box.get_attribute("aria-expanded") == "false"

    box.fill("没有这个名字的地方")
    assert hits(page) == [] and page.inner_text(".search-status") == "没有找到"
    box.fill("大学路")
    page.keyboard.press("Escape")  # closes the list, not the open place
    assert hits(page) == [] and page.locator("form.attrs").is_visible()
    assert log.console_errors == []


def test_esc_cancels_drawing_then_reshaping_then_closes_the_place(browser, planners, demo_dir):
    page, log = editor_page(browser, planners)
    page.evaluate("() => { guatuPage.editors[0].map.setView([34.6300, 113.6000], 17, {animate: false}); }")
    page.click("button[data-action=new][data-layer=courtyards]")
    for n, (lat, lon) in enumerate([(34.6300, 113.6000), (34.6300, 113.6010)]):
        page.mouse.click(*map_point(page, lat, lon))
        page.wait_for_function("(n) => guatuPage.editors[0].map.pm.Draw.Polygon._layer.getLatLngs().length === n", arg=n + 1)
    page.keyboard.press("Escape")
    assert page.evaluate("() => guatuPage.editors[0].map.pm.globalDrawModeEnabled()") is False
    assert page.inner_text(".message") == "已取消绘制。"
    page.mouse.click(*map_point(page, 34.6308, 113.6010))  # a click on the map no longer draws
    assert page.evaluate("() => guatuPage.editors[0].map.hasLayer(guatuPage.editors[0].map.pm.Draw.Polygon._layer)") is False
    assert page.locator(".leaflet-marker-icon.marker-icon").count() == 0  # no vertex of a drawing left on the map

    before = stored(demo_dir, "c-0003")
    click_place(page, "c-0003")
    page.wait_for_selector("form.attrs h2:has-text('c-0003')")
    drag_first_vertex(page)
    assert page.evaluate("() => guatuPage.editors[0].current.shapeEdited") is True
    page.keyboard.press("Escape")
    assert page.inner_text(".message") == "已取消形状编辑,图形恢复原样。"
    drawn = page.evaluate("() => guatuPage.editors[0].byId['c-0003'].toGeoJSON().geometry")
    ring, stored_ring = drawn["coordinates"][0], before["geometry"]["coordinates"][0]
    assert len(ring) == len(stored_ring)
    assert all(abs(a[0] - b[0]) < 1e-6 and abs(a[1] - b[1]) < 1e-6 for a, b in zip(ring, stored_ring, strict=True))
    assert page.locator(".leaflet-marker-icon.marker-icon").count() == 0  # no longer reshaping
    assert page.inner_text("button[data-action=shape]") == "编辑形状"

    page.fill("form.attrs input[name=unit]", "未保存的单位")
    asked = []
    page.once("dialog", lambda d: asked.append(d.message) or d.dismiss())
    page.keyboard.press("Escape")
    assert asked and "未保存的修改" in asked[0]
    assert page.locator("form.attrs").is_visible()  # kept: the planner said no
    page.once("dialog", lambda d: d.accept())
    page.keyboard.press("Escape")
    page.wait_for_selector("form.attrs", state="hidden")
    after = stored(demo_dir, "c-0003")
    assert after == before  # nothing was saved by any of it
    assert log.console_errors == []


def test_bulk_status_starts_unchosen_and_asks_with_the_count(browser, planners, demo_dir):
    page, log = editor_page(browser, planners)
    chosen = ["c-0002", "c-0005", "c-0006"]
    for fid in chosen:
        lat, lon = page.evaluate("""(fid) => { const ed = guatuPage.editors[0];
            ed.map.fitBounds(ed.byId[fid].getBounds(), {maxZoom: 17, animate: false});
            const c = ed.byId[fid].getBounds().getCenter(); return [c.lat, c.lng]; }""", fid)
        page.keyboard.down("Control")
        page.mouse.click(*map_point(page, lat, lon))
        page.keyboard.up("Control")
    page.wait_for_selector("section.bulk h2:has-text('已选择 3 处')")
    select = page.locator("section.bulk select[name=bulk-status]")
    apply = page.locator("button[data-action=bulk-apply]")
    assert select.input_value() == "" and apply.is_disabled()
    sent = []
    page.on("request", lambda r: r.method == "POST" and r.url.endswith("/status") and sent.append(r.url))
    select.select_option("in_progress")
    assert apply.is_enabled()
    asked = []
    page.once("dialog", lambda d: asked.append(d.message) or d.dismiss())
    apply.click()
    assert asked == ["将 3 处改为「整改中」?"]
    assert sent == [] and page.locator("section.bulk").is_visible()
    page.once("dialog", lambda d: d.accept())
    apply.click()
    page.wait_for_selector(".message-ok")
    assert {stored(demo_dir, fid)["properties"]["status"] for fid in chosen} == {"in_progress"}
    assert log.console_errors == []


def test_names_are_written_on_the_map_without_overlapping(browser, planners):
    page, log = editor_page(browser, planners)
    page.wait_for_selector(".guatu-edit-label-street:not([hidden])")
    streets = page.evaluate("() => [...document.querySelectorAll('.guatu-edit-label-street:not([hidden])')].map(n => n.innerText)")
    assert "大学路街道" in streets
    page.evaluate("""() => { const ed = guatuPage.editors[0];
        ed.map.setView(ed.byId['c-0001'].getBounds().getCenter(), 17, {animate: false}); }""")
    page.wait_for_function("() => [...document.querySelectorAll('.guatu-edit-label-place:not([hidden])')].length > 0")
    name = page.evaluate("() => guatuPage.editors[0].byId['c-0001'].feature.properties.name")
    labels = page.evaluate("""() => [...document.querySelectorAll('.guatu-edit-label:not([hidden]) span')].map(s => {
        const r = s.getBoundingClientRect(); return {text: s.innerText, box: [r.left, r.top, r.right, r.bottom]}; })""")
    assert name in [label["text"] for label in labels]
    for i, a in enumerate(labels):
        for b in labels[i + 1:]:
            ax0, ay0, ax1, ay1 = a["box"]
            bx0, by0, bx1, by1 = b["box"]
            assert not (ax0 < bx1 - 1 and bx0 < ax1 - 1 and ay0 < by1 - 1 and by0 < ay1 - 1), (a, b)
    assert log.console_errors == []


def test_search_on_a_phone_opens_the_place_in_the_raised_sheet(browser, planners):
    page, log = editor_page(browser, planners, touch=True, **PHONE)
    page.locator(".guatu-sheet-handle").tap()
    box = page.locator("input[name=place-search]")
    box.tap()
    box.fill("大学路")
    first = page.locator("#guatu-edit-search-results [role=option]").first
    fid = first.get_attribute("data-id")
    r = first.bounding_box()
    assert r["height"] >= 44 and r["x"] >= 0 and r["x"] + r["width"] <= PHONE["width"]
    first.tap()
    page.wait_for_selector(f"form.attrs h2:has-text('{fid}')")
    assert page.locator(".guatu-sheet-handle").get_attribute("aria-expanded") == "true"
    assert log.console_errors == []


def test_a_place_opened_by_search_is_the_one_edited(browser, planners, demo_dir):
    page, _ = editor_page(browser, planners)
    open_place(page, "c-0002")
    page.fill("form.attrs input[name=unit]", "区住建局")
    page.click("form.attrs button[data-action=save]")
    page.wait_for_selector(".message-ok")
    assert stored(demo_dir, "c-0002")["properties"]["unit"] == "区住建局"
