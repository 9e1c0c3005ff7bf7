"""The OpenAPI operations of the Open311 routes (web/open311/views.py), one named entry per route, and the
OpenAPI 3.1 document gathered from them, served at /open311/v2/openapi.json.

Separate from /api/openapi.json: GeoReport v2 has its own shapes (arrays at the top, its error list, form-encoded
posts). `document()` walks the app's routes under /open311/v2 (web/core/routes.py `openapi_paths`) and adds the
campaign's service codes as an enum. tests/open311/test_open311_http.py validates it.
"""

from __future__ import annotations

from flask import Flask

from geo.config import Campaign
from geo.residents.open311 import MAX_PAGE, STATUSES, service_code
from web.core.routes import openapi_paths

JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
_TAGS = ["open311"]
_TEXT_OR_NULL = {"type": ["string", "null"]}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _errors(*statuses: int) -> dict:
    words = {400: "The request cannot be used: each field at fault, in Chinese.",
             403: "No api_key where one is needed, or an unknown, revoked or too weak one.",
             404: "No such service, request or path.", 405: "Not a method of this path (Allow lists them).",
             413: "The body is larger than its limit.", 429: "Too many reports from this key (Retry-After).",
             503: "The store cannot answer now; try again."}
    return {str(s): {"description": words[s], "content": {JSON: {"schema": _ref("Errors")}}} for s in statuses}


def _ok(description: str, schema: dict, status: str = "200") -> dict:
    return {status: {"description": description, "content": {JSON: {"schema": schema}}}}


def _query(name: str, description: str, schema: dict | None = None) -> dict:
    return {"name": name, "in": "query", "required": False, "schema": schema or {"type": "string"},
            "description": description}


API_KEY = _query("api_key", "An API token (`gt_…`) of an account whose role is 督导员 (inspector) or above; "
                            "`Authorization: Bearer` works too.")
CODE = {"name": "code", "in": "path", "required": True, "schema": {"type": "string"},
        "description": "A receipt code (8 characters) or, for a service, its service_code."}

DISCOVERY = {"tags": _TAGS, "summary": "Where the GeoReport v2 endpoint is and what it speaks (JSON only).",
             "security": [], "responses": {**_ok("The endpoint's discovery document.", _ref("Discovery")),
                                           **_errors(503)}}
SERVICES = {"tags": _TAGS, "summary": "One service per problem category of the campaign.", "security": [],
            "responses": {**_ok("The services.", {"type": "array", "items": _ref("Service")}), **_errors(503)}}
SERVICE = {"tags": _TAGS, "summary": "A service's definition: a report asks nothing beyond GeoReport's fields.",
           "security": [], "parameters": [CODE],
           "responses": {**_ok("Its definition (no attributes).", _ref("ServiceDefinition")), **_errors(404)}}
LIST_REQUESTS = {
    "tags": _TAGS, "summary": "Requests by their ids (anyone holding them), or with an api_key by the filters.",
    "security": [],
    "parameters": [
        _query("service_request_id", "Receipt codes, comma-separated; the other filters are then ignored."),
        _query("service_code", "Service codes (or category names), comma-separated."),
        _query("start_date", "Received at or after (w3 date-time, or a date); default: 90 days before end_date."),
        _query("end_date", "Received at or before (w3 date-time, or a date: its end); default: now."),
        _query("status", "open, closed, or both comma-separated.", {"type": "string"}),
        _query("page", "Page (1 first).", {"type": "integer", "minimum": 1}),
        _query("page_size", f"Requests a page, at most {MAX_PAGE}.",
               {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}),
        API_KEY],
    "responses": {**_ok("The requests, newest first: their public view only (never a phone, a name, a device).",
                        {"type": "array", "items": _ref("ServiceRequest")}), **_errors(400, 403, 503)}}
POST_REQUEST = {
    "tags": _TAGS, "summary": "Post a resident's report (kept as a report of channel open311).", "security": [],
    "requestBody": {"required": True, "content": {FORM: {"schema": _ref("NewRequest")},
                                                  JSON: {"schema": _ref("NewRequest")}}},
    "responses": {**_ok("Kept: its id is the reporter's receipt code.",
                        {"type": "array", "items": _ref("Posted")}, "201"),
                  **_errors(400, 403, 404, 413, 429, 503)}}
GET_REQUEST = {"tags": _TAGS, "summary": "One request by its receipt code.", "security": [],
               "parameters": [CODE, API_KEY],
               "responses": {**_ok("The request, in a one-element array.",
                                   {"type": "array", "items": _ref("ServiceRequest"), "maxItems": 1}),
                             **_errors(403, 404, 503)}}

