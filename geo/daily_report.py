"""The daily report (日报): what stood and what happened on one day, as XLSX and PDF.

`report_data` gathers it from the store (the layers as they stood at the end
of the day, from the journal, or now for today), the ledger's dates and the
day's inspection list:

    进度  places per sub-district (街道) × status, done and share done
    问题  ledger problems opened or closed that day
    逾期  overdue (逾期) problems and places past their deadline
    过夜  problems found by an inspection still open after the next morning's cut-off
    反弹  places in the relapse status, and when they relapsed
    督导  the day's random inspections and their results
    升级督办  cases that ran overdue and went up to the sub-district or the district
    单位考核  each unit's record of cases (geo/cases/stats.py): overdue, on time, handling time, returned
    预计完成  the estimated finish per sub-district at the pace of the days before (geo/progress.py)
    群众满意度  residents' reports per sub-district and community, the day's and in all: received, accepted, closed,
              rated, 满意 / 基本满意 / 不满意 and the satisfaction rate (geo/residents/satisfaction.py)

and the plan's verdict (geo/progress.py's milestones). `build_xlsx` writes it
with openpyxl (Chinese headers, frozen header rows); geo/daily_report_pdf.py
draws the PDF, ending with the printed map of the campaign (`day_map`,
geo.printing.render.render_print). The day's problems and closures print with their
photos' thumbnails beside each row (`problem_photos`: 整改后 first for a
closure, 整改前 first for a new problem).
"""

from __future__ import annotations

import heapq
import io
from datetime import date, datetime
from pathlib import Path

from geo.cases import due_local, stage_label
from geo.cases.stats import add_units, late_hours, place_cases, row_dict, unit_records
from geo.config import Campaign
from geo.errors import GuatuError
from geo.history import end_of_day, layer_as_of
from geo.inspections import load as load_inspections
from geo.messages import t
from geo.photos import photos_of
from geo.progress import finish_estimates, milestones
from geo.residents.satisfaction import satisfaction, sheet_rows
from geo.rules import problem_is_open, problem_overdue, problem_overnight
from geo.scope import level_label
from geo.store.base import Store, iso

ESCALATED, UNITS = t("report.cases.sheet.escalated"), t("report.cases.sheet.units")
ESTIMATES = t("progress.estimate_heading")  # 预计完成: the sheet of `estimate_rows`
PROGRESS, PROBLEMS, OVERDUE, OVERNIGHT, RELAPSED, INSPECTED = (
    t(f"report.sheet.{k}") for k in ("progress", "problems", "overdue", "overnight", "relapsed", "inspections"))
SATISFACTION = t("satisfaction.sheet")  # 群众满意度: geo/residents/satisfaction.py `sheet_rows`
SHEETS = (PROGRESS, PROBLEMS, OVERDUE, OVERNIGHT, RELAPSED, INSPECTED, ESCALATED, UNITS, ESTIMATES, SATISFACTION)
DETAILS = (PROBLEMS, OVERDUE, OVERNIGHT, RELAPSED)  # a row per problem or place: left out of the page's data
OPENED, CLOSED = t("report.change.opened"), t("report.change.closed")
NOT_INSPECTED = t("report.not_inspected")
# each sheet's columns: the catalogue's keys under report.col.
PLACE_COLUMNS = ("fid", "place", "street", "community")
PROBLEM_COLUMNS = ("change", *PLACE_COLUMNS, "pid", "category", "description", "found_by", "found_on", "deadline",
                   "responsible", "status", "closed_on")
OVERDUE_COLUMNS = (*PLACE_COLUMNS, "pid", "category", "description", "due", "days_late", "responsible")
OVERNIGHT_COLUMNS = (*PLACE_COLUMNS, "pid", "category", "description", "found_by", "found_on", "days_open",
                     "responsible")
RELAPSE_COLUMNS = (*PLACE_COLUMNS, "status", "relapsed_on", "relapsed_today", "open_problems", "unit")
INSPECTION_COLUMNS = ("seq", "fid", "place", "street", "community", "result", "notes", "inspector", "time",
                      "new_problem")
ESTIMATE_COLUMNS = ("street", "total", "done", "done_in_pace", "per_day", "finish", "days_late", "text")
ESCALATED_COLUMNS = ("fid", "place", "street", "community", "pid", "category", "problem", "stage", "unit", "handler",
                     "due", "level", "late")
UNIT_COLUMNS = ("unit", "cases", "open", "overdue", "escalated", "reported", "on_time", "avg_hours", "returned")
ROW_THUMBS = 3  # thumbnails beside a problem's row, at most


def _date(text) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except (TypeError, ValueError):
        return None


