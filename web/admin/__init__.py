"""Administration: accounts with their levels and scopes (三级管理), API tokens, display links; my account."""

from __future__ import annotations

from flask import Flask

from web.admin import api, pages
from web.admin.blueprint import bp

VIEWS = (api, pages)  # the modules whose routes are on `bp`


def register(app: Flask) -> None:
    app.register_blueprint(bp)
