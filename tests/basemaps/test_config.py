"""`map.basemaps` in campaign.json: parsed, validated with JSON paths, checked again when opened."""

from __future__ import annotations

import copy
import json
import re

import pytest

from geo.basemaps import open_basemaps
from geo.config import Basemap, load_campaign, parse_campaign
from geo.errors import ConfigError
from geo.messages import t
from tests.basemaps.tilesets import make_mbtiles, make_pmtiles, png
from tests.config_problems import said, wrong_type
from tests.conftest import DEMO_CAMPAIGN

RAW = json.loads(DEMO_CAMPAIGN.read_text(encoding="utf-8"))


def with_basemaps(basemaps, **map_settings) -> dict:
    raw = copy.deepcopy(RAW)
    raw["map"]["basemaps"] = basemaps
    raw["map"].update(map_settings)
    return raw


def problems(basemaps, **map_settings) -> list[str]:
    with pytest.raises(ConfigError) as err:
        parse_campaign(with_basemaps(basemaps, **map_settings))
    return err.value.problems


TDT = {"id": "tdt", "title": "天地图", "type": "tianditu", "key_env": "TIANDITU_KEY",
       "url": "http://127.0.0.1:8080/t{s}/vec_w?x={x}&y={y}&l={z}&tk={key}", "subdomains": "01234567"}


def test_demo_campaign_has_no_basemaps_and_no_tiles():
    m = load_campaign(DEMO_CAMPAIGN.parent).map
    assert m.basemaps == () and m.tiles is None


def test_a_full_basemap_list_is_parsed_with_type_defaults():
    m = parse_campaign(with_basemaps([
        {"id": "city", "title": "影像", "type": "mbtiles", "path": "tiles/city.mbtiles", "max_zoom": 17},
        TDT,
        {"id": "amap", "title": "高德", "type": "amap", "url": "https://127.0.0.1/{z}/{x}/{y}.png", "default": True},
        {"id": "local", "title": "同域", "type": "xyz", "url": "/osm/{z}/{x}/{y}.png", "tms": True},
    ])).map
    city, tdt, amap, local = m.basemaps
    assert city == Basemap(id="city", title="影像", type="mbtiles", path="tiles/city.mbtiles", max_zoom=17)
    assert (tdt.crs, tdt.proxied, tdt.key_env, tdt.subdomains) == ("wgs84", True, "TIANDITU_KEY", tuple("01234567"))
    assert (amap.crs, amap.proxied, amap.default) == ("gcj02", True, True)
    assert (local.crs, local.proxied, local.tms) == ("wgs84", False, True)


def test_the_single_tiles_url_still_works_on_its_own():
    m = parse_campaign(with_basemaps([], tiles="/tiles-local/{z}/{x}/{y}.png", tiles_attribution="本地")).map
    assert m.tiles == "/tiles-local/{z}/{x}/{y}.png" and m.basemaps == ()


def test_a_literal_key_is_kept_out_of_the_repr():
    entry = dict(TDT, key="very-secret")
    del entry["key_env"]
    basemap = parse_campaign(with_basemaps([entry])).map.basemaps[0]
    assert basemap.key == "very-secret"
    assert "very-secret" not in repr(basemap)


