"""Who is asking, and may they: accounts, sessions, tokens, the login throttle, display links' scopes, /login.

`register(app)` opens the accounts (in the campaign's database, or the instance folder's file:
web/core/shared_state.py), puts the login throttle and the access check (every request, against its route's
declaration: web/core/routes.py) in front of every view, and serves /login, /logout and /api/me.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Flask

from geo.accounts import Accounts, campaign_names
from web.access import auth, login, login_limits
from web.core.shared_state import shared_state


def register(app: Flask) -> None:
    ctx = app.extensions["guatu"]
    login_limits.register(app, ctx.store, ctx.instance_dir)  # Flask-Limiter, counters shared by all workers
    lifetime = app.config["PERMANENT_SESSION_LIFETIME"]
    seconds = lifetime.total_seconds() if isinstance(lifetime, timedelta) else float(lifetime)
    # the accounts document where every instance shares it (web/core/shared_state.py): database or instance folder
    auth.register(app, Accounts(shared_state(app).accounts, clock=app.config["GUATU_CLOCK"],
                                session_lifetime=timedelta(seconds=seconds),
                                names=lambda: campaign_names(ctx.store, ctx.data_dir)))  # what a scope may name
    app.register_blueprint(login.bp)
