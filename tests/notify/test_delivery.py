"""Delivery with real local receivers: the robots' markdown and 钉钉's sign, the signed webhook, email through an
SMTP sink; an outage retried on the clock and delivered once; a restart that re-sends nothing; one leader among
senders — on both stores."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from geo.accounts import User
from geo.notify import outbox
from geo.notify.channels import SmtpConfig, Transport
from geo.notify.events import PENDING, Event, emit
from geo.notify.inbox import items
from geo.notify.sender import Sender
from geo.notify.subscriptions import save_channel, save_person_settings
from geo.store.base import iso
from tests.notify.receivers import Receiver, SmtpSink

BACKENDS = ["geojson", "postgis"]
KINDS = ["case_assigned", "case_escalated"]  # what these tests emit (the sources' own news, e.g. the daily report, is not)


@pytest.fixture
def receiver():
    r = Receiver(secrets={"/dingtalk": "SECdingtalk-secret", "/hook": "hook-secret"})
    yield r
    r.close()


@pytest.fixture
def smtp():
    sink = SmtpSink()
    yield sink
    sink.close()


def _user(name: str, role: str, scope: dict | None = None, email: str | None = None) -> User:
    return User(name, name, role, "", "2026-11-01T00:00:00Z", scope=scope or {}, email=email)


USERS = [
    _user("zhujian", "editor", {"units": ["区住建局"]}, email="zhujian@example.cn"),
    _user("daxuelu", "editor", {"streets": ["大学路街道"]}),
    _user("zhihuibu", "admin"),
    _user("duban", "inspector"),
    _user("kan", "viewer"),
]


def _event(key: str = "roads/r-1/p-1/dispatch/1", **extra) -> Event:
    fields = {"kind": "case_assigned", "key": key, "at": "2026-11-24T08:00:00Z", "title": "案件派遣:庆丰路 **急**",
              "text": "请处置 <font>[链接](http://x)</font>", "link": "/cases/roads/r-1/p-1", "street": "大学路街道",
              "unit": "区住建局", "users": ("zhujian",)}
    return Event(**{**fields, **extra})


def _sender(store, campaign, clock, **kw) -> Sender:
    transport = Transport(timeout=2, base_url="http://guatu.intranet", smtp=kw.pop("smtp", SmtpConfig()))
    return Sender(store, campaign, lambda: USERS, transport=transport, clock=clock, **kw)


def _channels(store, receiver, clock, kinds=None):
    made = {}
    for kind, path, secret in (("wecom", "/wecom?key=abcdef123456", None), ("dingtalk", "/dingtalk?access_token=t0k3n",
                                                                           "SECdingtalk-secret"),
                               ("webhook", "/hook", "hook-secret")):
        raw = {"type": kind, "name": f"区住建局 {kind}", "url": receiver.url + path, "scope": {"units": ["区住建局"]},
               "kinds": KINDS}
        if secret:
            raw["secret"] = secret
        if kinds:
            raw["kinds"] = kinds
        made[kind] = save_channel(store, raw, now=clock())
    return made


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_robots_get_their_markdown_the_webhook_its_signature_and_the_named_handler_the_inbox(
        store_factory, campaign, clock, receiver, backend):
    store = store_factory(backend)
    _channels(store, receiver, clock)
    save_channel(store, {"kinds": KINDS, "type": "wecom", "name": "另一个区", "url": receiver.url + "/wecom?key=other",
                         "scope": {"streets": ["长江路街道"]}}, now=clock())  # another area: hears nothing
    ev = _event()
    emit(store, ev)
    report = _sender(store, campaign, clock).tick()
    assert report.leader and report.fanned_out == 1 and report.delivered == 3 and report.failed == 0

    (wecom,) = receiver.to("/wecom")
    assert wecom.query == {"key": "abcdef123456"} and wecom.json["msgtype"] == "markdown"
    content = wecom.json["markdown"]["content"]
    assert "案件派遣:庆丰路 ＊＊急＊＊" in content and "<font>" not in content and "＜font＞［链接］" in content
    assert "[打开查看](http://guatu.intranet/cases/roads/r-1/p-1)" in content

    (ding,) = receiver.to("/dingtalk")
    assert ding.signed is True and ding.query["access_token"] == "t0k3n"
    assert ding.query["timestamp"] == str(int(clock().timestamp() * 1000))
    assert ding.json["msgtype"] == "markdown" and ding.json["markdown"]["title"] == ev.title
    assert ding.json["markdown"]["text"] == content

    (hook,) = receiver.to("/hook")
    assert hook.signed is True and hook.headers["x-guatu-event"] == "case_assigned"
    assert hook.headers["x-guatu-delivery"] == hook.json["delivery"] and ev.id in hook.json["delivery"]
    assert hook.json["event"]["id"] == ev.id and hook.json["event"]["text"] == ev.text
    assert hook.headers["x-guatu-timestamp"] == str(int(clock().timestamp()))

    # the handler named, the street's leader by area; 指挥部, the inspector and the viewer are not told of a dispatch
    assert [i["id"] for i in items(store, "zhujian")] == [ev.id]
    assert [i["id"] for i in items(store, "daxuelu")] == [ev.id]
    assert all(items(store, u) == [] for u in ("zhihuibu", "duban", "kan"))
    assert store.record_keys(outbox.OUTBOX) == [] and len(store.record_keys(outbox.DELIVERED)) == 3
    assert store.record(PENDING, "events")["ids"] == []


def test_a_wrong_dingtalk_secret_is_a_failure_even_under_http_200(store_factory, campaign, clock, receiver):
    store = store_factory()
    save_channel(store, {"kinds": KINDS, "type": "dingtalk", "name": "钉钉群", "url": receiver.url + "/dingtalk?access_token=x",
                         "secret": "SECwrong"}, now=clock())
    emit(store, _event())
    assert _sender(store, campaign, clock).tick().failed == 1
    (post,) = receiver.to("/dingtalk")
    assert post.signed is False
    (row,) = outbox.log(store)
    assert row["state"] == "pending" and row["attempts"][0]["status"] == 200
    assert row["attempts"][0]["error"] == "机器人拒收:errcode 310000(sign not match)"


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_receiver_down_is_retried_with_backoff_and_delivered_exactly_once(store_factory, campaign, clock,
                                                                          receiver, backend):
    store = store_factory(backend)
    save_channel(store, {"kinds": KINDS, "type": "webhook", "name": "12345 平台", "url": receiver.url + "/hook",
                         "secret": "hook-secret"}, now=clock())
    emit(store, _event())
    sender = _sender(store, campaign, clock)
    receiver.down = True
    assert sender.tick().failed == 1
    assert sender.tick().failed == 0  # not due again yet: no second post
    assert len(receiver.posts) == 1
    clock.advance(seconds=29)
    assert sender.tick().failed == 0
    clock.advance(seconds=1)  # 30 s after the first failure
    assert sender.tick().failed == 1
    clock.advance(seconds=59)
    assert sender.tick().failed == 0  # the second wait is twice as long
    clock.advance(seconds=1)
    receiver.down = False
    assert sender.tick().delivered == 1
    clock.advance(hours=1)
    assert sender.tick().delivered == 0
    assert [p.headers["x-guatu-delivery"] for p in receiver.posts] == [receiver.posts[0].headers["x-guatu-delivery"]] * 3
    assert [p.signed for p in receiver.posts] == [True] * 3
    (row,) = outbox.log(store)
    assert row["state"] == "delivered"
    assert [(a["ok"], a["status"], a["error"]) for a in row["attempts"]] == [
        (False, 503, "接收方答复 HTTP 503"), (False, 503, "接收方答复 HTTP 503"), (True, 204, "")]


def test_a_receiver_that_does_not_answer_at_all_is_logged_in_chinese(store_factory, campaign, clock):
    store = store_factory()
    gone = Receiver()
    url = gone.url
    gone.close()  # nobody listens there now
    save_channel(store, {"kinds": KINDS, "type": "wecom", "name": "停机的机器人", "url": url + "/wecom?key=k"}, now=clock())
    emit(store, _event())
    assert _sender(store, campaign, clock).tick().failed == 1
    (row,) = outbox.log(store)
    assert row["attempts"][0]["error"] == "无法连接接收方(ConnectionError)" and row["attempts"][0]["status"] is None


def test_after_the_last_attempt_a_delivery_fails_and_an_admin_retry_sends_it_again(store_factory, campaign, clock,
                                                                                   receiver):
    store = store_factory()
    save_channel(store, {"kinds": KINDS, "type": "wecom", "name": "企业微信群", "url": receiver.url + "/wecom?key=k"}, now=clock())
    emit(store, _event())
    sender = _sender(store, campaign, clock, attempts=3)
    receiver.errcode = 93000
    for _ in range(3):
        sender.tick()
        clock.advance(hours=1)
    assert len(receiver.posts) == 3
    (row,) = outbox.log(store, state="failed")
    assert sender.tick().failed == 0 and len(receiver.posts) == 3  # failed: not tried again by itself
    receiver.errcode = 0
    outbox.retry(store, row["id"], now=clock())
    assert sender.tick().delivered == 1
    (row,) = outbox.log(store)
    assert row["state"] == "delivered" and len(row["attempts"]) == 4


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_restart_loses_nothing_and_sends_nothing_again(store_factory, campaign, clock, receiver, backend):
    """One channel up, one down; the process ends; a new store and sender over the same data send the one
    still owed, once, and never the delivered one again."""
    store = store_factory(backend)
    save_channel(store, {"kinds": KINDS, "type": "wecom", "name": "企业微信群", "url": receiver.url + "/wecom?key=k"}, now=clock())
    save_channel(store, {"kinds": KINDS, "type": "webhook", "name": "平台", "url": receiver.url + "/hook", "secret": "hook-secret"},
                 now=clock())
    emit(store, _event())
    first = _sender(store, campaign, clock)
    receiver.down = True
    first.tick()
    receiver.down = False
    clock.advance(seconds=5)
    first.stop()  # the process ends (its lock goes with it)
    store.close()

    again = store_factory(backend)
    second = _sender(again, campaign, clock)
    assert second.tick().delivered == 0  # not due yet: the backoff is kept across the restart
    clock.advance(seconds=30)
    assert second.tick().delivered == 2
    clock.advance(hours=2)
    assert second.tick().delivered == 0 and second.tick().delivered == 0
    assert len(receiver.to("/wecom")) == 2 and len(receiver.to("/hook")) == 2  # one failed and one delivered each
    assert len(again.record_keys(outbox.DELIVERED)) == 2 and again.record_keys(outbox.OUTBOX) == []


@pytest.mark.parametrize("backend", BACKENDS)
def test_two_senders_on_one_campaign_one_leader_sends(store_factory, campaign, clock, receiver, backend):
    store, other = store_factory(backend), store_factory(backend)
    save_channel(store, {"kinds": KINDS, "type": "wecom", "name": "企业微信群", "url": receiver.url + "/wecom?key=k"}, now=clock())
    one, two = _sender(store, campaign, clock), _sender(other, campaign, clock)
    assert one.tick().leader is True and two.tick().leader is False
    emit(other, _event())
    assert two.tick().leader is False
    assert one.tick().delivered == 1
    one.stop()  # the leader goes: the other takes over
    emit(store, _event("second"))
    report = two.tick()
    assert report.leader is True and report.delivered == 1
    assert len(receiver.posts) == 2
    two.stop()


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_crash_between_archiving_a_delivery_and_clearing_the_outbox_sends_nothing_again(store_factory, campaign,
                                                                                         clock, receiver, backend):
    """A delivery is archived before it leaves the outbox; a process killed between the two writes leaves both. The
    next round takes the outbox's copy away and sends nothing (it was delivered)."""
    store = store_factory(backend)
    save_channel(store, {"kinds": KINDS, "type": "wecom", "name": "企业微信群", "url": receiver.url + "/wecom?key=k"},
                 now=clock())
    emit(store, _event())
    sender = _sender(store, campaign, clock)
    assert sender.tick().delivered == 1
    (did,) = store.record_keys(outbox.DELIVERED)
    store.put_record(outbox.OUTBOX, did, {**store.record(outbox.DELIVERED, did), "state": "pending",
                                          "delivered_at": None})  # as the crash left it: the copy not yet deleted
    clock.advance(minutes=1)
    assert outbox.due(store, clock()) == []
    assert store.record_keys(outbox.OUTBOX) == [] and store.record_keys(outbox.DELIVERED) == [did]
    assert sender.tick().delivered == 0
    assert len(receiver.to("/wecom")) == 1
    sender.stop()


