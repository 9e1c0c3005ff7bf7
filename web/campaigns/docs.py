"""The OpenAPI operation of `GET /api/campaigns` (web/campaigns/views.py); web/api/openapi.py's `document()`
gathers it into /api/openapi.json."""

from __future__ import annotations

from web.core.openapi_parts import READ_ERRORS, json_response

_ROW = {
    "type": "object", "required": ["index", "title"],
    "properties": {
        "index": {"type": "integer", "description": "0: this server's campaign; 1, 2, …: GUATU_CAMPAIGNS in order."},
        "title": {"type": "string"}, "district": {"type": "string"},
        "day": {"type": "string", "format": "date", "description": "Today in the campaign's time zone."},
        "total": {"type": "integer"}, "done": {"type": "integer"},
        "share_done": {"type": "number"}, "share_planned": {"type": "number", "description": "Today's plan."},
        "verdict": {"type": ["string", "null"], "enum": ["ahead", "on_track", "behind", None],
                    "description": "Against the plan; null without milestones."},
        "next": {"type": ["object", "null"], "description": "The next milestone: date, label, share_planned."},
        "estimate": {"type": "object", "description": "The estimated finish of the whole campaign (预计完成): "
                                                      "state, finish, days_late, text."},
        "error": {"type": "string", "description": "Why this campaign could not be read (then no figures)."},
    },
}
CAMPAIGNS = {"summary": "Every campaign on this server at a glance: share done and the plan's verdict",
             "description": "This server's campaign first, then each data directory of the GUATU_CAMPAIGNS "
                            "setting, read-only.",
             "tags": ["workflow"], "parameters": [],
             "responses": {"200": json_response({"type": "array", "items": _ROW}, "One entry per campaign."),
                           **READ_ERRORS}}
