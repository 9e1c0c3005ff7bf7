"""The OpenAPI operations of the package's own routes (web/api/reads.py, writes.py, places.py, openapi.py).

One named entry per route; the route's declaration names it (`@bp.get(…, doc=docs.FEATURES)`), and
web/api/openapi.py's `document()` gathers them from the declarations.
"""

from __future__ import annotations

from geo.name_search import MAX_FOUND, MAX_TEXT
from web.core.openapi_parts import (
    CACHED,
    CRS,
    ETAG,
    FEATURE_ETAG,
    FID,
    IF_MATCH,
    IF_NONE_MATCH,
    LAYER,
    READ_ERRORS,
    REPAIR,
    VERSION_ERRORS,
    WRITE_ERRORS,
    WRITE_SECURITY,
    filter_param,
    json_response,
    read_operation,
    response_ref,
    schema_ref,
)

# GET /api/campaign
CAMPAIGN = read_operation("The campaign: title, statuses, categories, roles, layers with counts, revision",
                          json_response(schema_ref("Campaign"), "The campaign."), tags=["campaign"])

# GET /api/layers
LAYERS = read_operation("Layers with feature counts and revisions",
                        json_response({"type": "array", "items": schema_ref("LayerInfo")}, "The layers."), tags=["campaign"])

# GET /api/layers/{layer_id}/features
FEATURES = read_operation("Every place of a layer, as a GeoJSON FeatureCollection",
                          json_response(schema_ref("FeatureCollection"), "The places.", "application/geo+json", ETAG),
                          params=[LAYER, filter_param("status", "status"), filter_param("street", "sub-district (街道)"),
                                  filter_param("community", "community (社区)"), filter_param("kind", "kind"), IF_NONE_MATCH],
                          errors={**CACHED, **READ_ERRORS, "404": response_ref("NotFound")}, tags=["places"])

# GET /api/layers/{layer_id}/search (and the wall's, web/wall/docs.py)
SEARCH_TEXT = {"name": "q", "in": "query", "required": True,
               "schema": {"type": "string", "minLength": 1, "maxLength": MAX_TEXT},
               "description": "Part of a name (compared in its normal form: NFKC, lower case, spaces, "
                              "dots, dashes, brackets and quotes ignored), or a place's id in full."}
SEARCH_LIMIT = {"name": "limit", "in": "query", "required": False,
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_FOUND, "default": 10}}
SEARCH = read_operation("A layer's places found by name, best first (as the pages' search boxes find them)",
                        json_response(schema_ref("FoundPlaces"), "The places found."),
                        params=[LAYER, SEARCH_TEXT, SEARCH_LIMIT],
                        errors={**READ_ERRORS, "400": response_ref("BadRequest"), "404": response_ref("NotFound")},
                        tags=["places"])

# POST /api/layers/{layer_id}/features
CREATE_FEATURE = {
             "summary": "Create a place (editor)", "tags": ["places"], "security": WRITE_SECURITY,
             "parameters": [LAYER, REPAIR],
             "requestBody": {"required": True, "content": {"application/json": {"schema": schema_ref("NewFeature")}}},
             "responses": {"201": json_response(schema_ref("Feature"), "Created.", "application/geo+json",
                                        {**FEATURE_ETAG, "Location": {"schema": {"type": "string"}}}),
                           "409": response_ref("Conflict"), **WRITE_ERRORS},
         }

# GET /api/layers/{layer_id}/features/{fid}
FEATURE = {
       "summary": "One place, as a GeoJSON Feature", "tags": ["places"], "parameters": [LAYER, FID],
       "responses": {"200": json_response(schema_ref("Feature"), "The place.", "application/geo+json", FEATURE_ETAG),
                     "404": response_ref("NotFound"), **READ_ERRORS},
   }

