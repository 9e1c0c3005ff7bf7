"""Notifications' delivery over HTTP and the command line: the group channels and the delivery log (admin),
each person's notification settings, `flask --app web notify run|tick|test`. The rules are geo/notify/."""

from __future__ import annotations

from flask import Flask

from web.notify import api, cli, pages, service
from web.notify.blueprint import bp

VIEWS = (api, pages)  # the modules whose routes are on `bp`


def register(app: Flask) -> None:
    app.register_blueprint(bp)
    service.install(app)
    app.cli.add_command(cli.notify)
