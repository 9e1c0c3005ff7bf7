"""The OpenAPI operations of the wall's /api routes: state, shapes, place cards, dashboard, basemaps, playback.

One named entry per route, named by the route's declaration (web/wall/data.py, basemaps.py, playback.py);
web/api/openapi.py's `document()` gathers them into /api/openapi.json.
"""

from __future__ import annotations

from geo.progress import MAX_TIMELINE_DAYS
from web.api.docs import SEARCH_LIMIT, SEARCH_TEXT
from web.core.openapi_parts import (
    CACHED,
    CRS,
    ETAG,
    FID,
    IF_NONE_MATCH,
    LAYER,
    READ_ERRORS,
    json_response,
    query_param,
    read_operation,
    response_ref,
    schema_ref,
)

# GET /api/wall/state
STATE = read_operation("Per place: status, overdue, overnight, open problems; only what changed with ?since=",
                       json_response(schema_ref("WallState"), "The state, full or a delta.", headers=ETAG),
                       params=[{"name": "since", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 0},
                                "description": "The revision of the state the client holds: answer only what changed after it."},
                               {"name": "format", "in": "query", "required": False, "schema": {"type": "string", "enum": ["packed"]},
                                "description": "packed: a full state's places as columns (ids as in packed shapes, status "
                                               "indices into `statuses`, flags 1 overdue + 2 overnight); deltas are the same."},
                               {"name": "street", "in": "query", "required": False, "schema": {"type": "string"},
                                "description": "only the places of this sub-district (counts and totals too); in a "
                                               "delta a changed place outside it is listed as removed"},
                               {"name": "community", "in": "query", "required": False, "schema": {"type": "string"},
                                "description": "only the places of this community, as `street`"},
                               IF_NONE_MATCH],
                       errors={**CACHED, **READ_ERRORS, "400": response_ref("BadRequest")}, tags=["wall"])

# GET /api/wall/search/{layer_id}
SEARCH = read_operation("A layer's places found by name for a wall screen's search box: its sub-district and community "
                        "only (a display link's scope is its own)",
                        json_response(schema_ref("FoundPlaces"), "The places found, best first."),
                        params=[LAYER, SEARCH_TEXT, SEARCH_LIMIT,
                                {"name": "street", "in": "query", "required": False, "schema": {"type": "string"},
                                 "description": "only the places of this sub-district"},
                                {"name": "community", "in": "query", "required": False, "schema": {"type": "string"},
                                 "description": "only the places of this community"}],
                        errors={**READ_ERRORS, "400": response_ref("BadRequest"), "404": response_ref("NotFound")},
                        tags=["wall"])

