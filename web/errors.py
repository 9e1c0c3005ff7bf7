"""One error shape for the whole API: {"error": code, "message": text, ...}."""

from __future__ import annotations

import orjson
from flask import Flask, Response, jsonify, request
from flask.json.provider import DefaultJSONProvider
from werkzeug.exceptions import HTTPException

from geo.errors import GuatuError
from geo.messages import t


def register(app: Flask) -> None:
    app.json = StrictJSON(app)

    @app.errorhandler(GuatuError)
    def domain_error(exc: GuatuError):
        return jsonify(exc.to_dict()), exc.http_status

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
        Chinese 500 in the error shape, never a traceback. Validation (web/validation.py) keeps inputs
        from getting here; a 500 found by the fuzzers is a bug to fix, not an answer."""
        app.logger.exception("unexpected error on %s %s", request.method, request.path)
        body = {"error": "internal", "message": t("error.internal")}
        if request.path.startswith("/api/"):
            return jsonify(body), 500
        if request.path == "/ogc" or request.path.startswith("/ogc/"):
            return jsonify({"code": "internal", "description": body["message"], **body}), 500
        return Response(t("error.internal"), status=500, mimetype="text/plain")


class StrictJSON(DefaultJSONProvider):
    """Request bodies are parsed with orjson: deeply nested arrays, NaN and
    Infinity are refused as malformed JSON (a 400) instead of crashing."""

    def loads(self, s, **kwargs):
        try:
            return orjson.loads(s)
        except orjson.JSONDecodeError as exc:
            raise ValueError(f"malformed JSON: {exc}") from None
