"""A resident's or volunteer's report (随手拍): kept as a store record (kind `resident-reports`, key = its receipt
code), triaged by the area's staff into the case loop, followed by the reporter with the code, rated once closed.

- `submit` checks and keeps a report (the pin inside the campaign's area, a campaign category, lengths, photos
  already kept by `geo.residents.photos.keep_photo`), fills its sub-district and community from the boundaries
  and emits `report_arrived` (geo/notify/events.py).
- Triage, by staff whose scope covers the report's area (`may_triage`): `accept` files a ledger problem with a case
  (`source="resident"`, geo/cases) on the place that contains the pin or is nearest to it, the report's photos as
  its 整改前 photos; `merge` attaches it to an open case near the pin (`geo.residents.nearby.open_cases_near`);
  `reject` with a reason the reporter reads. `hide` (moderation) takes a report's text and photos off the public
  follow-up.
- `public_view` is what anyone holding the code may see: never the phone, name, device, squad, or a hidden text.
- `rate`: once, only after the case is closed (结案).

A report's state is `received`, `accepted`, `merged` or `rejected`; while its case runs, what the reporter reads
follows the case (受理 / 处置中 / 已办结), read from the place each time, never copied.
"""

from __future__ import annotations

import copy
import math
import re
import secrets
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from geo.accounts import Principal
from geo.boundaries import locate
from geo.cases import case_of, is_dispatcher
from geo.config import Campaign
from geo.errors import Conflict, FieldError, GuatuError, NotFound, StoreBusy, ValidationError
from geo.ledger import add_problem
from geo.messages import t
from geo.notify.events import Event, emit, event
from geo.photos.service import photos_of
from geo.residents.nearby import MERGE_RADIUS_M, nearest_place, open_cases_near
from geo.residents.photos import MAX_PHOTOS, photo_facts
from geo.store.base import Store

KIND = "resident-reports"
CLIENTS = "resident-clients"  # a sender's own key of a report → its code (a resend keeps one report)
ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud or typed from a screen without doubt
CODE_LENGTH = 8
CODE = re.compile(rf"^[{ALPHABET}]{{{CODE_LENGTH}}}$")
CHANNELS = ("web", "open311", "volunteer")
STATES = ("received", "accepted", "merged", "rejected")
RATINGS = ("satisfied", "basic", "unsatisfied")
MAX_DESCRIPTION = 500
MAX_SHORT = 100  # address, reason, comment
MAX_NAME = 40
PHONE = re.compile(r"^\+?[0-9][0-9 \-]{4,19}$")
PHOTO_ID = re.compile(r"^[0-9a-f]{64}$")
RETRIES = 10


