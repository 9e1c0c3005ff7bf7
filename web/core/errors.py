"""The app's error handlers: every error a program is answered with is an RFC 9457 problem document.

The document and the one status of each kind are web/core/problems.py and
geo/problems.py (whose docstring holds the table); here they are wired in.
A browser asking for a page keeps HTML: the "unavailable" page with the
problem banner for a 503 of the store, and for the framework's errors outside
/api and /ogc a Chinese page with the site's navigation and a way on
(web/core/error_pages.py) unless the caller asks for JSON (then a problem
document too). A full disk met by any write is a 507.
"""

from __future__ import annotations

import orjson
from flask import Flask, Response, current_app, request
from flask.json.provider import DefaultJSONProvider
from werkzeug.exceptions import HTTPException

from geo.diskspace import disk_full, is_disk_full
from geo.errors import GuatuError
from geo.messages import t
from web.core.error_pages import error_page, http_error_page, unavailable_page
from web.core.language import localized
from web.core.problems import PROBLEM_JSON, PROGRAM_PATHS, domain_problem, http_problem, internal_problem, is_ogc


def register(app: Flask) -> None:
    app.json = StrictJSON(app)

    @app.errorhandler(GuatuError)
    def domain_error(exc: GuatuError):
        if exc.http_status == 503 and _wants_page():  # the store cannot answer: a page with the problem banner
            return unavailable_page(exc.message, exc.retry_after)
        return domain_problem(exc)

    @app.errorhandler(OSError)
    def disk_error(exc: OSError):
        """A full disk met by any write (an upload, an export, a preview): 507 in the shape of the part of the
        app that failed, like every domain error; other OS errors stay what they were (500, logged)."""
        if not is_disk_full(exc):
            return unexpected_error(exc)
        return current_app.handle_user_exception(disk_full(exc.filename))

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if exc.response is not None or (exc.code or 500) < 400:
            return exc  # an answer made already (the login redirect of abort(redirect(…)))
        if not request.path.startswith(PROGRAM_PATHS) and not _asks_for_json():
            return http_error_page(exc)  # a Chinese page with the site's navigation
        return http_problem(exc)  # keeps Allow (405), Retry-After, WWW-Authenticate

    @app.errorhandler(Exception)
    def unexpected_error(exc: Exception):
        """The last resort: a fault no rule foresaw is logged with its traceback and answered with a
        Chinese 500 as a problem document, never a traceback. Validation (web/core/validation.py) keeps inputs
        from getting here; a 500 found by the fuzzers is a bug to fix, not an answer."""
        app.logger.exception("unexpected error on %s %s", request.method, request.path)
        if request.path.startswith(PROGRAM_PATHS) or is_ogc(request.path) or _asks_for_json():
            return internal_problem()
        try:
            return error_page(500)
        except Exception:  # noqa: BLE001 - the page itself failed (a template, the store): plain words still
            app.logger.exception("the error page failed on %s %s", request.method, request.path)
            return Response(t("error.internal"), status=500, mimetype="text/plain")


def _asks_for_json() -> bool:
    """A program that asks for JSON rather than HTML (a browser, `*/*` or no Accept at all get the page)."""
    return request.accept_mimetypes.best_match(["text/html", "application/json", PROBLEM_JSON]) in (
        "application/json", PROBLEM_JSON)


def _wants_page() -> bool:
    """A browser asking for a page (not the API, not a program)."""
    return (not request.path.startswith(PROGRAM_PATHS)
            and request.accept_mimetypes.best_match(["application/json", "text/html"]) == "text/html")


class StrictJSON(DefaultJSONProvider):
    """Request bodies are parsed with orjson: deeply nested arrays, NaN and
    Infinity are refused as malformed JSON (a 400) instead of crashing.
    Answers carry their catalogue messages in the request's language."""

    def dumps(self, obj, **kwargs):
        return super().dumps(localized(obj), **kwargs)

    def loads(self, s, **kwargs):
        try:
            return orjson.loads(s)
        except orjson.JSONDecodeError as exc:
            raise ValueError(f"malformed JSON: {exc}") from None
