"""The OpenAPI operations of the residents' routes under /api (web/residents/api.py), one named entry per route;
request validation (web/core/validation.py) checks their bodies and parameters against these."""

from __future__ import annotations

from web.core.openapi_parts import READ_ERRORS, WRITE_ERRORS, WRITE_SECURITY, json_response, read_operation, response_ref

_TAGS = ["residents"]
_TEXT_OR_NULL = {"type": ["string", "null"]}
_PHOTO_ID = {"type": "string", "pattern": "^[0-9a-f]{64}$"}
CODE = {"name": "code", "in": "path", "required": True, "description": "A report's receipt code (8 characters).",
        "schema": {"type": "string", "maxLength": 16}, "example": "K7Q2M9XD"}
_PUBLIC_ERRORS = {"400": response_ref("BadRequest"), "403": response_ref("Forbidden"), "404": response_ref("NotFound"),
                  "409": response_ref("Conflict"), "413": response_ref("TooLarge"), "415": response_ref("BadRequest"),
                  "422": response_ref("Invalid"), "429": {"description": "Too many reports from this address or phone "
                                                                         "(Retry-After)."},
                  "503": response_ref("Unavailable")}

PUBLIC_VIEW = {
    "type": "object", "required": ["code", "category", "state", "state_text"],
    "description": "What anyone holding the receipt code may see: never the phone, name, device or squad.",
    "properties": {
        "code": {"type": "string"}, "category": {"type": "string"}, "street": _TEXT_OR_NULL,
        "community": _TEXT_OR_NULL, "at": {"type": "string"}, "at_local": {"type": "string"},
        "state": {"type": "string", "enum": ["received", "accepted", "handling", "closed", "rejected"]},
        "state_text": {"type": "string", "description": "已收到,待受理 / 已受理 / 正在处置 / 已办结 / 未受理"},
        "reason": _TEXT_OR_NULL, "description": _TEXT_OR_NULL, "photos": {"type": "array", "items": _PHOTO_ID},
        "hidden": {"type": "boolean"}, "stage": _TEXT_OR_NULL, "stage_text": _TEXT_OR_NULL,
        "after_photo": {"type": ["string", "null"]}, "closed_at": _TEXT_OR_NULL,
        "rating": {"type": ["object", "null"]}, "may_rate": {"type": "boolean"},
    },
}
REPORT_BODY = {
    "type": "object", "required": ["lon", "lat", "category", "description", "challenge", "answer"],
    "properties": {
        "lon": {"type": "number"}, "lat": {"type": "number"},
        "category": {"type": "string", "description": "One of the campaign's problem categories."},
        "description": {"type": "string", "maxLength": 2000},
        "photos": {"type": "array", "maxItems": 10, "items": {"type": "string"},
                   "description": "Ids from POST /api/residents/photos."},
        "phone": _TEXT_OR_NULL, "name": _TEXT_OR_NULL, "address": _TEXT_OR_NULL, "squad": _TEXT_OR_NULL,
        "client_id": {"type": ["string", "null"], "maxLength": 64,
                      "description": "The sender's own id of this report: sent again, the same report answers."},
        "challenge": {"type": "string", "description": "From GET /api/residents/challenge."},
        "answer": {"type": "string", "description": "SHA-256(challenge + ':' + answer) starts with `bits` zero bits."},
    },
}
_STAFF_ROW = {"type": "object", "required": ["code", "state"], "description": "The report as kept, with its "
              "progress; the phone and name included (staff only)."}

# GET /api/residents/challenge
CHALLENGE = read_operation(
    "A proof-of-work challenge for the public reporting page (signed, expires in 30 minutes, used once)",
    json_response({"type": "object", "required": ["challenge", "bits", "expires"],
                   "properties": {"challenge": {"type": "string"}, "bits": {"type": "integer"},
                                  "expires": {"type": "string"}}}, "A challenge."),
    errors={"503": response_ref("Unavailable")}, tags=_TAGS)
CHALLENGE["security"] = []