# PATCH /api/layers/{layer_id}/features/{fid}
UPDATE_FEATURE = {
            "summary": "Change a place (editor): merge properties and/or replace the geometry", "tags": ["places"],
            "security": WRITE_SECURITY, "parameters": [LAYER, FID, IF_MATCH, REPAIR],
            "requestBody": {"required": True, "content": {"application/json": {"schema": schema_ref("FeatureUpdate")}}},
            "responses": {"200": json_response(schema_ref("Feature"), "Saved.", "application/geo+json", FEATURE_ETAG),
                          **VERSION_ERRORS, **WRITE_ERRORS},
        }

# DELETE /api/layers/{layer_id}/features/{fid}
DELETE_FEATURE = {
           "summary": "Delete a place (editor)", "tags": ["places"], "security": WRITE_SECURITY,
           "parameters": [LAYER, FID, IF_MATCH],
           "requestBody": {"required": False, "content": {"application/json": {"schema": schema_ref("VersionOnly")}}},
           "responses": {"204": {"description": "Deleted."}, **VERSION_ERRORS, **WRITE_ERRORS},
       }

# POST /api/layers/{layer_id}/status
SET_STATUS = {
         "summary": "Set one status on many places at once, all or nothing (editor)", "tags": ["places"],
         "security": WRITE_SECURITY, "parameters": [LAYER],
         "requestBody": {"required": True, "content": {"application/json": {"schema": schema_ref("StatusBatch")}}},
         "responses": {"200": json_response(schema_ref("StatusBatchResult"), "Every place saved, with its new version."),
                       "409": response_ref("Conflict"), **WRITE_ERRORS},
     }

# GET /api/layers/{layer_id}/features/{fid}/history
HISTORY = read_operation("A place's journal entries, oldest first",
                         json_response({"type": "array", "items": schema_ref("JournalEntry")}, "Its history."),
                         params=[LAYER, FID], errors={**READ_ERRORS, "404": response_ref("NotFound")}, tags=["history"])

# GET /api/layers/{layer_id}/features/{fid}/history/readable
READABLE_HISTORY = read_operation("A place's history as field-by-field differences",
                                  json_response({"type": "array", "items": schema_ref("ReadableEntry")}, "Its history."),
                                  params=[LAYER, FID], errors={**READ_ERRORS, "404": response_ref("NotFound")}, tags=["history"])

# POST /api/layers/{layer_id}/features/{fid}/problems
NEW_PROBLEM = {
          "summary": "Add a problem to a place's ledger (editor)", "tags": ["ledger"], "security": WRITE_SECURITY,
          "parameters": [LAYER, FID, IF_MATCH],
          "requestBody": {"required": True, "content": {"application/json": {"schema": schema_ref("ProblemWrite")}}},
          "responses": {"201": json_response(schema_ref("Feature"), "Saved.", "application/geo+json", FEATURE_ETAG),
                        **VERSION_ERRORS, **WRITE_ERRORS},
      }

# PATCH /api/layers/{layer_id}/features/{fid}/problems/{pid}
EDIT_PROBLEM = {
          "summary": "Edit, close or reopen a problem (editor)", "tags": ["ledger"], "security": WRITE_SECURITY,
          "parameters": [LAYER, FID, {"name": "pid", "in": "path", "required": True, "schema": {"type": "string"}}, IF_MATCH],
          "requestBody": {"required": True, "content": {"application/json": {"schema": schema_ref("ProblemWrite")}}},
          "responses": {"200": json_response(schema_ref("Feature"), "Saved.", "application/geo+json", FEATURE_ETAG),
                        **VERSION_ERRORS, **WRITE_ERRORS},
      }

# POST /api/layers/{layer_id}/features/{fid}/revert
REVERT = {
     "summary": "Bring a place back to an earlier version, as a new change (editor)", "tags": ["history"],
     "security": WRITE_SECURITY, "parameters": [LAYER, FID, IF_MATCH],
     "requestBody": {"required": True, "content": {"application/json": {"schema": schema_ref("Revert")}}},
     "responses": {"200": json_response(schema_ref("Feature"), "Saved.", "application/geo+json", FEATURE_ETAG),
                   **VERSION_ERRORS, **WRITE_ERRORS},
 }

