"""The schema of `campaign.json`: one pydantic model per object of the file, with every key's type, range, default
and meaning, and the rules between keys beside the keys they bind.

`check(raw)` validates a parsed file and returns the model, or the list of every problem with its JSON path, each
a catalogue message (`$.statuses[pending].color: 应为 #rrggbb 形式的颜色,实际为 'red'`, in English by `localize`);
a key no model declares is named with the nearest declared one
(`$.map.viewport_abvoe:未知的设置,是不是要写 viewport_above?`). Keys starting with `x_` are free for a campaign's own
additions. geo/config.py turns the model into the `Campaign` the rest of the code reads.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from datetime import date, time
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_core import PydanticCustomError

from geo.area import DEFAULT_BUFFER_M
from geo.messages import MESSAGES, compose, join, t

GEOMETRY_TYPES = ("Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon")
BASEMAP_TYPES = ("folder", "mbtiles", "pmtiles", "tianditu", "amap", "xyz")
DISPLAY_CRS = ("wgs84", "gcj02")  # what the data is drawn in: GCJ-02 on AMap, WGS84 everywhere else
BOUNDARY_LEVELS = ("district", "street", "community")
MAX_TILE_ZOOM = 24
EXTENSION_PREFIX = "x_"
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_PROBLEM = "config"  # the error type of this module's own rules


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


def problem(text: str, at: str = "") -> PydanticCustomError:
    """One of our rules broken: `text` said of the key at hand (or of `at` below it, e.g. ".url")."""
    return PydanticCustomError(_PROBLEM, "{text}", {"text": text, "lines": [(at, text)]})


def problems(lines: list[tuple[str, str]]) -> PydanticCustomError:
    """Several rules broken at once, each (`at` below the key at hand, text)."""
    return PydanticCustomError(_PROBLEM, "{text}", {"text": join("; ", [x for _, x in lines]), "lines": lines})


def _non_empty(value: str) -> str:
    if not value.strip():
        raise problem(t("schema.empty"))
    return value


def _key(value: str) -> str:
    if not _KEY.match(value):
        raise problem(t("schema.bad_key", value=repr(value)))
    return value


def _inside(value: str) -> str:
    if Path(value).is_absolute() or ".." in Path(value).parts:
        raise problem(t("schema.outside_data"))
    return value


Text = Annotated[str, AfterValidator(_non_empty)]
Key = Annotated[str, AfterValidator(_non_empty), AfterValidator(_key)]
DataPath = Annotated[str, AfterValidator(_non_empty), AfterValidator(_inside)]


class Section(BaseModel):
    """An object of campaign.json: strict JSON types, no key it does not declare except `x_…` ones."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, populate_by_name=True,
                              json_schema_extra={"patternProperties": {f"^{EXTENSION_PREFIX}": {}}})

    @model_validator(mode="before")
    @classmethod
    def _free_extensions(cls, raw: Any) -> Any:
        if isinstance(raw, dict):
            return {k: v for k, v in raw.items() if not (isinstance(k, str) and k.startswith(EXTENSION_PREFIX))}
        return raw


def _unique_keys(items: list, field: str = "key") -> list:
    seen: set[str] = set()
    lines = []
    for i, item in enumerate(items):
        value = getattr(item, field)
        if value in seen:
            lines.append((f"[{i}].{field}", t("schema.used_twice", value=repr(value))))
        seen.add(value)
    if lines:
        raise problems(lines)
    return items


def _at_least_one(items: list) -> list:
    if not items:
        raise problem(t("schema.no_entry"))
    return items


class StatusSchema(Section):
    key: Key = Field(description="the status as stored on each place (lower-case letters, digits and _)")
    label: Text = Field(description="the status as people read it (未排查, 整改中, …)")
    color: Text = Field(description="its fill on every map, #rrggbb")
    done: bool = Field(False, description="counts as finished in progress figures")
    description: str = Field("", description="a longer explanation shown in legends")
    hatch: bool = Field(False, description="drawn hatched on the maps of the wall and the editor: a cue besides colour "
                                           "(for colour-blind readers and greyscale screens) for states that need action")

    @field_validator("color")
    @classmethod
    def _colour(cls, value: str) -> str:
        if not _COLOUR.match(value):
            raise problem(t("schema.colour", value=repr(value)))
        return value


