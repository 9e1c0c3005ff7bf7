"""The reporting channel over HTTP: a report sent with a paid challenge and its photo, followed by its code without
anything personal, triaged by the area's staff, rated once closed — and every refusal a 4xx problem document in
Chinese that keeps nothing: a forged, reused or unpaid challenge, too many reports from one address or phone, a
body too large, a photo that is not one, a report outside the district, triage outside one's areas."""

from __future__ import annotations

import io
import json
import re

import pytest

from geo.accounts import Principal
from geo.cases import transition
from geo.photos.service import add_photo
from geo.residents.challenge import solve
from geo.residents.reports import ALPHABET, KIND
from geo.scope import Scope
from geo.store import open_store
from tests.photos.images import jpeg
from tests.residents.conftest import COMMUNITY, LAYER, PIN, STREET, add_place
from tests.web.conftest import PASSWORD, login
from web import create_app

BITS = 8
DEVICE = {"X-Guatu-Device": "phone-0001-abcdef"}


@pytest.fixture
def app(bounded_dir, campaign, clock, instance_dir, make_feature):
    store = open_store(bounded_dir, campaign, clock=clock)
    add_place(store, make_feature)
    store.close()
    app = create_app({"TESTING": True, "GUATU_DATA": str(bounded_dir), "GUATU_CLOCK": clock,
                      "GUATU_INSTANCE": str(instance_dir), "GUATU_REPORT_CHALLENGE_BITS": BITS,
                      "GUATU_REPORT_LIMIT_DEVICE": "3 per hour", "GUATU_REPORT_LIMIT_IP": "5 per hour"})
    acc = app.extensions["guatu_accounts"]
    acc.create_user("jiedao", PASSWORD, "editor", "李街道", scope=Scope(streets=(STREET,)))
    acc.create_user("huaihe", PASSWORD, "editor", "周街道", scope=Scope(streets=("淮河路街道",)))
    acc.create_user("viewer1", PASSWORD, "viewer", "王看")
    return app


@pytest.fixture
def instance_dir(tmp_path):
    return tmp_path / "instance"


def _paid(client) -> dict:
    c = client.get("/api/residents/challenge").get_json()
    return {"challenge": c["challenge"], "answer": solve(c["challenge"], c["bits"])}


def _report(client, headers=DEVICE, **fields) -> object:
    body = {"lon": PIN[0], "lat": PIN[1], "category": "乱堆乱放", "description": "楼道里堆满了杂物",
            **_paid(client), **fields}
    return client.post("/api/residents/reports", json=body, headers=headers)


def _refused(resp, status: int) -> dict:
    assert resp.status_code == status, resp.data
    body = resp.get_json()
    assert resp.mimetype == "application/problem+json" and body["status"] == status
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["detail"])
    return body


def _kept(app) -> list[str]:
    return app.extensions["guatu"].store.record_keys(KIND)


def test_a_resident_reports_with_a_photo_and_follows_it_by_code_without_anything_personal(app):
    client = app.test_client()
    up = client.post("/api/residents/photos", data={"file": (io.BytesIO(jpeg(320, 240, gps=True)), "a.jpg")},
                     headers=DEVICE)
    assert up.status_code == 201
    photo = up.get_json()["id"]
    resp = _report(client, photos=[photo], phone="13800001234", name="王大爷", squad="XF-01")
    assert resp.status_code == 201
    receipt = resp.get_json()
    code = receipt["code"]
    assert receipt["state_text"] == "已收到,待受理" and receipt["street"] == STREET
    for shown in (client.get(f"/api/residents/receipts/{code}").data, client.get(f"/report/{code}").data):
        text = shown.decode()
        assert "13800001234" not in text and "王大爷" not in text and "XF-01" not in text
    page = client.get(f"/report/{code}").data.decode()
    assert "已收到,待受理" in page and code in page
    thumb = client.get(f"/report/{code}/photos/{photo}/thumb.jpg")
    assert thumb.status_code == 200 and thumb.mimetype == "image/jpeg"
    assert client.get(f"/report/{code}/photos/{'a' * 64}/thumb.jpg").status_code == 404
    assert client.get(f"/report/{code}/photos/{photo}/original.jpg").status_code == 404
    _refused(client.get("/api/residents/receipts/AAAAAAAA"), 404)
    record = app.extensions["guatu"].store.record(KIND, code)
    assert record["channel"] == "volunteer" and record["device"] and "phone-0001" not in record["device"]


