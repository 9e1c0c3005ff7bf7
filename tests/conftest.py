"""Shared fixtures: a copy of the demo campaign in a temporary data directory,
a controllable clock, a factory for stores and a builder of valid features."""

from __future__ import annotations

import os
import shutil
import sys
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # spawned worker processes import geo from here too
    sys.path.insert(0, str(REPO))

import geo.accounts  # noqa: E402
from geo.config import Campaign, load_campaign  # noqa: E402
from geo.store import Store, open_store  # noqa: E402

DEMO_CAMPAIGN = REPO / "data" / "campaign.json"
START = datetime(2026, 11, 24, 8, 0, 0, tzinfo=UTC)


def make_feature(name: str = "康复前街11号院", status: str = "pending", x: float = 113.63, y: float = 34.72,
                 size: float = 0.001, **props) -> dict:
    """A valid GeoJSON Feature for the courtyards layer: a square of `size` degrees at (x, y)."""
    properties = {"name": name, "kind": "楼院", "status": status, **props}
    ring = [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
    return {"type": "Feature", "properties": properties, "geometry": {"type": "Polygon", "coordinates": [ring]}}


class FakeClock:
    """A clock that stands still until told to move; always timezone-aware."""

    def __init__(self, start: datetime = START) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture(name="make_feature")
def make_feature_fixture() -> Callable[..., dict]:
    return make_feature


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copy(DEMO_CAMPAIGN, folder / "campaign.json")
    return folder


@pytest.fixture
def campaign(data_dir: Path) -> Campaign:
    return load_campaign(data_dir)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


TEST_PASSWORD_HASH = "scrypt:1024:8:1"  # werkzeug's default is scrypt:32768:8:1
PRODUCT_PASSWORD_HASH = geo.accounts.generate_password_hash  # as the product binds it, before the patch below


@pytest.fixture(scope="session", autouse=True)
def cheaper_password_hashes() -> Iterator[None]:
    """Passwords set in this process are hashed with scrypt at N=1024 instead of werkzeug's 32768: the same
    code, salt and stored format (`check_password_hash` reads the cost from the hash it checks, so every login
    and the unknown user's dummy check cost the same 1/32), and about 3 ms instead of 100. At full cost scrypt
    was some 40 % of the in-process tests' CPU time: each test makes its own users and logs in. Users made here
    for servers the tests start as processes (tests/faults) are cheap too; a password such a server sets, and
    its dummy check, cost the full price. tests/web/test_auth.py checks that the product hashes at full cost."""
    from werkzeug.security import generate_password_hash

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(geo.accounts, "generate_password_hash",
                      lambda password: generate_password_hash(password, method=TEST_PASSWORD_HASH))
        geo.accounts._dummy_hash.cache_clear()
        yield
    geo.accounts._dummy_hash.cache_clear()


@pytest.fixture(scope="session")
def postgis_url() -> Iterator[str]:
    """A PostGIS server for the whole session: $GUATU_TEST_DATABASE_URL, else a throwaway
    cluster of Debian's PostgreSQL started here and removed at the end (tests/pg_cluster.py)."""
    if os.environ.get("GUATU_TEST_DATABASE_URL"):
        yield os.environ["GUATU_TEST_DATABASE_URL"]
        return
    from tests.pg_cluster import ThrowawayCluster

    cluster = ThrowawayCluster().start()  # fails, naming the Debian packages, when PostgreSQL/PostGIS are missing
    try:
        yield cluster.url
    finally:
        cluster.stop()


@pytest.fixture
def postgis_schema(postgis_url: str) -> Iterator[str]:
    """A fresh schema (one campaign) for one test, dropped afterwards."""
    import psycopg

    name = f"test_{uuid.uuid4().hex[:12]}"
    yield name
    with psycopg.connect(postgis_url, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")


@pytest.fixture
def store_factory(request, data_dir: Path, campaign: Campaign, clock: FakeClock) -> Iterator[Callable[..., Store]]:
    """Builds stores of a backend on the shared data dir (geojson) or the test's schema (postgis);
    closes them afterwards."""
    opened: list[Store] = []

    def factory(backend: str = "geojson", **kwargs) -> Store:
        kwargs.setdefault("clock", clock)
        if backend == "geojson":
            store = open_store(data_dir, campaign, **kwargs)
        elif backend == "postgis":
            kwargs.setdefault("schema", request.getfixturevalue("postgis_schema"))
            store = open_store(data_dir, campaign, database_url=request.getfixturevalue("postgis_url"), **kwargs)
        else:
            raise ValueError(f"unknown store backend {backend!r}")
        opened.append(store)
        return store

    yield factory
    for store in opened:
        store.close()


@pytest.fixture(scope="session")
def browser():
    """One Debian Chromium for the whole run (Playwright's sync API allows one at a time)."""
    from tests.browser.harness import chromium

    with chromium() as b:
        yield b


@pytest.fixture(autouse=True)
def close_pages_left_open(request):
    """Every browser context a test opened is closed after it, whether or not the test closed it: a wall page
    left open keeps polling, blinking and compositing a 4K screen on the shared cores for the rest of the run.
    Contexts that were open before the test (a module's page, shared by its tests) are left to their fixture."""
    if "browser" not in request.fixturenames:
        yield
        return
    browser = request.getfixturevalue("browser")
    before = set(browser.contexts)
    yield
    for context in browser.contexts:
        if context not in before:
            context.close()
