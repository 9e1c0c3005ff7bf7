"""The dashboard's 群众满意度 panel: residents' reports and their satisfaction per sub-district and community, today
and in all (geo/residents/satisfaction.py), for the wall URL's scope.

A route of its own beside /api/wall/dashboard: reports and ratings are store records, not journaled changes, so
they move without the revision the dashboard's answer is cached by. Screens ask at most every minute and get a
304 while nothing changed (the ETag is the answer's digest).
"""

from __future__ import annotations

from flask import request

from geo.geojson_io import dumps
from geo.residents.satisfaction import satisfaction
from geo.wall.params import parse_view
from web.core.context import guatu
from web.core.http import make_cached, send_cached
from web.core.language import localized
from web.core.routes import VIEWER, Display
from web.wall import docs
from web.wall.blueprint import bp


@bp.get("/api/wall/satisfaction", role=VIEWER, display=Display.PINNED, doc=docs.SATISFACTION)
def satisfaction_panel():
    """Scoped like a wall URL: `?street=…&community=…` (other wall parameters are ignored)."""
    ctx = guatu()
    view = parse_view(request.args.to_dict(flat=False), ctx.campaign, ctx.areas, refresh=ctx.refresh_seconds)
    data = satisfaction(ctx.store, ctx.campaign, ctx.today(), ctx.now(), street=view.street, community=view.community)
    resp = send_cached(make_cached(dumps(localized(data))))
    resp.vary.add("Accept-Language")
    return resp
