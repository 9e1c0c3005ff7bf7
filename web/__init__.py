"""Guatu's Flask app: `create_app` wires the campaign, its store and the packages (one blueprint each).

`flask --app web run` serves it; the data directory comes from GUATU_DATA
(default: the demo campaign in data/).
"""

from __future__ import annotations

import os
from pathlib import Path

import click
from flask import Flask

from geo.config import load_campaign
from geo.diskspace import SpaceWatch
from geo.errors import ConfigError
from geo.store import open_store
from geo.store.base import utc_now
from web import (
    access,
    admin,
    api,
    campaigns,
    cases,
    cli,
    core,
    edit,
    field,
    inbox,
    notify,
    ogc,
    open311,
    photos,
    printing,
    residents,
    wall,
    workflow,
)
from web.api import openapi as api_openapi
from web.core import assets, logging_setup, settings, shared_state, validation
from web.core.context import Guatu
from web.ogc import openapi as ogc_openapi


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True, static_folder=None)  # /static: web/core/static_files.py
    app.config.from_mapping(
        GUATU_CLOCK=utc_now,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=12 * 3600,
        JSON_AS_ASCII=False,
        MAX_CONTENT_LENGTH=64 * 1024 * 1024,
    )
    try:  # the GUATU_* settings: defaults < GUATU_CONFIG file < environment < test_config (web/core/settings.py)
        conf = settings.load(os.environ, test_config)
    except settings.SettingsError as exc:
        _refuse_start(exc, exc.report())
        raise
    settings.install(app, conf)
    if test_config:
        app.config.update(test_config)
    if conf.https:  # served over HTTPS by a reverse proxy: see docs/security.md
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.config["SESSION_COOKIE_SECURE"] = True
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)  # x_for: the login throttle's address
    logging_setup.configure(app)  # text, or JSON lines with GUATU_LOG_FORMAT=json; request ids

    missing = assets.missing()
    if missing:
        raise RuntimeError(
            f"front-end files are missing from web/static/vendor ({', '.join(missing[:3])}…): "
            "run the set-up command, or `./guatu setup`"
        )

    data_dir = conf.data.resolve()
    instance = (conf.instance or Path(app.instance_path)).resolve()
    _private_folder(app, instance)  # accounts, session key, import previews
    try:
        campaign = load_campaign(data_dir)
    except ConfigError as exc:
        _refuse_start(exc, str(exc))
        raise
    _warn_unknown_variables(app, campaign)
    store = _open_store(app, conf, data_dir, campaign)
    store.space_watch = SpaceWatch.of([data_dir, instance], conf.min_free_mb)  # /api/health: free disk space
    app.extensions["guatu"] = Guatu(
        campaign=campaign, store=store, data_dir=data_dir, instance_dir=instance, clock=app.config["GUATU_CLOCK"],
        refresh_seconds=conf.refresh_seconds, cache_bytes=conf.cache_mb * 2**20,
    )
    app.logger.info("campaign %s: data in %s", campaign.title, data_dir)

    # accounts, the session key, import previews: in the campaign's database when there is one, else in the
    # instance folder (web/core/shared_state.py: every instance behind a load balancer must agree on them)
    shared = shared_state.register(app)
    if not shared.in_database and not app.secret_key:
        app.secret_key = shared.session_key()  # the instance folder's key, as Flask's own
    # the packages, each one blueprint (and its commands); core first: errors, security headers, health
    core.register(app)
    access.register(app)  # the access check runs before every view: it reads each route's declaration
    api.register(app)
    ogc.register(app)
    wall.register(app)
    edit.register(app)
    workflow.register(app)
    campaigns.register(app)  # the campaigns index: this campaign and GUATU_CAMPAIGNS' others, read-only
    photos.register(app)  # a place's photos (/api/…/photos) and their images (/photos/…)
    cases.register(app)  # the case loop over HTTP: /api/cases, the queues and the case page
    field.register(app)  # the inspector's phone page
    inbox.register(app)  # the bell on every page, /inbox and /api/inbox: each person's notifications
    residents.register(app)  # residents' reports (随手拍): the public page, the follow-up, the triage queue
    open311.register(app)  # Open311 GeoReport v2 under /open311/v2: 12345 and city-management apps' intake
    printing.register(app)
    admin.register(app)
    notify.register(app)  # notifications: channels, the delivery log, my settings; the sender (gunicorn.conf.py)
    cli.register(app)
    # every /api and /ogc request checked against its OpenAPI document, after the access check
    validation.register(app, _checked_documents(campaign))
    checks = app.extensions["guatu_request_checks"]  # a layer added later (an import made it): its ids' enums
    app.extensions["guatu"].campaign_listeners.append(lambda c: checks.replace(_checked_documents(c)))
    app.context_processor(lambda: {"campaign_title": app.extensions["guatu"].campaign.title})
    return app


def _checked_documents(campaign) -> list:
    """The OpenAPI documents every /api and /ogc request is checked against."""
    return [api_openapi.validated_document(campaign), ogc_openapi.validated_document(campaign)]


def _open_store(app: Flask, conf: settings.Settings, data_dir: Path, campaign):
    """The GeoJSON files in data_dir, or PostGIS when GUATU_DATABASE_URL is set (schema GUATU_DATABASE_SCHEMA)."""
    if not conf.database_url:
        if conf.photos_bucket:
            app.logger.warning("GUATU_PHOTOS_BUCKET is set without GUATU_DATABASE_URL: the embedded store keeps "
                               "the photos in %s/photos", data_dir)
        return open_store(data_dir, campaign, clock=app.config["GUATU_CLOCK"], compact_changes=conf.compact_changes,
                          compact_seconds=conf.compact_seconds)
    # lazy: a worker starts while the database is down (it answers 503 until it is back, see docs/data-integrity.md)
    # photos: in the object store the settings name (GUATU_PHOTOS_*), else in the database (docs/photos.md)
    return open_store(data_dir, campaign, clock=app.config["GUATU_CLOCK"], database_url=conf.database_url,
                      schema=conf.database_schema, pool_size=conf.database_pool, lazy=True,
                      blobs=settings.photo_blobs(conf), layer_cache=conf.database_layer_cache)


def _refuse_start(exc: Exception, text: str) -> None:
    """Under a `flask --app web …` command, a configuration that cannot be used ends the command with its Chinese
    list of problems only (no traceback); elsewhere the caller raises `exc` (gunicorn checks first: gunicorn.conf.py)."""
    if click.get_current_context(silent=True) is not None:
        raise settings.StartRefused(text) from exc


def _private_folder(app: Flask, folder: Path) -> None:
    """The instance folder, made or closed to everyone but the server's own user (0700)."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if folder.stat().st_mode & 0o077:
        try:
            os.chmod(folder, 0o700)
        except PermissionError:
            app.logger.warning("instance folder %s is readable by others and cannot be changed; run chmod 700 on it",
                               folder)


def _warn_unknown_variables(app: Flask, campaign) -> None:
    """A GUATU_* environment variable that is no setting is a typo: logged, and printed by `flask --app web …`."""
    for unknown in settings.unknown_variables(os.environ, campaign):
        app.logger.warning(unknown.text("en"))
        if click.get_current_context(silent=True) is not None:  # created by a command, not by a server
            click.echo(unknown.text(), err=True)
