"""The case columns of the ledger workbook (geo/exchange/ledger_xlsx.py) merged into a place's problems on import.

A row of 问题台账 carries its problem's case: 案件阶段, 紧急程度, 处置单位, 处置人, 派遣人, 核查人 and 阶段期限
(逾期, 督办层级 and 退回次数 are derived and only read). Importing the workbook back:

- a row that repeats the case as it stands changes nothing (`case_unchanged`: due times compared as instants,
  to the second), so export → import → export gives the same workbook;
- a new problem (a row without 问题编号) is filed as a case (立案), as the editor files one;
- a row that sets the case otherwise — another stage, handler, unit or due time — is a case edit
  (`CaseEdit.edited`): only the district's command (a scope covering the whole district, or the command
  line) may import one. The case is set as the row says, its ledger fields (status, deadline, closed_on,
  responsible) put in step with it, and its timeline gets an `import` step naming what changed; the place is
  written through the store's case write path (an `Op` marked `cases`), so it is journaled like any change;
- 状态, 整改时限, 责任人 and 销号日期 follow the case: a row may repeat them, or give the values the case it sets
  gives them, but a change of its own is refused, naming the column.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import datetime

from geo.cases import OPEN_STAGES, case_of, file_case, in_step, stage_due
from geo.cases.model import instant, iso
from geo.config import Campaign
from geo.errors import FieldError
from geo.messages import t

CASE_FIELDS = ("stage", "urgency", "unit", "handler", "dispatcher", "verified_by", "stage_due")
LOOP_COLUMNS = {"status": "状态", "deadline": "整改时限", "responsible": "责任人", "closed_on": "销号日期"}
IMPORT = "import"  # the timeline's action for a case set by a ledger import


@dataclass
class CaseEdit:
    """What merging the rows' case columns did to a place's problems."""

    problems: list[dict]
    case_write: bool = False  # a case is filed or set: the write must go through the store's case path
    edited: list[str] = field(default_factory=list)  # problem ids whose case the rows set by hand
    errors: list[FieldError] = field(default_factory=list)


def _same(field_name: str, a: object, b: object) -> bool:
    if a in (None, "") and b in (None, ""):
        return True
    if field_name == "stage_due" and isinstance(a, str) and isinstance(b, str):
        try:
            return int(instant(a).timestamp()) == int(instant(b).timestamp())
        except ValueError:
            return False
    return a == b


def case_unchanged(patch: dict | None, problem: dict, campaign: Campaign) -> bool:
    """The row's case columns say what the problem's case already is."""
    if not patch:
        return True
    case = case_of(problem, campaign)
    return all(_same(k, v, case.get(k)) for k, v in patch.items())


def merge_cases(before: list[dict], merged: list[dict], patches: list[dict], campaign: Campaign,
                now: datetime) -> CaseEdit:
    """The problems `merged` (the rows' ledger fields already merged in by id) with the rows' case columns
    applied: new problems filed, cases set where a row says so, their ledger fields in step."""
    old = {p.get("id"): p for p in before if isinstance(p, dict)}
    by_id = {p.get("id"): p for p in patches if p.get("id")}
    new_rows = iter(p for p in patches if not p.get("id"))
    out = CaseEdit([])
    for problem in merged:
        pid = problem.get("id")
        was = old.get(pid)
        patch = (by_id.get(pid) if was is not None else next(new_rows, None)) or {}
        wanted = patch.get("case") or {}
        if was is None:  # a new row's blank case cells give nothing (an existing row's blank cell clears)
            wanted = {k: v for k, v in wanted.items() if v not in (None, "")}
        entry = {k: v for k, v in problem.items() if k != "case"}
        if was is None:  # a new problem: filed (立案) as the editor files one, then as its row says
            case = file_case(entry, campaign, now, source="planner")
            entry = in_step(entry, case, campaign)
            out.case_write = True
        else:
            case = copy.deepcopy(case_of(was, campaign))
            if isinstance(was.get("case"), dict):
                entry["case"] = was["case"]
        changed = {k: v for k, v in wanted.items() if k in CASE_FIELDS and not _same(k, v, case.get(k))}
        if changed:
            out.case_write = True
            out.edited.append(pid)  # (a new row has its id by now)
            entry = _set_case(entry, case, changed, campaign, now)
        if was is not None:
            out.errors.extend(_loop_fields_kept(patch, was, entry if changed else was, pid))
        out.problems.append(entry)
    return out


def _set_case(problem: dict, case: dict, changed: dict, campaign: Campaign, now: datetime) -> dict:
    """The problem with its case set as a row says, a timeline step naming what changed, and its ledger fields
    in step (the importer is named when the import is committed: `stamp_importer`)."""
    before = case["stage"]
    case = {**case, **changed}
    if case["stage"] != before:
        case["stage_since"] = iso(now)
        case["closed_at"] = iso(now) if case["stage"] == "closed" else None
        suspended = case["stage"] == "suspended"
        case["held_stage"] = before if suspended and before in OPEN_STAGES else None
        case["held_left_s"] = None
        if "stage_due" not in changed:  # the new stage's own limit from now (none for a closed or held case)
            due = None if case["stage"] not in OPEN_STAGES else stage_due(campaign, case["stage"], now, case.get("urgency"))
            case["stage_due"] = iso(due) if due else None
    case["timeline"] = [*case.get("timeline", []), {
        "action": IMPORT, "from": before, "to": case["stage"], "user": None, "by": None, "at": iso(now),
        "note": "", "photos": [], "data": dict(changed)}]
    responsible = None
    if "unit" in changed or "handler" in changed:
        responsible = " ".join(p for p in (case.get("unit"), case.get("handler")) if p) or None
    return in_step(problem, case, campaign, responsible=responsible)


def _loop_fields_kept(patch: dict, was: dict, now_is: dict, pid: str) -> list[FieldError]:
    """A row's 状态, 整改时限, 责任人, 销号日期 may repeat the stored values or give those the case now gives; any
    other value is refused by column (the case loop, or a district import of the case, moves them)."""
    return [FieldError(column, t("ledger_xlsx.follows_case", column=column, pid=pid), pid)
            for key, column in LOOP_COLUMNS.items()
            if key in patch and not _same(key, patch[key], was.get(key)) and not _same(key, patch[key], now_is.get(key))]


def stamp_importer(properties: dict, user: str) -> dict:
    """The properties of a planned write with the committing user named in the timeline steps the import made."""
    problems = properties.get("problems")
    if not isinstance(problems, list):
        return properties
    out = []
    for problem in problems:
        case = problem.get("case") if isinstance(problem, dict) else None
        if isinstance(case, dict) and any(s.get("user") is None and s.get("by") is None for s in case.get("timeline") or ()):
            case = {**case, "timeline": [{**s, "user": user, "by": user} if s.get("user") is None and s.get("by") is None
                                         else s for s in case["timeline"]]}
            problem = {**problem, "case": case}
        out.append(problem)
    return {**properties, "problems": out}
