"""My places (四包一): who answers for what, most urgent first."""

from __future__ import annotations

import pytest

from geo.ledger import add_problem
from geo.responsibility import Responsibility, my_places, responsible_names
from tests.random_edits import READERS, RandomEdits, WalkCounter
from tests.walked import walked_mine, walked_names
from tests.web.conftest import login
from web import create_app


def _add(store, campaign, fid, **problem):
    feature = store.get("courtyards", fid)
    changes = add_problem(feature, {"category": "乱堆乱放", "description": "杂物", **problem}, campaign,
                          store.clock().date())
    store.update("courtyards", fid, expected_version=feature["properties"]["version"], user="t", properties=changes)


def test_places_of_a_person_sorted_overdue_then_overnight_then_deadline(seeded, campaign, clock):
    mine = sorted(f["id"] for f in seeded.features("courtyards") if f["properties"]["people"]["grid_worker"] == "戴新民")
    assert len(mine) == 3
    a, b, c = mine
    _add(seeded, campaign, a, deadline="2026-12-20")
    _add(seeded, campaign, b, deadline="2026-11-20", found_on="2026-11-18")  # overdue
    _add(seeded, campaign, c, deadline="2026-12-01", found_by="每日随机督导", found_on="2026-11-22")  # overnight
    result = my_places(seeded, campaign, clock(), person="戴新民")
    assert [p["id"] for p in result["places"]] == [b, c, a]
    assert result["overdue"] == 1 and result["overnight"] == 1
    assert result["places"][0]["roles"] == ["网格员"] and result["places"][0]["days_left"] == -4
    assert my_places(seeded, campaign, clock(), person="没有这个人")["count"] == 0


def test_places_of_a_unit(seeded, campaign, clock):
    assert my_places(seeded, campaign, clock(), unit="区政府办")["count"] == 4
    assert my_places(seeded, campaign, clock(), unit="区教育局")["count"] == 5


def test_the_page_defaults_to_the_logged_in_users_name(client):
    login(client, "editor1")  # 戴新民, a grid worker of three places
    page = client.get("/mine").get_data(as_text=True)
    assert "戴新民" in page and "共 3 处" in page
    data = client.get("/api/mine?unit=区政府办").get_json()
    assert data["count"] == 4 and data["unit"] == "区政府办"
    assert client.get("/api/mine").get_json()["person"] == "戴新民"


def test_the_form_offers_everyone_responsible_and_every_unit(client, seeded, campaign):
    names = responsible_names(seeded, campaign)
    people = {v for f in seeded.features("courtyards") for v in f["properties"]["people"].values() if v}
    assert people <= set(names["people"]) and "戴新民" in names["people"]
    assert {"区政府办", "区教育局"} <= set(names["units"]) and names["units"] == sorted(names["units"])
    for name in names["units"]:  # each one the form offers finds places
        assert my_places(seeded, campaign, seeded.clock(), unit=name)["count"] > 0
    login(client, "editor1")
    page = client.get("/mine").get_data(as_text=True)
    assert 'list="guatu-people"' in page and '<option value="戴新民">' in page and '<option value="区政府办">' in page



def test_a_long_list_comes_a_page_at_a_time_in_the_same_order(client, seeded, campaign):
    for fid in ("c-0001", "c-0002"):  # two cases: the case list has a next page at one a page
        _add(seeded, campaign, fid, deadline="2026-12-20")
    login(client, "editor1")
    whole = client.get("/api/mine?unit=区教育局").get_json()
    assert whole["count"] == 5 and len(whole["places"]) == 5 and whole["limit"] == 100
    pages = [client.get(f"/api/mine?unit=区教育局&limit=2&offset={offset}").get_json() for offset in (0, 2, 4)]
    assert [p["id"] for page in pages for p in page["places"]] == [p["id"] for p in whole["places"]]
    assert {page["count"] for page in pages} == {5} and [len(page["places"]) for page in pages] == [2, 2, 1]
    for bad in ("limit=0", "limit=501", "offset=-1", "limit=x"):
        resp = client.get(f"/api/mine?unit=区教育局&{bad}")
        assert resp.status_code == 400 and "应为" in resp.get_json()["message"], bad
    page = client.get("/mine?unit=区教育局&limit=2&offset=2").get_data(as_text=True)
    nav = page.split('class="mine-pages screen-only"')[1].split("</nav>")[0]
    assert "第 3–4 处(共 5 处)" in nav
    assert "offset=0" in nav and "offset=4" in nav and "上一页" in nav and "下一页" in nav
    assert page.count('<tr class="') == 2
    odd = client.get("/mine?unit=区教育局&limit=2&offset=2&endpoint=x&_external=1")  # url_for's own names: a 500 once
    assert odd.status_code == 200 and "endpoint=" not in odd.get_data(as_text=True).split("mine-pages")[1]
    cases = client.get("/cases?queue=all&limit=1&endpoint=x")
    assert cases.status_code == 200 and "offset=1" in cases.get_data(as_text=True)  # its next page's link


def test_asking_a_public_view_for_no_one_is_refused_in_chinese(seeded, data_dir, clock, tmp_path):
    app = create_app({"TESTING": True, "GUATU_DATA": str(data_dir), "GUATU_CLOCK": clock,
                      "GUATU_INSTANCE": str(tmp_path / "instance"), "GUATU_PUBLIC_VIEW": True})
    resp = app.test_client().get("/api/mine")  # a visitor: no name of their own
    assert resp.status_code == 400
    assert "请指定责任人" in resp.get_data(as_text=True)


@pytest.mark.parametrize("backend", READERS)
def test_the_kept_index_answers_as_walking_every_place(store_factory, campaign, clock, backend):
    kind, options = READERS[backend]
    writer, reader = store_factory(kind), store_factory(kind, **options)
    edits = RandomEdits(writer, clock, 4)
    kept = Responsibility(reader, campaign)
    walks = WalkCounter(reader)
    rebuilt = 0
    days = {clock().date()}
    for step in range(50):
        what = edits.step()
        days.add(clock().date())
        now, revision = clock(), reader.revision()
        before = walks.walks
        names = kept.names(revision, now)
        asked = [{"person": "曹国庆"}, {"person": "孙宏伟"}, {"unit": "区政府办"}, {"person": "孙宏伟", "unit": "区政府办"},
                 {"person": "没有这个人"}]
        answers = [kept.places(revision, now, **who) for who in asked]
        after = walks.walks
        rebuilt += after > before
        walked = [walked_mine(reader, campaign, now, **who) for who in asked]
        assert names == walked_names(reader), (step, what)
        assert answers == walked, (step, what)
        walks.walks = after  # (the walks since are the test's own)
    assert rebuilt == 1 and len(days) > 1  # built once, brought up to date since, across days too
