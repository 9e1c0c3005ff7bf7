"""The kinds of error an HTTP client can be answered with, and the one status code of each.

Every error answer of /api and /ogc (and the non-page answers of the other
JSON endpoints) is an RFC 9457 problem document (web/core/problems.py builds
it); its `type` is `/problems/<code>` — a relative URI with its full path, as
RFC 9457 §3.1.1 advises when an absolute one cannot be known (a campaign runs
under whatever host its office gives it) — its `title` is the kind's title
from the catalogue (`problem.<code>`), and its `status` comes from this
table. A kind's status is chosen here once; every `GuatuError` subclass
names its kind by `code` and must carry the same status (geo/errors.py
checks it when the class is defined), and tests walk the table.

The rule the table follows:

    400  the request cannot be read as sent: a query, path or header parameter
         of the wrong type, out of range or not one of its values
         (`bad_parameter`, naming it), a body that is not JSON or is missing
         (`bad_request`)
    401  no or wrong credentials                      unauthorized, login_refused
    403  known, but not allowed                       forbidden
    404  no such thing (also a path value outside its list)   not_found
    405  method not allowed                           method_not_allowed
    406  no representation the client accepts         not_acceptable
    409  the place changed since the version a write names (/api); a copy into
         a store that is not empty; a case step its stage does not allow
                                                      conflict, copy_refused, case_step
    412  a weak ETag, or `*` for no place; on /ogc also a stale If-Match, as
         OGC API – Features Part 4 requires           precondition_failed
    413  the upload or body is too large              request_entity_too_large
    415  the body's media type is not one we read     unsupported_media_type
    422  a readable body (JSON or form) that breaks its documented shape or a rule of the campaign
         (geometry outside the district, unknown status, a deadline before the day found)
                                                      invalid
    428  a write that does not say which version it started from  precondition_required
    429  too many login attempts                      too_many_attempts
    500  a fault of ours                              internal, font_missing
    502  a tile server answered wrongly               bad_gateway
    503  will pass: busy store, damaged layer or journal, database away
                                                      busy, broken_layer, broken_boundary, broken_record, journal_damaged, store_unavailable
    504  a tile server did not answer in time         gateway_timeout
    507  the disk is full                             disk_full

docs/http-errors.md shows the same table with examples.
"""

from __future__ import annotations

from dataclasses import dataclass

from geo.messages import t


@dataclass(frozen=True)
class Kind:
    """One kind of error: its stable code, its HTTP status, and the catalogue key of its title."""

    code: str
    status: int

    @property
    def type(self) -> str:
        return f"/problems/{self.code}"

    @property
    def title_key(self) -> str:
        return f"problem.{self.code}"

    def title(self, lang: str = "zh") -> str:
        return t(self.title_key, lang=lang)


KINDS: dict[str, Kind] = {k.code: k for k in (
    Kind("bad_request", 400),
    Kind("bad_parameter", 400),
    Kind("unauthorized", 401),
    Kind("login_refused", 401),
    Kind("forbidden", 403),
    Kind("not_found", 404),
    Kind("method_not_allowed", 405),
    Kind("not_acceptable", 406),
    Kind("conflict", 409),
    Kind("copy_refused", 409),
    Kind("case_step", 409),
    Kind("precondition_failed", 412),
    Kind("request_entity_too_large", 413),
    Kind("unsupported_media_type", 415),
    Kind("invalid", 422),
    Kind("precondition_required", 428),
    Kind("too_many_attempts", 429),
    Kind("internal", 500),
    Kind("font_missing", 500),
    Kind("bad_gateway", 502),
    Kind("busy", 503),
    Kind("broken_layer", 503),
    Kind("broken_boundary", 503),
    Kind("broken_record", 503),
    Kind("journal_damaged", 503),
    Kind("store_unavailable", 503),
    Kind("gateway_timeout", 504),
    Kind("disk_full", 507),
)}

# The kind an HTTP status stands for when nothing more is known (an error raised by the framework:
# routing's 404 and 405, a 413 from the upload limit, a 415).
BY_STATUS: dict[int, Kind] = {}
for _kind in KINDS.values():
    BY_STATUS.setdefault(_kind.status, _kind)
del _kind


def kind_of(code: str, status: int) -> Kind:
    """The kind named `code`; else the one of `status`; else a kind of its own for a status the table lacks."""
    found = KINDS.get(code)
    if found is not None and found.status == status:
        return found
    return BY_STATUS.get(status) or Kind(code, status)


def problem(kind: Kind, detail: str, instance: str, extra: dict | None = None, lang: str = "zh") -> dict:
    """An RFC 9457 problem document: `type`, `title`, `status`, `detail`, `instance`, then the extension
    members — `error` (the code) and `message` (the detail again), which clients of the older shape read,
    and whatever `extra` adds (`fields`, `parameter`, `current`…)."""
    title = kind.title(lang) if kind.code in KINDS else t("problem.other", lang=lang, status=kind.status)
    return {"type": kind.type if kind.code in KINDS else "about:blank", "title": title, "status": kind.status,
            "detail": detail, "instance": instance, "error": kind.code, "message": detail, **(extra or {})}
