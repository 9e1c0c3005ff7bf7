"""A layer file edited by hand so that one place is valid JSON but not a place as Guatu writes it (a ring left
open, a ledger that is not a list, a case due that is no instant): every route that reads the layer says which
file, line and place (503, the layer withheld), never a 500 from deep in a reader; the wall and the other
layers are served."""

from __future__ import annotations

import json

import pytest

from geo.store import open_store
from web import create_app

LAYER_FILE = "layers/courtyards.geojson"
BBOX = "bbox=113,34,114,35"
READERS = [
    f"/ogc/collections/courtyards/items?{BBOX}",
    "/ogc/collections/courtyards/items?filter-lang=cql2-text&filter="
    "S_INTERSECTS(geometry,POLYGON((113 34,114 34,114 35,113 35,113 34)))",
    f"/api/layers/courtyards/features?{BBOX}",
    "/print?format=pdf",
    "/reports/daily",
]


def _open_ring(feature: dict) -> str:
    feature["geometry"]["coordinates"][0].pop()  # the closing position deleted by hand
    return "多边形的环未闭合"


def _ledger_as_text(feature: dict) -> str:
    feature["properties"]["problems"] = "楼道堆物"
    return "problems"


def _due_not_an_instant(feature: dict) -> str:
    feature["properties"]["problems"] = [{"id": "p1", "category": "楼道堆物", "status": "open",
                                          "case": {"stage": "handling", "stage_due": "明天"}}]
    return "problems[0].case.stage_due"


FAULTS = {"open ring": _open_ring, "ledger as text": _ledger_as_text, "due not an instant": _due_not_an_instant}


@pytest.fixture(params=list(FAULTS))
def hand_edited(request, seeded, campaign, clock, instance_dir, make_feature):
    path = seeded / LAYER_FILE
    original = path.read_text(encoding="utf-8")
    lines = original.split("\n")
    feature = json.loads(lines[1].rstrip(","))
    words = FAULTS[request.param](feature)
    lines[1] = json.dumps(feature, ensure_ascii=False) + ","
    damaged = "\n".join(lines)
    path.write_text(damaged, encoding="utf-8")
    open_store(seeded, campaign, clock=clock).create("roads", make_feature("京广路", kind="道路"), user="张三")
    app = create_app({"TESTING": True, "GUATU_DATA": str(seeded), "GUATU_CLOCK": clock,
                      "GUATU_INSTANCE": str(instance_dir), "GUATU_PUBLIC_VIEW": True})
    return app, feature["id"], words, lambda ok: path.write_text(original if ok else damaged, encoding="utf-8")


@pytest.mark.parametrize("url", READERS)
def test_a_reader_of_the_layer_is_told_which_place_is_at_fault(hand_edited, url):
    app, fid, words, _ = hand_edited
    resp = app.test_client().get(url, headers={"Accept": "application/json"})
    assert resp.status_code == 503, resp.get_data(as_text=True)[:300]
    body = resp.get_json()
    assert body["error"] == "broken_layer"
    assert f"{LAYER_FILE} 第 2 行" in body["message"] and f"'{fid}'" in body["message"] and words in body["message"]


def test_the_wall_and_the_other_layers_are_served_and_health_names_the_place(hand_edited):
    app, fid, words, _ = hand_edited
    client = app.test_client()
    state = client.get("/api/wall/state")
    assert state.status_code == 200 and set(state.get_json()["layers"]) == {"roads", "villages"}
    page = client.get("/")
    assert page.status_code == 200 and '"id": "roads"' in page.get_data(as_text=True)
    assert "roads" in {c["id"] for c in client.get("/ogc/collections").get_json()["collections"]}
    roads = client.get(f"/ogc/collections/roads/items?{BBOX}")
    assert [f["properties"]["name"] for f in roads.get_json()["features"]] == ["京广路"]
    assert client.get("/api/cases").status_code == 200  # the other layers' cases; the pages' banner names the fault
    health = client.get("/api/health")
    assert health.status_code == 503
    assert f"'{fid}'" in health.get_json()["broken_layers"]["courtyards"] and words in health.get_json()["broken_layers"]["courtyards"]


WHOLE_CAMPAIGN = ["/api/cases", "/api/mine?person=张三", "/api/wall/dashboard", "/api/progress/milestones", "/api/timeline"]


def test_answers_about_the_whole_campaign_say_which_layer_they_left_out_until_it_is_put_right(hand_edited):
    app, _, _, sound = hand_edited
    client = app.test_client()
    sound(True)
    for url in WHOLE_CAMPAIGN:  # answered (and kept) while every layer is read
        assert client.get(url).get_json()["withheld"] == [], url
    sound(False)  # damaged again by hand: no change in the journal, the kept answers must not be served
    withheld = [{"layer": "courtyards", "title": app.extensions["guatu"].campaign.layer("courtyards").title}]
    for url in WHOLE_CAMPAIGN:
        resp = client.get(url)
        assert resp.status_code == 200 and resp.get_json()["withheld"] == withheld, url
    dashboard = client.get("/api/wall/dashboard").get_json()
    assert sum(s["total"] for s in dashboard["streets"]) == 1  # the road alone: the courtyards are not counted
    assert client.get("/api/timeline").get_json()["days"][-1]["total"] == 1
    sound(True)
    for url in WHOLE_CAMPAIGN:
        assert client.get(url).get_json()["withheld"] == [], url  # the answers kept for the partial campaign are not
    dashboard = client.get("/api/wall/dashboard").get_json()
    assert sum(s["total"] for s in dashboard["streets"]) == 4
    assert client.get("/api/timeline").get_json()["days"][-1]["total"] == 4


def test_a_screen_polling_is_sent_the_layers_read_when_a_layer_is_withheld_or_put_right(hand_edited):
    """Withheld and put right by hand, with no change in the journal: the state's revision is the same, but the
    screen's poll with its last ETag and revision gets the full state of the layers read, not a 304 or an empty
    delta."""
    app, _, _, sound = hand_edited
    client = app.test_client()
    sound(True)
    first = client.get("/api/wall/state")
    assert set(first.get_json()["layers"]) == {"courtyards", "roads", "villages"}
    revision = first.get_json()["revision"]

    def poll(after):
        return client.get(f"/api/wall/state?since={revision}", headers={"If-None-Match": after.headers["ETag"]})

    assert poll(first).status_code == 304
    sound(False)
    withheld = poll(first)
    assert withheld.status_code == 200
    assert withheld.get_json()["kind"] == "full" and set(withheld.get_json()["layers"]) == {"roads", "villages"}
    assert withheld.get_json()["revision"] == revision
    assert poll(withheld).status_code == 304
    sound(True)
    back = poll(withheld)
    assert back.status_code == 200
    assert back.get_json()["kind"] == "full" and set(back.get_json()["layers"]) == {"courtyards", "roads", "villages"}
    assert back.headers["ETag"] == first.headers["ETag"]
