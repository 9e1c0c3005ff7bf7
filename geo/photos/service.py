"""Attaching photos to a place and taking them off: the rules, the blobs, one journaled change.

A place's photos are its property `photos` (oldest first, entries shaped as
geo/validate.py checks them), so adding or removing one is an ordinary
versioned update of the place: history, playback, wall catch-up, backups and
`store copy` see it like any change.

`add_photo` reads and checks the upload (geo/photos/image.py), writes its
blobs first (content-addressed and idempotent: a change that then fails
leaves only an unreferenced blob, which `store check` reports as
collectable), then appends the entry with one `store.update`. If the place
changed between the read and the write, it reads it again and retries (the
list is only appended to, so nobody's change is overwritten). The same image
or the same `client_id` on the same place again returns the existing entry
with `created` False: a phone's retry never adds a photo twice.

`remove_photo` takes an entry off the list (the blobs stay: the place's
history and other places may still show them).
"""

from __future__ import annotations

from datetime import tzinfo
from typing import TYPE_CHECKING, BinaryIO

from geo.dates import parse_day, parse_instant
from geo.errors import Conflict, FieldError, NotFound, StoreBusy, ValidationError
from geo.messages import message_of, t
from geo.photos.blobs import check_name
from geo.photos.image import MAX_BYTES, decode, read_upload
from geo.scope import Scope, check_write
from geo.validate import MAX_TEXT, PHOTO_ROLES, PROBLEM_PHOTO_ROLES

if TYPE_CHECKING:
    from geo.store.base import Store

RETRIES = 10  # a place written by others this often while a photo is attached: StoreBusy (503, try again)


def photos_of(feature: dict, *, problem: str | None = None, role: str | None = None) -> list[dict]:
    """The place's photo entries, newest first; only those of `problem` and/or `role` when given."""
    entries = (feature.get("properties") or {}).get("photos") or []
    return [e for e in reversed(entries)
            if (problem is None or e.get("problem") == problem) and (role is None or e.get("role") == role)]


def photo_bytes(store: Store, photo_id: str, variant: str) -> bytes:
    """The bytes of one variant of a photo; NotFound for an unknown id or variant."""
    check_name(photo_id, variant)
    return store.blobs.get(photo_id, variant)


def add_photo(store: Store, layer_id: str, fid: str, upload: BinaryIO, *, user: str, role: str = "place",
              problem: str | None = None, inspection: str | None = None, taken_at: str | None = None,
              location: dict | None = None, caption: str = "", client_id: str | None = None,
              max_bytes: int = MAX_BYTES, keep_location: bool = False,
              scope: Scope | None = None) -> tuple[dict, bool]:
    """Attach the image in `upload` to the place; returns its entry and whether it was added now. `scope`: where
    the uploader may write (geo/scope.py); a place outside it is refused before the image is read."""
    feature = store.get(layer_id, fid)
    check_write(scope, feature["properties"], None, fid)
    given = _given(role=role, problem=problem, inspection=inspection, taken_at=taken_at, location=location,
                   caption=caption, client_id=client_id)
    _check_problem(feature, given["problem"])
    if given["client_id"]:
        for entry in photos_of(feature):
            if entry.get("client_id") == given["client_id"]:
                return entry, False
    with read_upload(upload, max_bytes) as up:
        for entry in photos_of(feature):
            if entry["id"] == up.id:
                return entry, False
        zone: tzinfo = store.campaign.timezone
        decoded = decode(up.file, zone=zone, keep_location=keep_location)
        blobs = store.blobs
        blobs.put(up.id, "original", up.file)
        for name, data in decoded.variants.items():
            blobs.put(up.id, name, data)
        entry = {
            "id": up.id, "role": given["role"], "problem": given["problem"], "inspection": given["inspection"],
            "taken_at": given["taken_at"] or decoded.taken_at, "taken_by": (user or "").strip() or "anonymous",
            "added_at": store.clock().strftime("%Y-%m-%dT%H:%M:%SZ"),
            "location": given["location"] or decoded.location, "width": decoded.width, "height": decoded.height,
            "bytes": up.size, "type": decoded.type, "caption": given["caption"], "client_id": given["client_id"],
        }
    for _ in range(RETRIES):
        current = store.get(layer_id, fid)
        for existing in photos_of(current):
            if existing["id"] == entry["id"] or (entry["client_id"] and existing.get("client_id") == entry["client_id"]):
                return existing, False
        _check_problem(current, entry["problem"])
        photos = list(current["properties"].get("photos") or []) + [entry]
        try:
            store.update(layer_id, fid, expected_version=current["properties"]["version"], user=user, photos=photos,
                         scope=scope)
        except Conflict:
            continue
        return entry, True
    raise StoreBusy(t("photo.kept_busy", fid=fid))


