"""Cases over /api: the queues, one case, and an action on it. Thin: geo/cases/ holds the loop's rules.

    GET  /api/cases?queue=&stage=&street=&community=&unit=&overdue=&escalated=&limit=&offset=
    GET  /api/cases/<layer>/<fid>/<pid>            the case, its timeline, the actions allowed (ETag: the place)
    POST /api/cases/<layer>/<fid>/<pid>/actions    {"action", "note"?, "photos"?, "unit"?, "handler"?, "deadline"?,
                                                    "urgency"?, "until"?} with If-Match (or "version")

An action names the place's version it started from, as every write of a place does (web/api/writes.py's
`expected_version`): none is a 428, a stale one the store's 409. geo.cases.transition refuses an action the
stage does not allow (409) or this user may not take (403), each listing the allowed ones.
"""

from __future__ import annotations

from flask import Response, jsonify, request

from geo.cases import transition
from geo.errors import NotFound
from web.access.auth import accounts, principal
from web.api.writes import expected_version
from web.cases import docs, shape
from web.cases.blueprint import bp
from web.core.context import guatu
from web.core.http import json_body
from web.core.routes import INSPECTOR, VIEWER

CASE = "/api/cases/<layer_id>/<fid>/<pid>"
ACTION_FIELDS = ("unit", "handler", "deadline", "urgency", "until")


def _name_of(username: str | None) -> str | None:
    """The handler's name as people know it (the problem's `responsible`), when they have an account."""
    if not username or not isinstance(username, str):
        return None
    try:
        return accounts().get_user(username.strip()).name
    except NotFound:
        return None


def _answer(body: dict) -> Response:
    resp = jsonify(body)
    resp.set_etag(f"{body['feature']['id']}-v{body['feature']['version']}")
    resp.headers["Cache-Control"] = "no-store"
    return resp


@bp.get("/api/cases", role=VIEWER, doc=docs.LIST_CASES)
def list_cases():
    limit, offset = shape.page_of(request.args)
    resp = jsonify(shape.listing(shape.query_of(request.args), limit, offset))
    resp.headers["Cache-Control"] = "no-store"
    return resp


@bp.get(CASE, role=VIEWER, doc=docs.GET_CASE)
def get_case(layer_id: str, fid: str, pid: str):
    return _answer(shape.detail(layer_id, fid, pid))


@bp.post(CASE + "/actions", role=INSPECTOR, doc=docs.CASE_ACTION)
def case_action(layer_id: str, fid: str, pid: str):
    body = json_body()
    ctx = guatu()
    feature = ctx.store.get(layer_id, fid)  # unknown layer or place: 404 before the version is asked for
    expected = expected_version(layer_id, fid, body, feature)
    transition(ctx.store, layer_id, fid, pid, body.get("action"), principal=principal(), expected_version=expected,
               campaign=ctx.campaign, now=ctx.now(), note=body.get("note") or "",
               photos=tuple(body.get("photos") or ()), handler_name=_name_of(body.get("handler")),
               handlers={username for username, _ in shape.handler_choices()},
               **{k: body.get(k) or None for k in ACTION_FIELDS})
    return _answer(shape.detail(layer_id, fid, pid))
