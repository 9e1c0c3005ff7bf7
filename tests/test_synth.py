"""The demo and synthetic campaigns: deterministic, valid, realistic enough to demo."""

from __future__ import annotations

import re
import zlib
from datetime import date
from pathlib import Path

import numpy as np
import orjson
import pytest
import shapely
from shapely.geometry import shape

from geo.config import load_campaign
from geo.synth.campaign import DEFAULT_CAMPAIGN, TODAY, write_demo
from geo.synth.shapes import to_metric
from geo.synth.synthetic import write_synthetic
from geo.validate import validate_feature

PROPERTY_KEYS = {"name", "kind", "street", "community", "status", "deadline", "unit", "people", "notes",
                 "problems", "version", "updated_at", "updated_by"}
PROBLEM_KEYS = {"id", "category", "description", "found_on", "found_by", "deadline", "responsible", "status", "case",
                "closed_on"}
ROLES = {"leader", "cadre", "community_head", "grid_worker"}
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
UTC_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


def read(path: Path) -> dict:
    return orjson.loads(path.read_bytes())


def generated_files(data_dir: Path) -> dict[str, bytes]:
    return {str(p.relative_to(data_dir)): p.read_bytes()
            for p in sorted(data_dir.rglob("*.geojson"))}


def longest_side_m(geom) -> float:
    """The long side of the minimum rotated rectangle, in metres."""
    box = shapely.minimum_rotated_rectangle(to_metric(geom))
    x, y = np.asarray(box.exterior.coords)[:3].T
    return float(max(np.hypot(np.diff(x), np.diff(y))))


@pytest.fixture(scope="module")
def campaign():
    return load_campaign(DEFAULT_CAMPAIGN.parent)


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    write_demo(out)
    return out


@pytest.fixture(scope="module")
def layers(demo, campaign) -> dict[str, list[dict]]:
    return {layer.id: read(demo / layer.file)["features"] for layer in campaign.layers}


@pytest.fixture(scope="module")
def all_features(layers) -> list[dict]:
    return [f for features in layers.values() for f in features]


@pytest.fixture(scope="module")
def boundaries(demo, campaign) -> dict[str, list[dict]]:
    return {b.level: read(demo / b.file)["features"] for b in campaign.boundaries}


def test_demo_is_byte_identical_across_runs(demo, tmp_path):
    write_demo(tmp_path)
    assert len(generated_files(demo)) == 6
    assert generated_files(tmp_path) == generated_files(demo)


def test_demo_keeps_an_existing_campaign_file(tmp_path):
    edited = DEFAULT_CAMPAIGN.read_bytes().replace(b"\n", b"\n  ")
    (tmp_path / "campaign.json").write_bytes(edited)
    write_demo(tmp_path)
    assert (tmp_path / "campaign.json").read_bytes() == edited


def test_demo_files_carry_layer_and_level_names(demo, campaign):
    for layer in campaign.layers:
        doc = read(demo / layer.file)
        body = (demo / layer.file).read_bytes()
        rest = body[body.index(b"\n") + 1:]  # the CRC covers every byte after the first line, as the store writes it
        assert doc["name"] == layer.id
        assert doc["guatu"] == {"seq": 0, "count": len(doc["features"]), "crc": zlib.crc32(rest)}
    for b in campaign.boundaries:
        assert read(demo / b.file)["name"] == b.level


def test_demo_has_a_few_hundred_places_in_every_layer(layers):
    assert 250 <= len(layers["courtyards"]) <= 350
    assert 30 <= len(layers["roads"]) <= 40
    assert 8 <= len(layers["villages"]) <= 12


