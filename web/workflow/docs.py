"""The OpenAPI operations of the workflow's /api routes (web/workflow/inspections.py, web/workflow/reports.py).

One named entry per route, named by the route's declaration; web/api/openapi.py's `document()` gathers
them into /api/openapi.json.
"""

from __future__ import annotations

from web.core.openapi_parts import CACHED, CRS, ETAG, IF_NONE_MATCH, READ_ERRORS, WRITE_ERRORS, json_response, query_param, response_ref
from web.core.withheld import SCHEMA as WITHHELD

_DAY = {"name": "day", "in": "path", "required": True, "description": "A day, YYYY-MM-DD (campaign time zone).",
        "schema": {"type": "string", "format": "date"}, "example": "2026-11-24"}
_FID = {"name": "fid", "in": "path", "required": True, "description": "A place's id on that day's list.",
        "schema": {"type": "string"}, "example": "c-0001"}
_OBJ = {"type": "object"}
_TAGS = ["workflow"]


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
        "route_start": {"type": ["array", "null"], "items": {"type": "number"}, "minItems": 2, "maxItems": 2,
                        "description": "Where the route starts, [lon, lat] in the display CRS; null for a screen "
                                       "showing part of the list, or a list drawn before routes were stored."},
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

# GET /api/wall/inspections
WALL_INSPECTIONS_TODAY = {"summary": "The day's inspection list as a wall screen shows it: route order, place, point, result "
                                     "(never notes or names of inspectors; display tokens may read it)",
                          "tags": ["wall", *_TAGS],
                          "parameters": [query_param("date", "A day, YYYY-MM-DD (default: today in the campaign's time zone)"),
                                         CRS, query_param("street", "Keep the places of this sub-district"),
                                         query_param("community", "Keep the places of this community"), IF_NONE_MATCH],
                          "responses": {"200": json_response(_WALL_INSPECTIONS, "The list; no list that day: no places.", headers=ETAG),
                                        **CACHED, "400": response_ref("BadRequest"),
                                        **READ_ERRORS}}

# GET /api/inspections/{day}
INSPECTION_LIST = {"summary": "The day's random inspection list (每日随机地点督导) with its route sheet details (inspector)",
                   "tags": _TAGS, "parameters": [_DAY],
                   "responses": {"200": json_response(_OBJ, "The list: seed, weights, places in route order and their "
                                                             "results, and `route` (start, length_m, drawn_length_m)."),
                                 "404": response_ref("NotFound"), "400": response_ref("BadRequest"), **READ_ERRORS}}

# POST /api/inspections/{day}
DRAW_INSPECTIONS = {"summary": "Draw the day's list: N places, stratified by sub-district, weighted, from a recorded seed",
                    "tags": _TAGS, "parameters": [_DAY],
                    "requestBody": _body({"count": {"type": "integer", "minimum": 1, "maximum": 500},
                                          "seed": {"type": "integer", "minimum": 0},
                                          "replace": {"type": "boolean"}}),
                    "responses": {"201": json_response(_OBJ, "The new list."), "409": response_ref("Conflict"), **WRITE_ERRORS}}

# POST /api/inspections/{day}/{fid}
RECORD_INSPECTION = {"summary": "Record the inspection of one place: ok, problem (opens a problem) or relapse (反弹)",
                     "tags": _TAGS, "parameters": [_DAY, _FID],
                     "requestBody": _body({"result": {"type": "string", "enum": ["ok", "problem", "relapse"]},
                                           "notes": {"type": "string"}, "category": {"type": "string"},
                                           "deadline": {"type": "string"}, "layer": {"type": "string"},
                                           "fixed": {"type": "boolean"},
                                           "client_id": {"type": "string", "pattern": "^[A-Za-z0-9_-]{8,64}$",
                                                         "description": "The recording device's id for this result "
                                                                        "(a UUID): sent again, the recorded row comes "
                                                                        "back (200) instead of a 409."},
                                           "seen_version": {"type": "integer", "minimum": 1,
                                                            "description": "The place's version the inspector saw; "
                                                                           "changed since, the result is still "
                                                                           "recorded and says so (changed_meanwhile, "
                                                                           "changed_notice)."}}, ["result"]),
                     "responses": {"201": json_response(_OBJ, "The place's row with its result."),
                                   "200": json_response(_OBJ, "The row recorded before under the same client_id."),
                                   "409": response_ref("Conflict"), **WRITE_ERRORS}}

# GET /api/mine
MINE = {"summary": "Places a person (四包一) or unit answers for, most urgent first", "tags": _TAGS,
        "parameters": [query_param("person", "A person's name (default: the caller's display name)"),
                       query_param("unit", "A responsible unit"),
                       query_param("limit", "How many places (1–500, default 100); `count` says how many there are"),
                       query_param("offset", "Skip this many first (default 0)")],
        "responses": {"200": json_response({"type": "object", "required": ["withheld"],
                                            "properties": {"withheld": WITHHELD}},
                                           "The places with their open problems."),
                      "400": response_ref("BadRequest"), **READ_ERRORS}}

# GET /api/progress/milestones
MILESTONES = {"summary": "Plan against actual for every milestone (时间节点): ahead, on_track or behind",
              "description": "Also `estimates` (预计完成): per sub-district (`streets`) and for the whole campaign "
                             "(`campaign`), the places done now and `done_in_pace` over the last `pace_days` days "
                             "(campaign.json `progress.pace_days`, default 14), the pace `per_day`, and `state`: "
                             "`done`, `estimated` (with `finish`, the day every place would be done, and "
                             "`days_late` against the milestone asking for all places: negative is early) or "
                             "`no_pace` (no net progress over those days: no estimate); `text` says it in words.",
              "tags": _TAGS, "parameters": [],
              "responses": {"200": json_response({"type": "object", "required": ["withheld"],
                                                  "properties": {"withheld": WITHHELD}},
                                                 "The milestones, today's position and the estimated finish."),
                            **READ_ERRORS}}

# GET /api/timeline
TIMELINE = {"summary": "Places per status at the end of each day, from the journal", "tags": _TAGS,
            "parameters": [query_param("from", "First day, YYYY-MM-DD (default: 29 days before `to`)"),
                           query_param("to", "Last day, YYYY-MM-DD (default: today)")],
            "responses": {"200": json_response({"type": "object", "required": ["withheld"],
                                                "properties": {"withheld": WITHHELD}}, "One entry per day."),
                          "400": response_ref("BadRequest"),
                          **READ_ERRORS}}
