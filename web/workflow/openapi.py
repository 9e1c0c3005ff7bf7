"""OpenAPI descriptions of the campaign workflow endpoints (web/workflow/inspections.py, web/workflow/reports.py).

Added to web/api/openapi.py's PATHS when those blueprints are imported, so the
one document at /api/openapi.json describes every /api route.
"""

from __future__ import annotations

from web.api.openapi import CACHED, CRS, ETAG, IF_NONE_MATCH, PATHS, READ_ERRORS, WRITE_ERRORS, _json, _ref_response

_DAY = {"name": "day", "in": "path", "required": True, "description": "A day, YYYY-MM-DD (campaign time zone).",
        "schema": {"type": "string", "format": "date"}, "example": "2026-11-24"}
_FID = {"name": "fid", "in": "path", "required": True, "description": "A place's id on that day's list.",
        "schema": {"type": "string"}, "example": "c-0001"}
_OBJ = {"type": "object"}
_TAGS = ["workflow"]


def _query(name: str, description: str) -> dict:
    return {"name": name, "in": "query", "required": False, "schema": {"type": "string"}, "description": description}


def _body(properties: dict, required: list[str] | None = None) -> dict:
    schema = {"type": "object", "properties": properties, "additionalProperties": False}  # nothing it does not read
    if required:
        schema["required"] = required
    return {"required": True, "content": {"application/json": {"schema": schema}}}


_NULLABLE_TEXT = {"type": ["string", "null"]}
_WALL_INSPECTIONS = {
    "type": "object", "required": ["date", "crs", "total", "inspected", "counts", "results", "places"],
    "properties": {
        "date": {"type": "string"}, "crs": {"type": "string", "enum": ["wgs84", "gcj02"]},
        "total": {"type": "integer"}, "inspected": {"type": "integer"},
        "counts": {"type": "object", "additionalProperties": {"type": "integer"}},
        "results": {"type": "array", "items": {"type": "object", "properties": {
            "key": _NULLABLE_TEXT, "label": {"type": "string"}}}},
        "places": {"type": "array", "items": {
            "type": "object", "required": ["order", "layer", "id", "name", "point", "result", "label"],
            "properties": {
                "order": {"type": "integer", "description": "Place on the route (the list's order), from 1."},
                "layer": {"type": "string"}, "id": {"type": "string"}, "name": _NULLABLE_TEXT, "street": _NULLABLE_TEXT,
                "point": {"type": ["array", "null"], "items": {"type": "number"},
                          "description": "[lon, lat] inside the place, in the requested display CRS."},
                "result": {"type": ["string", "null"], "enum": ["ok", "problem", "relapse", None]},
                "label": {"type": "string"}, "at": _NULLABLE_TEXT,
                "time": {**_NULLABLE_TEXT, "description": "When the result was recorded, local HH:MM."},
                "fixed": {"type": "boolean", "description": "Fixed on the spot (立行立改)."}}}},
    },
}

WORKFLOW_PATHS: dict = {
    "/api/wall/inspections": {
        "get": {"summary": "The day's inspection list as a wall screen shows it: route order, place, point, result "
                           "(never notes or names of inspectors; display tokens may read it)",
                "tags": ["wall", *_TAGS],
                "parameters": [_query("date", "A day, YYYY-MM-DD (default: today in the campaign's time zone)"),
                               CRS, _query("street", "Keep the places of this sub-district"),
                               _query("community", "Keep the places of this community"), IF_NONE_MATCH],
                "responses": {"200": _json(_WALL_INSPECTIONS, "The list; no list that day: no places.", headers=ETAG),
                              **CACHED, "400": _ref_response("BadRequest"),
                              **READ_ERRORS}},
    },
    "/api/inspections/{day}": {
        "get": {"summary": "The day's random inspection list (每日随机地点督导) with its route sheet details (editor)",
                "tags": _TAGS, "parameters": [_DAY],
                "responses": {"200": _json(_OBJ, "The list: seed, weights, places and their results."),
                              "404": _ref_response("NotFound"), "400": _ref_response("BadRequest"), **READ_ERRORS}},
        "post": {"summary": "Draw the day's list: N places, stratified by sub-district, weighted, from a recorded seed",
                 "tags": _TAGS, "parameters": [_DAY],
                 "requestBody": _body({"count": {"type": "integer", "minimum": 1, "maximum": 500},
                                       "seed": {"type": "integer", "minimum": 0},
                                       "replace": {"type": "boolean"}}),
                 "responses": {"201": _json(_OBJ, "The new list."), "409": _ref_response("Conflict"), **WRITE_ERRORS}},
    },
    "/api/inspections/{day}/{fid}": {
        "post": {"summary": "Record the inspection of one place: ok, problem (opens a problem) or relapse (反弹)",
                 "tags": _TAGS, "parameters": [_DAY, _FID],
                 "requestBody": _body({"result": {"type": "string", "enum": ["ok", "problem", "relapse"]},
                                       "notes": {"type": "string"}, "category": {"type": "string"},
                                       "deadline": {"type": "string"}, "layer": {"type": "string"},
                                       "fixed": {"type": "boolean"}}, ["result"]),
                 "responses": {"201": _json(_OBJ, "The place's row with its result."),
                               "409": _ref_response("Conflict"), **WRITE_ERRORS}},
    },
    "/api/mine": {
        "get": {"summary": "Places a person (四包一) or unit answers for, most urgent first", "tags": _TAGS,
                "parameters": [_query("person", "A person's name (default: the caller's display name)"),
                               _query("unit", "A responsible unit")],
                "responses": {"200": _json(_OBJ, "The places with their open problems."),
                              "400": _ref_response("BadRequest"), **READ_ERRORS}},
    },
    "/api/progress/milestones": {
        "get": {"summary": "Plan against actual for every milestone (时间节点): ahead, on_track or behind",
                "tags": _TAGS, "parameters": [],
                "responses": {"200": _json(_OBJ, "The milestones and today's position."), **READ_ERRORS}},
    },
    "/api/timeline": {
        "get": {"summary": "Places per status at the end of each day, from the journal", "tags": _TAGS,
                "parameters": [_query("from", "First day, YYYY-MM-DD (default: 29 days before `to`)"),
                               _query("to", "Last day, YYYY-MM-DD (default: today)")],
                "responses": {"200": _json(_OBJ, "One entry per day."), "400": _ref_response("BadRequest"),
                              **READ_ERRORS}},
    },
}


def describe() -> None:
    for path, item in WORKFLOW_PATHS.items():
        PATHS.setdefault(path, {}).update(item)
