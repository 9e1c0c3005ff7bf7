"""The OpenAPI 3.0 description of the OGC API – Features at /ogc, served at /ogc/api.

Separate from web/api/openapi.py (the app's own /api): GIS clients read this one
through the landing page's `service-desc` link. GDAL takes the `limit`
parameter's default and maximum from it to size its pages. Written by hand
as data; `document()` adds the campaign's layer ids, statuses and kinds as
enums. tests/ogcapi/test_openapi_document.py validates it and fuzzes the
API against it.
"""

from __future__ import annotations

import copy

from geo.config import Campaign
from geo.features_query import CRS84, DEFAULT_LIMIT, EPSG4326, MAX_LIMIT
from web.core.problems import PROBLEM_JSON
from web.core.validation import ApiDocument, document_refusals

OPENAPI_JSON = "application/vnd.oai.openapi+json;version=3.0"
GEOJSON = "application/geo+json"
JSON = "application/json"
HTML = "text/html"
SCHEMA_JSON = "application/schema+json"


def _ref(kind: str, name: str) -> dict:
    return {"$ref": f"#/components/{kind}/{name}"}


def _schema(name: str) -> dict:
    return _ref("schemas", name)


def _content(schema: dict, *media: str) -> dict:
    return {m: {"schema": schema if m != HTML else {"type": "string"}} for m in media}


def _ok(description: str, schema: dict, media: str, headers: dict | None = None) -> dict:
    out = {"description": description, "content": _content(schema, media, HTML)}
    if headers:
        out["headers"] = headers
    return out


def _error(description: str) -> dict:
    return {"description": description, "content": {PROBLEM_JSON: {"schema": _schema("exception")},
                                                    HTML: {"schema": {"type": "string"}}}}


ETAG = {"ETag": {"description": 'The item\'s version, `"<id>-v<version>"`: send it back in If-Match to write.',
                 "schema": {"type": "string"}}}
READ_ERRORS = {"400": _ref("responses", "InvalidParameter"), "401": _ref("responses", "Unauthorized"),
               "403": _ref("responses", "Forbidden"), "405": _ref("responses", "MethodNotAllowed"),
               "406": _ref("responses", "NotAcceptable"), "503": _ref("responses", "Unavailable")}
ITEM_READ_ERRORS = {**READ_ERRORS, "404": _ref("responses", "NotFound")}
WRITE_ERRORS = {**ITEM_READ_ERRORS, "413": _ref("responses", "TooLarge"), "415": _ref("responses", "UnsupportedMediaType"),
                "422": _ref("responses", "Invalid")}
ITEM_WRITE_ERRORS = {**WRITE_ERRORS, "412": _ref("responses", "PreconditionFailed"),
                     "428": _ref("responses", "PreconditionRequired")}
PARAM = {name: _ref("parameters", name) for name in
         ("collectionId", "featureId", "f", "crs", "limit", "offset", "bbox", "bbox-crs", "datetime", "status", "street",
          "community", "kind", "If-Match", "If-None-Match", "repair")}
PUBLIC: list = []  # security requirement of operations that need no login