def test_a_resend_with_the_same_client_id_keeps_one_report(app):
    client = app.test_client()
    first = _report(client, client_id="11111111-2222-3333-4444-555555555555").get_json()
    again = _report(client, client_id="11111111-2222-3333-4444-555555555555")
    assert again.status_code == 201 and again.get_json()["code"] == first["code"]
    assert _kept(app) == [first["code"]]


def test_challenges_that_are_missing_forged_unpaid_expired_or_reused_are_refused(app, clock):
    client = app.test_client()
    base = {"lon": PIN[0], "lat": PIN[1], "category": "乱堆乱放", "description": "堆物"}
    _refused(client.post("/api/residents/reports", json={**base, "challenge": "x", "answer": "1"}, headers=DEVICE), 403)
    paid = _paid(client)
    payload, signature = paid["challenge"].split(".")
    forged = {**paid, "challenge": payload + "." + signature[::-1]}
    _refused(client.post("/api/residents/reports", json={**base, **forged}, headers=DEVICE), 403)
    unpaid = {**paid, "answer": next(str(i) for i in range(1000)
                                     if str(i) != paid["answer"] and not _pays(paid["challenge"], str(i)))}
    _refused(client.post("/api/residents/reports", json={**base, **unpaid}), 403)
    assert client.post("/api/residents/reports", json={**base, **paid}).status_code == 201
    body = _refused(client.post("/api/residents/reports", json={**base, **paid}), 403)
    assert "用过" in body["detail"]
    late = _paid(client)
    clock.advance(minutes=31)
    assert "过期" in _refused(client.post("/api/residents/reports", json={**base, **late}), 403)["detail"]
    assert len(_kept(app)) == 1


def _pays(token: str, answer: str) -> bool:
    import hashlib

    from geo.residents.challenge import leading_zero_bits
    return leading_zero_bits(hashlib.sha256(f"{token}:{answer}".encode()).digest()) >= BITS


def test_too_many_reports_from_one_phone_or_one_address_are_refused_with_retry_after(app, clock):
    client = app.test_client()
    for _ in range(3):
        assert _report(client).status_code == 201
    resp = _report(client)
    _refused(resp, 429)
    assert int(resp.headers["Retry-After"]) > 0
    other_phone = {"X-Guatu-Device": "phone-0002-abcdef"}
    assert _report(client, headers=other_phone).status_code == 201  # the 5th try from this address
    _refused(_report(client, headers={"X-Guatu-Device": "phone-0004-abcdef"}), 429)
    assert len(_kept(app)) == 4
    clock.advance(hours=1, seconds=1)
    assert _report(client).status_code == 201


def test_bad_input_is_refused_with_a_chinese_problem_and_nothing_kept(app):
    client = app.test_client()
    assert _refused(_report(client, lon=116.39, lat=39.9), 422)["fields"][0]["field"] == "location"
    _refused(_report(client, category="外星人"), 422)
    _refused(client.post("/api/residents/reports", data=b"{" + b" " * 20000 + b"}",
                         headers={**DEVICE, "Content-Type": "application/json"}), 413)
    _refused(client.post("/api/residents/photos", data={"file": (io.BytesIO("不是图片".encode() * 30), "a.jpg")},
                         headers=DEVICE), 415)
    _refused(client.post("/api/residents/photos", data={}, headers=DEVICE), 422)
    assert _kept(app) == []


