"""The OpenAPI 3.0 description of the OGC API – Features at /ogc, served at /ogc/api.

Separate from web/api/openapi.py (the app's own /api): GIS clients read this one
through the landing page's `service-desc` link. GDAL takes the `limit`
parameter's default and maximum from it to size its pages. Generated from
the routes' declarations: each names its operation in web/ogc/docs.py, built
from the components and pieces here; `document()` adds the campaign's layer
ids, statuses and kinds as enums. tests/ogcapi/test_openapi_document.py
validates it and fuzzes the API against it.
"""

from __future__ import annotations

import copy

from flask import current_app

from geo.config import Campaign
from geo.cql2 import ALIASES, LANGS
from geo.crs import CRS84, SUPPORTED
from geo.features_query import DEFAULT_LIMIT, MAX_LIMIT
from geo.messages import t
from geo.queryables import TYPE_OF
from web.core.problems import PROBLEM_JSON
from web.core.routes import openapi_paths
from web.core.validation import ApiDocument, document_refusals

OPENAPI_JSON = "application/vnd.oai.openapi+json;version=3.0"
GEOJSON = "application/geo+json"
JSON = "application/json"
HTML = "text/html"
SCHEMA_JSON = "application/schema+json"


def ref(kind: str, name: str) -> dict:
    return {"$ref": f"#/components/{kind}/{name}"}


def schema_ref(name: str) -> dict:
    return ref("schemas", name)


def _content(schema: dict, *media: str) -> dict:
    return {m: {"schema": schema if m != HTML else {"type": "string"}} for m in media}


def ok_response(description: str, schema: dict, media: str, headers: dict | None = None) -> dict:
    out = {"description": description, "content": _content(schema, media, HTML)}
    if headers:
        out["headers"] = headers
    return out


def _error(description: str) -> dict:
    return {"description": description, "content": {PROBLEM_JSON: {"schema": schema_ref("exception")},
                                                    HTML: {"schema": {"type": "string"}}}}


ETAG = {"ETag": {"description": 'The item\'s version, `"<id>-v<version>"`: send it back in If-Match to write.',
                 "schema": {"type": "string"}}}
READ_ERRORS = {"400": ref("responses", "InvalidParameter"), "401": ref("responses", "Unauthorized"),
               "403": ref("responses", "Forbidden"), "405": ref("responses", "MethodNotAllowed"),
               "406": ref("responses", "NotAcceptable"), "503": ref("responses", "Unavailable")}
ITEM_READ_ERRORS = {**READ_ERRORS, "404": ref("responses", "NotFound")}
WRITE_ERRORS = {**ITEM_READ_ERRORS, "413": ref("responses", "TooLarge"), "415": ref("responses", "UnsupportedMediaType"),
                "422": ref("responses", "Invalid")}
ITEM_WRITE_ERRORS = {**WRITE_ERRORS, "412": ref("responses", "PreconditionFailed"),
                     "428": ref("responses", "PreconditionRequired")}
EXACT_QUERYABLES = tuple(n for n in TYPE_OF if n not in ("id", "status", "street", "community", "kind", "geometry"))
PARAM = {name: ref("parameters", name) for name in
         ("collectionId", "featureId", "f", "crs", "limit", "offset", "after-id", "bbox", "bbox-crs", "datetime", "filter",
          "filter-lang", "filter-crs", "status", "street", "community", "kind", *EXACT_QUERYABLES, "If-Match",
          "If-None-Match", "repair")}
NO_LOGIN: list = []  # security requirement of operations that need no login




def _query(name: str, schema: dict, description: str, **extra) -> dict:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description, **extra}