# GET /api/wall/shapes/{layer_id}
SHAPES = read_operation("A layer's geometry with the attributes a card shows",
                        {"description": "The shapes: GeoJSON, or packed with ?format=packed.", "headers": ETAG, "content": {
                            "application/geo+json": {"schema": schema_ref("ShapeCollection")},
                            "application/json": {"schema": schema_ref("PackedShapes")},
                            "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}},
                        params=[LAYER, {"name": "format", "in": "query", "required": False,
                                        "schema": {"type": "string", "enum": ["geojson", "packed", "binary"]},
                                        "description": "packed: compact JSON, for the wall map; binary: its geometry as "
                                                       "bytes (default geojson)."},
                                {"name": "part", "in": "query", "required": False,
                                 "schema": {"type": "string"},
                                 "description": "packed/binary only: `geometry` (default) or `attributes` (names, kinds, "
                                                "sub-districts and communities); anything else is 400."},
                                {"name": "street", "in": "query", "required": False, "schema": {"type": "string"},
                                 "description": "packed/binary only: keep the places of this sub-district."},
                                {"name": "community", "in": "query", "required": False, "schema": {"type": "string"},
                                 "description": "packed/binary only: keep the places of this community."},
                                {"name": "bbox", "in": "query", "required": False, "style": "form", "explode": False,
                                 "schema": {"type": "array", "minItems": 4, "maxItems": 4, "items": {"type": "number"}},
                                 "description": "west,south,east,north in degrees (in the display CRS): only the places "
                                                "in this box, simplified for `zoom` (large layers)."},
                                {"name": "zoom", "in": "query", "required": False,
                                 "schema": {"type": "number", "minimum": 0, "maximum": 24},
                                 "description": "with bbox: the map's zoom (fractions round down)."},
                                {"name": "boxes", "in": "query", "required": False,
                                 "schema": {"type": "string", "enum": ["0", "1"]},
                                 "description": "with bbox, packed/binary: 1 sends places 3 to 8 pixels across as boxes "
                                                "(geometry type 7: the centre, then the north-east corner; "
                                                "docs/packed-shapes.md); without it they are outlines."},
                                CRS, IF_NONE_MATCH],
                        errors={**CACHED, **READ_ERRORS, "400": response_ref("BadRequest"), "404": response_ref("NotFound")},
                        tags=["wall"])

# GET /api/wall/tiles/{layer_id}/{z}/{x}/{y}.mvt
TILE = read_operation("A Mapbox Vector Tile of a layer's shapes (WebMercatorQuad): one feature per place with its `id`; "
                      "below zoom 17 the places smaller than 3 pixels are one point per pixel, with `count` when "
                      "a pixel holds more than one",
                      {"description": "The tile (empty when no place meets it).", "headers": ETAG, "content": {
                          "application/vnd.mapbox-vector-tile": {"schema": {"type": "string", "format": "binary"}}}},
                      params=[LAYER, *({"name": n, "in": "path", "required": True, "schema": {"type": "integer"},
                                        "description": d} for n, d in (
                                  ("z", "the zoom, 0 to 24"), ("x", "the column, 0 to 2^z - 1"),
                                  ("y", "the row from the top, 0 to 2^z - 1"))),
                              {"name": "street", "in": "query", "required": False, "schema": {"type": "string"},
                               "description": "keep the places of this sub-district."},
                              {"name": "community", "in": "query", "required": False, "schema": {"type": "string"},
                               "description": "keep the places of this community."},
                              IF_NONE_MATCH],
                      errors={**CACHED, **READ_ERRORS, "400": response_ref("BadRequest"), "404": response_ref("NotFound")},
                      tags=["wall"])

# GET /api/wall/place/{layer_id}/{fid}
PLACE_CARD = read_operation("A place's card: status, deadline, 四包一 people, open problems with days late",
                            json_response(schema_ref("PlaceCard"), "The card.", headers=ETAG),
                            params=[LAYER, FID, CRS, {"name": "date", "in": "query", "required": False,
                                                      "schema": {"type": "string", "format": "date"},
                                                      "description": "the place as it stood at the end of this day "
                                                                     "(YYYY-MM-DD); 404 if it did not exist then"},
                                    IF_NONE_MATCH],
                            errors={**CACHED, **READ_ERRORS, "400": response_ref("BadRequest"), "404": response_ref("NotFound")},
                            tags=["wall"])

# GET /api/wall/dashboard
DASHBOARD = read_operation("Progress per status, sub-district, community and category; overdue and overnight lists; per day",
                           json_response(schema_ref("WallDashboard"), "The dashboard.", headers=ETAG),
                           params=[{"name": n, "in": "query", "required": False, "schema": {"type": "string"}, "description": d}
                                   for n, d in (("street", "a sub-district (unknown names are ignored)"),
                                                ("community", "a community (unknown names are ignored)"),
                                                ("layers", "layer ids, comma-separated (default all)"))] + [IF_NONE_MATCH],
                           errors={**CACHED, **READ_ERRORS}, tags=["wall"])

# GET /api/basemaps
BASEMAPS = read_operation("The configured basemaps: id, title, tile URL, zooms, CRS (never a key or an upstream address)",
                          json_response({"type": "object", "required": ["basemaps"],
                                 "properties": {"basemaps": {"type": "array", "items": {"type": "object"}}}}, "The basemaps."),
                          tags=["wall"])

# GET /api/playback
PLAYBACK = {
        "summary": "Every place's status at the end of each day of a range, for a playback (进度回放)",
        "tags": ["progress"],
        "parameters": [
            query_param("from", "First day, YYYY-MM-DD (default, or empty: 29 days before `to`)."),
            query_param("to", f"Last day, YYYY-MM-DD (default, or empty: today); at most {MAX_TIMELINE_DAYS} days in all."),
            CRS, IF_NONE_MATCH,
        ],
        "responses": {
            "200": json_response({"type": "object", "required": ["format", "from", "to", "statuses", "layers", "days"],
                          "properties": {
                              "format": {"type": "string", "enum": ["playback-1"]},
                              "from": {"type": "string"}, "to": {"type": "string"},
                              "revision": {"type": "integer"}, "timezone": {"type": "string"},
                              "statuses": {"type": "array", "items": {"type": "string"}},
                              "done": {"type": "array", "items": {"type": "string"}},
                              "layers": {"type": "array", "items": {"type": "object"}},
                              "days": {"type": "array", "items": {"type": "object"}}}},
                         "Per layer the places' ids (packed as the shapes' ids) and their status indices at "
                         "the end of the day before `from` (-1: not there); per day the changes as flat "
                         "triples (layer index, place index, status index) and the places per status.",
                         headers=ETAG),
            "400": response_ref("BadRequest"), **CACHED, **READ_ERRORS,
        },
    }

# GET /api/wall/satisfaction
_TALLY = {"type": "object", "required": ["received", "accepted", "rejected", "closed", "rated", "satisfied", "basic",
                                         "unsatisfied", "rate"],
          "properties": {**{k: {"type": "integer"} for k in ("received", "accepted", "rejected", "closed", "rated",
                                                              "satisfied", "basic", "unsatisfied")},
                         "rate": {"type": ["number", "null"],
                                  "description": "(satisfied + basic) / rated, in percent; null while none is rated"}}}
_AREA = {"type": "object", "required": ["name", "day", "all"],
         "properties": {"name": {"type": "string"}, "day": _TALLY, "all": _TALLY}}
SATISFACTION = read_operation(
    "Residents' reports and their satisfaction (群众满意度) per sub-district and community: today and in all",
    json_response({"type": "object", "required": ["day", "as_of", "total", "streets"], "properties": {
        "day": {"type": "string", "format": "date"}, "as_of": {"type": "string"}, "total": _AREA,
        "streets": {"type": "array", "description": "worst first (lowest rate in all; unrated last)", "items": {
            **_AREA, "properties": {**_AREA["properties"], "communities": {"type": "array", "items": _AREA}}}}}},
        "The tallies (geo/residents/satisfaction.py).", headers=ETAG),
    params=[{"name": n, "in": "query", "required": False, "schema": {"type": "string"}, "description": d}
            for n, d in (("street", "a sub-district (unknown names are ignored)"),
                         ("community", "a community (unknown names are ignored)"))] + [IF_NONE_MATCH],
    errors={**CACHED, **READ_ERRORS}, tags=["wall"])
