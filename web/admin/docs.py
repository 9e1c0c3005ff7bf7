"""The OpenAPI operations of the accounts API under /api (web/admin/api.py), named by their declarations.

`GET /api/users` lists the accounts with their role, level and scope; `PUT /api/users/{username}/scope`
sets where a user writes (三级管理). Both are the admin's; the schema `Scope` is web/api/openapi.py's.
"""

from __future__ import annotations

from web.core.openapi_parts import WRITE_ERRORS, WRITE_SECURITY, json_response, read_operation, schema_ref

_TAGS = ["accounts"]
USERNAME = {"name": "username", "in": "path", "required": True, "description": "The user's login name.",
            "schema": {"type": "string"}, "example": "daxuelu"}
USER = {
    "type": "object", "required": ["username", "name", "role", "disabled", "scope", "level", "level_label"],
    "properties": {
        "username": {"type": "string"}, "name": {"type": "string"},
        "role": {"type": "string", "enum": ["viewer", "inspector", "editor", "admin"]},
        "disabled": {"type": "boolean"}, "scope": schema_ref("Scope"),
        "scope_label": {"type": "string", "description": "The scope in words: 全区, or its names."},
        "level": {"type": ["string", "null"], "description": "district, street, community, unit, inspector; null: viewer"},
        "level_label": {"type": ["string", "null"], "description": "指挥部, 街道(包村领导), 社区(村三委), 包村科室 or 督导员"},
        "created_at": {"type": "string"}, "last_login_at": {"type": ["string", "null"]},
    },
}

# GET /api/users
USERS = read_operation(
    "Every user with role, level and scope (admin)",
    json_response({"type": "object", "required": ["users"], "properties": {"users": {"type": "array", "items": USER}}},
                  "The accounts, by user name."),
    tags=_TAGS)

# PUT /api/users/{username}/scope
SET_SCOPE = {
    "summary": "Set where a user writes: sub-districts, communities, responsible units (admin)",
    "description": "The body is the whole new scope; every name must be one the campaign knows (its boundaries' and "
                   "places' sub-districts and communities, its places' units): an unknown one is a 422 naming it. "
                   "All lists empty: the whole district. An admin cannot change their own scope.",
    "tags": _TAGS, "security": WRITE_SECURITY, "parameters": [USERNAME],
    "requestBody": {"required": True, "content": {"application/json": {"schema": {
        "type": "object", "additionalProperties": False,
        "properties": {k: {"type": "array", "items": {"type": "string"}} for k in ("streets", "communities", "units")}}}}},
    "responses": {"200": json_response(USER, "Saved: the user as now stored."), **WRITE_ERRORS},
}
