"""DataV.GeoAtlas GeoJSON (array and object properties): offered as text or left out, chosen at commit."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.errors import ValidationError
from geo.exchange.importer import ImportOptions, commit_import, preview_upload

DATAV = (Path(__file__).parent / "files" / "datav_410103.json").read_bytes()
LAYER = "villages"


def _preview(store, data_dir):
    return preview_upload(store, LAYER, DATAV, "410103_full.json", ImportOptions(data_dir=data_dir))


def test_a_datav_file_is_previewed_with_its_array_and_object_columns_offered(store, data_dir):
    preview = _preview(store, data_dir)

    assert preview.counts == {"add": 3, "change": 0, "unchanged": 0, "reject": 0}
    assert preview.nested == [
        {"column": "center", "count": 3, "example": "113.602,34.7015"},
        {"column": "centroid", "count": 3, "example": "113.6021,34.7014"},
        {"column": "parent", "count": 3, "example": '{"adcode":410103}'},
        {"column": "acroutes", "count": 3, "example": "100000,410000,410100,410103"},
    ]
    assert any("center、centroid、parent、acroutes" in w for w in preview.warnings)
    first = preview.plan[0]["properties"]
    assert (first["name"], first["adcode"], first["level"], first["childrenNum"]) == ("侯寨乡", 410103200, "street", 0)


def test_committed_as_offered_the_arrays_are_comma_separated_text(store, data_dir):
    result = commit_import(store, _preview(store, data_dir), user="张三")

    places = {f["properties"]["name"]: f["properties"] for f in store.features(LAYER) if f["id"] in result.added}
    assert places["马寨镇"]["center"] == "113.612,34.6915"
    assert places["马寨镇"]["acroutes"] == "100000,410000,410100,410103"
    assert places["马寨镇"]["parent"] == '{"adcode":410103}'


def test_the_columns_chosen_to_be_left_out_are_not_written(store, data_dir):
    result = commit_import(store, _preview(store, data_dir), user="张三", drop=["acroutes", "parent", "centroid"])

    props = [f["properties"] for f in store.features(LAYER) if f["id"] in result.added]
    assert len(props) == 3
    assert all(p["center"] and "acroutes" not in p and "parent" not in p and "centroid" not in p for p in props)
    assert {p["adcode"] for p in props} == {410103200, 410103101, 410103201}


def test_leaving_out_a_column_the_preview_did_not_offer_is_refused_and_writes_nothing(store, data_dir):
    preview = _preview(store, data_dir)
    revision = store.revision()

    with pytest.raises(ValidationError) as refused:
        commit_import(store, preview, user="张三", drop=["name"])

    assert refused.value.errors[0].field == "drop" and "name" in refused.value.errors[0].message
    assert store.revision() == revision


def test_a_datav_reimport_that_leaves_out_its_only_changed_column_changes_nothing(store, data_dir):
    commit_import(store, _preview(store, data_dir), user="张三", drop=["acroutes"])
    exported = {f["properties"]["name"]: f["id"] for f in store.features(LAYER)}
    again = DATAV
    for name, fid in exported.items():
        again = again.replace(f'"name":"{name}"'.encode(), f'"id":"{fid}","name":"{name}"'.encode())
    preview = preview_upload(store, LAYER, again, "410103_full.json", ImportOptions(data_dir=data_dir))
    assert preview.counts["change"] == 3  # only acroutes differs from what is stored
    revision = store.revision()

    result = commit_import(store, preview, user="张三", drop=["acroutes"])

    assert (result.added, result.changed) == ([], [])
    assert store.revision() == revision
