"""The campaign configuration (`campaign.json` in the data directory).

Statuses, colours, problem categories, kinds of place, layers, roles and map
settings are data, not code. Their schema (keys, types, ranges, defaults and
meaning) is geo/config_schema.py; `load_campaign` validates the file against
it and says every problem at once, with its JSON path, so a deployment fails
at start-up with a message an IT office can act on. The frozen dataclasses
here (`Campaign` and its parts) are what the rest of the code reads.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import date, time
from functools import cached_property
from pathlib import Path
from zoneinfo import ZoneInfo

from geo import config_schema
from geo.area import DEFAULT_BUFFER_M, BoundsArea, DistrictArea, read_district
from geo.config_schema import BASEMAP_TYPES, DISPLAY_CRS, EXTENSION_PREFIX, GEOMETRY_TYPES, MAX_TILE_ZOOM, nearest, unknown_key_message
from geo.errors import ConfigError
from geo.messages import t

CAMPAIGN_FILE = "campaign.json"
__all__ = ["BASEMAP_TYPES", "CAMPAIGN_FILE", "DISPLAY_CRS", "GEOMETRY_TYPES", "MAX_TILE_ZOOM", "Campaign",
           "ConfigError", "load_campaign", "nearest", "parse_campaign", "unknown_key_message"]


@dataclass(frozen=True)
class Status:
    key: str
    label: str
    color: str
    done: bool = False
    description: str = ""
    hatch: bool = False  # hatched on the wall and the editor's map (a cue besides colour)


@dataclass(frozen=True)
class ProblemStatus:
    key: str
    label: str
    open: bool


@dataclass(frozen=True)
class Role:
    key: str
    label: str


@dataclass(frozen=True)
class Layer:
    id: str
    title: str
    file: str
    geometry_types: tuple[str, ...]
    kinds: tuple[str, ...]
    id_prefix: str


@dataclass(frozen=True)
class Boundary:
    level: str
    title: str
    file: str
    name_field: str = "name"




@dataclass(frozen=True)
class Basemap:
    """One entry of `map.basemaps`; geo/basemaps serves it, web/static/js/basemaps.js draws it."""

    id: str
    title: str
    type: str  # one of BASEMAP_TYPES
    path: str | None = None  # folder, mbtiles, pmtiles: relative to the data directory
    url: str | None = None  # tianditu, amap, xyz: template with {z} {x} {y}, optional {s} and {key}
    key: str | None = field(default=None, repr=False)  # kept server-side; key_env is preferred
    key_env: str | None = None  # name of the environment variable holding the key
    subdomains: tuple[str, ...] = ()
    crs: str = "wgs84"  # one of DISPLAY_CRS: the coordinates the tiles are drawn in
    tms: bool = False  # y counts from the south (TMS); MBTiles always does
    min_zoom: int | None = None  # None: from the archive, or 0
    max_zoom: int | None = None  # None: from the archive, or 18
    attribution: str = ""
    overlay: bool = False  # drawn on top of the chosen basemap (e.g. Tianditu's labels)
    default: bool = False  # shown when the page opens (otherwise the first basemap)
    timeout: float = 5.0  # seconds to wait for an upstream tile server
    cache_days: float = 30.0  # how long a proxied tile is kept on disk (0: not kept)

    @property
    def proxied(self) -> bool:
        """Fetched by the server from another host (the page only ever talks to this server)."""
        return self.url is not None and not self.url.startswith("/")


@dataclass(frozen=True)
class MapSettings:
    center: tuple[float, float]
    zoom: int
    bounds: tuple[float, float, float, float]  # west, south, east, north
    tiles: str | None = None
    tiles_attribution: str = ""
    basemaps: tuple[Basemap, ...] = ()
    viewport_above: int = 20000  # layers with more places are drawn one viewport at a time (geo/viewport.py)
    vector_tiles_from: int | None = None  # … and from this zoom on from vector tiles (geo/tiles.py); None: never


@dataclass(frozen=True)
class NotifySettings:
    """The optional `notify` section: when the clock's notifications fall due (geo/notify/sources.py)."""

    due_soon_hours: float = 4.0  # a stage due within this many hours is told as due soon (0: never)
    digest_at: time = time(8, 0)  # local time of the morning digest
    daily_report_at: time = time(18, 0)  # local time the daily report is announced


@dataclass(frozen=True)
class PrintSettings:
    """The optional `print` section: what every printed map carries."""

    classification: str = ""  # e.g. 内部资料 注意保存, printed at the top right
    hatching: bool = False  # hatch status fills by default (greyscale printers)


