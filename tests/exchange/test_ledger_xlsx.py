"""The ledger (台账) workbook: made for people, and read back after editing to update by id."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
from openpyxl import Workbook, load_workbook

from geo.errors import ValidationError
from geo.exchange.exporter import export_layer
from geo.exchange.importer import commit_import, preview_upload
from geo.messages import t
from tests.exchange.conftest import LAYER

PROBLEM_HEADERS = ["点位编号", "点位名称", "街道", "社区", "点位状态", "问题编号", "类别", "问题描述", "发现日期", "发现方式",
                   "整改时限", "责任人", "状态", "销号日期", "案件阶段", "紧急程度", "处置单位", "处置人", "派遣人", "核查人",
                   "阶段期限", "逾期", "督办层级", "退回次数"]


def _workbook(store, **filters):
    exported = export_layer(store, LAYER, "xlsx", filters=filters)
    assert exported.filename == "courtyards-ledger.xlsx"
    return load_workbook(io.BytesIO(exported.data))


def _save(wb) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _column(ws, header: str) -> int:
    return [c.value for c in ws[1]].index(header) + 1


def test_the_ledger_has_one_row_per_problem_with_chinese_headers_labels_and_real_dates(store, places):
    wb = _workbook(store)
    ws = wb["问题台账"]

    assert [c.value for c in ws[1]] == PROBLEM_HEADERS
    assert all(c.font.b for c in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions["H"].width >= 20  # 问题描述 is wide enough to read
    assert ws.max_row == 3  # two problems, both of c-0001
    row = [c.value for c in ws[2]]
    assert row[:6] == ["c-0001", "兑周村1—11号院", "大学路街道", "金桥社区", "待整改", "c-0001-p1"]
    assert row[12] == "待整改"  # the problem's status label
    assert isinstance(ws.cell(2, 9).value, datetime) and ws.cell(2, 9).value.date() == date(2026, 11, 20)
    assert ws.cell(2, 9).number_format == "yyyy-mm-dd"
    assert ws.cell(3, 13).value == "已销号" and ws.cell(3, 14).value.date() == date(2026, 11, 9)


def test_the_places_sheet_has_one_row_per_place_with_its_people_and_counts(store, places):
    ws = _workbook(store)["点位"]
    headers = [c.value for c in ws[1]]
    assert headers[:8] == ["编号", "名称", "类型", "街道", "社区", "整改状态", "时间节点", "责任单位"]
    assert {"区级领导", "网格员", "问题数", "未销号", "备注", "版本"} <= set(headers)
    assert ws.max_row == 4
    first = dict(zip(headers, [c.value for c in ws[2]]))
    assert first["整改状态"] == "待整改" and first["区级领导"] == "蔡红梅" and first["问题数"] == 2 and first["未销号"] == 1
    assert first["时间节点"].date() == date(2026, 12, 31)
    assert ws.freeze_panes == "A2"


def test_an_edited_ledger_updates_places_by_id_and_files_new_problems_as_cases(store, places):
    wb = _workbook(store)
    problems, sheet = wb["问题台账"], wb["点位"]
    sheet.cell(2, _column(sheet, "整改状态")).value = "整改中"
    problems.cell(2, _column(problems, "问题描述")).value = "三号楼、五号楼飞线充电"
    problems.append(["c-0002", None, None, None, None, None, "消防通道", "消防通道被占用", datetime(2026, 11, 25),
                     "每日随机督导", datetime(2026, 11, 26), "祥和社区", "待整改", None])

    preview = preview_upload(store, LAYER, _save(wb), "台账.xlsx")

    assert preview.counts == {"add": 0, "change": 2, "unchanged": 1, "reject": 0}, preview.items
    first = next(i for i in preview.items if i.id == "c-0001")
    assert first.fields == ["problems.c-0001-p1.description", "status"]
    second = next(i for i in preview.items if i.id == "c-0002")
    assert second.fields == ["problems.c-0002-p1 (new)"] and second.case_edits == []

    commit_import(store, preview, user="督导组")

    props = store.get(LAYER, "c-0001")["properties"]
    assert props["status"] == "in_progress"
    assert props["problems"][0] == {**places[0]["properties"]["problems"][0], "description": "三号楼、五号楼飞线充电"}
    assert store.get(LAYER, "c-0001")["geometry"] == places[0]["geometry"]
    new = store.get(LAYER, "c-0002")["properties"]["problems"]
    case = new[0].pop("case")  # filed (立案) as the editor files one: with a deadline and a responsible, being handled
    assert new == [{"id": "c-0002-p1", "category": "消防通道", "description": "消防通道被占用", "found_on": "2026-11-25",
                    "found_by": "每日随机督导", "deadline": "2026-11-26", "responsible": "祥和社区",
                    "status": "in_progress", "closed_on": None}]
    assert case["stage"] == "handling" and case["source"] == "planner" and case["unit"] == "祥和社区"
    assert case["timeline"][0]["action"] == "file" and case["timeline"][0]["by"] == "督导组"


def test_a_problem_closed_by_its_status_cell_is_refused_naming_the_column(store, places):
    """The case loop closes a problem (核查通过 → 结案), never a status typed into the ledger."""
    wb = _workbook(store)
    problems = wb["问题台账"]
    problems.cell(2, _column(problems, "状态")).value = "已销号"
    problems.cell(2, _column(problems, "销号日期")).value = datetime(2026, 11, 26)
    preview = preview_upload(store, LAYER, _save(wb), "台账.xlsx")
    rejected = preview.rejected[0]
    assert rejected.id == "c-0001" and rejected.where == "点位 第 2 行"
    assert {e["field"] for e in rejected.errors} == {"状态", "销号日期"}
    assert rejected.errors[0]["message"] == t("ledger_xlsx.follows_case", column="状态", pid="c-0001-p1")


def test_the_place_status_may_be_edited_on_the_problem_sheet(store, places):
    wb = _workbook(store)
    problems = wb["问题台账"]
    for row in (2, 3):
        problems.cell(row, _column(problems, "点位状态")).value = "已整改"
    preview = preview_upload(store, LAYER, _save(wb), "台账.xlsx")
    change = next(i for i in preview.items if i.action == "change")
    assert change.fields == ["status"]


def test_two_different_new_statuses_for_one_place_are_refused(store, places):
    wb = _workbook(store)
    problems, sheet = wb["问题台账"], wb["点位"]
    problems.cell(2, _column(problems, "点位状态")).value = "已整改"
    sheet.cell(2, _column(sheet, "整改状态")).value = "反弹"
    preview = preview_upload(store, LAYER, _save(wb), "台账.xlsx")
    rejected = preview.rejected[0]
    assert rejected.id == "c-0001"
    assert rejected.errors[0]["message"].startswith(t("import.status_votes", where=""))


def test_a_ledger_row_for_an_unknown_place_is_rejected(store, places):
    wb = _workbook(store)
    wb["问题台账"].append(["c-9999", None, None, None, None, None, "僵尸车", "车棚僵尸车", None, None, None, None, None, None])
    preview = preview_upload(store, LAYER, _save(wb), "台账.xlsx")
    assert preview.rejected[0].id == "c-9999"
    assert preview.rejected[0].errors[0]["message"] == t("import.ledger_updates_only",
                                                          what=t("import.no_place", fid="'c-9999'", layer="楼院·小区"))


def test_a_workbook_that_is_not_a_ledger_is_explained(store):
    wb = Workbook()
    wb.active.title = "Sheet1"
    with pytest.raises(ValidationError, match="不是挂图台账"):
        preview_upload(store, LAYER, _save(wb), "book.xlsx")
    with pytest.raises(ValidationError, match="不是 XLSX 工作簿"):
        preview_upload(store, LAYER, b"not a zip", "book.xlsx")


def test_a_new_ledger_row_without_a_found_day_is_found_today_in_campaign_time(store, places, clock):
    clock.now = datetime(2026, 11, 24, 17, 30, tzinfo=UTC)  # the 25th, 01:30, in the campaign's time zone
    wb = _workbook(store)
    wb["问题台账"].append(["c-0002", None, None, None, None, None, "消防通道", "消防通道被占用", None, "每日随机督导",
                         None, None, "待整改", None])
    preview = preview_upload(store, LAYER, _save(wb), "台账.xlsx")
    second = next(i for i in preview.items if i.id == "c-0002")
    assert second.notes == ["问题 c-0002-p1 未填发现日期:记为今天 2026-11-25"]
    assert second.labels == ["新增问题 c-0002-p1"]
    commit_import(store, preview, user="督导组")
    assert store.get(LAYER, "c-0002")["properties"]["problems"][-1]["found_on"] == "2026-11-25"