# GET /api/layers/{layer_id}/features/{fid}/revert/{to_version}
REVERT_PREVIEW = read_operation(
    "What reverting a place to an earlier version would do, in words, before it is done: its changes, one sentence "
    "of them and warnings (an open problem deleted, a problem reopened or brought back, case steps not undone); "
    "`version` is the version the revert must name",
    json_response({"type": "object", "required": ["to_version", "version", "changes", "summary", "warnings"],
                   "properties": {"to_version": {"type": "integer"}, "version": {"type": "integer"},
                                  "changes": {"type": "array", "items": {"type": "object"}},
                                  "summary": {"type": "string"},
                                  "warnings": {"type": "array", "items": {
                                      "type": "object", "required": ["kind", "problem", "text"],
                                      "properties": {"kind": {"type": "string", "enum": [
                                          "delete_open", "reopen", "delete", "restore", "case_kept", "photos_kept"]},
                                          "problem": {"type": ["string", "null"]}, "text": {"type": "string"}}}}}},
                  "What the revert would do."),
    params=[LAYER, FID, {"name": "to_version", "in": "path", "required": True, "schema": {"type": "integer"}}],
    errors={**READ_ERRORS, "404": response_ref("NotFound")}, tags=["history"])

# GET /api/layers/{layer_id}/as-of/{day}
AS_OF = read_operation("The layer as it stood at the end of a day (campaign time zone)",
                       json_response(schema_ref("FeatureCollection"), "The places then.", "application/geo+json"),
                       params=[LAYER, {"name": "day", "in": "path", "required": True, "schema": {"type": "string", "format": "date"}}],
                       errors={**READ_ERRORS, "404": response_ref("NotFound"), "400": response_ref("BadRequest")}, tags=["history"])

# GET /api/changes
CHANGES = read_operation("Changes after a revision: who, when, status, whether the geometry changed",
                         json_response(schema_ref("Changes"), "The changes, oldest first."),
                         params=[{"name": "since", "in": "query", "required": False, "schema": {"type": "integer"},
                                  "description": "A revision seen before (default 0: every change)."}],
                         errors={**READ_ERRORS, "400": response_ref("BadRequest")}, tags=["history"])

# GET /api/boundaries/{level}
BOUNDARIES = read_operation("District, sub-district or community outlines with label points",
                            json_response(schema_ref("BoundaryCollection"), "The outlines.", "application/geo+json", ETAG),
                            params=[{"name": "level", "in": "path", "required": True, "schema": {"type": "string"}}, CRS, IF_NONE_MATCH],
                            errors={**CACHED, **READ_ERRORS, "400": response_ref("BadRequest"), "404": response_ref("NotFound")},
                            tags=["wall"])

# GET /api/locate
LOCATE = read_operation("Which sub-district and community a point falls in", json_response(schema_ref("Located"), "Where it is."),
                        params=[{"name": "lon", "in": "query", "required": True, "schema": {"type": "number"}},
                                {"name": "lat", "in": "query", "required": True, "schema": {"type": "number"}}],
                        errors={**READ_ERRORS, "400": response_ref("BadRequest")}, tags=["campaign"])

# GET /api/ledger-rule
LEDGER_RULE = read_operation("How a place's status follows its ledger", json_response(schema_ref("LedgerRule"), "The rule."),
                             tags=["ledger"])

# GET /api/health
HEALTH = {"summary": "Health check: ok, revision, layers whose files cannot be read (no login needed)",
          "tags": ["service"], "security": [],
          "responses": {"200": json_response(schema_ref("Health"), "Every layer readable."),
                        "503": json_response(schema_ref("Health"), "Some layer file cannot be read (the rest is served), or the "
                                                      "database is down (Retry-After; code database_unavailable)."),
                        "405": response_ref("MethodNotAllowed")}}

# GET /api/openapi.json
OPENAPI_JSON = {"summary": "This document (no login needed)", "tags": ["service"], "security": [],
                "responses": {"200": json_response({"type": "object"}, "The OpenAPI document."),
                              "405": response_ref("MethodNotAllowed")}}
