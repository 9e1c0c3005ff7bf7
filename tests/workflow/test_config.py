"""The `inspections` and `milestones` sections of campaign.json: optional, with defaults, checked."""

from __future__ import annotations

import json

import pytest

from geo.config import InspectionSettings, parse_campaign
from geo.errors import ConfigError
from tests.conftest import DEMO_CAMPAIGN


def _raw(**changes) -> dict:
    raw = json.loads(DEMO_CAMPAIGN.read_text(encoding="utf-8"))
    raw.pop("inspections", None)
    raw.pop("milestones", None)
    raw.update(changes)
    return raw


def test_both_sections_are_optional():
    campaign = parse_campaign(_raw())
    assert campaign.inspections == InspectionSettings() and campaign.milestones == ()


def test_the_demo_campaign_has_both(campaign):
    assert campaign.inspections.source in campaign.inspection_sources
    assert [m.share_done for m in campaign.milestones] == sorted(m.share_done for m in campaign.milestones)


def test_every_mistake_is_reported_with_its_path():
    raw = _raw(inspections={"count": 0, "overdue": -1, "relapse_status": "gone", "colour": "red"},
               milestones=[{"date": "2026-13-01", "share_done": 0.5}, {"date": "2026-12-01", "share_done": 1.5}])
    with pytest.raises(ConfigError) as err:
        parse_campaign(raw)
    text = str(err.value)
    for path in ("$.inspections.count", "$.inspections.overdue", "$.inspections.relapse_status",
                 "$.inspections.colour", "$.milestones[0].date", "$.milestones[1].share_done"):
        assert path in text, path