def test_fanning_out_again_after_a_crash_makes_no_second_delivery(store_factory, campaign, clock, receiver):
    store = store_factory()
    _channels(store, receiver, clock)
    emit(store, _event())
    ev = _event().to_dict()
    made = outbox.fan_out(store, ev, USERS, now=clock(), tz=campaign.timezone)
    assert made == 3
    assert outbox.fan_out(store, ev, USERS, now=clock(), tz=campaign.timezone) == 0  # the crash came before the list
    outbox.send_due(store, _sender(store, campaign, clock).attempt, now=clock())
    assert outbox.fan_out(store, ev, USERS, now=clock(), tz=campaign.timezone) == 0  # nor after delivery
    assert len(receiver.posts) == 3 and len(items(store, "zhujian")) == 1


def test_quiet_hours_hold_a_message_until_they_end_and_an_urgent_one_passes(store_factory, campaign, clock, receiver):
    """16:00 in the campaign's time zone: a channel quiet from 12:00 to 18:00 gets the ordinary event at 18:00."""
    store = store_factory()
    save_channel(store, {"kinds": KINDS, "type": "wecom", "name": "午休群", "url": receiver.url + "/wecom?key=k",
                         "quiet": {"start": "12:00", "end": "18:00"}}, now=clock())
    emit(store, _event())
    emit(store, _event("escalated", kind="case_escalated", title="督办:庆丰路", urgent=True))
    sender = _sender(store, campaign, clock)
    assert sender.tick().delivered == 1
    assert [p.json["markdown"]["content"].splitlines()[0] for p in receiver.posts] == ["### ❗督办:庆丰路"]
    (held,) = outbox.log(store, state="held")
    assert held["due_at"] == iso(datetime(2026, 11, 24, 10, tzinfo=UTC))  # 18:00 in Shanghai
    clock.advance(hours=1, minutes=59)
    assert sender.tick().delivered == 0
    clock.advance(minutes=1)
    assert sender.tick().delivered == 1 and len(receiver.posts) == 2