def report_data(store: Store, campaign: Campaign, day: date, now: datetime, *, details: bool = True,
                escalated_rows: int | None = None) -> dict:
    """Everything the report shows, as plain rows (header first) per sheet.

    What the page shows (`details=False`, `escalated_rows`: the most urgent escalated cases it lists): the same
    summary, progress, units, estimates and satisfaction, without the sheets of every problem opened or closed,
    overdue, overnight and relapsed (`DETAILS`: counted, not kept) and with only the first `escalated_rows`
    escalated cases. At a million places those rows are millions of lists (1.5 GB at 200,000 places), which the
    workbook and the PDF need and the page never showed."""
    tz = campaign.timezone
    now_l = now.astimezone(tz)
    moment = min(now_l, end_of_day(day, campaign))
    past = moment < now_l
    labels = {s.key: s.label for s in campaign.statuses}
    plabels = {p.key: p.label for p in campaign.problem_statuses}
    keys = list(campaign.status_keys)
    relapse_status = campaign.inspections.relapse_status

    relapsed_on: dict[tuple[str, str], str] = {}
    for c in store.changes_since(0):
        if c.status == relapse_status and c.status_before != relapse_status and c.at <= iso(moment):
            relapsed_on[(c.layer, c.id)] = datetime.fromisoformat(c.at).astimezone(tz).date().isoformat()

    streets: dict[str, dict[str, int]] = {}
    problems, overdue, overnight, relapses = [], [], [], []
    problem_photos: list[list[dict]] = []  # beside each row of 问题, the photos its PDF row shows
    counted = dict.fromkeys(("opened", "closed", "overdue", "overnight", "relapsed", "escalated"), 0)
    units: dict[str, list] = {}
    levels = dict.fromkeys(("community", "street", "district"), 0)
    escalated: list[tuple] = []  # (row, its place's layer, sub-district, community)
    for order, layer in enumerate(campaign.layers):
        # a place at a time (a large layer in a database is read a batch at a time, never held); the rows of a
        # layer's places are put in the order of their ids after the walk
        first_problem, first_relapse = len(problems), len(relapses)
        for f in layer_as_of(store, layer.id, moment) if past else store.each_feature(layer.id):
            props = f["properties"]
            status = props.get("status")
            street = props.get("street") or t("places.no_street")
            counts = streets.setdefault(street, dict.fromkeys(keys, 0))
            counts[status] = counts.get(status, 0) + 1
            place = [f["id"], props.get("name") or "", street, props.get("community") or ""]
            cases, rows = place_cases(order, f["id"], props, campaign, moment)
            add_units(units, cases.units)
            for level, n in zip(levels, cases.by_level, strict=True):
                levels[level] += n
            escalated.extend((row, layer.id, props.get("street"), props.get("community")) for row in rows)
            counted["escalated"] += len(rows)
            if escalated_rows is not None and len(escalated) > 4 * escalated_rows + 1000:
                escalated = heapq.nsmallest(escalated_rows, escalated)  # rows sort by their key: the most urgent
            for p in props.get("problems") or ():
                found, closed = _date(p.get("found_on")), _date(p.get("closed_on"))
                if found == day or closed == day:
                    change = t("report.change.both") if found == day and closed == day else (
                        OPENED if found == day else CLOSED)
                    counted["opened"] += change != CLOSED
                    counted["closed"] += change != OPENED
                    if details:
                        what = [p.get("id"), p.get("category") or "", p.get("description") or "",
                                p.get("found_by") or "", p.get("found_on") or "", p.get("deadline") or "",
                                p.get("responsible") or "", plabels.get(p.get("status"), p.get("status") or "")]
                        problems.append([change, *place, *what, p.get("closed_on") or ""])
                        problem_photos.append(_row_photos(f, p.get("id"), closing=closed == day))
                if problem_overdue(p, campaign, day):
                    counted["overdue"] += 1
                    late = (day - date.fromisoformat(p["deadline"])).days
                    if details:
                        overdue.append([*place, p.get("id"), p.get("category") or "", p.get("description") or "",
                                        p.get("deadline"), late, p.get("responsible") or ""])
                if problem_overnight(p, campaign, moment):
                    counted["overnight"] += 1
                    opened = (day - found).days if found else ""
                    if details:
                        overnight.append([*place, p.get("id"), p.get("category") or "", p.get("description") or "",
                                          p.get("found_by") or "", p.get("found_on") or "", opened,
                                          p.get("responsible") or ""])
            deadline = _date(props.get("deadline"))
            if deadline and deadline < day and status not in campaign.done_statuses:
                counted["overdue"] += 1
                people = props.get("people") or {}
                if details:
                    overdue.append([*place, "", t("report.whole_place"), t("report.whole_place_late"), props.get("deadline"),
                                    (day - deadline).days, " ".join(filter(None, [props.get("unit"), people.get("cadre")]))])
            if status == relapse_status:
                counted["relapsed"] += 1
            if status == relapse_status and details:
                open_n = sum(1 for p in props.get("problems") or () if problem_is_open(p, campaign))
                since = relapsed_on.get((layer.id, f["id"]), "")
                relapses.append([*place, labels.get(status, status), since, t("report.yes") if since == day.isoformat() else "",
                                 open_n, props.get("unit") or ""])
        by_place = sorted(range(first_problem, len(problems)), key=lambda i: problems[i][1])  # stable: ledger order kept
        problems[first_problem:] = [problems[i] for i in by_place]
        problem_photos[first_problem:] = [problem_photos[i] for i in by_place]
        relapses[first_relapse:] = sorted(relapses[first_relapse:], key=lambda r: r[0])

    progress = []
    totals = dict.fromkeys(keys, 0)
    for street in sorted(streets):
        counts = streets[street]
        progress.append(_progress_row(street, counts, keys, campaign))
        for k, v in counts.items():
            totals[k] = totals.get(k, 0) + v
    progress.append(_progress_row(t("report.col.total"), totals, keys, campaign))

    listing = load_inspections(store, day)
    inspections = []
    for i, p in enumerate((listing or {}).get("places") or (), 1):
        r = p.get("result") or {}
        at = datetime.fromisoformat(r["at"]).astimezone(tz).strftime("%H:%M") if r.get("at") else ""
        inspections.append([i, p["id"], p.get("name") or "", p.get("street") or "", p.get("community") or "",
                            r.get("label") or NOT_INSPECTED, r.get("notes") or "", r.get("inspector") or "", at,
                            r.get("problem") or ""])
    overdue.sort(key=lambda r: (-r[8], r[0]))
    overnight.sort(key=lambda r: (-(r[9] or 0), r[0]))
    urgent = sorted(escalated)[:escalated_rows]  # rows sort by their key: the most urgent first
    escalated_sheet = [_escalated_row(row_dict(*row), campaign, moment) for row in urgent]
    unit_rows = [[u["unit"] or t("report.cases.no_unit"), u["cases"], u["open"], u["overdue"], u["escalated"],
                  u["reported"], _blank(u["on_time_pct"]), _blank(u["avg_hours"]), _blank(u["returned_pct"])]
                 for u in unit_records(units)]
    done_n = sum(v for k, v in totals.items() if k in campaign.done_statuses)
    total_n = sum(totals.values())
    residents = satisfaction(store, campaign, day, moment)
    out = {
        "title": campaign.title, "district": campaign.district, "day": day.isoformat(),
        "as_of": moment.strftime("%Y-%m-%d %H:%M"), "past": past,
        "summary": {"places": total_n, "done": done_n, "share_done": round(done_n / total_n, 4) if total_n else 0.0,
                    "opened": counted["opened"], "closed": counted["closed"],
                    "overdue": counted["overdue"], "overnight": counted["overnight"], "relapsed": counted["relapsed"],
                    "inspected": sum(1 for r in inspections if r[5] != NOT_INSPECTED), "listed": len(inspections),
                    "seed": (listing or {}).get("seed"),
                    "cases_overdue": sum(levels.values()), "cases_by_level": levels,
                    "escalated": counted["escalated"]},
        "plan": milestones(store, campaign, moment) if campaign.milestones else None,
        "sheets": {
            PROGRESS: [[t("report.col.street"), *(labels[k] for k in keys), t("report.col.total"),
                        t("report.col.done"), t("report.col.share")], *progress],
            PROBLEMS: [_header(PROBLEM_COLUMNS), *problems],
            OVERDUE: [_header(OVERDUE_COLUMNS), *overdue],
            OVERNIGHT: [_header(OVERNIGHT_COLUMNS), *overnight],
            RELAPSED: [_header(RELAPSE_COLUMNS), *relapses],
            INSPECTED: [_header(INSPECTION_COLUMNS), *inspections],
            ESCALATED: [[t(f"report.cases.col.{c}") for c in ESCALATED_COLUMNS], *escalated_sheet],
            UNITS: [[t(f"report.cases.col.{c}") for c in UNIT_COLUMNS], *unit_rows],
            ESTIMATES: estimate_rows(store, campaign, moment, past=past),
            SATISFACTION: sheet_rows(residents),
        },
        "satisfaction": residents,
        "problem_photos": problem_photos,
    }
    out["cases"] = {"escalated": out["sheets"][ESCALATED], "units": out["sheets"][UNITS]}
    if not details:  # counted above, not kept: a workbook or PDF of this data would be missing them
        for name in DETAILS:
            del out["sheets"][name]
        del out["problem_photos"]
    return out