@dataclass(frozen=True)
class StatusRule:
    """How a place's status follows its ledger (optional `status_rule` section).

    When a ledger change leaves the place with open problems and its status is
    a done one, the status becomes `when_open`; when it leaves no open problem
    and the status is not done, it becomes `when_all_closed`. Acceptance (a
    done status set by the inspectors) stays a human decision."""

    enabled: bool = False
    when_open: str = "in_progress"
    when_all_closed: str = "rectified"


@dataclass(frozen=True)
class InspectionSettings:
    """The optional `inspections` section: how the daily random inspection list (每日随机地点督导) is drawn.

    A place's weight is `base`, plus `recent_done` if it reached a done status in
    the last `recent_days` days (relapse risk), plus `overdue` if it is overdue,
    plus `relapsed` if it has relapsed before; geo/inspections.py draws with it."""

    count: int = 10  # places per day unless the editor asks for another number
    base: float = 1.0
    recent_done: float = 3.0
    recent_days: int = 14
    overdue: float = 2.0
    relapsed: float = 2.0
    source: str = ""  # found_by of the problems an inspection opens ("" = the first inspection source)
    relapse_status: str = "relapsed"  # the status a relapse sets
    deadline_days: int = 1  # a problem an inspection opens is due this many days later
    route_start: tuple[float, float] | str | None = None  # [lon, lat] or a place id; None: the map's centre

    def weights(self) -> dict:
        return {"base": self.base, "recent_done": self.recent_done, "recent_days": self.recent_days,
                "overdue": self.overdue, "relapsed": self.relapsed}


@dataclass(frozen=True)
class CaseCalendar:
    """Working days and hours (`cases.calendar`): holidays and adjusted working weekends are configured dates."""

    workdays: tuple[int, ...] = (1, 2, 3, 4, 5)  # ISO weekdays
    day_start: time = time(9, 0)
    day_end: time = time(17, 30)
    holidays: frozenset[date] = frozenset()
    working_days: frozenset[date] = frozenset()


@dataclass(frozen=True)
class Urgency:
    key: str
    label: str
    factor: float = 1.0


@dataclass(frozen=True)
class CaseSettings:
    """The optional `cases` section: the case loop's calendar, time limits, urgencies, photos and escalation
    (geo/cases reads it; docs/cases.md)."""

    calendar: CaseCalendar = field(default_factory=CaseCalendar)
    limits: dict = field(default_factory=lambda: {"filed": "4h", "handling": "3d", "verifying": "1d"}, hash=False)
    urgencies: tuple[Urgency, ...] = (Urgency("normal", "一般", 1.0), Urgency("urgent", "紧急", 0.5),
                                      Urgency("critical", "特急", 0.25))
    require_photo_report: bool = True
    require_photo_confirm: bool = True
    escalation_every: str = "1d"
    problem_status: dict = field(default_factory=dict, hash=False)  # stage -> problem status key (filled by parse_campaign)

    def urgency(self, key: str | None) -> Urgency:
        """The urgency `key`, or the first (the default) for None; KeyError for an unknown key."""
        if key is None:
            return self.urgencies[0]
        for u in self.urgencies:
            if u.key == key:
                return u
        raise KeyError(key)


@dataclass(frozen=True)
class Milestone:
    """One entry of `milestones` (时间节点): by `date`, `share_done` of the places should be done."""

    date: str  # YYYY-MM-DD
    share_done: float  # 0..1
    label: str = ""


