"""Photos attached to places and taken off, on both stores: one journaled change each, idempotent, ruled."""

from __future__ import annotations

import hashlib
import io
import threading

import pytest

from geo.errors import Conflict, NotFound, ValidationError
from geo.history import readable_history
from geo.photos import add_photo, photo_bytes, photos_of, remove_photo
from geo.photos.service import RETRIES
from tests.photos import images

BACKENDS = ["geojson", "postgis"]


@pytest.fixture(params=BACKENDS)
def store(request, store_factory):
    return store_factory(request.param)


@pytest.fixture
def place(store, make_feature):
    feature = make_feature(problems=[{"id": "p1", "category": store.campaign.categories[0], "description": "堆物"}])
    return store.create("courtyards", feature, user="planner").feature


def test_a_photo_is_kept_with_its_variants_and_listed_on_the_place_by_one_journaled_change(store, place):
    data = images.jpeg(orientation=6, gps=True, taken="2026:11:24 09:30:00", offset="+08:00")
    before = store.revision()
    entry, created = add_photo(store, "courtyards", place["id"], io.BytesIO(data), user="inspector", caption="门口堆物")
    assert created is True
    assert entry["id"] == hashlib.sha256(data).hexdigest()
    assert (entry["width"], entry["height"]) == (48, 64)  # Orientation 6: a 64×48 picture shown upright
    assert entry["taken_at"] == "2026-11-24T01:30:00Z"
    assert entry["location"] == {"lon": pytest.approx(images.GPS_LON), "lat": pytest.approx(images.GPS_LAT), "source": "exif"}
    assert (entry["role"], entry["taken_by"], entry["bytes"], entry["type"]) == ("place", "inspector", len(data), "image/jpeg")
    assert store.revision() == before + 1
    stored = store.get("courtyards", place["id"])
    assert stored["properties"]["photos"] == [entry]
    assert stored["properties"]["version"] == place["properties"]["version"] + 1
    assert store.history("courtyards", place["id"])[-1]["after"]["properties"]["photos"] == [entry]
    assert photo_bytes(store, entry["id"], "original") == data
    for variant in ("full", "preview", "thumb"):
        assert photo_bytes(store, entry["id"], variant)[:3] == b"\xff\xd8\xff"


def test_the_same_image_or_client_id_again_returns_the_existing_entry(store, place):
    first, created = add_photo(store, "courtyards", place["id"], io.BytesIO(images.jpeg()), user="a", client_id="c-1")
    again, created_again = add_photo(store, "courtyards", place["id"], io.BytesIO(images.jpeg()), user="b")
    retried, created_retry = add_photo(store, "courtyards", place["id"], io.BytesIO(images.png()), user="a",
                                       client_id="c-1")
    assert (created, created_again, created_retry) == (True, False, False)
    assert again == first and retried == first
    assert len(store.get("courtyards", place["id"])["properties"]["photos"]) == 1


def test_photos_are_listed_newest_first_and_by_problem_and_role(store, place):
    fid = place["id"]
    a, _ = add_photo(store, "courtyards", fid, io.BytesIO(images.jpeg(colour=(1, 2, 3))), user="u")
    b, _ = add_photo(store, "courtyards", fid, io.BytesIO(images.jpeg(colour=(4, 5, 6))), user="u", role="before", problem="p1")
    c, _ = add_photo(store, "courtyards", fid, io.BytesIO(images.jpeg(colour=(7, 8, 9))), user="u", role="after", problem="p1")
    feature = store.get("courtyards", fid)
    assert [e["id"] for e in photos_of(feature)] == [c["id"], b["id"], a["id"]]
    assert [e["id"] for e in photos_of(feature, problem="p1")] == [c["id"], b["id"]]
    assert [e["id"] for e in photos_of(feature, problem="p1", role="before")] == [b["id"]]


@pytest.mark.parametrize(("fields", "field"), [
    ({"role": "before"}, "problem"),  # before/after/check only with a problem
    ({"role": "place", "problem": "p1"}, "role"),  # a problem's photo is before, after or check
    ({"role": "selfie"}, "role"),
    ({"inspection": "2026-13-01"}, "inspection"),
    ({"taken_at": "yesterday"}, "taken_at"),
    ({"location": {"lon": 500, "lat": 30}}, "location"),
])
def test_a_photo_that_breaks_a_rule_is_refused_and_nothing_changes(store, place, fields, field):
    before = store.revision()
    with pytest.raises(ValidationError) as caught:
        add_photo(store, "courtyards", place["id"], io.BytesIO(images.jpeg()), user="u", **fields)
    assert [e.field for e in caught.value.errors] == [field]
    assert store.revision() == before
    assert list(store.blobs.ids()) == []


def test_a_photo_of_a_problem_the_place_does_not_have_is_refused(store, place):
    with pytest.raises(ValidationError) as caught:
        add_photo(store, "courtyards", place["id"], io.BytesIO(images.jpeg()), user="u", role="after", problem="p9")
    assert "p9" in caught.value.errors[0].message


