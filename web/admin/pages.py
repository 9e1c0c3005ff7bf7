"""Administration pages: users, API tokens, display links (admin); "my account" (everyone logged in).

Each user's row shows their level and scope (三级管理) with a form setting
both role and scope from select lists of the campaign's sub-districts,
communities and units (geo/accounts.py `campaign_names`). Plain HTML forms, no JavaScript: every form POSTs with the session's CSRF
token, which `web.access.auth` checks before any view runs. Rules (password length,
the last admin, roles) live in geo/accounts.py; these views only parse the
form, call it, and report the outcome. A new token's secret is shown once,
on the response to the POST that made it, and never stored in clear.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from flask import Response, abort, flash, redirect, render_template, request, session, url_for

from geo.accounts import ROLES, LoginRefused, Token, campaign_names
from geo.errors import FieldError, GuatuError, ValidationError
from geo.messages import t
from geo.scope import Scope
from geo.store.base import iso
from geo.throttle import LoginThrottled
from web.access.auth import (
    RECENT_LOGIN,
    ROLE_LABELS,
    accounts,
    logged_in_holder,
    principal,
    recently_logged_in,
    start_session,
    verify_password,
)
from web.admin.api import not_me, user_summary
from web.admin.blueprint import bp
from web.core.context import guatu
from web.core.http import yes_no
from web.core.language import localized
from web.core.routes import ADMIN, VIEWER

RECENT_CHANGES = 30


@bp.app_template_filter("guatu_local_time")
def local_time(stamp: str | None, with_time: bool = True) -> str:
    """An ISO UTC time stamp in the campaign's time zone, as 2026-11-24 15:37."""
    if not stamp:
        return ""
    try:
        when = datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone(guatu().campaign.timezone)
    except ValueError:
        return stamp
    return when.strftime("%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d")


