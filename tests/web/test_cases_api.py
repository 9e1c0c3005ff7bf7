"""Cases over HTTP (web/cases): every action of the loop through /api/cases/…/actions, every refusal (409 and 403
listing the allowed actions, 428 without a version, 409 when stale, 422 without the needed note or photo), the
queues of each person, one case with its timeline and photos, and the problem photo a handler may add outside
their scope."""

from __future__ import annotations

import base64
import io
import re

import pytest

from geo.ledger import add_problem
from geo.scope import Scope
from geo.store import open_store
from tests.photos.images import jpeg
from web import create_app

PASSWORD = "correct horse battery"
LAYER = "courtyards"
STREET, COMMUNITY, UNIT = "大学路街道", "金桥社区", "区住建局"
# who is who (role, scope): the levels of 三级管理
PEOPLE = {
    "admin": ("admin", {}, "管理员"),  # first: a scope is never given while no admin is left
    "cmd": ("editor", {}, "指挥部"),
    "street1": ("editor", {"streets": [STREET]}, "街道领导"),
    "other": ("editor", {"streets": ["淮河路街道"]}, "别的街道"),
    "unit1": ("editor", {"units": [UNIT]}, "住建局科员"),
    "insp": ("inspector", {}, "督导员"),
    "viewer": ("viewer", {}, "看板"),
}


def basic(user: str) -> dict:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{PASSWORD}".encode()).decode()}


@pytest.fixture
def place(data_dir, campaign, clock, make_feature):
    """One courtyard of 大学路街道 · 金桥社区 whose responsible unit is 区住建局, with one problem filed (and one
    of 淮河路街道, whose unit is 区城管局, with none)."""
    store = open_store(data_dir, campaign, clock=clock)
    fid = store.create(LAYER, make_feature("金桥1号院", "in_progress", street=STREET, community=COMMUNITY, unit=UNIT),
                       user="planner").feature["id"]
    store.create(LAYER, make_feature("淮河1号院", "accepted", x=113.70, street="淮河路街道", community="陇海社区",
                                     unit="区城管局"), user="planner")  # another street and unit, no problem
    feature = store.get(LAYER, fid)
    changes = add_problem(feature, {"category": "乱堆乱放", "description": "楼道堆放杂物"}, campaign, clock().date())
    result = store.update(LAYER, fid, expected_version=feature["properties"]["version"], user="planner",
                          properties=changes)
    pid = result.feature["properties"]["problems"][-1]["id"]
    store.close()
    return fid, pid


@pytest.fixture
def app(data_dir, place, clock, tmp_path):
    app = create_app({"TESTING": True, "GUATU_DATA": str(data_dir), "GUATU_CLOCK": clock,
                      "GUATU_INSTANCE": str(tmp_path / "instance")})
    acc = app.extensions["guatu_accounts"]
    for username, (role, scope, name) in PEOPLE.items():
        acc.create_user(username, PASSWORD, role, name)
        if scope:
            acc.update_user(username, scope=Scope.from_dict(scope))
    return app


@pytest.fixture
def http(app):
    client = app.test_client()

    class Http:
        def get(self, user: str, path: str, **kw):
            return client.get(path, headers=basic(user), **kw)

        def act(self, user: str, action: str, *, version: int | None = None, if_match: str | None = None, **body):
            fid, pid = self.case
            headers = basic(user)
            if if_match is not None:
                headers["If-Match"] = if_match
            elif version is not None:
                body["version"] = version
            else:
                headers["If-Match"] = f'"{fid}-v{self.version()}"'
            return client.post(f"/api/cases/{LAYER}/{fid}/{pid}/actions", json={"action": action, **body},
                               headers=headers)

        def version(self) -> int:
            fid, _ = self.case
            return client.get(f"/api/layers/{LAYER}/features/{fid}", headers=basic("viewer")).get_json()[
                "properties"]["version"]

        def photo(self, user: str, role: str, colour=(30, 60, 200)):
            fid, pid = self.case
            return client.post(f"/api/layers/{LAYER}/features/{fid}/problems/{pid}/photos", headers=basic(user),
                               data={"file": (io.BytesIO(jpeg(64, 48, colour=colour)), "p.jpg"), "role": role},
                               content_type="multipart/form-data")

        def case_url(self) -> str:
            fid, pid = self.case
            return f"/api/cases/{LAYER}/{fid}/{pid}"

    h = Http()
    h.client = client
    return h


