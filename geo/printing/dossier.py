"""一点一档: one place's dossier as an A4 portrait PDF.

`render_dossier` prints, in the campaign's CJK font: the place's name, layer,
sub-district and community; a map inset (the place outlined on the same base
the printed maps draw: boundaries and the neighbouring places in their status
colours); its attributes (status with its colour, kind, deadline, unit,
notes); its 四包一 people; the ledger (category, description, found on,
deadline, responsible, status, closed on); each problem's 整改前 / 整改后 / 核查
photos side by side, captioned with role and time; then the place's other
photos. Blocks flow down the pages and a block that does not fit starts the
next page, so no photo is ever cut; every page ends with its number and when
it was printed (campaign time).

Layout happens first (`_Flow` collects blocks and where they go), drawing
second, so the footer knows the page count and the embedded font subset holds
exactly the characters the document uses (`geo.printing.sheet.Texts`).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import matplotlib
import numpy as np
import orjson
import shapely
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch, Rectangle

from geo.config import Campaign
from geo.messages import t
from geo.printing.data import metric_crs, outlines, project, projection_at, select, transformer
from geo.printing.labels import wrap
from geo.printing.layout import MM_PER_INCH, PT_TO_MM, PrintOptions, Rect, format_scale, nice_scale, page_layout
from geo.printing.photos import Picture, caption, other_photos, picture, problem_photos
from geo.printing.render import draw_boundaries, draw_places, outline_path, render_lock, status_hatches
from geo.printing.sheet import CLASSIFICATION, GREY, INK, TZ_NAMES, Sheet, Texts, darker
from geo.rules import local_now
from geo.store.base import Store

PAGE_W, PAGE_H = 210.0, 297.0
MARGIN = 14.0
BODY_TOP = PAGE_H - 12.0
BODY_BOTTOM = 20.0  # the footer lies below
BODY_W = PAGE_W - 2 * MARGIN
INSET = (96.0, 84.0)  # the map inset, mm
HIGHLIGHT = "#1565c0"  # the place's outline on the inset: a blue no status uses
PHOTO_COLUMNS = 3
PHOTO_GAP = 4.0
PHOTO_BOX_H = 44.0  # a photo's box: a third of the body's width by this height
CAPTION_H = 8.5
LEDGER_COLUMNS = (  # (catalogue key of the heading, width mm, property); the ledger's words as the OGC pages name them
    ("print.dossier.col.category", 24.0, "category"),
    ("print.dossier.col.description", 52.0, "description"),
    ("page.ogc.found_on", 19.0, "found_on"),
    ("print.dossier.col.deadline", 19.0, "deadline"),
    ("page.ogc.responsible", 30.0, "responsible"),
    ("print.dossier.col.status", 18.0, "status"),
    ("page.ogc.closed_on", 20.0, "closed_on"),
)
BODY_PT, SMALL_PT, HEADING_PT = 9.5, 8.0, 12.0
NOTES_BESIDE = 3  # lines of notes that fit beside the inset; longer notes print under it


@dataclass
class Dossier:
    """The printed dossier and what it holds."""

    data: bytes
    filename: str
    pages: int
    photos: list[str] = field(default_factory=list)  # ids of the photos printed, in print order


def _line_h(size_pt: float, spacing: float = 1.45) -> float:
    return size_pt * PT_TO_MM * spacing


class _Page:
    """One page being drawn: a figure, its millimetre axes (origin bottom left) and the document's texts."""

    def __init__(self, texts: Texts) -> None:
        self.fig = Figure(figsize=(PAGE_W / MM_PER_INCH, PAGE_H / MM_PER_INCH))
        self.fig.patch.set_facecolor("white")
        self.ax = self.fig.add_axes((0, 0, 1, 1))
        self.ax.set_xlim(0, PAGE_W)
        self.ax.set_ylim(0, PAGE_H)
        self.ax.set_axis_off()
        self.ax.set_zorder(2)
        self.texts = texts

    def text(self, x: float, y: float, s: str, size: float, *, bold: bool = False, **kw) -> None:
        kw.setdefault("ha", "left")
        kw.setdefault("va", "top")
        kw.setdefault("color", INK)
        self.texts.add(self.ax, x, y, s, size, bold=bold, **kw)

    def rule(self, y: float, *, colour: str = INK, width: float = 0.6, x0: float = MARGIN,
             x1: float = PAGE_W - MARGIN) -> None:
        self.ax.plot([x0, x1], [y, y], color=colour, linewidth=width)

    def axes(self, x: float, y: float, w: float, h: float):
        """A new axes over the rectangle (mm, bottom left at x, y)."""
        ax = self.fig.add_axes((x / PAGE_W, y / PAGE_H, w / PAGE_W, h / PAGE_H))
        ax.set_axis_off()
        return ax

    def image(self, x: float, y_top: float, pic: Picture) -> None:
        """A photo with its top-left corner at (x, y_top), embedded at its own pixels (no resampling)."""
        ax = self.axes(x, y_top - pic.height_mm, pic.width_mm, pic.height_mm)
        ax.imshow(pic.pixels, interpolation="none", aspect="auto")
        self.ax.add_artist(Rectangle((x, y_top - pic.height_mm), pic.width_mm, pic.height_mm, facecolor="none",
                                     edgecolor="#999999", linewidth=0.4))


