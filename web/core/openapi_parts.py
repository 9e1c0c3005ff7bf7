"""The vocabulary every /api operation is written in: references, responses, common parameters, error sets.

The operations themselves are declared with their routes (web/core/routes.py) and kept as data in each
package's `docs` module; the components they refer to (`#/components/schemas/…`, `#/components/responses/…`)
and the document that gathers them are web/api/openapi.py's.
"""

from __future__ import annotations

from web.core.problems import PROBLEM_JSON


def schema_ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def json_response(schema: dict, description: str, media: str = "application/json", headers: dict | None = None) -> dict:
    out = {"description": description, "content": {media: {"schema": schema}}}
    if headers:
        out["headers"] = headers
    return out


def error_response(description: str) -> dict:
    return json_response(schema_ref("Error"), description, PROBLEM_JSON)


def response_ref(name: str) -> dict:
    return {"$ref": f"#/components/responses/{name}"}


ETAG = {"ETag": {"description": "Send it back in If-None-Match to get 304 while nothing changed.", "schema": {"type": "string"}}}
FEATURE_ETAG = {"ETag": {"description": 'The feature\'s version, `"<id>-v<version>"`: send it back in If-Match to write.',
                         "schema": {"type": "string"}}}
NOT_MODIFIED = {"description": "Not modified since the ETag in If-None-Match.", "headers": ETAG}

# Answers every protected endpoint may give.
READ_ERRORS = {
    "401": response_ref("Unauthorized"),
    "403": response_ref("Forbidden"),
    "405": response_ref("MethodNotAllowed"),
    "503": response_ref("Unavailable"),
}
WRITE_ERRORS = {
    **READ_ERRORS,
    "400": response_ref("BadRequest"),
    "404": response_ref("NotFound"),
    "413": response_ref("TooLarge"),
    "415": response_ref("BadRequest"),
    "422": response_ref("Invalid"),
    "507": response_ref("DiskFull"),
}

# a write that names the version it started from: stale (409), weak ETag or `*` for no place (412), no version (428)
VERSION_ERRORS = {"409": response_ref("Conflict"), "412": response_ref("PreconditionFailed"),
                  "428": response_ref("PreconditionRequired")}

LAYER = {"name": "layer_id", "in": "path", "required": True, "description": "A layer id from the campaign configuration.",
         "schema": {"type": "string"}}
FID = {"name": "fid", "in": "path", "required": True, "description": "A place's stable id, e.g. c-0001.",
       "schema": {"type": "string"}, "example": "c-0001"}
IF_NONE_MATCH = {"name": "If-None-Match", "in": "header", "required": False, "schema": {"type": "string"},
                 "description": "An ETag from an earlier answer: 304 while nothing changed."}
IF_MATCH = {"name": "If-Match", "in": "header", "required": False, "schema": {"type": "string"},
            "description": 'The ETag `"<id>-v<version>"` the edit started from (a strong one: `W/"…"` gets 412), or '
                           "`*` for whatever version is current (412 when the place does not exist); or send `version` "
                           "in the body. One of the two is required."}
REPAIR = {"name": "repair", "in": "query", "required": False, "schema": {"type": "string", "enum": ["true", "false", "1", "0"]},
          "description": "Repair an invalid geometry with make_valid instead of refusing it."}
PID = {"name": "pid", "in": "path", "required": True, "description": "A problem's id in the place's ledger.",
       "schema": {"type": "string"}, "example": "c-0001-p1"}


CRS = {"name": "crs", "in": "query", "required": False, "schema": {"type": "string"},
       "description": "wgs84 (default) or gcj02, in any case: gcj02 is shifted for an AMap/Gaode basemap; others get 400."}
DAY = {"name": "day", "in": "path", "required": True, "schema": {"type": "string", "format": "date"}, "example": "2026-11-24"}
EXPORT_MEDIA = ("application/geo+json", "application/geopackage+sqlite3", "application/zip",
                "application/vnd.google-earth.kml+xml",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def query_param(name: str, description: str) -> dict:
    return {"name": name, "in": "query", "required": False, "schema": {"type": "string"}, "description": description}


def filter_param(name: str, what: str) -> dict:
    return {"name": name, "in": "query", "required": False, "schema": {"type": "string"},
            "description": f"Only places whose {what} is one of these (comma-separated)."}


def read_operation(summary: str, ok: dict, *, params: list | None = None, errors: dict | None = None, tags: list[str]) -> dict:
    return {"summary": summary, "tags": tags, "parameters": params or [],
            "responses": {"200": ok, **(errors or READ_ERRORS)}}


CACHED = {"304": NOT_MODIFIED}
WRITE_SECURITY = [{"bearerAuth": []}, {"basicAuth": []}, {"cookieAuth": []}]
