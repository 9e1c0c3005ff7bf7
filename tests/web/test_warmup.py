"""A new server process fills its caches in the background (web/wall/warmup.py, gunicorn.conf.py)."""

from __future__ import annotations

import gc
import gzip
import json
import logging
import re
import weakref
from datetime import datetime, timedelta

import pytest
import requests

from tests.faults.server import Server, copy_demo, make_editor_token
from tests.random_edits import WalkCounter
from tests.waiting import wait_until
from web import create_app
from web.core.context import guatu
from web.wall.warmup import freeze_kept_objects, warm_up

URL = "/api/wall/shapes/courtyards?bbox=113.60,34.66,113.70,34.75&zoom=14&format=binary&part=geometry&boxes=1"


@pytest.fixture
def big_app(seeded, clock, instance_dir):
    """The seeded campaign with `map.viewport_above` at 1: its courtyards are drawn one viewport at a time."""
    path = seeded / "campaign.json"
    config = json.loads(path.read_text(encoding="utf-8"))
    config["map"]["viewport_above"] = 1
    path.write_text(json.dumps(config, ensure_ascii=False), encoding="utf-8")
    return create_app({"TESTING": True, "GUATU_DATA": str(seeded), "GUATU_CLOCK": clock,
                       "GUATU_INSTANCE": str(instance_dir), "GUATU_PUBLIC_VIEW": True})


def test_warm_up_builds_the_full_state_the_viewport_index_and_the_panels_before_any_request(big_app, caplog):
    index = big_app.extensions["guatu"].viewport_index
    assert index._layers == {}
    with caplog.at_level(logging.INFO, logger="web.wall.warmup"):
        assert warm_up(big_app) is True
    assert "caches warmed" in caplog.text
    built = index._layers["courtyards"]
    assert built.tree is not None and len(built.ids) == len(big_app.extensions["guatu"].store.features("courtyards"))
    with big_app.app_context():
        key = guatu().wall.key(guatu().now())
        cached = [k for k in guatu().cache._items if k[0] == "wall-full"]
    assert cached == [("wall-full", key, True)]

    walks = WalkCounter(big_app.extensions["guatu"].store)
    client = big_app.test_client()
    assert client.get(URL).status_code == 200
    assert index._layers["courtyards"] is built  # the first screen's viewport used the warm index
    full = client.get("/api/wall/state", headers={"Accept-Encoding": "gzip"})
    assert full.status_code == 200 and full.headers["ETag"] == f'"{key.etag}"'
    # the panels a screen asks for next were built too: answering them walks no layer
    dashboard, milestones = client.get("/api/wall/dashboard"), client.get("/api/progress/milestones")
    assert dashboard.status_code == milestones.status_code == 200
    assert walks.walks == 0
    store = big_app.extensions["guatu"].store
    assert dashboard.get_json()["totals"]["total"] == sum(len(store.features(x.id)) for x in store.readable_layers())


def test_the_warm_up_compresses_the_data_a_wall_page_carries_and_the_first_page_reuses_it(big_app):
    streams = big_app.extensions["guatu"].page_streams
    assert streams.deflated == {}
    assert warm_up(big_app) is True
    (carried, stream), = [(run, s) for (_, run), s in streams.deflated.items()]  # the first data, deflated
    page = big_app.test_client().get("/wall", headers={"Accept-Encoding": "gzip"})
    assert page.status_code == 200 and page.headers["Content-Encoding"] == "gzip"
    assert carried in gzip.decompress(page.data)  # the page carries what was deflated ...
    assert any(s is stream for s in streams.deflated.values())  # ... and took its stream as it was, not made again


def test_with_postgresql_the_warm_up_keeps_the_large_layers_boxes_and_the_first_viewport_uses_them(
        big_app, seeded, campaign, clock, instance_dir, postgis_url, postgis_schema, tmp_path):  # big_app: viewport_above 1
    from geo.store.transfer import copy_to_postgis

    copy_to_postgis(seeded, campaign, postgis_url, schema=postgis_schema)
    app = create_app({"TESTING": True, "GUATU_DATA": str(seeded), "GUATU_CLOCK": clock, "GUATU_PUBLIC_VIEW": True,
                      "GUATU_INSTANCE": str(tmp_path / "pg-instance"), "GUATU_DATABASE_URL": postgis_url,
                      "GUATU_DATABASE_SCHEMA": postgis_schema})
    try:
        index = app.extensions["guatu"].viewport_index
        store = app.extensions["guatu"].store
        assert warm_up(app) is True
        (kept,) = index._boxes["courtyards"]
        assert index._layers == {}  # no geometry kept: the database answers outlines
        assert sorted(kept.ids.tolist()) == sorted(f["id"] for f in store.features("courtyards"))
        calls = []  # what the first screen's viewport asks the database for (each call goes through)
        for name in ("layer_boxes", "shapes_in_bbox"):
            real = getattr(store, name)
            setattr(store, name, lambda *a, _real=real, _name=name, **k: calls.append((_name, k.get("ids"))) or _real(*a, **k))
        assert app.test_client().get(URL.replace("zoom=14", "zoom=11")).status_code == 200
        # its dots came from the warm boxes: no box read again, no query over the whole view (only, if any, the
        # places along its edge, by id)
        assert index._boxes["courtyards"] == [kept] and all(name == "shapes_in_bbox" and ids for name, ids in calls)
    finally:
        app.extensions["guatu"].store.close()