Draw = Callable[[_Page, float], None]  # draws a block whose top edge is at y (mm)


class _Flow:
    """Blocks placed top-down on pages; a block that does not fit (with what must stay with it) opens a new page."""

    def __init__(self) -> None:
        self.pages: list[list[tuple[float, Draw]]] = [[]]
        self.y = BODY_TOP

    def gap(self, mm: float) -> None:
        self.y -= mm

    def block(self, height: float, draw: Draw, *, keep: float = 0.0) -> None:
        if self.pages[-1] and self.y - height - keep < BODY_BOTTOM:
            self.pages.append([])
            self.y = BODY_TOP
        self.pages[-1].append((self.y, draw))
        self.y -= height


def _local(campaign: Campaign, moment: datetime) -> str:
    return f"{local_now(campaign, moment):%Y-%m-%d %H:%M}"


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "_", name)[:60] or "place"


def render_dossier(store: Store, campaign: Campaign, data_dir: Path, layer_id: str, fid: str,
                   now: datetime) -> Dossier:
    """The dossier (一点一档) of one place as PDF bytes; raises NotFound for an unknown layer or place."""
    layer = store.layer(layer_id)
    feature = store.get(layer_id, fid)
    props = feature["properties"]
    flow = _Flow()
    printed: list[str] = []

    _title(flow, campaign, layer.title, fid, props)
    _inset_and_attributes(flow, store, campaign, data_dir, layer_id, feature, now)
    _people(flow, campaign, props)
    _ledger(flow, campaign, props)
    shown: list[str] = []
    for problem in props.get("problems") or ():
        by_role = problem_photos(feature, problem.get("id"))
        if by_role:
            heading = t("print.dossier.problem_photos", id=problem.get("id") or "", category=problem.get("category") or "",
                        description=problem.get("description") or "")
            columns = [entries for entries in by_role.values()]
            rows = [[col[i] if i < len(col) else None for col in columns] for i in range(max(map(len, columns)))]
            printed += _photo_rows(flow, store, campaign, heading, rows)
            shown += [e["id"] for col in columns for e in col]
    others = other_photos(feature, shown)
    if others:
        rows = [others[i:i + PHOTO_COLUMNS] for i in range(0, len(others), PHOTO_COLUMNS)]
        printed += _photo_rows(flow, store, campaign, t("print.dossier.other_photos", n=len(others)), rows)

    name = props.get("name") or fid
    footer_left = t("print.dossier.footer", title=campaign.title, name=name)
    tz = TZ_NAMES.get(campaign.timezone.key, campaign.timezone.key)
    n_pages = len(flow.pages)
    buf = io.BytesIO()
    texts = Texts()
    with render_lock, matplotlib.rc_context({"pdf.fonttype": 42, "text.parse_math": False, "text.usetex": False,
                                             "axes.unicode_minus": False, "savefig.facecolor": "white"}):
        pages = []
        for number, blocks in enumerate(flow.pages, 1):
            page = _Page(texts)
            for y, draw in blocks:
                draw(page, y)
            page.rule(BODY_BOTTOM - 3.0, colour=GREY, width=0.4)
            page.text(MARGIN, BODY_BOTTOM - 4.5, footer_left, SMALL_PT, color="#333333")
            page.text(PAGE_W - MARGIN, BODY_BOTTOM - 4.5,
                      t("print.dossier.page", page=number, pages=n_pages, printed=_local(campaign, now), tz=tz),
                      SMALL_PT, ha="right", color="#333333")
            pages.append(page)
        texts.draw()
        metadata = {"Title": t("print.dossier.title", name=name), "Subject": campaign.title, "Creator": t("print.creator"),
                    "CreationDate": now}
        with PdfPages(buf, metadata=metadata) as pdf:
            for page in pages:
                pdf.savefig(page.fig)
    local = local_now(campaign, now)
    return Dossier(buf.getvalue(), f"dossier-{_safe(layer_id)}-{_safe(fid)}-{local:%Y%m%d-%H%M}.pdf", n_pages, printed)


