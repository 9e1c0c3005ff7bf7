"""Who hears of which event, and where: each person's in-app inbox and email, and the group channels (企业微信 and
钉钉 robots, webhooks, email lists) the admins keep — with quiet hours.

People (accounts, geo/accounts.py), by default:
- an account an event names (`Event.users`: a case's handler, a volunteer who reported) hears of it;
- an editor or admin with a scope (街道, 社区, 包村科室) hears of every event of their area (`Scope.covers` of the
  event's street, community and unit);
- a district-wide editor or admin (指挥部) hears of escalations and the daily report only, not of every event;
- an inspector (督导员) hears that the day's inspection list was drawn;
- viewers hear only what names them; disabled accounts hear nothing.
A person may turn kinds off, have email copies sent to the address on their account, and set quiet hours (their
email waits until the quiet hours end; the inbox makes no sound and always receives at once). Their settings are
the record `notify-people/<account>`.

Group channels are records `notify-channels/<id>`: a type (`CHANNEL_TYPES`), where it sends (a robot's or a
webhook's URL, an email list), a secret (钉钉's 加签 secret, the webhook's HMAC key), an area (a `Scope`; empty: the
whole district), the kinds it hears of, quiet hours, and whether it is on. Urgent events pass quiet hours; the
others are held until the quiet hours end, never dropped.
"""

from __future__ import annotations

import logging
import re
import secrets
import urllib.parse
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from geo.accounts import User, check_email
from geo.errors import BrokenRecord, FieldError, NotFound, ValidationError
from geo.messages import t
from geo.notify.channels import CHANNEL_TYPES
from geo.notify.events import EVENT_KINDS
from geo.scope import Scope
from geo.store.base import Finding, Store, checked_record, iso, records_not_as_written

log = logging.getLogger(__name__)
_warned: set[str] = set()  # damaged channels said in the log already
_warned_people: set[str] = set()  # and damaged settings

CHANNELS = "notify-channels"
PEOPLE = "notify-people"
DISTRICT_KINDS = ("case_escalated", "daily_report")  # what 指挥部 hears of without being named
INSPECTOR_KINDS = ("inspection_drawn",)
_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
_URL = re.compile(r"^https?://[^\s/?#]+[^\s]*$")
MAX_EMAILS = 50


def account_key(user: str) -> str:
    """An account name as a record key (letters, digits, '-', '_'): '_' and '.' written as _5f and _2e."""
    return user.replace("_", "_5f").replace(".", "_2e")


# --- quiet hours -------------------------------------------------------------------------------------------

def check_quiet(raw: object, field: str = "quiet") -> dict | None:
    """`{"start": "22:00", "end": "07:00"}` (campaign time, may wrap midnight), or None for none."""
    if raw in (None, {}, ""):
        return None
    if not isinstance(raw, Mapping):
        raise ValidationError([FieldError(field, t("notify.delivery.quiet_bad"))])
    start, end = str(raw.get("start") or "").strip(), str(raw.get("end") or "").strip()
    if not start and not end:
        return None
    errors = [FieldError(f"{field}.{name}", t("notify.delivery.quiet_bad"))
              for name, value in (("start", start), ("end", end)) if not _HHMM.match(value)]
    if not errors and start == end:
        errors.append(FieldError(f"{field}.end", t("notify.delivery.quiet_empty")))
    if errors:
        raise ValidationError(errors)
    return {"start": start, "end": end}


def quiet_until(quiet: dict | None, now: datetime, tz: ZoneInfo) -> datetime | None:
    """When the quiet hours that hold `now` end (a UTC instant), or None when `now` is not in quiet hours."""
    if not quiet:
        return None
    local = now.astimezone(tz)
    start, end = (time.fromisoformat(quiet[k]) for k in ("start", "end"))
    clock = local.time().replace(second=0, microsecond=0, tzinfo=None)
    inside = start <= clock < end if start < end else (clock >= start or clock < end)
    if not inside:
        return None
    day = local.date() if (start < end or clock < end) else local.date() + timedelta(days=1)
    ends = datetime.combine(day, end, tzinfo=tz)
    return ends.astimezone(now.tzinfo)


# --- group channels ----------------------------------------------------------------------------------------

def channels(store: Store) -> list[dict]:
    """Every group channel, by id; BrokenRecord (503) naming the first one not as `save_channel` writes it."""
    return [c for c in (checked_record(store, CHANNELS, k, channel_faults) for k in store.record_keys(CHANNELS)) if c]


