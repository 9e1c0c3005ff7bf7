"""A place's photos on its card (newest first, role labelled, no location) and in its readable history."""

from __future__ import annotations

from geo.history import diff
from geo.photo_labels import photo_changes, role_label
from geo.wall.cards import place_card
from tests.conftest import START


def photo(pid: str, role: str = "place", taken_at: str | None = None, added_at: str = "2026-11-20T02:00:00Z",
          **more) -> dict:
    return {"id": pid * 64 if len(pid) == 1 else pid, "role": role, "problem": None, "inspection": None,
            "taken_at": taken_at, "taken_by": "editor1", "added_at": added_at,
            "location": {"lon": 113.63, "lat": 34.72, "source": "exif"}, "width": 800, "height": 600,
            "bytes": 1000, "type": "image/jpeg", "caption": "", "client_id": None, **more}


def test_roles_read_in_chinese():
    assert [role_label(r) for r in ("place", "before", "after", "check", "inspection")] == [
        "现场", "整改前", "整改后", "核查", "督导"]


def test_the_card_lists_photos_newest_first_with_role_labels_and_without_location(campaign, make_feature):
    feature = {**make_feature(photos=[photo("a", "before", "2026-11-01T01:00:00Z"),
                                      photo("b", "after", "2026-11-20T01:00:00Z")]), "id": "c-0001"}
    card = place_card(feature, "courtyards", campaign, START)
    assert [(p["id"][0], p["role_label"]) for p in card["photos"]] == [("b", "整改后"), ("a", "整改前")]
    assert all("location" not in p for p in card["photos"])
    assert place_card({**make_feature(), "id": "c-0002"}, "courtyards", campaign, START)["photos"] == []


def test_a_change_adding_photos_reads_as_such_with_the_photos_concerned(campaign, make_feature):
    before = make_feature(photos=[photo("a")])
    after = make_feature(photos=[photo("a"), photo("b", "after"), photo("c", "after")])
    changes = diff(before, after, campaign)
    assert [(c["label"], c["after"]) for c in changes] == [("照片", "新增照片 2 张(整改后)")]
    assert [(p["id"][0], p["change"]) for p in changes[0]["photos"]] == [("b", "added"), ("c", "added")]


def test_a_change_removing_photos_of_two_roles_names_both():
    changes = photo_changes([photo("a", "before"), photo("b", "place"), photo("c")], [photo("c")])
    assert [c["text"] for c in changes] == ["删除照片 2 张(现场、整改前)"]
    assert photo_changes([photo("a")], [photo("a", caption="东侧")])[0]["text"] == "照片说明修改 1 张"
    assert photo_changes([photo("a")], [photo("a")]) == []
