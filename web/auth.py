"""Who is asking, and may they: sessions, API tokens, HTTP Basic, display tokens, CSRF.

Every endpoint requires a viewer unless marked otherwise: `@requires("editor")`
for writes, `@requires("admin")` for administration, `@public` for the login
page and health checks. The rule is enforced once, in `before_request`, so a
new endpoint cannot forget it. Browser sessions must send the CSRF token with
every state-changing request; token and Basic clients send no cookies and
need none.
"""

from __future__ import annotations

import base64
import hmac
import secrets
from collections.abc import Callable
from urllib.parse import urlsplit

from flask import Blueprint, Flask, abort, current_app, g, jsonify, redirect, render_template, request, session, url_for

from geo.accounts import Accounts, LoginRefused, LoginThrottled, Principal
from geo.errors import GuatuError

bp = Blueprint("auth", __name__)

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
DISPLAY_HEADER = "X-Guatu-Display"
CSRF_HEADER = "X-CSRF-Token"
# Read-only endpoints a wall screen with a display token may use.
DISPLAY_ENDPOINTS = {"wall.wall_display", "api.state", "api.shapes", "api.boundaries", "api.changes", "static"}
DISPLAY_ENDPOINTS |= {"basemaps.tile", "basemaps.index"}  # basemap tiles and their list
DISPLAY_ENDPOINTS |= {"api.wall_place", "api.wall_dashboard"}  # the wall map's place cards and dashboard


def requires(role: str) -> Callable:
    def mark(view: Callable) -> Callable:
        view.guatu_role = role
        return view
    return mark


def public(view: Callable) -> Callable:
    view.guatu_role = None
    return view


def accounts() -> Accounts:
    return current_app.extensions["guatu_accounts"]


def principal() -> Principal | None:
    return g.get("principal")


def acting_user() -> str:
    """The name journal entries record for this request."""
    p = principal()
    return p.label if p else "anonymous"


def csrf_token() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def _identify() -> Principal | None:
    acc = accounts()
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer":
        return acc.check_token(value.strip(), "api") or _unauthorized("invalid or revoked token")
    if scheme.lower() == "basic":
        try:
            username, _, password = base64.b64decode(value.strip()).decode().partition(":")
            return acc.principal(acc.authenticate(username, password), "basic")
        except (ValueError, UnicodeDecodeError):
            _unauthorized("malformed Basic credentials")
    display = request.headers.get(DISPLAY_HEADER) or request.args.get("display")
    if display:
        return acc.check_token(display, "display") or _unauthorized("invalid or revoked display token")
    username = session.get("user")
    if username:
        try:
            user = acc.get_user(username)
        except GuatuError:
            user = None
        if user and not user.disabled and session.get("v") == user.session_version:
            return acc.principal(user, "session")
        session.clear()
    if current_app.config.get("GUATU_PUBLIC_VIEW"):
        return Principal("anonymous", "访客", "viewer", "public")
    return None


def _unauthorized(message: str):
    resp = jsonify({"error": "unauthorized", "message": message})
    resp.status_code = 401
    resp.headers["WWW-Authenticate"] = 'Bearer realm="guatu", Basic realm="guatu"'
    abort(resp)


def _check_access() -> None:
    view = current_app.view_functions.get(request.endpoint or "")
    role = getattr(view, "guatu_role", "viewer") if view else "viewer"
    if request.endpoint == "static" or role is None:
        g.principal = _identify_quietly()
        return
    p = _identify()
    g.principal = p
    if p is None:
        if request.path.startswith("/api/") or _gis_client():
            _unauthorized("log in, or send a personal API token (Authorization: Bearer …) or HTTP Basic credentials")
        abort(redirect(url_for("auth.login", next=request.full_path.rstrip("?"))))
    if p.via == "display" and request.endpoint not in DISPLAY_ENDPOINTS:
        abort(403, "a display token only opens its wall map")
    if not p.can(role):
        abort(403, f"this needs the {role} role; you are {p.role}")
    if request.method not in SAFE_METHODS and request.headers.get("Sec-Fetch-Site") in ("cross-site", "same-site"):
        # Browsers say where a request comes from; cookies and remembered Basic
        # credentials ride along on a forged form, so refuse writes from other sites.
        abort(403, "a write sent from another site is refused")
    if p.via == "session" and request.method not in SAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER) or request.form.get("csrf_token") or ""
        if not hmac.compare_digest(sent, session.get("csrf", "")) or not sent:
            abort(403, "missing or wrong CSRF token; reload the page and try again")


def _gis_client() -> bool:
    """A program reading the OGC API (/ogc: GDAL, QGIS, OWSLib) is asked for credentials (401);
    a browser asking for its HTML pages goes to the login page like everywhere else."""
    if request.path != "/ogc" and not request.path.startswith("/ogc/"):
        return False
    wants_html = request.args.get("f") == "html" or (not request.args.get("f") and request.accept_mimetypes.best == "text/html")
    return not wants_html


def _identify_quietly() -> Principal | None:
    try:
        return _identify()
    except Exception:  # noqa: BLE001 - public pages work for everyone, whatever they send
        return None


def _safe_next(target: str | None) -> str:
    if not target:
        return url_for("wall.wall_map")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("wall.wall_map")
    return target


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    error = None
    status = 200
    if request.method == "POST":
        sent = request.form.get("csrf_token", "")
        if not sent or not hmac.compare_digest(sent, session.get("csrf", "")):
            error, status = "页面已过期,请重新登录。", 400
        else:
            try:
                user = accounts().authenticate(request.form.get("username", ""), request.form.get("password", ""))
            except LoginThrottled:
                error, status = "失败次数过多,请 15 分钟后再试。", 429
            except LoginRefused:
                error, status = "用户名或密码错误。", 401
            else:
                session.clear()
                session.permanent = True
                session["user"], session["v"] = user.username, user.session_version
                csrf_token()
                return redirect(_safe_next(request.args.get("next")))
    return render_template("login.html", error=error, csrf=csrf_token(), next=request.args.get("next", "")), status


@bp.post("/logout")
def logout():
    session.clear()
    return redirect(url_for("auth.login"))


@bp.get("/api/me")
def me():
    p = principal()
    return jsonify({"username": p.username, "name": p.name, "role": p.role, "via": p.via,
                    "csrf_token": csrf_token() if p.via == "session" else None})


def register(app: Flask, acc: Accounts) -> None:
    app.extensions["guatu_accounts"] = acc
    app.before_request(_check_access)
    app.register_blueprint(bp)
    app.jinja_env.globals["csrf_token"] = csrf_token