def test_demo_properties_use_the_campaign_vocabulary(layers, campaign):
    problem_statuses = {p.key: p.open for p in campaign.problem_statuses}
    for layer_id, features in layers.items():
        layer = campaign.layer(layer_id)
        for f in features:
            p = f["properties"]
            assert set(p) == PROPERTY_KEYS, f["id"]
            assert p["kind"] in layer.kinds and p["status"] in campaign.status_keys
            assert p["name"] and p["street"] and p["community"] and p["unit"]
            assert p["deadline"] is None or DATE.match(p["deadline"])
            assert set(p["people"]) == ROLES and all(p["people"].values())
            assert isinstance(p["notes"], str)
            assert p["version"] == 1 and UTC_TIME.match(p["updated_at"]) and p["updated_by"] == "演示数据"
            assert p["updated_at"] <= "2026-11-24T01:30:00Z"
            assert len(p["problems"]) <= 4
            for n, problem in enumerate(p["problems"], 1):
                assert set(problem) == PROBLEM_KEYS
                assert problem["id"] == f"{f['id']}-p{n}"
                assert problem["category"] in campaign.categories and problem["description"]
                assert problem["found_by"] and problem["responsible"]
                assert problem["found_on"] <= problem["deadline"] <= "2027-01-31"
                assert problem["found_on"] <= TODAY.isoformat()
                assert (problem["closed_on"] is not None) == (not problem_statuses[problem["status"]])
                if problem["closed_on"]:
                    assert problem["found_on"] <= problem["closed_on"] <= TODAY.isoformat()


def test_demo_ids_follow_the_layer_prefix_and_are_unique(layers, campaign):
    for layer_id, features in layers.items():
        prefix = campaign.layer(layer_id).id_prefix
        ids = [f["id"] for f in features]
        assert len(set(ids)) == len(ids)
        assert all(re.fullmatch(rf"{prefix}-\d{{4,}}", i) for i in ids)
        names = [f["properties"]["name"] for f in features]
        assert len(set(names)) == len(names)


def test_demo_geometries_are_valid_ccw_rounded_and_inside_the_map(all_features, layers, campaign):
    west, south, east, north = campaign.map.bounds
    for layer_id, features in layers.items():
        allowed = campaign.layer(layer_id).geometry_types
        assert all(f["geometry"]["type"] in allowed for f in features)
    shapes = [shape(f["geometry"]) for f in all_features]
    assert shapely.is_valid(shapes).all()
    for geom in shapes:
        for polygon in shapely.get_parts(geom):
            assert polygon.exterior.is_ccw
    xy = shapely.get_coordinates(shapes)
    assert (xy[:, 0] >= west).all() and (xy[:, 0] <= east).all()
    assert (xy[:, 1] >= south).all() and (xy[:, 1] <= north).all()
    assert np.array_equal(xy, np.round(xy, 6))


def test_demo_places_never_overlap(all_features):
    shapes = np.array([shape(f["geometry"]) for f in all_features])
    left, right = shapely.STRtree(shapes).query(shapes, predicate="intersects")
    pairs = [(all_features[a]["id"], all_features[b]["id"]) for a, b in zip(left, right) if a < b]
    assert pairs == []


def test_demo_street_and_community_are_where_the_place_lies(all_features, boundaries):
    streets = {f["properties"]["name"]: shape(f["geometry"]) for f in boundaries["street"]}
    communities = {f["properties"]["name"]: shape(f["geometry"]) for f in boundaries["community"]}
    for f in all_features:
        point = shape(f["geometry"]).point_on_surface()
        assert communities[f["properties"]["community"]].contains(point), f["id"]
        assert streets[f["properties"]["street"]].contains(point), f["id"]


def test_demo_boundaries_nest_district_streets_communities(boundaries):
    district = shape(boundaries["district"][0]["geometry"])
    assert boundaries["district"][0]["properties"] == {"name": "二七区"}
    streets = {f["properties"]["name"]: shape(f["geometry"]) for f in boundaries["street"]}
    assert {"大学路街道", "福华街街道", "长江路街道", "金水源街道"} <= set(streets)
    assert abs(shapely.union_all(list(streets.values())).area - district.area) < 1e-9
    for f in boundaries["community"]:
        assert streets[f["properties"]["street"]].contains(shape(f["geometry"]).point_on_surface())
    by_street = {}
    for f in boundaries["community"]:
        by_street.setdefault(f["properties"]["street"], []).append(f["properties"]["name"])
    assert all(3 <= len(names) <= 6 for names in by_street.values())
    assert {"金桥社区", "祥和社区"} <= set(by_street["大学路街道"])
    ids = [f["id"] for level in boundaries.values() for f in level]
    assert len(set(ids)) == len(ids)


