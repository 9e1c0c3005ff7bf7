"""The in-app inbox over HTTP (web/inbox): the bell with the unread count on the pages of a logged-in account (and
none for a display link or an anonymous reader), /inbox newest first with the text escaped, the API's list, count
and marking read — each person their own, CSRF required, bad input a problem document that changes nothing."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from geo.notify.events import Event
from geo.notify.inbox import deliver, items, unread_count
from tests.web.conftest import login


def _event(key: str, *, title: str = "新派遣案件:兑周村1号院", text: str = "请处置", kind: str = "case_assigned",
           link: str = "/cases/courtyards/c-0001/p-1") -> dict:
    return Event(kind=kind, key=key, at="2026-12-07T02:00:00Z", title=title, text=text, link=link,
                 users=("editor1",)).to_dict()


@pytest.fixture
def store(private_app):
    return private_app.extensions["guatu"].store


@pytest.fixture
def three(store):
    """Three notifications for editor1, delivered an hour apart (the last one's text is hostile)."""
    events = [_event("a"), _event("b", kind="case_overdue", title="已逾期:中原东路5号院"),
              _event("c", title="<img src=x onerror=alert(1)>", text="<script>alert(1)</script>", link="//evil.example/x")]
    for hour, ev in enumerate(events):
        deliver(store, "editor1", ev, at=f"2026-12-07T0{hour + 1}:00:00Z")
    return events


def test_the_bell_shows_the_unread_count_on_the_pages_of_a_logged_in_account(private_app, store, three):
    client = private_app.test_client()
    login(client, "editor1")
    for path in ("/cases", "/inbox", "/account", "/reports/daily", "/export"):
        page = client.get(path).data.decode()
        bell = re.search(r'<a class="inbox-bell[^"]*" id="inbox-bell"[^>]*>', page)
        assert bell, path
        assert 'aria-label="通知:3 条未读"' in bell.group(0)
        assert re.search(r'<span class="inbox-count" id="inbox-count" data-inbox-count>3</span>', page), path
    viewer = private_app.test_client()
    login(viewer, "viewer1")
    assert 'data-inbox-count hidden></span>' in viewer.get("/cases").data.decode()  # no unread: no pill


def test_no_bell_for_an_anonymous_reader(app):
    page = app.test_client().get("/login").data.decode()
    assert "id=\"inbox-bell\"" not in page


def test_the_inbox_lists_newest_first_escapes_text_and_links_only_inside_the_app(private_app, store, three):
    client = private_app.test_client()
    login(client, "editor1")
    page = client.get("/inbox").data.decode()
    assert "未读 3 条,共 3 条" in page
    titles = re.findall(r'<h2 class="inbox-title">(.*?)</h2>', page)
    assert len(titles) == 3 and "&lt;img src=x onerror=alert(1)&gt;" in titles[0]
    assert "<a" not in titles[0]  # a link that leaves the app is not made a link
    assert titles[1] == '<a href="/cases/courtyards/c-0001/p-1" data-inbox-open>已逾期:中原东路5号院</a>'
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page
    assert "2026-12-07 11:00" in page  # 03:00 UTC in the campaign's zone
    assert page.count('class="inbox-tag">逾期<') == 1 and page.count('class="inbox-tag">派遣<') == 2


def test_the_api_lists_counts_and_marks_read_each_persons_own(private_app, store, three):
    client = private_app.test_client()
    csrf = login(client, "editor1")
    listed = client.get("/api/inbox?limit=2").get_json()
    assert listed["unread"] == 3 and listed["total"] == 3
    assert [i["id"] for i in listed["items"]] == [three[2]["id"], three[1]["id"]]
    assert listed["items"][0]["at_local"] == "2026-12-07 11:00" and listed["items"][1]["kind_label"] == "逾期"
    assert client.get("/api/inbox/count").get_json() == {"unread": 3}
    done = client.post("/api/inbox/read", json={"ids": [three[0]["id"]]}, headers={"X-CSRF-Token": csrf})
    assert done.status_code == 200 and done.get_json() == {"changed": 1, "unread": 2}
    assert client.get("/api/inbox?unread=true").get_json()["total"] == 2
    done = client.post("/api/inbox/read", json={"all": True}, headers={"X-CSRF-Token": csrf})
    assert done.get_json() == {"changed": 2, "unread": 0}
    assert unread_count(store, "editor1") == 0
    other = private_app.test_client()
    login(other, "viewer1")
    assert other.get("/api/inbox").get_json() == {"unread": 0, "total": 0, "items": []}


@pytest.mark.parametrize(("body", "status", "field"), [
    ({}, 422, "ids"), ({"ids": ["x"], "all": True}, 422, "ids"), ({"ids": "all"}, 422, "ids"),
    ({"all": False}, 422, "all"), ({"ids": ["case-assigned-000000000000000000000000"]}, 404, None),
])
def test_bad_input_is_a_problem_document_and_marks_nothing(private_app, store, three, body, status, field):
    client = private_app.test_client()
    csrf = login(client, "editor1")
    resp = client.post("/api/inbox/read", json=body, headers={"X-CSRF-Token": csrf})
    assert resp.status_code == status and resp.mimetype == "application/problem+json"
    problem = resp.get_json()
    assert re.search(r"[\u4e00-\u9fff]", problem["detail"] if "detail" in problem else problem["message"])
    if field:
        assert field in str(problem)
    assert unread_count(store, "editor1") == 3


def test_a_known_and_an_unknown_id_together_mark_nothing(private_app, store, three):
    client = private_app.test_client()
    csrf = login(client, "editor1")
    resp = client.post("/api/inbox/read", json={"ids": [three[0]["id"], "nope"]}, headers={"X-CSRF-Token": csrf})
    assert resp.status_code == 404 and "nope" in resp.get_json()["detail"]
    assert all(not i["read"] for i in items(store, "editor1"))


def test_marking_read_needs_the_csrf_token_and_an_account(private_app, app, store, three):
    client = private_app.test_client()
    login(client, "editor1")
    assert client.post("/api/inbox/read", json={"all": True}).status_code == 403
    assert unread_count(store, "editor1") == 3
    assert app.test_client().get("/api/inbox/count").status_code in (401, 403)


def test_the_wall_and_the_editor_give_their_bell_to_a_logged_in_reader_and_none_to_a_display_link(
        private_app, store, three):
    client = private_app.test_client()
    login(client, "editor1")
    for path in ("/", "/edit"):
        page = client.get(path).data.decode()
        bell = re.search(r'"inbox": ?(\{[^}]*\})', page)
        assert bell, path
        assert json.loads(bell.group(1)) == {"unread": 3, "badge": "3", "href": "/inbox",
                                             "count_url": "/api/inbox/count", "poll_s": 30}
    _, secret = private_app.extensions["guatu_accounts"].create_display_token("指挥中心", "/wall")
    screen = private_app.test_client().get(f"/wall?display={secret}").data.decode()
    assert re.search(r'"inbox": ?null', screen) and 'id="inbox-bell"' not in screen


DAMAGES = {"items as text": "三条通知",
           "read as text": [{"id": "e1", "kind": "case_assigned", "title": "x", "text": "y", "at": "2026-12-07T01:00:00Z",
                             "read": "no"}],
           "arrived at no instant": [{"id": "e1", "kind": "case_assigned", "title": "x", "text": "y", "at": "昨天",
                                      "read": False}]}


@pytest.mark.parametrize("damage", list(DAMAGES))
def test_an_inbox_record_not_as_written_is_a_503_naming_it_never_written_over_and_the_others_still_hear(
        private_app, store, damage):
    from geo.notify.inbox import INBOX
    from geo.notify.outbox import fan_out

    deliver(store, "viewer1", _event("a"), at="2026-12-07T01:00:00Z")
    damaged = {"user": "editor1", "items": DAMAGES[damage]}
    store.put_record(INBOX, "editor1", damaged)
    client = private_app.test_client()
    csrf = login(client, "editor1")
    for resp in (client.get("/api/inbox"), client.get("/api/inbox/count"), client.get("/inbox"),
                 client.post("/api/inbox/read", json={"all": True}, headers={"X-CSRF-Token": csrf})):
        assert resp.status_code == 503, resp.get_data(as_text=True)[:300]
        if resp.is_json:
            assert resp.get_json()["error"] == "broken_record" and "notify-inbox/editor1" in resp.get_json()["message"]
    page = client.get("/cases")  # the bell without a count; the page itself is served
    assert page.status_code == 200 and 'id="inbox-bell"' in page.get_data(as_text=True)
    accounts = private_app.extensions["guatu_accounts"]
    event = {**_event("b"), "users": ["editor1", "viewer1"]}
    fan_out(store, event, [accounts.get_user("editor1"), accounts.get_user("viewer1")],
            now=datetime(2026, 12, 7, 3, tzinfo=UTC), tz=ZoneInfo("Asia/Shanghai"))
    assert [i["id"] for i in items(store, "viewer1")] == [event["id"], _event("a")["id"]]
    assert store.record(INBOX, "editor1") == damaged  # never written over


def test_an_event_edited_by_hand_is_refused_at_the_inbox_so_the_inbox_stays_sound(private_app, store, three):
    from geo.errors import BrokenRecord

    before = items(store, "editor1")
    with pytest.raises(BrokenRecord) as caught:
        deliver(store, "editor1", {**_event("d"), "at": "2026-12-07 10:00"}, at="2026-12-07T05:00:00Z")  # no zone
    assert "notify-events/" in caught.value.message and "event_at" in caught.value.message
    assert items(store, "editor1") == before
