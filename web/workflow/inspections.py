"""Daily random inspections over HTTP: the `/inspections` page and its JSON API (thin: rules in geo/inspections.py).

    GET  /inspections[?date=…]                 the day's list, a form per place, a printable route sheet
    GET  /inspections/<date>/route.pdf|png     the route map: the campaign's printed map, the places numbered and
                                               joined by the route from its start
    POST /inspections/<date>                   draw the day's list (form: count, seed, replace)
    POST /inspections/<date>/<place id>        record a result (form)
    GET  /api/inspections/<date>               the stored list with the route sheet's details
    POST /api/inspections/<date>               {"count": 10, "seed": 42, "replace": false}
    POST /api/inspections/<date>/<place id>    {"result": "ok|problem|relapse", "notes", "category", "deadline", "layer",
                                                "client_id", "seen_version"}
    GET  /api/wall/inspections[?date=…]        the day's list as a wall screen shows it (display tokens too)
"""

from __future__ import annotations

from urllib.parse import quote

from flask import Response, flash, jsonify, redirect, render_template, request, url_for

from geo import inspections as insp
from geo.basemaps.crs import display_crs
from geo.errors import FieldError, GuatuError, NotFound, ValidationError
from geo.geojson_io import dumps
from geo.messages import t
from geo.printing.layout import MIMETYPES, PrintOptions
from web.access.auth import acting_scope, acting_user, principal
from web.campaigns.nav import campaigns_link
from web.core.context import guatu
from web.core.http import json_body, make_cached, send_cached, yes_no
from web.core.language import localized
from web.core.routes import EDITOR, INSPECTOR, VIEWER, Display
from web.workflow import docs
from web.workflow.blueprint import bp

# A wall screen's display token may read the day's list as the wall shows it (places and results,
# never the inspectors' names or notes); the lists themselves need an editor.


def _int(value, name: str) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        raise ValidationError([FieldError(name, t("inspections.whole_number"))])
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValidationError([FieldError(name, t("inspections.whole_number"))]) from None


def _listing(day: str) -> dict:
    ctx = guatu()
    listing = insp.load(ctx.store, insp.check_day(day))
    if listing is None:
        raise NotFound(t("inspections.no_list", day=day))
    return {**listing, "places": insp.route_sheet(ctx.store, ctx.campaign, listing),
            "generated_at_local": insp.local_time(listing["generated_at"], ctx.campaign)}


def _generate(day: str, values: dict) -> dict:
    ctx = guatu()
    return insp.generate(ctx.store, ctx.campaign, insp.check_day(day), n=_int(values.get("count"), "count"),
                         seed=_int(values.get("seed"), "seed"), user=acting_user(),
                         replace=yes_no(values, "replace", parameter=False))


def _record(day: str, fid: str, values: dict) -> tuple[dict, bool]:
    ctx = guatu()
    return insp.record_once(ctx.store, ctx.campaign, insp.check_day(day), fid, result=values.get("result") or "",
                            user=acting_user(), username=principal().username, scope=acting_scope(),
                            notes=values.get("notes") or "",
                            category=values.get("category") or None, deadline=values.get("deadline") or None,
                            layer=values.get("layer") or None, fixed=yes_no(values, "fixed", parameter=False),
                            client_id=values.get("client_id") or None, seen_version=values.get("seen_version"))


def recorded_answer(row: dict) -> dict:
    """A recorded row as the API answers it: with the local time and, when the place changed after the
    inspector's list was loaded, the notice they and the planner read."""
    ctx = guatu()
    result = row["result"]
    return {**row, "result": {**result, "at_local": insp.local_time(result["at"], ctx.campaign),
                              "changed_notice": insp.changed_meanwhile_notice(result, ctx.campaign)}}


# --- pages ---------------------------------------------------------------------

@bp.get("/inspections", role=INSPECTOR)
def inspections_page():
    ctx = guatu()
    day = request.args.get("date") or guatu().today().isoformat()
    insp.check_day(day)
    try:
        listing = _listing(day)
    except NotFound:
        listing = None
    return render_template("inspections.html", day=day, listing=listing, results=insp.RESULTS,
                           categories=ctx.campaign.categories, default_count=ctx.campaign.inspections.count,
                           statuses={s.key: s.label for s in ctx.campaign.statuses}, days=insp.days(ctx.store)[:30],
                           source=ctx.campaign.inspections.source or ctx.campaign.inspection_sources[0],
                           can_draw=principal().can(EDITOR))  # drawing the list stays an editor's job


@bp.post("/inspections/<day>", role=EDITOR)
def draw_inspections_form(day: str):
    try:
        listing = _generate(day, request.form)
        flash(localized(t("inspections.drawn", day=day, count=len(listing["places"]), seed=listing["seed"])), "ok")
    except GuatuError as exc:
        flash(localized(exc.message), "error")
    return redirect(url_for("workflow.inspections_page", date=day))


