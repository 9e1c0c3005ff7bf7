"""The app's common ground: settings, per-app context, HTTP helpers, security headers, errors, logging,
request validation, route declarations, health checks.

`register(app)` has every request start by taking the layers another process added to campaign.json, and puts in
the error handlers, the reader's language (web/core/language.py), the security
headers, the problem banner of every page, the health checks (/healthz, /readyz: blueprint `core`), the front
end's files (/static: web/core/static_files.py) and
`flask --app web settings` (README's table of settings).
"""

from __future__ import annotations

from flask import Flask

from web.core import errors, health, language, problem_banner, security, settings, static_files
from web.core.context import guatu
from web.core.http import same_query


def register(app: Flask) -> None:
    app.before_request(lambda: guatu().follow_campaign())  # layers another process added (web/core/context.py)
    errors.register(app)
    language.register(app)  # the reader's language: Jinja's `t`, `html_lang`, messages in templates
    security.register(app)
    problem_banner.register(app)  # the banner on every page: its options (`problem_banner` in templates)
    app.jinja_env.globals["same_query"] = same_query  # a page's links to its next and previous pages
    app.register_blueprint(health.bp)
    static_files.register(app)  # /static: the front end's files, compressed and cached
    app.cli.add_command(settings.settings_command)