class ProblemStatusSchema(Section):
    key: Key = Field(description="the state of a ledger entry as stored")
    label: Text = Field(description="the state as people read it")
    open: bool = Field(description="a problem in this state still needs work")


class RoleSchema(Section):
    key: Key = Field(description="the role as stored among a place's responsible people")
    label: Text = Field(description="the role as people read it (四包一)")


class LayerSchema(Section):
    id: Key = Field(description="the layer's id in URLs and ids (lower-case letters, digits and _)")
    title: Text = Field(description="the layer as people read it")
    file: DataPath | None = Field(None, description="its GeoJSON file in the data directory (default layers/<id>.geojson)")
    geometry_types: list[str] = Field(description="the geometry types a place of this layer may have")
    kinds: list[Any] = Field(description="the kinds of place the layer holds (小区, 背街小巷, …)")
    id_prefix: Text | None = Field(None, description="the first letters of its places' ids (default: the id's first)")

    @field_validator("geometry_types")
    @classmethod
    def _geometry_types(cls, values: list[str]) -> list[str]:
        unknown = [v for v in values if v not in GEOMETRY_TYPES]
        if unknown:
            raise problems([("", t("schema.geometry_type", value=repr(v))) for v in unknown])
        return values


class BoundarySchema(Section):
    level: Text = Field(description="district, street or community")
    title: Text = Field(description="the outline as people read it")
    file: Text = Field(description="its GeoJSON file in the data directory")
    name_field: Text = Field("name", description="the property holding each outline's name")

    @field_validator("level")
    @classmethod
    def _level(cls, value: str) -> str:
        if value not in BOUNDARY_LEVELS:
            raise problem(t("schema.boundary_level", value=repr(value)))
        return value


class BasemapSchema(Section):
    id: Key = Field(description="the basemap's id in tile URLs")
    title: Text = Field(description="its name in the map's layer switcher")
    type: Text = Field(description="folder, mbtiles, pmtiles (files in the data directory), tianditu, amap or xyz")
    path: str | None = Field(None, description="folder, mbtiles, pmtiles: the tiles, relative to the data directory")
    url: str | None = Field(None, description="tianditu, amap, xyz: the tile URL with {z} {x} {y}, optional {s} {key}")
    key: str | None = Field(None, repr=False, description="the tile service's key, kept on the server (key_env is better)")
    key_env: str | None = Field(None, description="the environment variable holding the key")
    subdomains: Any = Field("", description="what {s} of the url takes: a string like \"1234\" or a list of strings")
    crs: str | None = Field(None, description="wgs84 or gcj02: the coordinates the tiles are drawn in")
    tms: bool = Field(False, description="y counts from the south (TMS); MBTiles always does")
    min_zoom: int | None = Field(None, description="the lowest zoom it has (default: from the archive, or 0)")
    max_zoom: int | None = Field(None, description="the highest zoom it has (default: from the archive, or 18)")
    attribution: str = Field("", description="the credit shown on the map")
    overlay: bool = Field(False, description="drawn on top of the chosen basemap (e.g. Tianditu's labels)")
    default: bool = Field(False, description="shown when the page opens (otherwise the first basemap)")
    timeout: float = Field(5.0, description="seconds to wait for an upstream tile server (0 to 60)")
    cache_days: float = Field(30.0, description="how long a proxied tile is kept on disk (0: not kept)")

    @field_validator("type")
    @classmethod
    def _type(cls, value: str) -> str:
        if value not in BASEMAP_TYPES:
            raise problem(t("schema.one_of", choices=", ".join(BASEMAP_TYPES), value=repr(value)))
        return value

    @field_validator("min_zoom", "max_zoom")
    @classmethod
    def _zoom(cls, value: int | None) -> int | None:
        if value is not None and not 0 <= value <= MAX_TILE_ZOOM:
            raise problem(t("schema.zoom", maximum=MAX_TILE_ZOOM, value=value))
        return value

    @field_validator("timeout")
    @classmethod
    def _timeout(cls, value: float) -> float:
        if not 0 < value <= 60:
            raise problem(t("schema.timeout", value=f"{value:g}"))
        return value

    @field_validator("cache_days")
    @classmethod
    def _cache_days(cls, value: float) -> float:
        if value < 0:
            raise problem(t("schema.negative"))
        return value

    @field_validator("subdomains")
    @classmethod
    def _subdomains(cls, value: Any) -> Any:
        if isinstance(value, list) and all(isinstance(s, str) and s for s in value) or isinstance(value, str):
            return value
        raise problem(t("schema.subdomains"))

    @model_validator(mode="after")
    def _rules(self) -> BasemapSchema:
        lines = _basemap_rules(self)
        if lines:
            raise problems(lines)
        return self


