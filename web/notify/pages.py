"""Notification pages: the group channels and the delivery log (`/admin/notify`, admin) and each person's own
settings (`/account/notify`, every logged-in account). Plain HTML forms POSTed with the session's CSRF token, no
script, like the other admin pages; geo/notify/ checks and keeps everything, these views parse the form, call it
and report the outcome. Secrets are never shown back: a secret field left empty keeps the stored one."""

from __future__ import annotations

from collections.abc import Callable

from flask import Response, flash, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from geo.errors import GuatuError
from geo.messages import t
from geo.notify import outbox
from geo.notify.channels import CHANNEL_TYPES
from geo.notify.events import EVENT_KINDS
from geo.notify.subscriptions import channel, channels, person_settings, public_channel, save_channel
from geo.scope import Scope
from web.access.auth import ROLE_LABELS, accounts, logged_in_holder, principal
from web.core.context import guatu
from web.core.language import localized
from web.core.routes import ADMIN, VIEWER
from web.notify.api import names, save_settings_and_address
from web.notify.blueprint import bp
from web.notify.service import sender

LOG_ROWS = 200


def _page(template: str, **context) -> Response:
    resp = Response(render_template(template, me=principal(), role_labels=ROLE_LABELS, kinds=EVENT_KINDS,
                                    channel_types=CHANNEL_TYPES, kind_label=kind_label, type_label=type_label,
                                    state_label=state_label, **context))
    resp.headers["Cache-Control"] = "no-store"
    return resp


def kind_label(kind: str) -> str:
    return t(f"notify.delivery.kind.{kind}")


def type_label(kind: str) -> str:
    return t(f"notify.delivery.type.{kind}")


def state_label(state: str) -> str:
    return t(f"notify.delivery.state.{state}")


def _attempt(action: Callable[[], str | None], back: str) -> Response:
    """Run a change; flash its outcome or the reason it was refused, then go back."""
    try:
        message = action()
    except GuatuError as exc:
        flash(localized(exc.message), "error")
    else:
        if message:
            flash(localized(message), "ok")
    return redirect(back)


def _quiet(form: MultiDict) -> dict | None:
    start, end = (form.get(f"quiet_{k}", "").strip() for k in ("start", "end"))
    return {"start": start, "end": end} if start or end else None


def _channel_form(form: MultiDict) -> dict:
    raw = {"name": form.get("name", ""), "kinds": form.getlist("kinds"), "quiet": _quiet(form),
           "enabled": form.get("enabled") == "on",
           "scope": Scope.from_dict({f: form.getlist(f) for f in ("streets", "communities", "units")}).to_dict()}
    for name in ("type", "url", "emails", "secret"):
        if form.get(name):
            raw[name] = form[name]
    return raw


# --- admin: channels and the delivery log ------------------------------------------------------------------

@bp.get("/admin/notify", role=ADMIN)
def admin():
    store = guatu().store
    state = request.args.get("state") or None
    if state not in (None, *outbox.STATES):
        state = None
    streets, communities, units = names()
    return _page("notify_admin.html", channels=[public_channel(c) for c in channels(store)],
                 names={"streets": streets, "communities": communities, "units": units},
                 log=outbox.delivery_log(store, state=state, limit=LOG_ROWS), state=state, states=outbox.STATES)


@bp.post("/admin/notify/channels", role=ADMIN)
def add_channel():
    def add() -> str:
        made = save_channel(guatu().store, _channel_form(request.form), now=guatu().now(), names=names())
        return t("notify.delivery.channel_added", name=made["name"])

    return _attempt(add, url_for("notify.admin") + "#channels")


@bp.post("/admin/notify/channels/<cid>", role=ADMIN)
def set_channel(cid: str):
    def change() -> str:
        saved = save_channel(guatu().store, _channel_form(request.form), now=guatu().now(), cid=cid, names=names())
        return t("notify.delivery.channel_saved", name=saved["name"])

    return _attempt(change, url_for("notify.admin") + f"#channel-{cid}")


@bp.post("/admin/notify/channels/<cid>/<any(disable, enable):action>", role=ADMIN)
def switch_channel(cid: str, action: str):
    def change() -> str:
        saved = save_channel(guatu().store, {"enabled": action == "enable"}, now=guatu().now(), cid=cid)
        return t("notify.delivery.channel_on" if saved["enabled"] else "notify.delivery.channel_off", name=saved["name"])

    return _attempt(change, url_for("notify.admin") + f"#channel-{cid}")


@bp.post("/admin/notify/channels/<cid>/test", role=ADMIN)
def test_channel(cid: str):
    """The one request that waits for a receiver: the admin asked to hear it answer (at most GUATU_NOTIFY_TIMEOUT)."""
    def probe() -> str:
        found = channel(guatu().store, cid)
        outcome = sender().test(found)
        if not outcome.ok:
            flash(t("notify.delivery.cli_test_failed", name=found["name"], error=outcome.error), "error")
            return ""
        return t("notify.delivery.cli_test_ok", name=found["name"])

    return _attempt(probe, url_for("notify.admin") + f"#channel-{cid}")


@bp.post("/admin/notify/deliveries/<did>/retry", role=ADMIN)
def retry_delivery(did: str):
    def again() -> str:
        record = outbox.retry(guatu().store, did, now=guatu().now())
        return t("notify.delivery.retried", label=record["label"])

    return _attempt(again, url_for("notify.admin", state="failed") + "#deliveries")


# --- everyone: my notification settings ---------------------------------------------------------------------

@bp.get("/account/notify", role=VIEWER)
def my_settings():
    username = logged_in_holder()
    return _page("notify_settings.html", user=accounts().get_user(username),
                 settings=person_settings(guatu().store, username))


@bp.post("/account/notify", role=VIEWER)
def save_my_settings():
    username = logged_in_holder()
    form = request.form

    def save() -> str:
        wanted = set(form.getlist("kinds"))
        save_settings_and_address(username, {"off": [k for k in EVENT_KINDS if k not in wanted],
                                              "email": form.get("email") == "on", "quiet": _quiet(form),
                                              "address": form.get("address", "")})
        return t("notify.delivery.settings_saved")

    return _attempt(save, url_for("notify.my_settings"))
