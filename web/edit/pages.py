"""The planners' pages: the map editor (`/edit`) and a place's history (`/places/...`)."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for

from geo.cases import STAGES, stage_label
from geo.config import Layer
from geo.errors import GuatuError
from geo.history import readable_history, revert_op, revert_preview
from geo.ledger import explain_rule
from geo.messages import t
from geo.viewport import viewport_layers
from web.access.auth import acting_scope, acting_user, csrf_token, principal
from web.api.writes import MAX_BATCH
from web.core.context import guatu
from web.core.http import static_url
from web.core.language import localized
from web.core.photo_links import readable_with_urls, url_template
from web.core.problem_banner import banner_options
from web.core.routes import EDITOR, VIEWER
from web.core.security import add_nonce
from web.edit.blueprint import bp
from web.inbox.bell import bell as inbox_bell
from web.wall import tiles
from web.wall.map_page import editor_html
from web.workflow.inspections import workflow_links


@bp.get("/edit", role=EDITOR)
def editor():
    ctx = guatu()
    c = ctx.campaign
    readable = ctx.store.readable_layers()  # a layer whose file is damaged is withheld: the others stay editable
    options = {
        "title": c.title,
        "user": principal().label,
        "scope": principal().scope.to_dict(),  # places outside it are shown read-only (editor/form.js)
        "csrfToken": csrf_token(),
        "statuses": [{"key": s.key, "label": s.label, "color": s.color, "done": s.done, "hatch": s.hatch} for s in c.statuses],
        "problemStatuses": [{"key": p.key, "label": p.label, "open": p.open} for p in c.problem_statuses],
        "categories": list(c.categories),
        "roles": [{"key": r.key, "label": r.label} for r in c.roles],
        "layers": [{"id": x.id, "title": x.title, "kinds": list(x.kinds), "geometryTypes": list(x.geometry_types)}
                   for x in readable],
        "withheld": [x.title for x in ctx.store.withheld_layers()],
        # layers with more places than map.viewport_above, drawn a view at a time (editor/large-layer.js), with
        # the extent the editor opens on: the readable places', as the wall's first page fits them (kept per shapes
        # revision from a worker's warm-up: a million places are a walk of seconds)
        "large": _large_layers(readable),
        "tilesFrom": c.map.vector_tiles_from,  # a large layer from vector tiles from this zoom on (the wall's setting)
        "bulkLimit": MAX_BATCH,  # places in one bulk status change (the API refuses more)
        "boundaries": [b.level for b in c.boundaries],
        "ruleExplanation": explain_rule(c),
        "caseStages": {key: stage_label(key) for key in STAGES},  # the ledger shows each problem's case stage
        "serverNow": ctx.now().isoformat(),  # the campaign's clock: a case is overdue by it, not by the desk's
        "links": [
            {"href": url_for("edit.import_page"), "label": t("page.import.title")},
            {"href": url_for("edit.export_page"), "label": t("page.export.title")},
            {"href": url_for("wall.wall_map"), "label": t("page.nav.wall")},
            *workflow_links(),
        ],
        "api": {
            "state": url_for("wall.state"),
            "playback": url_for("wall.playback_data"),  # a large layer's statuses on a past day
            "shapes": url_for("wall.shapes", layer_id="__layer__"),
            "tiles": tiles.url_template(),  # a large layer's vector tiles (editor/large-layer.js)
            "boundaries": url_for("api.boundaries", level="__level__"),
            "features": url_for("api.features", layer_id="__layer__"),
            "search": url_for("api.search", layer_id="__layer__"),  # a large layer's places found by name
            "locate": url_for("api.locate_point"),
            "history": url_for("edit.place_history", layer_id="__layer__", fid="__id__"),
            "dossier": url_for("printing.place_dossier", layer_id="__layer__", fid="__id__"),
            "basemaps": url_for("wall.basemap_list"),
            "photo": url_template(),
            "casePage": request.script_root + "/cases/__layer__/__id__/__pid__",  # a problem's case (web/cases)
        },
        "timezone": c.timezone.key,
        "inbox": inbox_bell(),  # the bell (web/inbox/bell.py)
        "banner": banner_options("map"),  # web/core/problem_banner.py
    }
    resp = Response(add_nonce(editor_html(c, static_url, options)), mimetype="text/html")
    resp.headers["Cache-Control"] = "no-store"
    return resp


def _large_layers(readable: list[Layer]) -> dict[str, list[float] | None]:
    """Layer id → the extent the editor opens on, for each readable layer drawn a view at a time."""
    ctx = guatu()
    large = viewport_layers(ctx.store, readable)
    return dict.fromkeys(large, ctx.wall.extent(tuple(x.id for x in readable))) if large else {}


@bp.get("/places/<layer_id>/<fid>/history", role=VIEWER)
def place_history(layer_id: str, fid: str):
    ctx = guatu()
    try:
        entries = readable_with_urls(readable_history(ctx.store, layer_id, fid))
        current = ctx.store.get(layer_id, fid)
    except GuatuError as exc:
        abort(exc.http_status, exc.message)
    can_edit = principal().can("editor")
    return render_template("history.html", layer=ctx.store.layer(layer_id), feature=current,
                           entries=list(reversed(entries)), can_edit=can_edit)


@bp.get("/places/<layer_id>/<fid>/revert/<int:to_version>", role=EDITOR)
def revert_confirm(layer_id: str, fid: str, to_version: int):
    """What reverting to `to_version` will do, in words, and the button that does it (naming today's version)."""
    ctx = guatu()
    try:
        preview = revert_preview(ctx.store, layer_id, fid, to_version)
        current = ctx.store.get(layer_id, fid)
    except GuatuError as exc:
        abort(exc.http_status, exc.message)
    resp = Response(render_template("history_revert.html", layer=ctx.store.layer(layer_id), feature=current,
                                    preview=preview))
    resp.headers["Cache-Control"] = "no-store"
    return resp


@bp.post("/places/<layer_id>/<fid>/revert", role=EDITOR)
def revert_place(layer_id: str, fid: str):
    ctx = guatu()
    try:
        op = revert_op(ctx.store, layer_id, fid, int(request.form["to_version"]), int(request.form["version"]))
        ctx.store.apply([op], user=acting_user(), scope=acting_scope())
        flash(localized(t("history.reverted", version=request.form["to_version"])), "ok")
    except (KeyError, ValueError):
        flash(localized(t("request.incomplete")), "error")
    except GuatuError as exc:
        flash(localized(exc.message), "error")
    return redirect(url_for("edit.place_history", layer_id=layer_id, fid=fid))
