"""The ledger (台账) as an XLSX workbook for people, and back.

`write_ledger` makes two sheets: 问题台账, one row per problem with its place
(编号, 名称, 街道, 社区, 点位状态) and the problem's 问题编号, 类别, 问题描述,
发现日期, 发现方式, 整改时限, 责任人, 状态, 销号日期, then its case (案件,
geo/cases): 案件阶段, 紧急程度, 处置单位, 处置人, 派遣人, 核查人, 阶段期限 (the
stage's due time in campaign time), 逾期, 督办层级 (the escalation level when
escalated) and 退回次数; and 点位, one row per place. Headers are bold and
frozen, columns sized, dates are real dates and statuses, stages and urgencies
are their Chinese labels (with a drop-down of the allowed ones).

`read_ledger` reads such a workbook back, edited, into `Incoming` updates by
id, which go through the same preview and commit as any import: a place's
fields from 点位 (整改状态, 时间节点, 责任单位, 四包一, 备注, …), its
problems from 问题台账 merged by 问题编号 (a row without one is a new
problem). 点位状态 may be edited on either sheet; two different new values
for one place are refused. The case columns are merged by
geo/exchange/ledger_cases.py: new problems are filed as cases, and only the
district's command may set a case's stage, handler or due time. Columns may be reordered or removed (a removed
column keeps the current values); the other place columns of 问题台账 are
for reading only.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from geo.cases import STAGES, case_of, escalation, stage_label, stage_overdue
from geo.cases.model import instant, iso
from geo.config import Campaign, Layer
from geo.errors import FieldError
from geo.exchange.archive import UploadLimits, check_zip, file_error
from geo.exchange.attributes import Incoming, as_date, as_int, as_text, is_blank, problem_status_key, status_key
from geo.exchange.cells import text_cell, text_row
from geo.exchange.formats import ReadResult, SourceInfo
from geo.messages import t
from geo.scope import level_label

# What openpyxl raises on a workbook whose parts are missing, truncated or not XML: a file's fault, not ours.
UNREADABLE = (KeyError, ValueError, TypeError, IndexError, AttributeError, OSError, EOFError, zlib.error,
              zipfile.BadZipFile, SyntaxError)  # SyntaxError: lxml's and ElementTree's parse errors

PROBLEM_SHEET = "问题台账"
PLACE_SHEET = "点位"
# header → (what it holds, column width)
PROBLEM_COLUMNS = {
    "点位编号": ("place", 12), "点位名称": ("place_name", 22), "街道": ("street", 14), "社区": ("community", 12),
    "点位状态": ("place_status", 10), "问题编号": ("id", 14), "类别": ("category", 16), "问题描述": ("description", 40),
    "发现日期": ("found_on", 12), "发现方式": ("found_by", 14), "整改时限": ("deadline", 12),
    "责任人": ("responsible", 18), "状态": ("status", 10), "销号日期": ("closed_on", 12),
}
# the problem's case (案件, geo/cases): its stage and who holds it; 逾期 and 督办层级 are derived, for reading only
CASE_COLUMNS = {
    "案件阶段": ("case.stage", 12), "紧急程度": ("case.urgency", 8), "处置单位": ("case.unit", 16),
    "处置人": ("case.handler", 12), "派遣人": ("case.dispatcher", 12), "核查人": ("case.verified_by", 12),
    "阶段期限": ("case.stage_due", 17), "逾期": ("case.overdue", 6), "督办层级": ("case.level", 12),
    "退回次数": ("case.returns", 8),
}
CASE_READ_ONLY = ("case.overdue", "case.level", "case.returns")
DUE_FORMAT = "yyyy-mm-dd hh:mm"
PLACE_COLUMNS_HEAD = {
    "编号": ("id", 12), "名称": ("name", 22), "类型": ("kind", 12), "街道": ("street", 14), "社区": ("community", 12),
    "整改状态": ("status", 10), "时间节点": ("deadline", 12), "责任单位": ("unit", 16),
}
PLACE_COLUMNS_TAIL = {"问题数": ("problem_count", 8), "未销号": ("open_count", 8), "备注": ("notes", 40),
                      "版本": ("version", 6)}
_WRAP = {"description", "notes", "place_name", "name"}
_HEADER_FILL = PatternFill("solid", fgColor="DDDDDD")
_XLSX_RATIO = 1000.0  # spreadsheet XML compresses far better than GIS data


# --- writing ----------------------------------------------------------------

def write_ledger(features: list[dict], layer: Layer, campaign: Campaign, now: datetime) -> bytes:
    """The workbook's bytes: 问题台账 (one row per problem, with its case as it stands at `now`) and 点位 (one
    row per place)."""
    labels = {s.key: s.label for s in campaign.statuses}
    problem_labels = {p.key: p.label for p in campaign.problem_statuses}
    open_keys = campaign.open_problem_statuses
    status_styles = {s.label: _status_style(s.color) for s in campaign.statuses}
    wb = Workbook(write_only=True)  # streams rows: a 20 000-place ledger stays quick and small in memory

    rows = []
    for f in features:
        p = f["properties"]
        for item in p.get("problems") or []:
            rows.append([f["id"], p.get("name"), p.get("street"), p.get("community"), labels.get(p.get("status"), p.get("status")),
                         item.get("id"), item.get("category"), item.get("description"), _date(item.get("found_on")),
                         item.get("found_by"), _date(item.get("deadline")), item.get("responsible"),
                         problem_labels.get(item.get("status"), item.get("status")), _date(item.get("closed_on")),
                         *_case_cells(item, campaign, now)])
    ws = wb.create_sheet(PROBLEM_SHEET)
    _choices(ws, 5, [s.label for s in campaign.statuses], len(rows))
    _choices(ws, 13, [p.label for p in campaign.problem_statuses], len(rows))
    _choices(ws, 7, list(campaign.categories), len(rows))
    _choices(ws, 15, [stage_label(k) for k in STAGES], len(rows))
    _choices(ws, 16, [u.label for u in campaign.cases.urgencies], len(rows))
    _fill(ws, PROBLEM_COLUMNS | CASE_COLUMNS, rows, status_column=5, status_styles=status_styles)

    roles = {r.label: (f"role:{r.key}", 10) for r in campaign.roles}
    columns = {**PLACE_COLUMNS_HEAD, **roles, **PLACE_COLUMNS_TAIL}
    place_rows = []
    for f in features:
        p = f["properties"]
        problems = p.get("problems") or []
        people = p.get("people") or {}
        place_rows.append([f["id"], p.get("name"), p.get("kind"), p.get("street"), p.get("community"),
                           labels.get(p.get("status"), p.get("status")), _date(p.get("deadline")), p.get("unit"),
                           *[people.get(r.key) for r in campaign.roles], len(problems),
                           sum(1 for x in problems if x.get("status") in open_keys), p.get("notes") or None,
                           p.get("version")])
    ws2 = wb.create_sheet(PLACE_SHEET)
    _choices(ws2, 6, [s.label for s in campaign.statuses], len(place_rows))
    _fill(ws2, columns, place_rows, status_column=6, status_styles=status_styles)
    wb.properties.title = f"{campaign.title} {layer.title} 台账"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _case_cells(problem: dict, campaign: Campaign, now: datetime) -> list[Any]:
    """The CASE_COLUMNS of one problem: its case as stored, or as an older problem is read (`case_of`)."""
    case = case_of(problem, campaign)
    urgencies = {u.key: u.label for u in campaign.cases.urgencies}
    level = escalation(case, campaign, now)
    return [stage_label(case["stage"]), urgencies.get(case.get("urgency"), case.get("urgency")), case.get("unit"),
            case.get("handler"), case.get("dispatcher"), case.get("verified_by"),
            local_due(case.get("stage_due"), campaign), t("ledger_xlsx.yes") if stage_overdue(case, now) else None,
            level_label(level["level"]) if level["escalated"] else None, case.get("returns") or 0]


def local_due(stamp: str | None, campaign: Campaign) -> datetime | None:
    """A stored instant as the campaign's wall-clock time, without a zone (what a spreadsheet cell holds)."""
    if not stamp:
        return None
    return instant(stamp).astimezone(campaign.timezone).replace(tzinfo=None)


