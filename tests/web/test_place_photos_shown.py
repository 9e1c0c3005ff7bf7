"""A place's photos in what the wall and the history pages are sent: the card lists them newest first with their
image URLs (a display link: thumbnails only, and only when its link was made with photos); the readable history
names a photo change in Chinese with the photos concerned."""

from __future__ import annotations

import io

import pytest

from geo.photos import add_photo
from geo.store import open_store
from tests.photos.images import jpeg
from tests.web.conftest import login


@pytest.fixture
def place(private_app, seeded, campaign, clock):
    """The first courtyard, with a 现场 photo and, an hour later, a second one."""
    store = open_store(seeded, campaign, clock=clock)
    fid = store.features("courtyards")[0]["id"]
    ids = []
    for colour in ((200, 40, 30), (30, 60, 200)):
        entry, _ = add_photo(store, "courtyards", fid, io.BytesIO(jpeg(colour=colour)), user="督导组")
        ids.append(entry["id"])
        clock.advance(hours=1)
    return fid, ids


def card(client, fid, **query):
    resp = client.get(f"/api/wall/place/courtyards/{fid}", query_string=query)
    assert resp.status_code == 200
    return resp.get_json()


def test_a_viewer_sees_the_photos_newest_first_with_their_image_urls(private_app, place):
    fid, ids = place
    client = private_app.test_client()
    login(client, "viewer1")
    photos = card(client, fid)["photos"]
    assert [p["id"] for p in photos] == list(reversed(ids))
    assert photos[0]["role_label"] == "现场" and photos[0]["taken_by"] == "督导组" and "location" not in photos[0]
    assert set(photos[0]["urls"]) == {"thumb", "preview", "full"}
    assert client.get(photos[0]["urls"]["thumb"]).status_code == 200


def test_a_display_link_sees_thumbnails_only_when_its_link_allows_photos(private_app, place):
    fid, ids = place
    acc = private_app.extensions["guatu_accounts"]
    _, without = acc.create_display_token("无照片大屏", "/wall")
    _, with_photos = acc.create_display_token("有照片大屏", "/wall", photos=True)
    client = private_app.test_client()
    assert card(client, fid, display=without)["photos"] == []
    photos = card(client, fid, display=with_photos)["photos"]
    assert [p["id"] for p in photos] == list(reversed(ids))
    assert set(photos[0]["urls"]) == {"thumb"}


def test_the_readable_history_names_the_photo_change_with_its_photo(private_app, place):
    fid, ids = place
    client = private_app.test_client()
    login(client, "viewer1")
    history = client.get(f"/api/layers/courtyards/features/{fid}/history/readable").get_json()
    change = history[-1]["changes"]
    assert [(c["label"], c["after"]) for c in change] == [("照片", "新增照片 1 张(现场)")]
    assert change[0]["photos"][0]["id"] == ids[1] and change[0]["photos"][0]["urls"]["thumb"].endswith("/thumb.jpg")
    page = client.get(f"/places/courtyards/{fid}/history").get_data(as_text=True)
    assert "新增照片 1 张(现场)" in page and f'data-photo="{ids[0]}"' in page
