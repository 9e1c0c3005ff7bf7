"""The sheet around the map: texts, header, legend, progress table, scale bar, north arrow, footer.

Everything here is drawn on the page axes, in millimetres from the sheet's
bottom-left corner, with sizes scaled for the paper (`PageLayout.pt`).
Texts are collected first and drawn last (`Texts`), so the embedded font
subset holds exactly the characters the sheet uses; every string is drawn
with math parsing off, so user text prints literally.
"""

from __future__ import annotations

import math
import string
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from matplotlib.colors import to_rgb
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Polygon, Rectangle

from geo.config import Campaign
from geo.messages import MESSAGES, t
from geo.printing.data import Outlines, Selection
from geo.printing.fonts import print_font
from geo.printing.labels import Box
from geo.printing.layout import (
    HEADING_LINE,
    HEADING_PT,
    LEGEND_LINE,
    LEGEND_PT,
    PT_TO_MM,
    TABLE_LINE,
    TABLE_PT,
    PageLayout,
    PrintOptions,
    Rect,
    format_scale,
)
from geo.rules import local_now

INK = "#1d1d1f"
GREY = "#6b6b6b"
OVERDUE = "#d4006a"  # the wall map's overdue outline
CLASSIFICATION = "#b00020"
TZ_NAMES = {"Asia/Shanghai": t("print.sheet.tz.beijing"), "Asia/Chongqing": t("print.sheet.tz.beijing"),
            "Asia/Urumqi": t("print.sheet.tz.urumqi")}
BOUNDARY_STYLES = {  # level: (legend label, line width in points on A4, dashes, colour)
    "district": (t("print.sheet.line.district"), 1.8, "-", "#333333"),
    "street": (t("print.sheet.line.street"), 0.9, (0, (6, 2, 1.5, 2)), "#5c5c5c"),
    "community": (t("print.sheet.line.community"), 0.35, (0, (1.5, 1.5)), "#9a9a9a"),
}


def darker(colour: str, amount: float = 0.35) -> tuple[float, float, float]:
    return tuple(c * (1 - amount) for c in to_rgb(colour))


def hatch_colour(colour: str) -> str:
    """White lines on dark fills, near-black on light ones."""
    r, g, b = to_rgb(colour)
    return "#ffffff" if 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.45 else "#222222"


# The characters of the sheet's own words (the texts written in this module and render.py): an atlas gives
# every page one font subset holding these and every name, so its pages share one embedded font.
SHEET_VOCABULARY = " ".join(
    "".join(literal for literal, *_ in string.Formatter().parse(entry["zh"]))
    for key, entry in MESSAGES.items() if key.startswith("print.sheet.")) + " 、·—% 0123456789 WGS 84 / UTM N S EPSG"


class Texts:
    """Texts are collected first, so the font subset can hold exactly their characters (and `extra`: the
    characters an atlas's pages share, so they use one subset)."""

    def __init__(self, extra: str = "") -> None:
        self.items: list[tuple] = []
        self.extra = extra

    def add(self, ax, x: float, y: float, s: str, size: float, *, bold: bool = False, **kw) -> None:
        self.items.append((ax, x, y, str(s), size, bold, kw))

    def chars(self, bold: bool) -> str:
        return "".join(item[3] for item in self.items if item[5] == bold)

    def draw(self) -> None:
        regular = FontProperties(fname=str(print_font(self.chars(False) + self.chars(True) + self.extra, "regular")))
        bold_text = self.chars(True)
        bold = FontProperties(fname=str(print_font(bold_text + self.extra, "bold"))) if bold_text else regular
        for ax, x, y, s, size, is_bold, kw in self.items:
            ax.text(x, y, s, fontproperties=bold if is_bold else regular, fontsize=size,
                    parse_math=False, usetex=False, **kw)


@dataclass
class Sheet:
    """What the drawing functions share: the campaign, the options, the layout and the two axes."""

    campaign: Campaign
    options: PrintOptions
    layout: PageLayout
    page: object  # the page axes: millimetres, origin bottom left
    map: object  # the map axes: grid metres
    texts: Texts
    hatches: dict[str, str]

    def pt(self, size: float) -> float:
        return self.layout.pt(size)