@bp.post("/inspections/<day>/<fid>", role=INSPECTOR)
def record_inspection_form(day: str, fid: str):
    try:
        row, _ = _record(day, fid, request.form)
        flash(localized(t("inspections.recorded", name=row["name"], result=row["result"]["label"])), "ok")
    except GuatuError as exc:
        flash(f"{fid}: {localized(exc.message)}", "error")
    return redirect(url_for("workflow.inspections_page", date=day) + f"#place-{fid}")


@bp.get("/inspections/<day>/route.<fmt>", role=INSPECTOR)
def inspection_route_map(day: str, fmt: str):
    """The printed map (A4 portrait) with the day's places numbered in route order, as on the route sheet, joined
    by the route (a line with arrows from its start)."""
    ctx = guatu()
    if fmt not in MIMETYPES:
        raise NotFound(t("inspections.route_map_format", fmt=fmt))
    when = insp.check_day(day)
    listing = insp.load(ctx.store, when)
    if listing is None:
        raise NotFound(t("inspections.no_list", day=day))
    marks = [(str(p["order"]), *p["point"]) for p in insp.wall_summary(ctx.store, ctx.campaign, listing, when)["places"]
             if p["point"]]
    options = PrintOptions(paper="A4", orientation="portrait", format=fmt, dpi=150, title=t("inspections.route_map_title", day=day))
    start = (listing.get("route") or {}).get("start")  # a list drawn before routes were stored: numbers only
    from geo.printing.render import render_print  # matplotlib is loaded by the first print, not in every worker

    sheet = render_print(ctx.store, ctx.campaign, ctx.data_dir, options, ctx.now(), marks=marks,
                         route_from=tuple(start) if start else None)
    resp = Response(sheet.data, mimetype=MIMETYPES[fmt])
    name = quote(t("inspections.route_map_file", day=day, fmt=fmt))
    resp.headers["Content-Disposition"] = f"inline; filename=\"route-{day}.{fmt}\"; filename*=UTF-8''{name}"
    resp.headers["Cache-Control"] = "no-store"
    return resp


# --- JSON API ------------------------------------------------------------------

@bp.get("/api/inspections/<day>", role=INSPECTOR, doc=docs.INSPECTION_LIST)
def inspections_api(day: str):
    return jsonify(_listing(day))


@bp.post("/api/inspections/<day>", role=EDITOR, doc=docs.DRAW_INSPECTIONS)
def draw_inspections_api(day: str):
    _generate(day, json_body())
    return jsonify(_listing(day)), 201


@bp.post("/api/inspections/<day>/<fid>", role=INSPECTOR, doc=docs.RECORD_INSPECTION)
def record_inspection_api(day: str, fid: str):
    """201 with the recorded row; 200 with the row recorded before when its `client_id` is sent again."""
    row, created = _record(day, fid, json_body())
    return jsonify(recorded_answer(row)), 201 if created else 200


@bp.get("/api/wall/inspections", role=VIEWER, display=Display.PINNED, doc=docs.WALL_INSPECTIONS_TODAY)
def wall_inspections():
    """The day's list for a wall screen: `?date=` (default today), `crs=gcj02`, `street=`/`community=`.

    Cached per state of the list and store revision; the ETag answers 304 while neither changed."""
    ctx = guatu()
    day = insp.check_day(request.args.get("date") or guatu().today().isoformat())
    crs = display_crs(request.args.get("crs"))
    street, community = request.args.get("street") or None, request.args.get("community") or None
    layers = tuple(x for x in (request.args.get("layers") or "").split(",") if x) or None  # a display link's
    listing = insp.load(ctx.store, day)
    key = ("wall-inspections", day, insp.listing_revision(listing), ctx.store.revision(), crs, street, community, layers)
    return send_cached(ctx.cache.get(key, lambda: make_cached(dumps(insp.wall_summary(
        ctx.store, ctx.campaign, listing, day, crs=crs, street=street, community=community, layers=layers)))))


def workflow_links() -> list[dict]:
    """Links to the workflow pages, for the editor's header and an editor's wall map."""
    return [{"href": url_for("workflow.inspections_page"), "label": t("inspections.nav")},
            {"href": url_for("workflow.mine_page"), "label": t("page.wf.mine")},
            {"href": url_for("cases.cases_page"), "label": t("cases.title")},
            {"href": url_for("workflow.report_page"), "label": t("page.wf.report")},
            {"href": url_for("wall.playback_page"), "label": t("page.nav.playback")},
            *filter(None, [campaigns_link()])]  # the campaigns index, when GUATU_CAMPAIGNS names others
