"""The OpenAPI operations of the case routes under /api (web/cases/api.py), one named entry per route.

web/api/openapi.py's `document()` gathers them into /api/openapi.json; the schemas a case answer has are
written here, beside the operations that answer them, and request validation (web/core/validation.py)
checks the queries and the action body against them.
"""

from __future__ import annotations

from geo.cases import model, queues
from web.core.openapi_parts import (
    FEATURE_ETAG,
    FID,
    IF_MATCH,
    LAYER,
    PID,
    READ_ERRORS,
    VERSION_ERRORS,
    WRITE_ERRORS,
    WRITE_SECURITY,
    json_response,
    read_operation,
    response_ref,
    schema_ref,
)
from web.core.withheld import SCHEMA as WITHHELD

_TAGS = ["cases"]
QUEUES = list(queues.QUEUES)
ACTIONS = list(model.ACTIONS)
STAGES = list(model.STAGES)



def _query(name: str, description: str, schema: dict | None = None) -> dict:
    return {"name": name, "in": "query", "required": False, "schema": schema or {"type": "string"},
            "description": description}


_YES_NO = {"type": "string", "enum": ["true", "false", "1", "0"]}
_TEXT_OR_NULL = {"type": ["string", "null"]}
_ALLOWED = {"type": "array", "description": "The actions this user may take now, with their labels.",
            "items": {"type": "object", "required": ["action", "label"],
                      "properties": {"action": {"type": "string", "enum": ACTIONS}, "label": {"type": "string"}}}}
_PLACE_VERSION = {"type": "object", "required": ["id", "version"],
                  "properties": {"id": {"type": "string"}, "version": {"type": "integer"}}}

CASE_ROW = {
    "type": "object",
    "description": "A case as a queue lists it (geo/cases/queues.py): its place, problem, stage and deadline.",
    "required": ["layer", "fid", "pid", "stage", "stage_label"],
    "properties": {
        "layer": {"type": "string"}, "fid": {"type": "string"}, "pid": {"type": "string"},
        "place": {"type": "string"}, "street": _TEXT_OR_NULL, "community": _TEXT_OR_NULL,
        "place_unit": _TEXT_OR_NULL, "category": _TEXT_OR_NULL, "description": _TEXT_OR_NULL,
        "stage": {"type": "string", "enum": STAGES}, "stage_label": {"type": "string"},
        "urgency": {"type": "string"}, "urgency_label": {"type": "string"},
        "source": {"type": "string"}, "unit": _TEXT_OR_NULL, "handler": _TEXT_OR_NULL, "dispatcher": _TEXT_OR_NULL,
        "stage_since": _TEXT_OR_NULL, "stage_due": {**_TEXT_OR_NULL, "description": "ISO UTC"},
        "due_local": {**_TEXT_OR_NULL, "description": "The due time in the campaign's time zone, YYYY-MM-DD HH:MM."},
        "overdue": {"type": "boolean"}, "overdue_hours": {"type": ["number", "null"]},
        "overnight": {"type": "boolean"}, "level": {"type": "string", "enum": ["community", "street", "district"]},
        "escalated": {"type": "boolean"}, "returns": {"type": "integer"}, "extension_pending": {"type": "boolean"},
        "version": {"type": "integer", "description": "The place's version."},
    },
}
_TIMELINE_ENTRY = {
    "type": "object", "required": ["action", "at"],
    "properties": {"action": {"type": "string"}, "action_label": {"type": "string"},
                   "from": _TEXT_OR_NULL, "to": _TEXT_OR_NULL, "user": _TEXT_OR_NULL, "by": _TEXT_OR_NULL,
                   "at": {"type": "string"}, "at_local": {"type": "string"}, "note": {"type": "string"},
                   "photos": {"type": "array", "items": schema_ref("Photo")}, "data": {"type": "object"}},
}
CASE_LIST = {
    "type": "object", "required": ["cases", "count", "counts", "withheld"],
    "properties": {
        "withheld": WITHHELD,
        "cases": {"type": "array", "items": CASE_ROW, "description": "A page of the cases, most urgent first."},
        "count": {"type": "integer", "description": "How many cases the query has, all pages."},
        "counts": {"type": "object", "description": "How many cases each of the reader's queues holds.",
                   "properties": {q: {"type": "integer"} for q in QUEUES}},
    },
}
CASE_ANSWER = {
    "type": "object", "required": ["case", "allowed", "feature"],
    "properties": {
        "case": {**CASE_ROW, "description": "The case's row with its timeline and its problem's photos.",
                 "properties": {**CASE_ROW["properties"],
                                "timeline": {"type": "array", "items": _TIMELINE_ENTRY},
                                "photos": {"type": "array", "items": schema_ref("Photo")}}},
        "allowed": _ALLOWED,
        "feature": _PLACE_VERSION,
    },
}
ACTION_BODY = {
    "type": "object", "required": ["action"],
    "properties": {
        "action": {"type": "string", "enum": ACTIONS, "description": "What to do (see the table in the README)."},
        "note": {"type": "string", "maxLength": 2000, "description": "The reason or what was done."},
        "photos": {"type": "array", "maxItems": 20, "items": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                   "description": "Ids of this problem's photos (uploaded first under the problem)."},
        "unit": {"type": ["string", "null"], "maxLength": 200}, "handler": {"type": ["string", "null"], "maxLength": 200},
        "deadline": {"type": ["string", "null"], "description": "The handling due date or time (campaign-local)."},
        "urgency": {"type": ["string", "null"]},
        "until": {"type": ["string", "null"], "description": "An extension's new due date or time."},
        "version": {"type": "integer", "description": "The place's version, when If-Match is not sent."},
    },
}

