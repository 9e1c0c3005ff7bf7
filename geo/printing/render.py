"""The printed map: one matplotlib figure per sheet, saved as PDF or PNG.

`render_print` draws the whole layout — title, subtitle and classification,
the map inside a neat line at a stated, true scale, legend with counts, scale
bar, north arrow (true north, allowing for grid convergence), progress table
per sub-district, labels, "as of" time and data source — and returns the file
with the map's geometry (`PrintedMap.pixel`), so callers and tests can find a
place on the sheet.

Drawing is vectorised: the places of one layer and status become one
compound matplotlib `Path` built from shapely's coordinate arrays (ring
starts and ends found with numpy, no loop over features), so a 20 000-place
campaign is a handful of paths. Every string is drawn as text with math
parsing off, so names like ``$\\alpha$`` or ``<b>`` print literally, in the
embedded Noto Sans CJK subset from `geo.printing.fonts`.
"""

from __future__ import annotations

import io
import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import matplotlib
import numpy as np
import shapely
from matplotlib import patheffects
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from geo.config import Campaign
from geo.messages import t
from geo.printing.data import (
    Outlines,
    Projection,
    Selection,
    bbox_extent,
    metric_crs,
    outlines,
    projection_at,
    select,
    transformer,
)
from geo.printing.labels import Box, label_size_mm, place_labels
from geo.printing.layout import MIMETYPES, MM_PER_INCH, PageLayout, PrintOptions, Rect, nice_scale, page_layout
from geo.printing.locator import district_extent, draw_locator
from geo.printing.paths import line_path, outline_path, polygon_path
from geo.printing.sheet import (
    BOUNDARY_STYLES,
    INK,
    OVERDUE,
    Sheet,
    Texts,
    darker,
    draw_footer,
    draw_frame,
    draw_header,
    draw_north_arrow,
    draw_panel,
    draw_scale_bar,
    drawn_levels,
    hatch_colour,
    legend_height,
    street_rows,
)
from geo.printing.strip import draw_strip, strip_photos
from geo.rules import local_now
from geo.store.base import Store

UNKNOWN_STATUS = "#bdbdbd"
HATCHES = ("", "////", "\\\\\\\\", "....", "xxxx", "++++", "oooo", "----", "||||")
FIT_MARGIN = 1.04  # the data fill at most 1/1.04 of the frame at the chosen scale
PLACE_LABEL_MIN_MM = 3.0  # places smaller than this on paper are not named
MAX_PLACE_LABELS = 400
render_lock = threading.RLock()  # matplotlib is not thread-safe; a print takes about a second (an atlas holds it
# across its pages and the fonts embedded at the end, so it is re-entrant)


@dataclass
class PrintedMap:
    """A rendered sheet and where its map lies on it."""

    data: bytes
    options: PrintOptions
    page_mm: tuple[float, float]
    map_rect: Rect  # mm from the bottom-left of the sheet
    extent: tuple[float, float, float, float]  # the map frame in grid metres: xmin, ymin, xmax, ymax
    crs: str
    scale: int
    counts: dict[str, int]
    overdue: int
    streets: list[tuple[str, int, int]]  # (sub-district, places, done) as in the table
    labels: list[str] = field(default_factory=list)
    filename: str = "guatu-map.pdf"
    photos: list[str] = field(default_factory=list)  # ids of the photos in the strip, left to right
    locator: Box | None = None  # where the locator inset is on the sheet (mm from the bottom left), if drawn

    @property
    def mimetype(self) -> str:
        return MIMETYPES[self.options.format]

    def page_position(self, lon: float, lat: float) -> tuple[float, float]:
        """Where a WGS84 point prints: mm from the sheet's left and top edges."""
        x, y = transformer(self.crs).transform(lon, lat)
        xmin, ymin, xmax, ymax = self.extent
        r = self.map_rect
        px = r.x + (x - xmin) / (xmax - xmin) * r.w
        py = r.y + (y - ymin) / (ymax - ymin) * r.h
        return px, self.page_mm[1] - py

    def pixel(self, lon: float, lat: float, dpi: float) -> tuple[int, int]:
        """Column and row of a WGS84 point in a raster of the sheet at `dpi`."""
        x, y = self.page_position(lon, lat)
        return int(x / MM_PER_INCH * dpi), int(y / MM_PER_INCH * dpi)


