"""The campaign configuration loads from data and says every problem with its JSON path."""

from __future__ import annotations

import json
from datetime import time
from pathlib import Path

import pytest

from geo.config import load_campaign
from geo.errors import ConfigError
from geo.messages import t
from tests.config_problems import said


def _raw(data_dir: Path) -> dict:
    return json.loads((data_dir / "campaign.json").read_text(encoding="utf-8"))


def _write(data_dir: Path, raw: dict) -> None:
    (data_dir / "campaign.json").write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")


def _problems(data_dir: Path) -> list[str]:
    with pytest.raises(ConfigError) as info:
        load_campaign(data_dir)
    return info.value.problems


def test_demo_campaign_loads(data_dir):
    campaign = load_campaign(data_dir)
    assert campaign.title
    assert campaign.timezone.key == "Asia/Shanghai"
    assert campaign.overnight_cutoff == time(8, 0)
    assert campaign.status_keys == ("unsurveyed", "pending", "in_progress", "rectified", "accepted", "relapsed")
    assert campaign.done_statuses == {"rectified", "accepted"}
    assert campaign.open_problem_statuses == {"open", "in_progress"}
    assert [layer.id for layer in campaign.layers] == ["courtyards", "roads", "villages"]
    assert campaign.layer("courtyards").id_prefix == "c"
    assert "每日随机督导" in campaign.inspection_sources
    assert "飞线充电" in campaign.categories
    west, south, east, north = campaign.map.bounds
    assert west < east and south < north


def test_demo_campaign_colours_are_normalised_hex(data_dir):
    campaign = load_campaign(data_dir)
    for status in campaign.statuses:
        assert status.color.startswith("#") and len(status.color) == 7
        assert status.color == status.color.lower()


def test_public_dict_is_json_serialisable(data_dir):
    public = load_campaign(data_dir).public_dict()
    assert json.loads(json.dumps(public))["timezone"] == "Asia/Shanghai"


def test_bad_colour_is_reported_with_its_path(data_dir):
    raw = _raw(data_dir)
    raw["statuses"][1]["color"] = "red"
    _write(data_dir, raw)
    problems = _problems(data_dir)
    assert any("$.statuses[pending].color" in p and "'red'" in p for p in problems), problems


def test_duplicate_status_key_is_reported(data_dir):
    raw = _raw(data_dir)
    raw["statuses"][2]["key"] = "pending"
    _write(data_dir, raw)
    problems = _problems(data_dir)
    assert said("$.statuses[2].key", "schema.used_twice", value="'pending'") in problems


def test_unknown_geometry_type_is_reported(data_dir):
    raw = _raw(data_dir)
    raw["layers"][1]["geometry_types"].append("Circle")
    _write(data_dir, raw)
    problems = _problems(data_dir)
    assert any(p.startswith("$.layers[1].geometry_types") and "'Circle'" in p for p in problems), problems


def test_missing_title_is_reported(data_dir):
    raw = _raw(data_dir)
    del raw["title"]
    _write(data_dir, raw)
    assert said("$.title", "schema.missing") in _problems(data_dir)


def test_bad_timezone_is_reported(data_dir):
    raw = _raw(data_dir)
    raw["timezone"] = "Asia/Zhengzhou"
    _write(data_dir, raw)
    problems = _problems(data_dir)
    assert any(p.startswith("$.timezone") and "Asia/Zhengzhou" in p for p in problems), problems


def test_problem_statuses_without_an_open_one_are_refused(data_dir):
    raw = _raw(data_dir)
    for p in raw["problem_statuses"]:
        p["open"] = False
    _write(data_dir, raw)
    problems = _problems(data_dir)
    assert any(p.startswith("$.problem_statuses") and "open" in p for p in problems), problems


def test_every_problem_is_listed_at_once(data_dir):
    raw = _raw(data_dir)
    del raw["title"]
    raw["timezone"] = "Mars/Olympus"
    raw["statuses"][0]["color"] = "#12345"
    raw["layers"][0]["geometry_types"] = ["Polygon", "Polygn"]
    raw["overnight_cutoff"] = "8 o'clock"
    _write(data_dir, raw)
    with pytest.raises(ConfigError) as info:
        load_campaign(data_dir)
    problems = info.value.problems
    for path in ("$.title", "$.timezone", "$.statuses[unsurveyed].color", "$.layers[0].geometry_types", "$.overnight_cutoff"):
        assert any(p.startswith(path) for p in problems), (path, problems)
    message = str(info.value)
    assert str(data_dir / "campaign.json") in message
    assert all(p in message for p in problems)


def test_invalid_json_is_reported(data_dir):
    (data_dir / "campaign.json").write_text('{"title": "x",', encoding="utf-8")
    problems = _problems(data_dir)
    assert len(problems) == 1 and problems[0].startswith(t("config.not_json", detail="")), problems


def test_missing_file_is_reported(tmp_path):
    with pytest.raises(ConfigError) as info:
        load_campaign(tmp_path)
    assert info.value.problems == [t("config.file_not_found")]
    assert info.value.path == str(tmp_path / "campaign.json")


def test_top_level_must_be_an_object(data_dir):
    (data_dir / "campaign.json").write_text("[1, 2]", encoding="utf-8")
    assert _problems(data_dir) == [t("config.not_object")]


def test_layer_file_outside_the_data_dir_is_refused(data_dir):
    raw = _raw(data_dir)
    raw["layers"][0]["file"] = "../../etc/passwd"
    _write(data_dir, raw)
    assert any(p.startswith("$.layers[0].file") for p in _problems(data_dir))


def test_missing_statuses_are_reported_once(data_dir):
    raw = _raw(data_dir)
    del raw["statuses"]
    _write(data_dir, raw)
    assert _problems(data_dir).count(said("$.statuses", "schema.missing")) == 1


def test_statuses_without_keys_are_reported_by_index(data_dir):
    raw = _raw(data_dir)
    raw["statuses"] += [{"label": "甲", "color": "#zzzzzz"}, {"label": "乙", "color": "#000000"}]
    _write(data_dir, raw)
    problems = _problems(data_dir)
    assert said("$.statuses[6].key", "schema.missing") in problems
    assert said("$.statuses[7].key", "schema.missing") in problems
    assert said("$.statuses[6].color", "schema.colour", value="'#zzzzzz'") in problems
    assert not any("None" in p for p in problems), problems