@dataclass(frozen=True)
class Campaign:
    title: str
    subtitle: str
    district: str
    timezone: ZoneInfo
    overnight_cutoff: time
    statuses: tuple[Status, ...]
    problem_statuses: tuple[ProblemStatus, ...]
    categories: tuple[str, ...]
    roles: tuple[Role, ...]
    layers: tuple[Layer, ...]
    boundaries: tuple[Boundary, ...]
    map: MapSettings
    source: str = ""
    inspection_sources: tuple[str, ...] = ("每日随机督导",)
    status_rule: StatusRule = field(default_factory=StatusRule)
    printing: PrintSettings = field(default_factory=PrintSettings)
    inspections: InspectionSettings = field(default_factory=InspectionSettings)
    milestones: tuple[Milestone, ...] = ()
    pace_days: int = 14  # `progress.pace_days`: the estimated finish follows the pace of the last this many days
    cases: CaseSettings = field(default_factory=CaseSettings)
    notify: NotifySettings = field(default_factory=NotifySettings)
    area_buffer_m: float = DEFAULT_BUFFER_M  # how far outside the district a place may still reach
    extra: dict = field(default_factory=dict, compare=False, repr=False)
    # where places may lie: the district boundary (+ buffer) when the campaign has one, else map.bounds (+ buffer)
    area: DistrictArea | BoundsArea | None = field(default=None, compare=False, repr=False)

    @cached_property
    def write_area(self) -> DistrictArea | BoundsArea:
        """The area every write's geometry must lie in (geo.area)."""
        return self.area if self.area is not None else BoundsArea(self.map.bounds, self.area_buffer_m)

    def status(self, key: str) -> Status:
        for s in self.statuses:
            if s.key == key:
                return s
        raise KeyError(key)

    def layer(self, layer_id: str) -> Layer:
        for layer in self.layers:
            if layer.id == layer_id:
                return layer
        raise KeyError(layer_id)

    # cached: the rules ask for these once per place and problem
    @cached_property
    def status_keys(self) -> tuple[str, ...]:
        return tuple(s.key for s in self.statuses)

    @cached_property
    def done_statuses(self) -> frozenset[str]:
        return frozenset(s.key for s in self.statuses if s.done)

    @cached_property
    def open_problem_statuses(self) -> frozenset[str]:
        return frozenset(p.key for p in self.problem_statuses if p.open)

    def public_dict(self) -> dict:
        """What pages and API clients may know of the configuration."""
        return {
            "title": self.title,
            "subtitle": self.subtitle,
            "district": self.district,
            "source": self.source,
            "timezone": self.timezone.key,
            "overnight_cutoff": self.overnight_cutoff.strftime("%H:%M"),
            "inspection_sources": list(self.inspection_sources),
            "status_rule": self.status_rule.__dict__,
            "statuses": [s.__dict__ for s in self.statuses],
            "problem_statuses": [p.__dict__ for p in self.problem_statuses],
            "categories": list(self.categories),
            "roles": [r.__dict__ for r in self.roles],
            "layers": [
                {"id": x.id, "title": x.title, "geometry_types": list(x.geometry_types), "kinds": list(x.kinds)}
                for x in self.layers
            ],
            "boundaries": [{"level": b.level, "title": b.title} for b in self.boundaries],
            "map": {
                "center": list(self.map.center),
                "zoom": self.map.zoom,
                "bounds": list(self.map.bounds),
            },
        }


def load_campaign(data_dir: Path | str) -> Campaign:
    """Read and validate `campaign.json` in `data_dir`, with its campaign area (the district boundary file,
    read once here; a campaign whose district file is not there yet checks writes against map.bounds)."""
    path = Path(data_dir) / CAMPAIGN_FILE
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(str(path), [t("config.file_not_found")]) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(str(path), [t("config.not_json", detail=str(exc))]) from None
    campaign = parse_campaign(raw, str(path))
    district = next((b for b in campaign.boundaries if b.level == "district"), None)
    if district is None or not (Path(data_dir) / district.file).is_file():
        return campaign
    try:
        area = DistrictArea.of(read_district(Path(data_dir) / district.file), campaign.area_buffer_m)
    except (OSError, ValueError) as exc:
        raise ConfigError(str(path), [t("area.bad_district", file=district.file, reason=exc)]) from None
    return replace(campaign, area=area)


def parse_campaign(raw: dict, path: str = CAMPAIGN_FILE) -> Campaign:
    """The campaign of a parsed campaign.json, checked against its schema (geo/config_schema.py); raises
    ConfigError with every problem and its JSON path."""
    model, problems = config_schema.check(raw)
    if model is None:
        raise ConfigError(path, problems)
    statuses = tuple(Status(key=s.key, label=s.label, color=s.color.lower(), done=s.done, description=s.description,
                            hatch=s.hatch)
                     for s in model.statuses)
    return Campaign(
        title=model.title,
        subtitle=model.subtitle,
        district=model.district,
        source=model.source,
        inspection_sources=tuple(model.inspection_sources),
        timezone=ZoneInfo(model.timezone),
        overnight_cutoff=time.fromisoformat(model.overnight_cutoff),
        statuses=statuses,
        problem_statuses=tuple(ProblemStatus(key=p.key, label=p.label, open=p.open) for p in model.problem_statuses),
        categories=tuple(model.categories),
        roles=tuple(Role(key=r.key, label=r.label) for r in model.roles),
        layers=tuple(Layer(x.id, x.title, x.file or f"layers/{x.id}.geojson", tuple(x.geometry_types),
                           tuple(x.kinds), x.id_prefix or x.id[:1]) for x in model.layers),
        boundaries=tuple(Boundary(level=b.level, title=b.title, file=b.file, name_field=b.name_field)
                         for b in model.boundaries),
        map=_map(model.map),
        status_rule=_status_rule(model.status_rule),
        printing=_print(model.print_),
        inspections=_inspections(model.inspections),
        milestones=tuple(Milestone(date=m.date, share_done=float(m.share_done), label=m.label)
                         for m in model.milestones),
        pace_days=model.progress.pace_days if model.progress else 14,
        area_buffer_m=float(model.area_buffer_m),
        cases=_cases(model.cases, model.problem_statuses),
        notify=_notify(model.notify),
        extra={k: v for k, v in raw.items() if k.startswith(EXTENSION_PREFIX)},
    )