def test_the_area_staff_triage_the_queue_and_the_phone_is_shown_only_to_them(app, clock):
    client = app.test_client()
    code = _report(client, phone="13800001234").get_json()["code"]
    rejected = _report(client, headers={"X-Guatu-Device": "phone-0009-abcdef"}).get_json()["code"]
    assert client.get("/reports").status_code in (302, 401)
    viewer = app.test_client()
    login(viewer, "viewer1")
    assert viewer.get("/reports").status_code == 403
    other = app.test_client()
    other_csrf = login(other, "huaihe")
    assert code not in other.get("/reports").data.decode()
    _refused(other.post(f"/api/residents/reports/{code}/triage", json={"action": "accept"},
                        headers={"X-CSRF-Token": other_csrf}), 403)
    staff = app.test_client()
    csrf = login(staff, "jiedao")
    page = staff.get("/reports").data.decode()
    assert code in page and "13800001234" in page
    queue = staff.get("/api/residents/reports?state=received").get_json()
    assert {r["code"] for r in queue["reports"]} == {code, rejected}
    assert all("device" not in r for r in queue["reports"])
    _refused(staff.post(f"/api/residents/reports/{code}/triage", json={"action": "shout"},
                        headers={"X-CSRF-Token": csrf}), 422)
    _refused(staff.post(f"/api/residents/reports/{rejected}/triage", json={"action": "reject"},
                        headers={"X-CSRF-Token": csrf}), 422)
    resp = staff.post(f"/reports/{rejected}/triage", data={"action": "reject", "reason": "属私人产权",
                                                           "csrf_token": csrf})
    assert resp.status_code == 303
    assert "属私人产权" in client.get(f"/report/{rejected}").data.decode()
    resp = staff.post(f"/api/residents/reports/{code}/triage", json={"action": "accept"},
                      headers={"X-CSRF-Token": csrf})
    assert resp.status_code == 200 and resp.get_json()["state"] == "accepted"
    _refused(staff.post(f"/api/residents/reports/{code}/triage", json={"action": "accept"},
                        headers={"X-CSRF-Token": csrf}), 409)
    assert "已受理" in client.get(f"/report/{code}").data.decode()
    linked = staff.get(f"/reports?code={code.lower()}").data.decode()  # the link of its report_arrived event
    assert f'id="report-{code}"' in linked and f'id="report-{rejected}"' not in linked
    assert 'id="nav-reports"' in staff.get("/cases").data.decode()
    assert 'id="nav-reports"' not in viewer.get("/cases").data.decode()


def test_after_the_case_is_closed_the_reporter_sees_the_after_photo_and_rates_once(app, clock):
    client = app.test_client()
    code = _report(client).get_json()["code"]
    _refused(client.post(f"/api/residents/receipts/{code}/rating", json={"value": "satisfied"}), 409)
    staff = app.test_client()
    csrf = login(staff, "jiedao")
    ref = staff.post(f"/api/residents/reports/{code}/triage", json={"action": "accept"},
                     headers={"X-CSRF-Token": csrf}).get_json()["case"]
    ctx = app.extensions["guatu"]
    campaign = ctx.campaign
    boss = Principal("zhihui", "王指挥", "editor", "session")
    handler = Principal("zhujian", "张住建", "editor", "session", scope=Scope(units=("区住建局",)))
    inspector = Principal("duban", "赵督导", "inspector", "session")
    now = clock()
    transition(ctx.store, LAYER, ref["fid"], ref["pid"], "dispatch", principal=boss, expected_version=None,
               campaign=campaign, now=now, unit="区住建局")
    after, _ = add_photo(ctx.store, LAYER, ref["fid"], io.BytesIO(jpeg(200, 100, colour=(10, 200, 10))),
                         user="zhujian", role="after", problem=ref["pid"])
    transition(ctx.store, LAYER, ref["fid"], ref["pid"], "report", principal=handler, expected_version=None,
               campaign=campaign, now=now, note="已清理", photos=(after["id"],))
    check, _ = add_photo(ctx.store, LAYER, ref["fid"], io.BytesIO(jpeg(200, 100, colour=(10, 10, 200))),
                         user="duban", role="check", problem=ref["pid"])
    transition(ctx.store, LAYER, ref["fid"], ref["pid"], "confirm", principal=inspector, expected_version=None,
               campaign=campaign, now=now, photos=(check["id"],))
    page = client.get(f"/report/{code}").data.decode()
    assert "已办结" in page and after["id"] in page and 'id="follow-rate"' in page
    assert client.get(f"/report/{code}/photos/{after['id']}/preview.jpg").status_code == 200
    _refused(client.post(f"/api/residents/receipts/{code}/rating", json={"value": "great"}), 422)
    resp = client.post(f"/report/{code}/rating", data={"value": "satisfied", "comment": "很好"})
    assert resp.status_code == 303
    page = client.get(f"/report/{code}").data.decode()
    assert "您的评价:满意" in page and 'id="follow-rate"' not in page
    _refused(client.post(f"/api/residents/receipts/{code}/rating", json={"value": "basic"}), 409)


