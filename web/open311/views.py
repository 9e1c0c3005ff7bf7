"""Open311 GeoReport v2 under /open311/v2 (JSON only), thin over geo/residents/open311.py:

    GET  /open311/v2/discovery.json            where the endpoint is, its formats, how to get a key
    GET  /open311/v2/services.json             one service per problem category
    GET  /open311/v2/services/<code>.json      a service's definition (no extra attributes)
    GET  /open311/v2/requests.json             by service_request_id (anyone holding the codes), or with an api_key
                                               by service_code, start_date, end_date, status (page, page_size)
    POST /open311/v2/requests.json             a report (api_key required): answers [{service_request_id, …}]
    GET  /open311/v2/requests/<code>.json      one report's public view, as a request
    GET  /open311/v2/openapi.json              the OpenAPI document of these routes (web/open311/docs.py)

Every refusal is GeoReport's error list, `[{"code": <HTTP status>, "description": "…"}]`, with that status and
the description in Chinese (English when asked): a request that cannot be used 400 (naming each field), a missing,
unknown or too weak api_key 403, no such service or request 404, too many reports from one key 429 (the public
page's limits, counted per key), a body over its limit 413. Nothing is kept when a post is refused.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from flask import Response, current_app, jsonify, request, url_for
from werkzeug.exceptions import HTTPException

from geo.accounts import Principal
from geo.errors import FieldError, GuatuError, MalformedRequest, NotFound, ValidationError
from geo.messages import t
from geo.residents import open311
from geo.residents.reports import get, public_view, reports, submit
from geo.residents.throttle import device_hash
from web.access.auth import accounts, principal
from web.core.context import guatu
from web.core.routes import INSPECTOR, PUBLIC
from web.open311 import docs
from web.open311.blueprint import bp
from web.residents.guard import limit_body, throttle

BASE = "/open311/v2"
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"  # GeoReport's name for itself in discovery; never fetched
MAX_POST_BYTES = 16 * 1024  # a request's form: texts of a few hundred characters


# --- refusals as GeoReport's error list ----------------------------------------------------------------

def _error_list(status: int, descriptions: list, retry_after: int | None = None) -> Response:
    resp = jsonify([{"code": status, "description": d} for d in descriptions])
    resp.status_code = status
    if retry_after:
        resp.headers["Retry-After"] = str(retry_after)
    resp.headers["Cache-Control"] = "no-store"
    return resp


@bp.errorhandler(GuatuError)
def _refused(exc: GuatuError) -> Response:
    """A domain refusal: a request that breaks a report's rules is a 400 here (GeoReport has no 422), one entry
    per field at fault."""
    if isinstance(exc, ValidationError):
        fields = exc.errors if exc.http_status == 400 else open311.open311_fields(exc)
        return _error_list(400, [e.text() for e in fields])
    return _error_list(exc.http_status, [exc.message], exc.retry_after)


@bp.errorhandler(HTTPException)
def _http_refused(exc: HTTPException) -> Response:
    status = exc.code or 500
    if status == 413:
        return _error_list(413, [t("open311.too_large", kb=MAX_POST_BYTES // 1024)])
    return _error_list(status, [t(f"problem.{_kind(status)}")])


def _kind(status: int) -> str:
    return {400: "bad_request", 404: "not_found", 405: "method_not_allowed", 406: "not_acceptable"}.get(
        status, "internal")


# --- who holds a key ----------------------------------------------------------------------------------

def _api_key(fields: dict[str, str] | None = None) -> str:
    return ((fields or {}).get("api_key") or request.args.get("api_key") or "").strip()


def key_holder(fields: dict[str, str] | None = None) -> Principal | None:
    """The account of the api_key sent (the `api_key` parameter — in the query, or in the posted `fields` — or an
    `Authorization: Bearer` API token): an API token of a 督导员 (inspector) or above. None when no key is sent;
    KeyRefused (403) for a wrong or weak one."""
    key = _api_key(fields)
    if key:
        holder = accounts().check_token(key, "api")
        if holder is None:
            raise open311.KeyRefused(t("open311.bad_key"))
    else:
        who = principal()
        holder = who if who is not None and who.via == "token" else None
    if holder is not None and not holder.can(INSPECTOR):
        raise open311.KeyRefused(t("open311.key_role"))
    return holder


def _key_id(fields: dict[str, str]) -> str:
    """What the reports' throttle counts a key's posts under (never the key itself)."""
    key = _api_key(fields) or request.headers.get("Authorization", "").strip()
    return "open311:" + hashlib.sha256(key.encode()).hexdigest()[:24]


# --- the routes -------------------------------------------------------------------------------------

def _json(body, status: int = 200) -> Response:
    resp = jsonify(body)
    resp.status_code = status
    resp.headers["Cache-Control"] = "no-store"
    return resp


@bp.get(f"{BASE}/discovery.json", role=PUBLIC, doc=docs.DISCOVERY)
def discovery():
    ctx = guatu()
    changed = datetime.fromtimestamp((ctx.data_dir / "campaign.json").stat().st_mtime, UTC)
    changeset = changed.astimezone(ctx.campaign.timezone).isoformat(timespec="seconds")
    return _json({
        "changeset": changeset,
        "contact": t("open311.contact", title=ctx.campaign.title),
        "key_service": t("open311.key_service"),
        "endpoints": [{"specification": SPECIFICATION, "url": request.url_root.rstrip("/") + BASE,
                       "changeset": changeset, "type": "production", "formats": ["application/json"]}],
    })


@bp.get(f"{BASE}/services.json", role=PUBLIC, doc=docs.SERVICES)
def services():
    return _json(open311.services(guatu().campaign))


@bp.get(f"{BASE}/services/<code>.json", role=PUBLIC, doc=docs.SERVICE)
def service(code: str):
    return _json(open311.definition(guatu().campaign, code))


def _photo_url(code: str):
    def url(photo_id: str) -> str:
        return url_for("residents.follow_photo", code=code, photo_id=photo_id, variant="preview", _external=True)
    return url


def _as_requests(found: list[tuple[dict, dict | None]], *, exact: bool) -> list[dict]:
    ctx = guatu()
    return [open311.as_request(record, public_view(ctx.store, ctx.campaign, record), case, ctx.campaign,
                               photo_url=_photo_url(record["code"]), exact=exact) for record, case in found]


@bp.get(f"{BASE}/requests.json", role=PUBLIC, doc=docs.LIST_REQUESTS)
def list_requests():
    """By receipt codes for anyone holding them; any other listing for key holders only (the codes are what
    lets a reporter rate: they are never listed to the public)."""
    ctx = guatu()
    query = open311.read_query(request.args, ctx.campaign)
    holder = key_holder()
    if not query.ids and holder is None:
        raise open311.KeyRefused(t("open311.list_needs_key"))
    found = open311.find(reports(ctx.store), open311.cases_of(ctx.store, ctx.campaign), query, ctx.now())
    return _json(_as_requests(found, exact=holder is not None))


@bp.post(f"{BASE}/requests.json", role=PUBLIC, doc=docs.POST_REQUEST)
def post_request():
    """A report from a 12345 or city-management system: the key first, then its count, then the fields."""
    limit_body(MAX_POST_BYTES)
    fields = _fields()
    if key_holder(fields) is None:
        raise open311.KeyRefused(t("open311.key_needed"))
    ctx = guatu()
    throttle().attempt("report", _key_id(fields), None)
    posted = open311.read_post(ctx.store, ctx.campaign, ctx.data_dir, fields)
    record = submit(ctx.store, ctx.campaign, lon=posted.lon, lat=posted.lat, category=posted.category,
                    description=posted.description, now=ctx.now(), phone=posted.phone, name=posted.name,
                    address=posted.address, channel="open311", device=device_hash(posted.device_id),
                    data_dir=ctx.data_dir)
    resp = _json(open311.answer(record, posted), 201)
    resp.headers["Location"] = url_for("open311.one_request", code=record["code"], _external=True)
    return resp


def _fields() -> dict[str, str]:
    """The posted fields: a form (GeoReport's way, urlencoded or multipart) or a JSON object of plain values."""
    if request.is_json:
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            raise MalformedRequest([FieldError("body", t("open311.not_an_object"))])
        return {k: str(v) for k, v in body.items() if isinstance(v, str | int | float) and not isinstance(v, bool)}
    return request.form.to_dict()


@bp.get(f"{BASE}/requests/<code>.json", role=PUBLIC, doc=docs.GET_REQUEST)
def one_request(code: str):
    ctx = guatu()
    record = get(ctx.store, code)
    holder = key_holder()
    return _json(_as_requests([(record, open311.cases_of(ctx.store, ctx.campaign)(record.get("case")))],
                              exact=holder is not None))


@bp.get(f"{BASE}/openapi.json", role=PUBLIC)
def openapi():
    return _json(docs.document(current_app, guatu().campaign))


@bp.route(f"{BASE}/<path:rest>", role=PUBLIC, methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
def elsewhere(rest: str):
    """Anything else under /open311/v2: a known path asked with another method (405, with Allow), a format
    other than JSON, or nothing at all (404) — in GeoReport's error list like every refusal here."""
    path = f"{BASE}/{rest}"
    adapter = current_app.url_map.bind("")
    allowed = [m for m in ("GET", "POST") if _routed(adapter, path, m)]
    if allowed:
        resp = _error_list(405, [t("open311.method", method=request.method, allowed=", ".join(allowed))])
        resp.headers["Allow"] = ", ".join(allowed)
        return resp
    if rest.endswith(".xml"):
        raise NotFound(t("open311.json_only"))
    raise NotFound(t("open311.no_such_path", path=path[:120]))


def _routed(adapter, path: str, method: str) -> bool:
    """Whether a route of its own (not this catch-all) answers `method` on `path`."""
    try:
        endpoint, _ = adapter.match(path, method=method)
    except HTTPException:
        return False
    return endpoint != "open311.elsewhere"
