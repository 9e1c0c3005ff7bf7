"""Fixtures for import/export: a store with Chinese places (holes, multipolygons, a ledger),
an empty second campaign to import into, and geometry comparison helpers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import shapely
from shapely.geometry import shape

from geo.config import load_campaign
from geo.store import open_store
from geo.validate import SYSTEM_PROPERTIES

LAYER = "courtyards"
HOLED = {"type": "Polygon", "coordinates": [
    [[113.630, 34.720], [113.634, 34.720], [113.634, 34.723], [113.630, 34.723], [113.630, 34.720]],
    [[113.631, 34.721], [113.632, 34.721], [113.632, 34.722], [113.631, 34.722], [113.631, 34.721]],
]}
MULTI = {"type": "MultiPolygon", "coordinates": [
    [[[113.640, 34.730], [113.643, 34.730], [113.643, 34.733], [113.640, 34.733], [113.640, 34.730]],
     [[113.641, 34.731], [113.642, 34.731], [113.642, 34.732], [113.641, 34.732], [113.641, 34.731]]],
    [[[113.645, 34.730], [113.647, 34.730], [113.647, 34.732], [113.645, 34.730]]],
]}


def place_features(make_feature) -> list[dict]:
    """Three courtyards with everything an export must carry."""
    first = make_feature(
        "兑周村1—11号院", "pending", street="大学路街道", community="金桥社区", deadline="2026-12-31", unit="区政府办",
        people={"leader": "蔡红梅", "grid_worker": "戴新民"}, notes="飞线充电问题突出,居民反映强烈",
        problems=[
            {"id": "c-0001-p1", "category": "飞线充电", "description": "三号楼飞线充电", "found_on": "2026-11-20",
             "found_by": "每日随机督导", "deadline": "2026-11-30", "responsible": "金桥社区 孙宏伟", "status": "open"},
            {"id": "c-0001-p2", "category": "乱堆乱放", "description": "楼道堆放杂物", "found_on": "2026-11-01",
             "found_by": "社区排查", "deadline": "2026-11-10", "responsible": "金桥社区 戴新民", "status": "closed",
             "closed_on": "2026-11-09"},
        ],
        楼栋数=11, 面积=5230.5, 整改负责人联系电话="0371-6888",
    )
    first["geometry"] = HOLED
    second = make_feature("航海小区", "rectified", street="福华街街道", community="祥和社区", kind="老旧小区")
    second["geometry"] = MULTI
    third = make_feature("康复前街11号院", "accepted", x=113.650, y=34.740, street="长江路街道")
    return [first, second, third]


@pytest.fixture
def store(store_factory):
    return store_factory()


@pytest.fixture
def places(store, make_feature) -> list[dict]:
    """The three courtyards, created as c-0001…c-0003."""
    return [store.create(LAYER, f, user="张三").feature for f in place_features(make_feature)]


@pytest.fixture
def other_store(tmp_path: Path, data_dir: Path, clock):
    """An empty second campaign with the same configuration, to import into."""
    folder = tmp_path / "other"
    folder.mkdir()
    shutil.copy(data_dir / "campaign.json", folder / "campaign.json")
    store = open_store(folder, load_campaign(folder), clock=clock)
    yield store
    store.close()


def same_shape(a: dict, b: dict, tolerance: float = 1e-6) -> bool:
    ga, gb = shapely.normalize(shape(a)), shapely.normalize(shape(b))
    return ga.geom_type == gb.geom_type and bool(shapely.equals_exact(ga, gb, tolerance))


def attributes(feature: dict, *, without: tuple[str, ...] = ()) -> dict:
    """Properties without the store's stamps (and without `without`); empty values dropped."""
    skip = set(SYSTEM_PROPERTIES) | set(without)
    return {k: v for k, v in feature["properties"].items() if k not in skip and v not in (None, "", [], {})}
