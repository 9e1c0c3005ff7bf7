"""An atlas: one PDF with a cover, an index, then one printed map per sub-district, per community, or per
group of stops of a day's inspection route, each numbered "第 3 页 / 共 12 页" and with a locator inset.

The pages are the ordinary printed map (`render_print`), added one after another to one matplotlib
`PdfPages`, so an atlas costs what its sheets cost and nothing is drawn twice. `sections_by_area` and
`sections_by_route` say what the pages are; `render_atlas` draws them. The route's stops come from the
caller (geo/inspections is above printing): each a dict with `order`, `name` and `point` [lon, lat]; each
route page draws the route's line through its stops in order, and a route of several pages starts with an
overview of the whole line.
"""

from __future__ import annotations

import contextlib
import io
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

import matplotlib
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from geo.boundaries import read_boundaries
from geo.config import Campaign
from geo.errors import BadParameter, NotFound
from geo.messages import MESSAGES, t
from geo.printing.layout import MM_PER_INCH, PrintOptions
from geo.printing.render import Mark, render_lock, render_print
from geo.printing.sheet import CLASSIFICATION, GREY, INK, SHEET_VOCABULARY, Texts
from geo.rules import local_now
from geo.store.base import Store

KIND_KEYS = {"street": "print.atlas.by_street", "community": "print.atlas.by_community", "route": "print.atlas.by_route"}
BY = tuple(KIND_KEYS)
ROUTE_STOPS_PER_PAGE = 8
ROUTE_MIN_SPAN = 0.004  # degrees: a page of stops close together still shows their surroundings
INDEX_ROWS = 26  # index rows per column; two columns a page


@dataclass(frozen=True)
class Section:
    """One page of the atlas: its name in the index, what it prints, and the marks drawn on it."""

    name: str
    group: str  # the index's second column: the sub-district of a community, the stops of a route page
    options: PrintOptions
    marks: tuple[Mark, ...] = ()
    route_from: tuple[float, float] | None = None  # [lon, lat] the route line starts from, through the marks in order


@dataclass
class Atlas:
    data: bytes
    pages: int
    index: list[tuple[str, int]]  # (section name, page number)
    filename: str


def check_by(value: str | None) -> str:
    by = (value or "street").strip().lower()
    if by not in BY:
        raise BadParameter("by", t("print.unknown_value", value=repr(value), choices=", ".join(BY)))
    return by


def sections_by_area(by: str, areas: Mapping[str, set[str]], base: PrintOptions) -> list[Section]:
    """A page per sub-district (in the areas' order) or per community (grouped by sub-district, by name)."""
    if by == "street":
        return [Section(street, "", replace(base, street=frozenset({street}))) for street in areas]
    return [Section(community, street, replace(base, street=frozenset({street}), community=frozenset({community})))
            for street, names in areas.items() for community in sorted(names)]


def sections_by_route(stops: Sequence[dict], base: PrintOptions,
                      start: Sequence[float] | None = None) -> list[Section]:
    """The route in groups of ROUTE_STOPS_PER_PAGE stops in route order, each page framing its group's stops and
    drawing the route's line through them (from `start`, [lon, lat] where the route begins, for the first group;
    from its own first stop for the others: the leg between two pages is on the overview). A route of more than
    one group starts with an overview: the whole route, its line from `start` through every stop in order."""
    placed = [s for s in stops if s.get("point")]
    if not placed:
        return []
    begin = (float(start[0]), float(start[1])) if start else tuple(placed[0]["point"])
    out = []
    for i in range(0, len(placed), ROUTE_STOPS_PER_PAGE):
        group = placed[i:i + ROUTE_STOPS_PER_PAGE]
        name = t("print.atlas.route_stops", first=group[0]["order"], last=group[-1]["order"])
        came_from = begin if i == 0 else tuple(group[0]["point"])  # its start mark hidden under the first circle
        out.append(_route_section(name, "、".join(str(s.get("name") or "") for s in group), group, base, came_from))
    if len(out) > 1:
        whole = _route_section(t("print.atlas.route_overview", n=len(placed)), "", placed, base, begin,
                               frame=[begin] if start else [])
        out.insert(0, whole)
    return out


