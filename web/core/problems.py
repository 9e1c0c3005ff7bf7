"""Error answers as RFC 9457 problem documents (`application/problem+json`), for /api, /ogc and every JSON caller.

One builder for every error a program is answered with: a domain error
(`GuatuError`), an error of the framework (`HTTPException`: routing's 404 and
405, a 413, a 415) or a last-resort 500. The kinds and their one status each
are geo/problems.py's table; the titles and details come from the catalogue.

    {"type": "/problems/invalid", "title": "内容不符合规则", "status": 422,
     "detail": "geometry: …", "instance": "/api/layers/roads/features",
     "error": "invalid", "message": "geometry: …", "fields": [...]}

`error` and `message` repeat the code and the detail for clients of the
older `{"error", "message"}` shape (the editor, scripts); /ogc adds the OGC
exception members `code` and `description` for the same reason.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import quote

from flask import Response, request
from werkzeug.exceptions import HTTPException

from geo.errors import GuatuError
from geo.geojson_io import dumps
from geo.messages import t
from geo.problems import KINDS, Kind, kind_of, problem
from web.core.language import localized

PROBLEM_JSON = "application/problem+json"
PROGRAM_PATHS = ("/api/", "/photos/")  # read by programs and <img> (never a page): errors as problem documents


def is_ogc(path: str) -> bool:
    """Whether `path` is the OGC API's (whose problem documents also carry `code` and `description`)."""
    return path == "/ogc" or path.startswith("/ogc/")


def instance() -> str:
    """The path asked, as a URI reference (RFC 3986: what is not allowed in a path percent-encoded)."""
    return quote(request.path, safe="/!$&'()*+,;=:@")


def problem_response(kind: Kind, detail: str, extra: dict | None = None,
                     headers: Iterable[tuple[str, str]] = ()) -> Response:
    """The problem document of `kind` for the current request, with its status and `headers` (Allow,
    Retry-After, WWW-Authenticate…)."""
    body = problem(kind, detail, instance(), extra)
    if is_ogc(request.path):
        body = {**body, "code": kind.code, "description": detail}
    resp = Response(dumps(localized(body)), status=kind.status, mimetype=PROBLEM_JSON)  # in the reader's language
    resp.vary.add("Accept-Language")
    for name, value in headers:
        if name.lower() != "content-type":
            resp.headers[name] = value
    return resp


def domain_problem(exc: GuatuError) -> Response:
    """A `GuatuError` as a problem document: its `to_dict()` members (`fields`, `parameter`, `current`…)
    ride along; a `retry_after` becomes the Retry-After header."""
    extra = {k: v for k, v in exc.to_dict().items() if k not in ("error", "message")}
    headers = [("Retry-After", str(exc.retry_after))] if exc.retry_after else []
    return problem_response(kind_of(exc.code, exc.http_status), exc.message, extra, headers)


def http_problem(exc: HTTPException) -> Response:
    """An error of the framework as a problem document; its English default text gives way to the kind's
    Chinese title and the path, while a text we gave it (`abort(403, t(…))`) is kept."""
    status = exc.code or 500
    kind = kind_of((exc.name or "error").lower().replace(" ", "_"), status)
    detail = exc.description
    if not detail or detail == type(exc).description:
        title = kind.title() if kind.code in KINDS else t("problem.other", status=status)
        detail = t("problem.http_detail", title=title, path=request.path)
    return problem_response(kind, detail, headers=exc.get_headers())


def internal_problem() -> Response:
    """The last resort's 500, in Chinese, never a traceback."""
    return problem_response(kind_of("internal", 500), t("error.internal"))
