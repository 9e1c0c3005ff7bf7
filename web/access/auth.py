"""Who is asking, and may they: sessions, API tokens, HTTP Basic, display tokens, CSRF.

Every endpoint requires a viewer unless marked otherwise: `@requires("editor")`
for writes, `@requires("admin")` for administration, `@public` for the login
page and health checks. The rule is enforced once, in `before_request`, so a
new endpoint cannot forget it. Browser sessions must send the CSRF token with
every state-changing request; token and Basic clients send no cookies and
need none.

Sessions are checked against the account on every request (a logged-out or
replayed cookie is refused: geo/accounts.py), every password check goes
through the login throttle first (web/access/login_limits.py), and HTTP Basic
credentials are verified once a minute at most (the rest from the cache).
"""

from __future__ import annotations

import base64
import hmac
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from flask import Blueprint, Flask, abort, current_app, g, jsonify, redirect, render_template, request, session, url_for

from geo.accounts import Accounts, LoginRefused, Principal, User
from geo.errors import DiskFull
from geo.messages import t
from geo.store.base import iso
from geo.throttle import LoginThrottled
from web.access import display_scope
from web.access.login_limits import login_throttle

bp = Blueprint("auth", __name__)

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
DISPLAY_HEADER = "X-Guatu-Display"
CSRF_HEADER = "X-CSRF-Token"
RECENT_LOGIN = timedelta(minutes=5)  # a session this fresh may mint API tokens without re-entering the password
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


def verify_password(username: str, password: str) -> User:
    """Check a password as the login throttle allows: the attempt is counted before scrypt runs."""
    address = request.remote_addr or "-"
    throttle = login_throttle()
    throttle.attempt(address, username)
    user = accounts().authenticate(username, password)
    throttle.succeeded(address, username)
    return user


def recently_logged_in() -> bool:
    """This browser session logged in (or re-entered its password) within RECENT_LOGIN."""
    stamp = session.get("auth_at")
    if not isinstance(stamp, str):
        return False
    try:
        return accounts().clock() - _parse(stamp) < RECENT_LOGIN
    except ValueError:
        return False


def start_session(user: User, *, fresh: bool = True) -> None:
    """Log this browser in as `user` with a new server-side session id (`fresh`: stamp the login time)."""
    acc = accounts()
    previous = session.get("auth_at")
    session.clear()
    session.permanent = True
    session["user"], session["sid"] = user.username, acc.start_session(user.username)
    if fresh:
        session["auth_at"] = iso(acc.clock())
    elif previous:
        session["auth_at"] = previous
    csrf_token()


def _parse(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def _basic(acc: Accounts, value: str) -> Principal:
    try:
        username, _, password = base64.b64decode(value.strip(), validate=True).decode().partition(":")
    except (ValueError, UnicodeDecodeError):
        _unauthorized(t("accounts.bad_basic"))
    user = acc.authenticate_basic(username, password)
    if user is None:
        try:
            user = verify_password(username, password)
        except LoginRefused:
            _unauthorized(t("accounts.login_refused"))
        except LoginThrottled as exc:
            resp = jsonify(exc.to_dict())
            resp.status_code, resp.headers["Retry-After"] = 429, str(exc.retry_after)
            abort(resp)
        acc.remember_basic(username, password, user)
    return acc.principal(user, "basic")


def _identify() -> Principal | None:
    acc = accounts()
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer":
        return acc.check_token(value.strip(), "api") or _unauthorized(t("accounts.token_invalid"))
    if scheme.lower() == "basic":
        return _basic(acc, value)
    display = request.headers.get(DISPLAY_HEADER) or request.args.get("display")
    if display:
        return acc.check_token(display, "display") or _unauthorized(t("accounts.display_token_invalid"))
    username = session.get("user")
    if username:
        user = acc.session_user(username, session.get("sid"))
        if user is not None:
            return acc.principal(user, "session")
        session.clear()
    if current_app.config.get("GUATU_PUBLIC_VIEW"):
        return Principal("anonymous", t("accounts.visitor"), "viewer", "public")
    return None


ROLE_LABELS = {"viewer": t("role.viewer"), "editor": t("role.editor"), "admin": t("role.admin")}  # as people see them


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
            _unauthorized(t("accounts.login_required"))
        abort(redirect(url_for("auth.login", next=request.full_path.rstrip("?"))))
    if p.via == "display":
        if request.endpoint not in DISPLAY_ENDPOINTS:
            abort(403, t("accounts.display_only_wall"))
        display_scope.enforce(p)  # its street, community and layers, on every endpoint it reaches
    if not p.can(role):
        abort(403, t("accounts.role_needed", role=ROLE_LABELS.get(role, role), have=ROLE_LABELS.get(p.role, p.role)))
    if request.method not in SAFE_METHODS and request.headers.get("Sec-Fetch-Site") in ("cross-site", "same-site"):
        # Browsers say where a request comes from; cookies and remembered Basic
        # credentials ride along on a forged form, so refuse writes from other sites.
        abort(403, t("accounts.cross_site_write"))
    if p.via == "session" and request.method not in SAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER) or request.form.get("csrf_token") or ""
        if not hmac.compare_digest(sent, session.get("csrf", "")) or not sent:
            abort(403, t("accounts.csrf_wrong"))


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
    headers = {}
    if request.method == "POST":
        sent = request.form.get("csrf_token", "")
        if not sent or not hmac.compare_digest(sent, session.get("csrf", "")):
            error, status = t("accounts.form_expired"), 400
        else:
            try:
                user = verify_password(request.form.get("username", ""), request.form.get("password", ""))
                start_session(user)
            except LoginThrottled as exc:
                error, status, headers = exc.message, 429, {"Retry-After": str(exc.retry_after)}
            except LoginRefused:
                error, status = t("accounts.login_refused"), 401
            except DiskFull as exc:  # the attempt's count or the new session could not be kept: say so on the form
                error, status = exc.message, exc.http_status
            else:
                return redirect(_safe_next(request.args.get("next")))
    return render_template("login.html", error=error, csrf=csrf_token(), next=request.args.get("next", "")), status, headers


@bp.post("/logout")
def logout():
    if session.get("user"):
        accounts().end_session(session["user"], session.get("sid"))
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