def test_with_postgresql_a_rename_keeps_the_boxes_and_a_moved_place_has_them_read_again(
        big_app, seeded, campaign, clock, postgis_url, postgis_schema, tmp_path):  # big_app: viewport_above 1
    """The boxes go by the revision of the layer's outlines: a new name or deadline moves the shapes revision (the
    viewport is answered again) but reads no box; a place moved does, and its dot follows it."""
    from geo.store.transfer import copy_to_postgis

    copy_to_postgis(seeded, campaign, postgis_url, schema=postgis_schema)
    app = create_app({"TESTING": True, "GUATU_DATA": str(seeded), "GUATU_CLOCK": clock, "GUATU_PUBLIC_VIEW": True,
                      "GUATU_INSTANCE": str(tmp_path / "pg-instance"), "GUATU_DATABASE_URL": postgis_url,
                      "GUATU_DATABASE_SCHEMA": postgis_schema})
    far = URL.replace("zoom=14", "zoom=11")  # the district: every courtyard a dot, found from the boxes
    try:
        ctx = app.extensions["guatu"]
        store = ctx.store
        assert warm_up(app) is True
        reads = []
        real = store.layer_boxes
        store.layer_boxes = lambda *a, **k: reads.append(a) or real(*a, **k)
        client = app.test_client()
        first = client.get(far)
        place = store.features("courtyards")[0]
        store.update("courtyards", place["id"], expected_version=place["properties"]["version"], user="测试",
                     properties={"name": "改名后的大院", "deadline": "2031-01-31"})
        renamed = client.get(far)
        assert renamed.headers["ETag"] != first.headers["ETag"]  # a new shapes revision, answered again …
        assert reads == []  # … from the boxes kept
        ring = place["geometry"]["coordinates"][0]
        dx = 0.01
        moved = {"type": "Polygon", "coordinates": [[[x + dx, y] for x, y in ring]]}
        current = store.get("courtyards", place["id"])
        store.update("courtyards", place["id"], expected_version=current["properties"]["version"], user="测试",
                     geometry=moved)
        again = client.get(far)
        assert len(reads) == 1 and again.headers["ETag"] != renamed.headers["ETag"]
        (kept,) = [b for b in ctx.viewport_index._boxes["courtyards"] if b.revision == ctx.wall.geometry_shown("courtyards")]
        west = kept.boxes[0][kept.ids.tolist().index(place["id"])]
        assert west == pytest.approx(min(x for x, _ in ring) + dx)
    finally:
        app.extensions["guatu"].store.close()


def test_the_editor_page_opens_its_large_layers_on_the_extent_the_warm_up_kept_even_after_a_rename(big_app):  # big_app: viewport_above 1
    from tests.web.conftest import PASSWORD, login

    assert warm_up(big_app) is True
    big_app.extensions["guatu_accounts"].create_user("editor1", PASSWORD, "editor", "李编")
    client = big_app.test_client()
    login(client, "editor1")
    store = big_app.extensions["guatu"].store
    walks = []
    real = store.each_feature
    store.each_feature = lambda *a, **k: walks.append(a) or real(*a, **k)
    html = client.get("/edit").data.decode()
    options = json.loads(re.search(r'options: (\{.*?\})\};\n', html, re.S).group(1))
    with big_app.app_context():
        ctx = guatu()
        kept = ctx.wall.extent(tuple(x.id for x in ctx.store.readable_layers()))
    assert "courtyards" in options["large"] and all(v == kept for v in options["large"].values())
    assert walks == []  # no place read for it: the warm-up's extent
    place = store.features("courtyards")[0]  # a new name moves the shapes revision, not the outlines'
    store.update("courtyards", place["id"], expected_version=place["properties"]["version"], user="测试",
                 properties={"name": "改名后的大院"})
    assert client.get("/edit").status_code == 200 and walks == []


