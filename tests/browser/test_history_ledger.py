"""In a real browser: a place's history and its revert confirmation on a phone (390 px, touch) and at 4K, and the
editor's ledger form, whose 发现日期 is required and starts at the campaign's today."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from geo.config import load_campaign
from geo.store import open_store
from tests.browser.harness import copy_demo, live_server, open_page, open_phone_page, wait_ready
from tests.browser.phone_audit import audit, problems
from tests.browser.test_a11y import axe_violations

PASSWORD = "a long password"
LATE = datetime(2026, 11, 24, 17, 30, tzinfo=UTC)  # 01:30 on the 25th in the campaign's time zone


@pytest.fixture
def campaign_dir(tmp_path):
    return copy_demo(tmp_path / "data")


@pytest.fixture
def server(campaign_dir, clock):
    with live_server(campaign_dir, GUATU_PUBLIC_VIEW=False, GUATU_CLOCK=clock) as s:
        s.app.extensions["guatu_accounts"].create_user("planner1", PASSWORD, "editor", "张规划")
        yield s


def _store(campaign_dir, clock):
    return open_store(campaign_dir, load_campaign(campaign_dir), clock=clock)


def _sign_in(page, path: str) -> None:
    page.fill("input[name=username]", "planner1")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"**{path}")


def _with_an_open_problem_added_late(campaign_dir, clock) -> tuple[int, str]:
    """c-0006 edited (a journaled version to go back to), then given a new open problem late at night (UTC still
    the 24th): (the version before the problem, the problem's id)."""
    clock.now = LATE
    s = _store(campaign_dir, clock)
    first = s.get("courtyards", "c-0006")
    s.update("courtyards", "c-0006", expected_version=first["properties"]["version"], user="李编",
             properties={"notes": "楼道飞线待查"})
    feature = s.get("courtyards", "c-0006")
    problems_now = [*feature["properties"]["problems"],
                    {"id": "c-0006-p9", "category": "飞线充电", "description": "楼道飞线", "found_on": "2026-11-25",
                     "status": "open"}]
    s.update("courtyards", "c-0006", expected_version=feature["properties"]["version"], user="李编",
             properties={"problems": problems_now, "status": "in_progress"})
    s.close()
    return feature["properties"]["version"], "c-0006-p9"


@pytest.mark.parametrize("device", ["phone", "4k"])
def test_the_history_shows_campaign_time_and_a_revert_asks_first_saying_what_it_deletes(browser, server, campaign_dir,
                                                                                        clock, device):
    before, pid = _with_an_open_problem_added_late(campaign_dir, clock)
    path = "/places/courtyards/c-0006/history"
    if device == "phone":
        page, log = open_phone_page(browser, server.url, f"/login?next={path}")
    else:
        page, log = open_page(browser, server.url, f"/login?next={path}", width=3840, height=2160)
    _sign_in(page, path)
    newest = page.locator("section.change").first
    assert "2026-11-25 01:30:00" in newest.locator("h2 time").inner_text()
    assert "UTC" not in page.inner_text("main") and "{'" not in page.inner_text("main")
    if device == "phone":
        assert problems(audit(page)) == {}
    assert axe_violations(page, server.url) == []
    page.locator(f"section.change[data-version='{before}'] a.revert").click()
    page.wait_for_url(f"**/revert/{before}")
    warning = page.locator(".revert-warnings li[data-kind=delete_open]")
    assert f"将删除未销号的问题 {pid}(飞线充电" in warning.inner_text()
    assert "将恢复到第" in page.inner_text(".revert-summary")
    if device == "phone":
        assert problems(audit(page)) == {}
    assert axe_violations(page, server.url) == []
    assert _store(campaign_dir, clock).get("courtyards", "c-0006")["properties"]["version"] == before + 1  # asked only
    page.click("button[type=submit]")
    page.wait_for_url(f"**{path}")
    assert page.locator(".flash-ok").count() == 1
    after = _store(campaign_dir, clock).get("courtyards", "c-0006")["properties"]
    assert pid not in {p["id"] for p in after["problems"]} and after["version"] == before + 2
    assert log.outside == [] and log.console_errors == []


def test_the_ledger_form_requires_a_found_day_and_starts_at_the_campaigns_today(browser, server, campaign_dir, clock):
    clock.now = LATE  # still the 24th in UTC, already the 25th in the campaign
    page, log = open_page(browser, server.url, "/login?next=/edit", width=3840, height=2160)
    _sign_in(page, "/edit")
    wait_ready(page)
    x, y = page.evaluate("""() => { const ed = guatuPage.editors[0];
        ed.map.fitBounds(ed.byId['c-0006'].getBounds(), {maxZoom: 17, animate: false});
        const p = ed.map.latLngToContainerPoint(ed.byId['c-0006'].getBounds().getCenter());
        const r = ed.map.getContainer().getBoundingClientRect();
        return [r.left + p.x, r.top + p.y]; }""")
    page.mouse.click(x, y)
    page.click("button[data-action=problem-add]")
    found = page.locator(".problem-form input[name=found_on]")
    assert found.input_value() == "2026-11-25" and found.get_attribute("required") is not None
    found.fill("")
    page.click("button[data-action=problem-save]")
    assert found.evaluate("e => e.validity.valueMissing")  # the browser asks for it; nothing is sent
    assert len(_store(campaign_dir, clock).get("courtyards", "c-0006")["properties"]["problems"]) == 1
    found.fill("2026-11-25")
    page.select_option(".problem-form select[name=category]", "飞线充电")
    page.click("button[data-action=problem-save]")
    page.wait_for_selector(".message-ok")
    new = _store(campaign_dir, clock).get("courtyards", "c-0006")["properties"]["problems"][-1]
    assert new["found_on"] == "2026-11-25"  # so the daily report of the 25th counts it
    assert log.outside == [] and log.console_errors == []