SCHEMAS = {
    "Errors": {"type": "array", "items": {"type": "object", "required": ["code", "description"], "properties": {
        "code": {"type": "integer", "description": "The HTTP status."},
        "description": {"type": "string", "description": "What went wrong, in Chinese unless English is asked."}}}},
    "Discovery": {"type": "object", "required": ["changeset", "endpoints"], "properties": {
        "changeset": {"type": "string"}, "contact": {"type": "string"}, "key_service": {"type": "string"},
        "endpoints": {"type": "array", "items": {"type": "object", "properties": {
            "specification": {"type": "string"}, "url": {"type": "string"}, "changeset": {"type": "string"},
            "type": {"type": "string", "enum": ["production", "test"]},
            "formats": {"type": "array", "items": {"type": "string"}}}}}}},
    "Service": {"type": "object", "required": ["service_code", "service_name", "metadata", "type"], "properties": {
        "service_code": {"type": "string"}, "service_name": {"type": "string"}, "description": {"type": "string"},
        "metadata": {"type": "boolean"}, "type": {"type": "string", "enum": ["realtime", "batch", "blackbox"]},
        "keywords": {"type": "string"}, "group": {"type": "string"}}},
    "ServiceDefinition": {"type": "object", "required": ["service_code", "attributes"], "properties": {
        "service_code": {"type": "string"}, "attributes": {"type": "array", "maxItems": 0}}},
    "NewRequest": {"type": "object", "required": ["api_key", "service_code"], "properties": {
        "api_key": {"type": "string"}, "jurisdiction_id": {"type": "string"},
        "service_code": {"type": "string", "description": "A service_code, or the category's own name."},
        "lat": {"type": "number", "minimum": -90, "maximum": 90},
        "long": {"type": "number", "minimum": -180, "maximum": 180},
        "address_string": {"type": "string", "maxLength": 100, "description": "Without lat/long: a place, "
                           "community or sub-district of the campaign named in it."},
        "description": {"type": "string", "maxLength": 500}, "phone": {"type": "string"},
        "first_name": {"type": "string"}, "last_name": {"type": "string"},
        "device_id": {"type": "string", "description": "Kept as a hash only."},
        "email": {"type": "string", "description": "Not kept (said in service_notice)."},
        "media_url": {"type": "string", "description": "Not fetched (said in service_notice)."},
        "account_id": {"type": "string", "description": "Not kept."}}},
    "Posted": {"type": "object", "required": ["service_request_id", "service_notice", "account_id"], "properties": {
        "service_request_id": {"type": "string", "description": "The receipt code the reporter follows it with."},
        "service_notice": {"type": "string"}, "account_id": {"type": "null"}}},
    "ServiceRequest": {"type": "object", "required": ["service_request_id", "status", "service_code"], "properties": {
        "service_request_id": {"type": "string"},
        "status": {"type": "string", "enum": list(STATUSES)},
        "status_notes": _TEXT_OR_NULL, "service_name": _TEXT_OR_NULL, "service_code": _TEXT_OR_NULL,
        "description": {**_TEXT_OR_NULL, "description": "null once moderated"},
        "agency_responsible": {**_TEXT_OR_NULL, "description": "the unit the case is dispatched to"},
        "service_notice": _TEXT_OR_NULL,
        "requested_datetime": _TEXT_OR_NULL, "updated_datetime": _TEXT_OR_NULL,
        "expected_datetime": {**_TEXT_OR_NULL, "description": "the case's current stage's due while it runs"},
        "address": {**_TEXT_OR_NULL, "description": "the sub-district and community"},
        "address_id": {"type": "null"}, "zipcode": {"type": "null"},
        "lat": {"type": ["number", "null"], "description": "about 100 m without an api_key"},
        "long": {"type": ["number", "null"]},
        "media_url": {**_TEXT_OR_NULL, "description": "the after photo (整改后) once closed"}}},
}


def document(app: Flask, campaign: Campaign) -> dict:
    """The OpenAPI 3.1 document of /open311/v2, from the routes' declarations, with this campaign's services."""
    schemas = {**SCHEMAS, "Service": {**SCHEMAS["Service"], "properties": {
        **SCHEMAS["Service"]["properties"],
        "service_code": {"type": "string", "enum": [service_code(c) for c in campaign.categories]}}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": f"{campaign.title} — Open311 GeoReport v2", "version": "2",
                 "description": "Residents' reports in and their progress out, as GeoReport v2 (JSON only). "
                                "See docs/open311.md."},
        "servers": [{"url": "/open311/v2"}],
        "paths": openapi_paths(app, "/open311/v2", mounted=True),
        "components": {"schemas": schemas},
    }