def _date(value: Any) -> date | Any:
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    return value


def _status_style(colour: str) -> tuple[PatternFill, Font | None]:
    """A status cell filled with its colour, with white text on dark ones."""
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    dark = 0.299 * r + 0.587 * g + 0.114 * b < 128
    return PatternFill("solid", fgColor=colour[1:].upper()), Font(color="FFFFFF") if dark else None


def _fill(ws, columns: dict[str, tuple[str, int]], rows: list[list], *, status_column: int,
          status_styles: dict[str, tuple[PatternFill, Font | None]]) -> None:
    """Header (bold, shaded, frozen, filtered), sized columns, then the rows; set up to print on A-size paper."""
    wrap = [i for i, (key, _) in enumerate(columns.values()) if key in _WRAP]
    for i, (header, (_, width)) in enumerate(columns.items(), start=1):
        longest = max([_display_width(header)] + [_display_width(r[i - 1]) for r in rows[:2000]])
        ws.column_dimensions[get_column_letter(i)].width = min(max(width, longest + 2), 60)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(rows) + 1}"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True

    bold, centred = Font(bold=True), Alignment(vertical="center", horizontal="center")
    header = []
    for title in columns:
        cell = text_cell(ws, title)
        cell.font, cell.fill, cell.alignment = bold, _HEADER_FILL, centred
        header.append(cell)
    ws.append(header)
    top = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        out = text_row(ws, list(row))  # a text starting with = + - @ stays text, never a formula
        for i, value in enumerate(row):
            if isinstance(value, datetime):  # a due time: shown to the minute
                out[i] = cell = WriteOnlyCell(ws, value=value)
                cell.number_format = DUE_FORMAT
        for i in wrap:
            if row[i] is not None:
                out[i] = cell = out[i] if isinstance(out[i], Cell) else text_cell(ws, row[i])
                cell.alignment = top
        style = status_styles.get(row[status_column - 1])
        if style:
            out[status_column - 1] = cell = text_cell(ws, row[status_column - 1])
            cell.fill = style[0]
            if style[1] is not None:
                cell.font = style[1]
        ws.append(out)