def _page(template: str, **context) -> Response:
    resp = Response(render_template(template, me=principal(), role_labels=ROLE_LABELS, roles=ROLES,
                                    recent_minutes=int(RECENT_LOGIN.total_seconds() // 60), **context))
    resp.headers["Cache-Control"] = "no-store"
    return resp


def _attempt(action: Callable[[], str | None], back: str) -> Response:
    """Run a change; flash its outcome or the reason it was refused, then go back."""
    try:
        message = action()
    except GuatuError as exc:
        flash(localized(exc.message), "error")  # kept in the session as text: rendered in the reader's language now
    else:
        if message:
            flash(localized(message), "ok")
    return redirect(back)


def _keep_session(username: str, *, fresh: bool = False) -> None:
    """A password change ends every session of the user; this browser gets a new one if it is theirs."""
    if session.get("user") == username:
        start_session(accounts().get_user(username), fresh=fresh)


def _not_me(username: str) -> None:
    if principal().username == username:
        raise ValidationError([FieldError("username", t("accounts.not_yourself"))])


def _sorted_tokens(items: list[Token]) -> list[Token]:
    return sorted(items, key=lambda t: (t.revoked_at is not None, t.created_at), reverse=False)


# --- admin ------------------------------------------------------------------------------------

@bp.get("/admin", role=ADMIN)
def index():
    acc = accounts()
    store = guatu().store
    revision = store.revision()
    changes = list(reversed(store.changes_since(max(0, revision - RECENT_CHANGES))))
    ctx = guatu()
    streets, communities, units = campaign_names(ctx.store, ctx.data_dir)
    return _page("admin.html", users=[(u, user_summary(u)) for u in acc.users()],
                 names={"streets": streets, "communities": communities, "units": units}, api_tokens=_sorted_tokens(acc.tokens(kind="api")),
                 display_tokens=_sorted_tokens(acc.tokens(kind="display")), changes=changes)


@bp.post("/admin/users", role=ADMIN)
def create_user():
    form = request.form

    def create() -> str:
        if form.get("password", "") != form.get("confirm", ""):
            raise ValidationError([FieldError("confirm", t("accounts.passwords_differ"))])
        user = accounts().create_user(form.get("username", "").strip(), form.get("password", ""),
                                      form.get("role", "viewer"), form.get("name") or None, scope=_form_scope(),
                                      email=form.get("email") or None)
        return t("accounts.user_created", user=user.username, role=ROLE_LABELS[user.role])

    return _attempt(create, url_for("admin.index"))


@bp.post("/admin/users/<username>/role", role=ADMIN)
def set_role(username: str):
    def change() -> str:
        _not_me(username)
        user = accounts().update_user(username, role=request.form.get("role", ""))
        return t("accounts.role_changed", user=user.username, role=ROLE_LABELS[user.role])

    return _attempt(change, url_for("admin.index"))


@bp.post("/admin/users/<username>/scope", role=ADMIN)
def set_scope(username: str):
    """Role and scope together: a level is both (a 街道 leader is an editor with a sub-district)."""
    def change() -> str:
        not_me(username)
        user = accounts().update_user(username, role=request.form.get("role") or None, scope=_form_scope())
        summary = user_summary(user)
        return t("accounts.scope_changed", user=user.username, role=ROLE_LABELS[user.role], scope=summary["scope_label"])

    return _attempt(change, url_for("admin.index") + f"#user-{username}")


def _form_scope() -> Scope:
    return Scope.from_dict({"streets": request.form.getlist("streets"), "communities": request.form.getlist("communities"),
                            "units": request.form.getlist("units")})


@bp.post("/admin/users/<username>/password", role=ADMIN)
def reset_password(username: str):
    def change() -> str:
        accounts().update_user(username, password=request.form.get("password", ""))
        _keep_session(username)
        return t("accounts.password_reset", user=username)

    return _attempt(change, url_for("admin.index"))


@bp.post("/admin/users/<username>/<any(disable, enable):action>", role=ADMIN)
def set_active(username: str, action: str):
    def change() -> str:
        _not_me(username)
        user = accounts().update_user(username, disabled=action == "disable")
        return t("accounts.disabled" if user.disabled else "accounts.enabled", user=user.username)

    return _attempt(change, url_for("admin.index"))


@bp.post("/admin/tokens/<token_id>/revoke", role=ADMIN)
def revoke_token(token_id: str):
    def revoke() -> str:
        token = accounts().revoke_token(token_id)
        return t("accounts.token_revoked", name=token.name)

    return _attempt(revoke, url_for("admin.index"))


@bp.post("/admin/display", role=ADMIN)
def create_display():
    scope = (request.form.get("scope") or "/wall").strip()
    try:
        token, secret = accounts().create_display_token(request.form.get("name", ""), scope,
                                                        photos=yes_no(request.form, "photos", parameter=False),
                                                        created_by=principal().username)
    except GuatuError as exc:
        flash(exc.message, "error")
        return redirect(url_for("admin.index"))
    link = f"{request.host_url.rstrip('/')}{scope}{'&' if '?' in scope else '?'}display={secret}"
    return _page("secret.html", kind="display", token=token, secret=link, back=url_for("admin.index"))


# --- my account -------------------------------------------------------------------------------

@bp.get("/account", role=VIEWER)
def account():
    username = logged_in_holder()
    acc = accounts()
    return _page("account.html", user=acc.get_user(username), tokens=_sorted_tokens(acc.tokens(kind="api", username=username)))


@bp.post("/account/password", role=VIEWER)
def change_password():
    username = logged_in_holder()
    form = request.form

    def change() -> str:
        _check_current(username, form.get("current", ""))
        if form.get("password", "") != form.get("confirm", ""):
            raise ValidationError([FieldError("confirm", t("accounts.passwords_differ"))])
        accounts().update_user(username, password=form.get("password", ""))
        _keep_session(username, fresh=True)
        return t("accounts.password_changed")

    return _attempt(change, url_for("admin.account"))


def _check_current(username: str, password: str) -> None:
    """The current password, re-entered: checked through the login throttle like any login."""
    try:
        verify_password(username, password)
    except LoginRefused:
        raise ValidationError([FieldError("current", t("accounts.current_password_wrong"))]) from None
    except LoginThrottled as exc:
        raise ValidationError([FieldError("current", exc.message)]) from None


@bp.post("/account/tokens", role=VIEWER)
def create_own_token():
    """A new API token: only from a browser session that logged in within a few minutes or
    re-enters the password now, so a stolen token (or Basic credentials) cannot mint more."""
    username = logged_in_holder()
    if principal().via != "session":
        abort(403, t("accounts.token_needs_session"))
    try:
        if request.form.get("current"):
            _check_current(username, request.form["current"])
            session["auth_at"] = iso(accounts().clock())
        elif not recently_logged_in():
            raise ValidationError([FieldError("current", t("accounts.token_needs_password"))])
        token, secret = accounts().create_api_token(username, request.form.get("name", ""), created_by=username)
    except GuatuError as exc:
        flash(localized(exc.message), "error")
        return redirect(url_for("admin.account"))
    return _page("secret.html", kind="api", token=token, secret=secret, back=url_for("admin.account"))


@bp.post("/account/tokens/<token_id>/revoke", role=VIEWER)
def revoke_own_token(token_id: str):
    username = logged_in_holder()

    def revoke() -> str:
        acc = accounts()
        token = next((t for t in acc.tokens(kind="api", username=username) if t.id == token_id), None)
        if token is None:
            raise ValidationError([FieldError("token", t("accounts.no_token_of_yours"))])
        acc.revoke_token(token_id)
        return t("accounts.token_revoked", name=token.name)

    return _attempt(revoke, url_for("admin.account"))