def _basemap_rules(b: BasemapSchema) -> list[tuple[str, str]]:
    """The rules between a basemap's keys, as (".key" or "", problem)."""
    out: list[tuple[str, str]] = []
    given = b.model_fields_set
    local = b.type in ("folder", "mbtiles", "pmtiles")
    if local:
        if b.path is None:
            out.append((".path", t("schema.missing")))
        elif not b.path.strip():
            out.append((".path", t("schema.empty")))
        elif Path(b.path).is_absolute() or ".." in Path(b.path).parts:
            out.append((".path", t("schema.outside_data")))
        for k in ("url", "key", "key_env", "subdomains"):
            if k in given:
                out.append((f".{k}", t("schema.not_for_local", type=b.type)))
    elif b.url is None:
        out.append((".url", t("schema.missing")))
    elif not b.url.strip():
        out.append((".url", t("schema.empty")))
    else:
        out += _tile_url_rules(b.url)
    url = b.url if not local else None
    if b.key is not None and b.key_env is not None:
        out.append(("", t("schema.key_and_key_env")))
    if b.key_env is not None and not _ENV_NAME.match(b.key_env):
        out.append((".key_env", t("schema.env_name", value=repr(b.key_env))))
    if b.key is not None and not b.key.strip():
        out.append((".key", t("schema.empty")))
    wants_key = bool(url and "{key}" in url)
    has_key = b.key is not None or b.key_env is not None
    if b.type == "tianditu" and not has_key:
        out.append(("", t("schema.tianditu_key")))
    if url and has_key and not wants_key:
        out.append((".url", t("schema.url_needs_key")))
    if url and wants_key and not has_key:
        out.append((".url", t("schema.url_key_unset")))
    if url and url.startswith("/") and (wants_key or b.type == "tianditu"):
        out.append((".url", t("schema.key_needs_server")))
    if url and "{s}" in url and not b.subdomains:
        out.append((".subdomains", t("schema.subdomains_missing")))
    fixed_crs = {"tianditu": "wgs84", "amap": "gcj02"}.get(b.type)
    if b.crs is not None and b.crs not in DISPLAY_CRS:
        out.append((".crs", t("schema.one_of", choices=", ".join(DISPLAY_CRS), value=repr(b.crs))))
    elif fixed_crs and b.crs not in (None, fixed_crs):
        out.append((".crs", t("schema.crs_fixed", type=b.type, crs=fixed_crs)))
    if b.min_zoom is not None and b.max_zoom is not None and b.min_zoom > b.max_zoom:
        out.append(("", t("schema.zoom_order")))
    return out


def _tile_url_rules(url: str) -> list[tuple[str, str]]:
    out = []
    if not (url.startswith(("http://", "https://")) or (url.startswith("/") and not url.startswith("//"))):
        out.append((".url", t("schema.url_form")))
    missing = [p for p in ("{z}", "{x}", "{y}") if p not in url]
    if missing:
        out.append((".url", t("schema.url_placeholders", missing=" ".join(missing))))
    unknown = set(re.findall(r"\{[^}]*\}", url)) - {"{z}", "{x}", "{y}", "{s}", "{key}"}
    if unknown:
        out.append((".url", t("schema.url_unknown_placeholder", placeholders=", ".join(sorted(unknown)))))
    return out


