"""Notifications over /api: the group channels and the delivery log (admin), and one's own settings.

    GET  /api/notify/channels                  every channel, secrets masked
    POST /api/notify/channels                  add one: {"type", "name", "url" | "emails", "secret"?, "scope"?,
                                               "kinds"?, "quiet"?, "enabled"?}
    PUT  /api/notify/channels/<id>             change it (a secret left out keeps the one stored)
    POST /api/notify/channels/<id>/test        send a test message now; the outcome
    GET  /api/notify/deliveries?state=         the delivery log with every attempt
    POST /api/notify/deliveries/<id>/retry     send a failed delivery again
    GET  /api/notify/settings                  my settings: kinds off, email copies, quiet hours, my address
    PUT  /api/notify/settings                  change them

Thin: geo/notify/ checks and keeps everything.
"""

from __future__ import annotations

from flask import abort, jsonify, request

from geo.accounts import campaign_names, check_email
from geo.messages import t
from geo.notify import outbox
from geo.notify.subscriptions import channel, channels, person_settings, public_channel, save_channel, save_person_settings
from web.access.auth import account_holder, accounts
from web.core.context import guatu
from web.core.http import json_body
from web.core.routes import ADMIN, VIEWER
from web.notify import docs
from web.notify.blueprint import bp
from web.notify.service import sender


def _no_store(body: dict):
    resp = jsonify(body)
    resp.headers["Cache-Control"] = "no-store"
    return resp


def names() -> tuple[list[str], list[str], list[str]]:
    ctx = guatu()
    return campaign_names(ctx.store, ctx.data_dir)


@bp.get("/api/notify/channels", role=ADMIN, doc=docs.LIST_CHANNELS)
def api_channels():
    return _no_store({"channels": [public_channel(c) for c in channels(guatu().store)]})


@bp.post("/api/notify/channels", role=ADMIN, doc=docs.ADD_CHANNEL)
def api_add_channel():
    ctx = guatu()
    made = save_channel(ctx.store, json_body(), now=ctx.now(), names=names())
    resp = _no_store(public_channel(made))
    resp.status_code = 201
    return resp


@bp.put("/api/notify/channels/<cid>", role=ADMIN, doc=docs.SET_CHANNEL)
def api_set_channel(cid: str):
    ctx = guatu()
    return _no_store(public_channel(save_channel(ctx.store, json_body(), now=ctx.now(), cid=cid, names=names())))


@bp.post("/api/notify/channels/<cid>/test", role=ADMIN, doc=docs.TEST_CHANNEL)
def api_test_channel(cid: str):
    outcome = sender().test(channel(guatu().store, cid))
    return _no_store({"ok": outcome.ok, "status": outcome.status, "error": str(outcome.error)})


@bp.get("/api/notify/deliveries", role=ADMIN, doc=docs.DELIVERIES)
def api_deliveries():
    state = request.args.get("state") or None
    found = outbox.delivery_log(guatu().store, state=state)
    return _no_store({"deliveries": found.rows, "damaged": [f.to_dict() for f in found.damaged]})


@bp.post("/api/notify/deliveries/<did>/retry", role=ADMIN, doc=docs.RETRY)
def api_retry(did: str):
    ctx = guatu()
    return _no_store(outbox.retry(ctx.store, did, now=ctx.now()))


def own_settings(username: str) -> dict:
    return {**person_settings(guatu().store, username), "address": accounts().get_user(username).email}


@bp.get("/api/notify/settings", role=VIEWER, doc=docs.GET_SETTINGS)
def api_settings():
    return _no_store(own_settings(_holder()))


@bp.put("/api/notify/settings", role=VIEWER, doc=docs.SET_SETTINGS)
def api_set_settings():
    username = _holder()
    save_settings_and_address(username, json_body())
    return _no_store(own_settings(username))


def save_settings_and_address(username: str, body: dict) -> None:
    """A person's settings and (when given) their email address, both checked before either is kept."""
    address = accounts().get_user(username).email
    if "address" in body:
        text = str(body["address"] or "").strip()
        address = check_email(text, "address") if text else None
    save_person_settings(guatu().store, username, {k: v for k, v in body.items() if k != "address"},
                         email_address=address)
    if "address" in body:
        accounts().update_user(username, email=address or "")


def _holder() -> str:
    """The account asking (a display link or the public view has none: 403)."""
    return account_holder() or abort(403, t("notify.delivery.needs_account"))
