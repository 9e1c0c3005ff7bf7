"""GET /api/playback and the /wall/playback page over HTTP: JSON, caching, display tokens, bad ranges."""

from __future__ import annotations

from datetime import date

import pytest

from geo.playback import replay
from tests.web.conftest import login
from web.core.bundles import bundles


def _set(store, fid, status):
    f = store.get("courtyards", fid)
    store.update("courtyards", fid, expected_version=f["properties"]["version"], user="t", properties={"status": status})


@pytest.fixture
def moved(private_app, clock):
    """The next day (11-25) 中原东路5号院 is being fixed; on 11-26 it is accepted."""
    store = private_app.extensions["guatu"].store
    fid = next(f["id"] for f in store.features("courtyards") if f["properties"]["name"] == "中原东路5号院")
    clock.advance(days=1)
    _set(store, fid, "in_progress")
    clock.advance(days=1)
    _set(store, fid, "accepted")
    return fid


def test_the_playback_is_json_replayable_day_by_day(private_app, moved):
    client = private_app.test_client()
    login(client, "viewer1")
    resp = client.get("/api/playback?from=2026-11-23&to=2026-11-26")
    assert resp.status_code == 200 and resp.mimetype == "application/json"
    doc = resp.get_json()
    assert doc["format"] == "playback-1" and (doc["from"], doc["to"]) == ("2026-11-23", "2026-11-26")
    states = dict(replay(doc))
    assert states["2026-11-23"]["courtyards"] == {}
    assert [states[d]["courtyards"][moved] for d in ("2026-11-24", "2026-11-25", "2026-11-26")] == \
        ["pending", "in_progress", "accepted"]
    assert [d["total"] for d in doc["days"]] == [0, 3, 3, 3]
    assert doc["days"][-1]["done"] == 2 and doc["days"][-2]["done"] == 1


