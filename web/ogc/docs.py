"""The OpenAPI operations of the OGC API routes (web/ogc/routes.py), one named entry per route.

The route's declaration names its entry (`@bp.get("/collections", role=VIEWER, doc=docs.COLLECTIONS)`);
web/ogc/openapi.py's `document()` gathers them into the document at /ogc/api.
"""

from __future__ import annotations

from web.ogc.openapi import (
    ETAG,
    EXACT_QUERYABLES,
    GEOJSON,
    HTML,
    ITEM_READ_ERRORS,
    ITEM_WRITE_ERRORS,
    JSON,
    NO_LOGIN,
    OPENAPI_JSON,
    PARAM,
    READ_ERRORS,
    SCHEMA_JSON,
    WRITE_ERRORS,
    ok_response,
    ref,
    schema_ref,
)

# GET /
LANDING = {
 "tags": ["Capabilities"], "operationId": "getLandingPage", "summary": "Landing page",
 "description": "Links to the API definition, the conformance declaration and the collections.",
 "parameters": [PARAM["f"]],
 "responses": {"200": ok_response("The landing page.", schema_ref("landingPage"), JSON), **READ_ERRORS},
}

# GET /conformance
CONFORMANCE = {
"tags": ["Capabilities"], "operationId": "getConformanceDeclaration", "summary": "Conformance classes",
"parameters": [PARAM["f"]], "security": NO_LOGIN,
"responses": {"200": ok_response("The conformance classes this API implements.", schema_ref("confClasses"), JSON),
        "400": ref("responses", "InvalidParameter"), "405": ref("responses", "MethodNotAllowed"),
        "406": ref("responses", "NotAcceptable")},
}

# GET /api
API_DEFINITION = {
     "tags": ["Capabilities"], "operationId": "getAPIDefinition", "summary": "This API definition",
     "parameters": [PARAM["f"]], "security": NO_LOGIN,
     "responses": {"200": {"description": "The OpenAPI 3.0 document (JSON) or a readable list of operations (HTML).",
                           "content": {OPENAPI_JSON: {"schema": {"type": "object"}}, HTML: {"schema": {"type": "string"}}}},
                   "400": ref("responses", "InvalidParameter"), "405": ref("responses", "MethodNotAllowed"),
                   "406": ref("responses", "NotAcceptable")},
 }

# GET /collections
COLLECTIONS = {
"tags": ["Capabilities"], "operationId": "getCollections", "summary": "The campaign's layers",
"parameters": [PARAM["f"]],
"responses": {"200": ok_response("Every readable layer as a feature collection.", schema_ref("collections"), JSON), **READ_ERRORS},
}

# GET /collections/{collectionId}
COLLECTION = {
"tags": ["Capabilities"], "operationId": "describeCollection", "summary": "One layer",
"parameters": [PARAM["collectionId"], PARAM["f"]],
"responses": {"200": ok_response("The layer: title, extent, links.", schema_ref("collection"), JSON), **ITEM_READ_ERRORS},
}

# GET /collections/{collectionId}/queryables
QUERYABLES = {
"tags": ["Capabilities"], "operationId": "getQueryables", "summary": "Properties items can be filtered on",
"parameters": [PARAM["collectionId"], PARAM["f"]],
"responses": {"200": ok_response("A JSON Schema of the queryable properties.", {"type": "object"}, SCHEMA_JSON),
**ITEM_READ_ERRORS},
}

# GET /collections/{collectionId}/schema
SCHEMA = {
"tags": ["Capabilities"], "operationId": "getSchema", "summary": "The schema of a layer's places",
"description": "A JSON Schema (OGC API – Features Part 5): each property's type and Chinese title, the geometry's "
               "type as its `format` and `x-ogc-role: primary-geometry`.",
"parameters": [PARAM["collectionId"], PARAM["f"]],
"responses": {"200": {"description": "The schema.", "content": {SCHEMA_JSON: {"schema": {"type": "object"}}}},
              **ITEM_READ_ERRORS},
}

# GET /collections/{collectionId}/schema.xsd
GML_SCHEMA = {
"tags": ["Capabilities"], "operationId": "getGmlSchema", "summary": "The places as a GML application schema",
"description": "An XSD naming each property's type and the geometry's (GDAL's OAPIF driver reads a layer's geometry "
               "type from it).",
"parameters": [PARAM["collectionId"]],
"responses": {"200": {"description": "The schema.", "content": {"application/xml": {"schema": {"type": "string"}}}},
              **ITEM_READ_ERRORS},
}