# POST /api/residents/photos
PHOTO = {
    "summary": "Send one photo of a report (no account): multipart/form-data with the image in `file`",
    "description": "Kept re-encoded, without EXIF; counted per address and device. Its id goes in the report.",
    "tags": _TAGS, "security": [],
    "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
        "type": "object", "required": ["file"], "properties": {"file": {"type": "string", "format": "binary"}}}}}},
    "responses": {"201": json_response({"type": "object", "required": ["id"], "properties": {"id": _PHOTO_ID}},
                                       "Kept."), **_PUBLIC_ERRORS},
}

# POST /api/residents/reports
SUBMIT = {
    "summary": "Report a problem (随手拍, no account): a pin, a category, a description, photos; answered with the "
               "receipt code",
    "description": "Needs a paid challenge; counted per address and per device (header X-Guatu-Device).",
    "tags": _TAGS, "security": [],
    "requestBody": {"required": True, "content": {"application/json": {"schema": REPORT_BODY}}},
    "responses": {"201": json_response(PUBLIC_VIEW, "Kept: the receipt."), **_PUBLIC_ERRORS},
}

# GET /api/residents/receipts/{code}
RECEIPT = read_operation("What the reporter may see of a report, by its receipt code",
                         json_response(PUBLIC_VIEW, "The report's progress."), params=[CODE],
                         errors={"404": response_ref("NotFound"), "503": response_ref("Unavailable")}, tags=_TAGS)
RECEIPT["security"] = []

# POST /api/residents/receipts/{code}/rating
RATE = {
    "summary": "Rate the result of a closed report (满意 / 基本满意 / 不满意), once",
    "tags": _TAGS, "security": [], "parameters": [CODE],
    "requestBody": {"required": True, "content": {"application/json": {"schema": {
        "type": "object", "required": ["value"],
        "properties": {"value": {"type": "string", "enum": ["satisfied", "basic", "unsatisfied"]},
                       "comment": {"type": ["string", "null"], "maxLength": 500}}}}}},
    "responses": {"200": json_response(PUBLIC_VIEW, "Rated."), **_PUBLIC_ERRORS},
}

# GET /api/residents/reports
QUEUE = read_operation(
    "The triage queue: the reports of the reader's areas, those waiting first (inspector or above)",
    json_response({"type": "object", "required": ["reports", "count"],
                   "properties": {"reports": {"type": "array", "items": _STAFF_ROW}, "count": {"type": "integer"}}},
                  "The reports."),
    params=[{"name": "state", "in": "query", "required": False, "description": "Only reports in this state.",
             "schema": {"type": "string", "enum": ["received", "accepted", "merged", "rejected"]}}],
    errors={**READ_ERRORS, "400": response_ref("BadRequest")}, tags=_TAGS)

# GET /api/residents/reports/{code}/candidates
CANDIDATES = read_operation(
    "The open cases near a report's pin it may be merged into, nearest first",
    json_response({"type": "object", "required": ["cases"], "properties": {"cases": {"type": "array", "items": {
        "type": "object", "required": ["layer", "fid", "pid", "metres"]}}}}, "The cases."),
    params=[CODE], errors={**READ_ERRORS, "404": response_ref("NotFound")}, tags=_TAGS)

# POST /api/residents/reports/{code}/triage
TRIAGE = {
    "summary": "Triage a report: accept (a case on the place at the pin, or `layer`/`fid`), merge into an open case "
               "nearby (`layer`, `fid`, `pid`), reject with a `reason`, hide or show its text and photos",
    "tags": _TAGS, "security": WRITE_SECURITY, "parameters": [CODE],
    "requestBody": {"required": True, "content": {"application/json": {"schema": {
        "type": "object", "required": ["action"],
        "properties": {"action": {"type": "string", "enum": ["accept", "merge", "reject", "hide", "show"]},
                       "layer": _TEXT_OR_NULL, "fid": _TEXT_OR_NULL, "pid": _TEXT_OR_NULL,
                       "reason": {"type": ["string", "null"], "maxLength": 500}}}}}},
    "responses": {"200": json_response(_STAFF_ROW, "Done: the report as it is now."),
                  "409": response_ref("Conflict"), **WRITE_ERRORS},
}