@pytest.fixture(autouse=True)
def _case(http, place):
    http.case = place


def ok(resp, status: int = 200) -> dict:
    assert resp.status_code == status, resp.get_data(as_text=True)
    return resp.get_json()


def allowed(body: dict) -> list[str]:
    return [a["action"] for a in body["allowed"]]


def dispatched(http, clock) -> dict:
    return ok(http.act("cmd", "dispatch", unit=UNIT, note="请三日内清理"))


def reported(http, clock) -> dict:
    dispatched(http, clock)
    clock.advance(hours=2)
    after = ok(http.photo("unit1", "after"), 201)["photo"]["id"]
    return ok(http.act("unit1", "report", note="已清理完毕", photos=[after]))


# --- the loop, one action at a time ------------------------------------------------------------------------

def test_a_filed_case_is_dispatched_to_a_unit_by_the_command(http, clock):
    before = ok(http.get("cmd", http.case_url()))
    assert before["case"]["stage"] == "filed" and "dispatch" in allowed(before)
    body = dispatched(http, clock)
    assert body["case"]["stage"] == "handling"
    assert body["case"]["unit"] == UNIT and body["case"]["dispatcher"] == "cmd"
    assert body["feature"]["version"] == before["feature"]["version"] + 1
    entry = body["case"]["timeline"][-1]
    assert (entry["action"], entry["from"], entry["to"], entry["user"]) == ("dispatch", "filed", "handling", "cmd")
    assert entry["note"] == "请三日内清理" and entry["action_label"] == "派遣"


def test_a_handler_reports_it_fixed_with_an_after_photo_and_an_inspector_confirms_with_a_check_photo(http, clock):
    body = reported(http, clock)
    assert body["case"]["stage"] == "verifying" and body["case"]["reported_by"] == "unit1"
    clock.advance(hours=1)
    check = ok(http.photo("insp", "check", colour=(40, 200, 40)), 201)["photo"]["id"]
    done = ok(http.act("insp", "confirm", note="现场已整洁", photos=[check]))
    case = done["case"]
    assert case["stage"] == "closed" and case["verified_by"] == "insp"
    assert [e["action"] for e in case["timeline"]] == ["dispatch", "report", "confirm"]
    report, confirm = case["timeline"][1], case["timeline"][2]
    assert [p["role"] for p in report["photos"]] == ["after"] and [p["role"] for p in confirm["photos"]] == ["check"]
    assert confirm["photos"][0]["urls"]["thumb"].endswith("/thumb.jpg")
    assert done["allowed"] == []


def test_a_handler_sends_a_case_back_and_the_dispatcher_dispatches_it_again(http, clock):
    dispatched(http, clock)
    back = ok(http.act("unit1", "send_back", note="不属于本单位职责"))
    assert back["case"]["stage"] == "filed"
    again = ok(http.act("street1", "dispatch", handler="unit1", unit=UNIT))
    assert again["case"]["stage"] == "handling" and again["case"]["handler"] == "unit1"
    moved = ok(http.act("street1", "redispatch", unit="区城管局"))
    assert moved["case"]["stage"] == "handling" and moved["case"]["unit"] == "区城管局"
    assert [e["action"] for e in moved["case"]["timeline"]] == ["dispatch", "send_back", "dispatch", "redispatch"]


def test_a_verifier_returns_a_case_with_a_reason_and_it_counts(http, clock):
    reported(http, clock)
    back = ok(http.act("insp", "return", note="楼道仍有杂物"))
    assert back["case"]["stage"] == "handling" and back["case"]["returns"] == 1
    assert back["case"]["timeline"][-1]["note"] == "楼道仍有杂物"