def sound_channels(store: Store) -> list[dict]:
    """Every group channel that is as `save_channel` writes it: what the sender sends through. A damaged one is
    left out (logged once; `store check` and the admin's page name it), so it never stops the others' news."""
    found = []
    for key in store.record_keys(CHANNELS):
        try:
            record = checked_record(store, CHANNELS, key, channel_faults)
        except BrokenRecord as exc:
            if key not in _warned:
                _warned.add(key)
                log.warning("channel %s is left out of the notifications: %s", key, exc.message)
            continue
        if record:
            found.append(record)
    return found


def damaged_channels(store: Store) -> list[Finding]:
    """Every channel that parses but is not as `save_channel` writes it (`store check`)."""
    return records_not_as_written(store, CHANNELS, store.record_keys(CHANNELS), channel_faults)


def channel(store: Store, cid: str) -> dict:
    found = checked_record(store, CHANNELS, cid, channel_faults) if re.fullmatch(r"[A-Za-z0-9_-]{1,64}", cid or "") \
        else None
    if found is None:
        raise NotFound(t("notify.delivery.no_channel", channel=cid))
    return found


def channel_faults(record: dict) -> list[FieldError]:
    """What makes a stored channel one `save_channel` would not have written: the checks a channel is saved
    through, its id and its on/off flag."""
    errors: list[FieldError] = []
    if not isinstance(record.get("id"), str):
        errors.append(FieldError("id", t("request.wrong_type", expected=t("request.type_string"))))
    if not isinstance(record.get("enabled", True), bool):
        errors.append(FieldError("enabled", t("request.wrong_type", expected=t("request.type_boolean"))))
    try:
        fields = _channel_fields(record, None, None)
    except ValidationError as exc:
        return errors + exc.errors
    # what the sender reads is the record as stored: each field must be the one a save writes, not one the
    # checks would make of it (" 22:00", a secret as a number, a scope missing, emails as one string)
    for key, value in fields.items():
        stored = record.get(key)
        same = set(value) == set(stored) if key == "kinds" and isinstance(stored, list) else value == stored
        if not same:
            errors.append(FieldError(key, t("notify.delivery.stored_differs")))
    return errors


def _kinds(raw: object, field: str) -> list[str]:
    if raw is None:
        return list(EVENT_KINDS)
    if isinstance(raw, str) or not isinstance(raw, Iterable):
        raise ValidationError([FieldError(field, t("notify.delivery.kinds_bad", kinds="、".join(EVENT_KINDS)))])
    kinds = [str(k) for k in raw]
    unknown = [k for k in kinds if k not in EVENT_KINDS]
    if unknown:
        raise ValidationError([FieldError(field, t("notify.delivery.kinds_bad", kinds="、".join(EVENT_KINDS)))])
    return [k for k in EVENT_KINDS if k in kinds]


def save_channel(store: Store, raw: Mapping, *, now: datetime, cid: str | None = None,
                 names: tuple[Iterable[str], Iterable[str], Iterable[str]] | None = None) -> dict:
    """Add a channel (cid None) or change one; a secret left empty on a change keeps the one stored. Raises
    ValidationError naming every bad field, and changes nothing then."""
    before = channel(store, cid) if cid else None
    fields = _channel_fields(raw, before, names)
    cid = cid or f"ch-{secrets.token_hex(4)}"
    record = {"id": cid, **fields, "enabled": bool(raw.get("enabled", (before or {}).get("enabled", True))),
              "created_at": (before or {}).get("created_at") or iso(now), "updated_at": iso(now)}
    with store.records_locked(CHANNELS):
        store.put_record(CHANNELS, cid, record)
    return record