def test_a_person_gets_email_copies_through_smtp_in_chinese(store_factory, campaign, clock, smtp):
    store = store_factory()
    save_person_settings(store, "zhujian", {"email": True}, email_address="zhujian@example.cn")
    save_channel(store, {"kinds": KINDS, "type": "email", "name": "住建局邮件组", "emails": "a@example.cn, b@example.cn",
                         "scope": {"units": ["区住建局"]}}, now=clock())
    emit(store, _event())
    sender = _sender(store, campaign, clock, smtp=SmtpConfig(host="127.0.0.1", port=smtp.port, sender="guatu@example.cn"))
    assert sender.tick().delivered == 2
    by_to = {tuple(to): msg for to, msg in smtp.messages}
    assert set(by_to) == {("zhujian@example.cn",), ("a@example.cn", "b@example.cn")}
    msg = by_to[("zhujian@example.cn",)]
    assert msg["Subject"] == "案件派遣:庆丰路 **急**" and msg["From"] == "guatu@example.cn"
    key = msg["X-Guatu-Delivery"].strip()  # long headers come folded
    assert key.endswith("-m-zhujian") and msg["Message-ID"].strip() == f"<{key}@guatu>"
    body = msg.get_content()
    assert "请处置 <font>" in body and "http://guatu.intranet/cases/roads/r-1/p-1" in body