def test_an_extension_is_requested_then_approved_or_denied(http, clock):
    dispatched(http, clock)
    until = "2026-12-10"
    asked = ok(http.act("unit1", "request_extension", until=until, note="材料未到"))
    assert asked["case"]["extension"]["reason"] == "材料未到" and asked["case"]["extension_pending"]
    assert "approve_extension" in allowed(ok(http.get("cmd", http.case_url())))
    approved = ok(http.act("cmd", "approve_extension"))
    assert not approved["case"]["extension_pending"]
    ok(http.act("unit1", "request_extension", until="2026-12-20", note="再延一次"))
    denied = ok(http.act("cmd", "deny_extension", note="不予延期"))
    assert not denied["case"]["extension_pending"] and denied["case"]["stage"] == "handling"


def test_a_case_is_suspended_and_resumed_into_the_stage_it_held(http, clock):
    dispatched(http, clock)
    held = ok(http.act("cmd", "suspend", note="等待拆迁方案"))
    assert held["case"]["stage"] == "suspended" and allowed(held) == ["resume"]
    back = ok(http.act("cmd", "resume"))
    assert back["case"]["stage"] == "handling"


# --- refusals ---------------------------------------------------------------------------------------------

def test_an_action_the_stage_does_not_allow_is_a_409_listing_the_allowed_ones(http, clock):
    resp = http.act("cmd", "confirm", photos=[])
    assert resp.status_code == 409 and resp.content_type.startswith("application/problem+json")
    body = resp.get_json()
    assert {"action": "dispatch", "label": "派遣"} in body["allowed"]
    assert ok(http.get("cmd", http.case_url()))["case"]["stage"] == "filed"  # nothing changed


def test_a_step_the_stage_does_not_allow_is_not_called_a_version_conflict(http, clock):
    body = http.act("cmd", "confirm", photos=[]).get_json()
    assert body["error"] == "case_step" and body["type"] == "/problems/case_step"
    assert body["title"] == "案件当前阶段不能进行此步骤" and "版本" not in body["title"]
    assert "current" not in body  # nothing to merge: the editor's reload-and-compare is for a stale version only
    assert body["detail"] == "案件当前为“立案(待派遣)”,不能核查通过。你现在可以:派遣、挂起案件"


def test_a_refusal_with_nothing_left_to_do_says_so_in_one_sentence(http, clock):
    dispatched(http, clock)
    body = http.act("other", "report", note="我来", photos=[]).get_json()
    assert body["allowed"] == []
    assert body["detail"].endswith("。你现在对此案件没有可办理的操作")
    assert "可以:" not in body["detail"] and "(" not in body["detail"].split("。")[-1]


def test_an_action_by_someone_who_may_not_is_a_403_listing_what_they_may(http, clock):
    dispatched(http, clock)
    version = http.version()
    resp = http.act("other", "report", note="我来", photos=[])  # a leader of another street: not its handler
    assert resp.status_code == 403 and resp.content_type.startswith("application/problem+json")
    assert "report" not in [a["action"] for a in resp.get_json()["allowed"]]
    assert http.version() == version


def test_the_handler_never_verifies_their_own_fix(http, clock):
    reported(http, clock)
    resp = http.act("unit1", "confirm", photos=[])
    assert resp.status_code == 403
    assert "confirm" not in [a["action"] for a in resp.get_json()["allowed"]]


def test_a_viewer_may_read_cases_but_never_act(http, clock):
    assert ok(http.get("viewer", http.case_url()))["allowed"] == []
    assert http.act("viewer", "dispatch", unit=UNIT).status_code == 403


def test_an_action_without_a_version_is_a_428(http, clock):
    resp = http.act("cmd", "dispatch", if_match="", unit=UNIT)
    assert resp.status_code == 428 and resp.get_json()["title"]
    assert ok(http.get("cmd", http.case_url()))["case"]["stage"] == "filed"


def test_an_action_from_a_stale_version_is_a_409(http, clock):
    stale = http.version()
    dispatched(http, clock)
    resp = http.act("cmd", "suspend", note="挂起", version=stale)
    assert resp.status_code == 409
    assert ok(http.get("cmd", http.case_url()))["case"]["stage"] == "handling"


def test_a_report_without_its_after_photo_is_a_422_naming_photos(http, clock):
    dispatched(http, clock)
    resp = http.act("unit1", "report", note="已清理", photos=[])
    assert resp.status_code == 422
    assert "photos" in [f["field"] for f in resp.get_json()["fields"]]


