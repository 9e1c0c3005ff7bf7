"""The inspector's phone page (每日随机地点督导 in the field): today's list as cards in route order, a map with
the route and the inspector's position, a result form per place with camera capture, and a queue that
keeps results and photos while offline (docs/field.md).

    GET /field/[?date=…]    the page (inspector); /field redirects here, the service worker's scope
"""

from __future__ import annotations

from flask import make_response, render_template, request, url_for

from geo import inspections as insp
from web.access.auth import csrf_token, principal
from web.core.bundles import page_scripts
from web.core.context import guatu
from web.core.routes import INSPECTOR
from web.field.blueprint import bp
from web.field.offline import CACHES, ENTRIES, SCOPE

ENTRY = ENTRIES[0]  # the page's own scripts: one bundle when built (web/core/bundles.py), else its modules
# the page asks for the device's position and camera; every other page keeps both off (web/core/security.py)
PERMISSIONS = "camera=(self), microphone=(), geolocation=(self)"


@bp.get(SCOPE, role=INSPECTOR)
def field_page():
    ctx = guatu()
    day = request.args.get("date") or ctx.today().isoformat()
    insp.check_day(day)
    who = principal()
    config = {
        "day": day, "csrf": csrf_token(), "user": who.name if who else "",
        "login": url_for("access.login", next=url_for("field.field_page", date=day)),  # after a 401 (pages/field.js)
        "me": url_for("access.me"),  # this session's CSRF token, when the inspector signed in again (field/sender.js)
        "list": url_for("field.field_api", day=day), "worker": url_for("field.service_worker"), "scope": SCOPE,
        "leaflet": url_for("static", filename="vendor/leaflet/leaflet.js"),  # run once the cards are drawn
        "caches": CACHES, "record": url_for("workflow.record_inspection_api", day=day, fid="__fid__"),
        # the photo API's URLs with __names__ the page fills in (web/photos)
        "photos": url_for("photos.upload_photo", layer_id="__layer__", fid="__fid__"),
        "problemPhotos": url_for("photos.upload_problem_photo", layer_id="__layer__", fid="__fid__", pid="__pid__"),
        "thumb": url_for("photos.image", photo_id="__id__", variant="thumb"),
    }
    resp = make_response(render_template("field.html", day=day, config=config, scripts=page_scripts(ENTRY)))
    resp.headers["Permissions-Policy"] = PERMISSIONS
    resp.headers["Cache-Control"] = "no-cache"  # always asked again; the service worker keeps a copy for offline
    return resp