def test_email_without_a_mail_server_fails_with_a_reason(store_factory, campaign, clock):
    store = store_factory()
    save_channel(store, {"kinds": KINDS, "type": "email", "name": "邮件组", "emails": ["a@example.cn"]}, now=clock())
    emit(store, _event())
    _sender(store, campaign, clock).tick()
    (row,) = outbox.log(store)
    assert row["attempts"][0]["error"] == "未配置邮件服务器(GUATU_SMTP_HOST)"


def test_a_copy_between_the_stores_carries_the_channels_and_what_is_still_owed(store_factory, data_dir, campaign,
                                                                              clock, postgis_url, postgis_schema):
    from geo.store.transfer import copy_to_postgis

    store = store_factory()
    made = save_channel(store, {"kinds": KINDS, "type": "webhook", "name": "平台", "url": "http://127.0.0.1:9/hook"}, now=clock())
    emit(store, _event())
    _sender(store, campaign, clock).tick()  # nobody listens on port 9: owed, with one failed attempt
    copy_to_postgis(data_dir, campaign, postgis_url, schema=postgis_schema)
    copied = store_factory("postgis")
    assert copied.record("notify-channels", made["id"]) == made
    assert [d["tries"] for d in outbox.log(copied)] == [1]


def test_the_sender_in_its_thread_delivers_and_stops_letting_the_lock_go(store_factory, campaign, clock, receiver):
    from tests.waiting import wait_until

    store, other = store_factory(), store_factory()
    save_channel(store, {"kinds": KINDS, "type": "wecom", "name": "企业微信群", "url": receiver.url + "/wecom?key=k"}, now=clock())
    sender = _sender(store, campaign, clock)
    sender.start(0.02)
    emit(store, _event())
    wait_until(lambda: store.record_keys(outbox.DELIVERED), "the delivery")
    assert other.leader_lock("notify").try_acquire() is False
    sender.stop()
    assert other.leader_lock("notify").try_acquire() is True and len(receiver.posts) == 1


