"""Two planners on the same place in a real Chromium: the second save gets a field-by-field table in Chinese
(字段 / 你的值 / 对方的值 / 原值) with only the fields that differ, a choice per field, and saves on top of the other
person's version so nothing of theirs not chosen away is lost — the ledger and the shape included."""

from __future__ import annotations

from geo.config import load_campaign
from geo.store import open_store
from tests.browser.editor_session import drag_first_vertex, editor_page, open_place, stored
from tests.browser.harness import PHONE


def save(page):
    page.click("form.attrs button[data-action=save]")
    page.wait_for_selector(".message-ok, .message-error, .message-conflict")


def table(page) -> list[list[str]]:
    return page.evaluate("""() => [...document.querySelectorAll('table.conflict tbody tr')].map(tr =>
        [...tr.querySelectorAll('th, td.mine, td.theirs, td.base')].map(c => c.innerText.trim()))""")


def test_a_stale_save_lists_only_real_differences_and_saves_on_top_of_the_others_version(browser, planners, demo_dir):
    first, first_log = editor_page(browser, planners, "planner1")
    second, _ = editor_page(browser, planners, "planner2")
    open_place(first, "c-0004")
    open_place(second, "c-0004")
    # the other planner files a problem in the ledger, then changes the unit and the milestone
    second.click("button[data-action=problem-add]")
    second.select_option(".problem-form select[name=category]", "飞线充电")
    second.fill(".problem-form textarea[name=description]", "楼道飞线")
    second.click("button[data-action=problem-save]")
    second.wait_for_selector(".message-ok")
    second.fill("form.attrs input[name=unit]", "区城管局")
    second.fill("form.attrs input[name=deadline]", "2026-12-31")
    save(second)
    theirs = stored(demo_dir)["properties"]
    assert theirs["unit"] == "区城管局" and theirs["version"] == 3
    problem = theirs["problems"][-1]
    assert problem["description"] == "楼道飞线"

    first.fill("form.attrs input[name=unit]", "街道办")
    first.fill("form.attrs textarea[name=notes]", "已约谈<物业>")
    save(first)
    message = first.inner_text(".message-conflict")
    assert "「李规划 (planner2)」" in message and "第 3 版" in message
    assert "{" not in message and "图形" not in message  # no raw JSON, and the shape did not change
    assert "台账:对方新增 1 条" in message
    headers = first.evaluate("() => [...document.querySelectorAll('table.conflict thead th')].map(th => th.innerText)")
    assert headers[:4] == ["字段", "你的值", "对方的值", "原值"]
    status = {s.key: s.label for s in load_campaign(demo_dir).statuses}
    rows = table(first)
    expected = [["时间节点", "(空)", "2026-12-31", "(空)"], ["责任单位", "街道办", "区城管局", "区政府办"],
                ["备注", "已约谈<物业>", "(空)", "(空)"]]
    if theirs["status"] != "unsurveyed":  # the ledger's rule moved the status when the problem was filed
        expected.insert(0, ["状态", status["unsurveyed"], status[theirs["status"]], status["unsurveyed"]])
    assert rows == expected
    # defaults: theirs where they changed it, mine where only I did
    checked = first.evaluate("() => [...document.querySelectorAll('table.conflict input:checked')].map(i => i.name + '=' + i.value)")
    assert "conflict-unit=theirs" in checked and "conflict-notes=mine" in checked and "conflict-deadline=theirs" in checked
    assert stored(demo_dir)["properties"]["version"] == 3  # the refused save changed nothing

    first.check("table.conflict input[name=conflict-unit][value=mine]")
    first.click("button[data-action=conflict-save]")
    first.wait_for_selector(".message-ok")
    after = stored(demo_dir)["properties"]
    assert after["version"] == 4 and after["updated_by"] == "张规划 (planner1)"
    assert after["unit"] == "街道办" and after["notes"] == "已约谈<物业>"  # mine, chosen
    assert after["deadline"] == "2026-12-31" and after["status"] == theirs["status"]  # theirs, kept
    assert [p["id"] for p in after["problems"]] == [p["id"] for p in theirs["problems"]]  # their ledger, untouched
    assert "第 4 版" in first.locator("form.attrs h2").inner_text()  # the form now holds the saved version
    assert [e for e in first_log.console_errors if "409" not in e] == []  # the refused save is the only error


