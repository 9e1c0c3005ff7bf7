"""A place's photos in what the wall and the history pages are sent, on both stores: the card lists them newest
first with their image URLs (a display link: thumbnails only, and only when its link was made with photos); the
readable history names a photo change in Chinese with the photos concerned."""

from __future__ import annotations

import io

import pytest

from tests.conftest import make_feature
from tests.deployment import private_deployment
from tests.photos.images import jpeg

PROBLEM = {"id": "p1", "category": "飞线充电", "description": "楼道飞线", "status": "open"}


@pytest.fixture(params=["geojson", "postgis"])
def site(request, tmp_path):
    """A courtyard with a ledger problem, and through the photo API a 现场 photo and then an 整改后 one of it."""
    database = None
    if request.param == "postgis":
        database = (request.getfixturevalue("postgis_url"), request.getfixturevalue("postgis_schema"))
    d = private_deployment(tmp_path, [make_feature("大学路1号院", street="大学路街道", problems=[PROBLEM])],
                           accounts=("editor1", "viewer1"), database=database)
    client = d.app.test_client()
    ids = []
    for colour, fields in (((200, 40, 30), {}), ((30, 60, 200), {"role": "after"})):
        tail = "problems/p1/photos" if fields else "photos"
        resp = client.post(f"/api/layers/courtyards/features/{d.fids[0]}/{tail}", headers=d.auth("editor1"),
                           data={"file": (io.BytesIO(jpeg(colour=colour)), "现场.jpg"), **fields},
                           content_type="multipart/form-data")
        assert resp.status_code == 201, resp.get_json()
        ids.append(resp.get_json()["photo"]["id"])
    yield d, ids
    d.app.extensions["guatu"].store.close()


def card(d, query: dict | None = None, headers: dict | None = None) -> dict:
    resp = d.app.test_client().get(f"/api/wall/place/courtyards/{d.fids[0]}", query_string=query, headers=headers)
    assert resp.status_code == 200, resp.get_json()
    return resp.get_json()


def test_a_viewer_sees_the_photos_newest_first_with_their_image_urls(site):
    d, ids = site
    photos = card(d, headers=d.auth("viewer1"))["photos"]
    assert [(p["id"], p["role_label"], p["problem"]) for p in photos] == [(ids[1], "整改后", "p1"), (ids[0], "现场", None)]
    assert photos[0]["taken_by"] == "李编 (editor1)" and "location" not in photos[0]
    assert set(photos[0]["urls"]) == {"thumb", "preview", "full"}
    image = d.app.test_client().get(photos[0]["urls"]["thumb"], headers=d.auth("viewer1"))
    assert image.status_code == 200 and image.mimetype == "image/jpeg"


def test_a_display_link_sees_thumbnails_only_when_its_link_allows_photos(site):
    d, ids = site
    acc = d.app.extensions["guatu_accounts"]
    _, without = acc.create_display_token("无照片大屏", "/wall")
    _, with_photos = acc.create_display_token("有照片大屏", "/wall", photos=True)
    assert card(d, {"display": without})["photos"] == []
    photos = card(d, {"display": with_photos})["photos"]
    assert [p["id"] for p in photos] == list(reversed(ids))
    assert set(photos[0]["urls"]) == {"thumb"}
    thumb = d.app.test_client().get(photos[0]["urls"]["thumb"], query_string={"display": with_photos})
    assert thumb.status_code == 200


def test_the_readable_history_names_the_photo_change_with_its_photo(site):
    d, ids = site
    client = d.app.test_client()
    history = client.get(f"/api/layers/courtyards/features/{d.fids[0]}/history/readable",
                         headers=d.auth("viewer1")).get_json()
    assert [[(c["label"], c["after"]) for c in e["changes"]] for e in history[-2:]] == [
        [("照片", "新增照片 1 张(现场)")], [("照片", "新增照片 1 张(整改后)")]]
    added = history[-1]["changes"][0]["photos"]
    assert [(p["id"], p["change"]) for p in added] == [(ids[1], "added")]
    assert added[0]["urls"]["thumb"] == f"/photos/{ids[1]}/thumb.jpg"
    page = client.get(f"/places/courtyards/{d.fids[0]}/history", headers=d.auth("viewer1")).get_data(as_text=True)
    assert "新增照片 1 张(整改后)" in page and f'data-photo="{ids[1]}"' in page
