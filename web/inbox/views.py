"""The inbox's routes: the page `/inbox` and `GET /api/inbox`, `GET /api/inbox/count`, `POST /api/inbox/read`.

Everyone with an account has an inbox (VIEWER); each reads and marks only their own. The page is drawn on the
server (each notification escaped by the template) and its script (web/static/js/pages/inbox.js) marks
notifications read through the API with the session's CSRF token, as the other JSON writes do.
"""

from __future__ import annotations

from flask import jsonify, make_response, render_template, request

from geo.errors import FieldError, ValidationError
from geo.messages import t
from geo.notify import reading
from geo.notify.inbox import unread_count
from web.access.auth import account_holder, csrf_token
from web.cases.shape import page_of
from web.core.context import guatu
from web.core.http import json_body, yes_no
from web.core.routes import VIEWER
from web.inbox import docs
from web.inbox.blueprint import bp


def _me() -> str:
    """The reader's account name; the public view's visitor has no inbox (403)."""
    who = account_holder()
    if who is None:
        raise reading.NoInbox(t("notify.inbox.no_account"))
    return who


def _no_store(resp):
    resp.headers["Cache-Control"] = "no-store"
    return resp


@bp.get("/inbox", role=VIEWER)
def inbox_page():
    ctx = guatu()
    limit, offset = page_of(request.args)
    data = reading.page(ctx.store, _me(), ctx.campaign, limit=limit, offset=offset)
    config = {"csrf": csrf_token(), "read_url": "/api/inbox/read", "count_url": "/api/inbox/count"}
    return _no_store(make_response(render_template("inbox.html", data=data, config=config, limit=limit,
                                                   offset=offset)))


@bp.get("/api/inbox", role=VIEWER, doc=docs.LIST)
def inbox_list():
    ctx = guatu()
    limit, offset = page_of(request.args)
    unread_only = yes_no(request.args, "unread", parameter=True)
    return _no_store(jsonify(reading.page(ctx.store, _me(), ctx.campaign, limit=limit, offset=offset,
                                          unread_only=unread_only)))


@bp.get("/api/inbox/count", role=VIEWER, doc=docs.COUNT)
def inbox_count():
    return _no_store(jsonify({"unread": unread_count(guatu().store, _me())}))


@bp.post("/api/inbox/read", role=VIEWER, doc=docs.READ)
def inbox_read():
    body = json_body()
    ids = body.get("ids")
    every = body.get("all") is True
    if every == (ids is not None):  # exactly one of the two
        raise ValidationError([FieldError("ids", t("notify.inbox.ids_or_all"))])
    if ids is not None and not (isinstance(ids, list) and all(isinstance(i, str) for i in ids)):
        raise ValidationError([FieldError("ids", t("notify.inbox.ids_list"))])
    return _no_store(jsonify(reading.read(guatu().store, _me(), None if every else ids)))