PATHS: dict = {
    "/": {"get": {
        "tags": ["Capabilities"], "operationId": "getLandingPage", "summary": "Landing page",
        "description": "Links to the API definition, the conformance declaration and the collections.",
        "parameters": [PARAM["f"]],
        "responses": {"200": _ok("The landing page.", _schema("landingPage"), JSON), **READ_ERRORS},
    }},
    "/conformance": {"get": {
        "tags": ["Capabilities"], "operationId": "getConformanceDeclaration", "summary": "Conformance classes",
        "parameters": [PARAM["f"]], "security": PUBLIC,
        "responses": {"200": _ok("The conformance classes this API implements.", _schema("confClasses"), JSON),
                      "400": _ref("responses", "InvalidParameter"), "405": _ref("responses", "MethodNotAllowed"),
                      "406": _ref("responses", "NotAcceptable")},
    }},
    "/api": {"get": {
        "tags": ["Capabilities"], "operationId": "getAPIDefinition", "summary": "This API definition",
        "parameters": [PARAM["f"]], "security": PUBLIC,
        "responses": {"200": {"description": "The OpenAPI 3.0 document (JSON) or a readable list of operations (HTML).",
                              "content": {OPENAPI_JSON: {"schema": {"type": "object"}}, HTML: {"schema": {"type": "string"}}}},
                      "400": _ref("responses", "InvalidParameter"), "405": _ref("responses", "MethodNotAllowed"),
                      "406": _ref("responses", "NotAcceptable")},
    }},
    "/collections": {"get": {
        "tags": ["Capabilities"], "operationId": "getCollections", "summary": "The campaign's layers",
        "parameters": [PARAM["f"]],
        "responses": {"200": _ok("Every readable layer as a feature collection.", _schema("collections"), JSON), **READ_ERRORS},
    }},
    "/collections/{collectionId}": {"get": {
        "tags": ["Capabilities"], "operationId": "describeCollection", "summary": "One layer",
        "parameters": [PARAM["collectionId"], PARAM["f"]],
        "responses": {"200": _ok("The layer: title, extent, links.", _schema("collection"), JSON), **ITEM_READ_ERRORS},
    }},
    "/collections/{collectionId}/queryables": {"get": {
        "tags": ["Capabilities"], "operationId": "getQueryables", "summary": "Properties items can be filtered on",
        "parameters": [PARAM["collectionId"], PARAM["f"]],
        "responses": {"200": _ok("A JSON Schema of the queryable properties.", {"type": "object"}, SCHEMA_JSON),
                      **ITEM_READ_ERRORS},
    }},
    "/collections/{collectionId}/items": {
        "get": {
            "tags": ["Data"], "operationId": "getFeatures", "summary": "The places of a layer, a page at a time",
            "description": "Filtered by bbox, datetime (on `updated_at`) and properties; paged by offset with "
                           "`next`/`prev` links.",
            "parameters": [PARAM[p] for p in ("collectionId", "f", "crs", "limit", "offset", "bbox", "bbox-crs", "datetime",
                                               "status", "street", "community", "kind")],
            "responses": {"200": _ok("A page of places.", _schema("featureCollectionGeoJSON"), GEOJSON), **ITEM_READ_ERRORS},
        },
        "post": {
            "tags": ["Transactions"], "operationId": "createFeature", "summary": "Add a place (editor)",
            "description": "The body is a GeoJSON Feature; without an id the place gets the layer's next one; "
                           "a place without a sub-district or community gets the ones it lies in.",
            "parameters": [PARAM["collectionId"], PARAM["repair"]],
            "requestBody": {"required": True, "content": {GEOJSON: {"schema": _schema("featureInput")},
                                                          JSON: {"schema": _schema("featureInput")}}},
            "responses": {
                "201": {"description": "Created; Location names the new item.",
                        "headers": {"Location": {"schema": {"type": "string"}, "description": "The new item's URL."}, **ETAG},
                        "content": {GEOJSON: {"schema": _schema("featureGeoJSON")}}},
                "409": _ref("responses", "Conflict"), **WRITE_ERRORS},
        },
    },
    "/collections/{collectionId}/items/{featureId}": {
        "get": {
            "tags": ["Data"], "operationId": "getFeature", "summary": "One place",
            "parameters": [PARAM[p] for p in ("collectionId", "featureId", "f", "crs", "If-None-Match")],
            "responses": {"200": _ok("The place; its ETag is its version.", _schema("featureGeoJSON"), GEOJSON, ETAG),
                          "304": {"description": "Unchanged since the ETag in If-None-Match.", "headers": ETAG},
                          **ITEM_READ_ERRORS},
        },
        "put": {
            "tags": ["Transactions"], "operationId": "replaceFeature", "summary": "Replace a place (editor)",
            "description": "The body is the whole new feature: properties it leaves out are cleared.",
            "parameters": [PARAM[p] for p in ("collectionId", "featureId", "If-Match", "repair")],
            "requestBody": {"required": True, "content": {GEOJSON: {"schema": _schema("featureInput")},
                                                          JSON: {"schema": _schema("featureInput")}}},
            "responses": {"200": {"description": "Replaced.", "headers": ETAG,
                                  "content": {GEOJSON: {"schema": _schema("featureGeoJSON")}}}, **ITEM_WRITE_ERRORS},
        },
        "patch": {
            "tags": ["Transactions"], "operationId": "updateFeature", "summary": "Update a place (editor)",
            "description": "A JSON Merge Patch (RFC 7396) of the feature: `properties` are merged member by member "
                           "(null clears one), `geometry` is replaced.",
            "parameters": [PARAM[p] for p in ("collectionId", "featureId", "If-Match", "repair")],
            "requestBody": {"required": True, "content": {
                "application/merge-patch+json": {"schema": _schema("featurePatch")},
                JSON: {"schema": _schema("featurePatch")}, GEOJSON: {"schema": _schema("featurePatch")}}},
            "responses": {"200": {"description": "Updated.", "headers": ETAG,
                                  "content": {GEOJSON: {"schema": _schema("featureGeoJSON")}}}, **ITEM_WRITE_ERRORS},
        },
        "delete": {
            "tags": ["Transactions"], "operationId": "deleteFeature", "summary": "Delete a place (editor)",
            "parameters": [PARAM[p] for p in ("collectionId", "featureId", "If-Match")],
            "responses": {"204": {"description": "Deleted."},
                          **{k: v for k, v in ITEM_WRITE_ERRORS.items() if k not in ("413", "415", "422")}},
        },
    },
}