def status_hatches(campaign: Campaign) -> dict[str, str]:
    """One hatch pattern per status, in configuration order (the lightest status plain)."""
    return {s.key: HATCHES[i % len(HATCHES)] for i, s in enumerate(campaign.statuses)}


MARK_COLOUR = "#1565c0"  # numbered marks (the day's inspection route): a blue no status uses
Mark = tuple[str, float, float]  # (text, lon, lat): a numbered circle at a WGS84 point


def render_print(store: Store, campaign: Campaign, data_dir: Path, options: PrintOptions, now: datetime, *,
                 marks: Sequence[Mark] = (), route_from: tuple[float, float] | None = None,
                 page_label: str | None = None, pdf_pages=None, font_chars: str = "") -> PrintedMap:
    """Draw the sheet described by `options` and return it as PDF or PNG bytes; `marks` are drawn on top
    as numbered circles (the inspection route sheet's points) and, with `route_from` ([lon, lat] of the
    route's start), joined in their order by a line with arrows from a start mark; `page_label` in the
    footer's middle (an atlas's 第 3 页 / 共 12 页). With `pdf_pages` (matplotlib's PdfPages, an atlas being
    written) the sheet is added to it as one more page and `data` is empty; `font_chars` go into the sheet's
    font subset (an atlas's shared characters)."""
    crs = metric_crs(campaign)
    selection = select(store, campaign, options, crs, now)
    levels = {b.level for b in campaign.boundaries}
    bounds = {lvl: outlines(data_dir, campaign, lvl, crs) for lvl in ("district", "street", "community") if lvl in levels}
    layout = page_layout(options, legend_height(len(campaign.statuses), len(drawn_levels(bounds))))

    extent, scale, projection = fit_extent(campaign, options, layout, crs, selection, bounds)

    # What is on the sheet: places that touch the frame.
    if len(selection):
        b = shapely.bounds(selection.geoms)
        visible = (b[:, 2] >= extent[0]) & (b[:, 0] <= extent[2]) & (b[:, 3] >= extent[1]) & (b[:, 1] <= extent[3])
        selection = selection.take(visible)

    with render_lock, matplotlib.rc_context(_rc(layout)):
        if options.format == "png":  # exactly round(mm / 25.4 × dpi) pixels (Agg truncates the figure's size)
            size = tuple((px + 0.25) / options.dpi for px in options.pixels)
        else:
            size = (layout.width / MM_PER_INCH, layout.height / MM_PER_INCH)
        fig = Figure(figsize=size, dpi=options.dpi)
        canvas = FigureCanvasAgg(fig)
        fig.patch.set_facecolor("white")
        map_ax = fig.add_axes((layout.map.x / layout.width, layout.map.y / layout.height,
                               layout.map.w / layout.width, layout.map.h / layout.height))
        map_ax.set_xlim(extent[0], extent[2])
        map_ax.set_ylim(extent[1], extent[3])
        map_ax.set_axis_off()
        map_ax.set_zorder(1)
        page = fig.add_axes((0, 0, 1, 1))
        page.set_xlim(0, layout.width)
        page.set_ylim(0, layout.height)
        page.set_axis_off()
        page.set_zorder(2)
        sheet = Sheet(campaign, options, layout, page, map_ax, Texts(font_chars), status_hatches(campaign))

        draw_boundaries(sheet, bounds)
        draw_places(sheet, selection)
        if route_from is not None and marks:
            _draw_route(sheet, route_from, marks, crs)
        furniture = [*_draw_marks(sheet, marks, crs, extent), draw_scale_bar(sheet, scale),
                     draw_north_arrow(sheet, projection.north)]
        locator = None
        if options.locator:
            locator = draw_locator(sheet, bounds, district_extent(bounds, campaign.map.bounds, crs), extent)
            furniture.append(locator)
        placed = _draw_labels(sheet, selection, bounds.get("street"), extent, scale, furniture) if options.labels else []
        counts = Counter(selection.status.tolist())
        draw_frame(sheet)
        streets = street_rows(campaign, selection, bounds.get("street"))
        draw_header(sheet)
        draw_panel(sheet, counts, int(selection.overdue.sum()), streets, bounds)
        draw_footer(sheet, selection, scale, crs, now, page_label)
        photos = draw_strip(sheet, store, strip_photos(store, selection)) if layout.strip else []
        sheet.texts.draw()

        if pdf_pages is not None:
            pdf_pages.savefig(fig)
            data = b""
        else:
            data = _save(canvas, options, options.title or campaign.title, campaign.subtitle, now)
    local = local_now(campaign, now)
    return PrintedMap(
        data=data, options=options, page_mm=(layout.width, layout.height), map_rect=layout.map,
        extent=extent, crs=crs, scale=scale, counts={s.key: counts.get(s.key, 0) for s in campaign.statuses},
        overdue=int(selection.overdue.sum()), streets=streets, labels=placed, photos=photos, locator=locator,
        filename=f"guatu-{options.paper}-{options.orientation}-{local:%Y%m%d-%H%M}.{options.format}",
    )


