"""An import that makes a new layer: checked in the preview, written into campaign.json at commit, taken by
every store open on the campaign (the embedded files and PostGIS)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from geo.config import load_campaign
from geo.errors import ValidationError
from geo.exchange.importer import ImportOptions, commit_import, preview_new_layer
from geo.exchange.new_layer import add_layer, layer_of
from geo.store import open_store

FILES = Path(__file__).parent / "files"
KML = (FILES / "google_earth.kml").read_bytes()
DATAV = (FILES / "datav_410103.json").read_bytes()
WANTED = {"id": "rectify_2027", "title": "二〇二七年整治点位", "kinds": "整治点位"}


def _made(store, data_dir, wanted=WANTED, data=KML, name="整治点位.kml"):
    return preview_new_layer(store, wanted, data, name, ImportOptions(data_dir=data_dir))


@pytest.mark.parametrize("backend", ["geojson", "postgis"])
def test_an_import_makes_a_layer_every_store_of_the_campaign_then_reads(store_factory, data_dir, backend):
    store = store_factory(backend)
    preview = _made(store, data_dir)
    assert preview.new_layer == {"id": "rectify_2027", "title": "二〇二七年整治点位", "file": "layers/rectify_2027.geojson",
                                 "id_prefix": "rectify_2027",  # r is the roads' prefix
                                 "geometry_types": ["Polygon", "MultiPolygon", "LineString", "MultiLineString"],
                                 "kinds": ["整治点位"]}
    assert preview.counts["add"] == 3 and "rectify_2027" not in [x.id for x in load_campaign(data_dir).layers]
    other = store_factory(backend)  # another process of the campaign, opened before the layer exists

    campaign = add_layer(data_dir, layer_of(preview.new_layer))
    store.adopt_campaign(campaign)
    result = commit_import(store, preview, user="赵管")

    assert sorted(result.added) == ["rectify_2027-0001", "rectify_2027-0002", "rectify_2027-0003"]
    assert other.adopt_campaign(load_campaign(data_dir)) == [layer_of(preview.new_layer)]
    names = {f["properties"]["name"]: f["geometry"]["type"] for f in other.features("rectify_2027")}
    assert names == {"兑周村3号院": "Polygon", "大学路(中原路至陇海路段)": "LineString", "航海东路两侧": "MultiPolygon"}
    assert {f["properties"]["kind"] for f in other.features("rectify_2027")} == {"整治点位"}
    assert len(other.features("courtyards")) == len(store.features("courtyards"))


def test_the_campaign_file_gains_the_layer_whole_and_nothing_else(data_dir, store):
    before = json.loads((data_dir / "campaign.json").read_text(encoding="utf-8"))
    preview = _made(store, data_dir)

    add_layer(data_dir, layer_of(preview.new_layer))

    after = json.loads((data_dir / "campaign.json").read_text(encoding="utf-8"))
    assert after["layers"][:-1] == before["layers"] and after["layers"][-1]["id"] == "rectify_2027"
    assert {k: v for k, v in after.items() if k != "layers"} == {k: v for k, v in before.items() if k != "layers"}
    assert sorted(p.name for p in data_dir.iterdir() if p.name.startswith("campaign")) == ["campaign.json", "campaign.json.lock"]
    assert add_layer(data_dir, layer_of(preview.new_layer)).layers == load_campaign(data_dir).layers  # again: no second copy


def test_a_new_layer_takes_the_file_s_geometry_and_its_title_as_its_one_kind(store, data_dir):
    preview = _made(store, data_dir, {"id": "towns", "title": "乡镇", "kinds": ""}, DATAV, "410103_full.json")

    assert preview.new_layer["geometry_types"] == ["Polygon", "MultiPolygon"]
    assert preview.new_layer["kinds"] == ["乡镇"] and preview.new_layer["id_prefix"] == "t"
    assert all(op["properties"]["kind"] == "乡镇" for op in preview.plan)


@pytest.mark.parametrize(("wanted", "field", "words"), [
    ({"id": "Roads 2", "title": "新图层"}, "new_layer_id", "小写字母"),
    ({"id": "roads", "title": "新图层"}, "new_layer_id", "已有编号为 roads"),
    ({"id": "fresh", "title": "道路"}, "new_layer_title", "已有名为 道路"),
    ({"id": "fresh", "title": ""}, "new_layer_title", "名称"),
])
def test_a_new_layer_that_cannot_be_made_is_refused_in_the_preview_by_field(store, data_dir, wanted, field, words):
    with pytest.raises(ValidationError) as refused:
        _made(store, data_dir, wanted)

    assert any(e.field == field and words in e.message for e in refused.value.errors)
    assert [x.id for x in load_campaign(data_dir).layers] == ["courtyards", "roads", "villages"]


def test_a_layer_made_meanwhile_with_the_same_id_refuses_the_second(store, data_dir):
    first = _made(store, data_dir)
    second = _made(store, data_dir, {**WANTED, "title": "另一个"})
    add_layer(data_dir, layer_of(first.new_layer))
    text = (data_dir / "campaign.json").read_bytes()

    with pytest.raises(ValidationError) as refused:
        add_layer(data_dir, layer_of(second.new_layer))

    assert "rectify_2027" in refused.value.errors[0].message
    assert (data_dir / "campaign.json").read_bytes() == text


def test_a_store_opened_after_the_layer_was_made_reads_it_from_the_campaign_file(store, data_dir, clock):
    preview = _made(store, data_dir)
    store.adopt_campaign(add_layer(data_dir, layer_of(preview.new_layer)))
    commit_import(store, preview, user="赵管")

    reopened = open_store(data_dir, load_campaign(data_dir), clock=clock)
    try:
        assert len(reopened.features("rectify_2027")) == 3
        assert reopened.check() == []
    finally:
        reopened.close()