def _title(flow: _Flow, campaign: Campaign, layer_title: str, fid: str, props: dict) -> None:
    name = props.get("name") or fid
    where = " · ".join(p for p in (layer_title, props.get("street"), props.get("community"),
                                   t("print.dossier.id", id=fid)) if p)
    name_lines = wrap(name, BODY_W - 40, 18, max_lines=2)
    height = len(name_lines) * _line_h(18, 1.3) + _line_h(10) + 4

    def draw(page: _Page, y: float) -> None:
        page.text(MARGIN, y + 1, t("print.dossier.kicker"), SMALL_PT, color=GREY)
        if campaign.printing.classification:
            page.text(PAGE_W - MARGIN, y + 1, campaign.printing.classification, 10, bold=True, ha="right",
                      color=CLASSIFICATION)
        yy = y - _line_h(SMALL_PT, 1.2)
        for line in name_lines:
            page.text(MARGIN, yy, line, 18, bold=True)
            yy -= _line_h(18, 1.3)
        page.text(MARGIN, yy, where, 10, color="#333333")
        page.rule(yy - _line_h(10) - 0.5, width=1.0)

    flow.block(height + _line_h(SMALL_PT, 1.2), draw)
    flow.gap(4)


def _inset_and_attributes(flow: _Flow, store: Store, campaign: Campaign, data_dir: Path, layer_id: str,
                          feature: dict, now: datetime) -> None:
    props = feature["properties"]
    statuses = {s.key: s for s in campaign.statuses}
    status = statuses.get(props.get("status"))
    x_attr = MARGIN + INSET[0] + 6
    w_attr = PAGE_W - MARGIN - x_attr
    rows = [
        ("print.dossier.kind", props.get("kind")),
        ("print.dossier.street", props.get("street")),
        ("print.dossier.community", props.get("community")),
        ("print.dossier.deadline", props.get("deadline")),
        ("page.ogc.unit", props.get("unit")),
    ]
    notes = wrap(props.get("notes") or "—", w_attr, BODY_PT)
    notes_below = len(notes) > NOTES_BESIDE  # long notes print in full under the inset, across the page
    if not notes_below:
        rows.append(("page.ogc.notes", props.get("notes")))
    inset = _prepare_inset(store, campaign, data_dir, layer_id, feature, now)

    def draw(page: _Page, y: float) -> None:
        _draw_inset(page, inset, Rect(MARGIN, y - INSET[1], INSET[0], INSET[1]))
        yy = y
        page.text(x_attr, yy, t("print.dossier.status"), SMALL_PT, color=GREY)
        yy -= _line_h(SMALL_PT, 1.3)
        colour = status.color if status else "#bdbdbd"
        sw = _line_h(11, 1.0)
        page.ax.add_artist(Rectangle((x_attr, yy - sw), 8, sw, facecolor=colour, edgecolor=darker(colour, 0.45),
                                     linewidth=0.5))
        page.text(x_attr + 10, yy, status.label if status else (props.get("status") or "—"), 11, bold=True)
        yy -= _line_h(11, 1.6)
        for key, value in rows:
            page.text(x_attr, yy, t(key), SMALL_PT, color=GREY)
            yy -= _line_h(SMALL_PT, 1.3)
            for line in wrap(value or "—", w_attr, BODY_PT, max_lines=NOTES_BESIDE if key == "page.ogc.notes" else 1):
                page.text(x_attr, yy, line, BODY_PT)
                yy -= _line_h(BODY_PT)
            yy -= 1.2

    flow.block(INSET[1] + 4 + _line_h(SMALL_PT), draw)
    if notes_below:
        lines = wrap(props.get("notes"), BODY_W, BODY_PT)
        label_h = _line_h(SMALL_PT, 1.3)
        for start in range(0, len(lines), 40):  # a page's worth at a time, so even very long notes flow on
            chunk = lines[start:start + 40]

            def draw_notes(page: _Page, y: float, chunk: list[str] = chunk, first: bool = not start) -> None:
                if first:
                    page.text(MARGIN, y, t("page.ogc.notes"), SMALL_PT, color=GREY)
                top = y - (label_h if first else 0)
                for i, line in enumerate(chunk):
                    page.text(MARGIN, top - i * _line_h(BODY_PT), line, BODY_PT)

            flow.block((label_h if not start else 0) + len(chunk) * _line_h(BODY_PT) + 2, draw_notes)
        flow.gap(2)


