"""The campaign's `notify` section: its defaults, what a campaign may set, and a wrong value named with its JSON
path in Chinese (the campaign does not start)."""

from __future__ import annotations

import json
from datetime import time

import pytest

from geo.config import parse_campaign
from geo.errors import ConfigError
from tests.config_problems import said
from tests.conftest import DEMO_CAMPAIGN


def _raw() -> dict:
    return json.loads(DEMO_CAMPAIGN.read_text(encoding="utf-8"))


def test_without_the_section_the_defaults_hold():
    raw = _raw()
    raw.pop("notify", None)
    notify = parse_campaign(raw).notify
    assert (notify.due_soon_hours, notify.digest_at, notify.daily_report_at) == (4.0, time(8, 0), time(18, 0))


def test_a_campaign_sets_its_own_times():
    raw = _raw()
    raw["notify"] = {"due_soon_hours": 2.5, "digest_at": "07:30", "daily_report_at": "17:45"}
    notify = parse_campaign(raw).notify
    assert (notify.due_soon_hours, notify.digest_at, notify.daily_report_at) == (2.5, time(7, 30), time(17, 45))


@pytest.mark.parametrize(("section", "expected"), [
    ({"digest_at": "8 点"}, said("$.notify.digest_at", "schema.time", value="'8 点'")),
    ({"daily_report_at": "25:00"}, said("$.notify.daily_report_at", "schema.time", value="'25:00'")),
    ({"due_soon_hours": -1}, said("$.notify.due_soon_hours", "schema.days", value="-1")),
])
def test_a_wrong_value_is_named_with_its_json_path(section, expected):
    raw = _raw()
    raw["notify"] = section
    with pytest.raises(ConfigError) as caught:
        parse_campaign(raw)
    assert caught.value.problems == [expected]