# GET /api/cases
LIST_CASES = read_operation(
    "Cases, most urgent first: a queue of the reader's (待我处理 handle, 待我核查 verify, 我派遣的 dispatched, "
    "待派遣 dispatch) or all, filtered",
    json_response(CASE_LIST, "A page of the cases and the reader's queue counts."),
    params=[_query("queue", "One of the reader's queues; absent: every case.", {"type": "string", "enum": QUEUES}),
            _query("stage", "Only cases in this stage.", {"type": "string", "enum": STAGES}),
            _query("street", "Only cases of places in this sub-district."),
            _query("community", "Only cases of places in this community."),
            _query("unit", "Only cases assigned to this unit."),
            _query("overdue", "true: only cases whose stage is overdue.", _YES_NO),
            _query("escalated", "true: only escalated cases.", _YES_NO),
            _query("limit", "At most this many cases (1–500, default 100).", {"type": "string", "pattern": "^[0-9]+$"}),
            _query("offset", "Skip this many first (default 0).", {"type": "string", "pattern": "^[0-9]+$"})],
    errors={**READ_ERRORS, "400": response_ref("BadRequest")}, tags=_TAGS)

# GET /api/cases/{layer_id}/{fid}/{pid}
GET_CASE = read_operation(
    "One case: its row, timeline and photos, the actions the reader may take, the place's version (ETag)",
    json_response(CASE_ANSWER, "The case.", headers=FEATURE_ETAG),
    params=[LAYER, FID, PID], errors={**READ_ERRORS, "404": response_ref("NotFound")}, tags=_TAGS)

# POST /api/cases/{layer_id}/{fid}/{pid}/actions
CASE_ACTION = {
    "summary": "Take an action on a case (派遣, 处置完成, 核查通过, 退回, 延期, 挂起 …) with If-Match or `version`",
    "description": "An action not allowed from the case's stage is a 409, one this user may not take a 403; "
                   "both list the actions that are allowed (`allowed`). A stale version is a 409, none a 428; a "
                   "missing note, photo or unit a 422 naming the field.",
    "tags": _TAGS, "security": WRITE_SECURITY, "parameters": [LAYER, FID, PID, IF_MATCH],
    "requestBody": {"required": True, "content": {"application/json": {"schema": ACTION_BODY}}},
    "responses": {"200": json_response(CASE_ANSWER, "Done: the case as it is now.", headers=FEATURE_ETAG),
                  **VERSION_ERRORS, **WRITE_ERRORS},
}
