"""The OpenAPI operations of the inbox's /api routes (web/inbox/views.py); web/api/openapi.py's `document()`
gathers them into /api/openapi.json."""

from __future__ import annotations

from web.core.openapi_parts import (
    READ_ERRORS,
    WRITE_ERRORS,
    WRITE_SECURITY,
    json_response,
    read_operation,
    response_ref,
)

_TAGS = ["notifications"]
_NUMBER = {"type": "string", "pattern": "^[0-9]+$"}
_ITEM = {
    "type": "object", "required": ["id", "kind", "title", "text", "link", "at", "read"],
    "properties": {
        "id": {"type": "string", "description": "The event's id: the same event is one notification."},
        "kind": {"type": "string", "description": "case_assigned, case_due_soon, case_overdue, case_escalated, "
                                                  "case_returned, inspection_drawn, relapse, report_arrived, "
                                                  "digest or daily_report."},
        "title": {"type": "string"}, "text": {"type": "string", "description": "Plain text, Chinese."},
        "link": {"type": "string", "description": "A path in this app: the case, the list, the report."},
        "event_at": {"type": "string", "format": "date-time", "description": "When it happened (UTC)."},
        "at": {"type": "string", "format": "date-time", "description": "When it arrived in the inbox (UTC)."},
        "at_local": {"type": "string", "description": "`at` in the campaign's time zone, YYYY-MM-DD HH:MM."},
        "read": {"type": "boolean"},
    },
}
_PAGE = {"type": "object", "required": ["unread", "total", "items"],
         "properties": {"unread": {"type": "integer"}, "total": {"type": "integer", "description": "How many "
                                                                 "the list holds (unread ones with unread=true)."},
                        "items": {"type": "array", "items": _ITEM}}}


def _query(name: str, description: str, schema: dict) -> dict:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


LIST = read_operation(
    "The reader's notifications (站内通知), newest first",
    json_response(_PAGE, "A page of the reader's inbox and the unread count."),
    params=[_query("limit", "At most this many (1–500, default 100).", _NUMBER),
            _query("offset", "Skip this many first (default 0).", _NUMBER),
            _query("unread", "true: only the unread ones.", {"type": "string", "enum": ["true", "false", "1", "0"]})],
    errors={**READ_ERRORS, "400": response_ref("BadRequest")}, tags=_TAGS)
COUNT = read_operation(
    "How many of the reader's notifications are unread: the bell's poll (one small read)",
    json_response({"type": "object", "required": ["unread"], "properties": {"unread": {"type": "integer"}}},
                  "The unread count."),
    tags=_TAGS)
READ = {
    "summary": "Mark notifications read: some by id, or all of them",
    "description": "Exactly one of `ids` and `all`. An id the reader's inbox does not hold is a 404 and nothing is "
                   "marked; marking a read one again changes nothing.",
    "tags": _TAGS, "security": WRITE_SECURITY, "parameters": [],
    "requestBody": {"required": True, "content": {"application/json": {"schema": {
        "type": "object", "additionalProperties": False,
        "properties": {"ids": {"type": "array", "maxItems": 500, "items": {"type": "string", "maxLength": 64}},
                       "all": {"type": "boolean", "enum": [True]}}}}}},
    "responses": {"200": json_response({"type": "object", "required": ["changed", "unread"],
                                        "properties": {"changed": {"type": "integer"}, "unread": {"type": "integer"}}},
                                       "Done: how many changed and how many are still unread."),
                  **WRITE_ERRORS},
}
