"""One error shape for the whole API: {"error": code, "message": text, ...}."""

from __future__ import annotations

from flask import Flask, jsonify, request
from werkzeug.exceptions import HTTPException

from geo.errors import GuatuError


def register(app: Flask) -> None:
    @app.errorhandler(GuatuError)
    def domain_error(exc: GuatuError):
        return jsonify(exc.to_dict()), exc.http_status

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if not request.path.startswith("/api/"):
            return exc
        body = {"error": (exc.name or "error").lower().replace(" ", "_"), "message": exc.description}
        return jsonify(body), exc.code
