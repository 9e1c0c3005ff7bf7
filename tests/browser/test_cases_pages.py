"""The case pages on a phone (390 px, touch) in a real Chromium: a handler reports a case fixed with an after photo
from the case page, an inspector confirms it with a check photo, the timeline shows both (the photos open in the
lightbox); the queues page filters; a page that went stale keeps what was typed across its reload."""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request
from urllib.parse import quote, urlsplit

import pytest
from playwright.sync_api import expect

from geo.scope import Scope
from tests.browser.harness import copy_demo, live_server, open_phone_page
from tests.browser.phone_audit import audit, problems
from tests.photos.images import jpeg

PASSWORD = "a long password"
LAYER, FID = "courtyards", "c-0001"  # 大学路51号院 of 大学路街道, the demo's first place
PEOPLE = {"admin1": ("admin", None), "cmd": ("editor", None), "street1": ("editor", Scope(streets=("大学路街道",))),
          "handler1": ("editor", Scope(units=("区住建局",))), "insp": ("inspector", None)}


def call(server, user: str, method: str, path: str, body: dict | None = None, headers: dict | None = None) -> dict:
    auth = base64.b64encode(f"{user}:{PASSWORD}".encode()).decode()
    req = urllib.request.Request(server.url + path, method=method, data=json.dumps(body).encode() if body else None,
                                 headers={"Content-Type": "application/json", "Authorization": f"Basic {auth}",
                                          **(headers or {})})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.loads(resp.read())


