"""Print options and page geometry: paper, orientation, resolution, scale.

`parse_options` turns request parameters (from `/print?…` or the CLI) into
`PrintOptions`, refusing anything unknown with a `BadPrintParameter` that
names the parameter. `PageLayout` places the page's parts in millimetres
(origin at the bottom left of the sheet): header, map frame, side panel and
footer; `nice_scale` picks the stated scale (1:25 000 …) at which the data fit
the map frame.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from geo.area_names import find_area
from geo.config import Campaign
from geo.dates import BadDate, parse_day
from geo.errors import BadParameter
from geo.messages import t
from geo.parsing import BoolRefused, parse_bool

PAPER_MM = {"A0": (841, 1189), "A1": (594, 841), "A2": (420, 594), "A3": (297, 420), "A4": (210, 297)}
ORIENTATIONS = ("landscape", "portrait")
FORMATS = ("pdf", "png")
MIMETYPES = {"pdf": "application/pdf", "png": "image/png"}
DPIS = (150, 300, 600)
MAX_PIXELS = 150_000_000  # A0 at 300 dpi fits; A0/A1 at 600 dpi would need gigabytes: print those as PDF
SCALE_STEPS = (1, 1.5, 2, 2.5, 3, 4, 5, 6, 7.5)  # round scales: 1:10 000, 1:15 000, 1:20 000, 1:25 000 …
MIN_SCALE, MAX_SCALE = 500, 5_000_000
MM_PER_INCH = 25.4
PT_TO_MM = MM_PER_INCH / 72.0
# Type sizes in points on A4 (scaled by PageLayout.k on larger paper) and their line spacing.
HEADING_PT, HEADING_LINE = 11.0, 1.9
LEGEND_PT, LEGEND_LINE = 9.0, 1.85
TABLE_PT, TABLE_LINE = 8.5, 1.75
STRIP_MM = 36.0  # the photo strip's height on A4: a heading, thumbnails 24 mm high, their captions


BadPrintParameter = BadParameter  # the name the printing code and its tests use


@dataclass(frozen=True)
class PrintOptions:
    paper: str = "A3"
    orientation: str = "landscape"
    format: str = "pdf"
    dpi: int = 150
    layers: tuple[str, ...] = ()  # empty: every layer
    status: frozenset[str] = frozenset()
    street: frozenset[str] = frozenset()
    community: frozenset[str] = frozenset()
    kind: frozenset[str] = frozenset()
    category: frozenset[str] = frozenset()  # places with an open problem of one of these categories
    bbox: tuple[float, float, float, float] | None = None  # west, south, east, north (WGS84)
    scale: int | None = None  # force 1:scale instead of fitting the data
    labels: bool = True
    table: bool = True
    hatch: bool = False
    title: str | None = None
    photos: bool = False  # a strip of the newest 整改后 photos along the bottom
    legend: bool = True  # the legend of statuses (with `table` off as well, the map takes the panel's room)
    locator: bool = False  # a small map of the whole district with the printed extent outlined
    day: date | None = None  # the date printed under the title (the print dialog's 日期); None: none

    @property
    def size_mm(self) -> tuple[float, float]:
        short, long = PAPER_MM[self.paper]
        return (long, short) if self.orientation == "landscape" else (short, long)

    @property
    def pixels(self) -> tuple[int, int]:
        w, h = self.size_mm
        return round(w / MM_PER_INCH * self.dpi), round(h / MM_PER_INCH * self.dpi)

    @property
    def filters(self) -> dict[str, frozenset[str]]:
        """The attribute filters in use, by property name."""
        return {k: v for k, v in (("status", self.status), ("street", self.street), ("community", self.community),
                                  ("kind", self.kind)) if v}


def _values(raw: str) -> frozenset[str]:
    return frozenset(v.strip() for v in re.split(r"[,，]", raw) if v.strip())


def _flag(args: Mapping[str, str], name: str, default: bool) -> bool:
    raw = args.get(name)
    if raw is None:
        return default
    if str(raw).strip() == "":  # `labels=` : the box left empty, as unticked
        return False
    try:
        return parse_bool(str(raw))
    except BoolRefused as exc:
        raise BadPrintParameter(name, str(exc)) from None


def _choice(args: Mapping[str, str], name: str, choices: tuple[str, ...], default: str, *, upper: bool = False) -> str:
    raw = args.get(name)
    if raw is None or str(raw).strip() == "":
        return default
    value = str(raw).strip()
    value = value.upper() if upper else value.lower()
    if value not in choices:
        raise BadPrintParameter(name, t("print.unknown_value", value=repr(raw), choices=", ".join(choices)))
    return value


def _bbox(raw: str, campaign: Campaign) -> tuple[float, float, float, float]:
    parts = [p.strip() for p in str(raw).split(",")]
    try:
        values = [float(p) for p in parts]
    except ValueError:
        values = []
    if len(values) != 4 or not all(math.isfinite(v) for v in values):
        raise BadPrintParameter("bbox", t("print.bbox_form", got=repr(raw)))
    west, south, east, north = values
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        raise BadPrintParameter("bbox", t("print.bbox_order", got=repr(raw)))
    cw, cs, ce, cn = campaign.map.bounds
    if east < cw or west > ce or north < cs or south > cn:
        raise BadPrintParameter("bbox", t("print.bbox_outside", got=repr(raw), area=f"{cw},{cs},{ce},{cn}"))
    return west, south, east, north


AREA_MESSAGES = {  # (parameter, ambiguous): catalogue key
    ("street", False): "print.street_unknown", ("street", True): "print.street_ambiguous",
    ("community", False): "print.community_unknown", ("community", True): "print.community_ambiguous",
}


def _area_names(raw: str, name: str, known: list[str]) -> frozenset[str]:
    """Each typed name resolved as the wall resolves it (geo.area_names); none or several fitting is refused,
    naming the close ones."""
    out = set()
    for typed in _values(raw):
        found = find_area(typed, known)
        if found.name is None:
            offered = found.candidates or tuple(known[:8])
            raise BadPrintParameter(name, t(AREA_MESSAGES[name, found.ambiguous], name=typed,
                                            candidates="、".join(offered) or "—"))
        out.add(found.name)
    return frozenset(out)


def _day(raw: object) -> date | None:
    if raw is None or str(raw).strip() == "":
        return None
    try:
        return parse_day(str(raw).strip())
    except BadDate as exc:
        raise BadPrintParameter("date", str(exc)) from None


def parse_options(args: Mapping[str, str], campaign: Campaign,
                  areas: Mapping[str, Iterable[str]] | None = None) -> PrintOptions:
    """Validate request parameters; raises BadPrintParameter naming the first bad one.

    `areas` (sub-district → its communities, as the wall knows them) resolves `street` and `community`
    as the wall does ("大学路" is 大学路街道); without it the names are taken as written."""
    known = {"paper", "orientation", "format", "dpi", "layers", "status", "street", "community", "kind", "category",
             "bbox", "scale", "labels", "table", "hatch", "title", "photos", "legend", "locator", "date"}
    unknown = sorted(set(args) - known)
    if unknown:
        raise BadPrintParameter(unknown[0], t("print.unknown_parameter", known=", ".join(sorted(known))))
    paper = _choice(args, "paper", tuple(PAPER_MM), "A3", upper=True)
    orientation = _choice(args, "orientation", ORIENTATIONS, "landscape")
    fmt = _choice(args, "format", FORMATS, "pdf")
    dpi_raw = str(args.get("dpi") or "150").strip()
    if not dpi_raw.isdigit() or int(dpi_raw) not in DPIS:
        raise BadPrintParameter("dpi", t("print.dpi", choices=", ".join(map(str, DPIS)), got=repr(dpi_raw)))
    layers = tuple(dict.fromkeys(v.strip() for v in str(args.get("layers") or "").split(",") if v.strip()))
    known_layers = [x.id for x in campaign.layers]
    for layer in layers:
        if layer not in known_layers:
            raise BadPrintParameter("layers", t("store.no_layer", layer=repr(layer), layers=", ".join(known_layers)))
    status = _values(str(args.get("status") or ""))
    for key in status:
        if key not in campaign.status_keys:
            raise BadPrintParameter("status", t("feature.unknown_status", status=repr(key), statuses=", ".join(campaign.status_keys)))
    scale = None
    if args.get("scale"):
        raw = str(args["scale"]).strip().replace(" ", "").removeprefix("1:")
        if not raw.isdigit() or not MIN_SCALE <= int(raw) <= MAX_SCALE:
            raise BadPrintParameter("scale", t("print.scale", minimum=MIN_SCALE, maximum=MAX_SCALE, got=repr(args["scale"])))
        scale = int(raw)
    title = args.get("title")
    if title is not None:
        title = str(title).strip()[:120] or None
    street, community = _values(str(args.get("street") or "")), _values(str(args.get("community") or ""))
    if areas is not None:
        street = _area_names(str(args.get("street") or ""), "street", list(areas))
        communities = list(dict.fromkeys(c for names in areas.values() for c in sorted(names)))
        community = _area_names(str(args.get("community") or ""), "community", communities)
    options = PrintOptions(
        paper=paper, orientation=orientation, format=fmt, dpi=int(dpi_raw), layers=layers, status=status,
        street=street, community=community,
        kind=_values(str(args.get("kind") or "")), category=_values(str(args.get("category") or "")),
        bbox=_bbox(args["bbox"], campaign) if args.get("bbox") else None, scale=scale,
        labels=_flag(args, "labels", True), table=_flag(args, "table", True),
        hatch=_flag(args, "hatch", campaign.printing.hatching), title=title, photos=_flag(args, "photos", False),
        legend=_flag(args, "legend", True), locator=_flag(args, "locator", False), day=_day(args.get("date")),
    )
    if fmt == "png":
        w, h = options.pixels
        if w * h > MAX_PIXELS:
            raise BadPrintParameter(
                "dpi", t("print.too_many_pixels", paper=paper, dpi=options.dpi, width=w, height=h,
                         megapixels=f"{w * h / 1e6:.0f}", maximum=MAX_PIXELS // 1_000_000))
    return options


def nice_scale(needed: float) -> int:
    """The smallest round scale denominator (SCALE_STEPS × 10ⁿ) of at least `needed`."""
    needed = max(float(needed), MIN_SCALE)
    exponent = math.floor(math.log10(needed))
    for power in (exponent, exponent + 1):
        for step in SCALE_STEPS:
            candidate = step * 10 ** power
            if candidate >= needed * (1 - 1e-9):
                return int(round(candidate))
    return int(10 ** (exponent + 1))


def format_scale(denominator: int) -> str:
    """1:25 000 — thousands grouped with a space, as Chinese maps print it."""
    return "1:" + f"{denominator:,}".replace(",", " ")


@dataclass(frozen=True)
class Rect:
    """A rectangle on the sheet, millimetres from the bottom-left corner."""

    x: float
    y: float
    w: float
    h: float

    @property
    def top(self) -> float:
        return self.y + self.h

    @property
    def right(self) -> float:
        return self.x + self.w


@dataclass(frozen=True)
class PageLayout:
    """Where each part of the page goes, and how large text is on this paper."""

    width: float
    height: float
    k: float  # text and line size factor: 1 on A4, about 1.27 per paper size up
    header: Rect
    map: Rect
    panel: Rect
    footer: Rect
    panel_columns: int = 1  # landscape: one column on the right; portrait: a band under the map
    extras: dict = field(default_factory=dict)
    strip: Rect | None = None  # the photo strip along the bottom, when the options ask for one

    def pt(self, size: float) -> float:
        """A type size in points, scaled for the paper."""
        return size * self.k


def page_layout(options: PrintOptions, legend_mm: float = 0.0) -> PageLayout:
    """The parts of the page; `legend_mm` is the legend's height on A4 (portrait sheets make room for it)."""
    width, height = options.size_mm
    k = (min(width, height) / 210.0) ** 0.7
    margin = 10 * k
    header_h = 17 * k
    footer_h = 9 * k
    gap = 4 * k
    inner_w = width - 2 * margin
    top = height - margin
    header = Rect(margin, top - header_h, inner_w, header_h)
    footer = Rect(margin, margin, inner_w, footer_h)
    body_y = footer.top + gap * 0.5
    strip = None
    if options.photos:
        strip = Rect(margin, body_y, inner_w, STRIP_MM * k)
        body_y = strip.top + gap
    body_h = header.y - gap * 0.5 - body_y
    if not options.legend and not options.table:  # no panel: the map takes its room
        map_rect = Rect(margin, body_y, inner_w, body_h)
        return PageLayout(width, height, k, header, map_rect, Rect(margin, body_y, 0, 0), footer, 1, strip=strip)
    if options.orientation == "landscape":
        panel_w = 66 * k
        panel = Rect(width - margin - panel_w, body_y, panel_w, body_h)
        map_rect = Rect(margin, body_y, inner_w - panel_w - gap, body_h)
        columns = 1
    else:
        panel_h = min(max(62.0, legend_mm + 2.0) * k, body_h * 0.45)
        panel = Rect(margin, body_y, inner_w, panel_h)
        map_rect = Rect(margin, body_y + panel_h + gap, inner_w, body_h - panel_h - gap)
        columns = 2
    return PageLayout(width, height, k, header, map_rect, panel, footer, columns, strip=strip)
