"""The OpenAPI 3.1 description of the HTTP API, served at /api/openapi.json.

Generated from the routes' declarations (web/core/routes.py): each /api route
names its operation, kept as data in its package's `docs` module (web/api/docs.py,
web/wall/docs.py, web/workflow/docs.py, …), built from the shared pieces here —
`COMPONENTS` (schemas, responses, security schemes), parameters, error sets
and the helpers `read_operation`, `json_response`, `schema_ref`, `response_ref`.
`document()` walks the app's URL rules under /api, and adds the campaign's own vocabulary
(layer ids, boundary levels, statuses) as enums, so clients and fuzzers see
the values this deployment accepts. The document is public: it describes
the shape of the API, never data, and the API itself still asks for a login.
tests/web/test_openapi.py checks it against the specification, checks that
every /api route is described, and fuzzes the app against it (schemathesis).
"""

from __future__ import annotations

import copy

from flask import current_app

from geo.config import Campaign
from web.core.openapi_parts import (
    error_response,
    response_ref,
    schema_ref,
)
from web.core.routes import openapi_paths
from web.core.validation import ApiDocument, document_refusals
from web.core.withheld import SCHEMA as WITHHELD

NULLABLE_STRING = {"type": ["string", "null"]}

COMPONENTS: dict = {
    "securitySchemes": {
        "bearerAuth": {"type": "http", "scheme": "bearer",
                       "description": "A personal API token (`gt_…`), made on the 'my account' page or with "
                                      "`flask --app web tokens create`. Acts as its user; revocable."},
        "basicAuth": {"type": "http", "scheme": "basic", "description": "User name and password, for scripts."},
        "cookieAuth": {"type": "apiKey", "in": "cookie", "name": "session",
                       "description": "The browser session after /login. Writes must also send the X-CSRF-Token "
                                      "header (its value is in GET /api/me)."},
        "displayToken": {"type": "apiKey", "in": "header", "name": "X-Guatu-Display",
                         "description": "A read-only display link's token (`gd_…`); opens only the wall endpoints."},
    },
    "schemas": {
        "Error": {
            "type": "object",
            "description": "An RFC 9457 problem document (application/problem+json); the kinds and their one status "
                           "each are listed in docs/http-errors.md.",
            "required": ["type", "title", "status", "detail", "instance", "error", "message"],
            "properties": {
                "type": {"type": "string", "description": "The kind, a URI reference: /problems/<code>."},
                "title": {"type": "string", "description": "The kind, for people (Chinese unless English is asked)."},
                "status": {"type": "integer", "description": "The HTTP status, the one of this kind."},
                "detail": {"type": "string", "description": "What went wrong this time, for people."},
                "instance": {"type": "string", "description": "The path that was asked (percent-encoded)."},
                "error": {"type": "string", "description": "The kind's stable code: bad_parameter, invalid, conflict, …"},
                "message": {"type": "string", "description": "The detail again, for clients of the older shape."},
                "parameter": {"type": "string", "description": "The parameter at fault (400 bad_parameter)."},
                "fields": {"type": "array", "description": "Every field or parameter at fault (400, 422).", "items": {
                    "type": "object", "required": ["field", "message"],
                    "properties": {"feature": NULLABLE_STRING, "field": {"type": "string"}, "message": {"type": "string"}}}},
                "current": {"description": "The place as it is now (409).", **schema_ref("Feature")},
            },
        },
        "Position": {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 3},
        "Geometry": {
            "type": "object",
            "description": "A GeoJSON (RFC 7946) geometry in WGS84 longitude/latitude.",
            "required": ["type"],
            "properties": {
                "type": {"type": "string", "enum": ["Point", "MultiPoint", "LineString", "MultiLineString",
                                                    "Polygon", "MultiPolygon", "GeometryCollection"]},
                "coordinates": {"type": "array"},
                "geometries": {"type": "array", "items": {"type": "object"}},
            },
        },
        "Problem": {
            "type": "object",
            "description": "A ledger entry (台账).",
            "properties": {
                "id": {"type": "string"}, "category": NULLABLE_STRING, "description": NULLABLE_STRING,
                "found_on": NULLABLE_STRING, "found_by": NULLABLE_STRING, "deadline": NULLABLE_STRING,
                "responsible": NULLABLE_STRING, "status": NULLABLE_STRING, "closed_on": NULLABLE_STRING,
            },
        },
        "PlaceProperties": {
            "type": "object",
            "required": ["version"],
            "properties": {
                "name": {"type": "string"}, "kind": {"type": "string"}, "street": NULLABLE_STRING,
                "community": NULLABLE_STRING, "status": {"type": "string"}, "deadline": NULLABLE_STRING,
                "unit": NULLABLE_STRING, "people": {"type": ["object", "null"], "additionalProperties": NULLABLE_STRING},
                "notes": NULLABLE_STRING, "problems": {"type": ["array", "null"], "items": schema_ref("Problem")},
                "photos": {"type": ["array", "null"], "items": schema_ref("PhotoEntry"),
                           "description": "The place's photos, oldest first (added and removed through /photos)."},
                "version": {"type": "integer", "minimum": 1}, "updated_at": NULLABLE_STRING, "updated_by": NULLABLE_STRING,
            },
        },
        "PhotoEntry": {
            "type": "object",
            "description": "One photo of a place: what it shows, who took it, when and where. Its id is the SHA-256 "
                           "of the bytes uploaded; its images are made once, at upload.",
            "required": ["id", "role", "taken_by", "added_at", "width", "height", "bytes", "type"],
            "properties": {
                "id": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                "role": {"type": "string", "enum": ["place", "before", "after", "check", "inspection"],
                         "description": "place 现场, before 整改前, after 整改后, check 核查, inspection 督导."},
                "problem": {**NULLABLE_STRING, "description": "The ledger problem it belongs to."},
                "inspection": {"type": ["string", "null"], "format": "date",
                               "description": "The day of the inspection it belongs to."},
                "taken_at": {"type": ["string", "null"], "format": "date-time", "description": "UTC."},
                "taken_by": {"type": "string"},
                "added_at": {"type": "string", "format": "date-time", "description": "UTC."},
                "location": {"type": ["object", "null"], "required": ["lon", "lat", "source"], "properties": {
                    "lon": {"type": "number"}, "lat": {"type": "number"},
                    "source": {"type": "string", "enum": ["device", "exif"]}}},
                "width": {"type": "integer"}, "height": {"type": "integer"}, "bytes": {"type": "integer"},
                "type": {"type": "string", "enum": ["image/jpeg", "image/png", "image/webp", "image/heic"]},
                "caption": {"type": "string"}, "client_id": NULLABLE_STRING,
            },
        },
        "Photo": {
            "description": "A photo entry with the URLs of its images (JPEG, cached as immutable; a display link "
                           "is given `thumb` only).",
            "allOf": [schema_ref("PhotoEntry"), {
                "type": "object", "required": ["urls"],
                "properties": {"urls": {"type": "object", "required": ["thumb"], "properties": {
                    "thumb": {"type": "string", "description": "Longest side at most 320 px."},
                    "preview": {"type": "string", "description": "Longest side at most 1280 px."},
                    "full": {"type": "string", "description": "Full size, turned upright, without metadata."}}}}}],
        },
        "PlaceVersion": {
            "type": "object", "required": ["id", "version"],
            "properties": {"id": {"type": "string"}, "version": {"type": "integer"}},
        },
        "PhotoAdded": {
            "type": "object", "required": ["photo", "feature"],
            "properties": {"photo": schema_ref("Photo"), "feature": schema_ref("PlaceVersion")},
        },
        "PhotoList": {
            "type": "object", "required": ["photos", "feature"],
            "properties": {"photos": {"type": "array", "items": schema_ref("Photo"), "description": "Newest first."},
                           "feature": schema_ref("PlaceVersion")},
        },
        "PhotoUpload": {
            "type": "object", "required": ["file"],
            "description": "multipart/form-data: the image and what it shows.",
            "properties": {
                "file": {"type": "string", "format": "binary",
                         "description": "JPEG, PNG, WebP or HEIC, at most GUATU_PHOTO_MAX_MB."},
                "role": {"type": "string", "enum": ["place", "before", "after", "check", "inspection"],
                         "description": "Default `place` (under a problem: `before`, and only before/after/check)."},
                "problem": {"type": "string", "description": "A ledger problem's id (the URL names it under a problem)."},
                "inspection": {"type": "string", "format": "date"},
                "taken_at": {"type": "string", "format": "date-time", "description": "With its time zone."},
                "lon": {"type": "number", "minimum": -180, "maximum": 180, "description": "Where it was taken "
                        "(the device's position; with lat)."},
                "lat": {"type": "number", "minimum": -90, "maximum": 90},
                "caption": {"type": "string", "maxLength": 500},
                "client_id": {"type": "string", "pattern": "^[A-Za-z0-9._-]{1,64}$",
                              "description": "Made by the client: sending it again never adds the photo twice."},
            },
        },
        "Feature": {
            "type": "object",
            "required": ["type", "id", "properties", "geometry"],
            "properties": {
                "type": {"const": "Feature"},
                "id": {"type": "string"},
                "properties": schema_ref("PlaceProperties"),
                "geometry": {"oneOf": [schema_ref("Geometry"), {"type": "null"}]},
                "notes": {"type": "array", "items": {"type": "string"}, "description": "What a repair changed."},
            },
        },
        "FeatureCollection": {
            "type": "object",
            "required": ["type", "features"],
            "properties": {"type": {"const": "FeatureCollection"}, "features": {"type": "array", "items": schema_ref("Feature")}},
        },
        "ShapeCollection": {
            "type": "object",
            "description": "A layer's geometry with the attributes a wall-map card shows.",
            "required": ["type", "features"],
            "properties": {
                "type": {"const": "FeatureCollection"}, "layer": {"type": "string"},
                "features": {"type": "array", "items": {
                    "type": "object", "required": ["type", "id", "properties", "geometry"],
                    "properties": {"type": {"const": "Feature"}, "id": {"type": "string"}, "properties": {"type": "object"},
                                   "geometry": {"oneOf": [schema_ref("Geometry"), {"type": "null"}]}}}},
            },
        },
        "BoundaryCollection": {
            "type": "object",
            "required": ["type", "features"],
            "properties": {
                "type": {"const": "FeatureCollection"}, "level": {"type": "string"},
                "features": {"type": "array", "items": {
                    "type": "object", "required": ["type", "properties", "geometry"],
                    "properties": {"type": {"const": "Feature"},
                                   "properties": {"type": "object", "properties": {
                                       "name": NULLABLE_STRING, "label_point": schema_ref("Position")}},
                                   "geometry": schema_ref("Geometry")}}},
            },
        },
        "NewFeature": {
            "type": "object",
            "description": "A place to create; the store adds version, updated_at and updated_by.",
            "required": ["properties", "geometry"],
            "properties": {
                "type": {"const": "Feature"},
                "id": {"type": "string", "description": "Optional; the layer's next id when omitted."},
                "properties": {"type": "object", "required": ["name", "kind", "status"], "properties": {
                    "name": {"type": "string"}, "kind": {"type": "string"}, "status": {"type": "string"}}},
                "geometry": schema_ref("Geometry"),
            },
        },
        "FeatureUpdate": {
            "type": "object",
            "description": "Properties to merge into the place's, and/or a new geometry (nothing else: a body with "
                           "other members, such as a FeatureCollection, is not an edit).",
            "properties": {
                "type": {"const": "Feature"}, "id": {"type": "string"},
                "properties": {"type": "object"},
                "geometry": schema_ref("Geometry"),
                "version": {"type": "integer", "description": "The version the edit started from (or If-Match)."},
            },
            "additionalProperties": False,
        },
        "VersionOnly": {"type": "object", "properties": {"version": {"type": "integer"}}},
        "StatusBatch": {
            "type": "object",
            "required": ["status", "features"],
            "properties": {
                "status": {"type": "string"},
                "features": {"type": "object", "minProperties": 1, "maxProperties": 5000,
                             "additionalProperties": {"type": "integer"},
                             "description": "Place id → the version the edit started from."},
            },
        },
        "StatusBatchResult": {
            "type": "object", "required": ["updated", "revision"],
            "properties": {"updated": {"type": "object", "additionalProperties": {"type": "integer"}},
                           "revision": {"type": "integer"}},
        },
        "JournalEntry": {
            "type": "object",
            "required": ["seq", "at", "user", "op", "layer", "id", "version", "before", "after"],
            "properties": {
                "seq": {"type": "integer"}, "at": {"type": "string"}, "user": {"type": "string"},
                "op": {"type": "string", "enum": ["create", "update", "delete"]}, "layer": {"type": "string"},
                "id": {"type": "string"}, "version": {"type": "integer"},
                "before": {"oneOf": [schema_ref("Feature"), {"type": "null"}]},
                "after": {"oneOf": [schema_ref("Feature"), {"type": "null"}]},
            },
        },
        "ReadableEntry": {
            "type": "object", "required": ["seq", "at", "user", "op", "version", "changes"],
            "properties": {"seq": {"type": "integer"}, "at": {"type": "string"},
                           "when": {"type": "string", "description": "the time in the campaign's time zone"},
                           "user": {"type": "string"},
                           "op": {"type": "string"}, "version": {"type": "integer"}, "changes": {"type": "array", "items": {
                               "type": "object", "required": ["field", "label", "before", "after"],
                               "properties": {"field": {"type": "string"}, "label": {"type": "string"}, "before": {},
                                              "after": {}, "photos": {
                                                  "type": "array", "description": "a change of photos: the photos "
                                                  "added, removed or recaptioned, with their image URLs",
                                                  "items": {"type": "object"}}}}}},
        },
        "Changes": {
            "type": "object", "required": ["revision", "changes"],
            "properties": {
                "revision": {"type": "integer"},
                "changes": {"type": "array", "items": {
                    "type": "object",
                    "required": ["seq", "at", "user", "op", "layer", "id", "version", "status", "geometry_changed"],
                    "properties": {"seq": {"type": "integer"}, "at": {"type": "string"},
                           "when": {"type": "string", "description": "the time in the campaign's time zone"},
                           "user": {"type": "string"},
                                   "op": {"type": "string"}, "layer": {"type": "string"}, "id": {"type": "string"},
                                   "version": {"type": "integer"}, "status": NULLABLE_STRING,
                                   "geometry_changed": {"type": "boolean"}}}},
            },
        },
        "LayerInfo": {
            "type": "object", "required": ["id", "title", "geometry_types", "kinds", "count"],
            "properties": {
                "id": {"type": "string"}, "title": {"type": "string"},
                "geometry_types": {"type": "array", "items": {"type": "string"}},
                "kinds": {"type": "array", "items": {"type": "string"}},
                "count": {"type": ["integer", "null"], "description": "null when the layer file cannot be read"},
                "revision": {"type": ["integer", "null"]},
                "error": {"type": "string", "description": "Why the layer cannot be read (file and line)."},
            },
        },
        "Campaign": {
            "type": "object",
            "required": ["title", "statuses", "categories", "layers", "revision"],
            "properties": {
                "title": {"type": "string"}, "subtitle": {"type": "string"}, "district": {"type": "string"},
                "source": {"type": "string"}, "timezone": {"type": "string"}, "overnight_cutoff": {"type": "string"},
                "inspection_sources": {"type": "array", "items": {"type": "string"}},
                "status_rule": {"type": "object"},
                "statuses": {"type": "array", "items": {"type": "object", "required": ["key", "label", "color"], "properties": {
                    "key": {"type": "string"}, "label": {"type": "string"}, "color": {"type": "string"},
                    "done": {"type": "boolean"}, "description": {"type": "string"}}}},
                "problem_statuses": {"type": "array", "items": {"type": "object"}},
                "categories": {"type": "array", "items": {"type": "string"}},
                "roles": {"type": "array", "items": {"type": "object"}},
                "layers": {"type": "array", "items": schema_ref("LayerInfo")},
                "boundaries": {"type": "array", "items": {"type": "object"}},
                "map": {"type": "object"},
                "revision": {"type": "integer"},
            },
        },
        "WallState": {
            "type": "object",
            "description": "A full state (`kind: full`), or with `?since=` only the places changed after it (`kind: delta`).",
            "required": ["revision", "layers"],
            "properties": {
                "kind": {"type": "string", "enum": ["full", "delta"]},
                "since": {"type": "integer", "description": "delta: the revision it starts after"},
                "revision": {"type": "integer", "description": "Send it back as ?since= on the next poll."},
                "head": {"type": "integer"}, "day": {"type": "string", "format": "date"}, "after_cutoff": {"type": "boolean"},
                "moment": {"type": "integer", "description": "The last moment (POSIX seconds, 0: none) a case ran overdue "
                                                             "or escalated: the state changes then without any write."},
                "categories": {"type": "array", "items": {"type": "string"}},
                "as_of": NULLABLE_STRING, "generated_at": {"type": "string"},
                "counts": {"type": "object", "additionalProperties": {"type": "integer"}},
                "total": {"type": "integer"}, "overdue_places": {"type": "integer"},
                "overdue_problems": {"type": "integer"}, "overnight_places": {"type": "integer"},
                "escalated_places": {"type": "integer"},
                "layers": {"type": "object", "additionalProperties": {
                    "type": "object", "required": ["revision"],
                    "properties": {
                        "revision": {"type": "integer"},
                        "shapes": {"type": "integer", "description": "Last change the layer's shapes show: refetch them when it moves."},
                        "features": {"type": "object", "description": "id → [status, overdue 0/1, overnight 0/1, open problems, "
                                                                        "overdue problems, [open category indices]?, "
                                                                        "escalated 1 (sub-district)/2 (district)?]",
                                     "additionalProperties": {"type": "array", "minItems": 4, "items": {
                                         "type": ["string", "null", "integer", "array"]}}},
                        "removed": {"type": "array", "items": {"type": "string"}, "description": "delta: places deleted"},
                        "ids": {"description": "packed: the places, as in packed shapes"},
                        "status": {"type": "array", "items": {"type": "integer"}, "description": "packed: index into `statuses`"},
                        "flags": {"type": "array", "items": {"type": "integer"}, "description": "packed: 1 overdue + 2 overnight"},
                        "open": {"type": "array", "items": {"type": "integer"}},
                        "overdue_problems": {"type": "array", "items": {"type": "integer"}},
                        "categories": {"type": "array", "description": "packed: open categories' indices, or 0"},
                        "counts": {"type": "object", "additionalProperties": {"type": "integer"}}}}},
                "broken_layers": {"type": "object", "additionalProperties": {"type": "string"},
                                  "description": "Layers left out because their file cannot be read, with the reason."},
            },
        },
        "PackedShapes": {
            "type": "object",
            "description": "A layer's shapes, compact: coordinates as delta-encoded integers (1/scale degree), string tables.",
            "required": ["format", "layer", "revision"],
            "properties": {
                "format": {"const": "packed-1"}, "layer": {"type": "string"}, "revision": {"type": "integer"},
                "count": {"type": "integer"}, "scale": {"type": "integer"},
                "ids": {"oneOf": [{"type": "array", "items": {"type": "string"}},
                                  {"type": "object", "required": ["prefix", "width", "step"],
                                   "description": "numbered ids: prefix, digits, differences of the numbers",
                                   "properties": {"prefix": {"type": "string"}, "width": {"type": "integer"},
                                                  "step": {"type": "array", "items": {"type": "integer"}}}}]},
                "name": {"type": "array", "items": {"type": "string"}},
                "kinds": {"type": "array", "items": {"type": "string"}}, "streets": {"type": "array", "items": {"type": "string"}},
                "communities": {"type": "array", "items": {"type": "string"}},
                "kind": {"type": "array", "items": {"type": "integer"}}, "street": {"type": "array", "items": {"type": "integer"}},
                "community": {"type": "array", "items": {"type": "integer"}},
                "geometry": {"type": "object", "required": ["types", "parts", "coords"], "properties": {
                    "types": {"type": "array", "items": {"type": "integer"}},
                    "parts": {"type": "array", "items": {"type": "integer"}},
                    "coords": {"type": "array", "items": {"type": "integer"}}}},
            },
        },
        "PlaceCard": {
            "type": "object",
            "required": ["layer", "id", "name", "status", "people", "problems"],
            "properties": {
                "layer": {"type": "string"}, "id": {"type": "string"}, "name": NULLABLE_STRING, "kind": NULLABLE_STRING,
                "street": NULLABLE_STRING, "community": NULLABLE_STRING,
                "status": {"type": "object", "properties": {"key": NULLABLE_STRING, "label": NULLABLE_STRING,
                                                            "color": NULLABLE_STRING, "done": {"type": "boolean"}}},
                "deadline": NULLABLE_STRING, "days_late": {"type": "integer"}, "overdue": {"type": "boolean"},
                "overnight": {"type": "boolean"}, "unit": NULLABLE_STRING,
                "people": {"type": "array", "description": "四包一, in the campaign's role order", "items": {
                    "type": "object", "properties": {"role": {"type": "string"}, "label": {"type": "string"},
                                                     "name": {"type": "string"}}}},
                "problems": {"type": "array", "description": "open problems, overdue and overnight first", "items": {"type": "object"}},
                "closed_problems": {"type": "integer"},
                "photos": {"type": "array", "description": "its photos, newest first, without location; empty for a "
                                                           "display link its link does not let see photos", "items": {
                    "type": "object", "required": ["id", "role", "role_label", "urls"],
                    "properties": {"id": {"type": "string"}, "role": {"type": "string"}, "role_label": {"type": "string"},
                                   "problem": NULLABLE_STRING, "inspection": NULLABLE_STRING,
                                   "taken_at": NULLABLE_STRING, "taken_by": NULLABLE_STRING, "added_at": NULLABLE_STRING,
                                   "caption": NULLABLE_STRING, "width": {"type": ["integer", "null"]},
                                   "height": {"type": ["integer", "null"]},
                                   "urls": {"type": "object", "description": "thumb, preview and full image URLs "
                                                                             "(a display link: thumb only)"}}}},
                "bbox": {"type": ["array", "null"], "items": {"type": "number"}, "minItems": 4, "maxItems": 4,
                         "description": "[west, south, east, north] in the display CRS"},
                "as_of": {"type": "string", "format": "date", "description": "with ?date=: the day it stood so"},
            },
        },
        "WallDashboard": {
            "type": "object",
            "required": ["day", "totals", "streets", "communities", "categories", "overdue", "overnight", "progress",
                         "withheld"],
            "properties": {
                "day": {"type": "string", "format": "date"}, "scope": {"type": "object"},
                "totals": {"type": "object", "description": "places per status, done, pct, overdue, overnight; problems"},
                "streets": {"type": "array", "items": {"type": "object"}},
                "communities": {"type": "array", "items": {"type": "object"}},
                "categories": {"type": "array", "items": {"type": "object"}},
                "overdue": {"type": "object", "description": "total, places, rows (place, problem, days_late, responsible)"},
                "overnight": {"type": "object", "description": "total, places, rows (place, problem, days_open, responsible)"},
                "progress": {"type": "object", "description": "days, done (places done at each day's end), opened, closed, total"},
                "withheld": WITHHELD,
                "cases": {"type": "object", "description": "三级管理监控: overdue_by_level (community, street, district), overdue, "
                                                          "units (each unit's record: cases, open, overdue, escalated, reported, "
                                                          "on_time_pct, avg_hours, returned_pct), escalated (total, places, rows)"},
            },
        },
        "Health": {
            "type": "object", "required": ["ok", "revision", "broken_layers", "problems"],
            "properties": {"ok": {"type": "boolean"},
                           "revision": {"type": ["integer", "null"], "description": "null while the database is down"},
                           "broken_layers": {"type": "object", "additionalProperties": {"type": "string"},
                                             "description": "layer id → the file and line that cannot be read"},
                           "problems": {"type": "array", "description": "everything wrong with the store now, in Chinese",
                                        "items": {"$ref": "#/components/schemas/Finding"}}},
        },
        "Finding": {
            "type": "object", "required": ["code", "where", "message", "remedy"],
            "description": "One thing wrong with the stored data, in Chinese: where, what, and what to do about it",
            "properties": {"code": {"type": "string"}, "where": {"type": "string"}, "message": {"type": "string"},
                           "remedy": {"type": "string"}},
        },
        "Me": {
            "type": "object", "required": ["username", "name", "role", "via"],
            "properties": {"username": {"type": "string"}, "name": {"type": "string"},
                           "role": {"type": "string", "enum": ["viewer", "inspector", "editor", "admin"]},
                           "via": {"type": "string", "enum": ["session", "token", "basic", "display", "public"]},
                           "csrf_token": NULLABLE_STRING,
                           "scope": schema_ref("Scope"),
                           "level": {"type": ["string", "null"], "enum": ["district", "street", "community", "unit",
                                                                          "inspector", None],
                                     "description": "The management level (三级管理); null for viewers."},
                           "level_label": NULLABLE_STRING},
        },
        "Scope": {
            "type": "object", "required": ["streets", "communities", "units"],
            "description": "Where a user writes: sub-districts, communities and responsible units (any of them names a "
                           "place); all empty: the whole district.",
            "properties": {k: {"type": "array", "items": {"type": "string"}} for k in ("streets", "communities", "units")},
        },
        "FoundPlaces": {
            "type": "object", "required": ["places"],
            "properties": {"places": {"type": "array", "items": {
                "type": "object", "required": ["id", "name", "street", "community"],
                "properties": {"id": {"type": "string"}, "name": NULLABLE_STRING, "street": NULLABLE_STRING,
                               "community": NULLABLE_STRING}}}},
        },
        "Located": {
            "type": "object", "required": ["street", "community"],
            "properties": {"street": NULLABLE_STRING, "community": NULLABLE_STRING},
        },
        "LedgerRule": {
            "type": "object", "required": ["rule", "explanation"],
            "properties": {"rule": {"type": "object"}, "explanation": {"type": "string"}},
        },
        "ProblemWrite": {
            "type": "object", "required": ["problem"],
            "properties": {"problem": schema_ref("Problem"), "version": {"type": "integer"}},
        },
        "Revert": {
            "type": "object", "required": ["to_version"],
            "properties": {"to_version": {"type": "integer"}, "version": {"type": "integer"}},
        },
    },
    "responses": {
        "BadRequest": error_response("The request cannot be read: a query, path or header parameter of the wrong type, out "
                             "of range or not one of its values (bad_parameter, naming it), or a body that is not "
                             "JSON or is missing (bad_request)."),
        "Unauthorized": {**error_response("Not logged in, or the token is unknown or revoked."),
                         "headers": {"WWW-Authenticate": {"schema": {"type": "string"}}}},
        "Forbidden": error_response("Logged in, but the role is too low, the place lies outside the user's scope (`scope` "
                            "says where they write), a display link asked for more than its wall map, "
                            "or a browser write came without its CSRF token or from another site."),
        "NotFound": error_response("No such layer, place, boundary level or version."),
        "MethodNotAllowed": {**error_response("This path does not take that method."),
                             "headers": {"Allow": {"schema": {"type": "string"}}}},
        "Conflict": error_response("The place changed since the version the edit started from (`current` is the place now), "
                           "or a create named the id of a deleted place (ids are never given twice)."),
        "PreconditionFailed": error_response("If-Match held a weak ETag (W/…: writes compare strongly), or `*` for a place "
                                     "that does not exist."),
        "PreconditionRequired": error_response("The write named no version (If-Match or `version`)."),
        "TooLarge": error_response("The body is larger than the server accepts (MAX_CONTENT_LENGTH)."),
        "Invalid": error_response("The body was read but breaks its schema or a rule of the campaign (a place outside the "
                          "area, an unknown status…); `fields` names every field at fault."),
        "DiskFull": error_response("The disk holding the campaign is full: nothing of the write was saved; free space and "
                           "send the same write again."),
        "Unavailable": error_response("The layer file cannot be read (it is never overwritten then), or the write lock "
                              "stayed busy; try again."),
    },
}


