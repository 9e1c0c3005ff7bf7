"""The OpenAPI operation of /api/me (web/access/auth.py), named by its declaration."""

from __future__ import annotations

from web.core.openapi_parts import json_response, read_operation, schema_ref

# GET /api/me
ME = read_operation("Who the request is authenticated as; a browser session also gets its CSRF token",
                    json_response(schema_ref("Me"), "The caller."), tags=["service"])
