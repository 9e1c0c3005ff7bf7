"""The error pages a browser is shown (403, 404, 405, 500, 503 and the other framework errors), and the
page of a store that cannot answer (`unavailable_page`).

Each says in Chinese what happened, keeps the site's navigation, and offers a way on: back to the page the
reader came from (on this site), to the wall, and for a 403 to sign in as someone else and come back here.
A text we gave the error (`abort(403, t("accounts.role_needed", …))`, saying which role is needed) is kept;
the framework's English defaults give way to the catalogue's texts. Programs never see these pages: they
get problem documents (web/core/errors.py decides which).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Response, g, make_response, render_template, request, url_for
from werkzeug.exceptions import HTTPException

from geo.messages import t
from geo.problems import KINDS, kind_of

# code -> (heading, default text): the catalogue's keys
_TEXTS = {
    403: ("page.err.403", "page.err.403_text"),
    404: ("page.err.404", "page.err.404_text"),
    405: ("page.err.405", "page.err.405_text"),
    500: ("page.err.500", "error.internal"),
    503: ("page.err.503", "page.err.503_text"),
}

# the site's pages in its navigation: (endpoint, catalogue key)
_NAV = (("wall.wall_map", "page.nav.wall"), ("edit.editor", "page.err.nav_edit"),
        ("workflow.inspections_page", "page.wf.inspections"), ("workflow.mine_page", "page.wf.mine"),
        ("cases.cases_page", "cases.title"), ("workflow.report_page", "page.wf.report"))

# headers of the framework's answer that a page keeps (Allow of a 405, Retry-After of a 503)
_KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")


def http_error_page(exc: HTTPException) -> Response:
    """The page for an error of the framework (or an `abort`), with the headers it carries."""
    code = exc.code or 500
    ours = exc.description if exc.description and exc.description != type(exc).description else None
    resp = error_page(code, ours)
    for name, value in exc.get_headers():
        if name in _KEPT_HEADERS:
            resp.headers[name] = value
    return resp


def error_page(code: int, message: str | None = None) -> Response:
    """A Chinese error page for `code`, saying `message` (or the code's own text)."""
    heading_key, text_key = _TEXTS.get(code, (None, None))
    if heading_key:
        heading = t(heading_key)
    else:
        kind = kind_of("", code)
        heading = kind.title() if kind.code in KINDS else t("problem.other", status=code)
    if message is None:
        message = t(text_key, path=request.path, method=request.method) if text_key else heading
    principal = g.get("principal")
    user = getattr(principal, "name", None) or getattr(principal, "username", None)
    sign_in = request.full_path.rstrip("?") if code == 403 and request.method == "GET" else None
    html = render_template("error.html", code=code, heading=heading, message=message, user=user,
                           sign_in=sign_in, back=_back(), nav=[(endpoint, t(key)) for endpoint, key in _NAV])
    return make_response(html, code)


def unavailable_page(message: str, retry_after: int | None) -> Response:
    """The 503 page of a store that cannot answer (the database down, a layer file broken): what is wrong, the
    top bar with only the links that work without the store — this page again, the account (kept beside the
    store, in the instance folder) or signing in — and a reload that brings a wall screen back by itself."""
    principal = g.get("principal")
    via = getattr(principal, "via", "public")
    user = getattr(principal, "name", None) if via != "public" else None
    here = request.full_path.rstrip("?") if request.method == "GET" else None
    nav = [(here, t("page.err.retry"))] if here else []
    if via == "public":
        nav.append((url_for("access.login", next=here), t("page.login.title")))
    elif via != "display":  # a wall screen's display link has no account
        nav.append((url_for("admin.account"), t("page.nav.account")))
    html = render_template("unavailable.html", message=message, heading=t("banner.page_unavailable"),
                           retry=t("banner.page_retry"), reload=max(retry_after or 0, 10), nav=nav, user=user)
    resp = make_response(html, 503)
    if retry_after:
        resp.headers["Retry-After"] = str(retry_after)
    return resp


def _back() -> str | None:
    """The page the reader came from, when it is a page of this site (and not this one)."""
    referrer = request.referrer
    if not referrer:
        return None
    parts = urlsplit(referrer)
    if parts.netloc != request.host or parts.scheme not in ("http", "https"):
        return None
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    return target if target != request.full_path.rstrip("?") else None
