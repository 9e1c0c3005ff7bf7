"""Planners in a real Chromium: draw, reshape, edit attributes, conflicts, bulk status, delete."""

from __future__ import annotations

import pytest

from geo.cases import stage_label
from geo.config import load_campaign
from geo.store import open_store
from tests.browser.editor_session import box_select, drag_first_vertex, map_point, set_bulk_status
from tests.browser.harness import copy_demo, live_server, open_page, wait_ready

PASSWORD = "a long password"


@pytest.fixture
def campaign_dir(tmp_path):
    return copy_demo(tmp_path / "data")


@pytest.fixture
def server(campaign_dir, clock):
    """The app on the test's clock (2026-11-24 16:00 in the campaign's time zone), never the real date."""
    with live_server(campaign_dir, GUATU_PUBLIC_VIEW=False, GUATU_CLOCK=clock) as s:
        acc = s.app.extensions["guatu_accounts"]
        acc.create_user("planner1", PASSWORD, "editor", "张规划")
        acc.create_user("planner2", PASSWORD, "editor", "李规划")
        yield s


def store(campaign_dir):
    return open_store(campaign_dir, load_campaign(campaign_dir))


def editor_page(browser, server, user="planner1"):
    page, log = open_page(browser, server.url, "/login?next=/edit")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    wait_ready(page)
    return page, log


def click_feature(page, fid):
    page.evaluate("""(fid) => {
        const ed = guatuPage.editors[0];
        ed.map.fitBounds(ed.byId[fid].getBounds(), {maxZoom: 17, animate: false});
    }""", fid)
    lat, lon = page.evaluate("(fid) => { const c = guatuPage.editors[0].byId[fid].getBounds().getCenter(); return [c.lat, c.lng]; }", fid)
    x, y = map_point(page, lat, lon)
    page.mouse.click(x, y)
    page.wait_for_selector(f"form.attrs h2:has-text('{fid}')")


def save_and_wait(page):
    page.click("button[data-action=save]")
    page.wait_for_selector(".message-ok, .message-error, .message-conflict")


def test_draw_a_courtyard_and_save_it(browser, server, campaign_dir):
    page, log = editor_page(browser, server)
    page.evaluate("() => { guatuPage.editors[0].map.setView([34.6300, 113.6000], 17, {animate: false}); }")
    page.click("button[data-action=new][data-layer=courtyards]")
    corners = [(34.6300, 113.6000), (34.6300, 113.6010), (34.6308, 113.6010), (34.6308, 113.6000)]
    for n, (lat, lon) in enumerate(corners):
        x, y = map_point(page, lat, lon)
        page.mouse.click(x, y)
        page.wait_for_function("(n) => guatuPage.editors[0].map.pm.Draw.Polygon._layer.getLatLngs().length === n", arg=n + 1)
    page.mouse.click(*map_point(page, *corners[0]))  # back on the first corner closes the ring
    page.wait_for_selector("form.attrs input[name=name]")
    page.fill("form.attrs input[name=name]", "新建测试院")
    page.select_option("form.attrs select[name=status]", "pending")
    save_and_wait(page)
    assert "已保存" in page.inner_text(".message")
    created = [f for f in store(campaign_dir).features("courtyards") if f["properties"]["name"] == "新建测试院"]
    assert len(created) == 1
    props = created[0]["properties"]
    assert props["updated_by"] == "张规划 (planner1)" and props["status"] == "pending"
    assert props["street"] == "金水源街道"  # filled from the boundary it was drawn in
    ring = created[0]["geometry"]["coordinates"][0]
    assert len(ring) == 5 and abs(ring[0][0] - 113.6) < 0.0002
    assert log.outside == [] and log.console_errors == []


def test_edit_attributes(browser, server, campaign_dir):
    page, log = editor_page(browser, server)
    click_feature(page, "c-0002")
    page.fill("form.attrs input[name=unit]", "区住建局")
    page.select_option("form.attrs select[name=status]", "rectified")
    save_and_wait(page)
    props = store(campaign_dir).get("courtyards", "c-0002")["properties"]
    assert props["unit"] == "区住建局" and props["status"] == "rectified" and props["version"] == 2
    assert log.console_errors == []


def test_move_a_vertex_and_save(browser, server, campaign_dir):
    before = store(campaign_dir).get("courtyards", "c-0003")["geometry"]
    page, log = editor_page(browser, server)
    click_feature(page, "c-0003")
    drag_first_vertex(page)
    save_and_wait(page)
    after = store(campaign_dir).get("courtyards", "c-0003")
    assert after["geometry"] != before
    assert after["properties"]["version"] == 2
    assert log.console_errors == []


