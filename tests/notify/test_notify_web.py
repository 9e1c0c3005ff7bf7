"""The notifications' admin pages and API: channels added and edited with secrets never shown back, a bad field
refused in Chinese and nothing kept, the test button against a real receiver, the delivery log with a retry, and
each person's own settings — admin only where it should be."""

from __future__ import annotations

import re

import pytest

from geo.messages import t
from geo.notify import outbox
from geo.notify.events import Event, emit
from geo.notify.subscriptions import CHANNELS, person_settings, save_channel
from tests.notify.receivers import Receiver
from tests.web.conftest import login


@pytest.fixture
def receiver():
    r = Receiver(secrets={"/dingtalk": "SECsecret-of-the-robot", "/hook": "hook-secret"})
    yield r
    r.close()


def _csrf(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


@pytest.fixture
def admin(private_app):
    client = private_app.test_client()
    client.csrf = login(client, "admin1")
    return client


def _store(app):
    return app.extensions["guatu"].store


def test_channels_over_the_api_never_show_a_secret_and_a_bad_field_keeps_nothing(private_app, admin, receiver):
    headers = {"X-CSRF-Token": admin.csrf}
    body = {"type": "dingtalk", "name": "区住建局钉钉群", "url": receiver.url + "/dingtalk?access_token=0123456789abcdef",
            "secret": "SECsecret-of-the-robot", "scope": {"streets": [], "communities": [], "units": []},
            "kinds": ["case_assigned", "case_overdue"]}
    made = admin.post("/api/notify/channels", json=body, headers=headers)
    assert made.status_code == 201, made.data
    shown = made.get_json()
    assert shown["secret"] == "SECs…(22)" and "0123456789abcdef" not in shown["url"] and "access_token=0123" in shown["url"]
    listed = admin.get("/api/notify/channels").get_json()["channels"]
    assert [c["id"] for c in listed] == [shown["id"]] and "SECsecret" not in str(listed)

    bad = admin.post("/api/notify/channels", json={"type": "wecom", "name": "坏", "url": "ftp://x",
                                                   "quiet": {"start": "25:00", "end": "07:00"}}, headers=headers)
    assert bad.status_code == 422 and bad.mimetype == "application/problem+json"
    problem = bad.get_json()
    assert {f["field"] for f in problem["fields"]} == {"url", "quiet.start"}
    assert t("notify.delivery.url_bad") in problem["detail"]
    assert _store(private_app).record_keys(CHANNELS) == [shown["id"]]

    changed = admin.put(f"/api/notify/channels/{shown['id']}", json={"name": "住建局群"}, headers=headers)
    assert changed.status_code == 200 and changed.get_json()["name"] == "住建局群"
    assert _store(private_app).record(CHANNELS, shown["id"])["secret"] == "SECsecret-of-the-robot"  # kept

    tested = admin.post(f"/api/notify/channels/{shown['id']}/test", headers=headers)
    assert tested.get_json() == {"ok": True, "status": 200, "error": ""}
    (post,) = receiver.to("/dingtalk")
    assert post.signed is True and post.json["markdown"]["title"] == t("notify.delivery.test_title")
    assert admin.put("/api/notify/channels/nope", json={"name": "x"}, headers=headers).status_code == 404


def test_only_admins_see_channels_and_the_log(private_app):
    client = private_app.test_client()
    login(client, "editor1")
    assert client.get("/api/notify/channels").status_code == 403
    assert client.get("/api/notify/deliveries").status_code == 403
    assert client.get("/admin/notify").status_code == 403
    assert client.get("/account/notify").status_code == 200
    assert private_app.test_client().get("/api/notify/settings").status_code == 401


def test_the_admin_page_adds_a_channel_shows_the_log_and_retries_a_failed_delivery(private_app, admin, receiver, clock):
    page = admin.get("/admin/notify").data.decode()
    resp = admin.post("/admin/notify/channels", data={
        "csrf_token": _csrf(page), "type": "webhook", "name": "<b>12345</b> 平台", "url": receiver.url + "/hook",
        "secret": "hook-secret", "kinds": ["case_assigned"], "enabled": "on"})
    assert resp.status_code == 302
    store = _store(private_app)
    (cid,) = store.record_keys(CHANNELS)
    page = admin.get("/admin/notify").data.decode()
    assert "&lt;b&gt;12345&lt;/b&gt; 平台" in page and "hook-secret" not in page and "hook…(11)" in page

    emit(store, Event(kind="case_assigned", key="k1", at="2026-11-24T08:00:00Z", title="案件派遣:<i>庆丰路</i>",
                      text="请处置"))
    worker = private_app.extensions["guatu_notify"]
    receiver.down = True
    for _ in range(private_app.extensions["guatu_notify"].attempts):
        worker.tick()
        clock.advance(hours=1)
    (failed,) = outbox.log(store, state="failed")
    page = admin.get("/admin/notify?state=failed").data.decode()
    assert f'data-delivery="{failed["id"]}" data-state="failed"' in page
    assert "接收方答复 HTTP 503" in page and "案件派遣:&lt;i&gt;庆丰路&lt;/i&gt;" in page

    receiver.down = False
    resp = admin.post(f"/admin/notify/deliveries/{failed['id']}/retry", data={"csrf_token": _csrf(page)})
    assert resp.status_code == 302
    assert worker.tick().delivered == 1
    assert outbox.delivery(store, failed["id"])["state"] == "delivered"
    again = admin.post(f"/api/notify/deliveries/{failed['id']}/retry", headers={"X-CSRF-Token": admin.csrf})
    assert again.status_code == 409 and again.get_json()["detail"] == t("notify.delivery.retry_delivered")
    assert [d["state"] for d in admin.get("/api/notify/deliveries").get_json()["deliveries"]] == ["delivered"]


def test_a_person_sets_kinds_email_and_quiet_hours_and_a_bad_address_changes_nothing(private_app):
    client = private_app.test_client()
    csrf = login(client, "editor1")
    headers = {"X-CSRF-Token": csrf}
    refused = client.put("/api/notify/settings", json={"email": True}, headers=headers)
    assert refused.status_code == 422 and refused.get_json()["fields"][0]["field"] == "email"
    bad = client.put("/api/notify/settings", json={"address": "not an address", "off": ["digest"]}, headers=headers)
    assert bad.status_code == 422 and bad.get_json()["fields"][0]["field"] == "address"
    assert person_settings(_store(private_app), "editor1")["off"] == []
    assert private_app.extensions["guatu_accounts"].get_user("editor1").email is None

    ok = client.put("/api/notify/settings", json={"address": "li@example.cn", "email": True, "off": ["digest"],
                                                  "quiet": {"start": "22:00", "end": "07:00"}}, headers=headers)
    assert ok.status_code == 200
    assert ok.get_json() == {"off": ["digest"], "email": True, "quiet": {"start": "22:00", "end": "07:00"},
                             "address": "li@example.cn"}

    page = client.get("/account/notify").data.decode()
    assert 'value="li@example.cn"' in page and 'value="digest">' in page and 'value="22:00"' in page
    resp = client.post("/account/notify", data={"csrf_token": _csrf(page), "kinds": ["case_assigned"],
                                                "address": "li@example.cn", "quiet_start": "", "quiet_end": ""})
    assert resp.status_code == 302
    saved = person_settings(_store(private_app), "editor1")
    assert saved["email"] is False and saved["quiet"] is None and "case_assigned" not in saved["off"]
    assert "digest" in saved["off"]


def test_the_commands_test_a_channel_run_a_round_and_set_a_users_email(private_app, receiver, clock):
    store = _store(private_app)
    runner = private_app.test_cli_runner()
    made = save_channel(store, {"type": "wecom", "name": "企业微信群", "url": receiver.url + "/wecom?key=k"}, now=clock())
    admin_channel = made["id"]
    result = runner.invoke(args=["notify", "test", admin_channel])
    assert result.exit_code == 0 and t("notify.delivery.cli_test_ok", name="企业微信群") in result.output
    receiver.errcode = 93000
    result = runner.invoke(args=["notify", "test", admin_channel])
    assert result.exit_code == 1 and "errcode 93000" in result.output
    assert runner.invoke(args=["notify", "test", "ch-none"]).exit_code == 1

    receiver.errcode = 0
    emit(store, Event(kind="daily_report", key="2026-11-24", at="2026-11-24T08:00:00Z", title="日报", text="日报已生成"))
    result = runner.invoke(args=["notify", "tick"])
    assert result.exit_code == 0
    assert result.output.strip() == t("notify.delivery.cli_tick", collected=0, fanned=1, delivered=1, failed=0)
    assert len(receiver.to("/wecom")) == 3

    result = runner.invoke(args=["users", "set", "editor1", "--email", "li@example.cn"])
    assert result.exit_code == 0 and private_app.extensions["guatu_accounts"].get_user("editor1").email == "li@example.cn"
    result = runner.invoke(args=["users", "set", "editor1", "--email", "li at example"])
    assert result.exit_code != 0 and private_app.extensions["guatu_accounts"].get_user("editor1").email == "li@example.cn"


def test_an_admin_gives_a_new_user_an_email_address_and_a_bad_one_creates_nobody(private_app, admin):
    page = admin.get("/admin").data.decode()
    form = {"csrf_token": _csrf(page), "username": "wang", "password": "a long password", "confirm": "a long password",
            "role": "editor"}
    admin.post("/admin/users", data={**form, "email": "wang at example"})
    acc = private_app.extensions["guatu_accounts"]
    assert "wang" not in [u.username for u in acc.users()]
    admin.post("/admin/users", data={**form, "email": "wang@example.cn"})
    assert acc.get_user("wang").email == "wang@example.cn"


def test_a_channel_damaged_by_hand_is_named_by_the_admins_page_and_api_instead_of_a_500(private_app, admin, receiver):
    store = _store(private_app)
    made = save_channel(store, {"type": "webhook", "name": "12345 平台", "url": receiver.url + "/hook",
                                "secret": "hook-secret"}, now=private_app.config["GUATU_CLOCK"]())
    store.put_record(CHANNELS, made["id"], {**made, "type": "传真"})
    for path in ("/admin/notify", "/api/notify/channels"):
        resp = admin.get(path)
        assert resp.status_code == 503, path
        assert f"notify-channels/{made['id']}" in resp.get_data(as_text=True), path
    resp = admin.post(f"/api/notify/channels/{made['id']}/test", headers={"X-CSRF-Token": admin.csrf})
    assert resp.status_code == 503 and resp.get_json()["error"] == "broken_record"
    assert receiver.to("/hook") == []


def test_a_delivery_damaged_by_hand_is_named_by_the_delivery_log_beside_the_others_and_its_retry_is_a_503(
        private_app, admin):
    from geo.notify.outbox import OUTBOX

    store = _store(private_app)
    emit(store, Event(kind="case_assigned", key="roads/r-1/p-1/dispatch/1", at="2026-11-24T08:00:00Z",
                      title="案件派遣:庆丰路", text="请处置", link="/cases/roads/r-1/p-1", users=("editor1",)))
    outbox.fan_out_pending(store, [], now=private_app.config["GUATU_CLOCK"](), tz=store.campaign.timezone)
    emit(store, Event(kind="case_assigned", key="roads/r-2/p-1/dispatch/1", at="2026-11-24T09:00:00Z",
                      title="案件派遣:<i>京广路</i>", text="请处置", link="/cases/roads/r-2/p-1",
                      street="大学路街道"))
    save_channel(store, {"type": "webhook", "name": "12345 平台", "url": "http://127.0.0.1:9/hook"},
                 now=private_app.config["GUATU_CLOCK"]())
    outbox.fan_out_pending(store, [], now=private_app.config["GUATU_CLOCK"](), tz=store.campaign.timezone)
    (sound,) = outbox.log(store)
    bad = "20261124T080000Z-case-assigned-1-c-ch-1"
    store.put_record(OUTBOX, bad, {"id": bad, "state": "failed", "due_at": "明天"})
    page = admin.get("/admin/notify")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert f"notify-outbox/{bad}" in text and "event: 类型不对" in text  # named, with what is wrong
    assert f'data-delivery="{sound["id"]}"' in text and f'data-delivery="{bad}"' not in text  # the others listed
    assert "案件派遣:&lt;i&gt;京广路&lt;/i&gt;" in text
    api = admin.get("/api/notify/deliveries?state=pending")
    assert api.status_code == 200
    body = api.get_json()
    assert [d["id"] for d in body["deliveries"]] == [sound["id"]]
    assert [f["where"] for f in body["damaged"]] == [f"notify-outbox/{bad}"] and body["damaged"][0]["message"]
    delivered = admin.get("/api/notify/deliveries?state=delivered").get_json()  # named on every view of the log
    assert delivered["deliveries"] == [] and [f["where"] for f in delivered["damaged"]] == [f"notify-outbox/{bad}"]
    resp = admin.post(f"/api/notify/deliveries/{bad}/retry", headers={"X-CSRF-Token": admin.csrf})
    assert resp.status_code == 503 and resp.get_json()["error"] == "broken_record"
    assert store.record(OUTBOX, bad) == {"id": bad, "state": "failed", "due_at": "明天"}  # never written over


def test_settings_damaged_by_hand_are_named_and_saving_new_ones_puts_them_right(private_app):
    from geo.notify.subscriptions import PEOPLE

    store = _store(private_app)
    store.put_record(PEOPLE, "editor1", {"user": "editor1", "off": "digest", "email": False, "quiet": None})
    client = private_app.test_client()
    csrf = login(client, "editor1")
    for path in ("/api/notify/settings", "/account/notify"):
        resp = client.get(path)
        assert resp.status_code == 503 and "notify-people/editor1" in resp.get_data(as_text=True), path
    ok = client.put("/api/notify/settings", json={"off": ["digest"]}, headers={"X-CSRF-Token": csrf})
    assert ok.status_code == 200  # the whole settings given anew: nothing is taken from the damaged record
    assert client.get("/api/notify/settings").get_json()["off"] == ["digest"]
