"""Validation of every write: a feature's properties, its ledger and its geometry.

`validate_feature` returns a clean copy ready to store, or raises
`ValidationError` listing every field at fault, each naming the feature.
A new or moved geometry must lie in the campaign area: the district boundary
and a small buffer (`geo.area`, `Campaign.write_area`). Invalid geometry is repaired with shapely's `make_valid` only when the caller
asks for it (`repair=True`); the repair is then reported in the notes.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import shapely
from shapely.geometry import mapping, shape

from geo.config import Campaign, Layer
from geo.dates import parse_day, parse_instant
from geo.errors import FieldError, ValidationError
from geo.geojson_check import DEPTH, geometry_errors
from geo.geojson_io import PRECISION, round_coords
from geo.messages import message_of, t

SYSTEM_PROPERTIES = ("version", "updated_at", "updated_by")
MAX_TEXT = 200
MAX_NOTES = 5000
MAX_PROBLEMS = 500
# A place's photos (the property `photos`, written by geo/photos): the shape of one entry.
MAX_PHOTOS = 200
PHOTO_ROLES = ("place", "before", "after", "check", "inspection")
PROBLEM_PHOTO_ROLES = ("before", "after", "check")  # the roles of a photo of a ledger problem, and only of one
PHOTO_TYPES = ("image/jpeg", "image/png", "image/webp", "image/heic")
PHOTO_FIELDS = ("id", "role", "problem", "inspection", "taken_at", "taken_by", "added_at", "location", "width",
                "height", "bytes", "type", "caption", "client_id")
PHOTO_ID = re.compile(r"^[0-9a-f]{64}$")
SWAP_MARGIN = 0.5  # degrees: positions this near the bounds once swapped were given as [latitude, longitude]
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DIMENSION = {"Point": 0, "MultiPoint": 0, "LineString": 1, "MultiLineString": 1, "Polygon": 2, "MultiPolygon": 2}


@dataclass
class Validated:
    feature: dict
    notes: list[str] = field(default_factory=list)


def validate_feature(feature: Any, layer: Layer, campaign: Campaign, *, repair: bool = False,
                     check_area: bool = True) -> Validated:
    """Check a whole feature for `layer`; returns it cleaned (rounded, oriented). The geometry must lie in the
    campaign area (geo.area) unless `check_area` is off: an edit that keeps a place's stored geometry is not
    refused because the place was drawn before the area was narrowed."""
    if not isinstance(feature, dict):
        raise ValidationError([FieldError("feature", t("feature.not_an_object"))])
    fid = feature.get("id")
    label = str(fid) if fid is not None else _name_of(feature)
    errors: list[FieldError] = []

    if feature.get("type", "Feature") != "Feature":
        errors.append(FieldError("type", t("feature.not_feature_type", got=repr(feature.get("type"))), label))
    if fid is not None and (not isinstance(fid, str) or not _ID.match(fid)):
        errors.append(FieldError("id", t("feature.bad_id"), label))

    props = feature.get("properties")
    if not isinstance(props, dict):
        errors.append(FieldError("properties", t("feature.not_an_object_value"), label))
        props = {}
    clean_props = _properties(props, layer, campaign, label, errors)

    notes: list[str] = []
    geometry = None
    if "geometry" not in feature or feature.get("geometry") is None:
        errors.append(FieldError("geometry", t("feature.geometry_missing"), label))
    else:
        geometry = _geometry(feature["geometry"], layer, campaign, label, errors, notes, repair, check_area)

    if errors:
        raise ValidationError(errors)
    out = {"type": "Feature", "id": fid, "properties": clean_props, "geometry": geometry}
    return Validated(out, notes)


def _name_of(feature: dict) -> str | None:
    props = feature.get("properties")
    if isinstance(props, dict) and isinstance(props.get("name"), str):
        return props["name"][:MAX_TEXT]
    return None


# --- properties -------------------------------------------------------------

def _text(props: dict, key: str, label, errors, *, required=False, limit=MAX_TEXT) -> str | None:
    value = props.get(key)
    if value is None or value == "":
        if required:
            errors.append(FieldError(key, t("request.required"), label))
        return "" if value == "" else None
    if not isinstance(value, str):
        errors.append(FieldError(key, t("feature.not_text", got=type(value).__name__), label))
        return None
    value = value.strip()
    if required and not value:
        errors.append(FieldError(key, t("request.required"), label))
    if len(value) > limit:
        errors.append(FieldError(key, t("feature.too_long", limit=limit), label))
    if any(ord(ch) < 32 and ch not in "\n\t" for ch in value):
        errors.append(FieldError(key, t("feature.control_characters"), label))
    return value


def parse_date(value: Any) -> date:
    """A calendar date written YYYY-MM-DD within the campaign years; raises ValueError (geo.dates.BadDate) otherwise."""
    return parse_day(value)


def _date(obj: dict, key: str, label, errors, *, where: str = "") -> str | None:
    value = obj.get(key)
    if value in (None, ""):
        return None
    try:
        return parse_date(value).isoformat()
    except ValueError as exc:
        errors.append(FieldError(where + key, message_of(exc), label))
        return None


def _properties(props: dict, layer: Layer, campaign: Campaign, label, errors: list[FieldError]) -> dict:
    out: dict[str, Any] = {}
    out["name"] = _text(props, "name", label, errors, required=True)
    kind = _text(props, "kind", label, errors, required=bool(layer.kinds))
    if kind and layer.kinds and kind not in layer.kinds:
        errors.append(FieldError("kind", t("feature.unknown_kind", kind=repr(kind), layer=layer.title,
                                                     kinds=", ".join(layer.kinds)), label))
    out["kind"] = kind
    out["street"] = _text(props, "street", label, errors)
    out["community"] = _text(props, "community", label, errors)

    status = props.get("status")
    if status is None:
        errors.append(FieldError("status", t("request.required"), label))
    elif status not in campaign.status_keys:
        errors.append(FieldError("status", t("feature.unknown_status", status=repr(status),
                                                   statuses=", ".join(campaign.status_keys)), label))
    out["status"] = status
    out["deadline"] = _date(props, "deadline", label, errors)
    out["unit"] = _text(props, "unit", label, errors)
    out["people"] = _people(props.get("people"), campaign, label, errors)
    out["notes"] = _text(props, "notes", label, errors, limit=MAX_NOTES) or ""
    out["problems"] = _problems(props.get("problems"), campaign, label, errors)
    if props.get("photos") is not None:
        out["photos"] = _photos(props.get("photos"), label, errors)

    known = set(out) | set(SYSTEM_PROPERTIES) | {"photos"}
    for key, value in props.items():
        if key in known:
            continue
        if not isinstance(key, str) or not key or len(key) > 64:
            errors.append(FieldError(str(key)[:64], t("feature.bad_property_name"), label))
        elif value is not None and not isinstance(value, (str, int, float, bool)):
            errors.append(FieldError(key, t("feature.bad_extra_value"), label))
        elif isinstance(value, float) and not math.isfinite(value):
            errors.append(FieldError(key, t("feature.not_finite"), label))
        elif isinstance(value, str) and len(value) > MAX_NOTES:
            errors.append(FieldError(key, t("feature.too_long", limit=MAX_NOTES), label))
        else:
            out[key] = value
    return out


def _people(value: Any, campaign: Campaign, label, errors) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        errors.append(FieldError("people", t("feature.bad_people"), label))
        return {}
    roles = {r.key for r in campaign.roles}
    out = {}
    for role in value:
        if role not in roles:
            errors.append(FieldError(f"people.{role}", t("feature.unknown_role", roles=", ".join(sorted(roles))), label))
            continue
        text = _text(value, role, label, errors)
        if text:
            out[role] = text
    return {r.key: out[r.key] for r in campaign.roles if r.key in out}


def _problems(value: Any, campaign: Campaign, label, errors) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        errors.append(FieldError("problems", t("feature.bad_problems"), label))
        return []
    if len(value) > MAX_PROBLEMS:
        errors.append(FieldError("problems", t("feature.too_many_problems", limit=MAX_PROBLEMS), label))
        return []
    statuses = {p.key: p for p in campaign.problem_statuses}
    out, seen = [], set()
    for i, item in enumerate(value):
        where = f"problems[{i}]."
        if not isinstance(item, dict):
            errors.append(FieldError(f"problems[{i}]", t("feature.not_an_object_value"), label))
            continue
        n = len(errors)
        pid = item.get("id")
        if pid is None or pid == "":
            pid = f"{label or 'p'}-p{i + 1}" if label and _ID.match(f"{label}-p{i + 1}") else f"p{i + 1}"
        if not isinstance(pid, str) or not _ID.match(pid):
            errors.append(FieldError(where + "id", t("feature.bad_id"), label))
        elif pid in seen:
            errors.append(FieldError(where + "id", t("feature.problem_id_twice", pid=repr(pid)), label))
        seen.add(pid)
        category = item.get("category")
        if category not in campaign.categories:
            errors.append(FieldError(where + "category", t("feature.unknown_category", category=repr(category)), label))
        status = item.get("status", "open")
        if status not in statuses:
            errors.append(FieldError(where + "status", t("feature.unknown_problem_status", status=repr(status),
                                                                statuses=", ".join(statuses)), label))
        entry = {
            "id": pid,
            "category": category,
            "description": _text(item, "description", label, errors, limit=MAX_NOTES) or "",
            "found_on": _date(item, "found_on", label, errors, where=where),
            "found_by": _text(item, "found_by", label, errors) or "",
            "deadline": _date(item, "deadline", label, errors, where=where),
            "responsible": _text(item, "responsible", label, errors) or "",
            "status": status,
            "closed_on": _date(item, "closed_on", label, errors, where=where),
        }
        case = item.get("case")
        if isinstance(case, dict):  # the case loop's record (geo/cases writes it; the store keeps it on other paths)
            entry["case"] = case
        elif case is not None:
            errors.append(FieldError(where + "case", t("feature.not_an_object_value"), label))
        if status in statuses and statuses[status].open and entry["closed_on"]:
            errors.append(FieldError(where + "closed_on", t("feature.closed_while_open"), label))
        if entry["found_on"] and entry["deadline"] and entry["deadline"] < entry["found_on"]:
            errors.append(FieldError(where + "deadline", t("feature.deadline_before_found"), label))
        if len(errors) == n:
            out.append(entry)
    return out


def photo_errors(value: Any, errors: list[FieldError]) -> None:
    """The write boundary's check of a place's photo entries, for a place read back (geo/stored_place.py)."""
    _photos(value, None, errors)


def _photos(value: Any, label, errors) -> list:
    """The place's photos, oldest first: each entry's fields and types (geo/photos writes them; a hand-edited
    file or an import cannot put anything else here). That every new entry's file exists is checked by the
    store (`Store.apply`), which knows where the files are."""
    if not isinstance(value, list):
        errors.append(FieldError("photos", t("photo.bad_list"), label))
        return []
    if len(value) > MAX_PHOTOS:
        errors.append(FieldError("photos", t("photo.too_many", limit=MAX_PHOTOS), label))
        return []
    out, seen = [], set()
    for i, item in enumerate(value):
        where = f"photos[{i}]."
        if not isinstance(item, dict):
            errors.append(FieldError(f"photos[{i}]", t("feature.not_an_object_value"), label))
            continue
        n = len(errors)
        for key in item:
            if key not in PHOTO_FIELDS:
                errors.append(FieldError(where + str(key)[:64], t("photo.unknown_field", field=repr(str(key)[:64]),
                                                                 fields=", ".join(PHOTO_FIELDS)), label))
        pid = item.get("id")
        if not isinstance(pid, str) or not PHOTO_ID.match(pid):
            errors.append(FieldError(where + "id", t("photo.bad_id"), label))
        elif pid in seen:
            errors.append(FieldError(where + "id", t("photo.twice", photo=pid), label))
        seen.add(pid)
        role = item.get("role")
        problem = item.get("problem")
        if role not in PHOTO_ROLES:
            errors.append(FieldError(where + "role", t("photo.unknown_role", role=repr(role), roles=", ".join(PHOTO_ROLES)),
                                     label))
        elif problem is None and role in PROBLEM_PHOTO_ROLES:
            errors.append(FieldError(where + "problem", t("photo.role_needs_problem", label=t(f"photo.role.{role}")), label))
        elif problem is not None and role not in PROBLEM_PHOTO_ROLES:
            errors.append(FieldError(where + "role", t("photo.problem_roles", role=role), label))
        if problem is not None and (not isinstance(problem, str) or not _ID.match(problem)):
            errors.append(FieldError(where + "problem", t("feature.bad_id"), label))
        inspection = _date(item, "inspection", label, errors, where=where)
        taken_at = _instant(item, "taken_at", label, errors, where=where)
        added_at = _instant(item, "added_at", label, errors, where=where, required=True)
        location = _photo_location(item.get("location"), label, errors, where)
        numbers = {}
        for key, least in (("width", 1), ("height", 1), ("bytes", 0)):
            number = item.get(key)
            if not isinstance(number, int) or isinstance(number, bool) or number < least:
                errors.append(FieldError(where + key, t("photo.bad_number", least=least), label))
            numbers[key] = number
        if item.get("type") not in PHOTO_TYPES:
            errors.append(FieldError(where + "type", t("photo.unknown_type", type=repr(item.get("type")),
                                                        types=", ".join(PHOTO_TYPES)), label))
        taken_by = _text(item, "taken_by", label, errors, required=True)
        caption = _text(item, "caption", label, errors, limit=MAX_TEXT) or ""
        client_id = _text(item, "client_id", label, errors, limit=64) or None
        if len(errors) == n:
            out.append({"id": pid, "role": role, "problem": problem, "inspection": inspection, "taken_at": taken_at,
                        "taken_by": taken_by, "added_at": added_at, "location": location, **numbers,
                        "type": item["type"], "caption": caption, "client_id": client_id})
    return out


def _instant(obj: dict, key: str, label, errors, *, where: str = "", required: bool = False) -> str | None:
    """An RFC 3339 date-time, kept as UTC written with a Z."""
    value = obj.get(key)
    if value in (None, ""):
        if required:
            errors.append(FieldError(where + key, t("request.required"), label))
        return None
    try:
        return parse_instant(value).strftime("%Y-%m-%dT%H:%M:%SZ")
    except ValueError as exc:
        errors.append(FieldError(where + key, message_of(exc), label))
        return None


def _photo_location(value: Any, label, errors, where: str) -> dict | None:
    if value is None:
        return None
    lon = value.get("lon") if isinstance(value, dict) else None
    lat = value.get("lat") if isinstance(value, dict) else None
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in (lon, lat)) \
            or not (-180 <= lon <= 180 and -90 <= lat <= 90) or set(value) - {"lon", "lat", "source"}:
        errors.append(FieldError(where + "location", t("photo.bad_location"), label))
        return None
    if value.get("source") not in ("device", "exif"):
        errors.append(FieldError(where + "location.source", t("photo.unknown_location_source"), label))
        return None
    return {"lon": float(lon), "lat": float(lat), "source": value["source"]}


# --- geometry ---------------------------------------------------------------

def _geometry(geom: Any, layer: Layer, campaign: Campaign, label, errors, notes, repair: bool,
              check_area: bool = True) -> dict | None:
    gtype = geom.get("type") if isinstance(geom, dict) else None
    if not (isinstance(gtype, str) and gtype in DEPTH and gtype not in layer.geometry_types):
        structure = geometry_errors(geom, "geometry", label, types=tuple(DEPTH))
        if structure:  # shapely never sees a geometry it could choke on
            errors.extend(structure)
            return None
    if gtype not in layer.geometry_types:
        allowed = ", ".join(layer.geometry_types)
        errors.append(FieldError("geometry.type", t("feature.geometry_type_not_allowed", type=gtype, layer=layer.title,
                                                              allowed=allowed), label))
        return None
    coords = geom["coordinates"]
    try:
        shp = shape({"type": gtype, "coordinates": round_coords(coords)})
    except (ValueError, TypeError, shapely.errors.GEOSException) as exc:
        errors.append(FieldError("geometry.coordinates", t("feature.geometry_unreadable", type=gtype, detail=str(exc)), label))
        return None
    if shp.is_empty:
        errors.append(FieldError("geometry", t("feature.geometry_empty"), label))
        return None
    if not _in_range(shp, campaign, label, errors, check_area):
        return None
    if not shp.is_valid:
        reason = shapely.is_valid_reason(shp)
        if not repair:
            errors.append(FieldError("geometry", t("feature.geometry_invalid", reason=reason), label))
            return None
        fixed = _keep_dimension(shapely.make_valid(shp), _DIMENSION[gtype])
        if fixed is None or fixed.is_empty or fixed.geom_type not in layer.geometry_types:
            errors.append(FieldError("geometry", t("feature.geometry_unrepairable", reason=reason), label))
            return None
        notes.append(t("feature.geometry_repaired", label=label, reason=reason, type=fixed.geom_type))
        shp = fixed
    if _DIMENSION[shp.geom_type] == 2:
        shp = shapely.orient_polygons(shp)
    return {"type": shp.geom_type, "coordinates": round_coords(mapping(shp)["coordinates"])}


def _in_range(shp, campaign: Campaign, label, errors, check_area: bool = True) -> bool:
    xy = shapely.get_coordinates(shp)
    lon, lat = xy[:, 0], xy[:, 1]
    if np.any(np.abs(lon) > 180) or np.any(np.abs(lat) > 90):
        if np.all(np.abs(lon) <= 90) and np.any(np.abs(lat) > 90):
            msg = t("feature.latitude_first")
        else:
            msg = t("feature.not_wgs84")
        errors.append(FieldError("geometry.coordinates", msg, label))
        return False
    refusal = campaign.write_area.refusal(lon, lat) if check_area else None  # the district and a buffer (geo.area)
    if refusal is not None:
        w, s, e, n = campaign.map.bounds
        m = SWAP_MARGIN
        if w - m <= lat.min() and lat.max() <= e + m and s - m <= lon.min() and lon.max() <= n + m:
            refusal = t("feature.swapped_positions")
        errors.append(FieldError("geometry.coordinates", refusal, label))
        return False
    return True


def _keep_dimension(geom, dim: int):
    """make_valid may return a GeometryCollection; keep the parts of `dim`."""
    if geom.geom_type == "GeometryCollection":
        parts = [g for g in geom.geoms if _DIMENSION.get(g.geom_type) == dim]
        if not parts:
            return None
        geom = shapely.union_all(parts)
    if _DIMENSION.get(geom.geom_type) != dim:
        return None
    return shapely.set_precision(geom, 10 ** -PRECISION) if dim == 2 else geom
