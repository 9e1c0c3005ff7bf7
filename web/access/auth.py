"""Who is asking, and may they: sessions, API tokens, HTTP Basic, display tokens, CSRF.

Every view declares the role it needs and whether a display link may call it
(web/core/routes.py: `@bp.get(rule, role=EDITOR, display=…)`). The rule is
enforced once, in `before_request`, from the declaration of the endpoint; a
view without a declaration is refused to everyone, so a new endpoint cannot
forget it. Browser sessions must send the CSRF token with
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
from datetime import datetime, timedelta

from flask import Flask, abort, current_app, g, redirect, request, session, url_for

from geo.accounts import Accounts, LoginRefused, Principal, User
from geo.messages import t
from geo.problems import KINDS
from geo.scope import Scope
from geo.store.base import iso
from geo.throttle import LoginThrottled
from web.access import display_scope
from web.access.login_limits import login_throttle
from web.core.problems import PROGRAM_PATHS, domain_problem, problem_response
from web.core.routes import PUBLIC, VIEWER, declaration_of
from web.core.settings import get_settings

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
DISPLAY_HEADER = "X-Guatu-Display"
CSRF_HEADER = "X-CSRF-Token"
RECENT_LOGIN = timedelta(minutes=5)  # a session this fresh may mint API tokens without re-entering the password
def accounts() -> Accounts:
    return current_app.extensions["guatu_accounts"]


def principal() -> Principal | None:
    return g.get("principal")


def account_holder() -> str | None:
    """The account asking: None for a display link or the public view, which have none."""
    p = principal()
    return p.username if p is not None and p.via in ("session", "basic", "token") else None


def logged_in_holder() -> str:
    """The account a page of one's own is for (my account, my notification settings): a visitor with none is sent
    to log in, and back."""
    return account_holder() or abort(redirect(url_for("access.login", next=request.path)))


def acting_scope() -> Scope | None:
    """Where this request's principal may write (geo/scope.py), passed as `scope=` to every write; None
    outside a request (the command line writes anywhere)."""
    p = principal()
    return p.scope if p is not None else None


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
            abort(domain_problem(exc))  # with Retry-After
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
    unavailable = getattr(session, "unavailable", None)
    if unavailable is not None:  # the session key is kept in the database and it cannot answer yet (503)
        raise unavailable
    username = session.get("user")
    if username:
        user = acc.session_user(username, session.get("sid"))
        if user is not None:
            return acc.principal(user, "session")
        session.clear()
    if get_settings().public_view:
        return Principal("anonymous", t("accounts.visitor"), "viewer", "public")
    return None


ROLE_LABELS = {"viewer": t("role.viewer"), "inspector": t("role.inspector"), "editor": t("role.editor"),
               "admin": t("role.admin")}  # as people see them


def _unauthorized(message: str):
    resp = problem_response(KINDS["unauthorized"], message)
    resp.headers["WWW-Authenticate"] = 'Bearer realm="guatu", Basic realm="guatu"'
    abort(resp)


def _check_access() -> None:
    if request.endpoint == "static":  # the front end's files are the same for everyone: the session is not read,
        g.principal = None  # so no answer varies by Cookie or renews it (a bundle stays cached: web/core/static_files.py)
        return
    declared = declaration_of(current_app, request.endpoint)
    if declared is None and request.endpoint is not None:
        abort(403, t("routes.undeclared"))  # a view must say who may call it (web/core/routes.py)
    role = declared.role if declared else VIEWER  # no such route: the caller logs in before hearing so, as always
    if role == PUBLIC:
        g.principal = _identify_quietly()
        return
    p = _identify()
    g.principal = p
    if p is None:
        if request.path.startswith(PROGRAM_PATHS) or _gis_client():
            _unauthorized(t("accounts.login_required"))
        abort(redirect(url_for("access.login", next=request.full_path.rstrip("?"))))
    if p.via == "display":
        if declared is None or declared.display is None:
            abort(403, t("accounts.display_only_wall"))
        display_scope.enforce(p, declared.display)  # its street, community and layers, on every endpoint it reaches
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


def register(app: Flask, acc: Accounts) -> None:
    """Keep `acc` on the app and check every request against its route's declaration before the view runs."""
    app.extensions["guatu_accounts"] = acc
    app.before_request(_check_access)
    app.jinja_env.globals["csrf_token"] = csrf_token
