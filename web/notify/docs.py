"""The OpenAPI operations of the notifications' routes under /api (web/notify/api.py), one named entry per route.

Channels and the delivery log are the admin's; `/api/notify/settings` is every logged-in account's own. The
schema `Scope` is web/api/openapi.py's.
"""

from __future__ import annotations

from geo.notify.channels import CHANNEL_TYPES
from geo.notify.events import EVENT_KINDS
from geo.notify.outbox import STATES
from web.core.openapi_parts import READ_ERRORS, WRITE_ERRORS, WRITE_SECURITY, json_response, read_operation, response_ref, schema_ref

_TAGS = ["notifications"]
_KINDS = {"type": "array", "items": {"type": "string", "enum": list(EVENT_KINDS)}}
_QUIET = {"type": ["object", "null"], "description": "Quiet hours in the campaign's time zone, HH:MM; may wrap "
                                                     "midnight (22:00 to 07:00). Urgent events pass.",
          "properties": {"start": {"type": "string"}, "end": {"type": "string"}}}
_TEXT_OR_NULL = {"type": ["string", "null"]}

CID = {"name": "cid", "in": "path", "required": True, "description": "A channel's id.", "schema": {"type": "string"},
       "example": "ch-1a2b3c4d"}
DID = {"name": "did", "in": "path", "required": True, "description": "A delivery's id (its idempotency key).",
       "schema": {"type": "string"}}

CHANNEL = {
    "type": "object", "required": ["id", "type", "name", "enabled", "kinds", "scope"],
    "properties": {
        "id": {"type": "string"}, "type": {"type": "string", "enum": list(CHANNEL_TYPES)},
        "name": {"type": "string"},
        "url": {"type": "string", "description": "The robot's or receiver's URL, its query values masked."},
        "emails": {"type": "array", "items": {"type": "string"}},
        "secret": {"type": "string", "description": "The secret masked: its first four characters and its length."},
        "scope": schema_ref("Scope"), "kinds": _KINDS, "quiet": _QUIET, "enabled": {"type": "boolean"},
        "created_at": {"type": "string"}, "updated_at": {"type": "string"},
    },
}
CHANNEL_BODY = {
    "type": "object", "additionalProperties": False,
    "properties": {
        "type": {"type": "string", "enum": list(CHANNEL_TYPES)}, "name": {"type": "string", "maxLength": 64},
        "url": {"type": "string", "maxLength": 2000,
                "description": "企业微信 / 钉钉: the robot's whole webhook URL; webhook: the receiver's URL."},
        "emails": {"oneOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string"}],
                   "description": "email: the addresses (a list, or one text separated by commas)."},
        "secret": {"type": "string", "maxLength": 200,
                   "description": "钉钉: the 加签 secret (SEC…); webhook: the HMAC key (made when none is given)."},
        "scope": schema_ref("Scope"), "kinds": _KINDS, "quiet": _QUIET, "enabled": {"type": "boolean"},
    },
}
ATTEMPT = {"type": "object", "properties": {"at": {"type": "string"}, "ok": {"type": "boolean"},
                                            "status": {"type": ["integer", "null"]}, "error": {"type": "string"}}}
DELIVERY = {
    "type": "object", "required": ["id", "event", "kind", "state", "attempts", "due_at"],
    "properties": {
        "id": {"type": "string"}, "event": {"type": "string"}, "kind": {"type": "string"}, "title": {"type": "string"},
        "type": {"type": "string", "enum": list(CHANNEL_TYPES)}, "channel": _TEXT_OR_NULL, "user": _TEXT_OR_NULL,
        "to": {"type": "array", "items": {"type": "string"}}, "label": {"type": "string"},
        "state": {"type": "string", "enum": list(STATES)}, "created_at": {"type": "string"},
        "due_at": {"type": "string"}, "tries": {"type": "integer"}, "attempts": {"type": "array", "items": ATTEMPT},
        "delivered_at": _TEXT_OR_NULL,
    },
}
SETTINGS = {
    "type": "object", "required": ["off", "email", "quiet"],
    "properties": {"off": {**_KINDS, "description": "Kinds this person does not want to hear of."},
                   "email": {"type": "boolean", "description": "Email copies to the account's address."},
                   "quiet": _QUIET, "address": {**_TEXT_OR_NULL, "description": "The account's email address."}},
}
SETTINGS_BODY = {
    "type": "object", "additionalProperties": False,
    "properties": {"off": _KINDS, "email": {"type": "boolean"}, "quiet": _QUIET,
                   "address": {**_TEXT_OR_NULL, "description": "The account's email address; empty removes it."}},
}