def draw_scale_bar(sheet: Sheet, scale: int) -> Box:
    """Bottom left inside the frame: alternating bar, distances, and the stated scale."""
    layout, r, k = sheet.layout, sheet.layout.map, sheet.layout.k
    target_m = r.w * 0.2 / 1000 * scale
    power = 10 ** math.floor(math.log10(target_m))
    length = max(s * power for s in (1, 2, 5) if s * power <= target_m)
    bar_mm = length / scale * 1000
    unit, div = (t("print.sheet.km"), 1000) if length >= 1000 else (t("print.sheet.m"), 1)
    x0, y0 = r.x + 5 * k, r.y + 5 * k
    bar_h = 1.6 * k
    label_pt = layout.pt(7)
    box = Box(x0 - 3 * k, y0 - 2.5 * k, x0 + bar_mm + 14 * k, y0 + bar_h + 10 * k)
    page = sheet.page
    page.add_artist(Rectangle((box.x0, box.y0), box.x1 - box.x0, box.y1 - box.y0, facecolor="white", alpha=0.88,
                              edgecolor="none", zorder=3))
    for i in range(4):
        page.add_artist(Rectangle((x0 + i * bar_mm / 4, y0), bar_mm / 4, bar_h, facecolor=INK if i % 2 == 0 else "white",
                                  edgecolor=INK, linewidth=0.4 * k, zorder=4))

    def fmt(v: float) -> str:
        v = v / div
        return f"{v:g}"

    for frac in (0, 0.5, 1):
        sheet.texts.add(page, x0 + frac * bar_mm, y0 + bar_h + 0.8 * k, fmt(length * frac), label_pt,
                        ha="center", va="bottom", color=INK, zorder=5)
    sheet.texts.add(page, x0 + bar_mm + 2.5 * k, y0 + bar_h / 2, unit, label_pt, ha="left", va="center", color=INK, zorder=5)
    sheet.texts.add(page, x0, y0 + bar_h + 5 * k, t("print.sheet.scale", scale=format_scale(scale)), layout.pt(8), bold=True,
                    ha="left", va="bottom", color=INK, zorder=5)
    return box


def draw_north_arrow(sheet: Sheet, north: tuple[float, float]) -> Box:
    """Top right inside the frame, pointing to true north."""
    r, k = sheet.layout.map, sheet.layout.k
    cx, cy = r.right - 9 * k, r.top - 14 * k
    length = 7 * k
    ux, uy = north
    vx, vy = uy, -ux  # to the right of north
    tip = (cx + ux * length, cy + uy * length)
    tail = (cx - ux * length * 0.55, cy - uy * length * 0.55)
    left = (tail[0] - vx * 2.6 * k, tail[1] - vy * 2.6 * k)
    right = (tail[0] + vx * 2.6 * k, tail[1] + vy * 2.6 * k)
    notch = (cx - ux * length * 0.2, cy - uy * length * 0.2)
    page = sheet.page
    box = Box(cx - 5 * k, cy - 6.5 * k, cx + 5 * k, cy + 12.5 * k)
    page.add_artist(Rectangle((box.x0, box.y0), box.x1 - box.x0, box.y1 - box.y0, facecolor="white", alpha=0.88,
                              edgecolor="none", zorder=3))
    page.add_artist(Polygon([tip, left, notch], closed=True, facecolor=INK, edgecolor=INK, linewidth=0.4 * k, zorder=4))
    page.add_artist(Polygon([tip, right, notch], closed=True, facecolor="white", edgecolor=INK, linewidth=0.4 * k, zorder=4))
    sheet.texts.add(page, cx + ux * (length + 3.2 * k), cy + uy * (length + 3.2 * k), t("print.sheet.north"), sheet.layout.pt(10),
                    bold=True,
                    ha="center", va="center", color=INK, zorder=5)
    return box