PARAMETERS: dict = {
    "collectionId": {"name": "collectionId", "in": "path", "required": True, "schema": {"type": "string"},
                     "description": "A layer id from the campaign configuration."},
    "featureId": {"name": "featureId", "in": "path", "required": True, "schema": {"type": "string"},
                  "description": "A place's stable id, e.g. c-0001."},
    "f": _query("f", {"type": "string", "enum": ["json", "html"]},
                "The format; without it the Accept header decides (JSON unless HTML is preferred)."),
    "crs": _query("crs", {"type": "string", "format": "uri", "default": CRS84},
                  "The CRS of the answer (Content-Crs says which was sent): one of " + ", ".join(SUPPORTED) + ". "
                  "EPSG:4326 and EPSG:4490 (CGCS2000) put latitude first; EPSG:3857 is in metres.",
                  style="form", explode=False),
    "limit": _query("limit", {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
                    f"How many places a page holds (a larger value is read as {MAX_LIMIT}).", style="form", explode=False),
    "offset": _query("offset", {"type": "integer", "minimum": 0, "default": 0},
                     "How many matching places to skip; `next` and `prev` links carry it.", style="form", explode=False),
    "after-id": _query("after-id", {"type": "string", "minLength": 1},
                       "The page starts after this place in the layer's order; `offset` then only numbers the page. "
                       "`next` links carry it: the database seeks to the place on its index instead of skipping "
                       "rows, and a place deleted before it does not shift the page. A place the layer does not "
                       "have is ignored (the page is then found by `offset`).", style="form", explode=False),
    "bbox": _query("bbox", {"type": "array", "minItems": 4, "maxItems": 6, "items": {"type": "number"}},
                   "west,south,east,north in CRS84 (or bbox-crs): places whose geometry intersects the box.",
                   style="form", explode=False),
    "bbox-crs": _query("bbox-crs", {"type": "string", "format": "uri", "default": CRS84},
                       "The CRS of bbox, one of the crs values; EPSG:4326 and EPSG:4490 put latitude first.",
                       style="form", explode=False),
    "filter": _query("filter", {"type": "string"},
                     "A CQL2 filter on the queryables (see /collections/{collectionId}/queryables), e.g. "
                     "`status IN ('pending','relapsed') AND deadline < DATE('2026-12-01')` or "
                     "`S_INTERSECTS(geometry, BBOX(113.6,34.7,113.7,34.8))`.", style="form", explode=False),
    "filter-lang": _query("filter-lang", {"type": "string", "enum": [*LANGS, *ALIASES], "default": LANGS[0]},
                          "The language of filter: CQL2 text or CQL2 JSON (cql-text, the draft's name, is read as "
                          "cql2-text).", style="form", explode=False),
    "filter-crs": _query("filter-crs", {"type": "string", "format": "uri", "default": CRS84},
                         "The CRS of the filter's geometries, one of the crs values.", style="form", explode=False),
    "datetime": _query("datetime", {"type": "string"},
                       "When the place was last changed (updated_at): an instant (2026-11-20, 2026-11-20T08:00:00Z) "
                       "or an interval (2026-11-01/2026-11-20, ../2026-11-20T00:00:00Z, 2026-11-01T00:00:00Z/..).",
                       style="form", explode=False),
    "status": _query("status", {"type": "string"}, "Status keys, comma-separated: any of them.", style="form", explode=False),
    "street": _query("street", {"type": "string"}, "Sub-districts (街道), comma-separated.", style="form", explode=False),
    "community": _query("community", {"type": "string"}, "Communities (社区), comma-separated.", style="form", explode=False),
    "kind": _query("kind", {"type": "string"}, "Kinds (楼院, 道路, …), comma-separated.", style="form", explode=False),
    **{name: _query(name, {"type": "string"}, f"Places whose {name} is this value ({kind}); see the queryables.",
                    style="form", explode=False)
       for name, kind in TYPE_OF.items() if name in EXACT_QUERYABLES},
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
        "title": {"type": "string"}, "description": {"type": "string"}, "links": {"type": "array", "items": schema_ref("link")}}},
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
        "links": {"type": "array", "items": schema_ref("link")}, "extent": schema_ref("extent"),
        "itemType": {"type": "string"}, "crs": {"type": "array", "items": {"type": "string"}},
        "storageCrs": {"type": "string"}}},
    "collections": {"type": "object", "required": ["links", "collections"], "properties": {
        "links": {"type": "array", "items": schema_ref("link")},
        "collections": {"type": "array", "items": schema_ref("collection")}}},
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
        "geometry": {"allOf": [schema_ref("geometryGeoJSON")], "nullable": True},
        "properties": {"allOf": [schema_ref("placeProperties")], "nullable": True},
        "links": {"type": "array", "items": schema_ref("link")}}},
    "featureInput": {"type": "object", "required": ["type", "geometry", "properties"], "properties": {
        "type": {"type": "string", "enum": ["Feature"]}, "id": {"type": "string"},
        "geometry": schema_ref("geometryGeoJSON"), "properties": schema_ref("placeInput")}},
    "placeInput": {"type": "object", "required": ["name", "status"], "properties": {
        "name": {"type": "string"}, "kind": {"type": "string"}, "street": {"type": "string"},
        "community": {"type": "string"}, "status": {"type": "string"},
        "deadline": {"type": "string", "format": "date"}, "unit": {"type": "string"}, "notes": {"type": "string"},
        "people": {"type": "object", "additionalProperties": {"type": "string"}}}},
    "featurePatch": {"type": "object", "properties": {
        "type": {"type": "string", "enum": ["Feature"]}, "geometry": schema_ref("geometryGeoJSON"),
        "properties": {"type": "object", "description": "Merged member by member; null clears one."}}},
    "featureCollectionGeoJSON": {"type": "object", "required": ["type", "features"], "properties": {
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "features": {"type": "array", "items": schema_ref("featureGeoJSON")},
        "links": {"type": "array", "items": schema_ref("link")},
        "timeStamp": {"type": "string", "format": "date-time"},
        "numberMatched": {"type": "integer", "minimum": 0},
        "numberReturned": {"type": "integer", "minimum": 0}}},
}

