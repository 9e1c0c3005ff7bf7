"""A day's inspection list damaged behind the server's back (edited by hand, a bad restore; on either store):
what reads it answers 503 naming the record and what to do, /api/health and every screen's banner say so, the
wall's map is served; put right, it is used again. Before, each of these answered 500."""

from __future__ import annotations

import json

import psycopg
import pytest

from geo import inspections as insp
from geo.errors import BrokenRecord
from geo.store.base import parse_record
from tests.web.conftest import login

DAY = "2026-11-24"  # the test clock's day
READERS = [f"/api/inspections/{DAY}", "/api/wall/inspections", f"/api/field/{DAY}", "/reports/daily", "/inspections"]


def _damage(kind: str, text: str) -> str:
    doc = json.loads(text)
    if kind == "cut short":
        return text[: len(text) // 2]
    if kind == "places as text":
        doc["places"] = "x"
    elif kind == "a result as text":
        doc["places"][0]["result"] = "ok"
    elif kind == "a result's time as a number":
        doc["places"][0]["result"] = {"result": "ok", "label": "正常", "at": 5, "inspector": "张三"}
    return json.dumps(doc, ensure_ascii=False)


DAMAGE = {"cut short": "无法解析", "places as text": "places", "a result as text": "places[0].result",
          "a result's time as a number": "places[0].result.at"}


@pytest.mark.parametrize("kind", list(DAMAGE))
def test_a_damaged_list_is_named_where_it_is_read_and_on_the_banner(app, seeded, kind):
    client = app.test_client()
    csrf = login(client, "editor1")
    assert client.post(f"/api/inspections/{DAY}", json={"count": 4, "seed": 7}, headers={"X-CSRF-Token": csrf}).status_code == 201
    path = seeded.dir / "inspections" / f"{DAY}.json"
    good = path.read_text(encoding="utf-8")
    path.write_text(_damage(kind, good), encoding="utf-8")

    for url in READERS:
        resp = client.get(url, headers={"Accept": "application/json"})
        assert resp.status_code == 503, (url, resp.get_data(as_text=True)[:300])
        body = resp.get_json()
        assert body["error"] == "broken_record", url
        assert f"记录 inspections/{DAY}" in body["message"] and DAMAGE[kind] in body["message"], url
    health = client.get("/api/health")
    assert health.status_code == 503
    [problem] = [p for p in health.get_json()["problems"] if p["code"] == "broken_record"]
    assert problem["where"].startswith(f"inspections/{DAY}") and DAMAGE[kind] in problem["message"]
    assert problem["remedy"]
    assert client.get("/api/wall/state").status_code == 200  # the wall's map is served
    refused = client.post(f"/api/inspections/{DAY}", json={"count": 4, "replace": True}, headers={"X-CSRF-Token": csrf})
    assert refused.status_code == 503 and path.read_text(encoding="utf-8") == _damage(kind, good)  # never written over

    path.write_text(good, encoding="utf-8")  # put right
    assert client.get(f"/api/inspections/{DAY}").status_code == 200
    assert client.get("/api/health").status_code == 200


@pytest.mark.parametrize("backend", ["geojson", "postgis"])
def test_a_record_that_does_not_parse_is_a_broken_record_on_either_store(store_factory, backend, request):
    store = store_factory(backend)
    store.put_record("inspections", DAY, {"date": DAY, "seed": 1, "places": []})
    assert insp.load(store, insp.parse_day(DAY)) == {"date": DAY, "seed": 1, "places": []}
    if backend == "geojson":
        (store.dir / "inspections" / f"{DAY}.json").write_text('{"date": "2026-11-', encoding="utf-8")
    else:
        with psycopg.connect(request.getfixturevalue("postgis_url"), autocommit=True) as conn:
            conn.execute(f"UPDATE {request.getfixturevalue('postgis_schema')}.records SET body = '[1, 2]' "
                         "WHERE kind = 'inspections' AND key = %s", (DAY,))
    with pytest.raises(BrokenRecord) as info:
        store.record("inspections", DAY)
    assert f"inspections/{DAY}" in info.value.message and "store repair" in info.value.message
    assert insp.list_problems(store, insp.parse_day(DAY))[0].code == "broken_record"


def test_parse_record_keeps_an_object_and_names_anything_else():
    assert parse_record(b'{"a": 1}', "x/y.json") == {"a": 1}
    for data in (b"", b"[1]", b'"text"', b"{"):
        with pytest.raises(BrokenRecord) as info:
            parse_record(data, "x/y.json")
        assert info.value.message.startswith("记录 x/y.json 无法解析")


def test_an_old_damaged_list_leaves_todays_phone_list_and_the_notifications_going(app, seeded, campaign, clock):
    """The phones' list reads the last 60 days' results; the sender announces today's list: a damaged old list
    is left out of the first, a damaged list of today is not announced, and neither stops."""
    from geo.notify.sources import collect

    client = app.test_client()
    csrf = login(client, "editor1")
    for day in ("2026-11-23", DAY):
        assert client.post(f"/api/inspections/{day}", json={"count": 3, "seed": 5},
                           headers={"X-CSRF-Token": csrf}).status_code == 201
    (seeded.dir / "inspections" / "2026-11-23.json").write_text('{"places": 1}', encoding="utf-8")
    field = client.get(f"/api/field/{DAY}")
    assert field.status_code == 200 and len(field.get_json()["places"]) == 3

    (seeded.dir / "inspections" / f"{DAY}.json").write_text("{", encoding="utf-8")
    collect(seeded, campaign, clock())  # no BrokenRecord out of the sender's round