@pytest.mark.parametrize("damage", [{"type": "传真"}, {"kinds": "全部"}, {"url": ["http://x"]}, {"enabled": "是"},
                                    {"scope": "大学路街道"}, {"scope": None}, {"secret": 123456}, {"kinds": None},
                                    {"quiet": {"start": "", "end": ""}}, {"emails": "a@example.cn"}])
def test_a_channel_record_not_as_written_is_left_out_of_sending_and_named_and_the_others_still_hear(
        store_factory, campaign, clock, receiver, damage):
    from geo.errors import BrokenRecord
    from geo.notify.subscriptions import CHANNELS, channel, channels, damaged_channels

    store = store_factory()
    made = _channels(store, receiver, clock)
    damaged = {**made["wecom"], **damage}
    store.put_record(CHANNELS, made["wecom"]["id"], damaged)  # edited by hand
    for read in (lambda: channels(store), lambda: channel(store, made["wecom"]["id"])):
        with pytest.raises(BrokenRecord) as caught:
            read()
        assert f"notify-channels/{made['wecom']['id']}" in caught.value.message
    (finding,) = damaged_channels(store)
    assert finding.where == f"notify-channels/{made['wecom']['id']}" and finding.code == "broken_record"
    emit(store, _event())
    report = _sender(store, campaign, clock).tick()
    assert report.fanned_out == 1 and report.delivered == 2 and report.failed == 0  # 钉钉 and the webhook
    assert receiver.to("/wecom") == [] and len(receiver.to("/dingtalk")) == 1 and len(receiver.to("/hook")) == 1
    assert [i["id"] for i in items(store, "zhujian")] == [_event().id]
    assert store.record(CHANNELS, made["wecom"]["id"]) == damaged  # never written over


def test_a_delivery_through_a_channel_damaged_after_it_was_made_fails_with_the_reason(store_factory, campaign, clock,
                                                                                    receiver):
    from geo.notify.subscriptions import CHANNELS

    store = store_factory()
    hook = save_channel(store, {"kinds": KINDS, "type": "webhook", "name": "12345 平台", "url": receiver.url + "/hook",
                                "secret": "hook-secret"}, now=clock())
    emit(store, _event())
    sender = _sender(store, campaign, clock)
    receiver.down = True
    assert sender.tick().failed == 1  # the delivery is made and waits for its next attempt
    tried = len(receiver.to("/hook"))
    receiver.down = False
    store.put_record(CHANNELS, hook["id"], {**hook, "kinds": 5})
    clock.advance(hours=1)
    assert sender.tick().failed == 1
    (row,) = outbox.log(store)
    assert row["state"] == "pending" and f"notify-channels/{hook['id']}" in row["attempts"][-1]["error"]
    assert len(receiver.to("/hook")) == tried  # nothing sent through the damaged channel


