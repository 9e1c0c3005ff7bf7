"""Guatu's Flask app: `create_app` wires the campaign, its store and the blueprints.

`flask --app web run` serves it; the data directory comes from GUATU_DATA
(default: the demo campaign in data/).
"""

from __future__ import annotations

import json
import os
import secrets
from datetime import timedelta
from pathlib import Path

import click
from flask import Flask

from geo.accounts import Accounts
from geo.config import load_campaign
from geo.diskspace import SpaceWatch
from geo.store import open_store
from geo.store.base import utc_now
from web.core import assets, logging_setup, settings
from web.core.context import Guatu

DEFAULT_DATA = Path(__file__).resolve().parent.parent / "data"


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        GUATU_DATA=str(DEFAULT_DATA),
        GUATU_CLOCK=utc_now,
        GUATU_REFRESH_SECONDS=4,  # wall maps poll this often: a change shows within 5 s
        GUATU_PUBLIC_VIEW=False,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=12 * 3600,
        JSON_AS_ASCII=False,
        MAX_CONTENT_LENGTH=64 * 1024 * 1024,
        GUATU_MIN_FREE_MB=None,  # /api/health warns below this free space (MB); None: 1024, or 5 % of a small disk
    )
    settings.from_file(app, (test_config or {}).get("GUATU_CONFIG") or os.environ.get("GUATU_CONFIG"))
    _from_env(app)  # environment variables win over the config file
    if test_config:
        app.config.update(test_config)
    if app.config.get("GUATU_HTTPS"):  # served over HTTPS by a reverse proxy: see docs/security.md
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

    data_dir = Path(str(app.config["GUATU_DATA"])).resolve()
    instance = Path(str(app.config.get("GUATU_INSTANCE") or app.instance_path)).resolve()
    _private_folder(app, instance)  # accounts, session key, import previews
    campaign = load_campaign(data_dir)
    _warn_unknown_variables(app, campaign)
    store = _open_store(app, data_dir, campaign)
    store.space_watch = _space_watch(app, data_dir, instance)
    app.extensions["guatu"] = Guatu(
        campaign=campaign, store=store, data_dir=data_dir, instance_dir=instance, clock=app.config["GUATU_CLOCK"],
        refresh_seconds=float(app.config["GUATU_REFRESH_SECONDS"]),
    )
    app.logger.info("campaign %s: data in %s", campaign.title, data_dir)

    from web.access import auth
    from web.api import openapi, places, reads, writes
    from web.cli import accounts as cli_accounts
    from web.core import errors, language, security
    from web.edit import exchange
    from web.edit import pages as editor
    from web.wall import pages as wall

    app.secret_key = app.config.get("SECRET_KEY") or _secret_key(instance)
    errors.register(app)
    language.register(app)  # the reader's language: Jinja's `t`, `html_lang`, messages in templates
    security.register(app)
    from web.access import login_limits  # Flask-Limiter with counters shared by all workers: every password check

    login_limits.register(app, store, instance)
    secret = app.secret_key if isinstance(app.secret_key, bytes) else str(app.secret_key).encode()
    auth.register(app, Accounts(instance / "accounts.json", clock=app.config["GUATU_CLOCK"], secret=secret,
                                session_lifetime=timedelta(seconds=_seconds(app.config["PERMANENT_SESSION_LIFETIME"]))))
    app.register_blueprint(reads.bp)
    app.register_blueprint(writes.bp)
    app.register_blueprint(places.bp)
    app.register_blueprint(editor.bp)
    app.register_blueprint(exchange.bp)
    app.register_blueprint(wall.bp)
    from web.cli import store as cli_store
    from web.core import health
    from web.wall import viewports  # /healthz, /readyz; `store copy`; viewport shapes of big layers

    app.register_blueprint(health.bp)
    cli_store.register(app)
    viewports.register(app)
    cli_accounts.register(app)
    from web.wall import basemaps  # basemap tiles: /tiles/<id>/<z>/<x>/<y> and /api/basemaps

    basemaps.register(app, campaign, data_dir, instance)
    from web.printing import maps as printing  # printed maps: /print and `flask --app web print-map`

    app.register_blueprint(printing.bp)
    app.cli.add_command(printing.print_map_command)
    from web.cli import data as cli  # `flask --app web import|export|validate|history`

    cli.register(app)
    from web.admin import pages as admin
    from web.cli import backup as cli_backup  # account pages, `backup`/`restore`, /api/openapi.json

    app.register_blueprint(admin.bp)
    app.register_blueprint(openapi.bp)
    cli_backup.register(app)
    from web.ogc import routes as ogcapi  # OGC API – Features for GIS clients: /ogc

    app.register_blueprint(ogcapi.bp)
    from web.core import validation
    from web.ogc import openapi as ogcapi_openapi  # every /api and /ogc request checked against its OpenAPI document first

    validation.register(app, [openapi.validated_document(campaign), ogcapi_openapi.validated_document(campaign)])
    from web.wall import playback
    from web.workflow import inspections
    from web.workflow import reports as workflow  # daily inspections, my places, milestones, timeline, daily report

    app.register_blueprint(inspections.bp)
    app.register_blueprint(workflow.bp)
    app.register_blueprint(playback.bp)  # 进度回放: /api/playback and /wall/playback
    app.cli.add_command(workflow.daily_report_command)
    app.context_processor(lambda: {"campaign_title": campaign.title})
    from web.core import problem_banner  # the banner on every page: its options (`problem_banner` in templates)

    problem_banner.register(app)
    return app


def _open_store(app: Flask, data_dir: Path, campaign):
    """The GeoJSON files in data_dir, or PostGIS when GUATU_DATABASE_URL is set (schema GUATU_DATABASE_SCHEMA)."""
    url = app.config.get("GUATU_DATABASE_URL")
    if not url:
        return open_store(data_dir, campaign, clock=app.config["GUATU_CLOCK"])
    # lazy: a worker starts while the database is down (it answers 503 until it is back, see docs/data-integrity.md)
    return open_store(data_dir, campaign, clock=app.config["GUATU_CLOCK"], database_url=str(url),
                      schema=str(app.config.get("GUATU_DATABASE_SCHEMA") or "guatu"),
                      pool_size=int(app.config.get("GUATU_DATABASE_POOL") or 10), lazy=True)


def _seconds(lifetime) -> float:
    return lifetime.total_seconds() if isinstance(lifetime, timedelta) else float(lifetime)


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


def _space_watch(app: Flask, data_dir: Path, instance: Path) -> SpaceWatch:
    """The folders the app writes to, watched for free space (GUATU_MIN_FREE_MB)."""
    try:
        return SpaceWatch.of([data_dir, instance], app.config.get("GUATU_MIN_FREE_MB"))
    except ValueError as exc:
        raise RuntimeError(f"GUATU_MIN_FREE_MB: expected a number of megabytes ({exc})") from None


def _from_env(app: Flask) -> None:
    """GUATU_* environment variables override the defaults (JSON values: 5, true, "text")."""
    for key, value in os.environ.items():
        if key.startswith("GUATU_") and key != "GUATU_CLOCK":
            try:
                app.config[key] = json.loads(value)
            except ValueError:
                app.config[key] = value
    if os.environ.get("GUATU_SECRET_KEY"):
        app.config["SECRET_KEY"] = os.environ["GUATU_SECRET_KEY"]


def _secret_key(instance: Path) -> bytes:
    """The session signing key: kept in the instance folder, made on first start."""
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(secrets.token_bytes(32))
    return path.read_bytes()