@dataclass
class _Inset:
    campaign: Campaign
    extent: tuple[float, float, float, float]
    scale: int
    selection: object
    bounds: dict
    geom: np.ndarray


def _prepare_inset(store: Store, campaign: Campaign, data_dir: Path, layer_id: str, feature: dict,
                   now: datetime) -> _Inset:
    """The inset's frame (the place with room around it, at a round scale) and what lies in it."""
    crs = metric_crs(campaign)
    geom = project(np.array([shapely.from_geojson(orjson.dumps(feature["geometry"]))], dtype=object), crs)
    x0, y0, x1, y1 = shapely.bounds(geom)[0]
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    k = projection_at(crs, *transformer(crs, inverse=True).transform(cx, cy)).scale_factor
    frame_w, frame_h = INSET[0] / 1000, INSET[1] / 1000
    needed = max((x1 - x0) / k / frame_w, (y1 - y0) / k / frame_h) * 1.8
    scale = nice_scale(max(needed, 2000))
    half_w, half_h = frame_w * scale * k / 2, frame_h * scale * k / 2
    extent = (cx - half_w, cy - half_h, cx + half_w, cy + half_h)
    selection = select(store, campaign, PrintOptions(paper="A4", orientation="portrait"), crs, now)
    if len(selection):
        b = shapely.bounds(selection.geoms)
        visible = (b[:, 2] >= extent[0]) & (b[:, 0] <= extent[2]) & (b[:, 3] >= extent[1]) & (b[:, 1] <= extent[3])
        selection = selection.take(visible)
    levels = {b.level for b in campaign.boundaries}
    bounds = {lvl: outlines(data_dir, campaign, lvl, crs) for lvl in ("district", "street", "community") if lvl in levels}
    return _Inset(campaign, extent, scale, selection, bounds, geom)


