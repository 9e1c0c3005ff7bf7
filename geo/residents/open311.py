"""Open311 GeoReport v2 over residents' reports: the services, a posted request as a report, a report as a request.

What the 12345 hotline's and city-management apps speak (docs/open311.md). The rules are here; web/open311/ only
reads the request and shapes the answer.

* **Services**: one per problem category of the campaign, its name the category's (Chinese) name. Its
  `service_code` is `c` and the first 10 hex digits of the SHA-256 of the name: plain ASCII for the other side's
  tables, and stable when categories are added or reordered (a renamed category is a new service). A posted
  request may name the category itself as its service_code too.
* **A posted request** becomes a report through `geo/residents/reports.py` `submit(…, channel="open311")`:
  `lat`/`long`, or where only `address_string` is given the place or area it names (`locate`: the longest name
  of a place, a community or a sub-district of the campaign found in it — the intranet has no geocoder);
  `description`, `phone`, `last_name` + `first_name` (姓名 in Chinese order), `device_id` (kept as a hash). What
  GeoReport has and a report does not keep — `email`, `account_id`, `media_url` (the server fetches nothing from
  outside) — is said in the answer's `service_notice`.
* **A report as a request**: its public view only (geo/residents/reports.py `public_view`: never the phone, the
  name, the device or a hidden text); `status` is `closed` once its case reached 结案 (a merged report follows the
  case it joined) or it was rejected, `open` otherwise; `status_notes` the state in words, with the reason of a
  rejection; `expected_datetime` the case's current stage's due while it runs; `media_url` the after photo
  (整改后) once it is closed. Times are in the campaign's time zone, with the offset.
* **Listing** (`find`): by `service_request_id` (comma-separated receipt codes: the others are then ignored), or
  by `service_code`, `start_date`, `end_date` (on the time received) and `status`, newest first; without dates,
  the last 90 days; at most 1000 at a time (`page_size`, `page` page on).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from geo.cases.deadlines import instant
from geo.config import Campaign
from geo.errors import BadParameters, FieldError, GuatuError, NotFound, ValidationError
from geo.messages import compose, t
from geo.residents.satisfaction import CaseLookup, store_cases
from geo.store.base import Store

SPAN = timedelta(days=90)  # a listing without dates: the last 90 days (GeoReport v2's default)
MAX_PAGE = 1000  # requests in one answer, at most (GeoReport v2's default limit)
STATUSES = ("open", "closed")
_CODE = re.compile(r"^[2-9A-HJ-NP-Z]{8}$")  # a receipt code (geo/residents/reports.py)


class KeyRefused(GuatuError):
    """A request that needs an api_key sent none, an unknown or revoked one, or one of a role below 督导员 (403,
    as GeoReport answers a bad key)."""

    http_status = 403
    code = "forbidden"


def service_code(category: str) -> str:
    return "c" + hashlib.sha256(category.encode("utf-8")).hexdigest()[:10]


def services(campaign: Campaign) -> list[dict]:
    """GET services: one service per problem category, in the campaign's order."""
    return [{"service_code": service_code(c), "service_name": c, "description": t("open311.service_description",
                                                                                   category=c),
             "metadata": False, "type": "realtime", "keywords": "", "group": campaign.title}
            for c in campaign.categories]


def category_of(campaign: Campaign, code: str) -> str:
    """The category a service_code (or the category's own name) names; NotFound otherwise."""
    for category in campaign.categories:
        if code in (service_code(category), category):
            return category
    raise NotFound(t("open311.unknown_service", code=code))


def definition(campaign: Campaign, code: str) -> dict:
    """GET services/<code>: the service's definition. A report asks nothing beyond GeoReport's own fields."""
    return {"service_code": service_code(category_of(campaign, code)), "attributes": []}


# --- a posted request ---------------------------------------------------------------------

@dataclass(frozen=True)
class Posted:
    """A POST requests' fields, read and checked, ready for `submit`."""

    category: str
    lon: float
    lat: float
    description: str
    address: str | None
    phone: str | None
    name: str | None
    device_id: str | None  # as sent: kept only as a hash (the web layer hashes it as the public page does)
    notices: tuple[str, ...]


def _text(form: Mapping[str, str], key: str) -> str | None:
    value = form.get(key)
    value = value.strip() if isinstance(value, str) else None
    return value or None


def _number(form: Mapping[str, str], key: str, low: float, high: float, errors: list[FieldError]) -> float | None:
    raw = _text(form, key)
    if raw is None:
        return None
    try:
        value = float(raw)
    except ValueError:
        value = float("nan")
    if not low <= value <= high:  # NaN too
        errors.append(FieldError(key, t("open311.bad_number", low=low, high=high, got=raw[:40])))
        return None
    return value