def _write(summary: str, body: dict | None, ok: dict, *, params: list | None = None, status: str = "200",
           description: str = "", errors: dict | None = None) -> dict:
    op = {"summary": summary, "tags": _TAGS, "security": WRITE_SECURITY, "parameters": params or [],
          "responses": {status: ok, **WRITE_ERRORS, **(errors or {})}}
    if description:
        op["description"] = description
    if body is not None:
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
    return op


# GET /api/notify/channels
LIST_CHANNELS = read_operation(
    "Every group channel (企业微信 / 钉钉 robots, webhooks, email lists), secrets masked (admin)",
    json_response({"type": "object", "required": ["channels"],
                   "properties": {"channels": {"type": "array", "items": CHANNEL}}}, "The channels, by id."),
    tags=_TAGS)

# POST /api/notify/channels
ADD_CHANNEL = _write(
    "Add a group channel (admin)", {**CHANNEL_BODY, "required": ["type", "name"]},
    json_response(CHANNEL, "Added: the channel as stored, secrets masked."), status="201",
    description="A bad field is a 422 naming it; nothing is kept then. `kinds` absent: every kind; `scope` "
                "absent or empty: the whole district.")

# PUT /api/notify/channels/{cid}
SET_CHANNEL = _write(
    "Change a group channel (admin)", CHANNEL_BODY, json_response(CHANNEL, "Saved: the channel as stored."),
    params=[CID], description="Fields left out keep their value; a secret left out or empty keeps the one stored.")

# POST /api/notify/channels/{cid}/test
TEST_CHANNEL = _write(
    "Send a test message through a channel now (admin)", None,
    json_response({"type": "object", "required": ["ok"],
                   "properties": {"ok": {"type": "boolean"}, "status": {"type": ["integer", "null"]},
                                  "error": {"type": "string"}}},
                  "The attempt's outcome; `error` says in Chinese what went wrong."), params=[CID])

# GET /api/notify/deliveries
DELIVERIES = read_operation(
    "The delivery log: deliveries still to make, failed ones, and the newest delivered, each with every attempt "
    "(admin)",
    json_response({"type": "object", "required": ["deliveries", "damaged"],
                   "properties": {"deliveries": {"type": "array", "items": DELIVERY},
                                  "damaged": {"type": "array", "items": schema_ref("Finding"),
                                              "description": "Deliveries not as Guatu writes them (edited by hand, a "
                                                             "bad restore) in the outbox or the newest delivered, "
                                                             "whatever `state` asks for: left out of `deliveries`, "
                                                             "each named with why; one still to send is not sent "
                                                             "until put right (`store check` names them all)."}}},
                  "Newest event first."),
    params=[{"name": "state", "in": "query", "required": False, "description": "Only deliveries in this state.",
             "schema": {"type": "string", "enum": list(STATES)}}],
    errors={**READ_ERRORS, "400": response_ref("BadRequest")}, tags=_TAGS)

# POST /api/notify/deliveries/{did}/retry
RETRY = _write(
    "Send a failed delivery again (admin)", None, json_response(DELIVERY, "Due now, with a fresh count of attempts."),
    params=[DID], description="Only a failed delivery: a delivered one or one still retrying itself is a 409.",
    errors={"409": response_ref("Conflict")})

# GET /api/notify/settings
GET_SETTINGS = read_operation(
    "My notification settings: kinds turned off, email copies, quiet hours, my email address",
    json_response(SETTINGS, "This account's settings."), tags=_TAGS)

# PUT /api/notify/settings
SET_SETTINGS = _write(
    "Change my notification settings (and my email address)", SETTINGS_BODY, json_response(SETTINGS, "Saved."),
    description="Email copies need an address on the account: a 422 otherwise.")