def _iso(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _text(value, field: str, errors: list[FieldError], *, limit: int, required: bool = False) -> str | None:
    """A trimmed text field, or None when empty; refusals name the field."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            errors.append(FieldError(field, t("request.required")))
        return None
    if not isinstance(value, str):
        errors.append(FieldError(field, t("request.wrong_type", expected=t("request.type_string"))))
        return None
    text = value.strip()
    if len(text) > limit:
        errors.append(FieldError(field, t("feature.too_long", limit=limit)))
    if any(ord(ch) < 32 and ch not in "\n\t" for ch in text):
        errors.append(FieldError(field, t("feature.control_characters")))
    return text


def _position(lon, lat, campaign: Campaign, errors: list[FieldError]) -> tuple[float, float]:
    try:
        x, y = float(lon), float(lat)
    except (TypeError, ValueError):
        x = y = math.nan
    if isinstance(lon, bool) or isinstance(lat, bool) or not (math.isfinite(x) and math.isfinite(y)) \
            or not (-180 <= x <= 180 and -90 <= y <= 90):
        errors.append(FieldError("location", t("residents.bad_location")))
        return x, y
    if campaign.write_area.refusal(np.array([x]), np.array([y])) is not None:
        errors.append(FieldError("location", t("residents.outside_area", district=campaign.district)))
    return x, y


def new_code(store: Store) -> str:
    """A receipt code no report has: 8 characters of `ALPHABET` (40 bits, from `secrets`)."""
    while True:
        code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
        if store.record(KIND, code) is None:
            return code


def submit(store: Store, campaign: Campaign, *, lon: float, lat: float, category: str, description: str,
           now: datetime, photos: tuple | list = (), phone: str | None = None, name: str | None = None,
           address: str | None = None, channel: str = "web", squad: str | None = None, device: str | None = None,
           data_dir: Path | str | None = None, service_request_id: str | None = None,
           client_key: str | None = None) -> dict:
    """Check and keep a report; returns its record (with its receipt code). `data_dir`: where the campaign's
    boundary files are, to fill the sub-district and community (left None without it). `client_key`: what the
    sender calls this report (letters, digits, '-'): the same key again returns the report kept the first time,
    so a phone that sends again after a lost answer does not report twice. ValidationError naming every field
    at fault; nothing is kept then."""
    errors: list[FieldError] = []
    x, y = _position(lon, lat, campaign, errors)
    if not isinstance(category, str) or category not in campaign.categories:
        errors.append(FieldError("category", t("residents.unknown_category")))
    text = _text(description, "description", errors, limit=MAX_DESCRIPTION, required=True)
    kept_name = _text(name, "name", errors, limit=MAX_NAME)
    kept_address = _text(address, "address", errors, limit=MAX_SHORT)
    kept_phone = _text(phone, "phone", errors, limit=20)
    if kept_phone is not None and not PHONE.match(kept_phone):
        errors.append(FieldError("phone", t("residents.bad_phone")))
    kept_squad = _text(squad, "squad", errors, limit=32)
    if channel not in CHANNELS:
        errors.append(FieldError("channel", t("residents.unknown_channel", channels=", ".join(CHANNELS))))
    photos = list(photos or [])
    if len(photos) > MAX_PHOTOS:
        errors.append(FieldError("photos", t("residents.too_many_photos", limit=MAX_PHOTOS)))
    for i, pid in enumerate(photos):
        if not isinstance(pid, str) or not PHOTO_ID.match(pid) or not store.blobs.has(pid, "full"):
            errors.append(FieldError(f"photos[{i}]", t("residents.photo_missing")))
    if errors:
        raise ValidationError(errors)
    where = locate(Path(data_dir), campaign, x, y) if data_dir is not None else {"street": None, "community": None}
    if client_key is not None and not re.match(r"^[A-Za-z0-9-]{8,80}$", client_key):
        raise ValidationError([FieldError("client_id", t("residents.bad_client_id"))])
    with store.records_locked(KIND):
        sent = store.record(CLIENTS, client_key) if client_key is not None else None
        if sent is not None:
            record = get(store, sent["code"])
        else:
            code = new_code(store)
            record = {
                "code": code, "at": _iso(now), "channel": channel, "squad": kept_squad,
                "service_request_id": service_request_id or code, "device": device, "lon": round(x, 7),
                "lat": round(y, 7), "street": where["street"], "community": where["community"],
                "address": kept_address, "category": category, "description": text, "phone": kept_phone,
                "name": kept_name, "photos": list(dict.fromkeys(photos)), "state": "received", "reason": None,
                "case": None, "handled_by": None, "handled_at": None, "hidden": False, "rating": None,
            }
            store.put_record(KIND, code, record)
            if client_key is not None:
                store.put_record(CLIENTS, client_key, {"code": code})
    # announced once it is kept; when it is sent again, announced only if that first announcement was never made
    # (the process stopped, the store failed between): an event already kept may have gone out to people since
    news = _arrived(record)
    if sent is None or event(store, news.id) is None:
        emit(store, news)
    return record


def _arrived(record: dict) -> Event:
    """The news of a report that arrived (keyed by its receipt code)."""
    code = record["code"]
    return Event(kind="report_arrived", key=code, at=record["at"],
                 title=str(t("residents.event_title", category=record["category"])),
                 text=str(t("residents.event_text", area=_area(record), description=record["description"])),
                 link=f"/reports?code={code}", street=record["street"], community=record["community"],
                 data={"code": code, "category": record["category"], "lon": record["lon"], "lat": record["lat"],
                       "channel": record["channel"]})


def _area(record: dict) -> str:
    parts = [p for p in (record.get("street"), record.get("community")) if p]
    return " ".join(parts) if parts else str(t("residents.area_unknown"))


def get(store: Store, code: str) -> dict:
    """The report with this receipt code; NotFound otherwise (a code of another shape too: never a path)."""
    key = code.strip().upper() if isinstance(code, str) else ""
    record = store.record(KIND, key) if CODE.match(key) else None
    if record is None:
        raise NotFound(t("residents.no_report"))
    return record


def reports(store: Store) -> list[dict]:
    """Every report, newest first."""
    out = [r for r in (store.record(KIND, k) for k in store.record_keys(KIND)) if r is not None]
    return sorted(out, key=lambda r: (r["at"], r["code"]), reverse=True)


def may_triage(principal: Principal, record: dict) -> bool:
    """Whether this person may accept, merge, reject or moderate the report: an inspector or above whose scope
    covers the report's sub-district or community (district-wide staff: every report)."""
    return principal.can("inspector") and principal.scope.covers(
        {"street": record.get("street"), "community": record.get("community")})


def triage_queue(store: Store, principal: Principal) -> list[dict]:
    """The reports of this person's areas, those waiting for triage first, newest first within each."""
    mine = [r for r in reports(store) if may_triage(principal, r)]
    return [r for r in mine if r["state"] == "received"] + [r for r in mine if r["state"] != "received"]


def _update(store: Store, code: str, change, principal: Principal | None = None) -> dict:
    """Read the report under its kind's lock, let `change(record)` edit a copy (raising to refuse), write it."""
    with store.records_locked(KIND):
        record = get(store, code)
        if principal is not None and not may_triage(principal, record):
            raise ReportForbidden(t("residents.not_your_area"))
        updated = copy.deepcopy(record)
        change(updated)
        store.put_record(KIND, record["code"], updated)
    return updated


class ReportForbidden(GuatuError):
    """Triage of a report outside the person's areas (403)."""

    http_status = 403
    code = "forbidden"


def _waiting(record: dict) -> None:
    if record["state"] != "received":
        raise Conflict(t("residents.already_triaged", state=t(f"residents.state.{record['state']}")))


def _handled(record: dict, principal: Principal, now: datetime) -> None:
    record["handled_by"] = principal.username
    record["handled_at"] = _iso(now)


def accept(store: Store, campaign: Campaign, code: str, *, principal: Principal, now: datetime,
           layer: str | None = None, fid: str | None = None) -> dict:
    """Accept the report as a case: a ledger problem filed (立案) with `source="resident"` on the place `layer`/`fid`
    (default: the place containing the pin, else the nearest), the report's photos as its 整改前 photos. Returns
    the report. Conflict when it was triaged before; ReportForbidden outside the person's areas."""
    record = get(store, code)
    if not may_triage(principal, record):
        raise ReportForbidden(t("residents.not_your_area"))
    _waiting(record)
    if (layer is None) != (fid is None):
        raise ValidationError([FieldError("place", t("residents.place_needs_both"))])
    if layer is None:
        near = nearest_place(store, record["lon"], record["lat"])
        if near is None:
            raise ValidationError([FieldError("place", t("residents.no_place"))])
        layer, fid = near.layer, near.feature["id"]
    store.get(layer, fid)  # NotFound for a place that is not there
    today = now.astimezone(campaign.timezone).date()
    problem = {"category": record["category"], "description": record["description"],
               "found_on": datetime.fromisoformat(record["at"].replace("Z", "+00:00"))
               .astimezone(campaign.timezone).date().isoformat(),
               "found_by": str(t("residents.found_by", code=record["code"]))}
    with store.records_locked(KIND):
        record = get(store, code)
        _waiting(record)
        pid = _file(store, campaign, record, layer, fid, problem, principal, now, today)
        record = copy.deepcopy(record)
        record.update(state="accepted", case={"layer": layer, "fid": fid, "pid": pid}, reason=None)
        _handled(record, principal, now)
        store.put_record(KIND, record["code"], record)
    return record


def _file(store: Store, campaign: Campaign, record: dict, layer: str, fid: str, problem: dict,
          principal: Principal, now: datetime, today) -> str:
    """Write the new problem and its photos on the place (retried while others write it); its problem id."""
    for _ in range(RETRIES):
        current = store.get(layer, fid)
        props = current["properties"]
        changes = add_problem(current, problem, campaign, today, now=now, user=principal.username,
                              by=principal.label, source="resident", may_dispatch=is_dispatcher(principal, props))
        pid = changes["problems"][-1]["id"]
        known = {e.get("id") for e in props.get("photos") or []}
        added = [{"id": p, "role": "before", "problem": pid, "inspection": None, "taken_at": record["at"],
                  "taken_by": str(t("residents.taken_by")), "added_at": _iso(now),
                  "location": {"lon": record["lon"], "lat": record["lat"], "source": "device"},
                  **photo_facts(store, p), "caption": "", "client_id": None}
                 for p in record["photos"] if p not in known]
        photos = list(props.get("photos") or []) + added if added else None
        try:
            store.update(layer, fid, expected_version=props["version"], user=principal.label, properties=changes,
                         photos=photos, case_write=True, scope=principal.scope)
        except Conflict:
            continue
        return pid
    raise StoreBusy(t("residents.place_busy", fid=fid))


def merge_candidates(store: Store, record: dict, *, within_m: float = MERGE_RADIUS_M) -> list[dict]:
    """The open cases a report may be merged into: within `within_m` metres of its pin, nearest first."""
    return open_cases_near(store, record["lon"], record["lat"], within_m=within_m)


def merge(store: Store, campaign: Campaign, code: str, *, principal: Principal, now: datetime, layer: str, fid: str,
          pid: str, within_m: float = MERGE_RADIUS_M) -> dict:
    """Attach the report to the open case `layer`/`fid`/`pid`, which must be among `merge_candidates`; the
    reporter then follows that case. Returns the report."""
    def change(record: dict) -> None:
        _waiting(record)
        if not any(c["layer"] == layer and c["fid"] == fid and c["pid"] == pid
                   for c in merge_candidates(store, record, within_m=within_m)):
            raise ValidationError([FieldError("case", t("residents.not_a_candidate", metres=f"{within_m:.0f}"))])
        record.update(state="merged", case={"layer": layer, "fid": fid, "pid": pid}, reason=None)
        _handled(record, principal, now)
    return _update(store, code, change, principal)


def reject(store: Store, campaign: Campaign, code: str, *, principal: Principal, now: datetime, reason: str) -> dict:
    """Reject the report with a reason the reporter reads (required)."""
    errors: list[FieldError] = []
    text = _text(reason, "reason", errors, limit=MAX_SHORT, required=True)
    if errors:
        raise ValidationError(errors)

    def change(record: dict) -> None:
        _waiting(record)
        record.update(state="rejected", reason=text)
        _handled(record, principal, now)
    return _update(store, code, change, principal)


def hide(store: Store, code: str, *, principal: Principal, hidden: bool = True) -> dict:
    """Moderation: take the report's description and photos off the public follow-up (or show them again)."""
    def change(record: dict) -> None:
        record["hidden"] = bool(hidden)
    return _update(store, code, change, principal)


def _case_now(store: Store, campaign: Campaign, record: dict) -> tuple[dict | None, dict | None]:
    """The report's case as the place holds it now, and the place (None when there is none any more)."""
    ref = record.get("case")
    if not ref:
        return None, None
    try:
        feature = store.get(ref["layer"], ref["fid"])
    except NotFound:
        return None, None
    for problem in feature["properties"].get("problems") or []:
        if problem.get("id") == ref["pid"]:
            return case_of(problem, campaign), feature
    return None, feature


def progress(store: Store, campaign: Campaign, record: dict) -> str:
    """Where the report stands for its reporter: `received` (待受理), `rejected` (未受理), `accepted` (已受理, the
    case waits for dispatch), `handling` (处置中) or `closed` (已办结)."""
    if record["state"] in ("received", "rejected"):
        return record["state"]
    case, _ = _case_now(store, campaign, record)
    if case is None:
        return "accepted"
    if case["stage"] == "closed":
        return "closed"
    return "accepted" if case["stage"] == "filed" else "handling"


def public_view(store: Store, campaign: Campaign, record: dict, *, lang: str = "zh") -> dict:
    """What anyone holding the receipt code may read of the report (never the phone, name, device or squad;
    neither its text nor its photos once moderated)."""
    case, feature = _case_now(store, campaign, record)
    state = progress(store, campaign, record)
    when = datetime.fromisoformat(record["at"].replace("Z", "+00:00")).astimezone(campaign.timezone)
    out = {
        "code": record["code"], "category": record["category"], "street": record.get("street"),
        "community": record.get("community"), "at": record["at"], "at_local": when.strftime("%Y-%m-%d %H:%M"),
        "state": state, "state_text": t(f"residents.progress.{state}", lang=lang),
        "reason": record.get("reason") if state == "rejected" else None,
        "description": None if record.get("hidden") else record["description"],
        "photos": [] if record.get("hidden") else list(record.get("photos") or []),
        "hidden": bool(record.get("hidden")), "stage": None, "stage_text": None, "after_photo": None,
        "closed_at": None, "rating": record.get("rating"), "may_rate": False,
    }
    if case is not None and state in ("accepted", "handling"):
        out["stage"] = case["stage"]
        out["stage_text"] = t(f"case.stage.{case['stage']}", lang=lang)
    if state == "closed" and feature is not None:
        after = photos_of(feature, problem=record["case"]["pid"], role="after")
        out["after_photo"] = after[0]["id"] if after else None
        out["closed_at"] = case.get("closed_at")
        out["may_rate"] = record.get("rating") is None
    if out["rating"]:
        out["rating"] = {**out["rating"], "text": t(f"residents.rating.{out['rating']['value']}", lang=lang)}
    return out


def public_photos(store: Store, campaign: Campaign, record: dict) -> set[str]:
    """The photo ids the public follow-up of this report may show."""
    view = public_view(store, campaign, record)
    return set(view["photos"]) | ({view["after_photo"]} if view["after_photo"] else set())


def rate(store: Store, campaign: Campaign, code: str, value: str, comment: str | None, now: datetime) -> dict:
    """The reporter's rating of the result (满意 / 基本满意 / 不满意), once, only after 结案."""
    errors: list[FieldError] = []
    if value not in RATINGS:
        errors.append(FieldError("value", t("residents.unknown_rating")))
    text = _text(comment, "comment", errors, limit=MAX_SHORT) or ""
    if errors:
        raise ValidationError(errors)

    def change(record: dict) -> None:
        if record.get("rating") is not None:
            raise Conflict(t("residents.rated_before"))
        if progress(store, campaign, record) != "closed":
            raise Conflict(t("residents.not_closed_yet"))
        record["rating"] = {"value": value, "comment": text, "at": _iso(now)}
    return _update(store, code, change)