def test_moderation_hides_the_text_and_photos_from_the_public(app):
    client = app.test_client()
    photo = client.post("/api/residents/photos", data={"file": (io.BytesIO(jpeg(320, 240)), "a.jpg")},
                        headers=DEVICE).get_json()["id"]
    code = _report(client, photos=[photo], description="<script>alert(1)</script>骂人的话").get_json()["code"]
    page = client.get(f"/report/{code}").data.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    staff = app.test_client()
    csrf = login(staff, "jiedao")
    assert staff.post(f"/api/residents/reports/{code}/triage", json={"action": "hide"},
                      headers={"X-CSRF-Token": csrf}).status_code == 200
    page = client.get(f"/report/{code}").data.decode()
    assert "骂人的话" not in page and photo not in page
    assert client.get(f"/report/{code}/photos/{photo}/thumb.jpg").status_code == 404
    assert COMMUNITY in page


def test_the_report_pages_worker_keeps_our_own_files_for_its_scope(app):
    resp = app.test_client().get("/report/sw.js")
    assert resp.status_code == 200 and resp.headers["Service-Worker-Allowed"] == "/report"
    settings = json.loads(resp.get_data(as_text=True).splitlines()[0].removeprefix("self.GUATU_OFFLINE = ")
                          .removesuffix(";"))
    urls = [e["url"] for e in settings["precache"]]
    for url in ("/static/js/residents/pow-worker.js", "/static/js/residents/pow.js", "/static/css/report.css",
                "/static/vendor/leaflet/leaflet.js", "/static/css/problem-banner.css", "/static/css/inbox-bell.css"):
        assert url in urls
    assert settings["pages"] == ["/report"] and all(u.startswith("/static/") for u in urls)
    # the page's own scripts as it names them: its bundle (web/core/bundles.py), which holds its modules
    html = app.test_client().get("/report").data.decode()
    named = re.findall(r'<script type="module" src="(/static/[^"]+)"', html)
    named += re.findall(r'<link rel="modulepreload" href="(/static/[^"]+)">', html)
    assert len(named) == 1 and named[0].startswith("/static/bundle/") and "/report-" in named[0]
    assert set(named) <= set(urls) and "/static/js/residents/sender.js" not in urls
    assert "/static/js/pages/inbox-bell.js" in urls  # (a signed-in reader's page has the bell)
    assert {a["to"] for a in settings["aliases"]} == {named[0]}
    for old, sent in (("/static/js/pages/report.js", True), ("/static/bundle/0123456789abcdef/report-AB12.js", True),
                      ("/static/bundle/0123456789abcdef/field-AB12.js", False),
                      ("/static/bundle/0123456789abcdef/report-AB12.js.map", False)):
        assert any(re.search(a["pattern"], old) for a in settings["aliases"]) is sent, old


def test_without_bundles_the_report_pages_worker_has_its_modules(bounded_dir, tmp_path):
    """GUATU_SCRIPT_BUNDLES=false: the page names its modules, and its worker precaches every one."""
    app = create_app({"TESTING": True, "GUATU_DATA": str(bounded_dir), "GUATU_INSTANCE": str(tmp_path / "instance"),
                      "GUATU_SCRIPT_BUNDLES": "false"})
    client = app.test_client()
    html = client.get("/report").data.decode()
    named = re.findall(r'<script type="module" src="(/static/[^"]+)"', html)
    named += re.findall(r'<link rel="modulepreload" href="(/static/[^"]+)">', html)
    assert {"/static/js/pages/report.js", "/static/js/basemaps.js", "/static/js/residents/sender.js",
            "/static/vendor/idb/idb.js"} <= set(named)
    settings = json.loads(client.get("/report/sw.js").get_data(as_text=True).splitlines()[0]
                          .removeprefix("self.GUATU_OFFLINE = ").removesuffix(";"))
    assert set(named) <= {e["url"] for e in settings["precache"]}