def _channel_fields(raw: object, before: dict | None,
                    names: tuple[Iterable[str], Iterable[str], Iterable[str]] | None) -> dict:
    """A channel's checked fields from `raw` over `before` (a change; None: a new one); ValidationError naming
    every bad field."""
    if not isinstance(raw, Mapping):
        raise ValidationError([FieldError("channel", t("notify.delivery.channel_not_object"))])
    errors: list[FieldError] = []
    kind = raw.get("type", before["type"] if before else None)
    if kind not in CHANNEL_TYPES:
        errors.append(FieldError("type", t("request.not_in_enum", expected=", ".join(CHANNEL_TYPES))))
    name = str(raw.get("name") or (before or {}).get("name") or "").strip()
    if not name or len(name) > 64:
        errors.append(FieldError("name", t("notify.delivery.channel_name_bad")))
    url, emails = "", []
    if kind == "email":
        emails = _emails(raw.get("emails", (before or {}).get("emails")), errors)
    elif kind in CHANNEL_TYPES:
        url = str(raw.get("url") or (before or {}).get("url") or "").strip()
        if not _URL.match(url) or len(url) > 2000:
            errors.append(FieldError("url", t("notify.delivery.url_bad")))
    secret = raw.get("secret")
    secret = str(secret).strip() if secret else (before or {}).get("secret") or ""
    if kind == "webhook" and not secret:
        secret = secrets.token_urlsafe(24)  # a webhook is always signed: one is made when none is given
    if len(secret) > 200:
        errors.append(FieldError("secret", t("notify.delivery.secret_bad")))
    try:
        kinds = _kinds(raw.get("kinds", (before or {}).get("kinds")), "kinds")
    except ValidationError as exc:
        errors += exc.errors
        kinds = []
    try:
        area = Scope.from_dict(raw["scope"]) if "scope" in raw else Scope.from_dict((before or {}).get("scope"))
        if names is not None and not area.everywhere:
            area.check_known(*names)
    except ValidationError as exc:
        errors += exc.errors
        area = Scope()
    try:
        quiet = check_quiet(raw.get("quiet"), "quiet") if "quiet" in raw else (before or {}).get("quiet")
    except ValidationError as exc:
        errors += exc.errors
        quiet = None
    if errors:
        raise ValidationError(errors)
    return {"type": kind, "name": name, "url": url, "emails": emails, "secret": secret, "scope": area.to_dict(),
            "kinds": kinds, "quiet": quiet}


def _emails(raw: object, errors: list[FieldError]) -> list[str]:
    items = re.split(r"[\s,;,;、]+", raw) if isinstance(raw, str) else list(raw or [])
    found = []
    for item in items:
        item = str(item).strip()
        if not item:
            continue
        try:
            found.append(check_email(item, "emails"))
        except ValidationError as exc:
            errors += exc.errors
    if not found and not any(e.field == "emails" for e in errors):
        errors.append(FieldError("emails", t("notify.delivery.emails_none")))
    if len(found) > MAX_EMAILS:
        errors.append(FieldError("emails", t("notify.delivery.emails_many", n=MAX_EMAILS)))
    return list(dict.fromkeys(found))


def mask(secret: str) -> str:
    """A secret as shown back: its first four characters and a count, never the whole."""
    return "" if not secret else f"{secret[:4]}…({len(secret)})"


def public_channel(record: dict) -> dict:
    """A channel as the admin pages and the API show it: the secret and the URL's query values masked."""
    out = {k: v for k, v in record.items() if k != "secret"}
    out["secret"] = mask(record.get("secret") or "")
    if record.get("url"):
        parts = urllib.parse.urlsplit(record["url"])
        query = "&".join(f"{k}={mask(v)}" for k, v in urllib.parse.parse_qsl(parts.query))  # shown, never requested
        out["url"] = urllib.parse.urlunsplit(parts._replace(query=query))
    return out


# --- people ------------------------------------------------------------------------------------------------

def person_settings(store: Store, user: str) -> dict:
    """A person's notification settings: kinds turned off, email copies on or off, quiet hours. BrokenRecord (503)
    naming the record when it is not as `save_person_settings` writes it."""
    found = checked_record(store, PEOPLE, account_key(user), person_faults) or {}
    return {"off": list(found.get("off", [])), "email": found.get("email", False), "quiet": found.get("quiet")}


def settings_for_sending(store: Store, user: str) -> dict:
    """A person's settings as the sender applies them: a damaged record (logged once; their settings page and
    `store check` name it) counts as the defaults — every kind, no email copies, no quiet hours — so their news
    still reaches their inbox and nobody else's stops."""
    try:
        return person_settings(store, user)
    except BrokenRecord as exc:
        if account_key(user) not in _warned_people:
            _warned_people.add(account_key(user))
            log.warning("the notification settings of %s are not used: %s", user, exc.message)
        return {"off": [], "email": False, "quiet": None}