def test_demo_contains_the_article_places(layers):
    courtyards = {f["properties"]["name"]: f["properties"] for f in layers["courtyards"]}
    for n in range(1, 12):
        assert courtyards[f"兑周村{n}号院"]["community"] == "金桥社区"
        assert courtyards[f"兑周村{n}号院"]["kind"] == "无主管楼院"
    assert courtyards["中原东路5号院"]["community"] == "金桥社区"
    assert courtyards["康复前街11号院"]["community"] == "祥和社区"
    assert courtyards["康复前街11号院"]["street"] == "大学路街道"
    assert courtyards["航海小区"]["kind"] == "老旧小区" and courtyards["航海小区"]["street"] == "福华街街道"
    for park in ("铁路苗圃健身公园", "广秀园"):
        assert courtyards[park]["kind"] == "小游园" and courtyards[park]["street"] == "福华街街道"
    roads = [f["properties"]["name"] for f in layers["roads"]]
    for road in ("京广路", "大学路", "航海路", "中原东路", "保全东街", "长江路", "陇海路", "嵩山路", "福华街"):
        assert any(name.startswith(road + "(") for name in roads), road
    assert "京广路(陇海路—淮河路段)" in roads
    assert all(f["properties"]["street"] == "金水源街道" for f in layers["villages"])


def test_demo_duizhou_courtyards_form_a_tight_cluster(layers):
    cluster = [shape(f["geometry"]) for f in layers["courtyards"] if f["properties"]["name"].startswith("兑周村")]
    assert len(cluster) == 11
    assert longest_side_m(shapely.union_all(cluster)) < 400


def test_demo_road_segments_are_600_to_1500_metres_long(layers):
    lengths = [longest_side_m(shape(f["geometry"])) for f in layers["roads"]]
    assert 500 < min(lengths) and max(lengths) < 1600


def test_demo_status_spread_has_every_status_and_overdue_places(all_features, campaign):
    statuses = [f["properties"]["status"] for f in all_features]
    assert set(statuses) == set(campaign.status_keys)
    share = {s: statuses.count(s) / len(statuses) for s in campaign.status_keys}
    assert share["accepted"] + share["rectified"] > 0.35 and share["in_progress"] + share["pending"] > 0.2
    assert 0 < share["unsurveyed"] < 0.15 and 0 < share["relapsed"] < 0.15
    today = TODAY.isoformat()
    overdue = [f for f in all_features if f["properties"]["deadline"] and f["properties"]["deadline"] < today
               and f["properties"]["status"] not in campaign.done_statuses]
    assert len(overdue) >= 10
    deadlines = [f["properties"]["deadline"] for f in all_features if f["properties"]["deadline"]]
    assert "2026-09-01" <= min(deadlines) and max(deadlines) <= "2027-01-31"


def test_demo_ledger_has_fresh_inspection_findings_and_overdue_problems(all_features, campaign):
    problems = [(f["properties"]["status"], p) for f in all_features for p in f["properties"]["problems"]]
    open_keys = campaign.open_problem_statuses
    fresh = [p for _, p in problems if p["found_by"] == "每日随机督导" and p["status"] in open_keys
             and p["found_on"] in ("2026-11-23", "2026-11-24")]
    assert {p["found_on"] for p in fresh} == {"2026-11-23", "2026-11-24"}
    assert any(p["status"] in open_keys and p["deadline"] < TODAY.isoformat() for _, p in problems)
    assert all(p["status"] == "closed" for status, p in problems if status in campaign.done_statuses)
    for f in all_features:
        props = f["properties"]
        if props["status"] in ("pending", "relapsed"):
            assert any(p["status"] in open_keys for p in props["problems"]), f["id"]


def test_demo_features_pass_the_write_validator(layers, campaign):
    for layer_id, features in layers.items():
        layer = campaign.layer(layer_id)
        for f in features:
            checked = validate_feature(f, layer, campaign).feature
            assert checked["geometry"] == f["geometry"], f["id"]


