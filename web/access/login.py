"""The access package's pages: log in (/login), log out (/logout), and who am I (/api/me).

The rules they rely on — sessions, passwords through the login throttle, CSRF — are in web/access/auth.py.
"""

from __future__ import annotations

import hmac
from urllib.parse import urlsplit

from flask import jsonify, redirect, render_template, request, session, url_for

from geo.accounts import LoginRefused, level_of
from geo.errors import DiskFull
from geo.messages import t
from geo.scope import level_label
from geo.throttle import LoginThrottled
from web.access import docs
from web.access.auth import account_holder, accounts, csrf_token, principal, start_session, verify_password
from web.core.routes import PUBLIC, VIEWER, DeclaredBlueprint

bp = DeclaredBlueprint("access", __name__)


def _safe_next(target: str | None) -> str:
    if not target:
        return url_for("wall.wall_map")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("wall.wall_map")
    return target


@bp.route("/login", methods=["GET", "POST"], role=PUBLIC)
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


@bp.post("/logout", role=VIEWER)
def logout():
    if session.get("user"):
        accounts().end_session(session["user"], session.get("sid"))
    session.clear()
    return redirect(url_for("access.login"))


@bp.get("/api/me", role=VIEWER, doc=docs.ME)
def me():
    p = principal()
    level = level_of(p.role, p.scope) if account_holder() is not None else None
    return jsonify({"username": p.username, "name": p.name, "role": p.role, "via": p.via,
                    "csrf_token": csrf_token() if p.via == "session" else None,
                    "scope": p.scope.to_dict(), "level": level, "level_label": level_label(level) if level else None})