def act(server, user: str, pid: str, action: str, **body) -> dict:
    version = call(server, user, "GET", f"/api/cases/{LAYER}/{FID}/{pid}")["feature"]["version"]
    return call(server, user, "POST", f"/api/cases/{LAYER}/{FID}/{pid}/actions", {"action": action, **body},
                {"If-Match": f'"{FID}-v{version}"'})


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The demo behind a login with the people of each level."""
    data = copy_demo(tmp_path_factory.mktemp("cases") / "data")
    with live_server(data, GUATU_PUBLIC_VIEW=False) as s:
        acc = s.app.extensions["guatu_accounts"]
        for user, (role, scope) in PEOPLE.items():
            acc.create_user(user, PASSWORD, role, user)
            if scope is not None:
                acc.update_user(user, scope=scope)
        yield s


@pytest.fixture
def case(server) -> str:
    """A problem filed now by the command on c-0001 and dispatched to handler1: its id."""
    version = call(server, "cmd", "GET", f"/api/layers/{LAYER}/features/{FID}")["properties"]["version"]
    placed = call(server, "cmd", "POST", f"/api/layers/{LAYER}/features/{FID}/problems",
                  {"problem": {"category": "乱堆乱放", "description": "楼道堆放杂物"}, "version": version})
    pid = placed["properties"]["problems"][-1]["id"]
    act(server, "cmd", pid, "dispatch", handler="handler1", note="请尽快清理")
    return pid


def sign_in(browser, server, user: str, path: str):
    page, log = open_phone_page(browser, server.url, f"/login?next={quote(path)}")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", PASSWORD)
    page.tap("button[type=submit]")
    page.wait_for_url(lambda url: urlsplit(url).path == urlsplit(path).path)
    page.wait_for_load_state("load")
    return page, log


def usable(page) -> None:
    found = audit(page)
    assert problems(found) == {}
    assert found["targets"] > 0 and found["texts"] > 0


def photo(name: str, colour) -> dict:
    return {"name": name, "mimeType": "image/jpeg", "buffer": jpeg(320, 240, colour=colour)}


def test_a_handler_reports_with_an_after_photo_and_an_inspector_confirms_with_a_check_photo(browser, server, case):
    page, log = sign_in(browser, server, "handler1", "/cases?queue=handle")
    usable(page)
    row = page.locator(f'[data-case="{LAYER}/{FID}/{case}"]')
    assert "楼道堆放杂物" in row.inner_text()
    row.locator("a").tap()
    page.wait_for_url(f"**/cases/{LAYER}/{FID}/{case}")
    page.wait_for_selector("html[data-case-ready]", state="attached")
    usable(page)
    box = page.locator('[data-action-box="report"]')
    box.locator("summary").tap()
    form = box.locator("form")
    form.locator("textarea[name=note]").fill("杂物已清运,楼道已打扫")
    form.locator("input[name=photo]").set_input_files(photo("after.jpg", (30, 60, 200)))
    form.locator("button[type=submit]").tap()
    page.wait_for_selector('.case-event[data-event="report"] .case-thumb')  # the page as it is now
    page.wait_for_selector("[data-case-note]:not([hidden])")
    assert page.locator("#case").get_attribute("data-stage") == "verifying"
    assert page.locator("[data-case-stage]").inner_text() == "待核查"
    assert "已办理" in page.locator("[data-case-note]").inner_text()
    assert page.locator('[data-action-box="confirm"]').count() == 0  # never the verifier of their own fix
    assert log.outside == [] and log.console_errors == []
    page.context.close()

    page, log = sign_in(browser, server, "insp", "/cases?queue=verify")
    page.locator(f'[data-case="{LAYER}/{FID}/{case}"] a').tap()
    page.wait_for_selector("html[data-case-ready]", state="attached")
    box = page.locator('[data-action-box="confirm"]')
    box.locator("summary").tap()
    box.locator("textarea[name=note]").fill("现场核查已整洁")
    box.locator("input[name=photo]").set_input_files(photo("check.jpg", (40, 200, 40)))
    box.locator("button[type=submit]").tap()
    page.wait_for_selector('.case-event[data-event="confirm"] .case-thumb')
    page.wait_for_selector("html[data-case-ready]", state="attached")
    assert page.locator("[data-case-stage]").inner_text() == "已结案"
    events = page.locator(".case-event")
    assert [events.nth(i).get_attribute("data-event") for i in range(events.count())][-2:] == ["report", "confirm"]
    report = page.locator('.case-event[data-event="report"]')
    assert "杂物已清运,楼道已打扫" in report.inner_text() and "handler1" in report.inner_text()
    assert "现场核查已整洁" in page.locator('.case-event[data-event="confirm"]').inner_text()
    assert page.locator(".case-all-photos .case-thumb").count() == 2  # the problem's photos: after and check
    usable(page)
    page.locator('.case-event[data-event="confirm"] .case-thumb').tap()
    page.wait_for_selector(".guatu-lightbox img")
    assert "/preview.jpg" in page.locator(".guatu-lightbox img").get_attribute("src")
    assert log.outside == [] and log.console_errors == []
    page.context.close()


def test_the_queues_page_filters_on_a_phone(browser, server, case):
    page, log = sign_in(browser, server, "street1", f"/cases?community={quote('金桥社区')}")
    usable(page)
    mine = f'[data-case="{LAYER}/{FID}/{case}"]'
    expect(page.locator(mine)).to_have_count(1)
    page.select_option("select[name=stage]", "filed")  # a filter applies as soon as it is chosen
    page.wait_for_url(lambda url: "stage=filed" in url)
    expect(page.locator(mine)).to_have_count(0)
    page.select_option("select[name=stage]", "handling")
    page.wait_for_url(lambda url: "stage=handling" in url)
    expect(page.locator(mine)).to_have_count(1)
    page.select_option("select[name=street]", "长江路街道")
    page.wait_for_url(lambda url: f"street={quote('长江路街道')}" in url)  # "street=" alone was already there
    expect(page.locator(mine)).to_have_count(0)
    expect(page.locator(".case-row, .case-none").first).to_be_visible()
    page.locator('[data-queue="dispatch"]').tap()  # a tab: the queue of filed cases street1 may dispatch
    page.wait_for_url(lambda url: "queue=dispatch" in url)
    assert page.locator('[data-queue="dispatch"]').get_attribute("aria-current") == "page"
    assert log.outside == [] and log.console_errors == []
    page.context.close()


def test_a_stale_page_reloads_with_a_chinese_message_and_keeps_what_was_typed(browser, server, case):
    page, log = sign_in(browser, server, "cmd", f"/cases/{LAYER}/{FID}/{case}")
    page.wait_for_selector("html[data-case-ready]", state="attached")
    box = page.locator('[data-action-box="suspend"]')
    box.locator("summary").tap()
    box.locator("textarea[name=note]").fill("等待拆迁方案")
    act(server, "handler1", case, "send_back", note="不属于本单位")  # someone acts first
    box.locator("button[type=submit]").tap()
    page.wait_for_selector(".case-note-error")
    assert "页面已刷新" in page.locator("[data-case-note]").inner_text()
    assert page.locator("#case").get_attribute("data-stage") == "filed"
    kept = page.locator('[data-action-box="suspend"]')
    assert kept.get_attribute("open") is not None
    assert kept.locator("textarea[name=note]").input_value() == "等待拆迁方案"
    assert log.outside == [] and [e for e in log.console_errors if "409" not in e] == []
    page.context.close()


def test_an_action_refused_for_its_form_says_why_beside_it(browser, server, case):
    page, log = sign_in(browser, server, "handler1", f"/cases/{LAYER}/{FID}/{case}")
    page.wait_for_selector("html[data-case-ready]", state="attached")
    box = page.locator('[data-action-box="report"]')
    box.locator("summary").tap()
    box.locator("textarea[name=note]").fill("已处理")
    box.locator("button[type=submit]").tap()  # no after photo
    error = box.locator("[data-form-error]")
    error.wait_for()
    assert "照片" in error.inner_text()
    assert box.locator("textarea[name=note]").input_value() == "已处理"
    with pytest.raises(urllib.error.HTTPError):  # and nothing was written: a report still needs its photo
        act(server, "handler1", case, "report", note="已处理")
    page.context.close()
