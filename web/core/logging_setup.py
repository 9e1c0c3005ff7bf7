"""Logs: plain text by default, JSON lines with `GUATU_LOG_FORMAT=json`.

Every request gets a request id (the caller's `X-Request-ID` when it sends a
sane one, else a new one), echoed in the response's `X-Request-ID` and put
on every log record written while the request runs. In JSON mode each line
is one object — time, level, logger, pid, message, and inside a request
request_id, method, path — and every request ends with an access line that
adds status and duration_ms (gunicorn's own access log is then left off by
`./guatu serve`; see web/gunicorn_conf.py for its other lines).
"""

from __future__ import annotations

import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime

import orjson
from flask import Flask, Response, g, has_request_context, request

from web.core.settings import get_settings

ACCESS_LOGGER = "guatu.access"
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
_RECORD_FIELDS = ("request_id", "method", "path", "status", "duration_ms", "remote_addr")


class RequestContext(logging.Filter):
    """Puts the current request's id, method and path on each record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if has_request_context() and not hasattr(record, "request_id"):
            record.request_id = g.get("request_id")
            record.method = request.method
            record.path = request.path
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        out = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "pid": record.process,  # which of a server's workers said it
            "message": record.getMessage(),
        }
        for name in _RECORD_FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                out[name] = value
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        return orjson.dumps(out, default=str).decode()


def json_handler(stream=None) -> logging.Handler:
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestContext())
    handler.guatu = True
    return handler


def configure(app: Flask) -> None:
    """Set up the root logger for GUATU_LOG_FORMAT (text|json) and GUATU_LOG_LEVEL, and the request hooks."""
    conf = get_settings(app)
    fmt, level = conf.log_format, conf.log_level
    root = logging.getLogger()
    if fmt == "json":
        for h in list(root.handlers):  # our earlier handler, or basicConfig's plain one; test capture stays
            if getattr(h, "guatu", False) or type(h) is logging.StreamHandler:
                root.removeHandler(h)
        root.addHandler(json_handler())
        root.setLevel(level)
    else:
        logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    log_access = fmt == "json" if conf.access_log is None else conf.access_log

    @app.before_request
    def _start() -> None:
        sent = request.headers.get("X-Request-ID", "")
        g.request_id = sent if _REQUEST_ID.match(sent) else uuid.uuid4().hex
        g.request_started = time.perf_counter()

    @app.after_request
    def _finish(resp: Response) -> Response:
        rid = g.get("request_id")
        if rid:
            resp.headers["X-Request-ID"] = rid
        if log_access and "request_started" in g:
            duration = (time.perf_counter() - g.request_started) * 1000
            logging.getLogger(ACCESS_LOGGER).info(
                "%s %s %s", request.method, request.path, resp.status_code,
                extra={"request_id": rid, "method": request.method, "path": request.path,
                       "status": resp.status_code, "duration_ms": round(duration, 2),
                       "remote_addr": request.remote_addr})
        return resp
