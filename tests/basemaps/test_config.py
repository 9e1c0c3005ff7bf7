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
     "$.map.basemaps[0].type: expected one of folder, mbtiles, pmtiles, tianditu, amap, xyz, got 'wms'"),
    ({"title": "x", "type": "folder", "path": "t"}, "$.map.basemaps[0].id: missing"),
    ({"id": "Bad-Id", "title": "x", "type": "folder", "path": "t"},
     "$.map.basemaps[0].id: 'Bad-Id' must be lower-case letters, digits and _"),
    ({"id": "x", "title": "x", "type": "folder", "path": "../outside"},
     "$.map.basemaps[0].path: must be a relative path inside the data directory"),
    ({"id": "x", "title": "x", "type": "mbtiles", "path": "/srv/city.mbtiles"},
     "$.map.basemaps[0].path: must be a relative path inside the data directory"),
    ({"id": "x", "title": "x", "type": "pmtiles"}, "$.map.basemaps[0].path: missing"),
    ({"id": "x", "title": "x", "type": "mbtiles", "path": "a.mbtiles", "url": "/a/{z}/{x}/{y}"},
     "$.map.basemaps[0].url: not used by a mbtiles basemap (it is served from `path`)"),
    ({"id": "x", "title": "x", "type": "xyz", "url": "/tiles/{z}/{x}"},
     "$.map.basemaps[0].url: must contain {z}, {x} and {y} (missing {y})"),
    ({"id": "x", "title": "x", "type": "xyz", "url": "//elsewhere/{z}/{x}/{y}"},
     "$.map.basemaps[0].url: expected an http:// or https:// URL, or a path on this server starting with /"),
    ({"id": "x", "title": "x", "type": "xyz", "url": "ftp://h/{z}/{x}/{y}"},
     "$.map.basemaps[0].url: expected an http:// or https:// URL, or a path on this server starting with /"),
    ({"id": "x", "title": "x", "type": "xyz", "url": "/t/{z}/{x}/{y}?v={version}"},
     "$.map.basemaps[0].url: unknown placeholder {version} (use {z} {x} {y} {s} {key})"),
    ({"id": "x", "title": "x", "type": "xyz", "url": "http://h{s}/{z}/{x}/{y}"},
     "$.map.basemaps[0].subdomains: the url contains {s}, so list the subdomains"),
    ({k: v for k, v in TDT.items() if k != "key_env"},
     "$.map.basemaps[0]: a tianditu basemap needs its key: key_env (an environment variable) or key"),
    (dict(TDT, key="k"), "$.map.basemaps[0]: give either key or key_env, not both"),
    (dict(TDT, key_env="TIANDITU-KEY"), "$.map.basemaps[0].key_env: 'TIANDITU-KEY' is not an environment variable name"),
    (dict(TDT, url="http://127.0.0.1/{z}/{x}/{y}"), "$.map.basemaps[0].url: must contain {key} where the key goes"),
    ({"id": "x", "title": "x", "type": "xyz", "url": "http://h/{z}/{x}/{y}?k={key}"},
     "$.map.basemaps[0].url: contains {key} but neither key nor key_env is given"),
    (dict(TDT, url="/proxy/{z}/{x}/{y}?tk={key}", subdomains=[]),
     "$.map.basemaps[0].url: a basemap with a key must be fetched by the server (an http:// or https:// URL)"),
    (dict(TDT, crs="gcj02"), "$.map.basemaps[0].crs: tianditu tiles are always in wgs84"),
    ({"id": "x", "title": "x", "type": "xyz", "url": "/t/{z}/{x}/{y}", "crs": "bd09"},
     "$.map.basemaps[0].crs: expected one of wgs84, gcj02, got 'bd09'"),
    ({"id": "x", "title": "x", "type": "folder", "path": "t", "min_zoom": 12, "max_zoom": 10},
     "$.map.basemaps[0]: min_zoom must not exceed max_zoom"),
    ({"id": "x", "title": "x", "type": "folder", "path": "t", "max_zoom": 30},
     "$.map.basemaps[0].max_zoom: expected 0 to 24, got 30"),
    (dict(TDT, timeout=0), "$.map.basemaps[0].timeout: expected seconds between 0 and 60, got 0"),
    (dict(TDT, cache_days=-1), "$.map.basemaps[0].cache_days: must not be negative"),
    ({"id": "x", "title": "x", "type": "folder", "path": "t", "zoom": 3}, "$.map.basemaps[0].zoom:未知的设置,是不是要写 min_zoom?"),
    ({"id": "x", "title": "x", "type": "folder", "path": "t", "overlay": "yes"},
     "$.map.basemaps[0].overlay: expected bool, got str"),
    ("folder", "$.map.basemaps[0]: expected an object"),
])
def test_a_wrong_basemap_entry_is_reported_with_its_json_path(entry, expected):
    assert expected in problems([entry])


def test_list_wide_rules_are_reported():
    a = {"id": "a", "title": "A", "type": "folder", "path": "a", "default": True}
    assert "$.map.basemaps: id 'a' is used twice" in problems([a, dict(a, default=False)])
    assert "$.map.basemaps: at most one basemap may be the default" in problems([a, dict(a, id="b")])
    assert "$.map.basemaps: an overlay cannot be the default basemap" in problems([dict(a, overlay=True)])
    assert any("not both" in p for p in problems([a], tiles="/t/{z}/{x}/{y}.png"))
    assert "$.map.basemaps: expected list, got dict" in problems({"id": "a"})


def test_every_wrong_entry_is_reported_at_once():
    found = problems([{"id": "a", "title": "A", "type": "folder"}, {"id": "b", "title": "B", "type": "nope"}])
    assert "$.map.basemaps[0].path: missing" in found
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