def read_post(store: Store, campaign: Campaign, data_dir: Path, form: Mapping[str, str]) -> Posted:
    """The fields of a POST requests, checked: a 400 (BadParameters) names every field at fault, in Chinese;
    an unknown service_code is a 404 (NotFound)."""
    errors: list[FieldError] = []
    code = _text(form, "service_code")
    if code is None:
        errors.append(FieldError("service_code", t("open311.missing", field="service_code")))
    lat = _number(form, "lat", -90, 90, errors)
    lon = _number(form, "long", -180, 180, errors)
    address = _text(form, "address_string")
    if (lat is None) != (lon is None) and not errors:
        errors.append(FieldError("long" if lon is None else "lat", t("open311.lat_long_pair")))
    if lat is None and lon is None and address is None and not errors:
        errors.append(FieldError("lat", t("open311.no_location")))
    if errors:
        raise BadParameters(errors)
    category = category_of(campaign, code)
    if lat is None or lon is None:
        lon, lat = locate(store, campaign, data_dir, address)
    notices = []
    if _text(form, "media_url"):
        notices.append(t("open311.notice_media_url"))
    if _text(form, "email"):
        notices.append(t("open311.notice_email"))
    name = "".join(filter(None, (_text(form, "last_name"), _text(form, "first_name")))) or None
    return Posted(category=category, lon=lon, lat=lat, description=_text(form, "description") or "",
                  address=address, phone=_text(form, "phone"), name=name, device_id=_text(form, "device_id"),
                  notices=tuple(notices))


def locate(store: Store, campaign: Campaign, data_dir: Path, address: str) -> tuple[float, float]:
    """Where `address` points: the place of the campaign whose name it holds (the longest such name), else the
    community, else the sub-district; a 400 naming address_string when it names none of them."""
    import shapely
    from shapely.geometry import shape

    from geo.boundaries import usable_boundaries

    best: tuple[int, dict] | None = None
    for layer in campaign.layers:
        for feature in store.each_feature(layer.id):
            name = (feature.get("properties") or {}).get("name")
            if isinstance(name, str) and len(name) >= 2 and name in address and feature.get("geometry"):
                if best is None or len(name) > best[0]:
                    best = (len(name), feature)
    if best is not None:
        point = shapely.point_on_surface(shape(best[1]["geometry"]))
        return round(point.x, 6), round(point.y, 6)
    for level in ("community", "street"):
        areas = usable_boundaries(data_dir, campaign, level)
        named = [a for a in areas if isinstance(a["properties"].get("name"), str)
                 and len(a["properties"]["name"]) >= 2 and a["properties"]["name"] in address]
        if named:
            lon, lat = max(named, key=lambda a: len(a["properties"]["name"]))["properties"]["label_point"]
            return lon, lat
    raise BadParameters([FieldError("address_string", t("open311.address_unknown", address=address[:80]))])


def answer(record: dict, posted: Posted) -> list[dict]:
    """POST requests' answer: the receipt code as the request's id, and what was not kept."""
    notice = " ".join([t("open311.notice_received", code=record["code"]), *posted.notices])
    return [{"service_request_id": record["code"], "service_notice": notice, "account_id": None}]


# --- a report as a request --------------------------------------------------------------------

def _local(text: str | None, campaign: Campaign) -> str | None:
    when = instant(text) if text else None
    return when.astimezone(campaign.timezone).isoformat(timespec="seconds") if when else None


def status_of(record: dict, case: dict | None) -> str:
    """`closed` once rejected, or once the case it became or joined reached 结案; `open` otherwise."""
    if record.get("state") == "rejected":
        return "closed"
    if record.get("state") in ("accepted", "merged") and isinstance(case, dict) and case.get("stage") == "closed":
        return "closed"
    return "open"


def as_request(record: dict, view: dict, case: dict | None, campaign: Campaign, *, photo_url, exact: bool) -> dict:
    """One report as GeoReport's service request, from its public view (`view`); `exact`: the position as
    reported (for a key holder), else rounded to about 100 m."""
    status = status_of(record, case)
    running = isinstance(case, dict) and status == "open" and case.get("stage") not in ("closed", None)
    stamps = [record.get("at"), record.get("handled_at"), (record.get("rating") or {}).get("at")]
    if isinstance(case, dict):
        stamps += [case.get("stage_since"), case.get("closed_at")]
    updated = max((instant(s) for s in stamps if s), default=None)
    after = view.get("after_photo")
    digits = 6 if exact else 3
    lat, lon = record.get("lat"), record.get("lon")
    notes = view.get("state_text")
    if view.get("reason"):
        notes = compose("{state}:{reason}", state=notes, reason=view["reason"])
    return {
        "service_request_id": record["code"],
        "status": status,
        "status_notes": notes,
        "service_name": record.get("category"),
        "service_code": service_code(record["category"]) if record.get("category") else None,
        "description": view.get("description"),
        "agency_responsible": (case or {}).get("unit") if record.get("state") in ("accepted", "merged") else None,
        "service_notice": None,
        "requested_datetime": _local(record.get("at"), campaign),
        "updated_datetime": updated.astimezone(campaign.timezone).isoformat(timespec="seconds") if updated else None,
        "expected_datetime": _local(case.get("stage_due"), campaign) if running else None,
        "address": " ".join(p for p in (view.get("street"), view.get("community")) if p) or None,
        "address_id": None,
        "zipcode": None,
        "lat": round(lat, digits) if isinstance(lat, int | float) else None,
        "long": round(lon, digits) if isinstance(lon, int | float) else None,
        "media_url": photo_url(after) if after and status == "closed" else None,
    }


