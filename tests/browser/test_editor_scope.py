"""A planner whose scope is one sub-district (三级管理) in a real Chromium: a place outside it opens read-only,
saying so, before any save could be refused; a place inside it opens for editing."""

from __future__ import annotations

import pytest

from geo.messages import t
from geo.scope import Scope
from tests.browser.harness import copy_demo, live_server
from tests.browser.test_editor import PASSWORD, click_feature, editor_page, store

STREET = "大学路街道"


@pytest.fixture
def campaign_dir(tmp_path):
    return copy_demo(tmp_path / "data")


def test_a_place_outside_the_scope_opens_read_only(browser, campaign_dir, clock):
    places = store(campaign_dir).features("courtyards")
    inside = next(f["id"] for f in places if f["properties"].get("street") == STREET)
    outside = next(f["id"] for f in places if f["properties"].get("street") not in (STREET, None)
                   and f["properties"].get("unit") != "区住建局")
    with live_server(campaign_dir, GUATU_PUBLIC_VIEW=False, GUATU_CLOCK=clock) as server:
        server.app.extensions["guatu_accounts"].create_user("daxuelu", PASSWORD, "editor", "王建国", scope=Scope(streets=(STREET,)))
        page, log = editor_page(browser, server, user="daxuelu")
        click_feature(page, outside)
        assert page.inner_text("form.attrs .scope-read-only") == t("editor.scope.read_only", scope=STREET)
        assert page.is_disabled("form.attrs button[data-action=save]")
        assert page.is_disabled("form.attrs button[data-action=delete]")
        assert page.is_disabled("form.attrs input[name=name]")
        click_feature(page, inside)
        assert page.locator("form.attrs .scope-read-only").count() == 0
        assert page.is_enabled("form.attrs button[data-action=save]")
        assert log.outside == [] and log.console_errors == []
