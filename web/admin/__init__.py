"""Administration pages: accounts, API tokens, display links; my account."""

from __future__ import annotations

from flask import Flask

from web.admin.pages import bp


def register(app: Flask) -> None:
    app.register_blueprint(bp)