def _header(columns: tuple[str, ...]) -> list[str]:
    return [t(f"report.col.{c}") for c in columns]


def _blank(value):
    return "" if value is None else value


def _escalated_row(row: dict, campaign: Campaign, moment: datetime) -> list:
    """An escalated case as a row of 升级督办: the place, the problem, where the case stands, how late."""
    due = due_local({"stage_due": row.get("stage_due")}, campaign) or ""
    return [row["id"], row.get("name") or "", row.get("street") or "", row.get("community") or "", row.get("pid") or "",
            row.get("category") or "", row.get("problem") or "", stage_label(row.get("stage")),
            row.get("unit") or "", row.get("handler") or "", due, level_label(row["level"]), late_hours(row, moment, campaign) or 0.0]


def _row_photos(feature: dict, problem_id: str | None, *, closing: bool) -> list[dict]:
    """The photos printed beside a problem's row: 整改后 (then 核查, 整改前) for a closure, 整改前 first for a new
    problem; newest first within a role."""
    order = ("after", "check", "before") if closing else ("before", "after", "check")
    found = [e for e in photos_of(feature, problem=problem_id) if e.get("role") in order]
    found.sort(key=lambda e: order.index(e["role"]))  # stable: newest first within a role
    return [{"id": e["id"], "role": e["role"], "taken_at": e.get("taken_at"), "added_at": e.get("added_at")}
            for e in found[:ROW_THUMBS]]