def test_box_select_and_set_many_statuses(browser, server, campaign_dir):
    page, log = editor_page(browser, server)
    expected = page.evaluate("""() => {
        const ed = guatuPage.editors[0];
        ed.map.fitBounds(ed.byId['c-0001'].getBounds().pad(3), {animate: false});
        const size = ed.map.getSize();
        const box = L.latLngBounds(ed.map.containerPointToLatLng([80, 80]),
                                   ed.map.containerPointToLatLng([size.x - 60, size.y - 60]));
        return Object.keys(ed.byId).filter(id => box.intersects(ed.byId[id].getBounds())).sort();
    }""")
    assert expected
    box_select(page, page.evaluate("() => { const s = guatuPage.editors[0].map.getSize(); return [s.x, s.y]; }"))
    chosen = sorted(page.evaluate("() => Object.keys(guatuPage.editors[0].selection)"))
    assert chosen == expected
    set_bulk_status(page, "accepted")
    s = store(campaign_dir)
    layer_of = {f["id"]: lid for lid in ("courtyards", "roads", "villages") for f in s.features(lid)}
    assert {s.get(layer_of[fid], fid)["properties"]["status"] for fid in chosen} == {"accepted"}
    assert log.console_errors == []


def test_delete_asks_for_confirmation(browser, server, campaign_dir):
    page, _ = editor_page(browser, server)
    click_feature(page, "c-0005")
    deletes, asked = [], []
    page.on("request", lambda r: r.method == "DELETE" and deletes.append(r.url))
    page.once("dialog", lambda d: asked.append(d.message) or d.dismiss())
    page.click("button[data-action=delete]")
    assert asked and "确定删除" in asked[0]
    assert "c-0005" in page.locator("form.attrs h2").inner_text()  # the place stays open in the form
    page.once("dialog", lambda d: d.accept())
    page.click("button[data-action=delete]")
    page.wait_for_selector(".message-ok")
    assert len(deletes) == 1 and deletes[0].endswith("/features/c-0005")  # only the confirmed one was sent
    assert "c-0005" not in {f["id"] for f in store(campaign_dir).features("courtyards")}


def test_a_problem_added_in_the_ledger_is_filed_as_a_case_and_links_to_its_case_page(browser, server, campaign_dir):
    page, _ = editor_page(browser, server)
    click_feature(page, "c-0006")
    assert "状态随台账自动变化" in page.inner_text("section.ledger .rule")
    page.click("button[data-action=problem-add]")
    assert page.locator(".problem-form select[name=status]").count() == 0  # the case loop alone moves a problem on
    page.select_option(".problem-form select[name=category]", "飞线充电")
    page.fill(".problem-form textarea[name=description]", "<b>剪飞线</b> 30 余根")
    page.click("button[data-action=problem-save]")
    page.wait_for_selector(".message-ok")
    new = store(campaign_dir).get("courtyards", "c-0006")["properties"]["problems"][-1]
    assert new["description"] == "<b>剪飞线</b> 30 余根" and new["status"] == "open"
    assert new["case"]["stage"] == "filed" and new["case"]["source"] == "planner"
    row = page.locator(f"tr[data-problem='{new['id']}']")
    assert row.locator("td").nth(1).inner_text() == "<b>剪飞线</b> 30 余根"
    assert row.locator("td.case-stage").inner_text() == stage_label("filed")
    assert row.locator("button[data-action=problem-close]").count() == 0
    assert row.locator("td.case-due").inner_text() == "2026-11-25 11:30"  # 立案 4 working hours, campaign time
    older = page.locator("tr[data-problem='c-0006-p1']")  # closed before cases: read as a closed case
    assert older.locator("td.case-stage").inner_text() == stage_label("closed")
    link = row.locator("a[data-action=problem-case]")
    assert link.get_attribute("href") == f"/cases/courtyards/c-0006/{new['id']}"
    link.click()
    page.wait_for_url(f"**/cases/courtyards/c-0006/{new['id']}")
    assert page.locator("#case").get_attribute("data-stage") == "filed"
    assert page.locator("[data-case-stage]").inner_text() == stage_label("filed")


def test_the_map_as_it_stood_on_a_past_day(browser, server, campaign_dir, clock):
    s = open_store(campaign_dir, load_campaign(campaign_dir), clock=clock)  # changed on the 24th, after the 23rd
    before = s.get("courtyards", "c-0007")["properties"]["status"]
    s.update("courtyards", "c-0007", properties={"status": "relapsed" if before != "relapsed" else "pending"},
             expected_version=s.get("courtyards", "c-0007")["properties"]["version"], user="测试")
    page, log = editor_page(browser, server)
    page.fill("section.past input[name=as-of]", "2026-11-23")
    page.click("button[data-action=as-of]")
    page.wait_for_selector(".message-info:has-text('2026-11-23')")
    assert page.evaluate("() => guatuPage.editors[0].asOf.statuses['c-0007']") == before
    page.click("button[data-action=as-of-exit]")
    assert page.evaluate("() => guatuPage.editors[0].asOf") is None
    assert log.console_errors == []
