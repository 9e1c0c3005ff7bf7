"""A misspelt key anywhere in campaign.json stops the start-up, naming the key and the nearest known one."""

from __future__ import annotations

import json

import pytest

from geo.config import load_campaign, parse_campaign
from geo.errors import ConfigError
from tests.conftest import DEMO_CAMPAIGN


def demo() -> dict:
    return json.loads(DEMO_CAMPAIGN.read_text(encoding="utf-8"))


def problems(raw: dict) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse_campaign(raw)
    return caught.value.problems


def test_the_demo_campaign_has_no_unknown_key():
    assert parse_campaign(demo()).title


@pytest.mark.parametrize("change, expected", [
    (lambda c: c["map"].__setitem__("viewport_abvoe", 50), "$.map.viewport_abvoe:未知的设置,是不是要写 viewport_above?"),
    (lambda c: c.__setitem__("titel", "x"), "$.titel:未知的设置,是不是要写 title?"),
    (lambda c: c["statuses"][1].__setitem__("colour", "#112233"), "$.statuses[1].colour:未知的设置,是不是要写 color?"),
    (lambda c: c["problem_statuses"][0].__setitem__("opne", True), "$.problem_statuses[0].opne:未知的设置,是不是要写 open?"),
    (lambda c: c["roles"][0].__setitem__("lable", "x"), "$.roles[0].lable:未知的设置,是不是要写 label?"),
    (lambda c: c["layers"][0].__setitem__("id_prefx", "c"), "$.layers[0].id_prefx:未知的设置,是不是要写 id_prefix?"),
    (lambda c: c["boundaries"][0].__setitem__("name_feild", "NAME"),
     "$.boundaries[0].name_feild:未知的设置,是不是要写 name_field?"),
    (lambda c: c["print"].__setitem__("hatchng", True), "$.print.hatchng:未知的设置,是不是要写 hatching?"),
    (lambda c: c["inspections"].__setitem__("cuont", 3), "$.inspections.cuont:未知的设置,是不是要写 count?"),
    (lambda c: c["milestones"][0].__setitem__("share", 0.5), "$.milestones[0].share:未知的设置,是不是要写 share_done?"),
    (lambda c: c["status_rule"].__setitem__("enable", True), "$.status_rule.enable:未知的设置,是不是要写 enabled?"),
    (lambda c: c["map"].__setitem__("basemaps", [{"id": "city", "title": "影像", "type": "folder", "path": "tiles",
                                                   "timout": 3}]),
     "$.map.basemaps[0].timout:未知的设置,是不是要写 timeout?"),
    (lambda c: c["map"].__setitem__("完全无关", 1), "$.map.完全无关:未知的设置(拼写有误?),请删除或改正"),
])
def test_a_misspelt_key_is_named_with_the_nearest_known_one(change, expected):
    raw = demo()
    change(raw)
    assert problems(raw) == [expected]


def test_keys_starting_with_x_stay_free_for_a_campaigns_own_additions():
    raw = demo()
    raw["x_contact"] = "区城管局"
    raw["map"]["x_note"] = "墙面大屏"
    raw["statuses"][0]["x_order"] = 1
    raw["layers"][0]["x_owner"] = "住建局"
    campaign = parse_campaign(raw)
    assert campaign.extra == {"x_contact": "区城管局"}


def test_every_typo_is_reported_at_once_with_the_files_path(tmp_path):
    raw = demo()
    raw["map"]["viewport_abvoe"] = 50
    raw["layers"][1]["titel"] = "道路"
    (tmp_path / "campaign.json").write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_campaign(tmp_path)
    text = str(caught.value)
    assert str(tmp_path / "campaign.json") in text
    assert "viewport_abvoe" in text and "viewport_above" in text and "$.layers[1].titel" in text
