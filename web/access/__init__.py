"""Who is asking, and may they: accounts, sessions, tokens, the login throttle, display links' scopes, /login.

`register(app)` opens the accounts file in the instance folder, puts the login throttle and the access check
(every request, against its route's declaration: web/core/routes.py) in front of every view, and serves
/login, /logout and /api/me.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Flask

from geo.accounts import Accounts, campaign_names
from web.access import auth, login, login_limits


def register(app: Flask) -> None:
    ctx = app.extensions["guatu"]
    login_limits.register(app, ctx.store, ctx.instance_dir)  # Flask-Limiter, counters shared by all workers
    secret = app.secret_key if isinstance(app.secret_key, bytes) else str(app.secret_key).encode()
    lifetime = app.config["PERMANENT_SESSION_LIFETIME"]
    seconds = lifetime.total_seconds() if isinstance(lifetime, timedelta) else float(lifetime)
    auth.register(app, Accounts(ctx.instance_dir / "accounts.json", clock=app.config["GUATU_CLOCK"], secret=secret,
                                session_lifetime=timedelta(seconds=seconds),
                                names=lambda: campaign_names(ctx.store, ctx.data_dir)))  # what a scope may name
    app.register_blueprint(login.bp)
