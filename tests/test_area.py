"""The campaign area is the real district boundary and a small buffer (campaign.json `area_buffer_m`),
on every write; a campaign without a district boundary checks its map bounds and the same buffer."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pyproj
import pytest

from geo.area import DistrictArea, read_district
from geo.config import load_campaign
from geo.errors import ConfigError, ValidationError
from geo.store import open_store
from tests.conftest import REPO

LAYER = "courtyards"
_GEOD = pyproj.Geod(ellps="WGS84")


@pytest.fixture
def district_dir(tmp_path: Path) -> Path:
    """The demo campaign with its district boundary (Erqi)."""
    folder = tmp_path / "erqi"
    shutil.copytree(REPO / "data", folder)
    return folder


def east_of_district(metres: float) -> tuple[float, float]:
    """A position `metres` due east of the district's easternmost corner (so that far from the district)."""
    ring = np.asarray(read_district(REPO / "data" / "boundaries" / "district.geojson").exterior.coords)
    lon, lat = ring[ring[:, 0].argmax()]
    east, north, _ = _GEOD.fwd(lon, lat, 90, metres)
    return east, north


def square_at(lon: float, lat: float, side_m: float = 20) -> dict:
    """A small courtyard whose western edge is at (lon, lat), reaching east."""
    east, _, _ = _GEOD.fwd(lon, lat, 90, side_m)
    _, north, _ = _GEOD.fwd(lon, lat, 0, side_m)
    ring = [[lon, lat], [east, lat], [east, north], [lon, north], [lon, lat]]
    return {"type": "Feature", "properties": {"name": "区界边的院", "kind": "楼院", "status": "pending"},
            "geometry": {"type": "Polygon", "coordinates": [ring]}}


def test_the_distance_outside_is_measured_in_metres_on_the_ground(district_dir):
    area = load_campaign(district_dir).write_area
    assert isinstance(area, DistrictArea)
    for metres in (100, 1000, 2300):
        lon, lat = east_of_district(metres)
        assert area.outside_m(np.array([lon]), np.array([lat])) == pytest.approx(metres, abs=1)
    assert area.outside_m(np.array([113.63]), np.array([34.72])) == 0


def test_a_place_1_km_outside_the_district_is_refused_saying_how_far(district_dir, clock):
    store = open_store(district_dir, load_campaign(district_dir), clock=clock)
    revision = store.revision()
    with pytest.raises(ValidationError) as refused:
        store.create(LAYER, square_at(*east_of_district(1000)), user="alice")
    (error,) = refused.value.errors
    assert error.field == "geometry.coordinates"
    assert error.message.startswith("位于区界外 1.0 公里")  # its far corner: 1000 m and the 20 m courtyard
    assert store.revision() == revision


def test_a_place_100_m_outside_is_within_the_buffer_and_one_inside_is_accepted(district_dir, clock):
    store = open_store(district_dir, load_campaign(district_dir), clock=clock)
    assert store.create(LAYER, square_at(*east_of_district(100)), user="alice").feature["properties"]["version"] == 1
    assert store.create(LAYER, square_at(113.63, 34.72), user="alice").feature["properties"]["version"] == 1


def test_an_update_moving_a_place_out_of_the_district_is_refused_but_a_status_change_is_not(district_dir, clock):
    campaign = load_campaign(district_dir)
    store = open_store(district_dir, campaign, clock=clock)
    place = store.create(LAYER, square_at(113.63, 34.72), user="alice").feature
    far = square_at(*east_of_district(5000))["geometry"]
    with pytest.raises(ValidationError, match="位于区界外 5.0 公里"):
        store.update(LAYER, place["id"], expected_version=1, user="bob", geometry=far)
    assert store.update(LAYER, place["id"], expected_version=1, user="bob",
                        properties={"status": "accepted"}).feature["properties"]["version"] == 2


def test_the_buffer_is_a_campaign_setting(district_dir, clock):
    config = json.loads((district_dir / "campaign.json").read_text(encoding="utf-8"))
    (district_dir / "campaign.json").write_text(json.dumps({**config, "area_buffer_m": 0}, ensure_ascii=False),
                                                encoding="utf-8")
    store = open_store(district_dir, load_campaign(district_dir), clock=clock)
    with pytest.raises(ValidationError, match=r"位于区界外 12\d 米,超出活动范围\(区界及其外 0 米以内\)"):
        store.create(LAYER, square_at(*east_of_district(100)), user="alice")

    (district_dir / "campaign.json").write_text(json.dumps({**config, "area_buffer_m": -5}), encoding="utf-8")
    with pytest.raises(ConfigError, match="area_buffer_m"):
        load_campaign(district_dir)


def test_a_district_file_that_is_not_a_boundary_stops_the_start(district_dir):
    (district_dir / "boundaries" / "district.geojson").write_text('{"type": "FeatureCollection", "features": []}')
    with pytest.raises(ConfigError, match="boundaries/district.geojson"):
        load_campaign(district_dir)


def test_a_campaign_without_a_district_boundary_checks_its_map_bounds_and_the_buffer(data_dir, campaign, clock):
    store = open_store(data_dir, campaign, clock=clock)  # campaign.json only: no boundary files
    west, south, east, north = campaign.map.bounds
    just_outside, _, _ = _GEOD.fwd(east, 34.7, 90, 100)
    assert store.create(LAYER, square_at(just_outside, 34.7, side_m=10), user="alice")
    next_district, _, _ = _GEOD.fwd(east, 34.7, 90, 2000)
    with pytest.raises(ValidationError, match="超出活动范围"):
        store.create(LAYER, square_at(next_district, 34.7), user="alice")