def _display_width(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, (date, datetime)):
        return 10
    text = str(value)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _choices(ws, column: int, options: list[str], count: int) -> None:
    formula = '"' + ",".join(options) + '"'
    if len(formula) > 255 or any("," in o or '"' in o for o in options):
        return  # Excel cannot hold a longer inline list
    letter = get_column_letter(column)
    dv = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=True)
    dv.add(f"{letter}2:{letter}{max(count + 200, 2)}")
    ws.data_validations.append(dv)  # (a write-only sheet has no add_data_validation)


# --- reading ----------------------------------------------------------------

def read_ledger(data: bytes, filename: str, campaign: Campaign, limits: UploadLimits) -> ReadResult:
    """An edited ledger workbook as `Incoming` updates of existing places (no geometry)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            check_zip(zf, filename, replace(limits, max_ratio=max(limits.max_ratio, _XLSX_RATIO)))
    except zipfile.BadZipFile:
        raise file_error(t("upload.xlsx_not_zip", file=filename)) from None
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except UNREADABLE as exc:
        raise file_error(t("request.unreadable_workbook", file=filename, reason=type(exc).__name__)) from None
    try:
        return _read_workbook(wb, filename, campaign)
    except UNREADABLE as exc:  # read-only sheets are parsed lazily: a broken sheet shows only while reading it
        raise file_error(t("request.unreadable_workbook", file=filename, reason=type(exc).__name__)) from None
    finally:
        wb.close()


def _read_workbook(wb, filename: str, campaign: Campaign) -> ReadResult:
    names = wb.sheetnames
    if PROBLEM_SHEET not in names and PLACE_SHEET not in names:
        raise file_error(t("upload.not_a_ledger", file=filename, problems=PROBLEM_SHEET, places=PLACE_SHEET,
                           sheets="、".join(names)))
    result = ReadResult([], [], [])
    places: dict[str, Incoming] = {}
    if PLACE_SHEET in names:
        count = _read_places(wb[PLACE_SHEET], campaign, places, result)
        result.sources.append(SourceInfo(PLACE_SHEET, "XLSX", count, None))
    if PROBLEM_SHEET in names:
        count = _read_problems(wb[PROBLEM_SHEET], campaign, places, result)
        result.sources.append(SourceInfo(PROBLEM_SHEET, "XLSX", count, None))
    result.items.extend(places.values())
    return result


def _sheet_rows(ws, known: dict[str, str], id_key: str, result: ReadResult,
                places: dict[str, Incoming]) -> tuple[list[tuple[str, int, dict, Incoming]], int]:
    """A sheet's rows that name a place, each as (where, row number, cells by key, the place's Incoming), and how many
    rows are not blank; a row without the place id becomes a rejected item. Columns are found by their
    header (`known`: header → key)."""
    rows = ws.iter_rows(values_only=True)
    header = next(rows, None) or ()
    columns = {}
    for i, title in enumerate(header):
        text = str(title).strip() if title is not None else ""
        if text in known:
            columns[known[text]] = i
        elif text:
            result.warnings.append(t("import.column_ignored", sheet=ws.title, column=text))
    id_label = next(h for h, k in known.items() if k == id_key)
    if id_key not in columns:
        raise file_error(t("upload.no_id_column", sheet=ws.title, column=id_label))
    out, count = [], 0
    for n, row in enumerate(rows, start=2):
        if all(is_blank(v) for v in row):
            continue
        count += 1
        where = t("store.where_line", file=ws.title, line=n)
        cell = {key: row[i] if i < len(row) else None for key, i in columns.items()}
        pid = as_text(cell[id_key])
        if is_blank(pid):
            result.items.append(Incoming(where=where, errors=[FieldError(id_label, t("import.row_needs_id"), where)]))
            continue
        out.append((where, n, cell, _place(places, pid, where)))
    return out, count


def _place(places: dict[str, Incoming], pid: str, where: str) -> Incoming:
    item = places.get(pid)
    if item is None:
        item = places[pid] = Incoming(where=where, id=pid)
    return item


def _read_places(ws, campaign: Campaign, places: dict[str, Incoming], result: ReadResult) -> int:
    roles = {r.label: f"role:{r.key}" for r in campaign.roles}
    known = {h: k for h, (k, _) in {**PLACE_COLUMNS_HEAD, **PLACE_COLUMNS_TAIL}.items()} | roles
    rows, count = _sheet_rows(ws, known, "id", result, places)
    for where, _, cell, item in rows:
        for key, value in cell.items():
            if key in ("id", "problem_count", "open_count"):
                continue
            if key == "version":
                item.file_version = as_int(value)
            elif key.startswith("role:"):
                item.people_patch = item.people_patch or {}
                item.people_patch[key[5:]] = "" if is_blank(value) else as_text(value)
            elif key == "status":  # 点位状态 may also be edited on the problem sheet: both are votes
                if not is_blank(value):
                    item.status_votes.append((status_key(as_text(value), campaign), where))
            elif key == "deadline":
                item.properties["deadline"] = None if is_blank(value) else as_date(value)
            else:
                item.properties[key] = None if is_blank(value) else as_text(value)
    return count


def _read_problems(ws, campaign: Campaign, places: dict[str, Incoming], result: ReadResult) -> int:
    known = {h: k for h, (k, _) in (PROBLEM_COLUMNS | CASE_COLUMNS).items()}
    rows, count = _sheet_rows(ws, known, "place", result, places)
    for where, row, cell, item in rows:
        if not is_blank(cell.get("place_status")):
            item.status_votes.append((status_key(as_text(cell["place_status"]), campaign), where))
        patch: dict[str, Any] = {"id": None if is_blank(cell.get("id")) else as_text(cell["id"])}
        for key in ("category", "description", "found_by", "responsible"):
            if key in cell:
                patch[key] = "" if is_blank(cell[key]) else as_text(cell[key])
        for key in ("found_on", "deadline", "closed_on"):
            if key in cell:
                patch[key] = None if is_blank(cell[key]) else as_date(cell[key])
        if not is_blank(cell.get("status")):  # a blank status keeps the current one (a new problem is open)
            patch["status"] = problem_status_key(as_text(cell["status"]), campaign)
        if patch["id"] is None and "category" in patch and not patch["category"]:
            item.errors.append(FieldError("类别", t("import.problem_needs_category"), where))
        case, errors = _read_case(cell, campaign, where, row)
        item.errors.extend(errors)
        if case:
            patch["case"] = case
        item.problem_patches = (item.problem_patches or []) + [patch]
    return count


def _read_case(cell: dict, campaign: Campaign, where: str, row: int) -> tuple[dict, list[FieldError]]:
    """The case fields a row sets (those of its columns the sheet has; 逾期, 督办层级 and 退回次数 are derived
    and only read), and what is wrong with them, naming the row and the column."""
    headers = {key: header for header, (key, _) in CASE_COLUMNS.items()}
    case: dict[str, Any] = {}
    errors = []
    stages = {stage_label(k): k for k in STAGES}
    urgencies = {u.label: u.key for u in campaign.cases.urgencies}
    for key in CASE_COLUMNS.values():
        name = key[0]
        if name not in cell or name in CASE_READ_ONLY:
            continue
        field, value = name[5:], cell[name]
        if field == "stage":
            if is_blank(value):
                continue  # a blank stage keeps the case as it is (a new problem is filed)
            text = as_text(value)
            case["stage"] = stages.get(text, text if text in STAGES else None)
            if case["stage"] is None:
                errors.append(FieldError(headers[name], t("ledger_xlsx.unknown_stage", row=row, value=text,
                                                          stages="、".join(stages)), where))
        elif field == "urgency":
            if is_blank(value):
                continue
            text = as_text(value)
            case["urgency"] = urgencies.get(text, text if text in urgencies.values() else None)
            if case["urgency"] is None:
                errors.append(FieldError(headers[name], t("ledger_xlsx.unknown_urgency", row=row, value=text,
                                                          urgencies="、".join(urgencies)), where))
        elif field == "stage_due":
            due = _stored_due(value, campaign)
            if due is False:
                errors.append(FieldError(headers[name], t("ledger_xlsx.bad_due", row=row, value=as_text(value)), where))
            else:
                case["stage_due"] = due
        else:
            case[field] = None if is_blank(value) else as_text(value)
    return case, errors


def _stored_due(value: Any, campaign: Campaign) -> str | None | bool:
    """A due time from its cell (a date-time, or text "2026-12-05 17:30") in campaign time, as a stored UTC
    instant; None for a blank cell, False when it is not a time."""
    if is_blank(value):
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            return False
    if not isinstance(value, datetime):
        if isinstance(value, date):
            value = datetime.combine(value, datetime.min.time())
        else:
            return False
    local = value.replace(tzinfo=campaign.timezone) if value.tzinfo is None else value
    return iso(local + timedelta(microseconds=500_000))  # to the nearest second: a spreadsheet keeps a float