def remove_photo(store: Store, layer_id: str, fid: str, photo_id: str, *, user: str,
                 expected_version: int | None = None, scope: Scope | None = None) -> dict:
    """Take the photo off the place (one journaled change); returns the place as now stored. With
    `expected_version` a place changed since is a Conflict (409); without, the removal is retried on the
    current version. NotFound when the place has no such photo."""
    for _ in range(RETRIES):
        current = store.get(layer_id, fid)
        photos = current["properties"].get("photos") or []
        kept = [e for e in photos if e.get("id") != photo_id]
        if len(kept) == len(photos):
            raise NotFound(t("photo.not_on_place", photo=photo_id))
        version = expected_version if expected_version is not None else current["properties"]["version"]
        try:
            result = store.update(layer_id, fid, expected_version=version, user=user, photos=kept, scope=scope)
        except Conflict:
            if expected_version is not None:
                raise
            continue
        return result.feature
    raise StoreBusy(t("photo.kept_busy", fid=fid))


def _given(*, role, problem, inspection, taken_at, location, caption, client_id) -> dict:
    """The caller's fields, checked (ValidationError naming every one at fault); before the upload is read."""
    errors: list[FieldError] = []
    role = role or ("before" if problem else "place")
    if role not in PHOTO_ROLES:
        errors.append(FieldError("role", t("photo.unknown_role", role=repr(role), roles=", ".join(PHOTO_ROLES))))
    elif problem in (None, "") and role in PROBLEM_PHOTO_ROLES:
        errors.append(FieldError("problem", t("photo.role_needs_problem", label=t(f"photo.role.{role}"))))
    elif problem not in (None, "") and role not in PROBLEM_PHOTO_ROLES:
        errors.append(FieldError("role", t("photo.problem_roles", role=t(f"photo.role.{role}"))))
    day = None
    if inspection not in (None, ""):
        try:
            day = parse_day(inspection).isoformat()
        except ValueError as exc:
            errors.append(FieldError("inspection", message_of(exc)))
    when = None
    if taken_at not in (None, ""):
        try:
            when = parse_instant(taken_at).strftime("%Y-%m-%dT%H:%M:%SZ")
        except ValueError as exc:
            errors.append(FieldError("taken_at", message_of(exc)))
    where = None
    if location is not None:
        lon, lat = (location.get("lon"), location.get("lat")) if isinstance(location, dict) else (None, None)
        try:
            lon, lat = float(lon), float(lat)
        except (TypeError, ValueError):
            lon = lat = float("nan")
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            errors.append(FieldError("location", t("photo.bad_location")))
        else:
            where = {"lon": lon, "lat": lat, "source": "device"}
    caption = caption if isinstance(caption, str) else ""
    if len(caption.strip()) > MAX_TEXT:
        errors.append(FieldError("caption", t("feature.too_long", limit=MAX_TEXT)))
    if any(ord(ch) < 32 and ch not in "\n\t" for ch in caption):
        errors.append(FieldError("caption", t("feature.control_characters")))
    if client_id is not None and (not isinstance(client_id, str) or len(client_id.strip()) > 64):
        errors.append(FieldError("client_id", t("feature.too_long", limit=64)))
    if errors:
        raise ValidationError(errors)
    return {"role": role, "problem": problem or None, "inspection": day, "taken_at": when, "location": where,
            "caption": caption.strip(), "client_id": (client_id or "").strip() or None}


def _check_problem(feature: dict, problem: str | None) -> None:
    if problem is None:
        return
    if not any(p.get("id") == problem for p in feature["properties"].get("problems") or []):
        raise ValidationError([FieldError("problem", t("photo.no_problem", pid=problem), feature.get("id"))])