def draw_frame(sheet: Sheet) -> None:
    """The neat line around the map."""
    r, k = sheet.layout.map, sheet.layout.k
    sheet.page.add_artist(Rectangle((r.x, r.y), r.w, r.h, facecolor="none", edgecolor=INK, linewidth=0.9 * k, zorder=6))


def _scope(campaign: Campaign, options: PrintOptions) -> str:
    """范围: which area and which places the sheet shows, in words."""
    parts = []
    if options.street or options.community:
        parts += sorted(options.street) + sorted(options.community)
    elif campaign.district:
        parts.append(t("print.sheet.view" if options.bbox else "print.sheet.whole", district=campaign.district))
    if options.layers:
        parts.append(t("print.sheet.layers", names="、".join(campaign.layer(x).title for x in options.layers)))
    if options.status:
        labels = {s.key: s.label for s in campaign.statuses}
        parts.append(t("print.sheet.statuses",
                       names="、".join(labels[k] for k in campaign.status_keys if k in options.status)))
    if options.kind:
        parts.append(t("print.sheet.kinds", names="、".join(sorted(options.kind))))
    if options.category:
        parts.append(t("print.sheet.categories", names="、".join(sorted(options.category))))
    return t("print.sheet.scope", parts=" · ".join(parts)) if parts else ""


def draw_header(sheet: Sheet) -> None:
    """Title, subtitle with the scope of the sheet, the classification line, and a rule under them."""
    h, layout, c = sheet.layout.header, sheet.layout, sheet.campaign
    title = sheet.options.title or c.title
    sheet.texts.add(sheet.page, h.x, h.top, title, layout.pt(19), bold=True, ha="left", va="top", color=INK)
    sub = " · ".join(p for p in (c.subtitle, _scope(c, sheet.options)) if p)
    if sub:
        sheet.texts.add(sheet.page, h.x, h.y + 1.0 * layout.k, sub, layout.pt(9.5), ha="left", va="bottom", color="#333333")
    if c.printing.classification:
        sheet.texts.add(sheet.page, h.right, h.top, c.printing.classification, layout.pt(12), bold=True, ha="right",
                        va="top", color=CLASSIFICATION)
    if sheet.options.day:
        sheet.texts.add(sheet.page, h.right, h.y + 1.0 * layout.k, t("print.sheet.date", day=sheet.options.day.isoformat()),
                        layout.pt(9.5), bold=True, ha="right", va="bottom", color=INK)
    sheet.page.plot([h.x, h.right], [h.y - 1.0 * layout.k] * 2, color=INK, linewidth=1.2 * layout.k)


def street_rows(campaign: Campaign, sel: Selection, streets: Outlines | None) -> list[tuple[str, int, int]]:
    """(sub-district, places, done) in the boundary file's order, then any others by name."""
    done = np.isin(sel.status, list(campaign.done_statuses))
    names = sel.street
    order = list(dict.fromkeys((streets.names if streets is not None else []) + sorted(set(names.tolist()))))
    rows = []
    for name in order:
        mask = names == name
        total = int(mask.sum())
        if total:
            rows.append((name or t("print.sheet.no_street"), total, int((mask & done).sum())))
    return rows


def _pct(done: int, total: int) -> str:
    return f"{100 * done / total:.1f}%" if total else "—"


def draw_panel(sheet: Sheet, counts: Counter, overdue: int, streets: list[tuple[str, int, int]],
                bounds: dict[str, Outlines]) -> None:
    p, layout = sheet.layout.panel, sheet.layout
    if not sheet.options.legend:
        if sheet.options.table and streets:
            _draw_table(sheet, Rect(p.x, p.y, p.w if layout.panel_columns == 1 else p.w / 2, p.h), streets)
    elif layout.panel_columns == 1:
        used = _draw_legend(sheet, Rect(p.x, p.y, p.w, p.h), counts, overdue, bounds)
        if sheet.options.table and streets:
            gap = 7 * layout.k
            _draw_table(sheet, Rect(p.x, p.y, p.w, p.h - used - gap), streets)
    else:
        half = (p.w - 8 * layout.k) / 2
        _draw_legend(sheet, Rect(p.x, p.y, half, p.h), counts, overdue, bounds)
        if sheet.options.table and streets:
            _draw_table(sheet, Rect(p.right - half, p.y, half, p.h), streets)