class MapSchema(Section):
    center: list[Any] = Field(description="where the map opens: [latitude, longitude]")
    bounds: list[Any] = Field(description="[west, south, east, north] in degrees: the area writes are checked "
                                          "against when the campaign has no district boundary")
    zoom: int = Field(13, description="the zoom the map opens at")
    tiles: str | None = Field(None, description="the older single tile URL on the same host (or use basemaps)")
    tiles_attribution: str = Field("", description="the credit shown for `tiles`")
    basemaps: list[BasemapSchema] = Field([], description="tile sources the wall map can switch between")
    viewport_above: int = Field(20000, description="a layer with more places is sent one viewport at a time")
    vector_tiles_from: int | None = Field(None, description="from this zoom on, such a layer is drawn from vector "
                                                            "tiles (null: always one viewport at a time)")

    @field_validator("center")
    @classmethod
    def _center(cls, value: list) -> list:
        if len(value) != 2 or not all(_number(v) for v in value):
            raise problem(t("schema.center"))
        return value

    @field_validator("bounds")
    @classmethod
    def _bounds(cls, value: list) -> list:
        if len(value) != 4 or not all(_number(v) for v in value):
            raise problem(t("schema.bounds"))
        if not (value[0] < value[2] and value[1] < value[3]):
            raise problem(t("schema.bounds_order"))
        return value

    @field_validator("viewport_above")
    @classmethod
    def _viewport_above(cls, value: int) -> int:
        if value < 0:
            raise problem(t("schema.viewport_above"))
        return value

    @field_validator("vector_tiles_from")
    @classmethod
    def _vector_tiles_from(cls, value: int | None) -> int | None:
        if value is not None and not 0 <= value <= 24:
            raise problem(t("schema.vector_tiles_from"))
        return value

    @field_validator("basemaps")
    @classmethod
    def _basemaps(cls, value: list[BasemapSchema]) -> list[BasemapSchema]:
        ids = [b.id for b in value]
        lines = [("", t("schema.id_used_twice", value=repr(dup))) for dup in sorted({x for x in ids if ids.count(x) > 1})]
        if sum(b.default for b in value) > 1:
            lines.append(("", t("schema.one_default")))
        if any(b.default and b.overlay for b in value):
            lines.append(("", t("schema.overlay_default")))
        if lines:
            raise problems(lines)
        return value

    @model_validator(mode="after")
    def _one_source(self) -> MapSchema:
        if self.tiles and self.basemaps:
            raise problem(t("schema.tiles_and_basemaps"), ".tiles")
        return self


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


class StatusRuleSchema(Section):
    enabled: bool = Field(True, description="a place's status follows its ledger (when the section is there)")
    when_open: str = Field("in_progress", description="the status a done place takes when a problem is opened")
    when_all_closed: str = Field("rectified", description="the status a place takes when its last problem closes")


class PrintSchema(Section):
    classification: str = Field("", description="printed at the top right of every map (e.g. 内部资料 注意保存)")
    hatching: bool = Field(False, description="hatch status fills by default (greyscale printers)")


class InspectionsSchema(Section):
    count: int = Field(10, description="places on the daily random inspection list")
    base: float = Field(1.0, description="every place's weight in the draw (greater than 0)")
    recent_done: float = Field(3.0, description="added weight of a place done in the last recent_days days")
    recent_days: int = Field(14, description="how recent a done status counts as recent")
    overdue: float = Field(2.0, description="added weight of an overdue place")
    relapsed: float = Field(2.0, description="added weight of a place that has relapsed before")
    source: str = Field("", description="found_by of the problems an inspection opens (default: the first "
                                        "inspection source)")
    relapse_status: str = Field("relapsed", description="the status a relapse sets")
    deadline_days: int = Field(1, description="a problem an inspection opens is due this many days later")
    route_start: list[float] | str | None = Field(
        None, description="where the day's route starts: [lon, lat] (WGS 84) or a place's id; default the map's "
                          "centre (map.center)")

    @field_validator("route_start")
    @classmethod
    def _route_start(cls, value):
        if isinstance(value, list) and not (len(value) == 2 and -180 <= value[0] <= 180 and -90 <= value[1] <= 90):
            raise problem(t("schema.route_start", value=value))
        if isinstance(value, str) and not value.strip():
            raise problem(t("schema.route_start", value=repr(value)))
        return value

    @field_validator("count")
    @classmethod
    def _count(cls, value: int) -> int:
        if value < 1:
            raise problem(t("schema.count", value=value))
        return value

    @field_validator("recent_days", "deadline_days")
    @classmethod
    def _days(cls, value: int) -> int:
        if value < 0:
            raise problem(t("schema.days", value=value))
        return value

    @field_validator("base", "recent_done", "overdue", "relapsed")
    @classmethod
    def _weight(cls, value: float, info) -> float:
        if value < 0:
            raise problem(t("schema.weight", value=f"{value:g}"))
        if info.field_name == "base" and value == 0:
            raise problem(t("schema.base_weight"))
        return value


