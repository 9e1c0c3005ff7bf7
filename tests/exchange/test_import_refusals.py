"""What an import preview refuses before anything is committed: the id of a deleted place (ids are never
given twice)."""

from __future__ import annotations

import json

from geo.exchange.importer import commit_import, preview_upload
from tests.exchange.conftest import LAYER


def _file(*features: dict) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}, ensure_ascii=False).encode()


def test_a_file_naming_a_deleted_place_id_is_previewed_as_refused_not_added(store, places, make_feature):
    store.delete(LAYER, "c-0003", expected_version=1, user="张三")
    data = _file({**make_feature("复活的院"), "id": "c-0003"}, {**make_feature("新院"), "id": "c-0100"})
    preview = preview_upload(store, LAYER, data, "places.geojson")
    refused = {i.id: i for i in preview.items}
    assert refused["c-0003"].action == "reject"
    assert "不会重复使用" in refused["c-0003"].errors[0]["message"]
    assert refused["c-0100"].action == "add"
    result = commit_import(store, preview, user="李四", skip_rejected=True)
    assert result.added == ["c-0100"] and store.retired_ids(LAYER, ["c-0003"]) == {"c-0003"}
