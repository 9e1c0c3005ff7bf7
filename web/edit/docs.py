"""The OpenAPI operations of the import and export routes under /api (web/edit/exchange.py).

One named entry per route, named by the route's declaration; web/api/openapi.py gathers them.
"""

from __future__ import annotations

from web.core.openapi_parts import (
    EXPORT_MEDIA,
    LAYER,
    READ_ERRORS,
    WRITE_ERRORS,
    WRITE_SECURITY,
    filter_param,
    json_response,
    read_operation,
    response_ref,
    schema_ref,
)

# GET /api/layers/{layer_id}/export
EXPORT = read_operation("A layer (or the places matching the filters) as a file: GeoJSON, GeoPackage, Shapefile, KML, ledger",
                        {"description": "The file, as an attachment.", "headers": {
                            "Content-Disposition": {"schema": {"type": "string"}}, "X-Guatu-Count": {"schema": {"type": "string"}}},
                         "content": {"application/geo+json": {"schema": schema_ref("FeatureCollection")},
                                     **{m: {"schema": {"type": "string", "format": "binary"}} for m in EXPORT_MEDIA[1:]}}},
                        params=[LAYER, {"name": "format", "in": "query", "required": False,
                                        "schema": {"type": "string", "enum": ["geojson", "gpkg", "shp", "kml", "xlsx"]}},
                                filter_param("status", "status"), filter_param("street", "sub-district (街道)"),
                                filter_param("community", "community (社区)"), filter_param("kind", "kind")],
                        errors={**READ_ERRORS, "404": response_ref("NotFound"), "400": response_ref("BadRequest")},
                        tags=["exchange"])

# POST /api/layers/{layer_id}/imports
IMPORT = {
     "summary": "Upload a file to import into a layer (editor): the preview report, to commit afterwards",
     "tags": ["exchange"], "security": WRITE_SECURITY, "parameters": [LAYER],
     "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
         "type": "object", "required": ["file"],
         "properties": {"file": {"type": "string", "format": "binary"}, "encoding": {"type": "string"},
                        "gcj02": {"type": "string"}, "repair": {"type": "string"}}}}}},
     "responses": {"201": json_response({"type": "object", "required": ["id", "commit"]}, "The preview, with its id."),
                   **WRITE_ERRORS},
 }

# POST /api/imports
IMPORT_NEW_LAYER = {
     "summary": "Upload a file to import into a new layer (administrator): the preview report; the layer is made "
                "when the import is committed",
     "tags": ["exchange"], "security": WRITE_SECURITY,
     "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
         "type": "object", "required": ["file", "new_layer_id", "new_layer_title"],
         "properties": {"file": {"type": "string", "format": "binary"},
                        "new_layer_id": {"type": "string", "description": "lower-case letters, digits and _"},
                        "new_layer_title": {"type": "string"},
                        "new_layer_kinds": {"type": "string", "description": "kinds separated by 、 or commas"},
                        "encoding": {"type": "string"}, "gcj02": {"type": "string"}, "repair": {"type": "string"}}}}}},
     "responses": {"201": json_response({"type": "object", "required": ["id", "commit", "new_layer"]},
                                        "The preview, with its id and the layer it makes."),
                   **WRITE_ERRORS},
 }

# POST /api/imports/{pid}/commit
IMPORT_COMMIT = {
            "summary": "Apply a previewed import (editor)", "tags": ["exchange"], "security": WRITE_SECURITY,
            "parameters": [{"name": "pid", "in": "path", "required": True, "schema": {"type": "string"}}],
            "requestBody": {"required": False, "content": {"application/x-www-form-urlencoded": {"schema": {
                "type": "object", "properties": {
                    "skip_rejected": {"type": "string"},
                    "drop": {"type": "array", "items": {"type": "string"},
                             "description": "Columns of the preview's `nested` list to leave out (repeat the field); "
                                            "the others are imported as text."}}}}}},
            "responses": {"200": json_response({"type": "object"}, "What was written."), "409": response_ref("Conflict"),
                          **WRITE_ERRORS},
        }