@dataclass(frozen=True)
class Query:
    """GET requests' filters, read and checked."""

    ids: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    start: datetime | None = None
    end: datetime | None = None
    statuses: tuple[str, ...] = ()
    page: int = 1
    page_size: int = MAX_PAGE


def _listed(raw: str | None) -> list[str]:
    return [p.strip() for p in (raw or "").split(",") if p.strip()]


def _instant(raw: str, campaign: Campaign, *, end: bool) -> datetime:
    """A w3 date-time (with Z or an offset; without one, in the campaign's time zone) or a date (its start, or
    for end_date its end)."""
    text = raw.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        day = date.fromisoformat(text) + (timedelta(days=1) if end else timedelta())
        return datetime.combine(day, time(0), tzinfo=campaign.timezone)
    when = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    return when if when.tzinfo else when.replace(tzinfo=campaign.timezone)


def read_query(args: Mapping[str, str], campaign: Campaign) -> Query:
    """The filters of GET requests; a 400 names every one that cannot be read."""
    errors: list[FieldError] = []
    ids = _listed(args.get("service_request_id"))
    bad_ids = [i for i in ids if not _CODE.match(i.upper())]
    if bad_ids:
        errors.append(FieldError("service_request_id", t("open311.bad_id", got=bad_ids[0][:20])))
    categories = []
    for code in _listed(args.get("service_code")):
        try:
            categories.append(category_of(campaign, code))
        except NotFound as exc:
            errors.append(FieldError("service_code", exc.message))
    bounds: dict[str, datetime | None] = {"start_date": None, "end_date": None}
    for key in bounds:
        raw = args.get(key)
        if raw:
            try:
                bounds[key] = _instant(raw, campaign, end=key == "end_date")
            except ValueError:
                errors.append(FieldError(key, t("open311.bad_date", got=raw[:40])))
    statuses = _listed(args.get("status"))
    if any(s not in STATUSES for s in statuses):
        errors.append(FieldError("status", t("open311.bad_status", got=",".join(statuses)[:40])))
    numbers = {}
    for key, default, high in (("page", 1, 10**6), ("page_size", MAX_PAGE, MAX_PAGE)):
        raw = args.get(key)
        if raw is None or raw == "":
            numbers[key] = default
        elif raw.isascii() and raw.isdigit() and 1 <= int(raw) <= high:
            numbers[key] = int(raw)
        else:
            errors.append(FieldError(key, t("open311.bad_page", key=key, high=high, got=raw[:20])))
    if not errors and bounds["start_date"] and bounds["end_date"] and bounds["start_date"] > bounds["end_date"]:
        errors.append(FieldError("end_date", t("open311.dates_reversed")))
    if errors:
        raise BadParameters(errors)
    return Query(ids=tuple(i.upper() for i in ids), categories=tuple(categories), start=bounds["start_date"],
                 end=bounds["end_date"], statuses=tuple(statuses), **numbers)


def find(records: list[dict], cases, query: Query, now: datetime) -> list[tuple[dict, dict | None]]:
    """The reports a query asks for with their cases, newest first (the ids' own order when ids are asked)."""
    if query.ids:
        by_code = {r["code"]: r for r in records}
        chosen = [by_code[i] for i in dict.fromkeys(query.ids) if i in by_code]
        return [(r, cases(r.get("case"))) for r in chosen]
    end = query.end or (query.start + SPAN if query.start else now)
    start = query.start or end - SPAN
    out = []
    for r in records:
        at = instant(r.get("at")) if r.get("at") else None
        if at is None or not start <= at <= end:
            continue
        if query.categories and r.get("category") not in query.categories:
            continue
        case = cases(r.get("case"))
        if query.statuses and status_of(r, case) not in query.statuses:
            continue
        out.append((r, case))
    out.sort(key=lambda rc: rc[0].get("at") or "", reverse=True)
    first = (query.page - 1) * query.page_size
    return out[first:first + query.page_size]


def cases_of(store: Store, campaign: Campaign) -> CaseLookup:
    """The lookup `find` and `as_request` take: a report's case reference → its case (geo/residents/satisfaction)."""
    return store_cases(store, campaign)


FIELD_NAMES = {"location": "lat", "category": "service_code", "name": "last_name", "address": "address_string"}


def open311_fields(exc: ValidationError) -> list[FieldError]:
    """A report's refusal (geo/residents/reports.py `submit`) with its fields named as GeoReport names them."""
    return [FieldError(FIELD_NAMES.get(e.field, e.field), e.message) for e in exc.errors]