def test_synthetic_writes_exactly_n_valid_places(tmp_path, campaign):
    counts = write_synthetic(tmp_path, 500, seed=3)
    assert counts == {"courtyards": 500, "roads": 0, "villages": 0}
    assert load_campaign(tmp_path).status_keys == campaign.status_keys
    features = read(tmp_path / "layers" / "courtyards.geojson")["features"]
    assert len(features) == 500 and len({f["id"] for f in features}) == 500
    assert len({f["properties"]["name"] for f in features}) == 500
    shapes = np.array([shape(f["geometry"]) for f in features])
    assert shapely.is_valid(shapes).all()
    assert all(p.exterior.is_ccw for p in shapes)
    left, right = shapely.STRtree(shapes).query(shapes, predicate="intersects")
    assert (left == right).all()
    assert all(30 <= longest_side_m(g) <= 150 for g in shapes)
    assert {f["properties"]["status"] for f in features} == set(campaign.status_keys)
    assert any(p["closed_on"] is None for f in features for p in f["properties"]["problems"])
    assert any(f["properties"]["deadline"] and f["properties"]["deadline"] < TODAY.isoformat()
               and f["properties"]["status"] not in campaign.done_statuses for f in features)
    communities = {f["properties"]["name"]: (f["properties"]["street"], shape(f["geometry"]))
                   for f in read(tmp_path / "boundaries" / "communities.geojson")["features"]}
    for f, geom in zip(features, shapes):
        street, area = communities[f["properties"]["community"]]
        assert street == f["properties"]["street"] and area.contains(geom.point_on_surface())
    synthetic = load_campaign(tmp_path)  # its district is its own (the bounds), not Erqi's
    layer = synthetic.layer("courtyards")
    for f in features[:50]:
        validate_feature(f, layer, synthetic)


def test_synthetic_is_deterministic_for_a_seed(tmp_path):
    write_synthetic(tmp_path / "a", 120, seed=5)
    write_synthetic(tmp_path / "b", 120, seed=5)
    write_synthetic(tmp_path / "c", 120, seed=6)
    assert generated_files(tmp_path / "a") == generated_files(tmp_path / "b")
    assert generated_files(tmp_path / "a") != generated_files(tmp_path / "c")


def test_synthetic_refuses_an_empty_campaign(tmp_path):
    with pytest.raises(ValueError):
        write_synthetic(tmp_path, 0)


def test_demo_keeps_its_dates_in_the_campaign_period(all_features):
    start, today = date(2026, 7, 1).isoformat(), TODAY.isoformat()
    for f in all_features:
        for p in f["properties"]["problems"]:
            assert start <= p["found_on"] <= today


def test_demo_cases_stand_in_every_stage_with_the_demo_users(all_features, campaign):
    """Every problem is a case; open ones in every stage (one with a pending extension, one returned by its
    verifier), some long overdue; the timelines name the demo's users; the problem's status follows the stage."""
    from geo.synth.cases import DEMO_USERS

    cases = [p["case"] for f in all_features for p in f["properties"]["problems"]]
    status = campaign.cases.problem_status
    assert all(p["status"] == status[p["case"]["stage"]] for f in all_features for p in f["properties"]["problems"])
    assert {c["stage"] for c in cases} == {"filed", "handling", "verifying", "closed", "suspended"}
    assert any(c["extension"] for c in cases if c["stage"] == "handling")
    assert any(c["returns"] for c in cases if c["stage"] == "handling")
    assert {c["source"] for c in cases} == {"inspection", "planner", "resident"}
    assert any(c["stage_due"] and c["stage_due"] < "2026-11-10" for c in cases if c["stage"] == "handling")
    assert {s["user"] for c in cases for s in c["timeline"]} == {*DEMO_USERS, None}
    # a unit the demo has no account for reports as itself
    assert all(s["by"] == c["unit"] for c in cases for s in c["timeline"] if s["user"] is None)
    units = {f["properties"]["unit"] for f in all_features}
    assert {c["unit"] for c in cases if c["unit"]} <= units
    assert any(c["handled_on_time"] is False for c in cases) and any(c["handled_on_time"] for c in cases)