@pytest.mark.parametrize("damage", [{"off": "case_assigned"}, {"email": "是"}, {"quiet": "22:00-07:00"},
                                    {"quiet": {"start": "22:00", "end": "7点"}}, {"quiet": {"start": "", "end": ""}},
                                    {"quiet": {"start": " 00:00", "end": "23:59"}}])
def test_a_persons_settings_not_as_written_count_as_the_defaults_and_stop_nobodys_news(
        store_factory, campaign, clock, smtp, damage):
    from geo.errors import BrokenRecord
    from geo.notify.subscriptions import PEOPLE, damaged_settings, person_settings

    store = store_factory()
    save_person_settings(store, "zhujian", {"email": True, "quiet": {"start": "00:00", "end": "23:59"}},
                         email_address="zhujian@example.cn")
    damaged = {**store.record(PEOPLE, "zhujian"), **damage}
    store.put_record(PEOPLE, "zhujian", damaged)  # edited by hand
    with pytest.raises(BrokenRecord) as caught:
        person_settings(store, "zhujian")
    assert "notify-people/zhujian" in caught.value.message
    assert [f.where for f in damaged_settings(store)] == ["notify-people/zhujian"]
    save_channel(store, {"kinds": KINDS, "type": "email", "name": "住建局邮件组", "emails": "a@example.cn",
                         "scope": {"units": ["区住建局"]}}, now=clock())
    emit(store, _event())
    sender = _sender(store, campaign, clock, smtp=SmtpConfig(host="127.0.0.1", port=smtp.port, sender="guatu@example.cn"))
    assert sender.tick().delivered == 1  # the group's mail; no copy for zhujian: the defaults send none
    assert [to for to, _ in smtp.messages] == [["a@example.cn"]]
    assert [i["id"] for i in items(store, "zhujian")] == [_event().id]  # the news in the inbox, as by default
    assert store.record(PEOPLE, "zhujian") == damaged  # never written over


@pytest.mark.parametrize("damage", [{"kind": "传真"}, {"users": "zhujian"}, {"users": [1]}, {"at": "明天上午"},
                                    {"title": None}, {"data": []}, {"urgent": "是"}, {"key": "另一条"}])
def test_an_event_edited_by_hand_stays_pending_named_and_the_other_news_goes_out(store_factory, campaign, clock,
                                                                                  receiver, damage):
    from geo.errors import BrokenRecord
    from geo.notify.events import EVENTS, damaged_events, event, pending_ids

    store = store_factory()
    _channels(store, receiver, clock)
    first, second = _event(), _event("roads/r-2/p-1/dispatch/1")
    emit(store, first)
    emit(store, second)
    kept = store.record(EVENTS, first.id)
    damaged = {**kept, **damage}
    store.put_record(EVENTS, first.id, damaged)  # edited by hand
    with pytest.raises(BrokenRecord) as caught:
        event(store, first.id)
    assert f"notify-events/{first.id}" in caught.value.message
    assert [f.where for f in damaged_events(store)] == [f"notify-events/{first.id}"]
    sender = _sender(store, campaign, clock)
    report = sender.tick()
    assert report.fanned_out == 1 and report.delivered == 3 and report.failed == 0  # the second, on each channel
    assert [i["id"] for i in items(store, "zhujian")] == [second.id]
    assert pending_ids(store) == [first.id]  # kept until it is put right, never dropped
    assert store.record(EVENTS, first.id) == damaged  # never written over
    store.put_record(EVENTS, first.id, kept)  # put right by hand
    report = sender.tick()
    assert report.fanned_out == 1 and report.delivered == 3
    assert pending_ids(store) == [] and {i["id"] for i in items(store, "zhujian")} == {first.id, second.id}


