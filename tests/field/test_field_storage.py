"""The inspector's phone page in a real Chromium on a 390 px touch phone when its storage or the server fails: a
result or a photo the phone cannot keep is said so on its card (the form kept, the button usable again) and kept at
the next try once there is room; a browser that keeps nothing at all says so instead of a page that silently loses
every record; a queue the server does not take (busy, or a public Wi-Fi's login page answering) says it is stuck and
goes once the server takes it."""

from __future__ import annotations

import pytest

from tests.browser.harness import NO_STORAGE, STORAGE_FULL, copy_demo, live_server
from tests.field.phone import (
    DAY,
    EDITOR,
    attach_on_phone,
    call,
    card,
    fixed_clock,
    jpeg,
    queued,
    record_on_phone,
    sign_in,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def server(tmp_path):
    data = copy_demo(tmp_path / "data")
    with live_server(data, GUATU_CLOCK=fixed_clock, GUATU_REFRESH_SECONDS=0) as s:
        s.app.extensions["guatu_accounts"].create_user(EDITOR[0], EDITOR[1], "editor", "李督导")
        status, listing = call(s, "POST", f"/api/inspections/{DAY}", {"count": 2, "seed": 42})
        assert status == 201
        s.places = listing["places"]
        yield s


def test_a_result_and_a_photo_the_phone_cannot_keep_are_said_so_and_kept_at_the_next_try(browser, server):
    page, log = sign_in(browser, server, init_script=STORAGE_FULL)
    page.wait_for_selector("html[data-field-offline-ready]", state="attached")
    page.context.set_offline(True)  # what is kept waits on the phone: the queue's count is what it holds
    fid = server.places[0]["id"]
    page.evaluate("() => { window.guatuStorageFull = true; }")
    record_on_phone(page, fid, "problem", category="乱堆乱放", notes="楼道堆物")
    message = card(page, fid).locator(".field-form-message")
    page.wait_for_function(f"() => document.querySelector('#field-place-{fid} .field-form-message').textContent !== ''")
    assert message.inner_text() == "未能保存在本机(存储空间可能已满),请清理手机空间后再保存一次。"
    assert card(page, fid).locator(".field-save").is_enabled()
    assert card(page, fid).locator("textarea[name=notes]").input_value() == "楼道堆物"

    page.evaluate("() => { window.guatuStorageFull = false; }")  # room again
    card(page, fid).locator(".field-save").tap()
    queued(page, 1)
    assert card(page, fid).locator(".field-form").is_hidden()  # the result is kept: its form goes

    page.evaluate("() => { window.guatuStorageFull = true; }")  # full again, for a photo taken after the result
    attach_on_phone(page, fid, ("gate.jpg", jpeg((40, 120, 40))))
    said = card(page, fid).locator(".field-photo-message")
    page.wait_for_function(f"() => document.querySelector('#field-place-{fid} .field-photo-message').textContent !== ''")
    assert said.is_visible() and said.inner_text().startswith("有照片未能保存在本机")
    page.evaluate("() => { window.guatuStorageFull = false; }")
    attach_on_phone(page, fid, ("gate.jpg", jpeg((40, 120, 40))))
    queued(page, 2)
    assert said.inner_text() == ""
    assert [e for e in log.console_errors if "ERR_INTERNET_DISCONNECTED" not in e] == []
    page.context.close()


def test_a_browser_that_keeps_nothing_says_so(browser, server):
    page, log = sign_in(browser, server, init_script=NO_STORAGE)
    note = page.locator("[data-field-note]")
    assert note.inner_text().startswith("这部手机的浏览器不能在本机保存记录")
    assert page.locator(".field-card").count() == 0
    assert log.console_errors == []
    page.context.close()


def test_a_queue_the_server_does_not_take_says_so_and_goes_once_it_does(browser, server):
    page, log = sign_in(browser, server)
    fid = server.places[0]["id"]
    served = []  # what the "server" answered to each try, until the test lets the requests through

    def refuse(route):
        if route.request.method != "POST" or "open" in served:
            route.continue_()
        elif len(served) == 1:  # the second try: a public Wi-Fi's login page instead of the server's answer
            served.append("portal")
            route.fulfill(status=200, content_type="text/html", body="<html><body>请先登录 Wi-Fi</body></html>")
        else:
            served.append("busy")
            route.fulfill(status=503, content_type="application/json", body='{"title": "忙"}')

    page.route(f"**/api/inspections/{DAY}/{fid}", refuse)
    counter = page.locator("[data-field-queue]")
    with page.expect_event("response", lambda r: r.request.method == "POST" and r.headers["content-type"] == "text/html",
                           timeout=60_000):
        record_on_phone(page, fid, "ok", notes="门前干净")
        page.wait_for_function("() => document.querySelector('[data-field-queue]').dataset.stuck === 'true'")
        assert counter.inner_text() == "待上传 1(服务器暂时没有接收,稍后自动重试)"
    assert served[:2] == ["busy", "portal"]  # the page's own retry met the login page
    assert counter.inner_text() == "待上传 1(服务器暂时没有接收,稍后自动重试)"
    served.append("open")
    queued(page, 0)  # and its retries went on after it (no flush asked by the test): not stopped for good
    assert counter.inner_text() == "已全部上传"
    assert [e for e in log.console_errors if "503" not in e] == []
    page.context.close()