def test_a_failed_warm_up_is_logged_and_the_process_serves_on(big_app, caplog, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("disk gone")

    monkeypatch.setattr("web.wall.data.full_state", broken)
    with caplog.at_level(logging.ERROR, logger="web.wall.warmup"):
        assert warm_up(big_app) is False  # does not raise, and says so: the worker freezes nothing
    assert "warming up the caches failed" in caplog.text and "disk gone" in caplog.text
    monkeypatch.undo()
    assert big_app.test_client().get(URL).status_code == 200


class _Place:
    pass


def test_what_a_worker_holds_is_frozen_and_garbage_made_meanwhile_is_collected_first():
    kept = {"courtyards": [_Place()]}
    gc.collect()  # an object a warm-up built, in the oldest generation
    assert any(o is kept for o in gc.get_objects(generation=2))
    garbage = _Place()
    garbage.me = garbage  # a cycle: only the collector frees it
    gone = weakref.ref(garbage)
    del garbage
    try:
        assert freeze_kept_objects() > 0  # (the count now may be lower already: a frozen object freed since)
        assert not any(o is kept for o in gc.get_objects(generation=2))  # a full collection no longer walks it
        assert gone() is None
    finally:
        gc.unfreeze()


@pytest.mark.timeout(180)
def test_each_gunicorn_worker_warms_up_and_the_first_screen_gets_the_warm_state(tmp_path):
    """Real gunicorn (gunicorn.conf.py's post_worker_init), two worker processes: each says, in its log, that its
    caches are warm and for how many places, and starts its notifications' sender after that, not beside the
    warm-up; the first wall state asked for afterwards is the one a warm-up built (generated before that line),
    not one built for the request."""
    data = copy_demo(tmp_path / "data")
    config = json.loads((data / "campaign.json").read_text(encoding="utf-8"))
    config["map"]["viewport_above"] = 1  # the courtyards' viewport index is warmed too
    (data / "campaign.json").write_text(json.dumps(config, ensure_ascii=False), encoding="utf-8")
    instance = tmp_path / "instance"
    token = make_editor_token(instance)
    sizes = {layer["id"]: len(json.loads((data / layer["file"]).read_text(encoding="utf-8"))["features"])
             for layer in config["layers"]}
    with Server(data, instance, tmp_path / "server.log", workers=2, env={"GUATU_LOG_FORMAT": "json"}) as server:
        frozen = wait_until(lambda: _frozen_lines(server.log()) if len(_frozen_lines(server.log())) == 2 else None,
                            "both workers' lines saying their caches are warm and frozen", timeout=120, interval=0.1)
        senders = wait_until(lambda: _sender_lines(server.log()) if len(_sender_lines(server.log())) == 2 else None,
                             "both workers' lines saying their senders run", timeout=120, interval=0.1)
        warmed = _warm_up_lines(server.log())  # each written before its worker froze
        first = requests.get(server.url + "/api/wall/state?format=packed", timeout=30,
                             headers={"Authorization": f"Bearer {token}"})
        log = server.log()
    assert "warming up the caches failed" not in log and "caches not warmed" not in log
    assert len(warmed) == 2 and all(int(r["message"].rsplit(" ", 1)[1]) > 0 for r in frozen)
    order = [(r["pid"], r["logger"]) for r in _records(log, ("web.wall.warmup", "web.notify.service"))
             if r in frozen or r in senders]  # in the log's order: each worker froze its caches, then its sender ran
    assert sorted({pid for pid, _ in order}) == sorted(r["pid"] for r in frozen) == sorted(r["pid"] for r in senders)
    for pid in {pid for pid, _ in order}:
        assert [name for p, name in order if p == pid] == ["web.wall.warmup", "web.notify.service"]
    for line in warmed:
        counts = re.fullmatch(r"caches warmed in \d+\.\d s \((.*)\)", line["message"]).group(1)
        assert dict(part.rsplit(" ", 1) for part in counts.split(", ")) == {k: str(v) for k, v in sizes.items()}
    assert first.status_code == 200
    state = first.json()
    assert state["kind"] == "full" and state["total"] == sum(sizes.values())
    # built by a warm-up, before its worker logged the line; a state built for this request would be newer
    assert datetime.fromisoformat(state["generated_at"]) <= max(_log_time(line) for line in warmed)


def _warm_up_lines(log: str) -> list[dict]:
    """The JSON log records of web.wall.warmup that say the caches are warm (whole lines: one may be half written)."""
    return [r for r in _records(log) if r["message"].startswith("caches warmed in ")]


def _frozen_lines(log: str) -> list[dict]:
    return [r for r in _records(log) if r["message"].startswith("objects kept out of the garbage collector's passes")]


def _sender_lines(log: str) -> list[dict]:
    return [r for r in _records(log, ("web.notify.service",)) if r["message"].startswith("the notifications' sender runs")]


def _records(log: str, loggers: tuple[str, ...] = ("web.wall.warmup",)) -> list[dict]:
    """The JSON log records of these loggers, in order (whole lines: the last one may be half written)."""
    records = [json.loads(line) for line in log[:log.rfind("\n") + 1].splitlines() if line.startswith("{")]
    return [r for r in records if r.get("logger") in loggers]


def _log_time(record: dict) -> datetime:
    """A JSON log record's time (milliseconds, UTC), rounded up to the next millisecond."""
    return datetime.fromisoformat(record["time"].replace("Z", "+00:00")) + timedelta(milliseconds=1)