def fit_extent(campaign: Campaign, options: PrintOptions, layout: PageLayout, crs: str, selection: Selection,
               bounds: dict[str, Outlines]) -> tuple[tuple[float, float, float, float], int, Projection]:
    """The map frame in grid metres and its stated scale, true on the ground at the frame's centre.

    The frame shows the given bbox, else the selected places, else the district,
    else the campaign's bounds, at the roundest scale that fits (or the one asked for).
    """
    if options.bbox:
        box = bbox_extent(options.bbox, crs)
    elif len(selection):
        box = tuple(shapely.total_bounds(selection.geoms))
    elif "district" in bounds and len(bounds["district"].geoms):
        box = tuple(shapely.total_bounds(bounds["district"].geoms))
    else:
        box = bbox_extent(campaign.map.bounds, crs)
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    projection = projection_at(crs, *transformer(crs, inverse=True).transform(cx, cy))
    k = projection.scale_factor  # grid metres per ground metre here
    frame_w, frame_h = layout.map.w / 1000, layout.map.h / 1000  # metres of paper
    needed = max((box[2] - box[0]) / k / frame_w, (box[3] - box[1]) / k / frame_h)
    scale = options.scale or nice_scale(needed * (1.0 if options.bbox else FIT_MARGIN))
    half_w, half_h = frame_w * scale * k / 2, frame_h * scale * k / 2
    return (cx - half_w, cy - half_h, cx + half_w, cy + half_h), scale, projection


def _save(canvas: FigureCanvasAgg, options: PrintOptions, title: str, subject: str, now: datetime) -> bytes:
    buf = io.BytesIO()
    if options.format == "pdf":
        metadata = {"Title": title, "Subject": subject, "Creator": t("print.creator"), "CreationDate": now}
        canvas.figure.savefig(buf, format="pdf", metadata=metadata)
        return buf.getvalue()
    # PNG: RGB (no alpha channel) at a moderate compression level is a third quicker than matplotlib's RGBA.
    canvas.draw()
    rgba = np.asarray(canvas.buffer_rgba())
    info = PngInfo()
    info.add_text("Title", title)
    info.add_text("Software", "Guatu")
    Image.fromarray(rgba[..., :3]).save(buf, format="png", dpi=(options.dpi, options.dpi), compress_level=3, pnginfo=info)
    return buf.getvalue()


def _rc(layout: PageLayout) -> dict:
    return {
        "pdf.fonttype": 42,  # embed TrueType (the subset from geo.printing.fonts), text stays text
        "text.parse_math": False,
        "text.usetex": False,
        "axes.unicode_minus": False,
        "hatch.linewidth": 0.45 * layout.k,
        "path.simplify": True,
        "savefig.facecolor": "white",
        "savefig.bbox": None,
        "savefig.pad_inches": 0,
    }


def draw_boundaries(sheet: Sheet, bounds: dict[str, Outlines]) -> None:
    """Community and sub-district lines under the places, the district outline above them."""
    zorders = {"community": 1.0, "street": 1.1, "district": 4.0}
    for level in drawn_levels(bounds):
        path = outline_path(bounds[level].geoms)
        if path is None:
            continue
        _, width, dashes, colour = BOUNDARY_STYLES[level]
        sheet.map.add_artist(PathPatch(path, facecolor="none", edgecolor=colour, linewidth=width * sheet.layout.k,
                                       linestyle=dashes, zorder=zorders[level], capstyle="round", joinstyle="round"))


