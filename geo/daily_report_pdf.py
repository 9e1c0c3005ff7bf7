"""The daily report (日报) as a PDF: a leader's two pages first, then the details, then the day's map.

* page 1: the headline figures (share done, the day's new and closed problems,
  overdue, overnight, relapsed, inspected, escalated cases), the plan's verdict
  (geo/progress.py's milestones) and the sub-districts, worst first;
* page 2: the worst overdue and overnight problems, the escalated cases and the
  day's photos (when there are any), each list saying how many more the details
  hold;
* then the details (问题 with their photos' thumbnails, 逾期, 过夜, 反弹, 督导, 升级督办,
  单位考核, 预计完成; the first `DETAIL_ROWS` of each, the workbook has them all), flowing
  one after the other so no page is empty, and the printed map.

Every table is laid out cell by cell as plain text on pages measured in
millimetres (`_Writer`: each page a list of drawing operations), then drawn
with fpdf2 (`_render`), which places text without measuring it and subsets
the font once to exactly the characters the pages print (`report_font`).
matplotlib drew the same pages in about 1.8 s, laying out and clipping each of
the ~1,500 texts; fpdf2 takes about a tenth of that (bench/bench_daily_report.py).
`report_data` (geo/daily_report.py) is what it prints; the printed map at the
end is geo.printing's PNG. Numbers of figures come first on page 1 so
`pdftotext` reads them.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from PIL import Image

from geo.config import Campaign
from geo.daily_report import (
    ESCALATED,
    ESTIMATES,
    INSPECTED,
    OVERDUE,
    OVERNIGHT,
    PROBLEMS,
    PROGRESS,
    RELAPSED,
    SATISFACTION,
    SHEETS,
    UNITS,
    day_map,
)
from geo.messages import t
from geo.printing.labels import wrap
from geo.printing.photos import role_label
from geo.residents.satisfaction import summary_line
from geo.store.base import Store

A4_MM = (210.0, 297.0)
MARGIN = 14.0
FONT_PT = 7.5
ROW_MM = 5.2
HEAD_MM = 6.0
THUMB_MM = (13.0, 9.75)
THUMB_ROW_MM = 13.5
LEADER_ROWS = 10  # rows of each list on the leader's second page
DETAIL_ROWS = 30  # rows of each list in the details; the workbook (日报 XLSX) holds them all
DAY_PHOTOS = 8  # the day's photos on the leader's second page, at most
PT_MM = 25.4 / 72  # a point in millimetres
CENTRE_EM = 0.38  # a CJK glyph's middle above its baseline, in ems (Noto Sans CJK)
TOP_EM = 0.88  # its top above its baseline
MISSING_GLYPH = "□"  # printed for a character the font lacks

# which columns of each sheet print, and their widths in mm (the rest is in the workbook)
DETAIL_COLUMNS = {
    PROBLEMS: ((0, 14), (2, 40), (6, 26), (7, 62), (12, 20)),
    OVERDUE: ((1, 40), (2, 26), (5, 26), (7, 24), (8, 18)),
    OVERNIGHT: ((1, 40), (2, 26), (5, 26), (8, 24), (9, 18)),
    RELAPSED: ((1, 44), (2, 30), (3, 30), (5, 28), (7, 22)),
    INSPECTED: ((0, 12), (2, 44), (3, 28), (5, 22), (6, 60)),
    # 升级督办: place, problem, stage, unit, due, level, hours late; 单位考核: unit, cases, overdue, escalated, on time,
    # average hours, returned; 预计完成: sub-district, places, done, per day, finish, days late
    ESCALATED: ((1, 34), (6, 40), (7, 16), (8, 24), (10, 26), (11, 20), (12, 14)),
    UNITS: ((0, 44), (1, 16), (3, 16), (4, 16), (6, 22), (7, 22), (8, 20)),
    ESTIMATES: ((0, 40), (1, 18), (2, 18), (4, 22), (5, 28), (6, 22)),
    # 群众满意度: sub-district, community, received and closed today, received, closed and rated in all, 满意,
    # 基本满意, 不满意, the rate in all
    SATISFACTION: ((0, 24), (1, 26), (2, 14), (4, 14), (7, 14), (10, 14), (11, 14), (12, 12), (13, 14), (14, 13),
                   (15, 20)),
}


Op = tuple  # one drawing operation of a page, replayed by `_render`: ("text" | "rect" | "image", ...)


@dataclass
class _Page:
    y: float  # the next free line, mm from the bottom
    ops: list[Op] = field(default_factory=list)
    rules: list[tuple[float, float, float]] = field(default_factory=list)  # (y, x0, x1): drawn in one go


@dataclass
class _Writer:
    """Pages of A4 in millimetres (y from the bottom, as on paper): text, boxes and pictures go on the current
    page, a new one starts when it is full. Nothing is drawn until `_render`, which then knows every character
    the pages print (the font is subset to exactly those) and how many pages there are."""

    heading: str
    as_of: str
    pages: list[_Page] = field(default_factory=list)

    def new_page(self, title: str | None = None) -> _Page:
        page = _Page(A4_MM[1] - MARGIN)
        self.pages.append(page)
        self.text(title or self.heading, 15, dy=8)
        self.text(t("report.pdf.as_of", as_of=self.as_of), 9, color="#555555", dy=7)
        return page

    @property
    def page(self) -> _Page:
        return self.pages[-1] if self.pages else self.new_page()

    def room(self, mm: float) -> None:
        """A new page unless `mm` more fit on this one."""
        if self.page.y - mm < MARGIN + 6:
            self.new_page(t("report.pdf.continued", heading=self.heading))

    def text(self, value: str, size: float, *, x: float = MARGIN, dy: float = 0.0, color: str = "#000000") -> None:
        """A line of text at the current line, which then moves down by `dy` (else 1.6 lines)."""
        page = self.page
        self.put(x, page.y - size * PT_MM, value, size, color)
        page.y -= dy or size * PT_MM * 1.6

    def put(self, x: float, baseline: float, value: str, size: float, color: str = "#000000") -> None:
        """Text with its baseline at (x, baseline) mm, as it is: no wrapping, no measuring."""
        self.page.ops.append(("text", x, baseline, str(value), size, color))

    def put_centred(self, x: float, middle: float, value: str, size: float, color: str = "#000000") -> None:
        """Text whose CJK glyphs are centred vertically on `middle`."""
        self.put(x, middle - CENTRE_EM * size * PT_MM, value, size, color)

    def rect(self, x: float, y: float, w: float, h: float, fill: str, edge: str | None = None) -> None:
        self.page.ops.append(("rect", x, y, w, h, fill, edge))

    def image(self, x: float, y: float, w: float, h: float, pixels) -> None:
        """A picture (RGB array, PNG bytes) in the box whose lower left corner is (x, y)."""
        self.page.ops.append(("image", x, y, w, h, pixels))

    def table(self, title: str, header: list[str], rows: list[list], widths: list[float], *,
              more: str | None = None, thumbs: list[list[dict]] | None = None, store: Store | None = None) -> None:
        """A titled table that continues on the next page with its header again; "无" when it has no rows."""
        self.room(10 + HEAD_MM + ROW_MM)
        self.text(title, 11.5, dy=7)
        if not rows:
            self.text(t("report.pdf.none"), 9, x=MARGIN + 2, dy=7)
            return
        self._header(header, widths, thumbs is not None)
        for i, row in enumerate(rows):
            height = THUMB_ROW_MM if thumbs is not None else ROW_MM
            if self.page.y - height < MARGIN + 6:
                self.new_page(t("report.pdf.continued", heading=title))
                self._header(header, widths, thumbs is not None)
            self._row(row, widths, height, thumbs[i] if thumbs is not None and i < len(thumbs) else None, store)
        if more:
            self.text(more, 8, x=MARGIN + 2, color="#555555", dy=5)
        self.page.y -= 3

    def _header(self, header: list[str], widths: list[float], photos: bool) -> None:
        page = self.page
        total = sum(widths) + (3 * (THUMB_MM[0] + 1.5) if photos else 0)
        self.rect(MARGIN, page.y - HEAD_MM, total, HEAD_MM, "#eeeeee")
        x = MARGIN
        for width, value in zip(widths, header, strict=False):
            self.put_centred(x + 0.8, page.y - HEAD_MM / 2, _fit(value, width), FONT_PT)
            x += width
        if photos:
            self.put_centred(x + 0.8, page.y - HEAD_MM / 2, t("photo.heading"), FONT_PT)
        page.y -= HEAD_MM

    def _row(self, row: list, widths: list[float], height: float, thumbs: list[dict] | None,
             store: Store | None) -> None:
        page = self.page
        x = MARGIN
        for width, value in zip(widths, row, strict=False):
            self.put_centred(x + 0.8, page.y - height / 2, _fit(value, width), FONT_PT)
            x += width
        if thumbs is not None and store is not None:
            _thumbs(self, thumbs, store, x)
            x += 3 * (THUMB_MM[0] + 1.5)
        page.y -= height
        page.rules.append((page.y, MARGIN, x))

    def drawn_text(self) -> str:
        """Every character the pages print, page numbers included."""
        numbers = t("report.pdf.page", page=len(self.pages), pages=len(self.pages)) + "0123456789" + MISSING_GLYPH
        return "".join(op[3] for page in self.pages for op in page.ops if op[0] == "text") + numbers


def _fit(value, width_mm: float) -> str:
    text = "" if value is None else " ".join(str(value).split())  # a cell is one line: newlines, tabs are spaces
    lines = wrap(text, width_mm - 1.6, FONT_PT, max_lines=1)
    line = lines[0] if lines else ""
    return line if line == text else line[:-1] + "…" if len(line) > 1 else line


def _thumbs(w: _Writer, entries: list[dict], store: Store, x: float) -> None:
    from geo.printing.photos import picture

    y = w.page.y
    for entry in entries:
        pic = picture(store, entry, *THUMB_MM, variant="thumb")
        if pic is not None:
            w.image(x, y - 1.0 - pic.height_mm, pic.width_mm, pic.height_mm, pic.pixels)
        w.put(x, y - 1.3 - THUMB_MM[1] - 5.5 * PT_MM * TOP_EM, role_label(entry["role"]), 5.5, "#555555")
        x += THUMB_MM[0] + 1.5


def _columns(name: str, rows: list[list]) -> tuple[list[str], list[list], list[float]]:
    cols = DETAIL_COLUMNS[name]
    header = [rows[0][i] for i, _ in cols]
    return header, [[r[i] for i, _ in cols] for r in rows[1:]], [w for _, w in cols]


def _cases_line(data: dict) -> str:
    """The overdue cases by the level they stand at, and how many went up (升级督办 2 件)."""
    s = data["summary"]
    return t("report.cases.summary", overdue=s["cases_overdue"], escalated=s["escalated"], **s["cases_by_level"])


def _satisfaction_lines(data: dict) -> list[str]:
    """The residents' reports of the day and in all, and the satisfaction rate (geo/residents/satisfaction.py),
    broken to the page's width."""
    if not data.get("satisfaction"):
        return []
    return wrap(summary_line(data["satisfaction"]), A4_MM[0] - 2 * MARGIN, 10.5)


