"""The OpenAPI operations of the photo routes under /api (web/photos/api.py).

One named entry per route, named by the route's declaration; web/api/openapi.py's `document()` gathers
them into /api/openapi.json, with the schemas `Photo`, `PhotoUpload`, `PhotoAdded` and `PhotoList`. The
images (`/photos/<sha256>/<variant>.jpg`) are outside /api: each entry's `urls` names them.
"""

from __future__ import annotations

from web.core.openapi_parts import (
    FID,
    IF_MATCH,
    LAYER,
    PID,
    READ_ERRORS,
    VERSION_ERRORS,
    WRITE_ERRORS,
    WRITE_SECURITY,
    json_response,
    query_param,
    read_operation,
    response_ref,
    schema_ref,
)

_TAGS = ["photos"]
PHOTO_ID = {"name": "photo_id", "in": "path", "required": True, "description": "The photo's id (SHA-256, hex).",
            "schema": {"type": "string", "pattern": "^[0-9a-f]{64}$"}}
_ROLE = {"name": "role", "in": "query", "required": False, "description": "Only photos of this role.",
         "schema": {"type": "string", "enum": ["place", "before", "after", "check", "inspection"]}}
_UPLOAD_BODY = {"required": True, "content": {"multipart/form-data": {"schema": schema_ref("PhotoUpload")}}}
_ADDED = {
    "201": json_response(schema_ref("PhotoAdded"), "Added: the photo and the place's new version.",
                         headers={"Location": {"schema": {"type": "string"}, "description": "The full image."}}),
    "200": json_response(schema_ref("PhotoAdded"), "The place already had this image (or this client_id): the "
                                                   "entry it has, nothing added."),
}

# GET /api/layers/{layer_id}/features/{fid}/photos
LIST_PHOTOS = read_operation(
    "A place's photos, newest first, with the URLs of their images",
    json_response(schema_ref("PhotoList"), "Its photos."),
    params=[LAYER, FID, query_param("problem", "Only the photos of this ledger problem."), _ROLE],
    errors={**READ_ERRORS, "400": response_ref("BadRequest"), "404": response_ref("NotFound")}, tags=_TAGS)

# POST /api/layers/{layer_id}/features/{fid}/photos
UPLOAD_PHOTO = {
    "summary": "Add a photo to a place (inspector or editor in scope): multipart/form-data with the image in `file`",
    "description": "JPEG, PNG, WebP or HEIC up to GUATU_PHOTO_MAX_MB (a larger body: 413 before it is read); an "
                   "image that cannot be decoded, is truncated or is a decompression bomb: 4xx, nothing stored. "
                   "A journaled change of the place's `photos`. The same image or client_id again: 200 with the "
                   "entry there is.",
    "tags": _TAGS, "security": WRITE_SECURITY, "parameters": [LAYER, FID],
    "requestBody": _UPLOAD_BODY,
    "responses": {**_ADDED, **WRITE_ERRORS},
}

# POST /api/layers/{layer_id}/features/{fid}/problems/{pid}/photos
UPLOAD_PROBLEM_PHOTO = {
    "summary": "Add a photo to a ledger problem (inspector or editor in scope): before 整改前, after 整改后 or check 核查",
    "description": "By an inspector or editor whose scope covers the place, or by the problem's case handler or a "
                   "possible verifier (who may add its evidence outside their scope); anyone else: 403 naming "
                   "their scope.",
    "tags": _TAGS, "security": WRITE_SECURITY, "parameters": [LAYER, FID, PID],
    "requestBody": _UPLOAD_BODY,
    "responses": {**_ADDED, **WRITE_ERRORS},
}

# DELETE /api/layers/{layer_id}/features/{fid}/photos/{photo_id}
DELETE_PHOTO = {
    "summary": "Take a photo off a place (editor); If-Match, when sent, names the version the edit started from",
    "tags": _TAGS, "security": WRITE_SECURITY, "parameters": [LAYER, FID, PHOTO_ID, IF_MATCH],
    "responses": {"200": json_response({"type": "object", "required": ["feature"],
                                        "properties": {"feature": schema_ref("PlaceVersion")}},
                                       "Removed: the place's new version."),
                  **VERSION_ERRORS, **WRITE_ERRORS},
}