def test_a_shape_changed_by_the_other_is_kept_unless_mine_is_chosen(browser, planners, demo_dir):
    before = stored(demo_dir, "c-0003")["geometry"]
    first, _ = editor_page(browser, planners, "planner1")
    second, _ = editor_page(browser, planners, "planner2")
    open_place(first, "c-0003")
    open_place(second, "c-0003")
    drag_first_vertex(second)
    save(second)
    theirs = stored(demo_dir, "c-0003")
    assert theirs["geometry"] != before

    first.fill("form.attrs input[name=name]", "改名后的院")
    save(first)
    assert [r[0] for r in table(first)] == ["名称", "图形"]
    shape = table(first)[1]
    assert shape[1] == "原图形" and shape[2].startswith("修改后的图形(") and shape[3] == "原图形"
    first.click("button[data-action=conflict-save]")
    first.wait_for_selector(".message-ok")
    after = stored(demo_dir, "c-0003")
    assert after["properties"]["name"] == "改名后的院"  # only I renamed it: mine by default
    assert after["geometry"] == theirs["geometry"]  # their outline survives my save


def test_the_conflict_table_fits_a_phone(browser, planners, demo_dir):
    first, log = editor_page(browser, planners, "planner1", touch=True, **PHONE)
    second, _ = editor_page(browser, planners, "planner2")
    open_place(first, "c-0008")
    open_place(second, "c-0008")
    second.fill("form.attrs input[name=unit]", "区城管局")
    save(second)
    first.fill("form.attrs input[name=unit]", "街道办")
    first.locator("form.attrs button[data-action=save]").tap()
    first.wait_for_selector("table.conflict")
    assert table(first) == [["责任单位", "街道办", "区城管局", "区政府办"]]
    fits = first.evaluate("""() => { const p = document.querySelector('.guatu-edit-panel');
        const t = document.querySelector('table.conflict').getBoundingClientRect();
        return p.scrollWidth <= p.clientWidth && t.right <= innerWidth; }""")
    assert fits
    first.locator("table.conflict input[name=conflict-unit][value=mine]").tap()
    first.locator("button[data-action=conflict-save]").tap()
    first.wait_for_selector(".message-ok")
    assert stored(demo_dir, "c-0008")["properties"]["unit"] == "街道办"
    assert [e for e in log.console_errors if "409" not in e] == []


def test_a_delete_refused_because_the_place_changed_shows_their_changes_first(browser, planners, demo_dir):
    first, _ = editor_page(browser, planners, "planner1")
    second, _ = editor_page(browser, planners, "planner2")
    open_place(first, "c-0005")
    open_place(second, "c-0005")
    second.fill("form.attrs input[name=unit]", "区城管局")
    save(second)
    first.once("dialog", lambda d: d.accept())
    first.click("form.attrs button[data-action=delete]")
    first.wait_for_selector(".message-conflict table.conflict")
    message = first.inner_text(".message-conflict")
    assert message.startswith("删除被拒绝") and "第 2 版" in message
    assert [row[0] for row in table(first)] == ["责任单位"] and table(first)[0][2] == "区城管局"
    assert first.locator("table.conflict input[type=radio]").count() == 0  # nothing to choose: only to read
    assert stored(demo_dir, "c-0005")["properties"]["version"] == 2  # still there
    first.once("dialog", lambda d: d.accept())
    first.click("button[data-action=delete-anyway]")
    first.wait_for_selector(".message-ok")
    s = open_store(demo_dir, load_campaign(demo_dir))
    try:
        assert "c-0005" not in {f["id"] for f in s.features("courtyards")}
    finally:
        s.close()