_DURATION = re.compile(r"^(\d+(?:\.\d+)?)([hd])$")
CASE_STAGES = ("filed", "handling", "verifying", "suspended", "closed")  # geo/cases/model.py's STAGES
DUE_STAGES = ("filed", "handling", "verifying")  # the stages with a time limit


def _duration(value: str) -> str:
    match = _DURATION.match(value.strip()) if isinstance(value, str) else None
    if match is None or float(match.group(1)) <= 0:
        raise problem(t("schema.case_duration", value=repr(value)))
    return value.strip()


Duration = Annotated[str, AfterValidator(_duration)]


def _clock_time(value: str) -> str:
    try:
        return time.fromisoformat(value).strftime("%H:%M")
    except ValueError:
        raise problem(t("schema.time", value=repr(value))) from None


def _day(value: str) -> str:
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise problem(t("schema.date", value=repr(value))) from None


class CaseCalendarSchema(Section):
    workdays: list[int] = Field([1, 2, 3, 4, 5], description="ISO weekdays that are working days (1 = Monday)")
    day_start: str = Field("09:00", description="HH:MM: a working day begins (working hours count from here)")
    day_end: str = Field("17:30", description="HH:MM: a working day ends (a day's deadline falls here)")
    holidays: list[Annotated[str, AfterValidator(_day)]] = Field(
        [], description="dates (YYYY-MM-DD) that are not working days although their weekday is (法定节假日)")
    working_days: list[Annotated[str, AfterValidator(_day)]] = Field(
        [], description="dates that are working days although their weekday is not (调休上班的周末)")

    @field_validator("workdays")
    @classmethod
    def _workdays(cls, value: list[int]) -> list[int]:
        if not value or any(d not in range(1, 8) for d in value) or len(set(value)) != len(value):
            raise problem(t("schema.case_workdays", value=repr(value)))
        return value

    @field_validator("day_start", "day_end")
    @classmethod
    def _times(cls, value: str) -> str:
        return _clock_time(value)

    @model_validator(mode="after")
    def _order(self) -> CaseCalendarSchema:
        if self.day_start >= self.day_end:
            raise problem(t("schema.case_day_order"))
        both = sorted(set(self.holidays) & set(self.working_days))
        if both:
            raise problem(t("schema.case_day_both", days="、".join(both)))
        return self


class CaseLimitsSchema(Section):
    filed: Duration = Field("4h", description="time to dispatch a filed case: working hours (4h) or days (1d)")
    handling: Duration = Field("3d", description="time to handle a dispatched case (3d: the end of the 3rd working "
                                                 "day after)")
    verifying: Duration = Field("1d", description="time to verify a reported fix")


class UrgencySchema(Section):
    key: Key = Field(description="the urgency's key (normal, urgent, …)")
    label: Text = Field(description="the urgency as people read it (一般, 紧急, 特急)")
    factor: float = Field(1.0, description="the stage time limits are multiplied by this (0 < factor ≤ 10)")

    @field_validator("factor")
    @classmethod
    def _factor(cls, value: float) -> float:
        if not 0 < value <= 10:
            raise problem(t("schema.case_factor", value=f"{value:g}"))
        return value


class CasePhotoSchema(Section):
    report: bool = Field(True, description="reporting a fix needs a photo of role after (整改后)")
    confirm: bool = Field(True, description="confirming a fix needs a photo of role check (核查)")


class CaseEscalationSchema(Section):
    every: Duration = Field("1d", description="an overdue stage goes from the sub-district up to the district after "
                                              "this much more working time")


def _default_urgencies() -> list[UrgencySchema]:
    return [UrgencySchema(key="normal", label="一般", factor=1.0), UrgencySchema(key="urgent", label="紧急", factor=0.5),
            UrgencySchema(key="critical", label="特急", factor=0.25)]