def test_a_report_is_merged_into_an_open_case_chosen_from_those_near_it(app, make_feature):
    from tests.residents.conftest import add_open_case

    ctx = app.extensions["guatu"]
    near = add_place(ctx.store, make_feature, name="隔壁院", x=113.6325, y=34.7205)
    pid = add_open_case(ctx.store, ctx.campaign, near)
    far = add_place(ctx.store, make_feature, name="远处的院子", x=113.65, y=34.74)
    far_pid = add_open_case(ctx.store, ctx.campaign, far)
    client = app.test_client()
    code = _report(client).get_json()["code"]
    staff = app.test_client()
    csrf = login(staff, "jiedao")
    rows = staff.get(f"/api/residents/reports/{code}/candidates").get_json()["cases"]
    assert [(r["fid"], r["pid"]) for r in rows] == [(near["id"], pid)]
    assert f'{LAYER}|{near["id"]}|{pid}' in staff.get("/reports").data.decode()
    _refused(staff.post(f"/api/residents/reports/{code}/triage", json={"action": "merge", "layer": LAYER,
                                                                       "fid": far["id"], "pid": far_pid},
                        headers={"X-CSRF-Token": csrf}), 422)
    resp = staff.post(f"/reports/{code}/triage", data={"action": "merge", "case": f"{LAYER}|{near['id']}|{pid}",
                                                       "csrf_token": csrf})
    assert resp.status_code == 303
    kept = ctx.store.record(KIND, code)
    assert kept["state"] == "merged" and kept["case"] == {"layer": LAYER, "fid": near["id"], "pid": pid}
    assert "已受理" in client.get(f"/report/{code}").data.decode()


def _page_config(client) -> dict:
    import html
    import json

    page = client.get("/report").data.decode()
    return json.loads(html.unescape(page.split('data-config="')[1].split('"')[0]))


def test_the_page_offers_the_campaigns_basemaps_only_to_who_may_see_them(app, bounded_dir, clock, tmp_path):
    assert _page_config(app.test_client())["basemaps"] is None  # a private deployment: the outlines alone
    volunteer = app.test_client()
    login(volunteer, "viewer1")
    assert _page_config(volunteer)["basemaps"] == "/api/basemaps"
    public = create_app({"TESTING": True, "GUATU_DATA": str(bounded_dir), "GUATU_CLOCK": clock,
                         "GUATU_INSTANCE": str(tmp_path / "public"), "GUATU_PUBLIC_VIEW": True})
    config = _page_config(public.test_client())
    assert config["basemaps"] == "/api/basemaps" and public.test_client().get("/api/basemaps").status_code == 200
    assert "乱堆乱放" in config["categories"]


def test_a_phone_may_send_as_many_photos_as_its_reports_may_carry_and_no_more(app):
    client = app.test_client()
    for i in range(3 * 4):  # 3 reports an hour from this phone, 4 photos each
        up = client.post("/api/residents/photos", data={"file": (io.BytesIO(jpeg(64, 48, colour=(i, 9, 9))), "a.jpg")},
                         headers=DEVICE)
        assert up.status_code == 201, i
    _refused(client.post("/api/residents/photos", data={"file": (io.BytesIO(jpeg(64, 48)), "a.jpg")},
                         headers=DEVICE), 429)
    assert _report(client).status_code == 201  # reports are counted apart


def test_guessing_receipt_codes_is_refused_after_a_few_misses(app):
    client = app.test_client()
    code = _report(client).get_json()["code"]
    for i in range(3 * 3):  # 3 reports an hour from this phone: 3 misses each
        assert client.get(f"/api/residents/receipts/ZZZZZZ{ALPHABET[i]}{ALPHABET[i]}", headers=DEVICE).status_code == 404
    _refused(client.get("/api/residents/receipts/ZZZZZZZZ", headers=DEVICE), 429)
    assert client.get(f"/api/residents/receipts/{code}", headers=DEVICE).status_code == 200  # a real code still reads
