"""The schema of campaign.json declares every key with its meaning; what it refuses is said with JSON paths."""

from __future__ import annotations

import json

import pytest
from pydantic import BaseModel

from geo import config_schema
from geo.config import parse_campaign
from geo.config_schema import CampaignSchema, check
from geo.errors import ConfigError
from geo.messages import localize
from tests.config_problems import said, wrong_type
from tests.conftest import DEMO_CAMPAIGN


def _models(model: type[BaseModel] = CampaignSchema, seen: set | None = None) -> set[type[BaseModel]]:
    seen = set() if seen is None else seen
    seen.add(model)
    for f in model.model_fields.values():
        inner = config_schema._inner_model(f.annotation)
        if inner is not None and inner not in seen:
            _models(inner, seen)
    return seen


def test_every_key_of_every_object_has_a_meaning():
    models = _models()
    assert {m.__name__ for m in models} >= {"CampaignSchema", "StatusSchema", "LayerSchema", "MapSchema",
                                            "BasemapSchema", "InspectionsSchema", "MilestoneSchema"}
    for model in models:
        for name, f in model.model_fields.items():
            assert f.description, f"{model.__name__}.{name}"


def test_the_demo_campaign_passes_the_schema_as_it_is():
    model, problems = check(json.loads(DEMO_CAMPAIGN.read_text(encoding="utf-8")))
    assert problems == [] and model.title


@pytest.mark.parametrize("change, expected", [
    (lambda c: c.__setitem__("statuses", "all"), wrong_type("$.statuses", "list", "str")),
    (lambda c: c["statuses"].__setitem__(0, "new"), said("$.statuses[0]", "schema.expected_object")),
    (lambda c: c.__setitem__("map", []), wrong_type("$.map", "dict", "list")),
    (lambda c: c["map"].__setitem__("zoom", True), said("$.map.zoom", "settings.expected_number", value='True')),
    (lambda c: c["statuses"][0].__setitem__("done", "yes"),
     wrong_type("$.statuses[unsurveyed].done", "bool", "str")),
    (lambda c: c.__setitem__("categories", ["飞线充电", "飞线充电"]), said("$.categories", "schema.not_unique")),
    (lambda c: c["inspections"].__setitem__("count", 0), said("$.inspections.count", "schema.count", value='0')),
    (lambda c: c["status_rule"].__setitem__("when_open", "fixing"),
     said("$.status_rule.when_open", "schema.unknown_status", value="'fixing'")),
    (lambda c: c.__setitem__("area_buffer_m", -1), "$.area_buffer_m:应为 0 到 50000 之间的米数,实为 -1"),
])
def test_a_wrong_value_is_named_with_its_json_path(change, expected):
    raw = json.loads(DEMO_CAMPAIGN.read_text(encoding="utf-8"))
    change(raw)
    with pytest.raises(ConfigError) as caught:
        parse_campaign(raw)
    assert caught.value.problems == [expected]


def test_a_wrong_status_reference_is_said_together_with_a_wrong_value_elsewhere():
    raw = json.loads(DEMO_CAMPAIGN.read_text(encoding="utf-8"))
    raw["status_rule"]["when_open"] = "fixing"
    raw["title"] = 7
    _, problems = check(raw)
    assert problems == [wrong_type("$.title", "str", "int"),
                        said("$.status_rule.when_open", "schema.unknown_status", value="'fixing'")]


def test_the_problems_are_chinese_and_render_again_in_english_with_their_json_paths():
    raw = json.loads(DEMO_CAMPAIGN.read_text(encoding="utf-8"))
    raw["statuses"][1]["color"] = "red"
    raw["timezone"] = "Mars/Olympus"
    raw["map"]["bounds"] = [117, 40, 116, 39]
    raw["subtitle"] = 7
    _, problems = check(raw)
    key = raw["statuses"][1]["key"]
    assert problems == ["$.subtitle: 应为文字(字符串),实际为整数", "$.timezone: 未知的时区 'Mars/Olympus'",
                        f"$.statuses[{key}].color: 应为 #rrggbb 形式的颜色,实际为 'red'", "$.map.bounds: 应满足 西 < 东、南 < 北"]
    assert localize(problems, "en") == ["$.subtitle: expected str, got int", "$.timezone: unknown time zone 'Mars/Olympus'",
                                        f"$.statuses[{key}].color: expected #rrggbb, got 'red'",
                                        "$.map.bounds: west must be < east and south < north"]


def test_the_json_schema_document_accepts_the_demo_and_refuses_a_typo():
    from jsonschema import Draft202012Validator

    document = config_schema.json_schema()
    Draft202012Validator.check_schema(document)
    validator = Draft202012Validator(document)
    raw = json.loads(DEMO_CAMPAIGN.read_text(encoding="utf-8"))
    raw["x_contact"] = "区城管局"
    raw["map"]["x_note"] = "墙面大屏"
    assert list(validator.iter_errors(raw)) == []
    raw["map"]["viewport_abvoe"] = 50
    assert ["viewport_abvoe" in e.message for e in validator.iter_errors(raw)] == [True]
