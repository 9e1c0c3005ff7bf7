"""The residents' pages.

    GET  /report                         the public phone page: pin, category, description, photos; queued offline
    GET  /report/sw.js                   its service worker (the shared one, web/static/js/lib/offline-sw.js)
    GET  /report/area.json               the sub-districts' outlines the page's map draws (public reference data)
    GET  /report/<code>                  the follow-up (public_view), with the rating form once 已办结
    POST /report/<code>/rating           the rating form's answer → back to the follow-up
    GET  /report/<code>/photos/<id>/<variant>.jpg   a photo the follow-up shows (its own, or the after photo)
    GET  /reports                        staff: the triage queue of the reader's areas (phone numbers here only)
    POST /reports/<code>/triage          staff: accept / merge / reject / hide / show → back to the queue
"""

from __future__ import annotations

from flask import Response, make_response, redirect, render_template, request, url_for

from geo.boundaries import boundary_bytes
from geo.errors import BrokenBoundary, FieldError, NotFound, ValidationError
from geo.messages import t
from geo.photos.blobs import SERVED, check_name
from geo.photos.service import photo_bytes
from geo.residents import reports as rr
from geo.residents.photos import MAX_PHOTOS
from web.access.auth import csrf_token, principal
from web.core.bundles import page_scripts
from web.core.context import guatu
from web.core.language import request_lang
from web.core.modules import static_imports
from web.core.routes import INSPECTOR, PUBLIC
from web.core.settings import get_settings
from web.field.offline import entry_aliases, page_files, precache_manifest, worker_prologue
from web.residents import guard
from web.residents.blueprint import bp

# the page asks for the device's position and camera; every other page keeps both off (web/core/security.py)
PERMISSIONS = "camera=(self), microphone=(), geolocation=(self)"


@bp.get("/report", role=PUBLIC)
def report_page():
    ctx = guatu()
    config = {
        "categories": list(ctx.campaign.categories), "center": list(ctx.campaign.map.center),
        "zoom": ctx.campaign.map.zoom, "bounds": list(ctx.campaign.map.bounds), "maxPhotos": MAX_PHOTOS,
        "area": url_for("residents.area"), "challenge": url_for("residents.challenge"),
        "photos": url_for("residents.photo"), "reports": url_for("residents.submit"),
        "receipt": url_for("residents.receipt", code="__code__"),
        "follow": url_for("residents.follow_page", code="__code__"), "deviceHeader": guard.DEVICE_HEADER,
        "bits": get_settings().report_challenge_bits,
        "worker": url_for("static", filename=WORKER_MODULE),
        "serviceWorker": url_for("residents.service_worker"), "scope": SCOPE, "caches": CACHES,
        # the campaign's basemaps, as the wall and the editor show them, where this reader may see them (tiles are
        # for viewers: a deployment with a public view, or a volunteer signed in); else the outlines alone
        "basemaps": url_for("wall.basemap_list") if get_settings().public_view or principal() is not None else None,
    }
    resp = make_response(render_template("report.html", config=config, categories=ctx.campaign.categories,
                                         scripts=page_scripts(ENTRY)))
    resp.headers["Permissions-Policy"] = PERMISSIONS
    resp.headers["Cache-Control"] = "no-cache"
    return resp


SCOPE = "/report"  # the worker's scope: the page and its follow-ups (/reports, staff's, is never one of its pages)
CACHES = {"pages": "guatu-report-pages", "data": "guatu-report-data", "photos": "guatu-report-photos"}
# what the page needs offline besides its scripts (the banner's and the bell's styles: every page's head has them,
# web/templates/base.html); its scripts are precached as the page names them (`page_files`: its bundle, or its
# modules; and the inbox bell's, which a signed-in reader's page has), and the proof-of-work worker's modules (the
# page starts it by URL, only once the server has answered a challenge)
ENTRY = "js/pages/report.js"
SCRIPTS = (ENTRY, "js/pages/inbox-bell.js")
WORKER_MODULE = "js/residents/pow-worker.js"
PRECACHED = ("css/app.css", "css/problem-banner.css", "css/inbox-bell.css", "css/report.css", "favicon.svg",
             "vendor/leaflet/leaflet.js", "vendor/leaflet/leaflet.css", "vendor/leaflet/images",
             WORKER_MODULE, *static_imports(WORKER_MODULE))


