"""The locator inset: a small map of the whole district in a corner of the map frame, with the printed
extent outlined, so a sheet of one sub-district or one route says where in the district it lies.

It sits in the frame's top-left corner (the scale bar holds the bottom left, the north arrow the top right)
and is returned as a `Box` on the page, for the labels to keep clear of it.
"""

from __future__ import annotations

import numpy as np
import shapely
from matplotlib.patches import PathPatch, Rectangle

from geo.printing.data import Outlines, bbox_extent
from geo.printing.labels import Box
from geo.printing.paths import outline_path, polygon_path
from geo.printing.sheet import INK, Sheet

LOCATOR_MM = 34.0  # the inset's longer side on A4, scaled with the paper
LOCATOR_SHARE = 0.3  # and at most this share of the frame's shorter side
EXTENT_COLOUR = "#d32f2f"
AREA_FILL = "#eceff1"


def district_extent(bounds: dict[str, Outlines], campaign_bbox: tuple[float, float, float, float],
                    crs: str) -> tuple[float, float, float, float]:
    """The whole district in grid metres: its outline, else its sub-districts', else the campaign's bounds."""
    for level in ("district", "street", "community"):
        if level in bounds and len(bounds[level].geoms):
            return tuple(shapely.total_bounds(bounds[level].geoms))
    return bbox_extent(campaign_bbox, crs)


def draw_locator(sheet: Sheet, bounds: dict[str, Outlines], whole: tuple[float, float, float, float],
                 extent: tuple[float, float, float, float]) -> Box:
    """The inset, drawn in its own axes above the map; returns where it is on the page (mm)."""
    k, frame = sheet.layout.k, sheet.layout.map
    # the inset shows the district and the printed extent together, with a margin
    x0, y0 = min(whole[0], extent[0]), min(whole[1], extent[1])
    x1, y1 = max(whole[2], extent[2]), max(whole[3], extent[3])
    pad = 0.06 * max(x1 - x0, y1 - y0)
    x0, y0, x1, y1 = x0 - pad, y0 - pad, x1 + pad, y1 + pad
    side = min(LOCATOR_MM * k, LOCATOR_SHARE * min(frame.w, frame.h))
    aspect = (x1 - x0) / (y1 - y0)
    w, h = (side, side / aspect) if aspect >= 1 else (side * aspect, side)
    margin = 3 * k
    box = Box(frame.x + margin, frame.top - margin - h, frame.x + margin + w, frame.top - margin)
    page, fig = sheet.page, sheet.page.figure
    page.add_artist(Rectangle((box.x0 - 0.8 * k, box.y0 - 0.8 * k), w + 1.6 * k, h + 1.6 * k, facecolor="white",
                              edgecolor=INK, linewidth=0.5 * k, zorder=6.5))
    width, height = sheet.layout.width, sheet.layout.height
    ax = fig.add_axes((box.x0 / width, box.y0 / height, w / width, h / height))
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_axis_off()
    ax.set_zorder(3)
    for level, face, edge, lw in (("district", AREA_FILL, "#616161", 0.5), ("street", "none", "#9e9e9e", 0.3)):
        geoms = bounds[level].geoms if level in bounds else np.array([], dtype=object)
        if not len(geoms):
            continue
        fill = polygon_path(geoms) if face != "none" else None
        if fill is not None:
            ax.add_artist(PathPatch(fill, facecolor=face, edgecolor="none"))
        lines = outline_path(geoms)
        if lines is not None:
            ax.add_artist(PathPatch(lines, facecolor="none", edgecolor=edge, linewidth=lw * k))
    if "district" not in bounds or not len(bounds["district"].geoms):
        ax.add_artist(Rectangle((whole[0], whole[1]), whole[2] - whole[0], whole[3] - whole[1], facecolor=AREA_FILL,
                                edgecolor="#616161", linewidth=0.5 * k))
    ax.add_artist(Rectangle((extent[0], extent[1]), extent[2] - extent[0], extent[3] - extent[1], facecolor=EXTENT_COLOUR,
                            alpha=0.18, edgecolor="none"))
    ax.add_artist(Rectangle((extent[0], extent[1]), extent[2] - extent[0], extent[3] - extent[1], facecolor="none",
                            edgecolor=EXTENT_COLOUR, linewidth=1.1 * k))
    return Box(box.x0 - 0.8 * k, box.y0 - 0.8 * k, box.x1 + 0.8 * k, box.y1 + 0.8 * k)