def test_a_return_without_a_reason_is_a_422_naming_note(http, clock):
    reported(http, clock)
    resp = http.act("insp", "return")
    assert resp.status_code == 422 and "note" in [f["field"] for f in resp.get_json()["fields"]]


@pytest.mark.parametrize("handler", ["nobody-here", "viewer", "gone"])
def test_a_dispatch_to_someone_who_cannot_handle_it_is_a_422_naming_the_handler(http, app, clock, handler):
    app.extensions["guatu_accounts"].create_user("gone", PASSWORD, "editor", "已离职")
    app.extensions["guatu_accounts"].update_user("gone", disabled=True)
    version = http.version()
    resp = http.act("cmd", "dispatch", handler=handler)  # no account, a viewer, a disabled account
    assert resp.status_code == 422
    body = resp.get_json()
    assert [f["field"] for f in body["fields"]] == ["handler"] and f"“{handler}”" in body["detail"]
    assert http.version() == version and ok(http.get("cmd", http.case_url()))["case"]["stage"] == "filed"
    assert ok(http.act("cmd", "dispatch", handler="unit1"))["case"]["handler"] == "unit1"


def test_the_dispatch_form_offers_the_accounts_that_can_handle_by_name(http, clock):
    page = http.get("cmd", http.case_url().replace("/api", "")).get_data(as_text=True)
    offered = re.findall(r'<option value="([^"]+)">([^<]+)</option>', page.split('id="case-handlers"')[1].split(
        "</datalist>")[0])
    assert ("unit1", "住建局科员") in offered and ("insp", "督导员") in offered
    assert "viewer" not in [username for username, _ in offered]


def test_an_unknown_action_or_case_is_refused(http, clock):
    assert http.act("cmd", "explode").status_code == 422
    fid, _ = http.case
    assert http.get("cmd", f"/api/cases/{LAYER}/{fid}/no-such-problem").status_code == 404


# --- reading ---------------------------------------------------------------------------------------------

def test_a_case_answers_with_its_place_version_as_etag_and_local_times(http, clock):
    body = dispatched(http, clock)
    resp = http.get("cmd", http.case_url())
    fid, _ = http.case
    assert resp.headers["ETag"] == f'"{fid}-v{body["feature"]["version"]}"'
    entry = resp.get_json()["case"]["timeline"][0]
    assert entry["at_local"] == "2026-11-24 16:00"  # 08:00 UTC is 16:00 in Asia/Shanghai
    assert entry["by"]


def test_each_person_sees_their_own_queues(http, clock):
    counts = ok(http.get("cmd", "/api/cases"))["counts"]
    assert counts["dispatch"] >= 1
    dispatched(http, clock)
    mine = ok(http.get("unit1", "/api/cases?queue=handle"))
    assert [(r["fid"], r["pid"]) for r in mine["cases"]] == [http.case] and mine["counts"]["handle"] == 1
    assert ok(http.get("cmd", "/api/cases?queue=dispatched"))["count"] == 1
    assert ok(http.get("insp", "/api/cases?queue=verify"))["count"] == 0
    clock.advance(hours=1)
    after = ok(http.photo("unit1", "after"), 201)["photo"]["id"]
    ok(http.act("unit1", "report", note="好了", photos=[after]))
    assert [(r["fid"], r["pid"]) for r in ok(http.get("insp", "/api/cases?queue=verify"))["cases"]] == [http.case]
    assert ok(http.get("unit1", "/api/cases?queue=verify"))["count"] == 0  # never verifies their own fix


def test_the_list_filters_by_stage_and_area_and_pages(http, clock):
    dispatched(http, clock)
    assert [r["pid"] for r in ok(http.get("viewer", "/api/cases?stage=handling"))["cases"]] == [http.case[1]]
    assert ok(http.get("viewer", f"/api/cases?stage=handling&street={STREET}"))["count"] == 1
    assert ok(http.get("viewer", "/api/cases?stage=handling&street=淮河路街道"))["count"] == 0
    assert ok(http.get("viewer", f"/api/cases?unit={UNIT}"))["count"] == 1
    whole = ok(http.get("viewer", "/api/cases"))
    page = ok(http.get("viewer", "/api/cases?limit=1&offset=0"))
    assert len(page["cases"]) == min(1, whole["count"]) and page["count"] == whole["count"]


