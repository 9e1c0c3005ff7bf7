"""The ledger workbook carries each problem's case (案件): exported with its stage, urgency, who holds it, the
stage's due time in campaign time, overdue, escalation and returns; imported back unchanged, or — by the
district's command only — setting a case's stage, handler and due time through the store's case write path."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook

from geo.accounts import Principal
from geo.cases import stage_label, transition
from geo.exchange.exporter import export_layer
from geo.exchange.importer import commit_import, preview_upload
from geo.history import readable_history
from geo.ledger import add_problem
from geo.messages import t
from geo.scope import EVERYWHERE, OutOfScope, Scope, level_label
from tests.exchange.conftest import LAYER

DISTRICT = Principal("zhihui", "王指挥", "editor", "session")
HANDLER = Principal("zhangsan", "张三", "editor", "session", scope=Scope(units=("区住建局",)))
INSPECTOR = Principal("duban", "赵督导", "inspector", "session")
DISPATCHED = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)  # Tuesday 16:00 in the campaign's zone


def _save(wb) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _rows(data: bytes, sheet: str = "问题台账") -> list[dict]:
    ws = load_workbook(io.BytesIO(data))[sheet]
    header = [c.value for c in ws[1]]
    return [dict(zip(header, [c.value for c in row])) for row in ws.iter_rows(min_row=2)]


def _row(data: bytes, pid: str) -> dict:
    return next(r for r in _rows(data) if r["问题编号"] == pid)


def _cell(wb, pid: str, header: str):
    ws = wb["问题台账"]
    column = [c.value for c in ws[1]].index(header) + 1
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 6).value == pid)
    return ws.cell(row, column)


def _file(store, campaign, fid: str, description: str) -> str:
    feature = store.get(LAYER, fid)
    changes = add_problem(feature, {"category": "乱堆乱放", "description": description}, campaign,
                          DISPATCHED.astimezone(campaign.timezone).date(), now=DISPATCHED, user="zhihui",
                          by="王指挥 (zhihui)")
    written = store.update(LAYER, fid, expected_version=feature["properties"]["version"], user="王指挥 (zhihui)",
                           properties=changes, case_write=True)
    return written.feature["properties"]["problems"][-1]["id"]


@pytest.fixture
def cases(store, places, campaign):
    """c-0003 (长江路街道) with a case being handled by 区住建局 (张三), urgent, due Wednesday 17:30; c-0002 with one
    filed, one reported fixed and returned once, and one verified and closed."""
    no_photos = replace(campaign, cases=replace(campaign.cases, require_photo_report=False, require_photo_confirm=False))

    def act(fid, pid, action, who, **kw):
        transition(store, LAYER, fid, pid, action, principal=who, expected_version=None, campaign=no_photos,
                   now=DISPATCHED, **kw)

    handled = _file(store, campaign, "c-0003", "车棚堆放杂物")
    act("c-0003", handled, "dispatch", DISTRICT, unit="区住建局", handler="zhangsan", handler_name="张三",
        urgency="urgent", deadline="2026-11-25")
    filed = _file(store, campaign, "c-0002", "消防通道被占用")
    returned = _file(store, campaign, "c-0002", "楼道飞线")
    act("c-0002", returned, "dispatch", DISTRICT, unit="区住建局", handler="zhangsan")
    act("c-0002", returned, "report", HANDLER, note="已拆除")
    act("c-0002", returned, "return", INSPECTOR, note="仍有飞线")
    closed = _file(store, campaign, "c-0002", "广告牌破损")
    act("c-0002", closed, "dispatch", DISTRICT, unit="区住建局", handler="zhangsan")
    act("c-0002", closed, "report", HANDLER, note="已更换")
    act("c-0002", closed, "confirm", INSPECTOR, note="复查无误")
    return {"handled": handled, "filed": filed, "returned": returned, "closed": closed}


def test_the_ledger_carries_each_case_its_stage_holders_due_time_overdue_and_escalation(store, cases, clock):
    clock.now = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)  # Friday 10:00: a day and a half past due
    data = export_layer(store, LAYER, "xlsx").data
    row = _row(data, cases["handled"])
    assert {k: row[k] for k in ("案件阶段", "紧急程度", "处置单位", "处置人", "派遣人", "核查人", "逾期", "督办层级", "退回次数")} == {
        "案件阶段": stage_label("handling"), "紧急程度": "紧急", "处置单位": "区住建局", "处置人": "zhangsan",
        "派遣人": "zhihui", "核查人": None, "逾期": "是", "督办层级": level_label("district"), "退回次数": 0}
    assert row["阶段期限"] == datetime(2026, 11, 25, 17, 30)  # the end of Wednesday's working day, campaign time
    assert row["状态"] == "整改中" and row["整改时限"].date().isoformat() == "2026-11-25"
    ws = load_workbook(io.BytesIO(data))["问题台账"]
    due = next(c for c in ws[1] if c.value == "阶段期限").column
    assert ws.cell(2, due).number_format == "yyyy-mm-dd hh:mm"

    returned, closed = _row(data, cases["returned"]), _row(data, cases["closed"])
    assert (returned["案件阶段"], returned["退回次数"], returned["逾期"]) == (stage_label("handling"), 1, None)
    assert (closed["案件阶段"], closed["核查人"], closed["阶段期限"], closed["督办层级"]) == (
        stage_label("closed"), "duban", None, None)
    # a problem from before cases is shown as the case it is read as
    older = _row(data, "c-0001-p2")
    assert older["案件阶段"] == stage_label("closed")


def test_export_import_export_gives_the_same_workbook_and_changes_nothing(store, cases):
    first = export_layer(store, LAYER, "xlsx").data
    preview = preview_upload(store, LAYER, first, "台账.xlsx", scope=EVERYWHERE)
    assert preview.counts == {"add": 0, "change": 0, "unchanged": 3, "reject": 0}, preview.items
    revision = store.revision()
    assert commit_import(store, preview, user="王指挥 (zhihui)").changed == []
    assert store.revision() == revision
    second = export_layer(store, LAYER, "xlsx").data
    for sheet in ("问题台账", "点位"):
        assert _rows(second, sheet) == _rows(first, sheet)


def test_a_district_import_sets_a_cases_stage_handler_and_due_time_journaled(store, cases, campaign):
    wb = load_workbook(io.BytesIO(export_layer(store, LAYER, "xlsx").data))
    _cell(wb, cases["filed"], "案件阶段").value = stage_label("handling")
    _cell(wb, cases["filed"], "处置单位").value = "区城管局"
    _cell(wb, cases["filed"], "处置人").value = "lisi"
    _cell(wb, cases["filed"], "阶段期限").value = datetime(2026, 11, 27, 17, 30)

    preview = preview_upload(store, LAYER, _save(wb), "台账.xlsx", scope=EVERYWHERE)
    change = next(i for i in preview.items if i.action == "change")
    assert change.id == "c-0002" and change.case_edits == [cases["filed"]]
    commit_import(store, preview, user="王指挥 (zhihui)", scope=EVERYWHERE)

    problem = next(p for p in store.get(LAYER, "c-0002")["properties"]["problems"] if p["id"] == cases["filed"])
    case = problem["case"]
    assert (case["stage"], case["unit"], case["handler"], case["stage_due"]) == (
        "handling", "区城管局", "lisi", "2026-11-27T09:30:00Z")
    step = case["timeline"][-1]
    assert (step["action"], step["from"], step["to"], step["user"]) == ("import", "filed", "handling", "王指挥 (zhihui)")
    # the ledger fields follow the case, and the change is an ordinary journaled update
    assert (problem["status"], problem["deadline"], problem["responsible"]) == ("in_progress", "2026-11-27", "区城管局 lisi")
    said = [str(c["after"]) for c in readable_history(store, LAYER, "c-0002")[-1]["changes"] if c["field"] == "problems"]
    assert said == [f"问题 {cases['filed']}:台账导入修改案件,现为{stage_label('handling')},处置 区城管局(lisi),期限 11月27日 17:30"]
    # and the workbook made now reads back unchanged
    again = preview_upload(store, LAYER, export_layer(store, LAYER, "xlsx").data, "台账.xlsx", scope=EVERYWHERE)
    assert again.counts["change"] == 0


def test_a_case_edit_by_anyone_but_the_district_is_refused_by_name(store, cases):
    wb = load_workbook(io.BytesIO(export_layer(store, LAYER, "xlsx").data))
    _cell(wb, cases["handled"], "处置人").value = "lisi"
    street = Scope(streets=("长江路街道",))
    preview = preview_upload(store, LAYER, _save(wb), "台账.xlsx", scope=street)
    refused = preview.rejected[0]
    assert refused.id == "c-0003" and refused.errors == [{"field": "案件阶段", "label": "案件阶段", "message": t(
        "ledger_xlsx.case_edit_refused", problems=cases["handled"], scope=street.describe())}]
    # a preview made without a scope is still refused when such a user commits it: nothing is written
    unscoped = preview_upload(store, LAYER, _save(wb), "台账.xlsx")
    revision = store.revision()
    with pytest.raises(OutOfScope):
        commit_import(store, unscoped, user="李街道 (jiedao)", scope=street)
    assert store.revision() == revision


def test_an_unknown_stage_label_is_refused_naming_the_row_and_the_column(store, cases):
    wb = load_workbook(io.BytesIO(export_layer(store, LAYER, "xlsx").data))
    cell = _cell(wb, cases["handled"], "案件阶段")
    cell.value = "办结"
    cell = _cell(wb, cases["closed"], "紧急程度")
    cell.value = "火急"
    preview = preview_upload(store, LAYER, _save(wb), "台账.xlsx", scope=EVERYWHERE)
    errors = {e["field"]: e["message"] for item in preview.rejected for e in item.errors}
    rows = {pid: next(r for r in range(2, 20) if wb["问题台账"].cell(r, 6).value == pid) for pid in cases.values()}
    stages = "、".join(stage_label(k) for k in ("filed", "handling", "verifying", "closed", "suspended"))
    assert errors["案件阶段"] == t("ledger_xlsx.unknown_stage", row=rows[cases["handled"]], value="办结", stages=stages)
    assert errors["紧急程度"].startswith(f"问题台账第 {rows[cases['closed']]} 行:没有“火急”这个紧急程度")
    assert preview.plan == []


def test_a_new_row_with_a_stage_is_filed_in_that_stage_by_the_district(store, cases, places):
    wb = load_workbook(io.BytesIO(export_layer(store, LAYER, "xlsx").data))
    ws = wb["问题台账"]
    header = [c.value for c in ws[1]]
    values = {"点位编号": "c-0003", "类别": "乱堆乱放", "问题描述": "门前堆物", "案件阶段": stage_label("handling"),
              "处置单位": "区城管局", "阶段期限": datetime(2026, 11, 26, 12, 0)}
    ws.append([values.get(h) for h in header])
    preview = preview_upload(store, LAYER, _save(wb), "台账.xlsx", scope=EVERYWHERE)
    assert [i.case_edits for i in preview.items if i.action == "change"] == [["c-0003-p2"]]
    commit_import(store, preview, user="王指挥 (zhihui)", scope=EVERYWHERE)
    new = store.get(LAYER, "c-0003")["properties"]["problems"][-1]
    assert (new["case"]["stage"], new["case"]["unit"], new["case"]["stage_due"], new["status"]) == (
        "handling", "区城管局", "2026-11-26T04:00:00Z", "in_progress")
    assert [s["action"] for s in new["case"]["timeline"]] == ["file", "import"]


def test_the_round_trip_and_a_district_case_edit_on_the_database_store(store_factory, campaign, make_feature):
    """The same on PostgreSQL/PostGIS: the case written through the store's case path, journaled there."""
    db = store_factory("postgis")
    created = db.create(LAYER, make_feature("康复前街11号院", street="长江路街道", community="祥和社区"), user="张三")
    pid = _file(db, campaign, created.feature["id"], "车棚堆放杂物")
    first = export_layer(db, LAYER, "xlsx").data
    assert preview_upload(db, LAYER, first, "台账.xlsx", scope=EVERYWHERE).counts["change"] == 0
    wb = load_workbook(io.BytesIO(first))
    _cell(wb, pid, "处置单位").value = "区住建局"
    _cell(wb, pid, "案件阶段").value = stage_label("handling")
    commit_import(db, preview_upload(db, LAYER, _save(wb), "台账.xlsx", scope=EVERYWHERE), user="王指挥 (zhihui)",
                  scope=EVERYWHERE)
    case = db.get(LAYER, created.feature["id"])["properties"]["problems"][-1]["case"]
    assert (case["stage"], case["unit"], case["timeline"][-1]["action"]) == ("handling", "区住建局", "import")
    assert db.history(LAYER, created.feature["id"])[-1]["user"] == "王指挥 (zhihui)"
    again = export_layer(db, LAYER, "xlsx").data
    assert preview_upload(db, LAYER, again, "台账.xlsx", scope=EVERYWHERE).counts["change"] == 0