def _cases(section: config_schema.CasesSchema | None, problem_statuses: list) -> CaseSettings:
    section = section or config_schema.CasesSchema()
    cal = section.calendar
    opened = [p.key for p in problem_statuses if p.open]
    closed = next(p.key for p in problem_statuses if not p.open)
    working = "in_progress" if "in_progress" in opened else opened[0]
    mapping = {"filed": opened[0], "handling": working, "verifying": working, "suspended": working, "closed": closed}
    mapping.update(section.problem_status)
    return CaseSettings(
        calendar=CaseCalendar(workdays=tuple(cal.workdays), day_start=time.fromisoformat(cal.day_start),
                              day_end=time.fromisoformat(cal.day_end),
                              holidays=frozenset(date.fromisoformat(d) for d in cal.holidays),
                              working_days=frozenset(date.fromisoformat(d) for d in cal.working_days)),
        limits={"filed": section.limits.filed, "handling": section.limits.handling,
                "verifying": section.limits.verifying},
        urgencies=tuple(Urgency(u.key, u.label, float(u.factor)) for u in section.urgencies),
        require_photo_report=section.require_photo.report, require_photo_confirm=section.require_photo.confirm,
        escalation_every=section.escalation.every, problem_status=mapping,
    )


def _map(m: config_schema.MapSchema) -> MapSettings:
    return MapSettings(
        center=tuple(m.center), zoom=m.zoom or 13, bounds=tuple(m.bounds), tiles=m.tiles,
        tiles_attribution=m.tiles_attribution, basemaps=tuple(_basemap(b) for b in m.basemaps),
        viewport_above=m.viewport_above, vector_tiles_from=m.vector_tiles_from,
    )


def _basemap(b: config_schema.BasemapSchema) -> Basemap:
    local = b.type in ("folder", "mbtiles", "pmtiles")
    fixed_crs = {"tianditu": "wgs84", "amap": "gcj02"}.get(b.type)
    return Basemap(
        id=b.id, title=b.title, type=b.type, path=b.path if local else None, url=None if local else b.url,
        key=b.key, key_env=b.key_env, subdomains=tuple(b.subdomains or ()), crs=b.crs or fixed_crs or "wgs84",
        tms=b.tms, min_zoom=b.min_zoom, max_zoom=b.max_zoom, attribution=b.attribution, overlay=b.overlay,
        default=b.default, timeout=float(b.timeout), cache_days=float(b.cache_days),
    )


def _status_rule(rule: config_schema.StatusRuleSchema | None) -> StatusRule:
    if rule is None or not rule.model_fields_set:  # no section, or an empty one: off
        return StatusRule()
    return StatusRule(enabled=rule.enabled, when_open=rule.when_open, when_all_closed=rule.when_all_closed)


def _notify(section: config_schema.NotifySchema | None) -> NotifySettings:
    section = section or config_schema.NotifySchema()
    return NotifySettings(due_soon_hours=float(section.due_soon_hours), digest_at=time.fromisoformat(section.digest_at),
                          daily_report_at=time.fromisoformat(section.daily_report_at))


def _print(section: config_schema.PrintSchema | None) -> PrintSettings:
    if section is None:
        return PrintSettings()
    return PrintSettings(classification=section.classification.strip(), hatching=section.hatching)


def _inspections(section: config_schema.InspectionsSchema | None) -> InspectionSettings:
    if section is None:
        return InspectionSettings()
    d = InspectionSettings()
    return InspectionSettings(
        count=section.count, base=float(section.base), recent_done=float(section.recent_done),
        recent_days=section.recent_days, overdue=float(section.overdue), relapsed=float(section.relapsed),
        source=section.source or d.source, relapse_status=section.relapse_status or d.relapse_status,
        deadline_days=section.deadline_days,
        route_start=tuple(section.route_start) if isinstance(section.route_start, list) else section.route_start,
    )