@pytest.mark.parametrize("query", ["queue=mine", "overdue=maybe", "limit=0", "limit=abc", "stage=done"])
def test_a_bad_query_is_a_400(http, query):
    resp = http.get("viewer", f"/api/cases?{query}")
    assert resp.status_code == 400 and resp.content_type.startswith("application/problem+json")


# --- photos under a problem -------------------------------------------------------------------------------

def test_a_handler_adds_the_after_photo_of_a_place_outside_their_scope(http, clock, app):
    app.extensions["guatu_accounts"].update_user("unit1", scope=Scope(units=("区城管局",)))
    dispatched_body = ok(http.act("cmd", "dispatch", handler="unit1", unit="区城管局"))
    assert dispatched_body["case"]["handler"] == "unit1"
    ok(http.photo("unit1", "after"), 201)


def test_someone_outside_the_scope_and_the_case_may_not_add_a_photo(http, clock):
    resp = http.photo("other", "before")
    assert resp.status_code == 403 and resp.get_json()["scope"]["streets"] == ["淮河路街道"]
    assert http.photo("viewer", "before").status_code == 403


def test_the_api_document_lists_the_case_operations(http):
    paths = ok(http.get("viewer", "/api/openapi.json"))["paths"]
    assert set(paths["/api/cases"]) == {"get"}
    assert set(paths["/api/cases/{layer_id}/{fid}/{pid}"]) == {"get"}
    assert set(paths["/api/cases/{layer_id}/{fid}/{pid}/actions"]) == {"post"}


# --- the pages ---------------------------------------------------------------------------------------------

def test_the_queues_page_shows_my_queues_with_counts_and_the_rows(http, clock):
    dispatched(http, clock)
    page = http.get("unit1", "/cases?queue=handle").get_data(as_text=True)
    assert "待我处理 <span class=\"case-count\">1</span>" in page and "待我核查" in page and "待派遣" in page
    assert "金桥1号院" in page and "乱堆乱放" in page and "楼道堆放杂物" in page
    assert 'aria-current="page"' in page and 'data-queue="handle"' in page
    assert "承办:区住建局" in page
    empty = http.get("unit1", "/cases?queue=verify").get_data(as_text=True)
    assert "没有符合条件的案件" in empty


def _current_tab(page: str) -> str:
    return re.search(r'data-queue="([a-z]*)" aria-current="page"', page).group(1)


def test_the_queues_page_opens_on_the_readers_own_work(http, clock):
    dispatched(http, clock)
    handler = http.get("unit1", "/cases").get_data(as_text=True)  # the menu's link, on the handler's phone
    assert _current_tab(handler) == "handle" and "金桥1号院" in handler
    assert '<input type="hidden" name="queue" value="handle">' in handler  # filtering stays in the queue
    assert _current_tab(http.get("cmd", "/cases").get_data(as_text=True)) == "dispatched"
    assert _current_tab(http.get("viewer", "/cases").get_data(as_text=True)) == ""  # nothing of theirs: all


def test_the_all_tab_shows_every_case_and_filtering_keeps_it(http, clock):
    dispatched(http, clock)
    page = http.get("unit1", "/cases").get_data(as_text=True)
    assert 'href="/cases?queue=all"' in page
    every = http.get("unit1", "/cases?queue=all").get_data(as_text=True)
    assert _current_tab(every) == "" and "金桥1号院" in every
    assert '<input type="hidden" name="queue" value="all">' in every
    filtered = http.get("unit1", "/cases?queue=all&stage=filed").get_data(as_text=True)
    assert _current_tab(filtered) == "" and "没有符合条件的案件" in filtered


def test_the_queues_page_filters_keep_their_values(http, clock):
    dispatched(http, clock)
    page = http.get("viewer", f"/cases?stage=handling&street={STREET}&overdue=1").get_data(as_text=True)
    assert '<option value="handling" selected>' in page and f"<option selected>{STREET}</option>" in page
    assert 'name="overdue" value="1" checked' in page