@pytest.mark.parametrize("entry, expected", [
    ({"id": "x", "title": "x", "type": "wms", "url": "/a/{z}/{x}/{y}"},
     said("$.map.basemaps[0].type", "schema.one_of", choices='folder, mbtiles, pmtiles, tianditu, amap, xyz', value="'wms'")),
    ({"title": "x", "type": "folder", "path": "t"}, said("$.map.basemaps[0].id", "schema.missing")),
    ({"id": "Bad-Id", "title": "x", "type": "folder", "path": "t"},
     said("$.map.basemaps[0].id", "schema.bad_key", value="'Bad-Id'")),
    ({"id": "x", "title": "x", "type": "folder", "path": "../outside"},
     said("$.map.basemaps[0].path", "schema.outside_data")),
    ({"id": "x", "title": "x", "type": "mbtiles", "path": "/srv/city.mbtiles"},
     said("$.map.basemaps[0].path", "schema.outside_data")),
    ({"id": "x", "title": "x", "type": "pmtiles"}, said("$.map.basemaps[0].path", "schema.missing")),
    ({"id": "x", "title": "x", "type": "mbtiles", "path": "a.mbtiles", "url": "/a/{z}/{x}/{y}"},
     said("$.map.basemaps[0].url", "schema.not_for_local", type='mbtiles')),
    ({"id": "x", "title": "x", "type": "xyz", "url": "/tiles/{z}/{x}"},
     said("$.map.basemaps[0].url", "schema.url_placeholders", missing='{y}')),
    ({"id": "x", "title": "x", "type": "xyz", "url": "//elsewhere/{z}/{x}/{y}"},
     said("$.map.basemaps[0].url", "schema.url_form")),
    ({"id": "x", "title": "x", "type": "xyz", "url": "ftp://h/{z}/{x}/{y}"},
     said("$.map.basemaps[0].url", "schema.url_form")),
    ({"id": "x", "title": "x", "type": "xyz", "url": "/t/{z}/{x}/{y}?v={version}"},
     said("$.map.basemaps[0].url", "schema.url_unknown_placeholder", placeholders='{version}')),
    ({"id": "x", "title": "x", "type": "xyz", "url": "http://h{s}/{z}/{x}/{y}"},
     said("$.map.basemaps[0].subdomains", "schema.subdomains_missing")),
    ({k: v for k, v in TDT.items() if k != "key_env"},
     said("$.map.basemaps[0]", "schema.tianditu_key")),
    (dict(TDT, key="k"), said("$.map.basemaps[0]", "schema.key_and_key_env")),
    (dict(TDT, key_env="TIANDITU-KEY"), said("$.map.basemaps[0].key_env", "schema.env_name", value="'TIANDITU-KEY'")),
    (dict(TDT, url="http://127.0.0.1/{z}/{x}/{y}"), said("$.map.basemaps[0].url", "schema.url_needs_key")),
    ({"id": "x", "title": "x", "type": "xyz", "url": "http://h/{z}/{x}/{y}?k={key}"},
     said("$.map.basemaps[0].url", "schema.url_key_unset")),
    (dict(TDT, url="/proxy/{z}/{x}/{y}?tk={key}", subdomains=[]),
     said("$.map.basemaps[0].url", "schema.key_needs_server")),
    (dict(TDT, crs="gcj02"), said("$.map.basemaps[0].crs", "schema.crs_fixed", type='tianditu', crs='wgs84')),
    ({"id": "x", "title": "x", "type": "xyz", "url": "/t/{z}/{x}/{y}", "crs": "bd09"},
     said("$.map.basemaps[0].crs", "schema.one_of", choices='wgs84, gcj02', value="'bd09'")),
    ({"id": "x", "title": "x", "type": "folder", "path": "t", "min_zoom": 12, "max_zoom": 10},
     said("$.map.basemaps[0]", "schema.zoom_order")),
    ({"id": "x", "title": "x", "type": "folder", "path": "t", "max_zoom": 30},
     said("$.map.basemaps[0].max_zoom", "schema.zoom", maximum='24', value='30')),
    (dict(TDT, timeout=0), said("$.map.basemaps[0].timeout", "schema.timeout", value='0')),
    (dict(TDT, cache_days=-1), said("$.map.basemaps[0].cache_days", "schema.negative")),
    ({"id": "x", "title": "x", "type": "folder", "path": "t", "zoom": 3}, "$.map.basemaps[0].zoom:未知的设置,是不是要写 min_zoom?"),
    ({"id": "x", "title": "x", "type": "folder", "path": "t", "overlay": "yes"},
     wrong_type("$.map.basemaps[0].overlay", "bool", "str")),
    ("folder", said("$.map.basemaps[0]", "schema.expected_object")),
])
def test_a_wrong_basemap_entry_is_reported_with_its_json_path(entry, expected):
    assert expected in problems([entry])


def test_list_wide_rules_are_reported():
    a = {"id": "a", "title": "A", "type": "folder", "path": "a", "default": True}
    assert said("$.map.basemaps", "schema.id_used_twice", value="'a'") in problems([a, dict(a, default=False)])
    assert said("$.map.basemaps", "schema.one_default") in problems([a, dict(a, id="b")])
    assert said("$.map.basemaps", "schema.overlay_default") in problems([dict(a, overlay=True)])
    assert said("$.map.tiles", "schema.tiles_and_basemaps") in problems([a], tiles="/t/{z}/{x}/{y}.png")
    assert wrong_type("$.map.basemaps", "list", "dict") in problems({"id": "a"})


