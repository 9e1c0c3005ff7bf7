"""The campaigns index: this server's campaign and the other campaigns of GUATU_CAMPAIGNS (thin: geo/campaigns.py).

    GET /campaigns          the index page: each campaign's share done, the plan's verdict, the estimated finish
    GET /api/campaigns      the same as JSON
"""

from __future__ import annotations

from flask import current_app, jsonify, render_template

from geo.campaigns import summary
from web.campaigns import docs
from web.campaigns.blueprint import EXTENSION, bp
from web.core.context import guatu
from web.core.routes import VIEWER


def _rows() -> list[dict]:
    ctx = guatu()
    now = ctx.now()
    kept = ctx.progress.get(ctx.wall.key(now).revision, now)  # this campaign's, kept between revisions
    own = {"index": 0, **summary(ctx.store, ctx.campaign, now, kept)}
    return [own, *current_app.extensions[EXTENSION].summaries(now)]


@bp.get("/campaigns", role=VIEWER)
def campaigns_page():
    return render_template("campaigns.html", rows=_rows())


@bp.get("/api/campaigns", role=VIEWER, doc=docs.CAMPAIGNS)
def campaigns_api():
    return jsonify(_rows())
