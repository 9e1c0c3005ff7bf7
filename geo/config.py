"""The campaign configuration (`campaign.json` in the data directory).

Statuses, colours, problem categories, kinds of place, layers, roles and map
settings are data, not code. `load_campaign` validates the file and says
every problem at once, with its JSON path, so a deployment fails at start-up
with a message an IT office can act on.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, time
from functools import cached_property
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from geo.area import DEFAULT_BUFFER_M, BoundsArea, DistrictArea, read_district
from geo.errors import ConfigError
from geo.messages import t

CAMPAIGN_FILE = "campaign.json"
GEOMETRY_TYPES = {"Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon"}
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
MAX_TILE_ZOOM = 24


@dataclass(frozen=True)
class Status:
    key: str
    label: str
    color: str
    done: bool = False
    description: str = ""


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


BASEMAP_TYPES = ("folder", "mbtiles", "pmtiles", "tianditu", "amap", "xyz")
DISPLAY_CRS = ("wgs84", "gcj02")  # what the data is drawn in: GCJ-02 on AMap, WGS84 everywhere else
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


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

    def weights(self) -> dict:
        return {"base": self.base, "recent_done": self.recent_done, "recent_days": self.recent_days,
                "overdue": self.overdue, "relapsed": self.relapsed}


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


# The keys each object of campaign.json may hold, by where it is. Any other key is refused at start-up as a
# typo, with the nearest known key suggested (`databse_url`, `viewport_abvoe` would otherwise be silently
# ignored); keys starting with `x_` are free for a campaign's own additions. A key the reader asks for
# (`_Reader.get`) counts as known too.
KNOWN_KEYS: dict[str, frozenset[str]] = {
    "$": frozenset({"title", "subtitle", "district", "source", "timezone", "overnight_cutoff", "inspection_sources",
                    "statuses", "problem_statuses", "categories", "roles", "layers", "boundaries", "map",
                    "status_rule", "print", "inspections", "milestones"}),
    "statuses": frozenset({"key", "label", "color", "done", "description"}),
    "problem_statuses": frozenset({"key", "label", "open"}),
    "roles": frozenset({"key", "label"}),
    "layers": frozenset({"id", "title", "file", "geometry_types", "kinds", "id_prefix"}),
    "boundaries": frozenset({"level", "title", "file", "name_field"}),
    "map": frozenset({"center", "zoom", "bounds", "tiles", "tiles_attribution", "basemaps", "viewport_above"}),
    "basemap": frozenset({"id", "title", "type", "path", "url", "key", "key_env", "subdomains", "crs", "tms",
                          "min_zoom", "max_zoom", "attribution", "overlay", "default", "timeout", "cache_days"}),
    "print": frozenset({"classification", "hatching"}),
    "inspections": frozenset({"count", "base", "recent_done", "recent_days", "overdue", "relapsed", "source",
                              "relapse_status", "deadline_days"}),
    "milestones": frozenset({"date", "share_done", "label"}),
    "status_rule": frozenset({"enabled", "when_open", "when_all_closed"}),
}
EXTENSION_PREFIX = "x_"


def nearest(name: str, known: Iterable[str]) -> str | None:
    """The known name closest to a misspelt one (difflib's ratio ≥ 0.6), or None."""
    found = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
    return found[0] if found else None


def unknown_key_message(where: str, key: str, known: Iterable[str]) -> str:
    """"$.map.viewport_abvoe:未知的设置,是不是要写 viewport_above?" (in the catalogue's words)."""
    suggestion = nearest(key, known)
    if suggestion is None:
        return t("config.unknown_key", where=where, key=key)
    return t("config.unknown_key_suggest", where=where, key=key, suggestion=suggestion)


class _Reader:
    """Collects every problem in the file instead of stopping at the first; remembers which keys it read, so
    that `unknown_keys` can name the ones nobody reads (typos)."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self._objects: list[tuple[dict, str, str]] = []  # (object, its JSON path, its KNOWN_KEYS entry)
        self._read: dict[int, set[str]] = {}

    def fixed(self, obj: object, where: str, kind: str) -> None:
        """`obj` (at `where`) may hold only the keys of KNOWN_KEYS[kind] and those read from it."""
        if isinstance(obj, dict):
            self._objects.append((obj, where, kind))

    def unknown_keys(self) -> None:
        for obj, where, kind in self._objects:
            known = KNOWN_KEYS[kind] | self._read.get(id(obj), set())
            for key in obj:
                if isinstance(key, str) and key not in known and not key.startswith(EXTENSION_PREFIX):
                    self.problems.append(unknown_key_message(where, key, known))

    def get(self, obj: dict, key: str, kind: type | tuple, where: str, default=..., *, required=True):
        if not isinstance(obj, dict):
            self.problems.append(f"{where}: expected an object")
            return default if default is not ... else None
        self._read.setdefault(id(obj), set()).add(key)
        if key not in obj:
            if default is not ...:
                return default
            self.problems.append(f"{where}.{key}: missing")
            return None
        value = obj[key]
        if isinstance(value, bool) and kind in (int, float, (int, float)):
            self.problems.append(f"{where}.{key}: expected a number, got {value!r}")
            return None
        if not isinstance(value, kind):
            name = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
            self.problems.append(f"{where}.{key}: expected {name}, got {type(value).__name__}")
            return None
        return value

    def text(self, obj: dict, key: str, where: str, default=...) -> str | None:
        value = self.get(obj, key, str, where, default)
        if value is not None and value is not default and not value.strip():
            self.problems.append(f"{where}.{key}: must not be empty")
        return value


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
    r = _Reader()
    if not isinstance(raw, dict):
        raise ConfigError(path, [t("config.not_object")])
    r.fixed(raw, "$", "$")

    title = r.text(raw, "title", "$")
    subtitle = r.text(raw, "subtitle", "$", "")
    district = r.text(raw, "district", "$", "")
    source = r.text(raw, "source", "$", "")

    tz_name = r.text(raw, "timezone", "$", "Asia/Shanghai")
    try:
        tz = ZoneInfo(tz_name or "Asia/Shanghai")
    except (ZoneInfoNotFoundError, ValueError):
        r.problems.append(f"$.timezone: unknown time zone {tz_name!r}")
        tz = ZoneInfo("UTC")

    cutoff_text = r.text(raw, "overnight_cutoff", "$", "08:00")
    try:
        cutoff = time.fromisoformat(cutoff_text or "08:00")
    except ValueError:
        r.problems.append(f"$.overnight_cutoff: expected HH:MM, got {cutoff_text!r}")
        cutoff = time(8, 0)

    inspection_sources = tuple(r.get(raw, "inspection_sources", list, "$", ["每日随机督导"]) or ())
    statuses = _statuses(r, raw)
    problem_statuses = _problem_statuses(r, raw)
    categories = _strings(r, raw, "categories")
    roles = tuple(
        Role(key=k, label=lbl)
        for k, lbl in _keyed(r, raw, "roles", ("key", "label"))
    )
    layers = _layers(r, raw)
    boundaries = _boundaries(r, raw)
    map_settings = _map(r, raw)
    status_rule = _status_rule(r, raw, {st.key for st in statuses})
    printing = _print(r, raw)
    inspections = _inspections(r, raw, {st.key for st in statuses})
    milestones = _milestones(r, raw)
    buffer_m = r.get(raw, "area_buffer_m", (int, float), "$", DEFAULT_BUFFER_M)
    if buffer_m is not None and not 0 <= buffer_m <= 50_000:
        r.problems.append(t("area.bad_buffer", value=buffer_m))
    r.unknown_keys()

    if r.problems:
        raise ConfigError(path, list(dict.fromkeys(r.problems)))  # each problem once
    return Campaign(
        title=title,
        subtitle=subtitle,
        district=district,
        source=source,
        inspection_sources=inspection_sources,
        timezone=tz,
        overnight_cutoff=cutoff,
        statuses=statuses,
        problem_statuses=problem_statuses,
        categories=categories,
        roles=roles,
        layers=layers,
        boundaries=boundaries,
        map=map_settings,
        status_rule=status_rule,
        printing=printing,
        inspections=inspections,
        milestones=milestones,
        area_buffer_m=float(DEFAULT_BUFFER_M if buffer_m is None else buffer_m),
        extra={k: v for k, v in raw.items() if k.startswith("x_")},
    )


def _list(r: _Reader, raw: dict, key: str, *, required: bool = True) -> list:
    items = r.get(raw, key, list, "$", ... if required else [])
    if items is None:
        return []
    if required and not items:
        r.problems.append(f"$.{key}: must list at least one entry")
    return items


def _strings(r: _Reader, raw: dict, key: str) -> tuple[str, ...]:
    items = _list(r, raw, key)
    out = []
    for i, item in enumerate(items):
        if not isinstance(item, str) or not item.strip():
            r.problems.append(f"$.{key}[{i}]: expected a non-empty string")
        else:
            out.append(item)
    if len(set(out)) != len(out):
        r.problems.append(f"$.{key}: entries must be unique")
    return tuple(out)


def _keyed(r: _Reader, raw: dict, key: str, fields: tuple[str, ...]) -> list[tuple]:
    out = []
    seen = set()
    for i, item in enumerate(_list(r, raw, key)):
        where = f"$.{key}[{i}]"
        r.fixed(item, where, key)
        values = tuple(r.text(item, f, where) for f in fields)
        k = values[0]
        if k is not None and not _KEY.match(k):
            r.problems.append(f"{where}.key: {k!r} must be lower-case letters, digits and _")
        if k is not None and k in seen:
            r.problems.append(f"{where}.key: {k!r} is used twice")
        seen.add(k)
        out.append(values)
    return out


def _statuses(r: _Reader, raw: dict) -> tuple[Status, ...]:
    out = []
    items = _list(r, raw, "statuses")
    for i, ((key, label, color), item) in enumerate(zip(_keyed(r, raw, "statuses", ("key", "label", "color")), items)):
        where = f"$.statuses[{key or i}]"
        if color is not None and not _COLOUR.match(color):
            r.problems.append(f"{where}.color: expected #rrggbb, got {color!r}")
        done = r.get(item, "done", bool, where, False)
        description = r.get(item, "description", str, where, "")
        out.append(Status(key=key, label=label, color=(color or "").lower(), done=bool(done), description=description or ""))
    return tuple(out)


def _problem_statuses(r: _Reader, raw: dict) -> tuple[ProblemStatus, ...]:
    out = []
    items = _list(r, raw, "problem_statuses")
    for i, ((key, label), item) in enumerate(zip(_keyed(r, raw, "problem_statuses", ("key", "label")), items)):
        is_open = r.get(item, "open", bool, f"$.problem_statuses[{key or i}]")
        out.append(ProblemStatus(key=key, label=label, open=bool(is_open)))
    if out and not any(p.open for p in out):
        r.problems.append("$.problem_statuses: at least one status must be open")
    if out and all(p.open for p in out):
        r.problems.append("$.problem_statuses: at least one status must be closed (open: false)")
    return tuple(out)


def _layers(r: _Reader, raw: dict) -> tuple[Layer, ...]:
    out = []
    for i, item in enumerate(_list(r, raw, "layers")):
        where = f"$.layers[{i}]"
        r.fixed(item, where, "layers")
        layer_id = r.text(item, "id", where)
        if layer_id is not None and not _KEY.match(layer_id):
            r.problems.append(f"{where}.id: {layer_id!r} must be lower-case letters, digits and _")
        title = r.text(item, "title", where)
        file = r.text(item, "file", where, f"layers/{layer_id}.geojson")
        if file and (Path(file).is_absolute() or ".." in Path(file).parts):
            r.problems.append(f"{where}.file: must be a relative path inside the data directory")
        types = r.get(item, "geometry_types", list, where) or []
        for gtype in types:
            if gtype not in GEOMETRY_TYPES:
                r.problems.append(f"{where}.geometry_types: unknown geometry type {gtype!r}")
        kinds = r.get(item, "kinds", list, where) or []
        prefix = r.text(item, "id_prefix", where, (layer_id or "f")[:1])
        out.append(Layer(layer_id, title, file, tuple(types), tuple(kinds), prefix))
    ids = [x.id for x in out]
    if len(set(ids)) != len(ids):
        r.problems.append("$.layers: layer ids must be unique")
    return tuple(out)


def _boundaries(r: _Reader, raw: dict) -> tuple[Boundary, ...]:
    out = []
    for i, item in enumerate(_list(r, raw, "boundaries", required=False)):
        where = f"$.boundaries[{i}]"
        r.fixed(item, where, "boundaries")
        level = r.text(item, "level", where)
        if level not in (None, "district", "street", "community"):
            r.problems.append(f"{where}.level: expected district, street or community, got {level!r}")
        out.append(
            Boundary(
                level=level,
                title=r.text(item, "title", where),
                file=r.text(item, "file", where),
                name_field=r.text(item, "name_field", where, "name"),
            )
        )
    return tuple(out)


def _print(r: _Reader, raw: dict) -> PrintSettings:
    p = r.get(raw, "print", dict, "$", {})
    r.fixed(p, "$.print", "print")
    if not p:
        return PrintSettings()
    classification = r.get(p, "classification", str, "$.print", "")
    hatching = r.get(p, "hatching", bool, "$.print", False)
    return PrintSettings(classification=(classification or "").strip(), hatching=bool(hatching))


def _inspections(r: _Reader, raw: dict, status_keys: set[str]) -> InspectionSettings:
    section = r.get(raw, "inspections", dict, "$", {})
    r.fixed(section, "$.inspections", "inspections")
    if not section:
        return InspectionSettings()
    where = "$.inspections"
    d = InspectionSettings()
    values = {}
    for key in ("count", "recent_days", "deadline_days"):
        v = r.get(section, key, int, where, getattr(d, key))
        if v is not None and v < (1 if key == "count" else 0):
            r.problems.append(f"{where}.{key}: must be {'at least 1' if key == 'count' else 'zero or more'}, got {v}")
        values[key] = getattr(d, key) if v is None else v
    for key in ("base", "recent_done", "overdue", "relapsed"):
        v = r.get(section, key, (int, float), where, getattr(d, key))
        if v is not None and v < 0:
            r.problems.append(f"{where}.{key}: a weight must not be negative, got {v}")
        values[key] = float(getattr(d, key) if v is None else v)
    if values["base"] <= 0:
        r.problems.append(f"{where}.base: must be greater than 0, so every place can be drawn")
    for key in ("source", "relapse_status"):
        values[key] = r.get(section, key, str, where, getattr(d, key)) or getattr(d, key)
    if status_keys and values["relapse_status"] not in status_keys:
        r.problems.append(f"{where}.relapse_status: unknown status {values['relapse_status']!r}")
    return InspectionSettings(**values)


def _milestones(r: _Reader, raw: dict) -> tuple[Milestone, ...]:
    out: list[Milestone] = []
    for i, item in enumerate(r.get(raw, "milestones", list, "$", []) or []):
        where = f"$.milestones[{i}]"
        r.fixed(item, where, "milestones")
        day = r.text(item, "date", where)
        share = r.get(item, "share_done", (int, float), where)
        label = r.get(item, "label", str, where, "")
        if day is not None:
            try:
                day = date.fromisoformat(day).isoformat()
            except ValueError:
                r.problems.append(f"{where}.date: expected YYYY-MM-DD, got {day!r}")
                continue
        if share is not None and not 0 <= share <= 1:
            r.problems.append(f"{where}.share_done: expected a share between 0 and 1, got {share}")
        if day is not None and share is not None:
            out.append(Milestone(date=day, share_done=float(share), label=label or ""))
    dates = [m.date for m in out]
    if dates != sorted(set(dates)):
        r.problems.append("$.milestones: dates must be distinct and in order")
    return tuple(out)


def _status_rule(r: _Reader, raw: dict, status_keys: set[str]) -> StatusRule:
    rule = r.get(raw, "status_rule", dict, "$", {})
    r.fixed(rule, "$.status_rule", "status_rule")
    if not rule:
        return StatusRule()
    out = StatusRule(
        enabled=bool(r.get(rule, "enabled", bool, "$.status_rule", True)),
        when_open=r.get(rule, "when_open", str, "$.status_rule", "in_progress"),
        when_all_closed=r.get(rule, "when_all_closed", str, "$.status_rule", "rectified"),
    )
    for key in ("when_open", "when_all_closed"):
        value = getattr(out, key)
        if value is not None and status_keys and value not in status_keys:
            r.problems.append(f"$.status_rule.{key}: unknown status {value!r}")
    return out


def _map(r: _Reader, raw: dict) -> MapSettings:
    m = r.get(raw, "map", dict, "$")
    r.fixed(m, "$.map", "map")
    if m is None:
        return MapSettings((0.0, 0.0), 1, (-180.0, -90.0, 180.0, 90.0))
    center = r.get(m, "center", list, "$.map")
    bounds = r.get(m, "bounds", list, "$.map")
    zoom = r.get(m, "zoom", int, "$.map", 13)
    tiles = r.get(m, "tiles", (str, type(None)), "$.map", None)
    attribution = r.get(m, "tiles_attribution", str, "$.map", "")
    viewport_above = r.get(m, "viewport_above", int, "$.map", 20000)
    if viewport_above is not None and viewport_above < 0:
        r.problems.append("$.map.viewport_above: expected a number of places ≥ 0")
    ok_center = center and len(center) == 2 and all(isinstance(v, (int, float)) for v in center)
    if center is not None and not ok_center:
        r.problems.append("$.map.center: expected [latitude, longitude]")
    ok_bounds = bounds and len(bounds) == 4 and all(isinstance(v, (int, float)) for v in bounds)
    if bounds is not None and not ok_bounds:
        r.problems.append("$.map.bounds: expected [west, south, east, north] in degrees")
    elif ok_bounds and not (bounds[0] < bounds[2] and bounds[1] < bounds[3]):
        r.problems.append("$.map.bounds: west must be < east and south < north")
    basemaps = _basemaps(r, m)
    if tiles and basemaps:
        r.problems.append("$.map.tiles: give either map.tiles or map.basemaps, not both (list the tile URL as an xyz basemap)")
    return MapSettings(
        center=tuple(center) if ok_center else (0.0, 0.0),
        zoom=zoom or 13,
        bounds=tuple(bounds) if ok_bounds else (-180.0, -90.0, 180.0, 90.0),
        tiles=tiles,
        tiles_attribution=attribution or "",
        basemaps=basemaps,
        viewport_above=viewport_above if viewport_above is not None and viewport_above >= 0 else 20000,
    )


def _basemaps(r: _Reader, m: dict) -> tuple[Basemap, ...]:
    """`map.basemaps`: tile sources the wall map can switch between (none by default)."""
    out: list[Basemap] = []
    for i, item in enumerate(r.get(m, "basemaps", list, "$.map", []) or []):
        where = f"$.map.basemaps[{i}]"
        if not isinstance(item, dict):
            r.problems.append(f"{where}: expected an object")
            continue
        basemap = _basemap(r, item, where)
        if basemap is not None:
            out.append(basemap)
    ids = [b.id for b in out]
    for dup in sorted({x for x in ids if ids.count(x) > 1}):
        r.problems.append(f"$.map.basemaps: id {dup!r} is used twice")
    if sum(b.default for b in out) > 1:
        r.problems.append("$.map.basemaps: at most one basemap may be the default")
    if any(b.default and b.overlay for b in out):
        r.problems.append("$.map.basemaps: an overlay cannot be the default basemap")
    return tuple(out)


def _basemap(r: _Reader, item: dict, where: str) -> Basemap | None:
    before = len(r.problems)
    basemap_id = r.text(item, "id", where)
    if basemap_id is not None and not _KEY.match(basemap_id):
        r.problems.append(f"{where}.id: {basemap_id!r} must be lower-case letters, digits and _")
    title = r.text(item, "title", where)
    kind = r.text(item, "type", where)
    if kind is not None and kind not in BASEMAP_TYPES:
        r.problems.append(f"{where}.type: expected one of {', '.join(BASEMAP_TYPES)}, got {kind!r}")
        return None
    local = kind in ("folder", "mbtiles", "pmtiles")
    path = url = None
    if local:
        path = r.text(item, "path", where)
        if path and (Path(path).is_absolute() or ".." in Path(path).parts):
            r.problems.append(f"{where}.path: must be a relative path inside the data directory")
        for k in ("url", "key", "key_env", "subdomains"):
            if k in item:
                r.problems.append(f"{where}.{k}: not used by a {kind} basemap (it is served from `path`)")
    elif kind is not None:
        url = r.text(item, "url", where)
        if url:
            _check_tile_url(r, url, where)
    key = r.get(item, "key", str, where, None)
    key_env = r.get(item, "key_env", str, where, None)
    if key is not None and key_env is not None:
        r.problems.append(f"{where}: give either key or key_env, not both")
    if key_env is not None and not _ENV_NAME.match(key_env):
        r.problems.append(f"{where}.key_env: {key_env!r} is not an environment variable name")
    if key is not None and not key.strip():
        r.problems.append(f"{where}.key: must not be empty")
    wants_key = bool(url and "{key}" in url)
    has_key = key is not None or key_env is not None
    if kind == "tianditu" and not has_key:
        r.problems.append(f"{where}: a tianditu basemap needs its key: key_env (an environment variable) or key")
    if url and has_key and not wants_key:
        r.problems.append(f"{where}.url: must contain {{key}} where the key goes")
    if url and wants_key and not has_key:
        r.problems.append(f"{where}.url: contains {{key}} but neither key nor key_env is given")
    if url and url.startswith("/") and (wants_key or kind == "tianditu"):
        r.problems.append(f"{where}.url: a basemap with a key must be fetched by the server (an http:// or https:// URL)")
    subdomains = r.get(item, "subdomains", (str, list), where, "")
    if isinstance(subdomains, list) and not all(isinstance(s, str) and s for s in subdomains):
        r.problems.append(f"{where}.subdomains: expected a string like \"1234\" or a list of strings")
    subdomains = tuple(subdomains or ())
    if url and "{s}" in url and not subdomains:
        r.problems.append(f"{where}.subdomains: the url contains {{s}}, so list the subdomains")
    fixed_crs = {"tianditu": "wgs84", "amap": "gcj02"}.get(kind or "")
    crs = r.get(item, "crs", str, where, fixed_crs or "wgs84")
    if crs is not None and crs not in DISPLAY_CRS:
        r.problems.append(f"{where}.crs: expected one of {', '.join(DISPLAY_CRS)}, got {crs!r}")
    elif fixed_crs and crs != fixed_crs:
        r.problems.append(f"{where}.crs: {kind} tiles are always in {fixed_crs}")
    zooms = [r.get(item, k, int, where, None) for k in ("min_zoom", "max_zoom")]
    for k, z in zip(("min_zoom", "max_zoom"), zooms):
        if z is not None and not 0 <= z <= MAX_TILE_ZOOM:
            r.problems.append(f"{where}.{k}: expected 0 to {MAX_TILE_ZOOM}, got {z}")
    if None not in zooms and zooms[0] > zooms[1]:
        r.problems.append(f"{where}: min_zoom must not exceed max_zoom")
    timeout = r.get(item, "timeout", (int, float), where, 5.0)
    if timeout is not None and not 0 < timeout <= 60:
        r.problems.append(f"{where}.timeout: expected seconds between 0 and 60, got {timeout}")
    cache_days = r.get(item, "cache_days", (int, float), where, 30.0)
    if cache_days is not None and cache_days < 0:
        r.problems.append(f"{where}.cache_days: must not be negative")
    flags = {k: r.get(item, k, bool, where, False) for k in ("tms", "overlay", "default")}
    unknown = [k for k in item if k not in KNOWN_KEYS["basemap"] and not str(k).startswith(EXTENSION_PREFIX)]
    for k in unknown:  # (checked here too: a basemap with a problem is left out of the settings)
        r.problems.append(unknown_key_message(where, k, KNOWN_KEYS["basemap"]))
    attribution = r.get(item, "attribution", str, where, "")
    if len(r.problems) > before:
        return None
    return Basemap(
        id=basemap_id, title=title, type=kind, path=path, url=url, key=key, key_env=key_env, subdomains=subdomains,
        crs=crs, tms=bool(flags["tms"]), min_zoom=zooms[0], max_zoom=zooms[1], attribution=attribution or "",
        overlay=bool(flags["overlay"]), default=bool(flags["default"]), timeout=float(timeout),
        cache_days=float(cache_days),
    )


def _check_tile_url(r: _Reader, url: str, where: str) -> None:
    if not (url.startswith(("http://", "https://")) or (url.startswith("/") and not url.startswith("//"))):
        r.problems.append(f"{where}.url: expected an http:// or https:// URL, or a path on this server starting with /")
    missing = [p for p in ("{z}", "{x}", "{y}") if p not in url]
    if missing:
        r.problems.append(f"{where}.url: must contain {{z}}, {{x}} and {{y}} (missing {' '.join(missing)})")
    unknown = set(re.findall(r"\{[^}]*\}", url)) - {"{z}", "{x}", "{y}", "{s}", "{key}"}
    if unknown:
        r.problems.append(f"{where}.url: unknown placeholder {', '.join(sorted(unknown))} (use {{z}} {{x}} {{y}} {{s}} {{key}})")
