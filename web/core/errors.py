"""One error shape for the whole API: {"error": code, "message": text, ...}; a full disk is a 507."""

from __future__ import annotations

import orjson
from flask import Flask, Response, current_app, jsonify, make_response, render_template, request
from flask.json.provider import DefaultJSONProvider
from werkzeug.exceptions import HTTPException

from geo.diskspace import disk_full, is_disk_full
from geo.errors import GuatuError
from geo.messages import t
from web.core.language import localized


def register(app: Flask) -> None:
    app.json = StrictJSON(app)

    @app.errorhandler(GuatuError)
    def domain_error(exc: GuatuError):
        if exc.http_status == 503 and _wants_page():  # the store cannot answer: a page with the problem banner
            resp = make_response(render_template("unavailable.html", message=exc.message, heading=t("banner.page_unavailable"),
                                                 retry=t("banner.page_retry"), reload=max(exc.retry_after or 0, 10)), 503)
        else:
            resp = jsonify(exc.to_dict())
        resp.status_code = exc.http_status
        if exc.retry_after:
            resp.headers["Retry-After"] = str(exc.retry_after)
        return resp

    @app.errorhandler(OSError)
    def disk_error(exc: OSError):
        """A full disk met by any write (an upload, an export, a preview): 507 in the shape of the part of the
        app that failed, like every domain error; other OS errors stay what they were (500, logged)."""
        if not is_disk_full(exc):
            return unexpected_error(exc)
        return current_app.handle_user_exception(disk_full(exc.filename))

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if not request.path.startswith("/api/"):
            return exc
        body = {"error": (exc.name or "error").lower().replace(" ", "_"), "message": exc.description}
        resp = jsonify(body)
        resp.status_code = exc.code or 500
        for name, value in exc.get_headers():  # keep Allow (405), Retry-After, WWW-Authenticate
            if name.lower() != "content-type":
                resp.headers[name] = value
        return resp

    @app.errorhandler(Exception)
    def unexpected_error(exc: Exception):
        """The last resort: a fault no rule foresaw is logged with its traceback and answered with a
        Chinese 500 in the error shape, never a traceback. Validation (web/core/validation.py) keeps inputs
        from getting here; a 500 found by the fuzzers is a bug to fix, not an answer."""
        app.logger.exception("unexpected error on %s %s", request.method, request.path)
        body = {"error": "internal", "message": t("error.internal")}
        if request.path.startswith("/api/"):
            return jsonify(body), 500
        if request.path == "/ogc" or request.path.startswith("/ogc/"):
            return jsonify({"code": "internal", "description": body["message"], **body}), 500
        return Response(t("error.internal"), status=500, mimetype="text/plain")


def _wants_page() -> bool:
    """A browser asking for a page (not the API, not a program)."""
    return (not request.path.startswith("/api/")
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