@bp.get("/report/sw.js", role=PUBLIC)  # holds no data: the file list and names only
def service_worker():
    settings = {"precache": precache_manifest(PRECACHED + page_files(SCRIPTS)), "aliases": entry_aliases(SCRIPTS),
                "caches": CACHES, "scope": SCOPE, "pages": [SCOPE],
                "prefix": "guatu-report", "vendor": url_for("static", filename="vendor/"),
                "api": url_for("residents.area")}
    return worker_prologue(settings, SCOPE)


@bp.get("/report/area.json", role=PUBLIC)
def area():
    ctx = guatu()
    level = "street" if any(b.level == "street" for b in ctx.campaign.boundaries) else "district"
    try:
        body = boundary_bytes(ctx.data_dir, ctx.campaign, level)
    except (NotFound, BrokenBoundary):  # a resident's map goes on without outlines (the staff's banner names the file)
        body = b'{"type":"FeatureCollection","features":[]}'
    resp = Response(body, mimetype="application/geo+json")
    resp.headers["Cache-Control"] = "public, max-age=3600"
    return resp


@bp.get("/report/<code>", role=PUBLIC)
def follow_page(code: str):
    ctx = guatu()
    view = rr.public_view(ctx.store, ctx.campaign, guard.report_of(code), lang=request_lang())
    resp = make_response(render_template("report_follow.html", view=view, ratings=rr.RATINGS))
    resp.headers["Cache-Control"] = "no-store"
    return resp


@bp.post("/report/<code>/rating", role=PUBLIC)
def rate_form(code: str):
    ctx = guatu()
    record = rr.rate(ctx.store, ctx.campaign, code, request.form.get("value"), request.form.get("comment"), ctx.now())
    return redirect(url_for("residents.follow_page", code=record["code"]), 303)


@bp.get("/report/<code>/photos/<photo_id>/<variant>.jpg", role=PUBLIC)
def follow_photo(code: str, photo_id: str, variant: str):
    ctx = guatu()
    check_name(photo_id, "thumb")
    if variant not in SERVED or photo_id not in rr.public_photos(ctx.store, ctx.campaign, guard.report_of(code)):
        raise NotFound(t("residents.no_photo"))
    resp = Response(photo_bytes(ctx.store, photo_id, variant), mimetype="image/jpeg")
    resp.headers["Cache-Control"] = "private, max-age=300"  # moderation may take it off: not immutable
    return resp


@bp.get("/reports", role=INSPECTOR)
def triage_page():
    ctx, who = guatu(), principal()
    rows = rr.triage_queue(ctx.store, who)
    code = (request.args.get("code") or "").strip().upper()  # a notification's link: that report, whatever its state
    state = request.args.get("state") or ("" if code else "received")
    if state in rr.STATES:
        rows = [r for r in rows if r["state"] == state]
    if code:
        rows = [r for r in rows if r["code"] == code]
    shown = []
    for r in rows:
        view = rr.public_view(ctx.store, ctx.campaign, r, lang=request_lang())
        shown.append({"record": r, "view": view,
                      "candidates": rr.merge_candidates(ctx.store, r) if r["state"] == "received" else []})
    resp = make_response(render_template("reports.html", rows=shown, state=state, states=rr.STATES,
                                         csrf=csrf_token()))
    resp.headers["Cache-Control"] = "no-store"
    return resp


@bp.post("/reports/<code>/triage", role=INSPECTOR)
def triage_form(code: str):
    ctx, who, form = guatu(), principal(), request.form
    action = form.get("action")
    if action == "accept":
        rr.accept(ctx.store, ctx.campaign, code, principal=who, now=ctx.now())
    elif action == "merge":
        layer, fid, pid = (form.get("case") or "||").split("|", 2) if form.get("case") else (None, None, None)
        rr.merge(ctx.store, ctx.campaign, code, principal=who, now=ctx.now(), layer=layer, fid=fid, pid=pid)
    elif action == "reject":
        rr.reject(ctx.store, ctx.campaign, code, principal=who, now=ctx.now(), reason=form.get("reason"))
    elif action in ("hide", "show"):
        rr.hide(ctx.store, code, principal=who, hidden=action == "hide")
    else:
        raise ValidationError([FieldError("action", t("residents.unknown_action", actions="accept, merge, reject, hide, show"))])
    return redirect(url_for("residents.triage_page", state=form.get("back") or "received"), 303)