DOCUMENT: dict = {
    "openapi": "3.1.0",
    "info": {
        "title": "Guatu 挂图 HTTP API",
        "version": "1",
        "description": (
            "Campaign wall maps: places (GeoJSON, WGS84) with their rectification status, ledger and history. "
            "Every answer is JSON; errors are {\"error\", \"message\", \"fields\"?}. Reads need a viewer, writes an "
            "editor; a write names the version it started from (If-Match or `version`) and a stale one gets 409. "
            "Large answers carry an ETag: send it back in If-None-Match to get 304."
        ),
    },
    "servers": [{"url": "/"}],
    "security": [{"bearerAuth": []}, {"basicAuth": []}, {"cookieAuth": []}, {"displayToken": []}],
    "tags": [{"name": n} for n in ("campaign", "places", "ledger", "history", "wall", "exchange", "inspections",
                                   "progress", "photos", "cases", "notifications",
                                   "service")],
    "components": COMPONENTS,
}


def document(campaign: Campaign) -> dict:
    """The document of the current app's /api routes, from their declarations (web/core/routes.py), with this
    campaign's layer ids, boundary levels and statuses as enums."""
    doc = copy.deepcopy({**DOCUMENT, "paths": openapi_paths(current_app, "/api/")})
    doc["info"]["title"] = f"Guatu 挂图 HTTP API · {campaign.title}"
    layer_ids = [x.id for x in campaign.layers]
    levels = [b.level for b in campaign.boundaries]
    for item in doc["paths"].values():
        for op in item.values():
            for param in op.get("parameters", []):
                if param["in"] == "path" and param["name"] == "layer_id":
                    param["schema"] = {"type": "string", "enum": layer_ids}
                elif param["in"] == "path" and param["name"] == "level" and levels:
                    param["schema"] = {"type": "string", "enum": levels}
    statuses = [s.key for s in campaign.statuses]
    doc["components"]["schemas"]["StatusBatch"]["properties"]["status"]["enum"] = statuses
    document_refusals(doc, parameter=("400", response_ref("BadRequest")), body=("422", response_ref("Invalid")),
                      unknown=("404", response_ref("NotFound")), malformed=("400", response_ref("BadRequest")))
    _link_place_operations(doc)
    return doc


