"""Live wall polls over HTTP: 304 while nothing changed, deltas without geometry, full states when due.

Two app instances on one data directory stand for two server processes:
whatever one writes, the other answers alike (state comes from the files
and the journal, never from one process's memory).
"""

from __future__ import annotations

import base64
import json

import pytest

from geo.wall import data as wall_data
from geo.wall.codec import unpack_ids
from tests.web.conftest import PASSWORD
from web import create_app


def basic(user: str = "editor1") -> dict:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{PASSWORD}".encode()).decode()}


@pytest.fixture
def other_app(seeded, clock, instance_dir, private_app):
    """A second app on the same data and accounts: another server process."""
    return create_app({"TESTING": True, "GUATU_DATA": str(seeded), "GUATU_CLOCK": clock,
                       "GUATU_INSTANCE": str(instance_dir)})


def first_state(client) -> tuple[dict, str]:
    resp = client.get("/api/wall/state", headers=basic("viewer1"))
    assert resp.status_code == 200
    return resp.get_json(), resp.headers["ETag"]


def poll(client, state: dict, etag: str):
    return client.get(f"/api/wall/state?since={state['revision']}", headers={**basic("viewer1"), "If-None-Match": etag})


def test_unchanged_campaign_answers_304_with_no_body(private_app):
    client = private_app.test_client()
    state, etag = first_state(client)
    assert state["kind"] == "full" and state["revision"] == 3
    again = poll(client, state, etag)
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag


def test_a_status_change_through_the_api_sends_only_that_place_without_geometry(private_app):
    client = private_app.test_client()
    state, etag = first_state(client)
    resp = client.patch("/api/layers/courtyards/features/c-0002", json={"properties": {"status": "rectified"}},
                        headers={**basic(), "If-Match": '"c-0002-v1"'})
    assert resp.status_code == 200
    delta = poll(client, state, etag)
    assert delta.status_code == 200 and delta.headers["ETag"] != etag
    body = delta.get_json()
    assert body["kind"] == "delta" and body["since"] == 3 and body["revision"] == 4
    assert body["layers"]["courtyards"]["features"] == {"c-0002": ["rectified", 0, 0, 0, 0]}
    assert body["layers"]["roads"]["features"] == {} and body["layers"]["courtyards"]["removed"] == []
    assert b"coordinates" not in delta.data and b"geometry" not in delta.data
    # a status change does not make screens refetch the layer's shapes
    assert body["layers"]["courtyards"]["shapes"] == state["layers"]["courtyards"]["shapes"] == 3
    # and the next poll is a 304 again
    assert poll(client, body, delta.headers["ETag"]).status_code == 304


def test_a_batch_status_post_reaches_the_delta(private_app):
    client = private_app.test_client()
    state, etag = first_state(client)
    resp = client.post("/api/layers/courtyards/status", headers=basic(),
                       json={"status": "relapsed", "features": {"c-0001": 1, "c-0003": 1}})
    assert resp.status_code == 200
    body = poll(client, state, etag).get_json()
    assert {k: v[0] for k, v in body["layers"]["courtyards"]["features"].items()} == {"c-0001": "relapsed",
                                                                                      "c-0003": "relapsed"}


def test_geometry_and_attribute_edits_move_the_shapes_revision_status_edits_do_not(private_app):
    client = private_app.test_client()
    state, _ = first_state(client)
    shapes = state["layers"]["courtyards"]["shapes"]
    ring = [[113.6641, 34.72], [113.6652, 34.72], [113.6652, 34.7211], [113.6641, 34.7211], [113.6641, 34.72]]
    client.patch("/api/layers/courtyards/features/c-0003", headers=basic(),
                 json={"version": 1, "geometry": {"type": "Polygon", "coordinates": [ring]}})
    after_geometry = first_state(client)[0]["layers"]["courtyards"]["shapes"]
    assert after_geometry == 4 > shapes
    client.patch("/api/layers/courtyards/features/c-0003", headers=basic(), json={"version": 2, "properties": {"status": "accepted"}})
    assert first_state(client)[0]["layers"]["courtyards"]["shapes"] == 4
    client.patch("/api/layers/courtyards/features/c-0003", headers=basic(), json={"version": 3, "properties": {"name": "新名字院"}})
    assert first_state(client)[0]["layers"]["courtyards"]["shapes"] == 6
    packed = client.get("/api/wall/shapes/courtyards?format=packed&part=attributes", headers=basic("viewer1")).get_json()
    assert packed["revision"] == 6 and "新名字院" in packed["name"]