RESPONSES: dict = {
    "InvalidParameter": _error("A query or path parameter cannot be read (bad_parameter, naming it), or the body is "
                               "not JSON (bad_request)."),
    "Unauthorized": {"description": "Log in, or send a personal API token (Bearer) or HTTP Basic credentials.",
                     "headers": {"WWW-Authenticate": {"schema": {"type": "string"}}},
                     "content": {PROBLEM_JSON: {"schema": schema_ref("exception")}, HTML: {"schema": {"type": "string"}}}},
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


PATH_NAMES = {"layer_id": "collectionId", "fid": "featureId",  # the app's path parameters as the OGC APIs name them
              "grid": "tileMatrixSetId", "tile_matrix": "tileMatrix", "tile_row": "tileRow", "tile_col": "tileCol"}


def document(campaign: Campaign, server_url: str) -> dict:
    """The OpenAPI 3.0 document for the OGC API served at `server_url` (…/ogc): the current app's /ogc routes, from
    their declarations (web/core/routes.py), with the campaign's layer ids, statuses and kinds."""
    doc = {
        "openapi": "3.0.3",
        "info": {
            "title": t("ogc.campaign_service", campaign=campaign.title),
            "version": "1.0.0",
            "description": "The campaign's layers as OGC API – Features (Part 1 Core, GeoJSON, HTML, OpenAPI 3.0; "
                           "Part 3 queryables; Part 4 create, replace, update and delete with ETags). "
                           "Reading needs a viewer, writing an editor.",
        },
        "servers": [{"url": server_url}],
        "tags": [{"name": "Capabilities"}, {"name": "Data"}, {"name": "Transactions"}],
        "security": [{"bearerAuth": []}, {"basicAuth": []}, {"cookieAuth": []}],
        "paths": copy.deepcopy(openapi_paths(current_app, "/ogc", mounted=True, names=PATH_NAMES)),
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
    document_refusals(doc, parameter=("400", ref("responses", "InvalidParameter")),
                      body=("422", ref("responses", "Invalid")), unknown=("404", ref("responses", "NotFound")),
                      malformed=("400", ref("responses", "InvalidParameter")))
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
    return ApiDocument(prefix="/ogc", build=lambda: document(campaign, ""), names=PATH_NAMES,
                       geometry_schemas=("geometryGeoJSON",), json_always=False, clamped=("limit",))