def test_damaged_events_at_the_head_of_the_list_never_hold_the_fan_outs_slots(store_factory, campaign, clock):
    """A round fans out `limit` events: three damaged ones before the sound ones take none of the slots."""
    from geo.notify.events import EVENTS, pending_ids

    store = store_factory()
    events = [_event(f"roads/r-{n}/p-1/dispatch/1") for n in range(5)]
    for e in events:
        emit(store, e)
    for e in events[:3]:
        store.put_record(EVENTS, e.id, {**store.record(EVENTS, e.id), "users": "zhujian"})  # edited by hand
    fanned = outbox.fan_out_pending(store, USERS, now=clock(), tz=campaign.timezone, limit=2)
    assert fanned == 2
    assert [i["id"] for i in items(store, "zhujian")] == [events[4].id, events[3].id]  # newest first
    assert pending_ids(store) == [e.id for e in events[:3]]  # the damaged ones kept, never dropped


def test_a_damaged_pending_list_stops_new_news_says_why_and_what_is_owed_is_still_sent(store_factory, campaign,
                                                                                        clock, receiver):
    from geo.errors import BrokenRecord
    from geo.notify.events import damaged_events

    store = store_factory()
    save_channel(store, {"kinds": KINDS, "type": "webhook", "name": "12345 平台", "url": receiver.url + "/hook",
                         "secret": "hook-secret"}, now=clock())
    emit(store, _event())
    sender = _sender(store, campaign, clock)
    receiver.down = True
    assert sender.tick().failed == 1  # the delivery is made and owed
    receiver.down = False
    store.put_record(PENDING, "events", {"ids": "case-assigned-1"})  # edited by hand
    assert [f.where for f in damaged_events(store)] == ["notify-pending/events"]
    with pytest.raises(BrokenRecord) as caught:
        emit(store, _event("roads/r-2/p-1/dispatch/1"))
    assert "notify-pending/events" in caught.value.message
    assert store.record("notify-events", _event("roads/r-2/p-1/dispatch/1").id) is None  # nothing kept unlisted
    clock.advance(hours=1)
    with pytest.raises(BrokenRecord) as caught:  # the round says why it collected nothing
        sender.tick()
    assert "notify-pending/events" in caught.value.message
    assert len(receiver.to("/hook")) == 2  # the owed delivery was sent all the same (after the failed attempt)
    assert [row["state"] for row in outbox.log(store)] == ["delivered"]
    assert store.record(PENDING, "events") == {"ids": "case-assigned-1"}  # never written over


@pytest.mark.parametrize("damage", [{"state": "sent"}, {"due_at": "明天"}, {"tries": "1"}, {"attempts": [{"at": 1}]},
                                    {"to": "a@example.cn"}, {"id": None}])
def test_a_delivery_edited_by_hand_is_left_where_it_is_named_and_the_others_are_sent(store_factory, campaign, clock,
                                                                                     receiver, damage):
    from geo.errors import BrokenRecord
    from geo.notify.outbox import DELIVERED, OUTBOX, damaged_deliveries

    store = store_factory()
    save_channel(store, {"kinds": KINDS, "type": "webhook", "name": "12345 平台", "url": receiver.url + "/hook",
                         "secret": "hook-secret"}, now=clock())
    emit(store, _event())
    emit(store, _event("roads/r-2/p-1/dispatch/1"))
    sender = _sender(store, campaign, clock)
    receiver.down = True
    assert sender.tick().failed == 2
    receiver.down = False
    did = sorted(store.record_keys(OUTBOX))[0]
    damaged = {**store.record(OUTBOX, did), **damage}
    store.put_record(OUTBOX, did, damaged)  # edited by hand
    clock.advance(hours=1)
    report = sender.tick()
    assert report.delivered == 1 and report.failed == 0  # the other one
    assert len(store.record_keys(DELIVERED)) == 1 and store.record(OUTBOX, did) == damaged  # never written over
    assert [f.where for f in damaged_deliveries(store)] == [f"notify-outbox/{did}"]
    found = outbox.delivery_log(store)  # the log lists the other one and names this one
    assert [d["id"] for d in found.rows] == store.record_keys(DELIVERED)
    assert [f.where for f in found.damaged] == [f"notify-outbox/{did}"]
    for read in (lambda: outbox.retry(store, did, now=clock()), lambda: outbox.delivery(store, did)):
        with pytest.raises(BrokenRecord) as caught:
            read()
        assert f"notify-outbox/{did}" in caught.value.message