def test_a_deleted_place_is_listed_as_removed(private_app):
    client = private_app.test_client()
    state, etag = first_state(client)
    assert client.delete("/api/layers/courtyards/features/c-0001", headers={**basic(), "If-Match": '"c-0001-v1"'}).status_code == 204
    body = poll(client, state, etag).get_json()
    assert body["layers"]["courtyards"]["removed"] == ["c-0001"]
    assert body["layers"]["courtyards"]["shapes"] == 4


def test_two_processes_answer_the_same_poll_alike(private_app, other_app):
    a, b = private_app.test_client(), other_app.test_client()
    state_a, etag_a = first_state(a)
    state_b, etag_b = first_state(b)
    assert etag_a == etag_b and state_a == {**state_b, "generated_at": state_a["generated_at"]}
    assert poll(b, state_a, etag_a).status_code == 304  # B honours A's ETag
    # a write in process A ...
    a.patch("/api/layers/courtyards/features/c-0002", json={"version": 1, "properties": {"status": "accepted"}}, headers=basic())
    # ... is what process B sends to a screen that polled A before
    delta = poll(b, state_a, etag_a)
    assert delta.status_code == 200
    assert delta.get_json()["layers"]["courtyards"]["features"] == {"c-0002": ["accepted", 0, 0, 0, 0]}
    again_a = poll(a, state_a, etag_a)
    assert again_a.headers["ETag"] == delta.headers["ETag"] and again_a.get_json()["layers"] == delta.get_json()["layers"]
    assert poll(a, delta.get_json(), delta.headers["ETag"]).status_code == 304


def test_a_new_local_day_sends_the_full_state(private_app, clock):
    client = private_app.test_client()
    client.patch("/api/layers/courtyards/features/c-0003", headers=basic(), json={"version": 1, "properties": {"deadline": "2026-11-24"}})
    clock.now = clock.now.replace(hour=15, minute=59)  # 23:59 in Zhengzhou
    state, etag = first_state(client)
    assert state["layers"]["courtyards"]["features"]["c-0003"][1] == 0
    assert poll(client, state, etag).status_code == 304
    clock.now = clock.now.replace(hour=16, minute=1)  # 00:01 the next day: no write, yet flags change
    resp = poll(client, state, etag)
    assert resp.status_code == 200
    body = resp.get_json()
    assert body["kind"] == "full" and body["day"] == "2026-11-25"
    assert body["layers"]["courtyards"]["features"]["c-0003"][1] == 1  # overdue now


def test_the_overnight_cutoff_passing_sends_the_full_state(private_app, clock):
    client = private_app.test_client()
    problem = {"category": "飞线充电", "description": "楼道飞线充电", "found_on": "2026-11-24", "found_by": "每日随机督导",
               "deadline": "2026-12-30", "status": "open"}
    client.patch("/api/layers/courtyards/features/c-0001", headers=basic(), json={"version": 1, "properties": {"problems": [problem]}})
    clock.now = clock.now.replace(day=24, hour=23, minute=59)  # 07:59 on the 25th in Zhengzhou
    state, etag = first_state(client)
    assert state["after_cutoff"] is False and state["layers"]["courtyards"]["features"]["c-0001"][2] == 0
    clock.now = clock.now.replace(day=25, hour=0, minute=1)  # 08:01: the problem stayed overnight
    body = poll(client, state, etag).get_json()
    assert body["kind"] == "full" and body["after_cutoff"] is True
    assert body["layers"]["courtyards"]["features"]["c-0001"][:3] == ["accepted", 0, 1]
    assert body["overnight_places"] == 1