def _draw_legend(sheet: Sheet, r: Rect, counts: Counter, overdue: int, bounds: dict[str, Outlines]) -> float:
    """Every status with its swatch and count, overdue, totals and boundary symbols; returns the height used."""
    layout, k, page = sheet.layout, sheet.layout.k, sheet.page
    body_pt = layout.pt(LEGEND_PT)
    row = body_pt * PT_TO_MM * LEGEND_LINE
    y = r.top
    sheet.texts.add(page, r.x, y, t("print.sheet.legend"), layout.pt(HEADING_PT), bold=True, ha="left", va="top", color=INK)
    y -= layout.pt(HEADING_PT) * PT_TO_MM * HEADING_LINE
    sw_w, sw_h = 8 * k, row * 0.62
    for s in sheet.campaign.statuses:
        yc = y - row / 2
        page.add_artist(Rectangle((r.x, yc - sw_h / 2), sw_w, sw_h, facecolor=s.color, edgecolor=darker(s.color, 0.45),
                                  linewidth=0.5 * k, hatch=sheet.hatches.get(s.key) if sheet.options.hatch else None,
                                  hatchcolor=hatch_colour(s.color)))
        sheet.texts.add(page, r.x + sw_w + 2.5 * k, yc, s.label, body_pt, ha="left", va="center", color=INK)
        sheet.texts.add(page, r.right, yc, str(counts.get(s.key, 0)), body_pt, bold=True, ha="right", va="center", color=INK)
        y -= row
    yc = y - row / 2
    page.add_artist(Rectangle((r.x, yc - sw_h / 2), sw_w, sw_h, facecolor="white", edgecolor=OVERDUE, linewidth=0.9 * k,
                              linestyle=(0, (2.5, 1.5))))
    sheet.texts.add(page, r.x + sw_w + 2.5 * k, yc, t("print.sheet.overdue_ring"), body_pt, ha="left", va="center", color=INK)
    sheet.texts.add(page, r.right, yc, str(overdue), body_pt, bold=True, ha="right", va="center", color=OVERDUE)
    y -= row
    total = sum(counts.values())
    done = sum(counts.get(key, 0) for key in sheet.campaign.done_statuses)
    page.plot([r.x, r.right], [y - row * 0.2] * 2, color=GREY, linewidth=0.4 * k)
    y -= row * 0.35
    sheet.texts.add(page, r.x, y - row / 2, t("print.sheet.total", total=total, done=done, share=_pct(done, total)),
                    body_pt, bold=True,
                    ha="left", va="center", color=INK)
    y -= row * 1.3
    small_pt = layout.pt(8)
    for level in drawn_levels(bounds):
        label, width, dashes, colour = BOUNDARY_STYLES[level]
        yc = y - row * 0.4
        page.plot([r.x, r.x + sw_w], [yc, yc], color=colour, linewidth=width * k, linestyle=dashes)
        sheet.texts.add(page, r.x + sw_w + 2.5 * k, yc, label, small_pt, ha="left", va="center", color=INK)
        y -= row * 0.8
    return r.top - y


def drawn_levels(bounds: dict[str, Outlines]) -> list[str]:
    """Boundary levels that have outlines to draw, outermost first."""
    return [level for level in BOUNDARY_STYLES if level in bounds and len(bounds[level].geoms)]


def legend_height(statuses: int, symbols: int) -> float:
    """The legend's height in millimetres on A4, as `_draw_legend` draws it."""
    row = LEGEND_PT * PT_TO_MM * LEGEND_LINE
    return HEADING_PT * PT_TO_MM * HEADING_LINE + (statuses + 1 + 0.35 + 1.3 + 0.8 * symbols) * row