def test_the_answer_is_cached_per_revision_and_range(private_app, moved, clock):
    client = private_app.test_client()
    login(client, "viewer1")
    first = client.get("/api/playback?from=2026-11-20&to=2026-11-26")
    again = client.get("/api/playback?from=2026-11-20&to=2026-11-26", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    other = client.get("/api/playback?from=2026-11-21&to=2026-11-26")
    assert other.headers["ETag"] != first.headers["ETag"]
    _set(private_app.extensions["guatu"].store, moved, "rectified")  # a new revision: answered anew
    changed = client.get("/api/playback?from=2026-11-20&to=2026-11-26", headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200 and changed.get_json()["days"][-1]["counts"]["rectified"] == 1


def test_the_default_range_is_the_last_30_days(private_app, moved):
    client = private_app.test_client()
    login(client, "viewer1")
    doc = client.get("/api/playback").get_json()
    assert doc["to"] == "2026-11-26" and len(doc["days"]) == 30  # the clock stands at 11-26


@pytest.mark.parametrize("query", [
    "from=2026-11-25&to=2026-11-24",  # reversed
    "from=nope",
    "to=2026-13-01",
    "from=2025-01-01&to=2026-11-24",  # more than 400 days
])
def test_a_bad_range_is_400_naming_the_parameter(private_app, query):
    client = private_app.test_client()
    login(client, "viewer1")
    resp = client.get(f"/api/playback?{query}")
    assert resp.status_code == 400
    body = resp.get_json()
    assert body["error"] == "bad_parameter" and body["parameter"] in ("from", "to")


def test_a_card_with_a_date_shows_the_place_as_it_stood_that_day(private_app, moved):
    client = private_app.test_client()
    login(client, "viewer1")
    url = f"/api/wall/place/courtyards/{moved}"
    cards = {day: client.get(f"{url}?date={day}") for day in ("2026-11-24", "2026-11-25", "2026-11-26")}
    assert all(r.status_code == 200 for r in cards.values())
    assert [cards[d].get_json()["status"]["key"] for d in cards] == ["pending", "in_progress", "accepted"]
    assert [cards[d].get_json()["as_of"] for d in cards] == list(cards)
    today = client.get(url).get_json()
    assert "as_of" not in today and today["status"]["key"] == "accepted"
    assert client.get(f"{url}?date=2026-11-23").status_code == 404  # not in the campaign yet that day


@pytest.mark.parametrize("day", ["2026-02-30", "yesterday", "2026-11-24T10:00"])
def test_a_card_with_a_bad_date_is_400_naming_it(private_app, moved, day):
    client = private_app.test_client()
    login(client, "viewer1")
    resp = client.get(f"/api/wall/place/courtyards/{moved}?date={day}")
    assert resp.status_code == 400
    assert "date" in resp.get_data(as_text=True)


def test_a_bad_crs_is_400(private_app):
    client = private_app.test_client()
    login(client, "viewer1")
    assert client.get("/api/playback?crs=epsg3857").status_code == 400


def test_a_wall_screens_display_token_reads_the_playback_and_opens_its_page(private_app, moved):
    acc = private_app.extensions["guatu_accounts"]
    _, secret = acc.create_display_token("指挥中心大屏2", "/wall/playback?from=2026-11-24&to=2026-11-26&mode=compare")
    client = private_app.test_client()
    assert client.get("/api/playback").status_code == 401
    assert client.get("/wall/playback").status_code == 302  # to the login page
    headers = {"X-Guatu-Display": secret}
    assert client.get("/api/playback?from=2026-11-24&to=2026-11-26", headers=headers).status_code == 200
    page = client.get(f"/wall/playback?display={secret}&from=2026-01-01&mode=play")
    assert page.status_code == 200
    html = page.data.decode()
    # the token's own URL decides: its range and mode, whatever the request adds
    assert '"from": "2026-11-24"' in html and '"mode": "compare"' in html and '"displayToken": "' in html
    assert client.get("/api/mine?unit=区政府办", headers=headers).status_code == 403  # nothing more than before


def test_the_page_is_the_wall_page_with_the_playback_script_and_no_polling(private_app):
    client = private_app.test_client()
    login(client, "viewer1")
    resp = client.get("/wall/playback?from=2026-11-01&to=2026-11-24&speed=0.5&theme=dark&dashboard=1&refresh=5")
    assert resp.status_code == 200 and resp.headers["Cache-Control"] == "no-store"
    html = resp.data.decode()
    assert "<title>进度回放 · " in html
    assert '"refreshSeconds": 0' in html and '"dashboard": false' in html and '"theme": "dark"' in html
    assert '"speed": 0.5' in html and '"api": "/api/playback"' in html
    nonce = resp.headers["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert "unsafe-inline" not in resp.headers["Content-Security-Policy"]
    assert html.count("<script>") == 0 and f'<script nonce="{nonce}"' in html
    entry = bundles().scripts("js/pages/playback.js").entry  # the entry module's bundle (web/core/bundles.py)
    assert f'<script nonce="{nonce}" type="module" src="/static/{entry}">' in html


def test_a_mistyped_playback_bookmark_still_shows_a_page(private_app):
    client = private_app.test_client()
    login(client, "viewer1")
    html = client.get("/wall/playback?from=2026-12-01&to=2026-11-01&speed=fast&mode=movie").data.decode()
    today = date(2026, 11, 24)
    assert f'"to": "{today.isoformat()}"' in html and '"mode": "play"' in html and '"speed": 0.8' in html
    assert '"ignored": ["from/to' in html


def test_compare_mode_halves_the_first_map(private_app):
    client = private_app.test_client()
    login(client, "viewer1")
    html = client.get("/wall/playback?mode=compare").data.decode()
    assert "width: 50.0%" in html


def test_the_playback_is_in_the_openapi_document(private_app):
    doc = private_app.test_client().get("/api/openapi.json").get_json()
    op = doc["paths"]["/api/playback"]["get"]
    assert {p["name"] for p in op["parameters"]} >= {"from", "to", "crs"}
    assert {"200", "304", "400", "401"} <= set(op["responses"])


def test_the_playback_starts_from_the_wall_state_the_worker_keeps_and_reads_no_place(public_app_on_both, clock,
                                                                                        make_feature, monkeypatch):
    """The worker's kept wall state, brought up to date through creations, changes and a deletion, gives the
    document a walk of the store gives (the same places in the same order); and then no place is read."""
    from geo.playback import playback

    app = public_app_on_both()
    client = app.test_client()
    store = app.extensions["guatu"].store
    assert client.get("/api/wall/state").status_code == 200  # the wall state kept (as after a worker's warm-up)
    ids = [f["id"] for f in store.features("courtyards")]
    clock.advance(days=1)
    _set(store, ids[0], "in_progress")
    made = store.create("courtyards", make_feature("康复前街11号院", "pending", x=113.70), user="t").feature
    clock.advance(days=1)
    gone = store.get("courtyards", ids[1])
    store.delete("courtyards", ids[1], expected_version=gone["properties"]["version"], user="t")
    _set(store, made["id"], "rectified")
    walked = playback(store, app.extensions["guatu"].campaign, date(2026, 11, 23), date(2026, 11, 26))
    assert client.get("/api/wall/state").status_code == 200  # the kept state caught up with the edits

    read = []
    monkeypatch.setattr(store, "each_feature", lambda *a, **k: read.append(a) or iter(()))
    monkeypatch.setattr(store, "features", lambda *a, **k: read.append(a) or [])
    doc = client.get("/api/playback?from=2026-11-23&to=2026-11-26").get_json()
    assert read == []
    assert doc == walked
    states = dict(replay(doc))
    assert states["2026-11-26"]["courtyards"][made["id"]] == "rectified" and ids[1] not in states["2026-11-26"]["courtyards"]