def _route_section(name: str, group_text: str, group: Sequence[dict], base: PrintOptions,
                   came_from: tuple[float, float], frame: Sequence[Sequence[float]] = ()) -> Section:
    """A page framing `group`'s stops (and the points of `frame`), the route's line from `came_from` through them."""
    points = [s["point"] for s in group] + list(frame)
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    cx, cy = (min(lons) + max(lons)) / 2, (min(lats) + max(lats)) / 2
    half_w = max(max(lons) - min(lons), ROUTE_MIN_SPAN) * 0.6
    half_h = max(max(lats) - min(lats), ROUTE_MIN_SPAN) * 0.6
    marks = tuple((str(s["order"]), s["point"][0], s["point"][1]) for s in group)
    return Section(name, group_text, replace(base, bbox=(cx - half_w, cy - half_h, cx + half_w, cy + half_h)), marks,
                   came_from)


def index_pages(sections: int) -> int:
    return max(1, math.ceil(sections / (2 * INDEX_ROWS)))


def render_atlas(store: Store, campaign: Campaign, data_dir: Path, sections: Sequence[Section], *, by: str, day: date,
                 now: datetime, title: str | None = None) -> Atlas:
    """The cover, the index and a sheet per section, as one PDF."""
    if not sections:
        raise BadParameter("by", t("print.atlas.empty"))
    front = 1 + index_pages(len(sections))
    total = front + len(sections)
    index = [(s.name, front + i + 1) for i, s in enumerate(sections)]
    heading = title or campaign.title
    kind = t(KIND_KEYS[by])
    chars = atlas_chars(store, campaign, data_dir, sections, [heading, kind, *(n for n, _ in index)])
    buf = io.BytesIO()
    metadata = {"Title": heading, "Subject": kind, "Creator": t("print.creator"), "CreationDate": now}
    # fonts are embedded when the file is closed: TrueType subsets (type 42), as every printed sheet
    # one lock for the whole file: the fonts are embedded when PdfPages closes, from matplotlib's shared font cache
    with render_lock, matplotlib.rc_context({"pdf.fonttype": 42}), PdfPages(buf, metadata=metadata) as pdf:
        first = sections[0].options
        _cover(pdf, campaign, first, heading, kind, day, len(sections), total, now, chars)
        _index(pdf, first, sections, index, kind, total, chars)
        for i, section in enumerate(sections):
            options = replace(section.options, title=f"{heading} · {section.name}", day=day, locator=True)
            render_print(store, campaign, data_dir, options, now, marks=section.marks, route_from=section.route_from,
                         page_label=t("print.atlas.page", page=front + i + 1, pages=total), pdf_pages=pdf,
                         font_chars=chars)
    local = local_now(campaign, now)
    return Atlas(buf.getvalue(), total, index, f"guatu-atlas-{by}-{day.isoformat()}-{local:%H%M}.pdf")


def atlas_chars(store: Store, campaign: Campaign, data_dir: Path, sections: Sequence[Section],
                texts: Sequence[str]) -> str:
    """Every character the atlas's pages may print: the sheet's own words, the catalogue's printing texts,
    the campaign's names and labels, every place and boundary name, the sections' names. With it every page
    draws with one font subset (one file, embedded once) instead of subsetting the CJK font page by page."""
    parts = [SHEET_VOCABULARY, campaign.title, campaign.subtitle or "", campaign.source or "", campaign.district or "",
             campaign.printing.classification or "", *texts]
    parts += [texts["zh"] for key, texts in MESSAGES.items() if key.startswith("print.")]
    parts += [s.label for s in campaign.statuses] + [x.title for x in campaign.layers]
    for layer in campaign.layers:
        for f in store.each_feature(layer.id):
            p = f["properties"]
            parts += [str(p.get("name") or ""), str(p.get("street") or ""), str(p.get("community") or "")]
    for level in ("district", "street", "community"):
        with contextlib.suppress(NotFound):
            parts += [str(f["properties"].get("name") or "") for f in read_boundaries(data_dir, campaign, level)]
    parts += [s.name + s.group for s in sections]
    return "".join(sorted(set("".join(parts))))


