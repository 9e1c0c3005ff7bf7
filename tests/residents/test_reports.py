"""A resident's report: kept with a receipt code, checked field by field, shown to the public without anything
personal, triaged by the area's staff into the case loop (accept, merge, reject), followed to 已办结 with the
after photo and rated once — on both stores where it touches them."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from geo.cases import transition
from geo.errors import Conflict, NotFound, TooLarge, UnsupportedMedia, ValidationError
from geo.notify.events import EVENTS, PENDING, event, event_id
from geo.photos.service import add_photo
from geo.residents.photos import keep_photo
from geo.residents.reports import (
    ALPHABET,
    CODE,
    KIND,
    ReportForbidden,
    accept,
    get,
    hide,
    merge,
    merge_candidates,
    progress,
    public_view,
    rate,
    reject,
    reports,
    submit,
)
from tests.photos.images import jpeg
from tests.residents.conftest import COMMUNITY, LAYER, NOW, PIN, STREET, add_open_case, add_place, kept_photo


def _submit(store, campaign, data_dir, **fields):
    given = {"lon": PIN[0], "lat": PIN[1], "category": "乱堆乱放", "description": "楼道里堆满了杂物",
             "now": NOW, "data_dir": data_dir, **fields}
    return submit(store, campaign, **given)


@pytest.mark.parametrize("backend", ["geojson", "postgis"])
def test_a_report_is_kept_under_its_receipt_code_in_its_area_and_announced(store_factory, campaign, bounded_dir,
                                                                          backend):
    store = store_factory(backend)
    photo = kept_photo(store)
    record = _submit(store, campaign, bounded_dir, photos=[photo], phone="138 0000 1234", name="王大爷")
    assert CODE.match(record["code"]) and set(record["code"]) <= set(ALPHABET)
    assert get(store, record["code"].lower()) == record  # typed in lower case, the same report
    assert (record["street"], record["community"], record["state"]) == (STREET, COMMUNITY, "received")
    assert record["photos"] == [photo] and record["phone"] == "138 0000 1234"
    eid = event_id("report_arrived", record["code"])
    assert store.record(PENDING, "events")["ids"] == [eid]
    announced = event(store, eid)
    assert announced["street"] == STREET and announced["data"]["code"] == record["code"]
    assert "乱堆乱放" in announced["title"] and "王大爷" not in announced["text"]
    second = _submit(store, campaign, bounded_dir, description="又有人堆了")
    assert [r["code"] for r in reports(store)] in ([second["code"], record["code"]], [record["code"], second["code"]])
    assert {r["code"] for r in reports(store)} == {record["code"], second["code"]}


def test_a_report_whose_announcement_failed_is_announced_when_the_phone_sends_it_again(store_factory, campaign,
                                                                                       bounded_dir):
    """The report was kept, then announcing it failed (here the events' folder cannot be written): the phone,
    which had no answer, sends it again under the same key — the same report, and now it is announced, once."""
    store = store_factory("geojson")
    blocked = store.dir / EVENTS
    blocked.write_text("not a folder")
    with pytest.raises(OSError):
        _submit(store, campaign, bounded_dir, client_key="phone-0001-report")
    [code] = [r["code"] for r in reports(store)]
    assert store.record(PENDING, "events") is None  # kept, not announced
    blocked.unlink()
    again = _submit(store, campaign, bounded_dir, client_key="phone-0001-report")
    assert again["code"] == code and len(reports(store)) == 1
    assert store.record(PENDING, "events")["ids"] == [event_id("report_arrived", code)]
    assert _submit(store, campaign, bounded_dir, client_key="phone-0001-report")["code"] == code
    assert store.record(PENDING, "events")["ids"] == [event_id("report_arrived", code)]
    with store.records_locked(PENDING):  # fanned out since: the sender took it off the list
        store.put_record(PENDING, "events", {"ids": []})
    assert _submit(store, campaign, bounded_dir, client_key="phone-0001-report")["code"] == code
    assert store.record(PENDING, "events")["ids"] == []  # not listed again: nobody hears of it twice


@pytest.mark.parametrize(("fields", "field"), [
    ({"lon": 116.39, "lat": 39.9}, "location"),
    ({"lon": "东经", "lat": 34.7}, "location"),
    ({"category": "外星人"}, "category"),
    ({"description": "   "}, "description"),
    ({"description": "字" * 501}, "description"),
    ({"phone": "call me"}, "phone"),
    ({"name": "名" * 41}, "name"),
    ({"photos": ["0" * 64]}, "photos[0]"),
    ({"photos": ["../../etc/passwd"]}, "photos[0]"),
    ({"channel": "fax"}, "channel"),
])
def test_a_report_that_breaks_a_rule_is_refused_naming_the_field_and_nothing_is_kept(store_factory, campaign,
                                                                                     bounded_dir, fields, field):
    store = store_factory()
    with pytest.raises(ValidationError) as refused:
        _submit(store, campaign, bounded_dir, **fields)
    assert field in [e.field for e in refused.value.errors]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in refused.value.message)
    assert store.record_keys(KIND) == [] and store.record(PENDING, "events") is None


def test_more_photos_than_the_limit_are_refused(store_factory, campaign, bounded_dir):
    store = store_factory()
    photos = [kept_photo(store, (i * 40, 10, 10)) for i in range(5)]
    with pytest.raises(ValidationError) as refused:
        _submit(store, campaign, bounded_dir, photos=photos)
    assert [e.field for e in refused.value.errors] == ["photos"]


def test_an_unknown_or_malformed_code_is_not_found(store_factory):
    store = store_factory()
    for code in ("23456789", "../x", "", None, "ABCDEFGHI"):
        with pytest.raises(NotFound):
            get(store, code)


@pytest.mark.parametrize("backend", ["geojson", "postgis"])
def test_a_reporters_photo_is_kept_without_its_exif(store_factory, backend):
    store = store_factory(backend)
    photo = keep_photo(store, io.BytesIO(jpeg(640, 480, gps=True, taken="2026:12:07 09:00:00")))
    for variant in ("original", "full", "preview", "thumb"):
        with Image.open(io.BytesIO(store.blobs.get(photo, variant))) as img:
            assert not img.getexif() and "exif" not in img.info
    assert keep_photo(store, io.BytesIO(jpeg(640, 480, gps=True, taken="2026:12:07 09:00:00"))) == photo


def test_an_upload_that_is_not_a_photo_or_too_large_is_refused(store_factory):
    store = store_factory()
    with pytest.raises(UnsupportedMedia):
        keep_photo(store, io.BytesIO("不是图片".encode() * 10))
    with pytest.raises(TooLarge):
        keep_photo(store, io.BytesIO(jpeg(640, 480)), max_bytes=1000)


def test_the_public_sees_nothing_personal_and_nothing_moderated(store_factory, campaign, bounded_dir, staff):
    store = store_factory()
    photo = kept_photo(store)
    record = _submit(store, campaign, bounded_dir, photos=[photo], phone="13800001234", name="王大爷",
                     squad="XF-01", device="d" * 64, address="幸福路1号院3单元")
    view = public_view(store, campaign, record)
    shown = repr(view)
    for private in ("13800001234", "王大爷", "XF-01", "d" * 64):
        assert private not in shown
    assert view["state"] == "received" and view["state_text"] == "已收到,待受理"
    assert view["description"] == "楼道里堆满了杂物" and view["photos"] == [photo]
    assert public_view(store, campaign, record, lang="en")["state_text"] == "received, waiting to be accepted"
    hidden = hide(store, record["code"], principal=staff["street"])
    view = public_view(store, campaign, hidden)
    assert view["description"] is None and view["photos"] == [] and view["hidden"] is True
    with pytest.raises(ReportForbidden):
        hide(store, record["code"], principal=staff["other_street"])


@pytest.mark.parametrize("backend", ["geojson", "postgis"])
def test_an_accepted_report_becomes_a_resident_case_followed_to_done_and_rated_once(
        store_factory, open_campaign, bounded_dir, staff, make_feature, backend):
    store = store_factory(backend)
    campaign = open_campaign
    place = add_place(store, make_feature)
    add_place(store, make_feature, name="远处的院子", x=113.65, y=34.74)
    photo = kept_photo(store)
    record = _submit(store, campaign, bounded_dir, photos=[photo], phone="13800001234")
    with pytest.raises(ReportForbidden):
        accept(store, campaign, record["code"], principal=staff["other_street"], now=NOW)
    with pytest.raises(ReportForbidden):
        accept(store, campaign, record["code"], principal=staff["viewer"], now=NOW)
    accepted = accept(store, campaign, record["code"], principal=staff["street"], now=NOW)
    assert accepted["state"] == "accepted" and accepted["handled_by"] == "jiedao"
    ref = accepted["case"]
    assert (ref["layer"], ref["fid"]) == (LAYER, place["id"])
    written = store.get(LAYER, place["id"])["properties"]
    problem = next(p for p in written["problems"] if p["id"] == ref["pid"])
    assert problem["case"]["source"] == "resident" and problem["case"]["stage"] == "filed"
    assert problem["description"] == "楼道里堆满了杂物" and record["code"] in problem["found_by"]
    assert [(p["id"], p["role"], p["problem"]) for p in written["photos"]] == [(photo, "before", ref["pid"])]
    assert [f for f in store.check() if f.code.startswith("photo")] == []  # its file hashes to its id, whole
    assert public_view(store, campaign, accepted)["state_text"] == "已受理"
    with pytest.raises(Conflict):
        accept(store, campaign, record["code"], principal=staff["street"], now=NOW)
    with pytest.raises(Conflict):
        rate(store, campaign, record["code"], "satisfied", "", NOW)

    def step(action, who, **kwargs):
        transition(store, LAYER, place["id"], ref["pid"], action, principal=staff[who], expected_version=None,
                   campaign=campaign, now=NOW, **kwargs)

    step("dispatch", "district", unit="区住建局")
    assert progress(store, campaign, accepted) == "handling"
    assert public_view(store, campaign, accepted)["stage_text"] == "处置中"
    after, _ = add_photo(store, LAYER, place["id"], io.BytesIO(jpeg(200, 100, colour=(10, 200, 10))), user="zhujian",
                         role="after", problem=ref["pid"])
    step("report", "handler", note="已清理")
    step("confirm", "inspector")
    view = public_view(store, campaign, get(store, record["code"]))
    assert (view["state"], view["state_text"], view["after_photo"], view["may_rate"]) == \
        ("closed", "已办结", after["id"], True)
    with pytest.raises(ValidationError):
        rate(store, campaign, record["code"], "great", "", NOW)
    rated = rate(store, campaign, record["code"], "basic", "清理得还行", NOW)
    assert rated["rating"]["value"] == "basic"
    view = public_view(store, campaign, rated)
    assert view["rating"]["text"] == "基本满意" and view["may_rate"] is False
    with pytest.raises(Conflict):
        rate(store, campaign, record["code"], "satisfied", "", NOW)


def test_accept_onto_a_named_place_and_refusals(store_factory, campaign, bounded_dir, staff, make_feature):
    store = store_factory()
    add_place(store, make_feature)
    far = add_place(store, make_feature, name="远处的院子", x=113.65, y=34.74)
    record = _submit(store, campaign, bounded_dir)
    with pytest.raises(ValidationError):
        accept(store, campaign, record["code"], principal=staff["district"], now=NOW, layer=LAYER)
    with pytest.raises(NotFound):
        accept(store, campaign, record["code"], principal=staff["district"], now=NOW, layer=LAYER, fid="nope")
    assert get(store, record["code"])["state"] == "received"
    accepted = accept(store, campaign, record["code"], principal=staff["district"], now=NOW, layer=LAYER,
                      fid=far["id"])
    assert accepted["case"]["fid"] == far["id"]


def test_a_report_merges_only_into_an_open_case_near_its_pin(store_factory, campaign, bounded_dir, staff,
                                                             make_feature):
    store = store_factory()
    near = add_place(store, make_feature)
    nearer_pid = add_open_case(store, campaign, near)
    further = add_place(store, make_feature, name="隔壁院", x=113.6325, y=34.7205)
    further_pid = add_open_case(store, campaign, further)
    far = add_place(store, make_feature, name="远处的院子", x=113.65, y=34.74)
    far_pid = add_open_case(store, campaign, far)
    record = _submit(store, campaign, bounded_dir)
    rows = merge_candidates(store, record)
    assert [(r["fid"], r["pid"]) for r in rows] == [(near["id"], nearer_pid), (further["id"], further_pid)]
    assert rows[0]["metres"] == 0 and 150 < rows[1]["metres"] < 250
    with pytest.raises(ValidationError):
        merge(store, campaign, record["code"], principal=staff["street"], now=NOW, layer=LAYER, fid=far["id"],
              pid=far_pid)
    merged = merge(store, campaign, record["code"], principal=staff["street"], now=NOW, layer=LAYER,
                   fid=further["id"], pid=further_pid)
    assert merged["state"] == "merged" and merged["case"]["pid"] == further_pid
    assert public_view(store, campaign, merged)["state_text"] == "已受理"


def test_a_rejected_report_shows_its_reason_and_cannot_be_triaged_again(store_factory, campaign, bounded_dir, staff):
    store = store_factory()
    record = _submit(store, campaign, bounded_dir)
    with pytest.raises(ValidationError):
        reject(store, campaign, record["code"], principal=staff["street"], now=NOW, reason=" ")
    rejected = reject(store, campaign, record["code"], principal=staff["street"], now=NOW,
                      reason="该处属于私人产权,请联系物业")
    view = public_view(store, campaign, rejected)
    assert (view["state_text"], view["reason"]) == ("未受理", "该处属于私人产权,请联系物业")
    with pytest.raises(Conflict):
        reject(store, campaign, record["code"], principal=staff["street"], now=NOW, reason="再次")
    with pytest.raises(Conflict):
        accept(store, campaign, record["code"], principal=staff["street"], now=NOW)