def test_every_wrong_entry_is_reported_at_once():
    found = problems([{"id": "a", "title": "A", "type": "folder"}, {"id": "b", "title": "B", "type": "nope"}])
    assert said("$.map.basemaps[0].path", "schema.missing") in found
    assert any(p.startswith("$.map.basemaps[1].type") for p in found)


def open_with(tmp_path, basemaps, environ=None):
    (tmp_path / "campaign.json").write_text(json.dumps(with_basemaps(basemaps), ensure_ascii=False), encoding="utf-8")
    return open_basemaps(load_campaign(tmp_path), tmp_path, tmp_path / "cache", environ=environ or {})


def test_opening_reports_missing_files_and_unset_keys_together(tmp_path):
    with pytest.raises(ConfigError) as err:
        open_with(tmp_path, [
            {"id": "f", "title": "F", "type": "folder", "path": "no-such-folder"},
            {"id": "m", "title": "M", "type": "mbtiles", "path": "no.mbtiles"},
            {"id": "p", "title": "P", "type": "pmtiles", "path": "no.pmtiles"},
            TDT,
        ])
    assert err.value.problems == [
        "$.map.basemaps[0]: " + t("basemap.folder_missing", path="no-such-folder"),
        "$.map.basemaps[1]: " + t("basemap.mbtiles_missing", path="no.mbtiles"),
        "$.map.basemaps[2]: " + t("basemap.pmtiles_missing", path="no.pmtiles"),
        "$.map.basemaps[3]: " + t("basemap.key_missing", variable="TIANDITU_KEY", type="tianditu"),
    ]
    assert "campaign.json" in str(err.value)


def test_opening_refuses_vector_or_broken_archives(tmp_path):
    make_mbtiles(tmp_path / "vector.mbtiles", {(0, 0, 0): b"\x1a\x00"}, fmt="pbf")
    (tmp_path / "broken.mbtiles").write_bytes(b"not sqlite at all" * 100)
    (tmp_path / "broken.pmtiles").write_bytes(b"PMTiles\x02" + b"\x00" * 200)
    with pytest.raises(ConfigError) as err:
        open_with(tmp_path, [
            {"id": "v", "title": "V", "type": "mbtiles", "path": "vector.mbtiles"},
            {"id": "b", "title": "B", "type": "mbtiles", "path": "broken.mbtiles"},
            {"id": "p", "title": "P", "type": "pmtiles", "path": "broken.pmtiles"},
        ])
    found = err.value.problems
    assert found[0] == "$.map.basemaps[0]: " + t("basemap.not_raster", path="vector.mbtiles", kind="'pbf'",
                                                  formats="png, jpg, webp")
    assert found[1].startswith("$.map.basemaps[1]: " + t("basemap.mbtiles_unreadable", path="broken.mbtiles", detail="")[:20])
    assert found[2] == "$.map.basemaps[2]: " + t("basemap.not_pmtiles", path="broken.pmtiles", detail="SpecVersionUnsupported")


def test_opening_reads_the_key_from_the_environment_only_on_the_server(tmp_path):
    make_pmtiles(tmp_path / "ok.pmtiles", {(0, 0, 0): png((1, 1, 1))})
    basemaps = open_with(tmp_path, [TDT, {"id": "p", "title": "P", "type": "pmtiles", "path": "ok.pmtiles"}],
                         environ={"TIANDITU_KEY": "env-secret"})
    assert basemaps.sources["tdt"].upstream_url(3, 1, 2) == "http://127.0.0.1:8080/t3/vec_w?x=1&y=2&l=3&tk=env-secret"
    assert "env-secret" not in json.dumps(basemaps.describe(lambda i: f"/tiles/{i}/{{z}}/{{x}}/{{y}}"))


def test_the_app_refuses_to_start_with_a_basemap_it_cannot_serve(make_app):
    with pytest.raises(ConfigError, match=re.escape(t("basemap.mbtiles_missing", path="no-such.mbtiles"))):
        make_app([{"id": "m", "title": "M", "type": "mbtiles", "path": "no-such.mbtiles"}])
