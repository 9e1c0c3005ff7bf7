"""Guatu's Flask app: `create_app` wires the campaign, its store and the blueprints.

`flask --app web run` serves it; the data directory comes from GUATU_DATA
(default: the demo campaign in data/).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from flask import Flask

from geo.config import load_campaign
from geo.store import open_store
from geo.store.base import utc_now
from web import assets
from web.context import Guatu

DEFAULT_DATA = Path(__file__).resolve().parent.parent / "data"


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        GUATU_DATA=os.environ.get("GUATU_DATA") or str(DEFAULT_DATA),
        GUATU_CLOCK=utc_now,
        GUATU_REFRESH_SECONDS=5,
        JSON_AS_ASCII=False,
        MAX_CONTENT_LENGTH=64 * 1024 * 1024,
    )
    app.config.from_prefixed_env("GUATU")  # e.g. GUATU_REFRESH_SECONDS=10
    if test_config:
        app.config.update(test_config)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    missing = assets.missing()
    if missing:
        raise RuntimeError(
            f"front-end files are missing from web/static/vendor ({', '.join(missing[:3])}…): "
            "run the set-up command, or `./guatu setup`"
        )

    data_dir = Path(app.config["GUATU_DATA"]).resolve()
    campaign = load_campaign(data_dir)
    store = open_store(data_dir, campaign, clock=app.config["GUATU_CLOCK"])
    app.extensions["guatu"] = Guatu(campaign=campaign, store=store, data_dir=data_dir, clock=app.config["GUATU_CLOCK"],
                                   refresh_seconds=float(app.config["GUATU_REFRESH_SECONDS"]))
    app.logger.info("campaign %s: data in %s", campaign.title, data_dir)

    from web import api, errors, wall

    errors.register(app)
    app.register_blueprint(api.bp)
    app.register_blueprint(wall.bp)
    return app
