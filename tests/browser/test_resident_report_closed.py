"""A resident's report, from the phone to 已办结, with everyone told on the way — in a real Chromium, against real
local receivers standing in for the unit's 钉钉 and 企业微信 group robots:

a resident reports a problem on a 390 px touch phone and gets a receipt code; the sub-district hears of it in its
inbox and accepts it into a case on the triage page, then dispatches it to 区住建局 and its handler; the sender's
next round posts the dispatch to the unit's 钉钉 robot (加签 checked) and 企业微信 robot and puts it in the handler's
inbox, once; the handler opens it from the bell, reports the fix with an after photo, the inspector confirms with a
check photo, and the resident's follow-up page shows 已办结 with the after photo and takes a rating."""

from __future__ import annotations

import base64
import json
import urllib.request

import pytest
import shapely
from shapely.geometry import shape

from geo.residents.reports import KIND
from geo.scope import Scope
from tests.browser.harness import copy_demo, live_server, open_phone_page
from tests.browser.phone_audit import audit, problems
from tests.notify.receivers import Receiver
from tests.photos.images import jpeg
from tests.waiting import wait_until

pytestmark = pytest.mark.browser
PASSWORD = "a long password"
DING_SECRET = "SEC0123456789abcdef"
UNIT = "区住建局"