def _page(options: PrintOptions) -> tuple[Figure, object, float, float, float]:
    width, height = options.size_mm
    fig = Figure(figsize=(width / MM_PER_INCH, height / MM_PER_INCH))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)
    ax.set_axis_off()
    k = (min(width, height) / 210.0) ** 0.7
    return fig, ax, width, height, k


def _cover(pdf: PdfPages, campaign: Campaign, options: PrintOptions, heading: str, kind: str, day: date, sections: int,
           total: int, now: datetime, chars: str) -> None:
    fig, ax, w, h, k = _page(options)
    texts = Texts(chars)
    if campaign.printing.classification:
        texts.add(ax, w - 15 * k, h - 15 * k, campaign.printing.classification, 14 * k, bold=True, ha="right", va="top",
                  color=CLASSIFICATION)
    texts.add(ax, w / 2, h * 0.62, heading, 30 * k, bold=True, ha="center", va="center", color=INK)
    if campaign.subtitle:
        texts.add(ax, w / 2, h * 0.62 - 16 * k, campaign.subtitle, 13 * k, ha="center", va="center", color=GREY)
    texts.add(ax, w / 2, h * 0.45, t("print.atlas.kind", kind=kind, n=sections), 16 * k, bold=True, ha="center",
              va="center", color=INK)
    texts.add(ax, w / 2, h * 0.45 - 12 * k, t("print.sheet.date", day=day.isoformat()), 13 * k, ha="center", va="center",
              color=INK)
    texts.add(ax, w / 2, 18 * k, t("print.atlas.printed", at=f"{local_now(campaign, now):%Y-%m-%d %H:%M}"), 9 * k,
              ha="center", va="bottom", color=GREY)
    texts.add(ax, w / 2, 10 * k, t("print.atlas.page", page=1, pages=total), 9 * k, bold=True, ha="center", va="bottom",
              color=INK)
    ax.plot([w * 0.2, w * 0.8], [h * 0.53] * 2, color=INK, linewidth=1.2 * k)
    texts.draw()
    pdf.savefig(fig)


def _index(pdf: PdfPages, options: PrintOptions, sections: Sequence[Section], index: list[tuple[str, int]], kind: str,
           total: int, chars: str) -> None:
    per_page = 2 * INDEX_ROWS
    for p in range(index_pages(len(sections))):
        fig, ax, w, h, k = _page(options)
        texts = Texts(chars)
        margin = 18 * k
        texts.add(ax, margin, h - margin, t("print.atlas.index", kind=kind), 18 * k, bold=True, ha="left", va="top",
                  color=INK)
        top = h - margin - 16 * k
        row = (top - margin - 10 * k) / INDEX_ROWS
        col_w = (w - 2 * margin) / 2
        chunk = list(zip(sections, index))[p * per_page:(p + 1) * per_page]
        for i, (section, (name, page)) in enumerate(chunk):
            col, r = divmod(i, INDEX_ROWS)
            x0, y = margin + col * col_w, top - r * row
            texts.add(ax, x0, y, name, 10.5 * k, ha="left", va="top", color=INK)
            if section.group:
                texts.add(ax, x0 + col_w * 0.45, y, _shorten(section.group, 18), 8.5 * k, ha="left", va="top", color=GREY)
            texts.add(ax, x0 + col_w - 8 * k, y, t("print.atlas.index_page", page=page), 10.5 * k, bold=True,
                      ha="right", va="top", color=INK)
        texts.add(ax, w / 2, 10 * k, t("print.atlas.page", page=2 + p, pages=total), 9 * k, bold=True, ha="center",
                  va="bottom", color=INK)
        texts.draw()
        pdf.savefig(fig)


def _shorten(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"
