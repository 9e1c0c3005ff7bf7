"""Fixtures: the app with basemaps written into a copy of the demo campaign, and a fake upstream."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask

from geo.store import open_store
from tests.basemaps.tilesets import Upstream, fake_upstream, set_basemaps
from tests.conftest import REPO
from web import create_app


@pytest.fixture
def seeded(data_dir, campaign, clock, make_feature) -> Path:
    """Two courtyards in Zhengzhou and the demo's boundary outlines."""
    store = open_store(data_dir, campaign, clock=clock)
    store.create("courtyards", make_feature("兑周村1号院", "accepted", x=113.660, y=34.720), user="张三")
    store.create("courtyards", make_feature("中原东路5号院", "pending", x=113.620, y=34.700), user="张三")
    store.close()
    shutil.copytree(REPO / "data" / "boundaries", data_dir / "boundaries")
    return data_dir


@pytest.fixture
def instance_dir(tmp_path) -> Path:
    return tmp_path / "instance"


@pytest.fixture
def make_app(seeded, clock, instance_dir) -> Callable[..., Flask]:
    """The app (public read-only view) with `map.basemaps` set to the given list."""

    def build(basemaps: list[dict] | None = None, **config) -> Flask:
        if basemaps is not None:
            set_basemaps(seeded, basemaps)
        settings = {"TESTING": True, "GUATU_DATA": str(seeded), "GUATU_CLOCK": clock,
                    "GUATU_INSTANCE": str(instance_dir), "GUATU_PUBLIC_VIEW": True}
        return create_app({**settings, **config})

    return build


@pytest.fixture
def upstream() -> Iterator[Upstream]:
    server, state = fake_upstream()
    yield state
    server.shutdown()
    server.server_close()