def person_faults(record: dict) -> list[FieldError]:
    """What makes stored settings ones `save_person_settings` would not have written."""
    errors: list[FieldError] = []
    off = record.get("off", [])
    if not isinstance(off, list) or not all(isinstance(k, str) for k in off):
        errors.append(FieldError("off", t("notify.delivery.kinds_bad", kinds="、".join(EVENT_KINDS))))
    else:
        try:
            _kinds(off, "off")
        except ValidationError as exc:
            errors += exc.errors
    if not isinstance(record.get("email", False), bool):
        errors.append(FieldError("email", t("request.wrong_type", expected=t("request.type_boolean"))))
    try:
        if check_quiet(record.get("quiet"), "quiet") != record.get("quiet"):  # as a save writes it: None or two times
            errors.append(FieldError("quiet", t("notify.delivery.stored_differs")))
    except ValidationError as exc:
        errors += exc.errors
    return errors


def damaged_settings(store: Store) -> list[Finding]:
    """Every person's settings that parse but are not as `save_person_settings` writes them (`store check`)."""
    return records_not_as_written(store, PEOPLE, store.record_keys(PEOPLE), person_faults)


def save_person_settings(store: Store, user: str, raw: Mapping, *, email_address: str | None) -> dict:
    """Keep a person's settings; email copies need an address on the account."""
    if not isinstance(raw, Mapping):
        raise ValidationError([FieldError("settings", t("notify.delivery.channel_not_object"))])
    errors: list[FieldError] = []
    off: list[str] = []
    try:
        off = _kinds(raw.get("off", []), "off")
    except ValidationError as exc:
        errors += exc.errors
    email = bool(raw.get("email", False))
    if email and not email_address:
        errors.append(FieldError("email", t("notify.delivery.no_email_address")))
    quiet = None
    try:
        quiet = check_quiet(raw.get("quiet"), "quiet")
    except ValidationError as exc:
        errors += exc.errors
    if errors:
        raise ValidationError(errors)
    value = {"user": user, "off": off, "email": email, "quiet": quiet}
    with store.records_locked(PEOPLE):
        store.put_record(PEOPLE, account_key(user), value)
    return value


def _area(event: Mapping) -> dict:
    return {"street": event.get("street"), "community": event.get("community"), "unit": event.get("unit")}


def hears_by_default(user: User, event: Mapping) -> bool:
    """Whether an account hears of the event unless it turned the kind off (the defaults above)."""
    if user.disabled:
        return False
    if user.username in (event.get("users") or ()):
        return True
    scope = Scope.from_dict(user.scope or None)
    if user.role in ("editor", "admin"):
        if scope.everywhere:
            return event["kind"] in DISTRICT_KINDS
        return scope.covers(_area(event))
    if user.role == "inspector":
        return event["kind"] in INSPECTOR_KINDS
    return False


def people_hearing(event: Mapping, users: Iterable[User], settings_of: Callable[[str], dict]) -> list[User]:
    """The accounts that hear of the event, by name."""
    heard = [u for u in users if hears_by_default(u, event)]
    return sorted((u for u in heard if event["kind"] not in settings_of(u.username)["off"]), key=lambda u: u.username)


def channels_hearing(event: Mapping, all_channels: Iterable[dict]) -> list[dict]:
    """The channels that are on, hear of the event's kind and cover its area."""
    return [c for c in all_channels
            if c.get("enabled", True) and event["kind"] in c.get("kinds", ())
            and Scope.from_dict(c.get("scope") or None).covers(_area(event))]


@dataclass(frozen=True)
class Target:
    """Where one delivery goes: a group channel (`channel` its id) or a person's email (`user`)."""

    suffix: str  # makes the delivery id with the event's: c-<channel id>, m-<account key>
    type: str  # a CHANNEL_TYPES value
    label: str  # what the admin's log shows
    quiet: dict | None
    channel: str | None = None
    user: str | None = None
    to: tuple[str, ...] = ()


def targets(event: Mapping, users: Iterable[User], all_channels: Iterable[dict],
            settings_of: Callable[[str], dict]) -> tuple[list[str], list[Target]]:
    """The accounts whose inbox gets the event, and the outbox's targets (channels, people's email)."""
    people = people_hearing(event, users, settings_of)
    out = [Target(f"c-{c['id']}", c["type"], c["name"], c.get("quiet"), channel=c["id"])
           for c in channels_hearing(event, all_channels)]
    for user in people:
        prefs = settings_of(user.username)
        if prefs["email"] and user.email:
            out.append(Target(f"m-{account_key(user.username)}", "email", user.username, prefs["quiet"],
                              user=user.username, to=(user.email,)))
    return [u.username for u in people], out
