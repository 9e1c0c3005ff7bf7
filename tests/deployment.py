"""A private deployment for tests of the HTTP API: the demo campaign's configuration and boundaries, a few
places made by 张三 on the test clock, no public view, and API tokens for the accounts asked for; on the
embedded store, or copied into a PostGIS schema when `database` names one."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from flask import Flask

from geo.config import load_campaign
from geo.store import open_store
from geo.store.transfer import copy_to_postgis
from tests.conftest import DEMO_CAMPAIGN, FakeClock
from web import create_app

ACCOUNTS = {"editor1": ("editor", "李编"), "viewer1": ("viewer", "王看")}


@dataclass
class Deployment:
    app: Flask
    data: Path
    fids: list[str]  # the places made, in order
    secrets: dict[str, str]  # API token per account

    def auth(self, username: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.secrets[username]}"}


def private_deployment(root: Path, features: list[dict], accounts: tuple[str, ...] = ("editor1",), *,
                       database: tuple[str, str] | None = None, **settings) -> Deployment:
    """`database`: (url, schema) of an empty PostGIS schema the places are copied into, served from there;
    `settings`: more GUATU_* settings of the app."""
    data = root / "data"
    data.mkdir()
    shutil.copy(DEMO_CAMPAIGN, data / "campaign.json")
    shutil.copytree(DEMO_CAMPAIGN.parent / "boundaries", data / "boundaries")
    clock = FakeClock()
    store = open_store(data, load_campaign(data), clock=clock)
    fids = [store.create("courtyards", feature, user="张三").feature["id"] for feature in features]
    store.close()
    config = {"TESTING": True, "GUATU_DATA": str(data), "GUATU_CLOCK": clock, "GUATU_INSTANCE": str(root / "instance"),
              **settings}
    if database is not None:
        url, schema = database
        copy_to_postgis(data, load_campaign(data), url, schema=schema)
        config.update(GUATU_DATABASE_URL=url, GUATU_DATABASE_SCHEMA=schema)
    app = create_app(config)
    acc = app.extensions["guatu_accounts"]
    secrets = {}
    for username in accounts:
        role, name = ACCOUNTS[username]
        acc.create_user(username, "correct horse battery", role, name)
        secrets[username] = acc.create_api_token(username, "tests")[1]
    return Deployment(app, data, fids, secrets)