class CasesSchema(Section):
    calendar: CaseCalendarSchema = Field(default_factory=CaseCalendarSchema, description="working days and hours")
    limits: CaseLimitsSchema = Field(default_factory=CaseLimitsSchema, description="each stage's time limit")
    urgencies: list[UrgencySchema] = Field(default_factory=_default_urgencies,
                                           description="urgency levels, the first is the default")
    require_photo: CasePhotoSchema = Field(default_factory=CasePhotoSchema, description="where a photo is required")
    escalation: CaseEscalationSchema = Field(default_factory=CaseEscalationSchema, description="how overdue cases "
                                                                                             "go up a level")
    problem_status: dict[str, str] = Field({}, description="the ledger status of a problem in each stage (default: "
                                                           "filed → the first open status, closed → the first closed, "
                                                           "the others → in_progress when there is one)")

    @field_validator("urgencies")
    @classmethod
    def _urgencies(cls, value: list[UrgencySchema]) -> list[UrgencySchema]:
        return _unique_keys(_at_least_one(value))

    @field_validator("problem_status")
    @classmethod
    def _stages(cls, value: dict[str, str]) -> dict[str, str]:
        unknown = [k for k in value if k not in CASE_STAGES]
        if unknown:
            raise problems([(f".{k}", t("schema.one_of", choices=", ".join(CASE_STAGES), value=repr(k)))
                            for k in unknown])
        return value


class NotifySchema(Section):
    due_soon_hours: float = Field(4.0, description="a case's stage due within this many hours is told as due "
                                                   "soon (临期提醒); 0 turns the warning off")
    digest_at: str = Field("08:00", description="HH:MM local: when the morning digest (每日待办) is sent to each "
                                                "handler and unit")
    daily_report_at: str = Field("18:00", description="HH:MM local: when the day's report is announced as ready")

    @field_validator("due_soon_hours")
    @classmethod
    def _hours(cls, value: float) -> float:
        if value < 0:
            raise problem(t("schema.days", value=f"{value:g}"))
        return value

    @field_validator("digest_at", "daily_report_at")
    @classmethod
    def _at(cls, value: str) -> str:
        try:
            time.fromisoformat(value)
        except ValueError:
            raise problem(t("schema.time", value=repr(value))) from None
        return value


class ProgressSchema(Section):
    pace_days: int = Field(14, description="the estimated finish follows the pace of the last this many days "
                                           "(places reaching a done status)")

    @field_validator("pace_days")
    @classmethod
    def _pace_days(cls, value: int) -> int:
        if value < 1:
            raise problem(t("schema.count", value=value))
        return value


class MilestoneSchema(Section):
    date: Text = Field(description="the day, YYYY-MM-DD")
    share_done: float = Field(description="the share of places that should be done by then, 0 to 1")
    label: str = Field("", description="the milestone as people read it")

    @field_validator("date")
    @classmethod
    def _date(cls, value: str) -> str:
        try:
            return date.fromisoformat(value).isoformat()
        except ValueError:
            raise problem(t("schema.date", value=repr(value))) from None

    @field_validator("share_done")
    @classmethod
    def _share(cls, value: float) -> float:
        if not 0 <= value <= 1:
            raise problem(t("schema.share", value=f"{value:g}"))
        return value


