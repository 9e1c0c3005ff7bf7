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

`build_xlsx` writes it with openpyxl (Chinese headers, frozen header rows);
`build_pdf` draws it with matplotlib in the CJK font the printed maps embed
(geo/printing/fonts.py), followed by the printed map of the campaign
(geo.printing.render_print) when it can be drawn. The day's problems and
closures print with their photos' thumbnails beside each row (`problem_photos`:
整改后 first for a closure, 整改前 first for a new problem).
"""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

from geo.cases import due_local, stage_label
from geo.cases.stats import add_units, late_hours, place_cases, unit_records
from geo.config import Campaign
from geo.errors import GuatuError
from geo.history import end_of_day, layer_as_of
from geo.inspections import load as load_inspections
from geo.messages import t
from geo.photos import photos_of
from geo.printing.photos import PROBLEM_ROLES, role_label
from geo.rules import problem_is_open, problem_overdue, problem_overnight
from geo.scope import level_label
from geo.store.base import Store, iso

ESCALATED, UNITS = t("report.cases.sheet.escalated"), t("report.cases.sheet.units")
SHEETS = ("进度", "问题", "逾期", "过夜", "反弹", "督导", ESCALATED, UNITS)
ESCALATED_COLUMNS = ("fid", "place", "street", "community", "pid", "category", "problem", "stage", "unit", "handler",
                     "due", "level", "late")
UNIT_COLUMNS = ("unit", "cases", "open", "overdue", "escalated", "reported", "on_time", "avg_hours", "returned")
PDF_ROWS = 30  # table rows per PDF page
PHOTO_ROWS = 15  # rows per page of the problems' list when it carries thumbnails
ROW_THUMBS = 3  # thumbnails beside a problem's row, at most


def _date(text) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except (TypeError, ValueError):
        return None


def report_data(store: Store, campaign: Campaign, day: date, now: datetime) -> dict:
    """Everything the report shows, as plain rows (header first) per sheet."""
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
    units: dict[str, list] = {}
    levels = dict.fromkeys(("community", "street", "district"), 0)
    escalated: list[tuple] = []
    for order, layer in enumerate(campaign.layers):
        features = layer_as_of(store, layer.id, moment) if past else store.features(layer.id)
        for f in sorted(features, key=lambda f: f["id"]):
            props = f["properties"]
            status = props.get("status")
            street = props.get("street") or "(未填街道)"
            counts = streets.setdefault(street, dict.fromkeys(keys, 0))
            counts[status] = counts.get(status, 0) + 1
            place = [f["id"], props.get("name") or "", street, props.get("community") or ""]
            cases = place_cases(order, layer.id, f["id"], props, campaign, moment)
            add_units(units, cases.units)
            for level, n in zip(levels, cases.by_level, strict=True):
                levels[level] += n
            escalated.extend(cases.escalated)
            for p in props.get("problems") or ():
                found, closed = _date(p.get("found_on")), _date(p.get("closed_on"))
                what = [p.get("id"), p.get("category") or "", p.get("description") or "", p.get("found_by") or "",
                        p.get("found_on") or "", p.get("deadline") or "", p.get("responsible") or "",
                        plabels.get(p.get("status"), p.get("status") or "")]
                if found == day or closed == day:
                    change = "新增并销号" if found == day and closed == day else ("新增" if found == day else "销号")
                    problems.append([change, *place, *what, p.get("closed_on") or ""])
                    problem_photos.append(_row_photos(f, p.get("id"), closing=closed == day))
                if problem_overdue(p, campaign, day):
                    late = (day - date.fromisoformat(p["deadline"])).days
                    overdue.append([*place, p.get("id"), p.get("category") or "", p.get("description") or "",
                                    p.get("deadline"), late, p.get("responsible") or ""])
                if problem_overnight(p, campaign, moment):
                    opened = (day - found).days if found else ""
                    overnight.append([*place, p.get("id"), p.get("category") or "", p.get("description") or "",
                                      p.get("found_by") or "", p.get("found_on") or "", opened,
                                      p.get("responsible") or ""])
            deadline = _date(props.get("deadline"))
            if deadline and deadline < day and status not in campaign.done_statuses:
                people = props.get("people") or {}
                overdue.append([*place, "", "整体整改", "未按时间节点完成", props.get("deadline"),
                                (day - deadline).days, " ".join(filter(None, [props.get("unit"), people.get("cadre")]))])
            if status == relapse_status:
                open_n = sum(1 for p in props.get("problems") or () if problem_is_open(p, campaign))
                since = relapsed_on.get((layer.id, f["id"]), "")
                relapses.append([*place, labels.get(status, status), since, "是" if since == day.isoformat() else "",
                                 open_n, props.get("unit") or ""])

    progress = []
    totals = dict.fromkeys(keys, 0)
    for street in sorted(streets):
        counts = streets[street]
        progress.append(_progress_row(street, counts, keys, campaign))
        for k, v in counts.items():
            totals[k] = totals.get(k, 0) + v
    progress.append(_progress_row("合计", totals, keys, campaign))

    listing = load_inspections(store, day)
    inspections = []
    for i, p in enumerate((listing or {}).get("places") or (), 1):
        r = p.get("result") or {}
        at = datetime.fromisoformat(r["at"]).astimezone(tz).strftime("%H:%M") if r.get("at") else ""
        inspections.append([i, p["id"], p.get("name") or "", p.get("street") or "", p.get("community") or "",
                            r.get("label") or "未督导", r.get("notes") or "", r.get("inspector") or "", at,
                            r.get("problem") or ""])
    overdue.sort(key=lambda r: (-r[8], r[0]))
    escalated_rows = [_escalated_row(r, campaign, moment) for _, r in sorted(escalated, key=lambda x: x[0])]
    unit_rows = [[u["unit"] or t("report.cases.no_unit"), u["cases"], u["open"], u["overdue"], u["escalated"],
                  u["reported"], _blank(u["on_time_pct"]), _blank(u["avg_hours"]), _blank(u["returned_pct"])]
                 for u in unit_records(units)]
    done_n = sum(v for k, v in totals.items() if k in campaign.done_statuses)
    total_n = sum(totals.values())
    out = {
        "title": campaign.title, "district": campaign.district, "day": day.isoformat(),
        "as_of": moment.strftime("%Y-%m-%d %H:%M"), "past": past,
        "summary": {"places": total_n, "done": done_n, "share_done": round(done_n / total_n, 4) if total_n else 0.0,
                    "opened": sum(1 for r in problems if r[0] != "销号"),
                    "closed": sum(1 for r in problems if r[0] != "新增"),
                    "overdue": len(overdue), "overnight": len(overnight), "relapsed": len(relapses),
                    "inspected": sum(1 for r in inspections if r[5] != "未督导"), "listed": len(inspections),
                    "seed": (listing or {}).get("seed"),
                    "cases_overdue": sum(levels.values()), "cases_by_level": levels,
                    "escalated": len(escalated_rows)},
        "sheets": {
            "进度": [["街道", *(labels[k] for k in keys), "合计", "已完成", "完成率(%)"], *progress],
            "问题": [["变化", "点位编号", "点位名称", "街道", "社区", "问题编号", "类别", "问题描述", "发现方式", "发现日期",
                     "整改时限", "责任人", "状态", "销号日期"], *problems],
            "逾期": [["点位编号", "点位名称", "街道", "社区", "问题编号", "类别", "问题描述", "时限", "逾期天数", "责任人"],
                     *overdue],
            "过夜": [["点位编号", "点位名称", "街道", "社区", "问题编号", "类别", "问题描述", "发现方式", "发现日期",
                     "已过天数", "责任人"], *overnight],
            "反弹": [["点位编号", "点位名称", "街道", "社区", "状态", "反弹日期", "当日反弹", "未销号问题", "责任单位"],
                     *relapses],
            "督导": [["序号", "点位编号", "点位名称", "街道", "社区", "结果", "情况说明", "督导人", "时间", "新增问题"],
                     *inspections],
            ESCALATED: [[t(f"report.cases.col.{c}") for c in ESCALATED_COLUMNS], *escalated_rows],
            UNITS: [[t(f"report.cases.col.{c}") for c in UNIT_COLUMNS], *unit_rows],
        },
        "problem_photos": problem_photos,
    }
    out["cases"] = {"escalated": out["sheets"][ESCALATED], "units": out["sheets"][UNITS]}
    return out


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


def _progress_row(name: str, counts: dict, keys: list[str], campaign: Campaign) -> list:
    total = sum(counts.values())
    done = sum(v for k, v in counts.items() if k in campaign.done_statuses)
    return [name, *(counts.get(k, 0) for k in keys), total, done, round(100 * done / total, 1) if total else 0.0]


# --- XLSX ----------------------------------------------------------------------

def build_xlsx(data: dict) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from geo.exchange.cells import text_row

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
            ws.append(["(无)"])
    ws = wb.worksheets[0]
    ws.insert_rows(1, 2)
    ws["A1"] = f"{data['title']} 日报 {data['day']}(数据截至 {data['as_of']})"
    ws["A1"].data_type = "s"  # the campaign's title, as text whatever it starts with
    ws["A1"].font = Font(bold=True, size=14)
    ws.freeze_panes = "A4"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# --- PDF -----------------------------------------------------------------------

def _summary_lines(data: dict) -> list[str]:
    s = data["summary"]
    return [
        f"点位 {s['places']} 处,已完成 {s['done']} 处,完成率 {100 * s['share_done']:.1f}%",
        f"当日新增问题 {s['opened']} 个,销号 {s['closed']} 个",
        f"逾期 {s['overdue']} 项,过夜 {s['overnight']} 项,反弹点位 {s['relapsed']} 处",
        f"每日随机督导:清单 {s['listed']} 处,已督导 {s['inspected']} 处"
        + (f"(随机种子 {s['seed']})" if s["seed"] is not None else ""),
        t("report.cases.summary", overdue=s["cases_overdue"], escalated=s["escalated"], **s["cases_by_level"]),
    ]


PDF_COLUMNS = {  # which columns of each sheet fit on an A4 page
    "进度": None,
    "问题": [0, 2, 3, 6, 7, 10, 12],
    "逾期": [1, 2, 5, 6, 7, 8, 9],
    "过夜": [1, 2, 5, 6, 8, 9, 10],
    "反弹": [1, 2, 3, 5, 7, 8],
    "督导": [0, 2, 3, 5, 6, 7],
    ESCALATED: [1, 6, 7, 8, 10, 11, 12],
    UNITS: [0, 1, 3, 4, 6, 7, 8],
}


def _cell(value, limit: int = 16) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def build_pdf(data: dict, store: Store | None = None, campaign: Campaign | None = None,
              data_dir: Path | None = None, now: datetime | None = None, *, with_map: bool = True) -> bytes:
    """The report as a PDF: summary and progress, then each list, then the printed map."""
    import matplotlib
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

    from geo.printing.fonts import print_font

    # (title, table rows, lines, the photos beside each row or None)
    pages: list[tuple[str, list[list], list[str], list[list[dict]] | None]] = []
    pages.append((f"{data['title']} 日报 {data['day']}", data["sheets"]["进度"], _summary_lines(data), None))
    photos = data.get("problem_photos") or []
    with_photos = store is not None and campaign is not None and any(photos)
    for name in SHEETS[1:]:
        rows = data["sheets"][name]
        cols = PDF_COLUMNS[name]
        table = [[_cell(r[i]) for i in cols] if cols else r for r in rows]
        body = table[1:] or [["(无)"] + [""] * (len(table[0]) - 1)]
        thumbs = photos if name == "问题" and with_photos else None
        per_page = PHOTO_ROWS if thumbs is not None else PDF_ROWS
        for start in range(0, len(body), per_page):
            more = f"(续 {start // per_page + 1})" if start else ""
            pages.append((f"{name} {data['day']}{more}", [table[0], *body[start:start + per_page]], [],
                          thumbs[start:start + per_page] if thumbs is not None else None))

    map_png, map_note = None, ""
    if with_map and store is not None and campaign is not None and data_dir is not None and now is not None:
        map_png, map_note = _day_map(store, campaign, data_dir, now)
        if data["past"]:
            map_note = (map_note + " " if map_note else "") + "(地图为当前数据)"

    chars = "".join(t + "".join(lines) + "".join(str(c) for row in rows for c in row) for t, rows, lines, _ in pages)
    chars += f"数据截至 {data['as_of']} 第页共当日挂图{map_note}…"
    if with_photos:
        chars += "".join(role_label(role) for role in PROBLEM_ROLES) + t("photo.heading")
    font = FontProperties(fname=str(print_font(chars)))
    a4 = (8.27, 11.69)
    buf = io.BytesIO()
    with matplotlib.rc_context({"pdf.fonttype": 42, "axes.unicode_minus": False, "text.parse_math": False}):
        with PdfPages(buf, metadata={"Title": f"{data['title']} 日报 {data['day']}", "Creator": "Guatu"}) as pdf:
            n_pages = len(pages) + (1 if map_png or map_note else 0)
            for i, (title, rows, lines, thumbs) in enumerate(pages, 1):
                fig = Figure(figsize=a4)
                fig.text(0.07, 0.95, title, fontproperties=font, fontsize=15)
                fig.text(0.07, 0.925, f"数据截至 {data['as_of']}", fontproperties=font, fontsize=9, color="#555")
                y = 0.89
                for line in lines:
                    fig.text(0.07, y, line, fontproperties=font, fontsize=11)
                    y -= 0.025
                if thumbs is None:
                    _table(fig, rows, font, top=y - 0.01)
                else:
                    _photo_table(fig, rows, thumbs, font, store, top=y - 0.01)
                fig.text(0.93, 0.03, f"第 {i} 页 共 {n_pages} 页", fontproperties=font, fontsize=8, ha="right")
                pdf.savefig(fig)
            if map_png or map_note:
                fig = Figure(figsize=a4)
                fig.text(0.07, 0.95, f"当日挂图 {data['day']}", fontproperties=font, fontsize=15)
                if map_note:
                    fig.text(0.07, 0.925, map_note, fontproperties=font, fontsize=9, color="#555")
                if map_png:
                    import matplotlib.image as mpimg

                    ax = fig.add_axes([0.04, 0.05, 0.92, 0.86])
                    ax.imshow(mpimg.imread(io.BytesIO(map_png), format="png"))
                    ax.set_axis_off()
                fig.text(0.93, 0.03, f"第 {n_pages} 页 共 {n_pages} 页", fontproperties=font, fontsize=8, ha="right")
                pdf.savefig(fig)
    return buf.getvalue()


def _table(fig, rows: list[list], font, *, top: float) -> None:
    n = len(rows)
    height = min(top - 0.06, 0.026 * n)
    ax = fig.add_axes([0.05, top - height, 0.9, height])
    ax.set_axis_off()
    table = ax.table(cellText=[[_cell(c) for c in r] for r in rows], loc="upper center", cellLoc="left")
    table.auto_set_font_size(False)
    table.set_fontsize(7.5)
    for (r, _c), cell in table.get_celld().items():
        cell.get_text().set_fontproperties(font)
        cell.get_text().set_fontsize(7.5)
        cell.set_linewidth(0.4)
        if r == 0:
            cell.set_facecolor("#eeeeee")
    table.auto_set_column_width(list(range(len(rows[0]))))
    table.scale(1, 1.0)


PHOTO_TABLE_MM = (12.0, 28.0, 20.0, 17.0, 34.0, 18.0, 12.0)  # the widths of 问题's PDF columns beside thumbnails
THUMB_MM = (13.0, 9.75)  # a thumbnail beside a row: 4:3, its role in small type under it
ROW_MM, HEAD_MM = 14.0, 7.0


def _photo_table(fig, rows: list[list], thumbs: list[list[dict]], font, store: Store, *, top: float) -> None:
    """The problems' list with each row's thumbnails (the `thumb` variant) at its right, drawn in millimetres."""
    from matplotlib.patches import Rectangle

    from geo.printing.labels import wrap
    from geo.printing.photos import picture

    width_mm, height_mm = 210.0, 297.0
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width_mm)
    ax.set_ylim(0, height_mm)
    ax.set_axis_off()
    left = 12.0
    y = top * height_mm
    table_w = sum(PHOTO_TABLE_MM) + ROW_THUMBS * (THUMB_MM[0] + 1.5)
    ax.add_artist(Rectangle((left, y - HEAD_MM), table_w, HEAD_MM, facecolor="#eeeeee", edgecolor="none"))
    for r, row in enumerate(rows):
        height = HEAD_MM if r == 0 else ROW_MM
        x = left
        for width, value in zip(PHOTO_TABLE_MM, row, strict=False):
            text = "\n".join(wrap(str(value), width - 1.5, 7.5, max_lines=1 if r == 0 else 2))
            ax.text(x + 0.8, y - height / 2, text, fontproperties=font, fontsize=7.5, va="center", ha="left",
                    linespacing=1.3)
            x += width
        if r == 0:
            ax.text(x + 0.8, y - height / 2, t("photo.heading"), fontproperties=font, fontsize=7.5, va="center",
                    ha="left")
        if r:
            for entry in thumbs[r - 1] if r - 1 < len(thumbs) else ():
                pic = picture(store, entry, *THUMB_MM, variant="thumb")
                if pic is not None:
                    img = fig.add_axes((x / width_mm, (y - 1.0 - pic.height_mm) / height_mm, pic.width_mm / width_mm,
                                        pic.height_mm / height_mm))
                    img.set_axis_off()
                    img.imshow(pic.pixels, interpolation="none", aspect="auto")
                ax.text(x, y - 1.3 - THUMB_MM[1], role_label(entry["role"]), fontproperties=font, fontsize=5.5,
                        va="top", ha="left", color="#555555")
                x += THUMB_MM[0] + 1.5
        y -= height
        ax.plot([left, left + table_w], [y, y], color="#999999", linewidth=0.4)


def _day_map(store: Store, campaign: Campaign, data_dir: Path, now: datetime) -> tuple[bytes | None, str]:
    """The campaign's printed map (A4 portrait PNG) from geo.printing, or why there is none."""
    try:
        from geo.printing import parse_options, render_print

        options = parse_options({"paper": "A4", "orientation": "portrait", "format": "png", "dpi": "150"}, campaign)
        return render_print(store, campaign, data_dir, options, now).data, ""
    except (GuatuError, ImportError, ValueError) as exc:
        return None, f"地图未能生成:{getattr(exc, 'message', exc)}"

