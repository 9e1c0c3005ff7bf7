"""The day's list for the field page (thin: geo/field.py), cached by the page's service worker.

    GET /api/field/<date>    the list with shapes, versions and the form's choices (editor)
"""

from __future__ import annotations

from flask import jsonify

from geo import inspections as insp
from geo.field import field_list
from web.core.context import guatu
from web.core.routes import INSPECTOR
from web.field import docs
from web.field.blueprint import bp


@bp.get("/api/field/<day>", role=INSPECTOR, doc=docs.FIELD_LIST)
def field_api(day: str):
    ctx = guatu()
    when = insp.check_day(day)
    resp = jsonify(field_list(ctx.store, ctx.campaign, insp.load(ctx.store, when), when))
    resp.headers["Cache-Control"] = "no-cache"  # always asked again; the service worker keeps a copy for offline
    return resp
