"""The reporting page in a real Chromium on a 390 px touch phone: a resident reports a problem while offline (the
phone's position, a category, a description, a photo), the report waits on the phone and is sent when the network
returns, the receipt code shows and stays listed; the area's staff accept it on the triage page and it becomes a
resident case on the place at the pin; the follow-up page shows 已受理, and once the case is closed 已办结 with the
after photo, rated on the phone."""

from __future__ import annotations

import io

import pytest
import shapely
from PIL import Image
from shapely.geometry import shape

from geo.accounts import Principal
from geo.cases import transition
from geo.photos.service import add_photo
from geo.residents.reports import KIND, reports
from geo.scope import Scope
from tests.browser.harness import copy_demo, live_server, open_page, open_phone_page
from tests.browser.phone_audit import audit
from tests.waiting import wait_until

pytestmark = pytest.mark.browser
STAFF = ("jiedao", "correct horse battery")


def _jpeg(colour=(150, 90, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (1200, 900), colour).save(out, "JPEG", quality=85)
    return out.getvalue()


@pytest.fixture
def server(tmp_path):
    data = copy_demo(tmp_path / "data")
    with live_server(data, GUATU_REPORT_CHALLENGE_BITS=8) as s:
        s.app.extensions["guatu_accounts"].create_user(STAFF[0], STAFF[1], "editor", "李街道")
        place = s.app.extensions["guatu"].store.features("courtyards")[0]
        point = shapely.point_on_surface(shape(place["geometry"]))
        s.place, s.here = place, (point.x, point.y)
        yield s


def test_a_report_made_offline_is_sent_when_the_network_returns_and_accepted_into_a_case(browser, server):
    page, log = open_phone_page(browser, server.url, "/report", geolocation=server.here)
    page.wait_for_selector("html[data-report-ready]", state="attached")
    store = server.app.extensions["guatu"].store
    found = audit(page)
    assert (found["overflow"], found["small_targets"], found["small_text"], found["zoom_locked"]) == (0, [], [], [])

    page.wait_for_selector("html[data-report-offline-ready]", state="attached")
    page.context.set_offline(True)
    page.reload()  # without network: the page, its scripts and the map come from the service worker
    page.wait_for_selector("html[data-report-ready]", state="attached")
    page.wait_for_function("() => document.getElementById('report-net').dataset.state === 'offline'")
    page.tap("#report-gps")
    page.wait_for_selector("#report-pin[data-pinned=true]")
    page.select_option("#report-category", "乱堆乱放")
    page.fill("#report-description", "楼道里堆满了杂物,堵住了消防通道")
    page.fill("#report-phone", "13800001234")
    page.locator("#report-photos").set_input_files([{"name": "a.jpg", "mimeType": "image/jpeg", "buffer": _jpeg()}])
    page.wait_for_selector("#report-thumbs img")
    page.tap("#report-send")
    page.wait_for_function("() => document.getElementById('report-done-text').textContent.includes('联网后自动发送')")
    assert page.evaluate("() => window.guatuPage.report.queueCount()") == 1
    assert store.record_keys(KIND) == []  # nothing reached the server
    assert "待发送" in page.locator("#report-mine").inner_text()

    page.context.set_offline(False)
    code = page.wait_for_selector("#report-receipt", timeout=60_000).inner_text()
    assert page.evaluate("() => window.guatuPage.report.queueCount()") == 0
    kept = wait_until(lambda: store.record(KIND, code), "the report kept on the server")
    assert (kept["category"], kept["phone"], len(kept["photos"])) == ("乱堆乱放", "13800001234", 1)
    assert abs(kept["lon"] - server.here[0]) < 1e-6 and kept["street"] == server.place["properties"]["street"]
    assert [r["code"] for r in reports(store)] == [code]  # sent once
    page.wait_for_selector(f"#report-mine li[data-code='{code}']")
    assert log.outside == []
    # while offline the browser logs each request that could not go out; nothing else went wrong
    assert [e for e in log.console_errors if "net::ERR_INTERNET_DISCONNECTED" not in e and "net::ERR_FAILED" not in e] == []

    staff, staff_log = open_page(browser, server.url, "/login?next=/reports", width=390, height=844, touch=True)
    staff.fill("input[name=username]", STAFF[0])
    staff.fill("input[name=password]", STAFF[1])
    staff.click("button[type=submit]")
    staff.wait_for_url("**/reports")
    item = staff.locator(f"#report-{code}")
    assert "13800001234" in item.inner_text()
    found = audit(staff)
    assert (found["overflow"], found["small_targets"], found["small_text"]) == (0, [], [])
    item.locator("button[value=accept]").tap()
    staff.wait_for_url("**/reports?state=received")
    accepted = wait_until(lambda: (r := store.record(KIND, code)) and r["state"] == "accepted" and r,
                          "the report accepted")
    ref = accepted["case"]
    assert (ref["layer"], ref["fid"]) == ("courtyards", server.place["id"])
    problem = next(p for p in store.get(ref["layer"], ref["fid"])["properties"]["problems"] if p["id"] == ref["pid"])
    assert problem["case"]["source"] == "resident" and problem["description"] == "楼道里堆满了杂物,堵住了消防通道"

    page.goto(f"{server.url}/report/{code}")
    assert page.locator("#follow-state").inner_text() == "已受理"
    found = audit(page)
    assert (found["overflow"], found["small_targets"], found["small_text"]) == (0, [], [])
    assert "13800001234" not in page.content()
    assert staff_log.outside == []

    # the case runs its loop; the reporter then sees 已办结 with the after photo and rates it on the phone
    _close(server, ref)
    page.goto(f"{server.url}/report/{code}")
    assert page.locator("#follow-state").inner_text() == "已办结"
    page.wait_for_function("() => document.getElementById('follow-after').naturalWidth > 0")
    found = audit(page)
    assert (found["overflow"], found["small_targets"], found["small_text"]) == (0, [], [])
    page.locator("label.follow-choice", has_text="基本满意").tap()
    page.tap("#follow-rate-send")
    page.wait_for_selector("#follow-rated")
    assert page.locator("#follow-rated").inner_text() == "您的评价:基本满意"
    assert store.record(KIND, code)["rating"]["value"] == "basic"


def _close(server, ref: dict) -> None:
    """Dispatch, fix with an after photo, verify with a check photo: the case loop as its people run it."""
    ctx = server.app.extensions["guatu"]
    boss = Principal("zhihui", "王指挥", "editor", "session")
    handler = Principal("zhujian", "张住建", "editor", "session", scope=Scope(units=("区住建局",)))
    inspector = Principal("duban", "赵督导", "inspector", "session")
    now = ctx.now()

    def step(action, who, **kwargs):
        transition(ctx.store, ref["layer"], ref["fid"], ref["pid"], action, principal=who, expected_version=None,
                   campaign=ctx.campaign, now=now, **kwargs)

    step("dispatch", boss, unit="区住建局")
    after, _ = add_photo(ctx.store, ref["layer"], ref["fid"], io.BytesIO(_jpeg((40, 160, 60))), user="zhujian",
                         role="after", problem=ref["pid"])
    step("report", handler, note="已清理", photos=(after["id"],))
    check, _ = add_photo(ctx.store, ref["layer"], ref["fid"], io.BytesIO(_jpeg((40, 60, 160))), user="duban",
                         role="check", problem=ref["pid"])
    step("confirm", inspector, photos=(check["id"],))


def test_a_photo_the_server_refuses_is_left_out_and_the_report_still_goes(browser, server):
    page, log = open_phone_page(browser, server.url, "/report", geolocation=server.here)
    page.wait_for_selector("html[data-report-ready]", state="attached")
    page.tap("#report-gps")
    page.wait_for_selector("#report-pin[data-pinned=true]")
    page.select_option("#report-category", "破损路面")
    page.fill("#report-description", "路面塌陷")
    page.locator("#report-photos").set_input_files([
        {"name": "not-a-photo.jpg", "mimeType": "image/jpeg", "buffer": "这不是图片".encode() * 20},
        {"name": "road.jpg", "mimeType": "image/jpeg", "buffer": _jpeg((90, 90, 90))}])
    page.tap("#report-send")
    code = page.wait_for_selector("#report-receipt", timeout=60_000).inner_text()
    assert "有照片未能上传" in page.locator("#report-done").inner_text()
    kept = server.app.extensions["guatu"].store.record(KIND, code)
    assert (kept["category"], len(kept["photos"])) == ("破损路面", 1)
    assert log.outside == []