class CampaignSchema(Section):
    """The whole of campaign.json."""

    title: Text = Field(description="shown on the wall map")
    subtitle: str = Field("", description="shown under the title")
    district: str = Field("", description="the district's name")
    source: str = Field("", description="where the data comes from, shown on the wall map")
    timezone: str = Field("Asia/Shanghai", description="the campaign's zone: deadlines turn overdue at local midnight")
    overnight_cutoff: str = Field("08:00", description="HH:MM: a problem found by an inspection source and still "
                                                       "open after this time the next morning is overnight")
    inspection_sources: list[str] = Field(["每日随机督导"], description="the sources whose problems must not stay "
                                                                     "overnight (问题不过夜)")
    statuses: list[StatusSchema] = Field(description="the status vocabulary of places")
    problem_statuses: list[ProblemStatusSchema] = Field(description="the states of ledger entries")
    categories: list[Any] = Field(description="problem categories (环境卫生死角, 飞线充电, …)")
    roles: list[RoleSchema] = Field(description="the roles of a place's responsible people (四包一)")
    layers: list[LayerSchema] = Field(description="the layers of places")
    boundaries: list[BoundarySchema] = Field([], description="district / street / community outline files")
    map: MapSchema = Field(description="the map's opening view, bounds and basemaps")
    status_rule: StatusRuleSchema | None = Field(None, description="how a place's status follows its ledger")
    print_: PrintSchema | None = Field(None, alias="print", description="what every printed map carries")
    inspections: InspectionsSchema | None = Field(None, description="how the daily random inspection list is drawn")
    milestones: list[MilestoneSchema] = Field([], description="dates by which a share of places should be done")
    progress: ProgressSchema | None = Field(None, description="how the estimated finish is computed (geo/progress.py)")
    cases: CasesSchema | None = Field(None, description="the case loop: working calendar, stage limits, urgencies, "
                                                        "photos required, escalation (geo/cases)")
    notify: NotifySchema | None = Field(None, description="when the clock's notifications are due: stage warnings, "
                                                          "the morning digest, the daily report (geo/notify)")
    area_buffer_m: float = Field(DEFAULT_BUFFER_M, description="how far (metres, 0 to 50000) a place may reach "
                                                               "outside the district boundary")

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise problem(t("schema.timezone", value=repr(value))) from None
        return value

    @field_validator("overnight_cutoff")
    @classmethod
    def _cutoff(cls, value: str) -> str:
        try:
            time.fromisoformat(value)
        except ValueError:
            raise problem(t("schema.time", value=repr(value))) from None
        return value

    @field_validator("statuses", "roles")
    @classmethod
    def _keyed(cls, value: list) -> list:
        return _unique_keys(_at_least_one(value))

    @field_validator("problem_statuses")
    @classmethod
    def _problem_statuses(cls, value: list[ProblemStatusSchema]) -> list[ProblemStatusSchema]:
        _unique_keys(_at_least_one(value))
        if not any(p.open for p in value):
            raise problem(t("schema.none_open"))
        if all(p.open for p in value):
            raise problem(t("schema.none_closed"))
        return value

    @field_validator("categories")
    @classmethod
    def _categories(cls, value: list) -> list:
        _at_least_one(value)
        bad = [(f"[{i}]", t("schema.not_text")) for i, v in enumerate(value)
               if not isinstance(v, str) or not v.strip()]
        if bad:
            raise problems(bad)
        if len(set(value)) != len(value):
            raise problem(t("schema.not_unique"))
        return value

    @field_validator("layers")
    @classmethod
    def _layers(cls, value: list[LayerSchema]) -> list[LayerSchema]:
        _at_least_one(value)
        ids = [x.id for x in value]
        if len(set(ids)) != len(ids):
            raise problem(t("schema.layer_ids"))
        return value

    @field_validator("milestones")
    @classmethod
    def _milestones(cls, value: list[MilestoneSchema]) -> list[MilestoneSchema]:
        dates = [m.date for m in value]
        if dates != sorted(set(dates)):
            raise problem(t("schema.dates"))
        return value

    @field_validator("area_buffer_m")
    @classmethod
    def _buffer(cls, value: float) -> float:
        if not 0 <= value <= 50_000:
            raise PydanticCustomError(_PROBLEM, "{text}", {"text": "", "whole": t("area.bad_buffer", value=f"{value:g}")})
        return value


def json_schema() -> dict:
    """campaign.json's schema as a JSON Schema document (types, defaults, meaning; our rules between keys are
    checked by `check` only), for editors and other tools: `python -m geo.config_schema > campaign.schema.json`."""
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **CampaignSchema.model_json_schema()}


def check(raw: Any) -> tuple[CampaignSchema | None, list[str]]:
    """The validated campaign, or None and every problem of `raw` (a parsed campaign.json) with its JSON path."""
    if not isinstance(raw, dict):
        return None, [t("config.not_object")]
    try:
        model = CampaignSchema.model_validate(raw)
        found: list[str] = []
    except ValidationError as exc:
        model, found = None, [line for e in exc.errors() for line in _lines(e, raw)]
    found += _status_references(raw)
    found += _case_problem_statuses(raw)
    return (model if not found else None), list(dict.fromkeys(found))  # each problem once


def _status_references(raw: dict) -> list[str]:
    """Sections that name a status must name one of `statuses` (read from the raw file: said even when other
    parts of it are wrong)."""
    statuses = raw.get("statuses")
    keys = {s["key"] for s in statuses if isinstance(s, dict) and isinstance(s.get("key"), str)} \
        if isinstance(statuses, list) else set()
    if not keys:
        return []
    out = []
    for section, names, defaults in (("status_rule", ("when_open", "when_all_closed"), ("in_progress", "rectified")),
                                     ("inspections", ("relapse_status",), ("relapsed",))):
        part = raw.get(section)
        if not isinstance(part, dict):
            continue
        for name, default in zip(names, defaults):
            value = part.get(name) or default
            if isinstance(value, str) and value not in keys:
                out.append(_line(f"$.{section}.{name}", t("schema.unknown_status", value=repr(value))))
    return out