def _operation_ref(path: str, method: str) -> str:
    return "#/paths/" + path.replace("~", "~0").replace("/", "~1") + "/" + method


def _link_place_operations(doc: dict) -> None:
    """OpenAPI links: a created or read place can be read, edited and deleted with its id and ETag
    (clients and the stateful fuzzer follow them: create → get → patch → delete)."""
    one = "/api/layers/{layer_id}/features/{fid}"
    same = {"layer_id": "$request.path.layer_id", "fid": "$response.body#/id"}
    versioned = {**same, "header.If-Match": "$response.header.ETag"}
    links = {
        "GetPlace": {"operationRef": _operation_ref(one, "get"), "parameters": same},
        "EditPlace": {"operationRef": _operation_ref(one, "patch"), "parameters": versioned},
        "DeletePlace": {"operationRef": _operation_ref(one, "delete"), "parameters": versioned},
        "PlaceHistory": {"operationRef": _operation_ref(one + "/history", "get"), "parameters": same},
    }
    paths = doc["paths"]
    for path, method, status in (("/api/layers/{layer_id}/features", "post", "201"), (one, "get", "200"),
                                 (one, "patch", "200")):
        response = paths.get(path, {}).get(method, {}).get("responses", {}).get(status)
        if response is not None and "$ref" not in response:
            response["links"] = {k: v for k, v in links.items() if not (method == "get" and k == "GetPlace")}


def validated_document(campaign: Campaign) -> ApiDocument:
    """This document as web/core/validation.py checks requests against it."""
    return ApiDocument(prefix="", build=lambda: document(campaign), geometry_schemas=("Geometry",))