def draw_places(sheet: Sheet, sel: Selection) -> None:
    """One filled path per layer and status, lines stroked above, overdue places haloed."""
    k = sheet.layout.k
    colours = {s.key: s.color for s in sheet.campaign.statuses}
    hatch = sheet.options.hatch
    for layer in sheet.campaign.layers:
        in_layer = sel.layer == layer.id
        if not in_layer.any():
            continue
        is_road = "道路" in layer.kinds
        for key in list(colours) + sorted(set(sel.status[in_layer].tolist()) - set(colours)):
            geoms = sel.geoms[in_layer & (sel.status == key)]
            if not len(geoms):
                continue
            colour = colours.get(key, UNKNOWN_STATUS)
            edge = darker(colour, 0.55 if is_road else 0.35)
            fill = polygon_path(geoms)
            if fill is not None:
                sheet.map.add_artist(PathPatch(
                    fill, facecolor=colour, edgecolor=edge, linewidth=(0.35 if is_road else 0.2) * k,
                    hatch=sheet.hatches.get(key) if hatch else None, hatchcolor=hatch_colour(colour),
                    zorder=2.2 if is_road else 2.0, joinstyle="miter"))
            lines = line_path(geoms)
            if lines is not None:
                sheet.map.add_artist(PathPatch(lines, facecolor="none", edgecolor=edge, linewidth=3.2 * k, zorder=2.4,
                                               capstyle="butt"))
                sheet.map.add_artist(PathPatch(lines, facecolor="none", edgecolor=colour, linewidth=2.2 * k, zorder=2.5,
                                               capstyle="butt", linestyle="--" if hatch and sheet.hatches.get(key) else "-"))
            points = shapely.get_coordinates(geoms[np.isin(shapely.get_type_id(geoms), (0, 4))])
            if len(points):
                sheet.map.scatter(points[:, 0], points[:, 1], s=(4 * k) ** 2, c=[colour], edgecolors=[edge],
                                  linewidths=0.5 * k, zorder=2.6,
                                  marker=("o", "s", "^", "D", "v", "p", "h", "*", "P")[list(colours).index(key) % 9]
                                  if key in colours and hatch else "o")
    # Overdue places get a dashed halo drawn *under* their fill: its outer half rings the place,
    # and the status colour stays whole however small the place prints.
    overdue = outline_path(sel.geoms[sel.overdue]) if sel.overdue.any() else None
    if overdue is not None:
        sheet.map.add_artist(PathPatch(overdue, facecolor="none", edgecolor=OVERDUE, linewidth=1.6 * k,
                                       linestyle=(0, (2.0, 1.2)), zorder=1.9, joinstyle="round"))


ROUTE_COLOUR = "#0d47a1"


def _draw_route(sheet: Sheet, start: tuple[float, float], marks: Sequence[Mark], crs: str) -> None:
    """The route as a line from its start (a white square with a blue edge) through the marks in order, an
    arrow halfway along each leg showing the way; under the numbered circles."""
    k = sheet.layout.k
    x, y = transformer(crs).transform([start[0], *(m[1] for m in marks)], [start[1], *(m[2] for m in marks)])
    sheet.map.plot(x, y, color=ROUTE_COLOUR, linewidth=1.2 * k, alpha=0.85, zorder=7, solid_capstyle="round",
                   clip_on=True)
    for x0, y0, x1, y1 in zip(x[:-1], y[:-1], x[1:], y[1:], strict=True):
        if (x0, y0) == (x1, y1):
            continue
        mx, my = (x0 + x1) / 2, (y0 + y1) / 2
        sheet.map.annotate("", xy=(mx + (x1 - x0) * 0.01, my + (y1 - y0) * 0.01), xytext=(mx, my),
                           arrowprops={"arrowstyle": "-|>", "color": ROUTE_COLOUR, "lw": 0.8 * k,
                                       "mutation_scale": 9 * k, "shrinkA": 0, "shrinkB": 0},
                           zorder=7, annotation_clip=True)
    sheet.map.scatter([x[0]], [y[0]], s=(4.0 * k / MM_PER_INCH * 72) ** 2, marker="s", c="white",
                      edgecolors=ROUTE_COLOUR, linewidths=1.2 * k, zorder=8, clip_on=True)