def _case_problem_statuses(raw: dict) -> list[str]:
    """`cases.problem_status` must name the campaign's problem statuses, and `closed` a closed one."""
    cases, statuses = raw.get("cases"), raw.get("problem_statuses")
    mapping = cases.get("problem_status") if isinstance(cases, dict) else None
    if not isinstance(mapping, dict) or not isinstance(statuses, list):
        return []
    known = {s["key"]: bool(s.get("open")) for s in statuses if isinstance(s, dict) and isinstance(s.get("key"), str)}
    out = []
    for stage, value in mapping.items():
        if isinstance(value, str) and value not in known:
            out.append(_line(f"$.cases.problem_status.{stage}", t("schema.unknown_status", value=repr(value))))
        elif isinstance(value, str) and known[value] == (stage == "closed"):
            out.append(_line(f"$.cases.problem_status.{stage}", t("schema.case_status_openness", value=repr(value))))
    return out


_TYPE_NAMES = {"string_type": "str", "int_type": "int", "float_type": "number", "bool_type": "bool",
               "list_type": "list", "dict_type": "dict", "model_type": "dict", "model_attributes_type": "dict"}


def _lines(error: dict, raw: dict) -> list[str]:
    """One pydantic error as the lines the file's reader is told, each with its JSON path."""
    kind, loc, value = error["type"], error["loc"], error.get("input")
    if kind == "extra_forbidden":
        model = _model_at(loc[:-1])
        known = {f.alias or n for n, f in model.model_fields.items()}
        return [unknown_key_message(_path(loc[:-1], raw, kind), str(loc[-1]), known)]
    where = _path(loc, raw, kind)
    if kind == _PROBLEM:
        ctx = error["ctx"]
        if ctx.get("whole"):
            return [ctx["whole"]]
        return [_line(where + at, text) for at, text in ctx["lines"]]
    if kind == "missing":
        return [_line(where, t("schema.missing"))]
    if kind in ("model_type", "model_attributes_type") and loc and isinstance(loc[-1], int):
        return [_line(where, t("schema.expected_object"))]
    if kind in ("int_type", "float_type") and isinstance(value, bool):
        return [_line(where, t("settings.expected_number", value=repr(value)))]
    if kind in _TYPE_NAMES:
        return [_line(where, t("schema.expected_type", expected=_type_name(_TYPE_NAMES[kind]),
                                got=_type_name(type(value).__name__)))]
    return [_line(where, error["msg"])]


def _type_name(name: str) -> str:
    """A JSON value's type in the reader's words (a Python name the catalogue does not know, as it is)."""
    return t(f"schema.type.{name}") if f"schema.type.{name}" in MESSAGES else name


def _line(where: str, problem: str) -> str:
    """A problem after its JSON path (`$.statuses[pending].color: …`), still a catalogue message to render again."""
    return compose("{where}: {problem}", where=where, problem=problem)


_BY_KEY = ("statuses", "problem_statuses")  # entries named by their key in paths once it is known


def _path(loc: tuple, raw: dict, kind: str) -> str:
    """`$.statuses[pending].color` for ("statuses", 1, "color"): statuses by key (but for their key, label and a
    missing or mistyped colour, said by position), everything else by position."""
    out = "$"
    for i, part in enumerate(loc):
        if isinstance(part, int):
            named = None
            if loc[0] in _BY_KEY and i == 1 and len(loc) > 2:
                field = loc[2]
                by_position = field in ("key", "label") or (field == "color" and kind != _PROBLEM)
                entry = raw.get(loc[0])[part] if isinstance(raw.get(loc[0]), list) else None
                if not by_position and isinstance(entry, dict) and isinstance(entry.get("key"), str):
                    named = entry["key"]
            out += f"[{named if named is not None else part}]"
        else:
            out += f".{part}"
    return out


def _model_at(loc: tuple) -> type[BaseModel]:
    """The model of the object at `loc` (for the keys it declares)."""
    model: type[BaseModel] = CampaignSchema
    for part in loc:
        if isinstance(part, int):
            continue
        field = next((f for n, f in model.model_fields.items() if (f.alias or n) == part), None)
        if field is None:
            break
        model = _inner_model(field.annotation) or model
    return model


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


if __name__ == "__main__":
    import json

    print(json.dumps(json_schema(), ensure_ascii=False, indent=2))