def _draw_inset(page: _Page, inset: _Inset, r: Rect) -> None:
    options = PrintOptions(paper="A4", orientation="portrait")
    map_ax = page.axes(r.x, r.y, r.w, r.h)
    map_ax.set_xlim(inset.extent[0], inset.extent[2])
    map_ax.set_ylim(inset.extent[1], inset.extent[3])
    map_ax.set_zorder(1)
    map_ax.patch.set_facecolor("#f7f7f4")
    sheet = Sheet(inset.campaign, options, page_layout(options), page.ax, map_ax, page.texts,
                  status_hatches(inset.campaign))
    draw_boundaries(sheet, inset.bounds)
    draw_places(sheet, inset.selection)
    path = outline_path(inset.geom)
    if path is not None:
        map_ax.add_artist(PathPatch(path, facecolor="none", edgecolor="white", linewidth=4.2, zorder=6.9))
        map_ax.add_artist(PathPatch(path, facecolor="none", edgecolor=HIGHLIGHT, linewidth=2.2, zorder=7))
    points = shapely.get_coordinates(inset.geom[np.isin(shapely.get_type_id(inset.geom), (0, 4))])
    if len(points):
        map_ax.scatter(points[:, 0], points[:, 1], s=90, facecolors="none", edgecolors=HIGHLIGHT, linewidths=2, zorder=7)
    page.ax.add_artist(Rectangle((r.x, r.y), r.w, r.h, facecolor="none", edgecolor=INK, linewidth=0.8))
    page.text(r.x + 1.5, r.y + 1.5, t("print.dossier.scale", scale=format_scale(inset.scale)), SMALL_PT, bold=True,
              va="bottom", bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 1.5})


def _people(flow: _Flow, campaign: Campaign, props: dict) -> None:
    """四包一: each of the campaign's roles and who holds it, four to a row."""
    people = props.get("people") or {}
    cells = [(role.label, people.get(role.key) or "—") for role in campaign.roles]
    if not cells:
        return
    per_row = 4
    rows = [cells[i:i + per_row] for i in range(0, len(cells), per_row)]
    head = _line_h(HEADING_PT, 1.5)
    row_h = _line_h(SMALL_PT, 1.3) + _line_h(BODY_PT, 1.5)
    width = BODY_W / per_row

    def draw(page: _Page, y: float) -> None:
        page.text(MARGIN, y, t("print.dossier.people"), HEADING_PT, bold=True)
        yy = y - head
        for row in rows:
            for i, (label, name) in enumerate(row):
                x = MARGIN + i * width
                page.text(x, yy, label, SMALL_PT, color=GREY)
                page.text(x, yy - _line_h(SMALL_PT, 1.3), wrap(name, width - 3, BODY_PT, max_lines=1)[0], BODY_PT)
            yy -= row_h

    flow.block(head + row_h * len(rows), draw)
    flow.gap(3)


def _ledger(flow: _Flow, campaign: Campaign, props: dict) -> None:
    """The problem ledger (台账) as a table; a long one runs on over pages, its heading row repeated."""
    problems = props.get("problems") or []
    plabels = {p.key: p.label for p in campaign.problem_statuses}
    head = _line_h(HEADING_PT, 1.5)
    header_h = _line_h(SMALL_PT, 1.7)
    line = _line_h(SMALL_PT, 1.35)

    def header(page: _Page, y: float) -> None:
        x = MARGIN
        page.ax.add_artist(Rectangle((MARGIN, y - header_h), BODY_W, header_h, facecolor="#eeeeee", edgecolor="none"))
        for key, w, _ in LEDGER_COLUMNS:
            page.text(x + 1, y - header_h / 2, t(key), SMALL_PT, bold=True, va="center", color="#333333")
            x += w

    def title(page: _Page, y: float) -> None:
        page.text(MARGIN, y, t("print.dossier.ledger", n=len(problems)), HEADING_PT, bold=True)
        if problems:
            header(page, y - head)

    if not problems:
        flow.block(head + line * 1.5, lambda page, y: (title(page, y), page.text(MARGIN, y - head, t(
            "print.dossier.no_problems"), BODY_PT, color=GREY)))
        flow.gap(3)
        return
    rows = []
    for p in problems:
        values = {**p, "status": plabels.get(p.get("status"), p.get("status") or "")}
        cells = [wrap(values.get(prop) or "", w - 2, SMALL_PT, max_lines=8 if prop == "description" else 3)
                 for _, w, prop in LEDGER_COLUMNS]
        rows.append(cells)
    first_h = max(len(c) for c in rows[0]) * line + 2
    flow.block(head + header_h, title, keep=first_h)
    page_of_header = len(flow.pages)
    for cells in rows:
        height = max(len(c) for c in cells) * line + 2
        flow.block(height, _ledger_row(cells, height, line))
        if len(flow.pages) != page_of_header:  # the table ran on to a new page: repeat its heading row there
            page_of_header = len(flow.pages)
            top, draw = flow.pages[-1].pop()
            flow.pages[-1].append((top, header))
            flow.pages[-1].append((top - header_h, draw))
            flow.y -= header_h
    flow.gap(5)