# GET /collections/{collectionId}/items
ITEMS = {
     "tags": ["Data"], "operationId": "getFeatures", "summary": "The places of a layer, a page at a time",
     "description": "Filtered by bbox, datetime (on `updated_at`), a CQL2 filter and properties (every queryable is "
                    "a query parameter too: `status`, `street`, `community` and `kind` take a comma-separated list, "
                    "the others one value); paged by offset with `next`/`prev` links; in the CRS `crs` asks for.",
     "parameters": [PARAM[p] for p in ("collectionId", "f", "crs", "limit", "offset", "bbox", "bbox-crs", "datetime",
                                        "filter", "filter-lang", "filter-crs", "status", "street", "community",
                                        "kind", *EXACT_QUERYABLES)],
     "responses": {"200": ok_response("A page of places.", schema_ref("featureCollectionGeoJSON"), GEOJSON), **ITEM_READ_ERRORS},
 }

# POST /collections/{collectionId}/items
CREATE_ITEM = {
          "tags": ["Transactions"], "operationId": "createFeature", "summary": "Add a place (editor)",
          "description": "The body is a GeoJSON Feature; without an id the place gets the layer's next one; "
                         "a place without a sub-district or community gets the ones it lies in.",
          "parameters": [PARAM["collectionId"], PARAM["repair"]],
          "requestBody": {"required": True, "content": {GEOJSON: {"schema": schema_ref("featureInput")},
                                                        JSON: {"schema": schema_ref("featureInput")}}},
          "responses": {
              "201": {"description": "Created; Location names the new item.",
                      "headers": {"Location": {"schema": {"type": "string"}, "description": "The new item's URL."}, **ETAG},
                      "content": {GEOJSON: {"schema": schema_ref("featureGeoJSON")}}},
              "409": ref("responses", "Conflict"), **WRITE_ERRORS},
      }

# GET /collections/{collectionId}/items/{featureId}
ITEM = {
    "tags": ["Data"], "operationId": "getFeature", "summary": "One place",
    "parameters": [PARAM[p] for p in ("collectionId", "featureId", "f", "crs", "If-None-Match")],
    "responses": {"200": ok_response("The place; its ETag is its version.", schema_ref("featureGeoJSON"), GEOJSON, ETAG),
                  "304": {"description": "Unchanged since the ETag in If-None-Match.", "headers": ETAG},
                  **ITEM_READ_ERRORS},
}

# PUT /collections/{collectionId}/items/{featureId}
REPLACE_ITEM = {
            "tags": ["Transactions"], "operationId": "replaceFeature", "summary": "Replace a place (editor)",
            "description": "The body is the whole new feature: properties it leaves out are cleared, except "
                           "`street` and `community`, found again from the boundaries the place lies in.",
            "parameters": [PARAM[p] for p in ("collectionId", "featureId", "If-Match", "repair")],
            "requestBody": {"required": True, "content": {GEOJSON: {"schema": schema_ref("featureInput")},
                                                          JSON: {"schema": schema_ref("featureInput")}}},
            "responses": {"200": {"description": "Replaced.", "headers": ETAG,
                                  "content": {GEOJSON: {"schema": schema_ref("featureGeoJSON")}}}, **ITEM_WRITE_ERRORS},
        }

# PATCH /collections/{collectionId}/items/{featureId}
UPDATE_ITEM = {
         "tags": ["Transactions"], "operationId": "updateFeature", "summary": "Update a place (editor)",
         "description": "A JSON Merge Patch (RFC 7396) of the feature: `properties` are merged member by member "
                        "(null clears one), `geometry` is replaced.",
         "parameters": [PARAM[p] for p in ("collectionId", "featureId", "If-Match", "repair")],
         "requestBody": {"required": True, "content": {
             "application/merge-patch+json": {"schema": schema_ref("featurePatch")},
             JSON: {"schema": schema_ref("featurePatch")}, GEOJSON: {"schema": schema_ref("featurePatch")}}},
         "responses": {"200": {"description": "Updated.", "headers": ETAG,
                               "content": {GEOJSON: {"schema": schema_ref("featureGeoJSON")}}}, **ITEM_WRITE_ERRORS},
     }

# DELETE /collections/{collectionId}/items/{featureId}
DELETE_ITEM = {
        "tags": ["Transactions"], "operationId": "deleteFeature", "summary": "Delete a place (editor)",
        "parameters": [PARAM[p] for p in ("collectionId", "featureId", "If-Match")],
        "responses": {"204": {"description": "Deleted."},
                      **{k: v for k, v in ITEM_WRITE_ERRORS.items() if k not in ("413", "415", "422")}},
    }