def estimate_rows(store: Store, campaign: Campaign, moment: datetime, *, past: bool = False) -> list[list]:
    """预计完成 (geo/progress.py `finish_estimates`, from the data as it stood at `moment`: for a past day, its
    end, from the journal): the header, a row per sub-district, then all places: done, done over the pace's
    days, per day, the estimated finish, the days after the milestone asking for all places (negative: before
    it) and the estimate in words."""
    est = finish_estimates(store, campaign, moment, past=past)
    head = [t("report.cases.col.street"), *(t(f"report.estimate.col.{c}", days=est["pace_days"])
                                            for c in ESTIMATE_COLUMNS[1:])]
    whole = {**est["campaign"], "street": t("report.estimate.whole")}
    return [head, *([r["street"], r["total"], r["done"], r["done_in_pace"], r["per_day"], r["finish"] or "",
                     "" if r["days_late"] is None else r["days_late"], r["text"]] for r in [*est["streets"], whole])]


def _progress_row(name: str, counts: dict, keys: list[str], campaign: Campaign) -> list:
    total = sum(counts.values())
    done = sum(v for k, v in counts.items() if k in campaign.done_statuses)
    return [name, *(counts.get(k, 0) for k in keys), total, done, round(100 * done / total, 1) if total else 0.0]


# --- XLSX ----------------------------------------------------------------------

def build_xlsx(data: dict) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from geo.exchange.cells import text_row, writable

    wb = Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="EEEEEE")
    for name in SHEETS:
        rows = data["sheets"][name]
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(text_row(ws, row))  # a text starting with = + - @ stays text, never a formula
        for cell in ws[1]:
            cell.font, cell.fill = bold, fill
            cell.alignment = Alignment(vertical="center")
        ws.freeze_panes = "A2"
        for i, header in enumerate(rows[0], 1):
            width = max([len(str(header)) * 2, *(len(str(r[i - 1])) * 1.6 for r in rows[1:] if i - 1 < len(r))])
            ws.column_dimensions[get_column_letter(i)].width = min(max(8, width + 2), 50)
        if len(rows) == 1:
            ws.append([t("report.xlsx.empty")])
    ws = wb.worksheets[0]
    ws.insert_rows(1, 2)
    ws["A1"] = writable(t("report.xlsx.title", title=data["title"], day=data["day"], as_of=data["as_of"]))
    ws["A1"].data_type = "s"  # the campaign's title, as text whatever it starts with
    ws["A1"].font = Font(bold=True, size=14)
    ws.freeze_panes = "A4"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# --- the map the PDF ends with (geo/daily_report_pdf.py draws the rest) ----------------------

def day_map(store: Store, campaign: Campaign, data_dir: Path, now: datetime) -> tuple[bytes | None, str]:
    """The campaign's printed map (A4 portrait PNG) from geo.printing, or why there is none."""
    try:
        from geo.printing.layout import parse_options
        from geo.printing.render import render_print

        options = parse_options({"paper": "A4", "orientation": "portrait", "format": "png", "dpi": "150"}, campaign)
        return render_print(store, campaign, data_dir, options, now).data, ""
    except (GuatuError, ImportError, ValueError) as exc:
        return None, t("report.pdf.map_failed", reason=getattr(exc, "message", exc))

