"""A planner's writes in a real Chromium when the network fails them: a save, a ledger entry or a delete that
cannot reach the server says so (the form keeps what was typed, nothing changes) and goes through on the next try;
a double click sends one save, not a second that would be refused as stale; a save whose map refresh fails still
says it was saved, and that the map is behind. A place that cannot be read for the same reason says so too."""

from __future__ import annotations

from tests.browser.editor_session import editor_page, open_place, stored

UNREACHABLE = "连不上服务器,这次操作没有完成"




def cut_off(page, method: str, pattern: str = "**/api/layers/courtyards/**"):
    """Requests of `method` to `pattern` fail as a dropped network would; the others go through."""
    def handle(route):
        if route.request.method == method:
            route.abort("internetdisconnected")
        else:
            route.continue_()
    page.route(pattern, handle)
    return handle


def uncaught(log) -> list[str]:
    """The page's errors other than the failed requests themselves."""
    return [e for e in log.console_errors if "Failed to load resource" not in e]


def test_a_save_that_cannot_reach_the_server_says_so_keeps_the_form_and_saves_on_the_next_try(browser, planners, demo_dir):
    page, log = editor_page(browser, planners)
    open_place(page, "c-0004")
    before = stored(demo_dir)["properties"]
    handle = cut_off(page, "PATCH")
    page.fill("form.attrs input[name=unit]", "区城管局")
    page.click("form.attrs button[data-action=save]")
    page.wait_for_selector(".message-error")
    assert UNREACHABLE in page.inner_text(".message-error")
    assert page.input_value("form.attrs input[name=unit]") == "区城管局"
    assert stored(demo_dir)["properties"]["version"] == before["version"]

    page.unroute("**/api/layers/courtyards/**", handle)
    page.click("form.attrs button[data-action=save]")
    page.wait_for_selector(".message-ok")
    after = stored(demo_dir)["properties"]
    assert after["unit"] == "区城管局" and after["version"] == before["version"] + 1
    assert uncaught(log) == []


def test_a_double_click_on_save_sends_one_save_and_is_not_refused_as_stale(browser, planners, demo_dir):
    page, log = editor_page(browser, planners)
    open_place(page, "c-0004")
    before = stored(demo_dir)["properties"]["version"]
    patches = []
    page.on("request", lambda r: patches.append(r.url) if r.method == "PATCH" else None)
    page.fill("form.attrs input[name=unit]", "区城管局")
    shown = page.evaluate("""() => {
        const button = document.querySelector('form.attrs button[data-action=save]');
        button.click();
        button.click();
        const message = document.querySelector('.message');
        return [message.className, message.innerText];
    }""")
    assert shown == ["message message-info", "正在保存…"]
    page.wait_for_selector(".message-ok, .message-error, .message-conflict")
    assert page.locator(".message-conflict").count() == 0
    assert len(patches) == 1
    assert stored(demo_dir)["properties"]["version"] == before + 1
    assert log.console_errors == []


def test_a_ledger_entry_that_cannot_reach_the_server_says_so_and_files_on_the_next_try(browser, planners, demo_dir):
    page, log = editor_page(browser, planners)
    open_place(page, "c-0004")
    count = len(stored(demo_dir)["properties"]["problems"])
    handle = cut_off(page, "POST")
    page.click("button[data-action=problem-add]")
    page.select_option(".problem-form select[name=category]", "飞线充电")
    page.fill(".problem-form textarea[name=description]", "楼道飞线")
    page.click("button[data-action=problem-save]")
    page.wait_for_selector(".message-error")
    assert UNREACHABLE in page.inner_text(".message-error")
    assert page.input_value(".problem-form textarea[name=description]") == "楼道飞线"
    assert len(stored(demo_dir)["properties"]["problems"]) == count

    page.unroute("**/api/layers/courtyards/**", handle)
    page.click("button[data-action=problem-save]")
    page.wait_for_selector(".message-ok")
    problems = stored(demo_dir)["properties"]["problems"]
    assert len(problems) == count + 1 and problems[-1]["description"] == "楼道飞线"
    assert uncaught(log) == []


def test_a_delete_that_cannot_reach_the_server_says_so_and_leaves_the_place(browser, planners, demo_dir):
    page, log = editor_page(browser, planners)
    open_place(page, "c-0004")
    before = stored(demo_dir)["properties"]["version"]
    cut_off(page, "DELETE")
    page.on("dialog", lambda d: d.accept())
    page.click("button[data-action=delete]")
    page.wait_for_selector(".message-error")
    assert UNREACHABLE in page.inner_text(".message-error")
    assert page.locator("form.attrs h2:has-text('c-0004')").count() == 1
    assert stored(demo_dir)["properties"]["version"] == before
    assert uncaught(log) == []


def test_a_save_whose_map_refresh_fails_says_it_was_saved_and_that_the_map_is_behind(browser, planners, demo_dir):
    page, log = editor_page(browser, planners)
    open_place(page, "c-0004")
    before = stored(demo_dir)["properties"]["version"]
    cut_off(page, "GET", "**/api/wall/state*")
    page.fill("form.attrs input[name=unit]", "区城管局")
    page.click("form.attrs button[data-action=save]")
    page.wait_for_selector(".message-ok")
    message = page.inner_text(".message-ok")
    assert f"第 {before + 1} 版" in message and "地图未能刷新" in message
    assert stored(demo_dir)["properties"]["unit"] == "区城管局"
    assert uncaught(log) == []


def test_a_place_that_cannot_be_read_for_lack_of_network_says_so(browser, planners):
    page, log = editor_page(browser, planners)
    cut_off(page, "GET", "**/api/layers/courtyards/features/c-0004")
    page.fill("input[name=place-search]", "c-0004")
    page.keyboard.press("Enter")
    page.wait_for_selector(".message-error")
    assert page.inner_text(".message-error") == "连不上服务器,无法读取该地点"
    assert page.locator("form.attrs").is_hidden()
    assert uncaught(log) == []