def _call(server, user: str, method: str, path: str, body: dict) -> dict:
    auth = base64.b64encode(f"{user}:{PASSWORD}".encode()).decode()
    req = urllib.request.Request(server.url + path, method=method, data=json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json", "Authorization": f"Basic {auth}"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.loads(resp.read())


def _photo(name: str, colour) -> dict:
    return {"name": name, "mimeType": "image/jpeg", "buffer": jpeg(640, 480, colour=colour)}


@pytest.fixture
def robots():
    receiver = Receiver(secrets={"/dingtalk": DING_SECRET})
    yield receiver
    receiver.close()


@pytest.fixture
def server(tmp_path, robots):
    data = copy_demo(tmp_path / "data")
    with live_server(data, GUATU_REPORT_CHALLENGE_BITS=8, GUATU_PUBLIC_VIEW=False) as s:
        place = s.app.extensions["guatu"].store.features("courtyards")[0]
        street = place["properties"]["street"]
        accounts = s.app.extensions["guatu_accounts"]
        for user, role, name, scope in (("admin1", "admin", "系统管理员", None),
                                        ("jiedao", "editor", "李街道", Scope(streets=(street,))),
                                        ("zhujian", "editor", "张住建", Scope(units=(UNIT,))),
                                        ("duban", "inspector", "赵督导", None)):
            accounts.create_user(user, PASSWORD, role, name)
            if scope is not None:
                accounts.update_user(user, scope=scope)
        for kind, path in (("dingtalk", "/dingtalk"), ("wecom", "/wecom")):
            _call(s, "admin1", "POST", "/api/notify/channels",
                  {"type": kind, "name": f"{UNIT}{kind}", "url": robots.url + path,
                   **({"secret": DING_SECRET} if kind == "dingtalk" else {}),
                   "scope": {"streets": [], "communities": [], "units": [UNIT]}, "kinds": ["case_assigned"]})
        point = shapely.point_on_surface(shape(place["geometry"]))
        s.place, s.here = place, (point.x, point.y)
        s.sender = s.app.extensions["guatu_notify"]
        s.sender.tick()  # the first round: the demo's standing news told, the journal followed from here on
        yield s


def _sign_in(browser, server, user: str, path: str):
    page, log = open_phone_page(browser, server.url, f"/login?next={path}")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", PASSWORD)
    page.tap("button[type=submit]")
    page.wait_for_url(f"**{path}")
    return page, log


def _usable(page) -> None:
    assert problems(audit(page)) == {}


def test_a_residents_report_is_accepted_dispatched_told_closed_and_rated(browser, server, robots):
    store = server.app.extensions["guatu"].store

    # a resident, no account, on a phone
    resident, resident_log = open_phone_page(browser, server.url, "/report", geolocation=server.here)
    resident.wait_for_selector("html[data-report-ready]", state="attached")
    resident.tap("#report-gps")
    resident.wait_for_selector("#report-pin[data-pinned=true]")
    resident.select_option("#report-category", "乱堆乱放")
    resident.fill("#report-description", "单元门口堆满装修垃圾,老人出入不便")
    resident.locator("#report-photos").set_input_files([_photo("before.jpg", (150, 90, 40))])
    resident.wait_for_selector("#report-thumbs img")
    resident.tap("#report-send")
    code = resident.wait_for_selector("#report-receipt", timeout=60_000).inner_text()
    assert store.record(KIND, code)["state"] == "received"

    # the sub-district hears of it, accepts it into a case and dispatches it to the unit's handler
    server.sender.tick()
    street, street_log = _sign_in(browser, server, "jiedao", "/inbox")
    arrived = street.locator(".inbox-item.inbox-kind-report_arrived").first
    assert "乱堆乱放" in arrived.inner_text()
    street.goto(f"{server.url}/reports")
    street.locator(f"#report-{code} button[value=accept]").tap()
    street.wait_for_url("**/reports?state=received")
    accepted = wait_until(lambda: (r := store.record(KIND, code)) and r["state"] == "accepted" and r,
                          "the report accepted into a case")
    ref = accepted["case"]
    case_path = f"/cases/{ref['layer']}/{ref['fid']}/{ref['pid']}"
    street.goto(server.url + case_path)
    street.wait_for_selector("html[data-case-ready]", state="attached")
    box = street.locator('[data-action-box="dispatch"]')
    box.locator("summary").tap()
    box.locator("input[name=unit]").fill(UNIT)
    box.locator("input[name=handler]").fill("zhujian")
    box.locator("button[type=submit]").tap()
    street.wait_for_function("() => document.getElementById('case').dataset.stage === 'handling'")
    assert street_log.outside == [] and street_log.console_errors == []

    # the sender's next round: the unit's robots and the handler's inbox, once
    report = server.sender.tick()
    assert report.leader and report.delivered >= 2
    ding, wecom = robots.to("/dingtalk"), robots.to("/wecom")
    assert len(ding) == len(wecom) == 1
    assert ding[0].signed is True and ding[0].json["msgtype"] == "markdown"
    assert server.place["properties"]["name"] in ding[0].json["markdown"]["text"]
    assert server.place["properties"]["name"] in wecom[0].json["markdown"]["content"]
    server.sender.tick()
    assert (len(robots.to("/dingtalk")), len(robots.to("/wecom"))) == (1, 1)  # told once

    # the handler opens it from the bell and reports the fix with an after photo
    handler, handler_log = _sign_in(browser, server, "zhujian", "/cases?queue=handle")
    handler.wait_for_selector("#inbox-count:not([hidden])")
    handler.tap("#inbox-bell")
    handler.wait_for_url("**/inbox")
    newest = handler.locator(".inbox-item").first
    assert "inbox-kind-case_assigned" in newest.get_attribute("class")
    assert server.place["properties"]["name"] in newest.inner_text()
    _usable(handler)
    newest.locator("a[data-inbox-open]").tap()
    handler.wait_for_url(f"**{case_path}")
    handler.wait_for_selector("html[data-case-ready]", state="attached")
    box = handler.locator('[data-action-box="report"]')
    box.locator("summary").tap()
    box.locator("textarea[name=note]").fill("装修垃圾已清运,门口已打扫")
    box.locator("input[name=photo]").set_input_files(_photo("after.jpg", (40, 160, 60)))
    box.locator("button[type=submit]").tap()
    handler.wait_for_function("() => document.getElementById('case').dataset.stage === 'verifying'")
    assert handler_log.outside == [] and handler_log.console_errors == []

    # the inspector confirms with a check photo
    inspector, inspector_log = _sign_in(browser, server, "duban", case_path)
    inspector.wait_for_selector("html[data-case-ready]", state="attached")
    box = inspector.locator('[data-action-box="confirm"]')
    box.locator("summary").tap()
    box.locator("textarea[name=note]").fill("现场核查已整洁")
    box.locator("input[name=photo]").set_input_files(_photo("check.jpg", (40, 60, 160)))
    box.locator("button[type=submit]").tap()
    inspector.wait_for_function("() => document.getElementById('case').dataset.stage === 'closed'")
    assert inspector_log.outside == [] and inspector_log.console_errors == []

    # the resident sees 已办结 with the after photo, and rates it
    resident.goto(f"{server.url}/report/{code}")
    assert resident.locator("#follow-state").inner_text() == "已办结"
    resident.wait_for_function("() => document.getElementById('follow-after').naturalWidth > 0")
    _usable(resident)
    resident.locator("label.follow-choice", has_text="基本满意").tap()
    resident.tap("#follow-rate-send")
    resident.wait_for_selector("#follow-rated")
    assert store.record(KIND, code)["rating"]["value"] == "basic"
    assert resident_log.outside == []