def _ledger_row(cells: list[list[str]], height: float, line: float) -> Draw:
    def draw(page: _Page, y: float) -> None:
        x = MARGIN
        for (_, w, _), lines in zip(LEDGER_COLUMNS, cells, strict=True):
            for i, text in enumerate(lines):
                page.text(x + 1, y - 1 - i * line, text, SMALL_PT)
            x += w
        page.rule(y - height, colour="#bbbbbb", width=0.3)
    return draw


def _photo_rows(flow: _Flow, store: Store, campaign: Campaign, heading: str,
                rows: list[list[dict | None]]) -> list[str]:
    """A heading, then rows of photos side by side (three across), each captioned; returns the ids printed."""
    cell_w = (BODY_W - (PHOTO_COLUMNS - 1) * PHOTO_GAP) / PHOTO_COLUMNS
    head_lines = wrap(heading, BODY_W, 10.5, max_lines=2)
    head_h = len(head_lines) * _line_h(10.5, 1.4) + 1.5
    printed: list[str] = []
    laid: list[tuple[float, Draw]] = []
    for row in rows:
        pics = [(e, picture(store, e, cell_w, PHOTO_BOX_H)) if e else (None, None) for e in row]
        pic_h = max((p.height_mm for _, p in pics if p is not None), default=PHOTO_BOX_H / 3)
        height = pic_h + CAPTION_H + 3
        printed += [e["id"] for e, p in pics if e is not None and p is not None]
        laid.append((height, _photo_row(campaign, pics, cell_w, pic_h)))

    def draw_heading(page: _Page, y: float) -> None:
        for i, line in enumerate(head_lines):
            page.text(MARGIN, y - i * _line_h(10.5, 1.4), line, 10.5, bold=True)

    flow.block(head_h, draw_heading, keep=laid[0][0] if laid else 0)
    for height, draw in laid:
        flow.block(height, draw)
    flow.gap(3)
    return printed


def _photo_row(campaign: Campaign, pics: list[tuple[dict | None, Picture | None]], cell_w: float,
               pic_h: float) -> Draw:
    def draw(page: _Page, y: float) -> None:
        for i, (entry, pic) in enumerate(pics):
            if entry is None:
                continue
            x = MARGIN + i * (cell_w + PHOTO_GAP)
            if pic is None:
                page.ax.add_artist(Rectangle((x, y - pic_h), cell_w, pic_h, facecolor="#f2f2f2", edgecolor="#999999",
                                             linewidth=0.4))
                page.text(x + cell_w / 2, y - pic_h / 2, t("print.photo.missing"), SMALL_PT, ha="center", va="center",
                          color=GREY)
            else:
                page.image(x, y, pic)
            yy = y - pic_h - 1.2
            page.text(x, yy, caption(entry, campaign), SMALL_PT, bold=True)
            note = entry.get("caption") or ""
            if note:
                page.text(x, yy - _line_h(SMALL_PT, 1.3), wrap(note, cell_w, 7.0, max_lines=1)[0], 7.0, color="#333333")
    return draw