def _draw_marks(sheet: Sheet, marks: Sequence[Mark], crs: str, extent) -> list[Box]:
    """Numbered circles, 4.5 mm across on A4, white numbers in them, above everything on the map; returns
    where they are on the page (mm), for the labels to keep clear of."""
    if not marks:
        return []
    k, r = sheet.layout.k, sheet.layout.map
    x, y = transformer(crs).transform([m[1] for m in marks], [m[2] for m in marks])
    diameter = 4.5 * k
    sheet.map.scatter(x, y, s=(diameter / MM_PER_INCH * 72) ** 2, c=MARK_COLOUR, edgecolors="white",
                      linewidths=0.8 * k, zorder=8, clip_on=True)
    boxes = []
    for (text, _, _), mx, my in zip(marks, x, y, strict=True):
        sheet.texts.add(sheet.map, mx, my, text, sheet.pt(6.5 if len(text) < 3 else 5), bold=True, color="white",
                        ha="center", va="center_baseline", zorder=9, clip_on=True)
        px = r.x + (mx - extent[0]) * r.w / (extent[2] - extent[0])
        py = r.y + (my - extent[1]) * r.h / (extent[3] - extent[1])
        boxes.append(Box(px - diameter / 2, py - diameter / 2, px + diameter / 2, py + diameter / 2))
    return boxes


def _draw_labels(sheet: Sheet, sel: Selection, streets: Outlines | None, extent, scale: int,
                 obstacles: list[Box]) -> list[str]:
    """Sub-district names first, then places by size; drop any that would overlap."""
    layout, r = sheet.layout, sheet.layout.map
    xmin, ymin, xmax, ymax = extent
    to_mm_x = r.w / (xmax - xmin)
    to_mm_y = r.h / (ymax - ymin)
    texts: list[str] = []
    xs: list[np.ndarray] = []
    ys: list[np.ndarray] = []
    sizes: list[float] = []
    street_pt, place_pt = layout.pt(10.5), layout.pt(6.0)
    if streets is not None and len(streets.names):
        texts += streets.names
        xs.append(r.x + (streets.label_points[:, 0] - xmin) * to_mm_x)
        ys.append(r.y + (streets.label_points[:, 1] - ymin) * to_mm_y)
        sizes += [street_pt] * len(streets.names)
    n_streets = len(texts)
    if len(sel):
        b = shapely.bounds(sel.geoms)
        size_mm = np.maximum(b[:, 2] - b[:, 0], b[:, 3] - b[:, 1]) * to_mm_x
        named = np.flatnonzero((size_mm >= PLACE_LABEL_MIN_MM) & (sel.name != ""))
        named = named[np.argsort(-shapely.area(sel.geoms[named]), kind="stable")]
        anchors = shapely.get_coordinates(shapely.point_on_surface(sel.geoms[named]))
        if len(named):
            texts += sel.name[named].tolist()
            xs.append(r.x + (anchors[:, 0] - xmin) * to_mm_x)
            ys.append(r.y + (anchors[:, 1] - ymin) * to_mm_y)
            sizes += [place_pt] * len(named)
    if not texts:
        return []
    wh = np.array([label_size_mm(t, s) for t, s in zip(texts, sizes)])
    frame = Box(r.x + 1, r.y + 1, r.right - 1, r.top - 1)
    kept = place_labels(np.concatenate(xs), np.concatenate(ys), wh[:, 0], wh[:, 1], frame, obstacles,
                        limit=n_streets + MAX_PLACE_LABELS)
    halo = [patheffects.withStroke(linewidth=layout.pt(1.6), foreground="white")]
    out = []
    for i, x, y in kept:
        is_street = i < n_streets
        sheet.texts.add(sheet.page, x, y, texts[i], sizes[i], bold=is_street, ha="center", va="center",
                        color="#4a4a4a" if is_street else INK, path_effects=halo, zorder=5)
        out.append(texts[i])
    return out