def test_a_revision_too_old_to_catch_up_from_gets_the_full_state(private_app, monkeypatch):
    monkeypatch.setattr(wall_data, "MAX_DELTA", 2)
    client = private_app.test_client()
    state, etag = first_state(client)
    for fid in ("c-0001", "c-0002", "c-0003"):
        client.patch(f"/api/layers/courtyards/features/{fid}", headers=basic(), json={"version": 1, "properties": {"status": "pending"}})
    body = poll(client, state, etag).get_json()
    assert body["kind"] == "full" and body["revision"] == 6
    assert client.get("/api/wall/state?since=5", headers=basic("viewer1")).get_json()["kind"] == "delta"


def test_a_bad_since_is_refused_and_a_future_one_gets_the_full_state(private_app):
    client = private_app.test_client()
    assert client.get("/api/wall/state?since=abc", headers=basic("viewer1")).status_code == 400
    assert client.get("/api/wall/state?since=99", headers=basic("viewer1")).get_json()["kind"] == "full"


def test_a_poll_right_after_a_save_has_it_though_the_layer_file_is_not_written_yet(private_app, seeded):
    """A save is a journal append; the layer file follows at a compaction: a poll in between has the change."""
    client = private_app.test_client()
    state, etag = first_state(client)
    layer_file = seeded / "layers" / "courtyards.geojson"
    before = layer_file.read_bytes()
    client.patch("/api/layers/courtyards/features/c-0002", headers=basic(), json={"version": 1, "properties": {"status": "accepted"}})
    assert layer_file.read_bytes() == before
    done = poll(client, state, etag).get_json()
    assert done["revision"] == 4
    assert done["layers"]["courtyards"]["features"]["c-0002"][0] == "accepted"


def test_state_items_carry_overdue_problems_and_open_categories(client, seeded, campaign, clock):
    from geo.store import open_store

    store = open_store(seeded, campaign, clock=clock)  # today is 2026-11-24: one problem overdue, one not yet
    store.update("courtyards", "c-0002", expected_version=1, user="t", properties={"problems": [
        {"category": "飞线充电", "description": "飞线", "found_on": "2026-11-20", "deadline": "2026-11-22", "status": "open"},
        {"category": "乱堆乱放", "description": "杂物", "found_on": "2026-11-23", "deadline": "2026-11-30", "status": "open"}]})
    store_state = client.get("/api/wall/state").get_json()
    cats = store_state["categories"]
    assert cats[0] == "环境卫生死角"
    items = store_state["layers"]["courtyards"]["features"]
    assert [len(items[fid]) for fid in ("c-0001", "c-0002", "c-0003")] == [5, 7, 5]  # c-0002 is escalated too (7th)
    open_problems, overdue_problems, categories = items["c-0002"][3:6]
    assert (open_problems, overdue_problems) == (2, 1)
    assert sorted(cats[i] for i in categories) == ["乱堆乱放", "飞线充电"]


def test_packed_shapes_decode_to_the_stored_coordinates(client, seeded, campaign):
    from geo.store import open_store

    store = open_store(seeded, campaign)
    store.create("roads", {"properties": {"name": "大学路", "kind": "道路", "status": "pending"},
                           "geometry": {"type": "LineString", "coordinates": [[113.66, 34.72], [113.661, 34.7205], [113.662, 34.721]]}},
                 user="t")
    store.create("roads", {"properties": {"name": "航海路", "kind": "道路", "status": "pending"},
                           "geometry": {"type": "MultiPolygon", "coordinates": [
                               [[[113.65, 34.70], [113.651, 34.70], [113.651, 34.701], [113.65, 34.70]]],
                               [[[113.66, 34.70], [113.662, 34.70], [113.662, 34.702], [113.66, 34.702], [113.66, 34.70]],
                                [[113.6605, 34.7005], [113.6605, 34.7010], [113.6610, 34.7010], [113.6605, 34.7005]]]]}},
                 user="t")
    for layer in ("courtyards", "roads"):
        geo = json.loads(client.get(f"/api/wall/shapes/{layer}").data)
        packed = client.get(f"/api/wall/shapes/{layer}?format=packed").get_json()
        attributes = client.get(f"/api/wall/shapes/{layer}?format=packed&part=attributes").get_json()
        assert "name" not in packed  # geometry only: names come when a screen needs them
        assert unpack_ids(packed["ids"]) == unpack_ids(attributes["ids"]) == [f["id"] for f in geo["features"]]
        assert attributes["name"] == [f["properties"]["name"] for f in geo["features"]]
        assert geo["features"]
        assert decode(packed) == [f["geometry"] for f in geo["features"]]
        assert [attributes["streets"][i] or None for i in attributes["street"]] == [
            f["properties"]["street"] for f in geo["features"]]