def _verdict_line(plan: dict | None) -> str:
    if not plan:
        return ""
    text = t("report.pdf.plan", planned=f"{100 * plan['share_planned']:.1f}", actual=f"{100 * plan['share_done']:.1f}",
             verdict=t(f"progress.verdict.{plan['verdict']}"))
    nxt = plan.get("next")
    if nxt:
        text += t("report.pdf.plan_next", label=nxt["label"], date=nxt["date"],
                  share=f"{100 * nxt['share_planned']:.0f}", days=nxt.get("days_left", 0))
    return text


def _figures(data: dict) -> list[tuple[str, str]]:
    s = data["summary"]
    return [
        (t("report.pdf.fig.share"), f"{100 * s['share_done']:.1f}%"),
        (t("report.pdf.fig.done"), f"{s['done']}/{s['places']}"),
        (t("report.pdf.fig.opened"), str(s["opened"])),
        (t("report.pdf.fig.closed"), str(s["closed"])),
        (t("page.tag.overdue"), str(s["overdue"])),
        (t("page.tag.overnight"), str(s["overnight"])),
        (t("report.pdf.fig.relapsed"), str(s["relapsed"])),
        (t("report.pdf.fig.inspected"), f"{s['inspected']}/{s['listed']}"),
        (t("report.pdf.escalated"), str(s.get("escalated", 0))),
        (t("satisfaction.figure"), _rate(data)),
    ]


