"""The tile proxy never lets a tile server send it elsewhere (redirects), refuses oversized answers and keeps
its tiles private, against real HTTP servers on 127.0.0.1."""

from __future__ import annotations

import stat
from collections.abc import Iterator

import pytest

from geo.basemaps.proxy import MAX_REDIRECTS, MAX_TILE_BYTES
from tests.basemaps.test_proxy import KEY, tianditu
from tests.basemaps.tilesets import Upstream, fake_upstream, tile_png


@pytest.fixture
def internal() -> Iterator[Upstream]:
    """Another server on 127.0.0.1 (another port): an intranet service the proxy must never be sent to."""
    server, state = fake_upstream()
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def client(make_app, upstream, monkeypatch):
    monkeypatch.setenv("GUATU_TEST_TIANDITU_KEY", KEY)
    return make_app([tianditu(upstream)]).test_client()


def test_a_redirect_to_another_host_is_refused_and_never_followed(client, upstream, internal, instance_dir):
    upstream.mode, upstream.redirect_to = "redirect", internal.url
    resp = client.get("/tiles/tdt/4/13/6")
    assert resp.status_code == 502
    assert resp.get_json()["error"] == "bad_gateway" and "转到了别的地址" in resp.get_json()["message"]
    assert upstream.asked() == 1
    assert internal.asked() == 0  # the other port was never asked, so the key never went there either
    assert not list((instance_dir / "tile-cache").rglob("*.tile"))


def test_a_redirect_within_the_configured_server_is_followed(client, upstream):
    upstream.mode, upstream.redirect_to = "redirect", upstream.url + "/moved"
    resp = client.get("/tiles/tdt/4/13/6")
    assert resp.status_code == 200 and resp.data == tile_png(4, 13, 6)
    assert [r["path"].split("/")[1] for r in upstream.requests] == [f"t{(13 + 6) % 8}", "moved"]
    assert all(r["query"]["tk"] == KEY for r in upstream.requests)


def test_a_server_that_keeps_redirecting_is_given_up_on(client, upstream):
    upstream.mode, upstream.redirect_to = "redirect", upstream.url + "/again"
    resp = client.get("/tiles/tdt/4/13/6")
    assert resp.status_code == 502 and "重定向超过" in resp.get_json()["message"]
    assert upstream.asked() == MAX_REDIRECTS + 1


def test_a_tile_announced_larger_than_the_cap_is_refused_before_it_is_read(client, upstream):
    upstream.mode, upstream.huge = "huge", MAX_TILE_BYTES + 1
    resp = client.get("/tiles/tdt/4/13/6")
    assert resp.status_code == 502 and "超过" in resp.get_json()["message"]


def test_a_kept_tile_is_readable_only_by_the_server(client, upstream, instance_dir):
    assert client.get("/tiles/tdt/5/26/12").status_code == 200
    kept = instance_dir / "tile-cache" / "tdt" / "5" / "26" / "12.tile"
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert stat.S_IMODE(kept.parent.stat().st_mode) == 0o700
