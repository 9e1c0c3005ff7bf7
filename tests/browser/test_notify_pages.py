"""The notifications' pages in a real Chromium: an admin adds a 钉钉 robot with its 加签 secret, tests it against a
real local receiver, sees a delivery fail while the receiver is down and sends it again; a person sets their
notifications on a phone (390 px, touch) — under the CSP, no script, nothing from outside."""

from __future__ import annotations

import pytest

from geo.notify import outbox
from geo.notify.events import EVENT_KINDS, Event, emit
from tests.browser.harness import copy_demo, live_server, open_page, open_phone_page
from tests.browser.phone_audit import audit, problems
from tests.notify.receivers import Receiver

PASSWORD = "a long password"
SECRET = "SEC0123456789abcdef"


@pytest.fixture
def receiver():
    r = Receiver(secrets={"/dingtalk": SECRET})
    yield r
    r.close()


@pytest.fixture
def server(tmp_path):
    with live_server(copy_demo(tmp_path / "data"), GUATU_PUBLIC_VIEW=False, GUATU_REFRESH_SECONDS=0) as s:
        acc = s.app.extensions["guatu_accounts"]
        acc.create_user("admin1", PASSWORD, "admin", "赵管")
        acc.create_user("zhujian", PASSWORD, "editor", "张伟")
        yield s


def _login(page, url, user, next_path):
    page.goto(f"{url}/login?next={next_path}")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"**{next_path}")


def test_an_admin_adds_a_dingtalk_robot_tests_it_and_retries_a_failed_delivery(browser, server, receiver):
    app = server.app
    page, log = open_page(browser, server.url, "/login")
    _login(page, server.url, "admin1", "/admin/notify")
    assert page.evaluate("() => document.scripts.length") == 0

    form = page.locator("#add-channel")
    form.locator("input[name=name]").fill("区住建局钉钉群")
    form.locator("select[name=type]").select_option("dingtalk")
    form.locator("input[name=url]").fill(receiver.url + "/dingtalk?access_token=abcdef0123456789")
    form.locator("input[name=secret]").fill(SECRET)
    for kind in EVENT_KINDS:  # residents' reports only: the demo's own news (its overdue cases…) is told elsewhere
        if kind != "report_arrived":
            form.locator(f"input[name=kinds][value={kind}]").uncheck()
    form.locator("button[type=submit]").click()
    assert "已新增通知渠道:区住建局钉钉群" in page.locator(".flash-ok").inner_text()
    row = page.locator("tr[data-channel]")
    assert "SEC0…(19)" in row.inner_text() and SECRET not in page.content() and "abcdef0123456789" not in page.content()

    row.locator("button[name=test]").click()
    assert "测试消息已发到“区住建局钉钉群”" in page.locator(".flash-ok").inner_text()
    (probe,) = receiver.to("/dingtalk")
    assert probe.signed is True and probe.json["msgtype"] == "markdown"

    store, clock, sender = app.extensions["guatu"].store, app.extensions["guatu"].clock, app.extensions["guatu_notify"]
    emit(store, Event(kind="report_arrived", key="k", at="2026-11-24T08:00:00Z", title="随手拍:<b>庆丰路</b>",
                      text="路面破损"))
    receiver.down = True
    for _ in range(sender.attempts):
        sender.tick()
        clock.advance(hours=1)
    page.goto(server.url + "/admin/notify?state=failed")
    failed = page.locator("tr[data-state=failed]")
    assert "随手拍:<b>庆丰路</b>" in failed.inner_text() and "接收方答复 HTTP 503" in failed.inner_text()

    receiver.down = False
    failed.locator("button[name=retry]").click()
    assert "已安排重新发送" in page.locator(".flash-ok").inner_text()
    assert sender.tick().delivered == 1
    page.goto(server.url + "/admin/notify?state=delivered")
    assert page.locator("tr[data-state=delivered] .delivery-state").inner_text().startswith("已送达")
    assert [d["state"] for d in outbox.log(store)] == ["delivered"]
    assert log.outside == [] and log.console_errors == []
    page.context.close()


def test_a_person_sets_their_notifications_on_a_phone(browser, server):
    page, log = open_phone_page(browser, server.url, "/login")
    _login(page, server.url, "zhujian", "/account/notify")
    found = audit(page)
    assert problems(found) == {} and found["targets"] > 0

    page.locator("input[name=kinds][value=digest]").tap()  # off
    page.fill("input[name=address]", "zhangwei@example.cn")
    page.locator("input[name=email]").tap()
    page.fill("input[name=quiet_start]", "22:00")
    page.fill("input[name=quiet_end]", "07:00")
    page.locator("#notify-settings button[type=submit]").tap()
    assert page.locator(".flash-ok").inner_text() == "通知设置已保存"
    assert page.locator("input[name=kinds][value=digest]").is_checked() is False
    assert page.locator("input[name=email]").is_checked() and page.input_value("input[name=quiet_start]") == "22:00"

    page.fill("input[name=address]", "")  # copies without an address: refused, nothing changed
    page.locator("#notify-settings button[type=submit]").tap()
    assert "请先在账号里填写电子邮箱" in page.locator(".flash-error").inner_text()
    assert server.app.extensions["guatu_accounts"].get_user("zhujian").email == "zhangwei@example.cn"
    assert log.outside == [] and log.console_errors == []
    page.context.close()