def test_removing_a_photo_is_one_change_and_keeps_its_file(store, place):
    fid = place["id"]
    entry, _ = add_photo(store, "courtyards", fid, io.BytesIO(images.jpeg()), user="u")
    version = store.get("courtyards", fid)["properties"]["version"]
    with pytest.raises(Conflict):
        remove_photo(store, "courtyards", fid, entry["id"], user="u", expected_version=version - 1)
    feature = remove_photo(store, "courtyards", fid, entry["id"], user="u", expected_version=version)
    assert feature["properties"]["photos"] == []
    assert feature["properties"]["version"] == version + 1
    assert store.blobs.has(entry["id"])
    with pytest.raises(NotFound):
        remove_photo(store, "courtyards", fid, entry["id"], user="u")


FORGED = {"id": "ab" * 32, "role": "place", "problem": None, "inspection": None, "taken_at": None, "taken_by": "x",
          "added_at": "2026-11-24T08:00:00Z", "location": None, "width": 1, "height": 1, "bytes": 1,
          "type": "image/jpeg", "caption": "", "client_id": None}


def test_a_photo_list_whose_file_is_not_kept_is_refused(store, place):
    with pytest.raises(ValidationError) as caught:
        store.update("courtyards", place["id"], expected_version=place["properties"]["version"], user="u",
                     photos=[FORGED])
    assert caught.value.errors[0].field == "photos[0].id"
    assert store.get("courtyards", place["id"])["properties"] == place["properties"]


def test_an_ordinary_edit_cannot_write_photos_it_keeps_them_as_they_are(store, place):
    entry, _ = add_photo(store, "courtyards", place["id"], io.BytesIO(images.jpeg()), user="u")
    current = store.get("courtyards", place["id"])
    for photos in ([FORGED], [], None):
        result = store.update("courtyards", place["id"], expected_version=current["properties"]["version"], user="u",
                              properties={"photos": photos, "notes": f"第 {current['properties']['version']} 次"})
        current = result.feature
        assert current["properties"]["photos"] == [entry]
    created = store.create("courtyards", {**place, "id": None, "properties": {**place["properties"], "photos": [entry]}},
                           user="u").feature
    assert "photos" not in created["properties"]


@pytest.mark.parametrize("bad", [
    {"id": "XYZ"}, {"role": "selfie"}, {"role": "before"}, {"problem": "p1"}, {"width": 0}, {"bytes": -1},
    {"type": "image/gif"}, {"location": {"lon": 1, "lat": 95, "source": "device"}},
    {"location": {"lon": 1, "lat": 2, "source": "guess"}}, {"added_at": "soon"}, {"colour": "red"},
])
def test_a_photo_entry_of_the_wrong_shape_is_refused_by_validation(store, place, bad):
    data = images.jpeg(colour=(3, 3, 3))
    entry, _ = add_photo(store, "courtyards", place["id"], io.BytesIO(data), user="u")
    current = store.get("courtyards", place["id"])
    with pytest.raises(ValidationError):
        store.update("courtyards", place["id"], expected_version=current["properties"]["version"], user="u",
                     photos=[{**entry, **bad}])
    assert store.get("courtyards", place["id"])["properties"]["photos"] == [entry]


def test_an_edit_of_other_properties_keeps_the_photos(store, place):
    entry, _ = add_photo(store, "courtyards", place["id"], io.BytesIO(images.jpeg()), user="u")
    current = store.get("courtyards", place["id"])
    store.update("courtyards", place["id"], expected_version=current["properties"]["version"], user="u",
                 properties={"status": "rectified"})
    assert store.get("courtyards", place["id"])["properties"]["photos"] == [entry]


def test_photos_added_at_the_same_time_by_several_inspectors_are_all_kept(store, place):
    """Each attach re-reads the place when another change landed first: the list is only appended to. Each lost
    race means another attach won, so six never need more than the service's retries (RETRIES)."""
    fid = place["id"]
    uploads = [images.jpeg(colour=(10 * i, 0, 0)) for i in range(6)]
    assert len(uploads) <= RETRIES
    errors: list[BaseException] = []

    def attach(data: bytes) -> None:
        try:
            add_photo(store, "courtyards", fid, io.BytesIO(data), user="inspector")
        except BaseException as exc:  # noqa: BLE001 — reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=attach, args=(data,)) for data in uploads]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    kept = store.get("courtyards", fid)["properties"]["photos"]
    assert sorted(e["id"] for e in kept) == sorted(hashlib.sha256(d).hexdigest() for d in uploads)
    assert store.get("courtyards", fid)["properties"]["version"] == place["properties"]["version"] + len(uploads)


def test_the_place_history_says_which_photo_was_added_and_removed(store, place):
    entry, _ = add_photo(store, "courtyards", place["id"], io.BytesIO(images.jpeg()), user="巡查员",
                         role="before", problem="p1")
    remove_photo(store, "courtyards", place["id"], entry["id"], user="planner")
    added, removed = [h["changes"] for h in readable_history(store, "courtyards", place["id"])[-2:]]
    concerned = {"id": entry["id"], "role": "before", "problem": "p1", "taken_by": "巡查员",
                 "label": "问题 p1 的照片(整改前)"}
    assert added == [{"field": "photos", "label": "照片", "before": None, "after": "新增照片 1 张(整改前)",
                      "photos": [{**concerned, "change": "added", "note": "巡查员 添加"}]}]
    assert removed == [{"field": "photos", "label": "照片", "before": None, "after": "删除照片 1 张(整改前)",
                        "photos": [{**concerned, "change": "removed", "note": "已移除"}]}]
