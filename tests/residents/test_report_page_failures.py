"""The reporting page in a real Chromium on a 390 px touch phone when things go wrong: a report queued offline and
refused by the server after the resident moved on is listed in 我的反映 with the server's reason until read, never
dropped without a word; a double tap makes one report; a report the phone cannot keep says so and keeps the form; a
browser that keeps nothing says so instead of sending the form as a page; a report the server does not take yet says
so while it is tried again."""

from __future__ import annotations

import pytest
import shapely
from shapely.geometry import shape

from geo.residents.reports import reports
from tests.browser.harness import NO_STORAGE, STORAGE_FULL, copy_demo, live_server, open_phone_page

pytestmark = pytest.mark.browser


@pytest.fixture
def server(tmp_path):
    data = copy_demo(tmp_path / "data")
    with live_server(data, GUATU_REPORT_CHALLENGE_BITS=8) as s:
        place = s.app.extensions["guatu"].store.features("courtyards")[0]
        point = shapely.point_on_surface(shape(place["geometry"]))
        s.here = (point.x, point.y)
        yield s


def report_page(browser, server, init_script=None):
    page, log = open_phone_page(browser, server.url, "/report", geolocation=server.here, init_script=init_script)
    page.wait_for_selector("html[data-report-ready]", state="attached")
    return page, log


def fill(page, server, *, phone: str | None = None) -> None:
    page.evaluate("([lon, lat]) => window.guatuPage.report.pin(lon, lat)", list(server.here))
    page.select_option("#report-category", "乱堆乱放")
    page.fill("#report-description", "楼下堆满旧家具")
    if phone:
        page.fill("#report-phone", phone)


def queue_count(page) -> int:
    return page.evaluate("() => window.guatuPage.report.queueCount()")


def test_a_report_refused_after_the_resident_moved_on_is_listed_with_the_reason_until_read(browser, server):
    page, log = report_page(browser, server)
    page.wait_for_selector("html[data-report-offline-ready]", state="attached")
    page.context.set_offline(True)
    fill(page, server, phone="12")  # not a phone number: the server will refuse the report
    page.tap("#report-send")
    page.wait_for_function("() => document.getElementById('report-done-text').textContent.includes('联网后自动发送')")
    page.tap("#report-again")  # the resident moves on before the network is back
    page.context.set_offline(False)
    page.evaluate("() => window.guatuPage.report.flush()")
    refused = page.locator("#report-mine li.report-mine-refused")
    refused.wait_for()
    assert refused.inner_text().startswith("乱堆乱放 · 未被受理:")
    assert "电话" in refused.inner_text()  # the server's own reason
    assert page.locator("#report-mine li.report-mine-waiting").count() == 0  # out of the outbox before it is listed
    assert queue_count(page) == 0 and reports(server.app.extensions["guatu"].store) == []

    page.reload()  # kept on the phone until read
    page.wait_for_selector("html[data-report-ready]", state="attached")
    refused.wait_for()
    refused.locator("button.report-mine-dismiss").tap()
    page.wait_for_selector("#report-mine li.report-mine-empty")
    assert [e for e in log.console_errors if "ERR_INTERNET_DISCONNECTED" not in e and "422" not in e] == []
    page.context.close()


def test_a_double_tap_makes_one_report(browser, server):
    page, _ = report_page(browser, server)
    page.wait_for_selector("html[data-report-offline-ready]", state="attached")
    page.context.set_offline(True)  # kept on the phone: what the outbox holds is what was made
    fill(page, server)
    page.evaluate("""() => { const form = document.getElementById('report-form');
        form.requestSubmit(); form.requestSubmit(); }""")
    page.wait_for_function("() => !document.getElementById('report-done').hidden")
    assert queue_count(page) == 1
    page.context.close()


def test_a_report_the_phone_cannot_keep_says_so_and_keeps_the_form(browser, server):
    page, _ = report_page(browser, server, init_script=STORAGE_FULL)
    fill(page, server)
    page.evaluate("() => { window.guatuStorageFull = true; }")
    page.tap("#report-send")
    page.wait_for_function("() => document.getElementById('report-error').textContent !== ''")
    assert page.inner_text("#report-error") == "未能保存在手机上(存储空间可能已满),请清理空间后再提交一次。"
    assert page.input_value("#report-description") == "楼下堆满旧家具" and page.is_enabled("#report-send")

    page.evaluate("() => { window.guatuStorageFull = false; }")
    page.tap("#report-send")
    page.wait_for_selector("#report-code a")  # sent: the receipt code
    made = reports(server.app.extensions["guatu"].store)
    assert len(made) == 1 and made[0]["description"] == "楼下堆满旧家具"
    page.context.close()


def test_a_browser_that_keeps_nothing_says_so_and_sends_no_form(browser, server):
    page, log = open_phone_page(browser, server.url, "/report", geolocation=server.here, init_script=NO_STORAGE)
    page.wait_for_function("() => document.getElementById('report-error').textContent !== ''")
    assert page.inner_text("#report-error").startswith("这部手机的浏览器不能在本机保存反映")
    assert page.is_disabled("#report-send")
    page.fill("#report-description", "楼下堆满旧家具")  # sent anyway (a keyboard's Enter): not as a page
    page.evaluate("() => document.getElementById('report-form').requestSubmit()")
    assert page.evaluate("() => document.getElementById('report-description').value") == "楼下堆满旧家具"
    assert "?" not in page.url and "楼下" not in page.url
    page.context.close()


def test_a_report_the_server_does_not_take_yet_says_so_and_goes_once_it_does(browser, server):
    page, _ = report_page(browser, server)
    busy = [True]

    def refuse(route):
        if busy[0] and route.request.method == "POST":
            route.fulfill(status=503, content_type="application/json", body='{"title": "忙"}')
        else:
            route.continue_()

    page.route("**/api/residents/reports", refuse)
    fill(page, server)
    page.tap("#report-send")
    page.wait_for_function("() => document.getElementById('report-done-text').textContent.startsWith('服务器暂时没有接收')")
    busy[0] = False
    page.evaluate("() => window.guatuPage.report.flush()")
    page.wait_for_selector("#report-code a")
    assert page.inner_text("#report-done-text").startswith("已提交")
    page.context.close()
