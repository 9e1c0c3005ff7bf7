"""一点一档 over HTTP: `GET /places/<layer>/<fid>.pdf`, one place's dossier as an A4 PDF.

The view only hands the place to `geo.printing.dossier.render_dossier`; an
unknown layer or place is a 404 problem document.
"""

from __future__ import annotations

from flask import Response

from web.core.context import guatu
from web.core.routes import VIEWER
from web.printing.blueprint import bp


@bp.get("/places/<layer_id>/<fid>.pdf", role=VIEWER)
def place_dossier(layer_id: str, fid: str):
    """The place's dossier (一点一档): map inset, attributes, 四包一, ledger and photos; see README.md."""
    from geo.printing.dossier import render_dossier  # matplotlib is loaded by the first print, not in every worker

    ctx = guatu()
    dossier = render_dossier(ctx.store, ctx.campaign, ctx.data_dir, layer_id, fid, ctx.now())
    resp = Response(dossier.data, mimetype="application/pdf")
    resp.headers["Content-Disposition"] = f'inline; filename="{dossier.filename}"'
    resp.headers["Cache-Control"] = "no-store"
    return resp
