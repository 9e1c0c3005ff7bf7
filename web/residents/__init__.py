"""Residents' and volunteers' reports (随手拍) over HTTP: the public phone page `/report` and its API (a challenge,
photos, the report, the follow-up `/report/<code>` and its rating), and the staff's triage queue `/reports` with
its API. Thin: the rules are geo/residents/. `api.py` holds the /api routes (OpenAPI operations in `docs.py`),
`pages.py` the pages and the follow-up's photos, `guard.py` the abuse resistance in front of every public write."""

from __future__ import annotations

from flask import Flask

from geo.residents.throttle import ReportThrottle
from web.access.auth import principal
from web.access.login_limits import rate_limiter
from web.core.routes import INSPECTOR
from web.core.settings import get_settings
from web.residents import api, guard, pages
from web.residents.blueprint import bp

VIEWS = (api, pages)  # the modules whose routes are on `bp`


def register(app: Flask) -> None:
    """The blueprint, and the reports' throttle on the login throttle's shared counters (registered before)."""
    app.register_blueprint(bp)
    conf = get_settings(app)
    with app.app_context():
        limiter = rate_limiter()
    app.jinja_env.globals["may_triage_reports"] = _may_triage
    app.before_request(guard.limit_public_bodies)  # before request validation reads a body (registered later)
    app.extensions["guatu_report_throttle"] = ReportThrottle(
        limiter, per_ip=conf.report_limit_ip, per_device=conf.report_limit_device, clock=app.config["GUATU_CLOCK"])


def _may_triage() -> bool:
    """Whether the navigation links the triage queue: inspectors and above."""
    who = principal()
    return who is not None and who.can(INSPECTOR)