def test_packed_ids_shrink_to_their_numbers_and_shapes_to_a_scope(client, seeded, campaign):
    from geo.store import open_store
    from geo.wall.codec import id_numbers, pack_ids, pack_numbers

    assert pack_ids(["c-0001", "c-0002", "c-0005"]) == {"prefix": "c-", "width": 4, "step": [1, 1, 3]}
    assert pack_ids(["c-0001", "r-0002"]) == ["c-0001", "r-0002"]
    assert pack_ids(["c-9", "c-10"]) == ["c-9", "c-10"]
    # the numbers read at once from the ids' bytes: a prefix in Chinese, numbers out of order, a large one
    assert pack_ids(["院-0012", "院-0003", "院-9999"]) == {"prefix": "院-", "width": 4, "step": [12, -9, 9996]}
    big = ["x" + "9" * 15, "x" + "0" * 14 + "1"]
    assert pack_ids(big) == {"prefix": "x", "width": 15, "step": [10 ** 15 - 1, 1 - (10 ** 15 - 1)]}
    assert pack_ids(["x" + "9" * 16]) == ["x" + "9" * 16]  # more digits than a browser adds up exactly: as they are
    assert pack_ids(["c-0001", "c-0001a", "c-0002"]) == ["c-0001", "c-0001a", "c-0002"]
    assert pack_ids(["a1", "a2\na3\na4"]) == ["a1", "a2\na3\na4"]  # a newline inside an id: not a row of its own
    assert pack_ids(["c-01", "c-0", "c-012"]) == ["c-01", "c-0", "c-012"]  # widths that add up to whole rows
    assert pack_ids(["c-01", "d-02"]) == ["c-01", "d-02"] and pack_ids(["c-01", "c-0x"]) == ["c-01", "c-0x"]
    assert unpack_ids(pack_ids(["院-0012", "院-0003"])) == ["院-0012", "院-0003"]
    # the numbers of a set of ids, and any of them packed from their numbers, as from their digits
    prefix, width, numbers = id_numbers(["院-0012", "院-0003", "院-9999"])
    assert (prefix, width, numbers.tolist()) == ("院-", 4, [12, 3, 9999])
    assert pack_numbers(prefix, width, numbers[[2, 0]]) == pack_ids(["院-9999", "院-0012"])
    assert pack_numbers(prefix, width, numbers[:0]) == pack_ids([]) == []
    assert id_numbers(["c-0001", "r-0002"]) is None and id_numbers([]) is None
    store = open_store(seeded, campaign)
    store.update("courtyards", "c-0002", properties={"street": "大学路街道"}, expected_version=1, user="t")
    scoped = client.get("/api/wall/shapes/courtyards?format=packed&street=大学路街道").get_json()
    assert unpack_ids(scoped["ids"]) == ["c-0002"] and scoped["geometry"]["types"] == [0]


def test_a_packed_full_state_says_the_same_as_the_plain_one(client):
    plain = client.get("/api/wall/state").get_json()
    packed = client.get("/api/wall/state?format=packed").get_json()
    assert list(packed["layers"]) == list(plain["layers"]) and plain["total"] > 0
    for layer_id, layer in packed["layers"].items():
        items = {}
        for i, fid in enumerate(unpack_ids(layer["ids"])):
            item = [packed["statuses"][layer["status"][i]], layer["flags"][i] & 1, layer["flags"][i] >> 1,
                    layer["open"][i], layer["overdue_problems"][i]]
            items[fid] = item + [layer["categories"][i]] if layer["categories"][i] else item
        assert items == plain["layers"][layer_id]["features"]