def _rate(data: dict) -> str:
    """The residents' satisfaction rate in all (满意 + 基本满意 over the rated), or a dash while none is rated."""
    rate = (data.get("satisfaction") or {}).get("total", {}).get("all", {}).get("rate")
    return "—" if rate is None else f"{rate:.1f}%"


def _days_photos(data: dict, campaign: Campaign | None) -> list[dict]:
    """The photos of the day's problems taken (else added) on the day, in the campaign's time zone; at most
    `DAY_PHOTOS`."""
    if campaign is None:
        return []
    out, seen = [], set()
    for entry in (e for row in data.get("problem_photos") or () for e in row):
        stamp = entry.get("taken_at") or entry.get("added_at")
        try:
            local = datetime.fromisoformat(str(stamp).replace("Z", "+00:00")).astimezone(campaign.timezone)
        except ValueError:
            continue
        if local.date().isoformat() == data["day"] and entry["id"] not in seen:
            seen.add(entry["id"])
            out.append(entry)
    return out[:DAY_PHOTOS]


def _leader_pages(w: _Writer, data: dict, store: Store | None, campaign: Campaign | None) -> None:
    w.new_page()
    page = w.page
    figures = _figures(data)
    box_w, box_h, per_row = (A4_MM[0] - 2 * MARGIN - 8 * 2) / 5, 19.0, 5
    for i, (label, value) in enumerate(figures):
        col, line = i % per_row, i // per_row
        x = MARGIN + col * (box_w + 4)
        y = page.y - line * (box_h + 4)
        w.rect(x, y - box_h, box_w, box_h, "#f3f6fa", "#c5d0dc")
        w.put(x + 2.5, y - 8.5, value, 17, "#b71c1c" if i in (4, 5) and value != "0" else "#102a43")
        w.put(x + 2.5, y - 15, label, 8, "#444444")
    page.y -= ((len(figures) + per_row - 1) // per_row) * (box_h + 4) + 3
    verdict = _verdict_line(data.get("plan"))
    if verdict:
        w.text(verdict, 10.5, dy=8)
    w.text(_cases_line(data), 10.5, dy=8)
    for line in _satisfaction_lines(data):
        w.text(line, 10.5, dy=6)
    w.page.y -= 2
    progress = data["sheets"][PROGRESS]
    header, body = progress[0], progress[1:]
    streets, total = body[:-1], body[-1:]
    streets = sorted(streets, key=lambda r: (r[-1], r[0]))  # worst (lowest share done) first
    widths = [30.0] + [(A4_MM[0] - 2 * MARGIN - 30.0) / (len(header) - 1)] * (len(header) - 1)
    w.table(t("report.pdf.streets"), header, [*streets, *total], widths)

    w.new_page(t("report.pdf.page2", day=data["day"]))
    for name, title in ((OVERDUE, t("report.pdf.worst_overdue")), (OVERNIGHT, t("report.pdf.worst_overnight")),
                        (ESCALATED, t("report.pdf.escalated"))):
        rows = data["sheets"][name]
        header, body, widths = _columns(name, rows)
        extra = len(body) - LEADER_ROWS
        w.table(title, header, body[:LEADER_ROWS], widths,
                more=t("report.pdf.more", count=extra, sheet=name) if extra > 0 else None)
    photos = _days_photos(data, campaign)
    if photos and store is not None:
        w.room(10 + THUMB_ROW_MM * 2)
        w.text(t("report.pdf.photos"), 11.5, dy=7)
        from geo.printing.photos import picture

        x, size = MARGIN, (40.0, 30.0)
        page = w.page
        for entry in photos:
            if x + size[0] > A4_MM[0] - MARGIN:
                x = MARGIN
                page.y -= size[1] + 6
            pic = picture(store, entry, *size, variant="thumb")
            if pic is not None:
                w.image(x, page.y - pic.height_mm, pic.width_mm, pic.height_mm, pic.pixels)
            w.put(x, page.y - size[1] - 1 - 6.5 * PT_MM * TOP_EM, role_label(entry["role"]), 6.5, "#555555")
            x += size[0] + 4
        page.y -= size[1] + 8


def _details(w: _Writer, data: dict, store: Store | None, with_photos: bool) -> None:
    w.new_page(t("report.pdf.details", day=data["day"]))
    for name in SHEETS[1:]:
        header, body, widths = _columns(name, data["sheets"][name])
        thumbs = data.get("problem_photos") if name == PROBLEMS and with_photos else None
        extra = len(body) - DETAIL_ROWS
        w.table(t("report.pdf.section", sheet=name, count=len(body)), header, body[:DETAIL_ROWS], widths,
                thumbs=thumbs, store=store,
                more=t("report.pdf.more_in_workbook", count=extra, sheet=name) if extra > 0 else None)


def build_pdf(data: dict, store: Store | None = None, campaign: Campaign | None = None,
              data_dir: Path | None = None, now: datetime | None = None, *, with_map: bool = True) -> bytes:
    """The report as a PDF (A4 portrait): the leader's two pages, the details, then the printed map."""
    return _render(layout(data, store, campaign, data_dir, now, with_map=with_map))


def layout(data: dict, store: Store | None = None, campaign: Campaign | None = None,
           data_dir: Path | None = None, now: datetime | None = None, *, with_map: bool = True) -> _Writer:
    """Every page of the report laid out, not yet drawn."""
    with_photos = store is not None and campaign is not None and any(data.get("problem_photos") or ())
    map_png, map_note = None, ""
    if with_map and store is not None and campaign is not None and data_dir is not None and now is not None:
        map_png, map_note = day_map(store, campaign, data_dir, now)
        if data["past"]:
            map_note = (map_note + " " if map_note else "") + t("report.pdf.map_now")

    w = _Writer(t("report.pdf.title", title=data["title"], day=data["day"]), data["as_of"])
    _leader_pages(w, data, store, campaign)
    _details(w, data, store, with_photos)
    if map_png or map_note:
        w.new_page(t("report.pdf.map", day=data["day"]))
        if map_note:
            w.text(map_note, 9, color="#555555")
        if map_png:
            box = (A4_MM[0] * 0.04, A4_MM[1] * 0.05, A4_MM[0] * 0.92, A4_MM[1] * 0.84)
            with Image.open(io.BytesIO(map_png)) as img:
                scale = min(box[2] / img.width, box[3] / img.height)
            width, height = img.width * scale, img.height * scale
            w.image(box[0] + (box[2] - width) / 2, box[1] + (box[3] - height) / 2, width, height, map_png)
    return w


def report_font(w: _Writer) -> Path:
    """The font the report prints with: Noto Sans CJK SC subset to every character its pages draw."""
    from geo.printing.fonts import print_font

    return print_font(w.drawn_text())


def _unprintable(w: _Writer, font: Path) -> dict[int, str]:
    """Characters the pages draw that the CJK font has no glyph for (an emoji in a resident's description):
    printed as □ rather than as nothing; spaces and controls as a space."""
    from fontTools.ttLib import TTFont

    cmap = TTFont(font, lazy=True)["cmap"].getBestCmap()
    return {ord(ch): " " if ch.isspace() or not ch.isprintable() else MISSING_GLYPH
            for ch in set(w.drawn_text()) if ord(ch) not in cmap}


def _render(w: _Writer) -> bytes:
    """Draw the laid-out pages with fpdf2: text as text (pdftotext reads it back), pictures as images."""
    from fpdf import FPDF

    pdf = FPDF(unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.set_title(w.heading)
    pdf.set_creator("Guatu")
    font = report_font(w)
    pdf.add_font("cjk", "", str(font))
    unprintable = _unprintable(w, font)
    total = len(w.pages)
    for number, page in enumerate(w.pages, 1):
        pdf.add_page()
        for op in page.ops:
            if op[0] == "text":
                _, x, baseline, value, size, color = op
                pdf.set_font("cjk", size=size)
                pdf.set_text_color(color)
                pdf.text(x, A4_MM[1] - baseline, value.translate(unprintable) if unprintable else value)
            elif op[0] == "rect":
                _, x, y, width, height, fill, edge = op
                pdf.set_fill_color(fill)
                if edge:
                    pdf.set_draw_color(edge)
                    pdf.set_line_width(0.6 * PT_MM)
                pdf.rect(x, A4_MM[1] - y - height, width, height, style="DF" if edge else "F")
            else:
                _, x, y, width, height, pixels = op
                source = io.BytesIO(pixels) if isinstance(pixels, bytes) else Image.fromarray(pixels)
                pdf.image(source, x, A4_MM[1] - y - height, width, height)
        if page.rules:
            pdf.set_draw_color("#bbbbbb")
            pdf.set_line_width(0.4 * PT_MM)
            for y, x0, x1 in page.rules:
                pdf.line(x0, A4_MM[1] - y, x1, A4_MM[1] - y)
        pdf.set_font("cjk", size=8)
        pdf.set_text_color("#000000")
        label = t("report.pdf.page", page=number, pages=total)
        pdf.text(A4_MM[0] - MARGIN - pdf.get_string_width(label), A4_MM[1] - 8, label)
    return bytes(pdf.output())