def test_the_case_page_offers_exactly_the_actions_this_person_may_take(http, clock):
    dispatched(http, clock)
    handler = http.get("unit1", http.case_url().replace("/api", "")).get_data(as_text=True)
    forms = {a for a in ("report", "send_back", "request_extension", "dispatch", "confirm", "suspend")
             if f'data-action="{a}"' in handler}
    assert forms == {"report", "send_back", "request_extension"}
    assert 'data-photo-role="after"' in handler and 'capture="environment"' in handler
    viewer = http.get("viewer", http.case_url().replace("/api", "")).get_data(as_text=True)
    assert "data-action=" not in viewer and "办理经过" in viewer and "派遣" in viewer


def test_the_case_page_names_the_handler_as_people_know_them(http, clock):
    ok(http.act("cmd", "dispatch", unit=UNIT, handler="unit1"))
    assert ok(http.get("cmd", http.case_url()))["case"]["handler_label"] == "住建局科员 (unit1)"
    page = http.get("viewer", http.case_url().replace("/api", "")).get_data(as_text=True)
    assert "<dd>住建局科员 (unit1)</dd>" in page
    queue = http.get("unit1", "/cases?queue=handle").get_data(as_text=True)
    assert "承办:区住建局 住建局科员" in queue and "承办:区住建局 unit1" not in queue
    ok(http.act("unit1", "request_extension", until="2099-01-05", note="材料未到"))
    page = http.get("viewer", http.case_url().replace("/api", "")).get_data(as_text=True)
    assert "住建局科员 (unit1)" in page.split('class="case-extension"')[1].split("</div>")[0]


def test_the_case_page_escapes_what_people_wrote(http, clock):
    ok(http.act("cmd", "dispatch", unit=UNIT, note="<script>alert(1)</script>"))
    page = http.get("viewer", http.case_url().replace("/api", "")).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_case_pages_need_a_sign_in(http):
    resp = http.client.get("/cases")
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]


def test_a_dispatch_may_set_the_urgency_and_the_handling_deadline(http, clock):
    body = ok(http.act("cmd", "dispatch", unit=UNIT, urgency="urgent", deadline="2026-11-30"))
    assert body["case"]["urgency"] == "urgent" and body["case"]["urgency_label"] == "紧急"
    assert body["case"]["due_local"].startswith("2026-11-30")
    resp = http.act("cmd", "redispatch", unit=UNIT, urgency="whenever")
    assert resp.status_code == 422 and "urgency" in [f["field"] for f in resp.get_json()["fields"]]


def test_the_case_page_reads_in_english_when_asked(http, clock):
    dispatched(http, clock)
    page = http.client.get(http.case_url().replace("/api", ""),
                           headers={**basic("unit1"), "Accept-Language": "en"}).get_data(as_text=True)
    assert "Timeline" in page and "What I can do" in page and "办理经过" not in page


def test_the_confirm_form_says_which_status_the_place_will_get_and_it_does(http, clock):
    reported(http, clock)
    page = http.get("insp", http.case_url().replace("/api", "")).get_data(as_text=True)
    assert 'data-action="confirm"' in page and "结案后本点位状态将由 整改中 变为 已整改" in page
    clock.advance(hours=1)
    check = ok(http.photo("insp", "check", colour=(40, 200, 40)), 201)["photo"]["id"]
    ok(http.act("insp", "confirm", note="现场已整洁", photos=[check]))
    fid, _ = http.case
    assert http.get("viewer", f"/api/layers/{LAYER}/features/{fid}").get_json()["properties"]["status"] == "rectified"


def test_the_confirm_form_says_the_status_stays_while_another_problem_is_open(http, clock, app):
    fid, _ = http.case
    cmd = app.test_client()
    feature = cmd.get(f"/api/layers/{LAYER}/features/{fid}", headers=basic("cmd")).get_json()
    ok(cmd.post(f"/api/layers/{LAYER}/features/{fid}/problems", headers=basic("cmd"),
                json={"version": feature["properties"]["version"], "problem": {"category": "飞线充电"}}), 201)
    reported(http, clock)
    page = http.get("insp", http.case_url().replace("/api", "")).get_data(as_text=True)
    assert "结案后本点位状态仍为 整改中" in page
    handler = http.get("unit1", http.case_url().replace("/api", "")).get_data(as_text=True)
    assert "data-status-after" not in handler  # only the confirm form says it
