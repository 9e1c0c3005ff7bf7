"""Who hears of what by default, what a person turns off, which channels cover an event, quiet hours across
midnight, secrets masked, and a bad channel refused naming each field with nothing kept."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from geo.accounts import Accounts, User
from geo.errors import ValidationError
from geo.notify.channels import escape_markdown
from geo.notify.subscriptions import (
    CHANNELS,
    channels_hearing,
    people_hearing,
    person_settings,
    public_channel,
    quiet_until,
    save_channel,
    save_person_settings,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _user(name, role, scope=None, disabled=False):
    return User(name, name, role, "", "2026-11-01T00:00:00Z", disabled=disabled, scope=scope or {})


PEOPLE = [
    _user("handler", "viewer"),
    _user("unit", "editor", {"units": ["区住建局"]}),
    _user("street", "editor", {"streets": ["大学路街道"]}),
    _user("other_street", "editor", {"streets": ["长江路街道"]}),
    _user("hq", "admin"),
    _user("inspector", "inspector"),
    _user("gone", "editor", {"units": ["区住建局"]}, disabled=True),
]


def _names(event, off=None):
    off = off or {}
    return [u.username for u in people_hearing(event, PEOPLE, lambda u: {"off": off.get(u, []), "email": False,
                                                                          "quiet": None})]


def test_people_hear_what_names_them_their_area_and_their_level_by_default():
    dispatch = {"kind": "case_assigned", "street": "大学路街道", "unit": "区住建局", "users": ["handler"]}
    assert _names(dispatch) == ["handler", "street", "unit"]
    escalated = {**dispatch, "kind": "case_escalated"}
    assert _names(escalated) == ["handler", "hq", "street", "unit"]  # 指挥部 hears of escalations
    drawn = {"kind": "inspection_drawn", "users": []}
    assert _names(drawn) == ["inspector"]
    report = {"kind": "daily_report", "users": []}
    assert _names(report) == ["hq"]
    assert _names(dispatch, off={"street": ["case_assigned"], "handler": ["case_assigned"]}) == ["unit"]


def test_a_channel_hears_its_kinds_in_its_area_while_it_is_on():
    everywhere = {"id": "a", "enabled": True, "kinds": ["case_overdue"], "scope": {}}
    street = {"id": "b", "enabled": True, "kinds": ["case_overdue", "daily_report"], "scope": {"streets": ["大学路街道"]}}
    off = {"id": "c", "enabled": False, "kinds": ["case_overdue"], "scope": {}}
    overdue = {"kind": "case_overdue", "street": "大学路街道"}
    assert [c["id"] for c in channels_hearing(overdue, [everywhere, street, off])] == ["a", "b"]
    assert [c["id"] for c in channels_hearing({**overdue, "street": "长江路街道"}, [everywhere, street])] == ["a"]
    assert channels_hearing({"kind": "daily_report"}, [everywhere, street]) == []  # no area: the district's channels


@pytest.mark.parametrize(("local", "quiet", "until"), [
    ("23:30", {"start": "22:00", "end": "07:00"}, "2026-11-25 07:00"),  # across midnight, before it
    ("06:59", {"start": "22:00", "end": "07:00"}, "2026-11-24 07:00"),  # across midnight, after it
    ("07:00", {"start": "22:00", "end": "07:00"}, None),
    ("12:30", {"start": "12:00", "end": "14:00"}, "2026-11-24 14:00"),
    ("14:00", {"start": "12:00", "end": "14:00"}, None),
])
def test_quiet_hours_end_where_they_say_in_the_campaigns_time_zone(local, quiet, until):
    day = "2026-11-24"
    now = datetime.fromisoformat(f"{day}T{local}:00").replace(tzinfo=SHANGHAI).astimezone(UTC)
    got = quiet_until(quiet, now, SHANGHAI)
    assert (got.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M") if got else None) == until


def test_a_bad_channel_names_every_field_and_keeps_nothing(store_factory, clock):
    store = store_factory()
    with pytest.raises(ValidationError) as refused:
        save_channel(store, {"type": "sms", "name": "", "kinds": ["gossip"], "scope": {"streets": ["无此街道"]},
                             "quiet": {"start": "8", "end": "9"}}, now=clock(),
                     names=(["大学路街道"], [], []))
    fields = {e.field for e in refused.value.errors}
    assert fields == {"type", "name", "kinds", "scope.streets", "quiet.start", "quiet.end"}
    with pytest.raises(ValidationError) as refused:
        save_channel(store, {"type": "email", "name": "邮件组", "emails": "ok@example.cn, 不是邮箱"}, now=clock())
    assert [e.field for e in refused.value.errors] == ["emails"]
    assert store.record_keys(CHANNELS) == []


def test_a_webhook_without_a_secret_gets_one_and_no_secret_is_shown_back(store_factory, clock):
    store = store_factory()
    made = save_channel(store, {"type": "webhook", "name": "平台", "url": "https://hook.intranet/in?token=abcdefgh"},
                        now=clock())
    assert len(made["secret"]) >= 24
    shown = public_channel(made)
    assert made["secret"] not in str(shown) and "abcdefgh" not in shown["url"] and shown["url"].startswith(
        "https://hook.intranet/in?token=abcd")


def test_email_copies_need_an_address_and_settings_are_kept_per_person(store_factory):
    store = store_factory()
    with pytest.raises(ValidationError):
        save_person_settings(store, "li.si", {"email": True}, email_address=None)
    save_person_settings(store, "li.si", {"off": ["digest"], "email": True, "quiet": {"start": "22:00", "end": "07:00"}},
                         email_address="li@example.cn")
    assert person_settings(store, "li.si") == {"off": ["digest"], "email": True,
                                               "quiet": {"start": "22:00", "end": "07:00"}}
    assert person_settings(store, "li_si") == {"off": [], "email": False, "quiet": None}


def test_an_account_keeps_a_valid_email_and_refuses_another(tmp_path):
    acc = Accounts(tmp_path / "accounts.json")
    acc.create_user("admin", "a long password", "admin")
    user = acc.create_user("li", "a long password", "editor", email=" li@example.cn ")
    assert user.email == "li@example.cn"
    with pytest.raises(ValidationError) as refused:
        acc.update_user("li", email="li at example")
    assert refused.value.errors[0].field == "email" and acc.get_user("li").email == "li@example.cn"
    assert acc.update_user("li", email="").email is None


def test_markdown_in_peoples_words_formats_nothing():
    assert escape_markdown("**急** [点](http://x) <font color=red>#1</font> a_b") == \
        "＊＊急＊＊ ［点］(http://x) ＜font color=red＞＃1＜/font＞ a＿b"
    assert escape_markdown("- 一\n1. 二\n2026-11-24 完成.") == "－ 一\n1． 二\n2026-11-24 完成."