def _draw_table(sheet: Sheet, r: Rect, streets: list[tuple[str, int, int]]) -> None:
    """Progress per sub-district: places, done, share done; rows that do not fit are summed up."""
    layout, k, page = sheet.layout, sheet.layout.k, sheet.page
    body_pt = layout.pt(TABLE_PT)
    row = body_pt * PT_TO_MM * TABLE_LINE
    head_h = layout.pt(HEADING_PT) * PT_TO_MM * HEADING_LINE
    if r.h < head_h + 3 * row:
        return
    y = r.top
    sheet.texts.add(page, r.x, y, t("print.sheet.streets"), layout.pt(HEADING_PT), bold=True, ha="left", va="top", color=INK)
    y -= head_h
    cols = (r.x, r.x + r.w * 0.58, r.x + r.w * 0.78, r.right)
    heads = (t(f"print.sheet.col.{c}") for c in ("street", "total", "done", "share"))
    for x, text, ha in zip(cols, heads, ("left", "right", "right", "right")):
        sheet.texts.add(page, x if ha == "left" else x, y - row / 2, text, body_pt, bold=True, ha=ha, va="center", color=GREY)
    y -= row
    page.plot([r.x, r.right], [y, y], color=GREY, linewidth=0.4 * k)
    fits = int((y - r.y) / row) - 1  # keep a row for the total
    shown = streets if len(streets) <= fits else streets[: max(0, fits - 1)]
    rest = streets[len(shown):]
    if rest:
        shown = shown + [(t("print.sheet.rest", n=len(rest)), sum(n for _, n, _ in rest), sum(d for _, _, d in rest))]
    total = sum(n for _, n, _ in streets)
    done = sum(d for _, _, d in streets)
    for i, (name, n, d) in enumerate(shown + [(t("print.sheet.sum"), total, done)]):
        is_total = i == len(shown)
        if is_total:
            page.plot([r.x, r.right], [y, y], color=GREY, linewidth=0.4 * k)
        yc = y - row / 2
        cells = (name, str(n), str(d), _pct(d, n))
        for x, text, ha in zip(cols, cells, ("left", "right", "right", "right")):
            sheet.texts.add(page, x, yc, text, body_pt, bold=is_total, ha=ha, va="center", color=INK, clip_on=False)
        y -= row


def draw_footer(sheet: Sheet, sel: Selection, scale: int, crs: str, now: datetime, page_label: str | None = None) -> None:
    """数据截至 (the latest change, campaign time), source, scale, coordinate system and print time; an
    atlas's page number in the middle."""
    f, layout, c = sheet.layout.footer, sheet.layout, sheet.campaign
    tz = TZ_NAMES.get(c.timezone.key, c.timezone.key)
    as_of = f"{local_now(c, sel.as_of):%Y-%m-%d %H:%M} {tz}" if sel.as_of else "—"
    printed = f"{local_now(c, now):%Y-%m-%d %H:%M}"
    source = c.source or t("print.sheet.default_source")
    small = layout.pt(7.5)
    sheet.page.plot([f.x, f.right], [f.top, f.top], color=INK, linewidth=0.5 * layout.k)
    sheet.texts.add(sheet.page, f.x, f.top - 1.2 * layout.k, t("print.sheet.as_of", as_of=as_of), layout.pt(9), bold=True,
                    ha="left", va="top",
                    color=INK)
    sheet.texts.add(sheet.page, f.x, f.y, t("print.sheet.source", source=source), small, ha="left", va="bottom", color="#333333")
    zone = crs.split(":")[1]
    sheet.texts.add(sheet.page, f.right, f.top - 1.2 * layout.k, t("print.sheet.scale", scale=format_scale(scale)), layout.pt(9), bold=True,
                    ha="right", va="top", color=INK)
    sheet.texts.add(sheet.page, f.right, f.y,
                    t("print.sheet.crs", zone=f"{int(zone) % 100}{'N' if int(zone) < 32700 else 'S'}", crs=crs,
                      printed=printed),
                    small, ha="right", va="bottom", color="#333333")
    if page_label:
        sheet.texts.add(sheet.page, f.x + f.w / 2, f.top - 1.2 * layout.k, page_label, layout.pt(9), bold=True,
                        ha="center", va="top", color=INK)
