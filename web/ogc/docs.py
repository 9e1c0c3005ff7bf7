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
                    "the others one value); paged by `next`/`prev` links (`next` asks for the places after the page's "
                    "last, `after-id`; `offset` numbers the page); in the CRS `crs` asks for.",
     "parameters": [PARAM[p] for p in ("collectionId", "f", "crs", "limit", "offset", "after-id", "bbox", "bbox-crs", "datetime",
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


# --- OGC API – Tiles (web/ogc/tiles.py) ----------------------------------------------------------
_TILES_F = {"name": "f", "in": "query", "required": False, "schema": {"type": "string", "enum": ["json"]},
            "description": "Only json: these documents are JSON."}
_GRID = {"name": "tileMatrixSetId", "in": "path", "required": True, "schema": {"type": "string", "enum": ["WebMercatorQuad"]},
         "description": "The tile matrix set: WebMercatorQuad (EPSG:3857, the z/x/y tiles of web maps)."}

# GET /tileMatrixSets
TILE_MATRIX_SETS = {
"tags": ["Tiles"], "operationId": "getTileMatrixSetsList", "summary": "The tile matrix sets of the vector tiles",
"parameters": [_TILES_F],
"responses": {"200": ok_response("One: WebMercatorQuad, with its links.", {"type": "object"}, JSON), **READ_ERRORS},
}

# GET /tileMatrixSets/{tileMatrixSetId}
TILE_MATRIX_SET = {
"tags": ["Tiles"], "operationId": "getTileMatrixSet", "summary": "A tile matrix set's definition",
"description": "OGC Two Dimensional Tile Matrix Set 2.0 JSON: each zoom's scale, origin and size, 0 to 24.",
"parameters": [_GRID, _TILES_F],
"responses": {"200": ok_response("The definition.", {"type": "object"}, JSON), **ITEM_READ_ERRORS},
}

# GET /collections/{collectionId}/tiles
TILESETS = {
"tags": ["Tiles"], "operationId": "getCollectionVectorTilesets", "summary": "A layer's vector tilesets",
"parameters": [PARAM["collectionId"], _TILES_F],
"responses": {"200": ok_response("One vector tileset, on WebMercatorQuad.", {"type": "object"}, JSON), **ITEM_READ_ERRORS},
}

# GET /collections/{collectionId}/tiles/{tileMatrixSetId}
TILESET = {
"tags": ["Tiles"], "operationId": "getCollectionVectorTileset", "summary": "A layer's vector tileset",
"description": "The tiles' URL template (`item` link), the tiles holding the layer's places at each zoom "
               "(`tileMatrixSetLimits`) and what a tile's features carry: `id`, and `count` where one point stands "
               "for the places of a pixel.",
"parameters": [PARAM["collectionId"], _GRID, _TILES_F],
"responses": {"200": ok_response("The tileset.", {"type": "object"}, JSON), **ITEM_READ_ERRORS},
}

# GET /collections/{collectionId}/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}
TILE = {
"tags": ["Tiles"], "operationId": "getCollectionVectorTile", "summary": "A vector tile of a layer",
"description": "A Mapbox Vector Tile: one feature per place with its `id`; below zoom 17 a place smaller than 3 "
               "pixels is a point, one per pixel, with `count` when the pixel holds more. 204 when no place meets the "
               "tile. Made once per shapes revision: revalidate with If-None-Match.",
"parameters": [PARAM["collectionId"], _GRID,
               *({"name": n, "in": "path", "required": True, "schema": {"type": "integer", "minimum": 0, **most},
                  "description": d} for n, most, d in (("tileMatrix", {"maximum": 24}, "the zoom, 0 to 24"),
                                                       ("tileRow", {}, "the row from the top, 0 to 2^zoom - 1"),
                                                       ("tileCol", {}, "the column from the west, 0 to 2^zoom - 1"))),
               {"name": "f", "in": "query", "required": False, "schema": {"type": "string", "enum": ["mvt"]},
                "description": "Only mvt."}, PARAM["If-None-Match"]],
"responses": {"200": {"description": "The tile.", "headers": ETAG,
                      "content": {"application/vnd.mapbox-vector-tile": {"schema": {"type": "string", "format": "binary"}}}},
              "204": {"description": "No place meets the tile.", "headers": ETAG},
              "304": {"description": "The client's copy is current."}, **ITEM_READ_ERRORS},
}
