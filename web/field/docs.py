"""The OpenAPI operations of the field package's /api routes (web/field/data.py)."""

from __future__ import annotations

from web.core.openapi_parts import READ_ERRORS, json_response, response_ref

_DAY = {"name": "day", "in": "path", "required": True, "description": "A day, YYYY-MM-DD (campaign time zone).",
        "schema": {"type": "string", "format": "date"}, "example": "2026-11-24"}
_TEXT = {"type": ["string", "null"]}
_PLACE = {
    "type": "object", "required": ["order", "layer", "id", "name", "version", "result", "geometry"],
    "properties": {
        "order": {"type": "integer", "description": "Place on the route (the list's order), from 1."},
        "layer": {"type": "string"}, "id": {"type": "string"}, "name": _TEXT, "kind": _TEXT,
        "street": _TEXT, "community": _TEXT, "status": _TEXT, "status_label": _TEXT,
        "color": {"type": "string", "description": "The status' colour, #rrggbb."},
        "version": {"type": ["integer", "null"],
                    "description": "The place's version now: sent back with a result as `seen_version`."},
        "people": {"type": "array", "items": {"type": "object"}},
        "open_problems": {"type": "array", "description": "Open problems, each with its case's stage.", "items": {
            "type": "object", "properties": {
                "id": _TEXT, "category": _TEXT, "description": _TEXT, "deadline": _TEXT,
                "stage": {"type": "string", "description": "The case's stage: filed, handling, verifying, suspended."},
                "stage_label": {"type": "string"},
                "stage_due_local": {**_TEXT, "description": "When the stage is due, YYYY-MM-DD HH:MM (campaign time)."}}}},
        "result": {"type": ["object", "null"], "description": "The recorded result, if any."},
        "last_result": {"type": ["object", "null"], "description": "The place's last inspection before the day: "
                                                                    "date, result, label."},
        "photos": {"type": "array", "description": "Photos of this day's inspection, newest first.",
                   "items": {"type": "object", "properties": {"id": {"type": "string"}, "role": _TEXT,
                                                              "problem": _TEXT, "taken_at": _TEXT}}},
        "geometry": {"type": ["object", "null"], "description": "The place's shape, GeoJSON in WGS84."},
    },
}
_FIELD_LIST = {
    "type": "object", "required": ["date", "results", "categories", "default_deadline", "places"],
    "properties": {
        "date": {"type": "string"}, "seed": {"type": ["integer", "null"]}, "generated_at_local": _TEXT,
        "results": {"type": "array", "items": {"type": "object", "properties": {
            "key": {"type": "string"}, "label": {"type": "string"}}}},
        "categories": {"type": "array", "items": {"type": "string"}},
        "default_deadline": {"type": "string", "description": "A problem's deadline unless the inspector sets one."},
        "places": {"type": "array", "items": _PLACE},
    },
}

# GET /api/field/{day}
FIELD_LIST = {"summary": "The day's inspection list as an inspector's phone carries it: route order, shapes, "
                         "versions, open problems, results and the form's choices (inspector)",
              "tags": ["workflow", "field"], "parameters": [_DAY],
              "responses": {"200": json_response(_FIELD_LIST, "The list; no list that day: no places."),
                            "400": response_ref("BadRequest"), **READ_ERRORS}}