def _query(name: str, schema: dict, description: str, **extra) -> dict:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description, **extra}


PARAMETERS: dict = {
    "collectionId": {"name": "collectionId", "in": "path", "required": True, "schema": {"type": "string"},
                     "description": "A layer id from the campaign configuration."},
    "featureId": {"name": "featureId", "in": "path", "required": True, "schema": {"type": "string"},
                  "description": "A place's stable id, e.g. c-0001."},
    "f": _query("f", {"type": "string", "enum": ["json", "html"]},
                "The format; without it the Accept header decides (JSON unless HTML is preferred)."),
    "crs": _query("crs", {"type": "string", "format": "uri", "enum": [CRS84], "default": CRS84},
                  "The CRS of the answer: the storage CRS, longitude/latitude (WGS84).", style="form", explode=False),
    "limit": _query("limit", {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
                    f"How many places a page holds (a larger value is read as {MAX_LIMIT}).", style="form", explode=False),
    "offset": _query("offset", {"type": "integer", "minimum": 0, "default": 0},
                     "How many matching places to skip; `next` and `prev` links carry it.", style="form", explode=False),
    "bbox": _query("bbox", {"type": "array", "minItems": 4, "maxItems": 6, "items": {"type": "number"}},
                   "west,south,east,north in CRS84 (or bbox-crs): places whose geometry intersects the box.",
                   style="form", explode=False),
    "bbox-crs": _query("bbox-crs", {"type": "string", "format": "uri", "enum": [CRS84, EPSG4326], "default": CRS84},
                       "The CRS of bbox; EPSG:4326 puts latitude first.", style="form", explode=False),
    "datetime": _query("datetime", {"type": "string"},
                       "When the place was last changed (updated_at): an instant (2026-11-20, 2026-11-20T08:00:00Z) "
                       "or an interval (2026-11-01/2026-11-20, ../2026-11-20T00:00:00Z, 2026-11-01T00:00:00Z/..).",
                       style="form", explode=False),
    "status": _query("status", {"type": "string"}, "Status keys, comma-separated: any of them.", style="form", explode=False),
    "street": _query("street", {"type": "string"}, "Sub-districts (街道), comma-separated.", style="form", explode=False),
    "community": _query("community", {"type": "string"}, "Communities (社区), comma-separated.", style="form", explode=False),
    "kind": _query("kind", {"type": "string"}, "Kinds (楼院, 道路, …), comma-separated.", style="form", explode=False),
    "repair": _query("repair", {"type": "string", "enum": ["true", "false"]},
                     "true: repair an invalid geometry with make_valid instead of refusing it."),
    "If-Match": {"name": "If-Match", "in": "header", "required": True, "schema": {"type": "string"},
                 "description": 'The ETag `"<id>-v<version>"` the edit started from, or `*` for the current version. Missing: 428; '
                                'another version, a weak ETag (`W/"…"`) or `*` for an item that does not exist: 412.'},
    "If-None-Match": {"name": "If-None-Match", "in": "header", "required": False, "schema": {"type": "string"},
                      "description": "An ETag read earlier: 304 while the place is unchanged."},
}

NULLABLE_STRING = {"type": "string", "nullable": True}
LINK = {"type": "object", "required": ["href", "rel"], "properties": {
    "href": {"type": "string"}, "rel": {"type": "string"}, "type": {"type": "string"}, "hreflang": {"type": "string"},
    "title": {"type": "string"}, "length": {"type": "integer"}}}
GEOMETRY = {"type": "object", "required": ["type", "coordinates"], "description": "A GeoJSON geometry, WGS84 longitude/latitude.",
            "properties": {"type": {"type": "string", "enum": ["Point", "MultiPoint", "LineString", "MultiLineString",
                                                               "Polygon", "MultiPolygon"]},
                           "coordinates": {"type": "array", "items": {}}}}

SCHEMAS: dict = {
    "exception": {"type": "object", "required": ["type", "title", "status", "detail", "instance", "code"],
                  "description": "An RFC 9457 problem document (application/problem+json), as OGC API – Common "
                                 "recommends; `code` and `description` are the OGC exception's members, `error` and "
                                 "`message` the same again for clients of the house shape. The kinds and their one "
                                 "status each are listed in docs/http-errors.md.",
                  "properties": {"type": {"type": "string", "description": "The kind: /problems/<code>."},
                                 "title": {"type": "string", "description": "The kind, for people."},
                                 "status": {"type": "integer"},
                                 "detail": {"type": "string", "description": "What went wrong this time, for people."},
                                 "instance": {"type": "string", "description": "The path that was asked."},
                                 "code": {"type": "string"}, "description": {"type": "string"},
                                 "error": {"type": "string"}, "message": {"type": "string"},
                                 "parameter": {"type": "string"},
                                 "fields": {"type": "array", "description": "Every field at fault (422).", "items": {
                                     "type": "object", "required": ["field", "message"],
                                     "properties": {"feature": NULLABLE_STRING, "field": {"type": "string"},
                                                    "message": {"type": "string"}}}}}},
    "link": LINK,
    "landingPage": {"type": "object", "required": ["links"], "properties": {
        "title": {"type": "string"}, "description": {"type": "string"}, "links": {"type": "array", "items": _schema("link")}}},
    "confClasses": {"type": "object", "required": ["conformsTo"],
                    "properties": {"conformsTo": {"type": "array", "items": {"type": "string"}}}},
    "extent": {"type": "object", "properties": {
        "spatial": {"type": "object", "properties": {
            "bbox": {"type": "array", "minItems": 1, "items": {"type": "array", "minItems": 4, "maxItems": 6,
                                                               "items": {"type": "number"}}},
            "crs": {"type": "string"}}},
        "temporal": {"type": "object", "properties": {
            "interval": {"type": "array", "minItems": 1, "items": {"type": "array", "minItems": 2, "maxItems": 2,
                                                                   "items": NULLABLE_STRING}},
            "trs": {"type": "string"}}}}},
    "collection": {"type": "object", "required": ["id", "links"], "properties": {
        "id": {"type": "string"}, "title": {"type": "string"}, "description": {"type": "string"},
        "links": {"type": "array", "items": _schema("link")}, "extent": _schema("extent"),
        "itemType": {"type": "string"}, "crs": {"type": "array", "items": {"type": "string"}},
        "storageCrs": {"type": "string"}}},
    "collections": {"type": "object", "required": ["links", "collections"], "properties": {
        "links": {"type": "array", "items": _schema("link")},
        "collections": {"type": "array", "items": _schema("collection")}}},
    "geometryGeoJSON": GEOMETRY,
    "placeProperties": {"type": "object", "description": "A place: name, kind, status, deadline, 四包一 people, ledger…",
                        "properties": {
                            "name": {"type": "string"}, "kind": NULLABLE_STRING, "street": NULLABLE_STRING,
                            "community": NULLABLE_STRING, "status": {"type": "string"},
                            "deadline": {"type": "string", "format": "date", "nullable": True}, "unit": NULLABLE_STRING,
                            "people": {"type": "object", "nullable": True, "additionalProperties": {"type": "string"}},
                            "notes": NULLABLE_STRING,
                            "problems": {"type": "array", "nullable": True, "items": {"type": "object"}},
                            "version": {"type": "integer", "readOnly": True},
                            "updated_at": {"type": "string", "readOnly": True},
                            "updated_by": {"type": "string", "readOnly": True}}},
    "featureGeoJSON": {"type": "object", "required": ["type", "geometry", "properties"], "properties": {
        "type": {"type": "string", "enum": ["Feature"]}, "id": {"type": "string"},
        "geometry": {"allOf": [_schema("geometryGeoJSON")], "nullable": True},
        "properties": {"allOf": [_schema("placeProperties")], "nullable": True},
        "links": {"type": "array", "items": _schema("link")}}},
    "featureInput": {"type": "object", "required": ["type", "geometry", "properties"], "properties": {
        "type": {"type": "string", "enum": ["Feature"]}, "id": {"type": "string"},
        "geometry": _schema("geometryGeoJSON"), "properties": _schema("placeInput")}},
    "placeInput": {"type": "object", "required": ["name", "status"], "properties": {
        "name": {"type": "string"}, "kind": {"type": "string"}, "street": {"type": "string"},
        "community": {"type": "string"}, "status": {"type": "string"},
        "deadline": {"type": "string", "format": "date"}, "unit": {"type": "string"}, "notes": {"type": "string"},
        "people": {"type": "object", "additionalProperties": {"type": "string"}}}},
    "featurePatch": {"type": "object", "properties": {
        "type": {"type": "string", "enum": ["Feature"]}, "geometry": _schema("geometryGeoJSON"),
        "properties": {"type": "object", "description": "Merged member by member; null clears one."}}},
    "featureCollectionGeoJSON": {"type": "object", "required": ["type", "features"], "properties": {
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "features": {"type": "array", "items": _schema("featureGeoJSON")},
        "links": {"type": "array", "items": _schema("link")},
        "timeStamp": {"type": "string", "format": "date-time"},
        "numberMatched": {"type": "integer", "minimum": 0},
        "numberReturned": {"type": "integer", "minimum": 0}}},
}

RESPONSES: dict = {
    "InvalidParameter": _error("A query or path parameter cannot be read (bad_parameter, naming it), or the body is "
                               "not JSON (bad_request)."),
    "Unauthorized": {"description": "Log in, or send a personal API token (Bearer) or HTTP Basic credentials.",
                     "headers": {"WWW-Authenticate": {"schema": {"type": "string"}}},
                     "content": {PROBLEM_JSON: {"schema": _schema("exception")}, HTML: {"schema": {"type": "string"}}}},
    "Forbidden": _error("Your role may not do this (writes need an editor)."),
    "NotFound": _error("No such layer or place."),
    "MethodNotAllowed": _error("This path does not take that method."),
    "NotAcceptable": _error("None of the formats in Accept can be sent."),
    "Conflict": _error("A place with this id already exists."),
    "PreconditionFailed": _error("If-Match names a version that is no longer the current one: nothing was written."),
    "PreconditionRequired": _error("If-Match is missing: a write must name the version it started from."),
    "TooLarge": _error("The body is too large."),
    "UnsupportedMediaType": _error("The body must be JSON (application/geo+json, application/json or merge-patch+json)."),
    "Invalid": _error("The body was read but breaks its schema or a rule of the campaign; `fields` lists every "
                      "field at fault."),
    "Unavailable": _error("A layer file cannot be read, or the store is busy."),
}

SECURITY_SCHEMES = {
    "bearerAuth": {"type": "http", "scheme": "bearer",
                   "description": "A personal API token (`gt_…`), from the 'my account' page."},
    "basicAuth": {"type": "http", "scheme": "basic", "description": "User name and password."},
    "cookieAuth": {"type": "apiKey", "in": "cookie", "name": "session",
                   "description": "The browser session after /login; writes also send X-CSRF-Token."},
}


def document(campaign: Campaign, server_url: str) -> dict:
    """The OpenAPI 3.0 document for the OGC API served at `server_url` (…/ogc)."""
    doc = {
        "openapi": "3.0.3",
        "info": {
            "title": f"{campaign.title} · OGC API – Features",
            "version": "1.0.0",
            "description": "The campaign's layers as OGC API – Features (Part 1 Core, GeoJSON, HTML, OpenAPI 3.0; "
                           "Part 3 queryables; Part 4 create, replace, update and delete with ETags). "
                           "Reading needs a viewer, writing an editor.",
        },
        "servers": [{"url": server_url}],
        "tags": [{"name": "Capabilities"}, {"name": "Data"}, {"name": "Transactions"}],
        "security": [{"bearerAuth": []}, {"basicAuth": []}, {"cookieAuth": []}],
        "paths": copy.deepcopy(PATHS),
        "components": {"schemas": copy.deepcopy(SCHEMAS), "parameters": copy.deepcopy(PARAMETERS),
                       "responses": copy.deepcopy(RESPONSES), "securitySchemes": copy.deepcopy(SECURITY_SCHEMES)},
    }
    params = doc["components"]["parameters"]
    params["collectionId"]["schema"]["enum"] = [x.id for x in campaign.layers]
    params["status"]["description"] += " One of: " + ", ".join(campaign.status_keys) + "."
    kinds = sorted({k for x in campaign.layers for k in x.kinds})
    if kinds:
        params["kind"]["description"] += " One of: " + ", ".join(kinds) + "."
    doc["components"]["schemas"]["placeInput"]["properties"]["status"]["enum"] = list(campaign.status_keys)
    document_refusals(doc, parameter=("400", _ref("responses", "InvalidParameter")),
                      body=("422", _ref("responses", "Invalid")), unknown=("404", _ref("responses", "NotFound")),
                      malformed=("400", _ref("responses", "InvalidParameter")))
    _link_item_operations(doc)
    return doc


def _link_item_operations(doc: dict) -> None:
    """OpenAPI links from a created or read item to reading, replacing, updating and deleting it."""
    same = {"collectionId": "$request.path.collectionId", "featureId": "$response.body#/id"}
    versioned = {**same, "header.If-Match": "$response.header.ETag"}
    links = {"GetItem": {"operationId": "getFeature", "parameters": same},
             "ReplaceItem": {"operationId": "replaceFeature", "parameters": versioned},
             "UpdateItem": {"operationId": "updateFeature", "parameters": versioned},
             "DeleteItem": {"operationId": "deleteFeature", "parameters": versioned}}
    items, item = doc["paths"]["/collections/{collectionId}/items"], doc["paths"]["/collections/{collectionId}/items/{featureId}"]
    items["post"]["responses"]["201"]["links"] = links
    item["get"]["responses"]["200"]["links"] = {k: v for k, v in links.items() if k != "GetItem"}
    for method in ("put", "patch"):
        item[method]["responses"]["200"]["links"] = links


def validated_document(campaign: Campaign) -> ApiDocument:
    """This document as web/core/validation.py checks requests against it: /ogc paths, OGC parameter names,
    400 for a bad parameter or a body that is not JSON (OGC API – Features), 415 left to the views."""
    return ApiDocument(prefix="/ogc", build=lambda: document(campaign, ""), names={"layer_id": "collectionId",
                       "fid": "featureId"}, geometry_schemas=("geometryGeoJSON",), json_always=False, clamped=("limit",))
