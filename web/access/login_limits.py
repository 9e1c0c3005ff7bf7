"""Login throttling in the app: Flask-Limiter, counting in storage every worker and instance shares.

The counters live in the campaign's PostgreSQL schema when the PostGIS
store is used (every instance sees them), else in `throttle.sqlite` in the
instance folder (every gunicorn worker on the machine sees it). The rule
itself — per address, and per address and user name — is in geo/throttle.py.
Limits come from GUATU_LOGIN_LIMIT_IP and GUATU_LOGIN_LIMIT_ACCOUNT
("30 per 10 minutes", "5 per 15 minutes" by default).
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits.strategies import RateLimiter

from geo.store.base import Store
from geo.throttle import LoginThrottle
from web.core.settings import get_settings


def register(app: Flask, store: Store, instance: Path) -> LoginThrottle:
    clock = app.config["GUATU_CLOCK"]
    connection = getattr(store, "connection", None)
    if connection is not None:  # PostGIS: the login_limits table of the campaign schema (migration 0003)
        uri, options = "guatu+postgres://", {"connection": connection, "clock": clock}
    else:
        uri, options = f"guatu+sqlite://{instance / 'throttle.sqlite'}", {"clock": clock}
    limiter = Limiter(key_func=get_remote_address, storage_uri=uri, storage_options=options,
                      strategy="fixed-window", headers_enabled=False)
    limiter.init_app(app)
    throttle = LoginThrottle(limiter.limiter,
                             per_ip=get_settings(app).login_limit_ip,
                             per_account=get_settings(app).login_limit_account,
                             clock=clock)
    app.extensions["guatu_login_throttle"] = throttle
    app.extensions["guatu_rate_limiter"] = limiter.limiter  # the same counters, for other rules (residents' reports)
    return throttle


def login_throttle() -> LoginThrottle:
    return current_app.extensions["guatu_login_throttle"]


def rate_limiter() -> RateLimiter:
    """The app's rate limiter (Flask-Limiter's `limits` strategy on the shared storage), for rules of their own."""
    return current_app.extensions["guatu_rate_limiter"]