def test_packed_shapes_shift_to_gcj02_on_request(client):
    from geo.exchange.gcj02 import wgs84_to_gcj02

    plain = decode(client.get("/api/wall/shapes/courtyards?format=packed").get_json())
    shifted = decode(client.get("/api/wall/shapes/courtyards?format=packed&crs=gcj02").get_json())
    lon, lat = plain[0]["coordinates"][0][0]
    want = wgs84_to_gcj02(lon, lat)
    assert shifted[0]["coordinates"][0][0] == pytest.approx([float(want[0]), float(want[1])], abs=1.1e-6)
    assert client.get("/api/wall/shapes/courtyards?format=svg").status_code == 400


def decode(doc: dict) -> list[dict]:
    """The reference decoder of the packed format (js/wall/packed.js has the same logic, tested in tests/js/)."""
    coords, parts, scale = doc["geometry"]["coords"], doc["geometry"]["parts"], doc["scale"]
    pos = {"c": 0, "p": 0, "x": 0, "y": 0}

    def part() -> int:
        pos["p"] += 1
        return parts[pos["p"] - 1]

    def run(n: int, close: bool = False) -> list:
        out = []
        for _ in range(n):
            pos["x"] += coords[pos["c"]]
            pos["y"] += coords[pos["c"] + 1]
            pos["c"] += 2
            out.append([round(pos["x"] / scale, 6), round(pos["y"] / scale, 6)])
        return out + [out[0]] if close else out

    def polygon() -> list:
        return [run(part(), close=True) for _ in range(part())]

    out = []
    for t in doc["geometry"]["types"]:
        if t == 0:
            out.append({"type": "Polygon", "coordinates": polygon()})
        elif t == 1:
            out.append({"type": "MultiPolygon", "coordinates": [polygon() for _ in range(part())]})
        elif t == 2:
            out.append({"type": "LineString", "coordinates": run(part())})
        elif t == 3:
            out.append({"type": "MultiLineString", "coordinates": [run(part()) for _ in range(part())]})
        elif t == 4:
            out.append({"type": "Point", "coordinates": run(1)[0]})
        else:
            out.append({"type": "MultiPoint", "coordinates": run(part())})
    return out


def test_binary_shapes_carry_the_packed_coordinates_in_byte_planes(client):
    import numpy as np

    packed = client.get("/api/wall/shapes/courtyards?format=packed").get_json()
    resp = client.get("/api/wall/shapes/courtyards?format=binary")
    assert resp.status_code == 200 and resp.mimetype == "application/octet-stream"
    body = resp.data
    assert body[:4] == b"GTU1"
    size = int.from_bytes(body[4:8], "little")
    assert size % 4 == 0
    header = json.loads(body[8:8 + size])
    n = header["geometry"]["n"]
    planes = np.frombuffer(body[8 + size:], dtype=np.uint8).reshape(4, n)
    coords = planes.T.copy().view("<i4").reshape(-1)
    assert coords.tolist() == packed["geometry"]["coords"]
    assert header["ids"] == packed["ids"] and header["geometry"]["types"] == packed["geometry"]["types"]


def test_packed_shapes_follow_a_shape_change_and_stay_the_same_through_a_status_edit(client):
    """A layer's packed geometry and attributes, made by going through its places once: a status edit leaves
    them as they were, a changed name is in them at once, with the shapes revision it came with."""
    store = client.application.extensions["guatu"].store
    urls = ["/api/wall/shapes/courtyards?format=packed", "/api/wall/shapes/courtyards?format=packed&part=attributes"]
    first = [client.get(url).data for url in urls]
    place = store.get("courtyards", "c-0002")
    done = store.update("courtyards", "c-0002", properties={"status": "in_progress"},
                        expected_version=place["properties"]["version"], user="t")
    assert [client.get(url).data for url in urls] == first
    store.update("courtyards", "c-0002", properties={"name": "新名字院"}, expected_version=done.feature["properties"]["version"],
                 user="t")
    again = [client.get(url).get_json() for url in urls]
    assert again[1]["name"][unpack_ids(again[1]["ids"]).index("c-0002")] == "新名字院"
    assert again[0]["revision"] == again[1]["revision"] > json.loads(first[0])["revision"]
